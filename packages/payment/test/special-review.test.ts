/**
 * 特病单议申请规则 (issue 14): the `specialReview` section of the policy (defaults, errors naming field
 * and rule) and the pure checks — each criterion at its threshold, one step below and one above, the
 * quota's rounding and the deadline. Every expected value is worked by hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { parsePaymentPolicy } from "../src/policy.js";
import {
  type SpecialReviewFacts,
  type SpecialReviewRules,
  specialReviewDeadline,
  specialReviewQuota,
  specialReviewVerdict,
} from "../src/special-review.js";
import { PolicyDataError } from "../src/versioned.js";
import { policyData } from "./fixtures.js";

const facts = (over: Partial<SpecialReviewFacts> = {}): SpecialReviewFacts => ({
  totalCost: 0,
  standard: 1_500_000,
  icuMinutes: null,
  los: 10,
  dischargeDate: "2023-05-10",
  procedureCodes: [],
  ...over,
});

const rulesOf = (specialReview: Record<string, unknown>): SpecialReviewRules =>
  parsePaymentPolicy(policyData({ specialReview })).specialReview;

const eligible = (r: ReturnType<typeof specialReviewVerdict>): boolean | "closed" =>
  "closed" in r ? "closed" : r.eligible;

describe("specialReview policy data", () => {
  it("an old policy without the section gets the documented defaults", () => {
    const p = parsePaymentPolicy(policyData());
    expect(p.specialReviewMode).toBe("full");
    // cost ≥ 3 × standard, new technology open, ICU and long stay closed; 5% a year; 30 days.
    expect(p.specialReview).toEqual({
      criteria: { highCost: { multiple: 3_000_000 }, icu: null, longStay: null, newTech: true },
      quota: { share: 50_000, per: "year" },
      deadline: { daysAfterDischargeMonth: 30 },
    });
  });

  it("reads the criteria, quota and deadline; null switches quota and deadline off", () => {
    const r = rulesOf({
      mode: "given",
      criteria: { highCost: { multiple: "2.5" }, icu: { overDays: 5 }, longStay: {} },
      quota: { share: "3%", per: "period" },
      deadline: null,
    });
    expect(r.criteria).toEqual({
      highCost: { multiple: 2_500_000 },
      icu: { overDays: 5 },
      longStay: { overDays: 60 },
      newTech: false,
    });
    expect(r.quota).toEqual({ share: 30_000, per: "period" });
    expect(r.deadline).toBeNull();
    expect(rulesOf({ quota: null }).quota).toBeNull();
  });

  it("refuses bad data naming the field and the rule", () => {
    const bad = (specialReview: Record<string, unknown>, field: string) => {
      let err: unknown;
      try {
        rulesOf(specialReview);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PolicyDataError);
      expect((err as PolicyDataError).field).toBe(field);
    };
    bad({ criteria: { icu: { overDays: -1 } } }, "specialReview.criteria.icu.overDays");
    bad({ criteria: { icuDays: {} } }, "specialReview.criteria.icuDays");
    bad({ criteria: { highCost: { multiple: "0.5" } } }, "specialReview.criteria.highCost.multiple");
    bad({ quota: { share: "120%" } }, "specialReview.quota.share");
    bad({ quota: { per: "month" } }, "specialReview.quota.per");
    bad({ deadline: { daysAfterDischargeMonth: 1.5 } }, "specialReview.deadline.daysAfterDischargeMonth");
    bad({ limit: 3 }, "specialReview.limit");
  });
});

describe("eligibility at the threshold, one step below and one above", () => {
  const rules = rulesOf({
    criteria: { highCost: { multiple: "3" }, icu: { overDays: 7 }, longStay: { overDays: 60 }, newTech: {} },
  });
  const none = new Map();

  it("cost ≥ 3 × the standard: standard 15,000.00 元 → threshold 45,000.00 元 = 4,500,000 fen", () => {
    const v = (totalCost: number) =>
      specialReviewVerdict(rules, none, "highCost", facts({ totalCost }), null);
    expect(eligible(v(4_500_000))).toBe(true);
    expect(eligible(v(4_499_999))).toBe(false);
    expect(eligible(v(4_500_001))).toBe(true);
    const below = v(4_499_999);
    expect("figure" in below && below.figure).toBe(
      "医疗总费用 44999.99 元未达到病组支付标准 15000.00 元的 3 倍（45000.00 元）",
    );
  });

  it("the threshold is rounded half away from zero to the fen: 2.5 × 12,345.67 元 = 30,864.175 → 30,864.18", () => {
    const r = rulesOf({ criteria: { highCost: { multiple: "2.5" } } });
    const v = (totalCost: number) =>
      specialReviewVerdict(r, none, "highCost", facts({ totalCost, standard: 1_234_567 }), null);
    // 1,234,567 × 2.5 = 3,086,417.5 fen → 3,086,418.
    expect(eligible(v(3_086_418))).toBe(true);
    expect(eligible(v(3_086_417))).toBe(false);
    // A stay paid without a standard (by items) cannot apply by cost.
    expect(eligible(specialReviewVerdict(r, none, "highCost", facts({ standard: null }), null))).toBe(false);
  });

  it("ICU over 7 days: exactly 7 days (10,080 minutes) fails, one minute more and 8 days pass", () => {
    const v = (icuMinutes: number | null) =>
      specialReviewVerdict(rules, none, "icu", facts({ icuMinutes }), null);
    expect(eligible(v(7 * 1440))).toBe(false);
    expect(eligible(v(7 * 1440 + 1))).toBe(true);
    expect(eligible(v(8 * 1440))).toBe(true);
    expect(eligible(v(null))).toBe(false);
    const at = v(7 * 1440);
    expect("figure" in at && at.figure).toBe("重症监护合计时长 7天0小时0分钟未超过 7 天");
  });

  it("stay over 60 days: 60 fails, 61 passes", () => {
    const v = (los: number) => specialReviewVerdict(rules, none, "longStay", facts({ los }), null);
    expect(eligible(v(60))).toBe(false);
    expect(eligible(v(61))).toBe(true);
  });

  it("new technology: filed on or before discharge and among the list's procedures", () => {
    const items = new Map([["NT01", { code: "NT01", name: "经导管主动脉瓣置换", recordedOn: "2023-05-10" }]]);
    const v = (over: Partial<SpecialReviewFacts>, code: string | null) =>
      specialReviewVerdict(rules, items, "newTech", facts(over), code);
    expect(eligible(v({ procedureCodes: ["NT01"] }, "NT01"))).toBe(true);
    // filed the day after discharge
    expect(eligible(v({ procedureCodes: ["NT01"], dischargeDate: "2023-05-09" }, "NT01"))).toBe(false);
    expect(eligible(v({ procedureCodes: [] }, "NT01"))).toBe(false);
    expect(eligible(v({ procedureCodes: ["NT02"] }, "NT02"))).toBe(false);
    expect(eligible(v({ procedureCodes: ["NT01"] }, null))).toBe(false);
  });

  it("a criterion the policy does not list is closed", () => {
    const r = rulesOf({ criteria: { highCost: {} } });
    expect(eligible(specialReviewVerdict(r, none, "icu", facts({ icuMinutes: 99_999 }), null))).toBe(
      "closed",
    );
    expect(eligible(specialReviewVerdict(r, none, "newTech", facts(), "NT01"))).toBe("closed");
  });
});

describe("quota and deadline", () => {
  it("quota = floor(cases × share): 41 × 5% = 2.05 → 2; 40 → 2; 39 → 1.95 → 1; 19 → 0; 20 → 1", () => {
    expect(specialReviewQuota(41, 50_000)).toBe(2);
    expect(specialReviewQuota(40, 50_000)).toBe(2);
    expect(specialReviewQuota(39, 50_000)).toBe(1);
    expect(specialReviewQuota(19, 50_000)).toBe(0);
    expect(specialReviewQuota(20, 50_000)).toBe(1);
  });

  it("deadline = last day of the discharge month + N days", () => {
    // 2023-05-31 + 30 = 2023-06-30
    expect(specialReviewDeadline("2023-05-10", 30)).toBe("2023-06-30");
    // 2024-02-29 (leap year) + 30 = 2024-03-30
    expect(specialReviewDeadline("2024-02-15", 30)).toBe("2024-03-30");
    // 2023-12-31 + 30 = 2024-01-30
    expect(specialReviewDeadline("2023-12-31", 30)).toBe("2024-01-30");
    expect(specialReviewDeadline("2023-05-10", 0)).toBe("2023-05-31");
  });
});
