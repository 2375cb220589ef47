/**
 * Tests written against the surviving mutants of dip.ts (issue 16, docs/mutation.md). Policies are
 * parsed inside each test. Group A: 50 points, standard 5000 元 = 500000 fen at 三级; very high at
 * ≥ 2 × standard = 1000000 fen, very low at ≤ 0.5 × standard = 250000 fen. Points are checked as
 * exact reduced rationals, hand-calculated in the comments.
 */
import { describe, expect, it } from "vitest";
import {
  type DipPaymentPolicy,
  type DipStay,
  dipStayPoints,
  parseDipPaymentPolicy,
  settleDipYear,
} from "../src/dip.js";
import { PolicyDataError, SettlementError } from "../src/versioned.js";

const DATA = {
  id: "dip-m",
  version: "1",
  effectiveFrom: "2025-01-01",
  groupPoints: { A: "50" },
  standardCost: { 三级: { A: "5000.00" } },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
};
const policy = (patch: Record<string, unknown> = {}): DipPaymentPolicy =>
  parseDipPaymentPolicy({ ...DATA, ...patch });

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof PolicyDataError) return `${e.field}：${e.rule}`;
    if (e instanceof SettlementError) return e.field;
    throw e;
  }
  return "(no error)";
}

const dipStay = (id: string, hospital: string, costFen: number, patientPaidFen = 0): DipStay => ({
  id,
  hospital,
  hospitalLevel: "三级",
  group: "A",
  costFen,
  patientPaidFen,
});

describe("parseDipPaymentPolicy: what it returns", () => {
  it("converts points to ten-thousandths, ratios to ppm, and keeps effectiveTo only when given", () => {
    const p = policy();
    // 50 points = 50 × 10000 ten-thousandths
    expect(p.groupPoints.get("A")).toBe(500000);
    expect(p.standardCost.get("三级")?.get("A")).toBe(500000);
    expect(p.veryHighAtLeast).toBe(2_000_000);
    expect(p.veryLowAtMost).toBe(500_000);
    expect(p.budgetBasis).toBe("totalCost");
    expect(p.id).toBe("dip-m");
    expect("effectiveTo" in p).toBe(false);
    expect(policy({ effectiveTo: "2025-12-31" }).effectiveTo).toBe("2025-12-31");
    expect(policy({ budgetBasis: "fund" }).budgetBasis).toBe("fund");
    // The smallest point value, 0.0001, is 1 ten-thousandth; numbers are read as decimals too.
    expect(policy({ groupPoints: { A: "0.0001" } }).groupPoints.get("A")).toBe(1);
    expect(policy({ veryHighAtLeast: 3 }).veryHighAtLeast).toBe(3_000_000);
  });
});

