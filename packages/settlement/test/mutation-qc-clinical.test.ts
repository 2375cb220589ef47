// Tests of the clinical-logic checks (packages/settlement/src/qc/kinds/clinical.ts) against their
// mutants (issue 16, docs/mutation.md). Every check is compiled inside the test (qc-only.ts) and
// its message shows every variable. The valid fixture: admitted 2024-03-04 09:15:00, discharged
// 2024-03-09 10:00:00, a stay of 5 days 45 minutes = 5 × 1 440 + 45 = 7 245 minutes, 实际住院天数 5;
// nursing days 特级 0 + 一级 1 + 二级 4 + 三级 0 = 5; principal diagnosis K35.800x001 (急性阑尾炎),
// other diagnosis I10.x05; one procedure 47.0100 with anaesthesia method 1.
import { describe, expect, it } from "vitest";
import {
  compileQcRules,
  DEFAULT_CODE_TABLES,
  QcConfigError,
  type QcRule,
  refusedAsPrincipal,
} from "../src/index.js";
import { durationMinutes } from "../src/qc/kinds/clinical.js";
import { type Msg, validMessage } from "./helpers.js";
import { hits, JSON_TYPE, rule, ruleSet, smallCodes } from "./qc-only.js";

const codes = smallCodes();

function compile(r: QcRule): () => unknown {
  return () => compileQcRules(ruleSet(r), DEFAULT_CODE_TABLES, "bureau");
}

function dx(code: string | null, name: string | null, type = "1", main = "0"): Record<string, unknown> {
  const d: Record<string, unknown> = { diag_type: type, adm_cond_type: "1", maindiag_flag: main };
  if (code !== null) d.diag_code = code;
  if (name !== null) d.diag_name = name;
  return d;
}

/** The valid message with these diagnoses (the first is the principal unless said otherwise). */
function withDiagnoses(...ds: Record<string, unknown>[]): Msg {
  const m = validMessage();
  m.input.diseinfo = ds;
  m.input.setlinfo.diag_code_cnt = ds.length;
  return m;
}

describe("durationMinutes (天/小时/分钟)", () => {
  it("reads days, hours and minutes, trimmed", () => {
    expect(durationMinutes("1/13/24")).toBe(1 * 1440 + 13 * 60 + 24);
    expect(durationMinutes(" 1/13/24 ")).toBe(2244);
    expect(durationMinutes("0/0/0")).toBe(0);
    expect(durationMinutes("9999/23/59")).toBe(9999 * 1440 + 23 * 60 + 59);
    expect(durationMinutes("0/1/0")).toBe(60);
    expect(durationMinutes("0/0/1")).toBe(1);
    expect(durationMinutes("1/0/0")).toBe(1440);
  });

  it("refuses an hour above 23, a minute above 59 and every other shape", () => {
    expect(durationMinutes("0/23/0")).toBe(1380);
    expect(durationMinutes("0/24/0")).toBeNull();
    expect(durationMinutes("0/0/59")).toBe(59);
    expect(durationMinutes("0/0/60")).toBeNull();
    for (const t of [
      "10000/0/0",
      "0/100/0",
      "0/0/100",
      "/0/0",
      "0//0",
      "0/0/",
      "x1/0/0",
      "1/0/0x",
      "1/0",
      "a/b/c",
    ]) {
      expect(durationMinutes(t), t).toBeNull();
    }
  });
});

