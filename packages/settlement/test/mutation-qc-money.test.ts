// Tests of the money and identity checks (packages/settlement/src/qc/kinds/money.ts, identity.ts)
// against their mutants (issue 16, docs/mutation.md): one fen off, the tolerance at its limit, the
// excluded fund type, missing terms, refused parameters, and the ID card checks. The valid fixture:
// fee total 10 222.00 元 = fund 7 000.00 (310100; 310200 excluded) + account 800.00 + cash 2 422.00;
// self-pay 2 622.00 + own-pay 600.00 = account 800.00 + cash 2 422.00.
import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  compileQcRules,
  DEFAULT_CODE_TABLES,
  DEFAULT_QC_RULES,
  type QcContext,
  type QcRule,
  type QcRuleSet,
  withIdCheckChar,
} from "../src/index.js";
import { context, type Msg, validMessage } from "./helpers.js";

function hits(m: Msg, ruleId: string, ctx: Partial<QcContext> = {}): string[] {
  return checkSettlementMessage(m, context(ctx))
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.field} ${f.message}`);
}

/** The default rules with one rule's params replaced. */
function withParams(id: string, params: Record<string, unknown>): QcRuleSet {
  return {
    ...DEFAULT_QC_RULES,
    rules: DEFAULT_QC_RULES.rules.map((r) =>
      r.id === id ? { ...r, params: { ...r.params, ...params } } : r,
    ),
  };
}

describe("fee items add up (QC-FEE-001)", () => {
  it("refuses an item one fen off, naming the item and every part", () => {
    const m = validMessage();
    m.input.iteminfo[1].clab_amt = 399.99;
    expect(hits(m, "QC-FEE-001")).toEqual([
      "iteminfo[1].amt 收费项目「检查费」金额 1200.50 元 ≠ 甲类 800.50 + 乙类 399.99 + 全自费 0.00 + 其他 0.00 = 1200.49 元",
    ]);
  });

  it("skips an item with a missing part", () => {
    const m = validMessage();
    delete m.input.iteminfo[1].oth_amt;
    expect(hits(m, "QC-FEE-001")).toEqual([]);
  });
});

describe("money identities (QC-FEE-002, QC-FEE-003)", () => {
  it("refuses a difference of one fen, naming both sides and the difference", () => {
    const m = validMessage();
    m.input.setlinfo.acct_pay = "800.01";
    expect(hits(m, "QC-FEE-002")).toEqual([
      "payinfo 医疗费用总额（收费项目金额合计） 10222.00 元 ≠ 基金支付合计 7000.00 元 + 个人账户支出 800.01 元 + 个人现金支付 2422.00 元 = 10222.01 元，相差 0.01 元",
    ]);
    expect(hits(m, "QC-FEE-003")).toHaveLength(1);
    expect(hits(m, "QC-FEE-003")[0]).toMatch(/^setlinfo\.psn_cashpay .*相差 0\.01 元$/);
  });

  it("allows the tolerance, not one fen more", () => {
    const m = validMessage();
    m.input.setlinfo.acct_pay = "800.01";
    expect(hits(m, "QC-FEE-002", { rules: withParams("QC-FEE-002", { toleranceFen: 1 }) })).toEqual([]);
    m.input.setlinfo.acct_pay = "800.02";
    expect(hits(m, "QC-FEE-002", { rules: withParams("QC-FEE-002", { toleranceFen: 1 }) })).toHaveLength(1);
  });

  it("counts the excluded fund type only when it is not excluded", () => {
    // Without the exclusion the personal account (310200, 800.00) is counted twice: 800.00 off.
    const rules = withParams("QC-FEE-002", { excludeFundPayTypes: [] });
    const h = hits(validMessage(), "QC-FEE-002", { rules });
    expect(h).toHaveLength(1);
    expect(h[0]).toContain("相差 800.00 元");
  });

  it("is skipped when a term is missing", () => {
    const noFunds = validMessage();
    noFunds.input.payinfo = [];
    expect(hits(noFunds, "QC-FEE-002")).toEqual([]);
    const noFund = validMessage();
    delete noFund.input.payinfo[0].fund_payamt;
    expect(hits(noFund, "QC-FEE-002")).toEqual([]);
    const noItems = validMessage();
    noItems.input.iteminfo = [];
    expect(hits(noItems, "QC-FEE-002")).toEqual([]);
    const noAmt = validMessage();
    delete noAmt.input.iteminfo[0].amt;
    expect(hits(noAmt, "QC-FEE-002")).toEqual([]);
    const noCash = validMessage();
    delete noCash.input.setlinfo.psn_cashpay;
    expect(hits(noCash, "QC-FEE-003")).toEqual([]);
  });

  it("writes a one-term side without a sum", () => {
    const rules = withParams("QC-FEE-003", { left: ["psn_ownpay"], right: ["acct_pay"] });
    expect(hits(validMessage(), "QC-FEE-003", { rules })).toEqual([
      "setlinfo.psn_cashpay 个人自费 600.00 元 ≠ 个人账户支出 800.00 元，相差 200.00 元",
    ]);
  });

  it("refuses an unknown money term when compiled, listing the known ones", () => {
    const rule: QcRule = {
      id: "X-FEE",
      check: "moneyIdentity",
      category: "fee",
      severity: "error",
      message: "{left}",
      params: { left: ["fee_total"], right: ["nonsense"] },
    };
    const set: QcRuleSet = { id: "S", version: "1", effectiveDate: "2024-01-01", rules: [rule] };
    expect(() => compileQcRules(set, DEFAULT_CODE_TABLES, "bureau")).toThrow(
      /X-FEE.*left\/right.*fee_total、fund_total 或 .*psn_cashpay/,
    );
  });
});

describe("ID card (QC-ID-001, QC-ID-002)", () => {
  it("refuses a wrong check character of a resident ID, only for ID cards", () => {
    const m = validMessage();
    m.input.setlinfo.certno = "210102197905120032"; // the check character of …003 is 1
    expect(hits(m, "QC-ID-001")).toHaveLength(1);
    expect(hits(m, "QC-ID-001")[0]).toMatch(/^setlinfo\.certno .*「210102197905120032」/);
    expect(hits(m, "QC-ID-002")).toEqual([]);
    m.input.setlinfo.patn_cert_type = "99";
    expect(hits(m, "QC-ID-001")).toEqual([]);
  });

  it("names a birth date or sex that disagrees with the ID number", () => {
    const born = validMessage();
    born.input.setlinfo.brdy = "1979-05-13";
    born.input.setlinfo.age = 44;
    expect(hits(born, "QC-ID-002")).toEqual([
      "setlinfo.brdy 公民身份号码「210102197905120031」中的出生日期「1979-05-12」与清单填写的「1979-05-13」不符",
    ]);
    const sex = validMessage();
    sex.input.setlinfo.gend = "2";
    expect(hits(sex, "QC-ID-002")).toEqual([
      "setlinfo.gend 公民身份号码「210102197905120031」中的性别「男」与清单填写的「女」不符",
    ]);
    const female = validMessage();
    female.input.setlinfo.gend = "2";
    female.input.setlinfo.certno = withIdCheckChar("21010219790512002");
    expect(hits(female, "QC-ID-002")).toEqual([]);
    const unknownSex = validMessage();
    unknownSex.input.setlinfo.gend = "9";
    expect(hits(unknownSex, "QC-ID-002")).toEqual([]);
  });
});
