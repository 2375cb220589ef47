/**
 * 访问控制 (access control), part of the server core and installed by `buildServer` on every
 * application: deny by default, decided on the route Fastify matched, never on URL text.
 *
 * - At start-up every route must declare its policy in its own options (`config.access`, see
 *   `routeAccess`); a route without one, or with a malformed one, stops the server from starting.
 * - On each request the policy of the matched route (`request.routeOptions.config.access`) decides:
 *   public routes pass; every other needs a principal — a console session (cookie, with its CSRF token
 *   and same-origin check on changes) or a hospital system's signed request (`machine` routes only).
 *   No identity is ever taken from a header the caller chose.
 * - Roles are checked, then the hospital scope: `query` forces the `hospital` parameter, `setlId`
 *   checks the list's owner, `envelopes` every posted envelope's institution, `handler` leaves it to
 *   the handler (which must read `request.principal`).
 * - Every state-changing request by a principal is written to the operation log with its outcome.
 */
import fastifyCookie from "@fastify/cookie";
import type { AsTables, UploadJournal } from "@yibao/store";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { ErrorCode } from "../error-catalogue.js";
import { HttpError, sendError } from "../errors.js";
import { refuseWhileNotReady } from "../readiness.js";
import { policyProblem, type RouteAccess } from "../route-access.js";
import {
  type ActiveSession,
  DEFAULT_SESSION_POLICY,
  lookupSession,
  type SessionPolicy,
  type SessionUser,
  sameSecret,
} from "./accounts.js";
import { recordOperation } from "./oplog.js";
import type { IdentityDb, IdentityTables } from "./tables.js";

/** Who is calling: a person signed in to the console, or a hospital system with its API key. */
export interface Principal extends SessionUser {
  /** `session`: a console session cookie; `apiKey`: a request signed with an institution's API key. */
  readonly via: "session" | "apiKey";
  /** The API key id (`apiKey` only). */
  readonly keyId?: string;
  /** A generated password is still to be changed: only `beforePasswordChange` routes are open. */
  readonly mustChangePassword: boolean;
}

