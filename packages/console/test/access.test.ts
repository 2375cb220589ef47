/**
 * Access control through app.inject: every /api route of the application is enumerated from the app
 * itself and tried by a hospital account against another hospital's data; sessions, CSRF, roles, the
 * operation log and password storage.
 */
import { identityDb, login, lookupSession, servedRoutes } from "@yibao/server";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleDb } from "../src/schema.js";
import {
  type ConsoleTestServer,
  consoleTestServer,
  HOSPITALS,
  PASSWORDS,
  type Session,
  sampleList,
  signIn,
} from "./helpers.js";

const OWN = HOSPITALS[0].code;
const OTHER = HOSPITALS[1].code;
const OTHER_SETL = "S10000000003"; // a list of hospital 2 (prefix S1)

let s: ConsoleTestServer;
let hospital: Session;
let bureau: Session;
let reviewer: Session;
let otherAppealId: number;

/** Every route (method, url) the application serves under /api. */
const apiRoutes = () => servedRoutes(s.app);

function fill(url: string): string {
  return url.replace(":setlId", OTHER_SETL).replace(":id", String(otherAppealId));
}

beforeAll(async () => {
  s = await consoleTestServer(12);
  hospital = await signIn(s.app, "hospital");
  bureau = await signIn(s.app, "bureau");
  reviewer = await signIn(s.app, "reviewer");
  // An appeal of the other hospital, filed by its own account.
  const h2 = await signIn(s.app, "hospital2");
  const finding = await consoleDb(s.store)
    .selectFrom("qc_finding as f")
    .innerJoin("settlement_list as l", "l.setl_id", "f.setl_id")
    .select(["f.setl_id", "f.seq"])
    .where("l.hospital_code", "=", OTHER)
    .executeTakeFirst();
  let setlId = finding?.setl_id;
  let seq = finding?.seq;
  if (!setlId) {
    // Make one: upload a list of hospital 2 with a warning-level problem is not guaranteed, so use
    // any list and insert its finding through a fresh upload with a late date (deadline warning).
    const env = sampleList(500, 1, "2020-01-10");
    const r = await s.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { cookie: h2.cookie, "x-csrf-token": h2.csrf },
      payload: env,
    });
    expect(r.statusCode).toBe(200);
    const f = await consoleDb(s.store)
      .selectFrom("qc_finding")
      .select(["setl_id", "seq"])
      .where("setl_id", "=", "S10000000500")
      .executeTakeFirst();
    setlId = f?.setl_id;
    seq = f?.seq;
  }
  expect(setlId, "测试数据中应有第二家医院的质控结果").toBeTruthy();
  const appeal = await s.app.inject({
    method: "POST",
    url: "/api/v1/console/appeals",
    headers: { cookie: h2.cookie, "x-csrf-token": h2.csrf },
    payload: { setlId, seq, reason: "该诊断有病历支持" },
  });
  expect(appeal.statusCode, appeal.body).toBe(201);
  otherAppealId = (appeal.json() as { id: number }).id;
});

afterAll(async () => {
  await s?.close();
});

