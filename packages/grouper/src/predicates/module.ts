/**
 * A grouping condition kind (分组条件类型) as a module: how its value in `scheme.json` is checked,
 * compiled into a test of one record's context and described in Chinese. A new kind is one module
 * here, registered in `index.ts` (the registry's type makes a missing one a compile error) and named
 * in the `Predicate` union of `scheme-source.ts`.
 */
import type { CodeTables } from "../compiled.js";
import type { CompiledPredicate } from "../context.js";
import type { DrgScheme } from "../scheme.js";
import type { NumberRange, Predicate } from "../scheme-source.js";
import type { GroupingRecord } from "../types.js";

/** Every key a condition can have. */
export type PredicateKey = Predicate extends infer P ? (P extends unknown ? keyof P : never) : never;

/** The value a condition of kind `K` holds. */
export type PredicateValue<K extends PredicateKey> = Extract<Predicate, Readonly<Record<K, unknown>>>[K];

/** What checking a condition's value needs: where to report, the scheme's lists, nested conditions. */
export interface PredicateValidation {
  bad(path: string, message: string): void;
  /** Reports a list name that is not a string or not a list of the scheme. */
  checkList(name: unknown, path: string): void;
  checkPredicate(p: unknown, path: string): void;
}

/** What compiling a condition needs: the interned tables, list lookups, nested conditions. */
export interface PredicateCompilation {
  readonly tables: CodeTables;
  /** The interned id of a list. */
  list(name: string): number;
  /** The word offset and bit of a list in a row of `members` (a principal code's lists). */
  bitOf(name: string): readonly [number, number];
  /** The word and bit of a summarised list in a record's summary (all of its codes' lists). */
  summaryBit(name: string): readonly [number, number];
  compile(p: Predicate): CompiledPredicate;
}

/** What describing a condition needs: the scheme's names, the record, nested conditions. */
export interface PredicateDescription {
  readonly scheme: DrgScheme;
  readonly record: GroupingRecord;
  describe(p: Predicate): string;
}

export interface PredicateModule<K extends PredicateKey> {
  readonly key: K;
  /**
   * True when the compiled condition reads the record itself (`RecordContext.record`: its strings or
   * all of its codes) rather than the context's derived fields: the batch fast path, which has no
   * record object, declines every line of a scheme with such a condition (the general path groups
   * them, with the same result).
   */
  readonly readsRecord?: true;
  validate(value: unknown, path: string, v: PredicateValidation): void;
  compile(value: PredicateValue<K>, c: PredicateCompilation): CompiledPredicate;
  describe(value: PredicateValue<K>, d: PredicateDescription): string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks a numeric bound whose keys are among `allowed`. */
export function validateRange(
  value: unknown,
  path: string,
  v: PredicateValidation,
  allowed: readonly string[],
): void {
  if (!isObject(value) || Object.keys(value).length === 0) {
    v.bad(path, "应为非空的数值范围对象");
    return;
  }
  for (const [k, n] of Object.entries(value)) {
    if (!allowed.includes(k)) v.bad(`${path}.${k}`, `不支持的范围键，应为 ${allowed.join("/")}`);
    else if (typeof n !== "number" || !Number.isFinite(n)) v.bad(`${path}.${k}`, "应为数值");
  }
}

/** Checks `{min, lists}`: a positive count and a non-empty array of the scheme's lists. */
export function validateCount(value: unknown, path: string, v: PredicateValidation): void {
  if (!isObject(value)) {
    v.bad(path, "应为 {min, lists}");
    return;
  }
  if (typeof value.min !== "number" || !Number.isInteger(value.min) || value.min < 1)
    v.bad(`${path}.min`, "应为正整数");
  const lists = value.lists;
  if (!Array.isArray(lists) || lists.length === 0 || !lists.every((x) => typeof x === "string"))
    v.bad(`${path}.lists`, "应为非空的列表名数组");
  else for (const [i, n] of lists.entries()) v.checkList(n, `${path}.lists[${i}]`);
}

/** Checks the value `true` of a flag condition. */
export function validateTrue(value: unknown, path: string, v: PredicateValidation): void {
  if (value !== true) v.bad(path, "值应为 true");
}

/** Compiles a numeric bound (`eq`, `min` ≥, `max` ≤, `below` <) into one interval test. */
export function rangeTest(r: NumberRange): (v: number) => boolean {
  const lo = Math.max(r.min ?? -Infinity, r.eq ?? -Infinity);
  const hi = Math.min(r.max ?? Infinity, r.eq ?? Infinity);
  const top = r.below ?? Infinity;
  return (v) => v >= lo && v <= hi && v < top;
}

/** A numeric bound in Chinese, e.g. `≥ 18 岁 且 < 65 岁`. */
export function describeRange(r: NumberRange, unit: string): string {
  const parts: string[] = [];
  if (r.eq !== undefined) parts.push(`= ${r.eq}${unit}`);
  if (r.min !== undefined) parts.push(`≥ ${r.min}${unit}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}${unit}`);
  if (r.below !== undefined) parts.push(`< ${r.below}${unit}`);
  return parts.join(" 且 ");
}

/** The keys of a numeric bound in a condition on a count (days, procedures). */
export const COUNT_BOUNDS = ["eq", "min", "max", "below"] as const;

/**
 * Checks a bound on a count (`eq`, `min`, `max`, `below`): a non-empty object of those keys, each a
 * non-negative integer, that some integer satisfies.
 */
export function validateCountRange(value: unknown, path: string, v: PredicateValidation): void {
  if (!isObject(value) || Object.keys(value).length === 0) {
    v.bad(path, `应为非空的范围对象，键为 ${COUNT_BOUNDS.join("/")}`);
    return;
  }
  let ok = true;
  for (const [k, n] of Object.entries(value)) {
    if (!(COUNT_BOUNDS as readonly string[]).includes(k)) {
      v.bad(`${path}.${k}`, `不支持的范围键，应为 ${COUNT_BOUNDS.join("/")}`);
      ok = false;
    } else if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      v.bad(`${path}.${k}`, `应为非负整数，实际为 ${JSON.stringify(n)}`);
      ok = false;
    }
  }
  if (!ok) return;
  const r = value as NumberRange;
  const lo = Math.max(r.min ?? 0, r.eq ?? 0);
  const hi = Math.min(r.max ?? Infinity, r.eq ?? Infinity, (r.below ?? Infinity) - 1);
  if (lo > hi) v.bad(path, `范围为空：没有整数满足 ${describeRange(r, "")}`);
}

/**
 * Checks a non-empty array of distinct non-empty strings; with `allowed`, each must be one of them.
 * `what` names an element in the messages (e.g. 前缀).
 */
export function validateStrings(
  value: unknown,
  path: string,
  v: PredicateValidation,
  what: string,
  allowed?: ReadonlySet<string>,
): void {
  if (!Array.isArray(value) || value.length === 0) {
    v.bad(path, `应为非空的${what}数组（字符串）`);
    return;
  }
  const seen = new Set<string>();
  value.forEach((x, i) => {
    if (typeof x !== "string" || x === "")
      v.bad(`${path}[${i}]`, `${what}应为非空字符串，实际为 ${JSON.stringify(x)}`);
    else if (allowed !== undefined && !allowed.has(x))
      v.bad(`${path}[${i}]`, `不是有效的${what} ${JSON.stringify(x)}，应为 ${[...allowed].join("/")} 之一`);
    else if (seen.has(x)) v.bad(`${path}[${i}]`, `${what} ${JSON.stringify(x)} 重复`);
    else seen.add(x);
  });
}
