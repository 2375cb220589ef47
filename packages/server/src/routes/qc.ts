/** 清单质控指标: GET /api/v1/qc/indicators?hospital&period|periodFrom&periodTo. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
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
      return app.yibao.store.qcIndicators({
        ...(q.hospital !== undefined ? { hospital: q.hospital } : {}),
        ...periodRange(q),
      });
    },
  );
};
