// Tests against the surviving mutants of packages/grouper/src/group.ts and compile-logic.ts (issue 16,
// docs/mutation.md): the pre-grouping checks at their limits, the walk over MDCs, ADRGs and DRGs
// (QY, fallback to the ADRG, the severity table, the search going on to the next MDC), the
// candidate plans over several words, and the explanation's every message. The scheme is built
// inside each test; every expected group is worked out by hand from the scheme described below.
import { describe, expect, it } from "vitest";
import { checkFailedOutcome, groupRecord, precheck, precheckFields, recordContext } from "../src/group.js";
import { severityOf } from "../src/scheme.js";
import type { GroupingRecord } from "../src/types.js";
import {
  adrg,
  build,
  type CcRow,
  drg,
  group,
  LISTS,
  oneCondition,
  reasonsOf,
  rec,
} from "./mutation-scheme.js";

// M01 MCC in table T1, M02 MCC without a table, K01 CC in table T2, K02 CC in table T1;
// A01 belongs to T1 as a principal diagnosis, B01 to T2. M09.000 (MCC, T9) has no name.
const CC: CcRow[] = [
  { code: "M01.000", level: "MCC", table: "T1" },
  { code: "M02.000", level: "MCC", table: "" },
  { code: "K01.000", level: "CC", table: "T2" },
  { code: "K02.000", level: "CC", table: "T1" },
  { code: "M09.000", level: "MCC", table: "T9" },
];
const EXCLUSION = [
  ["A01.000", "T1"],
  ["B01.000", "T2"],
] as const;

/**
 * MDCs in order A, B, C, D:
 * - A (principal diagnosis in LA): AA1 when the principal procedure is in PX1: AA11 with an MCC,
 *   AA13 with a CC, else AA15. AB1 when some procedure is in PX2 and the stay is ≤ 10 days: AB11
 *   from 60 years, else the ADRG AB1 itself (fallback). Then QY: any procedure in or_procedures.
 * - B (some diagnosis in LB): BA1 when the principal diagnosis is in LB: BA11 with an MCC, BA13 with
 *   a CC, no fallback. BB1 (always, no name): BB11 (always).
 * - C (principal diagnosis in LC): CA1 for women: CA11.
 * - D (some diagnosis in LC): DA1 when the principal procedure is in PX1: DA11.
 */
function walkScheme() {
  return build({
    json: {
      name: "分组流程测试方案",
      mdcOrder: ["A", "B", "C", "D"],
      mdcs: [
        { code: "A", when: { pdxIn: "LA" }, adrgs: ["AA1", "AB1", "QY"] },
        { code: "B", name: "乙类", when: { anyDxIn: "LB" }, adrgs: ["BA1", "BB1"] },
        { code: "C", when: { pdxIn: "LC" }, adrgs: ["CA1"] },
        { code: "D", when: { anyDxIn: "LC" }, adrgs: ["DA1"] },
      ],
      adrgs: [
        adrg("AA1", "A", { ppxIn: "PX1" }, ["AA11", "AA13", "AA15"]),
        adrg("AB1", "A", { all: [{ anyPxIn: "PX2" }, { los: { max: 10 } }] }, ["AB11"], true),
        adrg("BA1", "B", { pdxIn: "LB" }, ["BA11", "BA13"]),
        { code: "BB1", mdc: "B", when: { always: true }, drgs: ["BB11"], fallbackToAdrg: true },
        adrg("CA1", "C", { sex: "2" }, ["CA11"]),
        adrg("DA1", "D", { ppxIn: "PX1" }, ["DA11"]),
      ],
      drgs: [
        drg("AA11", { hasMcc: true }),
        drg("AA13", { hasCcOrMcc: true }),
        drg("AA15", { always: true }),
        drg("AB11", { ageYears: { min: 60 } }),
        drg("BA11", { hasMcc: true }),
        drg("BA13", { hasCcOrMcc: true }),
        drg("BB11", { always: true }),
        drg("CA11", { always: true }),
        drg("DA11", { always: true }),
      ],
      lists: LISTS,
    },
    cc: CC,
    exclusion: EXCLUSION,
  });
}