describe("parseDipPaymentPolicy: refusals name the field and the rule", () => {
  it("the root and the head", () => {
    expect(fieldOf(() => parseDipPaymentPolicy(null))).toBe("$：应为对象");
    expect(fieldOf(() => parseDipPaymentPolicy("x"))).toBe("$：应为对象");
    expect(fieldOf(() => policy({ id: "" }))).toBe("id：应为非空字符串");
    expect(fieldOf(() => policy({ version: 1 }))).toBe("version：应为非空字符串");
    expect(fieldOf(() => policy({ effectiveFrom: undefined }))).toBe("effectiveFrom：应为非空字符串");
  });

  it("objects and decimals", () => {
    expect(fieldOf(() => policy({ groupPoints: null }))).toBe("groupPoints：应为对象");
    expect(fieldOf(() => policy({ groupPoints: ["50"] }))).toBe("groupPoints：应为对象");
    expect(fieldOf(() => policy({ standardCost: "x" }))).toBe("standardCost：应为对象");
    expect(fieldOf(() => policy({ standardCost: { 三级: null } }))).toBe("standardCost.三级：应为对象");
    expect(fieldOf(() => policy({ veryHighAtLeast: true }))).toBe("veryHighAtLeast：应为十进制数");
    expect(fieldOf(() => policy({ veryLowAtMost: null }))).toBe("veryLowAtMost：应为十进制数");
    expect(fieldOf(() => policy({ standardCost: { 三级: { A: "abc" } } }))).toMatch(
      /^standardCost\.三级\.A：.+/,
    );
  });

  it("group points: positive, four decimals at most, at least one group", () => {
    expect(fieldOf(() => policy({ groupPoints: { A: "0" } }))).toBe("groupPoints.A：应为正数，至多四位小数");
    expect(fieldOf(() => policy({ groupPoints: {}, standardCost: {} }))).toBe("groupPoints：至少一个病种");
  });

  it("standard cost: 0 refused, 0.01 元 accepted", () => {
    expect(fieldOf(() => policy({ standardCost: { 三级: { A: "0" } } }))).toBe(
      "standardCost.三级.A：标准费用应为正数",
    );
    expect(
      policy({ standardCost: { 三级: { A: "0.01" } } })
        .standardCost.get("三级")
        ?.get("A"),
    ).toBe(1);
  });

  it("0 < very low < 1 < very high, each at its edge", () => {
    const rule = "veryHighAtLeast/veryLowAtMost：应满足 0 < 费用极低倍数 < 1 < 费用极高倍数";
    expect(fieldOf(() => policy({ veryLowAtMost: "0" }))).toBe(rule);
    expect(fieldOf(() => policy({ veryLowAtMost: "1" }))).toBe(rule);
    expect(fieldOf(() => policy({ veryHighAtLeast: "1" }))).toBe(rule);
    expect(policy({ veryLowAtMost: "0.000001" }).veryLowAtMost).toBe(1);
    expect(policy({ veryLowAtMost: "0.999999" }).veryLowAtMost).toBe(999_999);
    expect(policy({ veryHighAtLeast: "1.000001" }).veryHighAtLeast).toBe(1_000_001);
  });

  it("budget basis: totalCost or fund", () => {
    expect(fieldOf(() => policy({ budgetBasis: "drg" }))).toBe(
      "budgetBasis：应为 totalCost（医疗总费用）或 fund（统筹基金）",
    );
  });
});

describe("dipStayPoints at the deviation edges", () => {
  const pts = (costFen: number) => dipStayPoints(policy(), dipStay("s", "H1", costFen), 1_000_000);

  it("very high from exactly 2 × standard", () => {
    // 999999 < 1000000: normal, 50 points.
    expect(pts(999999)).toMatchObject({ caseType: "normal", basePoints: { num: 50n, den: 1n } });
    // 1000000 = 2 × 500000: very high, 50 × (2 − 2 + 1) = 50.
    expect(pts(1000000)).toMatchObject({ caseType: "veryHigh", basePoints: { num: 50n, den: 1n } });
    // 1000001: 50 × (1000001/500000 − 1) = 50 × 500001/500000 = 500001/10000.
    expect(pts(1000001)).toMatchObject({ caseType: "veryHigh", points: { num: 500001n, den: 10000n } });
  });

  it("very low up to exactly 0.5 × standard", () => {
    // 250000 = 0.5 × 500000: very low, 50 × 250000/500000 = 25.
    expect(pts(250000)).toMatchObject({ caseType: "veryLow", basePoints: { num: 25n, den: 1n } });
    expect(pts(250001)).toMatchObject({ caseType: "normal", basePoints: { num: 50n, den: 1n } });
    // 0 fen: 0 points, reduced to 0/1.
    expect(pts(0)).toMatchObject({ caseType: "veryLow", points: { num: 0n, den: 1n } });
  });

  it("refuses a zero standard and a negative or fractional cost", () => {
    const zero: DipPaymentPolicy = { ...policy(), standardCost: new Map([["三级", new Map([["A", 0]])]]) };
    expect(fieldOf(() => dipStayPoints(zero, dipStay("s", "H1", 100), 1_000_000))).toBe("hospitalLevel");
    expect(fieldOf(() => pts(-1))).toBe("costFen");
    expect(fieldOf(() => pts(0.5))).toBe("costFen");
  });
});

