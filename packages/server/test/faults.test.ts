/**
 * Database faults (PostgreSQL): the server's connections are terminated (what a restart or failover
 * does) while batches are being uploaded. The process survives, /healthz and uploads recover by
 * themselves within seconds, every acknowledged list is in the store, and uploading the failed batches
 * again is idempotent by setl_id.
 */
import { randomBytes } from "node:crypto";
import { dropSchema, openStore, type Store, terminateConnections } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildServer,
  identityMigrations,
  type ListResult,
  sampleSettlementMessage,
  type YibaoApp,
} from "../src/index.js";
import { demoScheme, signIn, TEST_DATABASE_URL, withHeaders } from "./helpers.js";

describe("database faults on postgres", () => {
  const tag = randomBytes(5).toString("hex");
  const schema = `test_fault_${process.pid}_${tag}`;
  const applicationName = `yibao-fault-${tag}`;
  const connectionErrors: Error[] = [];
  let store: Store;
  let app: YibaoApp;

  beforeAll(async () => {
    store = await openStore({
      databaseUrl: TEST_DATABASE_URL,
      schema,
      poolSize: 6,
      applicationName,
      onConnectionError: (err) => connectionErrors.push(err),
      migrations: identityMigrations,
    });
    const raw = await buildServer({ store, scheme: await demoScheme() });
    app = withHeaders(raw, await signIn(raw, store, "bureau"));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await dropSchema(TEST_DATABASE_URL, schema);
  });

  // Small helpers, so that a session cookie can be added in one place later.
  const upload = (lists: unknown[]) =>
    app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: lists as object[] });
  const health = () => app.inject({ method: "GET", url: "/healthz" });

  const BATCHES = 36;
  const PER_BATCH = 40;
  const batch = (b: number) =>
    Array.from({ length: PER_BATCH }, (_, i) => sampleSettlementMessage(b * PER_BATCH + i, { prefix: "FT" }));

  async function storedIds(): Promise<Set<string>> {
    const r = await sql<{
      setl_id: string;
    }>`SELECT setl_id FROM settlement_list WHERE setl_id LIKE 'FT%'`.execute(store.db);
    return new Set(r.rows.map((x) => x.setl_id));
  }

  it("survives terminated connections, recovers by itself and loses nothing acknowledged", async () => {
    const acknowledged = new Set<string>();
    const failed = new Set<number>();
    let next = 0;
    const worker = async () => {
      while (next < BATCHES) {
        const b = next++;
        const r = await upload(batch(b));
        expect([200, 503]).toContain(r.statusCode); // 503 only while the database is down
        if (r.statusCode !== 200) {
          expect(r.json()).toMatchObject({ code: "STORE_UNAVAILABLE" });
          failed.add(b);
          continue;
        }
        const results = r.json().results as ListResult[];
        for (const x of results) if (x.accepted && x.setl_id) acknowledged.add(x.setl_id);
        if (results.some((x) => !x.accepted)) failed.add(b);
      }
    };
    let terminated = 0;
    const killer = (async () => {
      // Terminate the pool's connections three times while the uploads run: idle ones, and ones in
      // the middle of a transaction.
      for (let k = 0; k < 3 && next < BATCHES; k++) {
        await new Promise((r) => setTimeout(r, 150 + 100 * k));
        terminated += await terminateConnections(TEST_DATABASE_URL, applicationName);
      }
    })();
    await Promise.all([worker(), worker(), worker(), killer]);
    expect(terminated).toBeGreaterThan(0);

    // Idle connections too: the pool must drop them without ending the process.
    await health();
    expect(await terminateConnections(TEST_DATABASE_URL, applicationName)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(connectionErrors.length).toBeGreaterThan(0);

    // Serving again within a few seconds, without any intervention.
    const deadline = Date.now() + 5_000;
    let h = await health();
    while (h.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      h = await health();
    }
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: "ok", database: "postgres", databaseStatus: "ok" });

    // Nothing acknowledged is lost.
    const stored = await storedIds();
    for (const id of acknowledged) expect(stored.has(id)).toBe(true);

    // Uploading the failed batches again (and one that succeeded) stores each setl_id exactly once.
    for (const b of [...failed, 0]) {
      const r = await upload(batch(b));
      expect(r.statusCode).toBe(200);
      expect(r.json().accepted).toBe(PER_BATCH);
    }
    const after = await sql<{ n: number; distinct: number }>`
      SELECT count(*)::int8 AS n, count(DISTINCT setl_id)::int8 AS distinct FROM settlement_list
      WHERE setl_id LIKE 'FT%'`.execute(store.db);
    expect(after.rows[0]).toEqual({ n: BATCHES * PER_BATCH, distinct: BATCHES * PER_BATCH });
    const counts = await sql<{ lists: number }>`
      SELECT coalesce(sum(lists), 0)::int8 AS lists FROM settlement_list_count`.execute(store.db);
    expect(counts.rows[0]?.lists).toBe(BATCHES * PER_BATCH);
  });
});
