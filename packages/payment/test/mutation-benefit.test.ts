/**
 * Tests written against the surviving mutants of benefit.ts (issue 16, docs/mutation.md). A small
 * policy, parsed inside each test: class C2 (deductible 500 元, level 二级), fund ratio 80%, bed-fee
 * cap 30 元/day for 二级. Expected values are hand-calculated in the comments.
 */
import { describe, expect, it } from "vitest";
import {
  advancePersonState,
  type BenefitInput,
  BenefitPolicySet,
  computePatientShare,
  parseBenefitPolicy,
} from "../src/benefit.js";
import { PolicyDataError, SettlementError } from "../src/versioned.js";

const BASE = {
  id: "b",
  version: "1",
  effectiveFrom: "2021-01-01",
  classes: [
    { class: "C2", deductible: "500", ratioLevel: "二级" },
    { class: "C9", deductible: "500", ratioLevel: "九级" },
  ],
  fundRatios: [
    { insurance: "城乡居民", level: "二级", ratio: "80%" },
    { insurance: "城乡居民", level: "九级", ratio: "80%" },
  ],
  bedFeeCaps: { 二级: "30" },
  fixedAmountCases: { 自然分娩: "1200" },
};
const parse = (patch: Record<string, unknown> = {}) => parseBenefitPolicy({ ...BASE, ...patch });
const set = (...patches: Record<string, unknown>[]) =>
  new BenefitPolicySet(patches.length === 0 ? [parse()] : patches.map((p) => parse(p)));

const input = (over: Partial<BenefitInput> = {}): BenefitInput => ({
  id: "S1",
  costs: { classA: 100000, classB: 0, selfPay: 0, other: 0 },
  benefitClass: "C2",
  insurance: "城乡居民",
  admissionDate: "2021-05-01",
  dischargeDate: "2021-05-08",
  ...over,
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof PolicyDataError) return `${e.field}：${e.rule}`;
    if (e instanceof SettlementError) return e.field;
    throw e;
  }
  return "(no error)";
}

describe("parseBenefitPolicy: defaults and given values", () => {
  it("defaults: repeat deductible 100%, class B self-pay 0, other not eligible, no reduction, no name", () => {
    const p = parse({ remote: { deductibles: { 二级: "1000" }, ratios: { 二级: "60%" } } });
    expect(p.repeatAdmissionDeductible).toBe(1_000_000);
    expect(p.classBSelfPay).toBe(0);
    expect(p.otherEligible).toBe(false);
    expect(p.remote?.unregisteredReduction).toBe(0);
    expect(p.name).toBe("");
    expect(p.region).toBe("");
  });

  it("given values are kept", () => {
    const p = parse({
      name: "测试",
      region: "某市",
      repeatAdmissionDeductible: "50%",
      classBSelfPay: "10%",
      otherEligible: true,
      remote: { deductibles: {}, ratios: {}, unregisteredReduction: "10%" },
    });
    expect(p.name).toBe("测试");
    expect(p.region).toBe("某市");
    expect(p.repeatAdmissionDeductible).toBe(500_000);
    expect(p.classBSelfPay).toBe(100_000);
    expect(p.otherEligible).toBe(true);
    expect(p.remote?.unregisteredReduction).toBe(100_000);
  });

  it("refusals: a repeated class, a ratio above 100% (100% itself accepted), otherEligible not boolean", () => {
    expect(errorOf(() => parse({ classes: [...BASE.classes, BASE.classes[0]] }))).toBe(
      "classes[2].class：类别「C2」重复",
    );
    expect(errorOf(() => parse({ fundRatios: [{ insurance: "x", level: "二级", ratio: "1.000001" }] }))).toBe(
      "fundRatios[0].ratio：支付比例不能超过 100%",
    );
    expect(
      parse({ fundRatios: [{ insurance: "x", level: "二级", ratio: "100%" }] }).fundRatios.get("x|二级"),
    ).toBe(1_000_000);
    expect(errorOf(() => parse({ otherEligible: "yes" }))).toBe("otherEligible：须为 true 或 false");
  });

  it("an empty version set is refused", () => {
    expect(() => new BenefitPolicySet([])).toThrow(RangeError);
  });
});

