/**
 * Tests written against the surviving mutants of clearing.ts (issue 16, docs/mutation.md). Rules:
 * the fixture policy's clearing (结余留用 70%, overspend up to 10% of the payment shared 50%).
 * Expected values are hand-calculated in the comments.
 */
import { describe, expect, it } from "vitest";
import { clearYear, selectNewTechExclusions, summarizeForClearing } from "../src/clearing.js";
import { type ClearingRules, parsePaymentPolicy } from "../src/policy.js";
import { settleStay } from "../src/settle.js";
import { context, policyData, stay } from "./fixtures.js";

const rules = (): ClearingRules => {
  const c = parsePaymentPolicy(policyData()).clearing;
  if (c === null) throw new Error("the fixture policy has clearing rules");
  return c;
};

describe("clearYear totals and defaults", () => {
  it("sums every column over a hospital in surplus and one in overspend", () => {
    const c = clearYear({
      budget: 400000,
      rules: rules(),
      hospitals: [
        // 1 point of 4: 400000 × 1/4 = 100000
        { hospitalId: "H1", points: 1_000_000, totalCost: 90000, patientShare: 20000 },
        // 3 points of 4: 300000
        { hospitalId: "H2", points: 3_000_000, totalCost: 320000, patientShare: 50000 },
      ],
    });
    const [h1, h2] = c.hospitals;
    // H1: balance 100000 − 90000 = 10000; retained 70% = 7000, returned 3000;
    //     settled 100000 − 3000 = 97000; fund due 97000 − 20000 = 77000.
    expect(h1).toMatchObject({
      payment: 100000,
      balance: 10000,
      surplusRetained: 7000,
      surplusReturned: 3000,
      overspend: 0,
      settled: 97000,
      fundDue: 77000,
      deductionReasons: [],
    });
    // H2: balance 300000 − 320000 = −20000; band edge 10% × 300000 = 30000 ≥ 20000, so all of the
    //     overspend is in the band: covered 50% × 20000 = 10000, borne 10000;
    //     settled 300000 + 10000 = 310000; fund due 310000 − 50000 = 260000.
    expect(h2).toMatchObject({
      payment: 300000,
      balance: -20000,
      surplusRetained: 0,
      overspend: 20000,
      overspendCovered: 10000,
      overspendBorne: 10000,
      settled: 310000,
      fundDue: 260000,
      deductionReasons: [],
    });
    expect(c.totals).toEqual({
      points: 4_000_000n,
      payment: 400000, // 100000 + 300000
      totalCost: 410000, // 90000 + 320000
      balance: -10000, // 10000 − 20000
      surplusRetained: 7000,
      surplusReturned: 3000,
      primaryCareSurplus: 0,
      regionalReward: 0,
      overspend: 20000,
      overspendCovered: 10000,
      overspendBorne: 10000,
      deductions: 0,
      settled: 407000, // 97000 + 310000
      patientShare: 70000,
      fundDue: 337000, // 77000 + 260000
      prepaid: 0,
      balanceDue: 337000,
    });
    expect(c.rejectedDeductions).toEqual([]);
  });

  it("a hospital exactly at break-even has neither surplus nor overspend", () => {
    const c = clearYear({
      budget: 100000,
      rules: rules(),
      hospitals: [{ hospitalId: "H1", points: 1, totalCost: 100000, patientShare: 0 }],
    });
    expect(c.hospitals[0]).toMatchObject({ balance: 0, surplusReturned: 0, overspend: 0, settled: 100000 });
  });

  it("a negative deduction is rejected with its rule, the deduction kept as given", () => {
    const c = clearYear({
      budget: 1000,
      rules: rules(),
      hospitals: [{ hospitalId: "H1", points: 1, totalCost: 1000, patientShare: 0 }],
      deductions: [{ hospitalId: "H1", amount: -5, reason: "test" }],
    });
    expect(c.rejectedDeductions).toEqual([
      { hospitalId: "H1", amount: -5, reason: "test", rule: "扣款金额须为非负整数分" },
    ]);
    expect(c.hospitals[0]?.deductions).toBe(0);
  });
});

describe("clearYear refusals", () => {
  const h = [{ hospitalId: "H1", points: 1, totalCost: 0, patientShare: 1 }];
  it("budget: 0 is accepted, −1 and 0.5 are refused", () => {
    expect(clearYear({ budget: 0, rules: rules(), hospitals: h }).hospitals[0]?.payment).toBe(0);
    expect(() => clearYear({ budget: -1, rules: rules(), hospitals: h })).toThrow(/清算预算/);
    expect(() => clearYear({ budget: 0.5, rules: rules(), hospitals: h })).toThrow(/清算预算/);
  });

  it("a hospital listed twice is refused", () => {
    expect(() => clearYear({ budget: 10, rules: rules(), hospitals: [...h, ...h] })).toThrow(/重复/);
  });

  it("a fund budget whose pool (budget + patient share) is beyond the safe integers is refused", () => {
    const fund: ClearingRules = { ...rules(), budgetBasis: "fund" };
    // MAX_SAFE_INTEGER + 1 (the patients' 1 fen) is not a safe integer.
    expect(() => clearYear({ budget: Number.MAX_SAFE_INTEGER, rules: fund, hospitals: h })).toThrow(
      /超出可精确表示/,
    );
  });
});

describe("summarizeForClearing", () => {
  it("refuses a hospital whose total cost is beyond the safe integers", () => {
    const s = settleStay(stay(), context());
    const big = { ...s, totalCost: Number.MAX_SAFE_INTEGER };
    expect(() => summarizeForClearing([big, s])).toThrow(RangeError);
    // One of them alone sums fine.
    expect(summarizeForClearing([s])[0]?.totalCost).toBe(1000000);
  });
});

describe("selectNewTechExclusions: floor(cases × cap), most expensive first, ties by stay id", () => {
  const apps = [
    { stayId: "S2", hospitalId: "H1", totalCost: 500 },
    { stayId: "S4", hospitalId: "H1", totalCost: 100 },
    { stayId: "S1", hospitalId: "H1", totalCost: 500 },
    { stayId: "S3", hospitalId: "H1", totalCost: 700 },
  ];
  const cap = 3000; // 3‰ in ppm

  it("999 cases × 3‰ = 2.997 → quota 2: S3 (700), then S1 before S2 (tie on 500)", () => {
    const r = selectNewTechExclusions(apps, new Map([["H1", 999]]), cap);
    expect(r.approved).toEqual(["S3", "S1"]);
    expect(r.refused.map((x) => x.stayId)).toEqual(["S2", "S4"]);
    expect(r.refused[0]?.reason).toBe("超出机构 H1 新技术除外额度 2 例(病例数 999)");
  });

  it("the ids in the other order give the same result", () => {
    const r = selectNewTechExclusions([...apps].reverse(), new Map([["H1", 999]]), cap);
    expect(r.approved).toEqual(["S3", "S1"]);
    expect(r.refused.map((x) => x.stayId)).toEqual(["S2", "S4"]);
  });

  it("1000 cases × 3‰ = 3 exactly → quota 3; unknown hospital → quota 0", () => {
    const r = selectNewTechExclusions(apps, new Map([["H1", 1000]]), cap);
    expect(r.approved).toEqual(["S3", "S1", "S2"]);
    expect(r.refused.map((x) => x.stayId)).toEqual(["S4"]);
    expect(selectNewTechExclusions(apps, new Map(), cap).approved).toEqual([]);
  });
});