describe("durationWithinStay (QC-CLN-001/002)", () => {
  const icuRule = rule("durationWithinStay", { field: "icuinfo.scs_cutd_sum_dura" }, [
    "label",
    "value",
    "stay",
  ]);
  const ventRule = rule("durationWithinStay", { field: "setlinfo.vent_used_dura" }, [
    "label",
    "value",
    "stay",
  ]);
  const icu = (sum?: string) => ({
    scs_cutd_ward_type: "1",
    scs_cutd_inpool_time: "2024-03-04 10:00:00",
    scs_cutd_exit_time: "2024-03-05 10:00:00",
    ...(sum === undefined ? {} : { scs_cutd_sum_dura: sum }),
  });

  it("adds the ICU stays and names the total and the stay in days, hours and minutes", () => {
    const m = validMessage();
    m.input.icuinfo.push(icu("1/13/24"), icu("3/11/22"));
    // 2 244 + (3 × 1 440 + 11 × 60 + 22 = 5 002) = 7 246 minutes: one more than the stay.
    expect(hits(m, icuRule)).toEqual(["icuinfo 重症监护合计时长|5 天 0 小时 46 分钟|5 天 0 小时 45 分钟"]);
    m.input.icuinfo[1].scs_cutd_sum_dura = "3/11/21";
    expect(hits(m, icuRule)).toEqual([]);
  });

  it("leaves out an ICU stay without its total or with one that is not a duration", () => {
    const m = validMessage();
    m.input.icuinfo.push(icu(), icu("5/0/46"));
    expect(hits(m, icuRule)).toEqual(["icuinfo 重症监护合计时长|5 天 0 小时 46 分钟|5 天 0 小时 45 分钟"]);
    m.input.icuinfo[1].scs_cutd_sum_dura = "5/24/0";
    expect(hits(m, icuRule)).toEqual([]);
  });

  it("names a setlinfo duration by its label and path", () => {
    const m = validMessage();
    m.input.setlinfo.vent_used_dura = "5/0/46";
    expect(hits(m, ventRule)).toEqual([
      "setlinfo.vent_used_dura 呼吸机使用时长|5 天 0 小时 46 分钟|5 天 0 小时 45 分钟",
    ]);
    m.input.setlinfo.vent_used_dura = "5/0/45";
    expect(hits(m, ventRule)).toEqual([]);
  });

  it("rounds the stay to the minute: 1 minute 29 seconds is 1 minute, 1 minute 30 seconds is 2", () => {
    const m = validMessage();
    m.input.setlinfo.adm_time = "2024-03-09 09:58:31";
    m.input.setlinfo.vent_used_dura = "0/0/2";
    // 10:00:00 − 09:58:31 = 89 s → 1 minute: 2 minutes is more.
    expect(hits(m, ventRule)).toEqual([
      "setlinfo.vent_used_dura 呼吸机使用时长|0 天 0 小时 2 分钟|0 天 0 小时 1 分钟",
    ]);
    m.input.setlinfo.adm_time = "2024-03-09 09:58:30"; // 90 s → 2 minutes
    expect(hits(m, ventRule)).toEqual([]);
  });

  it("a stay of no time allows no time; a discharge before admission is left to the date rules", () => {
    const m = validMessage();
    m.input.setlinfo.adm_time = "2024-03-09 10:00:00";
    m.input.setlinfo.vent_used_dura = "0/0/0";
    expect(hits(m, ventRule)).toEqual([]);
    m.input.setlinfo.vent_used_dura = "0/0/1";
    expect(hits(m, ventRule)).toEqual([
      "setlinfo.vent_used_dura 呼吸机使用时长|0 天 0 小时 1 分钟|0 天 0 小时 0 分钟",
    ]);
    m.input.setlinfo.adm_time = "2024-03-09 10:00:01";
    m.input.setlinfo.vent_used_dura = "0/0/0";
    expect(hits(m, ventRule)).toEqual([]);
    m.input.setlinfo.adm_time = "2024-03-10 09:00:00"; // a day later, earlier in the day
    expect(hits(m, ventRule)).toEqual([]);
  });

  it("is not compared without both times or without a duration", () => {
    const noDscg = validMessage();
    delete noDscg.input.setlinfo.dscg_time;
    noDscg.input.setlinfo.vent_used_dura = "9/0/0";
    expect(hits(noDscg, ventRule)).toEqual([]);
    const noAdm = validMessage();
    delete noAdm.input.setlinfo.adm_time;
    noAdm.input.setlinfo.vent_used_dura = "9/0/0";
    expect(hits(noAdm, ventRule)).toEqual([]);
    expect(hits(validMessage(), ventRule)).toEqual([]);
  });

  it("takes only a setlinfo duration field (kind C) or the ICU total", () => {
    const r = (field: unknown) => rule("durationWithinStay", { field });
    expect(compile(r("setlinfo.pwcry_bfadm_coma_dura"))).not.toThrow();
    expect(compile(r("setlinfo.act_ipt_days"))).toThrow(
      new QcConfigError("质控规则 T-durationWithinStay 的参数 field 应为时长字段（天/小时/分钟）"),
    );
    expect(compile(r("icuinfo.scs_cutd_inpool_time"))).toThrow(/只能引用 setlinfo 字段/);
    expect(compile(r(7))).toThrow(/参数 field 应为字符串/);
  });
});

