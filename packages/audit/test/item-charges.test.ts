/**
 * 超限定频次, 项目内涵重复收费, 串换项目 and 违规支付 (issue 13, item 4), each at its edges, by hand.
 * The covered (fund-payable) part of a line is 金额 − 全自费金额 of a 甲类/乙类 line. Money in fen.
 *
 * Worked figures:
 * - 血型鉴定 1 per stay, two lines of 20.00: the second is over, 20.00 removed.
 * - 2 in any 7 days: 05-01, 05-04, 05-07 → the window of 05-07 is 05-01…05-07 and holds two: 05-07 is
 *   over; 05-01, 05-04, 05-08 → the window of 05-08 is 05-02…05-08 and holds one: nothing over.
 * - 3 per stay, one line of 4 units at 10.01 元 (金额 10.01): 1 unit over, round(1001 × 1 ÷ 4) =
 *   round(250.25) = 250 fen; at 10.02 元: round(250.5) = 251 fen (half a fen rounds up).
 * - 特级护理 with 吸痰护理 (15.00) on the same day: 15.00 removed; on another day: nothing.
 * - 种植体 (marker) and 牙拔除术 (80.00, 20.00 own pay) on one day: 60.00 removed.
 * - A 丙类 line of 50.00 with 全自费金额 30.00: 20.00 charged to the fund.
 */
import { describe, expect, it } from "vitest";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { detectItemRules } from "../src/detect-items.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { readKnowledgeBase, readRuleBase } from "../src/rule-data.js";
import type { AuditRule, KnowledgeBase, RuleBase, RuleCheck } from "../src/rules.js";
import { context, stay } from "./helpers.js";

function rule(id: string, name: string, kind: RuleCheck["kind"], outcome: AuditRule["outcome"]): AuditRule {
  return {
    id,
    name,
    category: outcome === "明确违规" ? "政策类" : "管理类",
    scenarios: ["住院"],
    stages: ["事后"],
    outcome,
    violation: "item_rule",
    check: { kind } as RuleCheck,
    enabled: true,
    description: name,
    basis: "测试",
  };
}

const RULES: RuleBase = {
  ...STARTER_RULE_BASE,
  rules: [
    ...STARTER_RULE_BASE.rules,
    rule("ZC-07", "超限定频次", "frequency_limit", "明确违规"),
    rule("ZC-08", "项目内涵重复收费", "bundled_items", "明确违规"),
    rule("GL-01", "串换项目", "item_substitution", "可疑"),
    rule("ZC-09", "违规支付", "fund_paid_self_pay", "明确违规"),
  ],
};
const NEW_RULES = new Set(["ZC-07", "ZC-08", "GL-01", "ZC-09"]);

const KNOWLEDGE: KnowledgeBase = {
  ...STARTER_KNOWLEDGE_BASE,
  frequencyLimits: [
    { name: "血型鉴定", codes: ["260000001"], text: "每次住院限 1 次", maxUnits: 1 },
    { name: "某监测", codes: ["310000007"], text: "任意 7 日内限 2 次", maxUnits: 2, perDays: 7 },
    { name: "某治疗", prefixes: ["3311"], text: "每次住院限 3 次", maxUnits: 3 },
    // Overlapping charges per day: 有创 and 无创 ventilation together at most 24 hours a day.
    {
      name: "呼吸机辅助呼吸",
      codes: ["311000023", "311000024"],
      text: "每日合计不超过 24 小时",
      maxUnits: 24,
      perDays: 1,
    },
  ],
  bundles: [
    {
      name: "特级护理内涵",
      text: "特级护理含吸痰护理",
      bundle: { codes: ["120100002"] },
      components: { codes: ["120400006"] },
    },
  ],
  substitutions: [
    {
      name: "种植牙串换牙拔除术",
      text: "种植牙不属医保支付范围",
      billed: { codes: ["310516001"] },
      markers: { prefixes: ["C1404"] },
      actual: "种植牙",
      scope: "day",
    },
  ],
  selfPayItems: [{ name: "就诊卡工本费", text: "不予支付", prefixes: ["ZF"] }],
};

function line(code: string, amount: number, extra: Partial<DetailItem> = {}): DetailItem {
  return {
    code,
    name: `项目${code}`,
    category: "05",
    date: "2023-05-04",
    quantity: 1,
    unitPrice: amount,
    amount,
    chrgitmLv: "01",
    ...extra,
  };
}

const S: AuditStay = stay({ diagnoses: ["J15.902"], cost: 400_000 });

function audit(details: DetailItem[], knowledge: KnowledgeBase = KNOWLEDGE, rules: RuleBase = RULES) {
  const ctx = { ...context(), knowledge, rules };
  return detectItemRules({ ...S, details }, ctx).filter((f) => NEW_RULES.has(f.ruleId));
}

