/**
 * The state of one list's check run (结算清单质控): the list, its code conversions, the facts derived
 * once (dates, ages, the principal diagnosis) and the findings reported so far.
 */
import type { CodeConversion, CodeVersionMap } from "@yibao/codes";
import { dayNumber, fullYears } from "../dates.js";
import type { Diagnosis, SettlementList } from "../model.js";
import type { QcFinding, QcRule, Severity } from "../rules.js";
import { type CompiledTemplate, renderTemplate, type TemplateVars } from "../template.js";

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

/**
 * A list's grouping outcome (分组结果) as the QC checks on it see it: whether it grouped, into which
 * DRG. `AMBIGUOUS` is an ambiguous group (歧义组 QY: the principal procedure does not belong to the
 * principal diagnosis's MDC).
 */
export interface GroupingOutcome {
  readonly status: string;
  readonly drg: string;
  readonly drgName: string;
}

/** Everything a list check needs for one list. */
export interface Run {
  /**
   * The list's grouping outcome under the scheme in force, computed on first use; null when the
   * context gives no grouper (then the checks on the grouping do not run).
   */
  readonly grouping: () => GroupingOutcome | null;
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