describe("daysWithinStay (QC-CLN-003)", () => {
  const nursing = ["setlinfo.spga_nurscare_days", "setlinfo.lv1_nurscare_days", "setlinfo.scd_nurscare_days"];
  const r = (params: Record<string, unknown>) => rule("daysWithinStay", params, ["labels", "value", "los"]);

  it("adds the fields given and compares with 实际住院天数 plus the tolerance", () => {
    const m = validMessage();
    m.input.setlinfo.scd_nurscare_days = 5; // 0 + 1 + 5 = 6 > 5
    expect(hits(m, r({ fields: nursing }))).toEqual([
      "setlinfo.spga_nurscare_days 特级护理天数、一级护理天数、二级护理天数|6|5",
    ]);
    expect(hits(m, r({ fields: nursing, toleranceDays: 1 }))).toEqual([]);
    m.input.setlinfo.scd_nurscare_days = 6; // 7 > 5 + 1
    expect(hits(m, r({ fields: nursing, toleranceDays: 1 }))).toEqual([
      "setlinfo.spga_nurscare_days 特级护理天数、一级护理天数、二级护理天数|7|5",
    ]);
  });

  it("skips a missing field and, without 实际住院天数, counts the days between the dates", () => {
    const m = validMessage();
    delete m.input.setlinfo.spga_nurscare_days;
    delete m.input.setlinfo.act_ipt_days;
    m.input.setlinfo.scd_nurscare_days = 4;
    expect(hits(m, r({ fields: nursing }))).toEqual([]); // 1 + 4 = 5 = 03-09 − 03-04
    m.input.setlinfo.scd_nurscare_days = 5;
    expect(hits(m, r({ fields: nursing }))).toEqual([
      "setlinfo.spga_nurscare_days 特级护理天数、一级护理天数、二级护理天数|6|5",
    ]);
  });

  it("is not compared without 实际住院天数 and either date", () => {
    for (const missing of ["adm_time", "dscg_time"]) {
      const m = validMessage();
      delete m.input.setlinfo.act_ipt_days;
      delete m.input.setlinfo[missing];
      m.input.setlinfo.scd_nurscare_days = 50;
      expect(hits(m, r({ fields: nursing })), missing).toEqual([]);
    }
  });

  it("reports on setlinfo when no field is named and the dates give a negative stay", () => {
    const m = validMessage();
    delete m.input.setlinfo.act_ipt_days;
    m.input.setlinfo.dscg_time = "2024-03-03 10:00:00";
    expect(hits(m, r({ fields: [] }))).toEqual(["setlinfo |0|-1"]);
  });

  it("takes only day fields and a non-negative whole tolerance", () => {
    expect(compile(r({ fields: nursing }))).not.toThrow();
    expect(compile(r({ fields: nursing, toleranceDays: 0 }))).not.toThrow();
    expect(compile(r({ fields: ["setlinfo.dscg_way"] }))).toThrow(
      new QcConfigError("质控规则 T-daysWithinStay 的参数 fields 应为天数字段"),
    );
    expect(compile(r({ fields: nursing, toleranceDays: -1 }))).toThrow(
      new QcConfigError("质控规则 T-daysWithinStay 的参数 toleranceDays 应为非负整数"),
    );
    expect(compile(r({ fields: nursing, toleranceDays: 0.5 }))).toThrow(/toleranceDays 应为非负整数/);
  });
});

