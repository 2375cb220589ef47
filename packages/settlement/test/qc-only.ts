// Helpers for the mutation tests of the check kinds (issue 16, docs/mutation.md): a rule set made of
// the rules under test only, built afresh for every check so that it is compiled inside the test that
// uses it (`compileQcRules` caches a compiled set by its identity: a shared set would be compiled by
// the first test only, and Stryker would credit its compile-time code to that test alone).
import { CodeDictionary, CodeVersionMap } from "@yibao/codes";
import {
  type CodeMaps,
  checkSettlementMessage,
  DEFAULT_QC_RULES,
  type QcCheckKind,
  type QcContext,
  type QcRule,
  type QcRuleSet,
} from "../src/index.js";
import { context, type Msg } from "./helpers.js";

/** A rule of `check` with a message that shows the given variables, `|`-separated. */
export function rule(check: QcCheckKind, params?: Record<string, unknown>, vars: string[] = []): QcRule {
  return {
    id: `T-${check}`,
    check,
    category: "diagnosis",
    severity: "error",
    message: vars.map((v) => `{${v}}`).join("|"),
    ...(params === undefined ? {} : { params }),
  } as QcRule;
}

/** A new rule set object (never cached before) holding `rules`. */
export function ruleSet(...rules: QcRule[]): QcRuleSet {
  return { id: "T", version: "1", effectiveDate: "2024-01-01", rules };
}

/** The default rule of that id, as a fresh copy with its params changed (if given). */
export function defaultRule(id: string, params?: Record<string, unknown>): QcRule {
  const r = DEFAULT_QC_RULES.rules.find((x) => x.id === id);
  if (r === undefined) throw new Error(id);
  return params === undefined ? { ...r } : { ...r, params };
}

/** The parse-phase rule that reports a value of the wrong JSON type (its field then is skipped). */
export const JSON_TYPE: QcRule = defaultRule("QC-FMT-001");

/** The parse-phase rule that reports a number field whose text is not a number. */
export const NUMBER: QcRule = defaultRule("QC-FMT-003");

/** `field message` of every finding of the rules (plus `extra` rules, whose findings are left out). */
export function hits(
  m: Msg,
  rules: QcRule | QcRule[],
  ctx: Partial<QcContext> = {},
  extra: QcRule[] = [],
): string[] {
  const list = Array.isArray(rules) ? rules : [rules];
  const ids = new Set(list.map((r) => r.id));
  return checkSettlementMessage(m, context({ rules: ruleSet(...list, ...extra), ...ctx }))
    .findings.filter((f) => ids.has(f.ruleId))
    .map((f) => `${f.field} ${f.message}`);
}

/**
 * Small dictionaries with a version map, names by hand: the national diagnosis codes below, and
 * old codes that map to them (`…-old` → national).
 */
export function smallCodes(): CodeMaps {
  const dx = new CodeDictionary("diagnosis", [
    ["K35.800x001", "急性阑尾炎"],
    ["I10.x05", "高血压3级"],
    ["S72.000", "股骨颈骨折"],
    ["W01.x00", "滑倒"],
    ["Z37.000", "单胎活产"],
    ["N40.x00", "前列腺增生"],
    ["O80.000", "顺产"],
    ["P07.300", "早产儿"],
    ["H13.3*", "眼类天疱疮"],
  ]);
  const px = new CodeDictionary("procedure", [
    ["47.0100", "腹腔镜下阑尾切除术"],
    ["86.0100", "皮肤抽吸术"],
    ["87.0100", "气脑造影"],
    ["09.0000", "泪腺切开术"],
    ["10.0000", "结膜异物去除"],
    ["20.0000", "鼓膜切开术"],
    ["21.0000", "鼻出血控制"],
  ]);
  return {
    diagnosisMap: new CodeVersionMap(
      dx,
      new Map([
        ["A01-old", "S72.000"],
        ["A02-old", "Z37.000"],
        ["A03-old", "W01.x00"],
        ["A04-old", "I10.x05"],
      ]),
    ),
    procedureMap: new CodeVersionMap(px, new Map([["P01-old", "86.0100"]])),
  };
}
