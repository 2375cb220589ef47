// Tests against the mutants of packages/server/src/identity/access.ts (issue 16, docs/mutation.md):
// a hospital's list and upload scopes, the operation log of changes and of API-key calls, the
// target a log line names, and the upload journal. Harness: access-app.ts (fake identity database).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AccessApp, accessApp, H1, H2, HOST, settle } from "./access-app.js";

// A fresh application per test (see mutation-access.test.ts: per-test coverage).
let t: AccessApp;
beforeEach(async () => {
  t = await accessApp();
  t.fake.addSession({ token: "tok-bureau", csrf: "csrf-b", id: 1, role: "bureau", hospitalCode: null });
  t.fake.addSession({ token: "tok-hosp", csrf: "csrf-h", id: 2, role: "hospital", hospitalCode: H1 });
  t.fake.owners.set("S1", H1);
  t.fake.owners.set("S2", H2);
  t.fake.owners.set("S3", H1);
  t.fake.foreignVersions.add("S3");
});
afterEach(async () => {
  await t.app.close();
});

const hosp = { cookie: "yibao_sid=tok-hosp", host: HOST };
const bureau = { cookie: "yibao_sid=tok-bureau", host: HOST, "x-csrf-token": "csrf-b" };

describe("list scope (setlId)", () => {
  it("shows a hospital its own list only", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/lists/S1", headers: hosp })).statusCode).toBe(200);
    for (const id of ["S2", "S3", "S9"]) {
      const r = await t.app.inject({ method: "GET", url: `/api/lists/${id}`, headers: hosp });
      expect(r.statusCode, id).toBe(404);
      expect(r.json(), id).toMatchObject({ code: "NOT_FOUND", message: `结算清单不存在：setl_id=${id}` });
    }
  });

  it("names an empty setl_id when the route has none", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/lists", headers: hosp });
    expect(r.statusCode).toBe(404);
    expect(r.json().message).toBe("结算清单不存在：setl_id=");
  });

  it("does not hold the bureau to it", async () => {
    for (const id of ["S2", "S9"]) {
      const r = await t.app.inject({ method: "GET", url: `/api/lists/${id}`, headers: bureau });
      expect(r.statusCode, id).toBe(200);
    }
  });
});

const envelope = (code: unknown, setlId?: string) => ({
  input: { setlinfo: { fixmedins_code: code, ...(setlId === undefined ? {} : { setl_id: setlId }) } },
});

describe("a hospital account without a hospital code", () => {
  // The identity tables refuse such an account (CHECK on app_user); access control refuses it too,
  // whatever the scope, rather than treat a missing code as a hospital of its own.
  beforeEach(() => {
    t.fake.addSession({ token: "tok-nocode", csrf: "c", id: 7, role: "hospital", hospitalCode: null });
    t.fake.addSession({ token: "tok-empty", csrf: "c", id: 8, role: "hospital", hospitalCode: "" });
  });

  it("is refused on every scope, reads included", async () => {
    for (const token of ["tok-nocode", "tok-empty"]) {
      for (const url of ["/api/lists/S1", "/api/q", "/api/me", "/api/lists"]) {
        const r = await t.app.inject({
          method: "GET",
          url,
          headers: { cookie: `yibao_sid=${token}`, host: HOST },
        });
        expect(r.statusCode, `${token} ${url}`).toBe(403);
        expect(r.json()).toMatchObject({ code: "FORBIDDEN", message: "医院账号未关联医疗机构，无权访问" });
      }
    }
  });

  it("leaves the bureau, which has no hospital, alone", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/lists/S2", headers: bureau });
    expect(r.statusCode).toBe(200);
  });
});

