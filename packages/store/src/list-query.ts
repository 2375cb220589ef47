/** Reading settlement lists: the filtered page, the count from the summary, one list with its history. */

import { type Kysely, type Selectable, sql } from "kysely";
import { SUMMARY_COLUMNS } from "./list-rows.js";
import type {
  FindingSeverity,
  SettlementListColumns,
  SettlementListStatus,
  StoreDatabase,
  StoredGroupStatus,
  UploadTimeSource,
} from "./schema.js";
import type { QcFinding } from "./settlement-lists.js";

/** Filters of the list query; every filter is optional. */
export interface SettlementListFilter {
  readonly hospital?: string;
  /** 结算期号 from (inclusive), yyyy-MM. */
  readonly periodFrom?: string;
  /** 结算期号 to (inclusive), yyyy-MM. */
  readonly periodTo?: string;
  readonly status?: SettlementListStatus;
  readonly drg?: string;
  readonly groupStatus?: StoredGroupStatus;
  /** Page size (default 50, at most 1,000). */
  readonly limit?: number;
  readonly offset?: number;
}

/** A list without its original message, as the list query returns it. */
export type SettlementListSummary = Omit<Selectable<SettlementListColumns>, "message">;

/** One version of a list with its original message. */
export type StoredSettlementList = Selectable<SettlementListColumns>;

/** The filters `countSettlementLists` answers from the list-count summary. */
export type CountableListFilter = Pick<
  SettlementListFilter,
  "hospital" | "periodFrom" | "periodTo" | "status" | "groupStatus" | "drg"
>;

/**
 * The number of lists in force matching the filter, from `settlement_list_count` (kept with every
 * upload) instead of counting the lists: a few rows per hospital and period.
 */
export async function countSettlementLists(
  db: Kysely<StoreDatabase>,
  filter: CountableListFilter = {},
): Promise<number> {
  let q = db.selectFrom("settlement_list_count");
  if (filter.hospital !== undefined) q = q.where("hospital_code", "=", filter.hospital);
  if (filter.periodFrom !== undefined) q = q.where("period", ">=", filter.periodFrom);
  if (filter.periodTo !== undefined) q = q.where("period", "<=", filter.periodTo);
  if (filter.status !== undefined) q = q.where("status", "=", filter.status);
  if (filter.groupStatus !== undefined) q = q.where("group_status", "=", filter.groupStatus);
  if (filter.drg !== undefined) q = q.where("drg", "=", filter.drg);
  const r = await q.select(sql<number>`coalesce(sum(lists), 0)::int8`.as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Lists matching the filter, newest upload first, with the total count for paging. */
export async function listSettlementLists(
  db: Kysely<StoreDatabase>,
  filter: SettlementListFilter = {},
): Promise<{ total: number; items: SettlementListSummary[] }> {
  let q = db.selectFrom("settlement_list");
  if (filter.hospital !== undefined) q = q.where("hospital_code", "=", filter.hospital);
  // One month as equality: the (period, received_at) index then yields the newest first.
  if (filter.periodFrom !== undefined && filter.periodFrom === filter.periodTo)
    q = q.where("period", "=", filter.periodFrom);
  else {
    if (filter.periodFrom !== undefined) q = q.where("period", ">=", filter.periodFrom);
    if (filter.periodTo !== undefined) q = q.where("period", "<=", filter.periodTo);
  }
  if (filter.status !== undefined) q = q.where("status", "=", filter.status);
  if (filter.drg !== undefined) q = q.where("drg", "=", filter.drg);
  if (filter.groupStatus !== undefined) q = q.where("group_status", "=", filter.groupStatus);
  const limit = Math.min(Math.max(filter.limit ?? 50, 0), 1000);
  const [count, items] = await Promise.all([
    countSettlementLists(db, filter).then((n) => ({ n })),
    q
      .select([...SUMMARY_COLUMNS])
      .orderBy("received_at", "desc")
      .orderBy("setl_id")
      .limit(limit)
      .offset(Math.max(filter.offset ?? 0, 0))
      .execute(),
  ]);
  return { total: Number(count.n), items };
}

/** A refused upload that left the accepted version in force. */
export interface RefusedUpload {
  readonly keptVersion: number;
  readonly receivedAt: Date;
  /** The time its upload deadline was checked against (null before it was kept). */
  readonly uploadedAt: Date | null;
  readonly uploadTimeSource: UploadTimeSource | null;
  readonly findings: readonly QcFinding[];
}

/** One list with everything known about it. */
export interface SettlementListDetail {
  readonly list: StoredSettlementList;
  readonly findings: QcFinding[];
  /** Earlier versions, newest first, each with its own findings. */
  readonly history: (StoredSettlementList & { replaced_at: Date; findings: QcFinding[] })[];
  readonly refusedUploads: RefusedUpload[];
}

function toFinding(r: {
  rule_id: string;
  severity: FindingSeverity;
  field: string;
  message: string;
}): QcFinding {
  return { ruleId: r.rule_id, severity: r.severity, field: r.field, message: r.message };
}

/** The current version of a list with its findings, history and refused uploads; undefined if unknown. */
export async function getSettlementList(
  db: Kysely<StoreDatabase>,
  setlId: string,
): Promise<SettlementListDetail | undefined> {
  const list = await db
    .selectFrom("settlement_list")
    .selectAll()
    .where("setl_id", "=", setlId)
    .executeTakeFirst();
  if (!list) return undefined;
  const [findings, history, refused] = await Promise.all([
    db
      .selectFrom("qc_finding")
      .select(["version", "rule_id", "severity", "field", "message"])
      .where("setl_id", "=", setlId)
      .orderBy("version")
      .orderBy("seq")
      .execute(),
    db
      .selectFrom("settlement_list_history")
      .selectAll()
      .where("setl_id", "=", setlId)
      .orderBy("version", "desc")
      .execute(),
    db
      .selectFrom("refused_upload")
      .select(["kept_version", "received_at", "uploaded_at", "upload_time_source", "findings"])
      .where("setl_id", "=", setlId)
      .orderBy("id")
      .execute(),
  ]);
  const byVersion = new Map<number, QcFinding[]>();
  for (const f of findings) {
    const arr = byVersion.get(f.version) ?? [];
    arr.push(toFinding(f));
    byVersion.set(f.version, arr);
  }
  return {
    list,
    findings: byVersion.get(list.version) ?? [],
    history: history.map((h) => ({ ...h, findings: byVersion.get(h.version) ?? [] })),
    refusedUploads: refused.map((r) => ({
      keptVersion: r.kept_version,
      receivedAt: r.received_at,
      uploadedAt: r.uploaded_at,
      uploadTimeSource: r.upload_time_source,
      findings: r.findings as QcFinding[],
    })),
  };
}
