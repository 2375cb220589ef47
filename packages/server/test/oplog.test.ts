/**
 * The operation log of uploads (操作日志): the row is written in the same transaction as the lists it
 * names, so a list is never committed without it, and a request is logged once.
 */
import { identityDb } from "@yibao/server";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleSettlementMessage } from "../src/index.js";
import { ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

const list = (n: number, prefix: string) => sampleSettlementMessage(n, { prefix });

for (const engine of ENGINE_NAMES) {
  describe(`upload operation log on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    const rows = async () =>
      identityDb(t.store)
        .selectFrom("console_oplog")
        .select(["action", "detail", "status_code", "username"])
        .where("action", "=", "上传结算清单")
        .orderBy("id")
        .execute();

    it("writes one row naming the lists a request committed, and no second one after the response", async () => {
      const before = (await rows()).length;
      const batch = [list(1, "OPA"), list(2, "OPA"), list(3, "OPA")];
      const res = await t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: batch });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().accepted).toBe(3);
      const after = await rows();
      expect(after.length - before).toBe(1);
      const detail = (after.at(-1)?.detail ?? {}) as { committed: number; setlIds: string[] };
      expect(detail.committed).toBe(3);
      expect([...detail.setlIds].sort()).toEqual(["OPA0000000001", "OPA0000000002", "OPA0000000003"]);
    });

    it("stores nothing when its log row cannot be written (one transaction)", async () => {
      const db = identityDb(t.store);
      await sql`ALTER TABLE console_oplog RENAME TO console_oplog_away`.execute(db);
      try {
        const res = await t.app.inject({
          method: "POST",
          url: "/api/v1/settlement-lists",
          payload: [list(4, "OPB"), list(5, "OPB")],
        });
        expect(res.statusCode).toBeGreaterThanOrEqual(500);
      } finally {
        await sql`ALTER TABLE console_oplog_away RENAME TO console_oplog`.execute(db);
      }
      const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM settlement_list
        WHERE setl_id LIKE 'OPB%'`.execute(db);
      expect(stored.rows[0]?.n).toBe(0);
    });

    it("logs a refused request once, after the response, with its status", async () => {
      const db = identityDb(t.store);
      const before = await db.selectFrom("console_oplog").select("id").execute();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        payload: { input: { setlinfo: { setl_id: 12345 } } },
      });
      expect(res.statusCode).toBe(400);
      // The response hook writes after the reply: wait for it.
      let after = before;
      for (let i = 0; i < 50 && after.length === before.length; i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = await db.selectFrom("console_oplog").select("id").execute();
      }
      const last = await db
        .selectFrom("console_oplog")
        .select(["status_code", "action"])
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      expect(after.length - before.length).toBe(1);
      expect(last).toEqual({ status_code: 400, action: "上传结算清单" });
    });
  });
}
