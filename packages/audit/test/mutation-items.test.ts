/**
 * Tests written against the surviving mutants of detect-items.ts (issue 16, docs/mutation.md): the
 * item rules of the starter knowledge base (性别/年龄限定 of diagnoses and items, 每日限量, 床位天数
 * and 床位费日上限, 互斥项目), each at its limit, one below and one above, with the findings' keys,
 * messages, evidence and amounts written by hand.
 *
 * Stays of J15.902 (ES35) costing 1500.00 元 are low outliers paid at actual cost (below
 * 0.4 × 4581.72 元): the fund loss of removing charges is then the amount removed.
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { detectItemRules } from "../src/detect-items.js";
import { UNPRICED_NOTE } from "../src/finding.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { KnowledgeBase, RuleCheck } from "../src/rules.js";
import { context, stay } from "./helpers.js";

function line(
  code: string,
  name: string,
  date: string,
  quantity: number,
  amount: number,
  category = "04",
): DetailItem {
  return { code, name, category, date, quantity, unitPrice: amount / quantity, amount };
}

function without(ctx: AuditContext, ...kinds: RuleCheck["kind"][]): AuditContext {
  return {
    ...ctx,
    rules: {
      ...ctx.rules,
      rules: ctx.rules.rules.map((r) => (kinds.includes(r.check.kind) ? { ...r, enabled: false } : r)),
    },
  };
}

const withKnowledge = (ctx: AuditContext, over: Partial<KnowledgeBase>): AuditContext => ({
  ...ctx,
  knowledge: { ...STARTER_KNOWLEDGE_BASE, ...over },
});

let n = 0;
/** A low-outlier pneumonia stay (1500.00 元) with these details. */
function lowStay(
  details: DetailItem[] | undefined,
  p: { sex?: "1" | "2"; age?: number; los?: number } = {},
): AuditStay {
  const s = stay({
    id: `IT${++n}`,
    diagnoses: ["J15.902"],
    cost: 150_000,
    los: p.los ?? 2,
    sex: p.sex,
    age: p.age,
  });
  return details === undefined ? s : { ...s, details };
}

