/**
 * 事前审核 (pre-upload check) for hospital systems: one 4101 message in, the hits of the rules of
 * stage 事前 out, with the patient's stored earlier stays as history for the readmission rules. The
 * norms and payment context come from the store's most recent periods, built once and cached.
 */
import { type AuditContext, type AuditStay, type DetailItem, precheckList } from "@yibao/audit";
import type { DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { parseSettlementMessage } from "@yibao/settlement";
import { latestAcceptedPeriod, patientKey, type Store } from "@yibao/store";
import { type AuditLibraries, AuditServiceError, auditContextFor, STARTER_LIBRARIES } from "./context.js";
import { lookbackDays } from "./jobs.js";
import { minusDays, periodEnd, readPatientStays, readPeriodStays } from "./read.js";

/** What a precheck answers (事前提醒). */
export interface PrecheckAnswer {
  readonly setlId: string | null;
  /** Rule hits: rule, outcome (明确违规 intercepts, 可疑 warns), message, evidence, fund loss. */
  readonly hits: readonly {
    readonly ruleId: string;
    readonly ruleName: string;
    readonly violation: string;
    readonly outcome: string;
    readonly message: string;
    readonly evidence: unknown;
    readonly fundLossFen: number;
  }[];
  /** True when a hit is a clear violation (明确违规): the hospital should correct before upload. */
  readonly intercept: boolean;
  /** Problems with the message itself (报文问题). */
  readonly problems: readonly { readonly field: string; readonly message: string }[];
  readonly historyStays: number;
}

/** Builds (and caches for `ttlMs`) the context prechecks use. */
export function precheckContextCache(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  libraries: AuditLibraries = STARTER_LIBRARIES,
  ttlMs = 10 * 60_000,
): () => Promise<AuditContext> {
  let cached: { ctx: AuditContext; at: number } | null = null;
  let building: Promise<AuditContext> | null = null;
  return async () => {
    if (cached !== null && Date.now() - cached.at < ttlMs) return cached.ctx;
    building ??= (async () => {
      try {
        const last = await latestAcceptedPeriod(store.db);
        const stays: AuditStay[] = [];
        let date = new Date().toISOString().slice(0, 10);
        if (last !== null) {
          const y = Number(last.slice(0, 4));
          const m = Number(last.slice(5, 7));
          const first =
            m > 2 ? `${y}-${String(m - 2).padStart(2, "0")}` : `${y - 1}-${String(m + 10).padStart(2, "0")}`;
          for await (const b of readPeriodStays(store, scheme, first, last))
            for (const s of b.stays) stays.push(s);
          date = periodEnd(last);
        }
        if (stays.length === 0)
          throw new AuditServiceError(
            "库中尚无已接收的结算清单，无法建立事前审核所需的病组常模和结算参数",
            "NO_NORMS",
          );
        const { ctx } = await auditContextFor(store, scheme, stays, date, libraries);
        cached = { ctx, at: Date.now() };
        return ctx;
      } finally {
        building = null;
      }
    })();
    return building;
  };
}

/** Runs the pre-upload check of one message. */
export async function precheckMessage(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  ctx: AuditContext,
  message: unknown,
  details?: readonly DetailItem[],
  /** A hospital's check sees the patient's earlier stays at that hospital only (never other hospitals'). */
  historyOf?: string | null,
): Promise<PrecheckAnswer> {
  const parsed = parseSettlementMessage(message);
  const problems = parsed.findings.map((f) => ({ field: f.field, message: f.message }));
  if (parsed.list === undefined) {
    throw new AuditServiceError(
      `报文无法解析：${problems.map((p) => `${p.field} ${p.message}`).join("；") || "缺少 input.setlinfo"}`,
      "INVALID_MESSAGE",
    );
  }
  const list = parsed.list;
  const info = list.info;
  const history: AuditStay[] = [];
  if (info.certno !== null && info.admTime !== null) {
    const key = patientKey(info.patnCertType ?? "", info.certno);
    const since = minusDays(info.admTime.slice(0, 10), lookbackDays(ctx.rules));
    const b = await readPatientStays(store, scheme, key, since, info.setlId ?? "");
    for (const s of b.stays) if (!historyOf || s.hospitalId === historyOf) history.push(s);
  }
  let result: ReturnType<typeof precheckList>;
  try {
    result = precheckList({ list, ...(details ? { details } : {}), history }, ctx);
  } catch (e) {
    if (e instanceof Error && e.name === "StayInputError")
      throw new AuditServiceError(e.message, "INVALID_MESSAGE");
    throw e;
  }
  for (const e of result.unpriced)
    problems.push({ field: "setlinfo", message: `${e.message}（未定价：已按不需定价的规则审核）` });
  return {
    setlId: info.setlId,
    hits: result.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      violation: f.violation,
      outcome: f.outcome,
      message: f.message,
      evidence: f.evidence,
      fundLossFen: f.fundLoss,
    })),
    intercept: result.findings.some((f) => f.outcome === "明确违规"),
    problems,
    historyStays: history.length,
  };
}
