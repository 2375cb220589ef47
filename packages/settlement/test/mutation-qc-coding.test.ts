// Tests of the coding checks (packages/settlement/src/qc/kinds/coding.ts) against their mutants
// (issue 16, docs/mutation.md), compiled inside each test (qc-only.ts) with small dictionaries whose
// names are written by hand. The valid fixture: born 1979-05-12, admitted 2024-03-04 (16 368 days,
// 44 full years), male; diagnoses K35.800x001 (principal) and I10.x05; one procedure 47.0100 (type 1).
// The newborn fixture: born 2024-02-20, admitted 2024-03-04 at 13 days.
import { CodeDictionary, CodeVersionMap } from "@yibao/codes";
import { describe, expect, it } from "vitest";
import {
  compileQcRules,
  DEFAULT_CODE_TABLES,
  type GroupingOutcome,
  QcConfigError,
  type QcRule,
} from "../src/index.js";
import { type Msg, newbornMessage, validMessage } from "./helpers.js";
import { hits, rule, ruleSet, smallCodes } from "./qc-only.js";

const codes = smallCodes();

function compile(r: QcRule): () => unknown {
  return () => compileQcRules(ruleSet(r), DEFAULT_CODE_TABLES, "bureau");
}

function dx(
  code: string | null,
  name: string | null,
  type: string | null = "1",
  main = "0",
): Record<string, unknown> {
  const d: Record<string, unknown> = { adm_cond_type: "1", maindiag_flag: main };
  if (type !== null) d.diag_type = type;
  if (code !== null) d.diag_code = code;
  if (name !== null) d.diag_name = name;
  return d;
}

function withDiagnoses(ds: Record<string, unknown>[], base: () => Msg = validMessage): Msg {
  const m = base();
  m.input.diseinfo = ds;
  m.input.setlinfo.diag_code_cnt = ds.length;
  return m;
}

function withProcedures(types: (string | null)[], codes: string[] = []): Msg {
  const m = validMessage();
  const base = m.input.oprninfo[0];
  m.input.oprninfo = types.map((t, i) => {
    const p: Record<string, unknown> = { ...base, oprn_oprt_code: codes[i] ?? base.oprn_oprt_code };
    if (t === null) delete p.oprn_oprt_type;
    else p.oprn_oprt_type = t;
    return p;
  });
  m.input.setlinfo.oprn_oprt_code_cnt = types.length;
  return m;
}

describe("code version mapping (QC-CODE-001…004)", () => {
  const mapped = rule("diagnosisMapped", undefined, ["value", "mapped", "name"]);
  const unmapped = rule("diagnosisUnmapped", undefined, ["value"]);

  it("names a mapped diagnosis with its insurance code and name, an unmapped one by itself", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("A04-old", "高血压"),
      dx("Q99-old", "某病"),
    ]);
    expect(hits(m, [mapped, unmapped], { codes })).toEqual([
      "diseinfo[1].diag_code A04-old|I10.x05|高血压3级",
      "diseinfo[2].diag_code Q99-old",
    ]);
  });

  it("looks only at the diagnosis types given (default 西医诊断)", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("A04-old", "高血压", "2"),
      dx("Q99-old", "某病", null),
    ]);
    expect(hits(m, [mapped, unmapped], { codes })).toEqual([]);
    const all = [
      rule("diagnosisMapped", { diagTypes: ["2"] }, ["value"]),
      rule("diagnosisUnmapped", { diagTypes: [""] }, ["value"]),
    ];
    expect(hits(m, all, { codes })).toEqual([
      "diseinfo[1].diag_code A04-old",
      "diseinfo[2].diag_code Q99-old",
    ]);
  });

  it("names a mapped or unmapped procedure; the procedure kinds take no parameter", () => {
    const m = withProcedures(["1", "2", "2"], ["47.0100", "P01-old", "P99-old"]);
    const px = [
      rule("procedureMapped", undefined, ["value", "mapped", "name"]),
      rule("procedureUnmapped", undefined, ["value"]),
    ];
    expect(hits(m, px, { codes })).toEqual([
      "oprninfo[1].oprn_oprt_code P01-old|86.0100|皮肤抽吸术",
      "oprninfo[2].oprn_oprt_code P99-old",
    ]);
    expect(compile(rule("procedureMapped", { diagTypes: ["1"] }))).toThrow(/参数 diagTypes 未知/);
    expect(compile(rule("diagnosisMapped", { diagTypes: ["1"] }))).not.toThrow();
  });
});

