/**
 * 审核运行与规则 (runs and rules): start an audit of a period, list the runs, the names the console
 * shows (violation types, case states, settlement categories, physician profile indicators) and the
 * rule and knowledge bases in force on a date.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CASE_STATE_NAMES, PROFILE_INDICATOR_NAMES, VIOLATION_TYPE_NAMES } from "@yibao/audit";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { CATEGORY_NAMES } from "@yibao/payment";
import { PLATFORM_ROLES, routeAccess } from "@yibao/server";
import { DATE_PATTERN } from "@yibao/server/query-schemas";
import { sql } from "kysely";
import { Type } from "typebox";
import { librariesAt } from "../context.js";
import { auditPeriod } from "../jobs.js";
import { dbOf, parsePeriods } from "../read.js";
import { lapseOverdueFindings } from "../workflow.js";
import { type AuditRouteContext, requireActor, toHttp } from "./shared.js";

const RunBody = Type.Object(
  { period: Type.String({ minLength: 4, maxLength: 20, description: "yyyy-MM、yyyy-MM..yyyy-MM 或 yyyy" }) },
  { additionalProperties: false },
);
const RulesQuery = Type.Object(
  { date: Type.Optional(Type.String({ pattern: DATE_PATTERN })) },
  { additionalProperties: false },
);

export function runRoutes(ctx: AuditRouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/runs",
      { config: routeAccess(["bureau", "admin"], "none", "运行智能审核"), schema: { body: RunBody } },
      async (request, reply) => {
        const actor = requireActor(request, ["bureau", "system"]);
        try {
          parsePeriods(request.body.period);
          const r = await auditPeriod({
            store: app.yibao.store,
            scheme: app.yibao.schemes,
            period: request.body.period,
            actor: actor.user,
            libraries: ctx.libraries,
          });
          ctx.precheck = null;
          return reply.code(201).send(r);
        } catch (e) {
          toHttp(e);
        }
      },
    );

    // 逾期处理: open 可疑 findings past their response deadline are decided as the rule base says.
    app.post(
      "/findings/lapse-overdue",
      { config: routeAccess(["bureau", "admin"], "none", "审核逾期处理") },
      async (request) => {
        requireActor(request, ["bureau", "system"]);
        try {
          const r = await lapseOverdueFindings({ store: app.yibao.store, libraries: ctx.libraries });
          request.oplogDetail = { open: r.open, lapsed: r.lapsed.length, skipped: r.skipped };
          return r;
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.get("/meta", { config: routeAccess([...PLATFORM_ROLES], "none") }, async () => ({
      violationTypes: VIOLATION_TYPE_NAMES,
      caseStates: CASE_STATE_NAMES,
      outcomes: ["明确违规", "可疑"],
      // The priced settlements' categories (结算类别), shown beside each finding.
      settlementCategories: CATEGORY_NAMES,
      // 医师画像's indicators (id → Chinese name), as the profile's values name them.
      profileIndicators: PROFILE_INDICATOR_NAMES,
    }));

    app.get("/runs", { config: routeAccess(["bureau", "reviewer", "admin"], "none") }, async () => {
      const r =
        await sql`SELECT run_id, period_from, period_to, rule_base_id, rule_base_version, knowledge_version,
          settlement_source, actor, started_at, finished_at, status, stays, history_stays, findings, errors, replaced,
          kept_decided, fund_loss_fen, error
        FROM audit_run ORDER BY run_id DESC LIMIT 200`.execute(dbOf(app.yibao.store));
      return { items: r.rows };
    });

    app.get(
      "/rules",
      { config: routeAccess([...PLATFORM_ROLES], "none"), schema: { querystring: RulesQuery } },
      async (request) => {
        // Today in China Standard Time, not UTC (before 08:00 UTC they differ by a day).
        const date = request.query.date ?? shanghaiDate(Date.now());
        try {
          const { rules, knowledge } = librariesAt(date, ctx.libraries);
          const edition = (b: {
            id: string;
            version: string;
            effectiveFrom: string;
            effectiveTo: string | null;
          }) => ({
            id: b.id,
            version: b.version,
            effectiveFrom: b.effectiveFrom,
            effectiveTo: b.effectiveTo,
          });
          return {
            date,
            // Every edition the deployment has (built-in, a region pack's, published), the one in force
            // marked, with who published it, when and why.
            editions: {
              ruleBases: ctx.libraries.ruleBases.map((b) => ({
                ...edition(b),
                rules: b.rules.length,
                enabled: b.rules.filter((r) => r.enabled).length,
                inForce: b === rules,
                ...ctx.book.rulesShelf.provenance(b),
              })),
              knowledgeBases: ctx.libraries.knowledgeBases.map((k) => ({
                ...edition(k),
                items: k.items.length,
                inForce: k === knowledge,
                ...ctx.book.knowledgeShelf.provenance(k),
              })),
            },
            ruleBase: rules,
            knowledgeBase: {
              id: knowledge.id,
              version: knowledge.version,
              effectiveFrom: knowledge.effectiveFrom,
              effectiveTo: knowledge.effectiveTo,
              sources: knowledge.sources,
            },
          };
        } catch (e) {
          toHttp(e);
        }
      },
    );
  };
}