describe("requiredByRule (QC-CLN-005)", () => {
  const r = rule("requiredByRule", { fields: ["setlinfo.dscg_way", "setlinfo.days_rinp_pup_31"] }, ["label"]);

  it("reports each missing or empty field by its label", () => {
    const m = validMessage();
    expect(hits(m, r)).toEqual(["setlinfo.days_rinp_pup_31 出院31天内再住院目的"]);
    m.input.setlinfo.days_rinp_pup_31 = "复查";
    expect(hits(m, r)).toEqual([]);
    delete m.input.setlinfo.dscg_way;
    expect(hits(m, r)).toEqual(["setlinfo.dscg_way 离院方式"]);
  });

  it("does not report again a field the parser already reported", () => {
    const m = validMessage();
    m.input.setlinfo.days_rinp_pup_31 = { a: 1 }; // an object: QC-FMT-001, then null
    expect(hits(m, r, {}, [JSON_TYPE])).toEqual([]);
    expect(hits(m, r)).toEqual(["setlinfo.days_rinp_pup_31 出院31天内再住院目的"]);
  });

  it("takes setlinfo fields only", () => {
    expect(compile(rule("requiredByRule", { fields: ["diseinfo.diag_name"] }))).toThrow(
      new QcConfigError("质控规则 T-requiredByRule 只能引用 setlinfo 字段，实际 diseinfo.diag_name"),
    );
  });
});

describe("principalNotAllowed (QC-DX-003/007)", () => {
  const r = rule("principalNotAllowed", { ranges: ["Z37", "V01-Y98"] }, ["value", "name", "range"]);

  it("refuses a principal diagnosis in a range, naming the range", () => {
    const m = withDiagnoses(dx("Z37.000", "单胎活产", "1", "1"), dx("O80.000", "顺产"));
    expect(hits(m, r, { codes })).toEqual(["diseinfo[0].diag_code Z37.000|单胎活产|Z37"]);
    const w = withDiagnoses(dx("I10.x05", "高血压3级"), dx("W01.x00", null, "1", "1"));
    expect(hits(w, r, { codes })).toEqual(["diseinfo[1].diag_code W01.x00||V01-Y98"]);
  });

  it("judges the principal by its insurance code after the version mapping", () => {
    const m = withDiagnoses(dx("A02-old", "活产", "1", "1"));
    expect(hits(m, r, { codes })).toEqual(["diseinfo[0].diag_code A02-old|活产|Z37"]);
  });

  it("passes a principal outside the ranges, a list without principal or without its code", () => {
    expect(hits(validMessage(), r, { codes })).toEqual([]);
    expect(hits(withDiagnoses(dx("Z37.000", "单胎活产")), r, { codes })).toEqual([]);
    expect(hits(withDiagnoses(dx(null, "单胎活产", "1", "1")), r, { codes })).toEqual([]);
    // A principal among non-western diagnoses is no principal (facts.principal is western).
    expect(hits(withDiagnoses(dx("Z37.000", "单胎活产", "2", "1")), r, { codes })).toEqual([]);
  });

  it("refusedAsPrincipal: the enabled principalNotAllowed rules only", () => {
    const refused = refusedAsPrincipal(
      ruleSet(
        rule("principalNotAllowed", { ranges: ["Z37"] }),
        { ...rule("principalNotAllowed", { ranges: ["O80"] }), enabled: false },
        { ...rule("principalNotAllowed", { ranges: ["O81"] }), enabled: true },
        rule("externalCauseMissing", { ranges: ["S00-T98"], causeRanges: ["V01-Y98"] }),
      ),
    );
    expect(refused("Z37.000")).toBe(true);
    expect(refused("O81.000")).toBe(true);
    expect(refused("O80.000")).toBe(false);
    expect(refused("S72.000")).toBe(false);
    expect(refused("Z38.000")).toBe(false);
  });
});

