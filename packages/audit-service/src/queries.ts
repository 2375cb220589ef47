/** Reading findings and physician profiles (查询). */
import { CASE_STATE_NAMES, VIOLATION_TYPE_NAMES } from "@yibao/audit";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { type AuditLibraries, storedResponseDeadline } from "./context.js";
import type { FindingRow } from "./jobs.js";
import { dbOf } from "./read.js";

export interface FindingFilter {
  readonly hospital?: string;
  readonly period?: string;
  readonly periodFrom?: string;
  readonly periodTo?: string;
  /** 违规类型 (violation type id). */
  readonly type?: string;
  readonly status?: string;
  readonly outcome?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A finding in a list (without evidence and settlements). */
export interface FindingSummary {
  readonly findingId: string;
  readonly period: string;
  readonly hospitalCode: string;
  readonly physicianCode: string | null;
  readonly setlIds: readonly string[];
  readonly ruleId: string;
  readonly ruleName: string;
  readonly category: string;
  readonly violation: string;
  readonly violationName: string;
  readonly outcome: string;
  readonly message: string;
  readonly fundLossFen: number;
  readonly deductionFen: number;
  readonly status: string;
  readonly statusName: string;
  /**
   * 说明期限: the last day the hospital has to appeal or accept an open 可疑 finding (the rule base in
   * force on the day it was opened), null when none applies.
   */
  readonly responseDeadline: string | null;
}

/** The columns of a stored finding a summary reads (the row as the driver gives it back). */
type SummaryRow = Pick<
  FindingRow,
  | "finding_id"
  | "period"
  | "hospital_code"
  | "physician_code"
  | "setl_ids"
  | "rule_id"
  | "rule_name"
  | "category"
  | "violation"
  | "outcome"
  | "message"
  | "fund_loss_fen"
  | "deduction_fen"
  | "status"
> & { created_at: Date | string };

/** Findings matching the filter, newest period first, then by fund loss; with the total count. */
export async function readFindings(
  store: Store,
  f: FindingFilter,
  libraries?: AuditLibraries,
): Promise<{ total: number; totalFundLossFen: number; items: FindingSummary[] }> {
  const db = dbOf(store);
  const from = f.period ?? f.periodFrom ?? null;
  const to = f.period ?? f.periodTo ?? null;
  const where = sql`WHERE (${f.hospital ?? null}::text IS NULL OR hospital_code = ${f.hospital ?? null})
    AND (${from}::text IS NULL OR period >= ${from})
    AND (${to}::text IS NULL OR period <= ${to})
    AND (${f.type ?? null}::text IS NULL OR violation = ${f.type ?? null})
    AND (${f.status ?? null}::text IS NULL OR status = ${f.status ?? null})
    AND (${f.outcome ?? null}::text IS NULL OR outcome = ${f.outcome ?? null})`;
  const count = await sql<{
    n: number;
    loss: number | null;
  }>`SELECT count(*)::int AS n, sum(fund_loss_fen)::bigint AS loss
    FROM audit_finding ${where}`.execute(db);
  const rows =
    await sql<SummaryRow>`SELECT finding_id, period, hospital_code, physician_code, setl_ids, rule_id, rule_name,
      category, violation, outcome, message, fund_loss_fen, deduction_fen, status, created_at
    FROM audit_finding ${where}
    ORDER BY period DESC, fund_loss_fen DESC, finding_id
    LIMIT ${f.limit ?? 50} OFFSET ${f.offset ?? 0}`.execute(db);
  return {
    total: Number(count.rows[0]?.n ?? 0),
    totalFundLossFen: Number(count.rows[0]?.loss ?? 0),
    items: rows.rows.map((r) => summaryOf(r, libraries)),
  };
}

export function summaryOf(r: SummaryRow, libraries?: AuditLibraries): FindingSummary {
  return {
    findingId: r.finding_id,
    period: r.period,
    hospitalCode: r.hospital_code,
    physicianCode: r.physician_code,
    setlIds: r.setl_ids,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    category: r.category,
    violation: r.violation,
    violationName: VIOLATION_TYPE_NAMES[r.violation as keyof typeof VIOLATION_TYPE_NAMES] ?? r.violation,
    outcome: r.outcome,
    message: r.message,
    fundLossFen: Number(r.fund_loss_fen),
    deductionFen: Number(r.deduction_fen),
    status: r.status,
    statusName: CASE_STATE_NAMES[r.status as keyof typeof CASE_STATE_NAMES] ?? r.status,
    responseDeadline: storedResponseDeadline(r, libraries)?.deadline ?? null,
  };
}

/** Every finding of a period range, for export (no paging). */
export async function* allFindings(
  store: Store,
  from: string,
  to: string,
  hospital?: string,
): AsyncGenerator<FindingSummary> {
  let after = "";
  for (;;) {
    const r =
      await sql<SummaryRow>`SELECT finding_id, period, hospital_code, physician_code, setl_ids, rule_id, rule_name,
        category, violation, outcome, message, fund_loss_fen, deduction_fen, status, created_at
      FROM audit_finding
      WHERE period >= ${from} AND period <= ${to} AND finding_id > ${after}
        AND (${hospital ?? null}::text IS NULL OR hospital_code = ${hospital ?? null})
      ORDER BY finding_id LIMIT 5000`.execute(dbOf(store));
    for (const row of r.rows) yield summaryOf(row);
    const last = r.rows[r.rows.length - 1];
    if (r.rows.length < 5000 || last === undefined) return;
    after = last.finding_id;
  }
}

/** The stored physician profile of a period: by rank, with the alert counts and the watch list. */
export async function readProfile(store: Store, period: string) {
  const r = await sql<{
    physician_code: string;
    cases: number;
    indicator_values: Record<string, number>;
    cluster: number;
    score: number;
    alert: string | null;
    rank: number;
    watch: boolean;
    model: unknown;
  }>`SELECT physician_code, cases, indicator_values, cluster, score, alert, rank, watch, model
    FROM audit_physician_profile WHERE period = ${period} ORDER BY rank`.execute(dbOf(store));
  const alerts: Record<string, number> = { 红色: 0, 橙色: 0, 黄色: 0 };
  for (const p of r.rows) if (p.alert !== null) alerts[p.alert] = (alerts[p.alert] ?? 0) + 1;
  return {
    period,
    physicians: r.rows.length,
    /** Alert counts, of the suspect cluster's physicians (the others have no alert). */
    alerts,
    /** 重点关注名单: who to look at first. */
    watchList: r.rows.filter((p) => p.watch).map((p) => p.physician_code),
    model: r.rows[0]?.model ?? null,
    profiles: r.rows.map((p) => ({
      physician: p.physician_code,
      cases: p.cases,
      values: p.indicator_values,
      cluster: p.cluster,
      score: p.score,
      alert: p.alert,
      rank: p.rank,
      watch: p.watch,
    })),
  };
}

/**
 * The periods (or ranges) that have a physician profile, with how many physicians each profiles and
 * when its audit finished: the latest audit first (the console opens its profile by default).
 */
export async function readProfilePeriods(store: Store) {
  const r = await sql<{
    period: string;
    physicians: number;
    run_id: number;
    finished_at: Date | string | null;
  }>`
    SELECT p.period, p.physicians, p.run_id, r.finished_at
    FROM (SELECT period, count(*)::int AS physicians, max(run_id) AS run_id
          FROM audit_physician_profile GROUP BY period) p
    LEFT JOIN audit_run r ON r.run_id = p.run_id
    ORDER BY p.run_id DESC, p.period DESC`.execute(dbOf(store));
  return r.rows.map((p) => ({
    period: p.period,
    physicians: p.physicians,
    runId: Number(p.run_id),
    auditedAt: p.finished_at === null ? null : new Date(p.finished_at).toISOString(),
  }));
}
