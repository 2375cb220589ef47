/**
 * 审核作业 (audit job) over the store: reads a period's accepted lists, audits them with every rule of
 * the rule base in force, and writes the findings in batched INSERTs; the physician profile of the
 * period is written with them. Re-running a period replaces its findings that are still open (待处理,
 * no trail yet) and never touches a finding with a workflow event or its trail.
 */
import {
  type AuditStay,
  detectPatientSelection,
  type Finding,
  meanCostOf,
  physicianIndicators,
  profilePhysicians,
  profilingConfigOf,
  ruleOf,
  runAudit,
  rwOf,
} from "@yibao/audit";
import type { DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { acceptedPeriods, countAcceptedLists, type Store } from "@yibao/store";
import { sql } from "kysely";
import { type AuditLibraries, auditContextFor, librariesAt, STARTER_LIBRARIES } from "./context.js";
import {
  dbOf,
  type LightStayRow,
  minusDays,
  parsePeriods,
  periodEnd,
  periodStart,
  periodsBetween,
  type ReadError,
  readHistoryStays,
  readLightStays,
  readPeriodStays,
  type StaySource,
} from "./read.js";

export interface AuditPeriodOptions {
  readonly store: Store;
  /** The scheme, or the region's schemes by date (each stay is read and checked under its own). */
  readonly scheme: DrgScheme | SchemeCalendar;
  /** `yyyy-MM`, `yyyy-MM..yyyy-MM` or `yyyy`. */
  readonly period: string;
  /** Who started the run (操作人); default `system`. */
  readonly actor?: string;
  readonly libraries?: AuditLibraries;
  /** Lists per read batch (default 10,000). */
  readonly batchSize?: number;
  /**
   * Where the lists are read from: `projection` (default, `audit_list_projection` kept on write) or
   * `message` (the stored messages slimmed in SQL, the reference the projection is checked against).
   */
  readonly source?: StaySource;
  /** Findings per INSERT (default 1,000). */
  readonly writeBatchSize?: number;
  /** Progress of the reading (lists read, lists to read). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Findings and fund loss of one violation type. */
export interface TypeTotals {
  readonly findings: number;
  readonly fundLossFen: number;
}

export interface AuditPeriodResult {
  readonly runId: number;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly stays: number;
  /** Earlier stays read for readmissions (回溯病例). */
  readonly historyStays: number;
  readonly findings: number;
  /** Lists that could not be audited (结算ID and reason), the run went on. */
  readonly errors: number;
  readonly errorSamples: readonly ReadError[];
  /**
   * Lists audited without prices (未定价: DRG without a weight, ungroupable, hospital not in the
   * payment context): every rule that needs no price ran on them, their findings carry no fund loss.
   */
  readonly unpriced: number;
  readonly unpricedSamples: readonly ReadError[];
  /** Open findings of the period replaced. */
  readonly replaced: number;
  /** Findings of the period already in the workflow, kept as they are. */
  readonly keptDecided: number;
  readonly fundLossFen: number;
  readonly byType: Readonly<Record<string, TypeTotals>>;
  readonly settlementSource: string;
  readonly profiledPhysicians: number;
  readonly millis: {
    readonly read: number;
    readonly audit: number;
    readonly write: number;
    readonly total: number;
  };
}

/** The days the readmission rules look back (回溯天数). */
export function lookbackDays(rules: ReturnType<typeof librariesAt>["rules"]): number {
  let days = 0;
  const split = ruleOf(rules, "split_admission");
  const rep = ruleOf(rules, "repeated_admission");
  if (split !== undefined) days = Math.max(days, split.check.windowDays);
  if (rep !== undefined) days = Math.max(days, rep.check.windowDays);
  // A readmission is measured from discharge to admission; a stay discharged `days` before the
  // period can be the first of a pair whose second stay settles in the period.
  return days + 1;
}

/** The finding as stored (audit_finding row). */
export interface FindingRow {
  finding_id: string;
  run_id: number;
  period: string;
  hospital_code: string;
  physician_code: string | null;
  person_id: string | null;
  setl_ids: string[];
  rule_id: string;
  rule_name: string;
  category: string;
  violation: string;
  outcome: string;
  message: string;
  evidence: unknown;
  settlements: unknown;
  fund_loss_fen: number;
  deduction_fen: number;
  status: string;
  created_at: string;
  updated_at: string;
}

function toRow(f: Finding, runId: number, period: string, at: string): FindingRow {
  return {
    finding_id: f.id,
    run_id: runId,
    period,
    hospital_code: f.hospitalId,
    physician_code: f.physicianCode,
    person_id: f.personId,
    setl_ids: [...f.stayIds],
    rule_id: f.ruleId,
    rule_name: f.ruleName,
    category: f.category,
    violation: f.violation,
    outcome: f.outcome,
    message: f.message,
    evidence: f.evidence,
    settlements: f.pricing,
    fund_loss_fen: f.fundLoss,
    deduction_fen: f.fundLoss,
    status: "open",
    created_at: at,
    updated_at: at,
  };
}

/** Light rows as the minimal stays `detectPatientSelection` reads (id, hospital, discharge, group, age). */
function lightStays(rows: readonly LightStayRow[]): AuditStay[] {
  return rows.map(
    (r) =>
      ({
        id: r.setl_id,
        hospitalId: r.hospital_code,
        dischargeDate: r.dscg_date,
        group: { status: r.group_status, drg: r.drg, mdc: null, adrg: null },
        record: { ageYears: r.age_years === null ? null : Math.floor(r.age_years) },
      }) as unknown as AuditStay,
  );
}

/**
 * 选择患者 is judged per statistical period of `periodMonths` once it is complete: when the audited
 * range ends such a period, that period is compared with the one before it.
 */
async function patientSelection(
  store: Store,
  ctx: Parameters<typeof detectPatientSelection>[1],
  periodTo: string,
): Promise<Finding[]> {
  const rule = ruleOf(ctx.rules, "patient_selection");
  if (rule === undefined) return [];
  const pm = rule.check.periodMonths;
  const y = Number(periodTo.slice(0, 4));
  const m = Number(periodTo.slice(5, 7)) - 1;
  const index = y * 12 + m;
  if ((index + 1) % pm !== 0) return [];
  const block = Math.floor(index / pm);
  const firstMonth = (block - 1) * pm;
  const from = `${Math.floor(firstMonth / 12)}-${String((firstMonth % 12) + 1).padStart(2, "0")}-01`;
  const rows = await readLightStays(store, from, periodEnd(periodTo));
  return detectPatientSelection(lightStays(rows), ctx).filter((f) => f.id.includes(`:${block}:`));
}

/** Runs the audit of a period (or range) and stores its findings. */
export async function auditPeriod(options: AuditPeriodOptions): Promise<AuditPeriodResult> {
  const { store } = options;
  const { from, to } = parsePeriods(options.period);
  const libraries = options.libraries ?? STARTER_LIBRARIES;
  const { rules, knowledge } = librariesAt(periodEnd(to), libraries);
  const db = dbOf(store);
  const actor = options.actor ?? "system";
  const t0 = performance.now();
  const started = await sql<{ run_id: number }>`INSERT INTO audit_run
      (period_from, period_to, rule_base_id, rule_base_version, knowledge_version, actor, started_at, status)
    VALUES (${from}, ${to}, ${rules.id}, ${rules.version}, ${knowledge.version}, ${actor}, now(), 'running')
    RETURNING run_id`.execute(db);
  const runId = Number(started.rows[0]?.run_id);
  try {
    const result = await runJob(options, runId, from, to, libraries, t0);
    await sql`UPDATE audit_run SET finished_at = now(), status = 'done', settlement_source = ${result.settlementSource},
        stays = ${result.stays}, history_stays = ${result.historyStays}, findings = ${result.findings},
        errors = ${result.errors}, replaced = ${result.replaced}, kept_decided = ${result.keptDecided},
        fund_loss_fen = ${result.fundLossFen},
        totals = ${JSON.stringify({ byType: result.byType, millis: result.millis, profiledPhysicians: result.profiledPhysicians, unpriced: result.unpriced, unpricedSamples: result.unpricedSamples })}::jsonb,
        error_samples = ${JSON.stringify(result.errorSamples)}::jsonb
      WHERE run_id = ${runId}`.execute(db);
    return result;
  } catch (e) {
    await sql`UPDATE audit_run SET finished_at = now(), status = 'failed', error = ${e instanceof Error ? e.message : String(e)}
      WHERE run_id = ${runId}`
      .execute(db)
      .catch(() => undefined);
    throw e;
  }
}

/** The accepted lists of the range as audit stays, each with its period, and the lists that could not be read. */
async function readRangeStays(options: AuditPeriodOptions, from: string, to: string, total: number) {
  const stays: AuditStay[] = [];
  const periodOf = new Map<string, string>();
  const errors: ReadError[] = [];
  let read = 0;
  const source = options.source ?? "projection";
  for await (const b of readPeriodStays(
    options.store,
    options.scheme,
    from,
    to,
    options.batchSize ?? 10_000,
    source,
  )) {
    for (const s of b.stays) stays.push(s);
    for (const [k, v] of b.periods) periodOf.set(k, v);
    for (const e of b.errors) errors.push(e);
    read += b.stays.length + b.errors.length;
    options.onProgress?.(read, total);
  }
  return { stays, periodOf, errors };
}

/**
 * The findings that concern the range, each filed under the latest period of its stays (a finding
 * on history stays only is not the range's).
 */
function findingsInRange(findings: readonly Finding[], periodOf: ReadonlyMap<string, string>) {
  const kept: { f: Finding; period: string }[] = [];
  for (const f of findings) {
    let period: string | undefined;
    for (const id of f.stayIds) {
      const p = periodOf.get(id);
      if (p !== undefined && (period === undefined || p > period)) period = p;
    }
    if (period !== undefined) kept.push({ f, period });
  }
  return kept;
}

/** Findings and fund loss (fen) by violation type, and the fund loss in all. */
function tallyByType(kept: readonly { f: Finding }[]) {
  const byType: Record<string, { findings: number; fundLossFen: number }> = {};
  let fundLoss = 0;
  for (const { f } of kept) {
    let t = byType[f.violation];
    if (t === undefined) {
      t = { findings: 0, fundLossFen: 0 };
      byType[f.violation] = t;
    }
    t.findings++;
    t.fundLossFen += f.fundLoss;
    fundLoss += f.fundLoss;
  }
  return { byType, fundLoss };
}

/** Replaces the open findings of the range, keeping everything already in the workflow, in one transaction. */
async function replaceOpenFindings(
  store: Store,
  range: { from: string; to: string },
  kept: readonly { f: Finding; period: string }[],
  runId: number,
  writeBatch: number,
) {
  const { from, to } = range;
  const at = new Date().toISOString();
  return dbOf(store)
    .transaction()
    .execute(async (trx) => {
      const decided = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_finding
      WHERE period >= ${from} AND period <= ${to} AND status <> 'open'`.execute(trx);
      const del = await sql`DELETE FROM audit_finding f
      WHERE f.period >= ${from} AND f.period <= ${to} AND f.status = 'open'
        AND NOT EXISTS (SELECT 1 FROM audit_case_event e WHERE e.finding_id = f.finding_id)`.execute(trx);
      for (let i = 0; i < kept.length; i += writeBatch) {
        const rows = kept.slice(i, i + writeBatch).map(({ f, period }) => toRow(f, runId, period, at));
        await sql`INSERT INTO audit_finding
        SELECT * FROM jsonb_populate_recordset(NULL::audit_finding, ${JSON.stringify(rows)}::jsonb)
        ON CONFLICT (finding_id) DO NOTHING`.execute(trx);
      }
      return { replaced: Number(del.numAffectedRows ?? 0n), keptDecided: Number(decided.rows[0]?.n ?? 0) };
    });
}

async function runJob(
  options: AuditPeriodOptions,
  runId: number,
  from: string,
  to: string,
  libraries: AuditLibraries,
  t0: number,
): Promise<AuditPeriodResult> {
  const { store, scheme } = options;
  const { rules } = librariesAt(periodEnd(to), libraries);
  const total = await countAcceptedLists(store.db, { from, to });
  const { stays, periodOf, errors } = await readRangeStays(options, from, to, total);
  const history = await readHistoryStays(
    store,
    scheme,
    from,
    minusDays(periodStart(from), lookbackDays(rules)),
    options.source ?? "projection",
  );
  const tRead = performance.now();

  // Audit.
  const all = history.stays.length === 0 ? stays : [...history.stays, ...stays];
  const { ctx, source } = await auditContextFor(store, scheme, all, periodEnd(to), libraries);
  const perStay = {
    ...ctx,
    rules: { ...ctx.rules, rules: ctx.rules.rules.filter((r) => r.check.kind !== "patient_selection") },
  };
  const result = runAudit(all, perStay);
  const kept = findingsInRange(result.findings, periodOf);
  for (const f of await patientSelection(store, ctx, to)) kept.push({ f, period: to });
  const unpriced: ReadError[] = [];
  for (const e of result.unpriced)
    if (periodOf.has(e.stayId)) unpriced.push({ setlId: e.stayId, message: e.message });
  const tAudit = performance.now();

  // Write: replace the open findings of the range, keep everything in the workflow.
  const { byType, fundLoss } = tallyByType(kept);
  const { replaced, keptDecided } = await replaceOpenFindings(
    store,
    { from, to },
    kept,
    runId,
    options.writeBatchSize ?? 1000,
  );

  // Physician profile of the range.
  const profiled = await writeProfiles(
    store,
    runId,
    from === to ? from : `${from}..${to}`,
    stays,
    kept,
    ctx,
    to,
  );
  const tWrite = performance.now();
  return {
    runId,
    periodFrom: from,
    periodTo: to,
    stays: stays.length,
    historyStays: history.stays.length,
    findings: kept.length,
    errors: errors.length,
    errorSamples: errors.slice(0, 20),
    unpriced: unpriced.length,
    unpricedSamples: unpriced.slice(0, 20),
    replaced,
    keptDecided,
    fundLossFen: fundLoss,
    byType,
    settlementSource: source,
    profiledPhysicians: profiled,
    millis: {
      read: Math.round(tRead - t0),
      audit: Math.round(tAudit - tRead),
      write: Math.round(tWrite - tAudit),
      total: Math.round(tWrite - t0),
    },
  };
}

/** Computes and stores the physician profile (医师画像) of the stays audited. */
async function writeProfiles(
  store: Store,
  runId: number,
  periodLabel: string,
  stays: readonly AuditStay[],
  kept: readonly { f: Finding }[],
  ctx: Parameters<typeof rwOf>[0],
  to: string,
): Promise<number> {
  const date = periodEnd(to);
  const flagged = new Set<string>();
  const readmitted = new Set<string>();
  for (const { f } of kept) {
    for (const id of f.stayIds) flagged.add(id);
    if (f.violation === "split_admission" || f.violation === "repeated_admission")
      for (const id of f.stayIds) readmitted.add(id);
  }
  const safe = (fn: () => number | null): number | null => {
    try {
      return fn();
    } catch {
      return null;
    }
  };
  const indicators = physicianIndicators(
    stays,
    (drg) => safe(() => rwOf(ctx, drg, date, `画像 ${drg}`)),
    (drg) => safe(() => meanCostOf(ctx, drg, date, `画像 ${drg}`)),
    readmitted,
    flagged,
  );
  const db = dbOf(store);
  await sql`DELETE FROM audit_physician_profile WHERE period = ${periodLabel}`.execute(db);
  // Under 8 physicians (of enough cases each) quartiles and clusters say nothing: no profile. Above
  // it the number of clusters follows the physicians (`clusterCount`).
  if (indicators.length < 8) return 0;
  const r = profilePhysicians(indicators, profilingConfigOf(ctx.rules.profiling));
  const watch = new Set(r.watchList);
  const model = {
    kept: r.kept,
    dropped: r.dropped,
    weights: r.weights,
    clusters: r.clusters,
    suspiciousCluster: r.suspiciousCluster,
    alertQuartiles: r.alertQuartiles,
    cr: r.ahp.cr,
  };
  const rows = r.profiles.map((p) => ({
    period: periodLabel,
    physician_code: p.physician,
    run_id: runId,
    cases: p.cases,
    indicator_values: p.values,
    cluster: p.cluster,
    score: Number.isFinite(p.score) ? p.score : 0,
    alert: p.alert,
    rank: p.rank,
    watch: watch.has(p.physician),
    model,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await sql`INSERT INTO audit_physician_profile
      SELECT * FROM jsonb_populate_recordset(NULL::audit_physician_profile, ${JSON.stringify(rows.slice(i, i + 1000))}::jsonb)`.execute(
      db,
    );
  }
  return rows.length;
}

/** Audits every period of the store once when no run exists yet (演示数据); idempotent. */
export async function ensureDemoAudit(options: {
  readonly store: Store;
  /** The scheme, or the region's schemes by date (each stay is read and checked under its own). */
  readonly scheme: DrgScheme | SchemeCalendar;
  readonly libraries?: AuditLibraries;
}): Promise<{ skipped: boolean; runs: AuditPeriodResult[] }> {
  const db = dbOf(options.store);
  const existing = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM audit_run WHERE status = 'done'`.execute(db);
  if (Number(existing.rows[0]?.n ?? 0) > 0) return { skipped: true, runs: [] };
  const runs: AuditPeriodResult[] = [];
  for (const period of await acceptedPeriods(options.store.db)) {
    runs.push(
      await auditPeriod({
        store: options.store,
        scheme: options.scheme,
        period,
        actor: "system",
        ...(options.libraries ? { libraries: options.libraries } : {}),
      }),
    );
  }
  return { skipped: false, runs };
}

export { periodsBetween };
