/**
 * Re-settlement (重新结算) and fund loss (基金损失): settle a stay as uploaded and as corrected
 * (other DRG or codes, removed charges, merged admissions) and compare the fund payments.
 *
 *   基金损失 = Σ fund payment as settled − Σ fund payment after correction
 *
 * (剔除违规因素后重新结算，比较两次医保基金支付金额的差异: the accepted way to price a violation.)
 */
import { advancePersonState, type PersonState } from "./benefit.js";
import type { Fen } from "./money.js";
import { type SettlementContext, type Stay, type StaySettlement, settleStay } from "./settle.js";
import { SettlementError } from "./versioned.js";

/** Both settlements side by side and the fund loss (重新结算结果). */
export interface Resettlement {
  readonly original: readonly StaySettlement[];
  readonly corrected: readonly StaySettlement[];
  /** Σ 医保基金支付 as uploaded / as corrected. */
  readonly originalFund: Fen;
  readonly correctedFund: Fen;
  /** 基金损失 = originalFund − correctedFund (negative: the upload under-claimed). */
  readonly fundLoss: Fen;
  /** Σ DRG payment to the hospital both ways and the difference. */
  readonly originalPayment: Fen;
  readonly correctedPayment: Fen;
  /** Σ 个人负担 both ways. */
  readonly originalPatient: Fen;
  readonly correctedPatient: Fen;
}

/**
 * Settles one person's consecutive stays in order (连续住院结算). When the patient share is computed
 * from the benefit policy, the first stay's `person` state is advanced after each stay (one more
 * admission, fund paid added), so later stays see the halved deductible and the cap used so far.
 */
export function settleSequence(stays: readonly Stay[], ctx: SettlementContext): StaySettlement[] {
  const out: StaySettlement[] = [];
  let person: PersonState = stays[0]?.person ?? {};
  for (let i = 0; i < stays.length; i++) {
    const s = stays[i] as Stay;
    const stay = i === 0 ? s : { ...s, person };
    const r = settleStay(stay, ctx);
    out.push(r);
    if (r.benefit !== null && stay.costs !== undefined) {
      const h = ctx.hospitals.get(stay.hospitalId);
      person = advancePersonState(
        person,
        {
          id: stay.id,
          costs: stay.costs,
          benefitClass: h?.benefitClass ?? "",
          insurance: stay.insurance ?? ctx.defaultInsurance,
          admissionDate: stay.admissionDate,
          dischargeDate: stay.dischargeDate,
        },
        r.benefit,
      );
    }
  }
  return out;
}

function sum(rs: readonly StaySettlement[], f: (r: StaySettlement) => Fen): Fen {
  let s = 0;
  for (const r of rs) s += f(r);
  return s;
}

/**
 * Re-settles a stay (or a set of stays) as uploaded and as corrected and reports the fund loss
 * (违规基金损失测算). Audit prices every violation with this.
 */
export function resettle(
  original: Stay | readonly Stay[],
  corrected: Stay | readonly Stay[],
  ctx: SettlementContext,
): Resettlement {
  const a = settleSequence(Array.isArray(original) ? (original as readonly Stay[]) : [original as Stay], ctx);
  const b = settleSequence(
    Array.isArray(corrected) ? (corrected as readonly Stay[]) : [corrected as Stay],
    ctx,
  );
  const originalFund = sum(a, (r) => r.fundPayment);
  const correctedFund = sum(b, (r) => r.fundPayment);
  return {
    original: a,
    corrected: b,
    originalFund,
    correctedFund,
    fundLoss: originalFund - correctedFund,
    originalPayment: sum(a, (r) => r.drgPayment),
    correctedPayment: sum(b, (r) => r.drgPayment),
    originalPatient: sum(a, (r) => r.patientShare),
    correctedPatient: sum(b, (r) => r.patientShare),
  };
}

/**
 * Merges split admissions into one stay (合并分解住院): costs, bed fee and days add up; admission
 * from the first, discharge from the last; the person state is the first stay's. The merged DRG
 * comes from regrouping and is given in `overrides` (with the new id). A given patient share is
 * dropped when every stay has its cost split (it is then recomputed once, with one deductible);
 * otherwise the given shares are added.
 */
export function mergeStays(
  stays: readonly Stay[],
  overrides: Partial<Stay> & { id: string; drg: string },
): Stay {
  const first = stays[0];
  const last = stays[stays.length - 1];
  if (first === undefined || last === undefined)
    throw new SettlementError(overrides.id, "stays", "至少需要一次住院");
  for (const s of stays) {
    if (s.hospitalId !== first.hospitalId) {
      throw new SettlementError(s.id, "hospitalId", "合并住院须为同一定点医疗机构");
    }
  }
  const allSplit = stays.every((s) => s.costs !== undefined);
  const items = new Set<string>();
  for (const s of stays) for (const c of s.newTechItems ?? []) items.add(c);
  const merged: Stay = {
    ...first,
    totalCost: stays.reduce((t, s) => t + s.totalCost, 0),
    admissionDate: first.admissionDate,
    dischargeDate: last.dischargeDate,
    // 离院方式 and 出院时间 are the last stay's; 入院时间 the first's (from `...first`).
    dischargeWay: last.dischargeWay,
    dischargeTime: last.dischargeTime,
    los: stays.reduce((t, s) => t + (s.los ?? 0), 0),
    costs: allSplit
      ? stays.reduce(
          (t, s) => {
            const c = s.costs as NonNullable<Stay["costs"]>;
            return {
              classA: t.classA + c.classA,
              classB: t.classB + c.classB,
              selfPay: t.selfPay + c.selfPay,
              other: t.other + c.other,
            };
          },
          { classA: 0, classB: 0, selfPay: 0, other: 0 },
        )
      : undefined,
    bedFee: stays.some((s) => s.bedFee !== undefined)
      ? stays.reduce((t, s) => t + (s.bedFee ?? 0), 0)
      : undefined,
    bedDays: stays.some((s) => s.bedDays !== undefined)
      ? stays.reduce((t, s) => t + (s.bedDays ?? 0), 0)
      : undefined,
    patientShare: allSplit ? undefined : stays.reduce((t, s) => t + (s.patientShare ?? 0), 0),
    newTechItems: items.size > 0 ? [...items] : undefined,
    dip: mergedDipCoding(stays),
    ...overrides,
  };
  return merged;
}

/**
 * The DIP coding of merged admissions: the first stay's principal diagnosis, every procedure and
 * other diagnosis of all of them (each once, in order); the first stay's age. Undefined unless every
 * stay has one.
 */
function mergedDipCoding(stays: readonly Stay[]): Stay["dip"] {
  const codings = stays.map((s) => s.dip);
  const first = codings[0];
  if (first === undefined || codings.some((c) => c === undefined)) return undefined;
  const procedures = new Set<string>();
  const secondary = new Set<string>();
  for (const c of codings as NonNullable<Stay["dip"]>[]) {
    for (const p of c.procedures) procedures.add(p);
    for (const d of [c.principalDiagnosis, ...(c.secondaryDiagnoses ?? [])])
      if (d !== first.principalDiagnosis) secondary.add(d);
  }
  return {
    principalDiagnosis: first.principalDiagnosis,
    procedures: [...procedures],
    secondaryDiagnoses: [...secondary],
    ...(first.ageYears !== undefined ? { ageYears: first.ageYears } : {}),
  };
}
