// Tests against the mutants of packages/settlement/src/rules.ts and compile.ts (issue 16,
// docs/mutation.md): every refusal of an operator's rule set, named exactly with the rule's place,
// and the compiled form (switched-off rules, modes, severity by mode, parse-phase rules, unknown
// parameters, the cache).
import { describe, expect, it } from "vitest";
import {
  compileQcRules,
  DEFAULT_CODE_TABLES,
  QcConfigError,
  type QcRule,
  type QcRuleSet,
  validateQcRuleSet,
} from "../src/index.js";

const RULE = { id: "A", check: "itemSum", category: "fee", severity: "error", message: "费用不平" };
const set = (rules: unknown[]) => ({ id: "S", version: "1", effectiveDate: "2024-01-01", rules });
const problems = (raw: unknown) => validateQcRuleSet(raw).problems;

describe("validateQcRuleSet", () => {
  it("accepts a well-formed set as it is", () => {
    const raw = set([
      RULE,
      {
        ...RULE,
        id: "B",
        params: {},
        modes: ["bureau", "hospital"],
        severityByMode: { hospital: "warning", bureau: "error" },
      },
    ]);
    const v = validateQcRuleSet(raw);
    expect(v.problems).toEqual([]);
    expect(v.ruleSet).toBe(raw);
  });

  it("refuses what is not an object", () => {
    for (const raw of ["x", null, [], 3]) {
      expect(validateQcRuleSet(raw), JSON.stringify(raw)).toEqual({ problems: ["规则集应为 JSON 对象"] });
    }
  });

  it("names each missing or empty header field, and missing rules", () => {
    expect(problems({ rules: [] })).toEqual([
      "缺少 id（字符串）",
      "缺少 version（字符串）",
      "缺少 effectiveDate（字符串）",
    ]);
    expect(problems({ id: "", version: 1, effectiveDate: "2024-01-01", rules: [] })).toEqual([
      "缺少 id（字符串）",
      "缺少 version（字符串）",
    ]);
    expect(problems({ id: "S", version: "1", effectiveDate: "2024-01-01" })).toEqual(["缺少 rules（数组）"]);
    expect(problems({ id: "S", rules: {} })).toEqual([
      "缺少 version（字符串）",
      "缺少 effectiveDate（字符串）",
      "缺少 rules（数组）",
    ]);
    expect(validateQcRuleSet({ rules: [] }).ruleSet).toBeUndefined();
  });

  it("names the rule's place and what is wrong with it", () => {
    expect(problems(set([RULE, null, 5]))).toEqual(["rules[1] 应为对象", "rules[2] 应为对象"]);
    expect(problems(set([RULE, { ...RULE, id: "" }]))).toEqual(["rules[1] 缺少 id"]);
    expect(problems(set([RULE, { ...RULE, id: 7 }]))).toEqual(["rules[1] 缺少 id"]);
    expect(problems(set([RULE, RULE]))).toEqual(["rules[1] 规则编号 A 重复"]);
    expect(problems(set([{ ...RULE, check: "nope" }]))).toEqual(['rules[0] 未知的检查类型 "nope"']);
    expect(problems(set([{ ...RULE, category: "x" }]))).toEqual(['rules[0] 未知的类别 "x"']);
    expect(problems(set([{ ...RULE, severity: "fatal" }]))).toEqual([
      "rules[0] 严重程度应为 error 或 warning",
    ]);
    expect(problems(set([{ ...RULE, message: "" }]))).toEqual(["rules[0] 缺少提示信息 message"]);
    expect(problems(set([{ ...RULE, message: 5 }]))).toEqual(["rules[0] 缺少提示信息 message"]);
  });

  it("checks params, modes and severityByMode", () => {
    for (const params of [null, "x", 3]) {
      expect(problems(set([{ ...RULE, params }])), String(params)).toEqual(["rules[0] params 应为对象"]);
    }
    for (const modes of ["hospital", ["hospital", "x"], [null]]) {
      expect(problems(set([{ ...RULE, modes }])), String(modes)).toEqual([
        "rules[0] modes 只能包含 hospital、bureau",
      ]);
    }
    const sbmProblem = ["rules[0] severityByMode 应为 {hospital|bureau: error|warning}"];
    for (const severityByMode of [null, "error", { hospital: "fatal" }, { nowhere: "error" }]) {
      expect(problems(set([{ ...RULE, severityByMode }])), JSON.stringify(severityByMode)).toEqual(
        sbmProblem,
      );
    }
    expect(problems(set([{ ...RULE, severityByMode: {} }]))).toEqual([]);
  });
});