describe("computePatientShare: input refusals at their edges", () => {
  it("each cost column must be a non-negative integer", () => {
    for (const k of ["classA", "classB", "selfPay", "other"] as const) {
      const costs = { classA: 100000, classB: 0, selfPay: 0, other: 0, [k]: -1 };
      expect(errorOf(() => computePatientShare(input({ costs }), set()))).toBe(`costs.${k}`);
      const half = { classA: 100000, classB: 0, selfPay: 0, other: 0, [k]: 0.5 };
      expect(errorOf(() => computePatientShare(input({ costs: half }), set()))).toBe(`costs.${k}`);
    }
  });

  it("discharge the day before admission is refused, the same day accepted", () => {
    expect(errorOf(() => computePatientShare(input({ dischargeDate: "2021-04-30" }), set()))).toBe(
      "dischargeDate",
    );
    // Same day: eligible 100000 − deductible 50000 = 50000 × 80% = 40000.
    expect(computePatientShare(input({ dischargeDate: "2021-05-01" }), set()).fund).toBe(40000);
  });
});

describe("bed fee above the cap (床位费超标)", () => {
  it("no bed fee, or a level without a cap: nothing above the cap", () => {
    const none = computePatientShare(input(), set());
    expect(none.bedFeeExcess).toBe(0);
    // 100000 − 50000 = 50000 × 80% = 40000
    expect(none.fund).toBe(40000);
    // Level 九级 has no cap: a bed fee of 5000 fen for 1 day stays eligible.
    const noCap = computePatientShare(input({ benefitClass: "C9", bedFee: 5000, bedDays: 1 }), set());
    expect(noCap.bedFeeExcess).toBe(0);
    expect(noCap.fund).toBe(40000);
  });

  it("30 元/day × 2 days = 6000 fen: a bed fee of 6001 has 1 fen above, 6000 none", () => {
    expect(computePatientShare(input({ bedFee: 6000, bedDays: 2 }), set()).bedFeeExcess).toBe(0);
    const over = computePatientShare(input({ bedFee: 6001, bedDays: 2 }), set());
    expect(over.bedFeeExcess).toBe(1);
    // eligible 100000 − 1 = 99999; − 50000 = 49999 × 80% = 39999.2 → 39999
    expect(over.fund).toBe(39999);
  });
});

describe("remote care (异地就医)", () => {
  const remote = { deductibles: { 二级: "1000" }, ratios: { 二级: "60%" }, unregisteredReduction: "10%" };

  it("temporary: 60%; unregistered: 60% − 10% = 50%; deductible 1000 元", () => {
    const s = set({ remote });
    // 100000 − 100000 (deductible 1000 元) = 0: use a larger cost.
    const costs = { classA: 300000, classB: 0, selfPay: 0, other: 0 };
    // (300000 − 100000) × 60% = 120000
    expect(computePatientShare(input({ costs, treatment: "remoteTemporary" }), s).fund).toBe(120000);
    // (300000 − 100000) × 50% = 100000
    expect(computePatientShare(input({ costs, treatment: "remoteUnregistered" }), s).fund).toBe(100000);
  });

  it("refused on treatment without remote rules, without the level's ratio, or without its deductible", () => {
    expect(errorOf(() => computePatientShare(input({ treatment: "remoteTemporary" }), set()))).toBe(
      "treatment",
    );
    const noRatio = set({ remote: { deductibles: { 二级: "1000" }, ratios: {} } });
    expect(errorOf(() => computePatientShare(input({ treatment: "remoteTemporary" }), noRatio))).toBe(
      "treatment",
    );
    const noDeductible = set({ remote: { deductibles: {}, ratios: { 二级: "60%" } } });
    expect(errorOf(() => computePatientShare(input({ treatment: "remoteTemporary" }), noDeductible))).toBe(
      "treatment",
    );
  });
});

describe("other (其他) when eligible", () => {
  it("is added to the eligible amount", () => {
    const costs = { classA: 100000, classB: 0, selfPay: 0, other: 20000 };
    const r = computePatientShare(input({ costs }), set({ otherEligible: true }));
    // eligible 100000 + 20000 = 120000; (120000 − 50000) × 80% = 56000
    expect(r.eligible).toBe(120000);
    expect(r.other).toBe(0);
    expect(r.fund).toBe(56000);
  });
});

