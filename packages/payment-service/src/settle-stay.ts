/**
 * Settling one stored stay (单个病例结算): the stay as a stored list gives it (`StayInput`), the
 * settler built from the stored policies (`StaySettler`, `loadSettler`) and `settleInput`, which
 * returns the row to store and the person's state after the stay. Shared by period settlement, the
 * what-if estimate and special-case re-settlement (特病单议).
 */
import {
  type BenefitPolicySet,
  BenefitPolicySet as BenefitSet,
  createSettlementContext,
  DEFAULT_INSURANCE_TYPES,
  type Fen,
  fixedAmountCaseOf,
  type HospitalInfo,
  isLocallyInsured,
  type PersonState,
  type PersonYearState,
  type SettlementContext,
  SettlementError,
  type SpecialReview,
  type Stay,
  type StaySettlement,
  selectEffective,
  settleStay,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { HospitalEditions, loadHospitalEditions, type PaymentHospital } from "./hospital-data.js";
import { loadBenefitPolicies, loadPolicies, type PolicyWithWeights } from "./repo.js";

/** 医保结算等级 code (hi_setl_lv) → level name used by policies. */
export const SETTLEMENT_LEVEL_NAMES: Readonly<Record<string, string>> = {
  "1": "一级",
  "2": "二级",
  "3": "三级",
};

const NO_YEAR: PersonYearState = { admissions: 0, fundPaid: 0 };
/** 险种类型 → insurance of a benefit edition that gives no table (`DEFAULT_INSURANCE_TYPES`). */
const DEFAULT_TYPES: ReadonlyMap<string, string> = new Map(Object.entries(DEFAULT_INSURANCE_TYPES));

/** The state after a stay whose patient share came from the list: one admission, fund by discharge year. */
function advanceSimple(state: PersonState, admYear: string, dscgYear: string, fund: Fen): PersonState {
  const next: Record<string, PersonYearState> = { ...state };
  const a = next[admYear] ?? NO_YEAR;
  next[admYear] = { admissions: a.admissions + 1, fundPaid: a.fundPaid };
  const d = next[dscgYear] ?? NO_YEAR;
  next[dscgYear] = { admissions: d.admissions, fundPaid: d.fundPaid + fund };
  return next;
}

/** A settlement context and the hospitals added to it so far. */
interface ContextSlot {
  ctx: SettlementContext;
  readonly hospitals: Map<string, HospitalInfo>;
}

/**
 * Settles stays against policies and state: the part of period settlement that needs no database,
 * shared with single-stay re-settlement (特病单议). A hospital is settled with its master data in force
 * on the stay's discharge date (医院主数据版本): one settlement context per span of dates in which no
 * hospital's master data changes (`HospitalEditions.epochOf`).
 */
export class StaySettler {
  private readonly slots = new Map<string, ContextSlot>();
  private readonly coverage = new Map<string, boolean>();
  private readonly editions: HospitalEditions;

  constructor(
    private readonly policies: readonly PolicyWithWeights[],
    private readonly benefit: BenefitPolicySet | null,
    /** The hospitals' dated editions; a plain map is master data in force since always. */
    hospitals: HospitalEditions | ReadonlyMap<string, PaymentHospital>,
  ) {
    this.editions = hospitals instanceof HospitalEditions ? hospitals : HospitalEditions.since(hospitals);
    // Built now, so a policy the core cannot compile is refused before any stay.
    this.slot("");
  }

  private build(hospitals: ReadonlyMap<string, HospitalInfo>): SettlementContext {
    return createSettlementContext({
      policies: this.policies,
      hospitals: [...hospitals.values()],
      ...(this.benefit ? { benefit: this.benefit } : {}),
    });
  }

  /**
   * The context of a span of dates (`epoch`: its first day, "" before any edition), built once with
   * every hospital whose master data is in force in it; a hospital without any is added on first sight.
   */
  private slot(epoch: string): ContextSlot {
    let s = this.slots.get(epoch);
    if (s === undefined) {
      const hospitals = new Map<string, HospitalInfo>();
      if (epoch !== "")
        for (const [code, ph] of this.editions.inForce(epoch))
          hospitals.set(code, {
            id: code,
            level: ph.level,
            ...(ph.benefitClass ? { benefitClass: ph.benefitClass } : {}),
          });
      s = { ctx: this.build(hospitals), hospitals };
      this.slots.set(epoch, s);
    }
    return s;
  }

  private contextOn(date: string): SettlementContext {
    return this.slot(this.editions.epochOf(date)).ctx;
  }

  /**
   * The hospital as payment sees it on `date` (its master data in force then; without any, the level
   * of the list's 医保结算等级); adds it to that date's context on first sight.
   */
  hospital(code: string, settlementLevel: string | null, date: string): HospitalInfo {
    const s = this.slot(this.editions.epochOf(date));
    let h = s.hospitals.get(code);
    if (h === undefined) {
      // No master data in force on the date (the slot holds every hospital that has some).
      h = { id: code, level: SETTLEMENT_LEVEL_NAMES[settlementLevel ?? ""] ?? settlementLevel ?? "" };
      s.hospitals.set(code, h);
      s.ctx = this.build(s.hospitals);
    }
    return h;
  }

  /** True when the hospital is paid by DIP on `date` (its stays are then left to DIP). */
  paidByDip(code: string, date: string | null): boolean {
    return this.editions.paidByDip(code, date);
  }

  /** The spans of dates in which hospitals were paid by DIP. */
  dipSpans(): ReturnType<HospitalEditions["dipSpans"]> {
    return this.editions.dipSpans();
  }

  /**
   * The insurance a stay of 险种类型 `hiType` is paid as under the benefit policy in force on `date`
   * (its `insuranceTypes`); the code itself when the policy does not name it (an empty code is paid by
   * no rule), 城乡居民 when the list gives no type at all (as before the table was data).
   */
  insuranceOf(hiType: string | null, date: string): string {
    if (hiType === null) return "城乡居民";
    const p = this.benefit === null ? undefined : selectEffective(this.benefit.versions, date);
    return (p?.insuranceTypes ?? DEFAULT_TYPES).get(hiType) ?? hiType;
  }

  /** True when the benefit policy in force on `date` insures people of `area` (参保地); see isLocallyInsured. */
  insuresArea(date: string, area: string | null | undefined): boolean {
    if (this.benefit === null || !area) return true;
    const p = selectEffective(this.benefit.versions, date);
    return p === undefined || isLocallyInsured(p, area);
  }

  /** True when the benefit policy in force on `date` covers this hospital class and insurance. */
  coveredByBenefit(h: HospitalInfo, insurance: string, date: string): boolean {
    if (this.benefit === null || h.benefitClass === undefined) return false;
    const key = `${h.benefitClass}|${insurance}|${date.slice(0, 4)}|${date}`;
    let ok = this.coverage.get(key);
    if (ok === undefined) {
      // The edition the core will settle by: the newest in force on the date (not the first found).
      const p = selectEffective(this.benefit.versions, date);
      const c = p?.classes.get(h.benefitClass);
      ok = p !== undefined && c !== undefined && p.fundRatios.has(`${insurance}|${c.ratioLevel}`);
      if (this.coverage.size > 100_000) this.coverage.clear();
      this.coverage.set(key, ok);
    }
    return ok;
  }

  /** The fixed-amount case (定额支付病种) the benefit policy in force on `date` makes of a principal diagnosis. */
  fixedCaseOf(date: string, principalDiagnosis: string | null | undefined): string | null {
    if (this.benefit === null || !principalDiagnosis) return null;
    const p = selectEffective(this.benefit.versions, date);
    return p === undefined ? null : fixedAmountCaseOf(p, principalDiagnosis);
  }

  /** Settles a stay in the context of its discharge date (its hospital added by `hospital` first). */
  settle(stay: Stay): StaySettlement {
    return settleStay(stay, this.contextOn(stay.dischargeDate));
  }

  /** Points of a money amount under the policy in force on `date` (折算点数). */
  toPoints(fen: Fen, date: string, record: string): number {
    return this.contextOn(date).policyAt(date, record).toPoints(fen);
  }

  /** The payment policy in force on `date` with its weight table (the rate, the RW of each DRG). */
  policyAt(date: string, record: string): ReturnType<SettlementContext["policyAt"]> {
    return this.contextOn(date).policyAt(date, record);
  }

  weightsOf(date: string, record: string): { id: string; version: string } {
    const w = this.contextOn(date).policyAt(date, record).weights;
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
  const hospitals = await loadHospitalEditions(store);
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
  /** 特殊病例: the family that decided the settlement (paid by items or as DRG), or null. */
  specialCase: string | null;
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
  /** 离院方式 (dscg_way); null or "" when not given. */
  readonly dischargeWay: string | null;
  /**
   * 入院/出院时间 "HH:MM:SS" (setlinfo.adm_time/dscg_time, kept in payment_list_cost); null or absent
   * when not given. With both, the under-24-hours family (住院不足24小时) can fire.
   */
  readonly admTime?: string | null;
  readonly dscgTime?: string | null;
  readonly drg: string;
  readonly totalFee: Fen;
  readonly personalPay: Fen;
  readonly hiType: string | null;
  readonly hiSetlLv: string | null;
  readonly costs: { classA: Fen; classB: Fen; selfPay: Fen; other: Fen } | null;
  readonly bedFee: Fen | null;
  /** 主要诊断 (principal_dx): a fixed-amount case (定额支付, e.g. 自然分娩) is recognised from it. */
  readonly principalDiagnosis?: string | null;
  /**
   * 主要手术操作 (principal_oprn): a filed new technology (新技术项目, the policy's `newTechItems`) in its
   * by-item period makes the stay paid by item (新技术按项目付费).
   */
  readonly principalProcedure?: string | null;
  /** 参保地 (insuplc): someone insured elsewhere (异地就医) keeps the patient share the list reports. */
  readonly insuredArea?: string | null;
  /** 新技术除外: an approved exclusion within the cap (new-tech-selection.ts), paid by actual cost. */
  readonly newTechExclusion?: boolean;
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
  const h = settler.hospital(x.hospitalCode, x.hiSetlLv, x.dscgDate);
  const insurance = settler.insuranceOf(x.hiType, x.dscgDate);
  const usePolicy =
    keepPatientShare === undefined &&
    settler.coveredByBenefit(h, insurance, x.dscgDate) &&
    settler.insuresArea(x.dscgDate, x.insuredArea);
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
  const fixedCase = usePolicy ? settler.fixedCaseOf(x.dscgDate, x.principalDiagnosis) : null;
  const stay: Stay = {
    id: x.setlId,
    hospitalId: x.hospitalCode,
    drg: x.drg === "" ? "0000" : x.drg,
    totalCost: x.totalFee,
    admissionDate: x.admDate,
    dischargeDate: x.dscgDate,
    ...(x.los !== null ? { los: x.los } : {}),
    ...(x.dischargeWay ? { dischargeWay: x.dischargeWay } : {}),
    ...(x.admTime ? { admissionTime: x.admTime } : {}),
    ...(x.dscgTime ? { dischargeTime: x.dscgTime } : {}),
    ...(usePolicy && x.costs ? { costs: x.costs, insurance, person } : {}),
    ...(usePolicy && x.bedFee !== null && x.los !== null
      ? { bedFee: x.bedFee, bedDays: Math.max(1, x.los) }
      : {}),
    ...(patientShare !== undefined ? { patientShare } : {}),
    ...(fixedCase !== null ? { fixedCase } : {}),
    ...(x.principalProcedure ? { newTechItems: [x.principalProcedure] } : {}),
    ...(x.newTechExclusion === true ? { newTechExclusion: true } : {}),
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
      specialCase: s.specialCase,
    },
  };
}
