/**
 * 访问控制 (access control) for every route under /api: session cookie → user, CSRF token and Origin
 * check on state-changing requests, role check, and hospital scoping. Registered at the root
 * (non-encapsulated), so its hooks run for the built-in intake routes and for every other area's
 * plugin too. A route states its policy in `config.access`; the intake routes, which do not, get theirs
 * from `BUILTIN_ACCESS`; a route with no policy is closed to hospital accounts (deny by default).
 *
 * Hospital scoping kinds:
 * - `query`: the `hospital` query parameter is forced to the user's hospital (another one → 403);
 * - `setlId`: the `:setlId` parameter must be a list of the user's hospital (else 404, as if absent);
 * - `envelopes`: every posted 4101 envelope must carry the user's `fixmedins_code` (else 403);
 * - `handler`: the handler scopes its own query with `request.consoleUser`;
 * - `none`: the route reads no hospital data.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import {
  type ActiveSession,
  DEFAULT_SESSION_POLICY,
  lookupSession,
  type SessionPolicy,
  type SessionUser,
  sameSecret,
} from "./accounts.js";
import { recordOperation } from "./oplog.js";
import type { ConsoleDb, Role } from "./schema.js";

export type HospitalScope = "query" | "setlId" | "envelopes" | "handler" | "none";

export interface RouteAccess {
  /** Roles allowed; `public` routes need no session (login). */
  readonly roles: readonly Role[] | "public";
  readonly scope: HospitalScope;
  /** Operation-log action name for state-changing requests. */
  readonly action?: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    consoleUser: SessionUser | null;
    consoleSession: ActiveSession | null;
    /** Details for the operation log entry of this request. */
    oplogDetail: Record<string, unknown> | null;
  }
}

const ALL: readonly Role[] = ["bureau", "hospital", "reviewer", "admin"];

/** Policies of the built-in intake routes of @yibao/server (method + route pattern). */
export const BUILTIN_ACCESS: Readonly<Record<string, RouteAccess>> = {
  "GET /api/v1/settlement-lists": { roles: ALL, scope: "query" },
  "POST /api/v1/settlement-lists": {
    roles: ["hospital", "bureau", "admin"],
    scope: "envelopes",
    action: "上传结算清单",
  },
  "GET /api/v1/settlement-lists/:setlId": { roles: ALL, scope: "setlId" },
  "GET /api/v1/qc/indicators": { roles: ALL, scope: "query" },
};

export const SESSION_COOKIE = "yibao_sid";
export const CSRF_HEADER = "x-csrf-token";

function routeKey(request: FastifyRequest): string | null {
  const url = request.routeOptions.url;
  if (url === undefined) return null;
  const path = url.length > 1 && url.endsWith("/") ? url.slice(0, -1) : url;
  return `${request.method === "HEAD" ? "GET" : request.method} ${path}`;
}

export function accessOf(request: FastifyRequest): RouteAccess | null {
  const configured = request.routeOptions.config?.access;
  if (configured) return configured;
  const key = routeKey(request);
  return key ? (BUILTIN_ACCESS[key] ?? null) : null;
}

function deny(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).send({ statusCode: status, code, error: code, message });
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Parses the cookie header without a plugin (only our cookie is read). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

function envelopeSetlId(e: unknown): string | undefined {
  const id = (e as { input?: { setlinfo?: { setl_id?: unknown } } } | null)?.input?.setlinfo?.setl_id;
  return typeof id === "string" ? id : undefined;
}

function envelopeHospital(e: unknown): string | undefined {
  const code = (e as { input?: { setlinfo?: { fixmedins_code?: unknown } } } | null)?.input?.setlinfo
    ?.fixmedins_code;
  return typeof code === "string" ? code : undefined;
}

export interface AccessOptions {
  readonly db: ConsoleDb;
  readonly sessionPolicy?: SessionPolicy;
  /** Called after a successful state-changing request to /api/v1/settlement-lists. */
  readonly onListsChanged?: () => void;
}

