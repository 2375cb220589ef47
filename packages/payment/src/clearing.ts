/**
 * Year-end clearing on the point method (点数法年终清算) under a regional total budget (区域总额预算):
 * what all hospitals are paid together never exceeds the region's budget.
 *
 *   pool = the budget, or with `clearing.budgetBasis` "fund" (a budget of the fund's own money) the
 *       budget plus the patients' share, so that a fund budget is not charged the patients' part
 *   点值 = pool ÷ total points  (exact rational, fen per point)
 *   hospital DRG payment = the pool split by points with largest-remainder allocation, so the
 *       hospital payments add up to the budget to the fen (each is within 1 fen of points × 点值)
 *   结余 = payment − cost > 0: the hospital keeps round((结余 − 基层病种结余) × surplusRetention ×
 *       考核系数) (结余留用; a 三级 hospital keeps nothing its 基层病种 stays made, when the policy says
 *       so), the rest returns to the fund
 *   结余共享: round(Σ returned × regionalReward) goes back to the hospitals, split by each one's fund
 *       expenditure × 考核系数 (largest remainder; 0 when the policy shares nothing)
 *   超支 = cost − payment > 0: the fund bears round(part × fundShare) of each band of the overspend
 *       (bands as shares of the payment); overspend beyond the last band is not covered (超支不补)
 *   settled = payment − returned surplus + covered overspend + reward − audit deductions (审核扣款)
 *   fund due = settled − patients' share; balance due = fund due − advance payments (预拨)
 */
import {
  allocateLargestRemainder,
  divRoundBig,
  type Fen,
  formatRational,
  mulPpm,
  PPM_ONE,
  type Ppm,
  type Rational,
} from "./money.js";
import type { ClearingRules } from "./policy.js";
import type { StaySettlement } from "./settle.js";

/** A hospital's year totals going into clearing (机构年度汇总). */
export interface HospitalYearTotals {
  readonly hospitalId: string;
  /** Σ points of its stays (micro-points). */
  readonly points: number | bigint;
  /** Σ 医疗总费用. */
  readonly totalCost: Fen;
  /** Σ 个人负担. */
  readonly patientShare: Fen;
  /** 已预拨 (monthly advance payments). */
  readonly prepaid?: Fen;
  readonly cases?: number;
  /** 考核系数 (年终考核结果) applied to the surplus kept and the reward share; default 1 (1,000,000). */
  readonly assessment?: Ppm;
  /**
   * The hospital's stays in the policy's 基层病种 when its level is one the rule names (points and
   * cost); the surplus they make is not kept.
   */
  readonly primaryCare?: { readonly points: number | bigint; readonly totalCost: Fen };
}

/** An audit finding to deduct at clearing (审核扣款). */
export interface AuditDeduction {
  readonly hospitalId: string;
  readonly amount: Fen;
  readonly reason: string;
}

/** One hospital's clearing statement (机构清算结果), fen. */
export interface HospitalClearing {
  readonly hospitalId: string;
  readonly points: bigint;
  /** 点数法 DRG 支付. */
  readonly payment: Fen;
  readonly totalCost: Fen;
  /** payment − cost. */
  readonly balance: Fen;
  /** 结余留用 / 结余返还. */
  readonly surplusRetained: Fen;
  readonly surplusReturned: Fen;
  /** Of the surplus, what its 基层病种 stays made (not kept), fen. */
  readonly primaryCareSurplus: Fen;
  /** 考核系数 applied (ppm). */
  readonly assessment: Ppm;
  /** 结余共享奖励: its share of the regional reward, fen. */
  readonly regionalReward: Fen;
  /** 超支 / 医保分担 / 医院自担. */
  readonly overspend: Fen;
  readonly overspendCovered: Fen;
  readonly overspendBorne: Fen;
  /** 审核扣款 and its reasons. */
  readonly deductions: Fen;
  readonly deductionReasons: readonly string[];
  /** 清算后应得 = payment − returned + covered + regional reward − deductions. */
  readonly settled: Fen;
  readonly patientShare: Fen;
  /** 医保基金应付 = settled − patient share. */
  readonly fundDue: Fen;
  readonly prepaid: Fen;
  /** 清算补拨(+)/扣回(−) = fundDue − prepaid. */
  readonly balanceDue: Fen;
}