describe("the walk: MDCs, ADRGs, DRGs, QY and fallback", () => {
  it.each([
    ["AA1 without CC/MCC", ["A01.000"], ["10.0000"], {}, "OK", "A", "AA1", "AA15", "AA15 名"],
    [
      "AA1 with an MCC without table",
      ["A01.000", "M02.000"],
      ["10.0000"],
      {},
      "OK",
      "A",
      "AA1",
      "AA11",
      "AA11 名",
    ],
    [
      "AA1 with a CC of another table",
      ["A01.000", "K01.000"],
      ["10.0000"],
      {},
      "OK",
      "A",
      "AA1",
      "AA13",
      "AA13 名",
    ],
    [
      "AA1 with an MCC of its own table",
      ["A01.000", "M01.000"],
      ["10.0000"],
      {},
      "OK",
      "A",
      "AA1",
      "AA15",
      "AA15 名",
    ],
    [
      "AA1, MCC after a CC",
      ["A01.000", "K01.000", "M02.000"],
      ["10.0000"],
      {},
      "OK",
      "A",
      "AA1",
      "AA11",
      "AA11 名",
    ],
    ["AB1 fallback at 59", ["A01.000"], ["20.0000"], { ageYears: 59 }, "OK", "A", "AB1", "AB1", "AB1 名"],
    ["AB11 at 60", ["A01.000"], ["20.0000"], { ageYears: 60 }, "OK", "A", "AB1", "AB11", "AB11 名"],
    [
      "AB1 by a secondary procedure",
      ["A01.000"],
      ["40.0000", "30.0000"],
      { los: 10 },
      "OK",
      "A",
      "AB1",
      "AB1",
      "AB1 名",
    ],
    [
      "QY: AB1 fails at 11 days",
      ["A01.000"],
      ["20.0000"],
      { los: 11 },
      "AMBIGUOUS",
      "A",
      null,
      "AQY",
      "MDCA 歧义组",
    ],
    [
      "QY by a secondary procedure",
      ["A01.000"],
      ["40.0000", "10.0000"],
      {},
      "AMBIGUOUS",
      "A",
      null,
      "AQY",
      "MDCA 歧义组",
    ],
    [
      "no OR procedure: nothing in A",
      ["A01.000"],
      ["40.0000"],
      {},
      "UNGROUPABLE",
      null,
      null,
      "0000",
      "未入组",
    ],
    ["no procedure: nothing in A", ["A02.000"], [], {}, "UNGROUPABLE", null, null, "0000", "未入组"],
    ["nothing in A, then B", ["A01.000", "B01.000"], ["40.0000"], {}, "OK", "B", "BB1", "BB11", "BB11 名"],
    ["B with an MCC", ["B01.000", "M01.000"], [], {}, "OK", "B", "BA1", "BA11", "BA11 名"],
    ["B with a CC of its own table", ["B01.000", "K01.000"], [], {}, "OK", "B", "BB1", "BB11", "BB11 名"],
    ["B with a CC of another table", ["B02.000", "K01.000"], [], {}, "OK", "B", "BA1", "BA13", "BA13 名"],
    ["B01 with K02 (T1)", ["B01.000", "K02.000"], [], {}, "OK", "B", "BA1", "BA13", "BA13 名"],
    ["C for a man: nothing", ["C01.000"], [], { sex: "1" }, "UNGROUPABLE", null, null, "0000", "未入组"],
    ["C for a woman", ["C01.000"], [], { sex: "2" }, "OK", "C", "CA1", "CA11", "CA11 名"],
    [
      "D by a secondary diagnosis",
      ["A03.000", "C01.000"],
      ["10.0000"],
      {},
      "OK",
      "D",
      "DA1",
      "DA11",
      "DA11 名",
    ],
    ["A before B", ["A01.000", "B01.000"], ["10.0000"], {}, "OK", "A", "AA1", "AA15", "AA15 名"],
  ] as const)("%s", (_name, dx, px, extra, status, mdc, adrgCode, drgCode, drgName) => {
    const s = walkScheme();
    const r = rec(dx, px, { id: "walk", ...(extra as Partial<GroupingRecord>) });
    const g = group(s, r);
    expect(g).toEqual({
      id: "walk",
      status,
      mdc,
      adrg: adrgCode,
      drg: drgCode,
      drgName,
    });
  });

  it("an ADRG without a name falls back under the name `<code>（ADRG）`", () => {
    const s = build({
      json: {
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
        adrgs: [{ code: "ZA1", mdc: "Z", when: { always: true }, drgs: ["ZA11"], fallbackToAdrg: true }],
        drgs: [drg("ZA11", { sex: "2" })],
        lists: LISTS,
      },
    });
    expect(group(s, rec(["A01.000"]))).toMatchObject({ status: "OK", drg: "ZA1", drgName: "ZA1（ADRG）" });
    expect(group(s, rec(["A01.000"], [], { sex: "2" }))).toMatchObject({ drg: "ZA11", drgName: "ZA11 名" });
  });
});

