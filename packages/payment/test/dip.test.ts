/**
 * DIP year settlement: the worked example worked out by hand (examples/dip/README.md), the
 * deviation thresholds at, one fen below and one fen above, a half fen, refused stays, the policy
 * as data, and the sums that must hold for any year (property tests).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DipStay,
  dipStayPoints,
  formatRational,
  PolicyDataError,
  parseDipPaymentPolicy,
  settleDipYear,
} from "../src/index.js";

const POLICY = parseDipPaymentPolicy({
  id: "dip-test",
  version: "1",
  effectiveFrom: "2025-01-01",
  groupPoints: { A: "50", B: "100", C: "200" },
  standardCost: {
    三级: { A: "5000.00", B: "10000.00", C: "20000.00" },
    二级: { A: "4500.00", B: "9000.00", C: "18000.00" },
  },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
});
const LEVEL: Record<string, string> = { H1: "三级", H2: "二级" };
const COEFFICIENTS = new Map([
  ["H1", 1_000_000],
  ["H2", 900_000],
]);
const stay = (id: string, hospital: string, group: string, costYuan: number, paidYuan: number): DipStay => ({
  id,
  hospital,
  hospitalLevel: LEVEL[hospital] as string,
  group,
  costFen: costYuan * 100,
  patientPaidFen: paidYuan * 100,
});
const EXAMPLE = [
  stay("1", "H1", "A", 5200, 1040),
  stay("2", "H1", "B", 25000, 5000),
  stay("3", "H1", "C", 8000, 1600),
  stay("4", "H2", "A", 4000, 800),
  stay("5", "H2", "B", 9500, 1900),
  stay("6", "H2", "C", 40000, 8000),
];

describe("the worked example of the issue, by hand", () => {
  const r = settleDipYear(POLICY, EXAMPLE, { budgetFen: 9_525_000, coefficients: COEFFICIENTS });

  it("gives each stay its case type and points", () => {
    const got = r.hospitals.flatMap((h) =>
      h.stays.map((p) => [p.stay.id, p.caseType, formatRational(p.points, 4)]),
    );
    expect(got).toEqual([
      ["1", "normal", "50.0000"], // 5,200 / 5,000 = 1.04
      ["2", "veryHigh", "150.0000"], // 100 × (2.5 − 2 + 1)
      ["3", "veryLow", "80.0000"], // 200 × 0.4
      ["4", "normal", "45.0000"], // 50 × 0.9
      ["5", "normal", "90.0000"], // 100 × 0.9
      ["6", "veryHigh", "220.0000"], // 200 × (20/9 − 1) × 0.9
    ]);
  });

  it("gives the point value, each hospital's payment and the fund's due", () => {
    expect(formatRational(r.totalPoints, 4)).toBe("635.0000");
    expect(r.pointValue).toEqual({ num: 15_000n, den: 1n }); // 95,250 元 / 635 = 150 元 = 15,000 fen per point
    expect(r.hospitals.map((h) => [h.hospital, h.paymentFen, h.patientPaidFen, h.fundFen])).toEqual([
      ["H1", 4_200_000, 764_000, 3_436_000],
      ["H2", 5_325_000, 1_070_000, 4_255_000],
    ]);
    expect(r.hospitals.map((h) => h.stayPaymentsFen)).toEqual([
      [750_000, 2_250_000, 1_200_000],
      [675_000, 1_350_000, 3_300_000],
    ]);
    expect(r.refused).toEqual([]);
  });

  it("with a fund-only budget, the pool is the budget plus what patients paid", () => {
    const fund = settleDipYear({ ...POLICY, budgetBasis: "fund" }, EXAMPLE, {
      budgetFen: 9_525_000 - 1_834_000,
      coefficients: COEFFICIENTS,
    });
    expect(fund.poolFen).toBe(9_525_000);
    expect(fund.hospitals.map((h) => h.fundFen)).toEqual([3_436_000, 4_255_000]);
  });
});

describe("deviation thresholds at their edges (三级, group B: standard 10,000 元, 100 points)", () => {
  const points = (costFen: number) => {
    const p = dipStayPoints(POLICY, { ...stay("x", "H1", "B", 0, 0), costFen }, 1_000_000);
    return [p.caseType, formatRational(p.points, 6)];
  };
  it("very high from exactly 2× the standard, where it equals the group's points", () => {
    expect(points(1_999_999)).toEqual(["normal", "100.000000"]);
    expect(points(2_000_000)).toEqual(["veryHigh", "100.000000"]);
    expect(points(2_000_001)).toEqual(["veryHigh", "100.000100"]); // 100 × (2.000001 − 2 + 1)
    expect(points(3_000_000)).toEqual(["veryHigh", "200.000000"]);
  });
  it("very low up to exactly 0.5× the standard", () => {
    expect(points(500_001)).toEqual(["normal", "100.000000"]);
    expect(points(500_000)).toEqual(["veryLow", "50.000000"]);
    expect(points(499_999)).toEqual(["veryLow", "49.999900"]);
    expect(points(0)).toEqual(["veryLow", "0.000000"]);
  });
});

describe("a half fen and refused stays", () => {
  it("two hospitals with equal points share an odd fen: the first in order gets it, the total holds", () => {
    const r = settleDipYear(POLICY, [stay("a", "H1", "A", 5000, 0), stay("b", "H1", "A", 5000, 0)], {
      budgetFen: 101,
      coefficients: COEFFICIENTS,
    });
    expect(r.hospitals[0]?.paymentFen).toBe(101);
    expect(r.hospitals[0]?.stayPaymentsFen).toEqual([51, 50]); // 50.5 each: largest remainder, lower index first
  });

  it("refuses a stay whose group, standard or coefficient is unknown, naming it, and pays the rest", () => {
    const r = settleDipYear(
      POLICY,
      [
        stay("ok", "H1", "A", 5000, 0),
        { ...stay("g", "H1", "A", 5000, 0), group: "Z" },
        { ...stay("l", "H1", "A", 5000, 0), hospitalLevel: "一级" },
        { ...stay("c", "H1", "A", 5000, 0), hospital: "H9" },
      ],
      { budgetFen: 100_000, coefficients: COEFFICIENTS },
    );
    expect(r.refused.map((e) => e.message)).toEqual([
      "病例 g：字段 group：病种 Z 不在 DIP 病种分值表中",
      "病例 l：字段 hospitalLevel：一级医院的病种 A 没有标准费用",
      "病例 c：字段 hospital：医疗机构 H9 没有 DIP 机构系数",
    ]);
    expect(r.hospitals.map((h) => [h.hospital, h.paymentFen])).toEqual([["H1", 100_000]]);
  });
});

describe("the policy is data", () => {
  it("names the field and the rule of a bad policy", () => {
    const bad = (patch: Record<string, unknown>) => () =>
      parseDipPaymentPolicy({
        id: "x",
        version: "1",
        effectiveFrom: "2025-01-01",
        groupPoints: { A: "50" },
        standardCost: { 三级: { A: "100" } },
        veryHighAtLeast: "2",
        veryLowAtMost: "0.5",
        budgetBasis: "totalCost",
        ...patch,
      });
    expect(bad({})).not.toThrow();
    expect(bad({ groupPoints: { A: "50.00001" } })).toThrow(PolicyDataError);
    expect(bad({ standardCost: { 三级: { B: "100" } } })).toThrow(
      "standardCost.三级.B：病种 B 不在 groupPoints 中",
    );
    expect(bad({ veryLowAtMost: "1.2" })).toThrow("0 < 费用极低倍数 < 1 < 费用极高倍数");
    expect(bad({ budgetBasis: "drg" })).toThrow("budgetBasis");
  });
});

describe("for any year", () => {
  it("hospital payments sum to the pool and stay payments to their hospital's payment, to the fen", () => {
    const arbStay = fc.record({
      hospital: fc.constantFrom("H1", "H2"),
      group: fc.constantFrom("A", "B", "C"),
      costFen: fc.integer({ min: 0, max: 10_000_000 }),
      patientPaidFen: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbStay, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 1e10 }),
        (xs, budget) => {
          const stays = xs.map((s, i) => ({
            ...s,
            id: String(i),
            hospitalLevel: LEVEL[s.hospital] as string,
          }));
          const r = settleDipYear(POLICY, stays, { budgetFen: budget, coefficients: COEFFICIENTS });
          const positive = r.totalPoints.num > 0n;
          expect(r.hospitals.reduce((s, h) => s + h.paymentFen, 0)).toBe(positive ? budget : 0);
          for (const h of r.hospitals) {
            expect(h.stayPaymentsFen.reduce((s, x) => s + x, 0)).toBe(h.paymentFen);
            expect(h.fundFen).toBe(h.paymentFen - h.patientPaidFen);
          }
        },
      ),
    );
  });
});
