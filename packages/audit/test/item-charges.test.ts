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
    expect(f[0]?.evidence[0]?.text).toBe(
      "2023-05-04、2023-05-05 同日收取 120100002 及其内涵项目 120400006：2 条明细，医保目录内金额 30.00 元",
    );
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
    // Lines that each family would flag, with every rule off: nothing.
    const all = [
      ...two,
      line("120100002", 12_000),
      line("120400006", 1_500),
      line("C14040001", 300_000, { chrgitmLv: "03" }),
      line("310516001", 8_000),
      line("ZF0001", 1_000, { ownPayAmount: 0 }),
      line("X1", 5_000, { chrgitmLv: "03", ownPayAmount: 0 }),
    ];
    expect(audit(all, KNOWLEDGE)).toHaveLength(5);
    expect(audit(all, KNOWLEDGE, off)).toEqual([]);
    // Without the self-pay list the 丙类 line is still found, the listed item is not.
    const noList: KnowledgeBase = { ...KNOWLEDGE, selfPayItems: undefined } as unknown as KnowledgeBase;
    expect(
      audit(all, noList)
        .filter((f) => f.ruleId === "ZC-09")
        .map((f) => f.evidence[0]?.fields.group),
    ).toEqual(["丙类（全自费）项目"]);
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

describe("each family's message and evidence, word for word, and the order and selection of lines", () => {
  const one = (details: DetailItem[], knowledge: KnowledgeBase = KNOWLEDGE) => {
    const f = audit(details, knowledge);
    expect(f).toHaveLength(1);
    return f[0] as NonNullable<(typeof f)[0]>;
  };

  it("超限定频次: the later line is over, by date and then by upload order, at its own amount", () => {
    const t = (date: string, amount: number) => line("260000001", amount, { category: "04", date });
    // Uploaded out of order: 05-02 (40.00) first, then 05-01 (30.00); 05-02 is the one over.
    const f = one([t("2023-05-02", 4_000), t("2023-05-01", 3_000)]);
    expect(f.message).toBe(
      "血型鉴定超限定频次（每次住院限 1 次）：每次住院限 1，收取 2，超出 1，医保支付部分 40.00 元不应由基金支付；涉及金额 40.00 元",
    );
    expect(f.evidence[0]?.text).toBe(
      "血型鉴定 2 条明细共 2；每次住院最多 1；超出 1 的医保目录内金额 40.00 元",
    );
    expect(f.evidence[0]?.fields.items).toEqual(["项目260000001（260000001）"]);
    // Two on one day: the second uploaded (25.00) is over, not the first (35.00).
    expect(one([t("2023-05-01", 3_500), t("2023-05-01", 2_500)]).evidence[0]?.fields.coveredAmount).toBe(
      2_500,
    );
    // A line of no quantity neither counts nor is named.
    const zero = line("260000001", 3_000, { category: "04", quantity: 0 });
    expect(one([t("2023-05-01", 3_000), zero, t("2023-05-02", 3_000)]).evidence[0]?.text).toContain(
      "2 条明细共 2",
    );
  });

  it("项目内涵: the message names the bundle and the components, the evidence the selectors and dates", () => {
    const kb: KnowledgeBase = {
      ...KNOWLEDGE,
      bundles: [
        {
          name: "重症监护内涵",
          text: "重症监护含心电监测",
          bundle: { prefixes: ["3316"] },
          components: { codes: ["310701008"], prefixes: ["31070200"] },
        },
      ],
    };
    const icu = (date: string, quantity = 1) => line("331600001", 20_000, { date, quantity });
    const ecg = (date: string) => line("310701008", 800, { date });
    const other = (date: string) => line("250101001", 500, { date });
    const f = one([icu("2023-05-04"), ecg("2023-05-04"), other("2023-05-04"), icu("2023-05-05")], kb);
    expect(f.message).toBe(
      "重症监护内涵：项目331600001（331600001）已含项目310701008（310701008），同日另行收取 1 日，医保支付部分 8.00 元属重复收费（重症监护含心电监测）；涉及金额 8.00 元",
    );
    expect(f.evidence[0]?.text).toBe(
      "2023-05-04 同日收取 3316* 及其内涵项目 310701008、31070200*：1 条明细，医保目录内金额 8.00 元",
    );
    expect(f.evidence[0]?.fields).toMatchObject({ dates: ["2023-05-04"], lines: 1, coveredAmount: 800 });
    // A bundle line of no quantity is not a bundle charged.
    expect(audit([icu("2023-05-04", 0), ecg("2023-05-04")], kb)).toEqual([]);
  });

  it("串换项目: the message and evidence, day and stay wording; markers of no quantity and self-paid billed lines are left", () => {
    const implant = (date: string, quantity = 1) =>
      line("C14040001", 300_000, { category: "08", date, chrgitmLv: "03", quantity });
    const extraction = (date: string, extra: Partial<DetailItem> = {}) =>
      line("310516001", 8_000, { date, ownPayAmount: 2_000, ...extra });
    const f = one([implant("2023-05-04"), extraction("2023-05-04")]);
    expect(f.message).toBe(
      "种植牙串换牙拔除术：同日收取项目C14040001（C14040001），提示实际提供的是种植牙，却按项目310516001（310516001）由医保支付 60.00 元（种植牙不属医保支付范围）；涉及金额 60.00 元",
    );
    expect(f.evidence[0]?.text).toBe(
      "同日有 C1404* 1 条，医保目录内项目 310516001 1 条，医保目录内金额 60.00 元",
    );
    const [sub] = KNOWLEDGE.substitutions ?? [];
    if (sub === undefined) throw new Error("no substitution");
    const stayWide: KnowledgeBase = { ...KNOWLEDGE, substitutions: [{ ...sub, scope: "stay" }] };
    expect(one([implant("2023-05-03"), extraction("2023-05-04")], stayWide).message).toContain(
      "同次住院收取",
    );
    expect(audit([implant("2023-05-04", 0), extraction("2023-05-04")])).toEqual([]);
    expect(audit([extraction("2023-05-04")], stayWide)).toEqual([]);
    expect(audit([implant("2023-05-04"), extraction("2023-05-04", { ownPayAmount: 8_000 })])).toEqual([]);
    // A line both billed item and marker is a marker, not a billed item.
    const both: KnowledgeBase = {
      ...KNOWLEDGE,
      substitutions: [{ ...sub, billed: { prefixes: ["C1404", "310516"] } }],
    };
    expect(
      one([line("C14040001", 5_000, { chrgitmLv: "02" }), extraction("2023-05-04")], both).evidence[0]
        ?.fields,
    ).toMatchObject({
      lines: 1,
      coveredAmount: 6_000,
    });
  });

  it("违规支付: the message and evidence of each group; a line counts under the first list naming it", () => {
    const kb: KnowledgeBase = {
      ...KNOWLEDGE,
      selfPayItems: [
        { name: "就诊卡工本费", text: "不予支付", prefixes: ["ZF"] },
        { name: "生活用品", text: "生活用品不予支付", prefixes: ["ZF", "SH"] },
      ],
    };
    const f = audit(
      [
        line("X1", 5_000, { chrgitmLv: "03", ownPayAmount: 3_000 }),
        line("ZF0001", 1_000, { ownPayAmount: 0 }),
        line("SH0001", 600, { ownPayAmount: 100 }),
      ],
      kb,
    );
    expect(f.map((x) => x.message)).toEqual([
      "违规支付：丙类（全自费）项目项目X1（X1）应由患者全额负担，却有 20.00 元纳入医保基金支付（丙类项目费用由个人全额负担）；涉及金额 20.00 元",
      "违规支付：就诊卡工本费项目ZF0001（ZF0001）应由患者全额负担，却有 10.00 元纳入医保基金支付（不予支付）；涉及金额 10.00 元",
      "违规支付：生活用品项目SH0001（SH0001）应由患者全额负担，却有 5.00 元纳入医保基金支付（生活用品不予支付）；涉及金额 5.00 元",
    ]);
    expect(f[0]?.evidence[0]?.text).toBe("1 条明细的全自费金额低于金额，差额合计 20.00 元");
  });
});