describe("the severity table of ADRGs split by severity only", () => {
  const split = (drgs: readonly (readonly [string, unknown])[], fallback = false) =>
    build({
      json: {
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1", "ZB1"] }],
        adrgs: [
          adrg(
            "ZA1",
            "Z",
            { always: true },
            drgs.map(([c]) => c),
            fallback,
          ),
          adrg("ZB1", "Z", { always: true }, ["ZB11"]),
        ],
        drgs: [...drgs.map(([c, w]) => drg(c, w)), drg("ZB11", { always: true })],
        lists: LISTS,
      },
      cc: CC,
      exclusion: EXCLUSION,
    });
  const none = rec(["A03.000", "A01.000"]);
  const withCc = rec(["A03.000", "K01.000"]);
  const withMcc = rec(["A03.000", "M01.000"]);

  it("the first DRG whose least severity is reached, in the scheme's order", () => {
    const s = split([
      ["ZA11", { hasMcc: true }],
      ["ZA13", { hasCcOrMcc: true }],
      ["ZA15", { always: true }],
    ]);
    expect([none, withCc, withMcc].map((r) => group(s, r).drg)).toEqual(["ZA15", "ZA13", "ZA11"]);
    // hasCcOrMcc first: it takes the MCC too.
    const t = split([
      ["ZA13", { hasCcOrMcc: true }],
      ["ZA11", { hasMcc: true }],
      ["ZA15", { always: true }],
    ]);
    expect([none, withCc, withMcc].map((r) => group(t, r).drg)).toEqual(["ZA15", "ZA13", "ZA13"]);
  });

  it("no DRG for severity 0: the ADRG itself when it falls back, else the next ADRG", () => {
    const drgs = [
      ["ZA11", { hasMcc: true }],
      ["ZA13", { hasCcOrMcc: true }],
    ] as const;
    const on = split(drgs, true);
    expect([none, withCc, withMcc].map((r) => group(on, r).drg)).toEqual(["ZA1", "ZA13", "ZA11"]);
    const off = split(drgs, false);
    expect([none, withCc, withMcc].map((r) => group(off, r).drg)).toEqual(["ZB11", "ZA13", "ZA11"]);
    const mccOnly = split([["ZA11", { hasMcc: true }]], false);
    expect([none, withCc, withMcc].map((r) => group(mccOnly, r).drg)).toEqual(["ZB11", "ZB11", "ZA11"]);
  });

  it("one DRG for every severity (no split) and a table broken by another condition", () => {
    const same = split([["ZA11", { always: true }]]);
    expect(same.compiled.entries[0]).toMatchObject({ severitySplits: false });
    expect([none, withCc, withMcc].map((r) => group(same, r).drg)).toEqual(["ZA11", "ZA11", "ZA11"]);
    const mixed = split([
      ["ZA11", { hasMcc: true }],
      ["ZA13", { sex: "2" }],
      ["ZA15", { always: true }],
    ]);
    expect(mixed.compiled.entries[0]).toMatchObject({ bySeverity: null, severitySplits: false });
    expect(group(mixed, { ...withCc, sex: "2" }).drg).toBe("ZA13");
    expect(group(mixed, withMcc).drg).toBe("ZA11");
    expect(group(mixed, withCc).drg).toBe("ZA15");
    const split3 = split([
      ["ZA11", { hasMcc: true }],
      ["ZA15", { always: true }],
    ]);
    expect(split3.compiled.entries[0]).toMatchObject({ severitySplits: true });
    expect([none, withCc, withMcc].map((r) => group(split3, r).drg)).toEqual(["ZA15", "ZA15", "ZA11"]);
  });

  it("only the secondary diagnoses up to the first MCC are needed for the severity", () => {
    const s = split([
      ["ZA11", { hasMcc: true }],
      ["ZA15", { always: true }],
    ]);
    const r = rec(["A03.000", "K01.000", "M01.000", "X00.000", "B01.000"]);
    const ctx = recordContext(s, r);
    expect(severityOf(s.compiled, ctx)).toBe(2);
    expect(group(s, r).drg).toBe("ZA11");
  });
});

