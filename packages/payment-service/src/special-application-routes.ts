/**
 * 特病单议申请 API (issue 14), under /api/v1/payment: a hospital checks its own settled stay against the
 * criteria, the deadline and its quota (预检), applies for it and may withdraw a pending application; everyone sees applications (a hospital only its own); a reviewer
 * or the bureau approves (the stay re-settled) or rejects one. Every step is in the operation log.
 *
 * 新技术除外申请 (/new-tech-exclusions): the same steps for the second kind of application — 预检,
 * apply, withdraw (the hospital, its own stays only), decide (reviewer or bureau; approval re-settles
 * the stay by actual cost within the 3‰ cap). Both kinds are listed by /special-case-applications
 * (`kind` filters); each kind is withdrawn and decided through its own routes, so the operation log
 * names what was done.
 */
import { SPECIAL_REVIEW_CRITERION_NAMES, type SpecialReviewCriterion } from "@yibao/payment";
import { HttpError, requirePrincipal, routeAccess } from "@yibao/server";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import { ALL, actorOf, fen, guard, YUAN } from "./http.js";
import { applyNewTechExclusion, assessNewTechExclusion } from "./new-tech-exclusions.js";
import {
  applySpecialCase,
  assessStay,
  decideApplication,
  listApplications,
  withdrawApplication,
} from "./special-applications.js";

const Criterion = Type.Union([
  Type.Literal("highCost"),
  Type.Literal("icu"),
  Type.Literal("longStay"),
  Type.Literal("newTech"),
]);
const ApplicationBody = Type.Object(
  {
    setlId: Type.String({ minLength: 1, maxLength: 60 }),
    criterion: Criterion,
    newTechCode: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    reason: Type.String({ minLength: 2, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const ApplicationQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    status: Type.Optional(
      Type.Union([
        Type.Literal("pending"),
        Type.Literal("approved"),
        Type.Literal("rejected"),
        Type.Literal("withdrawn"),
      ]),
    ),
    kind: Type.Optional(Type.Union([Type.Literal("specialReview"), Type.Literal("newTechExclusion")])),
  },
  { additionalProperties: false },
);
const AssessmentQuery = Type.Object(
  { setlId: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ pattern: "^[0-9]{1,9}$" }) });