/** A way of proving identity besides the session cookie (e.g. signed requests with an API key). */
export interface Authenticator {
  /** Whether the request carries this kind of credential (then no other kind is tried). */
  claims(request: FastifyRequest): boolean;
  /** The principal, or an `HttpError` (401/403) naming what is wrong. */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Called after the response of a request it authenticated (e.g. to log the key's use). */
  onResponse?(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** One served route with its policy (what the access tests walk). */
export interface RoutePolicy {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
  /** The route's request schemas (JSON Schema), for tests that build valid requests of every route. */
  readonly schema: { readonly body?: unknown; readonly querystring?: unknown; readonly params?: unknown };
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null on public routes. */
    principal: Principal | null;
    /** The console session behind `principal` (cookie sign-in only). */
    authSession: ActiveSession | null;
    /** Details for the operation log entry of this request. */
    oplogDetail: Record<string, unknown> | null;
    /** Operation-log rows were written with the lists this request stored, in their transactions. */
    oplogJournaled: boolean;
  }
  interface FastifyInstance {
    /** Every route the application serves, with its access policy (HEAD routes left out). */
    routePolicies: RoutePolicy[];
  }
}

export const SESSION_COOKIE = "yibao_sid";
export const CSRF_HEADER = "x-csrf-token";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export interface AccessControlOptions {
  readonly db: IdentityDb;
  readonly sessionPolicy?: SessionPolicy;
  /** Further authenticators, tried before the session cookie when they claim a request. */
  readonly authenticators?: readonly Authenticator[];
}

function deny(reply: FastifyReply, code: ErrorCode, message: string) {
  return sendError(reply, code, message);
}

/** The policy of the route this request matched, or undefined when it matched none (a 404). */
export function accessOf(request: FastifyRequest): RouteAccess | undefined {
  if (request.routeOptions.url === undefined) return undefined;
  return request.routeOptions.config?.access;
}

function routePattern(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? "";
  return url.length > 1 && url.endsWith("/") ? url.slice(0, -1) : url;
}

/** The matched route with its parameters filled in: what a log line names (never the raw URL text). */
export function requestTarget(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const path = routePattern(request).replace(/:([A-Za-z0-9_]+)|\*/g, (m, name: string | undefined) => {
    const v = params[name ?? "*"];
    return typeof v === "string" ? v : m;
  });
  return `${request.method} ${path}`.slice(0, 300);
}

function envelopeField(e: unknown, field: "setl_id" | "fixmedins_code"): unknown {
  return (e as { input?: { setlinfo?: Record<string, unknown> } } | null)?.input?.setlinfo?.[field];
}

/**
 * The caller of a route that is not public (the access hook set it before the handler ran); an
 * `HttpError` 401 if a handler of a public route asks for it.
 */
export function requirePrincipal(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === null) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  return principal;
}

function principalOf(session: ActiveSession): Principal {
  return { ...session.user, via: "session", mustChangePassword: session.mustChangePassword };
}

function checkOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === "null") return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Deny by default: a route that does not declare who may call it is a programming error, found at start. */
function recordRoutePolicy(app: FastifyInstance, route: RouteOptions): void {
  const access = (route.config as { access?: unknown } | undefined)?.access;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const problem = policyProblem(access);
  if (problem) throw new Error(`路由 ${methods.join(",")} ${route.url} ${problem}，服务拒绝启动`);
  for (const method of methods) {
    if (method === "HEAD") continue;
    const url = route.url.length > 1 && route.url.endsWith("/") ? route.url.slice(0, -1) : route.url;
    if (app.routePolicies.some((r) => r.method === method && r.url === url)) continue;
    const schema = (route.schema ?? {}) as RoutePolicy["schema"];
    app.routePolicies.push({
      method,
      url,
      access: access as RouteAccess,
      schema: { body: schema.body, querystring: schema.querystring, params: schema.params },
    });
  }
}

/**
 * Who is calling: a machine authenticator that claims the request (an API key), else the session
 * cookie with its CSRF token and origin on unsafe methods. A refusal is sent and null returned.
 */
