/**
 * The summary tables (settlement_list_count, qc_finding_count, refused_upload_count) kept by
 * saveSettlementLists must equal a from-scratch recount (rebuildStoreSummaries) after any sequence of
 * uploads: new lists, re-uploads that replace a version (also moving it to another hospital or
 * period), refused re-uploads that keep the accepted version, repeated ids within a batch, and
 * concurrent batches.
 */
import fc from "fast-check";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countSettlementLists,
  type MigrationDb,
  type QcFinding,
  rebuildStoreSummaries,
  type Store,
  type StoreDatabase,
  saveSettlementLists,
  storeMigrations,
} from "../src/index.js";
import { ENGINES, type TestEngine } from "./engines.js";
import { upload } from "./fixtures.js";

type Snapshot = Record<string, unknown[]>;

/** The summary rows, zeros left out (a maintained table may keep rows whose count fell to zero). */
async function snapshot(db: Kysely<StoreDatabase>): Promise<Snapshot> {
  const lists = await sql`SELECT hospital_code, period, status, group_status, drg, lists
    FROM settlement_list_count WHERE lists <> 0
    ORDER BY hospital_code, period, status, group_status, drg`.execute(db);
  const findings =
    await sql`SELECT hospital_code, period, rule_id, severity, message_hash, message, findings, lists
    FROM qc_finding_count WHERE findings <> 0 OR lists <> 0
    ORDER BY hospital_code, period, rule_id, severity, message_hash`.execute(db);
  const refused = await sql`SELECT hospital_code, period, uploads FROM refused_upload_count WHERE uploads <> 0
    ORDER BY hospital_code, period`.execute(db);
  return { lists: lists.rows, findings: findings.rows, refused: refused.rows };
}

/** Maintained summaries, then the same after a from-scratch rebuild: they must be equal. */
async function expectConsistent(db: Kysely<StoreDatabase>): Promise<Snapshot> {
  const kept = await snapshot(db);
  // Kysely is invariant in its tables: a migration step takes the untyped view of the same connection.
  await db.transaction().execute((trx) => rebuildStoreSummaries(trx as unknown as MigrationDb));
  const recounted = await snapshot(db);
  expect(kept).toEqual(recounted);
  return recounted;
}

const HOSPITALS = ["HA", "HB", "HC"];
const PERIODS = ["2024-01", "2024-02"];
const RULES = ["QC-A", "QC-B"];
// Messages whose C-collation (byte) order differs from UTF-16 order and from the default collation.
const MESSAGES = ["a", "B", "诊断", "\u{1F600}", "\uFF5E", "x x"];

const findingArb: fc.Arbitrary<QcFinding> = fc.record({
  ruleId: fc.constantFrom(...RULES),
  severity: fc.constantFrom("error" as const, "warning" as const, "warning" as const),
  field: fc.constant("setlinfo.x"),
  message: fc.constantFrom(...MESSAGES),
});

const uploadArb = fc.record({
  id: fc.integer({ min: 0, max: 11 }),
  hospital: fc.constantFrom(...HOSPITALS),
  period: fc.constantFrom(...PERIODS),
  groupStatus: fc.constantFrom("OK" as const, "AMBIGUOUS" as const, "UNGROUPABLE" as const),
  drg: fc.constantFrom("0000", "GB25", "ES35"),
  findings: fc.array(findingArb, { maxLength: 4 }),
});

type UploadSpec = typeof uploadArb extends fc.Arbitrary<infer T> ? T : never;

function toUpload(prefix: string, u: UploadSpec) {
  return upload(`${prefix}-${u.id}`, {
    hospital: u.hospital,
    period: u.period,
    groupStatus: u.groupStatus,
    drg: u.drg,
    findings: u.findings,
  });
}

const finding = (ruleId: string, message: string, severity: "error" | "warning" = "warning") => ({
  ruleId,
  severity,
  field: "x",
  message,
});

