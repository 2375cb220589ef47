// Tests of the field checks (packages/settlement/src/qc/kinds/fields.ts) against their mutants
// (issue 16, docs/mutation.md): required fields and sections by message type, lengths at the limit,
// patterns, the age fields required by age, conditionally required fields and code tables, each
// compiled inside its test (qc-only.ts). Labels, lengths and tables from specs/settlement-list.md.
import { describe, expect, it } from "vitest";
import {
  type CodeTableSet,
  compileQcRules,
  DEFAULT_CODE_TABLES,
  QcConfigError,
  type QcRule,
} from "../src/index.js";
import { type Msg, newbornMessage, validMessage } from "./helpers.js";
import { defaultRule, hits, JSON_TYPE, NUMBER, rule, ruleSet } from "./qc-only.js";

function compile(r: QcRule, tables: CodeTableSet = DEFAULT_CODE_TABLES): () => unknown {
  return () => compileQcRules(ruleSet(r), tables, "bureau");
}

const SECTION_TYPE = defaultRule("QC-MSG-003");

function as4101A(m: Msg): Msg {
  m.infno = "4101A";
  delete m.input.payinfo;
  delete m.input.iteminfo;
  for (const k of ["psn_selfpay", "psn_ownpay", "acct_pay", "psn_cashpay"]) delete m.input.setlinfo[k];
  return m;
}

describe("required and required4101 (QC-REQ-001/002)", () => {
  const always = rule("required", undefined, ["label"]);
  const only4101 = rule("required4101", undefined, ["label"]);

  it("passes the complete list", () => {
    expect(hits(validMessage(), [always, only4101])).toEqual([]);
    expect(hits(as4101A(validMessage()), [always, only4101])).toEqual([]);
  });

  it("reports a missing setlinfo field, an empty section and a missing row field by label", () => {
    const m = validMessage();
    delete m.input.setlinfo.psn_name;
    m.input.diseinfo = [];
    delete m.input.oprninfo[0].oper_dr_code;
    delete m.input.payinfo[1].fund_payamt;
    expect(hits(m, always)).toEqual([
      "setlinfo.psn_name 人员姓名",
      "diseinfo 住院诊断信息",
      "payinfo[1].fund_payamt 基金支付金额",
      "oprninfo[0].oper_dr_code 术者医师代码",
    ]);
  });

  it("asks the 4101 fields and sections of a 4101 list only", () => {
    const m = validMessage();
    delete m.input.setlinfo.acct_pay;
    m.input.payinfo = [];
    expect(hits(m, [always, only4101])).toEqual(["setlinfo.acct_pay 个人账户支出", "payinfo 基金支付信息"]);
    const a = as4101A(validMessage());
    expect(hits(a, only4101)).toEqual([]);
    a.infno = "4101";
    expect(hits(a, only4101)).toEqual([
      "setlinfo.psn_selfpay 个人自付",
      "setlinfo.psn_ownpay 个人自费",
      "setlinfo.acct_pay 个人账户支出",
      "setlinfo.psn_cashpay 个人现金支付",
      "payinfo 基金支付信息",
      "iteminfo 收费项目信息",
    ]);
  });

  it("does not report again what the parser reported", () => {
    const m = validMessage();
    m.input.setlinfo.psn_name = { a: 1 };
    m.input.diseinfo[1].diag_name = { a: 1 };
    m.input.payinfo = "none";
    expect(hits(m, [always, only4101], {}, [JSON_TYPE, SECTION_TYPE])).toEqual([]);
    expect(hits(m, [always, only4101])).toEqual([
      "setlinfo.psn_name 人员姓名",
      "diseinfo[1].diag_name 诊断名称",
      "payinfo 基金支付信息",
    ]);
  });
});

