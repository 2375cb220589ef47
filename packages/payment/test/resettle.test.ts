import { describe, expect, it } from "vitest";
import { mergeStays, resettle, settleSequence } from "../src/resettle.js";
import { context, stay, yuan } from "./fixtures.js";

const costs = (a: string) => ({ classA: yuan(a), classB: 0, selfPay: 0, other: 0 });

describe("re-settlement (重新结算)", () => {
  const ctx = context();

  it("reports both settlements and the fund loss for removed charges", () => {
    // removing 1000 yuan of charges drops a HU15 case out of the high outlier
    const up = stay({ drg: "HU15", totalCost: yuan("17500"), patientShare: yuan("3000") });
    const corr = stay({ drg: "HU15", totalCost: yuan("16500"), patientShare: yuan("2800") });
    const r = resettle(up, corr, ctx);
    expect(r.original[0]?.category).toBe("highOutlier");
    expect(r.corrected[0]?.category).toBe("normal");
    expect(r.fundLoss).toBe(yuan("17500") - yuan("3000") - (563904 - yuan("2800")));
    expect(r.originalFund - r.correctedFund).toBe(r.fundLoss);
  });

  it("split admissions: two stays as uploaded against one merged stay", () => {
    const person = { "2021": { admissions: 0, fundPaid: 0 } };
    const s1 = stay({
      id: "A",
      patientShare: undefined,
      totalCost: yuan("6000"),
      costs: costs("6000"),
      admissionDate: "2021-05-01",
      dischargeDate: "2021-05-05",
      los: 4,
      person,
    });
    const s2 = stay({
      id: "B",
      patientShare: undefined,
      totalCost: yuan("5000"),
      costs: costs("5000"),
      admissionDate: "2021-05-07",
      dischargeDate: "2021-05-10",
      los: 3,
      person,
    });
    const seq = settleSequence([s1, s2], ctx);
    // second stay sees the halved deductible
    expect(seq[0]?.benefit?.deductible).toBe(80000);
    expect(seq[1]?.benefit?.deductible).toBe(40000);
    const merged = mergeStays([s1, s2], { id: "AB", drg: "KD15" });
    expect(merged).toMatchObject({
      totalCost: yuan("11000"),
      admissionDate: "2021-05-01",
      dischargeDate: "2021-05-10",
      los: 7,
    });
    expect(merged.costs?.classA).toBe(yuan("11000"));
    const r = resettle([s1, s2], merged, ctx);
    expect(r.original).toHaveLength(2);
    expect(r.corrected).toHaveLength(1);
    // uploaded: 2 × KD15 standard − patient shares; corrected: one standard − one patient share
    const p1 = 80000 + Math.round((600000 - 80000) * 0.2);
    const p2 = 40000 + Math.round((500000 - 40000) * 0.2);
    const pm = 80000 + Math.round((1100000 - 80000) * 0.2);
    expect(r.originalFund).toBe(2 * 1110186 - p1 - p2);
    expect(r.correctedFund).toBe(1110186 - pm);
    expect(r.fundLoss).toBe(1110186 - p1 - p2 + pm);
    expect(() => mergeStays([s1, { ...s2, hospitalId: "H3" }], { id: "x", drg: "KD15" })).toThrow(
      /同一定点医疗机构/,
    );
  });
});
