/**
 * Boundary tests (issue 16): every payment threshold at its edge, one step below and one above,
 * and rounding cases that land exactly on half a fen. Expected values are hand-calculated in the
 * comments from the fixture policy (rate 8811, 二级 coefficient 1.0) and the Handan benefit data.
 */
import { describe, expect, it } from "vitest";
import {
  type BenefitInput,
  BenefitPolicySet,
  computePatientShare,
  parseBenefitPolicy,
} from "../src/benefit.js";
import { clearYear, summarizeForClearing } from "../src/clearing.js";
import { HANDAN_RESIDENTS_2021 } from "../src/data/handan-2021.js";
import {
  allocateLargestRemainder,
  divCeilBig,
  divFloorBig,
  divRound,
  divRoundBig,
  formatRatio,
  formatRational,
  formatYuan,
  mulDivRound,
  parseRatio,
  parseYuan,
  sumFen,
  toSafeNumber,
} from "../src/money.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import { createSettlementContext, settleStay } from "../src/settle.js";
import { SettlementError } from "../src/versioned.js";
import { HOSPITALS, handan, policyData, stay, weightsData } from "./fixtures.js";

/** DRGs whose RW sits exactly on, and one ppm either side of, the band edges 1 and 2. */
const EDGE_WEIGHTS = [
  { drg: "EB09", rw: "0.999999" },
  { drg: "EB10", rw: "1" },
  { drg: "EB11", rw: "1.000001" },
  { drg: "EB20", rw: "2" },
  { drg: "EB21", rw: "2.000001" },
];

function edgeContext(policyOver: Record<string, unknown> = {}) {
  const w = weightsData();
  return createSettlementContext({
    policies: [
      {
        policy: parsePaymentPolicy(policyData(policyOver)),
        weights: parseDrgWeightTable({ ...w, entries: [...w.entries, ...EDGE_WEIGHTS] }),
      },
    ],
    hospitals: HOSPITALS,
    benefit: handan(),
  });
}

describe("high-outlier RW bands (高倍率界值按权重分档) at their edges", () => {
  const ctx = edgeContext();
  const threshold = (drg: string) => settleStay(stay({ drg, hospitalId: "H2" }), ctx).highThreshold;

  it("RW exactly on a band's upper edge belongs to that band (maxRw inclusive)", () => {
    // RW 0.999999: 8811 × 0.999999 = 8810.991189 元 → 881099 fen; × 3 = 2643297
    expect(threshold("EB09")).toBe(2643297);
    // RW 1: 881100 fen; band ≤ 1 → × 3 = 2643300 (an exclusive edge would give × 2.5 = 2202750)
    expect(threshold("EB10")).toBe(2643300);
    // RW 1.000001: 881100.8811 → 881101; band ≤ 2 → × 2.5 = 2202752.5 → 2202753 (half a fen rounds up)
    expect(threshold("EB11")).toBe(2202753);
    // RW 2: 1762200; band ≤ 2 → × 2.5 = 4405500 (exclusive edge: × 2 = 3524400)
    expect(threshold("EB20")).toBe(4405500);
    // RW 2.000001: 17622.008811 元 = 1762200.8811 fen → 1762201; open band → × 2 = 3524402
    expect(threshold("EB21")).toBe(3524402);
  });

  it("a case is a high outlier only above the threshold (高于界值)", () => {
    const cat = (totalCost: number) => settleStay(stay({ drg: "EB10", totalCost }), ctx).category;
    expect(cat(2643299)).toBe("normal");
    expect(cat(2643300)).toBe("normal");
    expect(cat(2643301)).toBe("highOutlier");
  });
});

