import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPeriod, ensureDemoAudit } from "../src/jobs.js";
import { dbOf } from "../src/read.js";
import { actOnFinding, decideAndDeduct, getCase } from "../src/workflow.js";
import { demoScheme, type Engine, fillRegion, testStore } from "./helpers.js";

for (const engine of ["pglite", "postgres"] as Engine[]) {
  describe(`auditPeriod on ${engine}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await testStore(engine));
      await fillRegion(store, await demoScheme());
    }, 60_000);
    afterAll(async () => cleanup?.());

    it("audits a year end to end, stores priced findings, and a re-run keeps decided findings and their trail", async () => {
      const scheme = await demoScheme();
      const db = dbOf(store);
      const r = await auditPeriod({ store, scheme, period: "2023" });
      expect(r.stays).toBeGreaterThan(1000);
      expect(r.findings).toBeGreaterThan(20);
      expect(r.errors).toBe(0);
      // Stays that cannot be priced are audited and counted, and the count is kept with the run.
      const kept = await sql<{ unpriced: number }>`SELECT (totals->>'unpriced')::int AS unpriced
        FROM audit_run WHERE run_id = ${r.runId}`.execute(db);
      expect(kept.rows[0]?.unpriced).toBe(r.unpriced);
      expect(r.unpricedSamples.length).toBe(Math.min(20, r.unpriced));
      const stored = await sql<{ n: number; priced: number; loss: number }>`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE settlements ? 'original' AND settlements ? 'corrected' AND fund_loss_fen > 0)::int AS priced,
          sum(fund_loss_fen)::bigint AS loss
        FROM audit_finding`.execute(db);
      expect(stored.rows[0]?.n).toBe(r.findings);
      expect(stored.rows[0]?.priced).toBeGreaterThan(5);
      expect(Number(stored.rows[0]?.loss)).toBe(r.fundLossFen);
      const types = Object.keys(r.byType);
      expect(types).toContain("split_admission");
      const run = await sql<{
        status: string;
        rule_base_version: string;
      }>`SELECT status, rule_base_version FROM audit_run WHERE run_id = ${r.runId}`.execute(db);
      expect(run.rows[0]).toEqual({ status: "done", rule_base_version: "2024.2" });

      // Move one priced finding through the workflow, then re-run the period.
      const pick = await sql<{
        finding_id: string;
        hospital_code: string;
        deduction_fen: number;
      }>`SELECT finding_id, hospital_code, deduction_fen
        FROM audit_finding WHERE fund_loss_fen > 0 ORDER BY finding_id LIMIT 1`.execute(db);
      const f = pick.rows[0];
      if (f === undefined) throw new Error("no priced finding");
      const hospital = { user: "h1", role: "hospital" as const, hospitalCode: f.hospital_code };
      await actOnFinding(
        store,
        f.finding_id,
        { type: "appeal", statement: "病历可证明", evidence: [{ title: "病程记录", content: "第3日" }] },
        hospital,
      );
      await actOnFinding(
        store,
        f.finding_id,
        { type: "decide", decision: "upheld", reason: "证据不足" },
        { user: "r1", role: "reviewer" },
      );
      const r2 = await auditPeriod({ store, scheme, period: "2023" });
      expect(r2.keptDecided).toBe(1);
      expect(r2.replaced).toBe(r.findings - 1);
      expect(r2.findings).toBe(r.findings);
      const c = await getCase(store, f.finding_id);
      expect(c?.finding.status).toBe("upheld");
      expect(c?.finding.run_id).toBe(r.runId);
      expect(c?.events.map((e) => [e.action, e.actor, e.role, e.to])).toEqual([
        ["appeal", "h1", "hospital", "appealed"],
        ["decide", "r1", "reviewer", "upheld"],
      ]);
      expect(c?.events[0]?.evidence).toEqual([{ title: "病程记录", content: "第3日" }]);

      // Upheld findings become deductions for clearing.
      const d = await decideAndDeduct({ store, year: 2023 });
      expect(d.findingIds).toEqual([f.finding_id]);
      const ded = await sql<{
        hospital_code: string;
        year: number;
        amount_fen: number;
      }>`SELECT hospital_code, year, amount_fen
        FROM audit_deduction WHERE finding_id = ${f.finding_id}`.execute(db);
      expect(ded.rows.map((x) => ({ ...x, amount_fen: Number(x.amount_fen) }))).toEqual([
        { hospital_code: f.hospital_code, year: 2023, amount_fen: Number(f.deduction_fen) },
      ]);
      expect((await getCase(store, f.finding_id))?.finding.status).toBe("deducted");
      // The trail is append-only.
      await expect(sql`UPDATE audit_case_event SET actor = 'x'`.execute(db)).rejects.toThrow(/只可追加/);
      await expect(sql`DELETE FROM audit_case_event`.execute(db)).rejects.toThrow(/只可追加/);
      // The demo audit does nothing once a run exists.
      expect((await ensureDemoAudit({ store, scheme })).skipped).toBe(true);
    }, 120_000);
  });
}
