import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildDipCatalogue,
  CONSERVATIVE,
  calibrateWeights,
  dipDiagnosisCategory,
  dipGroup,
  dipProcedureCombination,
  type HistoricCase,
  rateFromBudget,
  trimBounds,
  weightTableToData,
} from "../src/calibration.js";
import { parseDrgWeightTable } from "../src/policy.js";
import { yuan } from "./fixtures.js";

const head = { id: "w", version: "2021", effectiveFrom: "2021-01-01" };
const cases = (drg: string, costs: number[]): HistoricCase[] =>
  costs.map((c) => ({ drg, cost: c * 100, los: 5 }));

describe("trimming (异常值剔除)", () => {
  it("Tukey fences on type-7 quartiles", () => {
    // 1..9 → Q1 = 3, Q3 = 7, IQR 4; k = 1.5 → [−3, 13]
    expect(trimBounds([1, 2, 3, 4, 5, 6, 7, 8, 9], { kind: "iqr", k: 1_500_000 })).toEqual({
      low: -3,
      high: 13,
    });
    // 1..4 → Q1 = 1.75, Q3 = 3.25; k = 1 → [0.25, 4.75] → integers [1, 4]
    expect(trimBounds([1, 2, 3, 4], { kind: "iqr", k: 1_000_000 })).toEqual({ low: 1, high: 4 });
  });

  it("percentile bounds", () => {
    const xs = Array.from({ length: 101 }, (_, i) => i * 10);
    expect(trimBounds(xs, { kind: "percentile", lower: 50_000, upper: 950_000 })).toEqual({
      low: 50,
      high: 950,
    });
    expect(() => trimBounds(xs, { kind: "percentile", lower: 900_000, upper: 100_000 })).toThrow(RangeError);
  });

  it("property: with k ≥ 1 the fences keep at least half of the cases", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1e6, max: 3e6 }),
        (xs, k) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const { low, high } = trimBounds(sorted, { kind: "iqr", k });
          const kept = sorted.filter((x) => x >= low && x <= high).length;
          expect(kept * 2).toBeGreaterThanOrEqual(sorted.length);
        },
      ),
    );
  });
});