describe("diagnoses restricted by sex (ZC-01) and age (ZC-02)", () => {
  const ctx = context();
  const dx = (code: string, sex: "1" | "2", age: number | null) => {
    const s = stay({ id: `DX${++n}`, diagnoses: [code], cost: 300_000, sex });
    return { ...s, record: { ...s.record, ageYears: age } };
  };
  it("a delivery (O80.000) of a male patient: the key, message and evidence, not priced", () => {
    const s = dx("O80.000", "1", 30);
    const f = detectItemRules(s, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toBe(`ZC-01:${s.id}:dx-sex:O80.000`);
    expect(f[0]?.message).toBe("诊断 O80.000（妊娠、分娩和产褥期）限女性，患者为男性");
    expect(f[0]?.evidence).toEqual([
      {
        text: "诊断 O80.000 属「妊娠、分娩和产褥期」，限女性",
        fields: { diagnosis: "O80.000", restrictedSex: "2", patientSex: "1" },
      },
    ]);
    expect(f[0]?.pricing).toBeNull();
    expect(f[0]?.fundLoss).toBe(0);
  });
  it("a prostate diagnosis (N40.x00) of a female patient; a patient of unknown sex is not judged", () => {
    expect(detectItemRules(dx("N40.x00", "2", 70), ctx)[0]?.message).toBe(
      "诊断 N40.x00（前列腺增生）限男性，患者为女性",
    );
    expect(detectItemRules(dx("N40.x00", "1", 70), ctx)).toEqual([]);
    const unknown = dx("N40.x00", "2", 70);
    expect(detectItemRules({ ...unknown, record: { ...unknown.record, sex: "" } }, ctx)).toEqual([]);
  });
  it("a delivery at 9, 10, 60 and 61 years: the limits 10–60 are allowed", () => {
    const age = (a: number | null) => detectItemRules(dx("O80.000", "2", a), ctx);
    expect(age(10)).toEqual([]);
    expect(age(60)).toEqual([]);
    expect(age(null)).toEqual([]);
    const young = age(9);
    expect(young.map((f) => f.ruleId)).toEqual(["ZC-02"]);
    expect(young[0]?.message).toBe("诊断 O80.000（妊娠、分娩和产褥期）限年龄 10–60 岁，患者 9 岁");
    const old = age(61);
    expect(old[0]?.id).toMatch(/^ZC-02:DX\d+:dx-age:O80\.000$/);
    expect(old[0]?.evidence).toEqual([
      {
        text: "诊断 O80.000 属「妊娠、分娩和产褥期」，年龄范围 10–60 岁",
        fields: { diagnosis: "O80.000", minAge: 10, maxAge: 60, age: 61 },
      },
    ]);
  });
  it("limits given on one side only are shown as 0 and ∞", () => {
    const k = withKnowledge(ctx, {
      diagnosisRestrictions: [
        { prefix: "J15", name: "某成人病", minAge: 18 },
        { prefix: "J15", name: "某儿童病", maxAge: 14 },
      ],
    });
    const f = detectItemRules(dx("J15.902", "1", 16), k);
    expect(f.map((x) => x.message)).toEqual([
      "诊断 J15.902（某成人病）限年龄 18–∞ 岁，患者 16 岁",
      "诊断 J15.902（某儿童病）限年龄 0–14 岁，患者 16 岁",
    ]);
    expect(f[0]?.evidence[0]?.fields).toEqual({ diagnosis: "J15.902", minAge: 18, maxAge: null, age: 16 });
    expect(f[1]?.evidence[0]?.fields).toEqual({ diagnosis: "J15.902", minAge: null, maxAge: 14, age: 16 });
    expect(detectItemRules(dx("J15.902", "1", 18), k).map((x) => x.message)).toEqual([
      "诊断 J15.902（某儿童病）限年龄 0–14 岁，患者 18 岁",
    ]);
    expect(detectItemRules(dx("J15.902", "1", 14), k).map((x) => x.message)).toEqual([
      "诊断 J15.902（某成人病）限年龄 18–∞ 岁，患者 14 岁",
    ]);
  });
  it("every diagnosis of the list is checked, by prefix; disabled rules find nothing", () => {
    const s = stay({ id: `DX${++n}`, diagnoses: ["J15.902", "N40.x00"], cost: 300_000, sex: "2" });
    expect(detectItemRules(s, ctx).map((f) => f.id)).toEqual([`ZC-01:${s.id}:dx-sex:N40.x00`]);
    expect(detectItemRules(s, without(ctx, "sex_restriction"))).toEqual([]);
    expect(detectItemRules(dx("O80.000", "2", 61), without(ctx, "age_restriction"))).toEqual([]);
  });
  it("a restriction naming no known sex is shown as 未知", () => {
    const k = withKnowledge(ctx, {
      diagnosisRestrictions: [{ prefix: "J15", name: "某病", sex: "0" as "1" }],
    });
    expect(detectItemRules(dx("J15.902", "1", 40), k)[0]?.message).toBe(
      "诊断 J15.902（某病）限未知性，患者为男性",
    );
  });
});

describe("bed fee beyond its daily cap (ZC-04, 床位费日上限 400.00 元 at level 3, tolerance 1 day)", () => {
  const ctx = context();
  const bedFee = (bed: number, los: number, level = "3") => {
    const s = stay({
      id: `BF${++n}`,
      diagnoses: ["J15.902"],
      cost: 150_000,
      los,
      fees: { "01": bed, "09": 150_000 - bed },
    });
    return detectItemRules({ ...s, hospitalLevel: level }, ctx);
  };
  it("2 days + 1: 1200.00 元 is allowed, one fen more is not", () => {
    expect(bedFee(120_000, 2)).toEqual([]);
    const f = bedFee(120_001, 2);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toMatch(/^ZC-04:BF\d+:bedfee$/);
    expect(f[0]?.message).toBe("床位费 1200.01 元超过日最高标准 400.00 元 × 3 日；涉及金额 0.01 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: "床位费 1200.01 元，住院 2 天，日最高标准 400.00 元",
        fields: { bedFee: 120_001, los: 2, capPerDay: 40_000 },
      },
    ]);
    expect(f[0]?.fundLoss).toBe(1);
  });
  it("a stay of 0 days counts as one day (+1): 800.00 元", () => {
    expect(bedFee(80_000, 0)).toEqual([]);
    expect(bedFee(80_001, 0)[0]?.message).toBe(
      "床位费 800.01 元超过日最高标准 400.00 元 × 2 日；涉及金额 0.01 元",
    );
  });
  it("level 1's own cap (200.00 元); a level without a cap is not checked", () => {
    expect(bedFee(60_000, 2, "1")).toEqual([]);
    expect(bedFee(60_001, 2, "1")[0]?.evidence[0]?.fields.capPerDay).toBe(20_000);
    expect(bedFee(149_000, 2, "9")).toEqual([]);
  });
  it("all 床位费 lines are summed, other categories are not", () => {
    const s = stay({
      id: `BF${++n}`,
      diagnoses: ["J15.902"],
      cost: 150_000,
      los: 2,
      fees: { "09": 150_000 },
    });
    const split = {
      ...s,
      fees: [
        { category: "01", amount: 60_000 },
        { category: "02", amount: 30_000 },
        { category: "01", amount: 60_001 },
      ],
    };
    expect(detectItemRules(split, ctx)[0]?.evidence[0]?.fields.bedFee).toBe(120_001);
    expect(detectItemRules(split, without(ctx, "quantity_limit"))).toEqual([]);
  });
});

