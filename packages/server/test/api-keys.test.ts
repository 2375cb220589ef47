/**
 * 机构接口密钥 and signed requests, end to end with the example client's signing code
 * (examples/signed-client.mjs), on PGlite and on PostgreSQL, with the platform's areas (console,
 * payment, audit) on the server so that every non-machine route can be tried with a key:
 * - a key issued through the API (as the bureau) uploads a list, reads it back and prechecks it;
 * - each way a signed request can be wrong is refused with its status and message;
 * - the example script itself, run as a child process against a listening server, succeeds.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { auditMigrations, auditPlugin } from "@yibao/audit-service";
import { consoleMigrations, consolePlugins } from "@yibao/console";
import { paymentMigrations, paymentPlugin } from "@yibao/payment-service";
import { dropSchema, openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
// The README's example client: its signing function is what these tests sign with.
import { signRequest } from "../../../examples/signed-client.mjs";
import {
  buildServer,
  identityDb,
  identityMigrations,
  loadMasterKey,
  sampleSettlementMessage,
  servedRoutes,
  type YibaoApp,
} from "../src/index.js";
import {
  type AuthHeaders,
  demoScheme,
  ENGINE_NAMES,
  type EngineName,
  signIn,
  TEST_DATABASE_URL,
} from "./helpers.js";

const REPO = resolve(import.meta.dirname, "../../..");
const CLIENT = resolve(REPO, "examples/signed-client.mjs");
const CURL_CLIENT = resolve(REPO, "examples/signed-upload.sh");
const HOSPITAL_A = "H21010200001";
const HOSPITAL_B = "H21010200002";
const HOSPITAL_C = "H21010200003";
const MIGRATIONS = [...identityMigrations, ...paymentMigrations, ...auditMigrations, ...consoleMigrations];

interface Key {
  readonly keyId: string;
  readonly secret: string;
}

interface Harness {
  readonly app: YibaoApp;
  readonly store: Store;
  readonly bureau: AuthHeaders;
  readonly masterKey: Buffer;
  close(): Promise<void>;
}

async function harness(engine: EngineName): Promise<Harness> {
  const scheme = await demoScheme();
  const schema = `test_keys_${process.pid}_${randomBytes(5).toString("hex")}`;
  const store =
    engine === "pglite"
      ? await openStore({ memory: true, migrations: MIGRATIONS })
      : await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4, migrations: MIGRATIONS });
  const now = new Date();
  await identityDb(store)
    .insertInto("hospital")
    .values(
      [HOSPITAL_A, HOSPITAL_B, HOSPITAL_C].map((code, i) => ({
        code,
        name: `测试医院${i + 1}`,
        level: "3",
        first_seen_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const masterKey = randomBytes(32);
  const app = await buildServer({
    store,
    scheme,
    apiKeys: { masterKey, now: serverClock },
    plugins: [...consolePlugins({ store, checkIntervalMs: 0 }), paymentPlugin(), auditPlugin()],
  });
  const bureau = await signIn(app, store, "bureau");
  return {
    app,
    store,
    bureau,
    masterKey,
    async close() {
      await app.close();
      await store.close();
      if (engine === "postgres") await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

async function issue(h: Harness, hospitalCode: string, name = "HIS 上传", expiresInDays?: number) {
  const r = await h.app.inject({
    method: "POST",
    url: "/api/v1/api-keys",
    headers: h.bureau,
    payload: { hospitalCode, name, ...(expiresInDays !== undefined ? { expiresInDays } : {}) },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Key & { hospitalCode: string; expiresAt: string };
}

interface SignedOptions {
  readonly body?: string;
  /** The body actually sent, when it differs from the one signed. */
  readonly sendBody?: string;
  /** The URL actually requested, when it differs from the one signed. */
  readonly sendUrl?: string;
  readonly timestamp?: number;
  readonly nonce?: string;
  readonly headers?: Record<string, string>;
}

function signedHeaders(key: Key, method: string, url: string, o: SignedOptions = {}): Record<string, string> {
  return {
    ...signRequest({
      method,
      path: url,
      body: o.body ?? "",
      keyId: key.keyId,
      secret: key.secret,
      ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
      ...(o.nonce !== undefined ? { nonce: o.nonce } : {}),
    }),
    ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
    ...o.headers,
  };
}