describe("principalDiagnosisCount (QC-DX-001)", () => {
  const r = rule("principalDiagnosisCount", undefined, ["count"]);

  it("wants exactly one western principal: none is reported on diseinfo, several on the second", () => {
    expect(hits(validMessage(), r, { codes })).toEqual([]);
    const none = withDiagnoses([dx("K35.800x001", "急性阑尾炎"), dx("I10.x05", "高血压3级", "2", "1")]);
    expect(hits(none, r, { codes })).toEqual(["diseinfo 0"]);
    const three = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("I10.x05", "高血压3级"),
      dx("S72.000", "股骨颈骨折", "1", "1"),
      dx("W01.x00", "滑倒", "1", "1"),
    ]);
    expect(hits(three, r, { codes })).toEqual(["diseinfo[2].maindiag_flag 3"]);
  });

  it("counts the types given; a list without diagnoses is left to the required rules", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "2", "1"),
      dx("I10.x05", "高血压3级", null, "1"),
    ]);
    expect(hits(m, rule("principalDiagnosisCount", { diagTypes: ["2"] }, ["count"]), { codes })).toEqual([]);
    expect(hits(m, rule("principalDiagnosisCount", { diagTypes: [""] }, ["count"]), { codes })).toEqual([]);
    expect(hits(m, rule("principalDiagnosisCount", { diagTypes: ["2", ""] }, ["count"]), { codes })).toEqual([
      "diseinfo[1].maindiag_flag 2",
    ]);
    expect(hits(withDiagnoses([]), r, { codes })).toEqual([]);
  });
});

describe("asteriskPrincipal (QC-DX-002)", () => {
  const r = rule("asteriskPrincipal", undefined, ["value"]);
  it("refuses an asterisk code alone as principal, not a dagger–asterisk pair", () => {
    const m = withDiagnoses([dx("I10.x05", "高血压3级"), dx("H13.3*", "眼类天疱疮", "1", "1")]);
    expect(hits(m, r, { codes })).toEqual(["diseinfo[1].diag_code H13.3*"]);
    const pair = withDiagnoses([dx("L12.100+H13.3*", "眼类天疱疮", "1", "1")]);
    expect(hits(pair, r, { codes })).toEqual([]);
    expect(hits(validMessage(), r, { codes })).toEqual([]);
  });
  it("looks at the first principal only, and passes a list without principal", () => {
    const first = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("H13.3*", "眼类天疱疮", "1", "1"),
    ]);
    expect(hits(first, r, { codes })).toEqual([]);
    const second = withDiagnoses([
      dx("H13.3*", "眼类天疱疮", "1", "1"),
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
    ]);
    expect(hits(second, r, { codes })).toEqual(["diseinfo[0].diag_code H13.3*"]);
    expect(hits(withDiagnoses([dx("H13.3*", "眼类天疱疮")]), r, { codes })).toEqual([]);
    expect(hits(withDiagnoses([dx(null, "眼类天疱疮", "1", "1")]), r, { codes })).toEqual([]);
  });
});

