import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advancePersonState,
  type BenefitInput,
  BenefitPolicySet,
  computePatientShare,
  parseBenefitPolicy,
} from "../src/benefit.js";
import { HANDAN_RESIDENTS_2021 } from "../src/data/handan-2021.js";
import { PolicyDataError, SettlementError } from "../src/versioned.js";
import { handan, yuan } from "./fixtures.js";

function input(over: Partial<BenefitInput> = {}): BenefitInput {
  return {
    id: "S1",
    costs: { classA: yuan("6000"), classB: yuan("3000"), selfPay: yuan("600"), other: yuan("200") },
    benefitClass: "主城区二级",
    insurance: "城乡居民",
    admissionDate: "2021-05-01",
    dischargeDate: "2021-05-08",
    ...over,
  };
}

function capped(over: Record<string, unknown> = {}) {
  return new BenefitPolicySet([
    parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, annualCaps: { 城乡居民: "100000" }, ...over }),
  ]);
}

describe("Handan benefit policy (邯郸城乡居民待遇 2021)", () => {
  const set = handan();
  const p = set.versions[0];

  it("encodes the seed's deductibles, ratios, halving, bed fees and remote rules exactly", () => {
    expect(p?.effectiveFrom).toBe("2021-01-01");
    const d = (c: string) => p?.classes.get(c)?.deductible;
    expect(d("乡镇卫生院")).toBe(10000);
    expect(d("社区卫生服务中心")).toBe(10000);
    expect(d("一级")).toBe(40000);
    expect(d("县级二级")).toBe(50000);
    expect(d("主城区二级")).toBe(80000);
    expect(d("一级中医")).toBe(10000);
    expect(d("二级中医")).toBe(40000);
    expect(d("县级三级中医")).toBe(50000);
    expect(d("市级中医")).toBe(80000);
    expect(p?.fundRatios.get("城乡居民|一级及以下")).toBe(900_000);
    expect(p?.fundRatios.get("城乡居民|二级")).toBe(800_000);
    expect(p?.fundRatios.get("城乡居民|三级")).toBe(650_000);
    expect(p?.repeatAdmissionDeductible).toBe(500_000);
    expect(p?.bedFeeCaps.get("三级")).toBe(4000);
    expect(p?.remote?.deductibles.get("二级")).toBe(250000);
    expect(p?.remote?.ratios.get("三级")).toBe(500_000);
    expect(p?.remote?.unregisteredReduction).toBe(150_000);
    expect(p?.fixedAmountCases.get("剖腹产")).toBe(250000);
    expect(p?.annualCaps.size).toBe(0);
    expect(p?.crossYear).toBe("dischargeYear");
  });

  it("first admission at a 主城区二级 hospital: 800 deductible, 80% of the rest", () => {
    const r = computePatientShare(input(), set);
    // eligible 9000, (9000 − 800) × 80% = 6560
    expect(r).toMatchObject({
      total: 980000,
      eligible: 900000,
      deductible: 80000,
      fund: 656000,
      coPay: 164000,
    });
    expect(r.patient).toBe(980000 - 656000);
    expect(r.selfPay + r.other + r.deductible + r.coPay + r.overCap + r.classBFirstPay + r.bedFeeExcess).toBe(
      r.patient,
    );
  });

  it("halves the deductible from the second admission in the year", () => {
    const r = computePatientShare(input({ person: { "2021": { admissions: 1, fundPaid: 0 } } }), set);
    expect(r.deductible).toBe(40000);
    expect(r.fund).toBe(Math.round((900000 - 40000) * 0.8));
    // an admission in another year does not count
    const other = computePatientShare(input({ person: { "2020": { admissions: 3, fundPaid: 0 } } }), set);
    expect(other.deductible).toBe(80000);
  });

  it("uses the class ratio level: 一级 90%, 县级三级中医 65%", () => {
    expect(computePatientShare(input({ benefitClass: "一级" }), set).fund).toBe((900000 - 40000) * 0.9);
    expect(computePatientShare(input({ benefitClass: "县级三级中医" }), set).fund).toBe(
      (900000 - 50000) * 0.65,
    );
  });

  it("refuses a class the seed does not give (三级综合) with a clear error", () => {
    expect(() => computePatientShare(input({ benefitClass: "三级" }), set)).toThrow(/起付线类别「三级」/);
    expect(() => computePatientShare(input({ insurance: "城镇职工" }), set)).toThrow(SettlementError);
  });

  it("remote temporary care: 2500 deductible and 48% at 二级; unregistered 15 points less", () => {
    const t = computePatientShare(input({ treatment: "remoteTemporary" }), set);
    expect(t.deductible).toBe(250000);
    expect(t.fund).toBe((900000 - 250000) * 0.48);
    const u = computePatientShare(input({ treatment: "remoteUnregistered" }), set);
    expect(u.fund).toBe((900000 - 250000) * 0.33);
    const l = computePatientShare(input({ treatment: "remoteLongTerm" }), set);
    expect(l.fund).toBe(656000);
  });

  it("bed fee above 30 yuan/day at 二级 is self-paid", () => {
    const r = computePatientShare(input({ bedFee: yuan("400"), bedDays: 10 }), set);
    expect(r.bedFeeExcess).toBe(10000);
    expect(r.eligible).toBe(890000);
    expect(() => computePatientShare(input({ bedFee: yuan("7000"), bedDays: 1 }), set)).toThrow(/床位费/);
  });

  it("maternity fixed amounts: the fund pays 1200 for a natural delivery", () => {
    const r = computePatientShare(input({ fixedCase: "自然分娩" }), set);
    expect(r.fund).toBe(120000);
    expect(r.deductible).toBe(0);
    expect(() => computePatientShare(input({ fixedCase: "无此病种" }), set)).toThrow(SettlementError);
  });

  it("a stay spanning two years counts in the discharge year", () => {
    const r = computePatientShare(
      input({
        admissionDate: "2021-12-28",
        dischargeDate: "2022-01-05",
        person: { "2021": { admissions: 1, fundPaid: 0 }, "2022": { admissions: 0, fundPaid: 0 } },
      }),
      set,
    );
    // deductible by the admission year (2nd admission of 2021 → halved), once
    expect(r.deductible).toBe(40000);
    expect(r.years).toEqual([{ year: "2022", fund: r.fund, overCap: 0 }]);
  });

  it("annual cap: fund beyond the remaining cap goes to the patient", () => {
    const set2 = capped();
    const r = computePatientShare(
      input({ person: { "2021": { admissions: 0, fundPaid: yuan("98000") } } }),
      set2,
    );
    expect(r.fund).toBe(yuan("2000"));
    expect(r.overCap).toBe(656000 - 200000);
    expect(r.fund + r.patient).toBe(r.total);
  });

  it("split-by-days rule: deductible once, the rest split by days, cap per year", () => {
    const set2 = capped({ crossYear: "splitByDays" });
    const r = computePatientShare(
      input({
        admissionDate: "2021-12-27",
        dischargeDate: "2022-01-06",
        person: { "2021": { admissions: 0, fundPaid: yuan("99000") } },
      }),
      set2,
    );
    // 5 days in 2021 (27–31), 5 in 2022 → 8200 split 4100/4100, 80% = 3280 each; 2021 cap leaves 1000
    expect(r.deductible).toBe(80000);
    expect(r.years).toEqual([
      { year: "2021", fund: 100000, overCap: 228000 },
      { year: "2022", fund: 328000, overCap: 0 },
    ]);
    expect(r.fund).toBe(428000);
    expect(r.fund + r.patient).toBe(r.total);
  });

  it("advances the person state", () => {
    const i = input();
    const r = computePatientShare(i, set);
    const next = advancePersonState({}, i, r);
    expect(next["2021"]).toEqual({ admissions: 1, fundPaid: r.fund });
    expect(computePatientShare({ ...i, person: next }, set).deductible).toBe(40000);
  });

  it("rejects malformed policy data naming the field", () => {
    expect(() =>
      parseBenefitPolicy({
        ...HANDAN_RESIDENTS_2021,
        fundRatios: [{ insurance: "x", level: "y", ratio: "120%" }],
      }),
    ).toThrow(PolicyDataError);
    expect(() => parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, effectiveFrom: "2021-02-30" })).toThrow(
      /effectiveFrom/,
    );
    expect(() => parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, crossYear: "x" })).toThrow(/crossYear/);
  });

  it("selects the version in force on the dates", () => {
    const v2022 = parseBenefitPolicy({
      ...HANDAN_RESIDENTS_2021,
      version: "2022",
      effectiveFrom: "2022-01-01",
      fundRatios: [{ insurance: "城乡居民", level: "二级", ratio: "85%" }],
    });
    const s = new BenefitPolicySet([
      parseBenefitPolicy({ ...HANDAN_RESIDENTS_2021, effectiveTo: "2021-12-31" }),
      v2022,
    ]);
    expect(
      computePatientShare(input({ admissionDate: "2022-02-01", dischargeDate: "2022-02-05" }), s).fundRatio,
    ).toBe(850_000);
    expect(computePatientShare(input(), s).fundRatio).toBe(800_000);
    expect(() => computePatientShare(input({ admissionDate: "2020-05-01" }), s)).toThrow(
      /没有生效的待遇政策/,
    );
  });

  const arbInput = fc.record({
    classA: fc.integer({ min: 0, max: 5e7 }),
    classB: fc.integer({ min: 0, max: 5e7 }),
    selfPay: fc.integer({ min: 0, max: 1e7 }),
    other: fc.integer({ min: 0, max: 1e6 }),
    admissions: fc.integer({ min: 0, max: 3 }),
    fundPaid: fc.integer({ min: 0, max: 2e7 }),
    cls: fc.constantFrom("乡镇卫生院", "一级", "县级二级", "主城区二级", "市级中医"),
    treatment: fc.constantFrom("local", "remoteTemporary", "remoteUnregistered") as fc.Arbitrary<
      BenefitInput["treatment"]
    >,
    cross: fc.boolean(),
  });

  it("property: fund + patient = total cost and the breakdown adds up, for many stays", () => {
    for (const s of [handan(), capped(), capped({ crossYear: "splitByDays", classBSelfPay: "10%" })]) {
      fc.assert(
        fc.property(arbInput, (a) => {
          const r = computePatientShare(
            input({
              costs: { classA: a.classA, classB: a.classB, selfPay: a.selfPay, other: a.other },
              benefitClass: a.cls,
              treatment: a.treatment,
              admissionDate: a.cross ? "2021-12-20" : "2021-05-01",
              dischargeDate: a.cross ? "2022-01-10" : "2021-05-08",
              person: {
                "2021": { admissions: a.admissions, fundPaid: a.fundPaid },
                "2022": { admissions: 0, fundPaid: a.fundPaid },
              },
            }),
            s,
          );
          expect(r.fund + r.patient).toBe(r.total);
          expect(r.total).toBe(a.classA + a.classB + a.selfPay + a.other);
          expect(
            r.selfPay + r.other + r.classBFirstPay + r.bedFeeExcess + r.deductible + r.coPay + r.overCap,
          ).toBe(r.patient);
          expect(r.fund).toBeGreaterThanOrEqual(0);
          expect(r.coPay).toBeGreaterThanOrEqual(0);
          expect(r.years.reduce((t, y) => t + y.fund, 0)).toBe(r.fund);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("property: more eligible cost never lowers the fund payment", () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 1e7 }), (a, extra) => {
        const mk = (classA: number) =>
          computePatientShare(
            input({
              costs: { classA, classB: a.classB, selfPay: a.selfPay, other: a.other },
              benefitClass: a.cls,
              treatment: a.treatment,
              person: { "2021": { admissions: a.admissions, fundPaid: a.fundPaid } },
            }),
            capped(),
          );
        expect(mk(a.classA + extra).fund).toBeGreaterThanOrEqual(mk(a.classA).fund);
      }),
      { numRuns: 300 },
    );
  });
});
