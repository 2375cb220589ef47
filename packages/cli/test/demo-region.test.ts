import { resolve } from "node:path";
import { loadDemoRegion } from "@yibao/cli/demo-region";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { createListPreparer } from "@yibao/server";
import { openStore } from "@yibao/store";
import { generateRegion, QC_DEFECTS, type QcDefectKind, qcDefectOf, withQcDefect } from "@yibao/synth";
import { describe, expect, it } from "vitest";

const SHARED = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(import.meta.dirname, "../../../../shared"));

describe("the synthetic region meets the real intake", () => {
  it.each([
    ["demo scheme", DEMO_SCHEME_DIR],
    ["national CHS-DRG 1.1", resolve(SHARED, "schemes/chs-drg-1.1")],
  ])(
    "every list the generator writes (%s), honest or injected, passes intake QC without a finding",
    async (_label, dir) => {
      const scheme = await loadSchemeDir(dir);
      const prepare = createListPreparer(scheme);
      const region = generateRegion({
        seed: 7,
        stays: 1500,
        scheme,
        from: "2025-01-01",
        to: "2025-12-31",
        inject: { rate: 0.1 },
      });
      const problems: string[] = [];
      let ambiguous = 0;
      for (const s of region.stays()) {
        const info = s.message.input.setlinfo;
        const p = prepare(s.message, new Date(info.dcla_time.replace(" ", "T")));
        // An injected 有意歧义 (QY) case is the one list QC may warn on: its principal procedure does
        // not match its principal diagnosis (QC-DX-010), exactly as a bureau would see it.
        const want = s.label?.violation === "qy_ambiguity" ? ["QC-DX-010/warning"] : [];
        if (want.length > 0) ambiguous++;
        const got = p.findings.map((f) => `${f.ruleId}/${f.severity}`);
        if (got.join() !== want.join())
          problems.push(
            `${info.setl_id} ${p.findings.map((f) => `${f.ruleId} ${f.field}: ${f.message}`).join("；")}`,
          );
      }
      expect(problems.slice(0, 5)).toEqual([]);
      // The demo scheme has ambiguous groups and the injection uses them; CHS-DRG 1.1 as shipped has none.
      if (dir === DEMO_SCHEME_DIR) expect(ambiguous).toBeGreaterThan(0);
    },
  );

  it("the default demo region (seed 2026, 20,000 lists): the only findings are the labelled defects, each under its rule", async () => {
    const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
    const prepare = createListPreparer(scheme);
    const region = generateRegion({
      seed: 2026,
      stays: 20_000,
      scheme,
      from: "2025-01-01",
      to: "2025-12-31",
      inject: { rate: 0.05 },
    });
    const unexpected: string[] = [];
    let defective = 0;
    for (const s of region.stays()) {
      const defect = qcDefectOf(2026, s.message.input.setlinfo.setl_id);
      const m = defect ? withQcDefect(s.message, defect, 2026) : s.message;
      const info = m.input.setlinfo;
      const p = prepare(m, new Date(info.dcla_time.replace(" ", "T")));
      const rules = p.findings.map((f) => f.ruleId);
      if (defect) defective++;
      const want: string[] = defect ? [QC_DEFECTS[defect].ruleId] : [];
      // An injected QY case still in its ambiguous group (a bad principal code takes it out) draws QC-DX-010.
      if (s.label?.violation === "qy_ambiguity" && p.group?.status === "AMBIGUOUS") want.push("QC-DX-010");
      if (rules.sort().join() !== want.sort().join())
        unexpected.push(`${info.setl_id} ${defect ?? "无缺陷"}: ${rules.join()}`);
    }
    expect(unexpected.slice(0, 5)).toEqual([]);
    // 2.8% expected; a few percent drawn.
    expect(defective / 20_000).toBeGreaterThan(0.02);
    expect(defective / 20_000).toBeLessThan(0.035);
  }, 120_000);

  it("finds each QC defect under its own rule, the errors refused, with nothing else wrong", async () => {
    const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
    const prepare = createListPreparer(scheme);
    const region = generateRegion({ seed: 7, stays: 60, scheme, from: "2025-01-01", to: "2025-12-31" });
    // Written out here, not read from QC_DEFECTS: the rule each defect must meet in the intake.
    const expected: Record<QcDefectKind, [string, "error" | "warning"]> = {
      late_upload: ["QC-TIME-001", "error"],
      missing_field: ["QC-REQ-001", "error"],
      bad_code: ["QC-CODE-002", "error"],
      fee_total: ["QC-FEE-002", "error"],
      personal_share: ["QC-FEE-003", "warning"],
    };
    expect(Object.keys(QC_DEFECTS).sort()).toEqual(Object.keys(expected).sort());
    const seen: string[] = [];
    for (const s of region.stays()) {
      for (const [kind, [ruleId, severity]] of Object.entries(expected) as [
        QcDefectKind,
        [string, string],
      ][]) {
        const m = withQcDefect(s.message, kind, 7);
        const info = m.input.setlinfo;
        const p = prepare(m, new Date(info.dcla_time.replace(" ", "T")));
        seen.push(`${kind} ${p.findings.map((f) => `${f.ruleId}/${f.severity}`).join(",")}`);
        expect(
          p.findings.map((f) => [f.ruleId, f.severity]),
          `${kind} ${info.setl_id}`,
        ).toEqual([[ruleId, severity]]);
        expect(p.upload, kind).not.toBeNull();
        expect(QC_DEFECTS[kind].refused).toBe(severity === "error");
        if (kind === "late_upload") {
          // 9 to 20 days after 结算结束日期: the deadline is 8 days.
          const days =
            (Date.parse(info.dcla_time.slice(0, 10)) - Date.parse(info.setl_end_date)) / 86_400_000;
          expect(days).toBeGreaterThanOrEqual(9);
          expect(days).toBeLessThanOrEqual(20);
        }
      }
      // The clean message is untouched by the defects written into its copies.
      const info = s.message.input.setlinfo;
      expect(prepare(s.message, new Date(info.dcla_time.replace(" ", "T"))).findings).toEqual([]);
    }
    expect(seen.length).toBe(300);
  });

  it("loads the demo region into an empty store once, a few percent with QC defects, the same on every load", async () => {
    const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
    const load = async () => {
      const store = await openStore({ memory: true });
      try {
        const first = await loadDemoRegion(store, scheme, { stays: 2000, today: new Date("2026-11-22") });
        const again = await loadDemoRegion(store, scheme, { stays: 2000 });
        expect(again.skipped).toBe(true);
        const qc = await store.qcIndicators();
        // Lists with a finding other than QC-DX-010 (the warning an injected QY case draws).
        const flagged = await store.db
          .selectFrom("qc_finding")
          .where("rule_id", "<>", "QC-DX-010")
          .select(({ fn }) => fn.count<string>("setl_id").distinct().as("n"))
          .executeTakeFirstOrThrow();
        return { first, qc, flagged: Number(flagged.n) };
      } finally {
        await store.close();
      }
    };
    const { first, qc, flagged } = await load();
    expect(first).toMatchObject({ skipped: false, lists: 2000, from: "2025-01-01", to: "2025-12-31" });
    const d = first.defects;
    const defective = Object.values(d).reduce((a, n) => a + n, 0);
    const refused = (d.late_upload ?? 0) + (d.missing_field ?? 0) + (d.bad_code ?? 0) + (d.fee_total ?? 0);
    // A few percent of the lists carry a defect, every kind at least once, a warning among them.
    expect(defective / 2000).toBeGreaterThanOrEqual(0.01);
    expect(defective / 2000).toBeLessThanOrEqual(0.06);
    for (const kind of Object.keys(QC_DEFECTS)) expect(d[kind as QcDefectKind], kind).toBeGreaterThan(0);
    // Every list is stored, the refused ones too; each defective list has its finding, no other list has one.
    expect(qc.total.lists).toBe(2000);
    expect(qc.total.refused).toBe(refused);
    expect(qc.total.accepted).toBe(2000 - refused);
    expect(first.accepted).toBe(2000 - refused);
    expect(flagged).toBe(defective);
    expect(qc.total.uploadRate).toBe(1);
    // Seeded: a second load of the same region has the same defects.
    expect((await load()).first.defects).toEqual(d);
  });
});