describe("sexSpecificDiagnosis (QC-DX-004/005)", () => {
  const vars = ["value", "name", "kind", "range", "sexName"];

  it("refuses a diagnosis of the other sex, by its insurance code, naming kind, range and sex", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("O80.000", "顺产"),
      dx("N40.x00", null),
    ]);
    const r = rule(
      "sexSpecificDiagnosis",
      { sex: "1", kind: "女性专用", ranges: ["O00-O9A", "N70-N98"] },
      vars,
    );
    expect(hits(m, r, { codes })).toEqual(["diseinfo[1].diag_code O80.000|顺产|女性专用|O00-O9A|男"]);
    const old = withDiagnoses([dx("K35.800x001", "急性阑尾炎", "1", "1"), dx("A02-old", "活产")]);
    const z = rule("sexSpecificDiagnosis", { sex: "1", ranges: ["Z37"] }, vars);
    expect(hits(old, z, { codes })).toEqual(["diseinfo[1].diag_code A02-old|活产|性别专用|Z37|男"]);
  });

  it("does not apply to the other sex, to other diagnosis types or to a diagnosis without code", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("O80.000", "顺产", "2"),
      dx(null, "顺产"),
    ]);
    const r = rule("sexSpecificDiagnosis", { sex: "1", ranges: ["O00-O9A"] }, vars);
    expect(hits(m, r, { codes })).toEqual([]);
    const tcm = rule("sexSpecificDiagnosis", { sex: "1", ranges: ["O00-O9A"], diagTypes: ["2"] }, vars);
    expect(hits(m, tcm, { codes })).toEqual(["diseinfo[1].diag_code O80.000|顺产|性别专用|O00-O9A|男"]);
    const women = rule("sexSpecificDiagnosis", { sex: "2", ranges: ["K35"] }, vars);
    expect(hits(m, women, { codes })).toEqual([]);
  });

  it("shows a sex code outside the code table as it is; needs the sex", () => {
    const m = validMessage();
    m.input.setlinfo.gend = "X";
    const r = rule("sexSpecificDiagnosis", { sex: "X", ranges: ["K35"] }, vars);
    expect(hits(m, r, { codes })).toEqual(["diseinfo[0].diag_code K35.800x001|急性阑尾炎|性别专用|K35|X"]);
    expect(compile(rule("sexSpecificDiagnosis", { ranges: ["K35"] }))).toThrow(
      new QcConfigError("质控规则 T-sexSpecificDiagnosis 的参数 sex 应为字符串"),
    );
  });
});

