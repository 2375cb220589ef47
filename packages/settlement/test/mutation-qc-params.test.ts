// Tests of the helpers every check kind shares (packages/settlement/src/qc/params.ts, qc/run.ts)
// against their mutants (issue 16, docs/mutation.md): parameter reading and its refusals, field
// references, category ranges at their ends, the facts derived once per list (dates, ages, the
// principal diagnosis) and the conversions computed once. The valid fixture: born 1979-05-12,
// admitted 2024-03-04 09:15:00 (16 368 days, 44 full years), discharged 2024-03-09, settled
// 2024-03-04 – 2024-03-09.
import { describe, expect, it } from "vitest";
import { parseSettlementMessage, type QcRule, type SettlementList } from "../src/index.js";
import {
  ageText,
  allFields,
  bad,
  eachValue,
  effectiveCode,
  fieldRef,
  infoValue,
  inRanges,
  numParam,
  optNumParam,
  param,
  pathOf,
  rangesParam,
  rowsOf,
  setlinfoRef,
  show,
  skipped,
  strArrayParam,
  strParam,
} from "../src/qc/params.js";
import {
  type CompiledRule,
  computeFacts,
  diagnosisConversions,
  emit,
  procedureConversions,
  QcConfigError,
  type Run,
} from "../src/qc/run.js";
import { compileTemplate } from "../src/template.js";
import { type Msg, newbornMessage, validMessage } from "./helpers.js";
import { smallCodes } from "./qc-only.js";

const R = (params?: Record<string, unknown>): QcRule =>
  ({ id: "R-1", check: "length", category: "format", severity: "error", message: "", params }) as QcRule;

function listOf(m: Msg): SettlementList {
  const l = parseSettlementMessage(m).list;
  if (l === undefined) throw new Error("no list");
  return l;
}

function runOf(list: SettlementList, skip?: Set<string>): Run {
  return {
    grouping: () => null,
    list,
    codes: smallCodes(),
    todayIso: "2024-03-12T10:30:15",
    todayDay: 0,
    skip,
    findings: [],
    setlId: "S-1",
    facts: computeFacts(list),
    dx: null,
    px: null,
  };
}