/** The year's clearing (年度清算结果). */
export interface YearClearing {
  readonly budget: Fen;
  /** What the budget covers (from the clearing rules). */
  readonly budgetBasis: ClearingRules["budgetBasis"];
  /** What is shared out by points: the budget, plus the patients' share when the budget is the fund's. */
  readonly pool: Fen;
  readonly totalPoints: bigint;
  /** 点值: fen per point, exact. */
  readonly pointValue: Rational;
  /** 点值 in yuan per point with 6 decimals, for display. */
  readonly pointValueYuan: string;
  readonly hospitals: readonly HospitalClearing[];
  /** Sums of every money column of `hospitals`. */
  readonly totals: Omit<HospitalClearing, "hospitalId" | "deductionReasons" | "assessment">;
  /** 结余共享奖励池 = round(Σ surplus returned × regionalReward). */
  readonly rewardPool: Fen;
  /** Deductions naming a hospital that is not cleared, with the reason. */
  readonly rejectedDeductions: readonly (AuditDeduction & { readonly rule: string })[];
}

/** Sums settled stays per hospital for clearing (按机构汇总病例结算). */
export function summarizeForClearing(settlements: Iterable<StaySettlement>): HospitalYearTotals[] {
  const m = new Map<string, { points: number; totalCost: Fen; patientShare: Fen; cases: number }>();
  for (const s of settlements) {
    let t = m.get(s.hospitalId);
    if (t === undefined) {
      t = { points: 0, totalCost: 0, patientShare: 0, cases: 0 };
      m.set(s.hospitalId, t);
    }
    t.points += s.points ?? 0;
    t.totalCost += s.totalCost;
    t.patientShare += s.patientShare;
    t.cases++;
  }
  return [...m].map(([hospitalId, t]) => {
    if (!Number.isSafeInteger(t.points) || !Number.isSafeInteger(t.totalCost)) {
      throw new RangeError(`机构 ${hospitalId} 的汇总超出可精确表示的范围`);
    }
    return { hospitalId, ...t };
  });
}

function overspendCovered(overspend: Fen, payment: Fen, rules: ClearingRules): Fen {
  let covered = 0;
  let lower = 0;
  for (const b of rules.overspendBands) {
    const upper = b.upTo === null ? overspend : Math.min(overspend, mulPpm(payment, b.upTo));
    if (upper > lower) covered += mulPpm(upper - lower, b.fundShare);
    if (upper >= overspend) break;
    lower = Math.max(lower, upper);
  }
  return covered;
}

/** Sums every money column of the hospitals' statements (清算合计). */
function sumClearing(hospitals: readonly HospitalClearing[], totalPoints: bigint): YearClearing["totals"] {
  const totals = {
    points: totalPoints,
    payment: 0,
    totalCost: 0,
    balance: 0,
    surplusRetained: 0,
    surplusReturned: 0,
    primaryCareSurplus: 0,
    regionalReward: 0,
    overspend: 0,
    overspendCovered: 0,
    overspendBorne: 0,
    deductions: 0,
    settled: 0,
    patientShare: 0,
    fundDue: 0,
    prepaid: 0,
    balanceDue: 0,
  };
  for (const h of hospitals) {
    totals.payment += h.payment;
    totals.totalCost += h.totalCost;
    totals.balance += h.balance;
    totals.surplusRetained += h.surplusRetained;
    totals.surplusReturned += h.surplusReturned;
    totals.primaryCareSurplus += h.primaryCareSurplus;
    totals.regionalReward += h.regionalReward;
    totals.overspend += h.overspend;
    totals.overspendCovered += h.overspendCovered;
    totals.overspendBorne += h.overspendBorne;
    totals.deductions += h.deductions;
    totals.settled += h.settled;
    totals.patientShare += h.patientShare;
    totals.fundDue += h.fundDue;
    totals.prepaid += h.prepaid;
    totals.balanceDue += h.balanceDue;
  }
  return totals;
}

