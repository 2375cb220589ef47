/**
 * The scheme as data (分组方案数据): the shape of `scheme.json` and its validation.
 * Semantics are those of `schemes/README.md`; validation says precisely what is wrong and where.
 */

import { isPredicateKey, validatePredicateValue } from "./predicates/index.js";

/** A grouping condition (分组条件) as written in `scheme.json`. */
export type Predicate =
  | { readonly always: true }
  | { readonly all: readonly Predicate[] }
  | { readonly any: readonly Predicate[] }
  | { readonly not: Predicate }
  | { readonly pdxIn: string }
  | { readonly anyDxIn: string }
  | { readonly ppxIn: string }
  | { readonly anyPxIn: string }
  | { readonly ageYears: NumberRange }
  | { readonly ageDays: NumberRange }
  | { readonly sex: "1" | "2" }
  | { readonly birthWeight: NumberRange }
  | { readonly regionsAtLeast: ListCount }
  | { readonly traumaDiagnosesAtLeast: ListCount }
  | { readonly hasMcc: true }
  | { readonly hasCcOrMcc: true }
  | { readonly los: NumberRange }
  | { readonly procedureCount: NumberRange }
  | { readonly dischargeWay: readonly string[] }
  | { readonly dept: readonly string[] }
  | { readonly pdxPrefix: readonly string[] }
  | { readonly anyDxPrefix: readonly string[] }
  | { readonly ppxPrefix: readonly string[] }
  | { readonly anyPxPrefix: readonly string[] };

/** A numeric bound: `eq`, `min` (≥), `max` (≤), `below` (<). */
export interface NumberRange {
  readonly eq?: number;
  readonly min?: number;
  readonly max?: number;
  readonly below?: number;
}

export interface ListCount {
  readonly min: number;
  readonly lists: readonly string[];
}

/** 主要诊断大类 (MDC) entry. `adrgs` may hold the marker `"QY"` (ambiguous-group check). */
export interface MdcSource {
  readonly code: string;
  readonly name?: string;
  readonly when: Predicate;
  readonly adrgs: readonly string[];
}

/** 核心疾病诊断相关组 (ADRG). */
export interface AdrgSource {
  readonly code: string;
  readonly name?: string;
  readonly mdc: string;
  readonly when: Predicate;
  readonly drgs: readonly string[];
  readonly fallbackToAdrg: boolean;
}

/** 疾病诊断相关组 (DRG). */
export interface DrgSource {
  readonly code: string;
  readonly name: string;
  readonly adrg: string;
  readonly when: Predicate;
}

/** Switches of the pre-grouping checks (分组前校验); an absent switch is on. */
export interface SchemeChecks {
  /**
   * The newborn birth-weight check: a record aged 0 years whose age in days is missing or ≤ 28 and
   * that has no birth weight fails with `CHECK_FAILED`. On unless the scheme sets it to false
   * (Zhoukou 2023 groups such records).
   */
  readonly newbornBirthWeight?: boolean;
}

/** The keys of `checks`. */
const CHECK_KEYS = new Set(["newbornBirthWeight"]);

/** `scheme.json` as a whole. */
export interface SchemeSource {
  readonly name?: string;
  readonly version?: string;
  readonly description?: string;
  /** True for a demonstration scheme that must never be used for real payment. */
  readonly demo?: boolean;
  /** Switches of the pre-grouping checks; absent: every check on. */
  readonly checks?: SchemeChecks;
  readonly mdcOrder: readonly string[];
  readonly mdcs: readonly MdcSource[];
  readonly adrgs: readonly AdrgSource[];
  readonly drgs: readonly DrgSource[];
  readonly lists: Readonly<Record<string, readonly string[]>>;
}

/** The marker in an MDC's `adrgs` that enables the ambiguous-group (QY) check at that point. */
export const QY_MARKER = "QY";

/** The list of operating-room procedures (有效手术操作) that the QY check uses. */
export const OR_PROCEDURES_LIST = "or_procedures";

/** A defect in a scheme: the file, the JSON path and what is wrong (in Chinese). */
export interface SchemeProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** Thrown when a scheme directory cannot be used; lists every problem found. */
export class SchemeError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly SchemeProblem[],
  ) {
    const shown = problems.slice(0, 20).map((p) => `  ${p.file} ${p.path}: ${p.message}`);
    const more = problems.length > 20 ? [`  …另有 ${problems.length - 20} 处问题`] : [];
    super([`分组方案 ${dir} 无效（${problems.length} 处问题）：`, ...shown, ...more].join("\n"));
    this.name = "SchemeError";
  }
}

