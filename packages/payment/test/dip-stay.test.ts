/**
 * One stay priced by DIP in a settlement context (DIP 单病例定价, for audit's re-settlement), every
 * figure worked by hand. Policy: J18.9 保守治疗 50 points, K80.0 + 51.2300 100, J44.1 保守治疗 200;
 * 二级 standards 4,500 / 9,000 / 18,000 元; very high ≥ 2×, very low ≤ 0.5×; 二级 coefficient 0.9;
 * 预算点值 150 元/分, 清算点值 of 2022: 140 元/分. H2 (二级) is paid by DIP, H3 (三级) by DRG.
 */
import { describe, expect, it } from "vitest";
import { parseDipPaymentPolicy } from "../src/dip.js";
import { createDipPricing } from "../src/dip-stay.js";
import { mergeStays, resettle } from "../src/resettle.js";
import { settleStay } from "../src/settle.js";
import type { Stay } from "../src/stay.js";
import { SettlementError } from "../src/versioned.js";
import { context, stay, yuan } from "./fixtures.js";

const J18 = "J18.9|保守治疗";
const K80 = "K80.0|51.2300";
const J44 = "J44.1|保守治疗";
const DIP = {
  id: "dip",
  version: "2021",
  effectiveFrom: "2021-01-01",
  groupPoints: { [J18]: "50", [K80]: "100", [J44]: "200" },
  standardCost: {
    三级: { [J18]: "5000.00", [K80]: "10000.00", [J44]: "20000.00" },
    二级: { [J18]: "4500.00", [K80]: "9000.00", [J44]: "18000.00" },
  },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
  coefficients: { byLevel: { 三级: "1", 二级: "0.9" } },
  prepayment: { pointValue: "150", ratio: "90%" },
  auxiliary: { cci: { weights: { E11: 1 }, levels: [{ atLeast: 1, factor: "1.1" }] } },
};

function ctxWith(policy: Record<string, unknown> = DIP) {
  return context(
    {},
    {
      dip: createDipPricing({
        policies: [parseDipPaymentPolicy(policy)],
        hospitals: [{ id: "H2", level: "二级" }],
        pointValues: new Map([["2022", { num: 14_000n, den: 1n }]]),
      }),
    },
  );
}

const dipStay = (pdx: string, px: string[], cost: string, share: string, over: Partial<Stay> = {}): Stay =>
  stay({
    id: `S-${pdx}-${cost}`,
    hospitalId: "H2",
    drg: "ES25",
    totalCost: yuan(cost),
    patientShare: yuan(share),
    dip: { principalDiagnosis: pdx, procedures: px, secondaryDiagnoses: [], ageYears: 50 },
    ...over,
  });

describe("a DIP hospital's stay is priced by its DIP group", () => {
  const ctx = ctxWith();

  it("normal: 4,000 of 4,500 → 50 × 0.9 = 45 points × 150 = 6,750.00, fund 6,750 − 800 = 5,950.00", () => {
    const s = settleStay(dipStay("J18.900", [], "4000", "800"), ctx);
    expect([s.method, s.category, s.outlier, s.dip?.group, s.dip?.caseType]).toEqual([
      "dip",
      "normal",
      "none",
      J18,
      "normal",
    ]);
    expect([s.points, s.drgPayment, s.fundPayment, s.balance]).toEqual([
      45_000_000,
      yuan("6750"),
      yuan("5950"),
      yuan("2750"),
    ]);
  });

  it("very high: 20,000 of 9,000 → 100 × (20,000 ÷ 9,000 − 1) × 0.9 = 110 points = 16,500.00", () => {
    const s = settleStay(dipStay("K80.001", ["51.2300"], "20000", "4000"), ctx);
    expect([s.category, s.outlier, s.points, s.drgPayment]).toEqual([
      "highOutlier",
      "high",
      110_000_000,
      yuan("16500"),
    ]);
  });

  it("very high at 2× exactly (18,000.00) and not one fen below; both 90 points = 13,500.00", () => {
    const at = settleStay(dipStay("K80.001", ["51.2300"], "18000", "0"), ctx);
    const below = settleStay(dipStay("K80.001", ["51.2300"], "17999.99", "0"), ctx);
    expect([at.outlier, at.points, at.drgPayment]).toEqual(["high", 90_000_000, yuan("13500")]);
    expect([below.outlier, below.points, below.drgPayment]).toEqual(["none", 90_000_000, yuan("13500")]);
  });

  it("very low at 0.5× exactly (9,000 of 18,000) → 90 points; one fen above is normal → 180 points", () => {
    const at = settleStay(dipStay("J44.100", [], "9000", "0"), ctx);
    const above = settleStay(dipStay("J44.100", [], "9000.01", "0"), ctx);
    expect([at.outlier, at.points, at.drgPayment]).toEqual(["low", 90_000_000, yuan("13500")]);
    expect([above.outlier, above.points, above.drgPayment]).toEqual(["none", 180_000_000, yuan("27000")]);
  });

  it("payment rounds once, half away from zero: 1,000.01 very low → 150,001.5 fen → 150,002", () => {
    // 50 × 100,001 ÷ 450,000 × 0.9 = 10.0001 points = 10,000,100 micro × 15,000 fen ÷ 10⁶ = 150,001.5
    expect(settleStay(dipStay("J18.900", [], "1000.01", "0"), ctx).drgPayment).toBe(150_002);
    expect(settleStay(dipStay("J18.900", [], "1000", "0"), ctx).drgPayment).toBe(150_000);
  });

  it("a cleared year is paid at its 清算点值: 45 points × 140 = 6,300.00 in 2022", () => {
    const s = settleStay(
      dipStay("J18.900", [], "4000", "800", { admissionDate: "2022-03-01", dischargeDate: "2022-03-05" }),
      ctx,
    );
    expect(s.drgPayment).toBe(yuan("6300"));
  });

  it("a DRG hospital's stay is still settled by DRG", () => {
    const drg = settleStay({ ...dipStay("J18.900", [], "4000", "800"), hospitalId: "H3", drg: "KD15" }, ctx);
    expect([drg.method, drg.dip]).toEqual(["rate", undefined]);
  });

  it("refuses, naming the field: a group without points, no coding, no point value", () => {
    const err = (s: Stay, c = ctx) => {
      try {
        settleStay(s, c);
      } catch (e) {
        if (e instanceof SettlementError) return [e.field, e.rule];
      }
      return null;
    };
    expect(err(dipStay("I63.900", [], "4000", "800"))).toEqual([
      "dip",
      "病种 I63.9|保守治疗 不在 DIP 病种分值表中（综合病种 综合|I63|保守治疗 也没有）",
    ]);
    const { dip: _dip, ...uncoded } = dipStay("J18.900", [], "4000", "800");
    expect(err(uncoded)?.[0]).toBe("dip");
    const { prepayment: _p, ...noValue } = DIP;
    expect(err(dipStay("J18.900", [], "4000", "800"), ctxWith(noValue))?.[0]).toBe("pointValue");
  });
});

