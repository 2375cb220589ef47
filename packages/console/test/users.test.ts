/**
 * 账号管理 by the administrator: a hospital account only for a registered hospital, initial passwords
 * that must be changed at first sign-in, and a password reset that ends the account's sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleTestServer, consoleTestServer, HOSPITALS, type Session, signIn } from "./helpers.js";

let s: ConsoleTestServer;
let admin: Session;

beforeAll(async () => {
  s = await consoleTestServer(2);
  admin = await signIn(s.app, "admin");
});

afterAll(async () => {
  await s?.close();
});

const asAdmin = (method: "GET" | "POST", url: string, payload?: object) =>
  s.app.inject({
    method,
    url,
    headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf },
    ...(payload ? { payload } : {}),
  });

const login = (username: string, password: string) =>
  s.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } });

describe("account administration", () => {
  it("refuses a hospital account for a hospital code that is not registered", async () => {
    const r = await asAdmin("POST", "/api/v1/console/users", {
      username: "ghost-hosp",
      displayName: "不存在的医院",
      role: "hospital",
      hospitalCode: "H99999999999",
      password: "Kp7#mZ2q!Rw4-h",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe("医院编码不存在：H99999999999，请先确认医院已登记");
    const list = (await asAdmin("GET", "/api/v1/console/users")).json() as { rows: { username: string }[] };
    expect(list.rows.map((u) => u.username)).not.toContain("ghost-hosp");
  });

  it("creates a hospital account for a registered hospital; its first sign-in must change the password", async () => {
    const r = await asAdmin("POST", "/api/v1/console/users", {
      username: "new-hosp",
      displayName: "新医院账号",
      role: "hospital",
      hospitalCode: HOSPITALS[2].code,
      password: "Kp7#mZ2q!Rw4-i",
    });
    expect(r.statusCode).toBe(201);
    const signedIn = await login("new-hosp", "Kp7#mZ2q!Rw4-i");
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().mustChangePassword).toBe(true);
  });

  it("refuses a password that contains the username", async () => {
    const r = await asAdmin("POST", "/api/v1/console/users", {
      username: "liuyang",
      displayName: "刘洋",
      role: "reviewer",
      password: "Liuyang#2024x",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe("密码不能包含用户名");
  });

  it("resets a password: a new one shown once, every session of the account ended, to change at sign-in", async () => {
    const reviewer = await signIn(s.app, "reviewer");
    const id = (
      (await asAdmin("GET", "/api/v1/console/users")).json() as { rows: { id: number; username: string }[] }
    ).rows.find((u) => u.username === "reviewer")?.id;
    const r = await asAdmin("POST", `/api/v1/console/users/${id}/password`);
    expect(r.statusCode).toBe(200);
    const { username, password } = r.json() as { username: string; password: string };
    expect(username).toBe("reviewer");
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const me = await s.app.inject({ url: "/api/v1/auth/me", headers: { cookie: reviewer.cookie } });
    expect(me.statusCode).toBe(401);
    const again = await login("reviewer", password);
    expect(again.statusCode).toBe(200);
    expect(again.json().mustChangePassword).toBe(true);
    // The operation log names the reset, never the password.
    const log = await asAdmin("GET", "/api/v1/console/oplog?limit=5");
    const entry = (log.json() as { rows: { action: string; detail: unknown }[] }).rows.find(
      (l) => l.action === "重置密码",
    );
    expect(entry?.detail).toEqual({ userId: id, username: "reviewer" });
    expect(JSON.stringify(log.json())).not.toContain(password);
    const own = await asAdmin(
      "POST",
      `/api/v1/console/users/${(await s.app.inject({ url: "/api/v1/auth/me", headers: { cookie: admin.cookie } })).json().user.id}/password`,
    );
    expect(own.statusCode).toBe(400);
  });
});