describe("low outlier (低倍率) at its edge", () => {
  it("below the threshold only: cost equal to the threshold is a normal case", () => {
    const ctx = edgeContext();
    // HU15 RW 0.64 at 二级: 5639.04 元 = 563904 fen; low threshold 0.4 × 563904 = 225561.6 → 225562
    const at = (totalCost: number) => settleStay(stay({ drg: "HU15", totalCost, patientShare: 0 }), ctx);
    expect(at(225561).lowThreshold).toBe(225562);
    expect(at(225561).category).toBe("lowOutlier");
    expect(at(225561).drgPayment).toBe(225561);
    expect(at(225562).category).toBe("normal");
    expect(at(225562).drgPayment).toBe(563904);
    expect(at(225563).category).toBe("normal");
  });

  it("a threshold landing on half a fen rounds up", () => {
    const outliers = policyData().outliers;
    const ctx = edgeContext({
      outliers: { ...outliers, low: { multiple: "0.5", payment: { method: "actualCost" } } },
    });
    // EB11 standard 881101 fen; 0.5 × 881101 = 440550.5 → 440551
    const at = (totalCost: number) => settleStay(stay({ drg: "EB11", totalCost, patientShare: 0 }), ctx);
    expect(at(440550).lowThreshold).toBe(440551);
    expect(at(440550).category).toBe("lowOutlier");
    expect(at(440551).category).toBe("normal");
  });

  it("scaled low-outlier payment rounds a half fen up and never exceeds the standard", () => {
    const outliers = policyData().outliers;
    const ctx = edgeContext({
      outliers: { ...outliers, low: { multiple: "0.4", payment: { method: "scaled" } } },
    });
    // KD15 RW 1.26 at 二级: 11101.86 元 = 1110186 fen, avgCost 11000 元 = 1100000 fen.
    // low threshold 0.4 × 1110186 = 444074.4 → 444074. cost 4000.25 元 = 400025 fen:
    // 1110186 × 400025 = 444102154650; ÷ 1100000 = 403729.2315 → 403729
    const r = settleStay(stay({ drg: "KD15", totalCost: 400025, patientShare: 0 }), ctx);
    expect(r.lowThreshold).toBe(444074);
    expect(r.category).toBe("lowOutlier");
    expect(r.drgPayment).toBe(403729);
  });
});

describe("fund share (统筹支付) rounding and the deductible edge", () => {
  const set = handan();
  // 一级 hospital: deductible 400 元 = 40000 fen, fund ratio 90%, no 乙类先行自付.
  const fund = (classA: number) => {
    const input: BenefitInput = {
      id: "S1",
      costs: { classA, classB: 0, selfPay: 0, other: 0 },
      benefitClass: "一级",
      insurance: "城乡居民",
      admissionDate: "2021-05-01",
      dischargeDate: "2021-05-08",
    };
    return computePatientShare(input, set).fund;
  };

  it("rounds the fund share half a fen up, never down", () => {
    expect(fund(40005)).toBe(5); // 5 × 90% = 4.5 → 5
    expect(fund(40015)).toBe(14); // 15 × 90% = 13.5 → 14
    expect(fund(40004)).toBe(4); // 3.6 → 4
    expect(fund(40006)).toBe(5); // 5.4 → 5
  });

  it("pays nothing up to the deductible and starts one fen above it", () => {
    expect(fund(39999)).toBe(0);
    expect(fund(40000)).toBe(0);
    expect(fund(40001)).toBe(1); // 0.9 → 1
    expect(fund(40002)).toBe(2); // 1.8 → 2
  });
});