describe("finding ids and many items", () => {
  it("each family's finding id names the rule, the stay and the table entry", () => {
    const f = audit([
      line("260000001", 2_000, { date: "2023-05-01" }),
      line("260000001", 2_000),
      line("120100002", 12_000),
      line("120400006", 1_500),
      line("C14040001", 300_000, { chrgitmLv: "03" }),
      line("310516001", 8_000),
      line("ZF0001", 1_000, { ownPayAmount: 0 }),
      line("X1", 5_000, { chrgitmLv: "03", ownPayAmount: 0 }),
    ]);
    expect(f.map((x) => x.id)).toEqual([
      `ZC-07:${S.id}:frequency:血型鉴定`,
      `ZC-08:${S.id}:bundle:特级护理内涵`,
      `GL-01:${S.id}:substitution:种植牙串换牙拔除术`,
      `ZC-09:${S.id}:selfpay:丙类（全自费）项目`,
      `ZC-09:${S.id}:selfpay:就诊卡工本费`,
    ]);
  });

  it("several items are joined with 、 and at most six are named", () => {
    const kb: KnowledgeBase = {
      ...KNOWLEDGE,
      bundles: [{ name: "包", text: "内涵", bundle: { prefixes: ["B"] }, components: { prefixes: ["C"] } }],
      substitutions: [
        {
          name: "换",
          text: "串换",
          billed: { prefixes: ["P"] },
          markers: { prefixes: ["M"] },
          actual: "某项目",
          scope: "day",
        },
      ],
    };
    const codes = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => line(`${prefix}${i + 1}`, 100));
    const [bundle] = audit([...codes("B", 2), ...codes("C", 7)], kb);
    expect(bundle?.message).toContain("项目B1（B1）、项目B2（B2）已含项目C1（C1）、项目C2（C2）、");
    expect(bundle?.evidence[0]?.fields.items).toHaveLength(6);
    expect(bundle?.evidence[0]?.fields.lines).toBe(7);
    const [swap] = audit([...codes("M", 2), ...codes("P", 2)], kb);
    expect(swap?.message).toContain(
      "同日收取项目M1（M1）、项目M2（M2），提示实际提供的是某项目，却按项目P1（P1）、项目P2（P2）由医保支付",
    );
    const [paid] = audit(
      Array.from({ length: 2 }, (_, i) => line(`Y${i}`, 100, { chrgitmLv: "03", ownPayAmount: 0 })),
    );
    expect(paid?.message).toContain("丙类（全自费）项目项目Y0（Y0）、项目Y1（Y1）应由患者全额负担");
  });
});

