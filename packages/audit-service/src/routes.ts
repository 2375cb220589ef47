/**
 * 智能审核接口 (audit API) under /api/v1/audit: runs, findings with both settlements and the trail,
 * the case workflow (申诉 → 复核 → 扣款), the rule base in force, the pre-upload check (事前审核)
 * for hospital systems and the physician profile. Every bad request is a 4xx with a Chinese message.
 *
 * The acting user is the principal the server's access layer authenticated (`request.principal`).
 */

import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CASE_STATE_NAMES, type Role, VIOLATION_TYPE_NAMES, WorkflowError } from "@yibao/audit";
import { CATEGORY_NAMES } from "@yibao/payment";
import { HttpError, PLATFORM_ROLES, routeAccess, type ServerPlugin } from "@yibao/server";
import { DATE_PATTERN, OffsetParam, PERIOD_PATTERN } from "@yibao/server/query-schemas";
import type { Store } from "@yibao/store";
import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { Type } from "typebox";
import { type AuditLibraries, AuditServiceError, librariesAt, STARTER_LIBRARIES } from "./context.js";
import { auditPeriod } from "./jobs.js";
import { precheckContextCache, precheckMessage } from "./precheck.js";
import { readFindings, readProfile } from "./queries.js";
import { dbOf, parsePeriods } from "./read.js";
import { actOnFinding, type CaseActor, deductFinding, getCase, type StoredCase } from "./workflow.js";

const PERIOD = PERIOD_PATTERN;
const ROLES = PLATFORM_ROLES;

/** The acting user of a request: the principal the access layer authenticated, or null. */
export function actorOf(request: FastifyRequest): CaseActor | null {
  const u = request.principal;
  if (!u) return null;
  const wf: Role = u.role === "admin" ? "bureau" : u.role;
  return { user: u.username, role: wf, hospitalCode: wf === "hospital" ? u.hospitalCode : null };
}

function requireActor(request: FastifyRequest, allowed: readonly Role[]): CaseActor {
  const a = actorOf(request);
  if (a === null) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  if (!allowed.includes(a.role)) throw new HttpError("FORBIDDEN", "当前角色无权执行该操作");
  if (a.role === "hospital" && !a.hospitalCode) {
    throw new HttpError("NO_HOSPITAL", "医院账号未绑定定点医药机构");
  }
  return a;
}

/**
 * What the operation log records of a case action: the finding and its stays and hospital, the
 * deduction (fen) and the state, each before and after the action.
 */
function caseChange(before: StoredCase | undefined, after: StoredCase): Record<string, unknown> {
  const f = after.finding;
  const last = after.events[after.events.length - 1];
  return {
    findingId: f.finding_id,
    setlIds: f.setl_ids,
    hospitalCode: f.hospital_code,
    period: f.period,
    status: { before: before?.finding.status ?? last?.from ?? null, after: f.status },
    deductionFen: {
      before: before ? Number(before.finding.deduction_fen) : null,
      after: Number(f.deduction_fen),
    },
    ...(last?.clearingId ? { clearingId: last.clearingId } : {}),
  };
}

/** Runs a case action, recording the finding's state before and after it in the operation log. */
async function logged(
  request: FastifyRequest,
  store: Store,
  findingId: string,
  act: () => Promise<StoredCase>,
): Promise<StoredCase> {
  request.oplogDetail = { findingId };
  const before = await getCase(store, findingId);
  const after = await act();
  request.oplogDetail = caseChange(before, after);
  return after;
}

/** Turns domain errors into 4xx replies. */
function toHttp(e: unknown): never {
  if (e instanceof HttpError) throw e;
  if (e instanceof WorkflowError) {
    const forbidden = e.reason === "forbidden";
    throw new HttpError(forbidden ? "FORBIDDEN" : "INVALID_TRANSITION", e.message);
  }
  if (e instanceof AuditServiceError) throw new HttpError(e.code, e.message);
  if (e instanceof RangeError) throw new HttpError("INVALID_REQUEST", e.message);
  if (e instanceof Error && e.name === "PaymentInputError") throw new HttpError("PAYMENT_INPUT", e.message);
  if (e instanceof Error && e.name === "SettlementError")
    throw new HttpError("SETTLEMENT_ERROR", `无法按结算规则计算该清单：${e.message}`);
  throw e;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 500 }) });