describe("the pre-grouping checks", () => {
  it("sex: only 1 and 2", () => {
    expect(precheckFields("1", 40, null, null, true)).toBeNull();
    expect(precheckFields("2", 40, null, null, true)).toBeNull();
    expect(precheckFields("", 40, null, null, true)).toBe("性别缺失");
    expect(precheckFields("0", 40, null, null, true)).toBe("性别缺失");
    expect(precheckFields("12", 40, null, null, true)).toBe("性别缺失");
  });

  it("a principal diagnosis", () => {
    expect(precheckFields("1", 40, null, null, false)).toBe("无诊断");
    expect(precheck(rec([]))).toBe("无诊断");
    expect(precheck(rec([""]))).toBe("无诊断");
    expect(precheck(rec(["", "A01.000"]))).toBe("无诊断");
    expect(precheck(rec(["A01.000"]))).toBeNull();
    // Sex is checked first.
    expect(precheck(rec([], [], { sex: "" }))).toBe("性别缺失");
  });

  it("newborns: 0 years with ≤ 28 days or none, and no positive weight", () => {
    const W = "新生儿（0 岁且日龄缺失或 ≤28 天）缺少出生体重";
    expect(precheckFields("1", 0, 27, null, true)).toBe(W);
    expect(precheckFields("1", 0, 28, null, true)).toBe(W);
    expect(precheckFields("1", 0, 29, null, true)).toBeNull();
    expect(precheckFields("1", 0, null, null, true)).toBe(W);
    expect(precheckFields("1", 0, 0, 0, true)).toBe(W);
    expect(precheckFields("1", 0, 10, -1, true)).toBe(W);
    expect(precheckFields("1", 0, 10, 1, true)).toBeNull();
    expect(precheckFields("1", 1, 10, null, true)).toBeNull();
    expect(precheckFields("1", null, 10, null, true)).toBeNull();
    expect(precheckFields("1", 0, 10, null, true, false)).toBeNull();
    expect(precheckFields("1", 0, 10, null, false, false)).toBe("无诊断");
    expect(precheckFields("1", 0, 10, null, true, true)).toBe(W);
  });

  it("with a scheme, its switch of the newborn check applies; without one every check is on", () => {
    const baby = rec(["A01.000"], [], { ageYears: 0, ageDays: 3, birthWeight: null });
    const on = oneCondition({ always: true });
    const off = build({
      json: {
        checks: { newbornBirthWeight: false },
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
        adrgs: [adrg("ZA1", "Z", { always: true }, ["ZA11"])],
        drgs: [drg("ZA11", { always: true })],
        lists: LISTS,
      },
    });
    expect(precheck(baby)).not.toBeNull();
    expect(precheck(baby, on)).not.toBeNull();
    expect(precheck(baby, off)).toBeNull();
    expect(group(off, baby).drg).toBe("ZA11");
    expect(reasonsOf(off, baby)).toBe(
      [
        "新生儿（0 岁且日龄缺失或 ≤28 天）缺少出生体重，但本方案关闭了新生儿出生体重校验（checks.newbornBirthWeight 为 false），照常分组",
        "病例无计入的 CC/MCC",
        "进入 MDCZ：无附加条件",
        "入 ADRG ZA1：无附加条件",
        "入 DRG ZA11 ZA11 名：无附加条件",
      ].join("\n"),
    );
    // A newborn with a weight, with the check off: no note.
    expect(reasonsOf(off, { ...baby, birthWeight: 3000 }).split("\n")[0]).toBe("病例无计入的 CC/MCC");
  });

  it("a refused record: CHECK_FAILED, 0000, the check's name, and the reason explained", () => {
    const s = oneCondition({ always: true });
    const expected = {
      id: "x",
      status: "CHECK_FAILED",
      mdc: null,
      adrg: null,
      drg: "0000",
      drgName: "数据校验未通过",
    };
    expect(groupRecord(s, rec(["A01.000"], [], { id: "x", sex: "" }))).toEqual(expected);
    expect(checkFailedOutcome(s)).toMatchObject({ status: "CHECK_FAILED", drg: "0000" });
    const explained = groupRecord(s, rec(["A01.000"], [], { id: "x", sex: "" }), { explain: true });
    expect(explained).toEqual({
      ...expected,
      reasons: [{ stage: "check", message: "分组前校验未通过：性别缺失" }],
    });
    expect(groupRecord(s, rec([], [], { id: "x" }), { explain: false })).toEqual(expected);
  });
});