describe("upload scope (envelopes)", () => {
  const upload = (url: string, payload: object) =>
    t.app.inject({ method: "POST", url, headers: { "x-test-key": H1, host: HOST }, payload });

  it("refuses an envelope of another hospital, naming its place and code", async () => {
    const r = await upload("/api/v1/settlement-lists", [envelope(H1, "S1"), envelope(H2, "S8")]);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toBe(
      `第 2 份清单的定点医药机构编号（${H2}）不是本院（${H1}），医院账号只能上传本院清单`,
    );
    const blank = await upload("/api/v1/qc/check", envelope(7));
    expect(blank.json().message).toBe(
      `第 1 份清单的定点医药机构编号（空）不是本院（${H1}），医院账号只能上传本院清单`,
    );
  });

  it("names no code for envelopes without the message parts, and does not fail on them", async () => {
    const odd: object[] = [[null], [{}], [{ input: {} }], [{ input: { setlinfo: null } }]];
    for (const [i, body] of odd.entries()) {
      const r = await upload("/api/v1/qc/check", body);
      expect(r.statusCode, String(i)).toBe(403);
      expect(r.json().message, String(i)).toContain("定点医药机构编号（空）");
    }
  });

  it("refuses a setl_id another hospital uploaded, on the upload route only", async () => {
    const r = await upload("/api/v1/settlement-lists", [envelope(H1, "S1"), envelope(H1, "S2")]);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toBe("结算清单 S2 已由其他医院上传，医院账号只能上传或更正本院清单");
    expect((await upload("/api/v1/qc/check", [envelope(H1, "S2")])).statusCode).toBe(200);
    expect(t.fake.queries.filter((q) => q.includes('"settlement_list"'))).toHaveLength(1);
  });

  it("accepts its own envelopes, new ones and ones without a setl_id", async () => {
    expect((await upload("/api/v1/settlement-lists", envelope(H1, "S1"))).statusCode).toBe(200);
    expect((await upload("/api/v1/settlement-lists", [envelope(H1, "S7"), envelope(H1)])).statusCode).toBe(
      200,
    );
    t.fake.queries.length = 0;
    expect((await upload("/api/v1/settlement-lists", [envelope(H1)])).statusCode).toBe(200);
    // No setl_id: nothing to look up.
    expect(t.fake.queries.filter((q) => q.includes('"settlement_list"'))).toEqual([]);
  });

  it("does not hold a bureau key to it", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { "x-test-key": "bureau", host: HOST },
      payload: [envelope(H2, "S2")],
    });
    expect(r.statusCode).toBe(200);
  });
});

/** Column values of the operation-log rows written (recordOperation's column order). */
function logged() {
  return t.fake.oplog.map(([, userId, username, role, hospital, action, target, detail, status]) => ({
    userId,
    username,
    role,
    hospital,
    action,
    target,
    detail: JSON.parse(String(detail)),
    status,
  }));
}

