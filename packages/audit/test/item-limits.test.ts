/**
 * 限定支付范围 and 超标准收费 (issue 13, item 4), from the knowledge base's limits and ceilings, by hand.
 * A covered line's fund-payable part is 金额 − 全自费金额 of a 甲类/乙类 line.
 */
import { describe, expect, it } from "vitest";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { detectItemRules } from "../src/detect-items.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { KnowledgeBase } from "../src/rules.js";
import { context, stay } from "./helpers.js";

function line(code: string, name: string, amount: number, extra: Partial<DetailItem> = {}): DetailItem {
  return {
    code,
    name,
    category: "09",
    date: "2023-05-04",
    quantity: 1,
    unitPrice: amount,
    amount,
    chrgitmLv: "02",
    ...extra,
  };
}
const MEROPENEM = (amount: number, extra: Partial<DetailItem> = {}) =>
  line("XJ01DHA02Y001", "注射用美罗培南", amount, extra);
const CULTURE = line("250501006", "痰培养及药敏", 14_000, { category: "04", chrgitmLv: "01" });

function audit(s: AuditStay, details: DetailItem[], knowledge: KnowledgeBase = STARTER_KNOWLEDGE_BASE) {
  const ctx = { ...context(), knowledge };
  return detectItemRules({ ...s, details }, ctx).filter((f) => f.ruleId === "ZC-05" || f.ruleId === "ZC-06");
}

describe("限定支付范围 (starter: carbapenem needs a culture, albumin a listed diagnosis)", () => {
  const pneumonia = stay({ diagnoses: ["J15.902"], cost: 400_000 });
  it("a carbapenem without a culture: its covered part 1,200.00 − 200.00 own pay = 1,000.00 is not the fund's", () => {
    const f = audit(pneumonia, [MEROPENEM(120_000, { ownPayAmount: 20_000 })]);
    expect(f).toHaveLength(1);
    expect(f[0]?.outcome).toBe("明确违规");
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(100_000);
    expect(f[0]?.message).toContain("本次住院未收取 250501001、250501006");
  });
  it("with the culture in the same stay, or billed fully self-pay, or 丙类: no finding", () => {
    expect(audit(pneumonia, [MEROPENEM(120_000), CULTURE])).toHaveLength(0);
    expect(audit(pneumonia, [MEROPENEM(120_000, { ownPayAmount: 120_000 })])).toHaveLength(0);
    expect(audit(pneumonia, [MEROPENEM(120_000, { chrgitmLv: "03" })])).toHaveLength(0);
  });
  it("albumin: a cirrhosis (K74) stay is within the limit, a pneumonia is not", () => {
    const albumin = line("XB05AA01Y001", "人血白蛋白", 60_000);
    expect(audit(stay({ diagnoses: ["K74.600"], cost: 400_000 }), [albumin])).toHaveLength(0);
    const f = audit(pneumonia, [albumin]);
    expect(f[0]?.message).toContain("诊断中无 K70、K71、K72、K74、R18、R57、C");
  });
  it("maxDays 3: the 4th and 5th days' lines are not the fund's (2 × 300.00 = 600.00); 3 days pass", () => {
    const kb: KnowledgeBase = {
      ...STARTER_KNOWLEDGE_BASE,
      paymentLimits: [{ name: "某限天药", codes: ["XA0000"], text: "限 3 日", maxDays: 3 }],
    };
    const day = (d: number) => line("XA0000", "某限天药", 30_000, { date: `2023-05-0${d}` });
    expect(audit(pneumonia, [day(1), day(2), day(3)], kb)).toHaveLength(0);
    const f = audit(pneumonia, [day(3), day(1), day(5), day(2), day(4)], kb);
    expect(f[0]?.evidence[0]?.fields.coveredAmount).toBe(60_000);
    expect(f[0]?.message).toContain("限 3 日，收取 5 日");
  });
  it("hospital levels: a level outside the list is refused, one inside passes", () => {
    const kb: KnowledgeBase = {
      ...STARTER_KNOWLEDGE_BASE,
      paymentLimits: [
        { name: "某中成药", codes: ["ZA9999"], text: "限二级及以上", hospitalLevels: ["2", "3"] },
      ],
    };
    const z = [line("ZA9999", "某中成药", 5_000, { category: "11" })];
    const at = (lv: string) => audit({ ...pneumonia, hospitalLevel: lv }, z, kb);
    expect(at("3")).toHaveLength(0);
    expect(at("1")[0]?.message).toContain("医疗机构等级 1 不在 2、3 之列");
  });
});

describe("超标准收费 (price ceilings by hospital level)", () => {
  const kb: KnowledgeBase = {
    ...STARTER_KNOWLEDGE_BASE,
    priceCeilings: [{ code: "310100001", name: "某检查", maxPrice: 10_000, byLevel: { "1": 8_000 } }],
  };
  const s = stay({ diagnoses: ["J15.902"], cost: 400_000 });
  const exam = (unitPrice: number, quantity = 1) =>
    line("310100001", "某检查", Math.round(unitPrice * quantity), { category: "03", unitPrice, quantity });
  it("at the ceiling no finding; one fen over × 3 units = 0.03 元; level 1's own ceiling", () => {
    expect(audit({ ...s, hospitalLevel: "3" }, [exam(10_000, 3)], kb)).toHaveLength(0);
    const over = audit({ ...s, hospitalLevel: "3" }, [exam(10_001, 3)], kb);
    expect(over[0]?.evidence[0]?.fields.excess).toBe(3);
    const l1 = audit({ ...s, hospitalLevel: "1" }, [exam(9_000, 2)], kb);
    expect(l1[0]?.evidence[0]?.fields.excess).toBe(2_000);
    expect(l1[0]?.message).toBe(
      "某检查（310100001）单价 90.00 元超过最高限价 80.00 元，多收 20.00 元；涉及金额 20.00 元",
    );
  });
});
