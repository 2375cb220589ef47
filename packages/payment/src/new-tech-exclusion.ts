/**
 * 新技术除外 (issue 14): a hospital applies for a very expensive stay that applied a filed new technology
 * to leave DRG payment and be paid by its actual cost (converted to points on the point method). Seed
 * 000 lines 1082-1087 (合肥): 「对应用新技术的极高费用病例采取依申请退出机制，设置不超过该医疗机构病例数
 * 3‰ 的退出比例，经审核同意后退出 DRG 付费，按实际费用折算成点数」.
 *
 * The eligibility is policy data beside the cap, in the policy's `exclusions`:
 *
 *   exclusions: {
 *     newTechCap: "3‰",                               [3‰ of the hospital's cases of the year]
 *     newTechEligibility: {                            [{}: cost ≥ the stay's 高倍率界值]
 *       costMultiple: "5"                              费用 ≥ 5 × 病组支付标准 instead of the 高倍率界值
 *     }
 *   }
 *
 * Eligible: the list's procedures (oprninfo) include a 新技术项目 of the policy (`newTechItems`) filed on
 * or before the discharge date, AND the cost reaches the bar. Quota: floor(cases × newTechCap) — 333
 * cases at 3‰ = 0.999 → 0, 334 → 1, 666 → 1, 667 → 2.
 */
import { type Fen, formatYuan, mulPpm, PPM_ONE, type Ppm } from "./money.js";
import type { Reader } from "./read.js";
import { type SpecialReviewFacts, specialReviewVerdict } from "./special-review.js";

/** 新技术除外申请条件 (the cost bar; the new technology is always required). */
export interface NewTechEligibility {
  /** 费用 ≥ costMultiple × 病组支付标准; null: 费用 ≥ the stay's 高倍率界值. */
  readonly costMultiple: Ppm | null;
}

export const DEFAULT_NEW_TECH_ELIGIBILITY: NewTechEligibility = { costMultiple: null };

/** Reads `exclusions.newTechEligibility`; every failure names the JSON path. */
export function readNewTechEligibility(r: Reader, v: unknown): NewTechEligibility {
  if (v == null) return DEFAULT_NEW_TECH_ELIGIBILITY;
  const f = "exclusions.newTechEligibility";
  const o = r.object(v, f);
  for (const k of Object.keys(o)) {
    if (k !== "costMultiple") r.fail(`${f}.${k}`, "未知的新技术除外申请条件，须为 costMultiple");
  }
  if (o.costMultiple == null) return DEFAULT_NEW_TECH_ELIGIBILITY;
  const costMultiple = r.ratio(o.costMultiple, `${f}.costMultiple`);
  if (costMultiple < PPM_ONE) r.fail(`${f}.costMultiple`, "费用倍数须不小于 1");
  return { costMultiple };
}

/** What a stay shows for 新技术除外: the special-review facts and its 高倍率界值 (null: none). */
export interface NewTechExclusionFacts extends SpecialReviewFacts {
  readonly highThreshold: Fen | null;
}

/** The verdict: eligible or not, the figure (Chinese, naming both bars) and the values. */
export interface NewTechExclusionVerdict {
  readonly eligible: boolean;
  readonly figure: string;
  readonly values: Readonly<Record<string, number | string | null>>;
}

type NewTechItems = ReadonlyMap<
  string,
  { readonly code: string; readonly name: string; readonly recordedOn: string }
>;

/** The first of the list's procedures that the policy files as a new technology (any date), or null. */
export function filedNewTechOf(items: NewTechItems, procedureCodes: readonly string[]): string | null {
  return procedureCodes.find((c) => items.has(c)) ?? null;
}

/** The cost bar of a stay: fen and its Chinese name, or the reason there is none. */
function costBar(
  e: NewTechEligibility,
  facts: NewTechExclusionFacts,
): { fen: Fen; name: string } | { none: string } {
  if (e.costMultiple === null) {
    if (facts.highThreshold === null) return { none: "该病例无高倍率界值（未按病组支付标准结算）" };
    return { fen: facts.highThreshold, name: `高倍率界值 ${formatYuan(facts.highThreshold)} 元` };
  }
  if (facts.standard === null) return { none: "该病例未按病组支付标准结算（无支付标准）" };
  const fen = mulPpm(facts.standard, e.costMultiple);
  const times = String(e.costMultiple / PPM_ONE);
  return {
    fen,
    name: `病组支付标准 ${formatYuan(facts.standard)} 元的 ${times} 倍（${formatYuan(fen)} 元）`,
  };
}

/**
 * Whether a stay may apply for 新技术除外: the new technology (as the 特病单议 criterion 应用新技术
 * checks it: filed on or before discharge, among the list's procedures) and cost ≥ the bar (exactly
 * at the bar is eligible, one fen below is not).
 */
export function newTechExclusionVerdict(
  e: NewTechEligibility,
  items: NewTechItems,
  facts: NewTechExclusionFacts,
  newTechCode: string | null,
): NewTechExclusionVerdict {
  const rules = {
    criteria: { highCost: null, icu: null, longStay: null, newTech: true },
    quota: null,
    deadline: null,
  };
  const code = newTechCode ?? filedNewTechOf(items, facts.procedureCodes);
  const tech = specialReviewVerdict(rules, items, "newTech", facts, code);
  const techFigure =
    code === null
      ? "结算清单的手术及操作中没有支付政策备案的新技术项目"
      : "closed" in tech
        ? ""
        : tech.figure;
  const techOk = !("closed" in tech) && tech.eligible;
  const bar = costBar(e, facts);
  const costOk = "fen" in bar && facts.totalCost >= bar.fen;
  const costFigure =
    "none" in bar
      ? bar.none
      : `医疗总费用 ${formatYuan(facts.totalCost)} 元${costOk ? "达到" : "未达到"}${bar.name}`;
  return {
    eligible: techOk && costOk,
    figure: `${techFigure}；${costFigure}`,
    values: {
      newTechCode: code,
      totalCostFen: facts.totalCost,
      standardFen: facts.standard,
      thresholdFen: "fen" in bar ? bar.fen : null,
      costMultiple: e.costMultiple === null ? null : String(e.costMultiple / PPM_ONE),
    },
  };
}

/** 新技术除外额度: floor(cases × cap) in integers (333 × 3‰ = 0.999 → 0, 334 → 1, 667 → 2). */
export function newTechExclusionQuota(cases: number, cap: Ppm): number {
  const x = cases * cap;
  return (x - (x % PPM_ONE)) / PPM_ONE;
}