describe("items charged beyond their daily limit (ZC-03, 重复收费)", () => {
  const ctx = context();
  const CBC = "250104002"; // 血细胞分析, at most 2 a day
  it("two a day pass; four a day: the excess half of 25.01 元 is 12.51 元 (rounded half up)", () => {
    expect(
      detectItemRules(
        lowStay([line(CBC, "血常规", "2023-05-04", 1, 1_000), line(CBC, "血常规", "2023-05-04", 1, 1_000)]),
        ctx,
      ),
    ).toEqual([]);
    const s = lowStay([
      line(CBC, "血常规", "2023-05-04", 3, 1_500),
      line(CBC, "血常规", "2023-05-04", 1, 1_001),
    ]);
    const f = detectItemRules(s, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toBe(`ZC-03:${s.id}:dup:${CBC}:2023-05-04`);
    expect(f[0]?.message).toBe("2023-05-04 血常规 收费 4 次，超过每日限量 2；涉及金额 12.51 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: `血常规（${CBC}）2023-05-04 合计数量 4，每日限量 2`,
        fields: { item: CBC, date: "2023-05-04", quantity: 4, maxPerDay: 2, excessAmount: 1_251 },
      },
    ]);
    expect(f[0]?.fundLoss).toBe(1_251);
  });
  it("three a day: one third of 30.01 元 is 10.00 元; the days are counted apart", () => {
    const s = lowStay([
      line(CBC, "血常规", "2023-05-04", 2, 2_000),
      line(CBC, "血常规", "2023-05-05", 2, 2_000),
      line(CBC, "血常规", "2023-05-04", 1, 1_001),
    ]);
    const f = detectItemRules(s, ctx);
    expect(f.map((x) => x.evidence[0]?.fields.excessAmount)).toEqual([1_000]);
    expect(f[0]?.evidence[0]?.fields.quantity).toBe(3);
  });
  it("items without a daily limit, or not in the catalogue, or with the rule off, are not counted", () => {
    const many = (code: string) => lowStay([line(code, "某项", "2023-05-04", 9, 9_000)]);
    expect(detectItemRules(many("120400007"), ctx)).toEqual([]);
    expect(detectItemRules(many("999999999"), ctx)).toEqual([]);
    expect(detectItemRules(many(CBC), without(ctx, "duplicate_charge"))).toEqual([]);
    expect(detectItemRules(many(CBC), ctx)).toHaveLength(1);
  });
  it("an empty detail list is no detail list", () => {
    expect(detectItemRules(lowStay([]), ctx)).toEqual([]);
  });
});

describe("bed days beyond the stay (ZC-04, LOS + 1 day)", () => {
  const ctx = context();
  const bed = (date: string, amount = 5_000, code = "110200001") =>
    line(code, "普通病房床位费", date, 1, amount, "01");
  it("3 bed days on a 2-day stay pass; 4: a quarter of 100.02 元 = 25.01 元 (rounded half up)", () => {
    expect(detectItemRules(lowStay([bed("2023-05-01"), bed("2023-05-02"), bed("2023-05-03")]), ctx)).toEqual(
      [],
    );
    const s = lowStay([
      bed("2023-05-01", 2_500),
      bed("2023-05-02", 2_500),
      bed("2023-05-03", 2_500),
      bed("2023-05-04", 2_502),
    ]);
    const f = detectItemRules(s, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toBe(`ZC-04:${s.id}:beddays`);
    expect(f[0]?.message).toBe("床位天数 4 天超过住院天数 2 天；涉及金额 25.01 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: "床位费明细合计 4 日，实际住院 2 天（允许 3 日）",
        fields: { bedDays: 4, los: 2, allowed: 3, excessAmount: 2_501 },
      },
    ]);
    expect(f[0]?.fundLoss).toBe(2_501);
  });
  it("bed days are the quantities of 床位费 items (the ICU bed too), not of other 01 lines", () => {
    const s = lowStay([
      line("110200001", "普通病房床位费", "2023-05-01", 1, 5_000, "01"),
      line("110200003", "重症监护床位费", "2023-05-02", 1, 5_000, "01"),
      line("110100001", "住院诊查费", "2023-05-03", 1, 5_000, "01"),
      line("110100001", "住院诊查费", "2023-05-04", 1, 5_000, "01"),
    ]);
    expect(detectItemRules(s, ctx)).toEqual([]);
    const t = lowStay([
      line("110200001", "普通病房床位费", "2023-05-01", 1, 5_000, "01"),
      line("110200003", "重症监护床位费", "2023-05-02", 3, 15_000, "01"),
    ]);
    expect(detectItemRules(t, without(ctx, "duplicate_charge"))[0]?.evidence[0]?.fields).toEqual({
      bedDays: 4,
      los: 2,
      allowed: 3,
      excessAmount: 5_000,
    });
    expect(detectItemRules(t, without(ctx, "quantity_limit", "duplicate_charge"))).toEqual([]);
  });
});

