import {
  BenefitPolicySet,
  HANDAN_RESIDENTS_2021,
  parseBenefitPolicy,
  parsePaymentPolicy,
} from "@yibao/payment";
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearYearJob, getClearing } from "../src/clearing.js";
import { DEMO_BENEFIT_POLICY, ensureDemoPayment } from "../src/demo.js";
import { SINCE_ALWAYS, writeHospitalEditions } from "../src/hospital-data.js";
import { paymentMigrations } from "../src/migrations.js";
import { approveSpecialCase, getSettlement, prepaidOfYear } from "../src/queries.js";
import {
  dbOf,
  getVersion,
  loadPaymentHospitals,
  loadPolicies,
  recordAuditDeductions,
  saveVersion,
} from "../src/repo.js";
import {
  loadSettler,
  type StayInput,
  StaySettler,
  settleInput,
  settlePeriod,
  storedTotals,
} from "../src/settle-period.js";
import { clearingStatement, settlementStatement, toCsv } from "../src/statements.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  const scheme = await demoScheme();
  await fillRegion(store, scheme, 1200);
});
afterAll(async () => store?.close());

describe("period settlement over the store (PGlite)", () => {
  it("calibrates, stores policies and settles every period; totals equal the sum of parts", async () => {
    const scheme = await demoScheme();
    const r = await ensureDemoPayment({ store, scheme });
    expect(r.calibrated).toBe(true);
    expect(r.policyCreated).toBe(true);
    expect(r.benefitCreated).toBe(true);
    const s = r.settlement;
    expect(s).not.toBeNull();
    if (!s) return;
    const accepted = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM settlement_list WHERE status = 'accepted'`.execute(dbOf(store));
    expect(s.settled + s.errors).toBe(accepted.rows[0]?.n);
    expect(s.settled).toBeGreaterThan(1000);
    // The demo benefit policy covers every class and insurance of the demo: no stay falls back to the
    // patient share its list reports.
    expect(s.shareSources).toEqual({ policy: s.settled, list: 0 });
    // Sum of parts, row by row, in bigint.
    const rows = await sql<{
      t: string;
      d: string;
      p: string;
      f: string;
      b: string;
    }>`SELECT total_cost_fen::text AS t,
      drg_payment_fen::text AS d, patient_share_fen::text AS p, fund_payment_fen::text AS f, balance_fen::text AS b FROM stay_settlement`.execute(
      dbOf(store),
    );
    let t = 0n;
    let d = 0n;
    let f = 0n;
    let b = 0n;
    for (const x of rows.rows) {
      t += BigInt(x.t);
      d += BigInt(x.d);
      f += BigInt(x.f);
      b += BigInt(x.b);
      expect(BigInt(x.b)).toBe(BigInt(x.d) - BigInt(x.t));
    }
    expect(String(t)).toBe(String(s.totals.totalCost));
    expect(String(d)).toBe(String(s.totals.drgPayment));
    expect(String(f)).toBe(String(s.totals.fundPayment));
    expect(String(b)).toBe(String(s.totals.balance));
    const again = await ensureDemoPayment({ store, scheme });
    expect(again.calibrated).toBe(false);
    expect(again.settlement).toBeNull();
  });

  it("a person's second admission in the year gets the halved deductible: the state is carried", async () => {
    const db = dbOf(store);
    // A 主城区二级 hospital of the demo (Handan: deductible 800 元, fund 80% for 城乡居民) and a DRG
    // it was paid for.
    const h = await sql<{ code: string; drg: string }>`SELECT p.hospital_code AS code, s.drg
      FROM payment_hospital p JOIN stay_settlement s ON s.hospital_code = p.hospital_code
      WHERE p.benefit_class = '主城区二级' AND s.category = 'normal' LIMIT 1`.execute(db);
    const code = h.rows[0]?.code as string;
    expect(code).toBeDefined();
    const settler = await loadSettler(store);
    const input = (setlId: string, admDate: string, dscgDate: string): StayInput => ({
      setlId,
      listVersion: 1,
      hospitalCode: code,
      period: dscgDate.slice(0, 7),
      patientKey: "P-HALVED",
      admDate,
      dscgDate,
      los: 7,
      drg: h.rows[0]?.drg as string,
      totalFee: 900_000,
      personalPay: 0,
      hiType: "390",
      hiSetlLv: null,
      costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
      bedFee: null,
      dischargeWay: null,
    });
    const first = settleInput(settler, input("HALF-1", "2023-03-01", "2023-03-08"), {}, undefined);
    // (9000 − 800) × 80% = 6560 元
    expect(first.row.shareSource).toBe("policy");
    expect(first.row.benefitFundFen).toBe(656_000);
    expect(first.person["2023"]?.admissions).toBe(1);
    const second = settleInput(settler, input("HALF-2", "2023-04-01", "2023-04-08"), first.person, undefined);
    // (9000 − 400) × 80% = 6880 元
    expect(second.row.benefitFundFen).toBe(688_000);
    expect(second.row.patientShareFen).toBe(900_000 - 688_000);
    // Without the carried state it would be a first admission again.
    expect(
      settleInput(settler, input("HALF-3", "2023-04-01", "2023-04-08"), {}, undefined).row.benefitFundFen,
    ).toBe(656_000);
  });

  it("the benefit policy's 险种类型 table decides which insurance a list's insutype is paid as (data, not code)", async () => {
    const db = dbOf(store);
    const h = await sql<{ code: string; drg: string }>`SELECT p.hospital_code AS code, s.drg
      FROM payment_hospital p JOIN stay_settlement s ON s.hospital_code = p.hospital_code
      WHERE p.benefit_class = '主城区二级' AND s.category = 'normal' LIMIT 1`.execute(db);
    const code = h.rows[0]?.code as string;
    const stay = (hiType: string): StayInput => ({
      setlId: `TYPE-${hiType}`,
      listVersion: 1,
      hospitalCode: code,
      period: "2023-05",
      patientKey: `P-TYPE-${hiType}`,
      admDate: "2023-05-01",
      dscgDate: "2023-05-08",
      los: 7,
      drg: h.rows[0]?.drg as string,
      totalFee: 900_000,
      personalPay: 123_456,
      hiType,
      hiSetlLv: null,
      costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
      bedFee: null,
      dischargeWay: null,
    });
    const policies = await loadPolicies(store, {});
    const hospitals = await loadPaymentHospitals(store);
    const local = parseBenefitPolicy({
      ...DEMO_BENEFIT_POLICY,
      id: "types",
      version: "1",
      effectiveFrom: "2021-01-01",
      // A local 险种 code (391) paid as 城乡居民 by this edition only.
      insuranceTypes: { "310": "职工基本医疗保险", "390": "城乡居民", "391": "城乡居民" },
    });
    const withTable = new StaySettler(policies, new BenefitPolicySet([local]), hospitals);
    const demo = new StaySettler(
      policies,
      new BenefitPolicySet([parseBenefitPolicy(DEMO_BENEFIT_POLICY)]),
      hospitals,
    );
    // 主城区二级, 城乡居民: (9,000 − 800) × 80% = 6,560 元 to the fund.
    const paid = settleInput(withTable, stay("391"), {}, undefined).row;
    expect([paid.shareSource, paid.benefitFundFen]).toEqual(["policy", 656_000]);
    // The demo's table does not name 391: the list's own patient share (1,234.56 元) stands.
    const kept = settleInput(demo, stay("391"), {}, undefined).row;
    expect([kept.shareSource, kept.patientShareFen]).toEqual(["list", 123_456]);
    expect(settleInput(demo, stay("390"), {}, undefined).row.benefitFundFen).toBe(656_000);
    // A table naming an insurance without a fund ratio, or a code that is not three digits, is refused.
    expect(() =>
      parseBenefitPolicy({ ...DEMO_BENEFIT_POLICY, insuranceTypes: { "392": "城乡居民大病保险" } }),
    ).toThrow("insuranceTypes.392：险种「城乡居民大病保险」在 fundRatios 中没有支付比例");
    expect(() =>
      parseBenefitPolicy({ ...DEMO_BENEFIT_POLICY, insuranceTypes: { "39": "城乡居民" } }),
    ).toThrow("insuranceTypes.39：险种类型代码须为 3 位数字");
  });

  it("a fixed-amount case (定额支付) is recognised from the principal diagnosis; a patient insured elsewhere keeps the list's share (issue 14)", async () => {
    const db = dbOf(store);
    const h = await sql<{ code: string; drg: string }>`SELECT p.hospital_code AS code, s.drg
      FROM payment_hospital p JOIN stay_settlement s ON s.hospital_code = p.hospital_code
      WHERE p.benefit_class = '主城区二级' AND s.category = 'normal' LIMIT 1`.execute(db);
    const code = h.rows[0]?.code as string;
    // Handan: 自然分娩 1,200 元, 剖腹产 2,500 元 (seed 004); the codes are this test's: O80 单胎顺产, O82 剖宫产.
    const benefit = parseBenefitPolicy({
      ...DEMO_BENEFIT_POLICY,
      version: "fixed-test",
      fixedAmountCaseDiagnoses: { 自然分娩: ["O80"], 剖腹产: ["o82"] },
    });
    const settler = new StaySettler(
      await loadPolicies(store),
      new BenefitPolicySet([benefit]),
      await loadPaymentHospitals(store),
    );
    const input = (setlId: string, principalDiagnosis: string | null): StayInput => ({
      setlId,
      listVersion: 1,
      hospitalCode: code,
      period: "2023-05",
      patientKey: `P-${setlId}`,
      admDate: "2023-05-01",
      dscgDate: "2023-05-04",
      los: 3,
      drg: h.rows[0]?.drg as string,
      totalFee: 900_000,
      personalPay: 0,
      hiType: "390",
      hiSetlLv: null,
      costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
      bedFee: null,
      dischargeWay: null,
      principalDiagnosis,
    });
    const fund = (id: string, dx: string | null) => settleInput(settler, input(id, dx), {}, undefined).row;
    expect(fund("FX-1", "O80.000x001").benefitFundFen).toBe(120_000);
    expect(fund("FX-2", "O82.001").benefitFundFen).toBe(250_000);
    // Not a listed case, or no diagnosis: (9,000 − 800) × 80% = 6,560 元 as for any stay.
    expect(fund("FX-3", "O81.000").benefitFundFen).toBe(656_000);
    expect(fund("FX-4", null).benefitFundFen).toBe(656_000);
    // A fixed amount above the eligible cost pays the eligible cost: 1,000 元 of 1,200.
    const small = settleInput(
      settler,
      {
        ...input("FX-5", "O80.0"),
        totalFee: 100_000,
        costs: { classA: 100_000, classB: 0, selfPay: 0, other: 0 },
      },
      {},
      undefined,
    );
    expect(small.row.benefitFundFen).toBe(100_000);
    // 异地就医: with the region's insured areas named, someone insured in 北京 (110101) keeps the share
    // the list reports; 130402 (a 邯郸 area) and an area not given are settled by the policy.
    const remote = new StaySettler(
      await loadPolicies(store),
      new BenefitPolicySet([
        parseBenefitPolicy({ ...DEMO_BENEFIT_POLICY, version: "area-test", localInsuredAreas: ["1304"] }),
      ]),
      await loadPaymentHospitals(store),
    );
    const at = (id: string, insuredArea: string) =>
      settleInput(remote, { ...input(id, null), personalPay: 200_000, insuredArea }, {}, undefined).row;
    expect([at("RM-1", "130402").shareSource, at("RM-1", "130402").benefitFundFen]).toEqual([
      "policy",
      656_000,
    ]);
    expect([at("RM-2", "110101").shareSource, at("RM-2", "110101").patientShareFen]).toEqual([
      "list",
      200_000,
    ]);
    expect(at("RM-3", "").shareSource).toBe("policy");
    expect(() => parseBenefitPolicy({ ...DEMO_BENEFIT_POLICY, localInsuredAreas: ["13a"] })).toThrow(
      /localInsuredAreas\[0\]/,
    );
    // A case named in the codes but not among the fixed amounts is refused with the field.
    expect(() =>
      parseBenefitPolicy({ ...DEMO_BENEFIT_POLICY, fixedAmountCaseDiagnoses: { 无痛分娩: ["O80"] } }),
    ).toThrow(/fixedAmountCaseDiagnoses\.无痛分娩/);
  });

  it("a filed new technology as the principal procedure is paid by item in its period, not after (issue 14)", async () => {
    const db = dbOf(store);
    const h = await sql<{
      code: string;
      drg: string;
    }>`SELECT s.hospital_code AS code, s.drg FROM stay_settlement s
      WHERE s.category = 'normal' LIMIT 1`.execute(db);
    const [stored] = await loadPolicies(store);
    if (!stored) throw new Error("no policy");
    const raw = (await getVersion(store, "policy", stored.policy.id, stored.policy.version))?.data as object;
    // Filed 2023-01-01, paid by item for 12 months: until 2023-12-31 inclusive.
    const policy = parsePaymentPolicy({
      ...raw,
      newTechItems: [{ code: "00.9901", name: "演示新技术", recordedOn: "2023-01-01" }],
      newTechItemMonths: 12,
    });
    const settler = new StaySettler(
      [{ policy, weights: stored.weights }],
      null,
      await loadPaymentHospitals(store),
    );
    const input = (setlId: string, dscgDate: string, principalProcedure: string | null): StayInput => ({
      setlId,
      listVersion: 1,
      hospitalCode: h.rows[0]?.code as string,
      period: dscgDate.slice(0, 7),
      patientKey: `P-${setlId}`,
      admDate: "2022-12-20",
      dscgDate,
      los: 5,
      drg: h.rows[0]?.drg as string,
      totalFee: 1_234_567,
      personalPay: 0,
      hiType: "390",
      hiSetlLv: null,
      costs: null,
      bedFee: null,
      dischargeWay: null,
      principalProcedure,
    });
    const row = (id: string, date: string, proc: string | null) =>
      settleInput(settler, input(id, date, proc), {}, undefined).row;
    expect([
      row("NT-1", "2023-01-01", "00.9901").category,
      row("NT-1", "2023-01-01", "00.9901").drgPaymentFen,
    ]).toEqual(["newTechItems", 1_234_567]);
    expect(row("NT-2", "2023-12-31", "00.9901").category).toBe("newTechItems");
    expect(row("NT-3", "2024-01-01", "00.9901").category).not.toBe("newTechItems");
    expect(row("NT-4", "2023-06-01", "00.9902").category).not.toBe("newTechItems");
    expect(row("NT-5", "2023-06-01", null).category).not.toBe("newTechItems");
  });

  it("re-running a settlement is idempotent: same totals, nothing written, no history", async () => {
    const before = await storedTotals(dbOf(store), ["2023-03"]);
    const r = await settlePeriod({ store, period: "2023-03" });
    expect(r.written).toBe(0);
    expect(r.totals).toEqual(before);
    const h = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stay_settlement_history`.execute(
      dbOf(store),
    );
    expect(h.rows[0]?.n).toBe(0);
  });

  it("a new policy version re-settles and keeps the old settlement in history", async () => {
    const pol = await sql<{ data: Record<string, unknown> }>`SELECT data FROM payment_policy`.execute(
      dbOf(store),
    );
    const base = pol.rows[0]?.data as Record<string, unknown>;
    await saveVersion(
      store,
      "policy",
      { ...base, version: "2", effectiveFrom: "2023-06-01", rate: "9000" },
      { actor: "test" },
    );
    const r = await settlePeriod({ store, period: "2023-06", periodTo: "2023-06" });
    expect(r.written).toBe(r.settled);
    const one = await sql<{
      setl_id: string;
    }>`SELECT setl_id FROM stay_settlement WHERE period = '2023-06' AND category = 'normal' LIMIT 1`.execute(
      dbOf(store),
    );
    const got = await getSettlement(store, one.rows[0]?.setl_id as string);
    expect(got?.current).toMatchObject({ policyVersion: "2" });
    expect(got?.history.length).toBe(1);
    expect(got?.history[0]).toMatchObject({ policyVersion: "1" });
  });

  it("clears a year with approvals and audit deductions; totals equal the sum of the hospitals", async () => {
    const db = dbOf(store);
    const one = await sql<{
      setl_id: string;
      hospital_code: string;
      points: number;
    }>`SELECT setl_id, hospital_code, points
      FROM stay_settlement WHERE category = 'normal' ORDER BY setl_id LIMIT 1`.execute(db);
    const stay = one.rows[0];
    if (!stay) throw new Error("no stay");
    const approved = await approveSpecialCase(store, {
      setlId: stay.setl_id,
      amountFen: 100_000,
      reason: "罕见病特病单议",
      actor: "审核员",
    });
    expect(approved.settlement.specialReviewFen).toBe(100_000);
    expect(approved.settlement.points).toBeGreaterThan(Number(stay.points));
    const hospitals = await sql<{
      h: string;
    }>`SELECT DISTINCT hospital_code AS h FROM stay_settlement ORDER BY 1 LIMIT 2`.execute(db);
    const h1 = hospitals.rows[0]?.h as string;
    // A deduction for a hospital the store does not know is refused, and the batch writes nothing.
    await expect(
      recordAuditDeductions(store, [
        { hospitalCode: h1, year: 2023, amountFen: 1, reason: "同批", findingId: "F-0" },
        { hospitalCode: "H-UNKNOWN", year: 2023, amountFen: 500, reason: "不存在的医院", findingId: "F-X" },
      ]),
    ).rejects.toThrow(/H-UNKNOWN 不存在/);
    // A known hospital with no settled stay: its deduction is kept but not in this clearing.
    await sql`INSERT INTO hospital (code, name, level, first_seen_at, updated_at)
      VALUES ('H-NOT-CLEARED', '未结算医院', '3', now(), now())`.execute(db);
    const added = await recordAuditDeductions(store, [
      { hospitalCode: h1, year: 2023, amountFen: 123_456, reason: "高套分组", findingId: "F-1" },
      { hospitalCode: h1, year: 2023, amountFen: 123_456, reason: "高套分组", findingId: "F-1" },
      { hospitalCode: "H-NOT-CLEARED", year: 2023, amountFen: 500, reason: "不在清算范围", findingId: "F-2" },
    ]);
    expect(added).toBe(2);
    const totalCost = await sql<{
      s: string;
    }>`SELECT sum(total_cost_fen)::text AS s FROM stay_settlement`.execute(db);
    const budget = Number(totalCost.rows[0]?.s);
    const c = await clearYearJob({ store, year: 2023, budget });
    // The demo policy's budget is the fund's (clearing.budgetBasis "fund"): the patients' share is
    // added before the pool is shared out by points, and the shares add up to the pool.
    expect(c.budgetBasis).toBe("fund");
    expect(c.pool).toBe(budget + Number(c.totals.patientShare));
    expect(c.totals.payment).toBe(c.pool);
    let settled = 0;
    let deductions = 0;
    for (const h of c.hospitals) {
      settled += h.settled;
      deductions += h.deductions;
      expect(h.settled).toBe(h.payment - h.surplusReturned + h.overspendCovered - h.deductions);
    }
    expect(settled).toBe(c.totals.settled);
    expect(deductions).toBe(123_456);
    expect(c.hospitals.find((h) => h.hospitalId === h1)?.deductions).toBe(123_456);
    expect(c.rejectedDeductions.map((d) => d.hospitalId)).toEqual(["H-NOT-CLEARED"]);
    const withSr = c.hospitals.find((h) => h.hospitalId === stay.hospital_code);
    expect(BigInt(withSr?.specialReviewPoints ?? "0")).toBeGreaterThan(0n);
    const stored = await getClearing(store, 2023);
    expect(stored?.hospitals.length).toBe(c.hospitals.length);
    expect(stored?.totals.settled).toBe(c.totals.settled);
    // Statements: CSV total row is the exact yuan sum.
    const t = await clearingStatement(store, 2023);
    const csv = toCsv(t);
    expect(csv).toContain("定点医疗机构编号");
    expect(csv).toContain(`合计`);
    const st = await settlementStatement(store, 2023, h1);
    expect(st.rows.length).toBeGreaterThan(1);
  });

  it("clearing the year with the fund's own prepayments as its budget pays the fund's money, not a claw-back of the patients' share", async () => {
    const db = dbOf(store);
    const pre = await sql<{
      fund: string;
      patient: string;
      drg: string;
    }>`SELECT sum(fund_payment_fen)::text AS fund,
      sum(patient_share_fen)::text AS patient, sum(drg_payment_fen)::text AS drg FROM stay_settlement
      WHERE period >= '2023-01' AND period <= '2023-12'`.execute(db);
    const fund = Number(pre.rows[0]?.fund);
    const patient = Number(pre.rows[0]?.patient);
    const proposed = await prepaidOfYear(store, 2023);
    expect(proposed).toMatchObject({ budgetBasis: "fund", fundPaymentFen: fund, proposedBudgetFen: fund });
    const c = await clearYearJob({ store, year: 2023, budget: fund });
    // What is shared out by points is what the stays were paid: the fund's prepayments and the patients' share.
    expect(c.pool).toBe(fund + patient);
    expect(c.totals.prepaid).toBe(fund);
    // Before the basis was named the same budget was read as a total payment and clawed back about a
    // third from every hospital; now the fund's due stays within 5% of what it prepaid (the rest is
    // surplus and overspend sharing and the audit deductions).
    const due = Number(c.totals.fundDue);
    expect(Math.abs(due - fund) / fund).toBeLessThan(0.05);
  });

  it("bad policy data is refused with the field named; bad records are reported and the rest goes on", async () => {
    await expect(
      saveVersion(
        store,
        "benefit",
        {
          ...HANDAN_RESIDENTS_2021,
          version: "x",
          fundRatios: [{ insurance: "城乡居民", level: "二级", ratio: "180%" }],
        },
        { actor: "t" },
      ),
    ).rejects.toThrow(/fundRatios\[0\]\.ratio/);
    const db = dbOf(store);
    await sql`UPDATE settlement_list SET adm_date = NULL WHERE setl_id = (SELECT setl_id FROM settlement_list WHERE period = '2023-04' AND status = 'accepted' ORDER BY setl_id LIMIT 1)`.execute(
      db,
    );
    const r = await settlePeriod({ store, period: "2023-04" });
    expect(r.errors).toBe(1);
    expect(r.errorSamples[0]).toMatchObject({ field: "adm_date" });
    expect(r.settled).toBeGreaterThan(50);
  });

  it("a stored policy's special-case family reads the list's 离院方式 dscg_way (issue 14)", async () => {
    const db = dbOf(store);
    const pol = await sql<{ data: Record<string, unknown> }>`SELECT data FROM payment_policy
      ORDER BY effective_from DESC LIMIT 1`.execute(db);
    const base = pol.rows[0]?.data as Record<string, unknown>;
    await saveVersion(
      store,
      "policy",
      {
        ...base,
        version: "death-items",
        effectiveFrom: "2023-11-01",
        specialCases: { death: { payment: { method: "items", ratio: "0.5" } } },
      },
      { actor: "test" },
    );
    const one = await sql<{ setl_id: string }>`SELECT s.setl_id FROM stay_settlement s
      JOIN settlement_list l ON l.setl_id = s.setl_id
      WHERE s.period = '2023-11' AND s.category = 'normal' AND l.dscg_way <> '5'
      ORDER BY s.setl_id LIMIT 1`.execute(db);
    const id = one.rows[0]?.setl_id as string;
    expect(id).toBeDefined();
    await sql`UPDATE settlement_list SET dscg_way = '5' WHERE setl_id = ${id}`.execute(db);
    await settlePeriod({ store, period: "2023-11" });
    const got = await sql<{ category: string; d: string; t: string }>`SELECT category,
      drg_payment_fen::text AS d, total_cost_fen::text AS t FROM stay_settlement WHERE setl_id = ${id}`.execute(
      db,
    );
    const row = got.rows[0];
    expect(row?.category).toBe("death");
    // 按项目 × 0.5, rounded half away from zero: round(total / 2)
    const t = Number(row?.t);
    expect(Number(row?.d)).toBe(t % 2 === 0 ? t / 2 : (t + 1) / 2);
    // the other stays of the period, not deaths, are still DRG-paid
    const others = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stay_settlement s
      JOIN settlement_list l ON l.setl_id = s.setl_id
      WHERE s.period = '2023-11' AND s.category = 'death' AND l.dscg_way <> '5'`.execute(db);
    expect(others.rows[0]?.n).toBe(0);
  });

  it("a hospital paid by DIP is left to DIP: its lists are counted, not settled by DRG (issue 14)", async () => {
    const db = dbOf(store);
    const period = "2023-06";
    const busiest = await sql<{ h: string; n: number }>`SELECT hospital_code AS h, count(*)::int AS n
      FROM settlement_list WHERE period = ${period} AND status = 'accepted'
      GROUP BY hospital_code ORDER BY n DESC, hospital_code LIMIT 1`.execute(db);
    const { h, n } = busiest.rows[0] ?? { h: "", n: 0 };
    expect(n).toBeGreaterThan(0);
    const all = await sql<{ n: number }>`SELECT count(*)::int AS n FROM settlement_list
      WHERE period = ${period} AND status = 'accepted'`.execute(db);
    const before = await sql<{ level: string; benefit_class: string | null }>`SELECT level, benefit_class
      FROM payment_hospital WHERE hospital_code = ${h}`.execute(db);
    const row = before.rows[0] ?? { level: "三级", benefit_class: null };
    // The hospital paid by DIP since always (an edition written below the API's date rule), then back to
    // DRG by a later edition of the same date (of two, the later saved decides).
    const edition = (paymentMethod: "drg" | "dip") =>
      writeHospitalEditions(
        db,
        [
          {
            hospitalCode: h,
            effectiveFrom: SINCE_ALWAYS,
            level: row.level,
            benefitClass: row.benefit_class,
            paymentMethod,
          },
        ],
        { actor: "t", reason: "测试", source: "api" },
      );
    await edition("dip");
    try {
      const r = await settlePeriod({ store, period, actor: "t" });
      expect(r.leftToDip).toBe(n);
      expect(r.settled + r.errors + r.leftToDip).toBe(all.rows[0]?.n);
      const touched = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stay_settlement
        WHERE hospital_code = ${h} AND run_id = ${r.runId}`.execute(db);
      expect(touched.rows[0]?.n).toBe(0);
      // Its earlier DRG settlements of the period left the current ones for the history, not lost.
      expect(r.retiredToDip).toBeGreaterThan(0);
      const moved = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stay_settlement_history
        WHERE hospital_code = ${h} AND replaced_by_run = ${r.runId}`.execute(db);
      expect(moved.rows[0]?.n).toBe(r.retiredToDip);
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stay_settlement
        WHERE hospital_code = ${h} AND period = ${period}`.execute(db);
      expect(left.rows[0]?.n).toBe(0);
    } finally {
      await edition("drg");
    }
    const back = await settlePeriod({ store, period, actor: "t" });
    expect(back.leftToDip).toBe(0);
    expect(back.retiredToDip).toBe(0);
  });
});
