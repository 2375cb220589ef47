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
 * is read from plain columns.
 */
import {
  type BenefitPolicySet,
  BenefitPolicySet as BenefitSet,
  createSettlementContext,
  type Fen,
  type HospitalInfo,
  type PersonState,
  type PersonYearState,
  SettlementContext,
  SettlementError,
  type SpecialReview,
  type Stay,
  type StaySettlement,
  settleStay,
} from "@yibao/payment";
import { countAcceptedLists, type Store } from "@yibao/store";
import { sql } from "kysely";
import {
  dbOf,
  loadBenefitPolicies,
  loadPaymentHospitals,
  loadPolicies,
  type PaymentHospital,
  PaymentInputError,
  type PolicyWithWeights,
  periodsBetween,
  withRun,
} from "./repo.js";
import type { PaymentDb } from "./tables.js";

/** 医保结算等级 code (hi_setl_lv) → level name used by policies. */
export const SETTLEMENT_LEVEL_NAMES: Readonly<Record<string, string>> = {
  "1": "一级",
  "2": "二级",
  "3": "三级",
};

/** 险种类型 code (hi_type) → insurance name used by benefit policies. */
export const INSURANCE_NAMES: Readonly<Record<string, string>> = {
  "310": "职工基本医疗保险",
  "390": "城乡居民",
};

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

/** Money totals of a set of settlements (fen; points in micro-points as a decimal string). */
export interface SettlementTotals {
  stays: number;
  totalCost: Fen;
  drgPayment: Fen;
  patientShare: Fen;
  fundPayment: Fen;
  balance: Fen;
  specialReview: Fen;
  points: string;
}

export interface RecordError {
  readonly setlId: string;
  readonly field: string;
  readonly message: string;
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
      c.other_fen AS other, c.bed_fee_fen AS bed_fee
    FROM (SELECT l.setl_id, l.version, l.hospital_code, l.period, l.patient_key, l.adm_date, l.dscg_date,
        l.los, l.dscg_way, l.drg, l.total_fee_fen, l.personal_pay_fen
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
        f.class_b_fen AS class_b, f.self_pay_fen AS self_pay, f.other_fen AS other, f.bed_fee_fen AS bed_fee
      FROM settlement_list l CROSS JOIN LATERAL payment_list_cost_of(l.message) f
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
    }
  }
  return r.rows;
}

/** Pages written concurrently by one settlement run. */
const WRITES_IN_FLIGHT = 2;

const NO_YEAR: PersonYearState = { admissions: 0, fundPaid: 0 };