describe("the explanation (分组依据)", () => {
  it("names each counted and excluded CC/MCC, the MDC, ADRG and DRG", () => {
    const s = walkScheme();
    const r = rec(["A01.000", "M01.000", "K01.000", "X00.000", "M09.000"], ["10.0000"]);
    const g = groupRecord(s, r, { explain: true });
    expect(g.drg).toBe("AA11");
    expect(g.reasons).toEqual([
      {
        stage: "cc",
        code: "M01.000",
        message: "次要诊断 M01.000（严重合并症一） 为 MCC，但与主要诊断同属排除表 T1，不计入",
      },
      { stage: "cc", code: "K01.000", message: "次要诊断 K01.000（合并症一） 为 CC，计入" },
      { stage: "cc", code: "M09.000", message: "次要诊断 M09.000 为 MCC，计入" },
      { stage: "cc", message: "病例伴严重并发症或合并症（MCC）" },
      { stage: "mdc", code: "A", message: "进入 MDCA：主要诊断 A01.000（甲一） 属于列表 LA" },
      { stage: "adrg", code: "AA1", message: "入 ADRG AA1：主要手术操作 10.0000（手术一） 属于列表 PX1" },
      { stage: "drg", code: "AA11", message: "入 DRG AA11 AA11 名：伴严重并发症或合并症（MCC）" },
    ]);
  });

  it("a CC only; a principal diagnosis without a table excludes nothing", () => {
    const s = walkScheme();
    const g = groupRecord(s, rec(["A02.000", "K02.000"], ["10.0000"]), { explain: true });
    expect(g.drg).toBe("AA13");
    expect(g.reasons?.slice(0, 2)).toEqual([
      { stage: "cc", code: "K02.000", message: "次要诊断 K02.000（合并症二） 为 CC，计入" },
      { stage: "cc", message: "病例伴并发症或合并症（CC）" },
    ]);
  });

  it("the search going on: an ADRG without a DRG, an MDC without an ADRG, the next MDC", () => {
    const s = walkScheme();
    expect(reasonsOf(s, rec(["B01.000", "K01.000"]))).toBe(
      [
        "次要诊断 K01.000（合并症一） 为 CC，但与主要诊断同属排除表 T2，不计入",
        "病例无计入的 CC/MCC",
        "进入 MDCB：有诊断属于列表 LB",
        "入 ADRG BA1：主要诊断 B01.000（乙一） 属于列表 LB",
        "ADRG BA1 下无 DRG 条件成立，继续查找",
        "入 ADRG BB1：无附加条件",
        "入 DRG BB11 BB11 名：无附加条件",
      ].join("\n"),
    );
    expect(reasonsOf(s, rec(["A01.000", "B02.000"], ["40.0000"]))).toBe(
      [
        "病例无计入的 CC/MCC",
        "进入 MDCA：主要诊断 A01.000（甲一） 属于列表 LA",
        "MDCA 下无 ADRG 条件成立，继续查找下一个 MDC",
        "进入 MDCB：有诊断属于列表 LB",
        "入 ADRG BB1：无附加条件",
        "入 DRG BB11 BB11 名：无附加条件",
      ].join("\n"),
    );
  });

  it("an MDC whose condition holds with no candidate ADRG is reported; nothing at all", () => {
    const s = walkScheme();
    // D holds (C01 is a secondary diagnosis) but DA1 needs a principal procedure in PX1.
    expect(reasonsOf(s, rec(["A03.000", "C01.000"]))).toBe(
      [
        "病例无计入的 CC/MCC",
        "进入 MDCD：有诊断属于列表 LC",
        "MDCD 下无 ADRG 条件成立，继续查找下一个 MDC",
        "所有 MDC 均未能入组",
      ].join("\n"),
    );
    const g = groupRecord(s, rec(["C01.000"], [], { sex: "1" }), { explain: true });
    expect(g.reasons?.map((x) => [x.stage, x.code, x.message])).toEqual([
      ["cc", undefined, "病例无计入的 CC/MCC"],
      ["mdc", "C", "进入 MDCC：主要诊断 C01.000（丙一） 属于列表 LC"],
      ["mdc", "C", "MDCC 下无 ADRG 条件成立，继续查找下一个 MDC"],
      ["mdc", "D", "进入 MDCD：有诊断属于列表 LC"],
      ["mdc", "D", "MDCD 下无 ADRG 条件成立，继续查找下一个 MDC"],
      ["mdc", undefined, "所有 MDC 均未能入组"],
    ]);
  });

  it("QY: the first procedure that is an OR procedure; the fallback to the ADRG", () => {
    const s = walkScheme();
    const g = groupRecord(s, rec(["A01.000"], ["40.0000", "20.0000", "10.0000"], { los: 11 }), {
      explain: true,
    });
    expect(g.drg).toBe("AQY");
    expect(g.reasons?.at(-1)).toEqual({
      stage: "qy",
      code: "AQY",
      message: "此前的手术 ADRG 均不符合，但手术操作 20.0000 为有效手术操作：歧义组 AQY",
    });
    const f = groupRecord(s, rec(["A01.000"], ["20.0000"], { ageYears: 59 }), { explain: true });
    expect(f.reasons?.slice(-2)).toEqual([
      {
        stage: "adrg",
        code: "AB1",
        message: "入 ADRG AB1：有手术操作属于列表 PX2，且住院天数 ≤ 10 天（本例 8 天）",
      },
      { stage: "drg", code: "AB1", message: "ADRG AB1 下无 DRG 条件成立，按 ADRG 入组" },
    ]);
  });
});

