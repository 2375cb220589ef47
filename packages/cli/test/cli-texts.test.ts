import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../../..");
const BIN = resolve(REPO, "bin/yibao.js");

/** commander's own English texts, none of which may reach a user. */
const ENGLISH =
  /display help|output the version|unknown option|unknown command|missing required|required option|argument missing|not specified|is invalid|Did you mean|Allowed choices|error:|Usage:|Options:|Commands:|Arguments:|\[options\]|\[command\]|\(default:|ENOENT|no such file/;

async function yibao(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      env: { ...process.env, YIBAO_SCHEME_DIR: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const f = e as { code: number; stdout: string; stderr: string };
    return { code: f.code, stdout: f.stdout, stderr: f.stderr };
  }
}

describe("the yibao command speaks Chinese", () => {
  it("--version prints the root package.json's version", async () => {
    const r = await yibao("--version");
    const { version } = JSON.parse(readFileSync(resolve(REPO, "package.json"), "utf8")) as {
      version: string;
    };
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help, for the root, a command and a nested command, has no English of commander's", async () => {
    for (const args of [["--help"], ["group", "--help"], ["payment", "--help"], ["help", "audit"]]) {
      const r = await yibao(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("用法：");
      expect(r.stdout).toContain("选项：");
      expect(r.stdout).toContain("显示帮助");
      expect(r.stdout).not.toMatch(ENGLISH);
    }
    const root = await yibao("--help");
    expect(root.stdout).toContain("命令：");
    expect(root.stdout).toContain("-V, --version");
    expect(root.stdout).toContain("显示版本号");
  });

  it("an unknown option, a missing argument or option, a bad choice: a Chinese error, exit 1", async () => {
    const cases: [string[], string][] = [
      [["--bogus"], "错误：未知选项 --bogus"],
      [
        ["group", "--input", "a.jsonl", "--output", "b.jsonl", "--outptu"],
        "错误：未知选项 --outptu\n（是否想用 --output？）",
      ],
      [["nosuch"], "错误：未知命令 nosuch"],
      [["codes"], "错误：缺少必需的参数 codes"],
      [["group", "--output", "b.jsonl"], "错误：缺少必需的选项 --input <file>"],
      [["group", "--input"], "错误：选项 --input <file> 缺少取值"],
      [["codes", "--kind", "x", "A00"], "错误：选项 --kind <kind> 的取值 x 无效"],
    ];
    for (const [args, message] of cases) {
      const r = await yibao(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toContain(message);
      expect(r.stderr, args.join(" ")).not.toMatch(ENGLISH);
      expect(r.stdout).not.toMatch(ENGLISH);
    }
  });

  it("a missing input file is named in Chinese, without ENOENT", async () => {
    const missing = resolve(REPO, "no-such-dir/cases.jsonl");
    for (const args of [
      ["group", "--input", missing, "--output", "/tmp/yibao-out.jsonl"],
      ["import", "--input", missing],
    ]) {
      const r = await yibao(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`错误：输入文件不存在：${missing}\n`);
    }
  });
});
