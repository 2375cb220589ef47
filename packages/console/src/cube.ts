/**
 * 指标汇总 (indicator cubes): the stored lists summed per hospital × department × physician × DRG ×
 * period × group status × scheme (`console_cube`) and per hospital × DRG × period × status × scheme
 * (`console_cube_hd`), with each stay's readmission gap computed once at refresh. Every indicator of @yibao/indicators is
 * a sum over these cells, so pages query tens of thousands of cells instead of a million stays.
 * CMI and surplus come from the payment area's settlements: each settled stay's RW is the one of the
 * weight table in force that settlement used, its payment what settlement paid (nothing is re-derived).
 */
import { sql } from "kysely";
import type { ConsoleDb } from "./schema.js";
import type { ConsoleSources } from "./sources.js";

export interface CubeState {
  readonly refreshedAt: string;
  readonly sourceCount: number;
  readonly baseRateFen: number | null;
  readonly weightSource: string;
}

/**
 * What the cubes are built from, as one string the freshness check compares: the lists (count and
 * latest upload), the latest payment run and the audit findings (count and latest change) where
 * those areas are sources (read through their published views).
 */
async function sourceSignature(
  db: ConsoleDb,
  areas: ConsoleSources,
): Promise<{ n: number; max: Date | null; signature: string }> {
  // The list count from the store's list-count summary (not a count over a million lists) and the
  // latest upload (an index look-up).
  // A regrouping (重新分组) changes groups without an upload: its last run counts too.
  const lists = await sql<{ n: number; max: Date | null; regroup: number | null }>`SELECT
    (SELECT coalesce(sum(lists), 0) FROM settlement_list_count)::int AS n,
    (SELECT max(received_at) FROM settlement_list) AS max,
    (SELECT max(run_id) FROM regroup_run) AS regroup`.execute(db);
  const n = lists.rows[0]?.n ?? 0;
  const max = lists.rows[0]?.max ?? null;
  const parts = [String(n), max?.toISOString() ?? "", `regroup:${lists.rows[0]?.regroup ?? ""}`];
  if (areas.payment) {
    const r = await sql<{ id: string | null }>`SELECT run_id::text AS id FROM payment_latest_run`.execute(db);
    parts.push(`pay:${r.rows[0]?.id ?? ""}`);
  }
  if (areas.audit) {
    const r = await sql<{ n: number; at: Date | null }>`SELECT count(*)::int AS n, max(updated_at) AS at
      FROM audit_finding_cell`.execute(db);
    parts.push(`audit:${r.rows[0]?.n ?? 0}:${r.rows[0]?.at?.toISOString() ?? ""}`);
  }
  return { n, max, signature: parts.join("|") };
}

/**
 * Rebuilds both cubes in one transaction. Where the payment and audit areas are sources, each cell
 * also sums its stays' current settlements (DRG payment, cost, RW of the weight table in force,
 * outliers) and the audit findings of its hospital and period with what was deducted for them.
 */
