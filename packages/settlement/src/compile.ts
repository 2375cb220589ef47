/**
 * Compiles a `QcRuleSet` (with its code tables and mode) into checker functions once; the
 * compiled form is cached per (rule set, code tables, mode), so checking a list does no parsing of
 * rules, no regex compilation and no template parsing.
 */

import type { CodeConversion, CodeVersionMap } from "@yibao/codes";
import { isKnownSex } from "@yibao/kernel/sex";
import { type CodeTableSet, type CompiledCodeTables, compileCodeTables } from "./code-tables.js";
import { dayNumber, dayToIso, fullYears, toWireDateTime } from "./dates.js";
import { type FieldSpec, SECTIONS, SETLINFO_FIELDS, type SectionName } from "./fields.js";
import { idCardBirthDate, idCardProblem, idCardSex } from "./idcard.js";
import type { Diagnosis, SettlementList } from "./model.js";
import { formatFen } from "./money.js";
import {
  PARSE_PHASE_KINDS,
  type QcCheckKind,
  type QcFinding,
  type QcMode,
  type QcRule,
  type QcRuleSet,
  type Severity,
} from "./rules.js";
import {
  type CompiledTemplate,
  compileTemplate,
  renderTemplate,
  showValue,
  type TemplateVars,
} from "./template.js";

/** 西医诊断 (diag_type), 主要诊断 (maindiag_flag) and 主要手术 (oprn_oprt_type) values of the interface. */
export const WESTERN_DIAG_TYPE = "1";
export const PRINCIPAL_FLAG = "1";
export const PRINCIPAL_PROCEDURE_TYPE = "1";

/** An invalid rule set or code-table edition (a configuration error, not a list error). */
export class QcConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QcConfigError";
  }
}

/**
 * The code dictionaries for the coding rules, after version mapping (编码版本映射). A `DrgScheme`
 * of @yibao/grouper has both properties and can be passed as is.
 */
export interface CodeMaps {
  readonly diagnosisMap: CodeVersionMap;
  readonly procedureMap: CodeVersionMap;
}

/** A rule ready to report findings. */
export interface CompiledRule {
  readonly rule: QcRule;
  readonly id: string;
  readonly severity: Severity;
  readonly template: CompiledTemplate;
}

/** Everything a list check needs for one list. */
export interface Run {
  readonly list: SettlementList;
  readonly codes: CodeMaps;
  readonly todayIso: string;
  readonly todayDay: number;
  /** Paths already reported while parsing (their values are null): not reported again as missing. */
  readonly skip: ReadonlySet<string> | undefined;
  readonly findings: QcFinding[];
  readonly setlId: string | undefined;
  readonly facts: Facts;
  /** Conversions of `list.diagnoses` / `list.procedures` (same indexes), computed on first use. */
  dx: (CodeConversion | null)[] | null;
  px: (CodeConversion | null)[] | null;
}

/** Dates and ages derived once per list. */
export interface Facts {
  readonly brdyDay: number | null;
  readonly admDay: number | null;
  readonly dscgDay: number | null;
  readonly setlEndDay: number | null;
  /** Days from birth to admission, from the dates only. */
  readonly computedAgeDays: number | null;
  /** Completed years at admission, from the dates only. */
  readonly computedAgeYears: number | null;
  /** Days of age at admission: from the dates, else from nwb_age / age. */
  readonly ageDays: number | null;
  /** The principal western diagnosis (主要诊断), if flagged. */
  readonly principal: Diagnosis | undefined;
}

type CheckFn = (run: Run) => void;

export interface CompiledQcRules {
  readonly ruleSet: QcRuleSet;
  readonly codeTables: CodeTableSet;
  readonly tables: CompiledCodeTables;
  readonly mode: QcMode;
  /** The first enabled rule of each parse-phase check. */
  readonly parse: Readonly<Partial<Record<QcCheckKind, CompiledRule>>>;
  readonly checks: readonly CheckFn[];
}

export function emit(
  run: Run,
  rule: CompiledRule,
  field: string,
  vars: Record<string, string | number>,
): void {
  vars.field = field;
  run.findings.push({
    ruleId: rule.id,
    severity: rule.severity,
    field,
    message: renderTemplate(rule.template, vars as TemplateVars),
    setlId: run.setlId,
  });
}

// ---- parameter access -------------------------------------------------------------------------

function param(rule: QcRule, key: string): unknown {
  const p = rule.params;
  return p !== undefined && Object.hasOwn(p, key) ? p[key] : undefined;
}

function bad(rule: QcRule, key: string, expected: string): never {
  throw new QcConfigError(`质控规则 ${rule.id} 的参数 ${key} 应为${expected}`);
}