describe("length (QC-FMT-002)", () => {
  const r = rule("length", undefined, ["label", "length", "max", "value"]);
  it("allows the declared length, not one character more, in setlinfo and in rows", () => {
    const m = validMessage();
    m.input.setlinfo.psn_name = "王".repeat(50);
    m.input.oprninfo[0].oper_dr_code = "D".repeat(30);
    expect(hits(m, r)).toEqual([]);
    m.input.setlinfo.psn_name = "王".repeat(51);
    m.input.oprninfo[0].oper_dr_code = "D".repeat(31);
    expect(hits(m, r)).toEqual([
      `setlinfo.psn_name 人员姓名|51|50|${"王".repeat(51)}`,
      `oprninfo[0].oper_dr_code 术者医师代码|31|30|${"D".repeat(31)}`,
    ]);
  });
});

describe("pattern (QC-FMT-007)", () => {
  const checks = [
    { fields: ["setlinfo.poscode", "oprninfo.oper_dr_code"], regex: "^[0-9]{6}$", format: "六位数字" },
  ];
  const r = (c: unknown) => rule("pattern", { checks: c }, ["label", "format", "value"]);

  it("tests text values of setlinfo and of every row", () => {
    const m = validMessage();
    m.input.oprninfo.push({ ...m.input.oprninfo[0], oprn_oprt_type: "2", oper_dr_code: "123456" });
    m.input.setlinfo.oprn_oprt_code_cnt = 2;
    expect(hits(m, r(checks))).toEqual(["oprninfo[0].oper_dr_code 术者医师代码|六位数字|D210102012345"]);
    m.input.setlinfo.poscode = "11000";
    expect(hits(m, r(checks))).toEqual([
      "setlinfo.poscode 邮编|六位数字|11000",
      "oprninfo[0].oper_dr_code 术者医师代码|六位数字|D210102012345",
    ]);
  });

  it("leaves out missing values and values that are not text", () => {
    const m = validMessage();
    delete m.input.setlinfo.poscode;
    delete m.input.oprninfo[0].oper_dr_code;
    expect(hits(m, r(checks))).toEqual([]);
    const days = [
      { fields: ["setlinfo.act_ipt_days", "iteminfo.amt", "diseinfo.diag_code"], regex: "^x$", format: "x" },
    ];
    const n = validMessage();
    delete n.input.diseinfo[1].diag_code;
    expect(hits(n, r(days))).toEqual(["diseinfo[0].diag_code 诊断代码|x|K35.800x001"]);
  });

  it("refuses checks that are not an array of {fields, regex, format}", () => {
    const expected = (key: string, what: string) =>
      new QcConfigError(`质控规则 T-pattern 的参数 ${key} 应为${what}`);
    const shape = expected("checks", "数组 [{fields, regex, format}]");
    expect(compile(r(checks))).not.toThrow();
    expect(compile(r("x"))).toThrow(shape);
    expect(compile(r([null]))).toThrow(shape);
    expect(compile(r(["^x$"]))).toThrow(shape);
    expect(compile(r([{ fields: [], regex: 1, format: "x" }]))).toThrow(shape);
    expect(compile(r([{ fields: [], regex: "x" }]))).toThrow(shape);
    expect(compile(r([{ fields: "setlinfo.poscode", regex: "x", format: "x" }]))).toThrow(
      expected("checks.fields", "字段路径数组"),
    );
    expect(compile(r([{ fields: [], regex: "(", format: "x" }]))).toThrow(
      expected("checks.regex", "合法的正则表达式"),
    );
    expect(compile(r([{ fields: ["setlinfo.nope"], regex: "x", format: "x" }]))).toThrow(
      new QcConfigError("质控规则 T-pattern 引用了未知字段 setlinfo.nope"),
    );
    expect(compile(r([{ fields: ["nope.poscode"], regex: "x", format: "x" }]))).toThrow(
      /未知字段 nope\.poscode/,
    );
    expect(compile(r([{ fields: ["diseinfo.nope"], regex: "x", format: "x" }]))).toThrow(
      /未知字段 diseinfo\.nope/,
    );
  });
});

