/**
 * 智能审核接口 (audit API) under /api/v1/audit: a registry of one plugin per resource (`routes/`):
 * runs and the rule base in force, findings with both settlements and the trail, the case workflow
 * (申诉 → 复核 → 扣款), the pre-upload check (事前审核) for hospital systems and the physician
 * profile. Every bad request is a 4xx with a Chinese message; every route states who may call it.
 *
 * The acting user is the principal the server's access layer authenticated (`request.principal`).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ServerPlugin } from "@yibao/server";
import { type AuditLibraries, STARTER_LIBRARIES } from "./context.js";
import { caseRoutes } from "./routes/cases.js";
import { findingRoutes } from "./routes/findings.js";
import { precheckRoutes } from "./routes/precheck.js";
import { profileRoutes } from "./routes/profile.js";
import { runRoutes } from "./routes/runs.js";
import type { AuditRouteContext } from "./routes/shared.js";

export { actorOf } from "./routes/shared.js";

export interface AuditPluginOptions {
  readonly libraries?: AuditLibraries;
}

/** The audit area's resources, each a plugin of its own, in the order they are registered. */
const RESOURCES = [
  runRoutes,
  findingRoutes,
  caseRoutes,
  precheckRoutes,
  profileRoutes,
] as const satisfies readonly ((ctx: AuditRouteContext) => FastifyPluginAsyncTypebox)[];

function routes(options: AuditPluginOptions): FastifyPluginAsyncTypebox {
  return async (app) => {
    const ctx: AuditRouteContext = { libraries: options.libraries ?? STARTER_LIBRARIES, precheck: null };
    for (const resource of RESOURCES) await app.register(resource(ctx));
  };
}

/** The audit area's server plugin (prefix /api/v1/audit). */
export function auditPlugin(options: AuditPluginOptions = {}): ServerPlugin {
  return { name: "audit", plugin: routes(options), prefix: "/api/v1/audit" };
}
