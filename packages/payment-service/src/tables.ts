/**
 * The payment area's tables (支付服务数据表) as Kysely sees them, created by `paymentMigrations`. Other
 * areas read them through this package's functions (e.g. `recordAuditDeductions`), never by SQL.
 * Column types as the store reads them: int8 as number, `date` as `yyyy-MM-dd` text, `numeric` as
 * text (exact), `jsonb` as the parsed value, `timestamptz` as Date.
 */
import type { AsTables, Store, StoreTables } from "@yibao/store";
import type { ColumnType, Generated, Kysely } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
/** A `numeric` column: read as exact text. */
type Numeric = ColumnType<string, string | number, string | number>;

/** A versioned table's columns: one row per (id, version), the JSON as validated. */
export interface VersionedTable {
  id: string;
  version: string;
  name: ColumnType<string, string | undefined, string>;
  region: ColumnType<string, string | undefined, string>;
  effective_from: string;
  effective_to: string | null;
  data: Json;
  created_by: string;
  created_at: TimestampDefault;
}

/** 支付政策 versions. */
export interface PaymentPolicyTable extends VersionedTable {
  method: string;
  weights_id: string | null;
  weights_version: string | null;
}

/** 病组权重表 versions. */
export interface DrgWeightTableTable extends VersionedTable {
  scheme: string | null;
  calibration: ColumnType<unknown, string | null, string | null>;
}

/**
 * 医院等级、起付线类别与支付方式 in force today: the projection of `payment_hospital_edition` (0115),
 * kept in step whenever an edition is written and when a region pack is loaded.
 */
export interface PaymentHospitalTable {
  hospital_code: string;
  level: string;
  benefit_class: string | null;
  /** 支付方式: paid by DRG (`drg`, the default) or DIP (`dip`) (0111). */
  payment_method: ColumnType<"drg" | "dip", "drg" | "dip" | undefined, "drg" | "dip">;
  updated_at: TimestampDefault;
}

/**
 * 医院主数据版本 (0115): every dated edition of a hospital's master data, append-only. The edition in
 * force on a date is the one with the latest `effective_from` on or before it, and of two with the
 * same date the later saved (`edition_id`). `effective_from` 0001-01-01 means "since always".
 */
export interface PaymentHospitalEditionTable {
  edition_id: Generated<number>;
  hospital_code: string;
  effective_from: string;
  level: string;
  benefit_class: string | null;
  payment_method: "drg" | "dip";
  actor: string;
  reason: string;
  source: "pack" | "api" | "excel";
  created_at: TimestampDefault;
}

/** 作业记录: every calibrate, settle, clear and special-case job. */
export interface PaymentRunTable {
  run_id: Generated<number>;
  kind: "calibrate" | "settle" | "clear" | "special_case" | "dip_prepay" | "dip_clear";
  actor: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: "running" | "done" | "failed";
  params: Json;
  totals: ColumnType<unknown, string | null, string | null>;
  error: string | null;
}

/** The columns of a stay's settlement (current and history). */
export interface StaySettlementColumns {
  setl_id: string;
  list_version: number;
  run_id: number;
  hospital_code: string;
  period: string;
  patient_key: string;
  adm_date: string | null;
  dscg_date: string | null;
  drg: string;
  category: string;
  outlier: string;
  policy_id: string;
  policy_version: string;
  weights_id: string;
  weights_version: string;
  method: string;
  coefficient_ppm: number;
  rw_ppm: number | null;
  standard_fen: number | null;
  special_review_fen: number;
  special_review_points: number;
  points: number;
  drg_payment_fen: number;
  total_cost_fen: number;
  patient_share_fen: number;
  fund_payment_fen: number;
  balance_fen: number;
  benefit_fund_fen: number | null;
  share_source: "policy" | "list";
  /** 特殊病例: the special-case family that decided the settlement (0104), or null. */
  special_case: string | null;
  settled_at: Timestamp;
}

/** 按病例结算: the current settlement of every setl_id. */
export type StaySettlementTable = StaySettlementColumns;

/** Replaced settlements. */
export interface StaySettlementHistoryTable extends StaySettlementColumns {
  replaced_at: Timestamp;
  replaced_by_run: number;
}

/** Records a run could not settle. */
export interface StaySettlementErrorTable {
  run_id: number;
  setl_id: string;
  field: string;
  message: string;
}

