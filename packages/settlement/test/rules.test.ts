import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  codeMapsOf,
  DEFAULT_QC_RULES,
  type QcContext,
  withIdCheckChar,
} from "../src/index.js";
import {
  codesWithExtraDiagnoses,
  context,
  femaleMessage,
  type Msg,
  newbornMessage,
  realCodes,
  validMessage,
} from "./helpers.js";

/**
 * One case per rule: start from a valid message, break exactly that rule, and expect exactly the
 * findings of that rule (every finding of the check, errors and warnings alike).
 */
interface Case {
  readonly ruleId: string;
  readonly name: string;
  /** The message to check (a broken copy of a valid one). */
  readonly message: () => unknown;
  readonly context?: Partial<QcContext>;
  /** Expected finding fields, all of rule `ruleId`. */
  readonly fields: readonly string[];
  /** A fragment the message must contain (it names the value). */
  readonly mentions?: string;
}

function edit(base: () => Msg, f: (m: Msg, s: Msg) => void): () => Msg {
  return () => {
    const m = base();
    f(m, m.input?.setlinfo);
    return m;
  };
}

const v = validMessage;

const CASES: Case[] = [
  { ruleId: "QC-MSG-001", name: "no input node", message: () => ({ infno: "4101" }), fields: ["input"] },
  { ruleId: "QC-MSG-001", name: "not an object", message: () => [1, 2], fields: ["$"] },
  {
    ruleId: "QC-MSG-001",
    name: "no setlinfo",
    message: edit(v, (m) => delete m.input.setlinfo),
    fields: ["setlinfo"],
  },
  {
    ruleId: "QC-MSG-004",
    name: "nesting deeper than 32 levels",
    message: edit(v, (_m, s) => {
      let deep: unknown = "x";
      for (let i = 0; i < 40; i++) deep = [deep];
      s.remark_extra = deep;
    }),
    fields: [`setlinfo.remark_extra${"[0]".repeat(29)}`],
    mentions: "32",
  },
  {
    ruleId: "QC-FMT-008",
    name: "U+0000 in a name",
    message: edit(v, (_m, s) => (s.psn_name = "张\u0000三")),
    fields: ["setlinfo.psn_name"],
    mentions: "U+0000",
  },
  {
    ruleId: "QC-FMT-008",
    name: "unpaired surrogates in a field name and in a diagnosis name",
    message: edit(v, (m, s) => {
      s["x\ud800"] = "1";
      m.input.diseinfo[0].diag_name = "肺\udc00炎";
    }),
    fields: ["setlinfo.x\\ud800", "diseinfo[0].diag_name"],
    mentions: "代理项",
  },
  {
    ruleId: "QC-FMT-009",
    name: "a number beyond the double range in an unknown field",
    message: edit(v, (_m, s) => (s.extra_amount = Number.POSITIVE_INFINITY)),
    fields: ["setlinfo.extra_amount"],
    mentions: "无穷大",
  },
  {
    ruleId: "QC-FMT-009",
    name: "an integer beyond 2^53 in an unknown field",
    message: edit(v, (_m, s) => (s.extra_count = 2 ** 60)),
    fields: ["setlinfo.extra_count"],
  },
  {
    ruleId: "QC-MSG-002",
    name: "unknown transaction",
    message: edit(v, (m) => (m.infno = "4102")),
    fields: ["infno"],
    mentions: "4102",
  },
  {
    ruleId: "QC-MSG-003",
    name: "section not an array",
    message: edit(v, (m) => (m.input.bldinfo = "x")),
    fields: ["bldinfo"],
  },
  {
    ruleId: "QC-MSG-003",
    name: "row not an object",
    message: edit(v, (m) => m.input.icuinfo.push(7)),
    fields: ["icuinfo[0]"],
  },
  {
    ruleId: "QC-FMT-001",
    name: "object where text is expected",
    message: edit(v, (_m, s) => (s.psn_name = { a: 1 })),
    fields: ["setlinfo.psn_name"],
  },
  {
    ruleId: "QC-FMT-002",
    name: "text too long",
    message: edit(v, (_m, s) => (s.psn_name = "王".repeat(51))),
    fields: ["setlinfo.psn_name"],
  },
  {
    ruleId: "QC-FMT-002",
    name: "code too long in a row",
    message: edit(v, (m) => (m.input.oprninfo[0].oper_dr_code = "D".repeat(31))),
    fields: ["oprninfo[0].oper_dr_code"],
  },
  {
    ruleId: "QC-FMT-003",
    name: "decimals in an integer field",
    message: edit(v, (_m, s) => (s.act_ipt_days = "5.5")),
    fields: ["setlinfo.act_ipt_days"],
    mentions: "5.5",
  },
  {
    ruleId: "QC-FMT-004",
    name: "money with three decimals",
    message: edit(v, (m) => (m.input.iteminfo[0].amt = "300.001")),
    fields: ["iteminfo[0].amt"],
    mentions: "300.001",
  },
  {
    ruleId: "QC-FMT-004",
    name: "negative money",
    message: edit(v, (m) => (m.input.payinfo[0].fund_payamt = -1)),
    fields: ["payinfo[0].fund_payamt"],
  },
  {
    ruleId: "QC-FMT-005",
    name: "impossible date",
    message: edit(v, (_m, s) => (s.brdy = "1979-02-30")),
    fields: ["setlinfo.brdy"],
    mentions: "1979-02-30",
  },
  {
    ruleId: "QC-FMT-006",
    name: "date where a date-time is expected",
    message: edit(v, (_m, s) => (s.adm_time = "2024-03-04")),
    fields: ["setlinfo.adm_time"],
  },
  {
    ruleId: "QC-FMT-007",
    name: "insured place not a 6-digit division code",
    message: edit(v, (_m, s) => (s.insuplc = "21010")),
    fields: ["setlinfo.insuplc"],
  },
  {
    ruleId: "QC-FMT-007",
    name: "ventilator duration not d/h/m",
    message: edit(v, (_m, s) => (s.vent_used_dura = "13小时")),
    fields: ["setlinfo.vent_used_dura"],
  },
  {
    ruleId: "QC-REQ-001",
    name: "case number missing",
    message: edit(v, (_m, s) => delete s.medcasno),
    fields: ["setlinfo.medcasno"],
  },
  {
    ruleId: "QC-REQ-001",
    name: "no diagnoses",
    message: edit(v, (m, s) => {
      m.input.diseinfo = [];
      s.diag_code_cnt = 0;
    }),
    fields: ["diseinfo"],
  },
  {
    ruleId: "QC-REQ-001",
    name: "blank diagnosis name",
    message: edit(v, (m) => (m.input.diseinfo[1].diag_name = "  ")),
    fields: ["diseinfo[1].diag_name"],
  },
  {
    ruleId: "QC-REQ-002",
    name: "cash payment missing in 4101",
    message: edit(v, (_m, s) => delete s.psn_cashpay),
    fields: ["setlinfo.psn_cashpay"],
  },
  {
    ruleId: "QC-REQ-003",
    name: "age missing for an adult",
    message: edit(v, (_m, s) => delete s.age),
    fields: ["setlinfo.age"],
  },
  {
    ruleId: "QC-REQ-003",
    name: "age in days missing for an infant",
    message: edit(newbornMessage, (_m, s) => delete s.nwb_age),
    fields: ["setlinfo.nwb_age"],
  },
  {
    ruleId: "QC-REQ-004",
    name: "transfer without receiving institution",
    message: edit(v, (_m, s) => (s.dscg_way = "2")),
    fields: ["setlinfo.acp_medins_name"],
  },
  {
    ruleId: "QC-DICT-001",
    name: "ethnicity not in the table",
    message: edit(v, (_m, s) => (s.naty = "99")),
    fields: ["setlinfo.naty"],
    mentions: "99",
  },
  {
    ruleId: "QC-DICT-001",
    name: "unknown charge category and transfer department",
    message: edit(v, (m, s) => {
      m.input.iteminfo[1].med_chrgitm = "15";
      s.refldept_dept = "A04.01→A99";
    }),
    fields: ["setlinfo.refldept_dept", "iteminfo[1].med_chrgitm"],
  },
  {
    ruleId: "QC-CODE-001",
    name: "diagnosis of another version, mapped",
    message: edit(v, (m) => {
      m.input.diseinfo[1].diag_code = "E11.000x011";
      m.input.diseinfo[1].diag_name = "2型糖尿病";
    }),
    fields: ["diseinfo[1].diag_code"],
    mentions: "E11.000x001",
  },
  {
    ruleId: "QC-CODE-002",
    name: "non-national diagnosis code",
    message: edit(v, (m) => (m.input.diseinfo[1].diag_code = "I10.x99")),
    fields: ["diseinfo[1].diag_code"],
    mentions: "I10.x99",
  },
  {
    ruleId: "QC-CODE-003",
    name: "procedure of another version, mapped",
    message: edit(v, (m) => (m.input.oprninfo[0].oprn_oprt_code = "47.0900x002")),
    fields: ["oprninfo[0].oprn_oprt_code"],
    mentions: "47.0903",
  },
  {
    ruleId: "QC-CODE-004",
    name: "non-national procedure code",
    message: edit(v, (m) => (m.input.oprninfo[0].oprn_oprt_code = "47.9999")),
    fields: ["oprninfo[0].oprn_oprt_code"],
  },
  {
    ruleId: "QC-DX-001",
    name: "two principal diagnoses",
    message: edit(v, (m) => (m.input.diseinfo[1].maindiag_flag = "1")),
    fields: ["diseinfo[1].maindiag_flag"],
  },
  {
    ruleId: "QC-DX-001",
    name: "no principal diagnosis",
    message: edit(v, (m) => (m.input.diseinfo[0].maindiag_flag = "0")),
    fields: ["diseinfo"],
  },
  {
    ruleId: "QC-DX-002",
    name: "asterisk code alone as principal",
    message: edit(v, (m) => {
      m.input.diseinfo[0].diag_code = "H13.3*";
      m.input.diseinfo[0].diag_name = "眼类天疱疮";
    }),
    // A dictionary that lists the asterisk code on its own, so that only this rule is broken.
    context: { codes: codesWithExtraDiagnoses({ "H13.3*": "眼类天疱疮" }) },
    fields: ["diseinfo[0].diag_code"],
    mentions: "H13.3*",
  },
  {
    ruleId: "QC-DX-003",
    name: "external cause as principal",
    message: edit(v, (m) => {
      m.input.diseinfo[0].diag_code = "V09.000";
      m.input.diseinfo[0].diag_name = "行人在非交通事故中的损伤";
    }),
    fields: ["diseinfo[0].diag_code"],
    mentions: "V09.000",
  },
  {
    ruleId: "QC-DX-004",
    name: "obstetric code for a man",
    message: edit(v, (m) => {
      m.input.diseinfo[1].diag_code = "O00.100";
      m.input.diseinfo[1].diag_name = "输卵管妊娠";
    }),
    fields: ["diseinfo[1].diag_code"],
    mentions: "O00.100",
  },
  {
    ruleId: "QC-DX-005",
    name: "male genital code for a woman",
    message: edit(femaleMessage, (m) => {
      m.input.diseinfo[1].diag_code = "N41.100";
      m.input.diseinfo[1].diag_name = "慢性前列腺炎";
    }),
    fields: ["diseinfo[1].diag_code"],
  },
  {
    ruleId: "QC-DX-006",
    name: "newborn code for an adult",
    message: edit(v, (m) => {
      m.input.diseinfo[1].diag_code = "P07.100";
      m.input.diseinfo[1].diag_name = "其他低出生体重";
    }),
    fields: ["diseinfo[1].diag_code"],
  },
  {
    ruleId: "QC-OPR-001",
    name: "two principal procedures",
    message: edit(v, (m, s) => {
      m.input.oprninfo.push({
        ...m.input.oprninfo[0],
        oprn_oprt_code: "54.2100",
        oprn_oprt_name: "腹腔镜检查",
      });
      s.oprn_oprt_code_cnt = 2;
    }),
    fields: ["oprninfo[1].oprn_oprt_type"],
  },
  {
    ruleId: "QC-OPR-001",
    name: "principal procedure not first",
    message: edit(v, (m, s) => {
      m.input.oprninfo.unshift({
        ...m.input.oprninfo[0],
        oprn_oprt_type: "2",
        oprn_oprt_code: "54.2100",
        oprn_oprt_name: "腹腔镜检查",
      });
      s.oprn_oprt_code_cnt = 2;
    }),
    fields: ["oprninfo[1].oprn_oprt_type"],
  },
  {
    ruleId: "QC-CNT-001",
    name: "diagnosis count",
    message: edit(v, (_m, s) => (s.diag_code_cnt = 3)),
    fields: ["setlinfo.diag_code_cnt"],
  },
  {
    ruleId: "QC-CNT-002",
    name: "procedure count",
    message: edit(v, (_m, s) => (s.oprn_oprt_code_cnt = 0)),
    fields: ["setlinfo.oprn_oprt_code_cnt"],
  },
  {
    ruleId: "QC-DX-007",
    name: "outcome of delivery as principal",
    message: edit(v, (m) => {
      m.input.diseinfo[0].diag_code = "Z37.000x001";
      m.input.diseinfo[0].diag_name = "单胎活产";
    }),
    fields: ["diseinfo[0].diag_code"],
    mentions: "Z37.000x001",
  },
  {
    ruleId: "QC-DX-008",
    name: "injury principal without an external cause",
    message: edit(v, (m) => {
      m.input.diseinfo[0].diag_code = "S72.000x031";
      m.input.diseinfo[0].diag_name = "股骨颈头下骨折";
    }),
    fields: ["diseinfo[0].diag_code"],
    mentions: "S72.000x031",
  },
  {
    ruleId: "QC-DX-009",
    name: "one diagnosis coded twice",
    message: edit(v, (m, s) => {
      m.input.diseinfo.push({ ...m.input.diseinfo[1] });
      s.diag_code_cnt = 3;
    }),
    fields: ["diseinfo[2].diag_code"],
    mentions: "I10.x05",
  },
  {
    ruleId: "QC-OPR-002",
    name: "operation without an anaesthesia method",
    message: edit(v, (m) => delete m.input.oprninfo[0].anst_way),
    fields: ["oprninfo[0].anst_way"],
    mentions: "47.0100",
  },
  {
    ruleId: "QC-CLN-001",
    name: "ICU one minute longer than the stay",
    message: edit(v, (m) =>
      m.input.icuinfo.push({
        scs_cutd_ward_type: "1",
        scs_cutd_inpool_time: "2024-03-04 10:00:00",
        scs_cutd_exit_time: "2024-03-05 10:00:00",
        scs_cutd_sum_dura: "5/0/46",
      }),
    ),
    fields: ["icuinfo"],
    mentions: "5 天 0 小时 46 分钟",
  },
  {
    ruleId: "QC-CLN-002",
    name: "ventilator one minute longer than the stay",
    message: edit(v, (_m, s) => (s.vent_used_dura = "5/0/46")),
    fields: ["setlinfo.vent_used_dura"],
    mentions: "5 天 0 小时 45 分钟",
  },
  {
    ruleId: "QC-CLN-003",
    name: "nursing days one more than the stay",
    message: edit(v, (_m, s) => (s.lv1_nurscare_days = 2)),
    fields: ["setlinfo.spga_nurscare_days"],
    mentions: "合计 6 天",
  },
  {
    ruleId: "QC-CLN-004",
    name: "planned readmission without its purpose",
    message: edit(v, (_m, s) => (s.days_rinp_flag_31 = "2")),
    fields: ["setlinfo.days_rinp_pup_31"],
  },
  {
    ruleId: "QC-CLN-005",
    name: "no discharge way",
    message: edit(v, (_m, s) => delete s.dscg_way),
    fields: ["setlinfo.dscg_way"],
  },
  {
    ruleId: "QC-DATE-001",
    name: "discharged before admission",
    message: edit(v, (_m, s) => {
      s.dscg_time = "2024-03-04 08:00:00";
      s.act_ipt_days = 1;
      s.lv1_nurscare_days = 0;
      s.scd_nurscare_days = 1;
      s.setl_end_date = "2024-03-04";
    }),
    fields: ["setlinfo.dscg_time"],
  },
  {
    ruleId: "QC-DATE-002",
    name: "settlement begins after it ends",
    message: edit(v, (_m, s) => (s.setl_begn_date = "2024-03-10")),
    fields: ["setlinfo.setl_end_date"],
  },
  {
    ruleId: "QC-DATE-003",
    name: "length of stay inconsistent",
    message: edit(v, (_m, s) => (s.act_ipt_days = 7)),
    fields: ["setlinfo.act_ipt_days"],
  },
  {
    ruleId: "QC-DATE-004",
    name: "dates after the upload",
    message: v,
    context: { today: "2024-03-08" },
    fields: ["setlinfo.dscg_time", "setlinfo.setl_end_date"],
  },
  {
    ruleId: "QC-DATE-005",
    name: "operation outside the stay",
    message: edit(v, (m) => (m.input.oprninfo[0].oprn_oprt_date = "2024-03-10")),
    fields: ["oprninfo[0].oprn_oprt_date"],
  },
  {
    ruleId: "QC-AGE-001",
    name: "age inconsistent with birth date",
    message: edit(v, (_m, s) => (s.age = 40)),
    fields: ["setlinfo.age"],
  },
  {
    ruleId: "QC-AGE-002",
    name: "age in days inconsistent with birth date",
    message: edit(newbornMessage, (_m, s) => (s.nwb_age = 20)),
    fields: ["setlinfo.nwb_age"],
  },
  {
    ruleId: "QC-NWB-001",
    name: "newborn without birth weight",
    message: edit(newbornMessage, (_m, s) => delete s.nwb_bir_wt),
    fields: ["setlinfo.nwb_bir_wt"],
  },
  {
    ruleId: "QC-NWB-002",
    name: "implausible birth weight",
    message: edit(newbornMessage, (_m, s) => (s.nwb_bir_wt = 150)),
    fields: ["setlinfo.nwb_bir_wt"],
  },
  {
    ruleId: "QC-FEE-001",
    name: "fee item parts do not add up",
    message: edit(v, (m) => (m.input.iteminfo[0].claa_sumfee = 200)),
    fields: ["iteminfo[0].amt"],
  },
  {
    ruleId: "QC-FEE-002",
    name: "payments do not add up to the fee total",
    message: edit(v, (m) => (m.input.payinfo[0].fund_payamt = "6999.99")),
    fields: ["payinfo"],
    mentions: "0.01",
  },
  {
    ruleId: "QC-FEE-003",
    name: "personal burden inconsistent",
    message: edit(v, (_m, s) => (s.psn_selfpay = "2600.00")),
    fields: ["setlinfo.psn_cashpay"],
  },
  {
    ruleId: "QC-TIME-001",
    name: "uploaded 9 days after settlement",
    message: v,
    context: { today: "2024-03-18" },
    fields: ["setlinfo.setl_end_date"],
  },
  {
    ruleId: "QC-TIME-002",
    name: "hospital check two days before the deadline",
    message: v,
    context: { mode: "hospital", today: "2024-03-15" },
    fields: ["setlinfo.setl_end_date"],
  },
  {
    ruleId: "QC-ID-001",
    name: "ID number with a wrong check digit",
    message: edit(v, (_m, s) => (s.certno = "210102197905120032")),
    fields: ["setlinfo.certno"],
  },
  {
    ruleId: "QC-ID-002",
    name: "sex differs from the ID number",
    message: edit(v, (_m, s) => (s.certno = withIdCheckChar("21010219790512002"))),
    fields: ["setlinfo.gend"],
  },
  {
    ruleId: "QC-DX-010",
    // The grouping outcome is this rule's input: here the scheme's answer is given; the real grouper
    // (Suzhou 2023, K35.800x001 + 78.6101 → GQY) is in principal-procedure-match.test.ts.
    name: "the scheme sends the list to an ambiguous group",
    message: v,
    context: { groupList: () => ({ status: "AMBIGUOUS", drg: "GQY", drgName: "MDCG 歧义组" }) },
    fields: ["oprninfo[0].oprn_oprt_code"],
    mentions: "GQY",
  },
];