describe("settleDipYear", () => {
  it("exact points, point value and payments over hospitals of different denominators", () => {
    // H1 (coefficient 1): one stay of 1000001 fen → 500001/10000 points.
    // H2 (coefficient 0.95): a stay of 0 fen (0 points) and a normal one (50 × 0.95 = 95/2 points).
    // Total = 500001/10000 + 475000/10000 = 975001/10000. Budget 975001 fen → 点值 10000 fen/point;
    // H1 = 500001/10000 × 10000 = 500001, H2 = 95/2 × 10000 = 475000; H2's stays 0 and 475000.
    const r = settleDipYear(
      policy(),
      [dipStay("b0", "H2", 0, 10), dipStay("b1", "H2", 500000, 20), dipStay("a", "H1", 1000001, 30)],
      {
        budgetFen: 975001,
        coefficients: new Map([
          ["H1", 1_000_000],
          ["H2", 950_000],
        ]),
      },
    );
    expect(r.hospitals.map((h) => h.hospital)).toEqual(["H1", "H2"]);
    expect(r.totalPoints).toEqual({ num: 975001n, den: 10000n });
    expect(r.pointValue).toEqual({ num: 10000n, den: 1n });
    expect(r.hospitals[0]).toMatchObject({ points: { num: 500001n, den: 10000n }, paymentFen: 500001 });
    expect(r.hospitals[1]).toMatchObject({
      points: { num: 95n, den: 2n },
      paymentFen: 475000,
      stayPaymentsFen: [0, 475000],
      patientPaidFen: 30, // 10 + 20
      fundFen: 474970, // 475000 − 30
    });
  });

  it("a hospital whose stays are all worth 0 points gets 0, and the others the whole pool", () => {
    const r = settleDipYear(policy(), [dipStay("a", "H1", 500000), dipStay("b", "H2", 0)], {
      budgetFen: 1000,
      coefficients: new Map([
        ["H1", 1_000_000],
        ["H2", 1_000_000],
      ]),
    });
    expect(r.hospitals[0]?.paymentFen).toBe(1000);
    expect(r.hospitals[1]).toMatchObject({ paymentFen: 0, stayPaymentsFen: [0] });
  });

  it("a year of 0 points: point value 0/1 and every payment 0", () => {
    const r = settleDipYear(policy(), [dipStay("a", "H1", 0), dipStay("b", "H1", 0)], {
      budgetFen: 1000,
      coefficients: new Map([["H1", 1_000_000]]),
    });
    expect(r.pointValue).toEqual({ num: 0n, den: 1n });
    expect(r.hospitals[0]).toMatchObject({ paymentFen: 0, stayPaymentsFen: [0, 0] });
  });

  it("budget: 0 accepted, −1 and 0.5 refused; an error that is not a settlement error is not swallowed", () => {
    const coefficients = new Map([["H1", 1_000_000]]);
    expect(settleDipYear(policy(), [dipStay("a", "H1", 1)], { budgetFen: 0, coefficients }).poolFen).toBe(0);
    expect(() => settleDipYear(policy(), [], { budgetFen: -1, coefficients })).toThrow(/DIP 年度预算/);
    expect(() => settleDipYear(policy(), [], { budgetFen: 0.5, coefficients })).toThrow(/DIP 年度预算/);
    // A fractional coefficient (not ppm) makes BigInt throw a RangeError, which must propagate.
    expect(() =>
      settleDipYear(policy(), [dipStay("a", "H1", 1)], {
        budgetFen: 1,
        coefficients: new Map([["H1", 1.5]]),
      }),
    ).toThrow(RangeError);
  });
});