async function authenticateCaller(
  request: FastifyRequest,
  reply: FastifyReply,
  access: RouteAccess,
  options: AccessControlOptions,
): Promise<Principal | null> {
  const machine = (options.authenticators ?? []).find((a) => a.claims(request));
  if (machine) {
    let principal: Principal;
    try {
      principal = await machine.authenticate(request);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      deny(reply, e.code, e.message);
      return null;
    }
    if (!access.machine) {
      deny(reply, "FORBIDDEN", "该接口不对机构接口密钥开放，请登录控制台操作");
      return null;
    }
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  const session = token
    ? await lookupSession(options.db, token, options.sessionPolicy ?? DEFAULT_SESSION_POLICY)
    : undefined;
  if (!session) {
    deny(reply, "UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
    return null;
  }
  if (!SAFE.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== "string" || !sameSecret(header, session.csrfToken)) {
      deny(reply, "CSRF", "请求缺少有效的防跨站令牌（X-CSRF-Token），请刷新页面后重试");
      return null;
    }
    if (!checkOrigin(request)) {
      deny(reply, "CSRF", "请求来源与服务器不一致");
      return null;
    }
  }
  request.authSession = session;
  return principalOf(session);
}

/** The matched route's policy applied to the caller: authentication, password change, role, query scope. */
async function checkAccess(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: AccessControlOptions,
): Promise<FastifyReply | undefined> {
  if (request.routeOptions.url === undefined) return; // no route matched: the not-found handler answers
  if (refuseWhileNotReady(app.yibao.readiness, request, reply)) return reply;
  const access = request.routeOptions.config?.access;
  if (!access) return deny(reply, "FORBIDDEN", "该接口未声明访问策略，拒绝访问");
  if (access.roles === "public") return;

  const principal = await authenticateCaller(request, reply, access, options);
  if (principal === null) return reply;
  request.principal = principal;
  if (principal.mustChangePassword && !access.beforePasswordChange) {
    return deny(reply, "PASSWORD_CHANGE_REQUIRED", "初始密码须先修改：请修改密码后再使用其他功能");
  }
  if (!access.roles.includes(principal.role)) {
    return deny(reply, "FORBIDDEN", "当前角色无权访问该功能");
  }
  // Deny by default: a hospital account must name its hospital, or no scope below could hold it.
  if (principal.role === "hospital" && !principal.hospitalCode) {
    return deny(reply, "FORBIDDEN", "医院账号未关联医疗机构，无权访问");
  }
  if (principal.role === "hospital" && access.scope === "query") {
    const q = (request.query ?? {}) as Record<string, unknown>;
    if (q.hospital !== undefined && q.hospital !== principal.hospitalCode) {
      return deny(reply, "FORBIDDEN", "医院账号只能查看本院数据");
    }
    q.hospital = principal.hospitalCode;
    request.query = q;
  }
}

/**
 * Scope `setlId`: the list a hospital names must be its own, and so must every version of it (its
 * history and refused uploads are shown with it); otherwise it does not exist for the caller.
 */
async function checkListScope(
  db: IdentityDb,
  request: FastifyRequest,
  reply: FastifyReply,
  own: string,
): Promise<FastifyReply | undefined> {
  const setlId = (request.params as { setlId?: unknown }).setlId;
  const row =
    typeof setlId === "string"
      ? await db
          .selectFrom("settlement_list")
          .select("hospital_code")
          .where("setl_id", "=", setlId)
          .executeTakeFirst()
      : undefined;
  const foreign =
    row?.hospital_code === own
      ? await db
          .selectFrom("settlement_list_history")
          .select("version")
          .where("setl_id", "=", setlId as string)
          .where("hospital_code", "<>", own)
          .union(
            db
              .selectFrom("refused_upload")
              .select("kept_version as version")
              .where("setl_id", "=", setlId as string)
              .where("hospital_code", "<>", own),
          )
          .limit(1)
          .executeTakeFirst()
      : undefined;
  if (!row || row.hospital_code !== own || foreign) {
    return deny(reply, "NOT_FOUND", `结算清单不存在：setl_id=${String(setlId ?? "")}`);
  }
}

/**
 * Scope `envelopes`: every uploaded message must name the caller's hospital, and on the upload
 * route no `setl_id` may belong to another hospital already. A quick answer for the plain case;
 * the store checks the owner again inside the transaction that writes, where no race can pass.
 */
async function checkUploadScope(
  db: IdentityDb,
  request: FastifyRequest,
  reply: FastifyReply,
  own: string,
): Promise<FastifyReply | undefined> {
  const body = request.body;
  const envelopes = Array.isArray(body) ? body : [body];
  const bad = envelopes.findIndex((e) => envelopeField(e, "fixmedins_code") !== own);
  if (bad >= 0) {
    const code = envelopeField(envelopes[bad], "fixmedins_code");
    return deny(
      reply,
      "FORBIDDEN",
      `第 ${bad + 1} 份清单的定点医药机构编号（${typeof code === "string" ? code : "空"}）不是本院（${own}），医院账号只能上传本院清单`,
    );
  }
  const ids = [
    ...new Set(
      envelopes.map((e) => envelopeField(e, "setl_id")).filter((x): x is string => typeof x === "string"),
    ),
  ];
  if (ids.length === 0 || routePattern(request) !== "/api/v1/settlement-lists") return;
  const taken = await db
    .selectFrom("settlement_list")
    .select("setl_id")
    .where("setl_id", "in", ids)
    .where("hospital_code", "<>", own)
    .limit(1)
    .executeTakeFirst();
  if (taken) {
    return deny(
      reply,
      "FORBIDDEN",
      `结算清单 ${taken.setl_id} 已由其他医院上传，医院账号只能上传或更正本院清单`,
    );
  }
}

/** After the response: the API key's use, and the operation log of every change (and of every key call). */
async function recordRequest(
  db: IdentityDb,
  authenticators: readonly Authenticator[],
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const user = request.principal;
  if (!user) return; // public, or refused before authentication: nothing changed
  const machine = user.via === "apiKey" ? authenticators.find((a) => a.claims(request)) : undefined;
  if (machine?.onResponse) {
    await machine
      .onResponse(request, reply)
      .catch((err) => request.log.error({ err }, "接口密钥使用记录失败"));
  }
  if (SAFE.has(request.method) && user.via !== "apiKey") return;
  // The uploads' own transactions logged them (see `uploadJournal`); a row here would be a second one.
  if (request.oplogJournaled && Number(request.oplogDetail?.stored ?? 0) > 0) return;
  const access = accessOf(request);
  await recordOperation(db, {
    user,
    action: access?.action ?? requestTarget(request),
    target: requestTarget(request),
    detail: { ...(request.oplogDetail ?? {}), ...(user.keyId ? { keyId: user.keyId } : {}) },
    statusCode: reply.statusCode,
    ip: request.ip,
  }).catch((err) => request.log.error({ err }, "操作日志写入失败"));
}

/** Installs access control on the root instance: called by `buildServer` before any route exists. */
export async function installAccessControl(
  app: FastifyInstance,
  options: AccessControlOptions,
): Promise<void> {
  const { db } = options;
  await app.register(fastifyCookie);
  app.decorateRequest("principal", null);
  app.decorateRequest("authSession", null);
  app.decorateRequest("oplogDetail", null);
  app.decorateRequest("oplogJournaled", false);
  app.decorate("routePolicies", [] as RoutePolicy[]);

  app.addHook("onRoute", (route) => recordRoutePolicy(app, route));
  app.addHook("onRequest", async (request, reply) => checkAccess(app, request, reply, options));
  // A hospital reaches only its own lists and uploads only its own.
  app.addHook("preHandler", async (request, reply) => {
    const user = request.principal;
    // A hospital principal without a hospital code was refused on request (checkAccess).
    if (user?.role !== "hospital" || user.hospitalCode === null) return;
    const scope = accessOf(request)?.scope;
    const own = user.hospitalCode;
    if (scope === "setlId") return checkListScope(db, request, reply, own);
    if (scope === "envelopes") return checkUploadScope(db, request, reply, own);
  });
  app.addHook("onResponse", async (request, reply) =>
    recordRequest(db, options.authenticators ?? [], request, reply),
  );
}

/**
 * The operation-log entry of an upload request, written in the same transaction as the lists it
 * stores (one row per transaction, naming the lists that transaction committed): no list is ever
 * committed without its log row.
 */
export function uploadJournal(
  request: FastifyRequest,
  /** Further detail for every row (e.g. that it was a history import, and the upload-time sources). */
  extra?: Record<string, unknown>,
): UploadJournal {
  return {
    async write(trx, outcomes) {
      const user = request.principal;
      if (!user) return;
      // The list transaction typed with the identity tables too (Kysely's withTables: no cast).
      await recordOperation(trx.withTables<AsTables<IdentityTables>>(), {
        user,
        action: accessOf(request)?.action ?? requestTarget(request),
        target: requestTarget(request),
        detail: {
          requestId: request.id,
          committed: outcomes.length,
          setlIds: outcomes.slice(0, 50).map((o) => o.setlId),
          outcomes: countBy(outcomes.map((o) => o.outcome)),
          ...(extra ?? {}),
          ...(user.keyId ? { keyId: user.keyId } : {}),
        },
        // A request that stored lists is answered 200 (the route answers otherwise only when none was).
        statusCode: 200,
        ip: request.ip,
      });
      request.oplogJournaled = true;
    },
  };
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
