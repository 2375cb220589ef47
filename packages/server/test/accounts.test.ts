/**
 * Accounts (issue 10, security review): the password policy at its edges, the lock-out under
 * concurrency, one answer for every failed sign-in, throttling per address and per account, other
 * sessions ended by a password change, the first-login change of generated passwords, the Secure
 * cookie behind a trusted proxy, and the default listening address.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BuildServerOptions,
  buildServer,
  createUser,
  DEFAULT_SESSION_POLICY,
  ensureDemoAccounts,
  generatePassword,
  identityDb,
  identityMigrations,
  login,
  passwordProblem,
  resetPassword,
  startServer,
} from "../src/index.js";
import { demoScheme, ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

const CLASSES = "密码须包含大写字母、小写字母、数字、符号中的至少三类（16 位及以上至少两类）";
const RUN = "密码不能主要由重复字符或连续字符（如 aaaa、1234、abcd）组成";
const COMMON = "密码过于常见，请换一个不易被猜到的密码";

describe("password policy", () => {
  it("needs 12 characters: 11 refused, 12 accepted", () => {
    expect(passwordProblem("Kp7#mZ2q!Rw")).toBe("密码至少 12 位");
    expect(passwordProblem("Kp7#mZ2q!Rw4")).toBeNull();
    expect(passwordProblem("1234567890a")).toBe("密码至少 12 位"); // accepted by the old policy
  });

  it("needs three classes below 16 characters and two from 16 on", () => {
    expect(passwordProblem("kp7mz2qxrw4t")).toBe(CLASSES); // 12, lower + digit
    expect(passwordProblem("kp7mz2qxrw4tbn5")).toBe(CLASSES); // 15, lower + digit
    expect(passwordProblem("kp7mz2qxrw4tbn5v")).toBeNull(); // 16, lower + digit
    expect(passwordProblem("kpqmzvqxrwntbnhv")).toBe(CLASSES); // 16, lower only
    expect(passwordProblem("kp7mz2qxrw4T")).toBeNull(); // 12, lower + digit + upper
    expect(passwordProblem("kp-mz.qxrw/T")).toBeNull(); // 12, lower + symbol + upper
  });

  it("refuses the username inside the password, in any case", () => {
    expect(passwordProblem("Zhangwei#2024x", "zhangwei")).toBe("密码不能包含用户名");
    expect(passwordProblem("x#ZHANGWEI2024", "zhangwei")).toBe("密码不能包含用户名");
    expect(passwordProblem("Zhangwei#2024x", "lisi")).toBeNull();
  });

  it("refuses a repeated character or a sequence over more than half the length", () => {
    expect(passwordProblem("zzzzzzK4!mQp")).toBeNull(); // 6 of 12
    expect(passwordProblem("zzzzzzzK4!mQ")).toBe(RUN); // 7 of 12
    expect(passwordProblem("abcdefK4!mQp")).toBeNull(); // 6 of 12
    expect(passwordProblem("abcdefgK4!mQ")).toBe(RUN); // 7 of 12
    expect(passwordProblem("9876543Kq!mZ")).toBe(RUN); // descending, 7 of 12
    expect(passwordProblem("1234567890aB")).toBe(RUN); // 1…9 of 12
    expect(passwordProblem("aBcDeFgH1!xQ")).toBe(RUN); // case does not hide a sequence
  });

  it("refuses common passwords with digits, symbols and look-alikes around them", () => {
    expect(passwordProblem("Password2024!")).toBe(COMMON);
    expect(passwordProblem("P@ssw0rd#123")).toBe(COMMON);
    expect(passwordProblem("Qwerty123456!")).toBe(COMMON);
    expect(passwordProblem("1qaz2wsx3edC")).toBe(COMMON);
    expect(passwordProblem("Yibao@2025!!!")).toBe(COMMON);
  });

  it("generates passwords of 16 characters that pass it", () => {
    for (let i = 0; i < 300; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
      expect(passwordProblem(p)).toBeNull();
    }
  });
});

for (const engine of ENGINE_NAMES) {
  describe(`accounts on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    });
    afterAll(async () => {
      await t?.close();
    });
    /** Another application on the same store, with options of its own (close it when done). */
    const otherApp = async (extra: Partial<Omit<BuildServerOptions, "store" | "scheme">>) =>
      buildServer({ store: t.store, scheme: await demoScheme(), ...extra });

    it("createUser refuses a weak password and one containing the username", async () => {
      const db = identityDb(t.store);
      const base = { displayName: "测试", role: "bureau" as const };
      await expect(
        createUser(db, { ...base, username: "weak-one", password: "1234567890a" }),
      ).rejects.toThrow("密码至少 12 位");
      await expect(
        createUser(db, { ...base, username: "wangfang", password: "Wangfang-2024!" }),
      ).rejects.toThrow("密码不能包含用户名");
      expect(
        await createUser(db, { ...base, username: "zhaolei", password: "Kp7#mZ2q!Rw4" }),
      ).toBeGreaterThan(0);
    });

    it("verifies at most maxFailedLogins guesses when 50 wrong passwords arrive at once", async () => {
      const db = identityDb(t.store);
      const password = "Kp7#mZ2q!Rw4-a";
      await createUser(db, { username: "parallel-a", displayName: "并发", role: "bureau", password });
      const policy = { ...DEFAULT_SESSION_POLICY, maxFailedLogins: 5 };
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => login(db, "parallel-a", `Wrong-guess-${i}!`, policy)),
      );
      const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
      // The first five reserved attempts are verified (and wrong); the fifth locks, the rest are refused unverified.
      expect(reasons.filter((r) => r === "invalid")).toHaveLength(5);
      expect(reasons.filter((r) => r === "locked")).toHaveLength(45);
      // Now even the right password is refused until the lock runs out …
      const during = await login(db, "parallel-a", password, policy);
      expect(during).toMatchObject({ ok: false, reason: "locked" });
      // … and is accepted after it, which resets the count.
      const after = await login(db, "parallel-a", password, policy, new Date(Date.now() + 5 * 60_000 + 1000));
      expect(after.ok).toBe(true);
      const row = await db
        .selectFrom("console_user")
        .select(["failed_logins", "locked_until"])
        .where("username", "=", "parallel-a")
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ failed_logins: 0, locked_until: null });
    });

    it("counts again from one after a lock ran out, and a success resets the count", async () => {
      const db = identityDb(t.store);
      const password = "Kp7#mZ2q!Rw4-b";
      await createUser(db, { username: "sequence-b", displayName: "顺序", role: "bureau", password });
      const policy = { ...DEFAULT_SESSION_POLICY, maxFailedLogins: 3, lockMs: 60_000 };
      const at = (s: number) => new Date(Date.now() + s * 1000);
      const wrong = (s: number) => login(db, "sequence-b", "Wrong-pass-123!", policy, at(s));
      expect(await wrong(0)).toMatchObject({ reason: "invalid" });
      expect(await wrong(1)).toMatchObject({ reason: "invalid" });
      expect((await login(db, "sequence-b", password, policy, at(3))).ok).toBe(true); // 2 of 3: open; resets
      expect(await wrong(4)).toMatchObject({ reason: "invalid" });
      expect(await wrong(5)).toMatchObject({ reason: "invalid" });
      expect((await login(db, "sequence-b", password, policy, at(7))).ok).toBe(true); // two again, not four
      for (const s of [8, 9, 10]) expect(await wrong(s)).toMatchObject({ reason: "invalid" });
      expect(await login(db, "sequence-b", password, policy, at(20))).toMatchObject({
        ok: false,
        reason: "locked",
      });
      // The lock set at 10 s holds until 70 s; after it, one wrong guess does not lock again.
      expect(await wrong(71)).toMatchObject({ reason: "invalid" });
      expect((await login(db, "sequence-b", password, policy, at(72))).ok).toBe(true);
    });

    it("gives one answer for a wrong password and an unknown, disabled or locked account; the log keeps the reason", async () => {
      const db = identityDb(t.store);
      const password = "Kp7#mZ2q!Rw4-c";
      for (const username of ["enum-wrong", "enum-off", "enum-lock"])
        await createUser(db, { username, displayName: username, role: "bureau", password });
      await db
        .updateTable("console_user")
        .set({ disabled: true })
        .where("username", "=", "enum-off")
        .execute();
      await db
        .updateTable("console_user")
        .set({ locked_until: new Date(Date.now() + 60_000) })
        .where("username", "=", "enum-lock")
        .execute();
      const tries: [string, string][] = [
        ["enum-wrong", "Wrong-pass-123!"],
        ["enum-nobody", password],
        ["enum-off", password],
        ["enum-lock", password],
      ];
      for (const [username, pw] of tries) {
        const r = await t.raw.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { username, password: pw },
        });
        expect(r.statusCode, username).toBe(401);
        expect(r.json(), username).toEqual({
          statusCode: 401,
          code: "LOGIN_FAILED",
          message: "用户名或密码错误，或账号暂不可用",
        });
        expect(r.headers["set-cookie"], username).toBeUndefined();
      }
      const log = await db
        .selectFrom("console_oplog")
        .select(["username", "detail", "status_code"])
        .where("action", "=", "登录失败")
        .where("username", "like", "enum-%")
        .orderBy("id")
        .execute();
      expect(log.map((l) => [l.username, (l.detail as { reason: string }).reason, l.status_code])).toEqual([
        ["enum-wrong", "invalid", 401],
        ["enum-nobody", "unknown", 401],
        ["enum-off", "disabled", 401],
        ["enum-lock", "locked", 401],
      ]);
    });

    it("throttles sign-ins per client address, with a Chinese 429 and Retry-After", async () => {
      const s = await otherApp({ sessionPolicy: { loginsPerAddress: 3, loginsPerAccount: 0 } });
      try {
        const attempt = (username: string, remoteAddress: string) =>
          s.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress,
            payload: { username, password: "Wrong-pass-123!" },
          });
        for (const u of ["rate-a", "rate-b", "rate-c"])
          expect((await attempt(u, "10.0.0.7")).statusCode).toBe(401);
        const fourth = await attempt("rate-d", "10.0.0.7");
        expect(fourth.statusCode).toBe(429);
        expect(fourth.json()).toMatchObject({ code: "TOO_MANY_LOGINS" });
        expect(fourth.json().message).toMatch(/^本机登录尝试过于频繁，请 \d+ 秒后再试$/);
        expect(Number(fourth.headers["retry-after"])).toBeGreaterThan(0);
        expect(Number(fourth.headers["retry-after"])).toBeLessThanOrEqual(60);
        // Another address is not held back.
        expect((await attempt("rate-d", "10.0.0.8")).statusCode).toBe(401);
        const log = await identityDb(t.store)
          .selectFrom("console_oplog")
          .select(["username", "detail", "status_code", "ip"])
          .where("username", "=", "rate-d")
          .orderBy("id")
          .execute();
        expect(log).toEqual([
          { username: "rate-d", detail: { reason: "throttled-address" }, status_code: 429, ip: "10.0.0.7" },
          { username: "rate-d", detail: { reason: "unknown" }, status_code: 401, ip: "10.0.0.8" },
        ]);
      } finally {
        await s.close();
      }
    });

    it("throttles sign-ins per account from any address; other accounts go on", async () => {
      const s = await otherApp({ sessionPolicy: { loginsPerAddress: 0, loginsPerAccount: 2 } });
      try {
        const password = "Kp7#mZ2q!Rw4-d";
        await createUser(identityDb(t.store), {
          username: "rate-acct",
          displayName: "限速",
          role: "bureau",
          password,
        });
        const attempt = (username: string, pw: string, remoteAddress: string) =>
          s.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress,
            payload: { username, password: pw },
          });
        expect((await attempt("rate-acct", "Wrong-pass-123!", "10.1.0.1")).statusCode).toBe(401);
        expect((await attempt("rate-acct", "Wrong-pass-123!", "10.1.0.2")).statusCode).toBe(401);
        // The third try, from a third address and with the right password, waits for the window.
        const third = await attempt("rate-acct", password, "10.1.0.3");
        expect(third.statusCode).toBe(429);
        expect(third.json().message).toMatch(/^该账号登录尝试过于频繁，请 \d+ 秒后再试$/);
        expect((await attempt("rate-other", "Wrong-pass-123!", "10.1.0.3")).statusCode).toBe(401);
      } finally {
        await s.close();
      }
    });

    it("counts the client behind a trusted proxy by X-Forwarded-For, and ignores the header otherwise", async () => {
      for (const trustProxy of ["127.0.0.1", undefined]) {
        const s = await otherApp({
          sessionPolicy: { loginsPerAddress: 2, loginsPerAccount: 0 },
          ...(trustProxy ? { trustProxy } : {}),
        });
        try {
          const codes: number[] = [];
          for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
            const r = await s.inject({
              method: "POST",
              url: "/api/v1/auth/login",
              remoteAddress: "127.0.0.1",
              headers: { "x-forwarded-for": client },
              payload: { username: "proxy-user", password: "Wrong-pass-123!" },
            });
            codes.push(r.statusCode);
          }
          // Trusted: three clients, one attempt each. Not trusted: one address, the proxy's, whose
          // third attempt is over the limit.
          expect(codes, String(trustProxy)).toEqual(trustProxy ? [401, 401, 401] : [401, 401, 429]);
        } finally {
          await s.close();
        }
      }
    });

    /** Signs `username` in from a fresh client; returns its headers. */
    const session = async (username: string, password: string) => {
      const r = await t.raw.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username, password },
      });
      expect(r.statusCode, r.body).toBe(200);
      return {
        headers: {
          cookie: String(r.headers["set-cookie"]).split(";")[0] ?? "",
          "x-csrf-token": r.json().csrfToken,
        },
        body: r.json() as { mustChangePassword: boolean },
      };
    };
    const me = (headers: Record<string, string>) => t.raw.inject({ url: "/api/v1/auth/me", headers });

    it("a change of one's own password ends the account's other sessions and keeps this one", async () => {
      const db = identityDb(t.store);
      const password = "Kp7#mZ2q!Rw4-e";
      await createUser(db, { username: "two-desks", displayName: "两台电脑", role: "bureau", password });
      const a = await session("two-desks", password);
      const b = await session("two-desks", password);
      const change = (oldPassword: string, newPassword: string) =>
        t.raw.inject({
          method: "POST",
          url: "/api/v1/auth/password",
          headers: a.headers,
          payload: { oldPassword, newPassword },
        });
      const weak = await change(password, "1234567890a");
      expect(weak.statusCode).toBe(400);
      expect(weak.json().message).toBe("密码至少 12 位");
      expect((await change(password, password)).json().message).toBe("新密码不能与原密码相同");
      expect((await me(b.headers)).statusCode).toBe(200); // refused changes end nothing
      const ok = await change(password, "Nq4$wV8x!Tz2-e");
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: true, endedSessions: 1 });
      expect((await me(a.headers)).statusCode).toBe(200);
      expect((await me(b.headers)).statusCode).toBe(401);
      const old = await t.raw.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "two-desks", password },
      });
      expect(old.statusCode).toBe(401);
    });

    it("generated demo passwords must be changed at first sign-in; given ones need not", async () => {
      const db = identityDb(t.store);
      const created = await ensureDemoAccounts(db, {
        hospitalCodes: [],
        passwords: { reviewer: "Kp7#mZ2q!Rw4-f" },
      });
      expect(created.map((c) => c.username)).toEqual(["admin", "bureau", "reviewer"]);
      const flags = await db
        .selectFrom("console_user")
        .select(["username", "must_change_password"])
        .where("username", "in", ["admin", "bureau", "reviewer"])
        .orderBy("username")
        .execute();
      expect(flags).toEqual([
        { username: "admin", must_change_password: true },
        { username: "bureau", must_change_password: true },
        { username: "reviewer", must_change_password: false },
      ]);
      const bureau = created.find((c) => c.username === "bureau");
      if (bureau === undefined) throw new Error("初始账号中没有 bureau");
      const s = await session("bureau", bureau.password);
      expect(s.body.mustChangePassword).toBe(true);
      expect((await me(s.headers)).json()).toMatchObject({
        mustChangePassword: true,
        user: { username: "bureau" },
      });
      const blocked = await t.raw.inject({ url: "/api/v1/settlement-lists", headers: s.headers });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe("PASSWORD_CHANGE_REQUIRED");
      const changed = await t.raw.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: s.headers,
        payload: { oldPassword: bureau.password, newPassword: "Nq4$wV8x!Tz2-f" },
      });
      expect(changed.statusCode).toBe(200);
      expect((await me(s.headers)).json()).toMatchObject({ mustChangePassword: false });
      expect((await t.raw.inject({ url: "/api/v1/settlement-lists", headers: s.headers })).statusCode).toBe(
        200,
      );
    });

    it("a reset gives a new generated password to change at sign-in, ends every session and lifts a lock", async () => {
      const db = identityDb(t.store);
      const password = "Kp7#mZ2q!Rw4-g";
      await createUser(db, { username: "forgetful", displayName: "忘记密码", role: "reviewer", password });
      const s = await session("forgetful", password);
      await db
        .updateTable("console_user")
        .set({ locked_until: new Date(Date.now() + 60_000), failed_logins: 5 })
        .where("username", "=", "forgetful")
        .execute();
      const reset = await resetPassword(db, { username: "forgetful" });
      expect(reset?.username).toBe("forgetful");
      expect(passwordProblem(reset?.password ?? "")).toBeNull();
      expect((await me(s.headers)).statusCode).toBe(401);
      const again = await session("forgetful", reset?.password ?? "");
      expect(again.body.mustChangePassword).toBe(true);
      expect(await resetPassword(db, { username: "nobody-here" })).toBeUndefined();
    });

    it("marks the cookie Secure for X-Forwarded-Proto: https from a trusted proxy, and ignores the header otherwise", async () => {
      const password = "Kp7#mZ2q!Rw4-j";
      await createUser(identityDb(t.store), {
        username: "behind-proxy",
        displayName: "代理",
        role: "bureau",
        password,
      });
      for (const trustProxy of ["127.0.0.1", undefined]) {
        const app = await otherApp({ secureCookie: false, ...(trustProxy ? { trustProxy } : {}) });
        try {
          const r = await app.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress: "127.0.0.1",
            headers: { "x-forwarded-proto": "https" },
            payload: { username: "behind-proxy", password },
          });
          expect(r.statusCode).toBe(200);
          const cookie = String(r.headers["set-cookie"]);
          expect(cookie).toMatch(/HttpOnly/);
          expect(/; Secure(;|$)/.test(cookie), String(trustProxy)).toBe(trustProxy !== undefined);
        } finally {
          await app.close();
        }
      }
    });
  });
}

describe("startServer", () => {
  it("listens on 127.0.0.1 unless HOST says otherwise", async () => {
    const server = await startServer(
      { port: 0, logLevel: "warn", store: { memory: true, migrations: identityMigrations } },
      {},
    );
    try {
      expect((server.app.server.address() as AddressInfo).address).toBe("127.0.0.1");
    } finally {
      await server.close();
    }
  });
});