describe("a hospital's DIP spans by discharge date (its master-data editions)", () => {
  // H2 is paid by DIP as 二级 from 2021-03-01 until 2021-07-01, then as 三级 from 2021-09-01 on; in
  // between (July and August) by DRG.
  const ctx = context(
    {},
    {
      dip: createDipPricing({
        policies: [parseDipPaymentPolicy(DIP)],
        hospitals: [
          { id: "H2", level: "二级", from: "2021-03-01", until: "2021-07-01" },
          { id: "H2", level: "三级", from: "2021-09-01", until: null },
        ],
      }),
    },
  );
  // KD15 is in the DRG weight table: a stay outside the spans is settled by DRG (method "rate").
  const on = (date: string) =>
    settleStay(dipStay("J18.900", [], "4000", "800", { dischargeDate: date, drg: "KD15" }), ctx);

  it("DIP from the first day of a span, not the day before", () => {
    expect(on("2021-02-28").method).toBe("rate");
    expect(on("2021-03-01").method).toBe("dip");
  });

  it("the end is exclusive: the day before is DIP at the span's level, the day itself is DRG", () => {
    // 二级: 50 points × 0.9 = 45 points × 150 = 6,750.00.
    const last = on("2021-06-30");
    expect([last.method, last.points, last.drgPayment]).toEqual(["dip", 45_000_000, yuan("6750")]);
    expect(on("2021-07-01").method).toBe("rate");
    expect(on("2021-08-31").method).toBe("rate");
  });

  it("a later span prices at its own level: 三级, 50 points × 1 = 50 points × 150 = 7,500.00", () => {
    const s = on("2021-09-01");
    expect([s.method, s.points, s.drgPayment]).toEqual(["dip", 50_000_000, yuan("7500")]);
  });
});

describe("fund loss under DIP (re-settlement)", () => {
  const ctx = ctxWith();

  it("an unsupported comorbidity (CCI 1, × 1.1): 49.5 points = 7,425.00 against 45 = 6,750.00 → loss 675.00", () => {
    const coded = dipStay("J18.900", [], "4000", "800");
    const withCc = {
      ...coded,
      dip: { ...(coded.dip as NonNullable<Stay["dip"]>), secondaryDiagnoses: ["E11.900"] },
    };
    const r = resettle([withCc], [coded], ctx);
    expect([r.originalPayment, r.correctedPayment, r.fundLoss]).toEqual([
      yuan("7425"),
      yuan("6750"),
      yuan("675"),
    ]);
  });

  it("split admission: two 3,000 stays (45 points each) merged into one 6,000 stay (45 points) → loss 6,750.00", () => {
    const a = dipStay("J18.900", [], "3000", "600", { id: "A", dischargeDate: "2021-05-04" });
    const b = dipStay("J18.900", [], "3000", "600", {
      id: "B",
      admissionDate: "2021-05-06",
      dischargeDate: "2021-05-10",
    });
    const merged = mergeStays([a, b], { id: "A+B", drg: "ES25" });
    expect(merged.dip?.principalDiagnosis).toBe("J18.900");
    const r = resettle([a, b], [merged], ctx);
    // as uploaded: 2 × (6,750 − 600) = 12,300; merged: 6,750 − 1,200 = 5,550
    expect([r.originalFund, r.correctedFund, r.fundLoss]).toEqual([
      yuan("12300"),
      yuan("5550"),
      yuan("6750"),
    ]);
  });

  it("a merged stay takes every procedure and other diagnosis once, the first stay's principal diagnosis", () => {
    const a = dipStay("K80.001", ["51.2300"], "9000", "0", { id: "A" });
    const b = dipStay("J18.900", ["51.2300", "87.5400"], "1000", "0", {
      id: "B",
      dip: {
        principalDiagnosis: "J18.900",
        procedures: ["51.2300", "87.5400"],
        secondaryDiagnoses: ["E11.900"],
      },
    });
    expect(mergeStays([a, b], { id: "A+B", drg: "HC25" }).dip).toEqual({
      principalDiagnosis: "K80.001",
      procedures: ["51.2300", "87.5400"],
      secondaryDiagnoses: ["J18.900", "E11.900"],
      ageYears: 50,
    });
  });
});
