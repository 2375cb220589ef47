/**
 * Settlement of one stay (单病例结算): payment standard, outlier type, DRG payment, fund payment,
 * patient share and the hospital's surplus or loss, all in fen.
 *
 * Policies are compiled once into lookup maps (`createSettlementContext`); per stay, settling is a
 * few map lookups and integer operations. Per-hospital group terms (standard, thresholds, points)
 * are computed on first use and cached.
 */
import { type BenefitPolicySet, computePatientShare, type PatientShare } from "./benefit.js";
import {
  divRoundBig,
  type Fen,
  mulDivRound,
  mulPpm,
  PPM_ONE,
  type Ppm,
  type Rational,
  toSafeNumber,
} from "./money.js";
import {
  DISCHARGE_WAY_DEATH,
  DISCHARGE_WAY_TRANSFER,
  type DrgWeightTable,
  type OutlierBasis,
  type PaymentPolicy,
  type SpecialCaseFamily,
  type SpecialCasePayment,
} from "./policy.js";
import {
  type DipStaySettler,
  type HospitalInfo,
  type PaymentCategory,
  type Stay,
  type StaySettlement,
  UNGROUPED,
} from "./stay.js";
import { addMonths, lengthOfStay, under24Hours } from "./stay-time.js";
import { PolicyDataError, SettlementError } from "./versioned.js";

export * from "./stay.js";
export { addMonths, lengthOfStay, staySeconds, under24Hours } from "./stay-time.js";

interface DrgTerms {
  readonly drg: string;
  readonly rw: Ppm;
  readonly multiple: Ppm;
  readonly base: boolean;
  readonly fixedStandard: Fen | null;
  readonly avgCost: Fen | null;
}

interface HospitalTerms {
  readonly coefficient: Ppm;
  readonly groups: Map<string, GroupTerms>;
}

interface GroupTerms {
  readonly coefficient: Ppm;
  readonly standard: Fen;
  readonly high: Fen;
  readonly low: Fen;
  /** Standard points (micro-points). */
  readonly points: number;
  readonly drg: DrgTerms;
}

/** A payment policy compiled against its weight table (编译后的支付政策). */
export class CompiledPolicy {
  readonly policy: PaymentPolicy;
  readonly weights: DrgWeightTable;
  private readonly drgs = new Map<string, DrgTerms>();
  private readonly hospitals = new Map<string, HospitalTerms>();
  private readonly newTechUntil = new Map<string, { from: string; until: string }>();
  /** pointsPerRw × 10⁶: converts money to micro-points with `rate`. */
  private readonly microPerRw: number;

  constructor(policy: PaymentPolicy, weights: DrgWeightTable) {
    this.policy = policy;
    this.weights = weights;
    this.microPerRw = policy.pointsPerRw * PPM_ONE;
    const bands = policy.highOutlier.bands;
    for (const w of weights.entries) {
      let multiple = 0;
      for (const b of bands) {
        if (b.maxRw === null || w.rw <= b.maxRw) {
          multiple = b.multiple;
          break;
        }
      }
      this.drgs.set(w.drg, {
        drg: w.drg,
        rw: w.rw,
        multiple,
        base: policy.baseGroups.has(w.drg),
        fixedStandard: policy.drgStandards.get(w.drg) ?? null,
        avgCost: w.avgCost,
      });
    }
    for (const drg of policy.drgStandards.keys()) {
      if (!this.drgs.has(drg)) {
        throw new PolicyDataError(
          `支付政策 ${policy.id}@${policy.version}`,
          `drgStandards.${drg}`,
          `病组 ${drg} 不在权重表 ${weights.id}@${weights.version} 中`,
        );
      }
    }
    for (const item of policy.newTechItems.values()) {
      this.newTechUntil.set(item.code, {
        from: item.recordedOn,
        until: addMonths(item.recordedOn, policy.newTechItemMonths),
      });
    }
  }

