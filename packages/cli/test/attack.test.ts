/**
 * The platform attacked the way an outsider or a curious hospital would, on every route it serves
 * (read from the access layer's own registry, so a new route is attacked without editing this file):
 * - without credentials, on the plain path and on encoded, dotted and absolute-form variants of it
 *   (the latter over a real socket, as Fastify's injector cannot send them);
 * - with every role the route does not admit;
 * - state changes without the CSRF token, with another session's token, and from another origin;
 * - as a hospital, with a valid request built from the route's own schema, pointed at another
 *   hospital's data in the path, the query and the body (ids as strings and as numbers).
 * Each answer is searched for the other hospital's data whatever its status, and every table is
 * compared before and after: nothing may change.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { consoleDb } from "@yibao/console";
import {
  buildServer,
  PLATFORM_ROLES,
  type PlatformRole,
  routeAccess,
  type ServedRoute,
  sampleSettlementMessage,
  servedRoutes,
  type YibaoApp,
} from "@yibao/server";
import type { Store } from "@yibao/store";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoPlatform, openDemoPlatform, type Session, signIn as signInAs } from "./demo-platform.js";

const YEAR = 2025;
const PASSWORDS: Readonly<Record<string, string>> = {
  admin: "Ops-chief-2025!",
  bureau: "Fund-office-2025!",
  reviewer: "Case-desk-2025!",
  hospital: "Ward-one-2025!",
  hospital2: "Ward-two-2025!",
};
const ACCOUNT_OF_ROLE: Readonly<Record<PlatformRole, string>> = {
  admin: "admin",
  bureau: "bureau",
  reviewer: "reviewer",
  hospital: "hospital",
};

let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;
let base: string;
/** The attacking hospital, and the other one whose data it must never see or change. */
let own: string;
let other: string;
let otherName: string;
/** Other hospital's ids sent in requests. */
let otherSetl: string;
let otherFinding: string;
/** An all-digit setl_id of the other hospital, to be sent as a JSON number. */
const OTHER_NUMERIC_SETL = "90000000007";
/** Other hospital's ids never sent: finding one of them in an answer is a leak, whatever the status. */
let canaries: string[] = [];

const sessions = new Map<string, Session>();

async function signIn(username: string): Promise<Session> {
  const known = sessions.get(username);
  if (known) return known;
  const s = await signInAs(app, username, PASSWORDS[username]);
  sessions.set(username, s);
  return s;
}

const routes = (): ServedRoute[] => servedRoutes(app, "/");
const isPublic = (r: ServedRoute) => r.access.roles === "public";
const changes = (r: ServedRoute) => r.method !== "GET";

/** Every table's content as one digest per table (the operation log, sessions and derived cubes aside). */
async function snapshot(): Promise<Record<string, string>> {
  const db = consoleDb(store);
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const skip = new Set([
    "console_oplog",
    "console_session",
    "console_user", // failed_logins moves with wrong passwords; the accounts are compared by name below
    "console_cube",
    "console_cube_hd",
    "console_cube_state",
    "console_drg_weight",
    "kysely_migration",
    "kysely_migration_lock",
  ]);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (skip.has(name) || name.startsWith("api_nonce")) continue;
    const r = await sql<{
      d: string | null;
    }>`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
      AS d FROM ${sql.table(name)} t`.execute(db);
    out[name] = r.rows[0]?.d ?? "";
  }
  const users = await db.selectFrom("console_user").select(["username", "role", "disabled"]).execute();
  out.console_user = JSON.stringify(users.sort((a, b) => a.username.localeCompare(b.username)));
  return out;
}

/** The web console's page: what the public catch-all route answers for a path it does not know. */
const isConsolePage = (status: number, body: string) => status === 200 && body.startsWith("<!doctype html>");

/** What an answer must never hold, whatever its status. */
function expectNoLeak(what: string, body: string) {
  expect(body.includes(otherName), `${what} 泄露了其他医院名称`).toBe(false);
  for (const c of canaries) expect(body.includes(c), `${what} 泄露了其他医院的数据（${c}）`).toBe(false);
}

