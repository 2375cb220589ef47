/**
 * Period settlement (按期结算): streams the accepted lists of one or more periods from the store in
 * keyset-paginated pages (period, patient_key, setl_id — never OFFSET), settles each stay with the
 * payment core and writes the settlements in batched multi-row INSERTs (one `unnest` statement per
 * page) inside transactions, up to two pages at once, while the next page is already being read.
 *
 * Patient share (个人负担): computed from the benefit policy in force when the hospital has a
 * 起付线类别 (payment_hospital.benefit_class) that the policy knows and the policy has a fund ratio for
 * the person's 险种; otherwise the 个人支付 reported on the list is used (share_source = 'list').
 * Per-person year-to-date state (admissions, fund paid) is kept in a Map over the whole run, stays of
 * one person in one period in discharge order; for a run not starting in January the state of the
 * earlier periods of the year is loaded from the stored settlements.
 *
 * Cost split (费用构成): 甲类/乙类/全自费/其他 summed from the list's iteminfo in SQL (numeric, exact),
 * 床位费 = item 01; derived when the list is stored (payment_list_cost, see migration 0101), so a page
 * is read from plain columns. 入院/出院时间 (HH:MM:SS, for the under-24-hours family) are kept there
 * too (migration 0103).
 */
import { type PersonState, type PersonYearState, SettlementContext, SettlementError } from "@yibao/payment";
import { countAcceptedLists, type Store } from "@yibao/store";
import { sql } from "kysely";
import { type RefusedExclusion, selectExclusionsInForce } from "./new-tech-selection.js";
import { dbOf, PaymentInputError, periodsBetween, withRun } from "./repo.js";
import { loadSettler, type SettlementRow, type StayInput, settleInput } from "./settle-stay.js";
import {
  emptyTotals,
  loadApprovals,
  type RecordError,
  retireSettlementsOf,
  type SettlementTotals,
  storedTotals,
  writeErrors,
  writeSettlements,
} from "./settlement-writes.js";
import type { PaymentDb } from "./tables.js";

export {
  loadSettler,
  SETTLEMENT_LEVEL_NAMES,
  type SettlementRow,
  type StayInput,
  StaySettler,
  settleInput,
} from "./settle-stay.js";
export {
  loadApprovals,
  type RecordError,
  type SettlementTotals,
  storedTotals,
  writeSettlements,
} from "./settlement-writes.js";

/** Progress of a settlement (进度). */
export interface SettleProgress {
  readonly period: string;
  readonly done: number;
  readonly total: number;
  readonly errors: number;
}

export interface SettlePeriodOptions {
  readonly store: Store;
  /** First period (yyyy-MM). */
  readonly period: string;
  /** Last period (default `period`). */
  readonly periodTo?: string;
  /** Settle with this payment policy id (and version); default every stored policy, by date. */
  readonly policy?: { readonly id: string; readonly version?: string };
  readonly actor?: string;
  /** Lists per page and per INSERT (default 5,000). */
  readonly batchSize?: number;
  readonly onProgress?: (p: SettleProgress) => void;
}

export interface SettlePeriodResult {
  readonly runId: number;
  readonly periods: readonly string[];
  /** Stays settled (including unchanged ones). */
  readonly settled: number;
  /** Settlements written (new or changed); the rest were unchanged. */
  readonly written: number;
  readonly errors: number;
  /** The first 100 record errors. */
  readonly errorSamples: readonly RecordError[];
  readonly byCategory: Readonly<Record<string, number>>;
  readonly shareSources: { readonly policy: number; readonly list: number };
  /** Totals of this run's settled stays, equal to the SQL sums of the stored rows (checked). */
  readonly totals: SettlementTotals;
  /** Accepted lists of hospitals paid by DIP (支付方式 DIP), left to the DIP prepayment and clearing. */
  readonly leftToDip: number;
  /** Earlier DRG settlements of those hospitals in the periods, moved to history by this run. */
  readonly retiredToDip: number;
  /**
   * 新技术除外: approved exclusions of the run's periods over the hospital's cap of the year (floor(cases
   * × newTechCap), the most expensive kept), settled normally, each with the Chinese reason.
   */
  readonly newTechRefused: readonly RefusedExclusion[];
  readonly milliseconds: number;
}