  /** 医院系数 of a hospital under this policy: per-hospital value, else by level, else 1. */
  coefficientOf(hospital: HospitalInfo): Ppm {
    const p = this.policy;
    const own = p.hospitalCoefficients.get(hospital.id);
    if (own !== undefined) return own;
    if (p.levelCoefficients.size === 0) return PPM_ONE;
    const byLevel = p.levelCoefficients.get(hospital.level);
    if (byLevel === undefined) {
      throw new SettlementError(
        hospital.id,
        "level",
        `支付政策 ${p.id}@${p.version} 没有医院等级「${hospital.level}」的系数`,
      );
    }
    return byLevel;
  }

  /** Group terms (standard, thresholds, points) of a DRG at a hospital, cached. */
  groupTerms(hospital: HospitalInfo, drg: string, record: string): GroupTerms {
    let h = this.hospitals.get(hospital.id);
    if (h === undefined) {
      h = { coefficient: this.coefficientOf(hospital), groups: new Map() };
      this.hospitals.set(hospital.id, h);
    }
    const cached = h.groups.get(drg);
    if (cached !== undefined) return cached;
    const d = this.drgs.get(drg);
    if (d === undefined) {
      throw new SettlementError(
        record,
        "drg",
        `病组 ${drg} 不在权重表 ${this.weights.id}@${this.weights.version} 中`,
      );
    }
    const coefficient = d.base ? PPM_ONE : h.coefficient;
    const p = this.policy;
    let standard: Fen;
    let points: number;
    if (d.fixedStandard !== null) {
      standard = d.fixedStandard;
      points = this.toPoints(standard);
    } else {
      // 支付标准 = RW × 费率 × 系数, rounded once to the fen.
      standard = toSafeNumber(
        divRoundBig(BigInt(d.rw) * BigInt(p.rate) * BigInt(coefficient), 1_000_000_000_000n),
      );
      // 点数 = RW × 每权重点数 × 系数, rounded once to the micro-point.
      points = toSafeNumber(
        divRoundBig(BigInt(d.rw) * BigInt(p.pointsPerRw) * BigInt(coefficient), 1_000_000n),
      );
    }
    const low = p.lowOutlier;
    const t: GroupTerms = {
      coefficient,
      standard,
      high: mulPpm(this.basisAmount(p.highOutlier.basis, standard, d, record, "高倍率"), d.multiple),
      low:
        low === null ? 0 : mulPpm(this.basisAmount(low.basis, standard, d, record, "低倍率"), low.multiple),
      points,
      drg: d,
    };
    h.groups.set(drg, t);
    return t;
  }

  /** The amount an outlier multiple multiplies (倍率界值基数): the standard or the regional average cost. */
  private basisAmount(basis: OutlierBasis, standard: Fen, d: DrgTerms, record: string, rule: string): Fen {
    if (basis === "standard") return standard;
    if (d.avgCost === null) {
      const p = this.policy;
      throw new SettlementError(
        record,
        "drg",
        `病组 ${d.drg} 在权重表 ${this.weights.id}@${this.weights.version} 中没有次均费用(avgCost)，` +
          `支付政策 ${p.id}@${p.version} 的${rule}界值按全市病组次均费用计算，无法结算`,
      );
    }
    return d.avgCost;
  }

  /**
   * The special-case family (特殊病例) that decides a stay's payment under this policy, in the fixed
   * order 住院不足24小时 → 死亡 → 转院 → 长期住院: the first family the stay belongs to and the policy
   * lists. Null when none.
   */
  specialCaseOf(stay: Stay): { family: SpecialCaseFamily; payment: SpecialCasePayment } | null {
    const sc = this.policy.specialCases;
    if (sc.under24Hours !== null && under24Hours(stay)) return { family: "under24Hours", ...sc.under24Hours };
    if (sc.death !== null && stay.dischargeWay === DISCHARGE_WAY_DEATH)
      return { family: "death", ...sc.death };
    if (sc.transfer !== null && stay.dischargeWay === DISCHARGE_WAY_TRANSFER)
      return { family: "transfer", ...sc.transfer };
    if (sc.longStay !== null && lengthOfStay(stay) > sc.longStay.overDays)
      return { family: "longStay", payment: sc.longStay.payment };
    return null;
  }

