/**
 * Year-end clearing job (年终清算): sums the stored settlements of a year per hospital (points,
 * total cost, patient share, fund prepaid), applies the audit deductions recorded for the year and
 * the clearing rules of the payment policy in force at year end, and stores the statements.
 *
 * 点值 = budget ÷ Σ points. 已预拨 (prepaid) = Σ monthly fund payments of the hospital's stays.
 * Special-case approvals (特病单议) are part of the stays' points (approval re-settles the stay);
 * their points are shown per hospital. Totals equal the sum of the hospital rows to the fen: checked
 * here and again against the stored rows.
 */
import {
  type ClearingBudgetBasis,
  type ClearingRules,
  clearYear,
  type Fen,
  type HospitalClearing,
  type PaymentPolicy,
  type YearClearing,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { dbOf, loadPolicies, PaymentInputError, withRun } from "./repo.js";

export interface ClearYearOptions {
  readonly store: Store;
  readonly year: number;
  /** 年度预算 (fen). */
  readonly budget: Fen;
  /** Policy whose clearing rules apply; default the policy in force on 31 December. */
  readonly policy?: { readonly id: string; readonly version?: string };
  readonly actor?: string;
}

/** One hospital's clearing statement as stored. */
export interface ClearingStatementRow extends Omit<HospitalClearing, "points" | "deductionReasons"> {
  readonly cases: number;
  /** 总点数 and 特病单议点数 (micro-points, decimal strings). */
  readonly points: string;
  readonly specialReviewPoints: string;
  readonly deductionReasons: readonly string[];
}

export interface ClearYearResult {
  readonly runId: number;
  readonly year: number;
  readonly policy: { readonly id: string; readonly version: string };
  readonly budget: Fen;
  /** What the budget covers (the policy's clearing.budgetBasis) and what was shared out by points. */
  readonly budgetBasis: ClearingBudgetBasis;
  readonly pool: Fen;
  readonly totalPoints: string;
  readonly pointValueYuan: string;
  readonly hospitals: readonly ClearingStatementRow[];
  readonly totals: Record<string, number | string>;
  readonly rejectedDeductions: readonly { hospitalId: string; amount: Fen; reason: string; rule: string }[];
}

const MONEY_KEYS = [
  "payment",
  "totalCost",
  "balance",
  "surplusRetained",
  "surplusReturned",
  "primaryCareSurplus",
  "regionalReward",
  "overspend",
  "overspendCovered",
  "overspendBorne",
  "deductions",
  "settled",
  "patientShare",
  "fundDue",
  "prepaid",
  "balanceDue",
] as const;

/** Asserts that every money total equals the sum of the hospital rows and the identities hold. */
export function assertClearingSums(c: YearClearing): void {
  for (const k of MONEY_KEYS) {
    let s = 0;
    for (const h of c.hospitals) s += h[k];
    if (s !== c.totals[k]) throw new Error(`清算合计校验失败：${k} 各机构之和 ${s} ≠ 合计 ${c.totals[k]}`);
  }
  if (c.totals.payment !== c.pool)
    throw new Error(`清算合计校验失败：支付合计 ${c.totals.payment} ≠ 按点数分配的资金 ${c.pool}`);
  if (c.pool !== (c.budgetBasis === "fund" ? c.budget + c.totals.patientShare : c.budget))
    throw new Error(`清算合计校验失败：按点数分配的资金 ${c.pool} 与预算口径不符`);
  for (const h of c.hospitals) {
    if (h.settled !== h.payment - h.surplusReturned + h.overspendCovered + h.regionalReward - h.deductions) {
      throw new Error(`清算校验失败：机构 ${h.hospitalId} 清算后应得不等于各项之和`);
    }
    if (h.fundDue !== h.settled - h.patientShare || h.balanceDue !== h.fundDue - h.prepaid) {
      throw new Error(`清算校验失败：机构 ${h.hospitalId} 基金应付或应补拨不等于各项之差`);
    }
  }
}

/**
 * The payment policy a year is cleared under: the one in force on the year's last day (the latest
 * effective one when several are), else the latest stored; it must have clearing rules.
 */
export async function clearingPolicyOf(
  store: Store,
  year: number,
  selector?: ClearYearOptions["policy"],
): Promise<PaymentPolicy & { readonly clearing: ClearingRules }> {
  const policies = await loadPolicies(store, selector ?? {});
  const yearEnd = `${year}-12-31`;
  const inForce = policies
    .filter(
      (p) =>
        p.policy.effectiveFrom <= yearEnd &&
        (p.policy.effectiveTo == null || yearEnd <= p.policy.effectiveTo),
    )
    .sort((a, b) => (a.policy.effectiveFrom < b.policy.effectiveFrom ? 1 : -1))[0];
  const policy = inForce?.policy ?? policies[policies.length - 1]?.policy;
  if (!policy) throw new PaymentInputError(`${year} 年没有生效的支付政策`, "POLICY_NOT_FOUND");
  if (!policy.clearing) {
    throw new PaymentInputError(
      `支付政策 ${policy.id}@${policy.version} 没有年终清算规则(clearing)，无法清算`,
      "NO_CLEARING_RULES",
    );
  }
  return policy as PaymentPolicy & { readonly clearing: ClearingRules };
}

/**
 * What the sharing rules need of a year: each hospital's assessment factor (hospital_assessment; 1
 * when none is recorded) and, for hospitals of the levels the policy's 基层病种 rule names (the level
 * of the master-data edition in force on 31 December of the year), the points and cost of their stays
 * in those DRGs.
 */
async function sharingInputs(
  store: Store,
  year: number,
  rules: ClearingRules,
): Promise<{
  assessments: Map<string, number>;
  primaryCare: Map<string, { points: bigint; totalCost: number }>;
}> {
  const db = dbOf(store);
  const a = await db
    .selectFrom("hospital_assessment")
    .select(["hospital_code", "factor_ppm"])
    .where("year", "=", year)
    .execute();
  const assessments = new Map(a.map((r) => [r.hospital_code, Number(r.factor_ppm)]));
  const primaryCare = new Map<string, { points: bigint; totalCost: number }>();
  const pc = rules.primaryCare;
  if (pc) {
    const r = await sql<{ hospital_code: string; points: string; total_cost: string }>`SELECT s.hospital_code,
        sum(s.points)::text AS points, sum(s.total_cost_fen)::text AS total_cost
      FROM stay_settlement s
      JOIN settlement_list l ON l.setl_id = s.setl_id AND l.status = 'accepted' AND l.version = s.list_version
      JOIN (SELECT DISTINCT ON (hospital_code) hospital_code, level FROM payment_hospital_edition
          WHERE effective_from <= ${`${year}-12-31`}::date
          ORDER BY hospital_code, effective_from DESC, edition_id DESC) h
        ON h.hospital_code = s.hospital_code AND h.level = ANY(${[...pc.levels]}::text[])
      WHERE s.period >= ${`${year}-01`} AND s.period <= ${`${year}-12`} AND s.drg = ANY(${[...pc.groups]}::text[])
      GROUP BY s.hospital_code`.execute(db);
    for (const x of r.rows)
      primaryCare.set(x.hospital_code, { points: BigInt(x.points), totalCost: Number(x.total_cost) });
  }
  return { assessments, primaryCare };
}

/** Replaces a year's stored clearing and its statements, then checks the stored sums against the run's. */
async function writeClearing(
  store: Store,
  w: {
    readonly year: number;
    readonly runId: number;
    readonly policy: PaymentPolicy;
    readonly budget: Fen;
    readonly clearing: YearClearing;
    readonly hospitals: readonly ClearingStatementRow[];
    readonly totals: Record<string, number | string>;
  },
): Promise<void> {
  const { year, runId, policy, budget, clearing, hospitals, totals } = w;
  const db = dbOf(store);
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM clearing_statement WHERE year = ${year}`.execute(trx);
    await sql`DELETE FROM year_clearing WHERE year = ${year}`.execute(trx);
    await sql`INSERT INTO year_clearing (year, run_id, policy_id, policy_version, budget_fen, total_points, point_value_num,
        point_value_den, point_value_yuan, totals, rejected_deductions, cleared_at)
      VALUES (${year}, ${runId}, ${policy.id}, ${policy.version}, ${budget}, ${clearing.totalPoints.toString()}::numeric,
        ${clearing.pointValue.num.toString()}::numeric, ${clearing.pointValue.den.toString()}::numeric, ${clearing.pointValueYuan},
        ${JSON.stringify(totals)}::jsonb, ${JSON.stringify(clearing.rejectedDeductions)}::jsonb, now())`.execute(
      trx,
    );
    for (const h of hospitals) {
      await sql`INSERT INTO clearing_statement (year, hospital_code, run_id, cases, points, special_review_points, payment_fen,
          total_cost_fen, balance_fen, surplus_retained_fen, surplus_returned_fen, overspend_fen, overspend_covered_fen,
          overspend_borne_fen, deductions_fen, deduction_reasons, settled_fen, patient_share_fen, fund_due_fen, prepaid_fen, balance_due_fen,
          primary_care_surplus_fen, assessment_ppm, regional_reward_fen)
        VALUES (${year}, ${h.hospitalId}, ${runId}, ${h.cases}, ${h.points}::numeric, ${h.specialReviewPoints}::numeric, ${h.payment},
          ${h.totalCost}, ${h.balance}, ${h.surplusRetained}, ${h.surplusReturned}, ${h.overspend}, ${h.overspendCovered},
          ${h.overspendBorne}, ${h.deductions}, ${JSON.stringify(h.deductionReasons)}::jsonb, ${h.settled}, ${h.patientShare},
          ${h.fundDue}, ${h.prepaid}, ${h.balanceDue}, ${h.primaryCareSurplus}, ${h.assessment}, ${h.regionalReward})`.execute(
        trx,
      );
    }
    const check = await sql<
      Record<string, string>
    >`SELECT sum(payment_fen)::text AS payment, sum(settled_fen)::text AS settled,
        sum(fund_due_fen)::text AS fund_due, sum(deductions_fen)::text AS deductions, sum(balance_due_fen)::text AS balance_due
      FROM clearing_statement WHERE year = ${year}`.execute(trx);
    const c = check.rows[0] ?? {};
    for (const [k, v] of [
      ["payment", clearing.totals.payment],
      ["settled", clearing.totals.settled],
      ["fund_due", clearing.totals.fundDue],
      ["deductions", clearing.totals.deductions],
      ["balance_due", clearing.totals.balanceDue],
    ] as const) {
      if (c[k] !== String(v)) throw new Error(`清算合计校验失败：${k} 数据库合计 ${c[k]} ≠ ${v}`);
    }
  });
}

/** Clears a year and stores the statements (replacing an earlier clearing of the same year). */
export async function clearYearJob(options: ClearYearOptions): Promise<ClearYearResult> {
  const { store, year, budget } = options;
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new PaymentInputError("year：须为四位年份");
  if (!Number.isSafeInteger(budget) || budget <= 0)
    throw new PaymentInputError("budget：年度预算须为正整数分");
  const db = dbOf(store);
  const params = { year, budget, policy: options.policy ?? null };
  return withRun(store, "clear", options.actor ?? "system", params, async (runId) => {
    const policy = await clearingPolicyOf(store, year, options.policy);
    const rows = await sql<{
      hospital_code: string;
      cases: number;
      points: string;
      sr_points: string;
      total_cost: number;
      patient_share: number;
      prepaid: number;
    }>`SELECT s.hospital_code, count(*)::int AS cases, sum(s.points)::text AS points, sum(s.special_review_points)::text AS sr_points,
        sum(s.total_cost_fen)::bigint AS total_cost, sum(s.patient_share_fen)::bigint AS patient_share,
        sum(s.fund_payment_fen)::bigint AS prepaid
      FROM stay_settlement s
      JOIN settlement_list l ON l.setl_id = s.setl_id AND l.status = 'accepted' AND l.version = s.list_version
      WHERE s.period >= ${`${year}-01`} AND s.period <= ${`${year}-12`}
      GROUP BY s.hospital_code ORDER BY s.hospital_code`.execute(db);
    if (rows.rows.length === 0) {
      throw new PaymentInputError(`${year} 年没有已结算的病例，请先按期结算`, "NOTHING_SETTLED");
    }
    const deds = await sql<{
      hospital_code: string;
      amount_fen: number;
      reason: string;
      finding_id: string | null;
    }>`
      SELECT hospital_code, amount_fen, reason, finding_id FROM audit_deduction WHERE year = ${year} ORDER BY id`.execute(
      db,
    );
    const sharing = await sharingInputs(store, year, policy.clearing);
    const clearing = clearYear({
      budget,
      rules: policy.clearing,
      hospitals: rows.rows.map((r) => {
        const assessment = sharing.assessments.get(r.hospital_code);
        const primaryCare = sharing.primaryCare.get(r.hospital_code);
        return {
          hospitalId: r.hospital_code,
          points: BigInt(r.points),
          totalCost: Number(r.total_cost),
          patientShare: Number(r.patient_share),
          prepaid: Number(r.prepaid),
          cases: r.cases,
          ...(assessment !== undefined ? { assessment } : {}),
          ...(primaryCare !== undefined ? { primaryCare } : {}),
        };
      }),
      deductions: deds.rows.map((d) => ({
        hospitalId: d.hospital_code,
        amount: Number(d.amount_fen),
        reason: d.finding_id ? `${d.reason}（审核发现 ${d.finding_id}）` : d.reason,
      })),
    });
    assertClearingSums(clearing);
    const extra = new Map(rows.rows.map((r) => [r.hospital_code, r]));
    const hospitals: ClearingStatementRow[] = clearing.hospitals.map((h) => ({
      ...h,
      cases: extra.get(h.hospitalId)?.cases ?? 0,
      points: h.points.toString(),
      specialReviewPoints: extra.get(h.hospitalId)?.sr_points ?? "0",
    }));
    const totals: Record<string, number | string> = {
      ...clearing.totals,
      points: clearing.totalPoints.toString(),
      pool: clearing.pool,
      budgetBasis: clearing.budgetBasis,
      rewardPool: clearing.rewardPool,
    };
    await writeClearing(store, { year, runId, policy, budget, clearing, hospitals, totals });
    return {
      year,
      policy: { id: policy.id, version: policy.version },
      budget,
      budgetBasis: clearing.budgetBasis,
      pool: clearing.pool,
      totalPoints: clearing.totalPoints.toString(),
      pointValueYuan: clearing.pointValueYuan,
      hospitals,
      totals,
      rejectedDeductions: clearing.rejectedDeductions,
    };
  });
}

/** The stored clearing of a year, or undefined. */
/** The years cleared so far, newest first, with when. */
export async function clearedYears(store: Store): Promise<{ year: number; clearedAt: string }[]> {
  const r = await sql<{ year: number; cleared_at: Date }>`SELECT year::int AS year, cleared_at
    FROM year_clearing ORDER BY year DESC`.execute(dbOf(store));
  return r.rows.map((x) => ({ year: Number(x.year), clearedAt: new Date(x.cleared_at).toISOString() }));
}

export async function getClearing(
  store: Store,
  year: number,
): Promise<(Omit<ClearYearResult, "runId"> & { runId: number; clearedAt: string }) | undefined> {
  const db = dbOf(store);
  const y = await sql<{
    run_id: number;
    policy_id: string;
    policy_version: string;
    budget_fen: number;
    total_points: string;
    point_value_yuan: string;
    totals: Record<string, number | string>;
    rejected_deductions: ClearYearResult["rejectedDeductions"];
    cleared_at: Date;
  }>`SELECT run_id, policy_id, policy_version, budget_fen, total_points::text AS total_points, point_value_yuan, totals,
      rejected_deductions, cleared_at FROM year_clearing WHERE year = ${year}`.execute(db);
  const head = y.rows[0];
  if (!head) return undefined;
  const r = await sql<
    Record<string, unknown>
  >`SELECT * , points::text AS points, special_review_points::text AS srp
    FROM clearing_statement WHERE year = ${year} ORDER BY hospital_code`.execute(db);
  const n = (v: unknown) => Number(v);
  return {
    runId: Number(head.run_id),
    year,
    policy: { id: head.policy_id, version: head.policy_version },
    budget: Number(head.budget_fen),
    // Clearings stored before the basis was named shared the budget as a total payment.
    budgetBasis: head.totals.budgetBasis === "fund" ? "fund" : "totalPayment",
    pool: head.totals.pool === undefined ? Number(head.budget_fen) : Number(head.totals.pool),
    totalPoints: head.total_points,
    pointValueYuan: head.point_value_yuan,
    clearedAt: new Date(head.cleared_at).toISOString(),
    totals: head.totals,
    rejectedDeductions: head.rejected_deductions,
    hospitals: r.rows.map((x) => ({
      hospitalId: String(x.hospital_code),
      cases: n(x.cases),
      points: String(x.points),
      specialReviewPoints: String(x.srp),
      payment: n(x.payment_fen),
      totalCost: n(x.total_cost_fen),
      balance: n(x.balance_fen),
      surplusRetained: n(x.surplus_retained_fen),
      surplusReturned: n(x.surplus_returned_fen),
      primaryCareSurplus: n(x.primary_care_surplus_fen),
      assessment: n(x.assessment_ppm),
      regionalReward: n(x.regional_reward_fen),
      overspend: n(x.overspend_fen),
      overspendCovered: n(x.overspend_covered_fen),
      overspendBorne: n(x.overspend_borne_fen),
      deductions: n(x.deductions_fen),
      deductionReasons: x.deduction_reasons as string[],
      settled: n(x.settled_fen),
      patientShare: n(x.patient_share_fen),
      fundDue: n(x.fund_due_fen),
      prepaid: n(x.prepaid_fen),
      balanceDue: n(x.balance_due_fen),
    })),
  };
}
