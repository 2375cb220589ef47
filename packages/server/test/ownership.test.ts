/**
 * Who owns a setl_id: the institution whose list was stored first. Another institution can neither
 * replace it with a type trick (setl_id as a JSON number) nor by uploading the same new setl_id at the
 * same moment; the loser is refused and leaves no trace in the owner's list, history or refused view.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListResult, sampleSettlementMessage } from "../src/index.js";
import { ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

const A = "H21010200001";
const B = "H21010200002";

type Envelope = {
  input: {
    setlinfo: Record<string, unknown>;
    diseinfo: [Record<string, unknown>, ...Record<string, unknown>[]];
  };
};
const list = (n: number, prefix: string, hospitalCode: string) =>
  sampleSettlementMessage(n, { prefix, hospitalCode }) as unknown as Envelope;

for (const engine of ENGINE_NAMES) {
  describe(`setl_id ownership on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    });
    afterAll(async () => {
      await t?.close();
    });

    // Small helpers, so that each hospital's session cookie can be added in one place later.
    const upload = (_hospital: string, payload: unknown) =>
      t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: payload as object });
    const detail = async (setlId: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/settlement-lists/${setlId}` })).json();

    it("setl_id or a code sent as a JSON number (or object) is a 400 naming the list and field", async () => {
      const numeric = list(1, "9", A);
      numeric.input.setlinfo.setl_id = 90000000001;
      const r = await upload(B, [list(2, "NUM", B), numeric]);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: "INVALID_CODE_TYPE" });
      expect(r.json().message).toContain("下标 1");
      expect(r.json().message).toContain("setl_id");
      expect(r.json().details).toContainEqual(
        expect.objectContaining({ field: "[1].input.setlinfo.setl_id" }),
      );
      const codes = list(3, "NUM", B);
      codes.input.setlinfo.fixmedins_code = { code: A };
      codes.input.diseinfo[0].diag_code = 1;
      const single = await upload(B, codes);
      expect(single.statusCode).toBe(400);
      expect(single.json().details.map((d: { field: string }) => d.field)).toEqual([
        "input.setlinfo.fixmedins_code",
        "input.diseinfo[0].diag_code",
      ]);
      // Nothing of either request was stored.
      expect(
        (await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/NUM0000000002" })).statusCode,
      ).toBe(404);
    });

    it("hospital B cannot replace A's list by sending A's setl_id, as a number or as a string", async () => {
      const own = list(10, "OWN", A);
      expect((await upload(A, own)).json()).toMatchObject({ accepted: true, outcome: "inserted" });
      const before = await detail("OWN0000000010");

      const asNumber = list(10, "OWN", B);
      asNumber.input.setlinfo.setl_id = 10;
      expect((await upload(B, asNumber)).statusCode).toBe(400);

      const foreign = list(10, "OWN", B);
      foreign.input.setlinfo.medcasno = "B-TAKEOVER";
      const r = await upload(B, foreign);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({
        accepted: false,
        stored: false,
        outcome: "refused_foreign",
        version: null,
      });
      expect(r.json().message).toContain("其他定点医药机构");
      // Also when A's list is refused, and inside an array.
      const arr = await upload(B, [list(11, "OWN", B), foreign]);
      expect((arr.json().results as ListResult[]).map((x) => x.outcome)).toEqual([
        "inserted",
        "refused_foreign",
      ]);

      const after = await detail("OWN0000000010");
      expect(after.list).toEqual(before.list);
      expect(after.history).toEqual([]);
      expect(after.refusedUploads).toEqual([]);
    });

    it("two hospitals uploading one new setl_id at once: exactly one owner, the other refused, no trace of it", async () => {
      for (let round = 0; round < 20; round++) {
        const setlId = `RACE${String(round).padStart(10, "0")}`;
        const a = list(round, "RACE", A);
        const b = list(round, "RACE", B);
        const [ra, rb] = await Promise.all([upload(A, a), upload(B, b)]);
        const results = [ra.json() as ListResult, rb.json() as ListResult];
        expect(results.map((x) => x.setl_id)).toEqual([setlId, setlId]);
        const winners = results.filter((x) => x.outcome === "inserted");
        const losers = results.filter((x) => x.outcome === "refused_foreign");
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        const owner = results[0]?.outcome === "inserted" ? A : B;
        const d = await detail(setlId);
        expect(d.list.hospital_code).toBe(owner);
        expect(d.list.version).toBe(1);
        expect(d.history).toEqual([]);
        expect(d.refusedUploads).toEqual([]);
      }
      const rows = await sql<{ setl_id: string; n: number }>`
        SELECT setl_id, count(*)::int8 AS n FROM settlement_list_history WHERE setl_id LIKE 'RACE%' GROUP BY setl_id`.execute(
        t.store.db,
      );
      expect(rows.rows).toEqual([]);
      const refused = await sql<{ n: number }>`
        SELECT count(*)::int8 AS n FROM refused_upload WHERE setl_id LIKE 'RACE%'`.execute(t.store.db);
      expect(refused.rows[0]?.n).toBe(0);
    });
  });
}
