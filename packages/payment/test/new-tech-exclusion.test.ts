/**
 * 新技术除外 (issue 14): the policy's `exclusions.newTechEligibility` (default and errors naming the JSON
 * path), the verdict at the cost bar (exactly at it eligible, one fen below not), the filing date
 * against discharge, and the 3‰ quota's rounding down. Expected values worked by hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { selectNewTechExclusions } from "../src/clearing.js";
import {
  type NewTechExclusionFacts,
  newTechExclusionQuota,
  newTechExclusionVerdict,
} from "../src/new-tech-exclusion.js";
import { parsePaymentPolicy } from "../src/policy.js";
import { PolicyDataError } from "../src/versioned.js";
import { policyData } from "./fixtures.js";

const policyWith = (newTechEligibility?: unknown) =>
  parsePaymentPolicy(
    policyData({
      exclusions: {
        fixedDrgs: [],
        newTechCap: "3‰",
        ...(newTechEligibility === undefined ? {} : { newTechEligibility }),
      },
    }),
  );

// NT001 is filed on 2021-03-15 (fixtures.ts).
const facts = (over: Partial<NewTechExclusionFacts> = {}): NewTechExclusionFacts => ({
  totalCost: 0,
  standard: 1_500_000,
  highThreshold: 4_500_000,
  icuMinutes: null,
  los: 10,
  dischargeDate: "2021-05-10",
  procedureCodes: ["NT001"],
  ...over,
});

describe("policy: exclusions.newTechEligibility", () => {
  it("defaults to the high-outlier threshold; a cost multiple is read as ppm", () => {
    expect(policyWith().newTechEligibility).toEqual({ costMultiple: null });
    expect(policyWith({}).newTechEligibility).toEqual({ costMultiple: null });
    expect(policyWith({ costMultiple: "5" }).newTechEligibility).toEqual({ costMultiple: 5_000_000 });
    expect(policyWith().newTechExclusionCap).toBe(3000);
  });

  it("refuses bad data naming the JSON path, in Chinese", () => {
    const bad = (v: unknown, field: string, rule: string) => {
      let err: unknown;
      try {
        policyWith(v);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PolicyDataError);
      expect((err as PolicyDataError).field).toBe(field);
      expect((err as Error).message).toContain(rule);
    };
    bad({ costMultiple: "0.5" }, "exclusions.newTechEligibility.costMultiple", "费用倍数须不小于 1");
    bad({ costMultiple: "abc" }, "exclusions.newTechEligibility.costMultiple", "");
    bad({ multiple: "3" }, "exclusions.newTechEligibility.multiple", "未知的新技术除外申请条件");
    bad("3", "exclusions.newTechEligibility", "须为对象");
  });
});

describe("eligibility: a filed new technology and a very high cost", () => {
  const p = policyWith({ costMultiple: "3" });
  const v = (over: Partial<NewTechExclusionFacts>, code: string | null = null) =>
    newTechExclusionVerdict(p.newTechEligibility, p.newTechItems, facts(over), code);

  it("cost ≥ 3 × standard 15,000.00 元 = 45,000.00 元: at the bar eligible, one fen below not", () => {
    expect(v({ totalCost: 4_500_000 }).eligible).toBe(true);
    expect(v({ totalCost: 4_499_999 }).eligible).toBe(false);
    expect(v({ totalCost: 4_499_999 }).figure).toBe(
      "应用了 2021-03-15 备案的新技术项目 NT001（示例新技术）；医疗总费用 44999.99 元未达到病组支付标准 15000.00 元的 3 倍（45000.00 元）",
    );
    expect(v({ totalCost: 4_500_000 }).values).toMatchObject({
      newTechCode: "NT001",
      thresholdFen: 4_500_000,
      costMultiple: "3",
    });
  });

  it("default bar: the stay's 高倍率界值 (here 52,000.00 元), at it eligible, one fen below not", () => {
    const d = policyWith();
    const at = (totalCost: number) =>
      newTechExclusionVerdict(
        d.newTechEligibility,
        d.newTechItems,
        facts({ totalCost, highThreshold: 5_200_000 }),
        null,
      );
    expect(at(5_200_000).eligible).toBe(true);
    expect(at(5_199_999).eligible).toBe(false);
    expect(at(5_199_999).figure).toContain("医疗总费用 51999.99 元未达到高倍率界值 52000.00 元");
    // No threshold (a stay not settled by a group standard): never eligible.
    expect(
      newTechExclusionVerdict(
        d.newTechEligibility,
        d.newTechItems,
        facts({ totalCost: 9_999_999, highThreshold: null }),
        null,
      ).eligible,
    ).toBe(false);
  });

  it("the technology filed on the discharge day counts; filed the day after discharge does not", () => {
    expect(v({ totalCost: 5_000_000, dischargeDate: "2021-03-15" }).eligible).toBe(true);
    const late = v({ totalCost: 5_000_000, dischargeDate: "2021-03-14" });
    expect(late.eligible).toBe(false);
    expect(late.figure).toContain("于 2021-03-15 备案，晚于出院日期 2021-03-14");
  });

  it("no filed new technology among the procedures, or another code named: not eligible", () => {
    const none = v({ totalCost: 9_000_000, procedureCodes: ["36.1000"] });
    expect(none.eligible).toBe(false);
    expect(none.figure).toContain("结算清单的手术及操作中没有支付政策备案的新技术项目");
    expect(v({ totalCost: 9_000_000 }, "NT999").figure).toContain("NT999 不在支付政策备案的新技术项目中");
  });
});

describe("quota: floor(cases × 3‰)", () => {
  it("333 → 0 (0.999), 334 → 1 (1.002), 666 → 1 (1.998), 667 → 2 (2.001)", () => {
    expect([333, 334, 666, 667].map((n) => newTechExclusionQuota(n, 3000))).toEqual([0, 1, 1, 2]);
    expect(newTechExclusionQuota(0, 3000)).toBe(0);
  });

  it("the settlement-time selection agrees: 667 cases keep the 2 most expensive of 3", () => {
    const apps = [
      { stayId: "S1", hospitalId: "H", totalCost: 9_000_000 },
      { stayId: "S2", hospitalId: "H", totalCost: 12_000_000 },
      { stayId: "S3", hospitalId: "H", totalCost: 10_000_000 },
    ];
    const r = selectNewTechExclusions(apps, new Map([["H", 667]]), 3000);
    expect(r.approved).toEqual(["S2", "S3"]);
    expect(r.refused).toEqual([{ stayId: "S1", reason: "超出机构 H 新技术除外额度 2 例(病例数 667)" }]);
    expect(selectNewTechExclusions(apps, new Map([["H", 333]]), 3000).approved).toEqual([]);
  });
});
