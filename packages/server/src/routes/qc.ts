/**
 * 清单质控指标: GET /api/v1/qc/indicators?hospital&period|periodFrom&periodTo — the indicators of the
 * range, a row per hospital and period, and the QC targets in force (质控目标) judged on the whole
 * range and on each row, with an alert (预警) for every target a row misses.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { editionOn, judgeQcTargets } from "@yibao/settlement";
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
      // The targets in force at the end of the range asked for (today when it is open-ended); the
      // comparison with effective dates is textual, so "-31" stands for the last day of any month.
      const end = q.periodTo ?? q.period;
      const set = editionOn(app.yibao.qcTargets, end ? `${end}-31` : new Date().toISOString().slice(0, 10));
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