describe("ageRequired (QC-REQ-003)", () => {
  const r = rule("ageRequired", undefined, ["label", "condition"]);

  it("asks 年龄(岁) from one full year at admission", () => {
    const m = validMessage();
    expect(hits(m, r)).toEqual([]);
    delete m.input.setlinfo.age;
    expect(hits(m, r)).toEqual(["setlinfo.age 年龄(岁)|已满 1 周岁（44 岁）"]);
    const one = validMessage();
    one.input.setlinfo.brdy = "2023-03-04"; // exactly 1 year on 2024-03-04
    delete one.input.setlinfo.age;
    expect(hits(one, r)).toEqual(["setlinfo.age 年龄(岁)|已满 1 周岁（1 岁）"]);
    one.input.setlinfo.age = 1;
    expect(hits(one, r)).toEqual([]); // and not 年龄不足1周岁的年龄(天)
  });

  it("asks 年龄不足1周岁的年龄(天) under one year, naming the days", () => {
    const m = newbornMessage();
    expect(hits(m, r)).toEqual([]);
    delete m.input.setlinfo.nwb_age;
    expect(hits(m, r)).toEqual(["setlinfo.nwb_age 年龄不足1周岁的年龄(天)|不足 1 周岁（13 天）"]);
    const y = validMessage();
    y.input.setlinfo.brdy = "2023-03-05"; // 365 days, one day short of a year
    delete y.input.setlinfo.age;
    expect(hits(y, r)).toEqual(["setlinfo.nwb_age 年龄不足1周岁的年龄(天)|不足 1 周岁（365 天）"]);
  });

  it("is silent without both dates, for a birth after admission, or when the parser reported the field", () => {
    const noBirth = validMessage();
    delete noBirth.input.setlinfo.brdy;
    delete noBirth.input.setlinfo.age;
    expect(hits(noBirth, r)).toEqual([]);
    const noAdm = validMessage();
    delete noAdm.input.setlinfo.adm_time;
    delete noAdm.input.setlinfo.age;
    expect(hits(noAdm, r)).toEqual([]);
    const later = newbornMessage();
    later.input.setlinfo.brdy = "2024-03-05";
    delete later.input.setlinfo.nwb_age;
    expect(hits(later, r)).toEqual([]);
    const typed = validMessage();
    typed.input.setlinfo.age = "44 岁";
    expect(hits(typed, r, {}, [NUMBER])).toEqual([]);
    const nwb = newbornMessage();
    nwb.input.setlinfo.nwb_age = "13 天";
    expect(hits(nwb, r, {}, [NUMBER])).toEqual([]);
    expect(hits(nwb, r)).toHaveLength(1);
  });
});