describe("超限定频次 (frequencyLimits)", () => {
  const typing = (date: string, extra: Partial<DetailItem> = {}) =>
    line("260000001", 2_000, { category: "04", date, ...extra });

  it("1 per stay: one line passes, a second one is over and its 20.00 removed", () => {
    expect(audit([typing("2023-05-01")])).toEqual([]);
    const f = audit([typing("2023-05-03"), typing("2023-05-01")]);
    expect(f).toHaveLength(1);
    expect(f[0]?.ruleId).toBe("ZC-07");
    expect(f[0]?.outcome).toBe("明确违规");
    expect(f[0]?.evidence[0]?.fields).toMatchObject({ chargedUnits: 2, unitsOver: 1, coveredAmount: 2_000 });
    expect(f[0]?.message).toContain("血型鉴定超限定频次（每次住院限 1 次）：每次住院限 1，收取 2，超出 1");
    expect(f[0]?.message).toContain("医保支付部分 20.00 元");
  });

  it("units the patient paid in full neither count nor are over", () => {
    expect(audit([typing("2023-05-01", { chrgitmLv: "03" }), typing("2023-05-02")])).toEqual([]);
    expect(audit([typing("2023-05-01", { ownPayAmount: 2_000 }), typing("2023-05-02")])).toEqual([]);
    // Own pay on the second line: only its covered part, 20.00 − 5.00, is removed.
    const f = audit([typing("2023-05-01"), typing("2023-05-02", { ownPayAmount: 500 })]);
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(1_500);
  });

  it("2 in any 7 days: the third on day 7 is over, on day 8 it is not", () => {
    const m = (date: string) => line("310000007", 3_000, { date });
    const day7 = audit([m("2023-05-01"), m("2023-05-04"), m("2023-05-07")]);
    expect(day7).toHaveLength(1);
    expect(day7[0]?.evidence[0]?.fields).toMatchObject({ perDays: 7, unitsOver: 1, coveredAmount: 3_000 });
    expect(day7[0]?.message).toContain("任意连续 7 日内限 2");
    expect(audit([m("2023-05-01"), m("2023-05-04"), m("2023-05-08")])).toEqual([]);
    // Two on one day and one the next: the third is over whatever the upload order.
    expect(
      audit([m("2023-05-02"), m("2023-05-01"), m("2023-05-01")])[0]?.evidence[0]?.fields.coveredAmount,
    ).toBe(3_000);
  });

  it("a line over in part: its units over at the line's own price, half a fen rounded up", () => {
    const four = (amount: number) => line("331100001", amount, { quantity: 4, unitPrice: amount / 4 });
    expect(audit([line("331100001", 1_001, { quantity: 3, unitPrice: 333.67 })])).toEqual([]);
    expect(audit([four(1_001)])[0]?.evidence[0]?.fields.coveredAmount).toBe(250);
    expect(audit([four(1_002)])[0]?.evidence[0]?.fields.coveredAmount).toBe(251);
    expect(audit([four(1_003)])[0]?.evidence[0]?.fields.coveredAmount).toBe(251);
  });
});

describe("overlapping charges per day (a frequency limit of one day over a group of items)", () => {
  const vent = (code: string, hours: number, date = "2023-05-04") =>
    line(code, hours * 1_000, { category: "05", date, quantity: hours, unitPrice: 1_000 });

  it("16 h 有创 and 8 h 无创 on one day pass; 16 h and 10 h: 2 h over, 20.00 removed; 10 h on the next day pass", () => {
    expect(audit([vent("311000023", 16), vent("311000024", 8)])).toEqual([]);
    const f = audit([vent("311000023", 16), vent("311000024", 10), vent("311000024", 10, "2023-05-05")]);
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence[0]?.fields).toMatchObject({
      perDays: 1,
      chargedUnits: 36,
      unitsOver: 2,
      coveredAmount: 2_000,
    });
    expect(f[0]?.message).toContain("每日限 24，收取 36，超出 2");
  });
});

describe("项目内涵重复收费 (bundles)", () => {
  const special = (date: string) => line("120100002", 12_000, { category: "07", date });
  const suction = (date: string, extra: Partial<DetailItem> = {}) =>
    line("120400006", 1_500, { category: "07", date, ...extra });

  it("a component beside its bundle on the same day: its 15.00 removed; on another day: nothing", () => {
    const f = audit([special("2023-05-04"), suction("2023-05-04")]);
    expect(f).toHaveLength(1);
    expect(f[0]?.ruleId).toBe("ZC-08");
    expect(f[0]?.evidence[0]?.fields).toMatchObject({
      dates: ["2023-05-04"],
      lines: 1,
      coveredAmount: 1_500,
    });
    expect(audit([special("2023-05-04"), suction("2023-05-05")])).toEqual([]);
    expect(audit([suction("2023-05-04")])).toEqual([]);
  });

  it("a self-paid component is not the fund's loss; two days are named in order", () => {
    expect(audit([special("2023-05-04"), suction("2023-05-04", { chrgitmLv: "03" })])).toEqual([]);
    const f = audit([
      special("2023-05-05"),
      suction("2023-05-05"),
      special("2023-05-04"),
      suction("2023-05-04"),
    ]);
    expect(f[0]?.evidence[0]?.fields).toMatchObject({
      dates: ["2023-05-04", "2023-05-05"],
      coveredAmount: 3_000,
    });
  });
});

