// Tests against the surviving mutants of the condition checks (packages/grouper/src/predicates/module.ts,
// logic.ts, patient.ts, issue 16, docs/mutation.md): every refusal of a condition's value at load, with
// the file, the JSON path and the message, and the values at the edge that are accepted.
import { describe, expect, it } from "vitest";
import { SchemeError, validateSchemeSource } from "../src/scheme-source.js";
import { oneCondition } from "./mutation-scheme.js";

const AT = "scheme.json $.drgs[0](ZA11).when";

/** The problems of the one-condition scheme with `p`, one a line, or null when it is accepted. */
function problems(p: unknown): string | null {
  try {
    oneCondition(p);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(SchemeError);
    return (e as SchemeError).problems.map((x) => `${x.file} ${x.path}: ${x.message}`).join("\n");
  }
}

describe("numeric bounds (ageYears, ageDays, birthWeight)", () => {
  it.each([
    [{ ageYears: {} }, `${AT}.ageYears: 应为非空的数值范围对象`],
    [{ ageYears: 18 }, `${AT}.ageYears: 应为非空的数值范围对象`],
    [{ ageYears: null }, `${AT}.ageYears: 应为非空的数值范围对象`],
    [{ ageYears: [18] }, `${AT}.ageYears: 应为非空的数值范围对象`],
    [{ ageYears: { from: 18 } }, `${AT}.ageYears.from: 不支持的范围键，应为 eq/min/max/below`],
    [{ ageYears: { min: "18" } }, `${AT}.ageYears.min: 应为数值`],
    [{ ageYears: { max: null } }, `${AT}.ageYears.max: 应为数值`],
    [{ ageDays: { max: Number.POSITIVE_INFINITY } }, `${AT}.ageDays.max: 应为数值`],
    [{ birthWeight: { max: 4000 } }, `${AT}.birthWeight.max: 不支持的范围键，应为 min/below`],
    [{ birthWeight: { eq: 4000 } }, `${AT}.birthWeight.eq: 不支持的范围键，应为 min/below`],
  ])("%j is refused", (p, message) => {
    expect(problems(p)).toBe(message);
  });

  it("every key is checked, not only the first", () => {
    expect(problems({ ageYears: { min: 1, max: "x", below: "y" } })).toBe(
      [`${AT}.ageYears.max: 应为数值`, `${AT}.ageYears.below: 应为数值`].join("\n"),
    );
  });

  it("accepts numbers, negative and fractional ones too", () => {
    expect(problems({ ageYears: { min: -1, max: 0.5 } })).toBeNull();
    expect(problems({ ageDays: { eq: 0 } })).toBeNull();
    expect(problems({ birthWeight: { min: 1, below: 2 } })).toBeNull();
  });
});

describe("counting bounds (los, procedureCount)", () => {
  it.each([
    [{ los: [] }, `${AT}.los: 应为非空的范围对象，键为 eq/min/max/below`],
    [{ los: null }, `${AT}.los: 应为非空的范围对象，键为 eq/min/max/below`],
    [{ los: { max: 10, upTo: 3 } }, `${AT}.los.upTo: 不支持的范围键，应为 eq/min/max/below`],
    [{ los: { eq: null } }, `${AT}.los.eq: 应为非负整数，实际为 null`],
    [{ los: { below: 0 } }, `${AT}.los: 范围为空：没有整数满足 < 0`],
    [{ los: { min: 4, below: 4 } }, `${AT}.los: 范围为空：没有整数满足 ≥ 4 且 < 4`],
    [{ los: { eq: 3, min: 4 } }, `${AT}.los: 范围为空：没有整数满足 = 3 且 ≥ 4`],
    [{ los: { eq: 5, max: 4 } }, `${AT}.los: 范围为空：没有整数满足 = 5 且 ≤ 4`],
    [{ los: { eq: 4, below: 4 } }, `${AT}.los: 范围为空：没有整数满足 = 4 且 < 4`],
    [{ procedureCount: { min: 2, max: 1 } }, `${AT}.procedureCount: 范围为空：没有整数满足 ≥ 2 且 ≤ 1`],
  ])("%j is refused", (p, message) => {
    expect(problems(p)).toBe(message);
  });

  it("a bad key stops the check before the emptiness of the range", () => {
    expect(problems({ los: { min: 5, max: -1 } })).toBe(`${AT}.los.max: 应为非负整数，实际为 -1`);
    expect(problems({ los: { min: 5, upTo: 1, max: 1 } })).toBe(
      `${AT}.los.upTo: 不支持的范围键，应为 eq/min/max/below`,
    );
  });

  it.each([
    [{ los: { eq: 0 } }],
    [{ los: { max: 0 } }],
    [{ los: { below: 1 } }],
    [{ los: { min: 3, below: 4 } }],
    [{ los: { min: 4, max: 4 } }],
    [{ los: { eq: 4, min: 4, max: 4, below: 5 } }],
    [{ procedureCount: { min: 0 } }],
  ])("%j is accepted", (p) => {
    expect(problems(p)).toBeNull();
  });
});