/** 特病单议 approvals. */
export interface SpecialCaseApprovalTable {
  id: Generated<number>;
  setl_id: string;
  hospital_code: string;
  amount_fen: number | null;
  reason: string;
  approved_by: string;
  approved_at: TimestampDefault;
  revoked: Generated<boolean>;
  /** 核准 (`approved`, the stay re-settled) or 驳回 (`rejected`, the settlement unchanged). */
  decision: Generated<"approved" | "rejected">;
}

/** 特病单议申请 status: 待审核, 已核准, 已驳回, 已撤回. */
export type SpecialCaseApplicationStatus = "pending" | "approved" | "rejected" | "withdrawn";

/** 申请类别: 特病单议 or 新技术除外. */
export type ApplicationKind = "specialReview" | "newTechExclusion";

/** 特病单议申请: a hospital's application for its own settled stay, and the reviewer's decision. */
export interface SpecialCaseApplicationTable {
  id: Generated<number>;
  /** 特病单议 (`specialReview`) or 新技术除外 (`newTechExclusion`, criterion `newTech`). */
  kind: ColumnType<ApplicationKind, ApplicationKind | undefined>;
  setl_id: string;
  hospital_code: string;
  /** The stay's settlement period (the quota counts per year or period of it). */
  period: string;
  criterion: "highCost" | "icu" | "longStay" | "newTech";
  new_tech_code: string | null;
  /** The hospital's reason and evidence (申请理由及依据). */
  reason: string;
  /** What made the stay eligible at submission: the verdict's figure text and values. */
  figures: Json;
  policy_id: string;
  policy_version: string;
  submitted_by: string;
  submitted_at: TimestampDefault;
  status: ColumnType<SpecialCaseApplicationStatus, SpecialCaseApplicationStatus | undefined>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  /** 核准追加金额 (fen); null: per the policy's special-review mode. */
  amount_fen: number | null;
}

/** 审核扣款, written by the audit service through `recordAuditDeductions`. */
export interface AuditDeductionTable {
  id: Generated<number>;
  hospital_code: string;
  year: number;
  amount_fen: number;
  reason: string;
  finding_id: string | null;
  created_at: TimestampDefault;
}

/** 年终清算 of a year. */
export interface YearClearingTable {
  year: number;
  run_id: number;
  policy_id: string;
  policy_version: string;
  budget_fen: number;
  total_points: Numeric;
  point_value_num: Numeric;
  point_value_den: Numeric;
  point_value_yuan: string;
  totals: Json;
  rejected_deductions: Json;
  cleared_at: Timestamp;
}

/** 清算单: one hospital's row of a year's clearing. */
export interface ClearingStatementTable {
  year: number;
  hospital_code: string;
  run_id: number;
  cases: number;
  points: Numeric;
  special_review_points: Numeric;
  payment_fen: number;
  total_cost_fen: number;
  balance_fen: number;
  surplus_retained_fen: number;
  surplus_returned_fen: number;
  overspend_fen: number;
  overspend_covered_fen: number;
  overspend_borne_fen: number;
  deductions_fen: number;
  deduction_reasons: Json;
  settled_fen: number;
  patient_share_fen: number;
  fund_due_fen: number;
  prepaid_fen: number;
  balance_due_fen: number;
  /** 0113: the surplus its 基层病种 made (not kept), the assessment factor applied, its 结余共享 reward. */
  primary_care_surplus_fen: Generated<number>;
  assessment_ppm: Generated<number>;
  regional_reward_fen: Generated<number>;
}

/** 年终考核系数 of a hospital for a year (0113). */
export interface HospitalAssessmentTable {
  year: number;
  hospital_code: string;
  factor_ppm: number;
  note: Generated<string>;
  recorded_by: string;
  recorded_at: TimestampDefault;
}

/** The cost split of every stored list, kept by triggers on the store's lists (0101). */
export interface PaymentListCostTable {
  setl_id: string;
  version: number;
  hi_type: string | null;
  hi_setl_lv: string | null;
  class_a_fen: number | null;
  class_b_fen: number | null;
  self_pay_fen: number | null;
  other_fen: number | null;
  bed_fee_fen: number | null;
  /** 入院/出院时间 "HH:MM:SS" from setlinfo.adm_time/dscg_time (0103); null when not given. */
  adm_time: string | null;
  dscg_time: string | null;
}

