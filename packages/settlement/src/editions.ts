/**
 * 规则版本 (editions in force): a region publishes QC rules and QC targets as dated editions and
 * never edits a released one; a list is checked by the edition in force on its discharge date (出院
 * 日期), so loading a new edition never changes what an earlier list was checked by.
 */
import { editionInForce } from "./code-tables.js";
import { compileQcRules } from "./compile.js";
import { DEFAULT_CODE_TABLES } from "./data/code-tables.js";
import type { QcTargetSet } from "./qc-targets.js";
import { type QcRuleSet, validateQcRuleSet } from "./rules.js";

/**
 * The edition in force on `date` (yyyy-MM-dd), by `editionInForce`; a date before every edition gets
 * the earliest edition (the region's first rules). Throws on an empty list.
 */
export function editionOn<E extends { readonly effectiveDate: string }>(
  editions: readonly E[],
  date: string,
): E {
  const first = [...editions].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1))[0];
  if (first === undefined) throw new RangeError("没有任何规则版本");
  return editionInForce(editions, date) ?? first;
}

/**
 * The 出院日期 (from dscg_time) and 结算结束日期 (setl_end_date) of a raw 4101 message, `yyyy-MM-dd`,
 * read before it is parsed (the parse itself runs an edition's parse-phase rules); null when absent
 * or not a date. The one reader of a raw message's dates for choosing an edition (QC rules here, the
 * grouping scheme in the intake).
 */
export function envelopeDates(envelope: unknown): { discharge: string | null; settlement: string | null } {
  const info = (envelope as { input?: { setlinfo?: Record<string, unknown> } } | null)?.input?.setlinfo;
  const date = (k: string) => {
    const v = info?.[k];
    return typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null;
  };
  return { discharge: date("dscg_time"), settlement: date("setl_end_date") };
}

/**
 * The date a message is judged by: its 出院时间 (dscg_time), else its 结算结束日期 (setl_end_date),
 * else the upload date.
 */
export function judgingDate(envelope: unknown, uploadDate: string): string {
  const d = envelopeDates(envelope);
  return d.discharge ?? d.settlement ?? uploadDate;
}

/** A region's QC editions (its rules and its targets), each list of editions non-empty. */
export interface QcEditions {
  readonly rules: readonly QcRuleSet[];
  readonly targets: readonly QcTargetSet[];
}

/**
 * Checks a QC rule edition as a region pack or the bureau gives it: its shape and check kinds
 * (`validateQcRuleSet`), then every rule's parameters by compiling it in both modes. The rule set as
 * accepted, or every problem in Chinese.
 */
export function checkQcRuleEdition(raw: unknown): {
  ruleSet?: QcRuleSet;
  problems: string[];
  /** `id@version` of an edition whose shape is right but whose rules do not compile. */
  label?: string;
} {
  const v = validateQcRuleSet(raw);
  if (!v.ruleSet) return { problems: v.problems };
  try {
    compileQcRules(v.ruleSet, DEFAULT_CODE_TABLES, "bureau");
    compileQcRules(v.ruleSet, DEFAULT_CODE_TABLES, "hospital");
  } catch (e) {
    return { problems: [(e as Error).message], label: `${v.ruleSet.id}@${v.ruleSet.version}` };
  }
  return { ruleSet: v.ruleSet, problems: [] };
}
