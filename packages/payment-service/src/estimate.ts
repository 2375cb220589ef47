/**
 * 试算 (what-if payment estimate) of one list that is not stored: settled by the same code as period
 * settlement (`settleInput`), with the payment policy, weight table and rate in force for the list's
 * hospital on its discharge date — so the estimate of a stay equals what settlement pays for it.
 * The person's earlier stays of the year are not looked up: the DRG payment does not depend on them
 * (the patient share under a benefit policy may).
 */
import {
  CATEGORY_NAMES,
  type PaymentCategory,
  SettlementError,
  SPECIAL_CASE_NAMES,
  type SpecialCaseFamily,
} from "@yibao/payment";
import type { SettlementListData, Store } from "@yibao/store";
import { sql } from "kysely";
import { dbOf, PaymentInputError } from "./repo.js";
import { loadSettler, type StayInput, type StaySettler, settleInput } from "./settle-period.js";

/** The estimate as the console shows it (fen; RW and coefficient as decimals). */
export interface PaymentEstimate {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly weightsId: string;
  readonly weightsVersion: string;
  readonly method: string;
  /** 病例类型 (normal, highOutlier, lowOutlier, …) and 倍率类型. */
  readonly category: string;
  readonly outlier: string;
  /** 结算类别 in Chinese. */
  readonly categoryName: string;
  /** 特殊病例: the family that decided (under24Hours, death, transfer, longStay), or null; paid `drg` it is not the category. */
  readonly specialCase: string | null;
  /** 特殊病例 in Chinese, or null. */
  readonly specialCaseName: string | null;
  /** 相对权重 RW (null outside DRG payment). */
  readonly rw: number | null;
  /** 费率 of the policy in force, fen per 1.0 RW. */
  readonly baseRateFen: number;
  /** 医院系数. */
  readonly coefficient: number;
  /** 支付标准 = RW × 费率 × 系数 (null outside DRG payment). */
  readonly standardFen: number | null;
  /** DRG 支付: what settlement pays for the stay. */
  readonly paymentFen: number;
  readonly totalFeeFen: number;
  /** 结余(+)/超支(−) = DRG payment − total cost. */
  readonly surplusFen: number;
  readonly patientShareFen: number;
  readonly fundPaymentFen: number;
}

/**
 * Settles `list` as period settlement would (no special-case approval, no earlier stays of the
 * person). Null when no payment policy is stored; throws SettlementError when the stay cannot be
 * settled (no policy in force on its date, its DRG not in the weight table, missing dates).
 */
export async function estimateListPayment(
  store: Store,
  list: SettlementListData,
): Promise<PaymentEstimate | null> {
  const estimate = await createListEstimator(store);
  return estimate === null ? null : estimate(list);
}

/** One estimator over many lists (the policies read once). */
export interface ListEstimator {
  /** Settles a list as {@link estimateListPayment} does; throws `EstimateError` when it cannot. */
  (list: SettlementListData): Promise<PaymentEstimate>;
  /**
   * The DRG payment (fen) of one list under each of `drgs` (e.g. its grouping before and after a
   * regrouping), its costs read once; null for a DRG under which it cannot be settled.
   */
  underGroups(list: SettlementListData, drgs: readonly string[]): Promise<(number | null)[]>;
}

/**
 * One estimator over many lists (the policies read once), e.g. for a regrouping's report. Null when
 * no payment policy is stored.
 */
export async function createListEstimator(store: Store): Promise<ListEstimator | null> {
  let settler: StaySettler;
  try {
    settler = await loadSettler(store);
  } catch (e) {
    if (e instanceof PaymentInputError && e.code === "POLICY_NOT_FOUND") return null;
    throw e;
  }
  const estimator = async (list: SettlementListData) => estimateOf(settler, await stayInputOf(store, list));
  return Object.assign(estimator, {
    async underGroups(list: SettlementListData, drgs: readonly string[]) {
      const x = await stayInputOf(store, list);
      return drgs.map((drg) => {
        try {
          return settleInput(settler, { ...x, drg }, {}, undefined).row.drgPaymentFen;
        } catch (e) {
          if (e instanceof SettlementError) return null;
          throw e;
        }
      });
    },
  });
}

/** The error an estimate throws when the stay cannot be settled (no policy in force, DRG without weight). */
export { SettlementError as EstimateError } from "@yibao/payment";

/** The stay as settlement reads it: the list's columns and the costs and times of its message. */
async function stayInputOf(store: Store, list: SettlementListData): Promise<StayInput> {
  const cost = await sql<{
    hi_type: string | null;
    hi_setl_lv: string | null;
    class_a_fen: string | null;
    class_b_fen: string | null;
    self_pay_fen: string | null;
    other_fen: string | null;
    bed_fee_fen: string | null;
    adm_time: string | null;
    dscg_time: string | null;
  }>`SELECT c.*, t.* FROM (SELECT ${JSON.stringify(list.message)}::jsonb AS m) x
    CROSS JOIN LATERAL payment_list_cost_of(x.m) c CROSS JOIN LATERAL payment_list_times_of(x.m) t`.execute(
    dbOf(store),
  );
  const c = cost.rows[0];
  const n = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const [a, b, s, o] = [n(c?.class_a_fen), n(c?.class_b_fen), n(c?.self_pay_fen), n(c?.other_fen)];
  const x: StayInput = {
    setlId: list.setl_id,
    listVersion: 0,
    hospitalCode: list.hospital_code,
    period: list.period,
    patientKey: list.patient_key,
    admDate: list.adm_date,
    dscgDate: list.dscg_date,
    los: list.los,
    dischargeWay: list.dscg_way,
    admTime: c?.adm_time ?? null,
    dscgTime: c?.dscg_time ?? null,
    drg: list.drg,
    totalFee: Number(list.total_fee_fen),
    personalPay: Number(list.personal_pay_fen),
    hiType: c?.hi_type ?? null,
    hiSetlLv: c?.hi_setl_lv ?? null,
    costs:
      a === null || b === null || s === null || o === null
        ? null
        : { classA: a, classB: b, selfPay: s, other: o },
    bedFee: n(c?.bed_fee_fen),
  };
  return x;
}

function estimateOf(settler: StaySettler, x: StayInput): PaymentEstimate {
  const { row } = settleInput(settler, x, {}, undefined);
  const policy = settler.policyAt(x.dscgDate as string, x.setlId).policy;
  return {
    policyId: row.policyId,
    policyVersion: row.policyVersion,
    weightsId: row.weightsId,
    weightsVersion: row.weightsVersion,
    method: row.method,
    category: row.category,
    outlier: row.outlier,
    categoryName: CATEGORY_NAMES[row.category as PaymentCategory] ?? row.category,
    specialCase: row.specialCase,
    specialCaseName:
      row.specialCase === null
        ? null
        : (SPECIAL_CASE_NAMES[row.specialCase as SpecialCaseFamily] ?? row.specialCase),
    rw: row.rwPpm === null ? null : row.rwPpm / 1_000_000,
    baseRateFen: policy.rate,
    coefficient: row.coefficientPpm / 1_000_000,
    standardFen: row.standardFen,
    paymentFen: row.drgPaymentFen,
    totalFeeFen: row.totalCostFen,
    surplusFen: row.balanceFen,
    patientShareFen: row.patientShareFen,
    fundPaymentFen: row.fundPaymentFen,
  };
}
