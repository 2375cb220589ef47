/**
 * The output of the generator: settlement lists in the 4101 wire format (the interface's own field
 * names, money as yuan numbers with two decimals) plus each stay's ground truth and labels.
 */
import type { GroupStatus } from "@yibao/grouper";
import type { ViolationType } from "@yibao/kernel/enums";
import type { DetailLine } from "./details.js";

/** setlinfo (表154): one per list. Money fields are yuan with two decimals. */
export interface SetlInfo {
  mdtrt_id: string;
  setl_id: string;
  fixmedins_name: string;
  fixmedins_code: string;
  hi_setl_lv: string;
  hi_no: string;
  medcasno: string;
  dcla_time: string;
  psn_name: string;
  gend: string;
  brdy: string;
  age: number | null;
  nwb_age: number | null;
  ntly: string;
  naty: string;
  patn_cert_type: string;
  certno: string;
  prfs: string;
  curr_addr: string;
  emp_name: string;
  emp_addr: string;
  emp_tel: string;
  poscode: string;
  coner_name: string;
  patn_rlts: string;
  coner_addr: string;
  coner_tel: string;
  hi_type: string;
  insuplc: string;
  sp_psn_type: string;
  nwb_adm_type: string;
  nwb_bir_wt: number | null;
  nwb_adm_wt: number | null;
  opsp_diag_caty: string;
  opsp_mdtrt_date: string;
  ipt_med_type: string;
  adm_way: string;
  trt_type: string;
  adm_time: string;
  adm_caty: string;
  refldept_dept: string;
  dscg_time: string;
  dscg_caty: string;
  act_ipt_days: number;
  otp_wm_dise: string;
  wm_dise_code: string;
  otp_tcm_dise: string;
  tcm_dise_code: string;
  diag_code_cnt: number;
  oprn_oprt_code_cnt: number;
  vent_used_dura: string;
  pwcry_bfadm_coma_dura: string;
  pwcry_afadm_coma_dura: string;
  spga_nurscare_days: number;
  lv1_nurscare_days: number;
  scd_nurscare_days: number;
  lv3_nurscare_days: number;
  dscg_way: string;
  acp_medins_name: string;
  acp_optins_code: string;
  bill_code: string;
  bill_no: string;
  biz_sn: string;
  days_rinp_flag_31: string;
  days_rinp_pup_31: string;
  chfpdr_name: string;
  chfpdr_code: string;
  setl_begn_date: string;
  setl_end_date: string;
  psn_selfpay: number;
  psn_ownpay: number;
  acct_pay: number;
  psn_cashpay: number;
  hi_paymtd: string;
  hsorg: string;
  hsorg_opter: string;
  medins_fill_dept: string;
  medins_fill_psn: string;
}

/** payinfo (表155). */
export interface PayInfo {
  fund_pay_type: string;
  fund_payamt: number;
}

/** opspdiseinfo (表156). */
export interface OpspDiseInfo {
  diag_name: string;
  diag_code: string;
  oprn_oprt_name: string;
  oprn_oprt_code: string;
}

/** diseinfo (表157). */
export interface DiseInfo {
  diag_type: string;
  diag_code: string;
  diag_name: string;
  adm_cond_type: string;
  maindiag_flag: string;
}

/** iteminfo (表158). */
export interface ItemInfo {
  med_chrgitm: string;
  amt: number;
  claa_sumfee: number;
  clab_amt: number;
  fulamt_ownpay_amt: number;
  oth_amt: number;
}

/** oprninfo (表159). */
export interface OprnInfo {
  oprn_oprt_type: string;
  oprn_oprt_name: string;
  oprn_oprt_code: string;
  oprn_oprt_date: string;
  anst_way: string;
  oper_dr_name: string;
  oper_dr_code: string;
  anst_dr_name: string;
  anst_dr_code: string;
}

/** icuinfo (表160). */
export interface IcuInfo {
  scs_cutd_ward_type: string;
  scs_cutd_inpool_time: string;
  scs_cutd_exit_time: string;
  scs_cutd_sum_dura: string;
}

