import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clearYear, selectNewTechExclusions, summarizeForClearing } from "../src/clearing.js";
import type { ClearingRules } from "../src/policy.js";
import { settleStay } from "../src/settle.js";
import { context, stay, yuan } from "./fixtures.js";

const rules: ClearingRules = {
  budgetBasis: "totalPayment",
  surplusRetention: 700_000,
  overspendBands: [{ upTo: 100_000, fundShare: 500_000 }],
};
const P = 1_000_000; // one point in micro-points

describe("clearYear (年终清算)", () => {
  it("point value = budget ÷ total points; payments split the budget exactly", () => {
    const r = clearYear({
      budget: yuan("1000000"),
      rules,
      hospitals: [
        { hospitalId: "A", points: 6000 * P, totalCost: yuan("500000"), patientShare: yuan("100000") },
        { hospitalId: "B", points: 4000 * P, totalCost: yuan("420000"), patientShare: yuan("80000") },
      ],
    });
    expect(r.pointValueYuan).toBe("100.000000");
    expect(r.hospitals.map((h) => h.payment)).toEqual([yuan("600000"), yuan("400000")]);
    // A: surplus 100000, keeps 70% → settled 570000
    expect(r.hospitals[0]).toMatchObject({
      surplusRetained: yuan("70000"),
      surplusReturned: yuan("30000"),
      settled: yuan("570000"),
      fundDue: yuan("470000"),
    });
    // B: overspend 20000 within 10% of 400000 → fund bears 50% = 10000
    expect(r.hospitals[1]).toMatchObject({
      overspend: yuan("20000"),
      overspendCovered: yuan("10000"),
      overspendBorne: yuan("10000"),
      settled: yuan("410000"),
    });
  });

  it("a budget of the fund's own money (budgetBasis fund) is shared out together with the patients' share", () => {
    const hospitals = [
      { hospitalId: "A", points: 6000 * P, totalCost: yuan("500000"), patientShare: yuan("100000") },
      { hospitalId: "B", points: 4000 * P, totalCost: yuan("420000"), patientShare: yuan("80000") },
    ];
    // Fund budget 820,000 + patients' 180,000 = 1,000,000 by points: the same point value of 100 元.
    const fund = clearYear({ budget: yuan("820000"), rules: { ...rules, budgetBasis: "fund" }, hospitals });
    expect(fund.pool).toBe(yuan("1000000"));
    expect(fund.pointValueYuan).toBe("100.000000");
    expect(fund.hospitals.map((h) => [h.payment, h.fundDue])).toEqual([
      [yuan("600000"), yuan("470000")], // 570,000 settled − 100,000 patients
      [yuan("400000"), yuan("330000")], // 410,000 settled − 80,000 patients
    ]);
    // Read as a total payment, the same figure would pay 82 元 a point: the patients' share taken twice.
    const total = clearYear({ budget: yuan("820000"), rules, hospitals });
    expect(total.pool).toBe(yuan("820000"));
    expect(total.pointValueYuan).toBe("82.000000");
    expect(total.hospitals.map((h) => h.payment)).toEqual([yuan("492000"), yuan("328000")]);
  });

  it("overspend beyond the band is not covered (超支不补) and deductions are taken", () => {
    const r = clearYear({
      budget: yuan("100000"),
      rules,
      hospitals: [
        { hospitalId: "A", points: P, totalCost: yuan("150000"), patientShare: 0, prepaid: yuan("90000") },
      ],
      deductions: [
        { hospitalId: "A", amount: yuan("1000"), reason: "低码高编 KD15→DA15" },
        { hospitalId: "A", amount: yuan("500"), reason: "分解住院" },
        { hospitalId: "Z", amount: yuan("1"), reason: "x" },
      ],
    });
    const a = r.hospitals[0];
    // overspend 50000; band up to 10000 at 50% → 5000
    expect(a).toMatchObject({
      overspendCovered: yuan("5000"),
      deductions: yuan("1500"),
      settled: yuan("103500"),
      balanceDue: yuan("13500"),
    });
    expect(a?.deductionReasons).toEqual(["低码高编 KD15→DA15", "分解住院"]);
    expect(r.rejectedDeductions).toHaveLength(1);
    expect(r.rejectedDeductions[0]?.rule).toContain("不在本次清算范围");
  });

  it("point value is exact: 1 fen over 3 points", () => {
    const r = clearYear({
      budget: 100,
      rules,
      hospitals: ["A", "B", "C"].map((h) => ({ hospitalId: h, points: P, totalCost: 0, patientShare: 0 })),
    });
    expect(r.pointValue).toEqual({ num: 100_000_000n, den: 3_000_000n });
    expect(r.hospitals.map((h) => h.payment)).toEqual([34, 33, 33]);
    expect(() =>
      clearYear({
        budget: 1,
        rules,
        hospitals: [{ hospitalId: "A", points: 0, totalCost: 0, patientShare: 0 }],
      }),
    ).toThrow(/总点数/);
  });

  it("settled stays feed the clearing", () => {
    const ctx = context({ method: "point" });
    const stays = [
      settleStay(stay({ id: "1", hospitalId: "H3" }), ctx),
      settleStay(stay({ id: "2", hospitalId: "H3", drg: "HU15" }), ctx),
      settleStay(stay({ id: "3", hospitalId: "H2" }), ctx),
    ];
    const totals = summarizeForClearing(stays);
    expect(totals).toHaveLength(2);
    expect(totals[0]).toMatchObject({
      hospitalId: "H3",
      cases: 2,
      points: (stays[0]?.points ?? 0) + (stays[1]?.points ?? 0),
    });
  });

  it("property: clearing totals equal the sum of the parts to the fen", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e13 }),
        fc.array(
          fc.record({
            points: fc.integer({ min: 1, max: 1e12 }),
            totalCost: fc.integer({ min: 0, max: 1e11 }),
            patientShare: fc.integer({ min: 0, max: 1e10 }),
            prepaid: fc.integer({ min: 0, max: 1e11 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(fc.record({ h: fc.nat(40), amount: fc.integer({ min: 0, max: 1e8 }) }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (budget, hs, ds, retention, share) => {
          const r = clearYear({
            budget,
            rules: {
              budgetBasis: "totalPayment",
              surplusRetention: retention,
              overspendBands: [
                { upTo: 50_000, fundShare: share },
                { upTo: 200_000, fundShare: share / 2 },
              ],
            },
            hospitals: hs.map((h, i) => ({ hospitalId: `H${i}`, ...h })),
            deductions: ds.map((d) => ({ hospitalId: `H${d.h}`, amount: d.amount, reason: "审核" })),
          });
          const sum = (f: (h: (typeof r.hospitals)[number]) => number) =>
            r.hospitals.reduce((t, h) => t + f(h), 0);
          expect(sum((h) => h.payment)).toBe(budget);
          expect(r.totals.payment).toBe(budget);
          expect(r.totals.settled).toBe(sum((h) => h.settled));
          expect(r.totals.settled).toBe(
            budget - r.totals.surplusReturned + r.totals.overspendCovered - r.totals.deductions,
          );
          expect(r.totals.fundDue).toBe(r.totals.settled - r.totals.patientShare);
          expect(r.totals.balanceDue).toBe(r.totals.fundDue - r.totals.prepaid);
          const accepted = ds.filter((d) => d.h < hs.length).reduce((t, d) => t + d.amount, 0);
          expect(r.totals.deductions).toBe(accepted);
          for (const h of r.hospitals) {
            expect(h.surplusRetained + h.surplusReturned - h.overspend).toBe(h.balance);
            expect(h.overspendCovered).toBeLessThanOrEqual(h.overspend);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("new-technology exclusions (新技术除外, ≤ 3‰ of cases)", () => {
  it("approves the most expensive stays within each hospital's quota", () => {
    const apps = [
      { stayId: "a", hospitalId: "H1", totalCost: 100 },
      { stayId: "b", hospitalId: "H1", totalCost: 300 },
      { stayId: "c", hospitalId: "H1", totalCost: 200 },
      { stayId: "d", hospitalId: "H2", totalCost: 900 },
    ];
    const r = selectNewTechExclusions(
      apps,
      new Map([
        ["H1", 999],
        ["H2", 333],
      ]),
      3_000,
    );
    // H1: floor(999 × 0.003) = 2; H2: floor(0.999) = 0
    expect(r.approved).toEqual(["b", "c"]);
    expect(r.refused.map((x) => x.stayId)).toEqual(["a", "d"]);
    expect(r.refused[0]?.reason).toContain("额度 2 例");
  });
});
