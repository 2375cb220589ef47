/**
 * DIP paid from what the store holds (issue 14): the DIP payment policy as a dated edition, the
 * hospitals whose payment method is DIP, the monthly prepayment and the year clearing net of it, the
 * stays behind every figure, through the API with each role, and DRG period settlement leaving the
 * DIP hospitals to DIP.
 *
 * The stored lists are the worked example's (dip-lists.ts; hand-worked in dip-year.test.ts): all six
 * priced stays are discharged in June 2025, H1 (三级, coefficient 1.0 by level) 280 points, H2 (二级,
 * 0.9 by level) 355 points, H1's stroke stay has no points. By hand:
 *   Prepayment of 2025-06 at 预算点值 150 元/分, 预付比例 0.9:
 *     H1: 280 × 150 = 42,000.00; patients 7,640.00; fund 34,360.00; × 0.9 = 30,924.00
 *     H2: 355 × 150 = 53,250.00; patients 10,700.00; fund 42,550.00; × 0.9 = 38,295.00
 *   Clearing of 2025, budget 95,250.00 (total cost): 清算点值 95,250 ÷ 635 = 150.000000
 *     H1: fund 34,360.00 − prepaid 30,924.00 = 3,436.00 still due
 *     H2: fund 42,550.00 − prepaid 38,295.00 = 4,255.00 still due
 *   With a budget of 88,900.00: 点值 88,900 ÷ 635 = 140 元/分
 *     H1: 280 × 140 = 39,200.00; fund 31,560.00; − 30,924.00 = 636.00
 *     H2: 355 × 140 = 49,700.00; fund 39,000.00; − 38,295.00 = 705.00
 */
import { formatRational, parseDipPaymentPolicy } from "@yibao/payment";
import { openStore, type Store } from "@yibao/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDipYearJob, listDipStays } from "../src/dip-clearing.js";
import { dipHospitalsOf, dipPolicyInForce, dipPrepayments, prepayDipMonthJob } from "../src/dip-payment.js";
import { buildDipPolicyFromCatalogue } from "../src/dip-policy.js";
import { dipClearingStatement } from "../src/dip-statement.js";
import { settleDipYearFromStore } from "../src/dip-year.js";
import { paymentMigrations } from "../src/migrations.js";
import { PaymentInputError, savePaymentHospitals, saveVersion } from "../src/repo.js";
import { toCsv } from "../src/statements.js";
import { H1, H2, H3, POLICY_DATA, storeExampleLists } from "./dip-lists.js";

const STORED_POLICY = {
  ...POLICY_DATA,
  id: "dip-city",
  version: "2025",
  coefficients: { byLevel: { 三级: "1.0", 二级: "0.9" } },
  prepayment: { pointValue: "150", ratio: "0.9" },
};

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  await storeExampleLists(store);
  await savePaymentHospitals(store, [
    { hospitalCode: H1, level: "三级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H2, level: "二级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H3, level: "三级", benefitClass: null, paymentMethod: "drg" },
  ]);
});
afterAll(async () => store?.close());

describe("the DIP payment policy as dated editions", () => {
  it("is saved once per version, refused with its field when wrong, and chosen by date", async () => {
    await expect(
      saveVersion(
        store,
        "dipPolicy",
        { ...STORED_POLICY, prepayment: { pointValue: "150", ratio: "1.2" } },
        {
          actor: "t",
        },
      ),
    ).rejects.toThrow(/prepayment\.ratio/);
    await expect(
      saveVersion(
        store,
        "dipPolicy",
        { ...STORED_POLICY, coefficients: { byLevel: { 一级: "1" } } },
        { actor: "t" },
      ),
    ).rejects.toThrow(/coefficients\.byLevel\.一级/);
    await saveVersion(store, "dipPolicy", STORED_POLICY, { actor: "t" });
    await expect(saveVersion(store, "dipPolicy", STORED_POLICY, { actor: "t" })).rejects.toThrow(/已存在/);
    // No edition in force in 2024; the 2025 edition on its first day.
    await expect(dipPolicyInForce(store, "2024-12-31")).rejects.toThrow(PaymentInputError);
    expect((await dipPolicyInForce(store, "2025-01-01")).version).toBe("2025");
    await expect(dipPolicyInForce(store, "2025-06-01", { id: "dip-city", version: "2030" })).rejects.toThrow(
      /不存在/,
    );
  });

  it("pays the hospitals whose payment method is DIP, each with its level's coefficient", async () => {
    // Master data saved again without a method (a region pack without the column) keeps the method.
    await savePaymentHospitals(store, [{ hospitalCode: H1, level: "三级", benefitClass: null }]);
    const p = await dipPolicyInForce(store, "2025-06-01");
    expect(await dipHospitalsOf(store, p)).toEqual([
      { code: H1, level: "三级", coefficient: 1_000_000 },
      { code: H2, level: "二级", coefficient: 900_000 },
    ]);
  });
});

