/**
 * Hospital coefficients from a base period (issue 14: "compute coefficients from the base period").
 * The worked example's lists (dip-lists.ts) of 2025, with DRGs and persons set so the figures can be
 * worked by hand (exact fractions, each rounded half away from zero to 1 ppm as the policy states):
 *   H1 三级: costs 5,200 + 25,000 + 8,000 + 16,750 = 54,950 over 4 stays, 2 persons, RW 1,1,2,2
 *   H2 二级: 4,000 + 9,500 + 40,000 = 53,500 over 3 stays, 3 persons, RW 1,1,1
 *   H3 三级: 5,000, 1 stay, 1 person, RW 2
 *   Region: 8 stays, 113,450 元, 6 persons → 人次人头比 1.333333; CMI 11/8 = 1.375
 *   Cost index H1 = (54,950/4) ÷ (113,450/8) = 0.968709; H2 1.257529; H3 0.352578
 *   Formula 0.4·level + 0.2·cost + 0.2·(1.333333 ÷ ratio) + 0.2·(CMI ÷ 1.375), level 三级 1.0 / 二级 0.9:
 *   H1 = 0.4 + 0.2·0.968709 + 0.2·0.6666665 + 0.2·(1.5/1.375) = 0.945257
 *   H2 = 0.36 + 0.2·1.257529 + 0.2·1.333333 + 0.2·(1/1.375)   = 1.023627 (just under the 1.025 cap)
 *   H3 = 0.4 + 0.2·0.352578 + 0.2·1.333333 + 0.2·(2/1.375)   = 1.028091 → capped at 1.025
 */
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeHospitalCoefficients } from "../src/coefficients.js";
import { paymentMigrations } from "../src/migrations.js";
import { dbOf, loadPolicies, savePaymentHospitals, saveVersion } from "../src/repo.js";
import { H1, H2, H3, storeExampleLists } from "./dip-lists.js";

const POLICY = {
  id: "coef",
  version: "2025",
  effectiveFrom: "2025-01-01",
  method: "rate",
  rate: "10000",
  outliers: { high: { bands: [{ maxRw: null, multiple: "3" }], payment: { method: "items" } } },
  ambiguous: { qyShare: "80%" },
  coefficientFormula: {
    levelBase: { 三级: "1.0", 二级: "0.9" },
    weights: { level: "0.4", cost: "0.2", admissionsPerPatient: "0.2", cmi: "0.2" },
    min: "0.8",
    max: "1.025",
  },
  sources: ["测试政策"],
};

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  await storeExampleLists(store);
  const db = dbOf(store);
  const set: [string, string, string][] = [
    ["HA0000000001", "AA1", "P1"],
    ["HA0000000002", "AA1", "P1"],
    ["HA0000000004", "BB1", "P2"],
    ["HA0000000005", "BB1", "P2"],
    ["HB0000000011", "AA1", "P3"],
    ["HB0000000012", "AA1", "P4"],
    ["HB0000000014", "AA1", "P5"],
    ["HC0000000021", "BB1", "P6"],
  ];
  for (const [id, drg, person] of set)
    await sql`UPDATE settlement_list SET drg = ${drg}, patient_key = ${person} WHERE setl_id = ${id}`.execute(
      db,
    );
  const weights = {
    id: "w",
    version: "1",
    effectiveFrom: "2025-01-01",
    entries: [
      { drg: "AA1", rw: "1.0" },
      { drg: "BB1", rw: "2.0" },
    ],
  };
  await saveVersion(store, "weights", weights, { actor: "t" });
  await saveVersion(store, "policy", POLICY, { actor: "t", weights: { id: "w", version: "1" } });
  await savePaymentHospitals(store, [
    { hospitalCode: H1, level: "三级", benefitClass: null },
    { hospitalCode: H2, level: "二级", benefitClass: null },
    { hospitalCode: H3, level: "三级", benefitClass: null },
  ]);
});
afterAll(async () => store?.close());

describe("hospital coefficients from a base period", () => {
  it("computes each hospital's indicators and coefficient by the policy's formula (hand-worked)", async () => {
    const r = await computeHospitalCoefficients({
      store,
      periodFrom: "2025-01",
      periodTo: "2025-12",
      policy: { id: "coef" },
    });
    expect(r.cases).toBe(8);
    expect(r.regional).toEqual({ admissionsPerPatient: "1.333333", cmi: "1.375000", avgCostFen: 1_418_125 });
    expect(
      r.hospitals.map((h) => [h.hospitalCode, h.costIndex, h.admissionsPerPatient, h.cmi, h.coefficient]),
    ).toEqual([
      [H1, "0.968709", "2.000000", "1.500000", "0.945257"],
      [H2, "1.257529", "1.000000", "1.000000", "1.023627"],
      [H3, "0.352578", "1.000000", "2.000000", "1.025000"],
    ]);
    expect(r.saved).toBeNull();
  });

  it("saves them as a new dated edition of the policy, the released one unchanged", async () => {
    const r = await computeHospitalCoefficients({
      store,
      periodFrom: "2025-01",
      periodTo: "2025-12",
      policy: { id: "coef", version: "2025" },
      save: { version: "2026", effectiveFrom: "2026-01-01" },
      actor: "t",
    });
    expect(r.saved?.version).toBe("2026");
    const [old, next] = (await loadPolicies(store, { id: "coef" })).map((p) => p.policy);
    expect(old?.hospitalCoefficients.size).toBe(0);
    expect(Object.fromEntries(next?.hospitalCoefficients ?? [])).toEqual({
      [H1]: 945_257,
      [H2]: 1_023_627,
      [H3]: 1_025_000,
    });
    await expect(
      computeHospitalCoefficients({
        store,
        periodFrom: "2025-01",
        periodTo: "2025-12",
        policy: { id: "coef", version: "2025" },
        save: { version: "2026", effectiveFrom: "2026-01-01" },
      }),
    ).rejects.toThrow(/已存在/);
  });

  it("names what it cannot do: no formula, no lists, a hospital without a level", async () => {
    await saveVersion(
      store,
      "policy",
      { ...POLICY, id: "plain", coefficientFormula: undefined },
      {
        actor: "t",
        weights: { id: "w", version: "1" },
      },
    );
    await expect(
      computeHospitalCoefficients({
        store,
        periodFrom: "2025-01",
        periodTo: "2025-12",
        policy: { id: "plain" },
      }),
    ).rejects.toThrow(/未规定医院系数测算公式/);
    await expect(
      computeHospitalCoefficients({
        store,
        periodFrom: "2022-01",
        periodTo: "2022-12",
        policy: { id: "coef" },
      }),
    ).rejects.toThrow(/没有已接收结算清单/);
    await sql`DELETE FROM payment_hospital WHERE hospital_code = ${H3}`.execute(dbOf(store));
    await sql`DELETE FROM payment_hospital_edition WHERE hospital_code = ${H3}`.execute(dbOf(store));
    const r = await computeHospitalCoefficients({
      store,
      periodFrom: "2025-01",
      periodTo: "2025-12",
      policy: { id: "coef", version: "2025" },
    });
    expect(r.skipped).toEqual([{ hospitalCode: H3, reason: "医院信息中没有等级" }]);
    // H3 still counts in the region's references: H1's coefficient is unchanged.
    expect(r.hospitals.find((h) => h.hospitalCode === H1)?.coefficient).toBe("0.945257");
  });
});