describe("exclusive items on one day (YL-01, 互斥项目)", () => {
  const ctx = context();
  const care = (code: string, name: string, date: string, amount: number) =>
    line(code, name, date, 1, amount, "07");
  it("Ⅰ级 and Ⅱ级护理 on one day: the smaller amount, 15.00 元", () => {
    const s = lowStay([
      care("120100003", "一级护理", "2023-05-02", 2_000),
      care("120100004", "二级护理", "2023-05-02", 1_500),
    ]);
    const f = detectItemRules(s, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toBe(`YL-01:${s.id}:excl:120100003:120100004:2023-05-02`);
    expect(f[0]?.outcome).toBe("可疑");
    expect(f[0]?.message).toBe("2023-05-02 同日不应同时收取Ⅰ级护理与Ⅱ级护理；涉及金额 15.00 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: "2023-05-02 同时收取 Ⅰ级护理 与 Ⅱ级护理",
        fields: {
          date: "2023-05-02",
          itemA: "120100003",
          itemB: "120100004",
          amountA: 2_000,
          amountB: 1_500,
        },
      },
    ]);
    expect(f[0]?.fundLoss).toBe(1_500);
  });
  it("the amounts of one item on one day are summed; the smaller sum is removed", () => {
    const s = lowStay([
      care("120100004", "二级护理", "2023-05-02", 1_500),
      care("120100003", "一级护理", "2023-05-02", 1_000),
      care("120100004", "二级护理", "2023-05-03", 1_500),
    ]);
    const f = detectItemRules(s, without(ctx, "duplicate_charge"));
    expect(f.map((x) => x.evidence[0]?.fields)).toEqual([
      { date: "2023-05-02", itemA: "120100003", itemB: "120100004", amountA: 1_000, amountB: 1_500 },
    ]);
    const twice = lowStay([
      care("120100003", "一级护理", "2023-05-02", 1_000),
      care("120100003", "一级护理", "2023-05-02", 1_000),
      care("120100004", "二级护理", "2023-05-02", 3_000),
    ]);
    expect(detectItemRules(twice, without(ctx, "duplicate_charge"))[0]?.evidence[0]?.fields.amountA).toBe(
      2_000,
    );
    expect(detectItemRules(twice, without(ctx, "duplicate_charge"))[0]?.fundLoss).toBe(2_000);
  });
  it("on different days, or with the rule off, nothing", () => {
    const s = lowStay([
      care("120100003", "一级护理", "2023-05-02", 2_000),
      care("120100004", "二级护理", "2023-05-03", 1_500),
    ]);
    expect(detectItemRules(s, ctx)).toEqual([]);
    const same = lowStay([
      care("120100003", "一级护理", "2023-05-02", 2_000),
      care("120100004", "二级护理", "2023-05-02", 1_500),
    ]);
    expect(detectItemRules(same, without(ctx, "exclusive_items"))).toEqual([]);
  });
  it("a pair of items outside the catalogue is named by code; zero amounts are not priced", () => {
    const k = withKnowledge(ctx, { exclusivePairs: [{ a: "X1", b: "X2", reason: "X1 与 X2 互斥" }] });
    const s = lowStay([line("X1", "甲", "2023-05-02", 1, 0), line("X2", "乙", "2023-05-02", 1, 700)]);
    const f = detectItemRules(s, k);
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toBe("2023-05-02 X1 与 X2 互斥");
    expect(f[0]?.evidence[0]?.text).toBe("2023-05-02 同时收取 X1 与 X2");
    expect(f[0]?.pricing).toBeNull();
    expect(f[0]?.fundLoss).toBe(0);
  });
});

