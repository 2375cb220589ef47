// Tests against the mutants of packages/server/src/identity/access.ts (issue 16, docs/mutation.md):
// start-up refusals, readiness, API keys, sessions with their CSRF token and origin, roles, the
// password-change gate and the hospital query scope, each refusal checked by status, code and
// message. The harness (access-app.ts) runs the real access layer over a fake identity database.
import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installAccessControl } from "../src/identity/access.js";
import { DEFAULT_SESSION_POLICY } from "../src/identity/accounts.js";
import { type Readiness, readyNow } from "../src/readiness.js";
import { routeAccess } from "../src/route-access.js";
import { type AccessApp, accessApp, H1, H2, HOST } from "./access-app.js";
import { fakeIdentityDb } from "./fake-identity-db.js";

// A fresh application per test (not per file): Stryker's per-test coverage must see the access
// layer installed inside each test, or it runs too few tests against its mutants.
let t: AccessApp;
beforeEach(async () => {
  t = await accessApp();
  t.fake.addSession({ token: "tok-bureau", csrf: "csrf-b", id: 1, role: "bureau", hospitalCode: null });
  t.fake.addSession({ token: "tok-hosp", csrf: "csrf-h", id: 2, role: "hospital", hospitalCode: H1 });
  t.fake.addSession({
    token: "tok-new",
    csrf: "csrf-n",
    id: 3,
    role: "bureau",
    hospitalCode: null,
    mustChangePassword: true,
  });
});
afterEach(async () => {
  await t.app.close();
});

const cookie = (token: string) => ({ cookie: `yibao_sid=${token}`, host: HOST });

describe("start-up", () => {
  it("refuses a route without a policy, naming method, URL and problem", async () => {
    const app = Fastify();
    app.decorate<{ readiness: Readiness }, string>("yibao", { readiness: readyNow() });
    await installAccessControl(app, { db: fakeIdentityDb().db });
    expect(() => app.get("/api/x", async () => "ok")).toThrow(
      "路由 GET /api/x 未声明访问策略（config.access），服务拒绝启动",
    );
    expect(() =>
      app.route({
        method: ["GET", "POST"],
        url: "/api/y",
        config: { access: { roles: [], scope: "none" } },
        handler: async () => "ok",
      }),
    ).toThrow("路由 GET,POST /api/y 访问策略的角色列表为空，服务拒绝启动");
    await app.close();
  });

  it("lists each served route once with its policy, without HEAD and trailing slash", async () => {
    const app = Fastify();
    app.decorate<{ readiness: Readiness }, string>("yibao", { readiness: readyNow() });
    await installAccessControl(app, { db: fakeIdentityDb().db });
    const config = routeAccess(["bureau"], "none");
    const schema = { querystring: { type: "object" } };
    app.get("/api/a/", { config, schema }, async () => "ok");
    app.get("/api/a", { config }, async () => "ok");
    app.post("/", { config }, async () => "ok");
    app.get("/api/c", { config }, async () => "ok");
    app.post("/api/a", { config }, async () => "ok");
    await app.ready();
    expect(app.routePolicies).toEqual([
      { method: "GET", url: "/api/a", access: config.access, schema: { querystring: schema.querystring } },
      { method: "POST", url: "/", access: config.access, schema: {} },
      { method: "GET", url: "/api/c", access: config.access, schema: {} },
      { method: "POST", url: "/api/a", access: config.access, schema: {} },
    ]);
    // Installed without authenticators: a request without credentials is refused, not failed.
    const r = await app.inject({ method: "GET", url: "/api/c" });
    expect(r.statusCode).toBe(401);
    await app.close();
  });
});

describe("the policy of the matched route", () => {
  it("answers public routes without credentials, and refuses a route with no policy", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const r = await t.app.inject({ method: "GET", url: "/api/undeclared", headers: cookie("tok-bureau") });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: "FORBIDDEN", message: "该接口未声明访问策略，拒绝访问" });
  });

  it("refuses a public route's handler that asks for the caller, and gives it on others", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/public-who" });
    expect(r.statusCode).toBe(401);
    expect(r.body).toContain("未登录或会话已过期，请重新登录");
    const who = await t.app.inject({ method: "GET", url: "/api/who", headers: cookie("tok-bureau") });
    expect(who.statusCode).toBe(200);
    expect(who.body).toBe("u1");
  });

  it("leaves a request that matched no route to the not-found handler", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/nope", headers: cookie("tok-bureau") });
    expect(r.statusCode).toBe(404);
  });

  it("answers 503 while starting or after a failed start, API routes only", async () => {
    t.readiness.state = "starting";
    t.readiness.step = "载入演示地区";
    try {
      const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-bureau") });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: "STARTING" });
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      t.readiness.state = "ready";
      t.readiness.step = "";
    }
  });

  it("refuses no credentials and an unknown session", async () => {
    for (const headers of [{}, cookie("tok-unknown"), { cookie: "yibao_sid=" }]) {
      const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: "UNAUTHENTICATED", message: "未登录或会话已过期，请重新登录" });
    }
  });

  it("lets a session through on a safe method, with its principal and session", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-bureau") });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.principal).toMatchObject({
      id: 1,
      role: "bureau",
      via: "session",
      mustChangePassword: false,
    });
    expect(body.session).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
    const head = await t.app.inject({ method: "HEAD", url: "/api/bureau", headers: cookie("tok-bureau") });
    expect(head.statusCode).toBe(200);
  });

  it("refuses the wrong role", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-hosp") });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: "FORBIDDEN", message: "当前角色无权访问该功能" });
  });

  it("holds a generated password to the routes open before its change", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-new") });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({
      code: "PASSWORD_CHANGE_REQUIRED",
      message: "初始密码须先修改：请修改密码后再使用其他功能",
    });
    const me = await t.app.inject({ method: "GET", url: "/api/me", headers: cookie("tok-new") });
    expect(me.statusCode).toBe(200);
    expect(me.json().principal).toMatchObject({ id: 3, mustChangePassword: true });
  });
});

