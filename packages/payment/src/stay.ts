/** The stay to settle (住院病例), the hospital it is settled for, and the result of settling it (单病例结算结果). */

import type { CostSplit, PatientShare, PersonState, Treatment } from "./benefit.js";
import type { Fen, Ppm } from "./money.js";
import { SPECIAL_CASE_NAMES, type SpecialCaseFamily } from "./policy.js";

/** The DRG code of ungroupable cases (未入组). */
export const UNGROUPED = "0000";

/** A hospital as payment sees it (定点医疗机构). */
export interface HospitalInfo {
  readonly id: string;
  readonly name?: string;
  /** 医院等级 (key of the policy's level coefficients). */
  readonly level: string;
  /** 起付线类别 in the benefit policy (e.g. 主城区二级). */
  readonly benefitClass?: string;
}

/** 特病单议: approval and, optionally, the amount approved (fen; converted to points under the point method). */
export interface SpecialReview {
  readonly approved: boolean;
  readonly amount?: Fen;
}

/** One inpatient stay to settle (待结算病例), money in fen. */
export interface Stay {
  readonly id: string;
  readonly hospitalId: string;
  /** DRG code, `xQY` (歧义组) or `0000` (未入组). */
  readonly drg: string;
  /** 医疗总费用. */
  readonly totalCost: Fen;
  readonly admissionDate: string;
  /** 出院日期: selects the policy version. */
  readonly dischargeDate: string;
  /**
   * 入院时间 and 出院时间: clock times `HH:MM:SS` (or `HH:MM`) on the admission and discharge dates,
   * local time. Only the 住院不足24小时 rule reads them; without both it cannot fire.
   */
  readonly admissionTime?: string;
  readonly dischargeTime?: string;
  /** 离院方式 (code table dscg_way): 1 医嘱离院, 2 医嘱转院, 3 转社区, 4 非医嘱离院, 5 死亡, 9 其他. */
  readonly dischargeWay?: string;
  /** 住院天数; when absent, dischargeDate − admissionDate (at least 1). */
  readonly los?: number;
  /** 费用构成; required unless `patientShare` is given. Must sum to `totalCost`. */
  readonly costs?: CostSplit;
  readonly bedFee?: Fen;
  readonly bedDays?: number;
  /** 险种 (default 城乡居民). */
  readonly insurance?: string;
  readonly treatment?: Treatment;
  readonly fixedCase?: string | null;
  readonly person?: PersonState;
  /** 个人负担 as already settled (overrides the benefit-policy calculation). */
  readonly patientShare?: Fen;
  /** 新技术除外, approved (within the hospital's quota). */
  readonly newTechExclusion?: boolean;
  /** Item codes used in the stay that may be filed new technologies (新技术项目). */
  readonly newTechItems?: readonly string[];
  readonly specialReview?: SpecialReview;
  /**
   * The coding DIP groups by (DIP 入组信息): a stay of a hospital paid by DIP is priced by its DIP
   * group's points when the settlement context has a DIP pricing (`SettlementContextInput.dip`).
   */
  readonly dip?: DipCoding;
}

/** What a stay is grouped by under DIP (主要诊断 + 手术操作) and adjusted by (其他诊断、年龄, 辅助目录). */
export interface DipCoding {
  readonly principalDiagnosis: string;
  readonly procedures: readonly string[];
  readonly secondaryDiagnoses?: readonly string[];
  readonly ageYears?: number | null;
}

/**
 * A DIP pricing in a settlement context (DIP 病例定价): which hospitals it pays, and how it settles one
 * of their stays given the patient share the settlement computed (as it does for DRG stays).
 */
export interface DipStaySettler {
  /** True when `hospitalId` is paid by DIP for a stay discharged on `date`. */
  pays(hospitalId: string, date: string): boolean;
  settle(stay: Stay, share: { patientShare: Fen; benefit: PatientShare | null }): StaySettlement;
}

/**
 * 结算类别: 正常 / 高倍率 / 低倍率 / 歧义组 / 未入组 / 固定除外 / 新技术除外 / 新技术按项目, and the
 * special-case families paid by items (住院不足24小时 / 死亡 / 转院 / 长期住院).
 */
export type PaymentCategory =
  | "normal"
  | "highOutlier"
  | "lowOutlier"
  | "ambiguous"
  | "ungrouped"
  | "fixedExclusion"
  | "newTechExclusion"
  | "newTechItems"
  | SpecialCaseFamily;

/** Chinese names of the categories (结算类别名称). */
export const CATEGORY_NAMES: Readonly<Record<PaymentCategory, string>> = {
  normal: "正常入组",
  highOutlier: "高倍率",
  lowOutlier: "低倍率",
  ambiguous: "歧义组(QY)",
  ungrouped: "未入组(0000)",
  fixedExclusion: "固定除外",
  newTechExclusion: "新技术除外",
  newTechItems: "新技术按项目付费",
  ...SPECIAL_CASE_NAMES,
};

/** The settlement of one stay (病例结算结果), money in fen, points in micro-points (百万分之一点). */
export interface StaySettlement {
  readonly id: string;
  readonly hospitalId: string;
  readonly drg: string;
  readonly policyId: string;
  readonly policyVersion: string;
  /** 费率法 / 点数法 (DRG), or `dip`: paid by the stay's DIP group points at the DIP point value. */
  readonly method: "rate" | "point" | "dip";
  readonly category: PaymentCategory;
  /**
   * 特殊病例类别 that decided the payment, null when none applied. Paid by items it is also the
   * category; paid `drg` the category is the DRG one (normal/highOutlier/lowOutlier).
   */
  readonly specialCase: SpecialCaseFamily | null;
  /** 倍率类型. */
  readonly outlier: "none" | "high" | "low";
  /** 医院系数 applied (1 for base groups). */
  readonly coefficient: Ppm;
  /** 相对权重 RW, null outside DRG payment. */
  readonly rw: Ppm | null;
  /** 支付标准, null outside DRG payment. */
  readonly standard: Fen | null;
  readonly highThreshold: Fen | null;
  readonly lowThreshold: Fen | null;
  /** 特病单议追加. */
  readonly specialReviewAddition: Fen;
  /** DIP 病种 (group key) and 偏差类型, DIP method only. */
  readonly dip?: { readonly group: string; readonly caseType: "normal" | "veryHigh" | "veryLow" };
  /** 病例点数 (micro-points), point and DIP methods. */
  readonly points: number | null;
  /** DRG 支付 to the hospital (point method: at the context's point value). */
  readonly drgPayment: Fen;
  readonly totalCost: Fen;
  /** 个人负担. */
  readonly patientShare: Fen;
  /** 医保基金支付 = max(0, DRG payment − patient share). */
  readonly fundPayment: Fen;
  /** 结余(+)/超支(−) = DRG payment − total cost. */
  readonly balance: Fen;
  /** The benefit-policy breakdown when the patient share was computed here. */
  readonly benefit: PatientShare | null;
}
