/**
 * The audit context of a run over the store (审核上下文): the rule base and knowledge base in force,
 * group norms learned from the stays audited, and the payment context used to re-settle — the
 * stored payment policies and weights when the payment service holds some (支付政策), else weights
 * calibrated from the stays themselves (as the evaluation does).
 */
import {
  type AuditContext,
  type AuditStay,
  calibrateSettlement,
  type KnowledgeBase,
  learnNorms,
  learnNormsWithSchemes,
  learnSupportNorms,
  type RuleBase,
  responseDeadline,
  STARTER_KNOWLEDGE_BASE,
  STARTER_RULE_BASE,
  selectVersion,
  shareGroupsOf,
} from "@yibao/audit";
import { type DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { createSettlementContext, type SettlementContext } from "@yibao/payment/settle";
import { dipPricingOf } from "@yibao/payment-service/dip-payment";
import { loadPaymentHospitals, loadPolicies, PaymentInputError } from "@yibao/payment-service/repo";
import { SETTLEMENT_LEVEL_NAMES } from "@yibao/payment-service/settle-period";
import { type ErrorCode, statusOf } from "@yibao/server/error-catalogue";
import type { Store } from "@yibao/store";

/** Versions of the rule base and knowledge base a deployment has (data, selected by date). */
export interface AuditLibraries {
  readonly ruleBases: readonly RuleBase[];
  readonly knowledgeBases: readonly KnowledgeBase[];
}

export const STARTER_LIBRARIES: AuditLibraries = {
  ruleBases: [STARTER_RULE_BASE],
  knowledgeBases: [STARTER_KNOWLEDGE_BASE],
};

/** An audit that cannot start (审核无法进行): names what is missing. */
export class AuditServiceError extends Error {
  override name = "AuditServiceError";
  constructor(
    message: string,
    /** Its code in the error catalogue, which fixes the HTTP status. */
    readonly code: ErrorCode = "AUDIT_INPUT",
  ) {
    super(message);
  }
  get statusCode(): number {
    return statusOf(this.code);
  }
}

/** The rule base and knowledge base in force on `date` (the latest version effective then). */
export function librariesAt(
  date: string,
  libraries: AuditLibraries = STARTER_LIBRARIES,
): { rules: RuleBase; knowledge: KnowledgeBase } {
  const rules = selectVersion(libraries.ruleBases, date) ?? latest(libraries.ruleBases);
  const knowledge = selectVersion(libraries.knowledgeBases, date) ?? latest(libraries.knowledgeBases);
  if (rules === undefined) throw new AuditServiceError(`没有在 ${date} 生效的规则库`, "NO_RULE_BASE");
  if (knowledge === undefined)
    throw new AuditServiceError(`没有在 ${date} 生效的知识库`, "NO_KNOWLEDGE_BASE");
  return { rules, knowledge };
}

/**
 * 说明期限 of a stored finding: the last day the hospital has to answer it and what an unanswered one
 * becomes, under the rule base in force on the (Shanghai) day it was opened; null for a finding that
 * is not an open 可疑 one or under a rule base without a deadline.
 */
export function storedResponseDeadline(
  f: { readonly status: string; readonly outcome: string; readonly created_at: Date | string },
  libraries: AuditLibraries = STARTER_LIBRARIES,
): { readonly deadline: string; readonly unanswered: "upheld" | "overturned" } | null {
  if (f.status !== "open" || f.outcome !== "可疑") return null;
  const openedOn = shanghaiDate(new Date(f.created_at));
  const rules = librariesAt(openedOn, libraries).rules.response;
  const deadline = responseDeadline({ outcome: f.outcome }, openedOn, rules);
  return rules === undefined || deadline === null ? null : { deadline, unanswered: rules.unanswered };
}

function latest<T extends { effectiveFrom: string }>(xs: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const x of xs) if (best === undefined || x.effectiveFrom > best.effectiveFrom) best = x;
  return best;
}

/** Where the payment context came from. */
export type SettlementSource = "stored" | "calibrated";

/**
 * The payment context for re-settlement: the stored policies (with their weight tables) and
 * hospital levels when the payment service has policies; otherwise calibrated from `stays`.
 */
export async function settlementContextFor(
  store: Store,
  stays: readonly AuditStay[],
  norms: ReturnType<typeof learnNorms>,
): Promise<{ settlement: SettlementContext; source: SettlementSource }> {
  let policies: Awaited<ReturnType<typeof loadPolicies>>;
  try {
    policies = await loadPolicies(store);
  } catch (e) {
    if (e instanceof PaymentInputError || isMissingTable(e)) {
      return { settlement: calibrateSettlement(stays, norms), source: "calibrated" };
    }
    throw e;
  }
  let stored: Awaited<ReturnType<typeof loadPaymentHospitals>>;
  try {
    stored = await loadPaymentHospitals(store);
  } catch (e) {
    if (!isMissingTable(e)) throw e;
    stored = new Map();
  }
  const hospitals = new Map<string, string>();
  for (const s of stays) {
    if (hospitals.has(s.hospitalId)) continue;
    hospitals.set(
      s.hospitalId,
      stored.get(s.hospitalId)?.level ?? SETTLEMENT_LEVEL_NAMES[s.hospitalLevel] ?? s.hospitalLevel,
    );
  }
  // Every hospital the payment area knows, also those without a stay in this batch (a precheck of a
  // hospital that had none in the latest period must still price its findings).
  for (const [id, h] of stored) if (!hospitals.has(id)) hospitals.set(id, h.level);
  // A hospital paid by DIP is re-settled by its DIP group at the year's point value (DRG 与 DIP 并行).
  let dip: Awaited<ReturnType<typeof dipPricingOf>> = null;
  try {
    dip = await dipPricingOf(store);
  } catch (e) {
    if (!isMissingTable(e)) throw e;
  }
  return {
    settlement: createSettlementContext({
      policies,
      hospitals: [...hospitals].map(([id, level]) => ({ id, level })),
      ...(dip !== null ? { dip } : {}),
    }),
    source: "stored",
  };
}

function isMissingTable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "42P01";
}

/** Builds the whole audit context of a batch of stays. */
export async function auditContextFor(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  stays: readonly AuditStay[],
  date: string,
  libraries: AuditLibraries = STARTER_LIBRARIES,
): Promise<{ ctx: AuditContext; source: SettlementSource }> {
  const { rules, knowledge } = librariesAt(date, libraries);
  const options = { shareGroups: shareGroupsOf(rules) };
  // With several schemes by date, a stay without one named is checked under the scheme of the date,
  // and each stay is compared with the norms of its own scheme's stays.
  const schemes = scheme instanceof SchemeCalendar && scheme.switches ? scheme : undefined;
  const learnt = schemes ? learnNormsWithSchemes(stays, options) : undefined;
  const norms = learnt?.norms ?? learnNorms(stays, options);
  const normsByScheme = learnt?.byScheme;
  const { settlement, source } = await settlementContextFor(store, stays, norms);
  const current = scheme instanceof SchemeCalendar ? scheme.on(date) : scheme;
  const ctx: AuditContext = {
    scheme: current,
    ...(schemes ? { schemes } : {}),
    rules,
    knowledge,
    norms,
    ...(normsByScheme ? { normsByScheme } : {}),
    settlement,
  };
  const supportNorms = learnSupportNorms(stays, ctx);
  return { ctx: supportNorms === undefined ? ctx : { ...ctx, supportNorms }, source };
}
