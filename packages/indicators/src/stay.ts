/**
 * The input of the indicators: one settled inpatient stay (住院结算病例摘要), already grouped and
 * priced, with its settlement list status; and its validation.
 */

import type { GroupStatus } from "@yibao/grouper";
import { GROUP_STATUSES } from "@yibao/kernel/enums";

/** 离院方式 code 5 (死亡) of the national code table dscg_way. */
export const DEATH_DISCHARGE_WAY = "5";

/** 病例摘要: what the indicators need to know about one settled stay. Money is integer fen (分). */
export interface StaySummary {
  /** 结算ID (setl_id): identifies the stay in error reports. */
  readonly setlId: string;
  /** 定点医疗机构代码. */
  readonly hospital: string;
  /** 出院科别. */
  readonly department: string;
  /** 主诊医师代码 (医保医师代码). */
  readonly physician: string;
  /** 人员编号 (psn_no): links stays of the same person for readmissions. */
  readonly personId: string;
  /** DRG code, `xQY` for ambiguous groups, `0000` when not grouped. */
  readonly drg: string;
  /** 分组状态 from the grouper. */
  readonly groupStatus: GroupStatus;
  /**
   * 分组方案: the scheme edition that grouped the stay, when the region has several. A DRG code of
   * one edition is not the group of the same code in another: region baselines and low-risk groups
   * are per scheme and code (`drgGroupKey`).
   */
  readonly schemeId?: string | undefined;
  /** 相对权重 (RW) of the stay's DRG when already known; otherwise `weights(drg)` is asked. */
  readonly rw?: number | undefined;
  /** 医疗总费用 (分). */
  readonly totalCostFen: number;
  /** 医保基金支付 (分). */
  readonly fundPayFen: number;
  /** 个人负担 (分): what the patient paid, cash and personal account (= 总费用 − 基金支付 usually). */
  readonly patientShareFen: number;
  /** DRG 支付标准 (分) of the stay (病组付费金额, all parts), when the stay was paid by DRG. */
  readonly drgPaymentFen?: number | undefined;
  /** 住院天数. */
  readonly los: number;
  /** 入院日期 yyyy-MM-dd. */
  readonly admDate: string;
  /** 出院日期 yyyy-MM-dd. */
  readonly dscgDate: string;
  /** 离院方式 (dscg_way): 1 医嘱离院, 2 医嘱转院, 3 转社区, 4 非医嘱离院, 5 死亡, 9 其他. */
  readonly dischargeWay: string;
  /**
   * 出院31天内再住院计划 (days_rinp_flag_31 = 有) on THIS stay: the next admission of the person
   * within 31 days is planned, so it does not count as a readmission of this stay.
   */
  readonly plannedReadmission: boolean;
  /** 统计期 yyyy-MM (结算月份). */
  readonly period: string;
  /** 审核发现问题数. */
  readonly auditFindings?: number | undefined;
  /** 追回金额 (分). */
  readonly recoveredFen?: number | undefined;
  /**
   * 清单按时上传: false for a settlement whose list did not arrive within the time limit (8 days
   * after settlement in Shenyang). Such a stay counts only in the upload rate's denominator (and as a
   * readmission of an earlier stay); every list-based indicator ignores it. Default true.
   */
  readonly listUploaded?: boolean | undefined;
  /** 清单质控通过: true passed, false failed, undefined no QC result. */
  readonly qcPassed?: boolean | undefined;
}

/** A stay that was left out of the computation (数据错误), with the field and the rule it broke. */
export interface StayError {
  readonly setlId: string;
  readonly field: string;
  /** Chinese message. */
  readonly message: string;
}

/**
 * Days since 1970-01-01 of an ISO date `yyyy-MM-dd`, or null when the text is not a real date;
 * `isPeriod`: a statistical period `yyyy-MM`. Both are `@yibao/kernel/calendar`'s.
 */
import { parseDayNumber as dayNumber, isPeriod } from "@yibao/kernel/calendar";

export { dayNumber, isPeriod };

function err(s: StaySummary, field: string, message: string): StayError {
  return { setlId: String(s.setlId), field, message };
}

const STATUSES = new Set<string>(GROUP_STATUSES);

function isFen(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Checks one stay; returns the first broken rule, or null. `adm` and `dscg` receive the day numbers
 * of the admission and discharge dates when the stay is valid.
 */
export function checkStay(s: StaySummary, days: { adm: number; dscg: number }): StayError | null {
  if (typeof s.setlId !== "string" || s.setlId === "") return err(s, "setlId", "结算ID为空");
  if (typeof s.personId !== "string" || s.personId === "") return err(s, "personId", "人员编号为空");
  if (!STATUSES.has(s.groupStatus)) return err(s, "groupStatus", `分组状态无效: ${String(s.groupStatus)}`);
  if (!isFen(s.totalCostFen)) return err(s, "totalCostFen", "医疗总费用必须是非负整数(分)");
  if (!isFen(s.fundPayFen)) return err(s, "fundPayFen", "基金支付必须是非负整数(分)");
  if (!isFen(s.patientShareFen)) return err(s, "patientShareFen", "个人负担必须是非负整数(分)");
  if (s.drgPaymentFen !== undefined && !isFen(s.drgPaymentFen))
    return err(s, "drgPaymentFen", "DRG支付标准必须是非负整数(分)");
  if (s.recoveredFen !== undefined && !isFen(s.recoveredFen))
    return err(s, "recoveredFen", "追回金额必须是非负整数(分)");
  if (s.auditFindings !== undefined && !(Number.isSafeInteger(s.auditFindings) && s.auditFindings >= 0))
    return err(s, "auditFindings", "审核发现问题数必须是非负整数");
  if (s.rw !== undefined && !(Number.isFinite(s.rw) && s.rw >= 0))
    return err(s, "rw", "权重必须是非负有限数");
  if (!(Number.isFinite(s.los) && s.los >= 0)) return err(s, "los", "住院天数必须是非负数");
  const adm = dayNumber(s.admDate);
  if (adm === null) return err(s, "admDate", `入院日期不是有效的 yyyy-MM-dd 日期: ${String(s.admDate)}`);
  const dscg = dayNumber(s.dscgDate);
  if (dscg === null) return err(s, "dscgDate", `出院日期不是有效的 yyyy-MM-dd 日期: ${String(s.dscgDate)}`);
  if (dscg < adm) return err(s, "dscgDate", "出院日期早于入院日期");
  if (!isPeriod(s.period)) return err(s, "period", `统计期不是 yyyy-MM: ${String(s.period)}`);
  days.adm = adm;
  days.dscg = dscg;
  return null;
}

/**
 * The key of a stay's group for baselines, low-risk groups and the count of groups: the DRG code,
 * prefixed by the scheme (`scheme/DRG`) when the stay names one (no DRG code holds a slash).
 */
export function drgGroupKey(s: Pick<StaySummary, "drg" | "schemeId">): string {
  return s.schemeId ? `${s.schemeId}/${s.drg}` : s.drg;
}
