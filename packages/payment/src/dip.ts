/**
 * DIP payment of a year (按病种分值付费结算): each stay's points (病种分值) from its group, adjusted for
 * deviation cases (偏差病例: 费用极高 and 费用极低) and multiplied by the hospital coefficient
 * (医疗机构系数); the point value (点值) from the year's budget and the points of every stay; each
 * hospital's payment = its points × the point value, and the fund's due = payment − what the
 * patients paid.
 *
 * A stay's points are computed exactly (rationals), then paid to one millionth of a point (百万分之一分,
 * rounded half away from zero, as DRG points are kept): with a real catalogue's thousands of standard
 * costs exact sums would grow without bound. Money is integer fen. The pool is split over the
 * hospitals by their points with the largest-remainder method, and each hospital's payment over its
 * stays the same way, so hospital payments sum to the pool and stay payments to their hospital's
 * payment, to the fen, and every figure traces to its stays.
 */

import { type DipAdjustment, type DipAuxiliary, dipAdjustment, parseDipAuxiliary } from "./dip-auxiliary.js";
import {
  allocateLargestRemainder,
  divRoundBig,
  type Fen,
  mulPpm,
  type Ppm,
  parseRatio,
  parseYuan,
  type Rational,
  toSafeNumber,
} from "./money.js";
import { PolicyDataError, SettlementError, type Versioned } from "./versioned.js";

/** Points are given to four decimals: a group's points are held in ten-thousandths. */
export const DIP_POINT_SCALE = 10_000;

/** The DIP payment rules of a region for a year (DIP 付费政策), all of them data. */
export interface DipPaymentPolicy extends Versioned {
  /** Points of each group (病种分值), in ten-thousandths of a point, by group code. */
  readonly groupPoints: ReadonlyMap<string, number>;
  /** Standard cost (病种标准费用) by hospital level, then group code, in fen. */
  readonly standardCost: ReadonlyMap<string, ReadonlyMap<string, Fen>>;
  /**
   * 费用极高病例: cost ≥ this multiple of the standard. Points = group points × (cost ÷ standard −
   * multiple + 1), which equals the group points at the threshold itself.
   */
  readonly veryHighAtLeast: Ppm;
  /** 费用极低病例: cost ≤ this multiple of the standard. Points = group points × cost ÷ standard. */
  readonly veryLowAtMost: Ppm;
  /**
   * What the year's budget covers: `totalCost`, the total medical cost of the DIP stays (the pool
   * paid out by points), or `fund`, the fund's share only (the pool is then the budget plus what
   * the patients paid).
   */
  readonly budgetBasis: "totalCost" | "fund";
  /**
   * 医疗机构系数 by hospital level (等级系数), ppm; empty when the coefficients come from elsewhere
   * (a hospitals file). A hospital named in `hospitalCoefficients` takes its own instead.
   */
  readonly levelCoefficients: ReadonlyMap<string, Ppm>;
  /** 医疗机构系数 of single hospitals (机构系数), ppm, by hospital code; overrides the level's. */
  readonly hospitalCoefficients: ReadonlyMap<string, Ppm>;
  /**
   * 月度预付: the 预算点值 the months are prepaid at (fen per point, exact) and the share of each
   * month's fund due that is prepaid (预付比例); null when the policy prepays nothing.
   */
  readonly prepayment: DipPrepaymentTerms | null;
  /** 辅助目录: severity (CCI) and age adjustments of a stay's points; null when the policy has none. */
  readonly auxiliary: DipAuxiliary | null;
}

/** How the months of a DIP year are prepaid (月度预付). */
export interface DipPrepaymentTerms {
  /** 预算点值, fen per point, exact (e.g. 150 元/分 → 15,000/1). */
  readonly pointValueFen: Rational;
  /** 预付比例 of the month's fund due, ppm. */
  readonly ratio: Ppm;
}

/**
 * The coefficient (医疗机构系数) the policy gives a hospital: its own, else its level's, else
 * undefined (the stay is then refused, naming the hospital).
 */
export function dipCoefficientOf(policy: DipPaymentPolicy, hospital: string, level: string): Ppm | undefined {
  return policy.hospitalCoefficients.get(hospital) ?? policy.levelCoefficients.get(level);
}

