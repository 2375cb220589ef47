// Tests of the benefit policy's case, insurance-type and area tables (packages/payment/src/benefit.ts:
// fixedAmountCaseDiagnoses, insuranceTypes, localInsuredAreas, fixedAmountCaseOf, isLocallyInsured)
// against their mutants (issue 16, docs/mutation.md): each refusal with its field and rule, the
// longest matching prefix, areas as prefixes. The policy is parsed inside each test.
import { describe, expect, it } from "vitest";
import { fixedAmountCaseOf, isLocallyInsured, parseBenefitPolicy } from "../src/benefit.js";
import { PolicyDataError } from "../src/versioned.js";

const BASE = {
  id: "b",
  version: "1",
  effectiveFrom: "2021-01-01",
  classes: [{ class: "C2", deductible: "500", ratioLevel: "二级" }],
  fundRatios: [
    { insurance: "城乡居民", level: "二级", ratio: "80%" },
    { insurance: "职工基本医疗保险", level: "二级", ratio: "90%" },
  ],
  fixedAmountCases: { 自然分娩: "1200", 顺产特殊: "1500", 同长: "900" },
};
const parse = (patch: Record<string, unknown> = {}) => parseBenefitPolicy({ ...BASE, ...patch });

function refusal(patch: Record<string, unknown>): [string, string, string] {
  try {
    parse(patch);
  } catch (e) {
    if (e instanceof PolicyDataError) return [e.dataset, e.field, e.rule];
    throw e;
  }
  throw new Error("no refusal");
}

describe("fixedAmountCaseDiagnoses and fixedAmountCaseOf", () => {
  it("reads trimmed upper-case prefixes; none given recognises no case", () => {
    const p = parse({ fixedAmountCaseDiagnoses: { 自然分娩: [" o80 ", "O82.0"] } });
    expect([...p.fixedAmountCaseDiagnoses]).toEqual([["自然分娩", ["O80", "O82.0"]]]);
    expect(parse().fixedAmountCaseDiagnoses.size).toBe(0);
    expect(fixedAmountCaseOf(parse(), "O80.000")).toBeNull();
  });

  it("takes the case of the longest matching prefix, the first of equal length", () => {
    const p = parse({ fixedAmountCaseDiagnoses: { 自然分娩: ["O80"], 顺产特殊: ["O80.0"], 同长: ["O81"] } });
    expect(fixedAmountCaseOf(p, " o80.000 ")).toBe("顺产特殊");
    expect(fixedAmountCaseOf(p, "O80.100")).toBe("自然分娩");
    expect(fixedAmountCaseOf(p, "O81.000")).toBe("同长");
    expect(fixedAmountCaseOf(p, "O82.000")).toBeNull();
    expect(fixedAmountCaseOf(p, "  ")).toBeNull();
    const tie = parse({ fixedAmountCaseDiagnoses: { 同长: ["O80"], 自然分娩: ["O80"] } });
    expect(fixedAmountCaseOf(tie, "O80.000")).toBe("同长");
  });

  it("refuses an unknown case, an empty or blank list and a value that is not an object", () => {
    expect(refusal({ fixedAmountCaseDiagnoses: { 剖宫产: ["O82"] } })).toEqual([
      "待遇政策 b@1",
      "fixedAmountCaseDiagnoses.剖宫产",
      "「剖宫产」不是 fixedAmountCases 中的定额支付病种",
    ]);
    expect(refusal({ fixedAmountCaseDiagnoses: { 自然分娩: [] } })).toEqual([
      "待遇政策 b@1",
      "fixedAmountCaseDiagnoses.自然分娩",
      "须为非空的诊断编码前缀列表",
    ]);
    expect(refusal({ fixedAmountCaseDiagnoses: { 自然分娩: ["O80", " "] } })[2]).toBe(
      "须为非空的诊断编码前缀列表",
    );
    expect(refusal({ fixedAmountCaseDiagnoses: ["O80"] })[1]).toBe("fixedAmountCaseDiagnoses");
  });
});

describe("insuranceTypes", () => {
  it("defaults to 310 职工基本医疗保险 and 390 城乡居民", () => {
    expect([...parse().insuranceTypes]).toEqual([
      ["310", "职工基本医疗保险"],
      ["390", "城乡居民"],
    ]);
    expect([...parse({ insuranceTypes: { "390": "城乡居民" } }).insuranceTypes]).toEqual([
      ["390", "城乡居民"],
    ]);
  });

  it("takes three-digit codes of insurances that have a fund ratio", () => {
    for (const code of ["39", "3900", "39a"]) {
      expect(refusal({ insuranceTypes: { [code]: "城乡居民" } }), code).toEqual([
        "待遇政策 b@1",
        `insuranceTypes.${code}`,
        `险种类型代码须为 3 位数字（收到「${code}」）`,
      ]);
    }
    expect(refusal({ insuranceTypes: { "320": "公务员补助" } })).toEqual([
      "待遇政策 b@1",
      "insuranceTypes.320",
      "险种「公务员补助」在 fundRatios 中没有支付比例",
    ]);
    expect(refusal({ insuranceTypes: { "320": "二级" } })[2]).toBe(
      "险种「二级」在 fundRatios 中没有支付比例",
    );
    expect(refusal({ insuranceTypes: { "320": 5 } })[1]).toBe("insuranceTypes.320");
    expect(refusal({ insuranceTypes: "390" })[1]).toBe("insuranceTypes");
  });
});

describe("localInsuredAreas and isLocallyInsured", () => {
  it("reads 2–6 digit codes, trimmed, and refuses others by index", () => {
    expect(parse({ localInsuredAreas: [" 1304 ", "21", "130400"] }).localInsuredAreas).toEqual([
      "1304",
      "21",
      "130400",
    ]);
    expect(parse().localInsuredAreas).toEqual([]);
    for (const a of ["1", "1234567", "13a4", " 1 "]) {
      expect(refusal({ localInsuredAreas: ["1304", a] }), a).toEqual([
        "待遇政策 b@1",
        "localInsuredAreas[1]",
        "须为 2–6 位行政区划代码或其前缀",
      ]);
    }
  });

  it("an area is local when it starts with one of them; everyone is local without areas; unknown is local", () => {
    const p = parse({ localInsuredAreas: ["1304", "21"] });
    expect(isLocallyInsured(p, "130402")).toBe(true);
    expect(isLocallyInsured(p, " 210102 ")).toBe(true);
    expect(isLocallyInsured(p, "130502")).toBe(false);
    expect(isLocallyInsured(p, "310101")).toBe(false);
    expect(isLocallyInsured(p, "")).toBe(true);
    expect(isLocallyInsured(p, "   ")).toBe(true);
    expect(isLocallyInsured(parse(), "310101")).toBe(true);
  });
});
