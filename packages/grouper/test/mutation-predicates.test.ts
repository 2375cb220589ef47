// Tests against the surviving mutants of the grouper's condition kinds (packages/grouper/src/predicates,
// issue 16, docs/mutation.md): every kind in the DRG position of a one-condition scheme built inside
// the test, at its threshold, one below and one above. A record groups to ZA11 when the condition
// holds and to ZA13 when not; the expected values follow from the semantics in
// /work/shared/schemes/README.md and docs/scheme-format.md.
import { describe, expect, it } from "vitest";
import { describePredicate } from "../src/predicates/index.js";
import { compilePredicate } from "../src/scheme.js";
import { type CcRow, holds, LISTS, oneCondition, reasonsOf, rec } from "./mutation-scheme.js";

describe("ageYears", () => {
  it("eq: only the age itself", () => {
    const s = oneCondition({ ageYears: { eq: 18 } });
    expect(holds(s, rec(["A03.000"], [], { ageYears: 17 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { ageYears: 18 }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { ageYears: 19 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { ageYears: null }))).toBe(false);
  });

  it("min is inclusive, max is inclusive, below is exclusive", () => {
    const min = oneCondition({ ageYears: { min: 18 } });
    expect([17, 18, 19].map((a) => holds(min, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      false,
      true,
      true,
    ]);
    const max = oneCondition({ ageYears: { max: 65 } });
    expect([64, 65, 66].map((a) => holds(max, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      true,
      true,
      false,
    ]);
    const below = oneCondition({ ageYears: { below: 65 } });
    expect([64, 65, 66].map((a) => holds(below, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("a record without an age in years satisfies no bound, not even one that 0 would", () => {
    const s = oneCondition({ ageYears: { max: 17 } });
    expect(holds(s, rec(["A03.000"], [], { ageYears: 0, ageDays: 100, birthWeight: 3000 }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { ageYears: null }))).toBe(false);
  });

  it("eq together with min or max: both bounds apply", () => {
    // min 10 and eq 18: only 18 (a lower bound of min(10, 18) would let 17 through).
    const lo = oneCondition({ ageYears: { min: 10, eq: 18 } });
    expect([10, 17, 18, 19].map((a) => holds(lo, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      false,
      false,
      true,
      false,
    ]);
    // max 30 and eq 18: only 18 (an upper bound of max(30, 18) would let 19 through).
    const hi = oneCondition({ ageYears: { max: 30, eq: 18 } });
    expect([17, 18, 19, 30].map((a) => holds(hi, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    // min 20 and below 30: 20 … 29.
    const both = oneCondition({ ageYears: { min: 20, below: 30 } });
    expect([19, 20, 29, 30].map((a) => holds(both, rec(["A03.000"], [], { ageYears: a })))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it("describes the bounds in order eq, min, max, below", () => {
    const s = oneCondition({ ageYears: { below: 65, max: 64, min: 18, eq: 40 } });
    expect(reasonsOf(s, rec(["A03.000"]))).toContain(
      "入 DRG ZA11 ZA11 名：年龄 = 40 岁 且 ≥ 18 岁 且 ≤ 64 岁 且 < 65 岁",
    );
  });
});

describe("ageDays", () => {
  it("max is inclusive and a missing age in days counts as 0", () => {
    const s = oneCondition({ ageDays: { max: 28 } });
    const baby = (ageDays: number | null) =>
      rec(["A03.000"], [], { ageYears: 0, ageDays, birthWeight: 3000 });
    expect(holds(s, baby(27))).toBe(true);
    expect(holds(s, baby(28))).toBe(true);
    expect(holds(s, baby(29))).toBe(false);
    expect(holds(s, baby(null))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { ageDays: null }))).toBe(true);
  });

  it("min 1: a missing age in days (0) is below it", () => {
    const s = oneCondition({ ageDays: { min: 1 } });
    expect(holds(s, rec(["A03.000"], [], { ageYears: 0, ageDays: null, birthWeight: 3000 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { ageYears: 0, ageDays: 0, birthWeight: 3000 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { ageYears: 0, ageDays: 1, birthWeight: 3000 }))).toBe(true);
  });

  it("describes the bound in days", () => {
    const s = oneCondition({ ageDays: { max: 28 } });
    expect(reasonsOf(s, rec(["A03.000"]))).toContain("日龄 ≤ 28 天");
  });
});

describe("sex", () => {
  it("equals the value", () => {
    const f = oneCondition({ sex: "2" });
    expect(holds(f, rec(["A03.000"], [], { sex: "2" }))).toBe(true);
    expect(holds(f, rec(["A03.000"], [], { sex: "1" }))).toBe(false);
    const m = oneCondition({ sex: "1" });
    expect(holds(m, rec(["A03.000"], [], { sex: "1" }))).toBe(true);
    expect(holds(m, rec(["A03.000"], [], { sex: "2" }))).toBe(false);
    expect(reasonsOf(f, rec(["A03.000"], [], { sex: "2" }))).toContain("性别为女");
    expect(reasonsOf(m, rec(["A03.000"], [], { sex: "1" }))).toContain("性别为男");
  });
});

describe("birthWeight", () => {
  const baby = (birthWeight: number | null) =>
    rec(["A03.000"], [], { ageYears: 0, ageDays: 40, birthWeight });

  it("min inclusive, below exclusive, and a weight of 0 or none satisfies nothing", () => {
    const s = oneCondition({ birthWeight: { min: 2500, below: 4000 } });
    expect([2499, 2500, 2501, 3999, 4000, 4001].map((w) => holds(s, baby(w)))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(holds(s, baby(null))).toBe(false);
    expect(holds(s, baby(0))).toBe(false);
  });

  it("below alone: a positive weight under the bound; 0 and negative weights are missing", () => {
    const s = oneCondition({ birthWeight: { below: 1000 } });
    expect(holds(s, baby(1))).toBe(true);
    expect(holds(s, baby(999))).toBe(true);
    expect(holds(s, baby(1000))).toBe(false);
    expect(holds(s, baby(0))).toBe(false);
    expect(holds(s, baby(-5))).toBe(false);
    expect(holds(s, baby(null))).toBe(false);
    expect(reasonsOf(s, baby(500))).toContain("出生体重 < 1000 克");
  });
});

describe("los (住院天数)", () => {
  it("max inclusive; 0 and negative stays are missing and satisfy no bound", () => {
    const s = oneCondition({ los: { max: 10 } });
    expect([1, 9, 10, 11].map((d) => holds(s, rec(["A03.000"], [], { los: d })))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(holds(s, rec(["A03.000"], [], { los: 0 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { los: -1 }))).toBe(false);
  });

  it("min inclusive, below exclusive, eq exact", () => {
    const min = oneCondition({ los: { min: 3 } });
    expect([2, 3, 4].map((d) => holds(min, rec(["A03.000"], [], { los: d })))).toEqual([false, true, true]);
    const below = oneCondition({ los: { below: 4 } });
    expect([3, 4, 5].map((d) => holds(below, rec(["A03.000"], [], { los: d })))).toEqual([
      true,
      false,
      false,
    ]);
    const eq = oneCondition({ los: { eq: 5 } });
    expect([4, 5, 6].map((d) => holds(eq, rec(["A03.000"], [], { los: d })))).toEqual([false, true, false]);
  });

  it("describes the bound and the record's stay, or that it is missing", () => {
    const s = oneCondition({ los: { min: 3 } });
    expect(reasonsOf(s, rec(["A03.000"], [], { los: 7 }))).toContain("住院天数 ≥ 3 天（本例 7 天）");
    const n = oneCondition({ not: { los: { min: 3 } } });
    expect(reasonsOf(n, rec(["A03.000"], [], { los: 0 }))).toContain("非（住院天数 ≥ 3 天（本例缺失））");
  });
});

describe("procedureCount (手术操作个数)", () => {
  it("counts the entries that are not empty", () => {
    const s = oneCondition({ procedureCount: { min: 2 } });
    expect(holds(s, rec(["A03.000"], ["10.0000"]))).toBe(false);
    expect(holds(s, rec(["A03.000"], ["10.0000", ""]))).toBe(false);
    expect(holds(s, rec(["A03.000"], ["10.0000", "", "99.9999"]))).toBe(true);
    expect(holds(s, rec(["A03.000"], ["10.0000", "20.0000", "30.0000"]))).toBe(true);
    const none = oneCondition({ procedureCount: { max: 0 } });
    expect(holds(none, rec(["A03.000"], []))).toBe(true);
    expect(holds(none, rec(["A03.000"], [""]))).toBe(true);
    expect(holds(none, rec(["A03.000"], ["40.0000"]))).toBe(false);
  });

  it("describes the bound and the record's count", () => {
    const s = oneCondition({ procedureCount: { eq: 1 } });
    expect(reasonsOf(s, rec(["A03.000"], ["", "40.0000"]))).toContain("手术操作个数 = 1 个（本例 1 个）");
  });
});

describe("dischargeWay (离院方式) and dept (出院科别)", () => {
  it("discharge way in the set, a missing one in none", () => {
    const s = oneCondition({ dischargeWay: ["2", "5"] });
    expect(holds(s, rec(["A03.000"], [], { dischargeWay: "5" }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { dischargeWay: "2" }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { dischargeWay: "1" }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { dischargeWay: "" }))).toBe(false);
  });

  it("describes the ways by name, an unknown or missing one of the record as such", () => {
    const s = oneCondition({ dischargeWay: ["3", "9"] });
    const notS = oneCondition({ not: { dischargeWay: ["3", "9"] } });
    expect(reasonsOf(s, rec(["A03.000"], [], { dischargeWay: "9" }))).toContain(
      "离院方式为 3 医嘱转社区卫生服务机构/乡镇卫生院 或 9 其他（本例 9 其他）",
    );
    expect(reasonsOf(notS, rec(["A03.000"], [], { dischargeWay: "7" }))).toContain("（本例 7 未知代码）");
    expect(reasonsOf(notS, rec(["A03.000"], [], { dischargeWay: "" }))).toContain("（本例缺失）");
    const t = oneCondition({ dischargeWay: ["1", "4"] });
    expect(reasonsOf(t, rec(["A03.000"], [], { dischargeWay: "4" }))).toContain(
      "离院方式为 1 医嘱离院 或 4 非医嘱离院（本例 4 非医嘱离院）",
    );
  });

  it("dept: exact codes, described with the record's", () => {
    const s = oneCondition({ dept: ["A03.04", "B01"] });
    expect(holds(s, rec(["A03.000"], [], { dept: "B01" }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { dept: "A03" }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { dept: "" }))).toBe(false);
    expect(reasonsOf(s, rec(["A03.000"], [], { dept: "B01" }))).toContain(
      "出院科别为 A03.04、B01（本例 B01）",
    );
    expect(
      reasonsOf(oneCondition({ not: { dept: ["A03.04", "B01"] } }), rec(["A03.000"], [], { dept: "" })),
    ).toContain("非（出院科别为 A03.04、B01（本例缺失）");
  });
});

describe("code lists", () => {
  it("pdxIn: the principal diagnosis only", () => {
    const s = oneCondition({ pdxIn: "LA" });
    expect(holds(s, rec(["A01.000"]))).toBe(true);
    expect(holds(s, rec(["A02.000", "B01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "A01.000"]))).toBe(false);
    expect(holds(s, rec(["X99.999"]))).toBe(false);
    expect(reasonsOf(s, rec(["A01.000"]))).toContain("主要诊断 A01.000（甲一） 属于列表 LA");
    expect(reasonsOf(oneCondition({ not: { pdxIn: "LA" } }), rec(["A99.000"]))).toContain(
      "非（主要诊断 A99.000 属于列表 LA",
    );
  });

  it("ppxIn: the principal procedure only, false without one", () => {
    const s = oneCondition({ ppxIn: "PX1" });
    expect(holds(s, rec(["A03.000"], ["10.0000"]))).toBe(true);
    expect(holds(s, rec(["A03.000"], ["10.0000", "20.0000"]))).toBe(true);
    expect(holds(s, rec(["A03.000"], ["20.0000", "10.0000"]))).toBe(false);
    expect(holds(s, rec(["A03.000"], []))).toBe(false);
    expect(reasonsOf(s, rec(["A03.000"], ["10.0000"]))).toContain(
      "主要手术操作 10.0000（手术一） 属于列表 PX1",
    );
    expect(reasonsOf(oneCondition({ not: { ppxIn: "PX1" } }), rec(["A03.000"], []))).toContain(
      "非（主要手术操作 （无） 属于列表 PX1",
    );
  });

  it("anyDxIn and anyPxIn: any code, principal or secondary", () => {
    const dx = oneCondition({ anyDxIn: "LB" });
    expect(holds(dx, rec(["B01.000"]))).toBe(true);
    expect(holds(dx, rec(["A03.000", "A01.000", "B02.000"]))).toBe(true);
    expect(holds(dx, rec(["A03.000", "A01.000", "C01.000"]))).toBe(false);
    expect(reasonsOf(dx, rec(["B01.000"]))).toContain("有诊断属于列表 LB");
    const px = oneCondition({ anyPxIn: "PX2" });
    expect(holds(px, rec(["A03.000"], ["30.0000"]))).toBe(true);
    expect(holds(px, rec(["A03.000"], ["10.0000", "40.0000", "30.0000"]))).toBe(true);
    expect(holds(px, rec(["A03.000"], ["10.0000", "40.0000"]))).toBe(false);
    expect(holds(px, rec(["A03.000"], []))).toBe(false);
    expect(reasonsOf(px, rec(["A03.000"], ["30.0000"]))).toContain("有手术操作属于列表 PX2");
  });

  it("lists beyond the first word of 32: pdxIn, ppxIn, anyDxIn, anyPxIn on list 40", () => {
    // 40 filler lists first, so that the lists asked about are numbers 40 to 43 (word 1, bits 8 to 11),
    // and 35 summarised lists first, so that the summary has two words.
    const fillers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`F${i}`, ["C02.000"]]));
    const lists = { ...fillers, ...LISTS };
    const scheme = (p: unknown) =>
      oneCondition(
        { all: [...Array.from({ length: 35 }, (_, i) => ({ not: { anyDxIn: `F${i}` } })), p] },
        { lists },
      );
    expect(holds(scheme({ pdxIn: "LA" }), rec(["A01.000"]))).toBe(true);
    expect(holds(scheme({ pdxIn: "LA" }), rec(["B01.000"]))).toBe(false);
    expect(holds(scheme({ pdxIn: "LB" }), rec(["B01.000"]))).toBe(true);
    expect(holds(scheme({ ppxIn: "PX1" }), rec(["A03.000"], ["10.0000"]))).toBe(true);
    expect(holds(scheme({ ppxIn: "PX1" }), rec(["A03.000"], ["20.0000"]))).toBe(false);
    expect(holds(scheme({ anyDxIn: "LC" }), rec(["A03.000", "C01.000"]))).toBe(true);
    expect(holds(scheme({ anyDxIn: "LC" }), rec(["A03.000", "B01.000"]))).toBe(false);
    expect(holds(scheme({ anyPxIn: "PX2" }), rec(["A03.000"], ["40.0000", "30.0000"]))).toBe(true);
    expect(holds(scheme({ anyPxIn: "PX2" }), rec(["A03.000"], ["40.0000", "10.0000"]))).toBe(false);
    // C02.000 is in every filler list: the `not` conditions fail.
    expect(holds(scheme({ pdxIn: "LA" }), rec(["A01.000", "C02.000"]))).toBe(false);
  });
});

describe("counts of the multiple-trauma groups", () => {
  it("regionsAtLeast: distinct lists touched, at min, one below, one above", () => {
    const two = oneCondition({ regionsAtLeast: { min: 2, lists: ["LA", "LB", "LC"] } });
    expect(holds(two, rec(["A01.000", "A02.000"]))).toBe(false); // one region twice
    expect(holds(two, rec(["A01.000", "B01.000"]))).toBe(true);
    expect(holds(two, rec(["A03.000", "C01.000", "B02.000"]))).toBe(true);
    expect(holds(two, rec(["A01.000", "B01.000", "C01.000"]))).toBe(true);
    expect(holds(two, rec(["A03.000", "C01.000"]))).toBe(false);
    const three = oneCondition({ regionsAtLeast: { min: 3, lists: ["LA", "LB", "LC"] } });
    expect(holds(three, rec(["A01.000", "B01.000"]))).toBe(false);
    expect(holds(three, rec(["A01.000", "B01.000", "C01.000"]))).toBe(true);
    const one = oneCondition({ regionsAtLeast: { min: 1, lists: ["LC"] } });
    expect(holds(one, rec(["A03.000", "C01.000"]))).toBe(true);
    expect(holds(one, rec(["A03.000", "A01.000"]))).toBe(false);
    expect(reasonsOf(two, rec(["A01.000", "B01.000"]))).toContain("诊断涉及至少 2 个部位（LA、LB、LC）");
  });

  it("traumaDiagnosesAtLeast: diagnoses in any of the lists, each counted once", () => {
    const lists = { ...LISTS, LAB: ["A01.000", "B01.000"] };
    const s = oneCondition({ traumaDiagnosesAtLeast: { min: 2, lists: ["LA", "LAB"] } }, { lists });
    expect(holds(s, rec(["A01.000", "A03.000"]))).toBe(false); // A01 in both lists: one diagnosis
    expect(holds(s, rec(["A01.000", "A02.000"]))).toBe(true); // the same list twice
    expect(holds(s, rec(["A03.000", "B01.000", "C01.000", "A02.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "B01.000", "C01.000", "X99.000"]))).toBe(false);
    const three = oneCondition({ traumaDiagnosesAtLeast: { min: 3, lists: ["LA", "LB"] } }, { lists });
    expect(holds(three, rec(["A01.000", "B02.000"]))).toBe(false);
    expect(holds(three, rec(["A01.000", "B02.000", "A02.000"]))).toBe(true);
    expect(holds(three, rec(["A01.000", "B02.000", "C01.000", "A02.000"]))).toBe(true);
    expect(reasonsOf(s, rec(["A01.000", "A02.000"]))).toContain("至少 2 个创伤诊断属于（LA、LAB）");
  });
});

describe("severity after CC/MCC exclusion", () => {
  // M01 MCC in table T1, M02 MCC without a table, K01 CC in table T2, K02 CC in table T1.
  // A01 (principal) belongs to T1, B01 to T2, A03 to none.
  const cc: CcRow[] = [
    { code: "M01.000", level: "MCC", table: "T1" },
    { code: "M02.000", level: "MCC", table: "" },
    { code: "K01.000", level: "CC", table: "T2" },
    { code: "K02.000", level: "CC", table: "T1" },
  ];
  const exclusion = [
    ["A01.000", "T1"],
    ["B01.000", "T2"],
  ] as const;
  const mcc = () => oneCondition({ hasMcc: true }, { cc, exclusion });
  const ccOrMcc = () => oneCondition({ hasCcOrMcc: true }, { cc, exclusion });

  it("hasMcc: an MCC outside the principal diagnosis's table", () => {
    const s = mcc();
    expect(holds(s, rec(["A03.000", "M01.000"]))).toBe(true);
    expect(holds(s, rec(["A01.000", "M01.000"]))).toBe(false); // same table T1
    expect(holds(s, rec(["B01.000", "M01.000"]))).toBe(true); // T2 ≠ T1
    expect(holds(s, rec(["A01.000", "M02.000"]))).toBe(true); // no table: excluded by none
    expect(holds(s, rec(["A03.000", "M02.000"]))).toBe(true); // neither has a table
    expect(holds(s, rec(["A03.000", "K01.000"]))).toBe(false); // a CC only
    expect(holds(s, rec(["M01.000"]))).toBe(false); // the principal diagnosis never counts
    expect(holds(s, rec(["M01.000", "A03.000"]))).toBe(false);
    expect(holds(s, rec(["A01.000", "K01.000", "M01.000", "M02.000"]))).toBe(true);
    expect(holds(s, rec(["A01.000", "K02.000", "M01.000"]))).toBe(false);
    expect(reasonsOf(s, rec(["A03.000", "M01.000"]))).toContain("伴严重并发症或合并症（MCC）");
  });

  it("hasCcOrMcc: a CC or an MCC outside the principal diagnosis's table", () => {
    const s = ccOrMcc();
    expect(holds(s, rec(["A03.000", "K01.000"]))).toBe(true);
    expect(holds(s, rec(["B01.000", "K01.000"]))).toBe(false); // same table T2
    expect(holds(s, rec(["A01.000", "K02.000"]))).toBe(false); // same table T1
    expect(holds(s, rec(["A01.000", "K01.000"]))).toBe(true);
    expect(holds(s, rec(["A01.000", "M01.000"]))).toBe(false);
    expect(holds(s, rec(["A03.000", "M01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "A01.000"]))).toBe(false);
    expect(holds(s, rec(["K01.000"]))).toBe(false);
    expect(reasonsOf(s, rec(["A03.000", "K01.000"]))).toContain("伴并发症或合并症（CC 或 MCC）");
  });

  it("a CC after an MCC does not lower the severity, an MCC after a CC raises it", () => {
    const s = mcc();
    expect(holds(s, rec(["A03.000", "M01.000", "K01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "K01.000", "M01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "K01.000", "K02.000"]))).toBe(false);
    const t = ccOrMcc();
    expect(holds(t, rec(["A03.000", "X00.000", "K01.000"]))).toBe(true);
  });
});

describe("logic", () => {
  it("all of one, two and three conditions: each part can fail it", () => {
    const one = oneCondition({ all: [{ sex: "2" }] });
    expect(holds(one, rec(["A03.000"], [], { sex: "2" }))).toBe(true);
    expect(holds(one, rec(["A03.000"], [], { sex: "1" }))).toBe(false);
    const two = oneCondition({ all: [{ sex: "2" }, { los: { max: 5 } }] });
    expect(holds(two, rec(["A03.000"], [], { sex: "2", los: 5 }))).toBe(true);
    expect(holds(two, rec(["A03.000"], [], { sex: "1", los: 5 }))).toBe(false);
    expect(holds(two, rec(["A03.000"], [], { sex: "2", los: 6 }))).toBe(false);
    const three = oneCondition({ all: [{ sex: "2" }, { los: { max: 5 } }, { ageYears: { min: 18 } }] });
    expect(holds(three, rec(["A03.000"], [], { sex: "2", los: 5, ageYears: 18 }))).toBe(true);
    expect(holds(three, rec(["A03.000"], [], { sex: "1", los: 5, ageYears: 18 }))).toBe(false);
    expect(holds(three, rec(["A03.000"], [], { sex: "2", los: 6, ageYears: 18 }))).toBe(false);
    expect(holds(three, rec(["A03.000"], [], { sex: "2", los: 5, ageYears: 17 }))).toBe(false);
    expect(reasonsOf(two, rec(["A03.000"], [], { sex: "2", los: 5 }))).toContain(
      "性别为女，且住院天数 ≤ 5 天（本例 5 天）",
    );
  });

  it("any: one part suffices, none fails; not", () => {
    const s = oneCondition({ any: [{ sex: "2" }, { los: { max: 5 } }, { ageYears: { min: 18 } }] });
    expect(holds(s, rec(["A03.000"], [], { sex: "1", los: 9, ageYears: 10 }))).toBe(false);
    expect(holds(s, rec(["A03.000"], [], { sex: "2", los: 9, ageYears: 10 }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { sex: "1", los: 5, ageYears: 10 }))).toBe(true);
    expect(holds(s, rec(["A03.000"], [], { sex: "1", los: 9, ageYears: 18 }))).toBe(true);
    expect(reasonsOf(s, rec(["A03.000"], [], { sex: "2" }))).toContain(
      "（性别为女，或住院天数 ≤ 5 天（本例 8 天），或年龄 ≥ 18 岁）",
    );
    const n = oneCondition({ not: { sex: "2" } });
    expect(holds(n, rec(["A03.000"], [], { sex: "2" }))).toBe(false);
    expect(holds(n, rec(["A03.000"], [], { sex: "1" }))).toBe(true);
    expect(reasonsOf(n, rec(["A03.000"], [], { sex: "1" }))).toContain("非（性别为女）");
  });

  it("always: described as no further condition", () => {
    const s = oneCondition({ always: true });
    expect(holds(s, rec(["A03.000"]))).toBe(true);
    expect(reasonsOf(s, rec(["A03.000"]))).toContain("入 ADRG ZA1：无附加条件");
  });
});

describe("code prefixes", () => {
  it("pdxPrefix and ppxPrefix: the principal code starts with a prefix", () => {
    const s = oneCondition({ pdxPrefix: ["B", "C0"] });
    expect(holds(s, rec(["B99.000"]))).toBe(true);
    expect(holds(s, rec(["C01.000"]))).toBe(true);
    expect(holds(s, rec(["C11.000"]))).toBe(false);
    expect(holds(s, rec(["A03.000", "B01.000"]))).toBe(false);
    expect(reasonsOf(s, rec(["B01.000"]))).toContain("主要诊断 B01.000（乙一） 以 B、C0 开头");
    expect(reasonsOf(s, rec(["B77.000"]))).toContain("主要诊断 B77.000 以 B、C0 开头");
    const p = oneCondition({ ppxPrefix: ["2"] });
    expect(holds(p, rec(["A03.000"], ["20.0000"]))).toBe(true);
    expect(holds(p, rec(["A03.000"], ["10.0000", "20.0000"]))).toBe(false);
    expect(holds(p, rec(["A03.000"], []))).toBe(false);
    expect(holds(p, rec(["A03.000"], [""]))).toBe(false);
    expect(reasonsOf(p, rec(["A03.000"], ["20.0000"]))).toContain("主要手术操作 20.0000（手术二） 以 2 开头");
    expect(reasonsOf(oneCondition({ not: { ppxPrefix: ["2"] } }), rec(["A03.000"], []))).toContain(
      "非（主要手术操作 （无） 以 2 开头",
    );
  });

  it("anyDxPrefix and anyPxPrefix: any code; the explanation names the first that matches", () => {
    const s = oneCondition({ anyDxPrefix: ["K0"] });
    expect(holds(s, rec(["A03.000", "K02.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "M01.000"]))).toBe(false);
    expect(reasonsOf(s, rec(["A03.000", "K02.000", "K01.000"]))).toContain(
      "有诊断以 K0 开头（K02.000（合并症二））",
    );
    expect(reasonsOf(oneCondition({ not: { anyDxPrefix: ["K0"] } }), rec(["A03.000"]))).toContain(
      "非（有诊断以 K0 开头（（无））",
    );
    const p = oneCondition({ anyPxPrefix: ["3", "4"] });
    expect(holds(p, rec(["A03.000"], ["10.0000", "40.0000"]))).toBe(true);
    expect(holds(p, rec(["A03.000"], ["10.0000", "20.0000"]))).toBe(false);
    expect(reasonsOf(p, rec(["A03.000"], ["10.0000", "40.0000", "30.0000"]))).toContain(
      "有手术操作以 3、4 开头（40.0000（操作四））",
    );
    expect(reasonsOf(p, rec(["A03.000"], ["35.1"]))).toContain("有手术操作以 3、4 开头（35.1）");
  });
});

describe("the registry of condition kinds", () => {
  it("compiling refuses an unknown list and an unknown kind; describing an unknown kind gives its JSON", () => {
    const s = oneCondition({ always: true });
    expect(() => compilePredicate(s.compiled, { pdxIn: "NOPE" })).toThrow("unknown list NOPE");
    expect(() => compilePredicate(s.compiled, { bogus: 1 } as never)).toThrow(
      'unsupported predicate {"bogus":1}',
    );
    expect(describePredicate(s, { bogus: 1 } as never, rec(["A03.000"]))).toBe('{"bogus":1}');
  });

  it("an empty principal procedure is described as none", () => {
    const s = oneCondition({ not: { ppxIn: "PX1" } });
    expect(reasonsOf(s, rec(["A03.000"], ["", "10.0000"]))).toContain(
      "非（主要手术操作 （无） 属于列表 PX1）",
    );
    const t = oneCondition({ not: { ppxPrefix: ["1"] } });
    expect(reasonsOf(t, rec(["A03.000"], ["", "10.0000"]))).toContain("非（主要手术操作 （无） 以 1 开头）");
  });
});