/** The audit deductions by hospital, and those refused (unknown hospital, bad amount) with the rule. */
function collectDeductions(
  deductions: readonly AuditDeduction[],
  seen: ReadonlySet<string>,
): { ded: Map<string, { amount: Fen; reasons: string[] }>; rejected: (AuditDeduction & { rule: string })[] } {
  const ded = new Map<string, { amount: Fen; reasons: string[] }>();
  const rejected: (AuditDeduction & { rule: string })[] = [];
  for (const d of deductions) {
    if (!seen.has(d.hospitalId)) {
      rejected.push({ ...d, rule: `机构 ${d.hospitalId} 不在本次清算范围` });
      continue;
    }
    if (!Number.isSafeInteger(d.amount) || d.amount < 0) {
      rejected.push({ ...d, rule: "扣款金额须为非负整数分" });
      continue;
    }
    const e = ded.get(d.hospitalId) ?? { amount: 0, reasons: [] };
    e.amount += d.amount;
    e.reasons.push(d.reason);
    ded.set(d.hospitalId, e);
  }

  return { ded, rejected };
}

/** A hospital's clearing before the 结余共享 reward (what sharing the reward needs). */
interface BeforeReward {
  readonly h: HospitalYearTotals;
  readonly payment: Fen;
  readonly surplus: Fen;
  readonly retained: Fen;
  readonly covered: Fen;
  readonly deductions: Fen;
  readonly assessment: Ppm;
}

/**
 * 结余共享: round(Σ returned × regionalReward), split by fund expenditure before the reward × 考核系数
 * (largest remainder); nothing when the pool is 0 or no hospital has a positive weight.
 */
function shareRewards(
  first: readonly BeforeReward[],
  rules: ClearingRules,
): { rewardPool: Fen; rewards: Fen[] } {
  let returnedTotal = 0;
  for (const x of first) returnedTotal += x.surplus - x.retained;
  const rewardPool = mulPpm(returnedTotal, rules.regionalReward ?? 0);
  const weights = first.map((x) => {
    const fund = x.payment - (x.surplus - x.retained) + x.covered - x.deductions - x.h.patientShare;
    return BigInt(Math.max(0, fund)) * BigInt(x.assessment);
  });
  const rewards =
    rewardPool > 0 && weights.some((w) => w > 0n)
      ? allocateLargestRemainder(rewardPool, weights)
      : first.map(() => 0);

  return { rewardPool, rewards };
}