describe("year-end clearing (年终清算) at the overspend band edge and on half fen", () => {
  // One hospital with all the points: payment = budget = 10 000 000 fen; the band covers overspend
  // up to 10% of it (1 000 000 fen) at 50%; surplus is kept at 70%.
  const clear = (totalCost: number) =>
    clearYear({
      budget: 10_000_000,
      rules: {
        budgetBasis: "totalPayment",
        surplusRetention: 700_000,
        overspendBands: [{ upTo: 100_000, fundShare: 500_000 }],
      },
      hospitals: [{ hospitalId: "A", points: 1_000_000, totalCost, patientShare: 0 }],
    }).hospitals[0];

  it("covers half the overspend up to the band edge and nothing beyond it", () => {
    expect(clear(10_000_000 + 999_999)?.overspendCovered).toBe(500_000); // 499 999.5 → 500 000
    expect(clear(10_000_000 + 1_000_000)?.overspendCovered).toBe(500_000);
    expect(clear(10_000_000 + 1_000_001)?.overspendCovered).toBe(500_000);
    expect(clear(10_000_000 + 1_000_001)?.overspendBorne).toBe(500_001);
    expect(clear(10_000_000 + 1)?.overspendCovered).toBe(1); // 0.5 → 1
  });

  it("keeps 70% of a surplus, rounding half a fen up; no surplus nor overspend at cost = payment", () => {
    expect(clear(10_000_000)).toMatchObject({ overspend: 0, surplusRetained: 0, overspendCovered: 0 });
    expect(clear(10_000_000 - 1)).toMatchObject({ surplusRetained: 1, surplusReturned: 0 }); // 0.7 → 1
    expect(clear(10_000_000 - 5)).toMatchObject({ surplusRetained: 4, surplusReturned: 1 }); // 3.5 → 4
  });
});

describe("bed fee cap and annual cap (床位费限额、年度支付限额) at their edges", () => {
  // 主城区二级: deductible 800 元, fund 80%, bed fee cap 30 元 a day; 9000 元 甲类 → fund 6560 元.
  const base: BenefitInput = {
    id: "S1",
    costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
    benefitClass: "主城区二级",
    insurance: "城乡居民",
    admissionDate: "2021-05-01",
    dischargeDate: "2021-05-08",
  };

  it("bed fee: nothing over 30 元 × days is the patient's; one fen over is", () => {
    const excess = (bedFee: number) =>
      computePatientShare({ ...base, bedFee, bedDays: 7 }, handan()).bedFeeExcess;
    expect(excess(20_999)).toBe(0);
    expect(excess(21_000)).toBe(0);
    expect(excess(21_001)).toBe(1);
  });

  it("annual cap 100 000 元: the fund pays up to what is left of it, the rest is over the cap", () => {
    const set = new BenefitPolicySet([
      parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, annualCaps: { 城乡居民: "100000" } }),
    ]);
    const at = (fundPaid: number) =>
      computePatientShare({ ...base, person: { "2021": { admissions: 0, fundPaid } } }, set);
    expect(at(10_000_000 - 656_001)).toMatchObject({ fund: 656_000, overCap: 0 });
    expect(at(10_000_000 - 656_000)).toMatchObject({ fund: 656_000, overCap: 0 });
    expect(at(10_000_000 - 655_999)).toMatchObject({ fund: 655_999, overCap: 1 });
    expect(at(10_000_000)).toMatchObject({ fund: 0, overCap: 656_000 });
    expect(at(10_000_001)).toMatchObject({ fund: 0, overCap: 656_000 });
  });
});

describe("ungrouped (0000) and QY shares of cost on half fen", () => {
  const ctx = edgeContext();
  it("70% of 5 fen is 3.5 → 4; 80% of 3 fen is 2.4 → 2 and of 7 fen 5.6 → 6", () => {
    const pay = (drg: string, totalCost: number) =>
      settleStay(stay({ drg, totalCost, patientShare: 0 }), ctx).drgPayment;
    expect(pay("0000", 5)).toBe(4);
    expect(pay("0000", 15)).toBe(11); // 10.5 → 11
    expect(pay("BQY", 3)).toBe(2);
    expect(pay("BQY", 7)).toBe(6);
  });
});

