/**
 * Clearing with the seed's sharing rules (issue 14; seed 000 l.1373–1405): the assessment factor
 * (考核系数) on the surplus kept, no surplus kept on 基层病种 by the levels named, and 结余共享 — a share of
 * what the hospitals return given back by fund expenditure × assessment. Worked by hand:
 *   budget 1,000,000 fen (total payment), A 6 points, B 4 points → A 600,000, B 400,000
 *   A: cost 500,000 → surplus 100,000; its 基层病种 stays: 1 point = 100,000 paid, cost 70,000 → 30,000
 *      not kept; kept = round(70,000 × 0.6 × 0.9) = 37,800; returned 62,200
 *   B: cost 450,000 → overspend 50,000; fund covers 50% of the first 10% of payment (40,000) = 20,000;
 *      deduction 5,000
 *   reward pool = round(62,200 × 0.5) = 31,100; fund before reward A 600,000 − 62,200 − 100,000 =
 *      437,800, B 400,000 + 20,000 − 5,000 − 80,000 = 335,000; weights × 0.9 / × 0.8:
 *      A 31,100 × 394,020 ÷ 662,020 = 18,510.04, B 12,589.96 → floors 18,510 + 12,589, the last fen
 *      to B (larger remainder) → A 18,510, B 12,590
 *   settled A = 600,000 − 62,200 + 18,510 = 556,310; B = 400,000 + 20,000 + 12,590 − 5,000 = 427,590
 */
import { describe, expect, it } from "vitest";
import { clearYear } from "../src/clearing.js";
import { parsePaymentPolicy } from "../src/policy.js";

const RULES = {
  budgetBasis: "totalPayment" as const,
  surplusRetention: 600_000,
  overspendBands: [{ upTo: 100_000, fundShare: 500_000 }],
  primaryCare: { groups: new Set(["GB1"]), levels: new Set(["三级"]) },
  regionalReward: 500_000,
};

const A = {
  hospitalId: "A",
  points: 6_000_000,
  totalCost: 500_000,
  patientShare: 100_000,
  assessment: 900_000,
  primaryCare: { points: 1_000_000, totalCost: 70_000 },
};
const B = {
  hospitalId: "B",
  points: 4_000_000,
  totalCost: 450_000,
  patientShare: 80_000,
  assessment: 800_000,
};

describe("clearing with assessment, 基层病种 and 结余共享 (hand-worked)", () => {
  it("keeps, returns, covers and rewards as worked in the header", () => {
    const c = clearYear({
      budget: 1_000_000,
      rules: RULES,
      hospitals: [A, B],
      deductions: [{ hospitalId: "B", amount: 5_000, reason: "审核扣款" }],
    });
    const [a, b] = c.hospitals;
    expect([a?.payment, a?.primaryCareSurplus, a?.surplusRetained, a?.surplusReturned]).toEqual([
      600_000, 30_000, 37_800, 62_200,
    ]);
    expect([b?.payment, b?.overspendCovered, b?.overspendBorne]).toEqual([400_000, 20_000, 30_000]);
    expect(c.rewardPool).toBe(31_100);
    expect([a?.regionalReward, b?.regionalReward]).toEqual([18_510, 12_590]);
    expect([a?.settled, a?.fundDue, b?.settled, b?.fundDue]).toEqual([556_310, 456_310, 427_590, 347_590]);
    expect(c.totals.regionalReward).toBe(31_100);
    expect(c.totals.primaryCareSurplus).toBe(30_000);
  });

  it("without the options nothing changes: assessment 1, no 基层病种, no reward", () => {
    const plain = clearYear({
      budget: 1_000_000,
      rules: { budgetBasis: "totalPayment", surplusRetention: 600_000, overspendBands: [] },
      hospitals: [
        { ...A, assessment: undefined, primaryCare: undefined },
        { ...B, assessment: undefined },
      ],
    });
    // round(100,000 × 0.6) = 60,000 kept.
    expect(plain.hospitals[0]?.surplusRetained).toBe(60_000);
    expect(plain.hospitals.map((h) => h.regionalReward)).toEqual([0, 0]);
    expect(plain.rewardPool).toBe(0);
  });

  it("at the edges: 基层病种 making a loss keeps nothing back, more than the surplus is capped, .5 fen rounds up", () => {
    const loss = clearYear({
      budget: 1_000_000,
      rules: RULES,
      hospitals: [{ ...A, primaryCare: { points: 1_000_000, totalCost: 100_001 } }, B],
    });
    expect(loss.hospitals[0]?.primaryCareSurplus).toBe(0);
    const capped = clearYear({
      budget: 1_000_000,
      rules: RULES,
      hospitals: [{ ...A, totalCost: 590_000, primaryCare: { points: 1_000_000, totalCost: 70_000 } }, B],
    });
    // surplus 10,000 < 基层病种 30,000: nothing kept, all returned.
    expect([capped.hospitals[0]?.primaryCareSurplus, capped.hospitals[0]?.surplusRetained]).toEqual([
      10_000, 0,
    ]);
    const half = clearYear({
      budget: 100,
      rules: { budgetBasis: "totalPayment", surplusRetention: 500_000, overspendBands: [] },
      hospitals: [{ hospitalId: "H", points: 1, totalCost: 99, patientShare: 0 }],
    });
    // surplus 1 fen × 0.5 = 0.5 → 1.
    expect(half.hospitals[0]?.surplusRetained).toBe(1);
  });

  it("an assessment of 0 keeps no surplus and gets no reward; a negative one is refused", () => {
    const c = clearYear({ budget: 1_000_000, rules: RULES, hospitals: [{ ...A, assessment: 0 }, B] });
    expect([c.hospitals[0]?.surplusRetained, c.hospitals[0]?.regionalReward]).toEqual([0, 0]);
    expect(c.hospitals[1]?.regionalReward).toBe(c.rewardPool);
    expect(() =>
      clearYear({ budget: 1_000_000, rules: RULES, hospitals: [{ ...A, assessment: -1 }, B] }),
    ).toThrow(/考核系数/);
  });

  it("the policy names the rules, each refused with its field when wrong", () => {
    const base = {
      id: "p",
      version: "1",
      effectiveFrom: "2025-01-01",
      method: "point",
      rate: "10000",
      outliers: { high: { bands: [{ maxRw: null, multiple: "3" }], payment: { method: "items" } } },
      ambiguous: { qyShare: "80%" },
    };
    const clearing = { surplusRetention: "0.6", overspendBands: [] };
    const p = parsePaymentPolicy({
      ...base,
      clearing: { ...clearing, primaryCare: { groups: ["GB1"], levels: ["三级"] }, regionalReward: "50%" },
    });
    expect(p.clearing?.regionalReward).toBe(500_000);
    expect([...(p.clearing?.primaryCare?.groups ?? [])]).toEqual(["GB1"]);
    expect(
      parsePaymentPolicy({ ...base, clearing: { ...clearing, regionalReward: "1" } }).clearing
        ?.regionalReward,
    ).toBe(1_000_000);
    expect(() =>
      parsePaymentPolicy({ ...base, clearing: { ...clearing, regionalReward: "1.000001" } }),
    ).toThrow(/clearing\.regionalReward/);
    expect(() =>
      parsePaymentPolicy({
        ...base,
        clearing: { ...clearing, primaryCare: { groups: [], levels: ["三级"] } },
      }),
    ).toThrow(/clearing\.primaryCare\.groups/);
  });
});