const TOP_LEVEL_KEYS = new Set([
  "name",
  "version",
  "description",
  "demo",
  "checks",
  "mdcOrder",
  "mdcs",
  "adrgs",
  "drgs",
  "lists",
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/**
 * Validates parsed `scheme.json` content. Returns the typed source and every problem found;
 * the source is only usable when there are no problems.
 */
export function validateSchemeSource(raw: unknown, file = "scheme.json"): { problems: SchemeProblem[] } {
  const problems: SchemeProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ file, path, message });
  if (!isObject(raw)) {
    bad("$", "应为 JSON 对象");
    return { problems };
  }
  for (const k of Object.keys(raw)) if (!TOP_LEVEL_KEYS.has(k)) bad(`$.${k}`, "未知的顶层字段");
  for (const k of ["name", "version", "description"]) {
    if (raw[k] !== undefined && typeof raw[k] !== "string") bad(`$.${k}`, "应为字符串");
  }
  if (raw.demo !== undefined && typeof raw.demo !== "boolean") bad("$.demo", "应为布尔值");
  if (raw.checks !== undefined) {
    if (!isObject(raw.checks))
      bad("$.checks", '应为对象（校验名 → 布尔值），如 {"newbornBirthWeight": false}');
    else {
      for (const [k, v] of Object.entries(raw.checks)) {
        if (!CHECK_KEYS.has(k)) bad(`$.checks.${k}`, `未知的校验开关，应为 ${[...CHECK_KEYS].join("/")}`);
        else if (typeof v !== "boolean") bad(`$.checks.${k}`, `应为布尔值，实际为 ${JSON.stringify(v)}`);
      }
    }
  }

  const lists = raw.lists;
  const listNames = new Set<string>();
  if (!isObject(lists)) bad("$.lists", "应为对象（列表名 → 编码数组）");
  else {
    for (const [name, codes] of Object.entries(lists)) {
      listNames.add(name);
      if (!isStringArray(codes)) bad(`$.lists["${name}"]`, "应为字符串数组");
    }
  }

  const checkList = (name: unknown, where: string) => {
    if (typeof name !== "string") bad(where, "应为列表名（字符串）");
    else if (!listNames.has(name)) bad(where, `引用了不存在的列表 "${name}"`);
  };
  const checkPredicate = (p: unknown, path: string): void => {
    if (!isObject(p)) {
      bad(path, "条件应为对象");
      return;
    }
    const keys = Object.keys(p);
    if (keys.length !== 1) {
      bad(path, `条件应恰有一个键，实际为 ${JSON.stringify(keys)}`);
      return;
    }
    const key = keys[0] as string;
    const v = p[key];
    if (!isPredicateKey(key)) {
      bad(path, `未知的条件类型 "${key}"`);
      return;
    }
    validatePredicateValue(key, v, `${path}.${key}`, { bad, checkList, checkPredicate });
  };

  const codesSeen = (arr: unknown, path: string, label: string): Map<string, Record<string, unknown>> => {
    const out = new Map<string, Record<string, unknown>>();
    if (!Array.isArray(arr)) {
      bad(path, `应为${label}数组`);
      return out;
    }
    arr.forEach((e, i) => {
      const at = `${path}[${i}]`;
      if (!isObject(e)) {
        bad(at, "应为对象");
        return;
      }
      if (typeof e.code !== "string" || e.code === "") {
        bad(`${at}.code`, "应为非空字符串");
        return;
      }
      if (out.has(e.code)) bad(`${at}.code`, `${label}编码 ${e.code} 重复`);
      out.set(e.code, e);
      if (e.name !== undefined && typeof e.name !== "string") bad(`${at}.name`, "应为字符串");
      checkPredicate(e.when, `${at}(${e.code}).when`);
    });
    return out;
  };

  const mdcs = codesSeen(raw.mdcs, "$.mdcs", "MDC");
  const adrgs = codesSeen(raw.adrgs, "$.adrgs", "ADRG");
  const drgs = codesSeen(raw.drgs, "$.drgs", "DRG");

  checkHierarchy(raw, { mdcs, adrgs, drgs, listNames }, bad);
  return { problems };
}

type Bad = (path: string, message: string) => void;
type Seen = ReadonlyMap<string, Record<string, unknown>>;

