/**
 * Tests written against the surviving mutants of settle.ts (issue 16, docs/mutation.md). Every
 * context is built inside the test (a context built in a `describe` body is compiled before Stryker
 * activates a mutant, so constructor mutants would go unseen). Expected values are hand-calculated:
 * fixture policy rate 8811 元, 二级 coefficient 1.0, KD15 RW 1.26 (avgCost 11000 元), low outlier 0.4 ×
 * standard, high band RW ≤ 2 → × 2.5.
 *   KD15 standard = 1.26 × 8811 = 11101.86 元 = 1110186 fen
 *   high threshold = 1110186 × 2.5 = 2775465 fen; low threshold = 1110186 × 0.4 = 444074.4 → 444074 fen
 */
import { describe, expect, it } from "vitest";
import { EXAMPLE_OUTLIERS } from "../src/data/example-policy.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import { createSettlementContext, type HospitalInfo, settleStay } from "../src/settle.js";
import { SettlementError } from "../src/versioned.js";
import { context, HOSPITALS, handan, policyData, stay, weightsData } from "./fixtures.js";

function errorOf(f: () => unknown): SettlementError {
  try {
    f();
  } catch (e) {
    if (e instanceof SettlementError) return e;
    throw e;
  }
  throw new Error("expected a SettlementError");
}

describe("歧义组 (QY) is recognised by its last two letters only", () => {
  it("QY and AQY are ambiguous; QX, XY and Y are not (and are refused as unknown groups)", () => {
    const ctx = context();
    // 10000 元 = 1000000 fen × qyShare 80% = 800000 fen.
    const qy = settleStay(stay({ drg: "QY" }), ctx);
    expect(qy.category).toBe("ambiguous");
    expect(qy.drgPayment).toBe(800000);
    expect(settleStay(stay({ drg: "AQY" }), ctx).category).toBe("ambiguous");
    for (const drg of ["ZQX", "ZXY", "Y"]) {
      expect(errorOf(() => settleStay(stay({ drg }), ctx)).field).toBe("drg");
    }
  });
});

describe("the policy in force (policyAt): the latest effectiveFrom containing the date", () => {
  function twoVersions() {
    const weights = parseDrgWeightTable(weightsData());
    const v1 = parsePaymentPolicy(policyData({ version: "1", effectiveFrom: "2021-01-01" }));
    const v2 = parsePaymentPolicy(policyData({ version: "2", effectiveFrom: "2021-06-01", rate: "9000" }));
    // The newer version listed first, then the older: the order must not decide.
    return createSettlementContext({
      policies: [
        { policy: v2, weights },
        { policy: v1, weights },
      ],
      hospitals: HOSPITALS,
      benefit: handan(),
    });
  }

  it("on the newer version's first day the newer one applies, the day before the older", () => {
    const ctx = twoVersions();
    const on = settleStay(stay({ dischargeDate: "2021-06-01" }), ctx);
    expect(on.policyVersion).toBe("2");
    // 1.26 × 9000 = 11340 元 = 1134000 fen
    expect(on.standard).toBe(1134000);
    const before = settleStay(stay({ dischargeDate: "2021-05-31" }), ctx);
    expect(before.policyVersion).toBe("1");
    expect(before.standard).toBe(1110186);
    const after = settleStay(stay({ dischargeDate: "2021-06-02" }), ctx);
    expect(after.policyVersion).toBe("2");
  });

  it("listed older first, the newer still wins from its first day", () => {
    const weights = parseDrgWeightTable(weightsData());
    const ctx = createSettlementContext({
      policies: [
        { policy: parsePaymentPolicy(policyData({ version: "1" })), weights },
        {
          policy: parsePaymentPolicy(policyData({ version: "2", effectiveFrom: "2021-06-01" })),
          weights,
        },
      ],
      hospitals: HOSPITALS,
      benefit: handan(),
    });
    expect(settleStay(stay({ dischargeDate: "2021-06-01" }), ctx).policyVersion).toBe("2");
    expect(settleStay(stay({ dischargeDate: "2021-05-31" }), ctx).policyVersion).toBe("1");
  });

  it("a context without any policy version is refused", () => {
    expect(() => createSettlementContext({ policies: [], hospitals: HOSPITALS })).toThrow(RangeError);
  });
});

describe("high-outlier band edge, compiled inside the test", () => {
  it("RW exactly 1 takes the ≤ 1 band (× 3), not the next (× 2.5)", () => {
    const w = weightsData();
    const ctx = createSettlementContext({
      policies: [
        {
          policy: parsePaymentPolicy(policyData()),
          weights: parseDrgWeightTable({ ...w, entries: [...w.entries, { drg: "EB10", rw: "1" }] }),
        },
      ],
      hospitals: HOSPITALS,
      benefit: handan(),
    });
    // 1 × 8811 元 = 881100 fen; × 3 = 2643300 (an exclusive edge would give × 2.5 = 2202750).
    expect(settleStay(stay({ drg: "EB10" }), ctx).highThreshold).toBe(2643300);
    // A second stay of the same group at the same hospital (cached terms) gives the same.
    expect(settleStay(stay({ id: "S2", drg: "EB10" }), ctx).highThreshold).toBe(2643300);
  });
});