/** One stay to pay by DIP (DIP 结算病例). */
export interface DipStay {
  readonly id: string;
  readonly hospital: string;
  /** The hospital's level (医院等级), a key of `standardCost`, e.g. `三级`. */
  readonly hospitalLevel: string;
  /** The DIP group (病种) the stay is in. */
  readonly group: string;
  /** Total medical cost (医疗总费用), fen. */
  readonly costFen: Fen;
  /** What the patient paid (个人负担), fen. */
  readonly patientPaidFen: Fen;
  /** 其他诊断 codes, for the severity adjustment (辅助目录). */
  readonly secondaryDiagnoses?: readonly string[];
  /** 年龄 in years, for the age adjustment (辅助目录); null when not known. */
  readonly ageYears?: number | null;
}

/** How a stay's cost compares with its group's standard (偏差类型). */
export type DipCaseType = "normal" | "veryHigh" | "veryLow";

export const DIP_CASE_TYPE_NAMES: Readonly<Record<DipCaseType, string>> = {
  normal: "正常病例",
  veryHigh: "费用极高病例",
  veryLow: "费用极低病例",
};

/** A stay's points (病例分值). */
export interface DipStayPoints {
  readonly stay: DipStay;
  readonly caseType: DipCaseType;
  /** The group's standard cost for the hospital's level, fen. */
  readonly standardFen: Fen;
  /** The points before the hospital coefficient. */
  readonly basePoints: Rational;
  /** The points after the hospital coefficient, exact. */
  readonly points: Rational;
  /**
   * The points the stay is paid by (结算分值): `points` rounded half away from zero to one millionth
   * of a point (百万分之一分, as DRG points are kept), so that a year of a real catalogue's thousands
   * of standards sums and splits in integers.
   */
  readonly microPoints: bigint;
  /** 辅助目录 adjustment applied (CCI, severity and age factors); null without an auxiliary catalogue. */
  readonly adjustment: DipAdjustment | null;
}

/** A hospital's year under DIP (医疗机构 DIP 清算). */
export interface DipHospitalSettlement {
  readonly hospital: string;
  readonly coefficient: Ppm;
  readonly stays: readonly DipStayPoints[];
  readonly points: Rational;
  /** Points × point value, fen. */
  readonly paymentFen: Fen;
  /** Each stay's share of `paymentFen` (same order as `stays`), summing to it exactly. */
  readonly stayPaymentsFen: readonly Fen[];
  readonly patientPaidFen: Fen;
  /** 基金应支付 = payment − patient paid, fen. */
  readonly fundFen: Fen;
}

export interface DipYearSettlement {
  readonly policy: DipPaymentPolicy;
  readonly budgetFen: Fen;
  /** The amount paid out by points (the budget, or the budget plus patients' payments), fen. */
  readonly poolFen: Fen;
  readonly totalPoints: Rational;
  /** 点值: fen per point, exact. */
  readonly pointValue: Rational;
  readonly hospitals: readonly DipHospitalSettlement[];
  /** Stays that could not be paid (unknown group, no standard, no coefficient), with the reason. */
  readonly refused: readonly SettlementError[];
}

