/**
 * 权重测算 of a batch of stays that is its own history: the settlement context (rate, RW, level
 * coefficients) calibrated from the stays' norms, and the audit context built on it. Used by the
 * audit service when a region has no stored weight table, and by the evaluation (`@yibao/audit-eval`).
 */
import type { DrgScheme } from "@yibao/grouper";
import { formatYuan } from "@yibao/kernel/money";
import { parseDrgWeightTable, parsePaymentPolicy } from "@yibao/payment/policy";
import { createSettlementContext, type SettlementContext } from "@yibao/payment/settle";
import type { AuditContext } from "./context.js";
import { EVAL_POLICY_PARAMS, EVAL_WEIGHT_CALIBRATION } from "./data/eval-region.js";
import { STARTER_KNOWLEDGE_BASE } from "./data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "./data/starter-rules.js";
import type { AuditStay } from "./model.js";
import { learnNorms } from "./norms.js";
import { type KnowledgeBase, type RuleBase, shareGroupsOf } from "./rules.js";
import { learnSupportNorms } from "./support-norms.js";

/**
 * Calibrates the region's payment context from its stays (权重测算): RW = the DRG's trimmed mean cost
 * (sparse severity groups shrunk and ordered after `EVAL_WEIGHT_CALIBRATION`) ÷ the region's mean cost, rate = the region's mean cost, level coefficients = mean cost ratio of
 * each hospital level. The fixed policy parts come from `EVAL_POLICY_PARAMS`.
 */
export function calibrateSettlement(
  stays: readonly AuditStay[],
  norms: ReturnType<typeof learnNorms>,
): SettlementContext {
  let total = 0;
  let n = 0;
  for (const d of norms.drgs.values()) {
    total += d.meanCost * d.cases;
    n += d.cases;
  }
  const rate = n === 0 ? 10_000_00 : Math.round(total / n);
  const means = severityCalibratedMeans(norms);
  const entries = [...norms.drgs.values()]
    .sort((a, b) => (a.drg < b.drg ? -1 : 1))
    .map((d) => {
      const mean = means.get(d.drg) ?? d.meanCost;
      return {
        drg: d.drg,
        rw: (mean / rate).toFixed(4),
        avgCost: formatYuan(Math.round(mean)),
        avgLos: d.meanLos.toFixed(2),
      };
    });
  // Groups seen only as QY/0000 or too rare still need a weight for re-settlement: the MDC's mean.
  const levelSum = new Map<string, { r: number; n: number }>();
  const hospitals = new Map<string, string>();
  for (const s of stays) {
    hospitals.set(s.hospitalId, s.hospitalLevel);
    const d = norms.drgs.get(s.group.drg);
    if (d === undefined || s.group.status !== "OK") continue;
    const l = levelSum.get(s.hospitalLevel) ?? { r: 0, n: 0 };
    l.r += Math.log(s.totalCost / d.meanCost);
    l.n++;
    levelSum.set(s.hospitalLevel, l);
  }
  const levelCoefficients: Record<string, string> = {};
  for (const [lv, x] of levelSum) levelCoefficients[lv] = Math.exp(x.r / x.n).toFixed(4);
  for (const lv of new Set(hospitals.values())) levelCoefficients[lv] ??= "1";
  const policy = parsePaymentPolicy({ ...EVAL_POLICY_PARAMS, rate: formatYuan(rate), levelCoefficients });
  const weights = parseDrgWeightTable({
    id: `${EVAL_POLICY_PARAMS.id}-weights`,
    version: EVAL_POLICY_PARAMS.version,
    effectiveFrom: EVAL_POLICY_PARAMS.effectiveFrom,
    entries,
  });
  return createSettlementContext({
    policies: [{ policy, weights }],
    hospitals: [...hospitals].map(([id, level]) => ({ id, level })),
  });
}

/**
 * Mean costs of the DRGs with a severity suffix after `EVAL_WEIGHT_CALIBRATION`: shrunk towards the
 * ADRG level × severity ratio, then made non-decreasing in severity by pooling adjacent violators
 * (case-weighted).
 */
function severityCalibratedMeans(norms: ReturnType<typeof learnNorms>): Map<string, number> {
  const { priorCases, severityRatios } = EVAL_WEIGHT_CALIBRATION;
  const byAdrg = new Map<string, { drg: string; ratio: number; n: number; mean: number }[]>();
  for (const d of norms.drgs.values()) {
    const ratio = severityRatios[d.drg.slice(3, 4)];
    if (ratio === undefined || d.drg.length < 4) continue;
    const k = d.drg.slice(0, 3);
    const list = byAdrg.get(k) ?? [];
    list.push({ drg: d.drg, ratio, n: d.cases, mean: d.meanCost });
    byAdrg.set(k, list);
  }
  const out = new Map<string, number>();
  for (const list of byAdrg.values()) {
    if (list.length < 2) continue;
    let cost = 0;
    let units = 0;
    for (const x of list) {
      cost += x.n * x.mean;
      units += x.n * x.ratio;
    }
    const level = cost / units;
    list.sort((a, b) => a.ratio - b.ratio);
    // Pool adjacent violators: blocks of [weight, mean, members].
    const blocks: { w: number; m: number; drgs: string[] }[] = [];
    for (const x of list) {
      const w = x.n + priorCases;
      let b = { w, m: (x.n * x.mean + priorCases * level * x.ratio) / w, drgs: [x.drg] };
      for (let last = blocks.at(-1); last !== undefined && last.m > b.m; last = blocks.at(-1)) {
        blocks.pop();
        b = {
          w: last.w + b.w,
          m: (last.w * last.m + b.w * b.m) / (last.w + b.w),
          drgs: [...last.drgs, ...b.drgs],
        };
      }
      blocks.push(b);
    }
    for (const b of blocks) for (const d of b.drgs) out.set(d, b.m);
  }
  return out;
}

/** Builds the audit context of a batch of stays that is its own history (norms and weights). */
export function contextFromStays(
  stays: readonly AuditStay[],
  scheme: DrgScheme,
  rules: RuleBase = STARTER_RULE_BASE,
  knowledge: KnowledgeBase = STARTER_KNOWLEDGE_BASE,
): AuditContext {
  const norms = learnNorms(stays, { shareGroups: shareGroupsOf(rules) });
  const ctx: AuditContext = {
    scheme,
    rules,
    knowledge,
    norms,
    settlement: calibrateSettlement(stays, norms),
  };
  const supportNorms = learnSupportNorms(stays, ctx);
  return supportNorms === undefined ? ctx : { ...ctx, supportNorms };
}