/** The root-level access plugin. */
export function accessPlugin(options: AccessOptions): FastifyPluginAsync {
  const { db } = options;
  const policy = options.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    app.decorateRequest("consoleUser", null);
    app.decorateRequest("consoleSession", null);
    app.decorateRequest("oplogDetail", null);

    app.addHook("onRequest", async (request, reply) => {
      if (!request.url.startsWith("/api/") && request.url !== "/api") return;
      const access = accessOf(request);
      if (access?.roles === "public") return;
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = token ? await lookupSession(db, token, policy) : undefined;
      if (!session) return deny(reply, 401, "UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
      request.consoleUser = session.user;
      request.consoleSession = session;
      if (!SAFE.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (typeof header !== "string" || !sameSecret(header, session.csrfToken)) {
          return deny(reply, 403, "CSRF", "请求缺少有效的防跨站令牌（X-CSRF-Token），请刷新页面后重试");
        }
        const origin = request.headers.origin;
        if (origin !== undefined && origin !== "null") {
          let host: string | null = null;
          try {
            host = new URL(origin).host;
          } catch {
            host = null;
          }
          if (host !== request.headers.host) return deny(reply, 403, "CSRF", "请求来源与服务器不一致");
        }
      }
      const user = session.user;
      if (!access) {
        if (request.routeOptions.url === undefined) return; // 404 for a signed-in user
        if (user.role === "hospital") return deny(reply, 403, "FORBIDDEN", "该接口未对医院账号开放");
        return;
      }
      if (!access.roles.includes(user.role)) return deny(reply, 403, "FORBIDDEN", "当前角色无权访问该功能");
      if (user.role === "hospital" && access.scope === "query") {
        const q = (request.query ?? {}) as Record<string, unknown>;
        if (q.hospital !== undefined && q.hospital !== user.hospitalCode) {
          return deny(reply, 403, "FORBIDDEN", "医院账号只能查看本院数据");
        }
        q.hospital = user.hospitalCode;
        request.query = q;
      }
    });

    app.addHook("preHandler", async (request, reply) => {
      const user = request.consoleUser;
      if (!user || user.role !== "hospital") return;
      const access = accessOf(request);
      if (!access) return;
      if (access.scope === "setlId") {
        const setlId = (request.params as { setlId?: string }).setlId ?? "";
        const row = await db
          .selectFrom("settlement_list")
          .select("hospital_code")
          .where("setl_id", "=", setlId)
          .executeTakeFirst();
        // The list's history and refused uploads are shown with it: every version must be the
        // hospital's own too.
        const foreign =
          row?.hospital_code === user.hospitalCode
            ? await db
                .selectFrom("settlement_list_history")
                .select("version")
                .where("setl_id", "=", setlId)
                .where("hospital_code", "<>", user.hospitalCode ?? "")
                .union(
                  db
                    .selectFrom("refused_upload")
                    .select("kept_version as version")
                    .where("setl_id", "=", setlId)
                    .where("hospital_code", "<>", user.hospitalCode ?? ""),
                )
                .limit(1)
                .executeTakeFirst()
            : undefined;
        if (!row || row.hospital_code !== user.hospitalCode || foreign) {
          return deny(reply, 404, "NOT_FOUND", `结算清单不存在：setl_id=${setlId}`);
        }
      } else if (access.scope === "envelopes") {
        const body = request.body;
        const envelopes = Array.isArray(body) ? body : [body];
        const bad = envelopes.findIndex((e) => envelopeHospital(e) !== user.hospitalCode);
        if (bad >= 0) {
          return deny(
            reply,
            403,
            "FORBIDDEN",
            `第 ${bad + 1} 份清单的定点医药机构编号（${envelopeHospital(envelopes[bad]) ?? "空"}）不是本院（${user.hospitalCode}），医院账号只能上传本院清单`,
          );
        }
        // A re-upload replaces the stored list and moves it to history: a hospital may never replace
        // (and then read) another hospital's list by reusing its setl_id.
        const ids = [...new Set(envelopes.map(envelopeSetlId).filter((x): x is string => Boolean(x)))];
        if (
          ids.length > 0 &&
          access.scope === "envelopes" &&
          routeKey(request)?.startsWith("POST /api/v1/settlement-lists")
        ) {
          const taken = await db
            .selectFrom("settlement_list")
            .select("setl_id")
            .where("setl_id", "in", ids)
            .where("hospital_code", "<>", user.hospitalCode ?? "")
            .limit(1)
            .executeTakeFirst();
          if (taken) {
            return deny(
              reply,
              403,
              "FORBIDDEN",
              `结算清单 ${taken.setl_id} 已由其他医院上传，医院账号只能上传或更正本院清单`,
            );
          }
        }
      }
    });

    // Every state-changing request is written to the operation log with its outcome.
    app.addHook("onResponse", async (request, reply) => {
      if (SAFE.has(request.method) || !request.url.startsWith("/api/")) return;
      const access = accessOf(request);
      if (access?.roles === "public") return; // login records itself
      const user = request.consoleUser;
      if (!user) return; // refused before authentication: nothing changed
      const detail: Record<string, unknown> = { ...(request.oplogDetail ?? {}) };
      if (routeKey(request) === "POST /api/v1/settlement-lists" && detail.setlIds === undefined) {
        const body = request.body;
        const envelopes = Array.isArray(body) ? body : body ? [body] : [];
        detail.setlIds = envelopes
          .slice(0, 50)
          .map(
            (e) => (e as { input?: { setlinfo?: { setl_id?: unknown } } })?.input?.setlinfo?.setl_id ?? null,
          );
        detail.count = envelopes.length;
        if (reply.statusCode < 300) options.onListsChanged?.();
      }
      await recordOperation(db, {
        user,
        action: access?.action ?? `${request.method} ${request.routeOptions.url ?? request.url}`,
        target: request.url.slice(0, 300),
        detail,
        statusCode: reply.statusCode,
        ip: request.ip,
      }).catch((err) => request.log.error({ err }, "操作日志写入失败"));
    });
  };
  // Non-encapsulated: the hooks apply to every route of the application.
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for("skip-override")] = true;
  return plugin;
}