/** A JSON value valid for `schema` (the subset of JSON Schema that TypeBox routes use). */
function arbitraryOf(schema: unknown): fc.Arbitrary<unknown> {
  const s = (schema ?? {}) as Record<string, unknown>;
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.anyOf)) return arbitraryOf(s.anyOf[0]);
  if (Array.isArray(s.oneOf)) return arbitraryOf(s.oneOf[0]);
  switch (s.type) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = arbitraryOf(v);
      return fc.record(record);
    }
    case "array":
      return fc.array(arbitraryOf(s.items), {
        minLength: Math.max(1, Number(s.minItems ?? 1)),
        maxLength: Math.max(1, Number(s.minItems ?? 1)),
      });
    case "integer":
      return fc.integer({
        min: Number(s.minimum ?? 0),
        max: Math.min(Number(s.maximum ?? Number(s.minimum ?? 0) + 1000), Number(s.minimum ?? 0) + 1000),
      });
    case "number":
      return fc.integer({ min: 0, max: 1000 });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string": {
      const min = Number(s.minLength ?? 1);
      const max = Number(s.maxLength ?? 40);
      if (typeof s.pattern === "string") {
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= max);
      }
      return fc.string({ minLength: Math.max(min, 2), maxLength: Math.max(Math.min(max, 20), 2) });
    }
    default:
      return fc.constant({});
  }
}

/** Points every field that names a hospital, a list or a finding at the other hospital's. */
function pointAtOther(value: unknown, asNumber: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => pointAtOther(v, asNumber));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (/^(hospital|hospitalCode|fixmedins_code)$/.test(k)) out[k] = other;
    else if (/^(setlId|setl_id)$/.test(k)) out[k] = asNumber ? Number(OTHER_NUMERIC_SETL) : otherSetl;
    else if (/^(findingId)$/.test(k)) out[k] = otherFinding;
    else out[k] = pointAtOther(v, asNumber);
  }
  return out;
}

/** The other hospital's settlement list as a 4101 envelope (setl_id a string or a number). */
function otherEnvelope(asNumber: boolean): Record<string, unknown> {
  const e = sampleSettlementMessage(7, { hospitalCode: other, hospitalName: otherName, prefix: "9" }) as {
    input: { setlinfo: Record<string, unknown> };
  };
  e.input.setlinfo.setl_id = asNumber ? Number(OTHER_NUMERIC_SETL) : OTHER_NUMERIC_SETL;
  return e;
}

/** Valid bodies of a route, pointed at the other hospital (ids as strings, then as numbers). */
function bodiesOf(r: ServedRoute): unknown[] {
  if (r.url === "/api/v1/settlement-lists" || r.url === "/api/v1/console/what-if") {
    return [otherEnvelope(false), otherEnvelope(true), [otherEnvelope(false)]];
  }
  if (r.url === "/api/v1/audit/precheck") {
    return [{ message: otherEnvelope(false) }, { message: otherEnvelope(true) }];
  }
  if (!r.schema.body) return [undefined];
  const [sample] = fc.sample(arbitraryOf(r.schema.body), { numRuns: 1, seed: 20261203 });
  return [pointAtOther(sample, false), pointAtOther(sample, true)];
}

/** The route's path with its parameters pointed at the other hospital's data. */
function pathOf(r: ServedRoute): string {
  return r.url
    .replace(":setlId", otherSetl)
    .replace(":year", String(YEAR))
    .replace(":version", "1")
    .replace(":keyId", "AKXXXXXXXXXXXXXXXXXXXX")
    .replace(":id", encodeURIComponent(r.url.includes("/audit/") ? otherFinding : "1"))
    .replace("/*", "/index.html");
}

