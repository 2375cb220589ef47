/**
 * Costs of a stay (费用): fee items by 收费项目类别 that add up exactly in fen, and the split of the
 * total into fund payments (基金支付) and the personal share (个人自付/自费/账户/现金) under the
 * profile's benefit policy, so that fund + personal = total holds exactly.
 */

import type { CaseKind, FeeMix, HospitalLevel, RegionProfile } from "./profile.js";
import type { Rng } from "./random.js";
import type { Hospital, Person } from "./region.js";

/** One 医疗收费项目类别 line of the list (iteminfo), in fen. */
export interface FeeItem {
  /** med_chrgitm. */
  readonly category: string;
  readonly amountFen: number;
  /** 甲类 (claa_sumfee). */
  readonly classAFen: number;
  /** 乙类 (clab_amt). */
  readonly classBFen: number;
  /** 全自费 (fulamt_ownpay_amt). */
  readonly ownPayFen: number;
  /** 其他 (oth_amt). */
  readonly otherFen: number;
}

/** 基金支付 of one fund type. */
export interface FundPayment {
  readonly fundType: string;
  readonly amountFen: number;
}

/** The settlement of a stay's cost between funds and the person, in fen. */
export interface MoneySplit {
  readonly totalFen: number;
  readonly funds: readonly FundPayment[];
  /** 个人自付 (psn_selfpay): within-policy personal amount. */
  readonly selfPayFen: number;
  /** 个人自费 (psn_ownpay): out-of-policy amount. */
  readonly ownPayFen: number;
  /** 个人账户支出 (acct_pay). */
  readonly accountPayFen: number;
  /** 个人现金支付 (psn_cashpay). */
  readonly cashPayFen: number;
}

/** Splits `total` fen across weights exactly (largest remainder). */
export function allocateExact(totalFen: number, weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  const out: number[] = new Array(weights.length).fill(0);
  if (weights.length === 0) return out;
  let largest = 0;
  let given = 0;
  if (sum > 0) {
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      const v = Math.floor((totalFen * w) / sum);
      out[i] = v;
      given += v;
      if (w > (weights[largest] as number)) largest = i;
    }
  }
  // The remainder (fewer fen than there are weights) goes to the largest share.
  out[largest] = (out[largest] as number) + totalFen - given;
  return out;
}

const mixCache = new WeakMap<RegionProfile, Map<string, { cats: string[]; weights: number[] }>>();

function mixOf(
  profile: RegionProfile,
  mixKind: FeeMixKind,
  tcm: boolean,
): { cats: string[]; weights: number[] } {
  let byKey = mixCache.get(profile);
  if (!byKey) {
    byKey = new Map();
    mixCache.set(profile, byKey);
  }
  const key = `${mixKind}|${tcm}`;
  let m = byKey.get(key);
  if (!m) {
    const mix: Record<string, number> = { ...(profile.feeMix[mixKind] as FeeMix) };
    if (tcm) for (const [k, v] of Object.entries(profile.feeMix.tcm)) mix[k] = (mix[k] ?? 0) + v;
    const cats = Object.keys(mix).sort();
    m = { cats, weights: cats.map((c) => mix[c] as number) };
    byKey.set(key, m);
  }
  return m;
}

/** Which fee mix a stay uses. */
export type FeeMixKind = CaseKind | "lowIndication";

/**
 * 费用明细: fee items for a total cost. Bed fee follows the length of stay; the rest follows the
 * case kind's mix (with 中药 added at 中医 hospitals), each share perturbed per stay.
 */
export function feeItems(
  rng: Rng,
  profile: RegionProfile,
  totalFen: number,
  losDays: number,
  mixKind: FeeMixKind,
  hospital: Hospital,
): FeeItem[] {
  const bed = Math.min(Math.round(totalFen * 0.3), losDays * profile.bedFeePerDayFen[hospital.level]);
  const { cats, weights: base } = mixOf(
    profile,
    mixKind,
    hospital.type === "中医" && mixKind !== "lowIndication",
  );
  const weights = base.map((w) => w * (0.55 + 0.9 * rng.float()));
  const amounts = allocateExact(totalFen - bed, weights);
  const items: FeeItem[] = [];
  if (bed > 0) items.push(classify(rng, profile, "01", bed));
  for (let i = 0; i < cats.length; i++) {
    const amt = amounts[i] as number;
    if (amt > 0) items.push(classify(rng, profile, cats[i] as string, amt));
  }
  // Categories are sorted and 01 (bed) sorts first, so the list is in category order.
  return items;
}