describe("hospital scoping on every endpoint", () => {
  it("finds the intake and console routes in the app", () => {
    const urls = apiRoutes().map((r) => `${r.method} ${r.url}`);
    expect(urls).toContain("GET /api/v1/settlement-lists");
    expect(urls).toContain("POST /api/v1/settlement-lists");
    expect(urls).toContain("GET /api/v1/settlement-lists/:setlId");
    expect(urls).toContain("GET /api/v1/qc/indicators");
    expect(urls).toContain("GET /api/v1/console/breakdown");
    expect(urls.length).toBeGreaterThan(15);
  });

  it("a hospital account never receives another hospital's data", async () => {
    const tried: string[] = [];
    for (const r of apiRoutes()) {
      if (r.url.endsWith("/auth/logout")) continue; // would end the session the loop uses; tested below
      const base = fill(r.url);
      const variants =
        r.method === "GET"
          ? [base, `${base}?hospital=${OTHER}`, `${base}?hospital=${OTHER}&dim=drg`, `${base}?dim=dept`]
          : [base];
      for (const url of variants) {
        const payload =
          r.method === "GET"
            ? undefined
            : r.url.endsWith("/appeals")
              ? { setlId: OTHER_SETL, seq: 0, reason: "越权申诉" }
              : r.url.includes("settlement-lists") || r.url.includes("what-if")
                ? [sampleList(900, 1)]
                : { decision: "accepted", comment: "越权", disabled: true };
        const res = await s.app.inject({
          method: r.method as "GET" | "POST",
          url,
          headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf },
          ...(payload !== undefined
            ? {
                payload: (url.includes("what-if")
                  ? (payload as unknown[])[0]
                  : payload) as InjectOptions["payload"],
              }
            : {}),
        });
        tried.push(`${r.method} ${url} → ${res.statusCode}`);
        const body = res.body;
        // Whatever the status: an error answer may repeat what the request sent, nothing more.
        const sent = `${decodeURIComponent(url)} ${JSON.stringify(payload ?? null)}`;
        if (!sent.includes(OTHER))
          expect(body.includes(OTHER), `${r.method} ${url} 泄露了其他医院编码`).toBe(false);
        if (!sent.includes(OTHER_SETL))
          expect(body.includes(OTHER_SETL), `${r.method} ${url} 泄露了其他医院清单`).toBe(false);
        expect(body.includes(HOSPITALS[1].name), `${r.method} ${url} 泄露了其他医院名称`).toBe(false);
      }
    }
    // Nothing was stored for the other hospital by the hospital account.
    const stored = await consoleDb(s.store)
      .selectFrom("settlement_list")
      .select("setl_id")
      .where("setl_id", "=", "S10000000900")
      .executeTakeFirst();
    expect(stored).toBeUndefined();
    const appeal = await consoleDb(s.store)
      .selectFrom("console_appeal")
      .select("status")
      .where("id", "=", otherAppealId)
      .executeTakeFirstOrThrow();
    expect(appeal.status).toBe("pending");
    expect(tried.length).toBeGreaterThan(40);
  });

  it("answers 404 for another hospital's list and 403 for its query", async () => {
    const a = await s.app.inject({
      url: `/api/v1/settlement-lists/${OTHER_SETL}`,
      headers: { cookie: hospital.cookie },
    });
    expect(a.statusCode).toBe(404);
    const b = await s.app.inject({
      url: `/api/v1/settlement-lists?hospital=${OTHER}`,
      headers: { cookie: hospital.cookie },
    });
    expect(b.statusCode).toBe(403);
    const c = await s.app.inject({
      url: "/api/v1/settlement-lists?limit=1000",
      headers: { cookie: hospital.cookie },
    });
    const items = (c.json() as { items: { hospital_code: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.hospital_code))).toEqual(new Set([OWN]));
    const own = await s.app.inject({
      url: `/api/v1/settlement-lists/${items[0]?.hospital_code === OWN ? "S00000000001" : ""}`,
      headers: { cookie: hospital.cookie },
    });
    expect(own.statusCode).toBe(200);
  });

  it("a hospital cannot replace another hospital's list by reusing its setl_id", async () => {
    const before = await s.store.getSettlementList(OTHER_SETL);
    expect(before?.list.hospital_code).toBe(OTHER);
    const envelope = sampleList(901, 0) as { input: { setlinfo: { setl_id: string } } };
    envelope.input.setlinfo.setl_id = OTHER_SETL; // own fixmedins_code, the other hospital's setl_id
    const res = await s.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf },
      payload: [envelope],
    });
    expect(res.statusCode).toBe(403);
    const after = await s.store.getSettlementList(OTHER_SETL);
    expect(after?.list.version).toBe(before?.list.version);
    expect(after?.list.hospital_code).toBe(OTHER);
    expect(after?.refusedUploads).toHaveLength(before?.refusedUploads.length ?? -1);
    // Not even the bureau can move a setl_id to another institution (the store refuses it inside the
    // writing transaction, whoever uploads); the list stays the other hospital's, hidden from this one.
    const bureauUpload = sampleList(902, 1) as { input: { setlinfo: { setl_id: string } } };
    const own = sampleList(902, 0) as { input: { setlinfo: { setl_id: string } } };
    own.input.setlinfo.setl_id = bureauUpload.input.setlinfo.setl_id;
    const outcomes: unknown[] = [];
    for (const payload of [[bureauUpload], [own]]) {
      const r = await s.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { cookie: bureau.cookie, "x-csrf-token": bureau.csrf },
        payload,
      });
      expect(r.statusCode, r.body).toBe(200);
      outcomes.push(r.json().results[0].outcome);
    }
    expect(outcomes).toEqual(["inserted", "refused_foreign"]);
    const moved = await s.store.getSettlementList(own.input.setlinfo.setl_id);
    expect(moved?.list.hospital_code).toBe(OTHER);
    expect(moved?.history).toEqual([]);
    for (const url of [
      `/api/v1/settlement-lists/${own.input.setlinfo.setl_id}`,
      `/api/v1/console/lists/${own.input.setlinfo.setl_id}`,
    ]) {
      const r = await s.app.inject({ url, headers: { cookie: hospital.cookie } });
      expect(r.statusCode, url).toBe(404);
      expect(r.body.includes(OTHER)).toBe(false);
    }
  });

  it("the bureau sees every hospital", async () => {
    const r = await s.app.inject({ url: "/api/v1/console/ranking", headers: { cookie: bureau.cookie } });
    const rows = (r.json() as { rows: { hospital: string }[] }).rows;
    expect(rows.map((x) => x.hospital).sort()).toEqual(HOSPITALS.map((h) => h.code).sort());
  });

  it("an Excel export by a hospital account holds only its own rows", async () => {
    const columns = JSON.stringify([
      { key: "hospital", title: "医院" },
      { key: "cases", title: "病例数" },
    ]);
    const path = `/api/v1/console/ranking`;
    const r = await s.app.inject({
      url: `/api/v1/console/export?path=${encodeURIComponent(path)}&columns=${encodeURIComponent(columns)}`,
      headers: { cookie: hospital.cookie },
    });
    expect(r.statusCode).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const values = (wb.worksheets[0]?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((row) => (row as unknown[])[1]);
    expect(values).toEqual(["医院", OWN]);
    const denied = await s.app.inject({
      url: `/api/v1/console/export?path=${encodeURIComponent(`/api/v1/console/ranking?hospital=${OTHER}`)}&columns=${encodeURIComponent(columns)}`,
      headers: { cookie: hospital.cookie },
    });
    expect(denied.statusCode).toBe(403);
    // The source's refusal is relayed with its own catalogue code (issue 11).
    expect(denied.json()).toMatchObject({ statusCode: 403, code: "FORBIDDEN" });
  });
});

