/**
 * DIP monthly prepayment (prepayDipMonth) and the policy's coefficients and prepayment terms, pinned at
 * their edges by hand: amounts that land on .5 fen round half away from zero, one step below does not.
 */
import { describe, expect, it } from "vitest";
import { dipCoefficientOf, parseDipPaymentPolicy, prepayDipMonth } from "../src/dip.js";
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
