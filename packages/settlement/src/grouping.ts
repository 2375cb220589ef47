/** From a settlement list to the grouper's input (分组病例). */

import type { GroupingRecord, Sex } from "@yibao/grouper";
import { isKnownSex } from "@yibao/kernel/sex";
import type { CodeMaps } from "./compile.js";
import { computeFacts, WESTERN_DIAG_TYPE } from "./compile.js";
import type { SettlementList } from "./model.js";

function mapped(map: CodeMaps["diagnosisMap"] | undefined, code: string): string {
  if (map === undefined) return code;
  const c = map.convert(code);
  return c.outcome === "unmapped" ? code : c.code;
}

/**
 * The grouping record of a list:
 * - `id`: 结算ID (else 就诊ID);
 * - `sex`: gend `1`/`2`, `""` for anything else;
 * - `ageYears`: the 年龄 field (completed years), else computed from 出生日期 and 入院时间;
 * - `ageDays`: for patients under one year, 年龄不足1周岁的天数, else computed from the dates;
 * - `birthWeight`: 新生儿出生体重 (g);
 * - `los`: 实际住院天数, else discharge day − admission day (at least 1);
 * - `dept`: 出院科别; `dischargeWay`: 离院方式;
 * - `diagnoses`: the western diagnoses (diag_type 1), principal first; `procedures`: principal first;
 *   codes converted to the insurance version with the scheme's maps when a scheme is given
 *   (codes that cannot be mapped are passed unchanged; the grouper does not know them).
 */
export function toGroupingRecord(list: SettlementList, scheme?: CodeMaps): GroupingRecord {
  const info = list.info;
  const facts = computeFacts(list);
  const sex: Sex = isKnownSex(info.gend) ? info.gend : "";
  let ageYears: number | null = info.age !== null ? Math.floor(info.age) : facts.computedAgeYears;
  let ageDays: number | null = null;
  if (ageYears === null && info.nwbAge !== null) ageYears = 0;
  if (ageYears !== null && ageYears < 1) {
    ageDays =
      info.nwbAge ??
      (facts.computedAgeDays !== null && facts.computedAgeDays >= 0 ? facts.computedAgeDays : null);
  }
  let los = info.actIptDays;
  if (los === null) {
    los = facts.admDay !== null && facts.dscgDay !== null ? Math.max(1, facts.dscgDay - facts.admDay) : 0;
  }
  const diagnoses: string[] = [];
  for (const d of list.diagnoses) {
    if (d.diagType === WESTERN_DIAG_TYPE && d.diagCode !== null)
      diagnoses.push(mapped(scheme?.diagnosisMap, d.diagCode));
  }
  const procedures: string[] = [];
  for (const p of list.procedures) {
    if (p.oprnOprtCode !== null) procedures.push(mapped(scheme?.procedureMap, p.oprnOprtCode));
  }
  return {
    id: info.setlId ?? info.mdtrtId ?? "",
    sex,
    ageYears,
    ageDays,
    birthWeight: info.nwbBirWt,
    dept: info.dscgCaty ?? "",
    los,
    dischargeWay: info.dscgWay ?? "",
    diagnoses,
    procedures,
  };
}