describe("candidate plans over several words", () => {
  /**
   * 40 MDCs M00 … M39, MDC i when the principal diagnosis is in list Li (code D<i>.000), and MDC M39
   * with 40 ADRGs, ADRG k when the principal procedure is in list Pk (code <k>.1): more than 32 plan
   * words and more than 32 entries in one MDC.
   */
  function wide() {
    const n = 40;
    const pad = (i: number) => String(i).padStart(2, "0");
    const mdcs = Array.from({ length: n }, (_, i) => ({
      code: `M${pad(i)}`,
      when: { pdxIn: `L${i}` },
      adrgs: i === n - 1 ? Array.from({ length: n }, (_, k) => `W${pad(k)}1`) : [`M${pad(i)}1`],
    }));
    const adrgs = [
      ...Array.from({ length: n - 1 }, (_, i) =>
        adrg(`M${pad(i)}1`, `M${pad(i)}`, { always: true }, [`M${pad(i)}11`]),
      ),
      ...Array.from({ length: n }, (_, k) =>
        adrg(`W${pad(k)}1`, `M${pad(n - 1)}`, { ppxIn: `P${k}` }, [`W${pad(k)}11`]),
      ),
    ];
    const drgs = [
      ...Array.from({ length: n - 1 }, (_, i) => drg(`M${pad(i)}11`, { always: true }, `M${pad(i)}1`)),
      ...Array.from({ length: n }, (_, k) => drg(`W${pad(k)}11`, { always: true }, `W${pad(k)}1`)),
    ];
    const lists: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) lists[`L${i}`] = [`D${pad(i)}.000`];
    for (let k = 0; k < n; k++) lists[`P${k}`] = [`${k}.1`, "99.9"];
    return build({ json: { mdcOrder: mdcs.map((m) => m.code), mdcs, adrgs, drgs, lists } });
  }

  it("finds the MDC of every principal diagnosis and the ADRG of every principal procedure", () => {
    const s = wide();
    expect(s.compiled.planWords).toBe(41);
    expect(s.compiled.planMaskWords).toBe(2);
    for (const i of [0, 1, 30, 31, 32, 33, 38]) {
      const p = String(i).padStart(2, "0");
      expect(group(s, rec([`D${p}.000`])).drg).toBe(`M${p}11`);
    }
    for (const k of [0, 1, 30, 31, 32, 33, 39]) {
      expect(group(s, rec(["D39.000"], [`${k}.1`])).drg).toBe(`W${String(k).padStart(2, "0")}11`);
    }
    // 99.9 is in every Pk: the first ADRG.
    expect(group(s, rec(["D39.000"], ["99.9"])).drg).toBe("W0011");
    expect(group(s, rec(["D39.000"], ["98.9"])).drg).toBe("0000");
    expect(group(s, rec(["D40.000"])).drg).toBe("0000");
  });
});

