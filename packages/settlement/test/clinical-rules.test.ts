/**
 * The clinical-logic QC rules a bureau runs (临床逻辑质控), pinned at their edges. The valid list was
 * admitted 2024-03-04 09:15 and discharged 2024-03-09 10:00: a stay of 5 days 0 hours 45 minutes
 * (7 245 minutes), 实际住院天数 5, nursing days 0 + 1 + 4 + 0 = 5.
 */
import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  compileQcRules,
  DEFAULT_CODE_TABLES,
  DEFAULT_QC_RULES,
  QcConfigError,
  type QcRuleSet,
} from "../src/index.js";
import { context, type Msg, validMessage } from "./helpers.js";

function hits(m: Msg, ruleId: string, rules?: QcRuleSet): string[] {
  return checkSettlementMessage(m, context(rules ? { rules } : {}))
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => f.field);
}

function icu(sumDura: string, inpool = "2024-03-04 10:00:00", exit = "2024-03-05 10:00:00") {
  return {
    scs_cutd_ward_type: "1",
    scs_cutd_inpool_time: inpool,
    scs_cutd_exit_time: exit,
    scs_cutd_sum_dura: sumDura,
  };
}

function withRule(id: string, change: (r: Record<string, unknown>) => void): QcRuleSet {
  const set = JSON.parse(JSON.stringify(DEFAULT_QC_RULES)) as QcRuleSet;
  change(set.rules.find((r) => r.id === id) as unknown as Record<string, unknown>);
  return set;
}

describe("time in ICU and on the ventilator within the stay (QC-CLN-001/002)", () => {
  it("exactly the stay's 5 days 0 hours 45 minutes passes; one minute more does not", () => {
    const at = validMessage();
    at.input.icuinfo.push(icu("5/0/45"));
    expect(hits(at, "QC-CLN-001")).toEqual([]);
    const vent = validMessage();
    vent.input.setlinfo.vent_used_dura = "5/0/45";
    expect(hits(vent, "QC-CLN-002")).toEqual([]);
    vent.input.setlinfo.vent_used_dura = "5/0/46";
    expect(hits(vent, "QC-CLN-002")).toEqual(["setlinfo.vent_used_dura"]);
  });
  it("two ICU stays are added up: 2/0/0 + 3/0/45 passes, 2/0/0 + 3/0/46 does not", () => {
    const m = validMessage();
    m.input.icuinfo.push(icu("2/0/0"), icu("3/0/45", "2024-03-06 10:00:00", "2024-03-07 10:00:00"));
    expect(hits(m, "QC-CLN-001")).toEqual([]);
    m.input.icuinfo[1].scs_cutd_sum_dura = "3/0/46";
    expect(hits(m, "QC-CLN-001")).toEqual(["icuinfo"]);
  });
  it("no ventilator time, or one the format rule already refuses, is not compared", () => {
    const m = validMessage();
    expect(hits(m, "QC-CLN-002")).toEqual([]);
    m.input.setlinfo.vent_used_dura = "9/25/00";
    expect(hits(m, "QC-CLN-002")).toEqual([]);
  });
});

describe("nursing days within the stay (QC-CLN-003)", () => {
  it("5 nursing days in a 5-day stay pass, 6 do not", () => {
    const m = validMessage();
    expect(hits(m, "QC-CLN-003")).toEqual([]);
    m.input.setlinfo.scd_nurscare_days = 5;
    expect(hits(m, "QC-CLN-003")).toEqual(["setlinfo.spga_nurscare_days"]);
  });
  it("a bureau that counts the day of admission and of discharge allows one day more, as data", () => {
    const lenient = withRule("QC-CLN-003", (r) => {
      r.params = { ...(r.params as object), toleranceDays: 1 };
    });
    const m = validMessage();
    m.input.setlinfo.scd_nurscare_days = 5;
    expect(hits(m, "QC-CLN-003", lenient)).toEqual([]);
    m.input.setlinfo.scd_nurscare_days = 6;
    expect(hits(m, "QC-CLN-003", lenient)).toEqual(["setlinfo.spga_nurscare_days"]);
  });
});

