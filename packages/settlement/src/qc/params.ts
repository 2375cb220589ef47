/**
 * Reading a rule's parameters (a wrong one is a `QcConfigError` naming the rule and the key) and
 * the list's fields and rows they refer to; the helpers every check kind shares.
 */
import type { CodeConversion } from "@yibao/codes";
import { toWireDateTime } from "../dates.js";
import { type FieldSpec, SECTIONS, SETLINFO_FIELDS, type SectionName } from "../fields.js";
import type { SettlementList } from "../model.js";
import type { QcRule } from "../rules.js";
import { showValue } from "../template.js";
import { QcConfigError, type Run } from "./run.js";

export function param(rule: QcRule, key: string): unknown {
  const p = rule.params;
  return p !== undefined && Object.hasOwn(p, key) ? p[key] : undefined;
}

export function bad(rule: QcRule, key: string, expected: string): never {
  throw new QcConfigError(`质控规则 ${rule.id} 的参数 ${key} 应为${expected}`);
}

export function numParam(rule: QcRule, key: string, fallback?: number): number {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) bad(rule, key, "数值");
  return v;
}

export function optNumParam(rule: QcRule, key: string): number | undefined {
  return param(rule, key) === undefined ? undefined : numParam(rule, key);
}

export function strParam(rule: QcRule, key: string, fallback?: string): string {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "string") bad(rule, key, "字符串");
  return v;
}

export function strArrayParam(rule: QcRule, key: string, fallback?: readonly string[]): readonly string[] {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) bad(rule, key, "字符串数组");
  return v as string[];
}

/** A field reference in a rule's parameters, e.g. `setlinfo.brdy` or `icuinfo.scs_cutd_sum_dura`. */
export interface FieldRef {
  readonly section: SectionName;
  /** Domain key of the section (`info` for setlinfo). */
  readonly sectionKey: string;
  readonly spec: FieldSpec;
  readonly path: string;
}

export function fieldRef(rule: QcRule, path: string): FieldRef {
  const dot = path.indexOf(".");
  const section = path.slice(0, dot);
  const wire = path.slice(dot + 1);
  if (section === "setlinfo") {
    const spec = SETLINFO_FIELDS.find((f) => f.wire === wire);
    if (spec) return { section, sectionKey: "info", spec, path };
  } else {
    const s = SECTIONS.find((x) => x.wire === section);
    const spec = s?.fields.find((f: FieldSpec) => f.wire === wire);
    if (s && spec) return { section: s.wire, sectionKey: s.key, spec, path };
  }
  throw new QcConfigError(`质控规则 ${rule.id} 引用了未知字段 ${path}`);
}

export function setlinfoRef(rule: QcRule, path: string): FieldRef {
  const r = fieldRef(rule, path);
  if (r.section !== "setlinfo")
    throw new QcConfigError(`质控规则 ${rule.id} 只能引用 setlinfo 字段，实际 ${path}`);
  return r;
}

export function infoValue(list: SettlementList, ref: FieldRef): string | number | null {
  return (list.info as unknown as Record<string, string | number | null>)[ref.spec.key] ?? null;
}

export type Row = Readonly<Record<string, unknown>> & { readonly position: number };

export function rowsOf(list: SettlementList, sectionKey: string): readonly Row[] {
  return (list as unknown as Record<string, readonly Row[]>)[sectionKey] ?? [];
}

/** ICD category ranges such as `O00-O9A` or `D29`, compared on the 3-character category. */
export interface CodeRange {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export const CATEGORY = /^[A-Z][0-9][0-9A-Z]$/;

export function rangesParam(rule: QcRule, key: string): readonly CodeRange[] {
  return strArrayParam(rule, key).map((text) => {
    const [from, to = from] = text.split("-") as [string, string?];
    if (!CATEGORY.test(from) || !CATEGORY.test(to) || from > to) bad(rule, key, "类目范围（如 O00-O9A）");
    return { from, to, text };
  });
}

export function inRanges(code: string, ranges: readonly CodeRange[]): CodeRange | undefined {
  const cat = code.slice(0, 3);
  for (const r of ranges) if (cat >= r.from && cat <= r.to) return r;
  return undefined;
}

// ---- per-list derived data -------------------------------------------------------------------

/** The insurance code of a conversion (mapped or unchanged), or the original code when unmapped. */
export function effectiveCode(c: CodeConversion | null, original: string | null): string | null {
  if (c === null) return original;
  return c.outcome === "unmapped" ? c.from : c.code;
}

export function show(v: string): string {
  return v.length === 19 && v.charCodeAt(10) === 84 ? toWireDateTime(v) : showValue(v);
}

/**
 * An age as a message shows it: completed years (`years`, else days / 365.25) from one year on,
 * else days.
 */
export function ageText(days: number, years: number | null): string {
  const y = years ?? Math.floor(days / 365.25);
  return y < 1 ? `${days} 天` : `${y} 岁`;
}

export function skipped(run: Run, path: string): boolean {
  return run.skip?.has(path) === true;
}

/** Every (section, field) pair of the interface that satisfies `pred`. */
export function allFields(pred: (f: FieldSpec) => boolean): {
  setl: { spec: FieldSpec; path: string }[];
  rows: { wire: string; key: string; fields: FieldSpec[] }[];
} {
  return {
    setl: (SETLINFO_FIELDS as readonly FieldSpec[])
      .filter(pred)
      .map((spec) => ({ spec, path: `setlinfo.${spec.wire}` })),
    rows: SECTIONS.map((s) => ({
      wire: s.wire,
      key: s.key,
      fields: (s.fields as readonly FieldSpec[]).filter(pred),
    })).filter((s) => s.fields.length > 0),
  };
}

/** The path of a field: `setlinfo.x` when `section` is null, else `section[position].x`. */
export function pathOf(spec: FieldSpec, section: string | null, position: number): string {
  return section === null ? `setlinfo.${spec.wire}` : `${section}[${position}].${spec.wire}`;
}

/**
 * Applies `test` to every non-null value of the selected fields, with the section (null for
 * setlinfo) and row position from which `pathOf` builds the path when a finding is reported.
 */
export function eachValue(
  sel: ReturnType<typeof allFields>,
  run: Run,
  test: (spec: FieldSpec, value: unknown, section: string | null, position: number) => void,
): void {
  const info = run.list.info as unknown as Record<string, unknown>;
  for (const f of sel.setl) {
    const v = info[f.spec.key];
    if (v !== null && v !== undefined) test(f.spec, v, null, 0);
  }
  for (const s of sel.rows) {
    for (const row of rowsOf(run.list, s.key)) {
      for (const f of s.fields) {
        const v = row[f.key];
        if (v !== null && v !== undefined) test(f, v, s.wire, row.position);
      }
    }
  }
}
