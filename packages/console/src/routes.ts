/**
 * 控制台接口 under /api/v1/console: a registry of one plugin per resource (`routes/`): metadata,
 * indicators (overview, ranking, drill-down), QC findings by rule, lists with findings and groups,
 * what-if grouping, appeals, accounts, operation log, the cube's refresh and Excel export of any
 * table. Every route states its access policy in `config.access`.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { appealRoutes } from "./routes/appeals.js";
import { cubeRoutes } from "./routes/cube.js";
import { exportRoutes } from "./routes/export.js";
import { indicatorRoutes } from "./routes/indicators.js";
import { listRoutes } from "./routes/lists.js";
import { metaRoutes } from "./routes/meta.js";
import { oplogRoutes } from "./routes/oplog.js";
import { qcRoutes } from "./routes/qc.js";
import type { ConsoleRouteOptions } from "./routes/shared.js";
import { userRoutes } from "./routes/users.js";
import { whatIfRoutes } from "./routes/what-if.js";

export { LIST_COUNT_CAP } from "./routes/lists.js";
export {
  type ConsoleRouteOptions,
  readablePath,
  type WhatIfEstimate,
  type WhatIfEstimator,
} from "./routes/shared.js";

/** The console's resources, each a plugin of its own, in the order they are registered. */
const RESOURCES = [
  metaRoutes,
  indicatorRoutes,
  qcRoutes,
  listRoutes,
  whatIfRoutes,
  appealRoutes,
  userRoutes,
  oplogRoutes,
  cubeRoutes,
  exportRoutes,
] as const satisfies readonly ((options: ConsoleRouteOptions) => FastifyPluginAsyncTypebox)[];

export function consoleRoutes(options: ConsoleRouteOptions): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const resource of RESOURCES) await app.register(resource(options));
  };
}