describe("money (金额) at its edges: halves, signs, the safe-integer limit", () => {
  const MAX = Number.MAX_SAFE_INTEGER; // 9 007 199 254 740 991

  it("rounds half away from zero, both signs, numbers and bigints", () => {
    expect([divRound(4, 10), divRound(5, 10), divRound(6, 10), divRound(15, 10)]).toEqual([0, 1, 1, 2]);
    expect([divRound(-4, 10), divRound(-5, 10), divRound(-6, 10), divRound(-15, 10)]).toEqual([
      0, -1, -1, -2,
    ]);
    expect([
      divRoundBig(4n, 10n),
      divRoundBig(5n, 10n),
      divRoundBig(-5n, 10n),
      divRoundBig(-4n, 10n),
    ]).toEqual([0n, 1n, -1n, 0n]);
    expect([divFloorBig(1n, 2n), divFloorBig(-1n, 2n), divFloorBig(-2n, 2n), divFloorBig(3n, 2n)]).toEqual([
      0n,
      -1n,
      -1n,
      1n,
    ]);
    expect([divCeilBig(1n, 2n), divCeilBig(-1n, 2n), divCeilBig(2n, 2n), divCeilBig(3n, 2n)]).toEqual([
      1n,
      0n,
      1n,
      2n,
    ]);
  });

  it("mulDivRound stays exact past the safe range: MAX × 3 ÷ 6 = 4 503 599 627 370 495.5 → …496", () => {
    expect(mulDivRound(MAX, 3, 6)).toBe(4_503_599_627_370_496);
    expect(mulDivRound(MAX, 1, 1)).toBe(MAX);
    expect(() => mulDivRound(MAX, 2, 1)).toThrow(RangeError);
  });

  it("toSafeNumber and sumFen fail one past the limit", () => {
    expect(toSafeNumber(BigInt(MAX))).toBe(MAX);
    expect(toSafeNumber(-BigInt(MAX))).toBe(-MAX);
    expect(() => toSafeNumber(BigInt(MAX) + 1n)).toThrow(RangeError);
    expect(() => toSafeNumber(-BigInt(MAX) - 1n)).toThrow(RangeError);
    expect(sumFen([MAX - 1, 1])).toBe(MAX);
    expect(() => sumFen([MAX, 1])).toThrow(RangeError);
    expect(sumFen([])).toBe(0);
  });

  it("parses yuan and ratios exactly, refusing one decimal too many and one fen past the limit", () => {
    expect(parseYuan(" 1.5 ")).toBe(150);
    expect(parseYuan("-0.01")).toBe(-1);
    expect(parseYuan(17214.6)).toBe(1_721_460);
    expect(parseYuan("90071992547409.91")).toBe(MAX);
    expect(() => parseYuan("90071992547409.92")).toThrow(/超出/);
    expect(() => parseYuan("1.234")).toThrow(/小数位/);
    expect(() => parseYuan("1,00")).toThrow(/格式/);
    expect(parseRatio("80%")).toBe(800_000);
    expect(parseRatio("1.2345%")).toBe(12_345);
    expect(() => parseRatio("1.23456%")).toThrow(/小数位/);
    expect(parseRatio("3‰")).toBe(3_000);
    expect(parseRatio("0.123‰")).toBe(123);
    expect(() => parseRatio("0.1234‰")).toThrow(/小数位/);
    expect(parseRatio("0.000001")).toBe(1);
    expect(() => parseRatio("0.0000001")).toThrow(/小数位/);
  });

  it("formats yuan, ratios and rationals with their signs and padding", () => {
    expect([formatYuan(9), formatYuan(10), formatYuan(1_721_460), formatYuan(-5), formatYuan(0)]).toEqual([
      "0.09",
      "0.10",
      "17214.60",
      "-0.05",
      "0.00",
    ]);
    expect(formatRatio(1_260_000)).toBe("1.26");
    expect(formatRatio(1_000_000)).toBe("1.00");
    expect(formatRatio(1_234_567)).toBe("1.234567");
    expect(formatRatio(-500_000)).toBe("-0.50");
    expect(formatRatio(3_000, 0)).toBe("0.003");
    expect(formatRatio(2_000_000, 0)).toBe("2");
    expect(formatRational({ num: 1n, den: 3n }, 2)).toBe("0.33");
    expect(formatRational({ num: 2n, den: 3n }, 2)).toBe("0.67");
    expect(formatRational({ num: 1n, den: 2n }, 0)).toBe("1");
    expect(formatRational({ num: -1n, den: 2n }, 0)).toBe("-1");
    expect(formatRational({ num: -1n, den: 200n }, 2)).toBe("-0.01");
  });

  it("allocates by largest remainder, ties to the lower index, refusing bad input", () => {
    expect(allocateLargestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocateLargestRemainder(5, [1, 3])).toEqual([1, 4]); // 1.25, 3.75
    expect(allocateLargestRemainder(5, [3, 1])).toEqual([4, 1]);
    expect(allocateLargestRemainder(1, [1, 1])).toEqual([1, 0]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocateLargestRemainder(1, [0, 0])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(-1, [1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1, [1, -1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1.5, [1])).toThrow(RangeError);
  });
});

describe("patient-share refusals name the field and the rule (待遇政策的拒绝理由)", () => {
  const base: BenefitInput = {
    id: "S9",
    costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
    benefitClass: "主城区二级",
    insurance: "城乡居民",
    admissionDate: "2021-05-01",
    dischargeDate: "2021-05-08",
  };
  const refusal = (over: Partial<BenefitInput>): SettlementError => {
    try {
      computePatientShare({ ...base, ...over }, handan());
    } catch (e) {
      expect(e).toBeInstanceOf(SettlementError);
      return e as SettlementError;
    }
    throw new Error("expected a refusal");
  };

  it("bed fee up to the 甲类 cost is accepted, one fen over is refused", () => {
    expect(computePatientShare({ ...base, bedFee: 900_000, bedDays: 7 }, handan()).bedFeeExcess).toBe(
      879_000,
    );
    const e = refusal({ bedFee: 900_001, bedDays: 7 });
    expect([e.record, e.field]).toEqual(["S9", "bedFee"]);
    expect(e.rule).toBe("床位费不能超过甲类费用");
  });

  it("zero bed days are allowed (all of the bed fee is over the cap); negative or fractional days are refused", () => {
    expect(computePatientShare({ ...base, bedFee: 5_000, bedDays: 0 }, handan()).bedFeeExcess).toBe(5_000);
    expect(refusal({ bedFee: 5_000, bedDays: -1 }).field).toBe("bedDays");
    expect(refusal({ bedFee: 5_000, bedDays: 1.5 }).rule).toBe("须为非负整数");
  });

  it("an unknown 起付线类别, 险种 or 定额病种 is refused by name", () => {
    const c = refusal({ benefitClass: "不存在的类别" });
    expect(c.field).toBe("benefitClass");
    expect(c.rule).toContain("起付线类别「不存在的类别」");
    const i = refusal({ insurance: "职工基本医疗保险" });
    expect(i.field).toBe("insurance");
    expect(i.rule).toContain("职工基本医疗保险在二级定点医疗机构的支付比例");
    const f = refusal({ fixedCase: "不存在的病种" });
    expect(f.field).toBe("fixedCase");
    expect(f.rule).toContain("没有定额支付病种「不存在的病种」");
  });

  it("remote treatment without remote rules in the policy is refused on the treatment field", () => {
    const noRemote = new BenefitPolicySet([parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, remote: null })]);
    for (const treatment of ["remoteTemporary", "remoteUnregistered"] as const) {
      let err: unknown;
      try {
        computePatientShare({ ...base, treatment }, noRemote);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SettlementError);
      expect((err as SettlementError).field).toBe("treatment");
      expect((err as SettlementError).rule).toContain("异地临时外出就医");
    }
  });
});

