/**
 * The indicators of @yibao/indicators (docs/indicators.md §3, §6) as SQL sums over the cubes: each row
 * returns the fields of `IndicatorCounts`, turned into values by the same `indicatorValues`. Region
 * baselines (per-DRG average cost and stay) and low-risk groups come from all hospitals in the period,
 * per scheme and DRG code (a code of one scheme edition is not the group of the same code in another).
 * CMI, surplus or loss: from the payment area's current settlements only (each settled stay's RW of
 * the weight table in force, its actual DRG payment); stays not settled count in neither. Audit
 * findings and recovered amounts come from the audit area through the cubes.
 * Parameterized: dimensions are chosen from a fixed list, values are bound.
 */
import { type IndicatorCounts, type IndicatorId, indicatorValues, LOW_RISK_MARGIN } from "@yibao/indicators";
import { type RawBuilder, sql } from "kysely";
import type { ConsoleDb } from "./schema.js";

export type Dimension = "hospital" | "dept" | "physician" | "drg" | "period";

const DIM_COLUMN: Readonly<Record<Dimension, string>> = {
  hospital: "hospital_code",
  dept: "dept",
  physician: "physician",
  drg: "drg",
  period: "period",
};

export interface IndicatorQuery {
  readonly dims: readonly Dimension[];
  readonly hospital?: string | undefined;
  readonly periodFrom?: string | undefined;
  readonly periodTo?: string | undefined;
  readonly limit?: number;
}

export interface IndicatorSqlRow {
  /** The dimension values, keyed by dimension. */
  readonly keys: Readonly<Record<string, string>>;
  /** Physician name when grouped by physician. */
  readonly physicianName?: string;
  readonly counts: IndicatorCounts;
  readonly values: Record<IndicatorId, number | null>;
}

function periodFilter(alias: string, from?: string, to?: string): RawBuilder<unknown> {
  const col = sql.ref(`${alias}.period`);
  return sql`${from ? sql`${col} >= ${from}` : sql`true`} AND ${to ? sql`${col} <= ${to}` : sql`true`}`;
}