describe("a DIP policy from a calibrated catalogue", () => {
  it("takes each group's points to four decimals and its standard cost × the level factor (by hand)", async () => {
    await saveVersion(
      store,
      "dip",
      {
        id: "cat",
        version: "2024",
        effectiveFrom: "2024-01-01",
        groups: [
          // 50.12345 points: the fifth decimal is 5 → 50.1235; 50.123449 → 50.1234.
          { key: "A|保守治疗", avgCost: "5000.00", score: "50.12345" },
          { key: "B|保守治疗", avgCost: "3333.33", score: "50.123449" },
          { key: "Z|保守治疗", avgCost: "100.00", score: "0" },
        ],
      },
      { actor: "t" },
    );
    const template = {
      id: "from-cat",
      version: "1",
      effectiveFrom: "2030-01-01",
      fromCatalogue: { id: "cat", version: "2024" },
      levelFactors: { 三级: "1.0", 二级: "0.9" },
      veryHighAtLeast: "2",
      veryLowAtMost: "0.5",
      budgetBasis: "fund",
    };
    const b = await buildDipPolicyFromCatalogue(store, template);
    expect(b.data.groupPoints).toEqual({ "A|保守治疗": "50.1235", "B|保守治疗": "50.1234" });
    // 3,333.33 × 0.9 = 2,999.997 → 3,000.00; 5,000.00 × 0.9 = 4,500.00.
    expect(b.data.standardCost).toEqual({
      三级: { "A|保守治疗": "5000.00", "B|保守治疗": "3333.33" },
      二级: { "A|保守治疗": "4500.00", "B|保守治疗": "3000.00" },
    });
    expect(b.skipped).toEqual(["Z|保守治疗"]);
    expect(b.data).not.toHaveProperty("fromCatalogue");
    await expect(
      buildDipPolicyFromCatalogue(store, { ...template, fromCatalogue: { id: "cat", version: "9" } }),
    ).rejects.toThrow(/cat@9 不存在/);
    await expect(
      buildDipPolicyFromCatalogue(store, { ...template, levelFactors: { 三级: "0" } }),
    ).rejects.toThrow(/levelFactors\.三级/);
  });
});

describe("the 辅助目录 reads each stored list's secondary diagnoses and age", () => {
  // The stored J18.9 stays (H1 #1, H2 #11) carry E11.900 2型糖尿病; ages are 26, 27, 29 (H1: #1, #2, #4)
  // and 36, 37, 39 (H2). CCI E11 = 1 → × 1.2: H1 #1 50 → 60, H2 #11 45 → 54.
  const cci = { weights: { E11: 1 }, levels: [{ atLeast: 1, factor: "1.2" }] };
  const year = async (age: { atLeast: number; factor: string }[]) => {
    const p = parseDipPaymentPolicy({ ...POLICY_DATA, auxiliary: { cci, age } });
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy: p,
      budgetFen: 9_525_000,
      hospitals: [
        { code: H1, level: "三级", coefficient: 1_000_000 },
        { code: H2, level: "二级", coefficient: 900_000 },
      ],
    });
    return r.settlement.hospitals.map((h) => formatRational(h.points, 4));
  };
  it("age 29 and over × 1.1: H1 60 + 150 + 80 × 1.1 = 298, H2 (54 + 90 + 220) × 1.1 = 400.4", async () => {
    expect(await year([{ atLeast: 29, factor: "1.1" }])).toEqual(["298.0000", "400.4000"]);
  });
  it("age 30 and over × 1.1 leaves H1's 29-year-old out: 290 and 400.4", async () => {
    expect(await year([{ atLeast: 30, factor: "1.1" }])).toEqual(["290.0000", "400.4000"]);
  });
});

