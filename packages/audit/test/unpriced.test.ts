/**
 * Every stay is audited (issue 13): a stay that cannot be priced — its DRG has no weight, it could not
 * be grouped, its hospital is not in the payment context — still goes through every rule whose decision
 * needs no price, is reported as unpriced, and its findings carry no fund loss instead of stopping the run.
 */
import { describe, expect, it } from "vitest";
import { runAudit } from "../src/audit.js";
import { UNPRICED_NOTE } from "../src/finding.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { context, norm, stay } from "./helpers.js";

// E11.900 groups into KS15 in the demo scheme; the test policy has no weight for KS15 (无权重病组).
const KS15_MEAN = 300_000;
const ctx = context({ drgs: new Map([["KS15", norm("KS15", KS15_MEAN)]]) });

const bed = (date: string): DetailItem => ({
  code: "110200001",
  name: "普通病房床位费",
  category: "01",
  date,
  quantity: 1,
  unitPrice: 5000,
  amount: 5000,
});

describe("stays that cannot be priced (未定价病例)", () => {
  it("a stay in a DRG without a weight is reported unpriced and still checked for low-indication admission", () => {
    const s = stay({
      diagnoses: ["E11.900"],
      cost: 150_000,
      los: 2,
      fees: { "03": 60_000, "04": 50_000, "09": 40_000 },
    });
    expect(s.group.drg).toBe("KS15");
    const r = runAudit([s], ctx);
    expect(r.unpriced.map((u) => u.stayId)).toEqual([s.id]);
    const f = r.findings.find((x) => x.violation === "low_indication");
    expect(f?.stayIds).toEqual([s.id]);
    expect(f?.pricing).toBeNull();
    expect(f?.fundLoss).toBe(0);
    expect(f?.message).toContain(UNPRICED_NOTE);
  });

  it("the low-indication threshold still holds there: 0.6 × 3000.00 = 1800.00 元 passes, one fen more does not", () => {
    const at = (cost: number) =>
      runAudit(
        [stay({ diagnoses: ["E11.900"], cost, los: 2, fees: { "03": 60_000, "09": cost - 60_000 } })],
        ctx,
      ).findings.map((x) => x.violation);
    expect(at(180_000)).toContain("low_indication");
    expect(at(180_001)).not.toContain("low_indication");
  });

  it("cost shifting by own-pay share is found on an unpriced stay (18% own pay against the group's 5%)", () => {
    const s: AuditStay = { ...stay({ diagnoses: ["E11.900"], cost: 500_000 }), ownPay: 90_000 };
    const f = runAudit([s], ctx).findings.find((x) => x.violation === "cost_shifting");
    expect(f?.pricing).toBeNull();
    expect(f?.fundLoss).toBe(0);
    const honest: AuditStay = { ...s, id: "honest", ownPay: 80_000 }; // 16% − 5% = 11% < 12%
    expect(runAudit([honest], ctx).findings.filter((x) => x.violation === "cost_shifting")).toHaveLength(0);
  });

  it("an item-rule hit on a stay of a hospital outside the payment context is kept without a fund loss (the run does not stop)", () => {
    const base = { ...stay({ diagnoses: ["J15.902"], cost: 300_000, los: 2 }), hospitalId: "UNKNOWN" };
    const s: AuditStay = { ...base, details: [bed("2023-05-01"), bed("2023-05-01")] };
    const r = runAudit([s], ctx);
    expect(r.unpriced.map((u) => u.stayId)).toEqual([s.id]);
    const items = r.findings.filter((x) => x.violation === "item_rule");
    expect(items.length).toBeGreaterThan(0);
    for (const f of items) {
      expect(f.pricing).toBeNull();
      expect(f.fundLoss).toBe(0);
    }
  });

  it("an ungroupable stay (0000) is paid as the policy says for 0000 and still checked by the item rules", () => {
    const base = stay({ diagnoses: ["K29.700"], cost: 300_000, los: 2 });
    expect(base.group.status).toBe("UNGROUPABLE");
    const s: AuditStay = { ...base, details: [bed("2023-05-01"), bed("2023-05-01")] };
    const r = runAudit([s], ctx);
    expect(r.unpriced).toEqual([]);
    expect(r.findings.some((x) => x.violation === "item_rule" && x.stayIds[0] === s.id)).toBe(true);
  });

  it("a split admission between two stays of an unweighted DRG is found, unpriced", () => {
    const a = stay({ diagnoses: ["E11.900"], cost: 400_000, person: "PX", adm: 19_500, los: 5 });
    const b = stay({ diagnoses: ["E11.900"], cost: 400_000, person: "PX", adm: 19_508, los: 5 });
    const r = runAudit([a, b], ctx);
    expect(r.unpriced.map((u) => u.stayId).sort()).toEqual([a.id, b.id].sort());
    const f = r.findings.find((x) => x.violation === "split_admission");
    expect(f?.stayIds).toEqual([a.id, b.id]);
    expect(f?.pricing).toBeNull();
  });
});
