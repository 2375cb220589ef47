/**
 * DIP payment run by the bureau from what the store holds (DIP 月度预付与年度清算): the DIP payment
 * policy in force (a dated edition of `dip_payment_policy`), the hospitals paid by DIP in the month or
 * year (their master-data editions, with their level and the policy's coefficient; see
 * hospital-data.ts for which edition decides), the accepted lists of those hospitals by discharge date,
 * each taken only when its hospital was paid by DIP on that date.
 *
 * - Monthly prepayment (`prepayDipMonthJob`): each hospital's month at the policy's 预算点值 × 预付比例,
 *   stored per (period, hospital); re-running a month replaces its rows. A recorded run (payment_run
 *   `dip_prepay`).
 * - The year clearing is in dip-clearing.ts.
 */
import { addDays } from "@yibao/kernel/calendar";
import {
  createDipPricing,
  type DipPaymentPolicy,
  type DipPricing,
  dipCoefficientOf,
  type Fen,
  formatRational,
  parseDipPaymentPolicy,
  prepayDipMonth,
  type Rational,
  selectEffective,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { collectDipStays, type DipHospital } from "./dip-year.js";
import { loadHospitalEditions, todayInChina } from "./hospital-data.js";
import { checkPeriod, dbOf, PaymentInputError, withRun } from "./repo.js";

/** Which DIP policy edition: `id` (its edition in force) or `id@version`; default the one in force. */
export interface DipPolicySelect {
  readonly id: string;
  readonly version?: string;
}

/**
 * The DIP payment policy in force on `date` (the newest effective edition), or the selected one; a
 * PaymentInputError naming what is missing otherwise.
 */
export async function dipPolicyInForce(
  store: Store,
  date: string,
  select?: DipPolicySelect,
): Promise<DipPaymentPolicy> {
  const rows = await dbOf(store)
    .selectFrom("dip_payment_policy")
    .select(["id", "version", "data"])
    .$if(select !== undefined, (q) => q.where("id", "=", select?.id ?? ""))
    .$if(select?.version !== undefined, (q) => q.where("version", "=", select?.version ?? ""))
    .execute();
  const parsed = rows.map((r) => parseDipPaymentPolicy(r.data));
  const chosen = select?.version !== undefined ? parsed[0] : selectEffective(parsed, date);
  if (chosen === undefined) {
    const what = select
      ? `DIP 付费政策 ${select.id}${select.version ? `@${select.version}` : ""}`
      : "DIP 付费政策";
    throw new PaymentInputError(
      select?.version !== undefined
        ? `${what} 不存在`
        : `没有在 ${date} 生效的${what}，请先保存 DIP 付费政策`,
      "POLICY_NOT_FOUND",
    );
  }
  return chosen;
}

/** A range of discharge dates [from, to) (yyyy-MM-dd): a month or a year of DIP payment. */
export interface DipRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The hospitals paid by DIP on some day of `range` (default: today in China), each at the level of its
 * last DIP edition in force in the range (for a year: the edition in force on 31 December when it is
 * still paid by DIP then), with the policy's coefficient. A DIP hospital whose level the policy has no
 * standard costs for, or with no coefficient, is a configuration problem named here.
 */
export async function dipHospitalsOf(
  store: Store,
  policy: DipPaymentPolicy,
  range?: DipRange,
): Promise<DipHospital[]> {
  const editions = await loadHospitalEditions(store);
  const today = todayInChina();
  const r = range ?? { from: today, to: addDays(today, 1) };
  const rows = editions.dipInRange(r.from, r.to);
  if (rows.length === 0)
    throw new PaymentInputError("没有按 DIP 付费的医疗机构（医院信息的支付方式均为 DRG）", "INVALID_INPUT");
  const problems: string[] = [];
  const out: DipHospital[] = [];
  for (const h of rows) {
    const coefficient = dipCoefficientOf(policy, h.hospitalCode, h.level);
    if (!policy.standardCost.has(h.level))
      problems.push(`${h.hospitalCode}：DIP 付费政策没有「${h.level}」医院的标准费用`);
    else if (coefficient === undefined)
      problems.push(`${h.hospitalCode}：DIP 付费政策 coefficients 没有该院或「${h.level}」的机构系数`);
    else out.push({ code: h.hospitalCode, level: h.level, coefficient });
  }
  if (problems.length > 0)
    throw new PaymentInputError(
      `DIP 付费政策 ${policy.id}@${policy.version} 不能结算以下机构：${problems.join("；")}`,
    );
  return out;
}

/** Whether a stay of `hospital` discharged on `date` is paid by DIP (its hospital's edition then). */
export async function dipPaysOn(store: Store): Promise<(hospital: string, date: string) => boolean> {
  const editions = await loadHospitalEditions(store);
  return (hospital, date) => editions.paidByDip(hospital, date);
}

/**
 * The spans of discharge dates in which each hospital was paid by DIP, with its level in each (one per
 * edition date of its master data): the audit re-prices a single stay by the data of its date.
 */
async function dipHospitalSpans(
  store: Store,
): Promise<{ id: string; level: string; from: string; until: string | null }[]> {
  const editions = await loadHospitalEditions(store);
  const out: { id: string; level: string; from: string; until: string | null }[] = [];
  for (const code of editions.codes()) {
    const starts = [...new Set(editions.editionsOf(code).map((e) => e.effectiveFrom))];
    starts.forEach((from, i) => {
      const e = editions.editionOn(code, from);
      if (e?.paymentMethod === "dip")
        out.push({ id: code, level: e.level, from, until: starts[i + 1] ?? null });
    });
  }
  return out;
}

/**
 * The DIP pricing of single stays for re-settlement (audit's fund loss of a DIP hospital): every DIP
 * policy edition, the hospitals paid by DIP with their level in each span of discharge dates, and each cleared year's 清算点值 (a
 * year not cleared yet is priced at its policy's 预算点值). Null when no hospital is paid by DIP or
 * no DIP policy is stored.
 */
export async function dipPricingOf(store: Store): Promise<DipPricing | null> {
  const db = dbOf(store);
  const hospitals = await dipHospitalSpans(store);
  if (hospitals.length === 0) return null;
  const policies = (await db.selectFrom("dip_payment_policy").select("data").execute()).map((r) =>
    parseDipPaymentPolicy(r.data),
  );
  if (policies.length === 0) return null;
  const cleared = await db
    .selectFrom("dip_year_clearing")
    .select(["year", "point_value_num", "point_value_den"])
    .execute();
  return createDipPricing({
    policies,
    hospitals,
    pointValues: new Map(
      cleared.map((c) => [
        String(c.year),
        { num: BigInt(String(c.point_value_num)), den: BigInt(String(c.point_value_den)) },
      ]),
    ),
  });
}

/** Points to six decimals (display and statements). */
export function points6(r: Rational): string {
  return formatRational(r, 6);
}

function nextMonth(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

// ---- monthly prepayment ---------------------------------------------------------------------------

export interface DipPrepayOptions {
  readonly store: Store;
  /** yyyy-MM: the month of discharge. */
  readonly period: string;
  readonly policy?: DipPolicySelect;
  readonly actor?: string;
}

/** A hospital's prepaid month as stored and returned. */
export interface DipPrepaymentRow {
  readonly period: string;
  readonly hospitalCode: string;
  readonly cases: number;
  readonly points: string;
  readonly pointValueYuan: string;
  readonly estimatedPaymentFen: Fen;
  readonly patientPaidFen: Fen;
  readonly estimatedFundFen: Fen;
  readonly prepaymentFen: Fen;
}

export interface DipPrepayResult {
  readonly runId: number;
  readonly period: string;
  readonly policy: { readonly id: string; readonly version: string };
  readonly lists: number;
  readonly hospitals: readonly DipPrepaymentRow[];
  readonly unpriced: readonly {
    readonly hospital: string;
    readonly count: number;
    readonly setlIds: readonly string[];
  }[];
  readonly refused: readonly { readonly setlId: string; readonly field: string; readonly message: string }[];
  readonly totalPrepaymentFen: Fen;
}

/** Prepays a month of the DIP hospitals (月度预付) and stores it, replacing that month's rows. */
export async function prepayDipMonthJob(options: DipPrepayOptions): Promise<DipPrepayResult> {
  const { store } = options;
  const period = checkPeriod(options.period, "period");
  const from = `${period}-01`;
  const policy = await dipPolicyInForce(store, from, options.policy);
  if (policy.prepayment === null)
    throw new PaymentInputError(
      `DIP 付费政策 ${policy.id}@${policy.version} 未规定月度预付（prepayment：预算点值与预付比例）`,
    );
  const to = nextMonth(period);
  const hospitals = await dipHospitalsOf(store, policy, { from, to });
  const paysOn = await dipPaysOn(store);
  const params = { period, policy: { id: policy.id, version: policy.version } };
  return withRun(store, "dip_prepay", options.actor ?? "system", params, async (runId) => {
    const byCode = new Map(hospitals.map((h) => [h.code, h]));
    const c = await collectDipStays(store, { from, to, policy, hospitals: byCode, paysOn });
    const m = prepayDipMonth(policy, c.stays, new Map(hospitals.map((h) => [h.code, h.coefficient])));
    const value = formatRational(
      { num: m.terms.pointValueFen.num, den: m.terms.pointValueFen.den * 100n },
      6,
    );
    const rows: DipPrepaymentRow[] = m.hospitals.map((h) => ({
      period,
      hospitalCode: h.hospital,
      cases: h.stays.length,
      points: points6(h.points),
      pointValueYuan: value,
      estimatedPaymentFen: h.estimatedPaymentFen,
      patientPaidFen: h.patientPaidFen,
      estimatedFundFen: h.estimatedFundFen,
      prepaymentFen: h.prepaymentFen,
    }));
    await dbOf(store)
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom("dip_prepayment").where("period", "=", period).execute();
        if (rows.length > 0)
          await trx
            .insertInto("dip_prepayment")
            .values(
              rows.map((r) => ({
                period,
                hospital_code: r.hospitalCode,
                run_id: runId,
                policy_id: policy.id,
                policy_version: policy.version,
                cases: r.cases,
                points: r.points,
                point_value_yuan: r.pointValueYuan,
                estimated_payment_fen: r.estimatedPaymentFen,
                patient_paid_fen: r.patientPaidFen,
                estimated_fund_fen: r.estimatedFundFen,
                prepayment_fen: r.prepaymentFen,
                prepaid_at: new Date(),
              })),
            )
            .execute();
      });
    const totalPrepaymentFen = rows.reduce((s, r) => s + r.prepaymentFen, 0);
    return {
      period,
      policy: params.policy,
      lists: c.lists,
      hospitals: rows,
      unpriced: c.unpriced.map((u) => ({ hospital: u.hospital, count: u.count, setlIds: u.setlIds })),
      refused: m.refused.map((e) => ({ setlId: e.record, field: e.field, message: e.message })),
      totalPrepaymentFen,
      totals: { hospitals: rows.length, lists: c.lists, prepaymentFen: totalPrepaymentFen },
    };
  });
}

/** The stored prepayments of a year (or one hospital's), by period and hospital. */
export async function dipPrepayments(
  store: Store,
  year: number,
  hospital?: string,
): Promise<DipPrepaymentRow[]> {
  const rows = await dbOf(store)
    .selectFrom("dip_prepayment")
    .selectAll()
    .where("period", ">=", `${year}-01`)
    .where("period", "<=", `${year}-12`)
    .$if(hospital !== undefined, (q) => q.where("hospital_code", "=", hospital ?? ""))
    .orderBy("period")
    .orderBy("hospital_code")
    .execute();
  return rows.map((r) => ({
    period: r.period,
    hospitalCode: r.hospital_code,
    cases: Number(r.cases),
    points: r.points,
    pointValueYuan: r.point_value_yuan,
    estimatedPaymentFen: Number(r.estimated_payment_fen),
    patientPaidFen: Number(r.patient_paid_fen),
    estimatedFundFen: Number(r.estimated_fund_fen),
    prepaymentFen: Number(r.prepayment_fen),
  }));
}
