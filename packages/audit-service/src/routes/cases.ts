/**
 * 审核案件流转 (the case workflow): a hospital appeals or accepts a finding, a reviewer decides, the
 * bureau deducts. Each action is recorded in the operation log with the finding's state, status
 * and deduction before and after it.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Role } from "@yibao/audit";
import { routeAccess } from "@yibao/server";
import type { Store } from "@yibao/store";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { actOnFinding, type CaseActor, deductFinding, getCase, type StoredCase } from "../workflow.js";
import { IdParams, requireActor, toHttp } from "./shared.js";

const Evidence = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200 }), content: Type.String({ maxLength: 20_000 }) },
  { additionalProperties: false },
);
const AppealBody = Type.Object(
  {
    statement: Type.String({ minLength: 1, maxLength: 5000 }),
    evidence: Type.Optional(Type.Array(Evidence, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal("upheld"), Type.Literal("overturned")]),
    reason: Type.String({ minLength: 1, maxLength: 5000 }),
    deductionFen: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);

/**
 * What the operation log records of a case action: the finding and its stays and hospital, the
 * deduction (fen) and the state, each before and after the action.
 */
function caseChange(before: StoredCase | undefined, after: StoredCase): Record<string, unknown> {
  const f = after.finding;
  const last = after.events[after.events.length - 1];
  return {
    findingId: f.finding_id,
    setlIds: f.setl_ids,
    hospitalCode: f.hospital_code,
    period: f.period,
    status: { before: before?.finding.status ?? last?.from ?? null, after: f.status },
    deductionFen: {
      before: before ? Number(before.finding.deduction_fen) : null,
      after: Number(f.deduction_fen),
    },
    ...(last?.clearingId ? { clearingId: last.clearingId } : {}),
  };
}

/**
 * Runs one case action as the acting user (who must hold one of `roles`), records the finding's
 * state before and after it in the operation log, and replies with the finding and its trail.
 */
async function caseAction(
  request: FastifyRequest,
  findingId: string,
  store: Store,
  roles: readonly Role[],
  act: (actor: CaseActor, findingId: string) => Promise<StoredCase>,
) {
  const actor = requireActor(request, roles);
  try {
    request.oplogDetail = { findingId };
    const before = await getCase(store, findingId);
    const after = await act(actor, findingId);
    request.oplogDetail = caseChange(before, after);
    return { finding: after.finding, trail: after.events };
  } catch (e) {
    toHttp(e);
  }
}

export function caseRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    const store = () => app.yibao.store;

    app.post(
      "/findings/:id/appeal",
      {
        config: routeAccess(["hospital"], "handler", "审核申诉"),
        schema: { params: IdParams, body: AppealBody },
      },
      async (request) =>
        caseAction(request, request.params.id, store(), ["hospital"], (actor, id) =>
          actOnFinding(
            store(),
            id,
            { type: "appeal", statement: request.body.statement, evidence: request.body.evidence ?? [] },
            actor,
          ),
        ),
    );

    app.post(
      "/findings/:id/accept",
      { config: routeAccess(["hospital"], "handler", "认可审核结果"), schema: { params: IdParams } },
      async (request) =>
        caseAction(request, request.params.id, store(), ["hospital"], (actor, id) =>
          actOnFinding(store(), id, { type: "accept" }, actor),
        ),
    );

    app.post(
      "/findings/:id/decision",
      {
        config: routeAccess(["reviewer"], "none", "审核复核决定"),
        schema: { params: IdParams, body: DecisionBody },
      },
      async (request) => {
        const b = request.body;
        return caseAction(request, request.params.id, store(), ["reviewer"], (actor, id) =>
          actOnFinding(
            store(),
            id,
            {
              type: "decide",
              decision: b.decision,
              reason: b.reason,
              ...(b.deductionFen !== undefined ? { deduction: b.deductionFen } : {}),
            },
            actor,
          ),
        );
      },
    );

    app.post(
      "/findings/:id/deduct",
      { config: routeAccess(["bureau", "admin"], "none", "审核扣款"), schema: { params: IdParams } },
      async (request) =>
        caseAction(request, request.params.id, store(), ["bureau"], (actor, id) =>
          deductFinding(store(), id, actor),
        ),
    );
  };
}
