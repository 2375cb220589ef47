/**
 * The audit's view of one inpatient stay (审核病例) and of its findings (审核结果).
 * Money is integer fen (分); dates are ISO `YYYY-MM-DD`; day numbers count days since 1970-01-01.
 */

import type { GroupingRecord, GroupStatus } from "@yibao/grouper";
import type { DetailItem } from "@yibao/settlement";

/** One 医疗收费项目类别 line of the list (iteminfo), in fen. */
export interface FeeCategory {
  /** med_chrgitm, e.g. `06` 手术费. */
  readonly category: string;
  /** 金额 of the category (fen). The 甲类/乙类/全自费 split stays in the stored list: no check reads it
   * per category, and a year of a region's stays holds ten of these each. */
  readonly amount: number;
}

/** 费用明细 (detail item): the settlement package's, one definition for the audit and the generator. */
export type { DetailItem } from "@yibao/settlement";

/** The grouping as stored with the stay (分组结果). */
export interface StayGroup {
  readonly status: GroupStatus;
  readonly drg: string;
  readonly mdc: string | null;
  readonly adrg: string | null;
}

/** 审核病例: one settled inpatient stay as the audit sees it. */
export interface AuditStay {
  /** 结算ID. */
  readonly id: string;
  /** 参保人 identifier (证件号码 or 医保编号): readmissions are found per person. */
  readonly personId: string;
  /** 定点医疗机构编码. */
  readonly hospitalId: string;
  /** 医保结算等级 (hi_setl_lv). */
  readonly hospitalLevel: string;
  /** 出院科别. */
  readonly deptCode: string;
  /** 主诊医师代码. */
  readonly physicianCode: string;
  readonly admissionDate: string;
  readonly dischargeDate: string;
  /**
   * 入院时间 and 出院时间 on those dates (`HH:MM:SS`), when the list gives them: the payment policy's
   * 住院不足24小时 family needs them, so that the audit prices a stay as settlement paid it.
   */
  readonly admissionTime?: string;
  readonly dischargeTime?: string;
  readonly admissionDay: number;
  readonly dischargeDay: number;
  /** 实际住院天数. */
  readonly los: number;
  /** The grouping record (codes, age, sex) the stay was grouped with. */
  readonly record: GroupingRecord;
  readonly group: StayGroup;
  /**
   * The id of the scheme that grouped the stay (分组方案), when the region has several by date: the
   * coding checks regroup and read CC/MCC levels under that scheme.
   */
  readonly schemeId?: string;
  /** 医疗总费用. */
  readonly totalCost: number;
  /** 个人负担 as settled (total − fund payments). */
  readonly patientShare: number;
  /** 个人自费 (psn_ownpay). */
  readonly ownPay: number;
  readonly fees: readonly FeeCategory[];
  /**
   * 出院31天内再住院计划 (days_rinp_flag_31 = 2) declared on THIS list: the next admission within
   * 31 days is planned.
   */
  readonly readmissionPlanned: boolean;
  /** 费用明细, when available. */
  readonly details?: readonly DetailItem[];
  /** 入院前门诊费用 (fen) in the days before admission, when the outpatient data is linked. */
  readonly outpatientBeforeAdmission?: number;
}

/** 违规类型 and their Chinese names: the kernel's one definition. */
export { VIOLATION_TYPE_NAMES, VIOLATION_TYPES, type ViolationType } from "@yibao/kernel/enums";

/** 审核结论: a policy-rule hit is a clear violation, a reasonable-use hit is suspicious. */
export type Outcome = "明确违规" | "可疑";

/** One piece of evidence (证据): Chinese text with structured fields. */
export interface Evidence {
  readonly text: string;
  readonly fields: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}