/** bldinfo. */
export interface BldInfo {
  bld_cat: string;
  bld_amt: number;
  bld_unt: string;
}

/** 医疗保障基金结算清单 upload message (interface 4101). */
export interface SettlementMessage {
  infno: "4101";
  msgid: string;
  input: {
    setlinfo: SetlInfo;
    payinfo: PayInfo[];
    opspdiseinfo: OpspDiseInfo[];
    diseinfo: DiseInfo[];
    iteminfo: ItemInfo[];
    oprninfo: OprnInfo[];
    icuinfo: IcuInfo[];
    bldinfo: BldInfo[];
  };
}

/**
 * The nine DRG violation types the generator injects: the kernel's 违规类型 without 选择患者 and
 * 项目规则, which only the audit finds. Names: the kernel's `VIOLATION_TYPE_NAMES`.
 */
export type InjectedViolationType = Exclude<ViolationType, "patient_selection" | "item_rule">;

export const INJECTED_VIOLATION_TYPES: readonly InjectedViolationType[] = [
  "split_admission",
  "repeated_admission",
  "upcoding_secondary",
  "upcoding_principal",
  "downcoding_outlier",
  "qy_ambiguity",
  "low_indication",
  "cost_shifting",
  "tier_crossing",
];

/** The grouping of a list as uploaded. */
export interface GroupTruth {
  readonly status: GroupStatus;
  readonly drg: string;
  readonly mdc: string | null;
  readonly adrg: string | null;
}

/** Ground truth of one list (真实情况). */
export interface StayTruth {
  readonly personId: number;
  readonly hospitalCode: string;
  readonly departmentCode: string;
  readonly physicianCode: string;
  /** The DRG the clinical case was generated for (目标 DRG). */
  readonly intendedDrg: string;
  /** The grouper's result on the list's codes. */
  readonly group: GroupTruth;
  /** The true clinical codes (for an upcoded list, the codes before upcoding). */
  readonly diagnoses: readonly string[];
  readonly procedures: readonly string[];
  /** Total cost, fund payment and personal payment of the list, in fen. */
  readonly totalFen: number;
  readonly fundFen: number;
  readonly personalFen: number;
  /** Expected cost of the intended group at this hospital's level (fen). */
  readonly expectedCostFen: number;
  readonly admDate: string;
  readonly dscgDate: string;
  readonly los: number;
  /** Clinical episode number: the lists of one split/repeated case share it. */
  readonly episode: number;
  /** True for a readmission announced by the 31-day plan flag of the previous list. */
  readonly plannedReadmission: boolean;
}

/** The honest version of a list, with its own truth. */
export interface HonestList {
  readonly message: SettlementMessage;
  readonly truth: StayTruth;
}

/** 违规标注: the label of an injected case, shared by all its uploaded lists. */
export interface ViolationLabel {
  readonly violation: InjectedViolationType;
  /** Case id shared by the lists of one injected case. */
  readonly caseId: string;
  /** setl_ids of the uploaded lists of the case, in order. */
  readonly setlIds: readonly string[];
  /** What was done, in machine-readable form, with a Chinese description. */
  readonly detail: Readonly<Record<string, string | number | boolean | readonly string[]>> & {
    readonly description: string;
  };
  /**
   * The lists as they should have been (merged for split/repeated admissions). Empty for a
   * low-indication admission: the care belonged to outpatient, so no inpatient list is honest.
   */
  readonly honest: readonly HonestList[];
}

/** One generated list: the message, its truth and its label (null for regular cases). */
export interface SynthStay {
  /** Sequence number in the stream (0-based). */
  readonly index: number;
  readonly message: SettlementMessage;
  readonly truth: StayTruth;
  readonly label: ViolationLabel | null;
  /**
   * 费用明细 of the list: item lines whose amounts add up, per 收费项目类别, to the list's iteminfo
   * (and, per category, the self-pay lines to its 全自费 amount). Not part of the 4101 message.
   */
  readonly details: readonly DetailLine[];
  /** 入院前门诊费用 (fen): outpatient spending in the 3 days before admission; 0 when none. */
  readonly outpatientBeforeAdmission: number;
}