describe("counts of lists (regionsAtLeast, traumaDiagnosesAtLeast)", () => {
  it.each([
    [{ regionsAtLeast: ["LA"] }, `${AT}.regionsAtLeast: 应为 {min, lists}`],
    [{ regionsAtLeast: null }, `${AT}.regionsAtLeast: 应为 {min, lists}`],
    [{ regionsAtLeast: { min: 0, lists: ["LA"] } }, `${AT}.regionsAtLeast.min: 应为正整数`],
    [{ regionsAtLeast: { min: 1.5, lists: ["LA"] } }, `${AT}.regionsAtLeast.min: 应为正整数`],
    [{ regionsAtLeast: { min: "2", lists: ["LA"] } }, `${AT}.regionsAtLeast.min: 应为正整数`],
    [{ regionsAtLeast: { lists: ["LA"] } }, `${AT}.regionsAtLeast.min: 应为正整数`],
    [{ regionsAtLeast: { min: 1, lists: [] } }, `${AT}.regionsAtLeast.lists: 应为非空的列表名数组`],
    [{ regionsAtLeast: { min: 1, lists: "LA" } }, `${AT}.regionsAtLeast.lists: 应为非空的列表名数组`],
    [{ regionsAtLeast: { min: 1, lists: ["LA", 3] } }, `${AT}.regionsAtLeast.lists: 应为非空的列表名数组`],
    [
      { traumaDiagnosesAtLeast: { min: 1, lists: ["LA", "NOPE"] } },
      `${AT}.traumaDiagnosesAtLeast.lists[1]: 引用了不存在的列表 "NOPE"`,
    ],
  ])("%j is refused", (p, message) => {
    expect(problems(p)).toBe(message);
  });

  it("accepts min 1 and one list", () => {
    expect(problems({ regionsAtLeast: { min: 1, lists: ["LA"] } })).toBeNull();
  });
});

describe("flags, sex, lists of strings and logic", () => {
  it.each([
    [{ hasMcc: false }, `${AT}.hasMcc: 值应为 true`],
    [{ hasCcOrMcc: 1 }, `${AT}.hasCcOrMcc: 值应为 true`],
    [{ always: "true" }, `${AT}.always: 值应为 true`],
    [{ sex: 1 }, `${AT}.sex: 应为 "1"（男）或 "2"（女）`],
    [{ sex: "" }, `${AT}.sex: 应为 "1"（男）或 "2"（女）`],
    [{ dept: ["A", "A"] }, `${AT}.dept[1]: 科别代码 "A" 重复`],
    [{ dept: [null] }, `${AT}.dept[0]: 科别代码应为非空字符串，实际为 null`],
    [{ dept: {} }, `${AT}.dept: 应为非空的科别代码数组（字符串）`],
    [{ all: [] }, `${AT}.all: 应为非空的条件数组`],
    [{ any: {} }, `${AT}.any: 应为非空的条件数组`],
    [{ any: [{ sex: "1" }, { sex: "3" }] }, `${AT}.any[1].sex: 应为 "1"（男）或 "2"（女）`],
    [{ not: { hasMcc: 0 } }, `${AT}.not.hasMcc: 值应为 true`],
    [{ pdxIn: 3 }, `${AT}.pdxIn: 应为列表名（字符串）`],
  ])("%j is refused", (p, message) => {
    expect(problems(p)).toBe(message);
  });

  it("reports every bad element of a list of strings, and accepts distinct ones", () => {
    expect(problems({ dischargeWay: ["1", "", "8", "1"] })).toBe(
      [
        `${AT}.dischargeWay[1]: 离院方式代码应为非空字符串，实际为 ""`,
        `${AT}.dischargeWay[2]: 不是有效的离院方式代码 "8"，应为 1/2/3/4/5/9 之一`,
        `${AT}.dischargeWay[3]: 离院方式代码 "1" 重复`,
      ].join("\n"),
    );
    expect(problems({ dischargeWay: ["1", "2", "3", "4", "5", "9"] })).toBeNull();
    expect(problems({ dept: ["A", "B"] })).toBeNull();
    expect(problems({ all: [{ sex: "2" }] })).toBeNull();
  });
});

describe("bounds that JSON cannot write, given as an object", () => {
  it("Infinity and NaN are not numbers of a bound", () => {
    const source = (p: unknown) => ({
      mdcOrder: ["Z"],
      mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
      adrgs: [{ code: "ZA1", mdc: "Z", when: { always: true }, drgs: ["ZA11"], fallbackToAdrg: false }],
      drgs: [{ code: "ZA11", name: "ZA11 名", adrg: "ZA1", when: p }],
      lists: {},
    });
    const messages = (p: unknown) =>
      validateSchemeSource(source(p)).problems.map((x) => `${x.path}: ${x.message}`);
    expect(messages({ ageYears: { max: Number.POSITIVE_INFINITY } })).toEqual([
      "$.drgs[0](ZA11).when.ageYears.max: 应为数值",
    ]);
    expect(messages({ birthWeight: { min: Number.NaN } })).toEqual([
      "$.drgs[0](ZA11).when.birthWeight.min: 应为数值",
    ]);
    expect(messages({ ageDays: { max: 28 } })).toEqual([]);
  });
});
