/**
 * The year-end clearing job with the seed's sharing rules (issue 14): a policy edition with 基层病种
 * (not kept by 三级 hospitals) and 结余共享 (50 % of what is returned, by fund expenditure × 考核系数), the
 * bureau's assessment factors recorded and applied, every identity of the statement held, checked from
 * the stored rows with the rules' own arithmetic (not the clearing code).
 */
import { divRoundBig } from "@yibao/payment";
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAssessments, recordAssessments } from "../src/assessments.js";
import { clearYearJob, getClearing } from "../src/clearing.js";
import { ensureDemoPayment } from "../src/demo.js";
import { paymentMigrations } from "../src/migrations.js";
import { dbOf, getVersion, PaymentInputError, saveVersion } from "../src/repo.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  const scheme = await demoScheme();
  await fillRegion(store, scheme, 900, 23);
  await ensureDemoPayment({ store, scheme });
});
afterAll(async () => store?.close());

describe("clearing with assessment factors, 基层病种 and 结余共享", () => {
  it("applies the recorded factors and the policy's sharing rules; every identity holds", async () => {
    const db = dbOf(store);
    // The 三级 hospitals' most common DRG is this test's 基层病种.
    const top = await sql<{ drg: string }>`SELECT s.drg FROM stay_settlement s
      JOIN payment_hospital h ON h.hospital_code = s.hospital_code AND h.level = '三级'
      WHERE s.category = 'normal' GROUP BY s.drg ORDER BY count(*) DESC, s.drg LIMIT 1`.execute(db);
    const group = top.rows[0]?.drg as string;
    const demo = await getVersion(store, "policy", "demo-rate", "1");
    const data = demo?.data as { clearing: Record<string, unknown> };
    await saveVersion(
      store,
      "policy",
      {
        ...data,
        version: "sharing",
        clearing: {
          ...data.clearing,
          primaryCare: { groups: [group], levels: ["三级"] },
          regionalReward: "0.5",
        },
      },
      { actor: "t", ...(demo?.weights ? { weights: demo.weights } : {}) },
    );
    const hospitals = await sql<{ code: string }>`SELECT DISTINCT hospital_code AS code FROM stay_settlement
      ORDER BY code`.execute(db);
    const [first, second] = hospitals.rows.map((r) => r.code);
    await recordAssessments(
      store,
      2023,
      [
        { hospital: first as string, factor: "0" },
        { hospital: second as string, factor: "0.95", note: "考核扣分" },
      ],
      "t",
    );
    expect((await listAssessments(store, 2023)).map((a) => [a.hospitalCode, a.factor])).toEqual([
      [first, "0.00"],
      [second, "0.95"],
    ]);
    const r = await clearYearJob({
      store,
      year: 2023,
      budget: 2_000_000_000,
      policy: { id: "demo-rate", version: "sharing" },
      actor: "t",
    });
    const stored = await getClearing(store, 2023);
    const rows = stored?.hospitals ?? [];
    const returned = rows.reduce((s, h) => s + h.surplusReturned, 0);
    // 结余共享: round(Σ returned × 0.5) (half a fen up), all of it handed out.
    expect(returned).toBeGreaterThan(0);
    const pool = Math.round(returned / 2);
    expect(r.totals.rewardPool).toBe(pool);
    expect(rows.reduce((s, h) => s + h.regionalReward, 0)).toBe(pool);
    const one = rows.find((h) => h.hospitalId === first);
    expect([one?.assessment, one?.surplusRetained, one?.regionalReward]).toEqual([0, 0, 0]);
    expect(rows.find((h) => h.hospitalId === second)?.assessment).toBe(950_000);
    for (const h of rows) {
      expect(h.settled).toBe(
        h.payment - h.surplusReturned + h.overspendCovered + h.regionalReward - h.deductions,
      );
      expect(h.surplusRetained + h.surplusReturned).toBe(Math.max(0, h.balance));
      expect(h.primaryCareSurplus).toBeLessThanOrEqual(Math.max(0, h.balance));
    }
    // 基层病种 at a 三级 hospital: its stays' points at the point value less their cost, kept back.
    const pc = await sql<{ code: string; points: string; cost: string }>`SELECT s.hospital_code AS code,
        sum(s.points)::text AS points, sum(s.total_cost_fen)::text AS cost FROM stay_settlement s
      JOIN payment_hospital h ON h.hospital_code = s.hospital_code AND h.level = '三级'
      WHERE s.drg = ${group} AND s.period LIKE '2023-%' GROUP BY s.hospital_code`.execute(db);
    expect(pc.rows.length).toBeGreaterThan(0);
    for (const x of pc.rows) {
      const h = rows.find((y) => y.hospitalId === x.code);
      if (h === undefined) continue;
      const paid = Number(
        divRoundBig(BigInt(x.points) * BigInt(stored?.pool ?? 0), BigInt(stored?.totalPoints ?? 1)),
      );
      expect(h.primaryCareSurplus).toBe(Math.min(Math.max(0, h.balance), Math.max(0, paid - Number(x.cost))));
    }
  });

  it("refuses an unknown hospital, a factor out of range and a repeated hospital, writing nothing", async () => {
    await expect(recordAssessments(store, 2023, [{ hospital: "NOPE", factor: "1" }], "t")).rejects.toThrow(
      PaymentInputError,
    );
    const code = (await listAssessments(store, 2023))[0]?.hospitalCode as string;
    await expect(
      recordAssessments(store, 2023, [{ hospital: code, factor: "2.000001" }], "t"),
    ).rejects.toThrow(/factor/);
    await expect(
      recordAssessments(
        store,
        2023,
        [
          { hospital: code, factor: "1" },
          { hospital: code, factor: "1" },
        ],
        "t",
      ),
    ).rejects.toThrow(/重复/);
    expect((await listAssessments(store, 2023)).find((a) => a.hospitalCode === code)?.factor).toBe("0.00");
  });
});
