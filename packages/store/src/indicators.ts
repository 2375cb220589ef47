/**
 * 清单质控指标 per hospital and settlement period: upload rate, QC pass rate, grouping rate (QY groups
 * count as grouped, as everywhere), share of
 * ungroupable `0000` cases and findings by rule. Counts come from the database; ratios are computed
 * here and are null when their denominator is zero or unknown.
 */
import { type QcCounts, type QcIndicators, qcIndicatorsOf } from "@yibao/settlement";
import { type Kysely, sql } from "kysely";
import type { FindingSeverity, StoreDatabase } from "./schema.js";

/** Which lists the indicators cover. */
export interface IndicatorFilter {
  readonly hospital?: string;
  /** yyyy-MM, inclusive. */
  readonly periodFrom?: string;
  /** yyyy-MM, inclusive. */
  readonly periodTo?: string;
}

/** The counts behind the indicators and the indicators themselves: the settlement area's one definition. */
export type { QcIndicators } from "@yibao/settlement";

/** 质控问题按规则统计 over the current versions of the lists. */
export interface FindingsByRule {
  readonly ruleId: string;
  readonly severity: FindingSeverity;
  /** Number of findings. */
  readonly findings: number;
  /** Number of lists with at least one finding of the rule. */
  readonly lists: number;
}

/** The indicators of one hospital in one period. */
export interface QcIndicatorRow extends QcIndicators {
  readonly hospitalCode: string;
  readonly period: string;
}

/** Overall indicators, a row per hospital and period, and findings by rule. */
export interface QcIndicatorReport {
  readonly total: QcIndicators;
  readonly rows: QcIndicatorRow[];
  readonly findingsByRule: FindingsByRule[];
}

