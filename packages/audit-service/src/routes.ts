/**
 * 智能审核接口 (audit API) under /api/v1/audit: a registry of one plugin per resource (`routes/`):
 * runs and the rule base in force, findings with both settlements and the trail, the case workflow
 * (申诉 → 复核 → 扣款), the pre-upload check (事前审核) for hospital systems and the physician
 * profile, and the rule and knowledge base editions (published as JSON; the rule base as Excel too,
 * `routes/rule-base-excel.ts`). Every bad request is a 4xx with a Chinese message; every route states
 * who may call it.
 *
 * The acting user is the principal the server's access layer authenticated (`request.principal`).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { editionRoutes, type ServerPlugin } from "@yibao/server";
import { type AuditLibraries, STARTER_LIBRARIES } from "./context.js";
import { AuditLibraryBook } from "./library-editions.js";
import { caseRoutes } from "./routes/cases.js";
import { findingRoutes } from "./routes/findings.js";
import { precheckRoutes } from "./routes/precheck.js";
import { profileRoutes } from "./routes/profile.js";
import { ruleBaseExcelRoutes } from "./routes/rule-base-excel.js";
import { runRoutes } from "./routes/runs.js";
import type { AuditRouteContext } from "./routes/shared.js";

export { actorOf } from "./routes/shared.js";

export interface AuditPluginOptions {
  /** The built-in editions with a region pack's (default: the built-in ones). */
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
    // The rule and knowledge bases: the pack's (or built-in) and those the bureau published since.
    const book = new AuditLibraryBook(
      app.yibao.store.db,
      options.libraries ?? STARTER_LIBRARIES,
      options.libraries !== undefined,
    );
    await book.load();
    let seen = book.libraries;
    const ctx: AuditRouteContext = {
      get libraries() {
        return book.libraries;
      },
      book,
      precheck: null,
    };
    // Editions published by another process are taken up within a second; the pre-upload check's
    // cached context was built on the old ones and is dropped.
    app.addHook("onRequest", async () => {
      await book.refreshIfStale();
      if (book.libraries !== seen) {
        seen = book.libraries;
        ctx.precheck = null;
      }
    });
    editionRoutes(app, "/rule-bases", book.rulesShelf);
    editionRoutes(app, "/knowledge-bases", book.knowledgeShelf);
    await app.register(ruleBaseExcelRoutes(book.rulesShelf));
    for (const resource of RESOURCES) await app.register(resource(ctx));
  };
}

/** The audit area's server plugin (prefix /api/v1/audit). */
export function auditPlugin(options: AuditPluginOptions = {}): ServerPlugin {
  return { name: "audit", plugin: routes(options), prefix: "/api/v1/audit" };
}
