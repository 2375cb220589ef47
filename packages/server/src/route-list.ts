import type { FastifyInstance } from "fastify";
import type { RouteAccess } from "./route-access.js";

/** One route the application serves (路由), with its declared access policy. */
export interface ServedRoute {
  readonly method: string;
  /** The route's pattern, e.g. `/api/v1/settlement-lists/:setlId`. */
  readonly url: string;
  readonly access: RouteAccess;
}

/**
 * Every route the application serves under `prefix` (default `/api/`), as the access layer recorded
 * them when they were registered (HEAD left out): what the access tests walk to try each route.
 */
export function servedRoutes(app: FastifyInstance, prefix = "/api/"): ServedRoute[] {
  return app.routePolicies.filter((r) => r.url.startsWith(prefix)).map((r) => ({ ...r }));
}
