/**
 * 指标汇总 (indicator cubes): the stored lists summed per hospital × department × physician × DRG ×
 * period × group status (`console_cube`) and per hospital × DRG × period × status (`console_cube_hd`),
 * with each stay's readmission gap computed once at refresh. Every indicator of @yibao/indicators is
 * a sum over these cells, so pages query tens of thousands of cells instead of a million stays.
 * Weights: those loaded with `loadDrgWeights` (from a payment weight table), else derived from the
 * stored lists (group average cost ÷ region average cost of grouped cases).
 */
import { sql } from "kysely";
import type { ConsoleDb } from "./schema.js";

export interface CubeState {
  readonly refreshedAt: string;
  readonly sourceCount: number;
  readonly baseRateFen: number | null;
  readonly weightSource: string;
}

/**
 * What the cubes were built from: the number of lists (from the store's list-count summary, not a
 * count over a million lists) and the latest upload (an index look-up).
 */
const SOURCE_STATE = sql`SELECT (SELECT coalesce(sum(lists), 0) FROM settlement_list_count)::int AS n,
  (SELECT max(received_at) FROM settlement_list) AS max`;

/** Rebuilds both cubes, the derived weights and the base rate in one transaction. */
export async function refreshCube(db: ConsoleDb): Promise<CubeState> {
  return db.transaction().execute(async (trx) => {
    await sql`DELETE FROM console_cube`.execute(trx);
    await sql`DELETE FROM console_cube_hd`.execute(trx);
    await sql`INSERT INTO console_cube (hospital_code, dept, physician, physician_name, period, drg, group_status,
        lists, cases, total_cost_fen, fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30)
      WITH stays AS (
        SELECT s.hospital_code, s.dscg_caty AS dept,
          coalesce(s.message->'input'->'setlinfo'->>'chfpdr_code', '') AS physician,
          coalesce(s.message->'input'->'setlinfo'->>'chfpdr_name', '') AS physician_name,
          s.period, s.drg, s.group_status, s.status, s.total_fee_fen, s.fund_pay_fen, s.personal_pay_fen,
          coalesce(s.los, 0) AS los, s.dscg_way,
          CASE WHEN s.status = 'accepted' AND s.dscg_way <> '5'
                AND coalesce(s.message->'input'->'setlinfo'->>'days_rinp_flag_31', '') <> '2'
                AND s.adm_date IS NOT NULL AND s.dscg_date IS NOT NULL
            THEN (SELECT min(n.adm_date) FROM settlement_list n
                  WHERE n.patient_key = s.patient_key AND n.adm_date >= s.dscg_date
                    AND (n.adm_date, n.dscg_date, n.setl_id COLLATE "C")
                      > (s.adm_date, s.dscg_date, s.setl_id COLLATE "C")) - s.dscg_date
          END AS gap
        FROM settlement_list s)
      SELECT hospital_code, dept, physician, max(physician_name), period, drg, group_status,
        count(*), count(*) FILTER (WHERE status = 'accepted'),
        coalesce(sum(total_fee_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(fund_pay_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(personal_pay_fen) FILTER (WHERE status = 'accepted'), 0),
        coalesce(sum(los) FILTER (WHERE status = 'accepted'), 0),
        count(*) FILTER (WHERE status = 'accepted' AND dscg_way = '5'),
        count(*) FILTER (WHERE status = 'accepted' AND dscg_way <> '5'),
        count(*) FILTER (WHERE gap <= 14), count(*) FILTER (WHERE gap <= 30)
      FROM stays GROUP BY hospital_code, dept, physician, period, drg, group_status`.execute(trx);
    await sql`INSERT INTO console_cube_hd (hospital_code, period, drg, group_status, lists, cases, total_cost_fen,
        fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30)
      SELECT hospital_code, period, drg, group_status, sum(lists), sum(cases), sum(total_cost_fen),
        sum(fund_pay_fen), sum(personal_pay_fen), sum(los_sum), sum(deaths), sum(alive), sum(readm14), sum(readm30)
      FROM console_cube GROUP BY hospital_code, period, drg, group_status`.execute(trx);
    // Fresh statistics, so the pages' queries are planned for the new cells.
    await sql`ANALYZE console_cube`.execute(trx);
    await sql`ANALYZE console_cube_hd`.execute(trx);
    const loaded = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM console_drg_weight WHERE source = 'loaded'`.execute(trx);
    const weightSource = (loaded.rows[0]?.n ?? 0) > 0 ? "loaded" : "derived";
    if (weightSource === "derived") {
      await sql`DELETE FROM console_drg_weight`.execute(trx);
      await sql`INSERT INTO console_drg_weight (drg, rw, source)
        SELECT c.drg, (sum(c.total_cost_fen)::float8 / sum(c.cases)) / r.avg_cost, 'derived'
        FROM console_cube_hd c,
          (SELECT sum(total_cost_fen)::float8 / nullif(sum(cases), 0) AS avg_cost
             FROM console_cube_hd WHERE group_status = 'OK') r
        WHERE c.group_status = 'OK' AND r.avg_cost > 0
        GROUP BY c.drg, r.avg_cost HAVING sum(c.cases) > 0`.execute(trx);
    }
    const rate = await sql<{
      rate: number | null;
    }>`SELECT sum(c.total_cost_fen)::float8 / nullif(sum(c.cases * w.rw), 0) AS rate
      FROM console_cube_hd c JOIN console_drg_weight w ON w.drg = c.drg WHERE c.group_status = 'OK'`.execute(
      trx,
    );
    const count = await sql<{
      n: number;
      max: Date | null;
    }>`${SOURCE_STATE}`.execute(trx);
    const state = {
      id: 1,
      refreshed_at: new Date(),
      source_count: count.rows[0]?.n ?? 0,
      source_max_received: count.rows[0]?.max ?? null,
      base_rate_fen: rate.rows[0]?.rate ?? null,
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
      baseRateFen: state.base_rate_fen,
      weightSource,
    };
  });
}

/** Replaces the weights with a loaded table (e.g. the payment package's calibrated RW). */
export async function loadDrgWeights(
  db: ConsoleDb,
  weights: readonly { drg: string; rw: number }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("console_drg_weight").execute();
    for (let i = 0; i < weights.length; i += 1000) {
      await trx
        .insertInto("console_drg_weight")
        .values(weights.slice(i, i + 1000).map((w) => ({ drg: w.drg, rw: w.rw, source: "loaded" })))
        .execute();
    }
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
    private readonly delayMs = 1500,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  refresh(): Promise<CubeState> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = refreshCube(this.db).finally(() => {
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

  /** Refreshes when the stored lists changed since the last refresh (or there was none). */
  async check(): Promise<void> {
    const [state, src] = await Promise.all([
      cubeState(this.db),
      sql<{
        n: number;
        max: Date | null;
      }>`${SOURCE_STATE}`.execute(this.db),
    ]);
    const n = src.rows[0]?.n ?? 0;
    const max = src.rows[0]?.max ?? null;
    const row = await this.db
      .selectFrom("console_cube_state")
      .select("source_max_received")
      .where("id", "=", 1)
      .executeTakeFirst();
    if (
      !state ||
      state.sourceCount !== n ||
      (row?.source_max_received?.getTime() ?? null) !== (max?.getTime() ?? null)
    ) {
      await this.refresh();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