function signed(app: YibaoApp, key: Key, method: "GET" | "POST", url: string, o: SignedOptions = {}) {
  const payload = o.sendBody ?? o.body;
  return app.inject({
    method,
    url: o.sendUrl ?? url,
    headers: signedHeaders(key, method, url, o),
    ...(payload !== undefined ? { payload } : {}),
  });
}

/** The operation log and the key's last use are written after the response: wait for them. */
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The server's clock: the system's, unless a test pins it (a request may take seconds on a busy machine). */
let pinnedAt: number | null = null;
const serverClock = () => new Date(pinnedAt ?? Date.now());
const envelope = (n: number, hospitalCode: string, prefix = "K") =>
  sampleSettlementMessage(n, { hospitalCode, prefix: `${prefix}${hospitalCode.slice(-1)}` });
const setlIdOf = (e: Record<string, unknown>) =>
  (e as { input: { setlinfo: { setl_id: string } } }).input.setlinfo.setl_id;

describe.each(ENGINE_NAMES)("institution API keys on %s", (engine) => {
  let h: Harness;
  let keyA: Key & { hospitalCode: string; expiresAt: string };

  beforeAll(async () => {
    h = await harness(engine);
    keyA = await issue(h, HOSPITAL_A);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("issues a key through the API: id, secret once, default expiry of a year; only a salt and a fingerprint are stored", async () => {
    expect(keyA.keyId).toMatch(/^AK[A-Z2-7]{20}$/);
    expect(keyA.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(keyA.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);
    const row = await identityDb(h.store)
      .selectFrom("api_key")
      .selectAll()
      .where("key_id", "=", keyA.keyId)
      .executeTakeFirstOrThrow();
    expect(row.hospital_code).toBe(HOSPITAL_A);
    expect(JSON.stringify(row)).not.toContain(keyA.secret);
    const list = await h.app.inject({
      method: "GET",
      url: `/api/v1/api-keys?hospital=${HOSPITAL_A}`,
      headers: h.bureau,
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(keyA.secret);
    const mine = (
      list.json() as { rows: { keyId: string; status: string; hospitalName: string }[] }
    ).rows.find((r) => r.keyId === keyA.keyId);
    expect(mine).toMatchObject({ status: "active", hospitalName: "测试医院1" });
    await eventually(async () => {
      const log = await identityDb(h.store)
        .selectFrom("console_oplog")
        .select(["action", "detail"])
        .where("action", "=", "签发接口密钥")
        .execute();
      expect(log.map((l) => l.detail)).toContainEqual(
        expect.objectContaining({ keyId: keyA.keyId, hospitalCode: HOSPITAL_A }),
      );
      expect(
        JSON.stringify(await identityDb(h.store).selectFrom("console_oplog").selectAll().execute()),
      ).not.toContain(keyA.secret);
    });
  });

  it("refuses issuing for an unknown hospital, beyond three years, or to a hospital account", async () => {
    const unknown = await h.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: h.bureau,
      payload: { hospitalCode: "H99999999999", name: "x" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain("医院不存在");
    const long = await h.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: h.bureau,
      payload: { hospitalCode: HOSPITAL_A, name: "x", expiresInDays: 1096 },
    });
    expect(long.statusCode).toBe(400);
    const hospital = await signIn(h.app, h.store, "hospital", HOSPITAL_A);
    const r = await h.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: hospital,
      payload: { hospitalCode: HOSPITAL_A, name: "x" },
    });
    expect(r.statusCode).toBe(403);
  });

  it("uploads a list with the key, reads it back and queries it; the use is logged and the last use recorded", async () => {
    const e = envelope(1, HOSPITAL_A);
    const up = await signed(h.app, keyA, "POST", "/api/v1/settlement-lists", { body: JSON.stringify(e) });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ setl_id: setlIdOf(e), stored: true });
    const one = await signed(h.app, keyA, "GET", `/api/v1/settlement-lists/${setlIdOf(e)}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.body).toContain(setlIdOf(e));
    const q = await signed(h.app, keyA, "GET", `/api/v1/settlement-lists?hospital=${HOSPITAL_A}&limit=5`);
    expect(q.statusCode, q.body).toBe(200);
    expect(q.body).toContain(setlIdOf(e));
    await eventually(async () => {
      const row = await identityDb(h.store)
        .selectFrom("api_key")
        .select("last_used_at")
        .where("key_id", "=", keyA.keyId)
        .executeTakeFirstOrThrow();
      expect(row.last_used_at).not.toBeNull();
      const log = await identityDb(h.store)
        .selectFrom("console_oplog")
        .select(["username", "action", "detail", "status_code"])
        .where("username", "=", `key:${keyA.keyId}`)
        .execute();
      expect(log.find((l) => l.action === "上传结算清单")).toMatchObject({
        status_code: 200,
        detail: expect.objectContaining({ keyId: keyA.keyId }),
      });
      expect(log.filter((l) => l.status_code === 200).length).toBeGreaterThanOrEqual(3); // GETs too
    });
  });

  it("refuses a tampered body before the handler runs (nothing stored)", async () => {
    const e = envelope(2, HOSPITAL_A);
    // The same list with the hospital system's message id changed.
    const tampered = JSON.stringify({ ...e, msgid: "changed-on-the-way" });
    const r = await signed(h.app, keyA, "POST", "/api/v1/settlement-lists", {
      body: JSON.stringify(e),
      sendBody: tampered,
    });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({
      code: "BODY_DIGEST_MISMATCH",
      message: expect.stringContaining("请求体摘要不符"),
    });
    const back = await h.app.inject({
      method: "GET",
      url: `/api/v1/settlement-lists/${setlIdOf(e)}`,
      headers: h.bureau,
    });
    expect(back.statusCode).toBe(404);
    // The same when the digest signed is the empty body's and a body is sent anyway.
    const extra = await signed(h.app, keyA, "POST", "/api/v1/settlement-lists", {
      sendBody: JSON.stringify(e),
      headers: { "content-type": "application/json" },
    });
    expect(extra.statusCode).toBe(401);
    expect(extra.json().message).toContain("请求体摘要不符");
  });

  it("keeps Fastify's JSON protections for signed bodies (prototype poisoning is refused)", async () => {
    const body = '{"__proto__":{"polluted":true},"infno":"4101"}';
    const r = await signed(h.app, keyA, "POST", "/api/v1/settlement-lists", { body });
    expect(r.statusCode).toBe(400);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("refuses a changed path or query", async () => {
    const e = envelope(1, HOSPITAL_A);
    const path = await signed(h.app, keyA, "GET", `/api/v1/settlement-lists/${setlIdOf(e)}`, {
      sendUrl: "/api/v1/settlement-lists/KA0000000009",
    });
    expect(path.statusCode).toBe(401);
    expect(path.json()).toMatchObject({
      code: "BAD_SIGNATURE",
      message: expect.stringContaining("签名不正确"),
    });
    const query = await signed(h.app, keyA, "GET", "/api/v1/settlement-lists?limit=1", {
      sendUrl: "/api/v1/settlement-lists?limit=100",
    });
    expect(query.statusCode).toBe(401);
    expect(query.json().message).toContain("签名不正确");
    const method = await h.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: signedHeaders(keyA, "PUT", "/api/v1/settlement-lists", { body: "[]" }),
      payload: "[]",
    });
    expect(method.statusCode).toBe(401);
    expect(method.json().message).toContain("签名不正确");
  });

  it("refuses a replayed nonce", async () => {
    const url = `/api/v1/settlement-lists/${setlIdOf(envelope(1, HOSPITAL_A))}`;
    const headers = signedHeaders(keyA, "GET", url);
    const first = await h.app.inject({ method: "GET", url, headers });
    expect(first.statusCode).toBe(200);
    const again = await h.app.inject({ method: "GET", url, headers });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({
      code: "NONCE_REPLAYED",
      message: expect.stringContaining("重复的 nonce（疑似重放）"),
    });
    // A nonce is the key's own: another key may use the same one.
    const keyA2 = await issue(h, HOSPITAL_A, "第二个系统");
    const other = await signed(h.app, keyA2, "GET", url, { nonce: headers["X-Yibao-Nonce"] });
    expect(other.statusCode).toBe(200);
  });

  it("accepts a timestamp 299 s off and refuses one 301 s off, either way", async () => {
    const url = "/api/v1/settlement-lists?limit=1";
    pinnedAt = nowSeconds() * 1000 + 500; // the server's clock stands still at a known second
    onTestFinished(() => {
      pinnedAt = null;
    });
    const serverSeconds = Math.floor((pinnedAt as number) / 1000);
    const old = await signed(h.app, keyA, "GET", url, { timestamp: serverSeconds - 301 });
    expect(old.statusCode).toBe(401);
    expect(old.json()).toMatchObject({
      code: "TIMESTAMP_OUT_OF_RANGE",
      message: expect.stringContaining("时间戳超出允许范围"),
    });
    const ahead = await signed(h.app, keyA, "GET", url, { timestamp: serverSeconds + 301 });
    expect(ahead.statusCode).toBe(401);
    expect(ahead.json().message).toContain("时间戳超出允许范围");
    const edge = await signed(h.app, keyA, "GET", url, { timestamp: serverSeconds - 299 });
    expect(edge.statusCode, edge.body).toBe(200);
    const edgeAhead = await signed(h.app, keyA, "GET", url, { timestamp: serverSeconds + 299 });
    expect(edgeAhead.statusCode, edgeAhead.body).toBe(200);
    // At the threshold itself (±300 s) still accepted.
    for (const off of [-300, 300]) {
      const at = await signed(h.app, keyA, "GET", url, { timestamp: serverSeconds + off });
      expect(at.statusCode, `${off}: ${at.body}`).toBe(200);
    }
  });

  it("refuses a wrong secret, an unknown key, missing or malformed headers", async () => {
    const url = "/api/v1/settlement-lists?limit=1";
    const wrong = await signed(
      h.app,
      { keyId: keyA.keyId, secret: randomBytes(32).toString("base64url") },
      "GET",
      url,
    );
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toContain("签名不正确");
    const unknown = await signed(h.app, { keyId: "AKAAAAAAAAAAAAAAAAAAAA", secret: keyA.secret }, "GET", url);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({
      code: "UNKNOWN_KEY",
      message: expect.stringContaining("未知密钥"),
    });
    const headers = signedHeaders(keyA, "GET", url) as Record<string, string>;
    delete headers["X-Yibao-Signature"];
    const missing = await h.app.inject({ method: "GET", url, headers });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().message).toContain("缺少 X-Yibao-Signature");
    const shortNonce = await signed(h.app, keyA, "GET", url, { nonce: "abc" });
    expect(shortNonce.statusCode).toBe(401);
    expect(shortNonce.json().message).toContain("X-Yibao-Nonce");
  });

  it("refuses a revoked key, and revoking is logged", async () => {
    const key = await issue(h, HOSPITAL_A, "待吊销");
    const url = "/api/v1/settlement-lists?limit=1";
    expect((await signed(h.app, key, "GET", url)).statusCode).toBe(200);
    const rv = await h.app.inject({
      method: "POST",
      url: `/api/v1/api-keys/${key.keyId}/revoke`,
      headers: h.bureau,
    });
    expect(rv.statusCode, rv.body).toBe(200);
    expect(rv.json()).toMatchObject({ status: "revoked", revokedAt: expect.any(String) });
    const r = await signed(h.app, key, "GET", url);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: "KEY_REVOKED", message: expect.stringContaining("密钥已吊销") });
    const twice = await h.app.inject({
      method: "POST",
      url: `/api/v1/api-keys/${key.keyId}/revoke`,
      headers: h.bureau,
    });
    expect(twice.statusCode).toBe(409);
    const none = await h.app.inject({
      method: "POST",
      url: "/api/v1/api-keys/AKNOPE/revoke",
      headers: h.bureau,
    });
    expect(none.statusCode).toBe(404);
    await eventually(async () => {
      const log = await identityDb(h.store)
        .selectFrom("console_oplog")
        .select(["detail", "status_code"])
        .where("action", "=", "吊销接口密钥")
        .where("status_code", "=", 200)
        .execute();
      expect(log.map((l) => l.detail)).toContainEqual(
        expect.objectContaining({ keyId: key.keyId, hospitalCode: HOSPITAL_A }),
      );
    });
  });

  it("refuses an expired key, and lists it as expired", async () => {
    const key = await issue(h, HOSPITAL_A, "将过期", 1);
    const url = "/api/v1/settlement-lists?limit=1";
    expect((await signed(h.app, key, "GET", url)).statusCode).toBe(200);
    await identityDb(h.store)
      .updateTable("api_key")
      .set({ created_at: new Date(Date.now() - 2 * 86_400_000), expires_at: new Date(Date.now() - 1000) })
      .where("key_id", "=", key.keyId)
      .execute();
    const r = await signed(h.app, key, "GET", url);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: "KEY_EXPIRED", message: expect.stringContaining("密钥已过期") });
    const list = await h.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: h.bureau });
    expect(
      (list.json() as { rows: { keyId: string; status: string }[] }).rows.find((k) => k.keyId === key.keyId)
        ?.status,
    ).toBe("expired");
  });

  it("refuses a key whose hospital no longer exists", async () => {
    const key = await issue(h, HOSPITAL_C, "C 院");
    expect((await signed(h.app, key, "GET", "/api/v1/settlement-lists?limit=1")).statusCode).toBe(200);
    await identityDb(h.store).deleteFrom("hospital").where("code", "=", HOSPITAL_C).execute();
    const r = await signed(h.app, key, "GET", "/api/v1/settlement-lists?limit=1");
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toContain("已不存在");
  });

  it("holds a key to its own institution: another hospital's list is refused with 403", async () => {
    const foreign = envelope(3, HOSPITAL_B);
    const r = await signed(h.app, keyA, "POST", "/api/v1/settlement-lists", {
      body: JSON.stringify(foreign),
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toContain("不是本院");
    const q = await signed(h.app, keyA, "GET", `/api/v1/settlement-lists?hospital=${HOSPITAL_B}`);
    expect(q.statusCode).toBe(403);
    const bureau = await h.app.inject({
      method: "GET",
      url: `/api/v1/settlement-lists/${setlIdOf(foreign)}`,
      headers: h.bureau,
    });
    expect(bureau.statusCode).toBe(404);
  });

  it("opens only machine routes to a key: every other route answers 403 (console users, payment, the key routes)", async () => {
    const routes = servedRoutes(h.app);
    const closed = routes.filter((r) => r.access.roles !== "public" && !r.access.machine);
    const urls = closed.map((r) => `${r.method} ${r.url}`);
    for (const u of [
      "GET /api/v1/console/users",
      "GET /api/v1/payment/settlements",
      "POST /api/v1/api-keys",
      "GET /api/v1/api-keys",
    ])
      expect(urls).toContain(u);
    expect(
      routes
        .filter((r) => r.access.machine)
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual([
      "GET /api/v1/settlement-lists",
      "GET /api/v1/settlement-lists/:setlId",
      "POST /api/v1/audit/precheck",
      "POST /api/v1/settlement-lists",
    ]);
    for (const r of closed) {
      const url = r.url.replace(/:([A-Za-z]+)/g, "1");
      const res = await signed(
        h.app,
        keyA,
        r.method as "GET" | "POST",
        url,
        r.method === "GET" ? {} : { body: "{}" },
      );
      expect(res.statusCode, `${r.method} ${url}`).toBe(403);
      expect(res.json().message, `${r.method} ${url}`).toContain("不对机构接口密钥开放");
    }
  });

  it("prechecks a list with the key; another hospital's list is refused", async () => {
    const body = JSON.stringify({ message: envelope(4, HOSPITAL_A) });
    const r = await signed(h.app, keyA, "POST", "/api/v1/audit/precheck", { body });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ hits: expect.any(Array), intercept: expect.any(Boolean) });
    const foreign = await signed(h.app, keyA, "POST", "/api/v1/audit/precheck", {
      body: JSON.stringify({ message: envelope(4, HOSPITAL_B) }),
    });
    expect(foreign.statusCode).toBe(403);
  });

  it("derives secrets from the master key: a server with another master key cannot verify the key", async () => {
    const other = await buildServer({
      store: h.store,
      scheme: await demoScheme(),
      apiKeys: { masterKey: randomBytes(32) },
    });
    try {
      const r = await signed(other, keyA, "GET", "/api/v1/settlement-lists?limit=1");
      expect(r.statusCode).toBe(401);
      expect(r.json().message).toContain("主密钥");
    } finally {
      await other.close();
    }
  });
});

describe("the master key", () => {
  it("is created once in the data directory with mode 0600, and reused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "yibao-mk-"));
    try {
      const a = await loadMasterKey({ dataDir: join(dir, "data") }, {});
      const file = join(dir, "data", "master.key");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(a.length).toBe(32);
      const b = await loadMasterKey({}, { YIBAO_DATA_DIR: join(dir, "data") });
      expect(b.equals(a)).toBe(true);
      expect((await readFile(file, "utf8")).trim()).toBe(a.toString("base64"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("comes from YIBAO_MASTER_KEY when set (at least 32 bytes), and a key file others can read is refused", async () => {
    const key = randomBytes(48);
    expect((await loadMasterKey({}, { YIBAO_MASTER_KEY: key.toString("base64") })).equals(key)).toBe(true);
    await expect(loadMasterKey({}, { YIBAO_MASTER_KEY: randomBytes(16).toString("base64") })).rejects.toThrow(
      "至少 32 字节",
    );
    const dir = await mkdtemp(join(tmpdir(), "yibao-mk-"));
    try {
      await writeFile(join(dir, "master.key"), randomBytes(32).toString("base64"), { mode: 0o644 });
      await expect(loadMasterKey({ dataDir: dir }, {})).rejects.toThrow("权限过宽");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the example client (examples/signed-client.mjs) as a script", () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await harness("pglite");
    base = await h.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("uploads, reads back and prechecks with a key issued through the API", async () => {
    const key = await issue(h, HOSPITAL_A, "示例脚本");
    const dir = await mkdtemp(join(tmpdir(), "yibao-client-"));
    try {
      const file = join(dir, "lists.json");
      const e = envelope(7, HOSPITAL_A, "X");
      await writeFile(file, JSON.stringify([e], null, 2));
      const { stdout } = await promisify(execFile)(process.execPath, [CLIENT, file], {
        env: { ...process.env, YIBAO_URL: base, YIBAO_KEY_ID: key.keyId, YIBAO_SECRET: key.secret },
      });
      const steps = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { step: string; status: number; data: Record<string, unknown> });
      expect(steps.map((s) => [s.step, s.status])).toEqual([
        ["upload", 200],
        ["read", 200],
        ["precheck", 200],
      ]);
      expect(steps[0]?.data).toMatchObject({ count: 1, accepted: 1 });
      expect(JSON.stringify(steps[1]?.data)).toContain(setlIdOf(e));
      // A wrong secret: the script reports the refusal and exits with 1.
      const bad = await promisify(execFile)(process.execPath, [CLIENT, file], {
        env: { ...process.env, YIBAO_URL: base, YIBAO_KEY_ID: key.keyId, YIBAO_SECRET: "not-the-secret" },
      }).catch((err: { code: number; stdout: string }) => err);
      expect((bad as { code?: number }).code).toBe(1);
      expect((bad as { stdout: string }).stdout).toContain("签名不正确");
      const n = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM settlement_list WHERE setl_id LIKE 'X%'`.execute(identityDb(h.store));
      expect(n.rows[0]?.n).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the curl and openssl variant (examples/signed-upload.sh) uploads with the same key", async () => {
    const key = await issue(h, HOSPITAL_A, "curl 示例");
    const dir = await mkdtemp(join(tmpdir(), "yibao-curl-"));
    try {
      const file = join(dir, "list.json");
      const e = envelope(8, HOSPITAL_A, "Y");
      await writeFile(file, JSON.stringify(e));
      const run = (secret: string) =>
        promisify(execFile)("sh", [CURL_CLIENT, file], {
          env: { ...process.env, YIBAO_URL: base, YIBAO_KEY_ID: key.keyId, YIBAO_SECRET: secret },
        });
      const { stdout } = await run(key.secret);
      expect(JSON.parse(stdout)).toMatchObject({ setl_id: setlIdOf(e), stored: true });
      const bad = await run(randomBytes(32).toString("base64url")).catch((err: { stdout: string }) => err);
      expect((bad as { stdout: string }).stdout).toContain("签名不正确");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
