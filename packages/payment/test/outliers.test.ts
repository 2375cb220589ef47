/**
 * Issue 14: outlier thresholds on the group's regional average cost, and the special-case families
 * (住院不足24小时, 死亡, 转院, 长期住院). Every expected value is worked by hand in the comments.
 *
 * Fixture facts used below (fixtures.ts): rate 8811; hospital H2 二级 coefficient 1.0, H3 三级 1.1;
 * KD15 RW 1.26, avgCost 11000.00 (1 100 000 fen), band 1 < RW ≤ 2 → high multiple 2.5; low multiple 0.4;
 * DA15 RW 2.08 without avgCost; high outliers paid by items at ratio 1, low outliers at actual cost.
 * KD15 standard at H2 = round(1.26 × 8811 × 1.0) = 11101.86 → 1 110 186 fen.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXAMPLE_OUTLIERS } from "../src/data/example-policy.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import { mergeStays } from "../src/resettle.js";
import { createSettlementContext, type Stay, settleStay } from "../src/settle.js";
import { PolicyDataError, SettlementError } from "../src/versioned.js";
import { parseStay } from "../src/wire.js";
import { context, HOSPITALS, handan, policyData, stay, weightsData } from "./fixtures.js";

const regional = {
  high: { ...EXAMPLE_OUTLIERS.high, basis: "regionalAverage" },
  low: { ...EXAMPLE_OUTLIERS.low, basis: "regionalAverage" },
};

describe("outlier threshold basis (倍率界值基数)", () => {
  it("default and explicit basis standard: the thresholds of today, at, one fen below and above", () => {
    const implicit = context();
    const explicit = context({
      outliers: {
        high: { ...EXAMPLE_OUTLIERS.high, basis: "standard" },
        low: { ...EXAMPLE_OUTLIERS.low, basis: "standard" },
      },
    });
    for (const ctx of [implicit, explicit]) {
      // high = round(1 110 186 × 2.5) = 2 775 465 (exact); low = round(1 110 186 × 0.4) = round(444 074.4) = 444 074
      const at = (fen: number) => settleStay(stay({ totalCost: fen }), ctx);
      expect(at(2775465).highThreshold).toBe(2775465);
      expect(at(2775465).lowThreshold).toBe(444074);
      expect(at(2775465).category).toBe("normal"); // equal: not above the threshold
      expect(at(2775464).category).toBe("normal");
      expect(at(2775466).category).toBe("highOutlier");
      expect(at(2775466).drgPayment).toBe(2775466); // items × 1
      expect(at(444074).category).toBe("normal"); // equal: not below
      expect(at(444075).category).toBe("normal");
      expect(at(444073).category).toBe("lowOutlier");
      expect(at(444073).drgPayment).toBe(444073); // actual cost
    }
  });

  it("regionalAverage: high threshold = round(avgCost × band multiple), at, one fen below and above", () => {
    const ctx = context({ outliers: regional });
    // high = 1 100 000 × 2.5 = 2 750 000; standard stays 1 110 186 at H2
    const at = (fen: number) => settleStay(stay({ totalCost: fen }), ctx);
    expect(at(2750000).highThreshold).toBe(2750000);
    expect(at(2750000).standard).toBe(1110186);
    expect(at(2750000).category).toBe("normal");
    expect(at(2750000).drgPayment).toBe(1110186);
    expect(at(2749999).category).toBe("normal");
    expect(at(2750001).category).toBe("highOutlier");
    expect(at(2750001).drgPayment).toBe(2750001);
    // The regional average does not depend on the hospital: at H3 (coefficient 1.1) the standard is
    // round(1.26 × 8811 × 1.1) = round(12 212.046) = 1 221 205 but the threshold is still 2 750 000.
    const h3 = settleStay(stay({ hospitalId: "H3", totalCost: 2750001 }), ctx);
    expect(h3.standard).toBe(1221205);
    expect(h3.highThreshold).toBe(2750000);
    expect(h3.category).toBe("highOutlier");
  });

  it("regionalAverage with excess payment: standard + (cost − threshold) × ratio, threshold on the average", () => {
    const ctx = context({
      outliers: { ...regional, high: { ...regional.high, payment: { method: "excess", ratio: "0.9" } } },
    });
    // 3 000 000 − 2 750 000 = 250 000; × 0.9 = 225 000; + 1 110 186 = 1 335 186
    expect(settleStay(stay({ totalCost: 3000000 }), ctx).drgPayment).toBe(1335186);
    // one fen above: 1 110 186 + round(1 × 0.9) = 1 110 186 + 1 = 1 110 187
    expect(settleStay(stay({ totalCost: 2750001 }), ctx).drgPayment).toBe(1110187);
  });

  it("regionalAverage: low threshold = round(avgCost × multiple), at, one fen below and above", () => {
    const ctx = context({ outliers: regional });
    // low = 1 100 000 × 0.4 = 440 000
    const at = (fen: number) => settleStay(stay({ totalCost: fen, patientShare: 0 }), ctx);
    expect(at(440000).lowThreshold).toBe(440000);
    expect(at(440000).category).toBe("normal");
    expect(at(440001).category).toBe("normal");
    expect(at(439999).category).toBe("lowOutlier");
    expect(at(439999).drgPayment).toBe(439999);
  });

  it("the basis is chosen per rule: high on the average, low on the standard", () => {
    const ctx = context({ outliers: { high: regional.high, low: EXAMPLE_OUTLIERS.low } });
    const r = settleStay(stay(), ctx);
    expect(r.highThreshold).toBe(2750000); // 1 100 000 × 2.5
    expect(r.lowThreshold).toBe(444074); // round(1 110 186 × 0.4)
  });

  it("a .5 fen threshold rounds half away from zero, once", () => {
    // GB11: RW 1.5 (band ≤ 2 → 2.5×), avgCost 100.01 = 10 001 fen.
    // high = 10 001 × 2.5 = 25 002.5 → 25 003; low with multiple 0.5: 10 001 × 0.5 = 5 000.5 → 5 001.
    const ctx = createSettlementContext({
      policies: [
        {
          policy: parsePaymentPolicy(
            policyData({
              outliers: {
                high: regional.high,
                low: { multiple: "0.5", basis: "regionalAverage", payment: { method: "actualCost" } },
              },
            }),
          ),
          weights: parseDrgWeightTable(
            weightsData({ entries: [{ drg: "GB11", rw: "1.5", avgCost: "100.01" }] }),
          ),
        },
      ],
      hospitals: HOSPITALS,
      benefit: handan(),
    });
    const at = (fen: number) => settleStay(stay({ drg: "GB11", totalCost: fen, patientShare: 0 }), ctx);
    expect(at(25003).highThreshold).toBe(25003);
    expect(at(25003).lowThreshold).toBe(5001);
    expect(at(25003).category).toBe("normal");
    expect(at(25004).category).toBe("highOutlier");
    expect(at(5001).category).toBe("normal");
    expect(at(5000).category).toBe("lowOutlier");
  });

  it("a DRG without avgCost under regionalAverage is a SettlementError naming the stay and the DRG", () => {
    const ctx = context({ outliers: regional });
    const run = () => settleStay(stay({ id: "S-DA15", drg: "DA15" }), ctx);
    expect(run).toThrow(SettlementError);
    expect(run).toThrow(/S-DA15.*DA15.*avgCost/);
    // the low rule alone on the average also needs it
    const lowOnly = context({ outliers: { high: EXAMPLE_OUTLIERS.high, low: regional.low } });
    expect(() => settleStay(stay({ id: "S2", drg: "DA15" }), lowOnly)).toThrow(/S2.*DA15.*低倍率/);
    // with the standard basis DA15 settles as before: 2 × round(2.08 × 8811) = 2 × 1 832 688
    expect(settleStay(stay({ drg: "DA15" }), context()).highThreshold).toBe(3665376);
  });
});

const families = (over: Record<string, unknown> = {}) =>
  context({
    specialCases: {
      under24Hours: { payment: { method: "items", ratio: "0.9" } },
      death: { payment: { method: "items", ratio: "1" } },
      transfer: { payment: { method: "items", ratio: "0.8" } },
      longStay: { overDays: 60, payment: { method: "items", ratio: "1" } },
      ...over,
    },
  });

describe("special-case families (特殊病例)", () => {
  it("住院不足24小时: 23:59:59 fires, 24:00:00 does not, without times it cannot fire", () => {
    const ctx = families();
    // cost 10 000.05 = 1 000 005 fen; × 0.9 = 900 004.5 → 900 005 (half away from zero)
    const s = (over: Partial<Stay>) =>
      settleStay(stay({ totalCost: 1000005, admissionDate: "2021-05-01", ...over }), ctx);
    const under = s({ dischargeDate: "2021-05-01", admissionTime: "00:00:00", dischargeTime: "23:59:59" });
    expect(under.category).toBe("under24Hours");
    expect(under.specialCase).toBe("under24Hours");
    expect(under.drgPayment).toBe(900005);
    expect(under.standard).toBeNull();
    expect(under.outlier).toBe("none");
    // 86 400 s exactly: not under 24 hours → normal, paid the standard 1 110 186
    const full = s({ dischargeDate: "2021-05-02", admissionTime: "00:00:00", dischargeTime: "00:00:00" });
    expect(full.category).toBe("normal");
    expect(full.specialCase).toBeNull();
    expect(full.drgPayment).toBe(1110186);
    // across midnight: 08:00:00 → next day 07:59:59 is 86 399 s
    expect(
      s({ dischargeDate: "2021-05-02", admissionTime: "08:00:00", dischargeTime: "07:59:59" }).category,
    ).toBe("under24Hours");
    expect(s({ dischargeDate: "2021-05-02", admissionTime: "08:00", dischargeTime: "08:00" }).category).toBe(
      "normal",
    );
    // same day but no times: the rule cannot fire
    expect(s({ dischargeDate: "2021-05-01" }).category).toBe("normal");
    expect(s({ dischargeDate: "2021-05-01", admissionTime: "08:00:00" }).category).toBe("normal");
    // discharge before admission is an error naming the field
    expect(() =>
      s({ dischargeDate: "2021-05-01", admissionTime: "09:00:00", dischargeTime: "08:00:00" }),
    ).toThrow(/dischargeTime/);
  });

  it("死亡 (离院方式 5) and 转院 (离院方式 2) by items × ratio; other ways are not families", () => {
    const ctx = families();
    const death = settleStay(stay({ dischargeWay: "5" }), ctx);
    expect(death.category).toBe("death");
    expect(death.drgPayment).toBe(1000000); // 1 000 000 × 1
    const transfer = settleStay(stay({ dischargeWay: "2", totalCost: 1000005 }), ctx);
    expect(transfer.category).toBe("transfer");
    expect(transfer.drgPayment).toBe(800004); // 1 000 005 × 0.8 = 800 004.0
    for (const way of ["1", "3", "4", "9"]) {
      expect(settleStay(stay({ dischargeWay: way }), ctx).category).toBe("normal");
    }
  });

  it("长期住院: LOS 60 is not over 60 days, LOS 61 is; without los the dates give it", () => {
    const ctx = families();
    expect(settleStay(stay({ los: 60 }), ctx).category).toBe("normal");
    const long = settleStay(stay({ los: 61 }), ctx);
    expect(long.category).toBe("longStay");
    expect(long.drgPayment).toBe(1000000);
    // 2021-03-01 → 2021-05-01: 31 + 30 = 61 days; → 2021-04-30: 60 days
    expect(settleStay(stay({ admissionDate: "2021-03-01", dischargeDate: "2021-05-01" }), ctx).category).toBe(
      "longStay",
    );
    expect(settleStay(stay({ admissionDate: "2021-03-01", dischargeDate: "2021-04-30" }), ctx).category).toBe(
      "normal",
    );
    // the threshold is data: over 90 days
    const ninety = families({ longStay: { overDays: 90, payment: { method: "items", ratio: "1" } } });
    expect(settleStay(stay({ los: 61 }), ninety).category).toBe("normal");
    expect(settleStay(stay({ los: 91 }), ninety).category).toBe("longStay");
  });

  it("a family paid drg is settled as any DRG stay and named in specialCase", () => {
    const ctx = families({ death: { payment: { method: "drg" } } });
    const r = settleStay(stay({ dischargeWay: "5" }), ctx);
    expect(r.category).toBe("normal");
    expect(r.specialCase).toBe("death");
    expect(r.drgPayment).toBe(1110186);
  });

  it("precedence: a death that is also a high outlier is paid as a death (families before outliers)", () => {
    // cost 30 000.00 = 3 000 000 > high threshold 2 775 465
    const high = { dischargeWay: "5", totalCost: 3000000 };
    const asItems = families({ death: { payment: { method: "items", ratio: "0.5" } } });
    const a = settleStay(stay(high), asItems);
    expect(a.category).toBe("death");
    expect(a.outlier).toBe("none");
    expect(a.drgPayment).toBe(1500000); // 3 000 000 × 0.5, not the high-outlier 3 000 000
    // death paid drg: the high-outlier rule then applies (items × 1)
    const asDrg = families({ death: { payment: { method: "drg" } } });
    const b = settleStay(stay(high), asDrg);
    expect(b.category).toBe("highOutlier");
    expect(b.specialCase).toBe("death");
    expect(b.drgPayment).toBe(3000000);
    // without specialCases the same stay is a plain high outlier
    expect(settleStay(stay(high), context()).specialCase).toBeNull();
  });

  it("precedence among families: under 24 hours → death → transfer → long stay, first listed wins", () => {
    const ctx = families();
    const day = { dischargeDate: "2021-05-01", admissionTime: "08:00:00", dischargeTime: "20:00:00" };
    expect(settleStay(stay({ ...day, admissionDate: "2021-05-01", dischargeWay: "5" }), ctx).category).toBe(
      "under24Hours",
    );
    expect(settleStay(stay({ dischargeWay: "5", los: 90 }), ctx).category).toBe("death");
    expect(settleStay(stay({ dischargeWay: "2", los: 90 }), ctx).category).toBe("transfer");
    // a family the policy does not list is skipped: death not listed → long stay
    const noDeath = families({ death: undefined });
    expect(settleStay(stay({ dischargeWay: "5", los: 90 }), noDeath).category).toBe("longStay");
    // a listed family paid drg stops the search: death drg wins over long stay by items
    const deathDrg = families({ death: { payment: { method: "drg" } } });
    const r = settleStay(stay({ dischargeWay: "5", los: 90 }), deathDrg);
    expect(r.category).toBe("normal");
    expect(r.specialCase).toBe("death");
  });

  it("exclusions, 0000 and QY come before the families", () => {
    const ctx = families();
    expect(settleStay(stay({ drg: "0000", dischargeWay: "5" }), ctx).category).toBe("ungrouped");
    expect(settleStay(stay({ drg: "KQY", dischargeWay: "5" }), ctx).category).toBe("ambiguous");
    expect(settleStay(stay({ drg: "AA19", dischargeWay: "5" }), ctx).category).toBe("fixedExclusion");
    expect(settleStay(stay({ drg: "AA19", dischargeWay: "5" }), ctx).specialCase).toBeNull();
  });

  it("under the point method a family paid by items is converted to points at rate ÷ pointsPerRw", () => {
    const ctx = families();
    const point = context({
      method: "point",
      pointsPerRw: 100,
      specialCases: { death: { payment: { method: "items", ratio: "1" } } },
    });
    expect(settleStay(stay({ dischargeWay: "5" }), ctx).points).toBeNull();
    // 1 000 000 fen × 100 × 10⁶ ÷ 881 100 = 113 494 495.517… → 113 494 496 micro-points
    const r = settleStay(stay({ dischargeWay: "5" }), point);
    expect(r.category).toBe("death");
    expect(r.points).toBe(113494496);
  });

  it("parseStay reads the times and the discharge way; mergeStays keeps the last discharge", () => {
    const s = parseStay({
      id: "P1",
      hospitalId: "H2",
      drg: "KD15",
      totalCost: "100",
      admissionDate: "2021-05-01",
      dischargeDate: "2021-05-02",
      admissionTime: "08:00:00",
      dischargeTime: "07:59",
      dischargeWay: "5",
    });
    expect([s.admissionTime, s.dischargeTime, s.dischargeWay]).toEqual(["08:00:00", "07:59", "5"]);
    expect(() => parseStay({ ...s, totalCost: "100", admissionTime: "24:00:00" })).toThrow(/admissionTime/);
    const m = mergeStays(
      [
        stay({ id: "A", admissionTime: "08:00:00", dischargeTime: "09:00:00", dischargeWay: "1" }),
        stay({ id: "B", dischargeDate: "2021-05-20", dischargeTime: "10:00:00", dischargeWay: "5" }),
      ],
      { id: "A+B", drg: "KD15" },
    );
    expect([m.admissionTime, m.dischargeTime, m.dischargeWay]).toEqual(["08:00:00", "10:00:00", "5"]);
  });

  it("property: within a category, a higher cost never lowers the DRG payment", () => {
    const policies = [
      families(),
      context({ outliers: regional, specialCases: { death: { payment: { method: "drg" } } } }),
      context({
        outliers: { ...regional, high: { ...regional.high, payment: { method: "excess", ratio: "0.9" } } },
      }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2),
        fc.constantFrom("KD15", "HU15"),
        fc.constantFrom("H1", "H2", "H3"),
        fc.constantFrom(undefined, "1", "2", "5"),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 1e7 }),
        (pi, drg, hospitalId, dischargeWay, los, cost, more) => {
          const ctx = policies[pi] as (typeof policies)[number];
          const base = { drg, hospitalId, los, patientShare: 0, ...(dischargeWay ? { dischargeWay } : {}) };
          const a = settleStay(stay({ ...base, totalCost: cost }), ctx);
          const b = settleStay(stay({ ...base, totalCost: cost + more }), ctx);
          if (a.category === b.category) expect(b.drgPayment).toBeGreaterThanOrEqual(a.drgPayment);
        },
      ),
    );
  });
});

describe("policy refusals (政策校验) name the JSON path", () => {
  const refuse = (over: Record<string, unknown>, path: string) => {
    const run = () => parsePaymentPolicy(policyData(over));
    expect(run).toThrow(PolicyDataError);
    expect(run).toThrow(`字段 ${path}：`);
  };

  it("unknown basis", () => {
    refuse(
      { outliers: { ...EXAMPLE_OUTLIERS, high: { ...EXAMPLE_OUTLIERS.high, basis: "average" } } },
      "outliers.high.basis",
    );
    refuse(
      { outliers: { ...EXAMPLE_OUTLIERS, low: { ...EXAMPLE_OUTLIERS.low, basis: "avgCost" } } },
      "outliers.low.basis",
    );
  });

  it("unknown method, negative ratio, unknown family, bad overDays", () => {
    refuse(
      { specialCases: { death: { payment: { method: "actualCost" } } } },
      "specialCases.death.payment.method",
    );
    refuse(
      { specialCases: { transfer: { payment: { method: "items", ratio: "-0.1" } } } },
      "specialCases.transfer.payment.ratio",
    );
    refuse({ specialCases: { deaths: { payment: { method: "drg" } } } }, "specialCases.deaths");
    refuse(
      { specialCases: { longStay: { overDays: 0, payment: { method: "drg" } } } },
      "specialCases.longStay.overDays",
    );
    refuse(
      { specialCases: { longStay: { overDays: "60", payment: { method: "drg" } } } },
      "specialCases.longStay.overDays",
    );
    refuse({ specialCases: { under24Hours: {} } }, "specialCases.under24Hours.payment");
  });

  it("defaults: no basis is standard, no specialCases lists no family", () => {
    const p = parsePaymentPolicy(policyData());
    expect(p.highOutlier.basis).toBe("standard");
    expect(p.lowOutlier?.basis).toBe("standard");
    expect(p.specialCases).toEqual({ under24Hours: null, death: null, transfer: null, longStay: null });
    const q = parsePaymentPolicy(
      policyData({ specialCases: { longStay: { payment: { method: "items" } } } }),
    );
    expect(q.specialCases.longStay).toEqual({ overDays: 60, payment: { method: "items", ratio: 1_000_000 } });
  });
});
