/**
 * Many parallel uploads through the HTTP layer, including re-uploads of the same setl_ids: afterwards
 * every setl_id has exactly one current row, its version equals its number of uploads, and history
 * holds every earlier version exactly once.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleSettlementMessage } from "../src/index.js";
import { ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

for (const engine of ENGINE_NAMES) {
  describe(`concurrent uploads on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    });
    afterAll(async () => {
      await t?.close();
    });

    it("loses and duplicates nothing", async () => {
      const distinct = 60;
      const copies = 4; // every setl_id is uploaded 4 times
      const requests: Promise<{ statusCode: number; json: () => unknown }>[] = [];
      const uploads: number[] = [];
      for (let c = 0; c < copies; c++) for (let i = 0; i < distinct; i++) uploads.push(i);
      // Interleave singles and small arrays, all in flight at once.
      for (let k = 0; k < uploads.length; ) {
        const size = k % 3 === 0 ? 1 : 5;
        const batch = uploads.slice(k, k + size).map((n) => sampleSettlementMessage(n, { prefix: "CC" }));
        k += size;
        requests.push(
          t.app.inject({
            method: "POST",
            url: "/api/v1/settlement-lists",
            payload: batch.length === 1 ? batch[0] : batch,
          }),
        );
      }
      const responses = await Promise.all(requests);
      expect(responses.every((r) => r.statusCode === 200)).toBe(true);
      const rows = await sql<{ setl_id: string; version: number; n: number }>`
        SELECT s.setl_id, s.version, (SELECT count(*) FROM settlement_list_history h WHERE h.setl_id = s.setl_id)::int8 AS n
        FROM settlement_list s WHERE s.setl_id LIKE 'CC%'`.execute(t.store.db);
      expect(rows.rows).toHaveLength(distinct);
      for (const r of rows.rows) {
        expect(r.version).toBe(copies);
        expect(r.n).toBe(copies - 1);
      }
      const versions = await sql<{ setl_id: string; versions: number[] }>`
        SELECT setl_id, array_agg(version ORDER BY version) AS versions FROM settlement_list_history
        WHERE setl_id LIKE 'CC%' GROUP BY setl_id`.execute(t.store.db);
      for (const v of versions.rows) expect(v.versions.map(Number)).toEqual([1, 2, 3]);
    });
  });
}
