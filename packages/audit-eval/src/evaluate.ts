/**
 * 审核质量评估: generates a synthetic region with injected, labelled irregular cases, audits it
 * and measures precision and recall per violation type and the share of the injected fund loss the
 * findings recover. Evaluation code: it needs the generator (`@yibao/synth`), which the runtime
 * audit (`@yibao/audit`) does not depend on.
 */
import {
  type AuditStay,
  auditStayFromList,
  contextFromStays,
  type DetailItem,
  type Finding,
  type KnowledgeBase,
  paymentStay,
  price,
  type RuleBase,
  runAudit,
  settleAsUploaded,
  VIOLATION_TYPE_NAMES,
} from "@yibao/audit";
import type { DrgScheme } from "@yibao/grouper";
import { formatYuan } from "@yibao/kernel/money";
import { parseSettlementMessage } from "@yibao/settlement";
import {
  generateRegion,
  INJECTED_VIOLATION_TYPES,
  type InjectedViolationType,
  type ViolationLabel,
} from "@yibao/synth";

/** Share of injected irregular episodes in the evaluation region. */
export const EVAL_INJECTION_RATE = 0.1;

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
  /**
   * Share of the honest stays (no injected violation) named by at least one finding (误报病例占比):
   * what a region's hospitals would be asked to explain for nothing.
   */
  readonly honestFlaggedShare: number | null;
  /** Whether the stays carried their detail items (费用明细) to the audit. */
  readonly withDetails: boolean;
  /** Findings of types the generator does not inject (选择患者, 项目规则), by type. */
  readonly uninjectedFindings: Readonly<Record<string, number>>;
  readonly findings: number;
  /**
   * Injected cases that did not come out as their type (注入未生效), left out of recall and of the
   * false alarms: a `downcoding_outlier` whose uploaded stay is not a high outlier under the region's
   * payment (the missing procedure cost the fund nothing, so it is not 高码低编进入高倍率).
   */
  readonly ineffective: Readonly<Record<string, number>>;
  /** Stays audited without prices (未定价: no weight, ungroupable, unknown hospital). */
  readonly unpriced: number;
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
  /**
   * Give the audit each stay's detail items (default true). Without them the audit sees only the
   * settlement list, as a bureau does for hospitals that upload no 费用明细.
   */
  readonly withDetails?: boolean;
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
  const withDetails = options.withDetails ?? true;
  const stays: AuditStay[] = [];
  const labels = new Map<string, ViolationLabel>();
  const labelOfStay = new Map<string, ViolationLabel>();
  for (const s of region.stays()) {
    const stay = toStay(s.message, scheme, {
      ...(withDetails ? { details: s.details } : {}),
      outpatientBeforeAdmission: s.outpatientBeforeAdmission,
    });
    stays.push(stay);
    if (s.label !== null) {
      labels.set(s.label.caseId, s.label);
      labelOfStay.set(stay.id, s.label);
    }
  }
  const ctx = contextFromStays(stays, scheme, options.rules, options.knowledge);
  const ineffective = ineffectiveCases(labels, stays, ctx);
  const t0 = performance.now();
  const result = runAudit(stays, ctx);
  const auditMillis = performance.now() - t0;

  const byId = new Map(stays.map((s) => [s.id, s]));
  const matched = new Map<InjectedViolationType, Set<string>>();
  const fp = new Map<string, number>();
  const uninjected: Record<string, number> = {};
  const findingsByCase = new Map<string, Finding[]>();
  const honestFlagged = new Set<string>();
  for (const f of result.findings) {
    const cases = new Set<string>();
    for (const id of f.stayIds) {
      const l = labelOfStay.get(id);
      if (l !== undefined) cases.add(l.caseId);
      else honestFlagged.add(id);
    }
    // A finding on an injected case that did not come out as its type counts neither way.
    if (f.stayIds.some((id) => ineffective.has(labelOfStay.get(id)?.caseId ?? ""))) continue;
    for (const c of cases) {
      const list = findingsByCase.get(c) ?? [];
      list.push(f);
      findingsByCase.set(c, list);
    }
    if (!(INJECTED_VIOLATION_TYPES as readonly string[]).includes(f.violation)) {
      uninjected[f.violation] = (uninjected[f.violation] ?? 0) + 1;
      continue;
    }
    const type = f.violation as InjectedViolationType;
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
    for (const l of labels.values()) if (l.violation === t && !ineffective.has(l.caseId)) total++;
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
  const honest = stays.length - labelOfStay.size;
  return {
    seed,
    stays: stays.length,
    types,
    fundLossRecoveredShare: injected === 0 ? null : round4(recovered / injected),
    honestFlaggedShare: honest === 0 ? null : round4(honestFlagged.size / honest),
    withDetails,
    ineffective: countByType(ineffective),
    injectedFundLoss: injected,
    recoveredFundLoss: recovered,
    uninjectedFindings: uninjected,
    findings: result.findings.length,
    unpriced: result.unpriced.length,
    auditMillis: Math.round(auditMillis),
  };
}

/**
 * The injected cases that are not their type as uploaded (see `Evaluation.ineffective`), by case id
 * with their type.
 */
function ineffectiveCases(
  labels: ReadonlyMap<string, ViolationLabel>,
  stays: readonly AuditStay[],
  ctx: ReturnType<typeof contextFromStays>,
): Map<string, InjectedViolationType> {
  const byId = new Map(stays.map((s) => [s.id, s]));
  const out = new Map<string, InjectedViolationType>();
  for (const l of labels.values()) {
    if (l.violation !== "downcoding_outlier") continue;
    const s = byId.get(l.setlIds[0] ?? "");
    if (s === undefined) continue;
    let category: string;
    try {
      category = settleAsUploaded(s, ctx.settlement).category;
    } catch {
      continue;
    }
    if (category !== "highOutlier") out.set(l.caseId, l.violation);
  }
  return out;
}

function countByType(m: ReadonlyMap<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of m.values()) out[t] = (out[t] ?? 0) + 1;
  return out;
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
    `审核质量评估：种子 ${e.seed}，病例 ${e.stays} 例（${e.withDetails ? "含" : "不含"}费用明细），发现 ${e.findings} 条，未定价 ${e.unpriced} 例，审核耗时 ${e.auditMillis} ms`,
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
    `注入基金损失 ${formatYuan(e.injectedFundLoss)} 元，追回 ${formatYuan(e.recoveredFundLoss)} 元，追回比例 ${pct(e.fundLossRecoveredShare)}`,
  );
  for (const [t, n] of Object.entries(e.ineffective))
    lines.push(
      `${VIOLATION_TYPE_NAMES[t as keyof typeof VIOLATION_TYPE_NAMES] ?? t}：注入未生效 ${n} 例（上传病例未达高倍率，不计入查全率与误报）`,
    );
  lines.push(`诚信病例被误报占比 ${pct(e.honestFlaggedShare)}`);
  lines.push(
    JSON.stringify({
      seed: e.seed,
      stays: e.stays,
      withDetails: e.withDetails,
      types: e.types,
      fundLossRecoveredShare: e.fundLossRecoveredShare,
      honestFlaggedShare: e.honestFlaggedShare,
      ineffective: e.ineffective,
    }),
  );
  return lines.join("\n");
}
