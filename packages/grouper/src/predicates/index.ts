/**
 * The registry of grouping condition kinds (分组条件类型), and the three things done with a
 * condition: checking it in `scheme.json`, compiling it, describing it in Chinese.
 */
import type { CodeTables } from "../compiled.js";
import type { CompiledPredicate } from "../context.js";
import type { DrgScheme } from "../scheme.js";
import type { Predicate } from "../scheme-source.js";
import type { GroupingRecord } from "../types.js";
import { anyDxIn, anyPxIn, pdxIn, ppxIn } from "./codes.js";
import { regionsAtLeast, traumaDiagnosesAtLeast } from "./counts.js";
import { all, always, any, not } from "./logic.js";
import type { PredicateCompilation, PredicateKey, PredicateModule, PredicateValidation } from "./module.js";
import { ageDays, ageYears, birthWeight, sex } from "./patient.js";
import { anyDxPrefix, anyPxPrefix, pdxPrefix, ppxPrefix } from "./prefixes.js";
import { hasCcOrMcc, hasMcc } from "./severity.js";
import { dept, dischargeWay, los, procedureCount } from "./stay.js";

export type { PredicateKey, PredicateModule, PredicateValue } from "./module.js";

/** Every condition kind, by key: a kind named in `Predicate` without a module does not compile. */
export const PREDICATE_MODULES: { readonly [K in PredicateKey]: PredicateModule<K> } = {
  always,
  all,
  any,
  not,
  pdxIn,
  anyDxIn,
  ppxIn,
  anyPxIn,
  ageYears,
  ageDays,
  sex,
  birthWeight,
  regionsAtLeast,
  traumaDiagnosesAtLeast,
  hasMcc,
  hasCcOrMcc,
  los,
  procedureCount,
  dischargeWay,
  dept,
  pdxPrefix,
  anyDxPrefix,
  ppxPrefix,
  anyPxPrefix,
};

/** Whether `key` names a condition kind. */
export function isPredicateKey(key: string): key is PredicateKey {
  return Object.hasOwn(PREDICATE_MODULES, key);
}

/** The kind of a (validated) condition and its value. */
function kindOf(p: Predicate): { module: PredicateModule<PredicateKey>; value: never } {
  const key = Object.keys(p)[0] as PredicateKey;
  return {
    module: PREDICATE_MODULES[key] as PredicateModule<PredicateKey>,
    value: (p as unknown as Record<string, unknown>)[key] as never,
  };
}

/** Checks the value of a condition whose single key is `key` (already known to be a kind). */
export function validatePredicateValue(
  key: PredicateKey,
  value: unknown,
  path: string,
  v: PredicateValidation,
): void {
  PREDICATE_MODULES[key].validate(value, path, v);
}

/**
 * Whether the condition, or one nested in it, reads the record itself (`PredicateModule.readsRecord`):
 * a scheme with such a condition is grouped only by the general path.
 */
export function readsRecord(p: Predicate): boolean {
  if ("all" in p) return p.all.some(readsRecord);
  if ("any" in p) return p.any.some(readsRecord);
  if ("not" in p) return readsRecord(p.not);
  return kindOf(p).module?.readsRecord === true;
}

/** Compiles a condition into a closure over the interned tables. */
export function compilePredicate(tables: CodeTables, p: Predicate): CompiledPredicate {
  const list = (name: string): number => {
    const id = tables.listIds.get(name);
    if (id === undefined) throw new Error(`unknown list ${name}`);
    return id;
  };
  const c: PredicateCompilation = {
    tables,
    list,
    bitOf(name) {
      const l = list(name);
      return [l >>> 5, 1 << (l & 31)];
    },
    summaryBit(name) {
      const b = tables.summary.get(list(name)) as number;
      return [b >>> 5, 1 << (b & 31)];
    },
    compile: (q) => compilePredicate(tables, q),
  };
  const { module, value } = kindOf(p);
  if (module === undefined) throw new Error(`unsupported predicate ${JSON.stringify(p)}`);
  return module.compile(value, c);
}

/** A Chinese description of a grouping condition, naming the record's own codes where useful. */
export function describePredicate(scheme: DrgScheme, p: Predicate, record: GroupingRecord): string {
  const { module, value } = kindOf(p);
  if (module === undefined) return JSON.stringify(p);
  return module.describe(value, { scheme, record, describe: (q) => describePredicate(scheme, q, record) });
}
