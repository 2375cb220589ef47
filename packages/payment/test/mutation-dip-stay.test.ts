/**
 * DIP pricing of single stays (dip-stay.ts) against its mutants (docs/mutation.md): the catalogue read
 * from a policy's keys, hospitals with several DIP spans, the point value without a cleared year, and
 * each refusal with its field and rule. Policy as in dip-stay.test.ts: J18.9 保守治疗 50 points, 二级
 * standard 4,500 元, coefficient 0.9, 预算点值 150 元/分.
 */
import { describe, expect, it } from "vitest";
import { parseDipPaymentPolicy } from "../src/dip.js";
import { catalogueOfPolicy, createDipPricing } from "../src/dip-stay.js";
import { settleStay } from "../src/settle.js";
import type { Stay } from "../src/stay.js";
import { SettlementError } from "../src/versioned.js";
import { context, stay, yuan } from "./fixtures.js";

const J18 = "J18.9|保守治疗";
const COMPREHENSIVE = "综合|J18|保守治疗";
const DIP = {
  id: "dip",
  version: "2021",
  effectiveFrom: "2021-01-01",
  effectiveTo: "2023-12-31",
  groupPoints: { [J18]: "50", [COMPREHENSIVE]: "40" },
  standardCost: {
    三级: { [J18]: "5000.00", [COMPREHENSIVE]: "4000.00" },
    二级: { [J18]: "4500.00", [COMPREHENSIVE]: "3600.00" },
  },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
  coefficients: { byLevel: { 三级: "1", 二级: "0.9" } },
  prepayment: { pointValue: "150", ratio: "90%" },
};
const POLICY = parseDipPaymentPolicy(DIP);

const dipStay = (over: Partial<Stay> = {}, coding: Partial<NonNullable<Stay["dip"]>> = {}): Stay =>
  stay({
    id: "S-DIP",
    hospitalId: "H2",
    drg: "ES25",
    totalCost: yuan("4000"),
    patientShare: yuan("800"),
    dip: { principalDiagnosis: "J18.900", procedures: [], ...coding },
    ...over,
  });

const refusal = (s: Stay, c: ReturnType<typeof context>) => {
  try {
    settleStay(s, c);
  } catch (e) {
    if (e instanceof SettlementError) return `${e.field}：${e.rule}`;
    throw e;
  }
  return "settled";
};

describe("the catalogue of a policy", () => {
  it("reads core and comprehensive keys, their points as micro-points, and the edition's dates", () => {
    const c = catalogueOfPolicy(POLICY);
    expect([c.id, c.version, c.effectiveFrom, c.effectiveTo, c.scale]).toEqual([
      "dip",
      "2021",
      "2021-01-01",
      "2023-12-31",
      100,
    ]);
    expect(c.groups.map((g) => [g.key, g.kind, g.diagnosis, g.treatment, g.score])).toEqual([
      [J18, "core", "J18.9", "保守治疗", 50_000_000],
      [COMPREHENSIVE, "comprehensive", "J18", "保守治疗", 40_000_000],
    ]);
    expect(c.byKey.get(J18)?.kind).toBe("core");
    const open = catalogueOfPolicy(parseDipPaymentPolicy({ ...DIP, effectiveTo: undefined }));
    expect(open.effectiveTo).toBeNull();
    // A key of one part is a diagnosis with no treatment; "综合" with two parts is not comprehensive.
    const odd = catalogueOfPolicy(
      parseDipPaymentPolicy({
        ...DIP,
        groupPoints: { A01: "10", "综合|A02": "20" },
        standardCost: { 二级: { A01: "100.00", "综合|A02": "200.00" } },
        coefficients: { byLevel: { 二级: "0.9" } },
      }),
    );
    expect(odd.groups.map((g) => [g.kind, g.diagnosis, g.treatment])).toEqual([
      ["core", "A01", ""],
      ["core", "综合", "A02"],
    ]);
  });
});

