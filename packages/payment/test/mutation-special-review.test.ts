/**
 * 特病单议 verdicts word for word (special-review.ts, docs/mutation.md): the figure shown to the hospital
 * and the values shown to the reviewer for each criterion, the ICU time text, the criteria closed by the
 * policy, and each refusal of the section's data with its field and rule. Figures by hand.
 */
import { describe, expect, it } from "vitest";
import { parsePaymentPolicy } from "../src/policy.js";
import {
  icuText,
  type SpecialReviewFacts,
  type SpecialReviewRules,
  specialReviewVerdict,
} from "../src/special-review.js";
import { policyData } from "./fixtures.js";

const facts = (over: Partial<SpecialReviewFacts> = {}): SpecialReviewFacts => ({
  totalCost: 4_500_000,
  standard: 1_500_000,
  icuMinutes: null,
  los: 10,
  dischargeDate: "2023-05-10",
  procedureCodes: [],
  ...over,
});
const rulesOf = (specialReview: Record<string, unknown>): SpecialReviewRules =>
  parsePaymentPolicy(policyData({ specialReview })).specialReview;
const OPEN = rulesOf({
  criteria: { highCost: { multiple: "2.5" }, icu: { overDays: 7 }, longStay: { overDays: 60 }, newTech: {} },
});
const ITEMS = new Map([["00.1234", { code: "00.1234", name: "某新技术", recordedOn: "2023-03-01" }]]);
const verdict = (
  criterion: Parameters<typeof specialReviewVerdict>[2],
  f: SpecialReviewFacts,
  code: string | null = null,
) => specialReviewVerdict(OPEN, ITEMS, criterion, f, code);

describe("the verdicts, word for word", () => {
  it("high cost: 2.5 × 15,000.00 = 37,500.00; the stay's figure and the bar", () => {
    expect(verdict("highCost", facts({ totalCost: 3_750_000 }))).toEqual({
      eligible: true,
      figure: "医疗总费用 37500.00 元达到病组支付标准 15000.00 元的 2.5 倍（37500.00 元）",
      values: { totalCostFen: 3_750_000, standardFen: 1_500_000, multiple: "2.5", thresholdFen: 3_750_000 },
    });
    expect(verdict("highCost", facts({ totalCost: 3_749_999 }))).toMatchObject({
      eligible: false,
      figure: "医疗总费用 37499.99 元未达到病组支付标准 15000.00 元的 2.5 倍（37500.00 元）",
    });
    expect(verdict("highCost", facts({ standard: null }))).toEqual({
      eligible: false,
      figure: "该病例未按病组支付标准结算（无支付标准），不能按费用倍数申请",
      values: { totalCostFen: 4_500_000, standardFen: null },
    });
  });

  it("ICU: more than 7 days, shown as days, hours and minutes", () => {
    expect(icuText(0)).toBe("0天0小时0分钟");
    expect(icuText(7 * 1440 + 61)).toBe("7天1小时1分钟");
    expect(icuText(1439)).toBe("0天23小时59分钟");
    expect(verdict("icu", facts({ icuMinutes: 7 * 1440 }))).toEqual({
      eligible: false,
      figure: "重症监护合计时长 7天0小时0分钟未超过 7 天",
      values: { icuMinutes: 10_080, overDays: 7 },
    });
    expect(verdict("icu", facts({ icuMinutes: 7 * 1440 + 1 }))).toMatchObject({
      eligible: true,
      figure: "重症监护合计时长 7天0小时1分钟超过 7 天",
    });
    expect(verdict("icu", facts())).toMatchObject({
      eligible: false,
      values: { icuMinutes: 0, overDays: 7 },
    });
  });

  it("long stay: more than 60 days", () => {
    expect(verdict("longStay", facts({ los: 60 }))).toEqual({
      eligible: false,
      figure: "住院天数 60 天未超过 60 天",
      values: { los: 60, overDays: 60 },
    });
    expect(verdict("longStay", facts({ los: 61 }))).toMatchObject({
      eligible: true,
      figure: "住院天数 61 天超过 60 天",
    });
    expect(verdict("longStay", facts({ los: null }))).toMatchObject({ eligible: false, values: { los: 0 } });
  });

  it("new technology: code missing, not filed, filed after discharge, not among the procedures, applied", () => {
    expect(verdict("newTech", facts())).toEqual({
      eligible: false,
      figure: "按应用新技术申请须填写新技术项目编码",
      values: { newTechCode: null, recordedOn: null },
    });
    expect(verdict("newTech", facts(), "99.9999")).toEqual({
      eligible: false,
      figure: "新技术项目 99.9999 不在支付政策备案的新技术项目中",
      values: { newTechCode: "99.9999", recordedOn: null },
    });
    expect(
      verdict("newTech", facts({ dischargeDate: "2023-02-28", procedureCodes: ["00.1234"] }), "00.1234"),
    ).toEqual({
      eligible: false,
      figure: "新技术项目 00.1234（某新技术）于 2023-03-01 备案，晚于出院日期 2023-02-28",
      values: { newTechCode: "00.1234", recordedOn: "2023-03-01" },
    });
    expect(verdict("newTech", facts({ dischargeDate: "2023-03-01" }), "00.1234")).toMatchObject({
      eligible: false,
      figure: "结算清单的手术及操作中没有新技术项目 00.1234（某新技术）",
    });
    expect(
      verdict("newTech", facts({ dischargeDate: "2023-03-01", procedureCodes: ["00.1234"] }), "00.1234"),
    ).toEqual({
      eligible: true,
      figure: "应用了 2023-03-01 备案的新技术项目 00.1234（某新技术）",
      values: { newTechCode: "00.1234", recordedOn: "2023-03-01" },
    });
    // Without a discharge date the filing date is not compared.
    expect(
      verdict("newTech", facts({ dischargeDate: null, procedureCodes: ["00.1234"] }), "00.1234"),
    ).toMatchObject({
      eligible: true,
    });
  });

  it("a criterion the policy closes answers closed", () => {
    const closed = rulesOf({ criteria: { longStay: { overDays: 30 } } });
    for (const c of ["highCost", "icu", "newTech"] as const)
      expect(specialReviewVerdict(closed, ITEMS, c, facts(), "00.1234")).toEqual({ closed: true });
    expect(specialReviewVerdict(closed, ITEMS, "longStay", facts({ los: 31 }), null)).toMatchObject({
      eligible: true,
    });
    expect(
      specialReviewVerdict(rulesOf({ criteria: { icu: {} } }), ITEMS, "longStay", facts(), null),
    ).toEqual({
      closed: true,
    });
  });
});

