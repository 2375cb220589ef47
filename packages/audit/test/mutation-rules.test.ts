/**
 * Tests written against the surviving mutants of rules.ts (issue 16, docs/mutation.md): version
 * selection at its inclusive bounds, every refusal of `validateRuleBase` with its message, `ruleOf`
 * and `shareGroupsOf` on disabled rules. Expected values are written by hand.
 */
import { describe, expect, it } from "vitest";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import {
  type AuditRule,
  type RuleBase,
  RuleBaseError,
  type RuleCheck,
  ruleOf,
  selectVersion,
  shareGroupsOf,
  validateRuleBase,
} from "../src/rules.js";

const v = (id: string, effectiveFrom: string, effectiveTo: string | null) => ({
  id,
  effectiveFrom,
  effectiveTo,
});

function rule(id: string, check: RuleCheck, over: Partial<AuditRule> = {}): AuditRule {
  return {
    id,
    name: `规则${id}`,
    category: "管理类",
    scenarios: ["住院"],
    stages: ["事后"],
    outcome: "可疑",
    violation: "split_admission",
    check,
    enabled: true,
    description: "",
    basis: "",
    ...over,
  };
}

function base(rules: AuditRule[], over: Partial<RuleBase> = {}): RuleBase {
  return {
    id: "RB",
    region: "demo",
    version: "1",
    effectiveFrom: "2020-01-01",
    effectiveTo: null,
    rules,
    ...over,
  };
}

const SPLIT: RuleCheck = {
  kind: "split_admission",
  windowDays: 14,
  relation: "principal",
  sameHospital: true,
};

describe("selectVersion: inclusive bounds, the latest effectiveFrom wins", () => {
  const v2020 = v("2020", "2020-01-01", "2020-12-31");
  const v2021 = v("2021", "2021-01-01", null);
  it("the first and last day of a version are in force, the day before and after are not", () => {
    expect(selectVersion([v2020], "2019-12-31")).toBeUndefined();
    expect(selectVersion([v2020], "2020-01-01")).toBe(v2020);
    expect(selectVersion([v2020], "2020-12-31")).toBe(v2020);
    expect(selectVersion([v2020], "2021-01-01")).toBeUndefined();
    expect(selectVersion([v2020, v2021], "2021-01-01")).toBe(v2021);
    expect(selectVersion([v2021, v2020], "2020-12-31")).toBe(v2020);
    // Open-ended: in force on any later day.
    expect(selectVersion([v2021], "2099-12-31")).toBe(v2021);
  });
  it("of two open-ended versions the later one wins, in either order", () => {
    const a = v("a", "2020-01-01", null);
    const b = v("b", "2022-07-01", null);
    expect(selectVersion([a, b], "2023-01-01")).toBe(b);
    expect(selectVersion([b, a], "2023-01-01")).toBe(b);
    expect(selectVersion([b, a], "2022-06-30")).toBe(a);
  });
  it("of two versions from the same day the first listed is kept", () => {
    const a = v("a", "2020-01-01", null);
    const b = v("b", "2020-01-01", null);
    expect(selectVersion([a, b], "2020-06-01")).toBe(a);
    expect(selectVersion([b, a], "2020-06-01")).toBe(b);
  });
});

describe("validateRuleBase refusals", () => {
  const refuses = (b: RuleBase, message: string) => {
    let err: unknown;
    try {
      validateRuleBase(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleBaseError);
    expect((err as Error).name).toBe("RuleBaseError");
    expect((err as Error).message).toBe(message);
  };
  it("returns the base itself when it is valid", () => {
    const b = base([rule("A", SPLIT)], { effectiveTo: "2020-01-01" });
    expect(validateRuleBase(b)).toBe(b);
    expect(validateRuleBase(STARTER_RULE_BASE)).toBe(STARTER_RULE_BASE);
  });
  it("the effective date must be exactly YYYY-MM-DD", () => {
    for (const d of ["2020-1-01", "x2020-01-01", "2020-01-01x", "2020/01/01", "abcd-ef-gh", "20200-01-01"])
      refuses(base([rule("A", SPLIT)], { effectiveFrom: d }), "规则库 RB：生效日期格式错误");
  });
  it("the end date must be YYYY-MM-DD and not before the start; the same day is allowed", () => {
    for (const d of ["2021-1-01", "x2021-01-01", "2021-01-01x", "2021/01/01"])
      refuses(base([rule("A", SPLIT)], { effectiveTo: d }), "规则库 RB：失效日期错误");
    refuses(base([rule("A", SPLIT)], { effectiveTo: "2019-12-31" }), "规则库 RB：失效日期错误");
    expect(() => validateRuleBase(base([rule("A", SPLIT)], { effectiveTo: "2020-01-01" }))).not.toThrow();
  });
  it("rule ids are unique", () => {
    refuses(base([rule("A", SPLIT), rule("B", SPLIT), rule("A", SPLIT)]), "规则库 RB：规则编号 A 重复");
  });
  it("numeric parameters are finite and non-negative; zero is allowed; text parameters are not numbers", () => {
    const w = (windowDays: number) => base([rule("A", { ...SPLIT, windowDays })]);
    refuses(w(-1), "规则 A：参数 windowDays 须为非负数");
    refuses(w(-0.001), "规则 A：参数 windowDays 须为非负数");
    refuses(w(Number.NaN), "规则 A：参数 windowDays 须为非负数");
    refuses(w(Number.POSITIVE_INFINITY), "规则 A：参数 windowDays 须为非负数");
    expect(() => validateRuleBase(w(0))).not.toThrow();
    const text = rule("D", { kind: "downcoding_outlier", surgeryCategory: "06", minSurgeryFee: 0 });
    expect(() => validateRuleBase(base([text]))).not.toThrow();
  });
  it("a 政策类 rule must conclude 明确违规; other categories may conclude 可疑", () => {
    refuses(
      base([rule("Z", { kind: "sex_restriction" }, { category: "政策类", outcome: "可疑" })]),
      "规则 Z：政策类规则的结论须为「明确违规」",
    );
    for (const category of ["管理类", "医疗类"] as const)
      expect(() => validateRuleBase(base([rule("Z", SPLIT, { category })]))).not.toThrow();
    expect(() =>
      validateRuleBase(base([rule("Z", SPLIT, { category: "政策类", outcome: "明确违规" })])),
    ).not.toThrow();
  });
});

describe("ruleOf and shareGroupsOf read enabled rules only", () => {
  const cost: RuleCheck = {
    kind: "cost_shifting",
    ownPayExcess: 0.1,
    examShareFactor: 0.3,
    examCategories: ["03", "04"],
    minCases: 10,
  };
  it("ruleOf returns the first enabled rule of the kind", () => {
    const off = rule("OFF", SPLIT, { enabled: false });
    const on1 = rule("ON1", SPLIT);
    const on2 = rule("ON2", SPLIT);
    const b = base([rule("X", { kind: "qy_ambiguity" }), off, on1, on2]);
    expect(ruleOf(b, "split_admission")).toBe(on1);
    expect(ruleOf(base([off]), "split_admission")).toBeUndefined();
    expect(ruleOf(b, "repeated_admission")).toBeUndefined();
  });
  it("shareGroupsOf names the cost-shifting rule's exam categories, not a disabled one's", () => {
    expect(shareGroupsOf(base([rule("S", SPLIT), rule("C", cost)]))).toEqual({ cost_shifting: ["03", "04"] });
    expect(shareGroupsOf(base([rule("C", cost, { enabled: false })]))).toEqual({});
    expect(shareGroupsOf(base([rule("S", SPLIT)]))).toEqual({});
  });
});
