/**
 * One stay priced by DIP (DIP 单病例定价), for re-settlement: a stay of a hospital paid by DIP is
 * grouped by its coding (主要诊断 + 手术操作, core group then comprehensive), given its points
 * (`dipStayPoints`: deviation cases, 辅助目录, hospital coefficient) and paid points × point value.
 * The point value is the year's 清算点值 once the year is cleared, else the policy's 预算点值
 * (`prepayment.pointValueFen`); without either the stay cannot be priced and is refused.
 *
 * Audit prices a DIP hospital's fund loss with it (剔除违规因素后按 DIP 重新结算): the stay as
 * uploaded and as corrected (other coding, charges removed, admissions merged) under the same policy
 * and point value, fund = payment − patient share, as for DRG.
 */

import type { PatientShare } from "./benefit.js";
import {
  type DipCatalogue,
  type DipGroup,
  dipDiagnosisCategory,
  dipGroup,
  dipProcedureCombination,
} from "./calibration.js";
import { type DipPaymentPolicy, dipCoefficientOf, dipStayPoints } from "./dip.js";
import { divRoundBig, type Fen, PPM_ONE, type Rational, toSafeNumber } from "./money.js";
import type { DipStaySettler, Stay, StaySettlement } from "./stay.js";
import { SettlementError, selectEffective } from "./versioned.js";

/** A DIP catalogue of a policy's groups, so that stays group as the catalogue built them. */
export function catalogueOfPolicy(policy: DipPaymentPolicy): DipCatalogue {
  const groups: DipGroup[] = [...policy.groupPoints].map(([key, points]) => {
    const parts = key.split("|");
    const comprehensive = parts[0] === "综合" && parts.length === 3;
    return {
      key,
      kind: comprehensive ? "comprehensive" : "core",
      diagnosis: (comprehensive ? parts[1] : parts[0]) ?? key,
      treatment: (comprehensive ? parts[2] : parts[1]) ?? "",
      cases: 0,
      kept: 0,
      avgCost: 0,
      // ten-thousandths of a point → micro-points
      score: points * 100,
    };
  });
  return {
    id: policy.id,
    version: policy.version,
    effectiveFrom: policy.effectiveFrom,
    effectiveTo: policy.effectiveTo ?? null,
    scale: 100,
    coreMinCases: 1,
    reference: 0,
    groups,
    byKey: new Map(groups.map((g) => [g.key, g])),
  };
}

/** What a DIP pricing is built from. */
export interface DipPricingInput {
  /** The DIP policy editions (selected by discharge date). */
  readonly policies: readonly DipPaymentPolicy[];
  /**
   * The hospitals paid by DIP, with their level (a key of the policy's standard costs); `from`
   * (inclusive) and `until` (exclusive), discharge dates `yyyy-MM-dd`, bound a span of master data
   * (absent: always). A hospital may have several spans.
   */
  readonly hospitals: readonly {
    readonly id: string;
    readonly level: string;
    readonly from?: string;
    readonly until?: string | null;
  }[];
  /** 清算点值 by year (`2023`), fen per point, exact; a year without one is priced at 预算点值. */
  readonly pointValues?: ReadonlyMap<string, Rational>;
}

/** DIP pricing of single stays (DIP 病例定价), for a settlement context's `dip`. */
export class DipPricing implements DipStaySettler {
  private readonly policies: readonly DipPaymentPolicy[];
  /** Each edition's catalogue, so stays group as the catalogue built them. */
  private readonly catalogues: ReadonlyMap<DipPaymentPolicy, DipCatalogue>;
  private readonly spans: ReadonlyMap<
    string,
    readonly { level: string; from: string; until: string | null }[]
  >;
  private readonly pointValues: ReadonlyMap<string, Rational>;

  constructor(input: DipPricingInput) {
    this.policies = input.policies;
    this.catalogues = new Map(input.policies.map((p) => [p, catalogueOfPolicy(p)]));
    const spans = new Map<string, { level: string; from: string; until: string | null }[]>();
    for (const h of input.hospitals) {
      const span = { level: h.level, from: h.from ?? "", until: h.until ?? null };
      const list = spans.get(h.id);
      if (list) list.push(span);
      else spans.set(h.id, [span]);
    }
    this.spans = spans;
    this.pointValues = input.pointValues ?? new Map();
  }

  /** True when `hospitalId` is paid by DIP for a stay discharged on `date` (any date when absent). */
  pays(hospitalId: string, date?: string): boolean {
    return date === undefined ? this.spans.has(hospitalId) : this.levelOn(hospitalId, date) !== undefined;
  }

