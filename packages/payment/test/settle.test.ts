import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import { addMonths, createSettlementContext, settleStay } from "../src/settle.js";
import { PolicyDataError, SettlementError } from "../src/versioned.js";
import { context, HOSPITALS, policyData, stay, weightsData, yuan } from "./fixtures.js";

describe("settleStay (单病例结算) — rate method", () => {
  const ctx = context();

  it("normal case: standard = RW × rate × hospital coefficient, rounded once", () => {
    // 三级 coefficient 1.1: 1.26 × 8811 × 1.1 = 12212.046 → 12212.05
    const r = settleStay(stay({ hospitalId: "H3" }), ctx);
    expect(r.category).toBe("normal");
    expect(r.outlier).toBe("none");
    expect(r.coefficient).toBe(1_100_000);
    expect(r.standard).toBe(1221205);
    expect(r.drgPayment).toBe(1221205);
    expect(r.fundPayment).toBe(1221205 - 200000);
    expect(r.balance).toBe(1221205 - 1000000);
    // per-hospital coefficient overrides the level
    expect(settleStay(stay({ hospitalId: "H9" }), ctx).coefficient).toBe(1_050_000);
  });

  it("base groups (基础病组) are paid alike at every level", () => {
    const at = (h: string) => settleStay(stay({ hospitalId: h, drg: "FF19", totalCost: yuan("4000") }), ctx);
    expect(at("H3").standard).toBe(440550);
    expect(at("H1").standard).toBe(440550);
    expect(at("H3").coefficient).toBe(1_000_000);
  });

  it("high outlier by weight band, paid by items", () => {
    // HU15 RW 0.64 ≤ 1 → 3 × 5639.04 = 16917.12
    const r = settleStay(stay({ drg: "HU15", totalCost: yuan("16917.13") }), ctx);
    expect(r.highThreshold).toBe(1691712);
    expect(r.category).toBe("highOutlier");
    expect(r.drgPayment).toBe(1691713);
    // equal to the threshold is not an outlier (高于界值)
    expect(settleStay(stay({ drg: "HU15", totalCost: 1691712 }), ctx).category).toBe("normal");
    // KD15 1 < RW ≤ 2 → 2.5×; DA15 RW > 2 → 2×
    expect(settleStay(stay({ drg: "KD15" }), ctx).highThreshold).toBe(Math.round(1110186 * 2.5));
    expect(settleStay(stay({ drg: "DA15" }), ctx).highThreshold).toBe(1832688 * 2);
  });

  it("high outlier paid as standard + (cost − threshold) × ratio", () => {
    const c = context({
      outliers: {
        ...policyData().outliers,
        high: { ...policyData().outliers.high, payment: { method: "excess", ratio: "0.9" } },
      },
    });
    const r = settleStay(stay({ drg: "HU15", totalCost: yuan("20000") }), c);
    expect(r.drgPayment).toBe(563904 + Math.round((2000000 - 1691712) * 0.9));
  });

  it("low outlier: actual cost, or scaled by cost ÷ group average cost", () => {
    // HU15 low threshold 0.4 × 5639.04 = 2255.62 (2255.616)
    const r = settleStay(stay({ drg: "HU15", totalCost: yuan("2000"), patientShare: 0 }), ctx);
    expect(r.lowThreshold).toBe(225562);
    expect(r.category).toBe("lowOutlier");
    expect(r.drgPayment).toBe(200000);
    const c = context({
      outliers: { ...policyData().outliers, low: { multiple: "0.4", payment: { method: "scaled" } } },
    });
    // 5639.04 × 2000 ÷ 5000 (avgCost) = 2255.616 → 2255.62
    expect(settleStay(stay({ drg: "HU15", totalCost: yuan("2000"), patientShare: 0 }), c).drgPayment).toBe(
      225562,
    );
  });

  it("QY and 0000 cases are paid at their shares of cost", () => {
    expect(settleStay(stay({ drg: "BQY", totalCost: 1765211 }), ctx)).toMatchObject({
      category: "ambiguous",
      drgPayment: 1412169,
      standard: null,
    });
    expect(settleStay(stay({ drg: "0000", totalCost: yuan("1000"), patientShare: 0 }), ctx)).toMatchObject({
      category: "ungrouped",
      drgPayment: 70000,
    });
  });

  it("fixed exclusions and approved new-technology exclusions are paid as actual cost", () => {
    expect(settleStay(stay({ drg: "AA19", totalCost: yuan("500000") }), ctx)).toMatchObject({
      category: "fixedExclusion",
      drgPayment: 50000000,
    });
    expect(settleStay(stay({ newTechExclusion: true, totalCost: yuan("80000") }), ctx)).toMatchObject({
      category: "newTechExclusion",
      drgPayment: 8000000,
    });
  });

  it("new technology items are paid by item during their first year only", () => {
    const s = stay({ newTechItems: ["X", "NT001"], totalCost: yuan("30000") });
    expect(settleStay({ ...s, dischargeDate: "2021-05-08" }, ctx).category).toBe("newTechItems");
    expect(settleStay({ ...s, dischargeDate: "2022-03-14" }, ctx).category).toBe("newTechItems");
    expect(settleStay({ ...s, dischargeDate: "2022-03-15" }, ctx).category).toBe("highOutlier");
    expect(settleStay({ ...s, admissionDate: "2021-03-01", dischargeDate: "2021-03-10" }, ctx).category).toBe(
      "highOutlier",
    );
    expect(addMonths("2021-01-31", 1)).toBe("2021-02-28");
    expect(addMonths("2021-03-15", 12)).toBe("2022-03-15");
  });

  it("special-case review (特病单议) adds the approved amount, or tops up to cost", () => {
    const s = stay({ totalCost: yuan("20000") });
    expect(settleStay({ ...s, specialReview: { approved: true } }, ctx)).toMatchObject({
      specialReviewAddition: 2000000 - 1110186,
      drgPayment: 2000000,
    });
    expect(settleStay({ ...s, specialReview: { approved: true, amount: 5000 } }, ctx).drgPayment).toBe(
      1110186 + 5000,
    );
    expect(settleStay({ ...s, specialReview: { approved: false, amount: 5000 } }, ctx).drgPayment).toBe(
      1110186,
    );
  });

  it("computes the patient share from the benefit policy when costs are given", () => {
    const r = settleStay(
      stay({
        patientShare: undefined,
        totalCost: yuan("9800"),
        costs: { classA: yuan("6000"), classB: yuan("3000"), selfPay: yuan("600"), other: yuan("200") },
      }),
      ctx,
    );
    expect(r.benefit?.deductible).toBe(80000);
    expect(r.patientShare).toBe(324000);
    expect(r.fundPayment).toBe(1110186 - 324000);
  });

  it("clamps the fund payment at zero when the patient share exceeds the DRG payment", () => {
    // QY at 80% of 1000 = 800 < patient share 900
    const r = settleStay(stay({ drg: "BQY", totalCost: yuan("1000"), patientShare: yuan("900") }), ctx);
    expect(r.drgPayment).toBe(80000);
    expect(r.fundPayment).toBe(0);
  });

  it("names record, field and rule on bad input", () => {
    expect(() => settleStay(stay({ drg: "ZZ99" }), ctx)).toThrow(/病例 S1：字段 drg：病组 ZZ99 不在权重表/);
    expect(() => settleStay(stay({ hospitalId: "HX" }), ctx)).toThrow(SettlementError);
    expect(() => settleStay(stay({ totalCost: -1 }), ctx)).toThrow(/totalCost/);
    expect(() => settleStay(stay({ dischargeDate: "2020-12-31" }), ctx)).toThrow(/没有生效的支付政策/);
    expect(() => settleStay(stay({ costs: { classA: 1, classB: 0, selfPay: 0, other: 0 } }), ctx)).toThrow(
      /费用构成|须等于医疗总费用/,
    );
    expect(() => settleStay(stay({ patientShare: undefined }), ctx)).toThrow(/缺少费用构成/);
    const noLevel = createSettlementContext({
      policies: [{ policy: parsePaymentPolicy(policyData()), weights: parseDrgWeightTable(weightsData()) }],
      hospitals: [{ id: "HZ", level: "民营" }],
    });
    expect(() => settleStay(stay({ hospitalId: "HZ" }), noLevel)).toThrow(/医院等级「民营」/);
  });

  it("rejects malformed policy data naming the field", () => {
    expect(() => parsePaymentPolicy(policyData({ method: "x" }))).toThrow(/method/);
    expect(() => parsePaymentPolicy(policyData({ rate: "0" }))).toThrow(/rate/);
    expect(() =>
      parsePaymentPolicy(
        policyData({
          outliers: { high: { bands: [{ maxRw: "1", multiple: "3" }], payment: { method: "items" } } },
        }),
      ),
    ).toThrow(/最后一档须无上限/);
    expect(() =>
      parseDrgWeightTable(
        weightsData({
          entries: [
            { drg: "A", rw: "1" },
            { drg: "A", rw: "2" },
          ],
        }),
      ),
    ).toThrow(/重复/);
    expect(() =>
      createSettlementContext({
        policies: [
          {
            policy: parsePaymentPolicy(policyData({ drgStandards: { ZZ99: "1" } })),
            weights: parseDrgWeightTable(weightsData()),
          },
        ],
        hospitals: [],
      }),
    ).toThrow(PolicyDataError);
  });

  it("selects the policy version by discharge date", () => {
    const v1 = parsePaymentPolicy(policyData({ effectiveTo: "2021-12-31" }));
    const v2 = parsePaymentPolicy(policyData({ version: "2", effectiveFrom: "2022-01-01", rate: "9000" }));
    const w = parseDrgWeightTable(weightsData());
    const c = createSettlementContext({
      policies: [
        { policy: v1, weights: w },
        { policy: v2, weights: w },
      ],
      hospitals: HOSPITALS,
    });
    expect(settleStay(stay(), c).policyVersion).toBe("1");
    const r = settleStay(stay({ admissionDate: "2021-12-28", dischargeDate: "2022-01-03" }), c);
    expect(r.policyVersion).toBe("2");
    expect(r.standard).toBe(1134000);
  });

  it("property: within a group, a higher cost never lowers the DRG payment", () => {
    const policies = [
      context(),
      context({
        outliers: {
          high: { bands: [{ maxRw: null, multiple: "2" }], payment: { method: "excess", ratio: "0.5" } },
          low: { multiple: "0.3", payment: { method: "scaled" } },
        },
      }),
      context({ method: "point", pointsPerRw: 100 }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom("KD15", "DA15", "HU15", "FF19", "BQY", "0000"),
        fc.constantFrom("H1", "H2", "H3", "H9"),
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 1e7 }),
        fc.constantFrom(0, 1, 2),
        (drg, hospitalId, cost, extra, pi) => {
          const c = policies[pi] as (typeof policies)[number];
          const a = settleStay(stay({ drg, hospitalId, totalCost: cost, patientShare: 0 }), c);
          const b = settleStay(stay({ drg, hospitalId, totalCost: cost + extra, patientShare: 0 }), c);
          expect(b.drgPayment).toBeGreaterThanOrEqual(a.drgPayment);
          expect(a.balance).toBe(a.drgPayment - a.totalCost);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("settleStay — point method (点数法)", () => {
  const ctx = context({ method: "point", pointsPerRw: 100 });

  it("normal case: points = RW × 100 × coefficient, paid at the conversion value by default", () => {
    const r = settleStay(stay({ hospitalId: "H3" }), ctx);
    expect(r.method).toBe("point");
    expect(r.points).toBe(138_600_000); // 1.26 × 100 × 1.1 = 138.6 points
    expect(r.drgPayment).toBe(1221205); // 138.6 × 88.11
  });

  it("outliers and exclusions are converted to points at rate ÷ 100", () => {
    const r = settleStay(stay({ drg: "AA19", totalCost: yuan("88110") }), ctx);
    expect(r.points).toBe(1000 * 1_000_000);
    const q = settleStay(stay({ drg: "BQY", totalCost: yuan("8811") }), ctx);
    expect(q.points).toBe(80 * 1_000_000);
  });

  it("special review adds points", () => {
    const r = settleStay(
      stay({ totalCost: yuan("20000"), specialReview: { approved: true, amount: yuan("881.10") } }),
      ctx,
    );
    expect(r.points).toBe(126_000_000 + 10_000_000);
  });

  it("pays at the given point value", () => {
    const c = context({ method: "point" }, { pointValue: { num: 9000n, den: 1n } }); // 90 yuan per point
    expect(settleStay(stay(), c).drgPayment).toBe(126 * 9000);
  });
});

describe("many random stays (随机病例批量结算)", () => {
  it("property: per stay and in total, the parts add up to the fen", () => {
    const ctx = context();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            drg: fc.constantFrom("KD15", "DA15", "HU15", "FF19", "BR25", "AA19", "BQY", "0000"),
            hospitalId: fc.constantFrom("H1", "H2", "H3", "H9"),
            classA: fc.integer({ min: 0, max: 5e6 }),
            classB: fc.integer({ min: 0, max: 3e6 }),
            selfPay: fc.integer({ min: 0, max: 1e6 }),
            other: fc.integer({ min: 0, max: 1e5 }),
            admissions: fc.integer({ min: 0, max: 2 }),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        (rows) => {
          let totalCost = 0;
          let totalFundByItem = 0;
          let totalPatient = 0;
          let totalPayment = 0;
          let totalFund = 0;
          let totalBalance = 0;
          for (const [i, x] of rows.entries()) {
            const cost = x.classA + x.classB + x.selfPay + x.other;
            const r = settleStay(
              stay({
                id: `S${i}`,
                drg: x.drg,
                hospitalId: x.hospitalId,
                totalCost: cost,
                patientShare: undefined,
                costs: { classA: x.classA, classB: x.classB, selfPay: x.selfPay, other: x.other },
                person: { "2021": { admissions: x.admissions, fundPaid: 0 } },
              }),
              ctx,
            );
            const b = r.benefit;
            if (b === null) throw new Error("benefit expected");
            expect(b.fund + b.patient).toBe(cost);
            expect(r.patientShare).toBe(b.patient);
            expect(r.fundPayment).toBe(Math.max(0, r.drgPayment - r.patientShare));
            totalCost += cost;
            totalFundByItem += b.fund;
            totalPatient += r.patientShare;
            totalPayment += r.drgPayment;
            totalFund += r.fundPayment;
            totalBalance += r.balance;
            expect(Number.isSafeInteger(r.drgPayment)).toBe(true);
          }
          expect(totalFundByItem + totalPatient).toBe(totalCost);
          expect(totalBalance).toBe(totalPayment - totalCost);
          expect(totalFund).toBeGreaterThanOrEqual(totalPayment - totalPatient);
        },
      ),
      { numRuns: 50 },
    );
  });
});