function num(v: string | number | null): number | null {
  if (v === null) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/** The state after a stay whose patient share came from the list: one admission, fund by discharge year. */
function advanceSimple(state: PersonState, admYear: string, dscgYear: string, fund: Fen): PersonState {
  const next: Record<string, PersonYearState> = { ...state };
  const a = next[admYear] ?? NO_YEAR;
  next[admYear] = { admissions: a.admissions + 1, fundPaid: a.fundPaid };
  const d = next[dscgYear] ?? NO_YEAR;
  next[dscgYear] = { admissions: d.admissions, fundPaid: d.fundPaid + fund };
  return next;
}

/**
 * Settles stays against policies and state: the part of period settlement that needs no database,
 * shared with single-stay re-settlement (特病单议).
 */
export class StaySettler {
  private ctx: SettlementContext;
  private readonly hospitals = new Map<string, HospitalInfo>();
  private readonly coverage = new Map<string, boolean>();

  constructor(
    private readonly policies: readonly PolicyWithWeights[],
    private readonly benefit: BenefitPolicySet | null,
    private readonly paymentHospitals: ReadonlyMap<string, PaymentHospital>,
  ) {
    this.ctx = this.build();
  }

  private build(): SettlementContext {
    return createSettlementContext({
      policies: this.policies,
      hospitals: [...this.hospitals.values()],
      ...(this.benefit ? { benefit: this.benefit } : {}),
    });
  }

  /** The hospital as payment sees it; adds it to the context on first sight. */
  hospital(code: string, settlementLevel: string | null): HospitalInfo {
    let h = this.hospitals.get(code);
    if (h === undefined) {
      const ph = this.paymentHospitals.get(code);
      const level = ph?.level ?? SETTLEMENT_LEVEL_NAMES[settlementLevel ?? ""] ?? settlementLevel ?? "";
      h = { id: code, level, ...(ph?.benefitClass ? { benefitClass: ph.benefitClass } : {}) };
      this.hospitals.set(code, h);
      this.ctx = this.build();
    }
    return h;
  }

  /** True when the benefit policy in force on `date` covers this hospital class and insurance. */
  coveredByBenefit(h: HospitalInfo, insurance: string, date: string): boolean {
    if (this.benefit === null || h.benefitClass === undefined) return false;
    const key = `${h.benefitClass}|${insurance}|${date.slice(0, 4)}|${date}`;
    let ok = this.coverage.get(key);
    if (ok === undefined) {
      const p = this.benefit.versions.find(
        (v) => v.effectiveFrom <= date && (v.effectiveTo == null || date <= v.effectiveTo),
      );
      const c = p?.classes.get(h.benefitClass);
      ok = p !== undefined && c !== undefined && p.fundRatios.has(`${insurance}|${c.ratioLevel}`);
      if (this.coverage.size > 100_000) this.coverage.clear();
      this.coverage.set(key, ok);
    }
    return ok;
  }

  settle(stay: Stay): StaySettlement {
    return settleStay(stay, this.ctx);
  }

  /** Points of a money amount under the policy in force on `date` (折算点数). */
  toPoints(fen: Fen, date: string, record: string): number {
    return this.ctx.policyAt(date, record).toPoints(fen);
  }

  /** The payment policy in force on `date` with its weight table (the rate, the RW of each DRG). */
  policyAt(date: string, record: string): ReturnType<SettlementContext["policyAt"]> {
    return this.ctx.policyAt(date, record);
  }

  weightsOf(date: string, record: string): { id: string; version: string } {
    const w = this.ctx.policyAt(date, record).weights;
    return { id: w.id, version: w.version };
  }
}

/** Builds a settler from what is stored (policies, benefit policies, hospitals). */
export async function loadSettler(
  store: Store,
  policy?: { readonly id: string; readonly version?: string },
): Promise<StaySettler> {
  const policies = await loadPolicies(store, policy ?? {});
  const benefits = await loadBenefitPolicies(store);
  const hospitals = await loadPaymentHospitals(store);
  return new StaySettler(policies, benefits.length > 0 ? new BenefitSet(benefits) : null, hospitals);
}

/** One settlement row as stored (stay_settlement). */
export interface SettlementRow {
  setlId: string;
  listVersion: number;
  hospitalCode: string;
  period: string;
  patientKey: string;
  admDate: string | null;
  dscgDate: string | null;
  drg: string;
  category: string;
  outlier: string;
  policyId: string;
  policyVersion: string;
  weightsId: string;
  weightsVersion: string;
  method: string;
  coefficientPpm: number;
  rwPpm: number | null;
  standardFen: number | null;
  specialReviewFen: number;
  specialReviewPoints: number;
  points: number;
  drgPaymentFen: number;
  totalCostFen: number;
  patientShareFen: number;
  fundPaymentFen: number;
  balanceFen: number;
  benefitFundFen: number | null;
  shareSource: "policy" | "list";
}

/** What a stored list contributes to a stay. */
export interface StayInput {
  readonly setlId: string;
  readonly listVersion: number;
  readonly hospitalCode: string;
  readonly period: string;
  readonly patientKey: string;
  readonly admDate: string | null;
  readonly dscgDate: string | null;
  readonly los: number | null;
  /** 离院方式 (dscg_way); null or "" when not given. 入院/出院时间 are not read: see the payment README. */
  readonly dischargeWay: string | null;
  readonly drg: string;
  readonly totalFee: Fen;
  readonly personalPay: Fen;
  readonly hiType: string | null;
  readonly hiSetlLv: string | null;
  readonly costs: { classA: Fen; classB: Fen; selfPay: Fen; other: Fen } | null;
  readonly bedFee: Fen | null;
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
  };
}

/**
 * Settles one stored stay (单个病例结算). `person` is the person's state before it; returns the row to
 * store and the state after it. Throws SettlementError naming the record, field and rule.
 */
