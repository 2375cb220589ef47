import { groupRecord } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { describe, expect, it } from "vitest";
import {
  checkSettlementList,
  checkSettlementMessage,
  parseSettlementMessage,
  toGroupingRecord,
  toWireMessage,
} from "../src/index.js";
import { context, newbornMessage, SCHEME_DIR, validMessage } from "./helpers.js";

describe("the valid complete 4101 message", () => {
  it("parses with typed values: fen, ISO dates, principal first", () => {
    const { list, findings } = parseSettlementMessage(validMessage());
    expect(findings).toEqual([]);
    expect(list).toBeDefined();
    if (!list) return;
    expect(list.infno).toBe("4101");
    expect(list.info.setlId).toBe("210000H2101020012324030900042");
    expect(list.info.admTime).toBe("2024-03-04T09:15:00");
    expect(list.info.brdy).toBe("1979-05-12");
    expect(list.info.age).toBe(44);
    expect(list.info.psnCashpay).toBe(242_200);
    expect(list.feeItems.map((i) => i.amt)).toEqual([
      30_000, 120_050, 86_000, 95_030, 320_000, 24_000, 215_080, 132_040,
    ]);
    expect(list.fundPayments.map((p) => [p.fundPayType, p.fundPayamt])).toEqual([
      ["310100", 700_000],
      ["310200", 80_000],
    ]);
    expect(list.diagnoses.map((d) => d.diagCode)).toEqual(["K35.800x001", "I10.x05"]);
    expect(list.procedures[0]?.oprnOprtCode).toBe("47.0100");
  });

  it("passes quality control with no finding in both modes", () => {
    for (const mode of ["bureau", "hospital"] as const) {
      const r = checkSettlementMessage(validMessage(), context({ mode }));
      expect(r.findings).toEqual([]);
      expect(r.accepted).toBe(true);
    }
  });

  it("as a newborn's stay also passes", () => {
    const r = checkSettlementMessage(newbornMessage(), context());
    expect(r.findings).toEqual([]);
  });

  it("as a 4101A list passes without payments, fee items and personal payments", () => {
    const m = validMessage();
    m.infno = "4101A";
    delete m.input.payinfo;
    delete m.input.iteminfo;
    for (const k of ["psn_selfpay", "psn_ownpay", "acct_pay", "psn_cashpay"]) delete m.input.setlinfo[k];
    const r = checkSettlementMessage(m, context());
    expect(r.findings).toEqual([]);
    // The same list as 4101 is refused for exactly the 4101-only parts.
    m.infno = "4101";
    const r4101 = checkSettlementMessage(m, context());
    expect(r4101.accepted).toBe(false);
    expect(new Set(r4101.findings.map((f) => f.ruleId))).toEqual(new Set(["QC-REQ-002"]));
    expect(r4101.findings.map((f) => f.field).sort()).toEqual(
      [
        "iteminfo",
        "payinfo",
        "setlinfo.acct_pay",
        "setlinfo.psn_cashpay",
        "setlinfo.psn_ownpay",
        "setlinfo.psn_selfpay",
      ].sort(),
    );
  });

  it("puts the principal diagnosis and procedure first", () => {
    const m = validMessage();
    m.input.diseinfo.reverse();
    m.input.oprninfo.unshift({
      ...m.input.oprninfo[0],
      oprn_oprt_type: "2",
      oprn_oprt_code: "54.2100",
      oprn_oprt_name: "腹腔镜检查",
    });
    m.input.oprninfo.reverse();
    m.input.setlinfo.oprn_oprt_code_cnt = 2;
    const { list } = parseSettlementMessage(m);
    expect(list?.diagnoses.map((d) => [d.diagCode, d.position])).toEqual([
      ["K35.800x001", 1],
      ["I10.x05", 0],
    ]);
    expect(list?.procedures.map((p) => [p.oprnOprtCode, p.position])).toEqual([
      ["47.0100", 0],
      ["54.2100", 1],
    ]);
  });

  it("round-trips through toWireMessage", () => {
    const { list } = parseSettlementMessage(validMessage());
    if (!list) throw new Error("no list");
    const wire = toWireMessage(list);
    expect(wire.input.setlinfo.psn_cashpay).toBe("2422.00");
    expect(wire.input.setlinfo.adm_time).toBe("2024-03-04 09:15:00");
    const again = parseSettlementMessage(JSON.parse(JSON.stringify(wire)));
    expect(again.findings).toEqual([]);
    expect(again.list).toEqual(list);
    expect(checkSettlementList(list, context())).toEqual([]);
  });

  it("becomes a grouping record that the real CHS-DRG 1.1 scheme groups", async () => {
    const { list } = parseSettlementMessage(validMessage());
    if (!list) throw new Error("no list");
    const scheme = await loadSchemeDir(SCHEME_DIR);
    const record = toGroupingRecord(list, scheme);
    expect(record).toEqual({
      id: "210000H2101020012324030900042",
      sex: "1",
      ageYears: 44,
      ageDays: null,
      birthWeight: null,
      dept: "A04.01",
      los: 5,
      dischargeWay: "1",
      diagnoses: ["K35.800x001", "I10.x05"],
      procedures: ["47.0100"],
    });
    const result = groupRecord(scheme, record);
    expect(result.status).toBe("OK");
    expect(result.mdc).toBe("G");

    // Codes of another version are mapped before grouping.
    const m = validMessage();
    m.input.oprninfo[0].oprn_oprt_code = "47.0900x002";
    const mapped = toGroupingRecord(parseSettlementMessage(m).list as NonNullable<typeof list>, scheme);
    expect(mapped.procedures).toEqual(["47.0903"]);

    const nb = toGroupingRecord(
      parseSettlementMessage(newbornMessage()).list as NonNullable<typeof list>,
      scheme,
    );
    expect([nb.ageYears, nb.ageDays, nb.birthWeight]).toEqual([0, 13, 3250]);
  });

  it("maps sex to '' when it is neither 1 nor 2, and computes los from the dates when absent", () => {
    const m = validMessage();
    m.input.setlinfo.gend = "9";
    delete m.input.setlinfo.act_ipt_days;
    const r = toGroupingRecord(parseSettlementMessage(m).list as never);
    expect(r.sex).toBe("");
    expect(r.los).toBe(5);
  });
});