const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal("approved"), Type.Literal("rejected")]),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    amount: Type.Optional(Type.Union([Type.String({ pattern: YUAN }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** The caller's own hospital (a hospital account without one is refused). */
function ownHospital(request: FastifyRequest): string {
  const code = requirePrincipal(request).hospitalCode;
  if (!code) throw new HttpError("NO_HOSPITAL", "医院账号未绑定定点医药机构");
  return code;
}

const criterionName = (c: SpecialReviewCriterion) => SPECIAL_REVIEW_CRITERION_NAMES[c];

const ExclusionBody = Type.Object(
  {
    setlId: Type.String({ minLength: 1, maxLength: 60 }),
    newTechCode: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    reason: Type.String({ minLength: 2, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const ExclusionDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal("approved"), Type.Literal("rejected")]),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const ExclusionQuery = Type.Omit(ApplicationQuery, ["kind"]);

/** 新技术除外申请: list, 预检, apply, withdraw, decide (see the file's comment). */
function newTechExclusionRoutes(app: FastifyInstance): void {
  const P = "/new-tech-exclusions";
  app.get(
    P,
    { config: routeAccess(ALL, "query"), schema: { querystring: ExclusionQuery } },
    async (request) => ({
      items: await listApplications(app.yibao.store, {
        ...(request.query as Static<typeof ExclusionQuery>),
        kind: "newTechExclusion",
      }),
    }),
  );
  app.get(
    `${P}/assessment`,
    { config: routeAccess(["hospital"], "handler"), schema: { querystring: AssessmentQuery } },
    async (request) =>
      guard(() =>
        assessNewTechExclusion(app.yibao.store, {
          setlId: (request.query as Static<typeof AssessmentQuery>).setlId,
          hospital: ownHospital(request),
        }),
      ),
  );
  app.post(
    P,
    { config: routeAccess(["hospital"], "handler", "申请新技术除外"), schema: { body: ExclusionBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof ExclusionBody>;
      const hospital = ownHospital(request);
      request.oplogDetail = { setlId: b.setlId, newTechCode: b.newTechCode ?? null, reason: b.reason };
      const r = await guard(() =>
        applyNewTechExclusion(app.yibao.store, {
          setlId: b.setlId,
          hospital,
          newTechCode: b.newTechCode ?? null,
          reason: b.reason,
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = {
        applicationId: r.id,
        setlId: b.setlId,
        figure: r.figures.figure,
        reason: b.reason,
      };
      return reply.status(201).send(r);
    },
  );
  app.post(
    `${P}/:id/withdraw`,
    { config: routeAccess(["hospital"], "handler", "撤回新技术除外申请"), schema: { params: IdParams } },
    async (request) => {
      const id = Number((request.params as Static<typeof IdParams>).id);
      request.oplogDetail = { applicationId: id };
      const r = await guard(() =>
        withdrawApplication(app.yibao.store, {
          id,
          hospital: ownHospital(request),
          actor: actorOf(request),
          kind: "newTechExclusion",
        }),
      );
      request.oplogDetail = { applicationId: id, setlId: r.setlId };
      return r;
    },
  );
  app.post(
    `${P}/:id/decision`,
    {
      config: routeAccess(["reviewer", "bureau"], "none", "审核新技术除外申请"),
      schema: { params: IdParams, body: ExclusionDecisionBody },
    },
    async (request, reply) => {
      const id = Number((request.params as Static<typeof IdParams>).id);
      const b = request.body as Static<typeof ExclusionDecisionBody>;
      const decision = b.decision === "approved" ? "核准" : "驳回";
      request.oplogDetail = { applicationId: id, decision, reason: b.reason };
      const r = await guard(() =>
        decideApplication(app.yibao.store, {
          id,
          decision: b.decision,
          reason: b.reason,
          actor: actorOf(request),
          kind: "newTechExclusion",
        }),
      );
      const a = r.approved;
      request.oplogDetail = {
        applicationId: id,
        setlId: r.application.setlId,
        hospitalCode: r.application.hospitalCode,
        decision,
        reason: b.reason,
        ...(a
          ? {
              runId: a.runId,
              before: a.before,
              after: {
                category: a.settlement.category,
                drgPaymentFen: a.settlement.drgPaymentFen,
                points: a.settlement.points,
                fundPaymentFen: a.settlement.fundPaymentFen,
              },
            }
          : { fundPaymentFen: r.rejected?.fundPaymentFen ?? null }),
      };
      return reply.status(201).send(r);
    },
  );
}

export function specialApplicationRoutes(app: FastifyInstance): void {
  newTechExclusionRoutes(app);
  app.get(
    "/special-case-applications",
    { config: routeAccess(ALL, "query"), schema: { querystring: ApplicationQuery } },
    async (request) => ({
      items: await listApplications(app.yibao.store, request.query as Static<typeof ApplicationQuery>),
    }),
  );

  // 申请前预检: the hospital's own stay against each criterion, the deadline and its quota.
  app.get(
    "/special-case-applications/assessment",
    { config: routeAccess(["hospital"], "handler"), schema: { querystring: AssessmentQuery } },
    async (request) =>
      guard(() =>
        assessStay(app.yibao.store, {
          setlId: (request.query as Static<typeof AssessmentQuery>).setlId,
          hospital: ownHospital(request),
        }),
      ),
  );

  app.post(
    "/special-case-applications",
    {
      config: routeAccess(["hospital"], "handler", "申请特病单议"),
      schema: { body: ApplicationBody },
    },
    async (request, reply) => {
      const b = request.body as Static<typeof ApplicationBody>;
      const hospital = ownHospital(request);
      request.oplogDetail = { setlId: b.setlId, criterion: criterionName(b.criterion), reason: b.reason };
      const r = await guard(() =>
        applySpecialCase(app.yibao.store, {
          setlId: b.setlId,
          hospital,
          criterion: b.criterion,
          newTechCode: b.newTechCode ?? null,
          reason: b.reason,
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = {
        applicationId: r.id,
        setlId: b.setlId,
        criterion: criterionName(b.criterion),
        figure: r.figures.figure,
        reason: b.reason,
      };
      return reply.status(201).send(r);
    },
  );

  app.post(
    "/special-case-applications/:id/withdraw",
    {
      config: routeAccess(["hospital"], "handler", "撤回特病单议申请"),
      schema: { params: IdParams },
    },
    async (request) => {
      const id = Number((request.params as Static<typeof IdParams>).id);
      request.oplogDetail = { applicationId: id };
      const r = await guard(() =>
        withdrawApplication(app.yibao.store, { id, hospital: ownHospital(request), actor: actorOf(request) }),
      );
      request.oplogDetail = { applicationId: id, setlId: r.setlId };
      return r;
    },
  );

  app.post(
    "/special-case-applications/:id/decision",
    {
      config: routeAccess(["reviewer", "bureau"], "none", "审核特病单议申请"),
      schema: { params: IdParams, body: DecisionBody },
    },
    async (request, reply) => {
      const id = Number((request.params as Static<typeof IdParams>).id);
      const b = request.body as Static<typeof DecisionBody>;
      const amountFen = b.decision === "approved" && b.amount != null ? fen(b.amount, "amount") : null;
      const decision = b.decision === "approved" ? "核准" : "驳回";
      request.oplogDetail = { applicationId: id, decision, amountFen, reason: b.reason };
      const r = await guard(() =>
        decideApplication(app.yibao.store, {
          id,
          decision: b.decision,
          reason: b.reason,
          amountFen,
          actor: actorOf(request),
        }),
      );
      const a = r.approved;
      request.oplogDetail = {
        applicationId: id,
        setlId: r.application.setlId,
        hospitalCode: r.application.hospitalCode,
        decision,
        reason: b.reason,
        ...(a
          ? {
              amountFen,
              runId: a.runId,
              before: a.before,
              after: {
                specialReviewFen: a.settlement.specialReviewFen,
                points: a.settlement.points,
                fundPaymentFen: a.settlement.fundPaymentFen,
              },
            }
          : { fundPaymentFen: r.rejected?.fundPaymentFen ?? null }),
      };
      return reply.status(201).send(r);
    },
  );
}
