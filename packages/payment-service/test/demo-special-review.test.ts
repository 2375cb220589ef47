/**
 * 特病单议 in the demo (issue 15): under the demo payment policy an ordinary high outlier is paid the
 * standard plus 90% of the cost above the high threshold, and an approved special case is topped up to
 * its actual cost, so approval changes what the hospital is paid. Every expected amount is worked by
 * hand in the comments.
 *
 * Fixture: rate 10,000.00 元 (the demo policy's placeholder, replaced by calibration in the demo), no
 * level coefficients (coefficient 1), DRG XX15 with RW 1.5 → standard S = 1.5 × 10,000.00 = 15,000.00 元
 * = 1,500,000 fen; RW band 1 < 1.5 ≤ 2 → high multiple 2.5 → threshold H = 2.5 × 15,000.00 = 37,500.00 元
 * = 3,750,000 fen. The patient share is given (2,000.00 元) so that the fund payment is the payment − 2,000.00.
 */
import {
  BenefitPolicySet,
  createSettlementContext,
  HANDAN_RESIDENTS_2021,
  parseBenefitPolicy,
  parseDrgWeightTable,
  parsePaymentPolicy,
  type Stay,
  settleStay,
} from "@yibao/payment";
import { describe, expect, it } from "vitest";
import { demoPolicy } from "../src/demo.js";

const ctx = createSettlementContext({
  policies: [
    {
      policy: parsePaymentPolicy(demoPolicy("2025-01-01")),
      weights: parseDrgWeightTable({
        id: "w",
        version: "1",
        effectiveFrom: "2025-01-01",
        entries: [{ drg: "XX15", rw: "1.5", avgCost: "15000" }],
      }),
    },
  ],
  hospitals: [{ id: "H1", level: "三级", benefitClass: "三级综合" }],
  benefit: new BenefitPolicySet([parseBenefitPolicy(HANDAN_RESIDENTS_2021)]),
});

const stay = (totalCost: number, specialReview?: Stay["specialReview"]): Stay => ({
  id: "S1",
  hospitalId: "H1",
  drg: "XX15",
  totalCost,
  admissionDate: "2025-05-01",
  dischargeDate: "2025-05-20",
  patientShare: 200_000,
  ...(specialReview ? { specialReview } : {}),
});

describe("the demo policy's high outliers and 特病单议", () => {
  it("pays an ordinary high outlier the standard plus 90% of the excess, at and around the threshold", () => {
    // cost = H = 3,750,000: not above the threshold, a normal stay paid S = 1,500,000.
    const at = settleStay(stay(3_750_000), ctx);
    expect(at.standard).toBe(1_500_000);
    expect(at.highThreshold).toBe(3_750_000);
    expect(at.category).toBe("normal");
    expect(at.drgPayment).toBe(1_500_000);
    // one fen above: S + round(1 × 0.9) = 1,500,000 + 1 = 1,500,001.
    const above = settleStay(stay(3_750_001), ctx);
    expect(above.category).toBe("highOutlier");
    expect(above.drgPayment).toBe(1_500_001);
    // 50,000.00 元: S + (5,000,000 − 3,750,000) × 0.9 = 1,500,000 + 1,125,000 = 2,625,000 (26,250.00 元),
    // fund = 2,625,000 − 200,000 = 2,425,000; the hospital bears 5,000,000 − 2,625,000 = 2,375,000.
    const s = settleStay(stay(5_000_000), ctx);
    expect(s.category).toBe("highOutlier");
    expect(s.drgPayment).toBe(2_625_000);
    expect(s.fundPayment).toBe(2_425_000);
    expect(s.balance).toBe(-2_375_000);
    // 37,500.05 元: S + round(5 × 0.9) = 1,500,000 + round(4.5) = 1,500,000 + 5 (half away from zero).
    expect(settleStay(stay(3_750_005), ctx).drgPayment).toBe(1_500_005);
  });

  it("pays an approved special case its actual cost, or the approved amount on top", () => {
    // Approved without an amount (specialReview full): topped up to cost 5,000,000; the addition is
    // 5,000,000 − 2,625,000 = 2,375,000; fund = 5,000,000 − 200,000 = 4,800,000; balance 0.
    const full = settleStay(stay(5_000_000, { approved: true }), ctx);
    expect(full.specialReviewAddition).toBe(2_375_000);
    expect(full.drgPayment).toBe(5_000_000);
    expect(full.fundPayment).toBe(4_800_000);
    expect(full.balance).toBe(0);
    // Approved with 8,000.00 元: 2,625,000 + 800,000 = 3,425,000; fund 3,225,000.
    const given = settleStay(stay(5_000_000, { approved: true, amount: 800_000 }), ctx);
    expect(given.drgPayment).toBe(3_425_000);
    expect(given.fundPayment).toBe(3_225_000);
    // Not approved (a rejected case): paid as the ordinary high outlier, 2,625,000.
    expect(settleStay(stay(5_000_000, { approved: false }), ctx).drgPayment).toBe(2_625_000);
  });
});
