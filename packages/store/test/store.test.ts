import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Store, saveSettlementLists, WriteBatcher } from "../src/index.js";
import { ENGINES, type TestEngine } from "./engines.js";
import { ERROR, upload, WARNING } from "./fixtures.js";

for (const makeEngine of ENGINES) {
  const engine: TestEngine = makeEngine();
  describe(`store on ${engine.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it("stores a new list with its findings and the original message unchanged", async () => {
      const u = upload("S-NEW-1", { findings: [WARNING] });
      const [o] = await store.saveSettlementLists([u]);
      expect(o).toEqual({ setlId: "S-NEW-1", outcome: "inserted", status: "accepted", version: 1 });
      const d = await store.getSettlementList("S-NEW-1");
      expect(d?.list.version).toBe(1);
      expect(d?.list.status).toBe("accepted");
      expect(d?.list.warning_count).toBe(1);
      expect(d?.list.total_fee_fen).toBe(1_234_567);
      expect(d?.list.setl_end_date).toBe("2024-03-10");
      expect(d?.list.period).toBe("2024-03");
      expect(d?.list.message).toEqual(u.list.message);
      expect(d?.findings).toEqual([WARNING]);
      expect(d?.history).toEqual([]);
    });

    it("replaces on re-upload and keeps the old version with its findings in history", async () => {
      await store.saveSettlementLists([upload("S-RE-1", { findings: [WARNING], tag: "first" })]);
      const [o] = await store.saveSettlementLists([upload("S-RE-1", { drg: "GB29", tag: "second" })]);
      expect(o).toMatchObject({ outcome: "replaced", status: "accepted", version: 2 });
      const d = await store.getSettlementList("S-RE-1");
      expect(d?.list.drg).toBe("GB29");
      expect(d?.findings).toEqual([]);
      expect(d?.history).toHaveLength(1);
      expect(d?.history[0]?.version).toBe(1);
      expect(d?.history[0]?.drg).toBe("GB25");
      expect(d?.history[0]?.findings).toEqual([WARNING]);
      expect(
        (d?.history[0]?.message as { input: { setlinfo: { tag: string } } } | undefined)?.input.setlinfo.tag,
      ).toBe("first");
    });

    it("never lets a refused re-upload replace an accepted list", async () => {
      await store.saveSettlementLists([upload("S-KEEP-1", { tag: "good" })]);
      const [o] = await store.saveSettlementLists([upload("S-KEEP-1", { findings: [ERROR], tag: "bad" })]);
      expect(o).toEqual({ setlId: "S-KEEP-1", outcome: "refused_kept", status: "refused", version: 1 });
      const d = await store.getSettlementList("S-KEEP-1");
      expect(d?.list.status).toBe("accepted");
      expect(d?.list.version).toBe(1);
      expect(d?.history).toEqual([]);
      expect(d?.refusedUploads).toHaveLength(1);
      expect(d?.refusedUploads[0]?.findings).toEqual([ERROR]);
    });

    it("stores a refused list and lets a corrected upload replace it", async () => {
      const [first] = await store.saveSettlementLists([upload("S-FIX-1", { findings: [ERROR] })]);
      expect(first).toMatchObject({ outcome: "inserted", status: "refused", version: 1 });
      const [second] = await store.saveSettlementLists([upload("S-FIX-1")]);
      expect(second).toMatchObject({ outcome: "replaced", status: "accepted", version: 2 });
      const d = await store.getSettlementList("S-FIX-1");
      expect(d?.history.map((h) => h.status)).toEqual(["refused"]);
      expect(d?.history[0]?.findings).toEqual([ERROR]);
    });

    it("applies repeated setl_ids within one batch in order", async () => {
      const outcomes = await store.saveSettlementLists([
        upload("S-DUP-1", { tag: "a" }),
        upload("S-DUP-2", { tag: "x" }),
        upload("S-DUP-1", { tag: "b" }),
        upload("S-DUP-1", { tag: "c" }),
      ]);
      expect(outcomes.map((o) => `${o.setlId}:${o.outcome}:${o.version}`)).toEqual([
        "S-DUP-1:inserted:1",
        "S-DUP-2:inserted:1",
        "S-DUP-1:replaced:2",
        "S-DUP-1:replaced:3",
      ]);
      const d = await store.getSettlementList("S-DUP-1");
      expect(
        (d?.list.message as { input: { setlinfo: { tag: string } } } | undefined)?.input.setlinfo.tag,
      ).toBe("c");
      expect(d?.history.map((h) => h.version)).toEqual([2, 1]);
    });

    it("loses and duplicates nothing under concurrent batches that overlap", async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `S-CC-${i}`);
      // 12 concurrent batches; every id is uploaded 3 times in total, in different batch orders.
      const batches = Array.from({ length: 12 }, (_, b) =>
        ids.filter((_, i) => (i + b) % 4 === 0).map((id) => upload(id, { tag: `b${b}` })),
      );
      const results = await Promise.all(batches.map((batch) => saveSettlementLists(store.db, batch)));
      const perId = new Map<string, number[]>();
      for (const o of results.flat()) perId.set(o.setlId, [...(perId.get(o.setlId) ?? []), o.version]);
      for (const id of ids) expect(perId.get(id)?.sort()).toEqual([1, 2, 3]);
      const current = await store.db
        .selectFrom("settlement_list")
        .select(["setl_id", "version"])
        .where("setl_id", "like", "S-CC-%")
        .execute();
      expect(current).toHaveLength(40);
      expect(current.every((r) => r.version === 3)).toBe(true);
      const history = await store.db
        .selectFrom("settlement_list_history")
        .select(["setl_id", "version"])
        .where("setl_id", "like", "S-CC-%")
        .orderBy("setl_id")
        .orderBy("version")
        .execute();
      expect(history).toHaveLength(80);
      for (const id of ids) {
        expect(history.filter((h) => h.setl_id === id).map((h) => h.version)).toEqual([1, 2]);
      }
    });

    it("group-commits through the write batcher, in order per setl_id", async () => {
      const batches: number[] = [];
      const batcher = new WriteBatcher(
        (uploads) => {
          batches.push(uploads.length);
          return saveSettlementLists(store.db, uploads);
        },
        { maxBatch: 16, maxInFlight: 2 },
      );
      const all = Array.from({ length: 60 }, (_, i) => upload(`S-WB-${i % 20}`, { tag: `t${i}` }));
      const outcomes = await Promise.all(batcher.saveAll(all));
      await batcher.idle();
      expect(batches.length).toBeLessThan(all.length);
      // Uploads of one setl_id are applied in submission order: versions 1, 2, 3.
      for (let id = 0; id < 20; id++) {
        expect(outcomes.filter((o) => o.setlId === `S-WB-${id}`).map((o) => o.version)).toEqual([1, 2, 3]);
        const d = await store.getSettlementList(`S-WB-${id}`);
        expect(
          (d?.list.message as { input: { setlinfo: { tag: string } } } | undefined)?.input.setlinfo.tag,
        ).toBe(`t${id + 40}`);
      }
    });

    it("one bad upload in a group commit does not sink the others", async () => {
      const batcher = new WriteBatcher((uploads) => saveSettlementLists(store.db, uploads), { maxBatch: 10 });
      const bad = upload("S-BAD-1");
      // A NOT NULL violation fails its batch; the batcher then writes the others one by one.
      (bad.list as { hospital_name: string | null }).hospital_name = null;
      const settled = await Promise.allSettled(batcher.saveAll([upload("S-OK-1"), bad, upload("S-OK-2")]));
      expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(await store.getSettlementList("S-BAD-1")).toBeUndefined();
      expect((await store.getSettlementList("S-OK-2"))?.list.version).toBe(1);
    });

    it("filters and pages the list query", async () => {
      await store.saveSettlementLists([
        upload("Q-1", { hospital: "HQ1", period: "2024-01", drg: "ES33" }),
        upload("Q-2", { hospital: "HQ1", period: "2024-02", drg: "ES35" }),
        upload("Q-3", { hospital: "HQ1", period: "2024-03", drg: "ES33", findings: [ERROR] }),
        upload("Q-4", { hospital: "HQ2", period: "2024-02", drg: "ES33" }),
      ]);
      const byHospital = await store.listSettlementLists({ hospital: "HQ1" });
      expect(byHospital.total).toBe(3);
      const range = await store.listSettlementLists({
        hospital: "HQ1",
        periodFrom: "2024-02",
        periodTo: "2024-03",
      });
      expect(range.items.map((i) => i.setl_id).sort()).toEqual(["Q-2", "Q-3"]);
      const drg = await store.listSettlementLists({ drg: "ES33", status: "accepted" });
      expect(drg.items.map((i) => i.setl_id).sort()).toEqual(["Q-1", "Q-4"]);
      const page = await store.listSettlementLists({ hospital: "HQ1", limit: 2, offset: 2 });
      expect(page.total).toBe(3);
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).not.toHaveProperty("message");
    });

    it("computes QC indicators per hospital and period", async () => {
      const h = "HIND";
      await store.saveSettlementLists([
        upload("I-1", { hospital: h, period: "2024-05" }),
        upload("I-2", { hospital: h, period: "2024-05", groupStatus: "AMBIGUOUS", drg: "GQY" }),
        upload("I-3", { hospital: h, period: "2024-05", groupStatus: "UNGROUPABLE", drg: "0000" }),
        upload("I-4", { hospital: h, period: "2024-05", findings: [ERROR, WARNING] }),
        upload("I-5", { hospital: h, period: "2024-06", findings: [WARNING] }),
      ]);
      await store.saveSettlementLists([upload("I-1", { hospital: h, period: "2024-05", findings: [ERROR] })]);
      await store.setSettledCount(h, "2024-05", 5);
      const r = await store.qcIndicators({ hospital: h, periodFrom: "2024-05", periodTo: "2024-05" });
      expect(r.rows).toHaveLength(1);
      expect(r.total).toMatchObject({
        lists: 4,
        accepted: 3,
        refused: 1,
        refusedReuploads: 1,
        settledCount: 5,
        grouped: 1,
        ambiguous: 1,
        ungrouped: 1,
      });
      expect(r.total.uploadRate).toBeCloseTo(0.8);
      expect(r.total.qcPassRate).toBeCloseTo(0.75);
      // 入组率: I-1 (OK) and I-2 (QY) are in a group, I-3 (0000) is not.
      expect(r.total.groupingRate).toBeCloseTo(2 / 3);
      expect(r.total.ungroupedShare).toBeCloseTo(1 / 3);
      expect(r.findingsByRule).toEqual([
        { ruleId: "QC-DATE-008", severity: "warning", findings: 1, lists: 1 },
        { ruleId: "QC-REQ-001", severity: "error", findings: 1, lists: 1 },
      ]);
      const both = await store.qcIndicators({ hospital: h });
      expect(both.rows.map((x) => x.period)).toEqual(["2024-05", "2024-06"]);
      expect(both.total.uploadRate).toBeCloseTo(0.8);
    });

    it("runs appended migrations once and is ready again when reopened", async () => {
      const extra = {
        name: "0100_test_payment_table",
        async up(db: Kysely<unknown>) {
          await sql`CREATE TABLE test_payment (setl_id text PRIMARY KEY REFERENCES settlement_list (setl_id))`.execute(
            db,
          );
        },
      };
      const again = engine.name === "pglite" ? store : await engine.reopen({ migrations: [extra] });
      if (engine.name === "pglite") {
        const { migrate, storeMigrations } = await import("../src/index.js");
        await migrate(store.db, [...storeMigrations, extra]);
        await migrate(store.db, [...storeMigrations, extra]);
      }
      await sql`INSERT INTO test_payment VALUES ('S-NEW-1')`.execute(again.db);
      const n = await sql<{ n: number }>`SELECT count(*)::int8 AS n FROM test_payment`.execute(again.db);
      expect(n.rows[0]?.n).toBe(1);
      if (again !== store) await again.close();
    });
  });
}
