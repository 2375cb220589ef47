/**
 * The console's own tables (申诉、指标汇总), added to the store's schema by
 * `consoleMigrations`. Kysely sees them together with the store's tables through `ConsoleDb`.
 */
import type { AppealStatus as KernelAppealStatus } from "@yibao/kernel/enums";
import type { IdentityTables } from "@yibao/server";
import type { AsTables, Store, StoreDatabase } from "@yibao/store";
import type { ColumnType, Generated, Kysely } from "kysely";

export { ROLE_NAMES, ROLES, type Role } from "@yibao/server";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** 申诉状态: 待审核, 申诉成立 (finding withdrawn), 申诉驳回 (finding upheld): the kernel's. */
export type AppealStatus = KernelAppealStatus;

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
  /** The scheme that grouped the cell's lists (`settlement_list.scheme_id`); '' for audit-only cells. */
  scheme_id: string;
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
  /**
   * Settled stays with a relative weight (DRG payment) and the sum of their RW in millionths, from
   * the weight table in force when each was settled: CMI = settled_rw_ppm ÷ 10⁶ ÷ settled_weighted.
   */
  settled_weighted: number;
  settled_rw_ppm: number;
  /** Settled stays paid as high / low cost outliers (高倍率 / 低倍率). */
  high_outliers: number;
  low_outliers: number;
  /**
   * Audit findings (审核发现) of the cell's hospital and period (the finding's own), in the department,
   * physician and DRG of their first list, and what was deducted for them (追回).
   */
  audit_findings: number;
  recovered_fen: number;
}

/** Fine cube: hospital × department × physician × DRG × period × group status × scheme. */
export interface ConsoleCubeTable extends CubeMeasures {
  hospital_code: string;
  dept: string;
  physician: string;
  physician_name: string;
}

/** Coarse cube: hospital × DRG × period × group status × scheme (region views). */
export interface ConsoleCubeHdTable extends CubeMeasures {
  hospital_code: string;
}

/** Single-row state of the cube and the weights. */
export interface ConsoleCubeStateTable {
  id: number;
  refreshed_at: Timestamp;
  source_count: number;
  source_max_received: Date | null;
  /** Unused since CMI and surplus come from the settlements (always null). */
  base_rate_fen: number | null;
  /** `settlement` where the payment area is installed, else `none` (no CMI nor surplus). */
  weight_source: string;
  /** What the cubes were built from, compared by the freshness check (lists, settlement runs, audit). */
  source_signature: string;
}

/** The console's own tables (created by `consoleMigrations`). */
export interface ConsoleTables {
  console_appeal: ConsoleAppealTable;
  console_cube: ConsoleCubeTable;
  console_cube_hd: ConsoleCubeHdTable;
  console_cube_state: ConsoleCubeStateTable;
}

/** What the console reads and writes: the store's tables, the server's identity tables and its own. */
export type ConsoleDatabase = StoreDatabase & IdentityTables & ConsoleTables;
export type ConsoleDb = Kysely<ConsoleDatabase>;

/** The store's Kysely instance typed with the identity and console tables too (no cast). */
export function consoleDb(store: Store): ConsoleDb {
  return store.db.withTables<AsTables<IdentityTables & ConsoleTables>>();
}