/** Year-end clearing per hospital on the point method (年终清算). */
export function clearYear(input: {
  readonly budget: Fen;
  readonly hospitals: readonly HospitalYearTotals[];
  readonly rules: ClearingRules;
  readonly deductions?: readonly AuditDeduction[];
}): YearClearing {
  const { budget, rules } = input;
  if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError("清算预算须为非负整数分");
  const seen = new Set<string>();
  for (const h of input.hospitals) {
    if (seen.has(h.hospitalId)) throw new RangeError(`机构 ${h.hospitalId} 重复`);
    seen.add(h.hospitalId);
  }
  const pts = input.hospitals.map((h) => BigInt(h.points));
  let totalPoints = 0n;
  for (const p of pts) totalPoints += p;
  if (totalPoints <= 0n) throw new RangeError("总点数须大于零");
  let patientShare = 0;
  for (const h of input.hospitals) patientShare += h.patientShare;
  const pool = rules.budgetBasis === "fund" ? budget + patientShare : budget;
  if (!Number.isSafeInteger(pool)) throw new RangeError("清算资金超出可精确表示的范围");
  const payments = allocateLargestRemainder(pool, pts);
  const pointValue: Rational = { num: BigInt(pool) * 1_000_000n, den: totalPoints };

  const { ded, rejected } = collectDeductions(input.deductions ?? [], seen);

  // First pass: each hospital's surplus kept or returned, overspend covered, before the reward.
  const M = BigInt(PPM_ONE);
  const first = input.hospitals.map((h, i) => {
    const payment = payments[i] as number;
    const balance = payment - h.totalCost;
    const surplus = balance > 0 ? balance : 0;
    const assessment = h.assessment ?? PPM_ONE;
    if (!Number.isSafeInteger(assessment) || assessment < 0)
      throw new RangeError(`机构 ${h.hospitalId} 的考核系数须为非负数`);
    // What its 基层病种 stays made: their points at the point value, less their cost.
    let primaryBalance = 0;
    if (h.primaryCare !== undefined) {
      const paid = divRoundBig(BigInt(h.primaryCare.points) * BigInt(pool), totalPoints);
      primaryBalance = Number(paid) - h.primaryCare.totalCost;
    }
    const primaryCareSurplus = Math.min(surplus, Math.max(0, primaryBalance));
    // round((surplus − 基层病种结余) × 留用比例 × 考核系数), one rounding.
    const retained = Number(
      divRoundBig(
        BigInt(surplus - primaryCareSurplus) * BigInt(rules.surplusRetention) * BigInt(assessment),
        M * M,
      ),
    );
    const overspend = balance < 0 ? -balance : 0;
    const covered = overspendCovered(overspend, payment, rules);
    const deductions = ded.get(h.hospitalId)?.amount ?? 0;
    return {
      h,
      payment,
      balance,
      surplus,
      assessment,
      primaryCareSurplus,
      retained,
      overspend,
      covered,
      deductions,
    };
  });
  const { rewardPool, rewards } = shareRewards(first, rules);

  const hospitals: HospitalClearing[] = first.map((x, i) => {
    const { h, payment, surplus, retained, covered, deductions } = x;
    const regionalReward = rewards[i] as number;
    const settled = payment - (surplus - retained) + covered + regionalReward - deductions;
    const fundDue = settled - h.patientShare;
    const prepaid = h.prepaid ?? 0;
    return {
      hospitalId: h.hospitalId,
      points: pts[i] as bigint,
      payment,
      totalCost: h.totalCost,
      balance: x.balance,
      surplusRetained: retained,
      surplusReturned: surplus - retained,
      primaryCareSurplus: x.primaryCareSurplus,
      assessment: x.assessment,
      regionalReward,
      overspend: x.overspend,
      overspendCovered: covered,
      overspendBorne: x.overspend - covered,
      deductions,
      deductionReasons: ded.get(h.hospitalId)?.reasons ?? [],
      settled,
      patientShare: h.patientShare,
      fundDue,
      prepaid,
      balanceDue: fundDue - prepaid,
    };
  });
  const totals = sumClearing(hospitals, totalPoints);
  return {
    budget,
    budgetBasis: rules.budgetBasis,
    pool,
    totalPoints,
    pointValue,
    pointValueYuan: formatRational({ num: pointValue.num, den: pointValue.den * 100n }, 6),
    hospitals,
    totals,
    rewardPool,
    rejectedDeductions: rejected,
  };
}

/** A request to take a very expensive new-technology stay out of DRG payment (新技术除外申请). */
export interface NewTechApplication {
  readonly stayId: string;
  readonly hospitalId: string;
  readonly totalCost: Fen;
}

/**
 * Approves new-technology exclusions within each hospital's quota (新技术除外额度): at most
 * floor(cases × cap) stays per hospital (e.g. a cap of 3‰, set by the policy), the most expensive first
 * (ties by stay id). Returns the approved stay ids and the refused ones with the reason.
 */
export function selectNewTechExclusions(
  applications: readonly NewTechApplication[],
  caseCounts: ReadonlyMap<string, number>,
  cap: Ppm,
): { approved: string[]; refused: { stayId: string; reason: string }[] } {
  const byHospital = new Map<string, NewTechApplication[]>();
  for (const a of applications) {
    const list = byHospital.get(a.hospitalId) ?? [];
    list.push(a);
    byHospital.set(a.hospitalId, list);
  }
  const approved: string[] = [];
  const refused: { stayId: string; reason: string }[] = [];
  for (const [hospitalId, list] of byHospital) {
    const cases = caseCounts.get(hospitalId) ?? 0;
    const x = cases * cap;
    const quota = (x - (x % 1_000_000)) / 1_000_000;
    list.sort(
      (a, b) => b.totalCost - a.totalCost || (a.stayId < b.stayId ? -1 : a.stayId > b.stayId ? 1 : 0),
    );
    list.forEach((a, i) => {
      if (i < quota) approved.push(a.stayId);
      else
        refused.push({
          stayId: a.stayId,
          reason: `超出机构 ${hospitalId} 新技术除外额度 ${quota} 例(病例数 ${cases})`,
        });
    });
  }
  return { approved, refused };
}
