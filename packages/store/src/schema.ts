/**
 * The database schema as Kysely sees it. One schema, Postgres SQL, for both PostgreSQL and PGlite.
 * Tables are created by the migrations in `migrations.ts`; later packages (payment, audit, accounts)
 * add their own tables with their own migrations and extend this interface in their own code.
 */
import type { GroupStatusCode, ListStatus } from "@yibao/kernel/enums";
import type { ColumnType, Generated } from "kysely";

/** 清单状态: accepted (已接收) or refused (已拒收): the kernel's `ListStatus`. */
export type SettlementListStatus = ListStatus;

/** 质控结果严重程度: `error` refuses the list, `warning` accepts it with a note. */
export type FindingSeverity = "error" | "warning";

/** 分组状态, as the grouper reports it: the kernel's `GroupStatusCode`. */
export type StoredGroupStatus = GroupStatusCode;

/**
 * 上传时间来源: `received` (an ordinary upload: the time the platform received it), `file` (a history
 * import: the original upload time carried by the record) or `stated` (a history import: the date the
 * importer stated for the batch).
 */
export type UploadTimeSource = "received" | "file" | "stated";

/** A `date` column: read and written as `yyyy-MM-dd` text (no time-zone conversion). */
export type DateText = string;

/** 原始上传时间 (nullable: lists stored before it was kept have none). */
type UploadedAtColumn = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** Where the original upload time came from. */
type UploadTimeSourceColumn = ColumnType<
  UploadTimeSource | null,
  UploadTimeSource | null | undefined,
  UploadTimeSource | null
>;

/** The typed summary columns shared by the current list and its history. */
export interface SettlementListColumns {
  /** 结算ID. */
  setl_id: string;
  /** 就诊ID. */
  mdtrt_id: string;
  /** 定点医药机构编号. */
  hospital_code: string;
  /** 定点医药机构名称. */
  hospital_name: string;
  /** 病案号. */
  medcasno: string;
  /** 患者标识: SHA-256 of certificate type and number (证件类别+证件号码), never the number itself. */
  patient_key: string;
  /** 性别 (gend code). */
  gend: string;
  /** 年龄(岁), null under one year. */
  age_years: number | null;
  /** 年龄不足1周岁的天数. */
  age_days: number | null;
  /** 入院日期. */
  adm_date: DateText | null;
  /** 出院日期. */
  dscg_date: DateText | null;
  /** 结算开始日期. */
  setl_begn_date: DateText | null;
  /** 结算结束日期. */
  setl_end_date: DateText | null;
  /** 结算期号 yyyy-MM of setl_end_date. */
  period: string;
  /** 住院天数. */
  los: number | null;
  /** 出院科别. */
  dscg_caty: string;
  /** 离院方式. */
  dscg_way: string;
  /** 主诊医师代码 ('' when not given). */
  chfpdr_code: string;
  /** 主诊医师姓名 ('' when not given). */
  chfpdr_name: string;
  /** 出院31天内再住院计划标志: 1 无, 2 有 ('' when not given). */
  days_rinp_flag_31: string;
  /** 参保地 (insuplc, 行政区划), '' when not given. */
  insuplc: string;
  /** 主要诊断编码. */
  principal_dx: string;
  /** 主要手术操作编码. */
  principal_oprn: string;
  /** 医疗总费用 (fen). */
  total_fee_fen: number;
  /** 基金支付合计 (fen). */
  fund_pay_fen: number;
  /** 个人支付 (fen): 个人账户 + 个人现金. */
  personal_pay_fen: number;
  /** 接口: 4101 or 4101A. */
  infno: string;
  /** 报文ID. */
  msgid: string | null;
  status: SettlementListStatus;
  error_count: number;
  warning_count: number;
  /** 分组方案 id. */
  scheme_id: string;
  group_status: StoredGroupStatus;
  drg: string;
  drg_name: string;
  mdc: string | null;
  adrg: string | null;
  /** 原始报文: the full 4101/4101A envelope exactly as received. */
  message: ColumnType<unknown, string, string>;
  /** 上传时间: when the platform received this version. */
  received_at: ColumnType<Date, Date | string, Date | string>;
  /**
   * 原始上传时间: the time the QC upload deadline was checked against — received_at for an ordinary
   * upload, the original upload time for a history import; null on lists stored before it was kept.
   */
  uploaded_at: UploadedAtColumn;
  /** Where `uploaded_at` came from (null with it). */
  upload_time_source: UploadTimeSourceColumn;
  /** 版本号, 1 for the first upload of a setl_id. */
  version: number;
}

/** 医保结算清单 (current version of each setl_id). */
export type SettlementListTable = SettlementListColumns;

/** 结算清单历史版本: every replaced version, never deleted. */
export interface SettlementListHistoryTable extends SettlementListColumns {
  /** 被替换时间. */
  replaced_at: ColumnType<Date, Date | string, never>;
}

/** 质控结果 of one version of one list. */
export interface QcFindingTable {
  setl_id: string;
  version: number;
  /** Position of the finding in the QC report. */
  seq: number;
  rule_id: string;
  severity: FindingSeverity;
  field: string;
  message: string;
}

/**
 * 拒收记录: an upload that failed QC for a setl_id whose accepted version stays in force. The accepted
 * list is never replaced by a refused one; the attempt and its findings are kept here.
 */
