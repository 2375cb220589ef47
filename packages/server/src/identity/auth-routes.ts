/**
 * 登录与会话 under /api/v1/auth: sign in, sign out, who am I, change one's own password.
 */
import rateLimit, { type CreateRateLimitOptions, normalizeIP } from "@fastify/rate-limit";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { verify } from "@node-rs/argon2";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { statusOf } from "../error-catalogue.js";
import { HttpError, sendError } from "../errors.js";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import { requirePrincipal, SESSION_COOKIE } from "./access.js";
import {
  login,
  logout,
  lookupSession,
  passwordProblem,
  type SessionPolicy,
  setPassword,
} from "./accounts.js";
import { recordOperation } from "./oplog.js";
import { type IdentityDb, ROLE_NAMES, type Role } from "./tables.js";

export interface AuthRouteOptions {
  readonly db: IdentityDb;
  readonly sessionPolicy: SessionPolicy;
  /** Adds `Secure` to the session cookie always (else only when the request came over TLS). */
  readonly secureCookie: boolean;
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${
    secure ? "; Secure" : ""
  }`;
}

/** The answer to every failed sign-in: wrong password, unknown, disabled or locked account alike. */
export const LOGIN_FAILED_MESSAGE = "用户名或密码错误，或账号暂不可用";

const SELF = routeAccess(PLATFORM_ROLES, "none", { beforePasswordChange: true });

/** The body of a sign-in (登录). */
const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 60 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
/** The body of a password change (修改本人密码). */
const PasswordBody = Type.Object(
  { oldPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

/** What the console is told of the signed-in user. */
function userView(user: {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  hospitalCode: string | null;
}) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    hospitalCode: user.hospitalCode,
    roleName: ROLE_NAMES[user.role],
  };
}

/**
 * Sign-in throttling, in memory: per client address (`request.ip`, which honours the trusted
 * proxy; IPv6 by its /64 network) and per username tried, whether it exists or not. The returned
 * check counts the attempt; it answers true when the attempt may go on, else it records the
 * refusal in the operation log and sends the 429.
 */
async function loginThrottle(app: FastifyInstance, db: IdentityDb, sessionPolicy: SessionPolicy) {
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => string) => {
    if (max <= 0) return null;
    const limiterOptions: CreateRateLimitOptions & { cache: number } = {
      max,
      timeWindow: sessionPolicy.loginWindowMs,
      keyGenerator: key,
      cache: 100_000,
    };
    return app.createRateLimit(limiterOptions);
  };
  const perAddress = limiter(sessionPolicy.loginsPerAddress, (r) => `address:${normalizeIP(r.ip)}`);
  const perAccount = limiter(
    sessionPolicy.loginsPerAccount,
    (r) => `account:${(r.body as { username: string }).username}`,
  );
  return async (request: FastifyRequest, reply: FastifyReply, username: string): Promise<boolean> => {
    for (const [limit, reason, message] of [
      [perAddress, "throttled-address", "本机登录尝试过于频繁"],
      [perAccount, "throttled-account", "该账号登录尝试过于频繁"],
    ] as const) {
      if (!limit) continue;
      const r = await limit(request);
      if (r.isAllowed || !r.isExceeded) continue;
      await recordOperation(db, {
        user: null,
        username,
        action: "登录失败",
        target: "POST /api/v1/auth/login",
        detail: { reason },
        statusCode: statusOf("TOO_MANY_LOGINS"),
        ip: request.ip,
      });
      const seconds = Math.max(1, r.ttlInSeconds);
      reply.header("retry-after", String(seconds));
      sendError(reply, "TOO_MANY_LOGINS", `${message}，请 ${seconds} 秒后再试`);
      return false;
    }
    return true;
  };
}

export function authRoutes(options: AuthRouteOptions): FastifyPluginAsyncTypebox {
  const { db, sessionPolicy } = options;
  return async (app) => {
    const secure = (protocol: string) => options.secureCookie || protocol === "https";
    const admitted = await loginThrottle(app, db, sessionPolicy);

    app.post(
      "/login",
      {
        config: routeAccess("public", "none"),
        bodyLimit: 4096,
        schema: { body: LoginBody },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        if (!(await admitted(request, reply, username))) return reply;
        const result = await login(db, username, password, sessionPolicy);
        if (!result.ok) {
          await recordOperation(db, {
            user: null,
            username,
            action: "登录失败",
            target: "POST /api/v1/auth/login",
            detail: { reason: result.reason },
            statusCode: statusOf("LOGIN_FAILED"),
            ip: request.ip,
          });
          // One answer whatever the reason, so that nobody learns which accounts exist, are
          // disabled or locked; the operation log keeps the reason.
          throw new HttpError("LOGIN_FAILED", LOGIN_FAILED_MESSAGE);
        }
        await recordOperation(db, {
          user: result.user,
          action: "登录",
          target: "POST /api/v1/auth/login",
          statusCode: 200,
          ip: request.ip,
        });
        reply.header(
          "set-cookie",
          sessionCookie(result.token, Math.floor(sessionPolicy.absoluteMs / 1000), secure(request.protocol)),
        );
        return {
          user: { ...result.user, roleName: ROLE_NAMES[result.user.role] },
          csrfToken: result.csrfToken,
          mustChangePassword: result.mustChangePassword,
        };
      },
    );

    app.post(
      "/logout",
      { config: { access: { ...SELF.access, action: "退出登录" } } },
      async (request, reply) => {
        if (request.authSession) await logout(db, request.authSession.tokenHash);
        reply.header("set-cookie", sessionCookie("", 0, secure(request.protocol)));
        return { ok: true };
      },
    );

    // Whether the browser is signed in, without an error when it is not: what the console asks on
    // every page load (a 401 there would be a console error in the browser before each sign-in).
    app.get("/session", { config: routeAccess("public", "none") }, async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await lookupSession(db, token, sessionPolicy) : undefined;
      if (!session) return { signedIn: false };
      return {
        signedIn: true,
        user: userView(session.user),
        csrfToken: session.csrfToken,
        mustChangePassword: session.mustChangePassword,
      };
    });

    app.get("/me", { config: SELF }, async (request) => {
      const user = requirePrincipal(request);
      return {
        user: userView(user),
        csrfToken: request.authSession?.csrfToken ?? null,
        mustChangePassword: user.mustChangePassword,
      };
    });

    app.post(
      "/password",
      {
        config: { access: { ...SELF.access, action: "修改本人密码" } },
        schema: { body: PasswordBody },
      },
      async (request) => {
        const user = requirePrincipal(request);
        if (user.via !== "session") throw new HttpError("FORBIDDEN", "机构接口密钥不能修改密码");
        const row = await db
          .selectFrom("console_user")
          .select("password_hash")
          .where("id", "=", user.id)
          .executeTakeFirstOrThrow();
        if (!(await verify(row.password_hash, request.body.oldPassword).catch(() => false))) {
          throw new HttpError("INVALID_PASSWORD", "原密码不正确");
        }
        if (request.body.newPassword === request.body.oldPassword)
          throw new HttpError("WEAK_PASSWORD", "新密码不能与原密码相同");
        const problem = passwordProblem(request.body.newPassword, user.username);
        if (problem) throw new HttpError("WEAK_PASSWORD", problem);
        // Every other session of the account ends: whoever held one must sign in with the new password.
        const ended = await setPassword(db, user.id, request.body.newPassword, {
          mustChange: false,
          ...(request.authSession ? { keepSession: request.authSession.tokenHash } : {}),
        });
        request.oplogDetail = { endedSessions: ended };
        return { ok: true, endedSessions: ended };
      },
    );
  };
}