/**
 * The hierarchy of a scheme: the MDC order, each MDC's ADRGs (or the QY marker) and each ADRG's
 * DRGs defined, owned by the one that names them, and named exactly once.
 */
function checkHierarchy(
  raw: Record<string, unknown>,
  defined: { mdcs: Seen; adrgs: Seen; drgs: Seen; listNames: ReadonlySet<string> },
  bad: Bad,
): void {
  const { mdcs, adrgs, drgs, listNames } = defined;
  if (!isStringArray(raw.mdcOrder)) bad("$.mdcOrder", "应为 MDC 编码数组");
  else {
    const seen = new Set<string>();
    raw.mdcOrder.forEach((c, i) => {
      if (!mdcs.has(c)) bad(`$.mdcOrder[${i}]`, `MDC ${c} 未在 mdcs 中定义`);
      if (seen.has(c)) bad(`$.mdcOrder[${i}]`, `MDC ${c} 重复`);
      seen.add(c);
    });
    for (const c of mdcs.keys()) if (!seen.has(c)) bad("$.mdcOrder", `MDC ${c} 未出现在 mdcOrder 中`);
  }

  const adrgOwner = new Map<string, string>();
  Array.isArray(raw.mdcs) &&
    raw.mdcs.forEach((m, i) => {
      if (!isObject(m)) return;
      const at = `$.mdcs[${i}](${String(m.code)}).adrgs`;
      if (!isStringArray(m.adrgs)) {
        bad(at, "应为 ADRG 编码数组");
        return;
      }
      m.adrgs.forEach((a, j) => {
        if (a === QY_MARKER) {
          if (!listNames.has(OR_PROCEDURES_LIST))
            bad(`${at}[${j}]`, `QY 检查需要列表 "${OR_PROCEDURES_LIST}"`);
          return;
        }
        const adrg = adrgs.get(a);
        if (!adrg) {
          bad(`${at}[${j}]`, `ADRG ${a} 未在 adrgs 中定义`);
          return;
        }
        if (adrg.mdc !== m.code)
          bad(`${at}[${j}]`, `ADRG ${a} 属于 MDC ${String(adrg.mdc)}，不属于 ${String(m.code)}`);
        if (adrgOwner.has(a)) bad(`${at}[${j}]`, `ADRG ${a} 被多次引用`);
        adrgOwner.set(a, String(m.code));
      });
    });

  const drgOwner = new Map<string, string>();
  Array.isArray(raw.adrgs) &&
    raw.adrgs.forEach((a, i) => {
      if (!isObject(a)) return;
      const at = `$.adrgs[${i}](${String(a.code)})`;
      if (typeof a.mdc !== "string" || !mdcs.has(a.mdc)) bad(`${at}.mdc`, `MDC ${String(a.mdc)} 未定义`);
      if (typeof a.fallbackToAdrg !== "boolean") bad(`${at}.fallbackToAdrg`, "应为布尔值");
      if (!adrgOwner.has(String(a.code))) bad(at, "ADRG 未被任何 MDC 引用");
      if (!isStringArray(a.drgs)) {
        bad(`${at}.drgs`, "应为 DRG 编码数组");
        return;
      }
      a.drgs.forEach((d, j) => {
        const drg = drgs.get(d);
        if (!drg) {
          bad(`${at}.drgs[${j}]`, `DRG ${d} 未在 drgs 中定义`);
          return;
        }
        if (drg.adrg !== a.code) bad(`${at}.drgs[${j}]`, `DRG ${d} 属于 ADRG ${String(drg.adrg)}`);
        if (drgOwner.has(d)) bad(`${at}.drgs[${j}]`, `DRG ${d} 被多次引用`);
        drgOwner.set(d, String(a.code));
      });
    });

  Array.isArray(raw.drgs) &&
    raw.drgs.forEach((d, i) => {
      if (!isObject(d)) return;
      const at = `$.drgs[${i}](${String(d.code)})`;
      if (typeof d.name !== "string" || d.name === "") bad(`${at}.name`, "DRG 名称应为非空字符串");
      if (typeof d.adrg !== "string" || !adrgs.has(d.adrg))
        bad(`${at}.adrg`, `ADRG ${String(d.adrg)} 未定义`);
      if (!drgOwner.has(String(d.code))) bad(at, "DRG 未被任何 ADRG 引用");
    });
}
