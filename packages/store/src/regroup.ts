/**
 * 重新分组 (regrouping stored lists under another scheme edition): reading the accepted lists of a
 * range with their stored grouping, and writing a regrouping as one logged run — the run (who, why,
 * what it moved) and every list's grouping before and after, in the same transaction as the update.
 * A list re-uploaded or regrouped since the plan was made is left as it is (its version or grouping
 * no longer matches). The lists' summary counts follow in that transaction.
 */
import { type Selectable, sql } from "kysely";
import type { Store } from "./index.js";
import { chunks, LIST_CHUNK } from "./list-rows.js";
import type { SettlementListTable, StoredGroupStatus } from "./schema.js";

/** A stored list as a regrouping reads it: its summary columns and message. */
export type RegroupSource = Selectable<SettlementListTable>;

/** Reads the accepted lists of periods `from`..`to` (`yyyy-MM`) in keyset batches of `batchSize`. */
export async function* readListsToRegroup(
  store: Store,
  from: string,
  to: string,
  batchSize = 2000,
): AsyncGenerator<RegroupSource[]> {
  let after = "";
  for (;;) {
    const rows = await store.db
      .selectFrom("settlement_list")
      .selectAll()
      .where("status", "=", "accepted")
      .where("period", ">=", from)
      .where("period", "<=", to)
      .where("setl_id", ">", after)
      .orderBy("setl_id")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = (rows[rows.length - 1] as RegroupSource).setl_id;
    if (rows.length < batchSize) return;
  }
}

/** The grouping a list gets from a regrouping. */
export interface RegroupTarget {
  readonly schemeId: string;
  readonly groupStatus: StoredGroupStatus;
  readonly drg: string;
  readonly drgName: string;
  readonly mdc: string | null;
  readonly adrg: string | null;
}

/** One list's change: as read (version and grouping), and the grouping to write. */
export interface RegroupChange {
  readonly setlId: string;
  readonly version: number;
  readonly from: { readonly schemeId: string; readonly groupStatus: StoredGroupStatus; readonly drg: string };
  readonly to: RegroupTarget;
}

/** What the run records besides its changes. */
export interface RegroupRunRecord {
  readonly operator: string;
  readonly reason: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly lists: number;
  readonly paymentBeforeFen: number | null;
  readonly paymentAfterFen: number | null;
  readonly summary: unknown;
}

/** Applies a regrouping as one logged run; returns the run id and how many lists were written. */
export async function applyRegroup(
  store: Store,
  run: RegroupRunRecord,
  changes: readonly RegroupChange[],
): Promise<{ runId: number; applied: number; skipped: string[] }> {
  return store.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("regroup_run")
      .values({
        operator: run.operator,
        reason: run.reason,
        period_from: run.periodFrom,
        period_to: run.periodTo,
        lists: run.lists,
        changed: changes.length,
        applied: 0,
        payment_before_fen: run.paymentBeforeFen,
        payment_after_fen: run.paymentAfterFen,
        summary: JSON.stringify(run.summary),
      })
      .returning("run_id")
      .executeTakeFirstOrThrow();
    const runId = inserted.run_id;
    const written: RegroupChange[] = [];
    const skipped: string[] = [];
    const touched = new Map<string, { hospital: string; period: string }>();
    for (const c of changes) {
      const r = await trx
        .updateTable("settlement_list")
        .set({
          scheme_id: c.to.schemeId,
          group_status: c.to.groupStatus,
          drg: c.to.drg,
          drg_name: c.to.drgName,
          mdc: c.to.mdc,
          adrg: c.to.adrg,
        })
        .where("setl_id", "=", c.setlId)
        .where("version", "=", c.version)
        .where("status", "=", "accepted")
        .where("scheme_id", "=", c.from.schemeId)
        .where("drg", "=", c.from.drg)
        .where("group_status", "=", c.from.groupStatus)
        .returning(["hospital_code", "period"])
        .executeTakeFirst();
      if (r === undefined) {
        skipped.push(c.setlId);
        continue;
      }
      written.push(c);
      touched.set(`${r.hospital_code}\u0000${r.period}`, { hospital: r.hospital_code, period: r.period });
    }
    for (const part of chunks(written, LIST_CHUNK)) {
      await trx
        .insertInto("regroup_change")
        .values(
          part.map((c) => ({
            run_id: runId,
            setl_id: c.setlId,
            version: c.version,
            from_scheme: c.from.schemeId,
            from_status: c.from.groupStatus,
            from_drg: c.from.drg,
            to_scheme: c.to.schemeId,
            to_status: c.to.groupStatus,
            to_drg: c.to.drg,
          })),
        )
        .execute();
    }
    // The lists' counts by group of every hospital-month touched, recounted from the lists in force.
    for (const { hospital, period } of touched.values()) {
      await trx
        .deleteFrom("settlement_list_count")
        .where("hospital_code", "=", hospital)
        .where("period", "=", period)
        .execute();
      await sql`INSERT INTO settlement_list_count (hospital_code, period, status, group_status, drg, lists)
        SELECT hospital_code, period, status, group_status, drg, count(*) FROM settlement_list
        WHERE hospital_code = ${hospital} AND period = ${period} GROUP BY 1, 2, 3, 4, 5`.execute(trx);
    }
    await trx
      .updateTable("regroup_run")
      .set({ applied: written.length })
      .where("run_id", "=", runId)
      .execute();
    return { runId, applied: written.length, skipped };
  });
}