  /** Money → micro-points at the conversion value rate ÷ pointsPerRw (按实际费用折算点数). */
  toPoints(fen: Fen): number {
    return mulDivRound(fen, this.microPerRw, this.policy.rate);
  }

  /** True when one of `items` is a filed new technology still in its by-item period on `date`. */
  hasNewTechItem(items: readonly string[], date: string): boolean {
    for (const code of items) {
      const w = this.newTechUntil.get(code);
      if (w !== undefined && w.from <= date && date < w.until) return true;
    }
    return false;
  }
}

/** What a settlement context is built from (结算上下文). */
export interface SettlementContextInput {
  /** Policy versions, each with the weight table it uses. */
  readonly policies: readonly { readonly policy: PaymentPolicy; readonly weights: DrgWeightTable }[];
  readonly hospitals: readonly HospitalInfo[];
  readonly benefit?: BenefitPolicySet;
  /** 点值 (fen per point) for point-method payments; default: the conversion value rate ÷ pointsPerRw. */
  readonly pointValue?: Rational;
  /** Insurance type when a stay gives none (default 城乡居民). */
  readonly defaultInsurance?: string;
  /**
   * DIP pricing (`createDipPricing`): a stay of a hospital it pays is settled by its DIP group, not
   * by DRG (DRG 与 DIP 并行, each hospital by the method its policy names).
   */
  readonly dip?: DipStaySettler;
}

/** A compiled settlement context (结算上下文): policies by date, hospitals by id, benefit policy. */
export class SettlementContext {
  readonly policies: readonly CompiledPolicy[];
  readonly hospitals: ReadonlyMap<string, HospitalInfo>;
  readonly benefit: BenefitPolicySet | null;
  readonly pointValue: Rational | null;
  readonly defaultInsurance: string;
  readonly dip: DipStaySettler | null;

  constructor(input: SettlementContextInput) {
    if (input.policies.length === 0) throw new RangeError("结算上下文至少需要一个支付政策版本");
    this.policies = input.policies.map((x) => new CompiledPolicy(x.policy, x.weights));
    this.hospitals = new Map(input.hospitals.map((h) => [h.id, h]));
    this.benefit = input.benefit ?? null;
    this.pointValue = input.pointValue ?? null;
    this.defaultInsurance = input.defaultInsurance ?? "城乡居民";
    this.dip = input.dip ?? null;
  }

  /** The compiled policy in force on `date`: the latest `effectiveFrom` whose interval contains it. */
  policyAt(date: string, record: string): CompiledPolicy {
    let best: CompiledPolicy | null = null;
    for (const c of this.policies) {
      const p = c.policy;
      if (p.effectiveFrom <= date && (p.effectiveTo == null || date <= p.effectiveTo)) {
        if (best === null || p.effectiveFrom > best.policy.effectiveFrom) best = c;
      }
    }
    if (best === null) throw new SettlementError(record, "dischargeDate", `${date} 没有生效的支付政策`);
    return best;
  }
}

/** Builds a settlement context (创建结算上下文). */
export function createSettlementContext(input: SettlementContextInput): SettlementContext {
  return new SettlementContext(input);
}

function isAmbiguous(drg: string): boolean {
  return (
    drg.length >= 2 &&
    drg.charCodeAt(drg.length - 1) === 89 /* Y */ &&
    drg.charCodeAt(drg.length - 2) === 81 /* Q */
  );
}

/**
 * Settles one stay (单病例结算). Order of rules: 固定除外 → 新技术除外 → 新技术按项目 → 未入组 0000 →
 * 歧义组 QY → 特殊病例 (住院不足24小时 → 死亡 → 转院 → 长期住院; the first listed family the stay
 * belongs to: by items it is paid here, `drg` goes on) → DRG payment with 高倍率/低倍率, then 特病单议. Under the point method every money
 * payment is converted to points at rate ÷ pointsPerRw; normal cases get the standard points.
 * Throws `SettlementError` naming the record, field and rule.
 */