export function settleInput(
  settler: StaySettler,
  x: StayInput,
  person: PersonState,
  review: SpecialReview | undefined,
  keepPatientShare?: Fen,
): { row: SettlementRow; person: PersonState } {
  if (x.admDate === null) throw new SettlementError(x.setlId, "adm_date", "缺少入院日期");
  if (x.dscgDate === null) throw new SettlementError(x.setlId, "dscg_date", "缺少出院日期");
  const h = settler.hospital(x.hospitalCode, x.hiSetlLv);
  const insurance = INSURANCE_NAMES[x.hiType ?? ""] ?? x.hiType ?? "城乡居民";
  const usePolicy = keepPatientShare === undefined && settler.coveredByBenefit(h, insurance, x.dscgDate);
  let patientShare: Fen | undefined;
  if (keepPatientShare !== undefined) patientShare = keepPatientShare;
  else if (!usePolicy) {
    if (x.personalPay < 0 || x.personalPay > x.totalFee) {
      throw new SettlementError(x.setlId, "personal_pay_fen", "清单个人支付须在 0 与医疗总费用之间");
    }
    patientShare = x.personalPay;
  } else if (x.costs === null) {
    throw new SettlementError(x.setlId, "iteminfo", "清单缺少收费项目(iteminfo)，无法按待遇政策计算个人负担");
  }
  const stay: Stay = {
    id: x.setlId,
    hospitalId: x.hospitalCode,
    drg: x.drg === "" ? "0000" : x.drg,
    totalCost: x.totalFee,
    admissionDate: x.admDate,
    dischargeDate: x.dscgDate,
    ...(x.los !== null ? { los: x.los } : {}),
    ...(x.dischargeWay ? { dischargeWay: x.dischargeWay } : {}),
    ...(usePolicy && x.costs ? { costs: x.costs, insurance, person } : {}),
    ...(usePolicy && x.bedFee !== null && x.los !== null
      ? { bedFee: x.bedFee, bedDays: Math.max(1, x.los) }
      : {}),
    ...(patientShare !== undefined ? { patientShare } : {}),
    ...(review ? { specialReview: review } : {}),
  };
  const s = settler.settle(stay);
  const points = s.points ?? settler.toPoints(s.drgPayment, x.dscgDate, x.setlId);
  const srPoints =
    s.specialReviewAddition > 0 ? settler.toPoints(s.specialReviewAddition, x.dscgDate, x.setlId) : 0;
  const w = settler.weightsOf(x.dscgDate, x.setlId);
  let next: PersonState;
  if (s.benefit) {
    const a = x.admDate.slice(0, 4);
    const n: Record<string, PersonYearState> = { ...person };
    const ay = n[a] ?? NO_YEAR;
    n[a] = { admissions: ay.admissions + 1, fundPaid: ay.fundPaid };
    for (const y of s.benefit.years) {
      const yy = n[y.year] ?? NO_YEAR;
      n[y.year] = { admissions: yy.admissions, fundPaid: yy.fundPaid + y.fund };
    }
    next = n;
  } else {
    next = advanceSimple(person, x.admDate.slice(0, 4), x.dscgDate.slice(0, 4), x.totalFee - s.patientShare);
  }
  return {
    person: next,
    row: {
      setlId: x.setlId,
      listVersion: x.listVersion,
      hospitalCode: x.hospitalCode,
      period: x.period,
      patientKey: x.patientKey,
      admDate: x.admDate,
      dscgDate: x.dscgDate,
      drg: s.drg,
      category: s.category,
      outlier: s.outlier,
      policyId: s.policyId,
      policyVersion: s.policyVersion,
      weightsId: w.id,
      weightsVersion: w.version,
      method: s.method,
      coefficientPpm: s.coefficient,
      rwPpm: s.rw,
      standardFen: s.standard,
      specialReviewFen: s.specialReviewAddition,
      specialReviewPoints: srPoints,
      points,
      drgPaymentFen: s.drgPayment,
      totalCostFen: s.totalCost,
      patientShareFen: s.patientShare,
      fundPaymentFen: s.fundPayment,
      balanceFen: s.balance,
      benefitFundFen: s.benefit ? s.benefit.fund : null,
      shareSource: s.benefit ? "policy" : "list",
    },
  };
}