/** Runs the indicator sums grouped by `dims` (none = one region row). */
export async function queryIndicators(db: ConsoleDb, q: IndicatorQuery): Promise<IndicatorSqlRow[]> {
  const fine = q.dims.some((d) => d === "dept" || d === "physician");
  const table = sql.table(fine ? "console_cube" : "console_cube_hd");
  const groupCols = q.dims.map((d) => sql.ref(`c.${DIM_COLUMN[d]}`));
  const selectKeys = q.dims.map((d) => sql`${sql.ref(`c.${DIM_COLUMN[d]}`)} AS ${sql.id(`k_${d}`)}`);
  const physicianName = q.dims.includes("physician") ? sql`, max(c.physician_name) AS physician_name` : sql``;
  const hospitalFilter = q.hospital ? sql`AND c.hospital_code = ${q.hospital}` : sql``;
  const ok = sql`c.group_status = 'OK'`;
  const result = await sql<Record<string, unknown>>`
    WITH baseline AS (
      SELECT scheme_id, drg, sum(total_cost_fen)::float8 / sum(cases) AS avg_cost,
        sum(los_sum)::float8 / sum(cases) AS avg_los
      FROM console_cube_hd b WHERE group_status = 'OK' AND ${periodFilter("b", q.periodFrom, q.periodTo)}
      GROUP BY scheme_id, drg HAVING sum(cases) > 0),
    mortality AS (
      SELECT scheme_id, drg, ln(sum(deaths)::float8 / sum(cases)) AS x
      FROM console_cube_hd m WHERE group_status = 'OK' AND ${periodFilter("m", q.periodFrom, q.periodTo)}
      GROUP BY scheme_id, drg HAVING sum(deaths) > 0),
    stats AS (SELECT avg(x) AS mu, stddev_pop(x) AS sd, count(*) AS n FROM mortality),
    low_risk AS (
      SELECT scheme_id, drg FROM mortality, stats WHERE n >= 2 AND x < mu - sd - ${LOW_RISK_MARGIN}::float8)
    SELECT ${sql.join([...selectKeys, sql`1 AS one`])} ${physicianName},
      coalesce(sum(c.lists), 0)::float8 AS lists,
      coalesce(sum(c.cases), 0)::float8 AS cases,
      coalesce(sum(c.cases) FILTER (WHERE c.group_status IN ('OK', 'AMBIGUOUS')), 0)::float8 AS grouped_cases,
      coalesce(sum(c.cases) FILTER (WHERE c.group_status = 'AMBIGUOUS'), 0)::float8 AS qy_cases,
      coalesce(sum(c.cases) FILTER (WHERE c.group_status IN ('UNGROUPABLE', 'CHECK_FAILED')), 0)::float8 AS ungrouped_cases,
      coalesce(sum(c.settled_weighted), 0)::float8 AS weighted_cases,
      (coalesce(sum(c.settled_rw_ppm), 0) / 1000000.0)::float8 AS total_weight,
      count(DISTINCT (c.scheme_id, c.drg)) FILTER (WHERE c.settled_weighted > 0)::float8 AS drg_count,
      coalesce(sum(c.total_cost_fen), 0)::float8 AS total_cost_fen,
      coalesce(sum(c.fund_pay_fen), 0)::float8 AS fund_pay_fen,
      coalesce(sum(c.personal_pay_fen), 0)::float8 AS patient_share_fen,
      coalesce(sum(c.los_sum), 0)::float8 AS total_los,
      coalesce(sum(c.total_cost_fen::float8 / b.avg_cost) FILTER (WHERE ${ok} AND b.avg_cost > 0), 0) AS cei_sum,
      coalesce(sum(c.cases) FILTER (WHERE ${ok} AND b.avg_cost > 0), 0)::float8 AS cei_cases,
      coalesce(sum(c.los_sum::float8 / b.avg_los) FILTER (WHERE ${ok} AND b.avg_los > 0), 0) AS tei_sum,
      coalesce(sum(c.cases) FILTER (WHERE ${ok} AND b.avg_los > 0), 0)::float8 AS tei_cases,
      coalesce(sum(c.alive), 0)::float8 AS alive,
      coalesce(sum(c.readm14), 0)::float8 AS readm14,
      coalesce(sum(c.readm30), 0)::float8 AS readm30,
      coalesce(sum(c.settled_cases), 0)::float8 AS paid_cases,
      coalesce(sum(c.settled_payment_fen), 0)::float8 AS drg_payment_fen,
      coalesce(sum(c.settled_cost_fen), 0)::float8 AS paid_cost_fen,
      coalesce(sum(c.audit_findings), 0)::float8 AS audit_findings,
      coalesce(sum(c.recovered_fen), 0)::float8 AS recovered_fen,
      coalesce(sum(c.cases) FILTER (WHERE ${ok} AND lr.drg IS NOT NULL), 0)::float8 AS low_risk_cases,
      coalesce(sum(c.deaths) FILTER (WHERE ${ok} AND lr.drg IS NOT NULL), 0)::float8 AS low_risk_deaths
    FROM ${table} c
    LEFT JOIN baseline b ON b.scheme_id = c.scheme_id AND b.drg = c.drg
    LEFT JOIN low_risk lr ON lr.scheme_id = c.scheme_id AND lr.drg = c.drg
    WHERE ${periodFilter("c", q.periodFrom, q.periodTo)} ${hospitalFilter}
    ${groupCols.length > 0 ? sql`GROUP BY ${sql.join(groupCols)}` : sql``}
    ${groupCols.length > 0 ? sql`ORDER BY ${sql.join(groupCols)}` : sql``}
    ${q.limit ? sql`LIMIT ${q.limit}` : sql``}`.execute(db);
  return result.rows.map((r) => {
    const n = (k: string) => Number(r[k] ?? 0);
    const counts: IndicatorCounts = {
      settlements: n("cases"),
      cases: n("cases"),
      groupedCases: n("grouped_cases"),
      qyCases: n("qy_cases"),
      ungroupedCases: n("ungrouped_cases"),
      weightedCases: n("weighted_cases"),
      totalWeight: n("total_weight"),
      drgCount: n("drg_count"),
      totalCostFen: n("total_cost_fen"),
      fundPayFen: n("fund_pay_fen"),
      patientShareFen: n("patient_share_fen"),
      totalLos: n("total_los"),
      ceiSum: n("cei_sum"),
      ceiCases: n("cei_cases"),
      teiSum: n("tei_sum"),
      teiCases: n("tei_cases"),
      aliveDischarges: n("alive"),
      readmissions14: n("readm14"),
      readmissions30: n("readm30"),
      qcChecked: n("lists"),
      qcPassed: n("cases"),
      paidCases: n("paid_cases"),
      drgPaymentFen: n("drg_payment_fen"),
      paidCostFen: n("paid_cost_fen"),
      auditFindings: n("audit_findings"),
      recoveredFen: n("recovered_fen"),
      lowRiskCases: n("low_risk_cases"),
      lowRiskDeaths: n("low_risk_deaths"),
    };
    const keys: Record<string, string> = {};
    for (const d of q.dims) keys[d] = String(r[`k_${d}`] ?? "");
    return {
      keys,
      ...(r.physician_name !== undefined ? { physicianName: String(r.physician_name) } : {}),
      counts,
      values: indicatorValues(counts),
    };
  });
}