/** A rule set of the given rules (typed: the compiler trusts a validated set). */
function ruleSet(rules: QcRule[]): QcRuleSet {
  return { id: "S", version: "1", effectiveDate: "2024-01-01", rules };
}
const rule = (over: Partial<QcRule>): QcRule => ({
  id: "A",
  check: "itemSum",
  category: "fee",
  severity: "error",
  message: "{field}",
  ...over,
});

describe("compileQcRules", () => {
  it("leaves out switched-off rules and rules of the other mode", () => {
    const rs = ruleSet([
      rule({ id: "A" }),
      rule({ id: "B", enabled: false }),
      rule({ id: "C", modes: ["hospital"] }),
      rule({ id: "D", modes: ["bureau"], enabled: true }),
    ]);
    expect(compileQcRules(rs, DEFAULT_CODE_TABLES, "bureau").checks).toHaveLength(2);
    expect(compileQcRules(rs, DEFAULT_CODE_TABLES, "hospital").checks).toHaveLength(2);
  });

  it("keeps the first enabled rule of each parse-phase check, with its severity in the mode", () => {
    const rs = ruleSet([
      rule({ id: "M0", check: "money", category: "format", enabled: false }),
      rule({ id: "M1", check: "money", category: "format", severityByMode: { hospital: "warning" } }),
      rule({ id: "M2", check: "money", category: "format" }),
      rule({ id: "N1", check: "number", category: "format", modes: ["hospital"] }),
    ]);
    const bureau = compileQcRules(rs, DEFAULT_CODE_TABLES, "bureau");
    expect(bureau.parse.money?.id).toBe("M1");
    expect(bureau.parse.money?.severity).toBe("error");
    expect(bureau.parse.number).toBeUndefined();
    expect(bureau.checks).toHaveLength(0);
    const hospital = compileQcRules(rs, DEFAULT_CODE_TABLES, "hospital");
    expect(hospital.parse.money?.severity).toBe("warning");
    expect(hospital.parse.number?.id).toBe("N1");
    expect(hospital.mode).toBe("hospital");
  });

  it("refuses an unknown parameter, listing the ones the kind takes", () => {
    expect(() =>
      compileQcRules(ruleSet([rule({ id: "X1", params: { foo: 1 } })]), DEFAULT_CODE_TABLES, "bureau"),
    ).toThrow(new QcConfigError("质控规则 X1 的参数 foo 未知（检查类型 itemSum；该检查类型不接受参数）"));
    const money = rule({ id: "X2", check: "money", category: "format", params: { bar: 1 } });
    expect(() => compileQcRules(ruleSet([money]), DEFAULT_CODE_TABLES, "bureau")).toThrow(
      "质控规则 X2 的参数 bar 未知（检查类型 money；该检查类型不接受参数）",
    );
    const identity = rule({
      id: "X3",
      check: "moneyIdentity",
      params: { left: ["fee_total"], right: ["fee_total"], tolerance: 1 },
    });
    expect(() => compileQcRules(ruleSet([identity]), DEFAULT_CODE_TABLES, "bureau")).toThrow(
      "质控规则 X3 的参数 tolerance 未知（检查类型 moneyIdentity；可用参数：left、right、excludeFundPayTypes、toleranceFen、field）",
    );
  });

  it("refuses a check kind it does not know (a set that skipped validation)", () => {
    const unknown = JSON.parse(JSON.stringify(rule({ id: "X4" })));
    unknown.check = "nope";
    expect(() => compileQcRules(ruleSet([unknown]), DEFAULT_CODE_TABLES, "bureau")).toThrow(
      new QcConfigError("质控规则 X4 的检查类型 nope 未知"),
    );
  });

  it("compiles once per rule set, code tables and mode", () => {
    const rs = ruleSet([rule({ id: "A" })]);
    const a = compileQcRules(rs, DEFAULT_CODE_TABLES, "bureau");
    expect(compileQcRules(rs, DEFAULT_CODE_TABLES, "bureau")).toBe(a);
    const h = compileQcRules(rs, DEFAULT_CODE_TABLES, "hospital");
    expect(h).not.toBe(a);
    expect(compileQcRules(rs, DEFAULT_CODE_TABLES, "hospital")).toBe(h);
    const otherTables = { ...DEFAULT_CODE_TABLES };
    const o = compileQcRules(rs, otherTables, "bureau");
    expect(o).not.toBe(a);
    expect(o.codeTables).toBe(otherTables);
    expect(compileQcRules(rs, otherTables, "bureau")).toBe(o);
    expect(compileQcRules(ruleSet([rule({ id: "A" })]), DEFAULT_CODE_TABLES, "bureau")).not.toBe(a);
  });
});
