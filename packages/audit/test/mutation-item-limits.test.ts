/**
 * Tests written against the surviving mutants of detect-item-limits.ts (issue 16, docs/mutation.md):
 * 限定支付范围 (selection by code and prefix, the covered part of a line, each condition and its
 * text, the days beyond `maxDays`) and 超标准收费 (ceiling by level, excess rounded per line, lines
 * summed per item), with messages and evidence written by hand.
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { detectItemRules } from "../src/detect-items.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { KnowledgeBase, PaymentLimit, PriceCeiling } from "../src/rules.js";
import { context, stay } from "./helpers.js";

function line(code: string, amount: number, extra: Partial<DetailItem> = {}): DetailItem {
  return {
    code,
    name: `药${code}`,
    category: "09",
    date: "2023-05-04",
    quantity: 1,
    unitPrice: amount,
    amount,
    chrgitmLv: "02",
    ...extra,
  };
}

const kb = (over: Partial<KnowledgeBase>): KnowledgeBase => ({
  ...STARTER_KNOWLEDGE_BASE,
  paymentLimits: [],
  priceCeilings: [],
  ...over,
});

function audit(s: AuditStay, details: DetailItem[], knowledge: KnowledgeBase, ctx: AuditContext = context()) {
  return detectItemRules({ ...s, details }, { ...ctx, knowledge }).filter(
    (f) => f.ruleId === "ZC-05" || f.ruleId === "ZC-06",
  );
}

const base = stay({ id: "LIM", diagnoses: ["J15.902", "K81.002"], cost: 150_000 });
const limits = (...l: PaymentLimit[]) => kb({ paymentLimits: l });

describe("限定支付范围: which lines, and their covered part", () => {
  const byCode = limits({ name: "甲药", codes: ["A1"], text: "限某病", diagnoses: ["X99"] });
  const byPrefix = limits({ name: "乙类药", prefixes: ["B2", "B3"], text: "限某病", diagnoses: ["X99"] });
  it("an item named by code or by one of the prefixes; others are not selected", () => {
    expect(audit(base, [line("A1", 1_000)], byCode)).toHaveLength(1);
    expect(audit(base, [line("A10", 1_000)], byCode)).toEqual([]);
    expect(audit(base, [line("B3X", 1_000)], byPrefix)).toHaveLength(1);
    expect(audit(base, [line("B2", 1_000)], byPrefix)).toHaveLength(1);
    expect(audit(base, [line("XB2", 1_000)], byPrefix)).toEqual([]);
    expect(audit(base, [line("A1", 1_000)], byPrefix)).toEqual([]);
  });
  it("the covered part is the 甲类/乙类 amount less the own pay; 丙类 and unknown levels are not covered", () => {
    const amount = (d: DetailItem) => audit(base, [d], byCode)[0]?.evidence[0]?.fields.coveredAmount ?? null;
    expect(amount(line("A1", 1_000, { chrgitmLv: "01" }))).toBe(1_000);
    expect(amount(line("A1", 1_000, { chrgitmLv: "02", ownPayAmount: 300 }))).toBe(700);
    expect(amount(line("A1", 1_000, { chrgitmLv: "02", ownPayAmount: 999 }))).toBe(1);
    expect(amount(line("A1", 1_000, { chrgitmLv: "02", ownPayAmount: 1_000 }))).toBeNull();
    expect(amount(line("A1", 1_000, { chrgitmLv: "02", ownPayAmount: 1_500 }))).toBeNull();
    expect(amount(line("A1", 1_000, { chrgitmLv: "03" }))).toBeNull();
    expect(amount(line("A1", 1_000, { chrgitmLv: undefined }))).toBeNull();
  });
  it("a line with nothing covered does not count, the others are summed", () => {
    const f = audit(
      base,
      [line("A1", 1_000), line("A1", 500, { ownPayAmount: 500 }), line("A1", 2_000, { chrgitmLv: "01" })],
      byCode,
    );
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(3_000);
    expect(f[0]?.evidence[0]?.fields.lines).toBe(2);
  });
});

describe("限定支付范围: the conditions", () => {
  it("the diagnosis condition is met by any coded diagnosis starting with a listed prefix", () => {
    const l = limits({ name: "丙药", codes: ["C1"], text: "限胆囊炎", diagnoses: ["K81", "K80"] });
    expect(audit(base, [line("C1", 1_000)], l)).toEqual([]);
    const f = audit({ ...base, record: { ...base.record, diagnoses: ["J15.902"] } }, [line("C1", 1_000)], l);
    expect(f[0]?.evidence[0]?.fields.unmet).toEqual(["诊断中无 K81、K80"]);
    // An empty list of diagnoses is no condition.
    expect(
      audit(base, [line("C1", 1_000)], limits({ name: "丙药", codes: ["C1"], text: "t", diagnoses: [] })),
    ).toEqual([]);
  });
  it("the hospital level; an empty level is named 未知", () => {
    const l = limits({ name: "丁药", codes: ["D1"], text: "限三级", hospitalLevels: ["3"] });
    expect(audit(base, [line("D1", 1_000)], l)).toEqual([]);
    expect(
      audit({ ...base, hospitalLevel: "" }, [line("D1", 1_000)], l)[0]?.evidence[0]?.fields.unmet,
    ).toEqual(["医疗机构等级 未知 不在 3 之列"]);
  });
  it("a required item by code or prefix, named with * for a prefix", () => {
    const l = limits({
      name: "戊药",
      codes: ["E1"],
      text: "须有培养",
      requires: { codes: ["R1"], prefixes: ["R9"] },
    });
    expect(audit(base, [line("E1", 1_000), line("R1", 100)], l)).toEqual([]);
    expect(audit(base, [line("E1", 1_000), line("R95", 100)], l)).toEqual([]);
    const f = audit(base, [line("E1", 1_000), line("R2", 100)], l);
    expect(f[0]?.evidence[0]?.fields.unmet).toEqual(["本次住院未收取 R1、R9*"]);
  });
  it("all unmet conditions, the message and evidence in full", () => {
    const l = limits({
      name: "己药",
      codes: ["F1", "F2"],
      text: "限某病、三级医院",
      diagnoses: ["X99"],
      hospitalLevels: ["3"],
      requires: { prefixes: ["R9"] },
      maxDays: 1,
    });
    const s = { ...base, hospitalLevel: "2" };
    const f = audit(
      s,
      [
        line("F1", 1_000, { date: "2023-05-04" }),
        line("F1", 1_000, { date: "2023-05-05" }),
        line("F2", 500, { name: "己药片", date: "2023-05-05" }),
      ],
      l,
    );
    expect(f).toHaveLength(1);
    const why = "诊断中无 X99；医疗机构等级 2 不在 3 之列；本次住院未收取 R9*";
    expect(f[0]?.id).toBe("ZC-05:LIM:paylimit:己药");
    expect(f[0]?.message).toBe(
      `己药超限定支付范围（限某病、三级医院）：${why}，医保支付部分 25.00 元应由患者负担；涉及金额 25.00 元`,
    );
    expect(f[0]?.evidence).toEqual([
      {
        text: `己药 3 条明细，医保目录内金额 25.00 元；限定支付：限某病、三级医院；${why}`,
        fields: {
          limit: "己药",
          lines: 3,
          items: ["药F1（F1）", "己药片（F2）"],
          coveredAmount: 2_500,
          unmet: ["诊断中无 X99", "医疗机构等级 2 不在 3 之列", "本次住院未收取 R9*"],
        },
      },
    ]);
    // The stay is a low outlier paid at cost: the fund loss is the covered amount.
    expect(f[0]?.fundLoss).toBe(2_500);
  });
  it("at most six item names are listed", () => {
    const l = limits({ name: "庚药", prefixes: ["G"], text: "t", diagnoses: ["X99"] });
    const d = ["G1", "G2", "G3", "G4", "G5", "G6", "G7"].map((c) => line(c, 100));
    const f = audit(base, d, l);
    expect(f[0]?.evidence[0]?.fields.items).toEqual([
      "药G1（G1）",
      "药G2（G2）",
      "药G3（G3）",
      "药G4（G4）",
      "药G5（G5）",
      "药G6（G6）",
    ]);
    expect(f[0]?.evidence[0]?.fields.lines).toBe(7);
  });
  it("with no condition and no day limit nothing is found; the rule off or no limits known: nothing", () => {
    expect(audit(base, [line("H1", 1_000)], limits({ name: "辛药", codes: ["H1"], text: "t" }))).toEqual([]);
    const l = limits({ name: "辛药", codes: ["H1"], text: "t", diagnoses: ["X99"] });
    const off = context();
    const offCtx = {
      ...off,
      rules: {
        ...off.rules,
        rules: off.rules.rules.map((r) =>
          r.check.kind === "restricted_payment" ? { ...r, enabled: false } : r,
        ),
      },
    };
    expect(audit(base, [line("H1", 1_000)], l, offCtx)).toEqual([]);
    expect(audit(base, [line("H1", 1_000)], { ...l, paymentLimits: undefined })).toEqual([]);
  });
});

describe("限定支付范围: days beyond maxDays", () => {
  const l = limits({ name: "壬药", codes: ["M1"], text: "限 2 日", maxDays: 2 });
  const on = (date: string, amount = 1_000) => line("M1", amount, { date });
  it("two days pass (several lines a day); the third day's lines are charged", () => {
    expect(audit(base, [on("2023-05-02"), on("2023-05-01"), on("2023-05-02")], l)).toEqual([]);
    const f = audit(
      base,
      [on("2023-05-03", 700), on("2023-05-01"), on("2023-05-03", 300), on("2023-05-02")],
      l,
    );
    expect(f[0]?.message).toBe(
      "壬药超限定支付范围（限 2 日）：限 2 日，收取 3 日，医保支付部分 10.00 元应由患者负担；涉及金额 10.00 元",
    );
    expect(f[0]?.evidence[0]?.fields).toEqual({
      limit: "壬药",
      lines: 2,
      items: ["药M1（M1）"],
      coveredAmount: 1_000,
      unmet: [],
    });
  });
  it("the earliest days are allowed, whatever the order of the lines (05-11 is charged)", () => {
    const f = audit(base, [on("2023-05-10", 300), on("2023-05-09", 200), on("2023-05-11", 100)], l);
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(100);
  });
  it("an unmet condition charges every line, whatever the days", () => {
    const m = limits({ name: "壬药", codes: ["M1"], text: "限 2 日", maxDays: 2, diagnoses: ["X99"] });
    const f = audit(base, [on("2023-05-01"), on("2023-05-02"), on("2023-05-03")], m);
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(3_000);
    expect(f[0]?.evidence[0]?.fields.unmet).toEqual(["诊断中无 X99"]);
  });
});

describe("超标准收费", () => {
  const ceil = (...c: PriceCeiling[]) => kb({ priceCeilings: c });
  const exam = (unitPrice: number, quantity = 1, code = "P1") =>
    line(code, Math.round(unitPrice * quantity), { name: "某检查", category: "03", unitPrice, quantity });
  it("the level's own ceiling, else the general one; an empty level is named 未知", () => {
    const k = ceil({ code: "P1", name: "某检查", maxPrice: 10_000, byLevel: { "1": 8_000 } });
    expect(audit({ ...base, hospitalLevel: "2" }, [exam(10_000)], k)).toEqual([]);
    expect(audit({ ...base, hospitalLevel: "1" }, [exam(8_000)], k)).toEqual([]);
    const f = audit({ ...base, hospitalLevel: "" }, [exam(10_050, 2)], k);
    expect(f[0]?.id).toBe("ZC-06:LIM:price:P1");
    expect(f[0]?.message).toBe(
      "某检查（P1）单价 100.50 元超过最高限价 100.00 元，多收 1.00 元；涉及金额 1.00 元",
    );
    expect(f[0]?.evidence).toEqual([
      {
        text: "某检查 1 条明细单价高于最高限价 100.00 元（医疗机构等级 未知），超出部分合计 1.00 元",
        fields: { item: "P1", maxPrice: 10_000, unitPrice: 10_050, lines: 1, excess: 100 },
      },
    ]);
  });
  it("the excess of a line is rounded half up; lines of one item are summed, the highest price shown", () => {
    const k = ceil({ code: "P1", name: "某检查", maxPrice: 10_000 });
    // 0.5 fen over × 1 = 0.5 → 1 fen; 0.4 × 1 → 0; 20 fen × 3 = 60.
    expect(audit(base, [exam(10_000.5)], k)[0]?.evidence[0]?.fields.excess).toBe(1);
    expect(audit(base, [exam(10_000.4)], k)).toHaveLength(1);
    expect(audit(base, [exam(10_000.4)], k)[0]?.evidence[0]?.fields.excess).toBe(0);
    const f = audit(base, [exam(10_020, 3), exam(10_000), exam(10_010, 2)], k);
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence[0]?.fields).toEqual({
      item: "P1",
      maxPrice: 10_000,
      unitPrice: 10_020,
      lines: 2,
      excess: 80,
    });
    const g = audit(base, [exam(10_010, 2), exam(10_020, 3)], k);
    expect(g[0]?.evidence[0]?.fields.unitPrice).toBe(10_020);
  });
  it("items without a ceiling are not checked; each item is its own finding", () => {
    const k = ceil(
      { code: "P1", name: "某检查", maxPrice: 10_000 },
      { code: "P2", name: "另一检查", maxPrice: 5_000 },
    );
    const f = audit(base, [exam(10_001, 1, "P1"), exam(99_999, 1, "P3"), exam(5_002, 1, "P2")], k);
    expect(f.map((x) => [x.id, x.evidence[0]?.fields.excess])).toEqual([
      ["ZC-06:LIM:price:P1", 1],
      ["ZC-06:LIM:price:P2", 2],
    ]);
  });
  it("no ceilings known, or the rule off: nothing", () => {
    const k = ceil({ code: "P1", name: "某检查", maxPrice: 10_000 });
    expect(audit(base, [exam(20_000)], { ...k, priceCeilings: undefined })).toEqual([]);
    const c = context();
    const off = {
      ...c,
      rules: {
        ...c.rules,
        rules: c.rules.rules.map((r) => (r.check.kind === "price_ceiling" ? { ...r, enabled: false } : r)),
      },
    };
    expect(audit(base, [exam(20_000)], k, off)).toEqual([]);
  });
});