describe("every QC rule, broken alone, gives exactly its finding", () => {
  const severities = new Map(DEFAULT_QC_RULES.rules.map((r) => [r.id, r.severity]));
  for (const c of CASES) {
    it(`${c.ruleId}: ${c.name}`, () => {
      const r = checkSettlementMessage(c.message(), context(c.context));
      expect(r.findings.map((f) => [f.ruleId, f.field])).toEqual(c.fields.map((f) => [c.ruleId, f]));
      for (const f of r.findings) {
        expect(f.severity).toBe(severities.get(c.ruleId));
        expect(f.message).not.toMatch(/\{[a-zA-Z]+\}/);
        if (c.mentions) expect(f.message).toContain(c.mentions);
      }
      expect(r.accepted).toBe(severities.get(c.ruleId) === "warning");
    });
  }

  it("covers every rule of the default rule set", () => {
    const covered = new Set(CASES.map((c) => c.ruleId));
    expect(DEFAULT_QC_RULES.rules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("an asterisk code alone is also a non-national code in the real dictionary; a dagger-asterisk pair is allowed", () => {
    const alone = edit(v, (m) => (m.input.diseinfo[0].diag_code = "H13.3*"))();
    expect(checkSettlementMessage(alone, context()).findings.map((f) => f.ruleId)).toEqual([
      "QC-CODE-002",
      "QC-DX-002",
    ]);
    const pair = edit(v, (m) => {
      m.input.diseinfo[0].diag_code = "A01.002+G01*";
      m.input.diseinfo[0].diag_name = "伤寒性脑膜炎";
    })();
    expect(checkSettlementMessage(pair, context()).findings).toEqual([]);
  });

  it("with plain dictionaries (no version map) a code of another version is refused", () => {
    const { diagnosisMap, procedureMap } = realCodes();
    const plain = codeMapsOf(diagnosisMap.dictionary, procedureMap.dictionary);
    const m = edit(v, (x) => (x.input.oprninfo[0].oprn_oprt_code = "47.0900x002"))();
    expect(checkSettlementMessage(m, context({ codes: plain })).findings.map((f) => f.ruleId)).toEqual([
      "QC-CODE-004",
    ]);
    expect(checkSettlementMessage(v(), context({ codes: plain })).findings).toEqual([]);
  });

  it("names the setl_id in findings", () => {
    const r = checkSettlementMessage(edit(v, (_m, s) => (s.age = 40))(), context());
    expect(r.findings[0]?.setlId).toBe("210000H2101020012324030900042");
  });
});
