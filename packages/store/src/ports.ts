/**
 * The store's read port: what other areas (payment, audit, the console) read of the store's tables
 * through the store's own functions rather than by their own SQL (issue 11). The hospital dictionary
 * (定点医疗机构字典) and the latest period with accepted lists.
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
