import { UPLOAD_RATE } from "@yibao/kernel/rates";
import { describe, expect, it } from "vitest";
import { compareResultSets, valuesAgree } from "../src/agree.js";
import { formatIndicatorValue, INDICATOR_IDS, INDICATORS, indicatorDefinition } from "../src/catalogue.js";
import { computeIndicators, emptyCounts, indicatorValues } from "../src/compute.js";
import { compareWithTargets } from "../src/targets.js";
import { REGION, weights } from "./fixtures.js";

describe("catalogue", () => {
  it("has unique ids, Chinese names, units and formulas for every indicator computed", () => {
    expect(new Set(INDICATOR_IDS).size).toBe(INDICATORS.length);
    for (const d of INDICATORS) {
      expect(d.name).toMatch(/[\u4e00-\u9fff]/);
      expect(d.formula).toMatch(/[\u4e00-\u9fff]/);
    }
    const r = computeIndicators(REGION, { groupBy: "region", weights }).rows[0];
    expect(Object.keys(r?.values ?? {}).sort()).toEqual([...INDICATOR_IDS].sort());
  });

  it("formats values for people", () => {
    expect(formatIndicatorValue("avgCostFen", 20667)).toBe("206.67");
    expect(formatIndicatorValue("surplusFen", -16005)).toBe("-160.05");
    expect(formatIndicatorValue("uploadRate", 0.95)).toBe("95.00%");
    expect(formatIndicatorValue("cmi", 1.45524)).toBe("1.4552");
    expect(formatIndicatorValue("cases", 6)).toBe("6");
    expect(formatIndicatorValue("cei", null)).toBe("—");
    expect(indicatorDefinition("cei").direction).toBe("lower");
  });
});

describe("targets (达标/未达标)", () => {
  const rows = computeIndicators(REGION, { groupBy: "hospital", weights }).rows;

  it("uses the direction by default and key-specific targets override general ones", () => {
    const res = compareWithTargets(rows, [
      { indicator: "uploadRate", value: 0.95 }, // Shenyang: ≥ 95%
      { indicator: "ungroupedShare", value: 0.003 }, // Shenyang: < 0.3%
      { indicator: "cei", value: 1 },
      { indicator: "cei", value: 1.5, key: "H2" },
      { indicator: "cases", value: 3, comparison: ">=" },
    ]);
    const h1 = res.find((r) => r.key === "H1");
    const h2 = res.find((r) => r.key === "H2");
    const label = (r: typeof h1, id: string) => r?.verdicts.find((v) => v.indicator === id)?.label;
    expect(label(h1, "uploadRate")).toBe("未达标"); // 3/4
    expect(label(h2, "uploadRate")).toBe("达标"); // 3/3
    expect(label(h1, "ungroupedShare")).toBe("达标");
    expect(label(h2, "ungroupedShare")).toBe("未达标");
    expect(label(h1, "cei")).toBe("达标"); // 17/24 ≤ 1
    expect(label(h2, "cei")).toBe("达标"); // 31/24 ≤ 1.5 (own target)
    expect(h2?.verdicts.find((v) => v.indicator === "cei")?.target).toBe(1.5);
    expect(label(h1, "cases")).toBe("达标");
    expect(h1?.allMet).toBe(false);
  });

  it("a missing value gives 无数据 and a neutral indicator needs a comparison", () => {
    const res = compareWithTargets([{ key: "x", values: { cmi: null } }], [{ indicator: "cmi", value: 1 }]);
    expect(res[0]?.verdicts[0]?.label).toBe("无数据");
    expect(res[0]?.allMet).toBeNull();
    expect(() => compareWithTargets([], [{ indicator: "cases", value: 1 }])).toThrow(/比较方式/);
    expect(() => compareWithTargets([], [{ indicator: "cmi", value: Number.NaN }])).toThrow(/目标值/);
  });
});

