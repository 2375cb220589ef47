import { createListPreparer } from "@yibao/server";
import type { Store } from "@yibao/store";
import type { SynthStay } from "@yibao/synth";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPeriod } from "../src/jobs.js";
import { dbOf, readPeriodStays, type StaySource } from "../src/read.js";
import { demoScheme, type Engine, fillRegion, testStore } from "./helpers.js";

async function readAll(store: Store, source: StaySource) {
  const out: unknown[] = [];
  for await (const b of readPeriodStays(store, await demoScheme(), "2000-01", "2099-12", 97, source))
    out.push(...b.stays, ...b.errors);
  return out;
}

async function findings(store: Store) {
  const r = await sql<{
    finding_id: string;
    message: string;
    evidence: unknown;
    settlements: unknown;
    fund_loss_fen: string;
    period: string;
  }>`SELECT finding_id, message, evidence, settlements, fund_loss_fen, period
    FROM audit_finding ORDER BY finding_id`.execute(dbOf(store));
  return r.rows;
}

for (const engine of ["pglite", "postgres"] as Engine[]) {
  describe(`audit list projection on ${engine}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let stays: SynthStay[];
    beforeAll(async () => {
      ({ store, cleanup } = await testStore(engine));
      stays = await fillRegion(store, await demoScheme(), 400, 23);
    }, 60_000);
    afterAll(async () => cleanup?.());

    it("reads the same stays as the stored messages, also after a re-upload, and the audit finds the same", async () => {
      const scheme = await demoScheme();
      const db = dbOf(store);
      const lists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM settlement_list`.execute(db);
      const projected = await sql<{ n: number; compact: number }>`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE jsonb_typeof(m) = 'array')::int AS compact
        FROM audit_list_projection p JOIN settlement_list s USING (setl_id, version, status, period)`.execute(
        db,
      );
      expect(projected.rows[0]).toEqual({ n: lists.rows[0]?.n, compact: lists.rows[0]?.n });
      const before = await readAll(store, "message");
      expect(before.length).toBeGreaterThan(300);
      expect(await readAll(store, "projection")).toEqual(before);

      // A new version of two lists: other physician, diagnoses and fee items in another order.
      const [a, b] = stays.filter((s) => s.message.input.diseinfo.length >= 2);
      if (a === undefined || b === undefined) throw new Error("no list with two diagnoses");
      const prepare = createListPreparer(scheme);
      const changed = [a, b].map((s, i) => {
        const m = structuredClone(s.message);
        m.input.setlinfo.chfpdr_code = (i === 0 ? b : a).message.input.setlinfo.chfpdr_code;
        m.input.diseinfo.reverse();
        m.input.iteminfo.reverse();
        const p = prepare(m, new Date(`${m.input.setlinfo.setl_end_date}T12:00:00Z`));
        if (p.upload == null) throw new Error("changed list refused by intake");
        return p.upload;
      });
      const outcomes = await store.saveSettlementLists(changed);
      expect(outcomes.map((o) => o.version)).toEqual([2, 2]);
      const rows = await sql<{ setl_id: string; version: number; same: boolean }>`SELECT p.setl_id, p.version,
          p.m = audit_projection_message(s.message) AS same
        FROM audit_list_projection p JOIN settlement_list s USING (setl_id)
        WHERE p.setl_id IN (${a.message.input.setlinfo.setl_id}, ${b.message.input.setlinfo.setl_id})
        ORDER BY p.setl_id`.execute(db);
      expect(rows.rows.map((r) => [r.version, r.same])).toEqual([
        [2, true],
        [2, true],
      ]);
      const after = await readAll(store, "message");
      expect(after).not.toEqual(before);
      expect(await readAll(store, "projection")).toEqual(after);
      const reread = after.find((s) => (s as { id?: string }).id === a.message.input.setlinfo.setl_id) as {
        physicianCode: string;
      };
      expect(reread.physicianCode).toBe(b.message.input.setlinfo.chfpdr_code);

      // The audit job finds exactly the same from both sources.
      const fromMessages = await auditPeriod({ store, scheme, period: "2023", source: "message" });
      const f1 = await findings(store);
      const fromProjection = await auditPeriod({ store, scheme, period: "2023" });
      const f2 = await findings(store);
      expect(fromProjection.findings).toBe(fromMessages.findings);
      expect(fromProjection.stays).toBe(fromMessages.stays);
      expect(f2).toEqual(f1);
      expect(f1.length).toBeGreaterThan(0);
    }, 120_000);

    it("keeps an irregular message as the slim message and follows a deleted list", async () => {
      const db = dbOf(store);
      const r = await sql<{ t: string; slim: unknown }>`SELECT jsonb_typeof(m) AS t, m AS slim
        FROM (SELECT audit_projection_message(${JSON.stringify({
          infno: "4101",
          input: { setlinfo: { setl_id: "X1", gend: "1" }, diseinfo: "none", iteminfo: [1] },
        })}::jsonb) AS m) q`.execute(db);
      expect(r.rows[0]?.t).toBe("object");
      expect(r.rows[0]?.slim).toMatchObject({
        infno: "4101",
        input: { setlinfo: { setl_id: "X1", gend: "1" }, diseinfo: "none", iteminfo: [1], oprninfo: [] },
      });
      const id = stays[5]?.message.input.setlinfo.setl_id ?? "";
      await sql`DELETE FROM settlement_list WHERE setl_id = ${id}`.execute(db);
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_list_projection
        WHERE setl_id = ${id}`.execute(db);
      expect(left.rows[0]?.n).toBe(0);
    });
  });
}
