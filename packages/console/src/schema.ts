/**
 * The console's own tables (用户、会话、操作日志、申诉、指标汇总), added to the store's schema by
 * `consoleMigrations`. Kysely sees them together with the store's tables through `ConsoleDb`.
 */
import type { Store, StoreDatabase } from "@yibao/store";
import type { ColumnType, Generated, Kysely } from "kysely";

/** 角色: 医保局 bureau, 医院 hospital, 审核员 reviewer, 管理员 admin. */
export type Role = "bureau" | "hospital" | "reviewer" | "admin";
export const ROLES: readonly Role[] = ["bureau", "hospital", "reviewer", "admin"];
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  bureau: "医保局",
  hospital: "医院",
  reviewer: "审核员",
  admin: "管理员",
};

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** 用户 (console account). */
export interface ConsoleUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  /** 所属医院 (hospital role only). */
  hospital_code: string | null;
  /** Argon2id PHC string. */
  password_hash: string;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 会话: the cookie holds a random token; only its SHA-256 is stored. */
export interface ConsoleSessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  /** Sliding idle expiry. */
  expires_at: Timestamp;
  /** Absolute expiry, never extended. */
  absolute_expires_at: Timestamp;
}

/** 操作日志: who did what, when, with what outcome. */
export interface ConsoleOplogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  username: string;
  role: string;
  hospital_code: string | null;
  action: string;
  target: string;
  detail: ColumnType<unknown, string, string>;
  status_code: number | null;
  ip: string;
}

/** 申诉状态: 待审核, 申诉成立 (finding withdrawn), 申诉驳回 (finding upheld). */
export type AppealStatus = "pending" | "accepted" | "rejected";

/** 申诉: a hospital contests one finding of one list version. */
export interface ConsoleAppealTable {
  id: Generated<number>;
  setl_id: string;
  version: number;
  seq: number;
  rule_id: string;
  finding_message: string;
  hospital_code: string;
  reason: string;
  status: AppealStatus;
  filed_by: string;
  filed_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
}

/** 指标汇总 (cube) cell columns shared by both granularities. */
interface CubeMeasures {
  period: string;
  drg: string;
  group_status: string;
  /** Lists received (accepted + refused). */
  lists: number;
  /** Accepted lists = cases. */
  cases: number;
  total_cost_fen: number;
  fund_pay_fen: number;
  personal_pay_fen: number;
  los_sum: number;
  deaths: number;
  alive: number;
  readm14: number;
  readm30: number;
  /** Accepted lists settled by the payment area (结算), with their DRG payment and cost. */
  settled_cases: number;
  settled_payment_fen: number;
  settled_cost_fen: number;
  /** Settled stays paid as high / low cost outliers (高倍率 / 低倍率). */
  high_outliers: number;
  low_outliers: number;
  /** Audit findings (审核发现) attributed to the cell's lists, and what was deducted for them (追回). */
  audit_findings: number;
  recovered_fen: number;
}

/** Fine cube: hospital × department × physician × DRG × period × group status. */
export interface ConsoleCubeTable extends CubeMeasures {
  hospital_code: string;
  dept: string;
  physician: string;
  physician_name: string;
}

/** Coarse cube: hospital × DRG × period × group status (region views). */
export interface ConsoleCubeHdTable extends CubeMeasures {
  hospital_code: string;
}

/** 病组权重 in force for the console's CMI and estimates. */
export interface ConsoleDrgWeightTable {
  drg: string;
  rw: number;
  /** `loaded` (from a payment weight table) or `derived` (from the stored lists' average costs). */
  source: string;
}

/** Single-row state of the cube and the weights. */
export interface ConsoleCubeStateTable {
  id: number;
  refreshed_at: Timestamp;
  source_count: number;
  source_max_received: Date | null;
  /** 费率 (fen per weight unit) used for estimates. */
  base_rate_fen: number | null;
  weight_source: string;
  /** What the cubes were built from, compared by the freshness check (lists, settlement runs, audit). */
  source_signature: string;
}

export interface ConsoleTables {
  console_user: ConsoleUserTable;
  console_session: ConsoleSessionTable;
  console_oplog: ConsoleOplogTable;
  console_appeal: ConsoleAppealTable;
  console_cube: ConsoleCubeTable;
  console_cube_hd: ConsoleCubeHdTable;
  console_drg_weight: ConsoleDrgWeightTable;
  console_cube_state: ConsoleCubeStateTable;
}

export type ConsoleDatabase = StoreDatabase & ConsoleTables;
export type ConsoleDb = Kysely<ConsoleDatabase>;

/** The store's Kysely instance typed with the console's tables too. */
export function consoleDb(store: Store): ConsoleDb {
  return store.db as unknown as ConsoleDb;
}