describe("monthly prepayment and the year clearing", () => {
  it("prepays June at the 预算点值 and 预付比例 (hand-worked), the stroke stay reported", async () => {
    const r = await prepayDipMonthJob({ store, period: "2025-06", actor: "t" });
    expect(r.lists).toBe(7);
    expect(r.hospitals.map((h) => [h.hospitalCode, h.cases, h.estimatedFundFen, h.prepaymentFen])).toEqual([
      [H1, 3, 3_436_000, 3_092_400],
      [H2, 3, 4_255_000, 3_829_500],
    ]);
    expect(r.totalPrepaymentFen).toBe(6_921_900);
    expect(r.unpriced).toEqual([{ hospital: H1, count: 1, setlIds: ["HA0000000005"] }]);
    // A month with no DIP stay prepays nothing; re-running June replaces its rows (no double count).
    expect((await prepayDipMonthJob({ store, period: "2025-07", actor: "t" })).hospitals).toEqual([]);
    await prepayDipMonthJob({ store, period: "2025-06", actor: "t" });
    expect((await dipPrepayments(store, 2025)).map((p) => p.prepaymentFen)).toEqual([3_092_400, 3_829_500]);
    expect(await dipPrepayments(store, 2025, H2)).toHaveLength(1);
  });

  it("clears the year at the 清算点值 and nets off the prepayments (hand-worked)", async () => {
    const c = await clearDipYearJob({ store, year: 2025, budgetFen: 9_525_000, actor: "t" });
    expect(c.pointValueYuan).toBe("150.000000");
    expect(
      c.hospitals.map((h) => [h.hospitalCode, h.points, h.fundDueFen, h.prepaidFen, h.balanceDueFen]),
    ).toEqual([
      [H1, "280.000000", 3_436_000, 3_092_400, 343_600],
      [H2, "355.000000", 4_255_000, 3_829_500, 425_500],
    ]);
    expect(c.hospitals[0]?.unpriced).toBe(1);
    const lower = await clearDipYearJob({ store, year: 2025, budgetFen: 8_890_000, actor: "t" });
    expect(lower.pointValueYuan).toBe("140.000000");
    expect(lower.hospitals.map((h) => [h.paymentFen, h.fundDueFen, h.balanceDueFen])).toEqual([
      [3_920_000, 3_156_000, 63_600],
      [4_970_000, 3_900_000, 70_500],
    ]);
    expect(lower.runId).toBeGreaterThan(c.runId);
  });

  it("keeps one row per stay whose payments add up to the hospital's, replaced by a new clearing", async () => {
    const c = await clearDipYearJob({ store, year: 2025, budgetFen: 9_525_000, actor: "t" });
    const all = await listDipStays(store, 2025, { pageSize: 100 });
    expect(all.total).toBe(6);
    for (const h of c.hospitals) {
      const mine = all.items.filter((s) => s.hospitalCode === h.hospitalCode);
      expect(mine.reduce((n, s) => n + s.paymentFen, 0)).toBe(h.paymentFen);
      expect(mine.reduce((n, s) => n + s.fundFen, 0)).toBe(h.fundDueFen);
    }
    // H1's stays by hand: 7,500 / 22,500 / 12,000 元; the very high and very low cases named.
    const h1 = await listDipStays(store, 2025, { hospital: H1 });
    expect(h1.items.map((s) => [s.setlId, s.caseType, s.points, s.paymentFen])).toEqual([
      ["HA0000000001", "normal", "50.000000", 750_000],
      ["HA0000000002", "veryHigh", "150.000000", 2_250_000],
      ["HA0000000004", "veryLow", "80.000000", 1_200_000],
    ]);
    const t = await dipClearingStatement(store, 2025, H2);
    expect(t.title).toContain("清算点值 150.000000 元/分");
    const csv = toCsv(t);
    expect(csv).toContain(
      `${H2},合计,,3 例,53500.00,,355.000000,53250.00,10700.00,42550.00,38295.00,4255.00`,
    );
    expect(csv).not.toContain(H1);
  });

  it("refuses a year without a policy in force, and a DIP hospital its policy cannot pay, by name", async () => {
    await expect(clearDipYearJob({ store, year: 2024, budgetFen: 100, actor: "t" })).rejects.toThrow(
      /没有在 2024-01-01 生效的DIP 付费政策/,
    );
    await savePaymentHospitals(store, [
      { hospitalCode: "H21010200009", level: "一级", benefitClass: null, paymentMethod: "dip" },
    ]);
    await expect(clearDipYearJob({ store, year: 2025, budgetFen: 100, actor: "t" })).rejects.toThrow(
      /H21010200009：DIP 付费政策没有「一级」医院的标准费用/,
    );
    await savePaymentHospitals(store, [
      { hospitalCode: "H21010200009", level: "一级", benefitClass: null, paymentMethod: "drg" },
    ]);
  });
});
