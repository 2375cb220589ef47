/**
 * 代码表 (code tables) of the settlement list as versioned data with an effective date.
 * The default edition lives in `data/code-tables.ts`; an operator's edition is plain JSON of the
 * same shape, checked with `validateCodeTableSet`.
 */
import { parseWireDate } from "./dates.js";
import { FIELDS_BY_SECTION } from "./fields.js";

/** One code table: its Chinese name and code → Chinese meaning. */
export interface CodeTable {
  readonly name: string;
  readonly codes: Readonly<Record<string, string>>;
}

/** A versioned edition of all code tables (代码表版本). */
export interface CodeTableSet {
  readonly id: string;
  readonly version: string;
  /** 生效日期 `yyyy-MM-dd`: the edition applies to lists settled on or after this day. */
  readonly effectiveDate: string;
  readonly source?: string;
  readonly tables: Readonly<Record<string, CodeTable>>;
}

/** The names of every code table a field refers to. */
export function requiredTableNames(): string[] {
  const names = new Set<string>();
  for (const fields of Object.values(FIELDS_BY_SECTION))
    for (const f of fields) if (f.dict) names.add(f.dict);
  return [...names].sort();
}

/**
 * Validates an operator-supplied edition (e.g. parsed JSON). Every table a field refers to must be
 * present; codes and names must be non-empty strings. Problems are returned in Chinese.
 */
export function validateCodeTableSet(raw: unknown): { set?: CodeTableSet; problems: string[] } {
  const problems: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: ["代码表版本应为 JSON 对象"] };
  }
  const o = raw as Record<string, unknown>;
  for (const k of ["id", "version", "effectiveDate"] as const) {
    if (typeof o[k] !== "string" || o[k] === "") problems.push(`缺少 ${k}（字符串）`);
  }
  if (typeof o.effectiveDate === "string" && parseWireDate(o.effectiveDate) === null) {
    problems.push(`effectiveDate 应为 yyyy-MM-dd，实际为「${o.effectiveDate}」`);
  }
  const tables = o.tables;
  if (typeof tables !== "object" || tables === null || Array.isArray(tables)) {
    problems.push("缺少 tables（对象）");
    return { problems };
  }
  const t = tables as Record<string, unknown>;
  for (const name of requiredTableNames()) {
    if (!Object.hasOwn(t, name)) problems.push(`缺少代码表 ${name}`);
  }
  for (const [name, table] of Object.entries(t)) {
    if (typeof table !== "object" || table === null) {
      problems.push(`代码表 ${name} 应为对象 {name, codes}`);
      continue;
    }
    const tb = table as Record<string, unknown>;
    if (typeof tb.name !== "string") problems.push(`代码表 ${name} 缺少 name`);
    if (typeof tb.codes !== "object" || tb.codes === null || Array.isArray(tb.codes)) {
      problems.push(`代码表 ${name} 缺少 codes（对象）`);
      continue;
    }
    const codes = Object.entries(tb.codes as Record<string, unknown>);
    if (codes.length === 0) problems.push(`代码表 ${name} 没有任何代码`);
    for (const [code, meaning] of codes) {
      if (code === "" || typeof meaning !== "string" || meaning === "") {
        problems.push(`代码表 ${name} 的代码「${code}」应有非空中文含义`);
      }
    }
  }
  return problems.length > 0 ? { problems } : { set: raw as CodeTableSet, problems };
}

/**
 * Picks the edition in force on `date` (`yyyy-MM-dd`): the one with the latest effective date on
 * or before it. Works for code-table sets and QC rule sets alike.
 */
export function editionInForce<T extends { readonly effectiveDate: string }>(
  editions: readonly T[],
  date: string,
): T | undefined {
  let best: T | undefined;
  for (const e of editions) {
    if (
      e.effectiveDate <= date.slice(0, 10) &&
      (best === undefined || e.effectiveDate > best.effectiveDate)
    ) {
      best = e;
    }
  }
  return best;
}

/** The code tables as maps (code → meaning), built once per edition. */
export type CompiledCodeTables = ReadonlyMap<string, ReadonlyMap<string, string>>;

const compiledTables = new WeakMap<CodeTableSet, CompiledCodeTables>();

export function compileCodeTables(set: CodeTableSet): CompiledCodeTables {
  let c = compiledTables.get(set);
  if (c === undefined) {
    const m = new Map<string, ReadonlyMap<string, string>>();
    for (const [name, table] of Object.entries(set.tables)) m.set(name, new Map(Object.entries(table.codes)));
    c = m;
    compiledTables.set(set, c);
  }
  return c;
}
