/** 审核发现 (finding): one rule hit with its evidence and its fund loss priced by re-settlement. */
import type { Evidence, Outcome, ViolationType } from "./model.js";
import type { Resettlement } from "./pricing.js";
import type { AuditRule, RuleCategory } from "./rules.js";

/** One finding (疑点/违规). */
export interface Finding {
  /** Stable id: rule id + the stays (or hospital and period). */
  readonly id: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly category: RuleCategory;
  readonly violation: ViolationType;
  readonly outcome: Outcome;
  /** The stays the finding is about (结算ID), empty for hospital-level findings. */
  readonly stayIds: readonly string[];
  readonly hospitalId: string;
  readonly physicianCode: string | null;
  readonly personId: string | null;
  /** 审核意见 (Chinese). */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /**
   * 重新结算: settlements as uploaded and as corrected side by side, and the fund loss; null when
   * the violation does not change what the fund pays for a single stay (e.g. 选择患者) or when the
   * correction needs a reviewer.
   */
  readonly pricing: Resettlement | null;
  /** 基金损失 (fen), 0 when not priced; negative values are reported as 0 loss. */
  readonly fundLoss: number;
}

/** Builds a finding from its rule. */
export function makeFinding(
  rule: AuditRule,
  parts: {
    stayIds: readonly string[];
    hospitalId: string;
    physicianCode?: string | null;
    personId?: string | null;
    message: string;
    evidence: readonly Evidence[];
    pricing: Resettlement | null;
    key?: string;
  },
): Finding {
  const loss = parts.pricing === null ? 0 : Math.max(0, parts.pricing.fundLoss);
  return {
    id: `${rule.id}:${parts.key ?? parts.stayIds.join("+")}`,
    ruleId: rule.id,
    ruleName: rule.name,
    category: rule.category,
    violation: rule.violation,
    outcome: rule.outcome,
    stayIds: parts.stayIds,
    hospitalId: parts.hospitalId,
    physicianCode: parts.physicianCode ?? null,
    personId: parts.personId ?? null,
    message: parts.message,
    evidence: parts.evidence,
    pricing: parts.pricing,
    fundLoss: loss,
  };
}

/** Said of a finding on a stay that cannot be priced (未定价): the rule holds, the loss is not measured. */
export const UNPRICED_NOTE = "（该病例无法结算定价，如病组无权重，基金损失未测算）";

/** The distinct items of detail lines as 名称（编码）, at most six, for a finding's evidence. */
export function itemNames(lines: readonly { readonly name: string; readonly code: string }[]): string[] {
  return [...new Set(lines.map((d) => `${d.name}（${d.code}）`))].slice(0, 6);
}

/** Formats fen as yuan with two decimals (元). */
export function yuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(Math.round(fen));
  return `${neg ? "-" : ""}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}

/** A finding on one stay (单病例发现): the stay, its hospital, physician and person are the stay's own. */
export function stayFinding(
  rule: AuditRule,
  s: { id: string; hospitalId: string; physicianCode?: string | null; personId?: string | null },
  parts: { message: string; evidence: readonly Evidence[]; pricing: Resettlement | null; key?: string },
): Finding {
  return makeFinding(rule, {
    stayIds: [s.id],
    hospitalId: s.hospitalId,
    physicianCode: s.physicianCode ?? null,
    personId: s.personId ?? null,
    ...parts,
  });
}