describe("externalCauseMissing (QC-DX-008)", () => {
  const r = rule("externalCauseMissing", { ranges: ["S00-T98"], causeRanges: ["V01-X59", "Y85-Y98"] }, [
    "value",
    "name",
    "range",
    "causeRange",
  ]);

  it("refuses an injury without a western external cause, naming every cause range", () => {
    const m = withDiagnoses(dx("S72.000", "股骨颈骨折", "1", "1"), dx("I10.x05", "高血压3级"));
    expect(hits(m, r, { codes })).toEqual([
      "diseinfo[0].diag_code S72.000|股骨颈骨折|S00-T98|V01-X59、Y85-Y98",
    ]);
    const named = withDiagnoses(dx("I10.x05", "高血压3级"), dx("S72.000", null, "1", "1"));
    expect(hits(named, r, { codes })).toEqual(["diseinfo[1].diag_code S72.000||S00-T98|V01-X59、Y85-Y98"]);
  });

  it("passes with a western cause, also one given in an old version", () => {
    const m = withDiagnoses(dx("S72.000", "股骨颈骨折", "1", "1"), dx("W01.x00", "滑倒"));
    expect(hits(m, r, { codes })).toEqual([]);
    const old = withDiagnoses(dx("S72.000", "股骨颈骨折", "1", "1"), dx("A03-old", "滑倒"));
    expect(hits(old, r, { codes })).toEqual([]);
    const tcm = withDiagnoses(dx("S72.000", "股骨颈骨折", "1", "1"), dx("W01.x00", "滑倒", "2"));
    expect(hits(tcm, r, { codes })).toHaveLength(1);
    const noCode = withDiagnoses(dx("S72.000", "股骨颈骨折", "1", "1"), dx(null, "滑倒"));
    expect(hits(noCode, r, { codes })).toHaveLength(1);
  });

  it("judges the principal by its insurance code", () => {
    const m = withDiagnoses(dx("A01-old", "骨折", "1", "1"));
    expect(hits(m, r, { codes })).toEqual(["diseinfo[0].diag_code A01-old|骨折|S00-T98|V01-X59、Y85-Y98"]);
  });

  it("passes a principal outside the ranges, a list without principal or without its code", () => {
    expect(hits(validMessage(), r, { codes })).toEqual([]);
    expect(hits(withDiagnoses(dx("S72.000", "股骨颈骨折")), r, { codes })).toEqual([]);
    expect(hits(withDiagnoses(dx(null, "股骨颈骨折", "1", "1")), r, { codes })).toEqual([]);
  });

  it("needs both ranges", () => {
    expect(compile(rule("externalCauseMissing", { causeRanges: ["V01-Y98"] }))).toThrow(
      new QcConfigError("质控规则 T-externalCauseMissing 的参数 ranges 应为字符串数组"),
    );
  });
});

describe("duplicateDiagnosis (QC-DX-009)", () => {
  const r = rule("duplicateDiagnosis", undefined, ["value", "first"]);

  it("reports the second of one insurance code, naming the first line", () => {
    const m = withDiagnoses(
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx("I10.x05", "高血压3级"),
      dx("A04-old", "高血压"),
    );
    expect(hits(m, r, { codes })).toEqual(["diseinfo[2].diag_code A04-old|1"]);
  });

  it("leaves out diagnoses without code and non-western ones", () => {
    const m = withDiagnoses(
      dx("K35.800x001", "急性阑尾炎", "1", "1"),
      dx(null, "高血压3级"),
      dx(null, "高血压3级"),
      dx("I10.x05", "高血压3级", "2"),
      dx("I10.x05", "高血压3级", "2"),
    );
    expect(hits(m, r, { codes })).toEqual([]);
  });
});

