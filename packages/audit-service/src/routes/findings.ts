/**
 * 审核发现 (findings): the list a role may see (a hospital only its own) and one finding with both
 * settlements and its trail.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CASE_STATE_NAMES, VIOLATION_TYPE_NAMES } from "@yibao/audit";
import { HttpError, PLATFORM_ROLES, routeAccess } from "@yibao/server";
import { OffsetParam, PERIOD_PATTERN } from "@yibao/server/query-schemas";
import { Type } from "typebox";
import { readFindings } from "../queries.js";
import { getCase } from "../workflow.js";
import { type AuditRouteContext, actorOf, IdParams } from "./shared.js";

const FINDING_STATES = ["open", "appealed", "upheld", "overturned", "deducted", "closed"] as const;

const FindingsQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodFrom: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodTo: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    status: Type.Optional(Type.Union(FINDING_STATES.map((s) => Type.Literal(s)))),
    outcome: Type.Optional(Type.Union([Type.Literal("明确违规"), Type.Literal("可疑")])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(OffsetParam()),
  },
  { additionalProperties: false },
);

export function findingRoutes(ctx: AuditRouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/findings",
      { config: routeAccess([...PLATFORM_ROLES], "query"), schema: { querystring: FindingsQuery } },
      async (request) => {
        const q = request.query;
        const actor = actorOf(request);
        if (actor?.role === "hospital" && actor.hospitalCode) {
          if (q.hospital !== undefined && q.hospital !== actor.hospitalCode)
            throw new HttpError("FORBIDDEN", "医院账号只能查看本院的审核发现");
          q.hospital = actor.hospitalCode;
        }
        if (q.type !== undefined && !(q.type in VIOLATION_TYPE_NAMES)) {
          throw new HttpError("INVALID_REQUEST", `查询参数 type：未知的违规类型「${q.type}」`);
        }
        return readFindings(app.yibao.store, q, ctx.libraries);
      },
    );

    app.get(
      "/findings/:id",
      { config: routeAccess([...PLATFORM_ROLES], "handler"), schema: { params: IdParams } },
      async (request) => {
        const c = await getCase(app.yibao.store, request.params.id);
        const actor = actorOf(request);
        if (
          c === undefined ||
          (actor?.role === "hospital" && actor.hospitalCode && c.finding.hospital_code !== actor.hospitalCode)
        ) {
          throw new HttpError("FINDING_NOT_FOUND", `审核发现 ${request.params.id} 不存在`);
        }
        const pricing = c.finding.settlements as { original?: unknown; corrected?: unknown } | null;
        const { settlements: _s, ...finding } = c.finding;
        return {
          finding: {
            ...finding,
            statusName:
              CASE_STATE_NAMES[c.finding.status as keyof typeof CASE_STATE_NAMES] ?? c.finding.status,
            violationName:
              VIOLATION_TYPE_NAMES[c.finding.violation as keyof typeof VIOLATION_TYPE_NAMES] ??
              c.finding.violation,
          },
          settlements:
            pricing === null
              ? null
              : { original: pricing.original ?? null, corrected: pricing.corrected ?? null, pricing },
          trail: c.events,
        };
      },
    );
  };
}
