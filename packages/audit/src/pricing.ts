/**
 * 基金损失测算: every finding is priced by re-settling the stays as uploaded and as corrected with
 * the payment package: the loss is what the fund paid minus what it would have paid had the stay been
 * settled without the violation (剔除违规因素后重新结算，比较两次医保基金支付金额的差异).
 */
import { mergeStays, type Resettlement, resettle } from "@yibao/payment/resettle";
import { type SettlementContext, type Stay, type StaySettlement, settleStay } from "@yibao/payment/settle";
import { SettlementError } from "@yibao/payment/versioned";
import { yuan } from "./finding.js";
import type { AuditStay } from "./model.js";

export type { Resettlement, SettlementContext, Stay, StaySettlement };

/**
 * The stay's DIP coding (主要诊断、手术操作、其他诊断、年龄), or the corrected coding when the finding
 * changes the codes: a hospital paid by DIP is re-settled by the DIP group these give.
 */
export function dipCoding(
  s: AuditStay,
  diagnoses: readonly string[] = s.record.diagnoses,
  procedures: readonly string[] = s.record.procedures,
): NonNullable<Stay["dip"]> {
  return {
    principalDiagnosis: diagnoses[0] ?? "",
    procedures,
    secondaryDiagnoses: diagnoses.slice(1),
    ageYears: s.record.ageYears,
  };
}

/** The stay recoded (重新编码): grouped into `drg` with these codes (its DIP coding follows them). */
export function recodedStay(
  s: AuditStay,
  drg: string,
  diagnoses: readonly string[],
  procedures: readonly string[] = s.record.procedures,
): Stay {
  return paymentStay(s, { drg, dip: dipCoding(s, diagnoses, procedures) });
}

/** The payment package's stay for an audit stay, with optional corrections. */
export function paymentStay(s: AuditStay, overrides?: Partial<Stay>): Stay {
  const base: Stay = {
    id: s.id,
    hospitalId: s.hospitalId,
    drg: s.group.drg,
    totalCost: s.totalCost,
    admissionDate: s.admissionDate,
    dischargeDate: s.dischargeDate,
    los: s.los,
    patientShare: s.patientShare,
    dip: dipCoding(s),
    // 离院方式 for the death and transfer families, 入院/出院时间 for the under-24-hours family: the
    // payment service's period settlement gives both, so that both settle a stay alike.
    ...(s.record.dischargeWay === "" ? {} : { dischargeWay: s.record.dischargeWay }),
    ...(s.admissionTime !== undefined && s.dischargeTime !== undefined
      ? { admissionTime: s.admissionTime, dischargeTime: s.dischargeTime }
      : {}),
  };
  return overrides === undefined ? base : { ...base, ...overrides };
}

/** The stay with some charges removed (剔除违规收费): the patient share shrinks in proportion. */
export function withoutCharges(s: AuditStay, removed: number, drg?: string): Stay {
  const cost = Math.max(0, s.totalCost - removed);
  const share = s.totalCost === 0 ? 0 : Math.round((s.patientShare * cost) / s.totalCost);
  return paymentStay(s, { totalCost: cost, patientShare: Math.min(share, cost), drg: drg ?? s.group.drg });
}

/** Merged stays (合并住院) regrouped into `drg`. */
export function mergedStay(stays: readonly AuditStay[], drg: string): Stay {
  return mergeStays(
    stays.map((s) => paymentStay(s)),
    { id: stays.map((s) => s.id).join("+"), drg },
  );
}

/** Re-settles and returns both settlements and the fund loss. */
export function price(
  original: readonly Stay[],
  corrected: readonly Stay[],
  ctx: SettlementContext,
): Resettlement {
  return resettle(original, corrected, ctx);
}

/**
 * Re-settles, or null when a stay cannot be priced (未定价): its DRG has no weight in the policy in
 * force, the hospital is not in the payment context, or no policy covers the date. The finding then
 * stands without a fund loss instead of stopping the run.
 */
export function priceOrNull(
  original: readonly Stay[],
  corrected: readonly Stay[],
  ctx: SettlementContext,
): Resettlement | null {
  try {
    return resettle(original, corrected, ctx);
  } catch (e) {
    if (e instanceof SettlementError) return null;
    throw e;
  }
}

/**
 * The loss phrase of a finding's message: `基金多支付 X 元`, or, when the corrected stay cannot be
 * priced (e.g. under DIP its new diagnosis falls in a group without points), that it was not priced.
 */
export function lossText(pricing: Resettlement | null): string {
  if (pricing === null) return "更正后的病例无法按支付政策定价，基金损失未测算";
  return `基金多支付 ${yuan(Math.max(0, pricing.fundLoss))} 元`;
}

/** Settles one stay as uploaded. */
export function settleAsUploaded(s: AuditStay, ctx: SettlementContext): StaySettlement {
  return settleStay(paymentStay(s), ctx);
}

/** Settles the stay as if it were grouped into `drg` (for thresholds of an alternative group). */
export function settleAs(s: AuditStay, drg: string, ctx: SettlementContext): StaySettlement {
  return settleStay(paymentStay(s, { drg }), ctx);
}