/** Splits one category's amount into 甲类/乙类/全自费. */
export function classify(rng: Rng, profile: RegionProfile, category: string, amountFen: number): FeeItem {
  const cls = profile.feeClass[category] ?? { classB: 0.2, ownPay: 0.05 };
  const ownPayFen = Math.min(amountFen, Math.round(amountFen * cls.ownPay * 2 * rng.float()));
  const classBFen = Math.min(amountFen - ownPayFen, Math.round(amountFen * cls.classB * (0.5 + rng.float())));
  return {
    category,
    amountFen,
    classAFen: amountFen - ownPayFen - classBFen,
    classBFen,
    ownPayFen,
    otherFen: 0,
  };
}

/** Adds `extraFen` to a category (creating the line when absent); used by injected charges. */
export function addCharge(
  rng: Rng,
  profile: RegionProfile,
  items: readonly FeeItem[],
  category: string,
  extraFen: number,
): FeeItem[] {
  const out = items.filter((i) => i.category !== category);
  const old = items.find((i) => i.category === category);
  out.push(classify(rng, profile, category, (old?.amountFen ?? 0) + extraFen));
  return out.sort((a, b) => (a.category < b.category ? -1 : 1));
}

/** Total of the items. */
export function itemsTotal(items: readonly FeeItem[]): number {
  let t = 0;
  for (const i of items) t += i.amountFen;
  return t;
}

/**
 * 结算: splits the items' total between funds and the person. `repeat` is true from the person's
 * second admission in the year (起付线减半). `accountShare` ∈ [0, 1] is the share of the personal part
 * the person pays from the 个人账户 (employees only).
 */
export function settle(
  profile: RegionProfile,
  items: readonly FeeItem[],
  person: Pick<Person, "insuranceType" | "assisted">,
  level: HospitalLevel,
  repeat: boolean,
  accountShare: number,
): MoneySplit {
  const policy = profile.benefit;
  const tier = policy.tiers[person.insuranceType];
  let eligible = 0;
  let classB = 0;
  let ownPay = 0;
  for (const i of items) {
    eligible += i.classAFen + i.classBFen;
    classB += i.classBFen;
    ownPay += i.ownPayFen + i.otherFen;
  }
  const prepay = Math.round(classB * policy.classBPrepayRatio);
  const base = eligible - prepay;
  const deductible = Math.round(tier.deductibleFen[level] * (repeat ? policy.repeatDeductibleFactor : 1));
  const covered = Math.max(0, base - deductible);
  const basic = Math.min(Math.round(covered * tier.fundRatio[level]), tier.capFen);
  let personalWithin = eligible - basic;
  const topUp = Math.max(0, Math.round((personalWithin - tier.topUpThresholdFen) * tier.topUpRatio));
  personalWithin -= topUp;
  const assist = person.assisted ? Math.round(personalWithin * policy.assistanceRatio) : 0;
  personalWithin -= assist;
  const funds: FundPayment[] = [{ fundType: tier.basicFund, amountFen: basic }];
  if (topUp > 0) funds.push({ fundType: tier.topUpFund, amountFen: topUp });
  if (assist > 0) funds.push({ fundType: "610100", amountFen: assist });
  const personal = personalWithin + ownPay;
  const account =
    person.insuranceType === "310" ? Math.min(personal, Math.round(personal * accountShare)) : 0;
  return {
    totalFen: eligible + ownPay,
    funds,
    selfPayFen: personalWithin,
    ownPayFen: ownPay,
    accountPayFen: account,
    cashPayFen: personal - account,
  };
}