interface ListRow {
  setl_id: string;
  version: number;
  hospital_code: string;
  period: string;
  patient_key: string;
  adm_date: string | null;
  dscg_date: string | null;
  los: number | null;
  dscg_way: string;
  principal_dx: string | null;
  principal_oprn: string | null;
  insuplc: string | null;
  drg: string;
  total_fee_fen: number;
  personal_pay_fen: number;
  hi_type: string | null;
  hi_setl_lv: string | null;
  class_a: string | number | null;
  class_b: string | number | null;
  self_pay: string | number | null;
  other: string | number | null;
  bed_fee: string | number | null;
  adm_time: string | null;
  dscg_time: string | null;
}

/**
 * Reads one page of a period's accepted lists after the keyset cursor: the page first (index on
 * period, patient_key, setl_id), then its cost split from payment_list_cost by primary key (OFFSET 0
 * keeps it a per-row index lookup rather than a join over the whole table). A list whose cost
 * split is missing or stale (another version) is split from its JSON, with the same SQL function.
 */
async function readPage(
  db: PaymentDb,
  period: string,
  after: { key: string; id: string } | null,
  limit: number,
): Promise<ListRow[]> {
  const cursor = after ? sql`AND (l.patient_key, l.setl_id) > (${after.key}, ${after.id})` : sql``;
  const r = await sql<ListRow & { missing: boolean }>`SELECT p.*, c.setl_id IS NULL AS missing,
      c.hi_type, c.hi_setl_lv, c.class_a_fen AS class_a, c.class_b_fen AS class_b, c.self_pay_fen AS self_pay,
      c.other_fen AS other, c.bed_fee_fen AS bed_fee, c.adm_time, c.dscg_time
    FROM (SELECT l.setl_id, l.version, l.hospital_code, l.period, l.patient_key, l.adm_date, l.dscg_date,
        l.los, l.dscg_way, l.drg, l.total_fee_fen, l.personal_pay_fen, l.principal_dx,
        l.principal_oprn, l.insuplc
      FROM settlement_list l
      WHERE l.period = ${period} AND l.status = 'accepted' ${cursor}
      ORDER BY l.patient_key, l.setl_id
      LIMIT ${limit}) p
    LEFT JOIN LATERAL (SELECT * FROM payment_list_cost c WHERE c.setl_id = p.setl_id AND c.version = p.version
      OFFSET 0) c ON true
    ORDER BY p.patient_key, p.setl_id`.execute(db);
  const missing = r.rows.filter((x) => x.missing);
  if (missing.length > 0) {
    const f = await sql<
      Omit<ListRow, "version">
    >`SELECT l.setl_id, f.hi_type, f.hi_setl_lv, f.class_a_fen AS class_a,
        f.class_b_fen AS class_b, f.self_pay_fen AS self_pay, f.other_fen AS other, f.bed_fee_fen AS bed_fee,
        t.adm_time, t.dscg_time
      FROM settlement_list l CROSS JOIN LATERAL payment_list_cost_of(l.message) f
        CROSS JOIN LATERAL payment_list_times_of(l.message) t
      WHERE l.setl_id = ANY(${missing.map((x) => x.setl_id)}::text[])`.execute(db);
    const byId = new Map(f.rows.map((x) => [x.setl_id, x]));
    for (const x of missing) {
      const c = byId.get(x.setl_id);
      if (c === undefined) continue;
      x.hi_type = c.hi_type;
      x.hi_setl_lv = c.hi_setl_lv;
      x.class_a = c.class_a;
      x.class_b = c.class_b;
      x.self_pay = c.self_pay;
      x.other = c.other;
      x.bed_fee = c.bed_fee;
      x.adm_time = c.adm_time;
      x.dscg_time = c.dscg_time;
    }
  }
  return r.rows;
}

