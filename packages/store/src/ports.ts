/**
 * The store's read port: what other areas (payment, audit, the console) read of the store's tables
 * through the store's own functions rather than by their own SQL (issue 11). The hospital dictionary
 * (定点医疗机构字典) and the periods and counts of accepted lists.
 */
import { type Kysely, sql } from "kysely";
import type { StoreTables } from "./schema.js";

/** A hospital as the store knows it. */
export interface HospitalEntry {
  readonly code: string;
  readonly name: string;
  /** 医保结算等级, when the operator recorded it. */
  readonly level: string | null;
}

/** Every known hospital (or only `code`), by code. */
export async function listHospitals(
  db: Kysely<StoreTables>,
  filter: { readonly code?: string | null } = {},
): Promise<HospitalEntry[]> {
  let q = db.selectFrom("hospital").select(["code", "name", "level"]).orderBy("code");
  if (filter.code) q = q.where("code", "=", filter.code);
  return q.execute();
}

/** Which of `codes` are hospitals the store knows. */
export async function knownHospitalCodes(
  db: Kysely<StoreTables>,
  codes: readonly string[],
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom("hospital")
    .select("code")
    .where("code", "in", [...codes])
    .execute();
  return new Set(rows.map((r) => r.code));
}

/** The latest 结算期号 (yyyy-MM) with an accepted list, or null when none is stored. */
export async function latestAcceptedPeriod(db: Kysely<StoreTables>): Promise<string | null> {
  const r = await sql<{
    period: string | null;
  }>`SELECT max(period) AS period FROM settlement_list WHERE status = 'accepted'`.execute(db);
  return r.rows[0]?.period ?? null;
}

/** The 结算期号 (yyyy-MM) with accepted lists, in order. */
export async function acceptedPeriods(db: Kysely<StoreTables>): Promise<string[]> {
  const r = await sql<{ period: string }>`SELECT DISTINCT period FROM settlement_list
    WHERE status = 'accepted' ORDER BY period`.execute(db);
  return r.rows.map((x) => x.period);
}

/** The first and last 结算期号 with an accepted list, or null when none is stored. */
export async function acceptedPeriodRange(
  db: Kysely<StoreTables>,
): Promise<{ from: string; to: string } | null> {
  const r = await sql<{ lo: string | null; hi: string | null }>`SELECT min(period) AS lo, max(period) AS hi
    FROM settlement_list WHERE status = 'accepted'`.execute(db);
  const lo = r.rows[0]?.lo ?? null;
  const hi = r.rows[0]?.hi ?? null;
  return lo === null || hi === null ? null : { from: lo, to: hi };
}

/** The number of accepted lists in the given periods, or in the periods from `from` to `to` inclusive. */
export async function countAcceptedLists(
  db: Kysely<StoreTables>,
  periods: { readonly periods: readonly string[] } | { readonly from: string; readonly to: string },
): Promise<number> {
  const where =
    "periods" in periods
      ? sql`period = ANY(${[...periods.periods]}::text[])`
      : sql`period >= ${periods.from} AND period <= ${periods.to}`;
  const r = await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM settlement_list
    WHERE ${where} AND status = 'accepted'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