describe("operation log", () => {
  it("logs a session's change with the route's action, and not its reads", async () => {
    await t.app.inject({ method: "POST", url: "/api/change", headers: bureau });
    await t.app.inject({ method: "GET", url: "/api/lists/S1", headers: bureau });
    await settle();
    expect(logged()).toEqual([
      {
        userId: 1,
        username: "u1",
        role: "bureau",
        hospital: null,
        action: "改动",
        target: "POST /api/change",
        detail: {},
        status: 200,
      },
    ]);
  });

  it("names the target with its parameters when the route has no action", async () => {
    await t.app.inject({ method: "POST", url: "/api/plain/A-1", headers: bureau });
    await t.app.inject({ method: "POST", url: "/", headers: bureau });
    await settle();
    expect(logged()).toMatchObject([
      { action: "POST /api/plain/A-1", target: "POST /api/plain/A-1" },
      { action: "POST /", target: "POST /" },
    ]);
  });

  it("logs a change that stored lists but wrote no journal", async () => {
    await t.app.inject({ method: "POST", url: "/api/stored", headers: bureau });
    await settle();
    expect(logged()).toMatchObject([{ target: "POST /api/stored", detail: { stored: 2 } }]);
  });

  it("logs, and does not fail on, a key use or operation log that cannot be written", async () => {
    const r = await t.app.inject({
      method: "GET",
      url: "/api/machine",
      headers: { "x-test-key": "H-failing-use" },
    });
    expect(r.statusCode).toBe(200);
    t.fake.oplogFailures.left = 1;
    await t.app.inject({ method: "POST", url: "/api/change", headers: bureau });
    await settle();
    // Each log line carries the error that caused it.
    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.find((l) => l.msg === "接口密钥使用记录失败")?.err?.message).toBe(
      "key-use table unavailable",
    );
    expect(lines.find((l) => l.msg === "操作日志写入失败")?.err?.message).toBe("oplog table unavailable");
  });

  it("logs refused changes with their status, and nothing for anonymous callers", async () => {
    await t.app.inject({
      method: "POST",
      url: "/api/plain/B",
      headers: { ...hosp, "x-csrf-token": "csrf-h" },
    });
    await t.app.inject({ method: "POST", url: "/api/plain/C", headers: { host: HOST } });
    await settle();
    expect(logged()).toMatchObject([{ userId: 2, hospital: H1, target: "POST /api/plain/B", status: 403 }]);
  });

  it("logs every API-key call, reads too, with the key id, and records the key's use", async () => {
    await t.app.inject({ method: "GET", url: "/api/machine", headers: { "x-test-key": H1 } });
    await settle();
    expect(logged()).toMatchObject([
      { userId: 90, role: "hospital", hospital: H1, target: "GET /api/machine", detail: { keyId: "K1" } },
    ]);
    expect(t.keyUses).toEqual(["GET 200"]);
  });

  it("leaves requests whose lists were journaled to the journal, unless none was stored", async () => {
    await t.app.inject({ method: "POST", url: "/api/journaled", headers: bureau });
    await settle();
    expect(logged()).toEqual([]);
    await t.app.inject({ method: "POST", url: "/api/unjournaled", headers: bureau });
    await settle();
    expect(logged()).toMatchObject([{ target: "POST /api/unjournaled", detail: { stored: 0, n: 2 } }]);
  });
});

describe("request targets and the upload journal", () => {
  it("fills in parameters and wildcards, drops a trailing slash, and keeps 300 characters", async () => {
    const get = async (url: string) =>
      (await t.app.inject({ method: "GET", url, headers: bureau })).json().target as string;
    expect(await get("/api/files/a/b.txt")).toBe("GET /api/files/a/b.txt");
    expect(await get("/api/slash/x/")).toBe("GET /api/slash/x");
    const long = "y".repeat(400);
    expect(await get(`/api/files/${long}`)).toBe(`GET /api/files/${long}`.slice(0, 300));
  });

  it("writes one journal row naming the committed lists, their outcomes and the key", async () => {
    const ids = Array.from({ length: 52 }, (_, i) => `L${i}`);
    const r = await t.app.inject({
      method: "POST",
      url: "/api/journal",
      headers: { "x-test-key": H1, host: HOST },
      payload: { ids },
    });
    expect(r.json()).toEqual({ journaled: true });
    await settle();
    // The journal row; the request's own row is skipped only when lists were stored (none here).
    const [row, own] = logged();
    expect(own).toMatchObject({ action: "POST /api/journal", detail: { keyId: "K1" } });
    expect(row).toMatchObject({ action: "POST /api/journal", target: "POST /api/journal", status: 200 });
    expect(row?.detail).toMatchObject({
      committed: 52,
      setlIds: ids.slice(0, 50),
      outcomes: { replaced: 1, inserted: 51 },
      import: true,
      keyId: "K1",
    });
    expect(typeof row?.detail.requestId).toBe("string");
  });

  it("writes no journal row without a caller", async () => {
    const r = await t.app.inject({ method: "POST", url: "/api/journal-public", payload: {} });
    expect(r.json()).toEqual({ journaled: false });
    await settle();
    expect(logged()).toEqual([]);
  });
});