describe("an MDC whose remaining condition fails", () => {
  it("is skipped, and the next MDC's first word is still looked at", () => {
    const s = build({
      json: {
        mdcOrder: ["X", "Y", "Z"],
        mdcs: [
          { code: "X", when: { all: [{ pdxIn: "LA" }, { sex: "2" }] }, adrgs: ["XA1", "XB1"] },
          { code: "Y", when: { all: [{ pdxIn: "LA" }, { los: { max: 10 } }] }, adrgs: ["YA1"] },
          { code: "Z", when: { pdxIn: "LA" }, adrgs: ["ZA1"] },
        ],
        adrgs: [
          adrg("XA1", "X", { ppxIn: "PX1" }, ["XA11"]),
          adrg("XB1", "X", { always: true }, ["XB11"]),
          adrg("YA1", "Y", { always: true }, ["YA11"]),
          adrg("ZA1", "Z", { always: true }, ["ZA11"]),
        ],
        drgs: [
          drg("XA11", { always: true }),
          drg("XB11", { always: true }),
          drg("YA11", { always: true }),
          drg("ZA11", { always: true }),
        ],
        lists: LISTS,
      },
    });
    expect(group(s, rec(["A01.000"], ["10.0000"], { sex: "2" })).drg).toBe("XA11");
    expect(group(s, rec(["A01.000"], [], { sex: "2" })).drg).toBe("XB11");
    expect(group(s, rec(["A01.000"], ["10.0000"], { sex: "1" })).drg).toBe("YA11");
    expect(group(s, rec(["A01.000"], ["10.0000"], { sex: "1", los: 11 })).drg).toBe("ZA11");
    expect(group(s, rec(["B01.000"], ["10.0000"], { sex: "2" })).drg).toBe("0000");
    expect(reasonsOf(s, rec(["A01.000"], [], { sex: "1", los: 11 }))).toBe(
      [
        "病例无计入的 CC/MCC",
        "进入 MDCZ：主要诊断 A01.000（甲一） 属于列表 LA",
        "入 ADRG ZA1：无附加条件",
        "入 DRG ZA11 ZA11 名：无附加条件",
      ].join("\n"),
    );
  });
});

describe("the explanation's stages", () => {
  it("an ADRG without a DRG is an adrg reason; the newborn note is a check reason", () => {
    const s = walkScheme();
    const g = groupRecord(s, rec(["B01.000", "K01.000"]), { explain: true });
    expect(g.reasons?.find((x) => x.message.endsWith("继续查找"))).toEqual({
      stage: "adrg",
      code: "BA1",
      message: "ADRG BA1 下无 DRG 条件成立，继续查找",
    });
    const off = build({
      json: {
        checks: { newbornBirthWeight: false },
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
        adrgs: [adrg("ZA1", "Z", { always: true }, ["ZA11"])],
        drgs: [drg("ZA11", { always: true })],
        lists: LISTS,
      },
    });
    const baby = groupRecord(off, rec(["A01.000"], [], { ageYears: 0, ageDays: 28 }), { explain: true });
    expect(baby.reasons?.[0]?.stage).toBe("check");
    expect(baby.reasons?.[1]).toEqual({ stage: "cc", message: "病例无计入的 CC/MCC" });
  });

  it("QY names an OR procedure that comes fifth", () => {
    const s = walkScheme();
    const r = rec(["A01.000"], ["40.0000", "40.0000", "99.1", "99.2", "20.0000"], { los: 11 });
    expect(groupRecord(s, r, { explain: true }).reasons?.at(-1)?.message).toBe(
      "此前的手术 ADRG 均不符合，但手术操作 20.0000 为有效手术操作：歧义组 AQY",
    );
  });
});
