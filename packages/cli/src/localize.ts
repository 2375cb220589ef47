/**
 * Chinese for the texts commander writes itself: help titles, the help option and command, the
 * version option, and its error messages. Applied to the whole command tree once it is built, so
 * that commands other packages register (payment, audit) are covered too.
 */
import { readFileSync } from "node:fs";
import { type Argument, type Command, Help, type Option } from "commander";

/** The version of the platform: the root package.json's. */
export function platformVersion(): string {
  // dist/localize.js → packages/cli → packages → the repository root.
  const url = new URL("../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

const TITLES: Readonly<Record<string, string>> = {
  "Usage:": "用法：",
  "Options:": "选项：",
  "Commands:": "命令：",
  "Arguments:": "参数：",
  "Global Options:": "全局选项：",
};

/** commander's texts inside a help entry: usage placeholders and the "(default: …)" notes. */
function helpText(s: string): string {
  return s
    .replaceAll("[options]", "[选项]")
    .replaceAll("[command]", "[命令]")
    .replace(
      / ?\(((?:choices|default|preset|env): .*)\)$/,
      (_all, inner: string) =>
        `（${inner
          .replace(/\bchoices: /, "可选值：")
          .replace(/\bdefault: /, "默认：")
          .replace(/\bpreset: /, "预设：")
          .replace(/\benv: /, "环境变量：")
          .replaceAll(", ", "，")}）`,
    );
}

/** commander's error messages, in Chinese (anything not recognised is kept as it is). */
const ERRORS: readonly [RegExp, (...groups: string[]) => string][] = [
  [/^error: unknown option '(.*)'/, (f) => `错误：未知选项 ${f}`],
  [/^error: unknown command '(.*)'/, (c) => `错误：未知命令 ${c}`],
  [/^error: missing required argument '(.*)'/, (a) => `错误：缺少必需的参数 ${a}`],
  [/^error: option '(.*)' argument missing/, (o) => `错误：选项 ${o} 缺少取值`],
  [/^error: required option '(.*)' not specified/, (o) => `错误：缺少必需的选项 ${o}`],
  [/^error: option '(.*)' argument '(.*)' is invalid\.\s*/, (o, v) => `错误：选项 ${o} 的取值 ${v} 无效：`],
  [
    /^error: option '(.*)' value '(.*)' from env '(.*)' is invalid\.\s*/,
    (o, v, e) => `错误：环境变量 ${e} 给选项 ${o} 的取值 ${v} 无效：`,
  ],
  [
    /^error: command-argument value '(.*)' is invalid for argument '(.*)'\.\s*/,
    (v, a) => `错误：参数 ${a} 的取值 ${v} 无效：`,
  ],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\./,
    (c, e, g) => `错误：${c ? `命令 ${c} 的` : ""}参数过多，应为 ${e} 个，实际 ${g} 个`,
  ],
  [/^error: (.*) cannot be used with (.*)/, (a, b) => `错误：${a} 不能与 ${b} 同时使用`],
  [/^error: /, () => "错误："],
];

/** Translates one error text of commander's (which may run over several lines). */
export function translateCommanderError(text: string): string {
  let s = text;
  for (const [pattern, to] of ERRORS) {
    const m = pattern.exec(s);
    if (m) {
      s = to(...m.slice(1).map((g) => g ?? "")) + s.slice(m[0].length);
      break;
    }
  }
  return s
    .replace(/\(Did you mean one of (.*)\?\)/, "（是否想用其中之一：$1？）")
    .replace(/\(Did you mean (.*)\?\)/, "（是否想用 $1？）")
    .replace(/Allowed choices are (.*)\./, "可选值：$1。")
    .replaceAll("option '", "选项 '")
    .replaceAll("argument '", "参数 '")
    .replace(/'([^'\n]*)'/g, "“$1”");
}

const base = new Help();

/** Characters that take two columns on a terminal: CJK, Hangul, full-width forms. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** The columns `s` takes on a terminal, without its colour codes, so that Chinese help lines up. */
export function displayWidth(s: string): number {
  const plain = base.displayWidth(s);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern removes ANSI colour codes, which begin with ESC (U+001B)
  return plain + (s.replace(/\x1b\[\d*(;\d+)*m/g, "").match(WIDE)?.length ?? 0);
}

/** Applies the Chinese texts to `cmd` and every command under it; the root also gets `--version`. */
export function localizeCommands(root: Command): Command {
  root.version(platformVersion(), "-V, --version", "显示版本号");
  const visit = (cmd: Command) => {
    cmd.helpOption("-h, --help", "显示帮助");
    if (cmd.commands.length > 0) cmd.helpCommand("help [命令]", "显示某个命令的帮助");
    cmd.showHelpAfterError("（加 --help 查看用法）");
    cmd.configureOutput({ outputError: (s, write) => write(translateCommanderError(s)) });
    cmd.configureHelp({
      styleTitle: (title: string) => TITLES[title] ?? title,
      displayWidth,
      commandUsage: (c: Command) => helpText(base.commandUsage(c)),
      subcommandTerm: (c: Command) => helpText(base.subcommandTerm(c)),
      optionDescription: (o: Option) => helpText(base.optionDescription(o)),
      argumentDescription: (a: Argument) => helpText(base.argumentDescription(a)),
    });
    for (const sub of cmd.commands) visit(sub);
  };
  visit(root);
  return root;
}
