import type { FastifyInstance } from "fastify";
import type { RoutePolicy } from "./identity/access.js";

/** One route the application serves (路由), with its declared access policy and request schemas. */
export type ServedRoute = RoutePolicy;

/**
 * Every route the application serves under `prefix` (default `/api/`), as the access layer recorded
 * them when they were registered (HEAD left out): what the access tests walk to try each route.
 */
export function servedRoutes(app: FastifyInstance, prefix = "/api/"): ServedRoute[] {
  return app.routePolicies.filter((r) => r.url.startsWith(prefix)).map((r) => ({ ...r }));
}