export async function refreshCube(db: ConsoleDb, areas: ConsoleSources): Promise<CubeState> {
  return db.transaction().execute(async (trx) => {
    const { payment, audit } = areas;
    const settled = payment
      ? sql`ss.setl_id IS NOT NULL AND s.status = 'accepted' AS settled, coalesce(ss.drg_payment_fen, 0) AS settled_pay,
          coalesce(ss.total_cost_fen, 0) AS settled_cost, ss.outlier, ss.rw_ppm`
      : sql`false AS settled, 0 AS settled_pay, 0 AS settled_cost, NULL::text AS outlier, NULL::int AS rw_ppm`;
    const settledJoin = payment
      ? sql`LEFT JOIN payment_settled_stay ss ON ss.setl_id = s.setl_id AND ss.list_version = s.version`
      : sql``;
    await sql`DELETE FROM console_cube`.execute(trx);
    await sql`DELETE FROM console_cube_hd`.execute(trx);
    await sql`INSERT INTO console_cube (hospital_code, dept, physician, physician_name, period, drg, group_status,
        scheme_id, lists, cases, total_cost_fen, fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30,
        settled_cases, settled_payment_fen, settled_cost_fen, settled_weighted, settled_rw_ppm, high_outliers,
        low_outliers, audit_findings, recovered_fen)
      WITH stays AS (
        SELECT s.hospital_code, s.dscg_caty AS dept,
          s.chfpdr_code AS physician, s.chfpdr_name AS physician_name,
          s.period, s.drg, s.group_status, s.scheme_id, s.status, s.total_fee_fen, s.fund_pay_fen, s.personal_pay_fen,
          coalesce(s.los, 0) AS los, s.dscg_way, ${settled},
          CASE WHEN s.status = 'accepted' AND s.dscg_way <> '5'
                AND s.days_rinp_flag_31 <> '2'
                AND s.adm_date IS NOT NULL AND s.dscg_date IS NOT NULL
            THEN (SELECT min(n.adm_date) FROM settlement_list n
                  WHERE n.patient_key = s.patient_key AND n.adm_date >= s.dscg_date
                    AND (n.adm_date, n.dscg_date, n.setl_id COLLATE "C")
                      > (s.adm_date, s.dscg_date, s.setl_id COLLATE "C")) - s.dscg_date
          END AS gap
        FROM settlement_list s ${settledJoin})
      SELECT hospital_code, dept, physician, max(physician_name), period, drg, group_status, scheme_id,
        count(*), count(*) FILTER (WHERE status = 'accepted'),
        coalesce(sum(total_fee_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(fund_pay_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(personal_pay_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(los) FILTER (WHERE status = 'accepted'), 0),
        count(*) FILTER (WHERE status = 'accepted' AND dscg_way = '5'),
        count(*) FILTER (WHERE status = 'accepted' AND dscg_way <> '5'),
        count(*) FILTER (WHERE gap <= 14), count(*) FILTER (WHERE gap <= 30),
        count(*) FILTER (WHERE settled), coalesce(sum(settled_pay) FILTER (WHERE settled), 0),
        coalesce(sum(settled_cost) FILTER (WHERE settled), 0),
        count(*) FILTER (WHERE settled AND rw_ppm IS NOT NULL),
        coalesce(sum(rw_ppm) FILTER (WHERE settled), 0),
        count(*) FILTER (WHERE settled AND outlier = 'high'), count(*) FILTER (WHERE settled AND outlier = 'low'),
        0, 0
      FROM stays GROUP BY hospital_code, dept, physician, period, drg, group_status, scheme_id`.execute(trx);
    if (audit) {
      // Every audit finding counts once, in its own hospital and period (as the audit queue counts it),
      // in the department, physician and DRG of its first list when that list is the hospital's; the
      // cells it adds hold no lists. Recovered (追回) = what was deducted for it.
      await sql`INSERT INTO console_cube (hospital_code, dept, physician, physician_name, period, drg, group_status,
          scheme_id, lists, cases, total_cost_fen, fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30,
          audit_findings, recovered_fen)
        SELECT f.hospital_code, coalesce(s.dscg_caty, ''),
          coalesce(s.chfpdr_code, ''), coalesce(max(s.chfpdr_name), ''),
          f.period, coalesce(s.drg, ''), coalesce(s.group_status, ''), coalesce(s.scheme_id, ''),
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), coalesce(sum(f.recovered), 0)
        FROM (SELECT f.finding_id, f.hospital_code, f.period, f.setl_id, coalesce(d.amount_fen, 0) AS recovered
          FROM audit_finding_cell f LEFT JOIN payment_recovered_by_finding d ON d.finding_id = f.finding_id) f
        LEFT JOIN settlement_list s ON s.setl_id = f.setl_id AND s.hospital_code = f.hospital_code
        GROUP BY 1, 2, 3, 5, 6, 7, 8`.execute(trx);
    }
    await sql`INSERT INTO console_cube_hd (hospital_code, period, drg, group_status, scheme_id, lists, cases, total_cost_fen,
        fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30,
        settled_cases, settled_payment_fen, settled_cost_fen, settled_weighted, settled_rw_ppm, high_outliers,
        low_outliers, audit_findings, recovered_fen)
      SELECT hospital_code, period, drg, group_status, scheme_id, sum(lists), sum(cases), sum(total_cost_fen),
        sum(fund_pay_fen), sum(personal_pay_fen), sum(los_sum), sum(deaths), sum(alive), sum(readm14), sum(readm30),
        sum(settled_cases), sum(settled_payment_fen), sum(settled_cost_fen), sum(settled_weighted),
        sum(settled_rw_ppm), sum(high_outliers), sum(low_outliers), sum(audit_findings), sum(recovered_fen)
      FROM console_cube GROUP BY hospital_code, period, drg, group_status, scheme_id`.execute(trx);
    // Fresh statistics, so the pages' queries are planned for the new cells.
    await sql`ANALYZE console_cube`.execute(trx);
    await sql`ANALYZE console_cube_hd`.execute(trx);
    const weightSource = payment ? "settlement" : "none";
    const source = await sourceSignature(trx, areas);
    const state = {
      id: 1,
      refreshed_at: new Date(),
      source_count: source.n,
      source_max_received: source.max,
      source_signature: source.signature,
      base_rate_fen: null,
      weight_source: weightSource,
    };
    await trx
      .insertInto("console_cube_state")
      .values(state)
      .onConflict((oc) => oc.column("id").doUpdateSet(state))
      .execute();
    return {
      refreshedAt: state.refreshed_at.toISOString(),
      sourceCount: state.source_count,
      baseRateFen: null,
      weightSource,
    };
  });
}

export async function cubeState(db: ConsoleDb): Promise<CubeState | null> {
  const r = await db.selectFrom("console_cube_state").selectAll().where("id", "=", 1).executeTakeFirst();
  if (!r) return null;
  return {
    refreshedAt: r.refreshed_at.toISOString(),
    sourceCount: r.source_count,
    baseRateFen: r.base_rate_fen,
    weightSource: r.weight_source,
  };
}

/**
 * Keeps the cubes fresh: `markDirty()` after uploads schedules one refresh after `delayMs`;
 * `check()` compares the source table with the last refresh (count and latest upload) and refreshes
 * when lists arrived another way (CLI import). Refreshes never overlap.
 */
export class CubeRefresher {
  private running: Promise<CubeState> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private again = false;
  constructor(
    private readonly db: ConsoleDb,
    private readonly sources: ConsoleSources,
    private readonly delayMs = 1500,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  refresh(): Promise<CubeState> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = refreshCube(this.db, this.sources).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.markDirty();
      }
    });
    return this.running;
  }

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch(this.onError);
    }, this.delayMs);
    this.timer.unref();
  }

  /**
   * Refreshes when what the cubes are built from changed since the last refresh (or there was none):
   * lists that arrived another way (CLI import), a settlement run, an audit run or a case decision.
   */
  async check(): Promise<void> {
    const [row, src] = await Promise.all([
      this.db
        .selectFrom("console_cube_state")
        .select("source_signature")
        .where("id", "=", 1)
        .executeTakeFirst(),
      sourceSignature(this.db, this.sources),
    ]);
    if (!row || row.source_signature !== src.signature) await this.refresh();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