/** Encoded, dotted and doubled variants of a path that a router may take for the same route. */
function pathVariants(path: string): string[] {
  const out = new Set<string>([path]);
  if (path.startsWith("/api/")) {
    out.add(`/%61pi${path.slice(4)}`);
    out.add(`/ap%69${path.slice(4)}`);
    out.add(`/%61%70%69${path.slice(4)}`);
    out.add(`/API${path.slice(4)}`);
    out.add(`/api/v1/../..${path}`);
    out.add(`/api/./${path.slice(5)}`);
    out.add(`${path}/`);
    out.add(`${path}?`);
    out.add(`${path};x=1`);
    out.add(`/${path}`);
    // Every character of the last static segment encoded.
    const i = path.lastIndexOf("/");
    const last = path.slice(i + 1);
    if (/^[a-z-]+$/.test(last)) {
      out.add(
        path.slice(0, i + 1) +
          [...last].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
      );
    }
  }
  return [...out];
}

/** A raw HTTP/1.1 request over a socket: any request target, as sent. */
function rawRequest(target: string, method = "GET", body = ""): Promise<{ status: number; text: string }> {
  const { port, hostname } = new URL(base);
  return new Promise((resolveRaw, reject) => {
    const socket = connect(Number(port), hostname);
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      data += d;
    });
    socket.on("error", reject);
    socket.on("end", () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolveRaw({ status: m ? Number(m[1]) : 0, text: data });
    });
    socket.write(
      `${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n` +
        (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : "") +
        `\r\n${body}`,
    );
  });
}

beforeAll(async () => {
  platform = await openDemoPlatform({
    region: {
      stays: 800,
      seed: 11,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
      injectRate: 0.08,
    },
    passwords: PASSWORDS,
  });
  ({ store, app } = platform);
  expect(platform.region.accepted).toBeGreaterThan(600);
  const db = consoleDb(store);
  const accounts = await db.selectFrom("console_user").select(["username", "hospital_code"]).execute();
  own = accounts.find((a) => a.username === "hospital")?.hospital_code as string;
  other = accounts.find((a) => a.username === "hospital2")?.hospital_code as string;
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  // The other hospital's all-digit list, uploaded by the bureau.
  const bureau = await signIn("bureau");
  const up = await app.inject({
    method: "POST",
    url: "/api/v1/settlement-lists",
    headers: { cookie: bureau.cookie, "x-csrf-token": bureau.csrf },
    payload: (() => {
      const e = sampleSettlementMessage(7, { hospitalCode: other, prefix: "9" }) as {
        input: { setlinfo: Record<string, unknown> };
      };
      e.input.setlinfo.setl_id = OTHER_NUMERIC_SETL;
      return e;
    })(),
  });
  expect(up.statusCode, up.body).toBe(200);
  const lists = await sql<{ setl_id: string; hospital_name: string }>`SELECT setl_id, hospital_name
    FROM settlement_list WHERE hospital_code = ${other} ORDER BY setl_id LIMIT 30`.execute(db);
  otherSetl = lists.rows[0]?.setl_id as string;
  otherName = lists.rows[1]?.hospital_name as string;
  // Another hospital's finding: the second hospital's when it has one, else a third hospital's.
  const findings = await sql<{ finding_id: string }>`SELECT finding_id FROM audit_finding
    WHERE hospital_code <> ${own} ORDER BY (hospital_code = ${other}) DESC, finding_id LIMIT 10`.execute(db);
  otherFinding = findings.rows[0]?.finding_id as string;
  expect(otherFinding, "演示数据中应有其他医院的审核发现").toBeTruthy();
  canaries = [
    ...lists.rows.slice(1).map((r) => r.setl_id),
    ...findings.rows.slice(1).map((r) => r.finding_id),
  ].filter((c) => c.length >= 8 && !otherFinding.includes(c) && !c.includes(otherSetl));
  expect(canaries.length).toBeGreaterThan(10);
}, 240_000);

afterAll(async () => {
  await platform?.close();
});