describe("changes by a session: CSRF token and origin", () => {
  const post = (headers: Record<string, string>) =>
    t.app.inject({ method: "POST", url: "/api/change", headers: { ...cookie("tok-bureau"), ...headers } });

  it("refuses a missing or wrong token", async () => {
    const cases: Record<string, string>[] = [{}, { "x-csrf-token": "csrf-h" }, { "x-csrf-token": "" }];
    for (const headers of cases) {
      const r = await post(headers);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({
        code: "CSRF",
        message: "请求缺少有效的防跨站令牌（X-CSRF-Token），请刷新页面后重试",
      });
    }
  });

  it("refuses another origin or an unreadable one", async () => {
    for (const origin of ["https://evil.test", "not a url"]) {
      const r = await post({ "x-csrf-token": "csrf-b", origin });
      expect(r.statusCode, origin).toBe(403);
      expect(r.json()).toMatchObject({ code: "CSRF", message: "请求来源与服务器不一致" });
    }
  });

  it("accepts the token with the same origin, a null origin or none", async () => {
    const cases: Record<string, string>[] = [{ origin: `https://${HOST}` }, { origin: "null" }, {}];
    for (const extra of cases) {
      const r = await post({ "x-csrf-token": "csrf-b", ...extra });
      expect(r.statusCode, JSON.stringify(extra)).toBe(200);
    }
  });
});

describe("API keys", () => {
  const key = (k: string) => ({ "x-test-key": k, host: HOST });

  it("are refused on routes not open to them, before the role is checked", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/bureau", headers: key("bureau") });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({
      code: "FORBIDDEN",
      message: "该接口不对机构接口密钥开放，请登录控制台操作",
    });
  });

  it("pass on machine routes without a CSRF token, even with a session cookie", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/change",
      headers: { ...key(H1), cookie: "yibao_sid=tok-bureau" },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().principal).toMatchObject({ via: "apiKey", role: "hospital", hospitalCode: H1 });
    expect(r.json().session).toBeNull();
  });

  it("answer the authenticator's refusal, and fail on its errors", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/machine", headers: key("bad") });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: "UNAUTHENTICATED", message: "接口密钥无效" });
    const boom = await t.app.inject({ method: "GET", url: "/api/machine", headers: key("boom") });
    expect(boom.statusCode).toBe(500);
    // A fault of the authenticator goes to the error handler: no internals reach the caller, and
    // the error is logged with its cause.
    expect(boom.json()).toMatchObject({ code: "INTERNAL_ERROR" });
    expect(boom.body).not.toContain("认证服务故障");
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "请求处理失败");
    expect(line?.err?.message).toBe("认证服务故障");
  });
});

describe("hospital query scope", () => {
  it("forces the caller's hospital and refuses another", async () => {
    const other = await t.app.inject({
      method: "GET",
      url: `/api/q?hospital=${H2}`,
      headers: cookie("tok-hosp"),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: "FORBIDDEN", message: "医院账号只能查看本院数据" });
    for (const url of ["/api/q", `/api/q?hospital=${H1}`]) {
      const r = await t.app.inject({ method: "GET", url, headers: cookie("tok-hosp") });
      expect(r.statusCode, url).toBe(200);
      expect(r.json().query, url).toEqual({ hospital: H1 });
    }
  });

  it("leaves a hospital's query alone on routes of another scope", async () => {
    const r = await t.app.inject({
      method: "GET",
      url: `/api/me?hospital=${H2}`,
      headers: cookie("tok-hosp"),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().query).toEqual({ hospital: H2 });
  });

  it("leaves a bureau's query as it is", async () => {
    const r = await t.app.inject({
      method: "GET",
      url: `/api/q?hospital=${H2}`,
      headers: cookie("tok-bureau"),
    });
    expect(r.json().query).toEqual({ hospital: H2 });
    const none = await t.app.inject({ method: "GET", url: "/api/q", headers: cookie("tok-bureau") });
    expect(none.json().query).toEqual({});
  });

  it("applies to hospital API keys too", async () => {
    const r = await t.app.inject({
      method: "GET",
      url: `/api/q?hospital=${H2}`,
      headers: { "x-test-key": H1 },
    });
    // /api/q is not a machine route: the key is refused before the scope.
    expect(r.json().message).toBe("该接口不对机构接口密钥开放，请登录控制台操作");
  });
});

describe("the session policy", () => {
  it("extends a session's idle expiry by the configured idle time, not the default", async () => {
    // Idle expiry one hour away: the default 30-minute idle time would not extend it, a two-hour one does.
    const app = await accessApp({ ...DEFAULT_SESSION_POLICY, idleMs: 2 * 3_600_000 });
    app.fake.addSession(
      { token: "tok-long", csrf: "c", id: 5, role: "bureau", hospitalCode: null },
      3_600_000,
    );
    try {
      const r = await app.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-long") });
      expect(r.statusCode).toBe(200);
      expect(app.fake.queries.filter((q) => q.startsWith('update "console_session"'))).toHaveLength(1);
    } finally {
      await app.app.close();
    }
    // The default policy leaves it.
    t.fake.addSession(
      { token: "tok-short", csrf: "c", id: 6, role: "bureau", hospitalCode: null },
      3_600_000,
    );
    await t.app.inject({ method: "GET", url: "/api/bureau", headers: cookie("tok-short") });
    expect(t.fake.queries.filter((q) => q.startsWith('update "console_session"'))).toHaveLength(0);
  });
});