describe("sessions, CSRF and roles", () => {
  it("every /api route needs a session", async () => {
    for (const r of apiRoutes()) {
      // Public by design: signing in, and asking whether one is signed in (answers only about the caller).
      if (r.url === "/api/v1/auth/login" || r.url === "/api/v1/auth/session") continue;
      const res = await s.app.inject({ method: r.method as "GET", url: fill(r.url) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it("refuses changes without the CSRF token or from another origin", async () => {
    const noToken = await s.app.inject({
      method: "POST",
      url: "/api/v1/console/what-if",
      headers: { cookie: hospital.cookie },
      payload: sampleList(1, 0),
    });
    expect(noToken.statusCode).toBe(403);
    const foreign = await s.app.inject({
      method: "POST",
      url: "/api/v1/console/what-if",
      headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf, origin: "https://evil.example" },
      payload: sampleList(1, 0),
    });
    expect(foreign.statusCode).toBe(403);
    const ok = await s.app.inject({
      method: "POST",
      url: "/api/v1/console/what-if",
      headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf },
      payload: sampleList(1, 0),
    });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { group: { drg: string } }).group.drg).toMatch(/^[A-Z]{2}[0-9]{2}$|^0000$/);
  });

  it("sets an HttpOnly SameSite=Strict cookie and stores an Argon2id hash, not the password", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "bureau", password: PASSWORDS.bureau },
    });
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const u = await consoleDb(s.store)
      .selectFrom("console_user")
      .select("password_hash")
      .where("username", "=", "bureau")
      .executeTakeFirstOrThrow();
    expect(u.password_hash.startsWith("$argon2id$")).toBe(true);
    expect(u.password_hash).not.toContain(PASSWORDS.bureau);
  });

  it("expires idle sessions", async () => {
    const db = identityDb(s.store);
    const r = await login(db, "reviewer", "review-pass-2024");
    if (!r.ok) throw new Error("login failed");
    expect(await lookupSession(db, r.token)).toBeDefined();
    const later = new Date(Date.now() + 31 * 60_000);
    expect(await lookupSession(db, r.token, undefined, later)).toBeUndefined();
    expect(await lookupSession(db, r.token)).toBeUndefined(); // deleted once expired
  });

  it("logout ends the session", async () => {
    const h = await signIn(s.app, "hospital2");
    const out = await s.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: h.cookie, "x-csrf-token": h.csrf },
    });
    expect(out.statusCode).toBe(200);
    const me = await s.app.inject({ url: "/api/v1/auth/me", headers: { cookie: h.cookie } });
    expect(me.statusCode).toBe(401);
  });

  it("locks an account after repeated wrong passwords", async () => {
    for (let i = 0; i < 5; i++) {
      await s.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "admin", password: "wrong" },
      });
    }
    const r = await s.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "admin", password: PASSWORDS.admin },
    });
    expect(r.statusCode).toBe(401);
    // The caller is told no more than for a wrong password; the operation log names the lock.
    expect((r.json() as { message: string }).message).toBe("用户名或密码错误，或账号暂不可用");
    const last = await consoleDb(s.store)
      .selectFrom("console_oplog")
      .select("detail")
      .where("action", "=", "登录失败")
      .where("username", "=", "admin")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(last.detail).toEqual({ reason: "locked" });
    await consoleDb(s.store)
      .updateTable("console_user")
      .set({ locked_until: null })
      .where("username", "=", "admin")
      .execute();
  });

  it("checks roles", async () => {
    const users = await s.app.inject({ url: "/api/v1/console/users", headers: { cookie: bureau.cookie } });
    expect(users.statusCode).toBe(403);
    const decide = await s.app.inject({
      method: "POST",
      url: `/api/v1/console/appeals/${otherAppealId}/decision`,
      headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf },
      payload: { decision: "accepted", comment: "自己审自己" },
    });
    expect(decide.statusCode).toBe(403);
  });

  it("records every change in the operation log", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: `/api/v1/console/appeals/${otherAppealId}/decision`,
      headers: { cookie: reviewer.cookie, "x-csrf-token": reviewer.csrf },
      payload: { decision: "rejected", comment: "病历不支持该诊断" },
    });
    expect(res.statusCode).toBe(200);
    const again = await s.app.inject({
      method: "POST",
      url: `/api/v1/console/appeals/${otherAppealId}/decision`,
      headers: { cookie: reviewer.cookie, "x-csrf-token": reviewer.csrf },
      payload: { decision: "accepted", comment: "改判" },
    });
    expect(again.statusCode).toBe(409);
    const log = await consoleDb(s.store)
      .selectFrom("console_oplog")
      .selectAll()
      .where("action", "=", "审核申诉")
      .orderBy("id")
      .execute();
    expect(log.slice(-3).map((l) => [l.username, l.status_code])).toEqual([
      ["hospital", 403],
      ["reviewer", 200],
      ["reviewer", 409],
    ]);
    expect(log.at(-2)?.detail).toMatchObject({ appealId: otherAppealId, decision: "rejected" });
    const actions = new Set(
      (await consoleDb(s.store).selectFrom("console_oplog").select("action").execute()).map((r) => r.action),
    );
    for (const a of ["登录", "登录失败", "提交申诉", "试分组（不保存）", "导出Excel"])
      expect(actions).toContain(a);
  });
});
