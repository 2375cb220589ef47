/**
 * A region pack's audit part (地区配置包 · 两库): rule base editions (`audit-rules.json`) and knowledge
 * base editions (`knowledge.json`), each file one edition or an array of dated editions, read with the
 * audit core's schemas; every problem names the file, the edition and the field, in Chinese. The
 * built-in editions stay in the libraries: an edition of the pack decides from its own date, so the
 * stays before it are audited as they were.
 */
import { join } from "node:path";
import {
  type DataReading,
  type KnowledgeBase,
  type RuleBase,
  readKnowledgeBase,
  readRuleBase,
  STARTER_KNOWLEDGE_BASE,
  STARTER_RULE_BASE,
} from "@yibao/audit";
import { canonicalJson } from "@yibao/kernel/editions";
import { readJsonEditions } from "@yibao/server";
import type { AuditLibraries } from "./context.js";

export const AUDIT_RULES_FILE = "audit-rules.json";
export const KNOWLEDGE_FILE = "knowledge.json";

function readEditions<T extends { id: string; version: string }>(
  file: string,
  read: (data: unknown) => DataReading<T>,
  problems: string[],
): T[] | null {
  const raw = readJsonEditions(file, problems);
  if (raw === null) return null;
  if (raw.length === 0 && problems.every((p) => !p.startsWith(`${file}：`)))
    problems.push(`${file}：没有任何版本`);
  const out: T[] = [];
  const seen = new Set<string>();
  raw.forEach((x, i) => {
    const r = read(x);
    if (r.value === null) {
      for (const p of r.problems) problems.push(`${file} 第 ${i + 1} 版：${p}`);
      return;
    }
    const key = `${r.value.id}@${r.value.version}`;
    if (seen.has(key)) problems.push(`${file} 第 ${i + 1} 版：${key} 重复`);
    seen.add(key);
    out.push(r.value);
  });
  return out;
}

/**
 * The audit libraries of the region pack in `dir`: the built-in editions and the pack's (null when
 * the pack has neither file). Problems are added to `problems`.
 */
export function loadAuditLibraries(dir: string, problems: string[]): AuditLibraries | null {
  const rules = readEditions<RuleBase>(join(dir, AUDIT_RULES_FILE), readRuleBase, problems);
  const knowledge = readEditions<KnowledgeBase>(join(dir, KNOWLEDGE_FILE), readKnowledgeBase, problems);
  if (rules === null && knowledge === null) return null;
  return {
    ruleBases: [STARTER_RULE_BASE, ...besideBuiltIn(STARTER_RULE_BASE, rules, AUDIT_RULES_FILE, problems)],
    knowledgeBases: [
      STARTER_KNOWLEDGE_BASE,
      ...besideBuiltIn(STARTER_KNOWLEDGE_BASE, knowledge, KNOWLEDGE_FILE, problems),
    ],
  };
}

/**
 * A pack's editions beside the built-in one: an edition with the built-in's id and version is the
 * built-in itself when its content is the same (the demo region pack, a copy of the built-ins), and a
 * problem when it differs (a released edition is never edited).
 */
function besideBuiltIn<T extends { id: string; version: string }>(
  builtIn: T,
  editions: readonly T[] | null,
  file: string,
  problems: string[],
): T[] {
  return (editions ?? []).filter((e) => {
    if (e.id !== builtIn.id || e.version !== builtIn.version) return true;
    if (canonicalJson(e) !== canonicalJson(builtIn))
      problems.push(
        `${file}：${e.id}@${e.version} 与内置版本同号而内容不同：已发布的版本不可修改，请使用新版本号`,
      );
    return false;
  });
}

/** The lines of `yibao region check` for the audit part. */
export function describeAuditLibraries(l: AuditLibraries | null): string[] {
  if (l === null) return [`审核规则库与知识库：未提供 ${AUDIT_RULES_FILE}、${KNOWLEDGE_FILE}，使用内置版本`];
  return [
    ...l.ruleBases.map(
      (b) =>
        `审核规则库 ${b.id}@${b.version}：${b.effectiveFrom} 起生效，${b.rules.filter((r) => r.enabled).length} 条启用${
          b === STARTER_RULE_BASE ? "（内置）" : ""
        }`,
    ),
    ...l.knowledgeBases.map(
      (k) =>
        `审核知识库 ${k.id}@${k.version}：${k.effectiveFrom} 起生效，${k.items.length} 个项目${
          k === STARTER_KNOWLEDGE_BASE ? "（内置）" : ""
        }`,
    ),
  ];
}