describe("anaesthesiaMethod (QC-OPR-002)", () => {
  const r = (ranges: string[]) =>
    rule("anaesthesiaMethod", { procedureRanges: ranges }, ["value", "name", "range"]);
  function withProcedures(...codesAndWays: [string | null, string | null | undefined][]): Msg {
    const m = validMessage();
    const base = m.input.oprninfo[0];
    m.input.oprninfo = codesAndWays.map(([code, way], i) => {
      const p: Record<string, unknown> = { ...base, oprn_oprt_type: i === 0 ? "1" : "2" };
      if (code === null) delete p.oprn_oprt_code;
      else p.oprn_oprt_code = code;
      if (way === undefined) delete p.anst_way;
      else p.anst_way = way;
      return p;
    });
    m.input.setlinfo.oprn_oprt_code_cnt = codesAndWays.length;
    return m;
  }

  it("takes a range's ends and a single chapter", () => {
    const m = withProcedures(
      ["09.0000", ""],
      ["10.0000", ""],
      ["20.0000", ""],
      ["21.0000", ""],
      ["86.0100", ""],
    );
    expect(hits(m, r(["10-20", "86"]), { codes })).toEqual([
      "oprninfo[1].anst_way 10.0000|腹腔镜下阑尾切除术|10-20",
      "oprninfo[2].anst_way 20.0000|腹腔镜下阑尾切除术|10-20",
      "oprninfo[4].anst_way 86.0100|腹腔镜下阑尾切除术|86",
    ]);
    expect(hits(m, r(["86-86"]), { codes })).toHaveLength(1);
  });

  it("needs a method that is neither missing nor empty; a procedure without code is left out", () => {
    const m = withProcedures(["86.0100", undefined], ["86.0100", "1"], [null, ""], ["86.0100", ""]);
    expect(hits(m, r(["00-86"]), { codes }).map((h) => h.split(" ")[0])).toEqual([
      "oprninfo[0].anst_way",
      "oprninfo[3].anst_way",
    ]);
  });

  it("judges the code after the version mapping and does not report a method the parser reported", () => {
    const m = withProcedures(["P01-old", ""]);
    expect(hits(m, r(["86"]), { codes })).toEqual(["oprninfo[0].anst_way P01-old|腹腔镜下阑尾切除术|86"]);
    const typed = withProcedures(["86.0100", { a: 1 } as unknown as string]);
    expect(hits(typed, r(["86"]), { codes }, [JSON_TYPE])).toEqual([]);
    expect(hits(typed, r(["86"]), { codes })).toHaveLength(1);
  });

  it("refuses a range that is not two-digit chapters in order", () => {
    expect(compile(r(["00-86"]))).not.toThrow();
    expect(compile(r(["86-86"]))).not.toThrow();
    for (const bad of ["0-86", "000-86", "00-8", "00-860", "a0-86", "00-8b", "86-00", ""]) {
      expect(compile(r([bad])), bad).toThrow(
        new QcConfigError("质控规则 T-anaesthesiaMethod 的参数 procedureRanges 应为两位章节范围（如 00-86）"),
      );
    }
  });
});

describe("anaesthesiaMethod names a procedure without name", () => {
  it("with an empty name", () => {
    const m = validMessage();
    m.input.oprninfo[0].oprn_oprt_code = "86.0100";
    delete m.input.oprninfo[0].oprn_oprt_name;
    delete m.input.oprninfo[0].anst_way;
    const r = rule("anaesthesiaMethod", { procedureRanges: ["86"] }, ["value", "name"]);
    expect(hits(m, r, { codes })).toEqual(["oprninfo[0].anst_way 86.0100|"]);
  });
});

describe("daysWithinStay without the admission date", () => {
  it("does not count from the discharge date alone, even before 1970 (day numbers below 0)", () => {
    const m = validMessage();
    delete m.input.setlinfo.act_ipt_days;
    delete m.input.setlinfo.adm_time;
    m.input.setlinfo.dscg_time = "1969-12-30 10:00:00";
    const r = rule("daysWithinStay", { fields: ["setlinfo.lv1_nurscare_days"] }, ["value", "los"]);
    expect(hits(m, r)).toEqual([]);
  });
});