/** Computes the QC indicators for the filter. */
export async function qcIndicators(
  db: Kysely<StoreDatabase>,
  filter: IndicatorFilter = {},
): Promise<QcIndicatorReport> {
  const cond = (alias: string) => {
    const parts = [sql`TRUE`];
    if (filter.hospital !== undefined)
      parts.push(sql`${sql.ref(`${alias}.hospital_code`)} = ${filter.hospital}`);
    if (filter.periodFrom !== undefined)
      parts.push(sql`${sql.ref(`${alias}.period`)} >= ${filter.periodFrom}`);
    if (filter.periodTo !== undefined) parts.push(sql`${sql.ref(`${alias}.period`)} <= ${filter.periodTo}`);
    return sql.join(parts, sql` AND `);
  };
  // From the summaries saveSettlementLists keeps (see rebuildStoreSummaries); rows may hold zeros.
  const lists = await sql<{
    hospital_code: string;
    period: string;
    lists: number;
    accepted: number;
    grouped: number;
    ambiguous: number;
    ungrouped: number;
  }>`SELECT s.hospital_code, s.period,
        sum(s.lists)::int8 AS lists,
        coalesce(sum(s.lists) FILTER (WHERE s.status = 'accepted'), 0)::int8 AS accepted,
        coalesce(sum(s.lists) FILTER (WHERE s.status = 'accepted' AND s.group_status = 'OK'), 0)::int8 AS grouped,
        coalesce(sum(s.lists) FILTER (WHERE s.status = 'accepted' AND s.group_status = 'AMBIGUOUS'), 0)::int8 AS ambiguous,
        coalesce(sum(s.lists) FILTER (WHERE s.status = 'accepted' AND s.drg = '0000'), 0)::int8 AS ungrouped
      FROM settlement_list_count s WHERE ${cond("s")}
      GROUP BY s.hospital_code, s.period HAVING sum(s.lists) > 0`.execute(db);
  const refused = await sql<{ hospital_code: string; period: string; n: number }>`
      SELECT r.hospital_code, r.period, r.uploads::int8 AS n FROM refused_upload_count r
      WHERE ${cond("r")} AND r.uploads > 0`.execute(db);
  const settled = await sql<{ hospital_code: string; period: string; settled_count: number }>`
      SELECT c.hospital_code, c.period, c.settled_count FROM settled_count c WHERE ${cond("c")}`.execute(db);
  const byRule = await sql<{ rule_id: string; severity: FindingSeverity; findings: number; lists: number }>`
      SELECT f.rule_id, f.severity, sum(f.findings)::int8 AS findings, sum(f.lists)::int8 AS lists
      FROM qc_finding_count f WHERE ${cond("f")}
      GROUP BY f.rule_id, f.severity HAVING sum(f.findings) > 0
      ORDER BY sum(f.findings) DESC, f.rule_id, f.severity`.execute(db);

  const key = (h: string, p: string) => `${h}\u0000${p}`;
  const rows = new Map<
    string,
    { -readonly [K in keyof QcCounts]: QcCounts[K] } & { hospitalCode: string; period: string }
  >();
  const row = (h: string, p: string) => {
    let r = rows.get(key(h, p));
    if (!r) {
      r = {
        hospitalCode: h,
        period: p,
        lists: 0,
        accepted: 0,
        refused: 0,
        refusedReuploads: 0,
        settledCount: null,
        grouped: 0,
        ambiguous: 0,
        ungrouped: 0,
      };
      rows.set(key(h, p), r);
    }
    return r;
  };
  for (const l of lists.rows) {
    Object.assign(row(l.hospital_code, l.period), {
      lists: l.lists,
      accepted: l.accepted,
      refused: l.lists - l.accepted,
      grouped: l.grouped,
      ambiguous: l.ambiguous,
      ungrouped: l.ungrouped,
    });
  }
  for (const r of refused.rows) row(r.hospital_code, r.period).refusedReuploads = r.n;
  for (const c of settled.rows) row(c.hospital_code, c.period).settledCount = c.settled_count;

  const all = [...rows.values()].sort((a, b) =>
    a.hospitalCode === b.hospitalCode
      ? a.period.localeCompare(b.period)
      : a.hospitalCode.localeCompare(b.hospitalCode),
  );
  const sum = (f: (c: QcCounts) => number) => all.reduce((acc, r) => acc + f(r), 0);
  const settledRows = all.filter((r) => r.settledCount !== null);
  const total: QcCounts = {
    lists: sum((r) => r.lists),
    accepted: sum((r) => r.accepted),
    refused: sum((r) => r.refused),
    refusedReuploads: sum((r) => r.refusedReuploads),
    // The upload rate is only meaningful over the hospitals and periods whose settled count is known.
    settledCount:
      settledRows.length === 0 ? null : settledRows.reduce((a, r) => a + (r.settledCount ?? 0), 0),
    settledLists: settledRows.reduce((a, r) => a + r.lists, 0),
    grouped: sum((r) => r.grouped),
    ambiguous: sum((r) => r.ambiguous),
    ungrouped: sum((r) => r.ungrouped),
  };
  return {
    total: qcIndicatorsOf(total),
    rows: all.map((r) => ({ hospitalCode: r.hospitalCode, period: r.period, ...qcIndicatorsOf(r) })),
    findingsByRule: byRule.rows.map((r) => ({
      ruleId: r.rule_id,
      severity: r.severity,
      findings: r.findings,
      lists: r.lists,
    })),
  };
}

/** Records 应上传清单数 of a hospital in a period (the upload-rate denominator), replacing any earlier value. */
export async function setSettledCount(
  db: Kysely<StoreDatabase>,
  hospitalCode: string,
  period: string,
  settledCount: number,
): Promise<void> {
  if (!Number.isInteger(settledCount) || settledCount < 0)
    throw new Error(`应上传清单数应为非负整数：${settledCount}`);
  await db
    .insertInto("settled_count")
    .values({ hospital_code: hospitalCode, period, settled_count: settledCount, updated_at: new Date() })
    .onConflict((oc) =>
      oc.columns(["hospital_code", "period"]).doUpdateSet((eb) => ({
        settled_count: eb.ref("excluded.settled_count"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}
