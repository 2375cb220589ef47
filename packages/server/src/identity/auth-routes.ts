/**
 * 登录与会话 under /api/v1/auth: sign in, sign out, who am I, change one's own password.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { verify } from "@node-rs/argon2";
import { Type } from "typebox";
import { HttpError } from "../errors.js";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import { SESSION_COOKIE } from "./access.js";
import { hashPassword, login, logout, passwordProblem, type SessionPolicy } from "./accounts.js";
import { recordOperation } from "./oplog.js";
import { type IdentityDb, ROLE_NAMES } from "./tables.js";

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

export function authRoutes(options: AuthRouteOptions): FastifyPluginAsyncTypebox {
  const { db, sessionPolicy } = options;
  return async (app) => {
    const secure = (protocol: string) => options.secureCookie || protocol === "https";

    app.post(
      "/login",
      {
        config: routeAccess("public", "none"),
        schema: {
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 60 }),
              password: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const result = await login(db, username, password, sessionPolicy);
        if (!result.ok) {
          await recordOperation(db, {
            user: null,
            username,
            action: "登录失败",
            target: "POST /api/v1/auth/login",
            detail: { reason: result.reason },
            statusCode: 401,
            ip: request.ip,
          });
          // One answer whatever the reason, so that nobody learns which accounts exist, are
          // disabled or locked; the operation log keeps the reason.
          throw new HttpError(401, "LOGIN_FAILED", LOGIN_FAILED_MESSAGE);
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

    app.get("/me", { config: SELF }, async (request) => {
      const user = request.principal!;
      return {
        user: {
          id: user.id,
          username: user.username,
          displayName: user.displayName,
          role: user.role,
          hospitalCode: user.hospitalCode,
          roleName: ROLE_NAMES[user.role],
        },
        csrfToken: request.authSession?.csrfToken ?? null,
        mustChangePassword: user.mustChangePassword,
      };
    });

    app.post(
      "/password",
      {
        config: { access: { ...SELF.access, action: "修改本人密码" } },
        schema: {
          body: Type.Object(
            { oldPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const user = request.principal!;
        if (user.via !== "session") throw new HttpError(403, "FORBIDDEN", "机构接口密钥不能修改密码");
        const row = await db
          .selectFrom("console_user")
          .select("password_hash")
          .where("id", "=", user.id)
          .executeTakeFirstOrThrow();
        if (!(await verify(row.password_hash, request.body.oldPassword).catch(() => false))) {
          throw new HttpError(400, "INVALID_PASSWORD", "原密码不正确");
        }
        const problem = passwordProblem(request.body.newPassword, user.username);
        if (problem) throw new HttpError(400, "WEAK_PASSWORD", problem);
        await db
          .updateTable("console_user")
          .set({
            password_hash: await hashPassword(request.body.newPassword),
            must_change_password: false,
            updated_at: new Date(),
          })
          .where("id", "=", user.id)
          .execute();
        return { ok: true };
      },
    );
  };
}