describe("fractional quantities are counted exactly (in ten-thousandths of a unit)", () => {
  const kb = (maxUnits: number): KnowledgeBase => ({
    ...KNOWLEDGE,
    frequencyLimits: [{ name: "某药", codes: ["XF1"], text: "限量", maxUnits }],
  });
  const dose = (quantity: number, amount: number, date = "2023-05-04") =>
    line("XF1", amount, { quantity, unitPrice: amount / quantity, date });

  it("0.1 + 0.2 units under a limit of 0.3: nothing over (no binary floating-point remainder)", () => {
    expect(audit([dose(0.1, 100), dose(0.2, 200)], kb(0.3))).toEqual([]);
    // 0.1 + 0.2 + 0.0001 is one ten-thousandth over: the third line, 0.0001 of a unit at 1 fen, in full.
    const f = audit([dose(0.1, 100), dose(0.2, 200), dose(0.0001, 1)], kb(0.3));
    expect(f[0]?.evidence[0]?.fields).toMatchObject({ unitsOver: 0.0001, coveredAmount: 1 });
  });

  it("a quantity below a ten-thousandth is no quantity: it neither counts nor is priced", () => {
    expect(audit([dose(1, 1_000), dose(0.00001, 1_000)], kb(1))).toEqual([]);
  });
});
