/**
 * 智能审核 run: all rules of the rule base over a batch of stays, in linear passes — one pass per
 * stay for the single-stay rules, one Map keyed by person for readmissions, one Map keyed by
 * hospital and period for patient selection.
 */
import { SettlementError } from "@yibao/payment/versioned";
import type { SettlementList } from "@yibao/settlement";
import { type AuditContext, stayContext } from "./context.js";
import { detectItemRules } from "./detect-items.js";
import { detectPatientSelection, detectReadmissions, staysByPerson } from "./detect-population.js";
import {
  detectCostShifting,
  detectDowncoding,
  detectLowIndication,
  detectQyAmbiguity,
  detectTierCrossing,
  detectUpcodingPrincipal,
  detectUpcodingSecondary,
} from "./detect-stay.js";
import type { Finding } from "./finding.js";
import type { AuditStay, DetailItem } from "./model.js";
import { settleAsUploaded } from "./pricing.js";
import type { RuleBase, Stage } from "./rules.js";
import { auditStayFromList } from "./stay.js";

/**
 * A stay audited without prices (未定价病例): its DRG has no weight in the policy in force, it could
 * not be grouped, or its hospital is not in the payment context. It still went through every rule
 * that needs no price (item rules, readmissions, low-indication admission, cost shifting, patient
 * selection); findings on it carry no fund loss. Reported, never skipped.
 */
export interface UnpricedStay {
  readonly stayId: string;
  /** Why it could not be priced (Chinese). */
  readonly message: string;
}

/** 审核结果. */
export interface AuditResult {
  readonly findings: readonly Finding[];
  /** Stays audited without prices (未定价), with the reason. */
  readonly unpriced: readonly UnpricedStay[];
  readonly stays: number;
}

/** The rule base restricted to the rules applied at one stage (事前/事中/事后). */
export function rulesAtStage(base: RuleBase, stage: Stage): RuleBase {
  return { ...base, rules: base.rules.filter((r) => r.stages.includes(stage)) };
}

/**
 * Runs the single-stay rules on one stay and pushes its findings. A stay that cannot be priced is
 * pushed to `unpriced` and still goes through the rules whose decision needs no price; the coding
 * and tier rules, which compare the stay with its group's payment standard, abstain. Returns whether
 * the stay was priced.
 */
export function auditOneStay(
  s: AuditStay,
  context: AuditContext,
  out: Finding[],
  unpriced: UnpricedStay[],
): boolean {
  const ctx = stayContext(context, s);
  for (const f of detectItemRules(s, ctx)) out.push(f);
  let uploaded: ReturnType<typeof settleAsUploaded> | null = null;
  try {
    uploaded = settleAsUploaded(s, ctx.settlement);
  } catch (e) {
    if (!(e instanceof SettlementError)) throw e;
    unpriced.push({ stayId: s.id, message: e.message });
  }
  let found: Finding | null = null;
  if (uploaded !== null) {
    if (s.group.status === "AMBIGUOUS") found = detectQyAmbiguity(s, ctx, uploaded);
    else if (s.group.status === "OK") {
      found =
        detectDowncoding(s, ctx, uploaded) ??
        detectUpcodingSecondary(s, ctx) ??
        detectUpcodingPrincipal(s, ctx);
    }
    found ??= detectTierCrossing(s, ctx, uploaded);
  }
  found ??= detectLowIndication(s, ctx) ?? detectCostShifting(s, ctx);
  if (found !== null) out.push(found);
  return uploaded !== null;
}

/** 事后审核: audits a batch of stays (one region, one period) with every rule of the context. */
export function runAudit(stays: readonly AuditStay[], ctx: AuditContext): AuditResult {
  const findings: Finding[] = [];
  const unpriced: UnpricedStay[] = [];
  for (const s of stays) auditOneStay(s, ctx, findings, unpriced);
  for (const f of detectReadmissions(staysByPerson(stays), ctx)) findings.push(f);
  for (const f of detectPatientSelection(stays, ctx)) findings.push(f);
  return { findings, unpriced, stays: stays.length };
}

/** Input of the pre-upload check (事前审核) a hospital system calls with one list. */
export interface PrecheckInput {
  readonly list: SettlementList;
  /** 费用明细 of the stay, when the hospital has them. */
  readonly details?: readonly DetailItem[];
  /** The person's earlier stays (for readmission rules), as audit stays. */
  readonly history?: readonly AuditStay[];
}

/** 事前提醒: the rule hits of one settlement list before upload, with the rules of stage 事前. */
export function precheckList(input: PrecheckInput, ctx: AuditContext): AuditResult {
  const stage = { ...ctx, rules: rulesAtStage(ctx.rules, "事前") };
  const stay = auditStayFromList(input.list, {
    scheme: ctx.scheme,
    ...(ctx.schemes ? { schemes: ctx.schemes } : {}),
    details: input.details,
  });
  const findings: Finding[] = [];
  const unpriced: UnpricedStay[] = [];
  auditOneStay(stay, stage, findings, unpriced);
  if (input.history !== undefined && input.history.length > 0) {
    const all = [...input.history.filter((h) => h.personId === stay.personId), stay];
    for (const f of detectReadmissions(staysByPerson(all), { ...ctx, rules: ctx.rules })) {
      if (f.stayIds.includes(stay.id)) findings.push(f);
    }
  }
  return { findings, unpriced, stays: 1 };
}