describe("coding rules (QC-DX-008/009, QC-OPR-002, QC-CLN-004)", () => {
  it("an injury principal diagnosis passes with an external cause among the other diagnoses", () => {
    const m = validMessage();
    m.input.diseinfo[0].diag_code = "S72.000x031";
    m.input.diseinfo[0].diag_name = "股骨颈头下骨折";
    expect(hits(m, "QC-DX-008")).toEqual(["diseinfo[0].diag_code"]);
    m.input.diseinfo.push({
      diag_type: "1",
      diag_code: "W01.x00",
      diag_name: "在同一平面上滑倒、绊倒和摔倒",
      adm_cond_type: "1",
      maindiag_flag: "0",
    });
    m.input.setlinfo.diag_code_cnt = 3;
    expect(hits(m, "QC-DX-008")).toEqual([]);
  });
  it("an external cause code that is not a western diagnosis (diag_type 2) does not count", () => {
    const m = validMessage();
    m.input.diseinfo[0].diag_code = "S06.000";
    m.input.diseinfo[0].diag_name = "脑震荡";
    m.input.diseinfo[1].diag_type = "2";
    m.input.diseinfo[1].diag_code = "W01.x00";
    expect(hits(m, "QC-DX-008")).toEqual(["diseinfo[0].diag_code"]);
  });
  it("the same code twice is reported once, on its second line; two different codes are not", () => {
    const m = validMessage();
    expect(hits(m, "QC-DX-009")).toEqual([]);
    m.input.diseinfo.push({ ...m.input.diseinfo[1] }, { ...m.input.diseinfo[1] });
    m.input.setlinfo.diag_code_cnt = 4;
    expect(hits(m, "QC-DX-009")).toEqual(["diseinfo[2].diag_code", "diseinfo[3].diag_code"]);
  });
  it("chapter 86 is an operation and needs an anaesthesia method; chapter 87 and 88 do not", () => {
    const m = validMessage();
    const add = (code: string, name: string) =>
      m.input.oprninfo.push({
        ...m.input.oprninfo[0],
        oprn_oprt_type: "2",
        oprn_oprt_code: code,
        oprn_oprt_name: name,
        anst_way: "",
      });
    add("86.0100", "皮肤和皮下组织抽吸术");
    add("87.0100", "气脑造影图");
    add("88.0100x001", "腹部CT检查");
    m.input.setlinfo.oprn_oprt_code_cnt = 4;
    expect(hits(m, "QC-OPR-002")).toEqual(["oprninfo[1].anst_way"]);
  });
  it("a planned readmission with its purpose passes", () => {
    const m = validMessage();
    m.input.setlinfo.days_rinp_flag_31 = "2";
    expect(hits(m, "QC-CLN-004")).toEqual(["setlinfo.days_rinp_pup_31"]);
    m.input.setlinfo.days_rinp_pup_31 = "第 2 周期化疗";
    expect(hits(m, "QC-CLN-004")).toEqual([]);
  });
});

describe("the clinical rule parameters are validated at load", () => {
  const compile = (id: string, params: Record<string, unknown>) => () =>
    compileQcRules(
      withRule(id, (r) => (r.params = params)),
      DEFAULT_CODE_TABLES,
      "bureau",
    );
  it("names the rule and the parameter", () => {
    expect(compile("QC-OPR-002", { procedureRanges: ["0-86"] })).toThrow(QcConfigError);
    expect(compile("QC-OPR-002", { procedureRanges: ["0-86"] })).toThrow(/QC-OPR-002.*procedureRanges/);
    expect(compile("QC-OPR-002", { procedureRanges: ["86-00"] })).toThrow(QcConfigError);
    expect(compile("QC-CLN-003", { fields: ["setlinfo.dscg_way"] })).toThrow(/QC-CLN-003.*fields/);
    expect(compile("QC-CLN-003", { fields: ["setlinfo.lv1_nurscare_days"], toleranceDays: -1 })).toThrow(
      /toleranceDays/,
    );
    expect(compile("QC-CLN-002", { field: "setlinfo.act_ipt_days" })).toThrow(/QC-CLN-002.*field/);
    expect(compile("QC-CLN-002", { field: "setlinfo.no_such_field" })).toThrow(/no_such_field/);
    expect(compile("QC-DX-008", { ranges: ["S00-T98"] })).toThrow(/causeRanges/);
  });
});