describe("agreement of two result sets", () => {
  const rows = computeIndicators(REGION, { groupBy: "hospital", weights }).rows;

  it("a result set agrees with the values recomputed here from its sums by the catalogue's formulas", () => {
    // Written out from the catalogue's formulas, not with the code that produced `rows`.
    const q = (n: number, d: number) => (d === 0 ? null : n / d);
    const fromCounts = rows.map(({ key, counts: c }) => ({
      key,
      values: {
        cases: c.cases,
        groupedCases: c.groupedCases,
        drgCount: c.drgCount,
        totalWeight: c.totalWeight,
        cmi: q(c.totalWeight, c.weightedCases),
        cei: q(c.ceiSum, c.ceiCases),
        tei: q(c.teiSum, c.teiCases),
        totalCostFen: c.totalCostFen,
        // Half a fen rounds up: 2 × cost ≥ (2q + 1) × cases.
        avgCostFen: c.cases === 0 ? null : Math.floor((2 * c.totalCostFen + c.cases) / (2 * c.cases)),
        avgLos: q(c.totalLos, c.cases),
        fundPayFen: c.fundPayFen,
        outOfPocketShare: q(c.patientShareFen, c.totalCostFen),
        readmission14Rate: q(c.readmissions14, c.aliveDischarges),
        readmission30Rate: q(c.readmissions30, c.aliveDischarges),
        groupingRate: q(c.groupedCases, c.cases),
        ungroupedShare: q(c.ungroupedCases, c.cases),
        qyShare: q(c.qyCases, c.cases),
        qcPassRate: q(c.qcPassed, c.qcChecked),
        uploadRate: q(c.cases, c.settlements),
        surplusFen: c.paidCases === 0 ? null : c.drgPaymentFen - c.paidCostFen,
        auditFindings: c.auditFindings,
        recoveredFen: c.recoveredFen,
        lowRiskMortality: q(c.lowRiskDeaths, c.lowRiskCases),
      },
    }));
    expect(rows.length).toBeGreaterThan(1);
    expect(Object.keys(fromCounts[0]?.values ?? {}).sort()).toEqual([...INDICATOR_IDS].sort());
    expect(compareResultSets(rows, fromCounts)).toEqual({ agree: true, differences: [] });
    // The exact half fen: 3 fen over 2 cases is 1.5 → 2, as the sums above would give.
    expect(
      indicatorValues({ ...(rows[0]?.counts ?? emptyCounts()), totalCostFen: 3, cases: 2 }).avgCostFen,
    ).toBe(2);
  });

  it("counts and money must be equal, statistics within the tolerance", () => {
    const shift = (id: "cases" | "cmi" | "surplusFen", by: number) =>
      rows.map((r) => ({ key: r.key, values: { ...r.values, [id]: (r.values[id] ?? 0) + by } }));
    expect(compareResultSets(rows, shift("cmi", 1e-13)).agree).toBe(true);
    const cmi = compareResultSets(rows, shift("cmi", 1e-6));
    expect(cmi.agree).toBe(false);
    expect(cmi.differences[0]?.indicator).toBe("cmi");
    expect(compareResultSets(rows, shift("cases", 1)).differences).toHaveLength(2);
    expect(compareResultSets(rows, shift("surplusFen", 1)).agree).toBe(false);
    expect(valuesAgree("cmi", null, 0)).toBe(false);
    expect(valuesAgree("cmi", null, null)).toBe(true);
  });

  it("reports missing and extra rows and values", () => {
    const [first, second] = rows;
    if (first === undefined || second === undefined) throw new Error("two rows expected");
    const res = compareResultSets(rows, [first, { key: "H9", values: first.values }]);
    expect(res.differences.map((d) => [d.kind, d.key])).toEqual([
      ["missing-row", second.key],
      ["extra-row", "H9"],
    ]);
    const partial = compareResultSets([first], [{ key: first.key, values: { cases: first.values.cases } }], {
      indicators: ["cases", "cmi"],
    });
    expect(partial.differences.map((d) => [d.kind, d.indicator])).toEqual([["missing-value", "cmi"]]);
  });
});

describe("清单上传率 is the kernel's one definition (issue 12)", () => {
  it("the catalogue shows the kernel's name and formula", () => {
    expect(INDICATORS.find((d) => d.id === "uploadRate")).toMatchObject({
      name: UPLOAD_RATE.name,
      formula: UPLOAD_RATE.formula,
    });
  });
});