describe("effective dates at their edges (生效日期)", () => {
  it("a new technology item is paid by item from its recording day (2021-03-15) on, not the day before", () => {
    const ctx = edgeContext();
    const at = (dischargeDate: string) =>
      settleStay(
        stay({ newTechItems: ["NT001"], totalCost: 3_000_000, admissionDate: "2021-03-01", dischargeDate }),
        ctx,
      ).category;
    expect(at("2021-03-14")).toBe("highOutlier");
    expect(at("2021-03-15")).toBe("newTechItems");
  });

  it("a payment policy applies through its last day (effectiveTo inclusive) and not after", () => {
    const ctx = edgeContext({ effectiveTo: "2021-12-31" });
    const at = (dischargeDate: string) => () =>
      settleStay(stay({ admissionDate: "2021-12-20", dischargeDate }), ctx).category;
    expect(at("2021-12-31")()).toBe("normal");
    expect(at("2022-01-01")).toThrow(SettlementError);
  });
});

describe("clearing inputs and bands beyond the first", () => {
  it("sums each hospital's cost, patient share and cases over its settled stays", () => {
    const ctx = edgeContext();
    const a = settleStay(stay({ id: "A1", totalCost: 1_000_000, patientShare: 200_000 }), ctx);
    const b = settleStay(stay({ id: "A2", totalCost: 1_500_000, patientShare: 300_001 }), ctx);
    const c = settleStay(stay({ id: "B1", hospitalId: "H3", totalCost: 700_000, patientShare: 1 }), ctx);
    const t = summarizeForClearing([a, b, c]);
    expect(t.map((h) => [h.hospitalId, h.totalCost, h.patientShare, h.cases])).toEqual([
      ["H2", 2_500_000, 500_001, 2],
      ["H3", 700_000, 1, 1],
    ]);
  });

  it("covers each band at its own share: 50% to 10%, 30% to 20%, 10% beyond", () => {
    const clear = (totalCost: number) =>
      clearYear({
        budget: 10_000_000,
        rules: {
          budgetBasis: "totalPayment",
          surplusRetention: 700_000,
          overspendBands: [
            { upTo: 100_000, fundShare: 500_000 },
            { upTo: 200_000, fundShare: 300_000 },
            { upTo: null, fundShare: 100_000 },
          ],
        },
        hospitals: [{ hospitalId: "A", points: 1_000_000, totalCost, patientShare: 0 }],
      }).hospitals[0]?.overspendCovered;
    expect(clear(11_500_000)).toBe(650_000); // 500 000 + 500 000 × 30%
    expect(clear(12_000_000)).toBe(800_000); // 500 000 + 300 000
    expect(clear(13_000_000)).toBe(900_000); // + 1 000 000 × 10%
  });

  it("takes a deduction of 0 fen and refuses a negative or fractional one", () => {
    const r = clearYear({
      budget: 10_000_000,
      rules: { budgetBasis: "totalPayment", surplusRetention: 700_000, overspendBands: [] },
      hospitals: [{ hospitalId: "A", points: 1_000_000, totalCost: 10_000_000, patientShare: 0 }],
      deductions: [
        { hospitalId: "A", amount: 0, reason: "零" },
        { hospitalId: "A", amount: -1, reason: "负" },
        { hospitalId: "A", amount: 1.5, reason: "小数" },
        { hospitalId: "A", amount: 7, reason: "七分" },
      ],
    });
    expect(r.hospitals[0]?.deductions).toBe(7);
    expect(r.hospitals[0]?.deductionReasons).toEqual(["零", "七分"]);
    expect(r.rejectedDeductions).toHaveLength(2);
  });
});

describe("the reported patient share (个人负担) between 0 and the cost", () => {
  const ctx = edgeContext();
  const at = (patientShare: number) => () =>
    settleStay(stay({ totalCost: 1_000_000, patientShare }), ctx).fundPayment;
  it("0 and the whole cost are accepted; one fen outside either end, or a fraction, is refused on patientShare", () => {
    // KD15 at 二级: standard 1 110 186 fen.
    expect(at(0)()).toBe(1_110_186);
    expect(at(1_000_000)()).toBe(110_186);
    for (const bad of [-1, 1_000_001, 0.5]) {
      let err: unknown;
      try {
        at(bad)();
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).toBeInstanceOf(SettlementError);
      expect((err as SettlementError).field, String(bad)).toBe("patientShare");
    }
  });
});