export function settleStay(stay: Stay, ctx: SettlementContext): StaySettlement {
  const id = stay.id;
  const cost = stay.totalCost;
  if (!Number.isSafeInteger(cost) || cost < 0) throw new SettlementError(id, "totalCost", "须为非负整数分");
  const hospital = ctx.hospitals.get(stay.hospitalId);
  if (hospital === undefined)
    throw new SettlementError(id, "hospitalId", `未知的定点医疗机构 ${stay.hospitalId}`);
  if (ctx.dip?.pays(stay.hospitalId, stay.dischargeDate))
    return ctx.dip.settle(stay, patientShareOf(stay, ctx, hospital));
  const cp = ctx.policyAt(stay.dischargeDate, id);
  const p = cp.policy;
  const drg = stay.drg;

  const { category, payment, points, terms, special } = categorize(stay, cp, hospital);

  let addition = 0;
  const sr = stay.specialReview;
  if (sr?.approved === true) {
    addition = sr.amount ?? (p.specialReviewMode === "full" ? Math.max(0, cost - payment) : 0);
  }

  const { drgPayment, pointsOut } = drgPaymentOf(cp, ctx, payment, points, addition);
  const { patientShare, benefit } = patientShareOf(stay, ctx, hospital);
  const fund = drgPayment - patientShare;
  return {
    id,
    hospitalId: stay.hospitalId,
    drg,
    policyId: p.id,
    policyVersion: p.version,
    method: p.method,
    category,
    specialCase: special === null ? null : special.family,
    outlier: category === "highOutlier" ? "high" : category === "lowOutlier" ? "low" : "none",
    coefficient: terms === null ? PPM_ONE : terms.coefficient,
    rw: terms === null ? null : terms.drg.rw,
    standard: terms === null ? null : terms.standard,
    highThreshold: terms === null ? null : terms.high,
    lowThreshold: terms === null || p.lowOutlier === null ? null : terms.low,
    specialReviewAddition: addition,
    points: pointsOut,
    drgPayment,
    totalCost: cost,
    patientShare,
    fundPayment: fund > 0 ? fund : 0,
    balance: drgPayment - cost,
    benefit,
  };
}

/** A stay's payment category and its payment before 特病单议, with the group's terms when it has them. */
interface Categorized {
  readonly category: PaymentCategory;
  readonly payment: Fen;
  /** The standard points of a normal case, else −1. */
  readonly points: number;
  readonly terms: GroupTerms | null;
  readonly special: { family: SpecialCaseFamily; payment: SpecialCasePayment } | null;
}

/** 固定除外 → 新技术除外 → 新技术按项目 → 未入组 → 歧义组 → 特殊病例按项目 → 高倍率/低倍率/正常病例. */
function categorize(stay: Stay, cp: CompiledPolicy, hospital: HospitalInfo): Categorized {
  const id = stay.id;
  const cost = stay.totalCost;
  const p = cp.policy;
  const drg = stay.drg;
  let category: PaymentCategory;
  let payment: Fen;
  let points = -1;
  let terms: GroupTerms | null = null;
  let special: { family: SpecialCaseFamily; payment: SpecialCasePayment } | null = null;
  if (p.fixedExclusions.has(drg)) {
    category = "fixedExclusion";
    payment = cost;
  } else if (stay.newTechExclusion === true) {
    category = "newTechExclusion";
    payment = cost;
  } else if (stay.newTechItems !== undefined && cp.hasNewTechItem(stay.newTechItems, stay.dischargeDate)) {
    category = "newTechItems";
    payment = cost;
  } else if (drg === UNGROUPED) {
    category = "ungrouped";
    payment = mulPpm(cost, p.ungroupedShare);
  } else if (isAmbiguous(drg)) {
    category = "ambiguous";
    payment = mulPpm(cost, p.qyShare);
  } else {
    special = cp.specialCaseOf(stay);
    if (special !== null && special.payment.method === "items") {
      // 特殊病例按项目付费: cost × ratio, rounded once; the outlier rules are not looked at.
      category = special.family;
      payment = mulPpm(cost, special.payment.ratio);
    } else {
      const t = cp.groupTerms(hospital, drg, id);
      terms = t;
      if (cost > t.high) {
        category = "highOutlier";
        const hp = p.highOutlier.payment;
        payment =
          hp.method === "items" ? mulPpm(cost, hp.ratio) : t.standard + mulPpm(cost - t.high, hp.ratio);
      } else if (cost < t.low) {
        category = "lowOutlier";
        const lp = (p.lowOutlier as NonNullable<PaymentPolicy["lowOutlier"]>).payment;
        if (lp.method === "actualCost") payment = cost;
        else {
          // 按比例: standard × cost ÷ group average cost (the standard when unknown), at most the standard.
          const ref = t.drg.avgCost ?? t.standard;
          payment = ref === 0 ? 0 : Math.min(t.standard, mulDivRound(t.standard, cost, ref));
        }
      } else {
        category = "normal";
        payment = t.standard;
        points = t.points;
      }
    }
  }
  return { category, payment, points, terms, special };
}