  /** The hospital's level in its DIP span holding `date`, or undefined when it is not paid by DIP then. */
  private levelOn(hospitalId: string, date: string): string | undefined {
    const day = date.slice(0, 10);
    return this.spans.get(hospitalId)?.find((s) => s.from <= day && (s.until === null || day < s.until))
      ?.level;
  }

  /** The edition in force on `date` (`selectEffective`) and its catalogue. */
  private editionAt(date: string, id: string): { policy: DipPaymentPolicy; catalogue: DipCatalogue } {
    const policy = selectEffective(this.policies, date);
    if (policy === undefined)
      throw new SettlementError(id, "dischargeDate", `${date} 没有生效的 DIP 付费政策`);
    return { policy, catalogue: this.catalogues.get(policy) as DipCatalogue };
  }

  /** 点值 of the stay's discharge year: 清算点值 when cleared, else 预算点值. */
  private pointValueOf(policy: DipPaymentPolicy, date: string, id: string): Rational {
    const pv = this.pointValues.get(date.slice(0, 4)) ?? policy.prepayment?.pointValueFen;
    if (pv === undefined)
      throw new SettlementError(
        id,
        "pointValue",
        `${date.slice(0, 4)} 年没有 DIP 清算点值，付费政策也没有预算点值`,
      );
    return pv;
  }

  settle(stay: Stay, share: { patientShare: Fen; benefit: PatientShare | null }): StaySettlement {
    const id = stay.id;
    const level = this.levelOn(stay.hospitalId, stay.dischargeDate);
    if (level === undefined)
      throw new SettlementError(
        id,
        "hospitalId",
        `${stay.hospitalId} 在 ${stay.dischargeDate} 不按 DIP 付费`,
      );
    const coding = stay.dip;
    if (coding === undefined || coding.principalDiagnosis.trim() === "")
      throw new SettlementError(id, "dip", "缺少主要诊断，无法入 DIP 病种");
    const { policy, catalogue } = this.editionAt(stay.dischargeDate, id);
    const coefficient = dipCoefficientOf(policy, stay.hospitalId, level);
    const a = dipGroup(catalogue, {
      principalDiagnosis: coding.principalDiagnosis,
      procedures: coding.procedures,
    });
    if (a.group === null) {
      const core = `${dipDiagnosisCategory(coding.principalDiagnosis)}|${dipProcedureCombination(coding.procedures)}`;
      throw new SettlementError(id, "dip", `病种 ${core} 不在 DIP 病种分值表中（综合病种 ${a.key} 也没有）`);
    }
    const pts = dipStayPoints(
      policy,
      {
        id,
        hospital: stay.hospitalId,
        hospitalLevel: level,
        group: a.group.key,
        costFen: stay.totalCost,
        patientPaidFen: share.patientShare,
        ...(coding.secondaryDiagnoses !== undefined ? { secondaryDiagnoses: coding.secondaryDiagnoses } : {}),
        ...(coding.ageYears !== undefined ? { ageYears: coding.ageYears } : {}),
      },
      coefficient,
    );
    const pv = this.pointValueOf(policy, stay.dischargeDate, id);
    // points (micro) × fen per point, rounded half away from zero once.
    const payment = toSafeNumber(divRoundBig(pts.microPoints * pv.num, pv.den * 1_000_000n));
    const fund = payment - share.patientShare;
    return {
      id,
      hospitalId: stay.hospitalId,
      drg: stay.drg,
      policyId: policy.id,
      policyVersion: policy.version,
      method: "dip",
      category:
        pts.caseType === "veryHigh" ? "highOutlier" : pts.caseType === "veryLow" ? "lowOutlier" : "normal",
      specialCase: null,
      outlier: pts.caseType === "veryHigh" ? "high" : pts.caseType === "veryLow" ? "low" : "none",
      // dipStayPoints refused the stay when the hospital has no coefficient.
      coefficient: coefficient ?? PPM_ONE,
      rw: null,
      standard: pts.standardFen,
      highThreshold: null,
      lowThreshold: null,
      specialReviewAddition: 0,
      dip: { group: a.group.key, caseType: pts.caseType },
      points: toSafeNumber(pts.microPoints),
      drgPayment: payment,
      totalCost: stay.totalCost,
      patientShare: share.patientShare,
      fundPayment: fund > 0 ? fund : 0,
      balance: payment - stay.totalCost,
      benefit: share.benefit,
    };
  }
}

/** Builds a DIP pricing (创建 DIP 病例定价). */
export function createDipPricing(input: DipPricingInput): DipPricing {
  return new DipPricing(input);
}