function numParam(rule: QcRule, key: string, fallback?: number): number {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) bad(rule, key, "数值");
  return v;
}

function optNumParam(rule: QcRule, key: string): number | undefined {
  return param(rule, key) === undefined ? undefined : numParam(rule, key);
}

function strParam(rule: QcRule, key: string, fallback?: string): string {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "string") bad(rule, key, "字符串");
  return v;
}

function strArrayParam(rule: QcRule, key: string, fallback?: readonly string[]): readonly string[] {
  const v = param(rule, key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) bad(rule, key, "字符串数组");
  return v as string[];
}

/** A field reference in a rule's parameters, e.g. `setlinfo.brdy` or `icuinfo.scs_cutd_sum_dura`. */
interface FieldRef {
  readonly section: SectionName;
  /** Domain key of the section (`info` for setlinfo). */
  readonly sectionKey: string;
  readonly spec: FieldSpec;
  readonly path: string;
}

function fieldRef(rule: QcRule, path: string): FieldRef {
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

function setlinfoRef(rule: QcRule, path: string): FieldRef {
  const r = fieldRef(rule, path);
  if (r.section !== "setlinfo")
    throw new QcConfigError(`质控规则 ${rule.id} 只能引用 setlinfo 字段，实际 ${path}`);
  return r;
}

function infoValue(list: SettlementList, ref: FieldRef): string | number | null {
  return (list.info as unknown as Record<string, string | number | null>)[ref.spec.key] ?? null;
}

type Row = Readonly<Record<string, unknown>> & { readonly position: number };

function rowsOf(list: SettlementList, sectionKey: string): readonly Row[] {
  return (list as unknown as Record<string, readonly Row[]>)[sectionKey] ?? [];
}

/** ICD category ranges such as `O00-O9A` or `D29`, compared on the 3-character category. */
interface CodeRange {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

const CATEGORY = /^[A-Z][0-9][0-9A-Z]$/;

function rangesParam(rule: QcRule, key: string): readonly CodeRange[] {
  return strArrayParam(rule, key).map((text) => {
    const [from, to = from] = text.split("-") as [string, string?];
    if (!CATEGORY.test(from) || !CATEGORY.test(to) || from > to) bad(rule, key, "类目范围（如 O00-O9A）");
    return { from, to, text };
  });
}

function inRanges(code: string, ranges: readonly CodeRange[]): CodeRange | undefined {
  const cat = code.slice(0, 3);
  for (const r of ranges) if (cat >= r.from && cat <= r.to) return r;
  return undefined;
}

// ---- per-list derived data -------------------------------------------------------------------

export function computeFacts(list: SettlementList): Facts {
  const info = list.info;
  const brdyDay = info.brdy !== null ? dayNumber(info.brdy) : null;
  const admDay = info.admTime !== null ? dayNumber(info.admTime) : null;
  const dscgDay = info.dscgTime !== null ? dayNumber(info.dscgTime) : null;
  const setlEndDay = info.setlEndDate !== null ? dayNumber(info.setlEndDate) : null;
  const computedAgeDays = brdyDay !== null && admDay !== null ? admDay - brdyDay : null;
  const computedAgeYears =
    info.brdy !== null && info.admTime !== null && computedAgeDays !== null && computedAgeDays >= 0
      ? fullYears(info.brdy, info.admTime)
      : null;
  let ageDays = computedAgeDays;
  if (ageDays === null) {
    if (info.nwbAge !== null) ageDays = info.nwbAge;
    else if (info.age !== null) ageDays = Math.floor(info.age * 365.25);
  }
  let principal: Diagnosis | undefined;
  for (const d of list.diagnoses) {
    if (d.diagType === WESTERN_DIAG_TYPE && d.maindiagFlag === PRINCIPAL_FLAG) {
      principal = d;
      break;
    }
  }
  return { brdyDay, admDay, dscgDay, setlEndDay, computedAgeDays, computedAgeYears, ageDays, principal };
}

export function diagnosisConversions(run: Run): (CodeConversion | null)[] {
  if (run.dx === null) {
    const map = run.codes.diagnosisMap;
    run.dx = run.list.diagnoses.map((d) => (d.diagCode === null ? null : map.convert(d.diagCode)));
  }
  return run.dx;
}

export function procedureConversions(run: Run): (CodeConversion | null)[] {
  if (run.px === null) {
    const map = run.codes.procedureMap;
    run.px = run.list.procedures.map((p) => (p.oprnOprtCode === null ? null : map.convert(p.oprnOprtCode)));
  }
  return run.px;
}

/** The insurance code of a conversion (mapped or unchanged), or the original code when unmapped. */
function effectiveCode(c: CodeConversion | null, original: string | null): string | null {
  if (c === null) return original;
  return c.outcome === "unmapped" ? c.from : c.code;
}

function show(v: string): string {
  return v.length === 19 && v.charCodeAt(10) === 84 ? toWireDateTime(v) : showValue(v);
}

function ageText(days: number): string {
  return days < 365 ? `${days} 天` : `${Math.floor(days / 365.25)} 岁`;
}

function skipped(run: Run, path: string): boolean {
  return run.skip !== undefined && run.skip.has(path);
}

// ---- the checks ------------------------------------------------------------------------------

interface Env {
  readonly tables: CompiledCodeTables;
  readonly set: CodeTableSet;
}

type Factory = (r: CompiledRule, env: Env) => CheckFn;

function requiredFactory(level: "always" | "4101"): Factory {
  return (r) => {
    const setl = SETLINFO_FIELDS.filter((f) => (f as FieldSpec).req === level).map((f) => ({
      key: f.key,
      label: f.label,
      path: `setlinfo.${f.wire}`,
    }));
    const sections = SECTIONS.filter((s) => (s as { req?: string }).req === level);
    const rowFields = SECTIONS.map((s) => ({
      wire: s.wire,
      key: s.key,
      fields: (s.fields as readonly FieldSpec[]).filter((f) => f.req === level),
    })).filter((s) => s.fields.length > 0);
    return (run) => {
      if (level === "4101" && run.list.infno !== "4101") return;
      const info = run.list.info as unknown as Record<string, unknown>;
      for (const f of setl) {
        if (info[f.key] === null && !skipped(run, f.path)) emit(run, r, f.path, { label: f.label });
      }
      for (const s of sections) {
        if (rowsOf(run.list, s.key).length === 0 && !skipped(run, s.wire))
          emit(run, r, s.wire, { label: s.label });
      }
      for (const s of rowFields) {
        for (const row of rowsOf(run.list, s.key)) {
          for (const f of s.fields) {
            if (row[f.key] !== null) continue;
            const path = `${s.wire}[${row.position}].${f.wire}`;
            if (!skipped(run, path)) emit(run, r, path, { label: f.label });
          }
        }
      }
    };
  };
}

/** Every (section, field) pair of the interface that satisfies `pred`. */
function allFields(pred: (f: FieldSpec) => boolean): {
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
function pathOf(spec: FieldSpec, section: string | null, position: number): string {
  return section === null ? `setlinfo.${spec.wire}` : `${section}[${position}].${spec.wire}`;
}

/**
 * Applies `test` to every non-null value of the selected fields, with the section (null for
 * setlinfo) and row position from which `pathOf` builds the path when a finding is reported.
 */
function eachValue(
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

const FACTORIES: Partial<Record<QcCheckKind, Factory>> = {
  length: (r) => {
    const sel = allFields((f) => f.kind === "C" && f.len !== undefined);
    return (run) =>
      eachValue(sel, run, (spec, v, section, position) => {
        const s = v as string;
        if (s.length > (spec.len as number)) {
          emit(run, r, pathOf(spec, section, position), {
            label: spec.label,
            length: s.length,
            max: spec.len as number,
            value: showValue(s),
          });
        }
      });
  },

  pattern: (r) => {
    const raw = param(r.rule, "checks");
    if (!Array.isArray(raw)) bad(r.rule, "checks", "数组 [{fields, regex, format}]");
    const checks = raw.map((c: unknown) => {
      const o = c as Record<string, unknown>;
      if (
        typeof o !== "object" ||
        o === null ||
        typeof o.regex !== "string" ||
        typeof o.format !== "string"
      ) {
        bad(r.rule, "checks", "数组 [{fields, regex, format}]");
      }
      if (!Array.isArray(o.fields)) bad(r.rule, "checks.fields", "字段路径数组");
      let regex: RegExp;
      try {
        regex = new RegExp(o.regex);
      } catch {
        bad(r.rule, "checks.regex", "合法的正则表达式");
      }
      return { regex, format: o.format, refs: o.fields.map((p: unknown) => fieldRef(r.rule, String(p))) };
    });
    return (run) => {
      for (const c of checks) {
        for (const ref of c.refs) {
          if (ref.section === "setlinfo") {
            const v = infoValue(run.list, ref);
            if (typeof v === "string" && !c.regex.test(v)) {
              emit(run, r, ref.path, { label: ref.spec.label, format: c.format, value: showValue(v) });
            }
          } else {
            for (const row of rowsOf(run.list, ref.sectionKey)) {
              const v = row[ref.spec.key];
              if (typeof v === "string" && !c.regex.test(v)) {
                emit(run, r, `${ref.section}[${row.position}].${ref.spec.wire}`, {
                  label: ref.spec.label,
                  format: c.format,
                  value: showValue(v),
                });
              }
            }
          }
        }
      }
    };
  },

  required: requiredFactory("always"),
  required4101: requiredFactory("4101"),

  ageRequired: (r) => (run) => {
    const years = run.facts.computedAgeYears;
    if (years === null) return;
    const info = run.list.info;
    if (years >= 1 && info.age === null && !skipped(run, "setlinfo.age")) {
      emit(run, r, "setlinfo.age", { label: "年龄(岁)", condition: `已满 1 周岁（${years} 岁）` });
    } else if (years < 1 && info.nwbAge === null && !skipped(run, "setlinfo.nwb_age")) {
      emit(run, r, "setlinfo.nwb_age", {
        label: "年龄不足1周岁的年龄(天)",
        condition: `不足 1 周岁（${run.facts.computedAgeDays} 天）`,
      });
    }
  },

  conditionalRequired: (r, env) => {
    const when = setlinfoRef(r.rule, strParam(r.rule, "when"));
    const values = new Set(strArrayParam(r.rule, "in"));
    const require = strArrayParam(r.rule, "require").map((p) => setlinfoRef(r.rule, p));
    const names = when.spec.dict !== undefined ? env.tables.get(when.spec.dict) : undefined;
    return (run) => {
      const v = infoValue(run.list, when);
      if (typeof v !== "string" || !values.has(v)) return;
      for (const ref of require) {
        if (infoValue(run.list, ref) === null && !skipped(run, ref.path)) {
          emit(run, r, ref.path, {
            label: ref.spec.label,
            whenLabel: when.spec.label,
            whenValue: v,
            whenName: names?.get(v) ?? v,
          });
        }
      }
    };
  },

  codeTable: (r, env) => {
    const sel = allFields((f) => f.dict !== undefined);
    const tables = new Map<string, ReadonlyMap<string, string>>();
    for (const f of [...sel.setl.map((x) => x.spec), ...sel.rows.flatMap((s) => s.fields)]) {
      const t = env.tables.get(f.dict as string);
      if (t === undefined) throw new QcConfigError(`代码表版本 ${env.set.version} 缺少代码表 ${f.dict}`);
      tables.set(f.dict as string, t);
    }
    return (run) =>
      eachValue(sel, run, (spec, v, section, position) => {
        const table = tables.get(spec.dict as string) as ReadonlyMap<string, string>;
        const s = v as string;
        const ok =
          spec.joinedBy === undefined ? table.has(s) : s.split(spec.joinedBy).every((x) => table.has(x));
        if (!ok) {
          emit(run, r, pathOf(spec, section, position), {
            label: spec.label,
            value: showValue(s),
            table: spec.dict as string,
            tableName: env.set.tables[spec.dict as string]?.name ?? (spec.dict as string),
          });
        }
      });
  },

  diagnosisMapped: (r) => {
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    return (run) => {
      const conv = diagnosisConversions(run);
      run.list.diagnoses.forEach((d, i) => {
        const c = conv[i];
        if (c?.outcome === "mapped" && types.has(d.diagType ?? "")) {
          emit(run, r, `diseinfo[${d.position}].diag_code`, {
            value: c.from,
            mapped: c.code,
            name: run.codes.diagnosisMap.dictionary.name(c.code) ?? "",
          });
        }
      });
    };
  },

  diagnosisUnmapped: (r) => {
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    return (run) => {
      const conv = diagnosisConversions(run);
      run.list.diagnoses.forEach((d, i) => {
        const c = conv[i];
        if (c?.outcome === "unmapped" && types.has(d.diagType ?? "")) {
          emit(run, r, `diseinfo[${d.position}].diag_code`, { value: showValue(c.from) });
        }
      });
    };
  },

  procedureMapped: (r) => (run) => {
    const conv = procedureConversions(run);
    run.list.procedures.forEach((p, i) => {
      const c = conv[i];
      if (c?.outcome === "mapped") {
        emit(run, r, `oprninfo[${p.position}].oprn_oprt_code`, {
          value: c.from,
          mapped: c.code,
          name: run.codes.procedureMap.dictionary.name(c.code) ?? "",
        });
      }
    });
  },

  procedureUnmapped: (r) => (run) => {
    const conv = procedureConversions(run);
    run.list.procedures.forEach((p, i) => {
      const c = conv[i];
      if (c?.outcome === "unmapped") {
        emit(run, r, `oprninfo[${p.position}].oprn_oprt_code`, { value: showValue(c.from) });
      }
    });
  },

  principalDiagnosisCount: (r) => {
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    return (run) => {
      if (run.list.diagnoses.length === 0) return;
      let count = 0;
      let second: Diagnosis | undefined;
      for (const d of run.list.diagnoses) {
        if (d.maindiagFlag === PRINCIPAL_FLAG && types.has(d.diagType ?? "")) {
          count++;
          if (count === 2) second = d;
        }
      }
      if (count === 1) return;
      emit(run, r, second ? `diseinfo[${second.position}].maindiag_flag` : "diseinfo", { count });
    };
  },

  asteriskPrincipal: (r) => (run) => {
    const code = run.facts.principal?.diagCode;
    if (code && code.includes("*") && !code.includes("+")) {
      emit(run, r, `diseinfo[${run.facts.principal?.position}].diag_code`, { value: showValue(code) });
    }
  },

  externalCausePrincipal: (r) => {
    const ranges = rangesParam(r.rule, "ranges");
    return (run) => {
      const p = run.facts.principal;
      if (p === undefined || p.diagCode === null) return;
      const code = effectiveCode(
        diagnosisConversions(run)[run.list.diagnoses.indexOf(p)] ?? null,
        p.diagCode,
      );
      const range = code === null ? undefined : inRanges(code, ranges);
      if (code !== null && range) {
        emit(run, r, `diseinfo[${p.position}].diag_code`, {
          value: showValue(p.diagCode),
          name: p.diagName ?? "",
          range: range.text,
        });
      }
    };
  },

  sexSpecificDiagnosis: (r, env) => {
    const sex = strParam(r.rule, "sex");
    const kind = strParam(r.rule, "kind", "性别专用");
    const ranges = rangesParam(r.rule, "ranges");
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    const sexName = env.tables.get("gend")?.get(sex) ?? sex;
    return (run) => {
      if (run.list.info.gend !== sex) return;
      const conv = diagnosisConversions(run);
      run.list.diagnoses.forEach((d, i) => {
        if (!types.has(d.diagType ?? "")) return;
        const code = effectiveCode(conv[i] ?? null, d.diagCode);
        const range = code === null ? undefined : inRanges(code, ranges);
        if (range) {
          emit(run, r, `diseinfo[${d.position}].diag_code`, {
            value: showValue(d.diagCode),
            name: d.diagName ?? "",
            kind,
            range: range.text,
            sexName,
          });
        }
      });
    };
  },

  ageSpecificDiagnosis: (r) => {
    const kind = strParam(r.rule, "kind", "年龄专用");
    const ranges = rangesParam(r.rule, "ranges");
    const min = optNumParam(r.rule, "minAgeDays");
    const max = optNumParam(r.rule, "maxAgeDays");
    if (min === undefined && max === undefined) bad(r.rule, "minAgeDays/maxAgeDays", "至少给出一个的天数");
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    const limit = `${min ?? 0}–${max === undefined ? "" : `${max} 天`}`;
    return (run) => {
      const days = run.facts.ageDays;
      if (days === null) return;
      if ((min === undefined || days >= min) && (max === undefined || days <= max)) return;
      const conv = diagnosisConversions(run);
      run.list.diagnoses.forEach((d, i) => {
        if (!types.has(d.diagType ?? "")) return;
        const code = effectiveCode(conv[i] ?? null, d.diagCode);
        const range = code === null ? undefined : inRanges(code, ranges);
        if (range) {
          emit(run, r, `diseinfo[${d.position}].diag_code`, {
            value: showValue(d.diagCode),
            name: d.diagName ?? "",
            kind,
            range: range.text,
            age: ageText(days),
            limit,
          });
        }
      });
    };
  },

  principalProcedure: (r) => {
    const principalType = strParam(r.rule, "principalType", PRINCIPAL_PROCEDURE_TYPE);
    return (run) => {
      const procs = run.list.procedures;
      if (procs.length === 0) return;
      const principals = procs.filter((p) => p.oprnOprtType === principalType);
      if (principals.length === 0) {
        emit(run, r, "oprninfo", { principalType, detail: "没有主要手术操作" });
      } else if (principals.length > 1) {
        const second = principals[1] as (typeof principals)[number];
        emit(run, r, `oprninfo[${second.position}].oprn_oprt_type`, {
          principalType,
          detail: `共有 ${principals.length} 条主要手术操作`,
        });
      } else {
        const p = principals[0] as (typeof principals)[number];
        if (p.position !== 0) {
          emit(run, r, `oprninfo[${p.position}].oprn_oprt_type`, {
            principalType,
            detail: `主要手术操作排在第 ${p.position + 1} 条`,
          });
        }
      }
    };
  },

  diagnosisCount: (r) => (run) => {
    const n = run.list.info.diagCodeCnt;
    if (n !== null && n !== run.list.diagnoses.length) {
      emit(run, r, "setlinfo.diag_code_cnt", { value: n, count: run.list.diagnoses.length });
    }
  },

  procedureCount: (r) => (run) => {
    const n = run.list.info.oprnOprtCodeCnt;
    if (n !== null && n !== run.list.procedures.length) {
      emit(run, r, "setlinfo.oprn_oprt_code_cnt", { value: n, count: run.list.procedures.length });
    }
  },

  dateOrder: (r) => {
    const raw = param(r.rule, "pairs");
    if (!Array.isArray(raw)) bad(r.rule, "pairs", "字段路径对数组");
    const pairs = raw.map((p: unknown) => {
      if (!Array.isArray(p) || p.length !== 2) bad(r.rule, "pairs", "字段路径对数组");
      const [a, b] = p.map((x) => setlinfoRef(r.rule, String(x))) as [FieldRef, FieldRef];
      for (const x of [a, b])
        if (x.spec.kind !== "D" && x.spec.kind !== "T") bad(r.rule, "pairs", "日期字段对");
      return { a, b };
    });
    return (run) => {
      for (const { a, b } of pairs) {
        const va = infoValue(run.list, a) as string | null;
        const vb = infoValue(run.list, b) as string | null;
        if (va === null || vb === null) continue;
        const later = va.length === vb.length ? va > vb : va.slice(0, 10) > vb.slice(0, 10);
        if (later)
          emit(run, r, b.path, { aLabel: a.spec.label, a: show(va), bLabel: b.spec.label, b: show(vb) });
      }
    };
  },

  actualStayDays: (r) => {
    const sameDay = numParam(r.rule, "sameDayDays", 1);
    const tolerance = numParam(r.rule, "toleranceDays", 0);
    return (run) => {
      const { admDay, dscgDay } = run.facts;
      const v = run.list.info.actIptDays;
      if (v === null || admDay === null || dscgDay === null || dscgDay < admDay) return;
      const expected = dscgDay === admDay ? sameDay : dscgDay - admDay;
      if (Math.abs(v - expected) > tolerance) {
        emit(run, r, "setlinfo.act_ipt_days", {
          value: v,
          expected,
          adm: dayToIso(admDay),
          dscg: dayToIso(dscgDay),
        });
      }
    };
  },

  notAfterUpload: (r) => {
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    for (const x of refs) if (x.spec.kind !== "D" && x.spec.kind !== "T") bad(r.rule, "fields", "日期字段");
    return (run) => {
      for (const ref of refs) {
        const v = infoValue(run.list, ref) as string | null;
        if (v !== null && dayNumber(v) > run.todayDay) {
          emit(run, r, ref.path, { label: ref.spec.label, value: show(v), today: run.todayIso.slice(0, 10) });
        }
      }
    };
  },

  procedureDateInStay: (r) => (run) => {
    const { admDay, dscgDay } = run.facts;
    if (admDay === null || dscgDay === null) return;
    for (const p of run.list.procedures) {
      if (p.oprnOprtDate === null) continue;
      const d = dayNumber(p.oprnOprtDate);
      if (d < admDay || d > dscgDay) {
        emit(run, r, `oprninfo[${p.position}].oprn_oprt_date`, {
          value: p.oprnOprtDate,
          adm: dayToIso(admDay),
          dscg: dayToIso(dscgDay),
        });
      }
    }
  },

  ageYears: (r) => (run) => {
    const info = run.list.info;
    const expected = run.facts.computedAgeYears;
    if (info.age === null || expected === null || info.brdy === null) return;
    const given = Math.floor(info.age);
    if (given === expected) return;
    if (info.dscgTime !== null && info.dscgTime >= info.brdy && given === fullYears(info.brdy, info.dscgTime))
      return;
    emit(run, r, "setlinfo.age", { value: info.age, expected, brdy: info.brdy });
  },

  ageDays: (r) => {
    const tolerance = numParam(r.rule, "toleranceDays", 0);
    return (run) => {
      const info = run.list.info;
      const expected = run.facts.computedAgeDays;
      if (info.nwbAge === null || expected === null || info.brdy === null) return;
      if (Math.abs(info.nwbAge - expected) > tolerance) {
        emit(run, r, "setlinfo.nwb_age", { value: info.nwbAge, expected, brdy: info.brdy });
      }
    };
  },

  newbornWeightRequired: (r) => {
    const max = numParam(r.rule, "maxAgeDays");
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    return (run) => {
      const days = run.facts.ageDays;
      if (days === null || days < 0 || days > max) return;
      for (const ref of refs) {
        if (infoValue(run.list, ref) === null && !skipped(run, ref.path)) {
          emit(run, r, ref.path, { label: ref.spec.label, days, max });
        }
      }
    };
  },

  newbornWeightRange: (r) => {
    const min = numParam(r.rule, "minGrams");
    const max = numParam(r.rule, "maxGrams");
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    return (run) => {
      for (const ref of refs) {
        const v = infoValue(run.list, ref);
        if (typeof v === "number" && (v < min || v > max))
          emit(run, r, ref.path, { label: ref.spec.label, value: v, min, max });
      }
    };
  },

  itemSum: (r, env) => {
    const names = env.tables.get("med_chrgitm");
    return (run) => {
      for (const it of run.list.feeItems) {
        const { amt, claaSumfee, clabAmt, fulamtOwnpayAmt, othAmt } = it;
        if (
          amt === null ||
          claaSumfee === null ||
          clabAmt === null ||
          fulamtOwnpayAmt === null ||
          othAmt === null
        ) {
          continue;
        }
        const sum = claaSumfee + clabAmt + fulamtOwnpayAmt + othAmt;
        if (sum !== amt) {
          emit(run, r, `iteminfo[${it.position}].amt`, {
            category: it.medChrgitm === null ? "" : (names?.get(it.medChrgitm) ?? it.medChrgitm),
            amt: formatFen(amt),
            a: formatFen(claaSumfee),
            b: formatFen(clabAmt),
            c: formatFen(fulamtOwnpayAmt),
            d: formatFen(othAmt),
            sum: formatFen(sum),
          });
        }
      }
    };
  },

  /**
   * A money identity over named terms, `sum(left) = sum(right)` within `toleranceFen`:
   * - `fee_total`: the sum of `iteminfo[].amt` (医疗费用总额);
   * - `fund_total`: the sum of `payinfo[].fund_payamt` except the fund types in
   *   `excludeFundPayTypes` (e.g. 310200, the personal account, already counted as `acct_pay`);
   * - any money field of setlinfo by wire name (`psn_selfpay`, `psn_ownpay`, `acct_pay`, `psn_cashpay`).
   * The rule is skipped when a term is missing (the list or the money rows are absent).
   */
  moneyIdentity: (r) => {
    const moneyFields = new Map<string, FieldSpec>(
      (SETLINFO_FIELDS as readonly FieldSpec[]).filter((f) => f.kind === "M").map((f) => [f.wire, f]),
    );
    const termLabel = (t: string): string => {
      if (t === "fee_total") return "医疗费用总额（收费项目金额合计）";
      if (t === "fund_total") return "基金支付合计";
      const f = moneyFields.get(t);
      if (f === undefined)
        bad(r.rule, "left/right", `金额项（fee_total、fund_total 或 ${[...moneyFields.keys()].join("、")}）`);
      return f.label;
    };
    const terms = (key: string) =>
      strArrayParam(r.rule, key).map((t) => ({ t, label: termLabel(t), key: moneyFields.get(t)?.key }));
    const left = terms("left");
    const right = terms("right");
    const exclude = new Set(strArrayParam(r.rule, "excludeFundPayTypes", []));
    const tolerance = numParam(r.rule, "toleranceFen", 0);
    const field = strParam(r.rule, "field", "setlinfo");
    const value = (run: Run, term: { t: string; key: string | undefined }): number | null => {
      if (term.t === "fee_total") {
        if (run.list.feeItems.length === 0) return null;
        let s = 0;
        for (const it of run.list.feeItems) {
          if (it.amt === null) return null;
          s += it.amt;
        }
        return s;
      }
      if (term.t === "fund_total") {
        if (run.list.fundPayments.length === 0) return null;
        let s = 0;
        for (const p of run.list.fundPayments) {
          if (p.fundPayType !== null && exclude.has(p.fundPayType)) continue;
          if (p.fundPayamt === null) return null;
          s += p.fundPayamt;
        }
        return s;
      }
      return (run.list.info as unknown as Record<string, number | null>)[term.key as string] ?? null;
    };
    const side = (run: Run, ts: typeof left): { sum: number; text: string } | null => {
      let sum = 0;
      const parts: string[] = [];
      for (const t of ts) {
        const v = value(run, t);
        if (v === null) return null;
        sum += v;
        parts.push(`${t.label} ${formatFen(v)} 元`);
      }
      return {
        sum,
        text: parts.length > 1 ? `${parts.join(" + ")} = ${formatFen(sum)} 元` : (parts[0] ?? "0"),
      };
    };
    return (run) => {
      const l = side(run, left);
      const rt = l === null ? null : side(run, right);
      if (l === null || rt === null) return;
      const diff = Math.abs(l.sum - rt.sum);
      if (diff > tolerance) emit(run, r, field, { left: l.text, right: rt.text, diff: formatFen(diff) });
    };
  },

  uploadDeadline: (r) => {
    const deadline = numParam(r.rule, "deadlineDays");
    return (run) => {
      const end = run.facts.setlEndDay;
      if (end === null) return;
      const days = run.todayDay - end;
      if (days > deadline) {
        emit(run, r, "setlinfo.setl_end_date", {
          value: dayToIso(end),
          today: run.todayIso.slice(0, 10),
          days,
          deadline,
        });
      }
    };
  },

  uploadDeadlineNear: (r) => {
    const deadline = numParam(r.rule, "deadlineDays");
    const warn = numParam(r.rule, "warnDaysBefore");
    return (run) => {
      const end = run.facts.setlEndDay;
      if (end === null) return;
      const left = deadline - (run.todayDay - end);
      if (left >= 0 && left <= warn) {
        emit(run, r, "setlinfo.setl_end_date", {
          value: dayToIso(end),
          deadline,
          due: dayToIso(end + deadline),
          left,
        });
      }
    };
  },

  idCardChecksum: (r) => {
    const types = new Set(strArrayParam(r.rule, "certTypes"));
    return (run) => {
      const { patnCertType, certno } = run.list.info;
      if (patnCertType === null || certno === null || !types.has(patnCertType)) return;
      const reason = idCardProblem(certno);
      if (reason !== null) emit(run, r, "setlinfo.certno", { value: showValue(certno), reason });
    };
  },

  idCardConsistency: (r, env) => {
    const types = new Set(strArrayParam(r.rule, "certTypes"));
    const gend = env.tables.get("gend");
    return (run) => {
      const { patnCertType, certno, brdy, gend: sex } = run.list.info;
      if (
        patnCertType === null ||
        certno === null ||
        !types.has(patnCertType) ||
        idCardProblem(certno) !== null
      )
        return;
      const birth = idCardBirthDate(certno) as string;
      if (brdy !== null && birth !== brdy) {
        emit(run, r, "setlinfo.brdy", { certno, label: "出生日期", idValue: birth, value: brdy });
      }
      const idSex = idCardSex(certno);
      if (isKnownSex(sex) && sex !== idSex) {
        emit(run, r, "setlinfo.gend", {
          certno,
          label: "性别",
          idValue: gend?.get(idSex) ?? idSex,
          value: gend?.get(sex) ?? sex,
        });
      }
    };
  },
};

// ---- compilation -----------------------------------------------------------------------------

const cache = new WeakMap<QcRuleSet, WeakMap<CodeTableSet, Map<QcMode, CompiledQcRules>>>();

/**
 * Compiles (once; cached) a rule set with a code-table edition for one mode. Throws
 * `QcConfigError` when a rule's parameters are invalid: a configuration error is found when the
 * operator loads the rules, never while checking lists.
 */
export function compileQcRules(ruleSet: QcRuleSet, codeTables: CodeTableSet, mode: QcMode): CompiledQcRules {
  let byTables = cache.get(ruleSet);
  if (byTables === undefined) {
    byTables = new WeakMap();
    cache.set(ruleSet, byTables);
  }
  let byMode = byTables.get(codeTables);
  if (byMode === undefined) {
    byMode = new Map();
    byTables.set(codeTables, byMode);
  }
  let c = byMode.get(mode);
  if (c === undefined) {
    c = build(ruleSet, codeTables, mode);
    byMode.set(mode, c);
  }
  return c;
}

function build(ruleSet: QcRuleSet, codeTables: CodeTableSet, mode: QcMode): CompiledQcRules {
  const tables = compileCodeTables(codeTables);
  const env: Env = { tables, set: codeTables };
  const parse: Partial<Record<QcCheckKind, CompiledRule>> = {};
  const checks: CheckFn[] = [];
  for (const rule of ruleSet.rules) {
    if (rule.enabled === false) continue;
    if (rule.modes !== undefined && !rule.modes.includes(mode)) continue;
    const compiled: CompiledRule = {
      rule,
      id: rule.id,
      severity: rule.severityByMode?.[mode] ?? rule.severity,
      template: compileTemplate(rule.message),
    };
    if (PARSE_PHASE_KINDS.has(rule.check)) {
      if (parse[rule.check] === undefined) parse[rule.check] = compiled;
      continue;
    }
    const factory = FACTORIES[rule.check];
    if (factory === undefined) throw new QcConfigError(`质控规则 ${rule.id} 的检查类型 ${rule.check} 未知`);
    checks.push(factory(compiled, env));
  }
  return { ruleSet, codeTables, tables, mode, parse, checks };
}