describe("deny by default", () => {
  it("every served route declares a policy; only sign-in, the signed-in check, health and the web pages are public", () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(55);
    expect(
      all
        .filter(isPublic)
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual(["GET /", "GET /*", "GET /api/v1/auth/session", "GET /healthz", "POST /api/v1/auth/login"]);
    // Hospital systems' API keys reach only intake, reading their own lists back, and the precheck.
    expect(
      all
        .filter((r) => r.access.machine)
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual([
      "GET /api/v1/settlement-lists",
      "GET /api/v1/settlement-lists/:setlId",
      "POST /api/v1/audit/precheck",
      "POST /api/v1/settlement-lists",
    ]);
  });

  it("a route that declares no policy stops the server from starting", async () => {
    const { scheme } = platform;
    const plugin = {
      name: "careless",
      prefix: "/api/v1/careless",
      plugin: async (a: YibaoApp) => {
        a.get("/secrets", async () => ({ secret: 1 }));
      },
    };
    await expect(buildServer({ store, scheme, plugins: [plugin as never] })).rejects.toThrow(
      /未声明访问策略/,
    );
    const wrongRole = {
      name: "careless2",
      plugin: async (a: YibaoApp) => {
        a.get("/x", { config: routeAccess(["root" as PlatformRole], "none") }, async () => ({}));
      },
    };
    await expect(buildServer({ store, scheme, plugins: [wrongRole as never] })).rejects.toThrow(/角色不存在/);
  });
});

describe("without credentials", () => {
  it("no route answers with data, on any spelling of its path", async () => {
    const before = await snapshot();
    let tried = 0;
    for (const r of routes()) {
      if (isPublic(r)) continue;
      for (const url of pathVariants(pathOf(r))) {
        for (const payload of changes(r) ? bodiesOf(r).slice(0, 1) : [undefined]) {
          const res = await app.inject({
            method: r.method as "GET" | "POST",
            url,
            ...(payload !== undefined ? { payload: payload as object } : {}),
          });
          tried++;
          if (!isConsolePage(res.statusCode, res.body)) {
            expect(
              [400, 401, 404],
              `${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            ).toContain(res.statusCode);
          }
          expectNoLeak(`${r.method} ${url}`, res.body);
        }
      }
    }
    expect(tried).toBeGreaterThan(400);
    expect(await snapshot()).toEqual(before);
  });

  it("absolute-form and encoded request targets sent as they are over a socket get nothing", async () => {
    const before = await snapshot();
    const { host } = new URL(base);
    for (const r of routes()) {
      if (isPublic(r) || changes(r)) continue;
      const path = pathOf(r);
      for (const target of [
        `http://${host}${path}`,
        `http://${host}/%61pi${path.slice(4)}`,
        `/%61pi${path.slice(4)}`,
      ]) {
        const res = await rawRequest(target);
        expect([400, 401, 404], `${target} → ${res.status}`).toContain(res.status);
        expectNoLeak(target, res.text);
      }
    }
    const admin = JSON.stringify({
      username: "intruder",
      displayName: "入侵者",
      role: "admin",
      password: "Intruder-pass-2025!",
    });
    for (const target of [
      "/%61pi/v1/console/users",
      `http://${host}/api/v1/console/users`,
      `http://${host}/%61pi/v1/console/users`,
      "/api/v1/console/%75sers",
    ]) {
      const res = await rawRequest(target, "POST", admin);
      expect([400, 401, 404], `POST ${target} → ${res.status}`).toContain(res.status);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a forged identity header is not an identity", async () => {
    for (const headers of [
      { "x-yibao-user": "bureau", "x-yibao-role": "bureau" },
      { "x-yibao-user": "reviewer", "x-yibao-role": "reviewer", "x-yibao-hospital": own },
      { "x-yibao-actor": "admin" },
      { "x-forwarded-user": "admin", "x-remote-user": "admin", authorization: "Basic YWRtaW46YWRtaW4=" },
    ]) {
      for (const url of ["/api/v1/audit/findings", "/api/v1/payment/settlements", "/api/v1/console/users"]) {
        const res = await app.inject({ method: "GET", url, headers });
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(401);
      }
      const deduct = await app.inject({
        method: "POST",
        url: `/api/v1/audit/findings/${encodeURIComponent(otherFinding)}/deduct`,
        headers,
      });
      expect(deduct.statusCode).toBe(401);
    }
  });
});

describe("signed in", () => {
  it("every role a route does not admit is refused", async () => {
    const before = await snapshot();
    let tried = 0;
    for (const r of routes()) {
      if (isPublic(r)) continue;
      const roles = r.access.roles as readonly PlatformRole[];
      for (const role of PLATFORM_ROLES.filter((x) => !roles.includes(x))) {
        const s = await signIn(ACCOUNT_OF_ROLE[role]);
        const [payload] = bodiesOf(r);
        const res = await app.inject({
          method: r.method as "GET" | "POST",
          url: pathOf(r),
          headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
          ...(changes(r) && payload !== undefined ? { payload: payload as object } : {}),
        });
        tried++;
        expect(res.statusCode, `${role}: ${r.method} ${r.url} → ${res.body.slice(0, 200)}`).toBe(403);
        expectNoLeak(`${role}: ${r.method} ${r.url}`, res.body);
      }
    }
    expect(tried).toBeGreaterThan(30);
    expect(await snapshot()).toEqual(before);
  });

  it("every change needs the session's own CSRF token and the server's origin", async () => {
    const before = await snapshot();
    const other2 = await signIn("hospital2");
    for (const r of routes()) {
      if (isPublic(r) || !changes(r)) continue;
      const roles = r.access.roles as readonly PlatformRole[];
      const s = await signIn(ACCOUNT_OF_ROLE[roles[0] as PlatformRole]);
      const [payload] = bodiesOf(r);
      const attempts: Record<string, string>[] = [
        { cookie: s.cookie },
        { cookie: s.cookie, "x-csrf-token": other2.csrf },
        { cookie: s.cookie, "x-csrf-token": "" },
        { cookie: s.cookie, "x-csrf-token": s.csrf, origin: "http://evil.example" },
      ];
      for (const headers of attempts) {
        if (headers["x-csrf-token"] === other2.csrf && s === other2) continue;
        const res = await app.inject({
          method: r.method as "POST",
          url: pathOf(r),
          headers,
          ...(payload !== undefined ? { payload: payload as object } : {}),
        });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(Object.keys(headers))}`).toBe(403);
        expect((res.json() as { code: string }).code).toBe("CSRF");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a hospital pointed at another hospital's data in path, query and body gets none of it and changes nothing", async () => {
    const before = await snapshot();
    const s = await signIn("hospital");
    const tried: string[] = [];
    for (const r of routes()) {
      if (isPublic(r)) continue;
      if (!(r.access.roles as readonly string[]).includes("hospital")) continue;
      if (r.url === "/api/v1/auth/logout" || r.url === "/api/v1/auth/password") continue;
      const path = pathOf(r);
      const urls = changes(r)
        ? [path]
        : [
            path,
            `${path}?hospital=${other}`,
            `${path}?hospital=${other}&hospital=${own}`,
            `${path}?hospital[]=${other}`,
            `${path}?setlId=${otherSetl}`,
            `${path}?hospital=${other}&by=hospital`,
          ];
      for (const url of urls) {
        for (const payload of changes(r) ? bodiesOf(r) : [undefined]) {
          const res = await app.inject({
            method: r.method as "GET" | "POST",
            url,
            headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
            ...(payload !== undefined ? { payload: payload as object } : {}),
          });
          tried.push(`${r.method} ${url} → ${res.statusCode}`);
          expect(res.statusCode, `${r.method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          expectNoLeak(`${r.method} ${url} (${res.statusCode})`, res.body);
          if (res.statusCode < 400) {
            expect(res.body.includes(other), `${r.method} ${url} 的应答含其他医院编码`).toBe(false);
            expect(res.body.includes(otherSetl), `${r.method} ${url} 的应答含其他医院清单`).toBe(false);
          }
        }
      }
    }
    expect(tried.length).toBeGreaterThan(100);
    expect(await snapshot(), "医院账号不得改变任何数据").toEqual(before);
  });

  it("the Excel export cannot be turned on another hospital's data or another path", async () => {
    const s = await signIn("hospital");
    const columns = encodeURIComponent(JSON.stringify([{ key: "setlId", title: "清单" }]));
    for (const path of [
      `/api/v1/settlement-lists?hospital=${other}`,
      "/api/v1/../../%61pi/v1/settlement-lists",
      "/api/v1/%2e%2e/console/users",
      "/api/v1/console/users",
      `/api/v1/settlement-lists/${otherSetl}`,
      "/api/v1//settlement-lists",
      `/api/v1/console/lists?hospital=${other}`,
    ]) {
      const res = await app.inject({
        url: `/api/v1/console/export?path=${encodeURIComponent(path)}&columns=${columns}`,
        headers: { cookie: s.cookie },
      });
      expect(res.statusCode, `${path} → ${res.statusCode}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expectNoLeak(path, res.body);
    }
  });

  it("an upload over a real socket by the other hospital's account cannot take a list of this one", async () => {
    // The same check as above, through the HTTP stack rather than the injector.
    const s = await signIn("hospital2");
    const e = sampleSettlementMessage(3, { hospitalCode: other, prefix: "9" }) as {
      input: { setlinfo: Record<string, unknown> };
    };
    const mine = await consoleDb(store)
      .selectFrom("settlement_list")
      .select(["setl_id", "version"])
      .where("hospital_code", "=", own)
      .orderBy("setl_id")
      .executeTakeFirstOrThrow();
    e.input.setlinfo.setl_id = mine.setl_id;
    const body = JSON.stringify(e);
    const status = await new Promise<number>((resolveStatus, reject) => {
      const req = httpRequest(
        `${base}/api/v1/settlement-lists`,
        {
          method: "POST",
          headers: {
            cookie: s.cookie,
            "x-csrf-token": s.csrf,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolveStatus(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(403);
    const after = await consoleDb(store)
      .selectFrom("settlement_list")
      .select(["hospital_code", "version"])
      .where("setl_id", "=", mine.setl_id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ hospital_code: own, version: mine.version });
  });

  it("a hospital's precheck sees the patient's earlier stays at that hospital only", async () => {
    const row = await consoleDb(store)
      .selectFrom("settlement_list")
      .select(["message", "setl_id"])
      .where("hospital_code", "=", other)
      .where("status", "=", "accepted")
      .orderBy("setl_id")
      .executeTakeFirstOrThrow();
    const message = (typeof row.message === "string" ? JSON.parse(row.message) : row.message) as {
      input: { setlinfo: Record<string, unknown> };
    };
    // The same patient and dates, now at this hospital: the other hospital's stay is the only history.
    message.input.setlinfo.fixmedins_code = own;
    message.input.setlinfo.setl_id = "PRECHECK0001";
    const ask = async (username: string) => {
      const s = await signIn(username);
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/audit/precheck",
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
        payload: { message },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const bureau = (await ask("bureau")).json() as { historyStays: number };
    expect(bureau.historyStays, "医保局的事前审核应看到其他医院的既往住院").toBeGreaterThan(0);
    const hospital = await ask("hospital");
    expect((hospital.json() as { historyStays: number }).historyStays).toBe(0);
    expect(hospital.body.includes(row.setl_id)).toBe(false);
  });

  it("a hospital's own reads on every hospital-scoped route answer 200, HEAD too", async () => {
    const s = await signIn("hospital");
    const failed: string[] = [];
    for (const r of routes()) {
      if (r.method !== "GET" || r.access.scope !== "query") continue;
      if (!(r.access.roles as readonly string[]).includes("hospital")) continue;
      // The route's required query parameters, valid by its schema (the hospital one forced by the scope).
      const q = r.schema.querystring as
        | { required?: string[]; properties?: Record<string, unknown> }
        | undefined;
      const params = new URLSearchParams();
      for (const k of q?.required ?? []) {
        const [v] = fc.sample(arbitraryOf(q?.properties?.[k]), { numRuns: 1, seed: 7 });
        params.set(k, String(v));
      }
      const url = `${pathOf(r)}${params.size > 0 ? `?${params}` : ""}`;
      const res = await app.inject({ method: "GET", url, headers: { cookie: s.cookie } });
      // 404 only for a year not cleared yet; never 400 (the forced hospital parameter must fit the schema)
      // nor 403.
      const ok = res.statusCode === 200 || (res.statusCode === 404 && res.json().code === "NOT_CLEARED");
      if (!ok) failed.push(`${url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      const head = await app.inject({ method: "HEAD", url: pathOf(r) });
      expect(head.statusCode, `HEAD ${r.url} 无凭据`).toBe(401);
    }
    expect(failed).toEqual([]);
  });
});

/** Values a careless or hostile client sends for a parameter. */
const HOSTILE_VALUES: readonly string[] = [
  "",
  "%00",
  "a%00b",
  "%ED%A0%80",
  "%F0%9F%98%80",
  "1e20",
  "-1",
  "9007199254740993",
  "NaN",
  "0000-01",
  "9999-12",
  "2025-13",
  "0000-01..9999-12",
  "x".repeat(5000),
  "'; DROP TABLE settlement_list; --",
  "../../etc/passwd",
  "%7B%22a%22%3A1%7D",
  "true",
  "null",
];

/** A value of the wrong kind for a body field of this schema. */
function wrongValues(schema: unknown): unknown[] {
  const s = (schema ?? {}) as { type?: string };
  const common: unknown[] = [
    null,
    { nested: { deeper: [1, 2, 3] } },
    [],
    "\u0000",
    1e308,
    -1,
    "9".repeat(400),
  ];
  if (s.type === "string") return [...common, 12345, true];
  if (s.type === "integer" || s.type === "number") return [...common, "12", 1.5, 2 ** 60];
  if (s.type === "boolean") return [...common, "true", 0];
  return common;
}

describe("fuzz: every route's parameters and body fields", () => {
  it("no value in any query, path parameter or body field gets a response of 500 or more", async () => {
    const failures: string[] = [];
    let tried = 0;
    const send = async (method: string, url: string, headers: Record<string, string>, payload?: unknown) => {
      const res = await app.inject({
        method: method as "GET" | "POST",
        url,
        headers,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
      tried++;
      if (res.statusCode >= 500)
        failures.push(
          `${method} ${url.slice(0, 160)} ${JSON.stringify(payload)?.slice(0, 160)} → ${res.statusCode}`,
        );
    };
    for (const r of routes()) {
      if (r.url === "/api/v1/auth/logout" || r.url === "/api/v1/auth/password") continue;
      const roles = isPublic(r) ? ["bureau"] : (r.access.roles as readonly PlatformRole[]);
      const s = await signIn(
        ACCOUNT_OF_ROLE[roles.includes("bureau") ? "bureau" : (roles[0] as PlatformRole)],
      );
      const headers = { cookie: s.cookie, "x-csrf-token": s.csrf };
      const path = pathOf(r);
      const [body] = bodiesOf(r);
      // Path parameters.
      const params = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
      for (const name of params) {
        for (const v of HOSTILE_VALUES.slice(0, 14)) {
          const url = r.url.replace(`:${name}`, v === "" ? "%20" : v).replace(/:[A-Za-z]+/g, "1");
          await send(r.method, url, headers, changes(r) ? body : undefined);
        }
      }
      // Query parameters: each one the schema names, and one it does not.
      const q = r.schema.querystring as { properties?: Record<string, unknown> } | undefined;
      const names = [...Object.keys(q?.properties ?? {}), "unknownParam"];
      if (r.method === "GET") {
        for (const name of names) {
          for (const v of HOSTILE_VALUES) await send("GET", `${path}?${name}=${v}`, headers);
          await send("GET", `${path}?${name}=a&${name}=b`, headers);
          await send("GET", `${path}?${name}[x]=1`, headers);
        }
      }
      // Body fields: each top-level field of the schema with values of the wrong kind, and the body
      // itself replaced by other JSON values.
      if (changes(r) && r.schema.body) {
        const props = ((r.schema.body as { properties?: Record<string, unknown> }).properties ??
          {}) as Record<string, unknown>;
        const valid = (body ?? {}) as Record<string, unknown>;
        for (const [name, schema] of Object.entries(props)) {
          for (const v of wrongValues(schema)) await send(r.method, path, headers, { ...valid, [name]: v });
        }
        for (const whole of [[], [null], "text", 42, { a: { b: { c: { d: {} } } } }]) {
          await send(r.method, path, headers, whole);
        }
      }
    }
    expect(tried).toBeGreaterThan(2000);
    expect(failures).toEqual([]);
  }, 300_000);
});