const COLS = [
  "setl_id",
  "list_version",
  "hospital_code",
  "period",
  "patient_key",
  "adm_date",
  "dscg_date",
  "drg",
  "category",
  "outlier",
  "policy_id",
  "policy_version",
  "weights_id",
  "weights_version",
  "method",
  "coefficient_ppm",
  "rw_ppm",
  "standard_fen",
  "special_review_fen",
  "special_review_points",
  "points",
  "drg_payment_fen",
  "total_cost_fen",
  "patient_share_fen",
  "fund_payment_fen",
  "balance_fen",
  "benefit_fund_fen",
  "share_source",
] as const;
const TYPES = [
  "text",
  "int4",
  "text",
  "text",
  "text",
  "date",
  "date",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "int4",
  "int4",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "text",
] as const;
/** Columns whose change makes a new settlement (the rest follow from them). */
const COMPARED = [
  "list_version",
  "drg",
  "category",
  "policy_id",
  "policy_version",
  "weights_id",
  "weights_version",
  "points",
  "drg_payment_fen",
  "total_cost_fen",
  "patient_share_fen",
  "fund_payment_fen",
  "special_review_fen",
  "share_source",
] as const;

function columnsOf(rows: readonly SettlementRow[]): unknown[][] {
  const c: unknown[][] = COLS.map(() => new Array(rows.length));
  rows.forEach((r, i) => {
    const v = [
      r.setlId,
      r.listVersion,
      r.hospitalCode,
      r.period,
      r.patientKey,
      r.admDate,
      r.dscgDate,
      r.drg,
      r.category,
      r.outlier,
      r.policyId,
      r.policyVersion,
      r.weightsId,
      r.weightsVersion,
      r.method,
      r.coefficientPpm,
      r.rwPpm,
      r.standardFen,
      r.specialReviewFen,
      r.specialReviewPoints,
      r.points,
      r.drgPaymentFen,
      r.totalCostFen,
      r.patientShareFen,
      r.fundPaymentFen,
      r.balanceFen,
      r.benefitFundFen,
      r.shareSource,
    ];
    for (let k = 0; k < v.length; k++) (c[k] as unknown[])[i] = v[k];
  });
  return c;
}

/**
 * Writes settlements: new setl_ids are inserted, changed ones replace the current row after moving
 * it to history, unchanged ones are left alone. One statement: the current rows are looked up once
 * (`j`), so unchanged rows are neither locked nor written; rows go in setl_id order (index locality).
 * Returns the rows inserted or updated.
 */