// ---- exact rationals ---------------------------------------------------------------------------

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function rational(num: bigint, den: bigint): Rational {
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

const ZERO: Rational = { num: 0n, den: 1n };
const MICRO = 1_000_000n;

/** Σ of the stays' paid points (micro-points). */
function microSum(list: readonly DipStayPoints[]): bigint {
  let s = 0n;
  for (const p of list) s += p.microPoints;
  return s;
}

// ---- points --------------------------------------------------------------------------------------

/**
 * The points of one stay: the group's points, adjusted when its cost is very high or very low
 * against the group's standard for the hospital's level, times the hospital coefficient. Throws
 * `SettlementError` naming the stay and field when the group, the standard or the coefficient is
 * unknown.
 */
export function dipStayPoints(
  policy: DipPaymentPolicy,
  stay: DipStay,
  coefficient: Ppm | undefined,
): DipStayPoints {
  const group = policy.groupPoints.get(stay.group);
  if (group === undefined)
    throw new SettlementError(stay.id, "group", `病种 ${stay.group} 不在 DIP 病种分值表中`);
  const standardFen = policy.standardCost.get(stay.hospitalLevel)?.get(stay.group);
  if (standardFen === undefined || standardFen <= 0)
    throw new SettlementError(
      stay.id,
      "hospitalLevel",
      `${stay.hospitalLevel}医院的病种 ${stay.group} 没有标准费用`,
    );
  if (coefficient === undefined)
    throw new SettlementError(stay.id, "hospital", `医疗机构 ${stay.hospital} 没有 DIP 机构系数`);
  if (!Number.isSafeInteger(stay.costFen) || stay.costFen < 0)
    throw new SettlementError(stay.id, "costFen", "医疗总费用须为非负整数分");
  const points = BigInt(group);
  const cost = BigInt(stay.costFen);
  const standard = BigInt(standardFen);
  const million = 1_000_000n;
  // cost ≥ k × standard  ⇔  cost × 10⁶ ≥ k(ppm) × standard, all integers.
  let caseType: DipCaseType = "normal";
  let base: Rational;
  if (cost * million >= BigInt(policy.veryHighAtLeast) * standard) {
    caseType = "veryHigh";
    // points × (cost / standard − k + 1) = points × (cost × 10⁶ − (k − 10⁶) × standard) / (standard × 10⁶)
    const k = BigInt(policy.veryHighAtLeast);
    base = rational(points * (cost * million - (k - million) * standard), standard * million);
  } else if (cost * million <= BigInt(policy.veryLowAtMost) * standard) {
    caseType = "veryLow";
    base = rational(points * cost, standard);
  } else base = rational(points, 1n);
  const basePoints = rational(base.num, base.den * BigInt(DIP_POINT_SCALE));
  const adjustment = policy.auxiliary == null ? null : dipAdjustment(policy.auxiliary, stay);
  // × 辅助目录校正 (severity × age, ppm each) × the hospital coefficient (ppm).
  const aux =
    adjustment === null
      ? million * million
      : BigInt(adjustment.severityFactor) * BigInt(adjustment.ageFactor);
  const withCoefficient = rational(
    basePoints.num * BigInt(coefficient) * aux,
    basePoints.den * million * million * million,
  );
  const microPoints = divRoundBig(withCoefficient.num * million, withCoefficient.den);
  return { stay, caseType, standardFen, basePoints, points: withCoefficient, microPoints, adjustment };
}

/** Each stay's points, by hospital; a stay that cannot be paid is refused with its reason, the rest go on. */
function pointsByHospital(
  policy: DipPaymentPolicy,
  stays: readonly DipStay[],
  coefficients: ReadonlyMap<string, Ppm>,
): { byHospital: Map<string, DipStayPoints[]>; refused: SettlementError[] } {
  const refused: SettlementError[] = [];
  const byHospital = new Map<string, DipStayPoints[]>();
  for (const stay of stays) {
    try {
      const p = dipStayPoints(policy, stay, coefficients.get(stay.hospital));
      const list = byHospital.get(stay.hospital);
      if (list === undefined) byHospital.set(stay.hospital, [p]);
      else list.push(p);
    } catch (e) {
      if (!(e instanceof SettlementError)) throw e;
      refused.push(e);
    }
  }
  return { byHospital, refused };
}

// ---- the year --------------------------------------------------------------------------------------

/**
 * Pays a year of DIP stays from the budget: the points of every stay (stays that cannot be paid are
 * refused with their reason, the rest go on), the point value = pool ÷ total points, each hospital's
 * payment and the fund's due.
 */
export function settleDipYear(
  policy: DipPaymentPolicy,
  stays: readonly DipStay[],
  options: { readonly budgetFen: Fen; readonly coefficients: ReadonlyMap<string, Ppm> },
): DipYearSettlement {
  const { budgetFen, coefficients } = options;
  if (!Number.isSafeInteger(budgetFen) || budgetFen < 0) throw new RangeError("DIP 年度预算须为非负整数分");
  const { byHospital, refused } = pointsByHospital(policy, stays, coefficients);
  const hospitals = [...byHospital.keys()].sort();
  const micro = hospitals.map((h) => microSum(byHospital.get(h) as DipStayPoints[]));
  const points = micro.map((m) => rational(m, MICRO));
  let totalMicro = 0n;
  for (const m of micro) totalMicro += m;
  const totalPoints = rational(totalMicro, MICRO);
  let patientPaid = 0;
  for (const h of hospitals)
    for (const p of byHospital.get(h) as DipStayPoints[]) patientPaid += p.stay.patientPaidFen;
  const poolFen = policy.budgetBasis === "fund" ? budgetFen + patientPaid : budgetFen;
  const pointValue =
    totalPoints.num === 0n ? ZERO : rational(BigInt(poolFen) * totalPoints.den, totalPoints.num);
  const payments = totalMicro === 0n ? hospitals.map(() => 0) : allocateLargestRemainder(poolFen, micro);
  return {
    policy,
    budgetFen,
    poolFen,
    totalPoints,
    pointValue,
    refused,
    hospitals: hospitals.map((hospital, i) => {
      const list = byHospital.get(hospital) as DipStayPoints[];
      const paymentFen = payments[i] as Fen;
      const patientPaidFen = list.reduce((s, p) => s + p.stay.patientPaidFen, 0);
      const hospitalPoints = points[i] as Rational;
      return {
        hospital,
        coefficient: coefficients.get(hospital) as Ppm,
        stays: list,
        points: hospitalPoints,
        paymentFen,
        stayPaymentsFen:
          hospitalPoints.num === 0n
            ? list.map(() => 0)
            : allocateLargestRemainder(
                paymentFen,
                list.map((p) => p.microPoints),
              ),
        patientPaidFen,
        fundFen: paymentFen - patientPaidFen,
      };
    }),
  };
}

// ---- monthly prepayment -------------------------------------------------------------------------------

/** A hospital's month under DIP prepayment (DIP 月度预付). */
export interface DipHospitalPrepayment {
  readonly hospital: string;
  readonly stays: readonly DipStayPoints[];
  readonly points: Rational;
  /** points × 预算点值, rounded half away from zero to the fen. */
  readonly estimatedPaymentFen: Fen;
  readonly patientPaidFen: Fen;
  /** estimated payment − patient paid (may be negative). */
  readonly estimatedFundFen: Fen;
  /** 预付金额 = estimated fund due × 预付比例, rounded half away from zero; 0 when the fund due is not positive. */
  readonly prepaymentFen: Fen;
}

export interface DipMonthPrepayment {
  readonly policy: DipPaymentPolicy;
  readonly terms: DipPrepaymentTerms;
  readonly hospitals: readonly DipHospitalPrepayment[];
  readonly refused: readonly SettlementError[];
}

/**
 * Prepays a month of DIP stays (月度预付): each hospital's points (as the year will count them) at
 * the policy's 预算点值, less what the patients paid, times the 预付比例. The year-end clearing
 * (清算点值) then pays the difference. Throws `PolicyDataError` when the policy prepays nothing.
 */
export function prepayDipMonth(
  policy: DipPaymentPolicy,
  stays: readonly DipStay[],
  coefficients: ReadonlyMap<string, Ppm>,
): DipMonthPrepayment {
  const terms = policy.prepayment;
  if (terms == null)
    throw new PolicyDataError("DIP 付费政策", "prepayment", "该政策未规定月度预付（预算点值与预付比例）");
  const { byHospital, refused } = pointsByHospital(policy, stays, coefficients);
  const hospitals = [...byHospital.keys()].sort().map((hospital) => {
    const list = byHospital.get(hospital) as DipStayPoints[];
    const points = rational(microSum(list), MICRO);
    const payment = divRoundBig(points.num * terms.pointValueFen.num, points.den * terms.pointValueFen.den);
    const estimatedPaymentFen = toSafeNumber(payment);
    const patientPaidFen = list.reduce((s, p) => s + p.stay.patientPaidFen, 0);
    const estimatedFundFen = estimatedPaymentFen - patientPaidFen;
    return {
      hospital,
      stays: list,
      points,
      estimatedPaymentFen,
      patientPaidFen,
      estimatedFundFen,
      prepaymentFen: estimatedFundFen > 0 ? mulPpm(estimatedFundFen, terms.ratio) : 0,
    };
  });
  return { policy, terms, hospitals, refused };
}

// ---- the policy as data ------------------------------------------------------------------------------

/**
 * Reads a DIP payment policy from its JSON form: `groupPoints` {group: "50"}, `standardCost`
 * {level: {group: "5000.00" 元}}, `veryHighAtLeast` and `veryLowAtMost` as ratios ("2", "0.5"),
 * `budgetBasis`; optional `coefficients` {byLevel: {三级: "1.0"}, byHospital: {H2: "0.95"}} and
 * `prepayment` {pointValue: "150.00" 元/分, ratio: "0.9"}. Throws `PolicyDataError` naming the
 * field and the rule.
 */
export function parseDipPaymentPolicy(data: unknown): DipPaymentPolicy {
  const name = "DIP 付费政策";
  const fail = (field: string, rule: string): never => {
    throw new PolicyDataError(name, field, rule);
  };
  if (typeof data !== "object" || data === null) return fail("$", "应为对象");
  const o = data as Record<string, unknown>;
  for (const k of ["id", "version", "effectiveFrom"])
    if (typeof o[k] !== "string" || o[k] === "") fail(k, "应为非空字符串");
  const decimal = (field: string, v: unknown, parse: (x: string | number) => number): number => {
    if (typeof v !== "string" && typeof v !== "number") return fail(field, "应为十进制数");
    try {
      return parse(v);
    } catch (e) {
      return fail(field, (e as Error).message);
    }
  };
  const record = (field: string, v: unknown): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(field, "应为对象");
  const groupPoints = new Map<string, number>();
  for (const [g, v] of Object.entries(record("groupPoints", o.groupPoints))) {
    const ppm = decimal(`groupPoints.${g}`, v, parseRatio);
    if (ppm <= 0 || ppm % (1_000_000 / DIP_POINT_SCALE) !== 0)
      fail(`groupPoints.${g}`, "应为正数，至多四位小数");
    groupPoints.set(g, ppm / (1_000_000 / DIP_POINT_SCALE));
  }
  if (groupPoints.size === 0) fail("groupPoints", "至少一个病种");
  const standardCost = new Map<string, Map<string, Fen>>();
  for (const [level, groups] of Object.entries(record("standardCost", o.standardCost))) {
    const m = new Map<string, Fen>();
    for (const [g, v] of Object.entries(record(`standardCost.${level}`, groups))) {
      if (!groupPoints.has(g)) fail(`standardCost.${level}.${g}`, `病种 ${g} 不在 groupPoints 中`);
      const fen = decimal(`standardCost.${level}.${g}`, v, parseYuan);
      if (fen <= 0) fail(`standardCost.${level}.${g}`, "标准费用应为正数");
      m.set(g, fen);
    }
    standardCost.set(level, m);
  }
  const veryHighAtLeast = decimal("veryHighAtLeast", o.veryHighAtLeast, parseRatio);
  const veryLowAtMost = decimal("veryLowAtMost", o.veryLowAtMost, parseRatio);
  if (!(veryLowAtMost > 0 && veryLowAtMost < 1_000_000 && veryHighAtLeast > 1_000_000))
    fail("veryHighAtLeast/veryLowAtMost", "应满足 0 < 费用极低倍数 < 1 < 费用极高倍数");
  if (o.budgetBasis !== "totalCost" && o.budgetBasis !== "fund")
    fail("budgetBasis", "应为 totalCost（医疗总费用）或 fund（统筹基金）");
  const coefficients = (field: string, v: unknown, known?: ReadonlyMap<string, unknown>) => {
    const m = new Map<string, Ppm>();
    if (v === undefined) return m;
    for (const [k, x] of Object.entries(record(field, v))) {
      if (known !== undefined && !known.has(k))
        fail(`${field}.${k}`, `等级「${k}」不在 standardCost 中（有：${[...known.keys()].join("、")}）`);
      const ppm = decimal(`${field}.${k}`, x, parseRatio);
      if (ppm <= 0) fail(`${field}.${k}`, "机构系数应为正数");
      m.set(k, ppm);
    }
    return m;
  };
  const c = o.coefficients === undefined ? {} : record("coefficients", o.coefficients);
  for (const k of Object.keys(c))
    if (k !== "byLevel" && k !== "byHospital") fail(`coefficients.${k}`, "只可有 byLevel 与 byHospital");
  let prepayment: DipPrepaymentTerms | null = null;
  if (o.prepayment !== undefined) {
    const pp = record("prepayment", o.prepayment);
    const value = decimal("prepayment.pointValue", pp.pointValue, parseRatio);
    if (value <= 0) fail("prepayment.pointValue", "预算点值（元/分）应为正数");
    const ratio = decimal("prepayment.ratio", pp.ratio, parseRatio);
    if (ratio <= 0 || ratio > 1_000_000) fail("prepayment.ratio", "预付比例应大于 0 且不超过 1");
    // 元/分 in ppm → fen per point: × 100 / 10⁶.
    prepayment = { pointValueFen: rational(BigInt(value) * 100n, 1_000_000n), ratio };
  }
  return {
    id: o.id as string,
    version: o.version as string,
    effectiveFrom: o.effectiveFrom as string,
    ...(typeof o.effectiveTo === "string" ? { effectiveTo: o.effectiveTo } : {}),
    groupPoints,
    standardCost,
    veryHighAtLeast,
    veryLowAtMost,
    budgetBasis: o.budgetBasis as DipPaymentPolicy["budgetBasis"],
    levelCoefficients: coefficients("coefficients.byLevel", c.byLevel, standardCost),
    hospitalCoefficients: coefficients("coefficients.byHospital", c.byHospital),
    prepayment,
    auxiliary: parseDipAuxiliary(o.auxiliary, name),
  };
}