/** 分组方案的 CMI: the CMI of the stays one scheme grouped, within one row of the dimensions. */
export interface SchemeCmiRow {
  readonly keys: Readonly<Record<string, string>>;
  readonly schemeId: string;
  /** Settled stays with a relative weight (the CMI's denominator). */
  readonly weightedCases: number;
  readonly totalWeight: number;
  readonly cmi: number | null;
}

/**
 * CMI per grouping scheme (分组方案切换): each scheme's relative weights measure its own groups, so
 * a range whose lists two schemes grouped has one CMI per scheme rather than a mixed one. Rows by
 * `dims` then scheme; schemes without a weighted stay are left out.
 */
export async function queryCmiBySchemes(db: ConsoleDb, q: IndicatorQuery): Promise<SchemeCmiRow[]> {
  const fine = q.dims.some((d) => d === "dept" || d === "physician");
  const table = sql.table(fine ? "console_cube" : "console_cube_hd");
  const cols = q.dims.map((d) => sql.ref(`c.${DIM_COLUMN[d]}`));
  const selectKeys = q.dims.map((d) => sql`${sql.ref(`c.${DIM_COLUMN[d]}`)} AS ${sql.id(`k_${d}`)}`);
  const hospitalFilter = q.hospital ? sql`AND c.hospital_code = ${q.hospital}` : sql``;
  const result = await sql<Record<string, unknown>>`
    SELECT ${sql.join([...selectKeys, sql`c.scheme_id`])},
      sum(c.settled_weighted)::float8 AS weighted_cases,
      (sum(c.settled_rw_ppm) / 1000000.0)::float8 AS total_weight
    FROM ${table} c
    WHERE ${periodFilter("c", q.periodFrom, q.periodTo)} ${hospitalFilter}
    GROUP BY ${sql.join([...cols, sql`c.scheme_id`])}
    HAVING sum(c.settled_weighted) > 0
    ORDER BY ${sql.join([...cols, sql`c.scheme_id`])}`.execute(db);
  return result.rows.map((r) => {
    const keys: Record<string, string> = {};
    for (const d of q.dims) keys[d] = String(r[`k_${d}`] ?? "");
    const weightedCases = Number(r.weighted_cases ?? 0);
    const totalWeight = Number(r.total_weight ?? 0);
    return {
      keys,
      schemeId: String(r.scheme_id ?? ""),
      weightedCases,
      totalWeight,
      cmi: weightedCases > 0 ? totalWeight / weightedCases : null,
    };
  });
}