describe("calibrateWeights (权重测算)", () => {
  it("RW = trimmed group average ÷ trimmed overall average", () => {
    const hist = [
      ...cases("A1", [1000, 1000, 1000, 1000, 50000]), // outlier trimmed
      ...cases("B1", [3000, 3000, 3000, 3000]),
      ...cases("C1", [500]), // below the minimum
      ...cases("BQY", [99999]), // excluded
      { drg: "0000", cost: 1, los: 1 },
    ];
    const r = calibrateWeights(hist, { ...head, trim: { kind: "iqr", k: 1_500_000 }, minCases: 3 });
    const a = r.groups.find((g) => g.drg === "A1");
    expect(a).toMatchObject({ cases: 5, kept: 4, trimmedHigh: 1, avgCost: 100000, status: "ok" });
    // overall: (4×1000 + 4×3000 + 500) / 9 = 1833.33…; RW(A1) = 1000 / 1833.33 = 0.545455 (0.5454545…)
    expect(r.overall).toMatchObject({ kept: 9, avgCost: 183333 });
    expect(a?.rw).toBe(545455);
    expect(r.groups.find((g) => g.drg === "B1")?.rw).toBe(1636364);
    expect(r.flagged).toEqual(["C1"]);
    expect(r.table.byDrg.has("C1")).toBe(false);
    expect(r.table.byDrg.has("BQY")).toBe(false);
    const fb = calibrateWeights(hist, {
      ...head,
      trim: { kind: "none" },
      minCases: 3,
      fallbackRw: { C1: 300_000 },
    });
    expect(fb.table.byDrg.get("C1")?.rw).toBe(300_000);
    expect(fb.groups.find((g) => g.drg === "C1")?.status).toBe("fallback");
  });

  it("exports the table as versioned JSON data that parses back", () => {
    const r = calibrateWeights([...cases("A1", [1000, 3000]), ...cases("B1", [2000])], {
      ...head,
      trim: { kind: "none" },
      minCases: 1,
    });
    const data = weightTableToData(r.table);
    expect(data.entries[0]).toMatchObject({ drg: "A1", rw: "1.0000", avgCost: "2000.00" });
    const back = parseDrgWeightTable(data);
    expect(back.byDrg.get("A1")?.rw).toBe(1_000_000);
    expect(back.effectiveFrom).toBe("2021-01-01");
  });

  it("property: the case-weighted mean RW is 1 (to rounding) when no group is flagged", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            drg: fc.constantFrom("A", "B", "C", "D"),
            cost: fc.integer({ min: 100, max: 1e8 }),
            los: fc.integer({ min: 0, max: 60 }),
          }),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        (hist) => {
          const r = calibrateWeights(hist, { ...head, trim: { kind: "none" }, minCases: 1 });
          let s = 0;
          let n = 0;
          for (const g of r.groups) {
            s += (g.rw as number) * g.kept;
            n += g.kept;
          }
          expect(Math.abs(s / n - 1_000_000)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("base rate from a budget: budget ÷ Σ RW × cases", () => {
    const w = parseDrgWeightTable({
      ...head,
      entries: [
        { drg: "A", rw: "0.5" },
        { drg: "B", rw: "2" },
      ],
    });
    // Σ = 0.5 × 100 + 2 × 50 = 150; 1,321,650 yuan / 150 = 8811
    expect(
      rateFromBudget(
        yuan("1321650"),
        [
          { drg: "A", cases: 100 },
          { drg: "B", cases: 50 },
        ],
        w,
      ),
    ).toBe(881100);
    expect(rateFromBudget(100, [{ drg: "A", cases: 3 }], w)).toBe(67); // 100 / 1.5 = 66.67
    expect(rateFromBudget(yuan("1000"), [{ drg: "B", cases: 1, coefficient: 500_000 }], w)).toBe(
      yuan("1000"),
    );
    expect(() => rateFromBudget(1, [{ drg: "Z", cases: 1 }], w)).toThrow(/不在权重表/);
  });
});

describe("DIP catalogue (DIP 病种目录)", () => {
  it("diagnosis category and procedure combination", () => {
    expect(dipDiagnosisCategory("K80.100x001")).toBe("K80.1");
    expect(dipDiagnosisCategory("k80.1")).toBe("K80.1");
    expect(dipDiagnosisCategory("K80")).toBe("K80");
    expect(dipDiagnosisCategory("K80.x01")).toBe("K80");
    expect(dipProcedureCombination([])).toBe(CONSERVATIVE);
    expect(dipProcedureCombination(["51.2300", "51.2200", "51.2300"])).toBe("51.2200+51.2300");
  });

  const hist = [
    ...Array.from({ length: 5 }, () => ({
      principalDiagnosis: "K80.100",
      procedures: ["51.2300"],
      cost: yuan("12000"),
    })),
    ...Array.from({ length: 5 }, () => ({
      principalDiagnosis: "K80.101",
      procedures: [],
      cost: yuan("4000"),
    })),
    { principalDiagnosis: "K80.200", procedures: ["51.2200"], cost: yuan("9000") },
    { principalDiagnosis: "K80.500", procedures: ["51.8800"], cost: yuan("11000") },
    { principalDiagnosis: "K80.300", procedures: [], cost: yuan("3000") },
  ];

  it("core groups above the threshold, the rest pooled; scores from average cost", () => {
    const cat = buildDipCatalogue(hist, { ...head, coreMinCases: 5, scale: 1000 });
    // reference: total 103000 yuan / 13 cases = 7923.08
    const core = cat.byKey.get("K80.1|51.2300");
    expect(core).toMatchObject({ kind: "core", cases: 5, avgCost: 1200000 });
    // 12000 ÷ (103000 ÷ 13) × 1000 = 1514.563107 points
    expect(core?.score).toBe(1_514_563_107);
    expect(cat.reference).toBe(792308);
    expect(cat.byKey.get("K80.1|保守治疗")?.kind).toBe("core");
    const pooled = cat.byKey.get("综合|K80|手术操作");
    expect(pooled).toMatchObject({ kind: "comprehensive", cases: 2, avgCost: 1000000 });
    expect(cat.byKey.get("综合|K80|保守治疗")?.cases).toBe(1);
    const with100 = buildDipCatalogue(hist, {
      ...head,
      coreMinCases: 5,
      scale: 100,
      reference: yuan("10000"),
    });
    expect(with100.byKey.get("K80.1|51.2300")?.score).toBe(120_000_000);
  });

  it("assigns new cases to a core group, else the comprehensive group", () => {
    const cat = buildDipCatalogue(hist, { ...head, coreMinCases: 5 });
    expect(dipGroup(cat, { principalDiagnosis: "K80.100x002", procedures: ["51.2300"] })).toMatchObject({
      kind: "core",
      key: "K80.1|51.2300",
    });
    expect(dipGroup(cat, { principalDiagnosis: "K80.100", procedures: ["51.2200"] })).toMatchObject({
      kind: "comprehensive",
      key: "综合|K80|手术操作",
    });
    expect(dipGroup(cat, { principalDiagnosis: "J18.900", procedures: [] })).toMatchObject({
      kind: "unmatched",
      group: null,
    });
  });
});