describe("ageSpecificDiagnosis (QC-DX-006)", () => {
  const vars = ["value", "name", "kind", "range", "age", "limit"];
  const r = (params: Record<string, unknown>) =>
    rule("ageSpecificDiagnosis", { ranges: ["P00-P96"], ...params }, vars);
  const newborn = () =>
    withDiagnoses([dx("P07.300", "早产儿", "1", "1"), dx("I10.x05", "高血压3级")], newbornMessage);

  it("passes at either limit, refuses one day outside, naming age and limits", () => {
    expect(hits(newborn(), r({ minAgeDays: 13 }), { codes })).toEqual([]);
    expect(hits(newborn(), r({ minAgeDays: 14 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|13 天|14–",
    ]);
    expect(hits(newborn(), r({ maxAgeDays: 13 }), { codes })).toEqual([]);
    expect(hits(newborn(), r({ maxAgeDays: 12, kind: "新生儿" }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|新生儿|P00-P96|13 天|0–12 天",
    ]);
    expect(hits(newborn(), r({ minAgeDays: 1, maxAgeDays: 12 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|13 天|1–12 天",
    ]);
    expect(hits(newborn(), r({ minAgeDays: 13, maxAgeDays: 13 }), { codes })).toEqual([]);
  });

  it("gives an age of a year or more in full years (days / 365.25)", () => {
    const m = withDiagnoses([dx("P07.300", "早产儿", "1", "1")]);
    expect(hits(m, r({ maxAgeDays: 365 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|44 岁|0–365 天",
    ]);
    const year = withDiagnoses([dx("P07.300", "早产儿", "1", "1")]);
    year.input.setlinfo.brdy = "2023-03-04"; // 366 days (2024-02-29 between)
    year.input.setlinfo.age = 1;
    expect(hits(year, r({ maxAgeDays: 364 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|1 岁|0–364 天",
    ]);
    year.input.setlinfo.brdy = "2023-03-05"; // 365 days (2024-02-29 between): not yet a year
    year.input.setlinfo.age = 0;
    expect(hits(year, r({ maxAgeDays: 364 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|365 天|0–364 天",
    ]);
    const one = withDiagnoses([dx("P07.300", "早产儿", "1", "1")]);
    one.input.setlinfo.adm_time = "2023-03-04 09:15:00";
    one.input.setlinfo.brdy = "2022-03-04"; // 365 days: exactly one year
    one.input.setlinfo.age = 1;
    expect(hits(one, r({ maxAgeDays: 364 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|1 岁|0–364 天",
    ]);
    year.input.setlinfo.brdy = "2023-03-06"; // 364 days
    expect(hits(year, r({ minAgeDays: 365 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|364 天|365–",
    ]);
  });

  it("without the birth date takes 年龄不足1周岁的年龄(天), else 年龄 × 365.25; without either, nothing", () => {
    const m = withDiagnoses([dx("P07.300", "早产儿", "1", "1")], newbornMessage);
    delete m.input.setlinfo.brdy;
    m.input.setlinfo.nwb_age = 20;
    expect(hits(m, r({ maxAgeDays: 19 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|20 天|0–19 天",
    ]);
    expect(hits(m, r({ maxAgeDays: 20 }), { codes })).toEqual([]);
    delete m.input.setlinfo.nwb_age;
    m.input.setlinfo.age = 2; // ⌊2 × 365.25⌋ = 730 days
    expect(hits(m, r({ maxAgeDays: 730 }), { codes })).toEqual([]);
    expect(hits(m, r({ maxAgeDays: 729 }), { codes })).toEqual([
      "diseinfo[0].diag_code P07.300|早产儿|年龄专用|P00-P96|2 岁|0–729 天",
    ]);
    delete m.input.setlinfo.age;
    expect(hits(m, r({ maxAgeDays: 0 }), { codes })).toEqual([]);
  });

  it("needs a limit", () => {
    expect(compile(r({}))).toThrow(
      new QcConfigError(
        "质控规则 T-ageSpecificDiagnosis 的参数 minAgeDays/maxAgeDays 应为至少给出一个的天数",
      ),
    );
    expect(compile(r({ minAgeDays: 0 }))).not.toThrow();
    expect(compile(r({ maxAgeDays: 0 }))).not.toThrow();
  });
});

describe("principalProcedureMismatch (QC-DX-010)", () => {
  const vars = ["value", "procedureName", "diagnosis", "diagnosisName", "drg", "drgName"];
  const r = rule("principalProcedureMismatch", undefined, vars);
  const ambiguous = (): GroupingOutcome => ({ status: "AMBIGUOUS", drg: "QY", drgName: "歧义组" });

  it("reports on the principal procedure when the grouper finds an ambiguous group", () => {
    const m = withProcedures(["2", "1"], ["86.0100", "47.0100"]);
    expect(hits(m, r, { codes, groupList: ambiguous })).toEqual([
      "oprninfo[1].oprn_oprt_code 47.0100|腹腔镜下阑尾切除术|K35.800x001|急性阑尾炎|QY|歧义组",
    ]);
    const type3 = rule("principalProcedureMismatch", { principalType: "3" }, ["value"]);
    expect(
      hits(withProcedures(["1", "3"], ["86.0100", "47.0100"]), type3, { codes, groupList: ambiguous }),
    ).toEqual(["oprninfo[1].oprn_oprt_code 47.0100"]);
  });

  it("takes the first procedure when none is principal", () => {
    const m = withProcedures(["2", "2"], ["86.0100", "47.0100"]);
    delete m.input.diseinfo[0].diag_name;
    expect(hits(m, r, { codes, groupList: ambiguous })).toEqual([
      "oprninfo[0].oprn_oprt_code 86.0100|腹腔镜下阑尾切除术|K35.800x001||QY|歧义组",
    ]);
  });

  it("is silent without procedures, without a grouper or for any other outcome", () => {
    let calls = 0;
    const counted = () => {
      calls++;
      return ambiguous();
    };
    expect(hits(withProcedures([]), r, { codes, groupList: counted })).toEqual([]);
    expect(calls).toBe(0);
    expect(hits(validMessage(), r, { codes })).toEqual([]);
    expect(hits(validMessage(), r, { codes, groupList: () => null })).toEqual([]);
    const grouped = (): GroupingOutcome => ({ status: "GROUPED", drg: "GB29", drgName: "阑尾切除术" });
    expect(hits(validMessage(), r, { codes, groupList: grouped })).toEqual([]);
  });
});

describe("principalProcedure (QC-OPR-001)", () => {
  const r = rule("principalProcedure", undefined, ["principalType", "detail"]);
  it("wants exactly one principal procedure, first", () => {
    expect(hits(validMessage(), r, { codes })).toEqual([]);
    expect(hits(withProcedures(["2", "2"]), r, { codes })).toEqual(["oprninfo 1|没有主要手术操作"]);
    expect(hits(withProcedures(["1", "2", "1", "1"]), r, { codes })).toEqual([
      "oprninfo[2].oprn_oprt_type 1|共有 3 条主要手术操作",
    ]);
    expect(hits(withProcedures(["2", "1"]), r, { codes })).toEqual([
      "oprninfo[1].oprn_oprt_type 1|主要手术操作排在第 2 条",
    ]);
    expect(hits(withProcedures([]), r, { codes })).toEqual([]);
  });
  it("takes the principal type from the rule", () => {
    const t = rule("principalProcedure", { principalType: "9" }, ["principalType", "detail"]);
    expect(hits(withProcedures(["9", "1"]), t, { codes })).toEqual([]);
    expect(hits(withProcedures(["1", "9"]), t, { codes })).toEqual([
      "oprninfo[1].oprn_oprt_type 9|主要手术操作排在第 2 条",
    ]);
  });
});

describe("declared counts (QC-CNT-001/002)", () => {
  const d = rule("diagnosisCount", undefined, ["value", "count"]);
  const p = rule("procedureCount", undefined, ["value", "count"]);
  it("compares the declared count with the rows, one off either way", () => {
    const m = validMessage();
    expect(hits(m, [d, p], { codes })).toEqual([]);
    m.input.setlinfo.diag_code_cnt = 3;
    m.input.setlinfo.oprn_oprt_code_cnt = 0;
    expect(hits(m, [d, p], { codes })).toEqual([
      "setlinfo.diag_code_cnt 3|2",
      "setlinfo.oprn_oprt_code_cnt 0|1",
    ]);
    m.input.setlinfo.diag_code_cnt = 1;
    m.input.setlinfo.oprn_oprt_code_cnt = 2;
    expect(hits(m, [d, p], { codes })).toEqual([
      "setlinfo.diag_code_cnt 1|2",
      "setlinfo.oprn_oprt_code_cnt 2|1",
    ]);
  });
  it("is silent when no count is declared", () => {
    const m = validMessage();
    delete m.input.setlinfo.diag_code_cnt;
    delete m.input.setlinfo.oprn_oprt_code_cnt;
    expect(hits(m, [d, p], { codes })).toEqual([]);
  });
});

describe("rows with a value missing, and unusual editions", () => {
  it("the conversion kinds pass rows without code; a long code is shown shortened", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx(null, "某病"),
      dx(`Q${"9".repeat(69)}`, "某病"),
    ]);
    m.input.oprninfo.push({ ...m.input.oprninfo[0], oprn_oprt_type: "2" });
    delete m.input.oprninfo[1].oprn_oprt_code;
    m.input.setlinfo.oprn_oprt_code_cnt = 2;
    const rules = [
      rule("diagnosisMapped", undefined, ["value"]),
      rule("diagnosisUnmapped", undefined, ["value"]),
      rule("procedureMapped", undefined, ["value"]),
      rule("procedureUnmapped", undefined, ["value"]),
    ];
    expect(hits(m, rules, { codes })).toEqual([`diseinfo[2].diag_code Q${"9".repeat(59)}…`]);
  });

  it("a mapped code missing from the dictionary is named without a name", () => {
    const dict = new CodeDictionary("diagnosis", [["K35.800x001", "急性阑尾炎"]]);
    const odd = { ...codes, diagnosisMap: new CodeVersionMap(dict, new Map([["A04-old", "I10.x05"]])) };
    const m = withDiagnoses([dx("K35.800x001", "急性阑尾炎", "1", "1"), dx("A04-old", "高血压")]);
    expect(hits(m, rule("diagnosisMapped", undefined, ["value", "mapped", "name"]), { codes: odd })).toEqual([
      "diseinfo[1].diag_code A04-old|I10.x05|",
    ]);
  });

  it("sex- and age-specific diagnoses: no name, no type, and the sex without a code table", () => {
    const m = withDiagnoses([
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("O80.000", null, null),
      dx("P07.300", null),
    ]);
    const sex = rule("sexSpecificDiagnosis", { sex: "1", ranges: ["O00-O9A"], diagTypes: [""] }, [
      "value",
      "name",
    ]);
    expect(hits(m, sex, { codes })).toEqual(["diseinfo[1].diag_code O80.000|"]);
    const age = rule("ageSpecificDiagnosis", { ranges: ["P00-P96"], maxAgeDays: 28 }, ["value", "name"]);
    expect(hits(m, age, { codes })).toEqual(["diseinfo[2].diag_code P07.300|"]);
    const { gend: _gend, ...rest } = DEFAULT_CODE_TABLES.tables;
    const noGend = { ...DEFAULT_CODE_TABLES, tables: rest };
    const named = rule("sexSpecificDiagnosis", { sex: "1", ranges: ["K35"] }, ["sexName"]);
    expect(hits(validMessage(), named, { codes, codeTables: noGend })).toEqual(["diseinfo[0].diag_code 1"]);
  });

  it("ageSpecificDiagnosis looks at the types given, and not at a list without any age", () => {
    const m = withDiagnoses([dx("K35.800x001", "急性阑尾炎", "1", "1"), dx("P07.300", "早产儿", "2")]);
    const tcm = rule("ageSpecificDiagnosis", { ranges: ["P00-P96"], maxAgeDays: 28, diagTypes: ["2"] }, [
      "value",
    ]);
    expect(hits(m, tcm, { codes })).toEqual(["diseinfo[1].diag_code P07.300"]);
    const none = withDiagnoses([dx("P07.300", "早产儿", "1", "1")], newbornMessage);
    delete none.input.setlinfo.brdy;
    delete none.input.setlinfo.nwb_age;
    expect(
      hits(none, rule("ageSpecificDiagnosis", { ranges: ["P00-P96"], minAgeDays: 1 }), { codes }),
    ).toEqual([]);
  });

  it("ageSpecificDiagnosis without birth date or 年龄 shows 400 days of 年龄不足1周岁的年龄(天) as 1 岁", () => {
    const m = withDiagnoses([dx("P07.300", "早产儿", "1", "1")], newbornMessage);
    delete m.input.setlinfo.brdy;
    m.input.setlinfo.nwb_age = 400;
    expect(
      hits(m, rule("ageSpecificDiagnosis", { ranges: ["P00-P96"], maxAgeDays: 365 }, ["age"]), { codes }),
    ).toEqual(["diseinfo[0].diag_code 1 岁"]);
  });

  it("principalProcedureMismatch names a procedure without name, and a list without diagnoses", () => {
    const ambiguous = (): GroupingOutcome => ({ status: "AMBIGUOUS", drg: "QY", drgName: "歧义组" });
    const m = withDiagnoses([]);
    delete m.input.oprninfo[0].oprn_oprt_name;
    const r = rule("principalProcedureMismatch", undefined, ["procedureName", "diagnosis", "diagnosisName"]);
    expect(hits(m, r, { codes, groupList: ambiguous })).toEqual(["oprninfo[0].oprn_oprt_code |null|"]);
  });
});
