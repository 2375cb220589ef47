/**
 * 智能审核 run: all rules of the rule base over a batch of stays, in linear passes — one pass per
 * stay for the single-stay rules, one Map keyed by person for readmissions, one Map keyed by
 * hospital and period for patient selection.
 */
import { SettlementError } from "@yibao/payment/versioned";
import type { SettlementList } from "@yibao/settlement";
import type { AuditContext } from "./context.js";
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

/** A stay the audit could not settle (无法结算): it is reported, the batch goes on. */
export interface AuditError {
  readonly stayId: string;
  readonly message: string;
}

/** 审核结果. */
export interface AuditResult {
  readonly findings: readonly Finding[];
  readonly errors: readonly AuditError[];
  readonly stays: number;
}

/** The rule base restricted to the rules applied at one stage (事前/事中/事后). */
export function rulesAtStage(base: RuleBase, stage: Stage): RuleBase {
  return { ...base, rules: base.rules.filter((r) => r.stages.includes(stage)) };
}

/** Runs the single-stay rules on one stay; pushes findings; returns false when it cannot be settled. */
export function auditOneStay(s: AuditStay, ctx: AuditContext, out: Finding[], errors: AuditError[]): boolean {
  for (const f of detectItemRules(s, ctx)) out.push(f);
  let uploaded: ReturnType<typeof settleAsUploaded>;
  try {
    uploaded = settleAsUploaded(s, ctx.settlement);
  } catch (e) {
    if (e instanceof SettlementError) {
      errors.push({ stayId: s.id, message: e.message });
      return false;
    }
    throw e;
  }
  let coding: Finding | null = null;
  if (s.group.status === "AMBIGUOUS") coding = detectQyAmbiguity(s, ctx, uploaded);
  else if (s.group.status === "OK") {
    coding =
      detectDowncoding(s, ctx, uploaded) ??
      detectUpcodingSecondary(s, ctx) ??
      detectUpcodingPrincipal(s, ctx);
  }
  if (coding !== null) out.push(coding);
  else {
    const tier = detectTierCrossing(s, ctx, uploaded);
    if (tier !== null) out.push(tier);
    else {
      const low = detectLowIndication(s, ctx);
      if (low !== null) out.push(low);
      else {
        const shift = detectCostShifting(s, ctx);
        if (shift !== null) out.push(shift);
      }
    }
  }
  return true;
}

/** 事后审核: audits a batch of stays (one region, one period) with every rule of the context. */
export function runAudit(stays: readonly AuditStay[], ctx: AuditContext): AuditResult {
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  for (const s of stays) auditOneStay(s, ctx, findings, errors);
  for (const f of detectReadmissions(staysByPerson(stays), ctx)) findings.push(f);
  for (const f of detectPatientSelection(stays, ctx)) findings.push(f);
  return { findings, errors, stays: stays.length };
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
  const stay = auditStayFromList(input.list, { scheme: ctx.scheme, details: input.details });
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  auditOneStay(stay, stage, findings, errors);
  if (input.history !== undefined && input.history.length > 0) {
    const all = [...input.history.filter((h) => h.personId === stay.personId), stay];
    for (const f of detectReadmissions(staysByPerson(all), { ...ctx, rules: ctx.rules })) {
      if (f.stayIds.includes(stay.id)) findings.push(f);
    }
  }
  return { findings, errors, stays: 1 };
}