describe("the section's data, each refusal with its field and rule", () => {
  const refusal = (specialReview: Record<string, unknown>) => {
    try {
      rulesOf(specialReview);
    } catch (e) {
      return (e as Error).message.replace(/^[^：]*：/, "");
    }
    return "accepted";
  };
  it("criteria and their parameters", () => {
    expect(refusal({ criteria: { rare: {} } })).toBe(
      "字段 specialReview.criteria.rare：未知的申请条件，须为 highCost/icu/longStay/newTech 之一",
    );
    expect(refusal({ criteria: { highCost: { multiple: "0.99" } } })).toBe(
      "字段 specialReview.criteria.highCost.multiple：费用倍数须不小于 1",
    );
    expect(refusal({ criteria: { highCost: { multiple: "1" } } })).toBe("accepted");
    expect(rulesOf({ criteria: { highCost: {}, icu: {}, longStay: {} } }).criteria).toEqual({
      highCost: { multiple: 3_000_000 },
      icu: { overDays: 7 },
      longStay: { overDays: 60 },
      newTech: false,
    });
  });
  it("the quota: at most 100%, per year or per period", () => {
    expect(refusal({ quota: { share: "100%" } })).toBe("accepted");
    expect(refusal({ quota: { share: "100.01%" } })).toBe(
      "字段 specialReview.quota.share：限额比例不能超过 100%",
    );
    expect(refusal({ quota: { per: "month" } })).toBe(
      '字段 specialReview.quota.per：须为 "year"（按年度）或 "period"（按结算期）',
    );
    expect(rulesOf({ quota: { per: "period" } }).quota).toEqual({ share: 50_000, per: "period" });
    expect(rulesOf({ quota: null }).quota).toBeNull();
  });
});