export async function writeSettlements(
  db: PaymentDb,
  runId: number,
  rows: readonly SettlementRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const sorted = [...rows].sort((a, b) => (a.setlId < b.setlId ? -1 : a.setlId > b.setlId ? 1 : 0));
  const cols = columnsOf(sorted);
  const unnestArgs = sql.join(cols.map((c, k) => sql`${c}::${sql.raw(TYPES[k] as string)}[]`));
  const colList = sql.raw(COLS.join(", "));
  const vCols = sql.raw(COLS.map((c) => `v.${c}`).join(", "));
  const all = sql.raw(`${COLS.join(", ")}, run_id, settled_at`);
  const sAll = sql.raw(`${COLS.map((c) => `s.${c}`).join(", ")}, s.run_id, s.settled_at`);
  const sCmp = sql.raw(`(${COMPARED.map((c) => `s.${c}`).join(", ")})`);
  const vCmp = sql.raw(`(${COMPARED.map((c) => `v.${c}`).join(", ")})`);
  const curCmp = sql.raw(`(${COMPARED.map((c) => `stay_settlement.${c}`).join(", ")})`);
  const exCmp = sql.raw(`(${COMPARED.map((c) => `excluded.${c}`).join(", ")})`);
  const updates = sql.raw(
    [...COLS.filter((c) => c !== "setl_id"), "run_id", "settled_at"]
      .map((c) => `${c} = excluded.${c}`)
      .join(", "),
  );
  const r = await sql`WITH v AS (SELECT * FROM unnest(${unnestArgs}) AS t(${colList})),
    j AS MATERIALIZED (
      SELECT ${vCols}, s.setl_id IS NOT NULL AS existed FROM v LEFT JOIN stay_settlement s ON s.setl_id = v.setl_id
      WHERE s.setl_id IS NULL OR ${sCmp} IS DISTINCT FROM ${vCmp}
    ),
    moved AS (
      INSERT INTO stay_settlement_history (${all}, replaced_at, replaced_by_run)
      SELECT ${sAll}, now(), ${runId}::bigint FROM stay_settlement s JOIN j ON j.setl_id = s.setl_id
      WHERE j.existed
      RETURNING 1
    )
    INSERT INTO stay_settlement (${all})
    SELECT ${colList}, ${runId}::bigint, now() FROM j
    ON CONFLICT (setl_id) DO UPDATE SET ${updates}
    WHERE ${curCmp} IS DISTINCT FROM ${exCmp}`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

async function writeErrors(db: PaymentDb, runId: number, errors: readonly RecordError[]): Promise<void> {
  if (errors.length === 0) return;
  await sql`INSERT INTO stay_settlement_error (run_id, setl_id, field, message)
    SELECT ${runId}::bigint, * FROM unnest(${errors.map((e) => e.setlId)}::text[], ${errors.map((e) => e.field)}::text[],
      ${errors.map((e) => e.message)}::text[])
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Approved special cases (特病单议) by setl_id: the latest approval that is not revoked. */
export async function loadApprovals(
  store: Store,
  setlIds?: readonly string[],
): Promise<Map<string, SpecialReview>> {
  const filter = setlIds ? sql`AND setl_id = ANY(${[...setlIds]}::text[])` : sql``;
  const r = await sql<{
    setl_id: string;
    amount_fen: number | null;
  }>`SELECT DISTINCT ON (setl_id) setl_id, amount_fen
    FROM special_case_approval WHERE NOT revoked ${filter} ORDER BY setl_id, approved_at DESC, id DESC`.execute(
    dbOf(store),
  );
  return new Map(
    r.rows.map((x) => [
      x.setl_id,
      x.amount_fen === null ? { approved: true } : { approved: true, amount: Number(x.amount_fen) },
    ]),
  );
}

/** Person state from the stored settlements of the year before `period` (for runs not starting in January). */
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

function emptyTotals(): SettlementTotals {
  return {
    stays: 0,
    totalCost: 0,
    drgPayment: 0,
    patientShare: 0,
    fundPayment: 0,
    balance: 0,
    specialReview: 0,
    points: "0",
  };
}

/** SQL sums of the stored settlements of the periods (excluding the run's failed records). */
export async function storedTotals(
  db: PaymentDb,
  periods: readonly string[],
  excludeErrorsOfRun?: number,
): Promise<SettlementTotals> {
  const ex =
    excludeErrorsOfRun === undefined
      ? sql``
      : sql`AND NOT EXISTS (SELECT 1 FROM stay_settlement_error e WHERE e.run_id = ${excludeErrorsOfRun} AND e.setl_id = s.setl_id)`;
  const r = await sql<Record<string, string | number | null>>`SELECT count(*)::bigint AS stays,
      COALESCE(sum(s.total_cost_fen), 0)::bigint AS total_cost, COALESCE(sum(s.drg_payment_fen), 0)::bigint AS drg_payment,
      COALESCE(sum(s.patient_share_fen), 0)::bigint AS patient_share, COALESCE(sum(s.fund_payment_fen), 0)::bigint AS fund_payment,
      COALESCE(sum(s.balance_fen), 0)::bigint AS balance, COALESCE(sum(s.special_review_fen), 0)::bigint AS special_review,
      COALESCE(sum(s.points), 0)::text AS points
    FROM stay_settlement s
    JOIN settlement_list l ON l.setl_id = s.setl_id AND l.status = 'accepted' AND l.version = s.list_version
    WHERE s.period = ANY(${[...periods]}::text[]) ${ex}`.execute(db);
  const x = r.rows[0] ?? {};
  return {
    stays: Number(x.stays),
    totalCost: Number(x.total_cost),
    drgPayment: Number(x.drg_payment),
    patientShare: Number(x.patient_share),
    fundPayment: Number(x.fund_payment),
    balance: Number(x.balance),
    specialReview: Number(x.special_review),
    points: String(x.points),
  };
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
    const settler = await loadSettler(store, options.policy);
    const approvals = await loadApprovals(store);
    const persons = await priorPersonState(db, periods[0] as string);
    const total = await countAcceptedLists(store.db, { periods });
    let done = 0;
    let written = 0;
    let errors = 0;
    const samples: RecordError[] = [];
    const byCategory: Record<string, number> = {};
    const sources = { policy: 0, list: 0 };
    const t = emptyTotals();
    let points = 0n;
    const inflight: Promise<void>[] = [];

    const settleGroup = (rows: readonly ListRow[], out: SettlementRow[], errs: RecordError[]) => {
      const inputs = rows.map(inputOf);
      inputs.sort((a, b) =>
        (a.dscgDate ?? "") < (b.dscgDate ?? "")
          ? -1
          : (a.dscgDate ?? "") > (b.dscgDate ?? "")
            ? 1
            : a.setlId < b.setlId
              ? -1
              : 1,
      );
      for (const x of inputs) {
        const before = persons.get(x.patientKey) ?? {};
        try {
          const { row, person } = settleInput(settler, x, before, approvals.get(x.setlId));
          persons.set(x.patientKey, person);
          out.push(row);
          t.stays++;
          t.totalCost += row.totalCostFen;
          t.drgPayment += row.drgPaymentFen;
          t.patientShare += row.patientShareFen;
          t.fundPayment += row.fundPaymentFen;
          t.balance += row.balanceFen;
          t.specialReview += row.specialReviewFen;
          points += BigInt(row.points);
          byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
          sources[row.shareSource]++;
        } catch (e) {
          const err =
            e instanceof SettlementError
              ? { setlId: x.setlId, field: e.field, message: e.message }
              : { setlId: x.setlId, field: "(结算)", message: e instanceof Error ? e.message : String(e) };
          errs.push(err);
          if (samples.length < 100) samples.push(err);
          errors++;
        }
      }
    };

    for (const period of periods) {
      let cursor: { key: string; id: string } | null = null;
      let carry: ListRow[] = [];
      let next: Promise<ListRow[]> | null = readPage(db, period, null, batch);
      while (next !== null) {
        const page: ListRow[] = await next;
        const last = page[page.length - 1];
        if (page.length === batch && last) {
          cursor = { key: last.patient_key, id: last.setl_id };
          next = readPage(db, period, cursor, batch);
        } else next = null;
        let rows = carry.length > 0 ? [...carry, ...page] : page;
        carry = [];
        if (next !== null && rows.length > 0) {
          // Hold back the last person's lists: more of them may be on the next page.
          const lastKey = (rows[rows.length - 1] as ListRow).patient_key;
          let cut = rows.length;
          while (cut > 0 && (rows[cut - 1] as ListRow).patient_key === lastKey) cut--;
          if (cut > 0) {
            carry = rows.slice(cut);
            rows = rows.slice(0, cut);
          }
        }
        const out: SettlementRow[] = [];
        const errs: RecordError[] = [];
        let i = 0;
        while (i < rows.length) {
          let j = i + 1;
          const key = (rows[i] as ListRow).patient_key;
          while (j < rows.length && (rows[j] as ListRow).patient_key === key) j++;
          settleGroup(rows.slice(i, j), out, errs);
          i = j;
        }
        done += rows.length;
        // Up to WRITES_IN_FLIGHT pages are written at once (their setl_ids are disjoint) while the
        // next page is read and settled.
        if (inflight.length >= WRITES_IN_FLIGHT) await inflight.shift();
        const w = db.transaction().execute(async (trx) => {
          // The run is recorded as done only by a later, synchronous commit, which makes every page
          // durable; a crash before it leaves an unfinished run that is simply settled again.
          await sql`SET LOCAL synchronous_commit = off`.execute(trx);
          const n = await writeSettlements(trx, runId, out);
          written += n;
          await writeErrors(trx, runId, errs);
        });
        w.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        inflight.push(w);
        options.onProgress?.({ period, done, total, errors });
      }
    }
    await Promise.all(inflight);
    t.points = points.toString();
    const stored = await storedTotals(db, periods, runId);
    for (const k of Object.keys(t) as (keyof SettlementTotals)[]) {
      if (String(t[k]) !== String(stored[k])) {
        throw new Error(`结算合计校验失败：${k} 逐例合计 ${t[k]} ≠ 数据库合计 ${stored[k]}`);
      }
    }
    return {
      periods,
      settled: t.stays,
      written,
      errors,
      errorSamples: samples,
      byCategory,
      shareSources: sources,
      totals: t,
      milliseconds: Math.round(performance.now() - started),
    };
  }).then((r) => ({ ...r, runId: r.runId }));
}

export { SettlementContext };