/** DRG payment with the 特病单议 addition; under the point method, the points and their value. */
function drgPaymentOf(
  cp: CompiledPolicy,
  ctx: SettlementContext,
  payment: Fen,
  points: number,
  addition: Fen,
): { drgPayment: Fen; pointsOut: number | null } {
  const p = cp.policy;
  let pts = points;
  let drgPayment: Fen;
  let pointsOut: number | null = null;
  if (p.method === "rate") {
    drgPayment = payment + addition;
  } else {
    if (pts < 0) pts = cp.toPoints(payment);
    if (addition > 0) pts += cp.toPoints(addition);
    pointsOut = pts;
    const pv = ctx.pointValue;
    drgPayment =
      pv === null
        ? mulDivRound(pts, p.rate, p.pointsPerRw * PPM_ONE)
        : toSafeNumber(divRoundBig(BigInt(pts) * pv.num, pv.den * 1_000_000n));
  }
  return { drgPayment, pointsOut };
}

/** 个人负担: as given on the stay, else computed by the benefit policy (待遇政策). */
function patientShareOf(
  stay: Stay,
  ctx: SettlementContext,
  hospital: HospitalInfo,
): { patientShare: Fen; benefit: PatientShare | null } {
  const id = stay.id;
  const cost = stay.totalCost;
  let patientShare: Fen;
  let benefit: PatientShare | null = null;
  if (stay.costs !== undefined) {
    const c = stay.costs;
    if (c.classA + c.classB + c.selfPay + c.other !== cost) {
      throw new SettlementError(id, "costs", "甲类+乙类+全自费+其他 须等于医疗总费用");
    }
  }
  if (stay.patientShare !== undefined) {
    patientShare = stay.patientShare;
    if (!Number.isSafeInteger(patientShare) || patientShare < 0 || patientShare > cost) {
      throw new SettlementError(id, "patientShare", "个人负担须为不超过总费用的非负整数分");
    }
  } else {
    if (stay.costs === undefined) throw new SettlementError(id, "costs", "缺少费用构成，且未给出个人负担");
    if (ctx.benefit === null)
      throw new SettlementError(id, "patientShare", "结算上下文没有待遇政策，且未给出个人负担");
    if (hospital.benefitClass === undefined) {
      throw new SettlementError(id, "hospitalId", `医疗机构 ${hospital.id} 未设置起付线类别(benefitClass)`);
    }
    benefit = computePatientShare(
      {
        id,
        costs: stay.costs,
        bedFee: stay.bedFee,
        bedDays: stay.bedDays,
        benefitClass: hospital.benefitClass,
        insurance: stay.insurance ?? ctx.defaultInsurance,
        treatment: stay.treatment,
        admissionDate: stay.admissionDate,
        dischargeDate: stay.dischargeDate,
        fixedCase: stay.fixedCase,
        person: stay.person,
      },
      ctx.benefit,
    );
    patientShare = benefit.patient;
  }
  return { patientShare, benefit };
}