describe("conditionalRequired (QC-REQ-004, QC-CLN-004)", () => {
  const vars = ["label", "whenLabel", "whenValue", "whenName"];
  const r = (params: Record<string, unknown>) => rule("conditionalRequired", params, vars);
  const transfer = r({
    when: "setlinfo.dscg_way",
    in: ["2", "3"],
    require: ["setlinfo.acp_medins_name", "setlinfo.hsorg"],
  });

  it("asks the fields when the value is one of the given ones, naming it by its code table", () => {
    const m = validMessage();
    expect(hits(m, transfer)).toEqual([]);
    m.input.setlinfo.dscg_way = "2";
    m.input.setlinfo.hsorg = "沈阳市医保中心";
    expect(hits(m, transfer)).toEqual(["setlinfo.acp_medins_name 拟接收机构名称|离院方式|2|医嘱转院"]);
    m.input.setlinfo.acp_medins_name = "沈阳市第二人民医院";
    expect(hits(m, transfer)).toEqual([]);
  });

  it("shows a value without table name as it is, and skips a field the parser reported", () => {
    const m = validMessage();
    const byName = r({ when: "setlinfo.psn_name", in: ["王建国"], require: ["setlinfo.acp_medins_name"] });
    expect(hits(m, byName)).toEqual(["setlinfo.acp_medins_name 拟接收机构名称|人员姓名|王建国|王建国"]);
    m.input.setlinfo.dscg_way = "7";
    const unknown = r({ when: "setlinfo.dscg_way", in: ["7"], require: ["setlinfo.acp_medins_name"] });
    expect(hits(m, unknown)).toEqual(["setlinfo.acp_medins_name 拟接收机构名称|离院方式|7|7"]);
    m.input.setlinfo.acp_medins_name = { a: 1 };
    expect(hits(m, unknown, {}, [JSON_TYPE])).toEqual([]);
  });

  it("does not apply to a missing value", () => {
    const m = validMessage();
    delete m.input.setlinfo.dscg_way;
    const r0 = r({ when: "setlinfo.dscg_way", in: [""], require: ["setlinfo.acp_medins_name"] });
    expect(hits(m, r0)).toEqual([]);
  });

  it("takes setlinfo fields only", () => {
    expect(compile(r({ when: "diseinfo.diag_type", in: ["1"], require: [] }))).toThrow(
      /只能引用 setlinfo 字段/,
    );
    expect(compile(r({ when: "setlinfo.dscg_way", in: ["1"], require: ["diseinfo.diag_type"] }))).toThrow(
      /只能引用 setlinfo 字段，实际 diseinfo\.diag_type/,
    );
    expect(compile(r({ when: "setlinfo.dscg_way", in: "1", require: [] }))).toThrow(/参数 in 应为字符串数组/);
  });
});

describe("codeTable (QC-DICT-001)", () => {
  const r = rule("codeTable", undefined, ["label", "value", "table", "tableName"]);

  it("refuses a value outside its table in setlinfo and in rows", () => {
    const m = validMessage();
    expect(hits(m, r)).toEqual([]);
    m.input.setlinfo.gend = "3";
    m.input.diseinfo[1].adm_cond_type = "5";
    expect(hits(m, r)).toEqual([
      "setlinfo.gend 性别|3|gend|性别",
      "diseinfo[1].adm_cond_type 入院病情|5|adm_cond_type|入院病情",
    ]);
  });

  it("checks every part of a joined value", () => {
    const m = validMessage();
    m.input.setlinfo.refldept_dept = "A04.01→A03";
    expect(hits(m, r)).toEqual([]);
    m.input.setlinfo.refldept_dept = "A04.01→A99";
    expect(hits(m, r)).toEqual(["setlinfo.refldept_dept 转科科别|A04.01→A99|caty|科别（诊疗科目）"]);
    m.input.setlinfo.refldept_dept = "A04.01";
    expect(hits(m, r)).toEqual([]);
  });

  it("refuses an edition that lacks a table a field names", () => {
    const { gend: _gend, ...rest } = DEFAULT_CODE_TABLES.tables;
    const tables: CodeTableSet = { ...DEFAULT_CODE_TABLES, version: "2099.9", tables: rest };
    expect(compile(r, tables)).toThrow(new QcConfigError("代码表版本 2099.9 缺少代码表 gend"));
    expect(compile(r)).not.toThrow();
  });
});

describe("field checks: message types and malformed parameters", () => {
  it("asks the always-required fields of a 4101A list too", () => {
    const m = as4101A(validMessage());
    delete m.input.setlinfo.psn_name;
    expect(hits(m, rule("required", undefined, ["label"]))).toEqual(["setlinfo.psn_name 人员姓名"]);
  });

  it("refuses a check that is not an object", () => {
    expect(compile(rule("pattern", { checks: [undefined] }))).toThrow(
      new QcConfigError("质控规则 T-pattern 的参数 checks 应为数组 [{fields, regex, format}]"),
    );
  });
});
