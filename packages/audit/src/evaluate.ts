/**
 * 审核质量评估: generates a synthetic region with injected, labelled irregular cases, audits it
 * and measures precision and recall per violation type and the share of the injected fund loss the
 * findings recover.
 */
import type { DrgScheme } from "@yibao/grouper";
import { parseDrgWeightTable, parsePaymentPolicy } from "@yibao/payment/policy";
import { createSettlementContext, type SettlementContext } from "@yibao/payment/settle";
import { parseSettlementMessage } from "@yibao/settlement";
import { generateRegion, VIOLATION_TYPES, type ViolationLabel, type ViolationType } from "@yibao/synth";
import { runAudit } from "./audit.js";
import type { AuditContext } from "./context.js";
import { EVAL_INJECTION_RATE, EVAL_POLICY_PARAMS, EVAL_WEIGHT_CALIBRATION } from "./data/eval-region.js";
import { STARTER_KNOWLEDGE_BASE } from "./data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "./data/starter-rules.js";
import type { Finding } from "./finding.js";
import { type AuditStay, type DetailItem, VIOLATION_TYPE_NAMES } from "./model.js";
import { learnNorms } from "./norms.js";
import { paymentStay, price } from "./pricing.js";
import type { KnowledgeBase, RuleBase } from "./rules.js";
import { auditStayFromList } from "./stay.js";

/** Precision and recall of one violation type (查准率/查全率). */
export interface TypeQuality {
  readonly precision: number | null;
  readonly recall: number | null;
  /** Injected cases found. */
  readonly tp: number;
  /** Findings not matching an injected case of the type. */
  readonly fp: number;
  /** Injected cases missed. */
  readonly fn: number;
}

/** 评估结果. */
export interface Evaluation {
  readonly seed: number;
  readonly stays: number;
  readonly types: Readonly<Record<string, TypeQuality>>;
  /** Σ recovered ÷ Σ injected fund loss (each case's recovery capped at its injected loss). */
  readonly fundLossRecoveredShare: number | null;
  readonly injectedFundLoss: number;
  readonly recoveredFundLoss: number;
  /** Findings of types the generator does not inject (选择患者, 项目规则), by type. */
  readonly uninjectedFindings: Readonly<Record<string, number>>;
  readonly findings: number;
  readonly errors: number;
  readonly auditMillis: number;
}

export interface EvaluateOptions {
  readonly seed: number;
  readonly stays: number;
  readonly scheme: DrgScheme;
  readonly rules?: RuleBase;
  readonly knowledge?: KnowledgeBase;
  /** Share of irregular episodes (default 0.1). */
  readonly rate?: number;
}

function yuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}

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
        avgCost: yuanText(Math.round(mean)),
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
  const policy = parsePaymentPolicy({ ...EVAL_POLICY_PARAMS, rate: yuanText(rate), levelCoefficients });
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
  const norms = learnNorms(stays);
  return { scheme, rules, knowledge, norms, settlement: calibrateSettlement(stays, norms) };
}

function toStay(
  message: unknown,
  scheme: DrgScheme,
  extra: { details?: readonly DetailItem[]; outpatientBeforeAdmission?: number } = {},
): AuditStay {
  const parsed = parseSettlementMessage(message);
  if (parsed.list === undefined) throw new Error(`合成清单无法解析：${parsed.findings[0]?.message ?? ""}`);
  return auditStayFromList(parsed.list, { scheme, ...extra });
}

