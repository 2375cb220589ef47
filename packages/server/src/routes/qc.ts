/**
 * 清单质控指标: GET /api/v1/qc/indicators?hospital&period|periodFrom&periodTo — the indicators of the
 * range, a row per hospital and period, and the QC targets in force (质控目标) judged on the whole
 * range and on each row, with an alert (预警) for every target a row misses.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { DEFAULT_QC_TARGETS, judgeQcTargets } from "@yibao/settlement";
import { Type } from "typebox";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import { PERIOD_PATTERN, periodRange } from "./query.js";

const IndicatorQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodFrom: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodTo: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
  },
  { additionalProperties: false },
);

export const qcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/indicators",
    { config: routeAccess(PLATFORM_ROLES, "query"), schema: { querystring: IndicatorQuery } },
    async (request) => {
      const q = request.query;
      const report = await app.yibao.store.qcIndicators({
        ...(q.hospital !== undefined ? { hospital: q.hospital } : {}),
        ...periodRange(q),
      });
      const set = DEFAULT_QC_TARGETS;
      return {
        ...report,
        targets: {
          id: set.id,
          version: set.version,
          effectiveDate: set.effectiveDate,
          source: set.source,
          total: judgeQcTargets(report.total, set),
          alerts: report.rows.flatMap((r) =>
            judgeQcTargets(r, set)
              .filter((v) => v.met === false)
              .map((v) => ({ hospitalCode: r.hospitalCode, period: r.period, ...v })),
          ),
        },
      };
    },
  );
};