export interface RefusedUploadTable {
  id: Generated<number>;
  setl_id: string;
  hospital_code: string;
  period: string;
  /** The accepted version that stayed in force. */
  kept_version: number;
  findings: ColumnType<unknown, string, string>;
  message: ColumnType<unknown, string, string>;
  received_at: ColumnType<Date, Date | string, Date | string>;
  /** The time the upload deadline was checked against (see `SettlementListColumns.uploaded_at`). */
  uploaded_at: UploadedAtColumn;
  upload_time_source: UploadTimeSourceColumn;
}

/** 定点医疗机构字典, kept up to date from uploads (name) and by the operator (level, region). */
export interface HospitalTable {
  code: string;
  name: string;
  /** 医保结算等级. */
  level: string | null;
  first_seen_at: ColumnType<Date, Date | string, Date | string>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/**
 * 应上传清单数: the number of inpatient settlements of a hospital in a period, reported by the settlement
 * system; the denominator of the upload rate (清单上传率).
 */
export interface SettledCountTable {
  hospital_code: string;
  period: string;
  settled_count: number;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/**
 * 清单数汇总: lists in force per hospital, period, status, group status and DRG, kept by
 * `saveSettlementLists` in the same transaction as the lists.
 */
export interface SettlementListCountTable {
  hospital_code: string;
  period: string;
  status: SettlementListStatus;
  group_status: StoredGroupStatus;
  drg: string;
  lists: number;
}

/**
 * 质控问题汇总: findings of the lists in force per hospital, period, rule, severity and message. `lists`
 * counts each list once per rule (on the row of its smallest message of that rule), so summed over
 * messages it is the number of distinct lists with the rule. Rows may hold zeros.
 */
export interface QcFindingCountTable {
  hospital_code: string;
  period: string;
  rule_id: string;
  severity: FindingSeverity;
  /** md5(message), the key (messages may be long). */
  message_hash: string;
  message: string;
  findings: number;
  lists: number;
}

/** 拒收重传汇总: refused uploads that left an accepted list in force, per hospital and period. */
export interface RefusedUploadCountTable {
  hospital_code: string;
  period: string;
  uploads: number;
}

/**
 * 重新分组批次: one explicit regrouping of stored lists under another scheme edition (分组方案切换),
 * with who did it, why, and what it moved (payment estimated before and after by settlement's code).
 */
export interface RegroupRunTable {
  run_id: Generated<number>;
  applied_at: Generated<Date>;
  operator: string;
  reason: string;
  period_from: string;
  period_to: string;
  /** Lists read. */
  lists: number;
  /** Lists whose group or scheme the plan changed. */
  changed: number;
  /** Of those, the ones written (a list re-uploaded since the plan is left as it is). */
  applied: number;
  /** DRG payment of the changed lists before and after, fen; null when none could be priced. */
  payment_before_fen: string | number | bigint | null;
  payment_after_fen: string | number | bigint | null;
  /** The report as the command printed it (transitions, per hospital). */
  summary: unknown;
}

/** 重新分组明细: one list's grouping before and after a regrouping. */
export interface RegroupChangeTable {
  run_id: number;
  setl_id: string;
  version: number;
  from_scheme: string;
  from_status: StoredGroupStatus;
  from_drg: string;
  to_scheme: string;
  to_status: StoredGroupStatus;
  to_drg: string;
}

/**
 * 规则版本发布记录: a dated edition of a regional rule table published by the bureau through the API
 * or an Excel import (QC rules and targets, the audit's rule and knowledge bases), with who, when and
 * why (the audit trail). Never updated: a change is a new edition with its own version.
 */
export interface PublishedEditionTable {
  /** Sequence of publication (a change of the table is seen as a new maximum). */
  seq: Generated<number>;
  /** What the edition holds, e.g. `qc-rules`, `qc-targets`, `audit-rules`, `knowledge`. */
  kind: string;
  edition_id: string;
  version: string;
  /** 生效日期 `yyyy-MM-dd`. */
  effective_date: string;
  /** The edition as its area's validator accepted it. */
  data: unknown;
  /** The edition's content key (canonical JSON of `data` without its dates and version). */
  content: string;
  /** `api` (JSON) or `excel` (an uploaded workbook). */
  source: string;
  actor: string;
  reason: string;
  published_at: Generated<Date>;
}

/**
 * Every table of the store's own migrations (the store area's tables). Other areas add theirs
 * (`IdentityTables`, `PaymentTables`, `AuditTables`, `ConsoleTables`); the platform composes them.
 */
export interface StoreTables {
  settlement_list: SettlementListTable;
  settlement_list_history: SettlementListHistoryTable;
  qc_finding: QcFindingTable;
  refused_upload: RefusedUploadTable;
  hospital: HospitalTable;
  settled_count: SettledCountTable;
  settlement_list_count: SettlementListCountTable;
  qc_finding_count: QcFindingCountTable;
  refused_upload_count: RefusedUploadCountTable;
  regroup_run: RegroupRunTable;
  regroup_change: RegroupChangeTable;
  published_edition: PublishedEditionTable;
}

/** The store's database as Kysely sees it: its own tables only. */
export type StoreDatabase = StoreTables;

/**
 * An area's table interface as Kysely's `withTables` takes it (a mapped copy: an interface has no
 * index signature). `store.db.withTables<AsTables<PaymentTables>>()` is the store's connection typed
 * with that area's tables too, without a cast.
 */
export type AsTables<Tables> = { [K in keyof Tables]: Tables[K] };