/** Runs the evaluation (审核质量评估). */
export function evaluateAudit(options: EvaluateOptions): Evaluation {
  const { seed, scheme } = options;
  const region = generateRegion({
    seed,
    stays: options.stays,
    scheme,
    inject: { rate: options.rate ?? EVAL_INJECTION_RATE },
  });
  const stays: AuditStay[] = [];
  const labels = new Map<string, ViolationLabel>();
  const labelOfStay = new Map<string, ViolationLabel>();
  for (const s of region.stays()) {
    const stay = toStay(s.message, scheme, {
      details: s.details,
      outpatientBeforeAdmission: s.outpatientBeforeAdmission,
    });
    stays.push(stay);
    if (s.label !== null) {
      labels.set(s.label.caseId, s.label);
      labelOfStay.set(stay.id, s.label);
    }
  }
  const ctx = contextFromStays(stays, scheme, options.rules, options.knowledge);
  const t0 = performance.now();
  const result = runAudit(stays, ctx);
  const auditMillis = performance.now() - t0;

  const byId = new Map(stays.map((s) => [s.id, s]));
  const matched = new Map<ViolationType, Set<string>>();
  const fp = new Map<string, number>();
  const uninjected: Record<string, number> = {};
  const findingsByCase = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const cases = new Set<string>();
    for (const id of f.stayIds) {
      const l = labelOfStay.get(id);
      if (l !== undefined) cases.add(l.caseId);
    }
    for (const c of cases) {
      const list = findingsByCase.get(c) ?? [];
      list.push(f);
      findingsByCase.set(c, list);
    }
    if (!(VIOLATION_TYPES as readonly string[]).includes(f.violation)) {
      uninjected[f.violation] = (uninjected[f.violation] ?? 0) + 1;
      continue;
    }
    const type = f.violation as ViolationType;
    let hit = false;
    for (const c of cases) {
      if ((labels.get(c) as ViolationLabel).violation === type) {
        hit = true;
        const set = matched.get(type) ?? new Set();
        set.add(c);
        matched.set(type, set);
      }
    }
    if (!hit) fp.set(type, (fp.get(type) ?? 0) + 1);
  }
  const types: Record<string, TypeQuality> = {};
  for (const t of region.injectedTypes) {
    let total = 0;
    for (const l of labels.values()) if (l.violation === t) total++;
    const tp = matched.get(t)?.size ?? 0;
    const f = fp.get(t) ?? 0;
    types[t] = {
      precision: tp + f === 0 ? null : round4(tp / (tp + f)),
      recall: total === 0 ? null : round4(tp / total),
      tp,
      fp: f,
      fn: total - tp,
    };
  }
  // Injected fund loss: each case re-settled as uploaded vs honest; recovery capped per case.
  let injected = 0;
  let recovered = 0;
  for (const l of labels.values()) {
    const uploaded = l.setlIds.map((id) => byId.get(id)).filter((s): s is AuditStay => s !== undefined);
    if (uploaded.length !== l.setlIds.length) continue;
    const honest = l.honest.map((h) => paymentStay(toStay(h.message, scheme)));
    let loss: number;
    try {
      loss = price(
        uploaded.map((s) => paymentStay(s)),
        honest,
        ctx.settlement,
      ).fundLoss;
    } catch {
      continue;
    }
    if (loss <= 0) continue;
    injected += loss;
    let found = 0;
    for (const f of findingsByCase.get(l.caseId) ?? []) found = Math.max(found, f.fundLoss);
    recovered += Math.min(loss, found);
  }
  return {
    seed,
    stays: stays.length,
    types,
    fundLossRecoveredShare: injected === 0 ? null : round4(recovered / injected),
    injectedFundLoss: injected,
    recoveredFundLoss: recovered,
    uninjectedFindings: uninjected,
    findings: result.findings.length,
    errors: result.errors.length,
    auditMillis: Math.round(auditMillis),
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function pct(x: number | null): string {
  return x === null ? "—" : `${(x * 100).toFixed(1)}%`;
}

/** Human-readable report whose LAST line is the compact JSON the CLI prints. */
export function formatEvaluation(e: Evaluation): string {
  const lines: string[] = [];
  lines.push(
    `审核质量评估：种子 ${e.seed}，病例 ${e.stays} 例，发现 ${e.findings} 条，无法结算 ${e.errors} 例，审核耗时 ${e.auditMillis} ms`,
  );
  lines.push("违规类型\t查准率\t查全率\t命中\t误报\t漏报");
  for (const [t, q] of Object.entries(e.types)) {
    const name = VIOLATION_TYPE_NAMES[t as keyof typeof VIOLATION_TYPE_NAMES] ?? t;
    lines.push(`${name}\t${pct(q.precision)}\t${pct(q.recall)}\t${q.tp}\t${q.fp}\t${q.fn}`);
  }
  for (const [t, n] of Object.entries(e.uninjectedFindings)) {
    lines.push(
      `${VIOLATION_TYPE_NAMES[t as keyof typeof VIOLATION_TYPE_NAMES] ?? t}（未注入，无法评估）\t发现 ${n} 条`,
    );
  }
  lines.push(
    `注入基金损失 ${yuanText(e.injectedFundLoss)} 元，追回 ${yuanText(e.recoveredFundLoss)} 元，追回比例 ${pct(e.fundLossRecoveredShare)}`,
  );
  lines.push(
    JSON.stringify({
      seed: e.seed,
      stays: e.stays,
      types: e.types,
      fundLossRecoveredShare: e.fundLossRecoveredShare,
    }),
  );
  return lines.join("\n");
}