describe("reading parameters", () => {
  it("param: own keys only", () => {
    expect(param(R({ a: 1 }), "a")).toBe(1);
    expect(param(R({ a: 1 }), "b")).toBeUndefined();
    expect(param(R(), "a")).toBeUndefined();
    expect(param(R({}), "toString")).toBeUndefined();
  });

  it("bad: a QcConfigError naming the rule, the key and what was expected", () => {
    expect(() => bad(R(), "k", "数值")).toThrow(new QcConfigError("质控规则 R-1 的参数 k 应为数值"));
    try {
      bad(R(), "k", "数值");
    } catch (e) {
      expect(e).toBeInstanceOf(QcConfigError);
      expect((e as Error).name).toBe("QcConfigError");
    }
  });

  it("numParam and optNumParam: a finite number, else the fallback when absent", () => {
    expect(numParam(R({ n: 3 }), "n")).toBe(3);
    expect(numParam(R({ n: 3 }), "n", 7)).toBe(3);
    expect(numParam(R(), "n", 7)).toBe(7);
    expect(numParam(R(), "n", 0)).toBe(0);
    for (const v of [undefined, "3", Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expect(() => numParam(R({ n: v }), "n"), String(v)).toThrow(
        new QcConfigError("质控规则 R-1 的参数 n 应为数值"),
      );
    }
    expect(() => numParam(R({ n: "3" }), "n", 7)).toThrow(/应为数值/);
    expect(optNumParam(R(), "n")).toBeUndefined();
    expect(optNumParam(R({ n: 0 }), "n")).toBe(0);
    expect(() => optNumParam(R({ n: "0" }), "n")).toThrow(/应为数值/);
  });

  it("strParam and strArrayParam: text, else the fallback when absent", () => {
    expect(strParam(R({ s: "x" }), "s")).toBe("x");
    expect(strParam(R({ s: "" }), "s", "y")).toBe("");
    expect(strParam(R(), "s", "y")).toBe("y");
    expect(strParam(R(), "s", "")).toBe("");
    expect(() => strParam(R(), "s")).toThrow(new QcConfigError("质控规则 R-1 的参数 s 应为字符串"));
    expect(() => strParam(R({ s: 1 }), "s", "y")).toThrow(/应为字符串/);
    expect(strArrayParam(R({ a: ["x", "y"] }), "a")).toEqual(["x", "y"]);
    expect(strArrayParam(R({ a: [] }), "a", ["z"])).toEqual([]);
    expect(strArrayParam(R(), "a", ["z"])).toEqual(["z"]);
    expect(() => strArrayParam(R(), "a")).toThrow(new QcConfigError("质控规则 R-1 的参数 a 应为字符串数组"));
    expect(() => strArrayParam(R({ a: "x" }), "a")).toThrow(/应为字符串数组/);
    expect(() => strArrayParam(R({ a: ["x", 1] }), "a")).toThrow(/应为字符串数组/);
    expect(() => strArrayParam(R({ a: [1, "x"] }), "a", ["z"])).toThrow(/应为字符串数组/);
  });
});

describe("field references", () => {
  it("resolves a setlinfo field and a row field", () => {
    const s = fieldRef(R(), "setlinfo.psn_name");
    expect([s.section, s.sectionKey, s.spec.key, s.spec.label, s.path]).toEqual([
      "setlinfo",
      "info",
      "psnName",
      "人员姓名",
      "setlinfo.psn_name",
    ]);
    const d = fieldRef(R(), "diseinfo.diag_code");
    expect([d.section, d.sectionKey, d.spec.key, d.path]).toEqual([
      "diseinfo",
      "diagnoses",
      "diagCode",
      "diseinfo.diag_code",
    ]);
    const i = fieldRef(R(), "icuinfo.scs_cutd_sum_dura");
    expect([i.section, i.sectionKey, i.spec.key]).toEqual(["icuinfo", "icuStays", "scsCutdSumDura"]);
  });

  it("refuses an unknown section, an unknown field, a field of another section and a path without section", () => {
    for (const p of [
      "setlinfo.nope",
      "setlinfo.diag_code",
      "diseinfo.psn_name",
      "diseinfo.nope",
      "nope.psn_name",
      "psn_name",
      "",
    ]) {
      expect(() => fieldRef(R(), p), p).toThrow(new QcConfigError(`质控规则 R-1 引用了未知字段 ${p}`));
    }
  });

  it("setlinfoRef: setlinfo only", () => {
    expect(setlinfoRef(R(), "setlinfo.gend").spec.key).toBe("gend");
    expect(() => setlinfoRef(R(), "diseinfo.diag_code")).toThrow(
      new QcConfigError("质控规则 R-1 只能引用 setlinfo 字段，实际 diseinfo.diag_code"),
    );
  });

  it("infoValue and rowsOf read the list, null and no rows when absent", () => {
    const m = validMessage();
    delete m.input.setlinfo.poscode;
    const list = listOf(m);
    expect(infoValue(list, fieldRef(R(), "setlinfo.psn_name"))).toBe("王建国");
    expect(infoValue(list, fieldRef(R(), "setlinfo.poscode"))).toBeNull();
    expect(
      infoValue({ ...list, info: {} } as unknown as SettlementList, fieldRef(R(), "setlinfo.poscode")),
    ).toBeNull();
    expect(rowsOf(list, "diagnoses").map((r) => r.diagCode)).toEqual(["K35.800x001", "I10.x05"]);
    expect(rowsOf(list, "nothing")).toEqual([]);
  });

  it("pathOf, allFields and eachValue", () => {
    const gend = fieldRef(R(), "setlinfo.gend").spec;
    expect(pathOf(gend, null, 3)).toBe("setlinfo.gend");
    expect(pathOf(fieldRef(R(), "diseinfo.diag_type").spec, "diseinfo", 3)).toBe("diseinfo[3].diag_type");
    const sel = allFields((f) => f.wire === "gend" || f.wire === "diag_type" || f.wire === "maindiag_flag");
    expect(sel.setl.map((x) => x.path)).toEqual(["setlinfo.gend"]);
    expect(sel.rows.map((s) => [s.wire, s.key, s.fields.map((f) => f.wire)])).toEqual([
      ["diseinfo", "diagnoses", ["diag_type", "maindiag_flag"]],
    ]);
    const m = validMessage();
    delete m.input.diseinfo[1].diag_type;
    const list = listOf(m);
    const seen: string[] = [];
    eachValue(sel, runOf(list), (spec, v, section, position) =>
      seen.push(`${pathOf(spec, section, position)}=${v}`),
    );
    expect(seen).toEqual([
      "setlinfo.gend=1",
      "diseinfo[0].diag_type=1",
      "diseinfo[0].maindiag_flag=1",
      "diseinfo[1].maindiag_flag=0",
    ]);
    // A list built by hand may lack a key altogether: left out like null.
    const bare = { ...list, info: {}, diagnoses: [{ position: 0 }] } as unknown as SettlementList;
    const none: string[] = [];
    eachValue(sel, { ...runOf(list), list: bare }, (spec) => none.push(spec.wire));
    expect(none).toEqual([]);
  });

  it("skipped: the paths the parser reported", () => {
    const list = listOf(validMessage());
    expect(skipped(runOf(list), "setlinfo.gend")).toBe(false);
    expect(skipped(runOf(list, new Set(["setlinfo.gend"])), "setlinfo.gend")).toBe(true);
    expect(skipped(runOf(list, new Set(["setlinfo.age"])), "setlinfo.gend")).toBe(false);
  });
});

describe("category ranges", () => {
  it("reads ranges and single categories; refuses other shapes and reversed ends", () => {
    expect(rangesParam(R({ r: ["O00-O9A", "D29", "Z37-Z37"] }), "r")).toEqual([
      { from: "O00", to: "O9A", text: "O00-O9A" },
      { from: "D29", to: "D29", text: "D29" },
      { from: "Z37", to: "Z37", text: "Z37-Z37" },
    ]);
    for (const t of ["o00", "O0", "O000", "00A", "OO0", "O00-O0", "O00-O9AA", "XO00", "O9A-O00", "O00-"]) {
      expect(() => rangesParam(R({ r: [t] }), "r"), t).toThrow(
        new QcConfigError("质控规则 R-1 的参数 r 应为类目范围（如 O00-O9A）"),
      );
    }
  });

  it("inRanges compares the 3-character category with both ends", () => {
    const ranges = rangesParam(R({ r: ["N40-N51", "D29"] }), "r");
    expect(inRanges("N40.x00", ranges)?.text).toBe("N40-N51");
    expect(inRanges("N51.800", ranges)?.text).toBe("N40-N51");
    expect(inRanges("N39.000", ranges)).toBeUndefined();
    expect(inRanges("N52.000", ranges)).toBeUndefined();
    expect(inRanges("D29.100", ranges)?.text).toBe("D29");
    expect(inRanges("D28.900", ranges)).toBeUndefined();
    expect(inRanges("D30.000", ranges)).toBeUndefined();
  });
});

describe("codes and values shown", () => {
  it("effectiveCode: the insurance code, the original when unmapped or without conversion", () => {
    expect(effectiveCode(null, "X")).toBe("X");
    expect(effectiveCode(null, null)).toBeNull();
    expect(effectiveCode({ outcome: "unchanged", code: "A" }, "A")).toBe("A");
    expect(effectiveCode({ outcome: "mapped", from: "B", code: "A" }, "B")).toBe("A");
    expect(effectiveCode({ outcome: "unmapped", from: "B" }, "B")).toBe("B");
  });

  it("show: an ISO date-time in the wire form, anything else as a value", () => {
    expect(show("2024-03-04T09:15:00")).toBe("2024-03-04 09:15:00");
    expect(show("2024-03-04 09:15:00")).toBe("2024-03-04 09:15:00");
    expect(show("2024-03-04X09:15:00")).toBe("2024-03-04X09:15:00");
    expect(show("2024-03-04T09:15:000")).toBe("2024-03-04T09:15:000");
    expect(show("2024-03-04")).toBe("2024-03-04");
    expect(show("x".repeat(61))).toBe(`${"x".repeat(60)}…`);
  });

  it("ageText: completed years from one year on, else days", () => {
    expect(ageText(0, null)).toBe("0 天");
    expect(ageText(364, null)).toBe("364 天");
    expect(ageText(365, null)).toBe("365 天"); // 365 / 365.25 < 1
    expect(ageText(366, null)).toBe("1 岁");
    expect(ageText(16368, null)).toBe("44 岁");
    expect(ageText(731, null)).toBe("2 岁");
    expect(ageText(365, 1)).toBe("1 岁"); // 2022-03-04 → 2023-03-04
    expect(ageText(365, 0)).toBe("365 天"); // 2023-03-05 → 2024-03-04
    expect(ageText(730, 2)).toBe("2 岁");
  });
});

describe("the facts of a list (run.ts)", () => {
  it("days of the dates, the age by the dates and the principal diagnosis", () => {
    const list = listOf(validMessage());
    const f = computeFacts(list);
    expect(f.admDay as number).toBe((f.brdyDay as number) + 16368);
    expect(f.dscgDay as number).toBe((f.admDay as number) + 5);
    expect(f.setlEndDay).toBe(f.dscgDay);
    expect([f.computedAgeDays, f.computedAgeYears, f.ageDays]).toEqual([16368, 44, 16368]);
    expect(f.principal).toBe(list.diagnoses[0]);
  });

  it("a birth on the day of admission is 0 days and 0 years; a day later has no age in years", () => {
    const same = validMessage();
    same.input.setlinfo.brdy = "2024-03-04";
    expect([computeFacts(listOf(same)).computedAgeDays, computeFacts(listOf(same)).computedAgeYears]).toEqual(
      [0, 0],
    );
    const later = validMessage();
    later.input.setlinfo.brdy = "2024-03-05";
    const f = computeFacts(listOf(later));
    expect([f.computedAgeDays, f.computedAgeYears, f.ageDays]).toEqual([-1, null, -1]);
  });

  it("without a date: the days of age from 年龄不足1周岁的年龄(天), else ⌊年龄 × 365.25⌋", () => {
    const nb = newbornMessage();
    delete nb.input.setlinfo.brdy;
    const f = computeFacts(listOf(nb));
    expect([f.brdyDay, f.computedAgeDays, f.computedAgeYears, f.ageDays]).toEqual([null, null, null, 13]);
    const adult = validMessage();
    delete adult.input.setlinfo.adm_time;
    adult.input.setlinfo.age = 44.5; // 44.5 × 365.25 = 16 253.625
    const a = computeFacts(listOf(adult));
    expect([a.admDay, a.computedAgeDays, a.computedAgeYears, a.ageDays]).toEqual([null, null, null, 16253]);
    delete adult.input.setlinfo.age;
    expect(computeFacts(listOf(adult)).ageDays).toBeNull();
    const both = newbornMessage();
    delete both.input.setlinfo.brdy;
    both.input.setlinfo.age = 2;
    expect(computeFacts(listOf(both)).ageDays).toBe(13);
  });

  it("no days without the dates", () => {
    const m = validMessage();
    for (const k of ["brdy", "adm_time", "dscg_time", "setl_end_date"]) delete m.input.setlinfo[k];
    const f = computeFacts(listOf(m));
    expect([f.brdyDay, f.admDay, f.dscgDay, f.setlEndDay, f.computedAgeDays, f.ageDays]).toEqual([
      null,
      null,
      null,
      null,
      null,
      44 * 365 + 11, // ⌊44 × 365.25⌋ = 16 071
    ]);
  });

  it("the principal is the first western diagnosis flagged 1", () => {
    const m = validMessage();
    m.input.diseinfo = [
      { ...m.input.diseinfo[0], diag_type: "2", diag_code: "A" },
      { ...m.input.diseinfo[0], diag_code: "B", maindiag_flag: "0" },
      { ...m.input.diseinfo[0], diag_code: "C" },
      { ...m.input.diseinfo[0], diag_code: "D" },
    ];
    expect(computeFacts(listOf(m)).principal?.diagCode).toBe("C");
    m.input.diseinfo = [{ ...m.input.diseinfo[1] }];
    expect(computeFacts(listOf(m)).principal).toBeUndefined();
  });
});

describe("conversions and findings (run.ts)", () => {
  it("converts each code once; a row without code has no conversion", () => {
    const m = validMessage();
    delete m.input.diseinfo[1].diag_code;
    m.input.diseinfo.push({ ...m.input.diseinfo[0], diag_code: "A04-old", maindiag_flag: "0" });
    m.input.oprninfo.push({ ...m.input.oprninfo[0], oprn_oprt_type: "2", oprn_oprt_code: "P01-old" });
    m.input.oprninfo.push({ ...m.input.oprninfo[0], oprn_oprt_type: "2" });
    delete m.input.oprninfo[2].oprn_oprt_code;
    const run = runOf(listOf(m));
    const dx = diagnosisConversions(run);
    expect(dx).toEqual([
      { outcome: "unchanged", code: "K35.800x001" },
      null,
      { outcome: "mapped", from: "A04-old", code: "I10.x05" },
    ]);
    expect(diagnosisConversions(run)).toBe(dx);
    const px = procedureConversions(run);
    expect(px).toEqual([
      { outcome: "unchanged", code: "47.0100" },
      { outcome: "mapped", from: "P01-old", code: "86.0100" },
      null,
    ]);
    expect(procedureConversions(run)).toBe(px);
  });

  it("emit: the rule's id and severity, the field, the message and the list's setl_id", () => {
    const run = runOf(listOf(validMessage()));
    const rule: CompiledRule = {
      rule: R(),
      id: "R-1",
      severity: "warning",
      template: compileTemplate("{field}：{v}"),
    };
    emit(run, rule, "setlinfo.gend", { v: 1 });
    expect(run.findings).toEqual([
      {
        ruleId: "R-1",
        severity: "warning",
        field: "setlinfo.gend",
        message: "setlinfo.gend：1",
        setlId: "S-1",
      },
    ]);
  });
});