describe("a stay spanning two years under splitByDays", () => {
  // v1 from 2021 at 80%, no cap; v2 from 2022-01-01 at 50%, cap 500 元; v3 from 2022-06-01 at 70%.
  const ratio = (r: string) => [
    { insurance: "城乡居民", level: "二级", ratio: r },
    { insurance: "城乡居民", level: "九级", ratio: r },
  ];
  const policies = () =>
    set(
      { version: "1", crossYear: "splitByDays", fundRatios: ratio("80%") },
      {
        version: "2",
        effectiveFrom: "2022-01-01",
        crossYear: "splitByDays",
        fundRatios: ratio("50%"),
        annualCaps: { 城乡居民: "500" },
      },
      { version: "3", effectiveFrom: "2022-06-01", crossYear: "splitByDays", fundRatios: ratio("70%") },
    );
  const stay = (over: Partial<BenefitInput> = {}) =>
    input({
      costs: { classA: 220000, classB: 0, selfPay: 0, other: 0 },
      admissionDate: "2021-12-22",
      dischargeDate: "2022-01-11",
      ...over,
    });

  it("each year's part at its own year's policy (the discharge year's at the discharge date), capped", () => {
    // Days: 2021-12-22 → 2022-01-01 = 10, 2022-01-01 → 2022-01-11 = 10. Deductible 500 元 (v1);
    // above = 220000 − 50000 = 170000 → 85000 + 85000.
    // 2021 (policy on 2021-12-31, v1 80%): 68000. 2022 (policy on 2022-01-11, v2 50%): 42500, cap
    // 50000 − 10000 already paid = 40000 → 40000 paid, 2500 over the cap.
    const r = computePatientShare(
      stay({ person: { "2022": { admissions: 0, fundPaid: 10000 } } }),
      policies(),
    );
    expect(r.years).toEqual([
      { year: "2021", fund: 68000, overCap: 0 },
      { year: "2022", fund: 40000, overCap: 2500 },
    ]);
    expect(r.fund).toBe(108000); // 68000 + 40000
    expect(r.overCap).toBe(2500);
    // co-pay = 170000 − 108000 − 2500 = 59500; patient = 220000 − 108000 = 112000
    expect(r.coPay).toBe(59500);
    expect(r.patient).toBe(112000);
  });

  it("a fixed-amount case is not split, within one year or across two", () => {
    const across = computePatientShare(stay({ fixedCase: "自然分娩" }), policies());
    // The fixed 1200 元 = 120000 fen, all against 2022's cap of 500 元: 50000 paid, 70000 over the cap.
    expect(across.fund).toBe(50000);
    expect(across.years).toEqual([{ year: "2022", fund: 50000, overCap: 70000 }]);
    const within = computePatientShare(
      stay({ fixedCase: "自然分娩", admissionDate: "2021-05-01", dischargeDate: "2021-05-08" }),
      policies(),
    );
    expect(within.years).toEqual([{ year: "2021", fund: 120000, overCap: 0 }]);
  });
});

describe("advancePersonState", () => {
  it("keeps the other years of the state", () => {
    const state = { "2019": { admissions: 2, fundPaid: 5 } };
    const i = input();
    const next = advancePersonState(state, i, computePatientShare(i, set()));
    expect(next).toEqual({
      "2019": { admissions: 2, fundPaid: 5 },
      // one admission; fund (100000 − 50000) × 80% = 40000
      "2021": { admissions: 1, fundPaid: 40000 },
    });
  });
});

describe("edges found on the second run", () => {
  it("a bed fee of 0 is not looked at further (a bad bedDays with it is not refused)", () => {
    const r = computePatientShare(input({ bedFee: 0, bedDays: -1 }), set());
    expect(r.bedFeeExcess).toBe(0);
    expect(r.fund).toBe(40000); // (100000 − 50000) × 80%
    // With a positive bed fee the bad bedDays is refused.
    expect(errorOf(() => computePatientShare(input({ bedFee: 1, bedDays: -1 }), set()))).toBe("bedDays");
  });

  it("a fixed amount of 0 pays 0, not the eligible amount", () => {
    const r = computePatientShare(input({ fixedCase: "零" }), set({ fixedAmountCases: { 零: "0" } }));
    // min(0, eligible 100000) = 0: the fund pays nothing, the patient all 100000.
    expect(r.fund).toBe(0);
    expect(r.patient).toBe(100000);
  });
});