/** Pages written concurrently by one settlement run. */
const WRITES_IN_FLIGHT = 2;

function num(v: string | number | null): number | null {
  if (v === null) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

function inputOf(r: ListRow): StayInput {
  const a = num(r.class_a);
  const b = num(r.class_b);
  const s = num(r.self_pay);
  const o = num(r.other);
  return {
    setlId: r.setl_id,
    listVersion: r.version,
    hospitalCode: r.hospital_code,
    period: r.period,
    patientKey: r.patient_key,
    admDate: r.adm_date,
    dscgDate: r.dscg_date,
    los: r.los,
    dischargeWay: r.dscg_way,
    admTime: r.adm_time,
    dscgTime: r.dscg_time,
    drg: r.drg,
    totalFee: Number(r.total_fee_fen),
    personalPay: Number(r.personal_pay_fen),
    hiType: r.hi_type,
    hiSetlLv: r.hi_setl_lv,
    costs:
      a === null || b === null || s === null || o === null
        ? null
        : { classA: a, classB: b, selfPay: s, other: o },
    bedFee: num(r.bed_fee),
    principalDiagnosis: r.principal_dx,
    principalProcedure: r.principal_oprn,
    insuredArea: r.insuplc,
  };
}

async function priorPersonState(db: PaymentDb, period: string): Promise<Map<string, PersonState>> {
  const m = new Map<string, PersonState>();
  if (period.endsWith("-01")) return m;
  const yearStart = `${period.slice(0, 4)}-01`;
  const r = await sql<{ patient_key: string; y: string; adm: number; fund: number }>`
    SELECT patient_key, to_char(adm_date, 'YYYY') AS y, count(*)::int AS adm,
      sum(COALESCE(benefit_fund_fen, total_cost_fen - patient_share_fen))::bigint AS fund
    FROM stay_settlement WHERE period >= ${yearStart} AND period < ${period} AND adm_date IS NOT NULL
    GROUP BY 1, 2`.execute(db);
  for (const x of r.rows) {
    const s = (m.get(x.patient_key) ?? {}) as Record<string, PersonYearState>;
    s[x.y] = { admissions: x.adm, fundPaid: Number(x.fund) };
    m.set(x.patient_key, s);
  }
  return m;
}

/** A run's running sums (逐例合计), error count and the first 100 errors. */
interface RunTally {
  done: number;
  written: number;
  errors: number;
  readonly samples: RecordError[];
  readonly byCategory: Record<string, number>;
  readonly sources: { policy: number; list: number };
  readonly totals: SettlementTotals;
  points: bigint;
}

/** What settling one person's lists needs: the settler, the approved special cases, each person's year so far. */
interface PersonSettling {
  readonly settler: Awaited<ReturnType<typeof loadSettler>>;
  readonly approvals: Awaited<ReturnType<typeof loadApprovals>>;
  /** 新技术除外 approved and within the cap: settled by actual cost. */
  readonly excluded: ReadonlySet<string>;
  readonly persons: Map<string, PersonState>;
  readonly tally: RunTally;
}

function byDischarge(a: StayInput, b: StayInput): number {
  const da = a.dscgDate ?? "";
  const db = b.dscgDate ?? "";
  if (da !== db) return da < db ? -1 : 1;
  return a.setlId < b.setlId ? -1 : 1;
}

/**
 * Settles one person's lists of a page in discharge order (their benefit year carries from one to
 * the next), adding each settlement to `out` and the tally, and each stay that cannot be settled to `errs`.
 */
function settlePerson(
  s: PersonSettling,
  rows: readonly ListRow[],
  out: SettlementRow[],
  errs: RecordError[],
): void {
  const t = s.tally;
  const inputs = rows.map(inputOf).sort(byDischarge);
  for (const x of inputs) {
    const before = s.persons.get(x.patientKey) ?? {};
    try {
      const input = s.excluded.has(x.setlId) ? { ...x, newTechExclusion: true } : x;
      const { row, person } = settleInput(s.settler, input, before, s.approvals.get(x.setlId));
      s.persons.set(x.patientKey, person);
      out.push(row);
      t.totals.stays++;
      t.totals.totalCost += row.totalCostFen;
      t.totals.drgPayment += row.drgPaymentFen;
      t.totals.patientShare += row.patientShareFen;
      t.totals.fundPayment += row.fundPaymentFen;
      t.totals.balance += row.balanceFen;
      t.totals.specialReview += row.specialReviewFen;
      t.points += BigInt(row.points);
      t.byCategory[row.category] = (t.byCategory[row.category] ?? 0) + 1;
      t.sources[row.shareSource]++;
    } catch (e) {
      const err =
        e instanceof SettlementError
          ? { setlId: x.setlId, field: e.field, message: e.message }
          : { setlId: x.setlId, field: "(结算)", message: e instanceof Error ? e.message : String(e) };
      errs.push(err);
      if (t.samples.length < 100) t.samples.push(err);
      t.errors++;
    }
  }
}

/**
 * A period's accepted lists in pages of whole persons: the last person's lists of a page are held
 * back to the next, where more of them may be. The next page is read while the caller works on this one.
 */
async function* personPages(db: PaymentDb, period: string, batch: number): AsyncGenerator<ListRow[]> {
  let carry: ListRow[] = [];
  let next: Promise<ListRow[]> | null = readPage(db, period, null, batch);
  while (next !== null) {
    const page: ListRow[] = await next;
    const last = page[page.length - 1];
    next =
      page.length === batch && last
        ? readPage(db, period, { key: last.patient_key, id: last.setl_id }, batch)
        : null;
    let rows = carry.length > 0 ? [...carry, ...page] : page;
    carry = [];
    if (next !== null && rows.length > 0) {
      const lastKey = (rows[rows.length - 1] as ListRow).patient_key;
      let cut = rows.length;
      while (cut > 0 && (rows[cut - 1] as ListRow).patient_key === lastKey) cut--;
      if (cut > 0) {
        carry = rows.slice(cut);
        rows = rows.slice(0, cut);
      }
    }
    yield rows;
  }
}

/** Settles a page person by person. */
function settlePage(
  s: PersonSettling,
  rows: readonly ListRow[],
): { out: SettlementRow[]; errs: RecordError[] } {
  const out: SettlementRow[] = [];
  const errs: RecordError[] = [];
  let i = 0;
  while (i < rows.length) {
    let j = i + 1;
    const key = (rows[i] as ListRow).patient_key;
    while (j < rows.length && (rows[j] as ListRow).patient_key === key) j++;
    settlePerson(s, rows.slice(i, j), out, errs);
    i = j;
  }
  return { out, errs };
}

/** The run's exact sums must be the database's sums of what it stored. */
async function checkStoredTotals(
  db: PaymentDb,
  periods: readonly string[],
  runId: number,
  t: SettlementTotals,
) {
  const stored = await storedTotals(db, periods, runId);
  for (const k of Object.keys(t) as (keyof SettlementTotals)[]) {
    if (String(t[k]) !== String(stored[k])) {
      throw new Error(`结算合计校验失败：${k} 逐例合计 ${t[k]} ≠ 数据库合计 ${stored[k]}`);
    }
  }
}

/**
 * Settles the accepted lists of a period or a range of periods (按期结算) and records the run.
 * Record errors (a stay that cannot be settled) are stored with the run and the rest goes on.
 * The run's totals are the exact integer sums of its settlements and are checked against the SQL
 * sums of the stored rows.
 */
export async function settlePeriod(options: SettlePeriodOptions): Promise<SettlePeriodResult> {
  const { store } = options;
  const periods = periodsBetween(options.period, options.periodTo ?? options.period);
  const batch = options.batchSize ?? 5000;
  if (!Number.isInteger(batch) || batch < 1 || batch > 50_000)
    throw new PaymentInputError("batchSize 须为 1–50000 的整数");
  const db = dbOf(store);
  const started = performance.now();
  const params = {
    periodFrom: periods[0],
    periodTo: periods[periods.length - 1],
    policy: options.policy ?? null,
    batchSize: batch,
  };
  return withRun(store, "settle", options.actor ?? "system", params, async (runId) => {
    const tally: RunTally = {
      done: 0,
      written: 0,
      errors: 0,
      samples: [],
      byCategory: {},
      sources: { policy: 0, list: 0 },
      totals: emptyTotals(),
      points: 0n,
    };
    const settler = await loadSettler(store, options.policy);
    const years = [...new Set(periods.map((p) => p.slice(0, 4)))];
    const newTech = await selectExclusionsInForce(store, settler, years);
    const settling: PersonSettling = {
      settler,
      approvals: await loadApprovals(store),
      excluded: newTech.excluded,
      persons: await priorPersonState(db, periods[0] as string),
      tally,
    };
    const total = await countAcceptedLists(store.db, { periods });
    // A stay is left to DIP when its hospital is paid by DIP on its discharge date.
    const spans = settler.dipSpans();
    const retiredToDip = await retireSettlementsOf(db, runId, periods, spans);
    let leftToDip = 0;
    // 新技术除外 refused over the cap but left to DIP are not this run's to report.
    const refusedIds = new Set(newTech.refused.map((x) => x.setlId));
    const refusedToDip = new Set<string>();
    const leaveToDip = (x: ListRow): boolean => {
      const dip = settler.paidByDip(x.hospital_code, x.dscg_date);
      if (dip && refusedIds.has(x.setl_id)) refusedToDip.add(x.setl_id);
      return dip;
    };
    const inflight: Promise<void>[] = [];
    for (const period of periods) {
      for await (const page of personPages(db, period, batch)) {
        const rows = spans.length === 0 ? page : page.filter((x) => !leaveToDip(x));
        leftToDip += page.length - rows.length;
        const { out, errs } = settlePage(settling, rows);
        tally.done += page.length;
        // Up to WRITES_IN_FLIGHT pages are written at once (their setl_ids are disjoint) while the
        // next page is read and settled.
        if (inflight.length >= WRITES_IN_FLIGHT) await inflight.shift();
        const w = db.transaction().execute(async (trx) => {
          // The run is recorded as done only by a later, synchronous commit, which makes every page
          // durable; a crash before it leaves an unfinished run that is simply settled again.
          await sql`SET LOCAL synchronous_commit = off`.execute(trx);
          // Not `tally.written += await …`: that reads the sum before the await, and pages overlap.
          const n = await writeSettlements(trx, runId, out);
          tally.written += n;
          await writeErrors(trx, runId, errs);
        });
        w.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        inflight.push(w);
        options.onProgress?.({ period, done: tally.done, total, errors: tally.errors });
      }
    }
    await Promise.all(inflight);
    const t = tally.totals;
    t.points = tally.points.toString();
    await checkStoredTotals(db, periods, runId, t);
    return {
      periods,
      settled: t.stays,
      written: tally.written,
      errors: tally.errors,
      errorSamples: tally.samples,
      byCategory: tally.byCategory,
      shareSources: tally.sources,
      totals: t,
      leftToDip,
      retiredToDip,
      newTechRefused: newTech.refused.filter(
        (x) => periods.includes(x.period) && !refusedToDip.has(x.setlId),
      ),
      milliseconds: Math.round(performance.now() - started),
    };
  }).then((r) => ({ ...r, runId: r.runId }));
}

export { SettlementContext };
