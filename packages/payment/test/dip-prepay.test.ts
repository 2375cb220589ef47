/**
 * DIP monthly prepayment (prepayDipMonth) and the policy's coefficients and prepayment terms, pinned at
 * their edges by hand: amounts that land on .5 fen round half away from zero, one step below does not.
 */
import { describe, expect, it } from "vitest";
import {
  dipCoefficientOf,
  dipStayPoints,
  parseDipPaymentPolicy,
  prepayDipMonth,
  settleDipYear,
} from "../src/dip.js";
import { PolicyDataError } from "../src/versioned.js";

const BASE = {
  id: "p",
  version: "1",
  effectiveFrom: "2025-01-01",
  groupPoints: { G: "1", H: "50" },
  standardCost: { 三级: { G: "100.00", H: "5000.00" }, 二级: { G: "90.00", H: "4500.00" } },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
};

function policy(pointValue: string, ratio: string, extra: Record<string, unknown> = {}) {
  return parseDipPaymentPolicy({ ...BASE, prepayment: { pointValue, ratio }, ...extra });
}

const ONE = new Map([["A", 1_000_000]]);
const stay = (group: string, costFen: number, patientPaidFen: number) => ({
  id: "s1",
  hospital: "A",
  hospitalLevel: "三级",
  group,
  costFen,
  patientPaidFen,
});

describe("DIP monthly prepayment, rounding at .5 fen", () => {
  it("estimated payment: 1 point × 0.015 元 = 1.5 fen → 2; × 0.014999 元 = 1.4999 fen → 1", () => {
    const up = prepayDipMonth(policy("0.015", "1"), [stay("G", 10_000, 0)], ONE);
    expect(up.hospitals[0]?.estimatedPaymentFen).toBe(2);
    const down = prepayDipMonth(policy("0.014999", "1"), [stay("G", 10_000, 0)], ONE);
    expect(down.hospitals[0]?.estimatedPaymentFen).toBe(1);
  });

  it("prepayment: fund 5,049 fen × 0.5 = 2,524.5 → 2,525; 5,048 × 0.5 = 2,524 exactly", () => {
    // 50 points × 1.01 元 = 50.50 元 = 5,050 fen; less 1 or 2 fen paid by the patient.
    const half = prepayDipMonth(policy("1.01", "0.5"), [stay("H", 500_000, 1)], ONE).hospitals[0];
    expect([half?.estimatedPaymentFen, half?.estimatedFundFen, half?.prepaymentFen]).toEqual([
      5050, 5049, 2525,
    ]);
    const even = prepayDipMonth(policy("1.01", "0.5"), [stay("H", 500_000, 2)], ONE).hospitals[0];
    expect(even?.prepaymentFen).toBe(2524);
  });

  it("a month whose patients paid more than the estimate prepays 0, and says the fund due is negative", () => {
    const h = prepayDipMonth(policy("1.01", "0.9"), [stay("H", 500_000, 6000)], ONE).hospitals[0];
    expect([h?.estimatedFundFen, h?.prepaymentFen]).toEqual([-950, 0]);
    const zero = prepayDipMonth(policy("1.01", "0.9"), [stay("H", 500_000, 5050)], ONE).hospitals[0];
    expect([zero?.estimatedFundFen, zero?.prepaymentFen]).toEqual([0, 0]);
    const one = prepayDipMonth(policy("1.01", "0.9"), [stay("H", 500_000, 5049)], ONE).hospitals[0];
    expect([one?.estimatedFundFen, one?.prepaymentFen]).toEqual([1, 1]);
  });

  it("a stay the policy cannot price is refused by name and the rest is prepaid", () => {
    const m = prepayDipMonth(
      policy("1", "1"),
      [stay("H", 500_000, 0), { ...stay("X", 1, 0), id: "s2" }],
      ONE,
    );
    expect(m.refused.map((e) => [e.record, e.field])).toEqual([["s2", "group"]]);
    expect(m.hospitals[0]?.prepaymentFen).toBe(5000);
  });

  it("a policy without prepayment terms cannot prepay", () => {
    expect(() => prepayDipMonth(parseDipPaymentPolicy(BASE), [], ONE)).toThrow(PolicyDataError);
  });
});

describe("the policy's coefficients and prepayment terms", () => {
  it("a hospital's own coefficient before its level's, none when neither is given", () => {
    const p = policy("1", "1", {
      coefficients: { byLevel: { 三级: "1.0", 二级: "0.9" }, byHospital: { B: "0.95" } },
    });
    expect(dipCoefficientOf(p, "A", "三级")).toBe(1_000_000);
    expect(dipCoefficientOf(p, "B", "三级")).toBe(950_000);
    expect(dipCoefficientOf(p, "C", "二级")).toBe(900_000);
    expect(dipCoefficientOf(p, "C", "一级")).toBeUndefined();
  });

  it("the ratio at 1 is accepted, above 1 and at 0 refused; a zero point value refused; fields named", () => {
    expect(policy("1", "1").prepayment?.ratio).toBe(1_000_000);
    expect(() => policy("1", "1.000001")).toThrow(/prepayment\.ratio/);
    expect(() => policy("1", "0")).toThrow(/prepayment\.ratio/);
    expect(() => policy("0", "0.9")).toThrow(/prepayment\.pointValue/);
    expect(() => policy("1", "0.9", { coefficients: { byLevel: { 三级: "0" } } })).toThrow(
      /coefficients\.byLevel\.三级/,
    );
    expect(() => policy("1", "0.9", { coefficients: { other: {} } })).toThrow(/coefficients\.other/);
    expect(policy("150", "0.9").prepayment?.pointValueFen).toEqual({ num: 15_000n, den: 1n });
  });
});

describe("a stay is paid by its points to one millionth of a point", () => {
  const p = parseDipPaymentPolicy({ ...BASE, groupPoints: { G: "0.0001", H: "50" } });
  it("0.0001 points × coefficient 0.005 = 0.0000005 → 0.000001 (half up); × 0.004999 → 0", () => {
    expect(dipStayPoints(p, stay("G", 10_000, 0), 5_000).microPoints).toBe(1n);
    expect(dipStayPoints(p, stay("G", 10_000, 0), 4_999).microPoints).toBe(0n);
  });
  it("exact points kept beside the paid ones: terminating decimals unchanged, a coefficient of 1/3 rounded", () => {
    // 1,666.67 元 of a 5,000.00 元 standard (三级) is very low: 50 × 166,667 ÷ 500,000 = 16.6667 points.
    const s = dipStayPoints(p, stay("H", 166_667, 0), 1_000_000);
    expect(s.caseType).toBe("veryLow");
    // 50 × 166,667 ÷ 500,000 = 16.6667 exactly; the micro-points are the same number.
    expect(s.points).toEqual({ num: 166_667n, den: 10_000n });
    expect(s.microPoints).toBe(16_666_700n);
    const third = dipStayPoints(p, stay("H", 500_000, 0), 333_333);
    // A normal stay × coefficient 0.333333: 50 × 0.333333 = 16.66665 points = 16,666,650 micro-points.
    expect(third.microPoints).toBe(16_666_650n);
  });
  it("the year sums the paid points: two stays of 0.0000005 points make 0.000002, not 0.000001", () => {
    const y = settleDipYear(p, [stay("G", 10_000, 0), { ...stay("G", 10_000, 0), id: "s2" }], {
      budgetFen: 100,
      coefficients: new Map([["A", 5_000]]),
    });
    expect(y.totalPoints).toEqual({ num: 1n, den: 500_000n });
    expect(y.hospitals[0]?.stayPaymentsFen).toEqual([50, 50]);
  });
});