/** DIP 年度清算 of a year (0111): the point value and what was left out. */
export interface DipYearClearingTable {
  year: number;
  run_id: number;
  policy_id: string;
  policy_version: string;
  budget_fen: number;
  pool_fen: number;
  /** Exact points as a fraction `num/den`. */
  total_points: string;
  point_value_num: Numeric;
  point_value_den: Numeric;
  point_value_yuan: string;
  lists: number;
  unpriced: Json;
  refused: Json;
  cleared_at: Timestamp;
}

/** DIP 清算单: one hospital's row of a year's DIP clearing. */
export interface DipClearingStatementTable {
  year: number;
  hospital_code: string;
  run_id: number;
  level: string;
  coefficient_ppm: number;
  cases: number;
  unpriced: number;
  /** Points to six decimals (the exact sum is the stays' exact points). */
  points: string;
  total_cost_fen: number;
  payment_fen: number;
  patient_paid_fen: number;
  fund_due_fen: number;
  prepaid_fen: number;
  balance_due_fen: number;
}

/** DIP 病例分值: one stay's points and payment in a year's DIP clearing. */
export interface DipStayPointsTable {
  year: number;
  setl_id: string;
  hospital_code: string;
  run_id: number;
  dip_group: string;
  case_type: "normal" | "veryHigh" | "veryLow";
  cost_fen: number;
  standard_fen: number;
  points: string;
  payment_fen: number;
  patient_paid_fen: number;
  fund_fen: number;
}

/** DIP 月度预付 of a hospital's month. */
export interface DipPrepaymentTable {
  period: string;
  hospital_code: string;
  run_id: number;
  policy_id: string;
  policy_version: string;
  cases: number;
  points: string;
  point_value_yuan: string;
  estimated_payment_fen: number;
  patient_paid_fen: number;
  estimated_fund_fen: number;
  prepayment_fen: number;
  prepaid_at: Timestamp;
}

/**
 * The views the payment area publishes for other areas to read (its read contract, migration
 * 0110): the tables behind them stay its own and may change; these columns may not.
 */
export interface PaymentPublishedViews {
  /** 结算结果: each stay's current settlement, with the policy that paid it. */
  payment_settled_stay: {
    setl_id: string;
    list_version: number;
    hospital_code: string;
    drg_payment_fen: number;
    total_cost_fen: number;
    /** `high`, `low` or `normal`. */
    outlier: string;
    /** RW of the weight table in force that settled the stay (ppm), null for a stay paid by items. */
    rw_ppm: number | null;
    weights_id: string;
    weights_version: string;
    policy_id: string;
    policy_version: string;
    /** The policy's payment method (`rate` or `point`) and its rate in yuan as written, if any. */
    policy_method: string | null;
    policy_rate: string | null;
  };
  /** The latest payment run of any kind (测算、结算、清算、特病单议): payment figures changed when it did. */
  payment_latest_run: { run_id: number | null };
  /** 追回: what was deducted at audit (审核扣款) for each finding, fen. */
  payment_recovered_by_finding: { finding_id: string; amount_fen: string };
}

export interface PaymentTables extends PaymentPublishedViews {
  payment_policy: PaymentPolicyTable;
  drg_weight_table: DrgWeightTableTable;
  benefit_policy: VersionedTable;
  dip_catalogue: VersionedTable;
  payment_hospital: PaymentHospitalTable;
  payment_run: PaymentRunTable;
  stay_settlement: StaySettlementTable;
  stay_settlement_history: StaySettlementHistoryTable;
  stay_settlement_error: StaySettlementErrorTable;
  special_case_approval: SpecialCaseApprovalTable;
  audit_deduction: AuditDeductionTable;
  year_clearing: YearClearingTable;
  clearing_statement: ClearingStatementTable;
  payment_list_cost: PaymentListCostTable;
  dip_payment_policy: VersionedTable;
  dip_year_clearing: DipYearClearingTable;
  dip_clearing_statement: DipClearingStatementTable;
  dip_stay_points: DipStayPointsTable;
  dip_prepayment: DipPrepaymentTable;
  hospital_assessment: HospitalAssessmentTable;
  special_case_application: SpecialCaseApplicationTable;
  payment_hospital_edition: PaymentHospitalEditionTable;
}

/** What the payment service reads and writes: the store's tables (it reads the lists) and its own. */
export type PaymentDatabase = StoreTables & PaymentTables;
export type PaymentDb = Kysely<PaymentDatabase>;

/** The store's Kysely instance typed with the payment tables too (no cast). */
export function paymentDb(store: Store): PaymentDb {
  return store.db.withTables<AsTables<PaymentTables>>();
}
