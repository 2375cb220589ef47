/**
 * 规则版本的发布规则 (publishing a dated edition of regional rules or master data): what every area
 * that lets the bureau publish a new edition through the API checks before it writes one. A released
 * edition is never edited: a new edition has its own version and takes effect today or later (China
 * Standard Time), so no list already checked, grouped or paid is judged differently afterwards.
 * Pure: the caller gives the editions already known and today's date.
 */
import { isIsoDate } from "./calendar.js";

/** An edition's identity and date, as the publishing rule sees it. */
export interface EditionStamp {
  readonly id: string;
  readonly version: string;
  /** 生效日期 `yyyy-MM-dd`. */
  readonly effectiveDate: string;
}

/** The outcome of checking a new edition against those already known. */
export type EditionCheck =
  /** Publish it. */
  | { readonly kind: "new" }
  /** The same edition, with the same date and content, is already published: nothing to write. */
  | { readonly kind: "unchanged" }
  /** The id and version are released with another date or content: a released edition is never edited. */
  | { readonly kind: "released"; readonly problems: readonly string[] }
  /** Another edition already takes effect on that date. */
  | { readonly kind: "dateTaken"; readonly problems: readonly string[] }
  /** The date is not a date, or is before today. */
  | { readonly kind: "refused"; readonly problems: readonly string[] };

/**
 * Checks `candidate` against the editions already known (`existing`, with each one's content key,
 * e.g. {@link canonicalJson} of its data) on `today` (`yyyy-MM-dd`, China Standard Time):
 * - an id and version already published with the same date and content is `unchanged`;
 * - with another date or content it is `released` (a released edition is never edited);
 * - an effective date that is not a date, or is before today, is `refused` (it would change past
 *   results); today is allowed;
 * - an effective date that another edition already has is `dateTaken` (which one is in force would
 *   be undecidable).
 */
export function checkNewEdition(
  existing: readonly (EditionStamp & { readonly content: string })[],
  candidate: EditionStamp & { readonly content: string },
  today: string,
): EditionCheck {
  const label = `${candidate.id}@${candidate.version}`;
  const same = existing.find((e) => e.id === candidate.id && e.version === candidate.version);
  if (same !== undefined) {
    if (same.effectiveDate === candidate.effectiveDate && same.content === candidate.content)
      return { kind: "unchanged" };
    return {
      kind: "released",
      problems: [
        `版本 ${label} 已发布（${same.effectiveDate} 起生效），已发布的版本不可修改；请以新的版本号发布`,
      ],
    };
  }
  if (!isIsoDate(candidate.effectiveDate)) {
    return {
      kind: "refused",
      problems: [`生效日期 ${candidate.effectiveDate} 不是有效日期（应为 yyyy-MM-dd）`],
    };
  }
  if (candidate.effectiveDate < today) {
    return {
      kind: "refused",
      problems: [
        `生效日期 ${candidate.effectiveDate} 早于今天 ${today}：新版本不得追溯生效（已质控、分组或结算的结果不得改变），请定为今天或以后`,
      ],
    };
  }
  const clash = existing.find((e) => e.effectiveDate === candidate.effectiveDate);
  if (clash !== undefined)
    return {
      kind: "dateTaken",
      problems: [
        `生效日期 ${candidate.effectiveDate} 已有版本 ${clash.id}@${clash.version}，同一天只能有一个版本生效`,
      ],
    };
  return { kind: "new" };
}

/**
 * JSON with object keys in code-point order at every level: the same value always gives the same
 * text, whatever order its keys were written in (the content key of an edition).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