describe("串换项目 (substitutions)", () => {
  const implant = (date: string) => line("C14040001", 300_000, { category: "08", date, chrgitmLv: "03" });
  const extraction = (date: string) => line("310516001", 8_000, { date, ownPayAmount: 2_000 });

  it("the billed item beside a marker the same day: its covered 60.00 is suspect", () => {
    const f = audit([implant("2023-05-04"), extraction("2023-05-04")]);
    expect(f).toHaveLength(1);
    expect(f[0]?.ruleId).toBe("GL-01");
    expect(f[0]?.outcome).toBe("可疑");
    expect(f[0]?.evidence[0]?.fields).toMatchObject({ actual: "种植牙", lines: 1, coveredAmount: 6_000 });
    expect(f[0]?.message).toContain("提示实际提供的是种植牙");
  });

  it("another day, or no marker: nothing; with scope stay, another day counts", () => {
    expect(audit([implant("2023-05-03"), extraction("2023-05-04")])).toEqual([]);
    expect(audit([extraction("2023-05-04")])).toEqual([]);
    const [sub] = KNOWLEDGE.substitutions ?? [];
    const stayWide: KnowledgeBase = { ...KNOWLEDGE, substitutions: sub ? [{ ...sub, scope: "stay" }] : [] };
    expect(audit([implant("2023-05-03"), extraction("2023-05-04")], stayWide)).toHaveLength(1);
  });
});

describe("违规支付 (丙类 lines and self-pay items charged to the fund)", () => {
  it("a 丙类 line of 50.00 with 30.00 own pay: 20.00 charged to the fund; in full or unknown: nothing", () => {
    const f = audit([line("X1", 5_000, { chrgitmLv: "03", ownPayAmount: 3_000 })]);
    expect(f).toHaveLength(1);
    expect(f[0]?.ruleId).toBe("ZC-09");
    expect(f[0]?.evidence[0]?.fields).toMatchObject({ group: "丙类（全自费）项目", fundCharged: 2_000 });
    expect(f[0]?.message).toContain("却有 20.00 元纳入医保基金支付");
    expect(audit([line("X1", 5_000, { chrgitmLv: "03", ownPayAmount: 5_000 })])).toEqual([]);
    expect(audit([line("X1", 5_000, { chrgitmLv: "03" })])).toEqual([]);
  });

  it("a listed self-pay item billed as 乙类: the amount not paid in full; one fen short is one fen", () => {
    const f = audit([line("ZF0001", 1_000, { chrgitmLv: "02", ownPayAmount: 999 })]);
    expect(f[0]?.evidence[0]?.fields).toMatchObject({ group: "就诊卡工本费", fundCharged: 1 });
    expect(audit([line("ZF0001", 1_000, { chrgitmLv: "02", ownPayAmount: 1_000 })])).toEqual([]);
    // Any other 乙类 line with part own pay is ordinary co-payment, not 违规支付.
    expect(audit([line("310000001", 1_000, { chrgitmLv: "02", ownPayAmount: 100 })])).toEqual([]);
  });
});

describe("the rules are data", () => {
  it("a disabled rule or a knowledge base without the table finds nothing", () => {
    const off: RuleBase = { ...RULES, rules: RULES.rules.map((r) => ({ ...r, enabled: false })) };
    const two = [line("260000001", 2_000, { date: "2023-05-01" }), line("260000001", 2_000)];
    expect(audit(two, KNOWLEDGE, off)).toEqual([]);
    expect(audit(two, STARTER_KNOWLEDGE_BASE)).toEqual([]);
  });

  it("the rule base and the knowledge base read the new kinds and refuse bad parameters by path", () => {
    expect(readRuleBase(RULES).problems).toEqual([]);
    expect(readKnowledgeBase(KNOWLEDGE).problems).toEqual([]);
    const bad = readKnowledgeBase({
      ...KNOWLEDGE,
      frequencyLimits: [{ name: "x", text: "y", codes: ["1"], maxUnits: 0 }],
      substitutions: [{ ...KNOWLEDGE.substitutions?.[0], scope: "week" }],
    });
    expect(bad.problems.join("\n")).toMatch(/frequencyLimits\.0\.maxUnits/);
    expect(bad.problems.join("\n")).toMatch(/substitutions\.0\.scope/);
  });
});