for (const makeEngine of ENGINES) {
  const engine: TestEngine = makeEngine();
  describe(`store summaries on ${engine.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it("counts a replaced version out and a refused re-upload as refused", async () => {
      await store.saveSettlementLists([
        upload("SUM-1", {
          hospital: "HS",
          period: "2024-07",
          findings: [finding("R1", "b"), finding("R1", "a")],
        }),
        upload("SUM-2", { hospital: "HS", period: "2024-07", findings: [finding("R1", "b")] }),
      ]);
      // SUM-1 moves to another period; SUM-2 gets a refused re-upload that keeps version 1.
      await store.saveSettlementLists([
        upload("SUM-1", { hospital: "HS", period: "2024-08", drg: "0000", groupStatus: "UNGROUPABLE" }),
        upload("SUM-2", { hospital: "HS", period: "2024-07", findings: [finding("R2", "e", "error")] }),
      ]);
      const s = await expectConsistent(store.db);
      expect(s.refused).toEqual([{ hospital_code: "HS", period: "2024-07", uploads: 1 }]);
      const r = await store.qcIndicators({ hospital: "HS" });
      expect(r.rows.map((x) => [x.period, x.lists, x.ungrouped, x.refusedReuploads])).toEqual([
        ["2024-07", 1, 0, 1],
        ["2024-08", 1, 1, 0],
      ]);
      expect(r.findingsByRule).toEqual([{ ruleId: "R1", severity: "warning", findings: 1, lists: 1 }]);
      expect(await countSettlementLists(store.db, { hospital: "HS" })).toBe(2);
      expect(await countSettlementLists(store.db, { hospital: "HS", periodFrom: "2024-08" })).toBe(1);
      const listed = await store.listSettlementLists({ hospital: "HS", periodTo: "2024-07" });
      expect(listed.total).toBe(1);
    });

    it("equals a from-scratch recount after any sequence of batches (property)", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(uploadArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
          async (batches) => {
            const prefix = `P${run++}`;
            for (const batch of batches) {
              await saveSettlementLists(
                store.db,
                batch.map((u) => toUpload(prefix, u)),
              );
            }
            await expectConsistent(store.db);
          },
        ),
        { numRuns: engine.name === "pglite" ? 25 : 40 },
      );
    });

    it("equals a from-scratch recount after concurrent overlapping batches", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(uploadArb, { minLength: 1, maxLength: 10 }), { minLength: 2, maxLength: 8 }),
          async (batches) => {
            const prefix = `C${run++}`;
            const before = await countSettlementLists(store.db);
            const outcomes = await Promise.all(
              batches.map((batch) =>
                saveSettlementLists(
                  store.db,
                  batch.map((u) => toUpload(prefix, u)),
                ),
              ),
            );
            await expectConsistent(store.db);
            // Nothing lost or duplicated: one list in force per distinct id, every upload accounted for.
            const ids = new Set(batches.flat().map((u) => u.id));
            const stored = await store.db
              .selectFrom("settlement_list")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("setl_id", "like", `${prefix}-%`)
              .executeTakeFirstOrThrow();
            expect(Number(stored.n)).toBe(ids.size);
            expect(outcomes.flat()).toHaveLength(batches.flat().length);
            expect((await countSettlementLists(store.db)) - before).toBe(ids.size);
          },
        ),
        { numRuns: engine.name === "pglite" ? 10 : 20 },
      );
    });

    it("the migration backfills the summaries of lists stored before it", async () => {
      await store.saveSettlementLists([
        upload("SUM-BF-1", { hospital: "HBF", findings: [finding("R9", "m")] }),
      ]);
      const expected = await snapshot(store.db);
      for (const t of ["settlement_list_count", "qc_finding_count", "refused_upload_count"])
        await sql`DROP TABLE ${sql.id(t)}`.execute(store.db);
      const m = storeMigrations.find((x) => x.name === "0002_store_summaries");
      await m?.up(store.db as unknown as MigrationDb);
      expect(await snapshot(store.db)).toEqual(expected);
      expect(await countSettlementLists(store.db, { hospital: "HBF" })).toBe(1);
    });
  });
}