describe("items restricted by sex and age (ZC-01, ZC-02)", () => {
  const ctx = context();
  it("a PSA test of a female patient: its whole amount", () => {
    const s = lowStay([line("250403015", "PSA", "2023-05-04", 1, 8_000)], { sex: "2" });
    const f = detectItemRules(s, ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.id).toBe(`ZC-01:${s.id}:item-sex:250403015:2023-05-04`);
    expect(f[0]?.message).toBe("项目 PSA（250403015）限男性，患者为女性；涉及金额 80.00 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: "2023-05-04 收取 PSA 1项，该项目限男性",
        fields: { item: "250403015", date: "2023-05-04", restrictedSex: "1", patientSex: "2", amount: 8_000 },
      },
    ]);
    expect(f[0]?.fundLoss).toBe(8_000);
    expect(detectItemRules({ ...s, record: { ...s.record, sex: "1" } }, ctx)).toEqual([]);
    expect(detectItemRules({ ...s, record: { ...s.record, sex: "" } }, ctx)).toEqual([]);
    expect(detectItemRules(s, without(ctx, "sex_restriction"))).toEqual([]);
  });
  it("an item without a unit is shown without one", () => {
    const k = withKnowledge(ctx, { items: [{ code: "Q1", name: "某男科项目", category: "05", sex: "1" }] });
    const s = lowStay([line("Q1", "某项", "2023-05-04", 2, 600)], { sex: "2" });
    expect(detectItemRules(s, k)[0]?.evidence[0]?.text).toBe("2023-05-04 收取 某项 2，该项目限男性");
  });
  it("a child's IQ test (at most 17 years) at 17 and 18", () => {
    const at = (age: number) =>
      detectItemRules(lowStay([line("310702001", "智力测定", "2023-05-04", 1, 3_000)], { age }), ctx);
    expect(at(17)).toEqual([]);
    const f = at(18);
    expect(f[0]?.id).toMatch(/^ZC-02:IT\d+:item-age:310702001:2023-05-04$/);
    expect(f[0]?.message).toBe("项目 智力测定（310702001）限年龄 0–17 岁，患者 18 岁；涉及金额 30.00 元");
    expect(f[0]?.evidence).toEqual([
      {
        text: "2023-05-04 收取 智力测定，年龄范围 0–17 岁",
        fields: { item: "310702001", date: "2023-05-04", age: 18, amount: 3_000 },
      },
    ]);
  });
  it("a prenatal check (12–60 years) at 11, 12, 60 and 61; a missing age is not judged", () => {
    const at = (age: number | null) => {
      const s = lowStay([line("311201001", "产前检查", "2023-05-04", 1, 2_000)], { sex: "2" });
      return detectItemRules({ ...s, record: { ...s.record, ageYears: age } }, ctx).map((f) => f.message);
    };
    expect(at(12)).toEqual([]);
    expect(at(60)).toEqual([]);
    expect(at(null)).toEqual([]);
    expect(at(11)).toEqual(["项目 产前检查（311201001）限年龄 12–60 岁，患者 11 岁；涉及金额 20.00 元"]);
    expect(at(61)).toEqual(["项目 产前检查（311201001）限年龄 12–60 岁，患者 61 岁；涉及金额 20.00 元"]);
    const s = lowStay([line("311201001", "产前检查", "2023-05-04", 1, 2_000)], { sex: "2", age: 61 });
    expect(detectItemRules(s, without(ctx, "age_restriction"))).toEqual([]);
  });
  it("an item with a lower age limit only is shown up to ∞", () => {
    const k = withKnowledge(ctx, { items: [{ code: "Q2", name: "某成人项目", category: "05", minAge: 18 }] });
    const s = lowStay([line("Q2", "某项", "2023-05-04", 1, 600)], { age: 17 });
    expect(detectItemRules(s, k)[0]?.message).toBe(
      "项目 某项（Q2）限年龄 18–∞ 岁，患者 17 岁；涉及金额 6.00 元",
    );
  });
  it("a finding that cannot be priced says so", () => {
    const s = {
      ...lowStay([line("250403015", "PSA", "2023-05-04", 1, 8_000)], { sex: "2" }),
      hospitalId: "NOWHERE",
    };
    const f = detectItemRules(s, ctx);
    expect(f[0]?.message).toBe(`项目 PSA（250403015）限男性，患者为女性；涉及金额 80.00 元${UNPRICED_NOTE}`);
    expect(f[0]?.pricing).toBeNull();
  });
});