const Evidence = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200 }), content: Type.String({ maxLength: 20_000 }) },
  { additionalProperties: false },
);

export interface AuditPluginOptions {
  readonly libraries?: AuditLibraries;
}

function routes(options: AuditPluginOptions): FastifyPluginAsyncTypebox {
  const libraries = options.libraries ?? STARTER_LIBRARIES;
  return async (app) => {
    let precheckCtx: ReturnType<typeof precheckContextCache> | null = null;

    app.post(
      "/runs",
      {
        config: routeAccess(["bureau", "admin"], "none", "运行智能审核"),
        schema: {
          body: Type.Object(
            {
              period: Type.String({
                minLength: 4,
                maxLength: 20,
                description: "yyyy-MM、yyyy-MM..yyyy-MM 或 yyyy",
              }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request, ["bureau", "system"]);
        try {
          parsePeriods(request.body.period);
          const r = await auditPeriod({
            store: app.yibao.store,
            scheme: app.yibao.scheme,
            period: request.body.period,
            actor: actor.user,
            libraries,
          });
          precheckCtx = null;
          return reply.code(201).send(r);
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.get("/meta", { config: routeAccess([...ROLES], "none") }, async () => ({
      violationTypes: VIOLATION_TYPE_NAMES,
      caseStates: CASE_STATE_NAMES,
      outcomes: ["明确违规", "可疑"],
      // The priced settlements' categories (结算类别), shown beside each finding.
      settlementCategories: CATEGORY_NAMES,
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
      "/findings",
      {
        config: routeAccess([...ROLES], "query"),
        schema: {
          querystring: Type.Object(
            {
              hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
              period: Type.Optional(Type.String({ pattern: PERIOD })),
              periodFrom: Type.Optional(Type.String({ pattern: PERIOD })),
              periodTo: Type.Optional(Type.String({ pattern: PERIOD })),
              type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
              status: Type.Optional(
                Type.Union(
                  ["open", "appealed", "upheld", "overturned", "deducted", "closed"].map((s) =>
                    Type.Literal(s),
                  ),
                ),
              ),
              outcome: Type.Optional(Type.Union([Type.Literal("明确违规"), Type.Literal("可疑")])),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
              offset: Type.Optional(OffsetParam()),
            },
            { additionalProperties: false },
          ),
        },
      },
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
        return readFindings(app.yibao.store, q);
      },
    );

    app.get(
      "/findings/:id",
      { config: routeAccess([...ROLES], "handler"), schema: { params: IdParams } },
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

    app.post(
      "/findings/:id/appeal",
      {
        config: routeAccess(["hospital"], "handler", "审核申诉"),
        schema: {
          params: IdParams,
          body: Type.Object(
            {
              statement: Type.String({ minLength: 1, maxLength: 5000 }),
              evidence: Type.Optional(Type.Array(Evidence, { maxItems: 50 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = requireActor(request, ["hospital"]);
        try {
          const c = await logged(request, app.yibao.store, request.params.id, () =>
            actOnFinding(
              app.yibao.store,
              request.params.id,
              { type: "appeal", statement: request.body.statement, evidence: request.body.evidence ?? [] },
              actor,
            ),
          );
          return { finding: c.finding, trail: c.events };
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.post(
      "/findings/:id/accept",
      { config: routeAccess(["hospital"], "handler", "认可审核结果"), schema: { params: IdParams } },
      async (request) => {
        const actor = requireActor(request, ["hospital"]);
        try {
          const c = await logged(request, app.yibao.store, request.params.id, () =>
            actOnFinding(app.yibao.store, request.params.id, { type: "accept" }, actor),
          );
          return { finding: c.finding, trail: c.events };
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.post(
      "/findings/:id/decision",
      {
        config: routeAccess(["reviewer"], "none", "审核复核决定"),
        schema: {
          params: IdParams,
          body: Type.Object(
            {
              decision: Type.Union([Type.Literal("upheld"), Type.Literal("overturned")]),
              reason: Type.String({ minLength: 1, maxLength: 5000 }),
              deductionFen: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = requireActor(request, ["reviewer"]);
        const b = request.body;
        try {
          const c = await logged(request, app.yibao.store, request.params.id, () =>
            actOnFinding(
              app.yibao.store,
              request.params.id,
              {
                type: "decide",
                decision: b.decision,
                reason: b.reason,
                ...(b.deductionFen !== undefined ? { deduction: b.deductionFen } : {}),
              },
              actor,
            ),
          );
          return { finding: c.finding, trail: c.events };
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.post(
      "/findings/:id/deduct",
      { config: routeAccess(["bureau", "admin"], "none", "审核扣款"), schema: { params: IdParams } },
      async (request) => {
        const actor = requireActor(request, ["bureau"]);
        try {
          const c = await logged(request, app.yibao.store, request.params.id, () =>
            deductFinding(app.yibao.store, request.params.id, actor),
          );
          return { finding: c.finding, trail: c.events };
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.get(
      "/rules",
      {
        config: routeAccess([...ROLES], "none"),
        schema: {
          querystring: Type.Object(
            { date: Type.Optional(Type.String({ pattern: DATE_PATTERN })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const date = request.query.date ?? new Date().toISOString().slice(0, 10);
        try {
          const { rules, knowledge } = librariesAt(date, libraries);
          return {
            date,
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

    app.post(
      "/precheck",
      {
        config: routeAccess(["hospital", "bureau", "admin"], "handler", { machine: true }),
        schema: {
          body: Type.Object(
            {
              message: Type.Object({}, { additionalProperties: true }),
              details: Type.Optional(
                Type.Array(
                  Type.Object({
                    code: Type.String(),
                    name: Type.String(),
                    category: Type.String(),
                    date: Type.String({ pattern: DATE_PATTERN }),
                    quantity: Type.Number({ minimum: 0 }),
                    unitPrice: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
                    amount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
                    chrgitmLv: Type.Optional(Type.String()),
                    ownPayAmount: Type.Optional(
                      Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
                    ),
                  }),
                  { maxItems: 20_000 },
                ),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const msg = request.body.message as { input?: { setlinfo?: { fixmedins_code?: unknown } } };
        if (
          actor?.role === "hospital" &&
          actor.hospitalCode &&
          msg.input?.setlinfo?.fixmedins_code !== actor.hospitalCode
        ) {
          throw new HttpError("FORBIDDEN", "医院账号只能预审本院的结算清单");
        }
        try {
          precheckCtx ??= precheckContextCache(app.yibao.store, app.yibao.scheme, libraries);
          const ctx = await precheckCtx();
          return await precheckMessage(
            app.yibao.store,
            app.yibao.scheme,
            ctx,
            request.body.message,
            request.body.details,
            actor?.role === "hospital" ? actor.hospitalCode : null,
          );
        } catch (e) {
          toHttp(e);
        }
      },
    );

    app.get(
      "/physicians/profile",
      {
        config: routeAccess(["bureau", "reviewer", "admin"], "none"),
        schema: {
          querystring: Type.Object(
            { period: Type.String({ minLength: 4, maxLength: 20 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        try {
          parsePeriods(request.query.period);
        } catch (e) {
          toHttp(e);
        }
        const p = await readProfile(app.yibao.store, request.query.period);
        if (p.profiles.length === 0) {
          throw new HttpError(
            "NO_PROFILE",
            `期号 ${request.query.period} 尚无医师画像：请先运行该期的智能审核`,
          );
        }
        return p;
      },
    );
  };
}

/** The audit area's server plugin (prefix /api/v1/audit). */
export function auditPlugin(options: AuditPluginOptions = {}): ServerPlugin {
  return { name: "audit", plugin: routes(options), prefix: "/api/v1/audit" };
}