describe("the reported outlier, rw and thresholds", () => {
  it("a low outlier reports 'low', a normal case 'none', each with the group's RW", () => {
    const ctx = context();
    // 444073 < 444074 (low threshold): low outlier, paid at actual cost.
    const low = settleStay(stay({ totalCost: 444073 }), ctx);
    expect(low.category).toBe("lowOutlier");
    expect(low.outlier).toBe("low");
    expect(low.lowThreshold).toBe(444074);
    expect(low.drgPayment).toBe(444073);
    const normal = settleStay(stay({ totalCost: 444074 }), ctx);
    expect(normal.outlier).toBe("none");
    expect(normal.rw).toBe(1260000);
    // 2775466 > 2775465: high outlier.
    expect(settleStay(stay({ totalCost: 2775466 }), ctx).outlier).toBe("high");
    // Ungrouped: no group terms, so no RW.
    expect(settleStay(stay({ drg: "0000" }), ctx).rw).toBeNull();
  });

  it("without a low-outlier rule there is no low threshold and a 1-fen stay is normal", () => {
    const ctx = context({ outliers: { high: EXAMPLE_OUTLIERS.high } });
    const s = settleStay(stay({ totalCost: 1, patientShare: 0 }), ctx);
    expect(s.category).toBe("normal");
    expect(s.lowThreshold).toBeNull();
    expect(s.highThreshold).toBe(2775465);
    expect(s.drgPayment).toBe(1110186);
  });
});

describe("特病单议 without an amount", () => {
  it("mode full adds cost − payment; mode given adds nothing", () => {
    // Cost 20000 元 = 2000000 fen (normal: 444074 ≤ cost ≤ 2775465), payment = standard 1110186.
    const s = stay({ totalCost: 2000000, specialReview: { approved: true } });
    const full = settleStay(s, context());
    // 2000000 − 1110186 = 889814
    expect(full.specialReviewAddition).toBe(889814);
    expect(full.drgPayment).toBe(2000000);
    const given = settleStay(s, context({ specialReview: { mode: "given" } }));
    expect(given.specialReviewAddition).toBe(0);
    expect(given.drgPayment).toBe(1110186);
  });
});

describe("住院不足24小时 only when the policy lists it", () => {
  it("a 2-hour stay under a policy with only a death rule is paid by DRG", () => {
    const ctx = context({ specialCases: { death: { payment: { method: "items", ratio: "1" } } } });
    const s = settleStay(
      stay({
        admissionDate: "2021-05-01",
        dischargeDate: "2021-05-01",
        admissionTime: "08:00",
        dischargeTime: "10:00",
      }),
      ctx,
    );
    expect(s.specialCase).toBeNull();
    expect(s.category).toBe("normal");
    expect(s.drgPayment).toBe(1110186);
  });
});

describe("patient share refusals when it cannot be computed", () => {
  const costs = { classA: 600000, classB: 300000, selfPay: 100000, other: 0 };
  it("no benefit policy in the context: refused on patientShare", () => {
    const ctx = createSettlementContext({
      policies: [{ policy: parsePaymentPolicy(policyData()), weights: parseDrgWeightTable(weightsData()) }],
      hospitals: HOSPITALS,
    });
    const e = errorOf(() => settleStay(stay({ patientShare: undefined, costs }), ctx));
    expect(e.field).toBe("patientShare");
  });

  it("a hospital without a benefit class: refused on hospitalId", () => {
    const hospitals: HospitalInfo[] = [...HOSPITALS, { id: "H0", level: "二级" }];
    const ctx = context({}, { hospitals });
    const e = errorOf(() => settleStay(stay({ hospitalId: "H0", patientShare: undefined, costs }), ctx));
    expect(e.field).toBe("hospitalId");
  });
});

describe("scaled low-outlier payment when the group's average cost is 0", () => {
  it("pays 0 instead of dividing by 0", () => {
    const w = weightsData();
    const ctx = createSettlementContext({
      policies: [
        {
          policy: parsePaymentPolicy(
            policyData({
              outliers: { ...EXAMPLE_OUTLIERS, low: { multiple: "0.4", payment: { method: "scaled" } } },
            }),
          ),
          weights: parseDrgWeightTable({
            ...w,
            entries: [...w.entries, { drg: "ZZ10", rw: "1", avgCost: "0" }],
          }),
        },
      ],
      hospitals: HOSPITALS,
      benefit: handan(),
    });
    // Standard 1 × 8811 元 = 881100 fen; low threshold 0.4 × 881100 = 352440; cost 1000 < 352440.
    const s = settleStay(stay({ drg: "ZZ10", totalCost: 1000, patientShare: 0 }), ctx);
    expect(s.category).toBe("lowOutlier");
    expect(s.drgPayment).toBe(0);
  });
});
