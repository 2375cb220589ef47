/**
 * The audit area's tables (审核服务数据表) as Kysely sees them, created by `auditMigrations`. Other
 * areas read them through this package's functions, never by SQL. Column types as the store reads
 * them: int8 as number, `date` as `yyyy-MM-dd` text, `jsonb` as the parsed value, `timestamptz` as Date.
 */
import type { AsTables, Store, StoreTables } from "@yibao/store";
import type { ColumnType, Generated, Kysely } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;
type JsonOrNull = ColumnType<unknown, string | null, string | null>;
type CountDefault = ColumnType<number, number | undefined, number>;

/** 审核作业: one audit job. */
export interface AuditRunTable {
  run_id: Generated<number>;
  period_from: string;
  period_to: string;
  rule_base_id: string;
  rule_base_version: string;
  knowledge_version: string;
  settlement_source: ColumnType<string, string | undefined, string>;
  actor: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: "running" | "done" | "failed";
  stays: CountDefault;
  history_stays: CountDefault;
  findings: CountDefault;
  errors: CountDefault;
  replaced: CountDefault;
  kept_decided: CountDefault;
  fund_loss_fen: CountDefault;
  totals: JsonOrNull;
  error_samples: JsonOrNull;
  error: string | null;
}

/** 审核发现 (疑点/违规) with its evidence and case state. */
export interface AuditFindingTable {
  finding_id: string;
  run_id: number;
  period: string;
  hospital_code: string;
  physician_code: string | null;
  person_id: string | null;
  setl_ids: Json;
  rule_id: string;
  rule_name: string;
  category: string;
  violation: string;
  outcome: "明确违规" | "可疑";
  message: string;
  evidence: Json;
  settlements: JsonOrNull;
  fund_loss_fen: number;
  deduction_fen: number;
  status: "open" | "appealed" | "upheld" | "overturned" | "deducted" | "closed";
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 操作留痕: the append-only trail of a finding's case. */
export interface AuditCaseEventTable {
  event_id: Generated<number>;
  finding_id: string;
  seq: number;
  action: string;
  from_state: string;
  to_state: string;
  actor: string;
  role: string;
  at: Timestamp;
  reason: string | null;
  evidence: JsonOrNull;
  note: string;
  deduction_fen: number | null;
  clearing_id: string | null;
}

/** 医师画像 of an audited period. */
export interface AuditPhysicianProfileTable {
  period: string;
  physician_code: string;
  run_id: number;
  cases: number;
  indicator_values: Json;
  cluster: number;
  score: number;
  /** Null for a physician outside the suspect cluster (migration 0212). */
  alert: "红色" | "橙色" | "黄色" | null;
  rank: number;
  watch: boolean;
  model: Json;
}

/** What the audit reads of each list, kept by triggers on the store's lists (0201, 0202). */
export interface AuditListProjectionTable {
  setl_id: string;
  version: number;
  status: string;
  period: string;
  patient_key: string;
  dscg_date: string | null;
  group_status: string;
  drg: string;
  mdc: string | null;
  adrg: string | null;
  m: Json;
  /** The scheme that grouped the list (分组方案; null before migration 0211 filled it). */
  scheme_id: string | null;
}

/** Every table of the audit area. */
/**
 * The views the audit area publishes for other areas to read (its read contract, migration 0210):
 * the tables behind them stay its own and may change; these columns may not.
 */
export interface AuditPublishedViews {
  /** 审核发现: each finding once, in its hospital and period, with its first list and last change. */
  audit_finding_cell: {
    finding_id: string;
    hospital_code: string;
    period: string;
    /** The first list the finding names (a finding may name several, e.g. 分解住院). */
    setl_id: string | null;
    updated_at: Date;
  };
}

export interface AuditTables extends AuditPublishedViews {
  audit_run: AuditRunTable;
  audit_finding: AuditFindingTable;
  audit_case_event: AuditCaseEventTable;
  audit_physician_profile: AuditPhysicianProfileTable;
  audit_list_projection: AuditListProjectionTable;
}

/** What the audit service reads and writes: the store's tables (it reads the lists) and its own. */
export type AuditDatabase = StoreTables & AuditTables;
export type AuditDb = Kysely<AuditDatabase>;

/** The store's Kysely instance typed with the audit tables too (no cast). */
export function auditDb(store: Store): AuditDb {
  return store.db.withTables<AsTables<AuditTables>>();
}
