/**
 * Conditions on code prefixes (编码前缀): the principal diagnosis (`pdxPrefix`), any diagnosis
 * (`anyDxPrefix`), the principal procedure (`ppxPrefix`) or any procedure (`anyPxPrefix`) starts with
 * one of the given prefixes, e.g. Zhoukou 2023 matching `Z37` (分娩结局) by prefix instead of a list.
 * The comparison is on the code as the record gives it (after `--map-codes` when asked for), case
 * and punctuation included: `Z37` matches `Z37.000` and `Z37.000x001`, `Z37.` does not match `Z37`.
 * Semantics: `docs/scheme-format.md`.
 */
import type { DrgScheme } from "../scheme.js";
import type { GroupingRecord } from "../types.js";
import { type PredicateModule, validateStrings } from "./module.js";

function startsWithAny(code: string | undefined, prefixes: readonly string[]): boolean {
  if (code === undefined || code === "") return false;
  for (const p of prefixes) if (code.startsWith(p)) return true;
  return false;
}

/** The first of `codes` that starts with one of the prefixes, or undefined. */
function firstWith(codes: readonly string[], prefixes: readonly string[]): string | undefined {
  return codes.find((c) => startsWithAny(c, prefixes));
}

function label(scheme: DrgScheme, code: string | undefined, kind: "dx" | "px"): string {
  if (code === undefined || code === "") return "（无）";
  const name = kind === "dx" ? scheme.diagnoses.name(code) : scheme.procedures.name(code);
  return name ? `${code}（${name}）` : code;
}

const validatePrefixes = (
  value: unknown,
  path: string,
  v: Parameters<PredicateModule<"pdxPrefix">["validate"]>[2],
) => validateStrings(value, path, v, "编码前缀");

const prefixList = (value: readonly string[]) => value.join("、");

export const pdxPrefix: PredicateModule<"pdxPrefix"> = {
  key: "pdxPrefix",
  readsRecord: true,
  validate: validatePrefixes,
  compile: (value) => (x) => startsWithAny((x.record as GroupingRecord).diagnoses[0], value),
  describe: (value, d) =>
    `主要诊断 ${label(d.scheme, d.record.diagnoses[0], "dx")} 以 ${prefixList(value)} 开头`,
};

export const anyDxPrefix: PredicateModule<"anyDxPrefix"> = {
  key: "anyDxPrefix",
  readsRecord: true,
  validate: validatePrefixes,
  compile: (value) => (x) => firstWith((x.record as GroupingRecord).diagnoses, value) !== undefined,
  describe: (value, d) =>
    `有诊断以 ${prefixList(value)} 开头（${label(d.scheme, firstWith(d.record.diagnoses, value), "dx")}）`,
};

export const ppxPrefix: PredicateModule<"ppxPrefix"> = {
  key: "ppxPrefix",
  readsRecord: true,
  validate: validatePrefixes,
  compile: (value) => (x) => startsWithAny((x.record as GroupingRecord).procedures[0], value),
  describe: (value, d) =>
    `主要手术操作 ${label(d.scheme, d.record.procedures[0], "px")} 以 ${prefixList(value)} 开头`,
};

export const anyPxPrefix: PredicateModule<"anyPxPrefix"> = {
  key: "anyPxPrefix",
  readsRecord: true,
  validate: validatePrefixes,
  compile: (value) => (x) => firstWith((x.record as GroupingRecord).procedures, value) !== undefined,
  describe: (value, d) =>
    `有手术操作以 ${prefixList(value)} 开头（${label(d.scheme, firstWith(d.record.procedures, value), "px")}）`,
};
