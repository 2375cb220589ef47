/**
 * GET /api/v1/auth/session: what the console asks on every page load. Not signed in is an ordinary
 * answer (200, signedIn false), so the browser logs no 401 before each sign-in; signed in, it tells
 * the caller about itself only, like /me.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type TestServer, testServer } from "./helpers.js";

describe("signed-in check", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer("pglite");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers 200 signedIn false without a session, or with an unknown one", async () => {
    for (const headers of [{}, { cookie: "yibao_sid=not-a-session" }]) {
      const r = await t.raw.inject({ method: "GET", url: "/api/v1/auth/session", headers });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ signedIn: false });
    }
  });

  it("names the signed-in caller, its role in Chinese and its CSRF token, as /me does", async () => {
    const headers = await signIn(t.raw, t.store, "reviewer");
    const session = await t.raw.inject({ method: "GET", url: "/api/v1/auth/session", headers });
    const me = await t.raw.inject({ method: "GET", url: "/api/v1/auth/me", headers });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ signedIn: true, ...me.json() });
    expect(session.json().user.roleName).toBe("审核员");
    expect(session.json().csrfToken).toBe(headers["x-csrf-token"]);
  });
});