describe("DIP hospitals, editions and point values", () => {
  const pricing = (
    pointValues?: Map<string, { num: bigint; den: bigint }>,
    policy: Record<string, unknown> = DIP,
  ) =>
    createDipPricing({
      policies: [parseDipPaymentPolicy(policy)],
      hospitals: [
        { id: "H2", level: "二级", until: "2022-01-01" },
        { id: "H2", level: "三级", from: "2022-01-01" },
      ],
      ...(pointValues ? { pointValues } : {}),
    });

  it("a hospital with two spans is paid at each span's level; pays() without a date asks for any span", () => {
    const p = pricing();
    expect([p.pays("H2"), p.pays("H9")]).toEqual([true, false]);
    expect([p.pays("H2", "2021-12-31"), p.pays("H2", "2022-01-01"), p.pays("H9", "2022-01-01")]).toEqual([
      true,
      true,
      false,
    ]);
    const ctx = context({}, { dip: p });
    // 2021: 二级, 50 × 0.9 = 45 points × 150 = 6,750.00; 2022: 三级, 50 × 1 = 50 points × 150 = 7,500.00.
    const y2021 = settleStay(dipStay(), ctx);
    const y2022 = settleStay(dipStay({ admissionDate: "2022-03-01", dischargeDate: "2022-03-05" }), ctx);
    expect([y2021.drgPayment, y2021.coefficient]).toEqual([yuan("6750"), 900_000]);
    expect([y2022.drgPayment, y2022.coefficient]).toEqual([yuan("7500"), 1_000_000]);
  });

  it("without cleared point values the 预算点值 prices every year; without either, the year is named", () => {
    const ctx = context({}, { dip: pricing() });
    expect(settleStay(dipStay(), ctx).drgPayment).toBe(yuan("6750"));
    const { prepayment: _p, ...noBudget } = DIP;
    const bare = context({}, { dip: pricing(new Map(), noBudget) });
    expect(refusal(dipStay(), bare)).toBe("pointValue：2021 年没有 DIP 清算点值，付费政策也没有预算点值");
  });

  it("refuses, naming the field: no edition in force, not DIP-paid on the date, no principal diagnosis", () => {
    const ctx = context({}, { dip: pricing() });
    expect(refusal(dipStay({ admissionDate: "2024-01-01", dischargeDate: "2024-01-05" }), ctx)).toBe(
      "dischargeDate：2024-01-05 没有生效的 DIP 付费政策",
    );
    const other = createDipPricing({ policies: [POLICY], hospitals: [{ id: "H9", level: "二级" }] });
    expect(() => other.settle(dipStay(), { patientShare: 0, benefit: null })).toThrow(
      "H2 在 2021-05-08 不按 DIP 付费",
    );
    expect(refusal(dipStay({}, { principalDiagnosis: "  " }), ctx)).toBe(
      "dip：缺少主要诊断，无法入 DIP 病种",
    );
  });

  it("a stay coded without secondary diagnoses or age is adjusted by 1; a very low stay is a low outlier", () => {
    const ctx = context({}, { dip: pricing() });
    const plain = settleStay(dipStay(), ctx);
    expect([plain.points, plain.category]).toEqual([45_000_000, "normal"]);
    // 2,000.00 of 4,500.00 is under 0.5×: points 50 × 2,000 ÷ 4,500 × 0.9 = 20 → 3,000.00.
    const low = settleStay(dipStay({ totalCost: yuan("2000"), patientShare: 0 }), ctx);
    expect([low.category, low.outlier, low.points, low.drgPayment]).toEqual([
      "lowOutlier",
      "low",
      20_000_000,
      yuan("3000"),
    ]);
    // Patient share above the payment (8,000.00 of a 8,999.00 stay paid 6,750.00): the fund pays 0, never less.
    const over = settleStay(dipStay({ totalCost: yuan("8999"), patientShare: yuan("8000") }), ctx);
    expect([over.drgPayment, over.fundPayment, over.balance]).toEqual([yuan("6750"), 0, yuan("-2249")]);
  });
});
