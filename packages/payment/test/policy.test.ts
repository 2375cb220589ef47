import { describe, expect, it } from "vitest";
import { hospitalCoefficient } from "../src/policy.js";
import { isIsoDate, selectEffective } from "../src/versioned.js";

describe("hospital coefficient (医院系数: 级别+成本+人次人头比+CMI)", () => {
  const params = {
    levelBase: { 三级: 1_100_000, 二级: 1_000_000 },
    weights: { level: 400_000, cost: 300_000, admissionsPerPatient: 150_000, cmi: 150_000 },
    regional: { admissionsPerPatient: 1_200_000, cmi: 1_000_000 },
  };

  it("weights the four components", () => {
    // 0.4 × 1.1 + 0.3 × 1.05 + 0.15 × (1.2 ÷ 1.2) + 0.15 × (1.13 ÷ 1) = 0.44 + 0.315 + 0.15 + 0.1695 = 1.0745
    expect(
      hospitalCoefficient(
        { level: "三级", costIndex: 1_050_000, admissionsPerPatient: 1_200_000, cmi: 1_130_000 },
        params,
      ),
    ).toBe(1_074_500);
  });

  it("a higher admissions-per-patient ratio (split stays) lowers the coefficient; a higher CMI raises it", () => {
    const base = { level: "二级", costIndex: 1_000_000, admissionsPerPatient: 1_200_000, cmi: 1_000_000 };
    const c0 = hospitalCoefficient(base, params);
    expect(c0).toBe(1_000_000);
    expect(hospitalCoefficient({ ...base, admissionsPerPatient: 1_500_000 }, params)).toBeLessThan(c0);
    expect(hospitalCoefficient({ ...base, cmi: 1_300_000 }, params)).toBeGreaterThan(c0);
    // 0.15 × 1.2 ÷ 1.5 = 0.12 → 0.97
    expect(hospitalCoefficient({ ...base, admissionsPerPatient: 1_500_000 }, params)).toBe(970_000);
  });

  it("clamps and rejects unknown levels", () => {
    expect(
      hospitalCoefficient(
        { level: "三级", costIndex: 3_000_000, admissionsPerPatient: 1_000_000, cmi: 2_000_000 },
        { ...params, max: 1_300_000 },
      ),
    ).toBe(1_300_000);
    expect(() =>
      hospitalCoefficient({ level: "一级", costIndex: 1, admissionsPerPatient: 1, cmi: 1 }, params),
    ).toThrow(/一级/);
  });
});

describe("versioned data (版本化数据)", () => {
  it("validates dates and selects the version in force", () => {
    expect(isIsoDate("2021-02-29")).toBe(false);
    expect(isIsoDate("2020-02-29")).toBe(true);
    const vs = [
      { id: "p", version: "1", effectiveFrom: "2021-01-01", effectiveTo: "2021-12-31" },
      { id: "p", version: "2", effectiveFrom: "2022-01-01", effectiveTo: null },
      { id: "p", version: "2b", effectiveFrom: "2022-07-01" },
    ];
    expect(selectEffective(vs, "2021-12-31")?.version).toBe("1");
    expect(selectEffective(vs, "2022-01-01")?.version).toBe("2");
    expect(selectEffective(vs, "2022-08-01")?.version).toBe("2b");
    expect(selectEffective(vs, "2020-01-01")).toBeUndefined();
  });
});

describe("hospital indicators from history (医院指标测算)", () => {
  it("cost index, admissions per patient and CMI feed the coefficient", async () => {
    const { hospitalIndicators } = await import("../src/calibration.js");
    const { parseDrgWeightTable } = await import("../src/policy.js");
    const w = parseDrgWeightTable({
      id: "w",
      version: "1",
      effectiveFrom: "2021-01-01",
      entries: [
        { drg: "A", rw: "1" },
        { drg: "B", rw: "2" },
      ],
    });
    const r = hospitalIndicators(
      [
        { hospitalId: "H1", personId: "p1", drg: "A", cost: 100, los: 1 },
        { hospitalId: "H1", personId: "p1", drg: "A", cost: 100, los: 1 },
        { hospitalId: "H2", personId: "p2", drg: "B", cost: 400, los: 1 },
        { hospitalId: "H2", personId: "p3", drg: "0000", cost: 200, los: 1 },
      ],
      w,
    );
    // regional average 200; H1 100 → 0.5, H2 300 → 1.5
    expect(r.hospitals).toEqual([
      { hospitalId: "H1", cases: 2, costIndex: 500_000, admissionsPerPatient: 2_000_000, cmi: 1_000_000 },
      { hospitalId: "H2", cases: 2, costIndex: 1_500_000, admissionsPerPatient: 1_000_000, cmi: 2_000_000 },
    ]);
    expect(r.regional).toEqual({ admissionsPerPatient: 1_333_333, cmi: 1_333_333, avgCost: 200 });
  });
});
