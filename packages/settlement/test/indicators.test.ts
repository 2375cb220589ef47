import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  computeQcIndicators,
  type ListSummary,
  summarizeList,
} from "../src/index.js";
import { context, validMessage } from "./helpers.js";

function summary(over: Partial<ListSummary>): ListSummary {
  return {
    hospitalCode: "H1",
    period: "2024-03",
    setlId: "S",
    accepted: true,
    drg: "GD25",
    findings: [],
    ...over,
  };
}

describe("QC indicators", () => {
  it("computes the rates of a hospital and period", () => {
    const rows = computeQcIndicators(
      [
        summary({ setlId: "1" }),
        summary({ setlId: "2", drg: "0000", findings: [{ ruleId: "QC-CODE-001", severity: "warning" }] }),
        summary({ setlId: "3", drg: "ES33" }),
        summary({
          setlId: "4",
          accepted: false,
          drg: null,
          findings: [
            { ruleId: "QC-CODE-002", severity: "error" },
            { ruleId: "QC-CODE-002", severity: "error" },
            { ruleId: "QC-AGE-001", severity: "error" },
          ],
        }),
        summary({ setlId: "5", accepted: true, drg: null }),
        summary({ hospitalCode: "H2", setlId: "6" }),
      ],
      [
        { hospitalCode: "H1", period: "2024-03", expected: 5 },
        { hospitalCode: "H3", period: "2024-03", expected: 2 },
      ],
    );
    expect(rows.map((r) => r.hospitalCode)).toEqual(["H1", "H2", "H3"]);
    const h1 = rows[0];
    expect(h1).toMatchObject({
      expected: 5,
      received: 5,
      accepted: 4,
      // 清单上传率 = received ÷ expected (the kernel's one definition): the refused list arrived too.
      uploadRate: 1,
      qcPassRate: 0.8,
      grouped: 3,
      inGroup: 2,
      ungrouped: 1,
      groupingRate: 2 / 3,
      ungroupedShare: 1 / 3,
    });
    expect(h1?.findingsByRule).toEqual([
      { ruleId: "QC-CODE-002", severity: "error", findings: 2, lists: 1 },
      { ruleId: "QC-AGE-001", severity: "error", findings: 1, lists: 1 },
      { ruleId: "QC-CODE-001", severity: "warning", findings: 1, lists: 1 },
    ]);
    expect(rows[1]).toMatchObject({ expected: null, uploadRate: null, qcPassRate: 1, groupingRate: 1 });
    expect(rows[2]).toMatchObject({
      expected: 2,
      received: 0,
      uploadRate: 0,
      qcPassRate: null,
      groupingRate: null,
    });
  });

  it("summarizes a checked list by hospital and month of settlement", () => {
    const r = checkSettlementMessage(validMessage(), context());
    if (!r.list) throw new Error("no list");
    expect(summarizeList(r.list, r.findings, r.accepted, "GD25")).toEqual({
      hospitalCode: "H21010200123",
      period: "2024-03",
      setlId: "210000H2101020012324030900042",
      accepted: true,
      drg: "GD25",
      findings: [],
    });
  });

  it("rates stay within [0, 1] and counts add up", () => {
    const arb = fc.record({
      hospitalCode: fc.constantFrom("H1", "H2"),
      period: fc.constantFrom("2024-01", "2024-02"),
      setlId: fc.string(),
      accepted: fc.boolean(),
      drg: fc.constantFrom(null, "0000", "GD25", "ES33"),
      findings: fc.array(
        fc.record({
          ruleId: fc.constantFrom("QC-A-001", "QC-B-002"),
          severity: fc.constantFrom("error", "warning"),
        }),
      ),
    }) as fc.Arbitrary<ListSummary>;
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 60 }), (sums) => {
        const rows = computeQcIndicators(sums);
        expect(rows.reduce((a, r) => a + r.received, 0)).toBe(sums.length);
        for (const r of rows) {
          for (const rate of [r.qcPassRate, r.groupingRate, r.ungroupedShare]) {
            if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
          }
          expect(r.inGroup + r.ungrouped).toBe(r.grouped);
          if (r.groupingRate !== null && r.ungroupedShare !== null) {
            expect(r.groupingRate + r.ungroupedShare).toBeCloseTo(1, 12);
          }
        }
      }),
    );
  });
});
