/**
 * 特殊病例 in stored settlement (issue 14): 入院/出院时间 carried from the list's JSON through
 * payment_list_cost into the stay (住院不足24小时 fires in period settlement, the what-if estimate and
 * special-case re-settlement), and the deciding family stored as stay_settlement.special_case and
 * returned by the API, the statement and the estimate. Through the real settlePeriod path, on PGlite
 * and on PostgreSQL (a fresh schema: the triggers name the schema they fire in).
 */
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import type { MigrationDb, SettlementListData, Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, withHeaders } from "../../server/test/helpers.js";
import { pgliteEngine, postgresEngine } from "../../store/test/engines.js";
import { ensureDemoPayment } from "../src/demo.js";
import { estimateListPayment } from "../src/estimate.js";
import { paymentMigrations } from "../src/migrations.js";
import { paymentPlugin } from "../src/plugin.js";
import { approveSpecialCase } from "../src/queries.js";
import { dbOf, saveVersion } from "../src/repo.js";
import { settlePeriod } from "../src/settle-period.js";
import { settlementStatement, toCsv } from "../src/statements.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;
let app: YibaoApp;

const P = "/api/v1/payment";

/** Sets a stored list's dates, times and LOS in its columns and its JSON (the triggers refresh the split). */
async function setStay(
  setlId: string,
  v: { adm: string; dscg: string; los: number; way?: string; totalFen?: number; personalFen?: number },
): Promise<void> {
  const db = dbOf(store);
  await sql`UPDATE settlement_list SET adm_date = ${v.adm.slice(0, 10)}::date, dscg_date = ${v.dscg.slice(0, 10)}::date,
      los = ${v.los}, dscg_way = COALESCE(${v.way ?? null}::text, dscg_way),
      total_fee_fen = COALESCE(${v.totalFen ?? null}::bigint, total_fee_fen),
      personal_pay_fen = COALESCE(${v.personalFen ?? null}::bigint, personal_pay_fen),
      message = jsonb_set(jsonb_set(message, '{input,setlinfo,adm_time}', to_jsonb(${v.adm}::text)),
        '{input,setlinfo,dscg_time}', to_jsonb(${v.dscg}::text))
    WHERE setl_id = ${setlId}`.execute(db);
}

async function stored(setlId: string) {
  const r = await sql<{
    category: string;
    special_case: string | null;
    d: string;
    p: string;
    f: string;
    b: string;
    share_source: string;
  }>`SELECT category, special_case, drg_payment_fen::text AS d, patient_share_fen::text AS p,
      fund_payment_fen::text AS f, balance_fen::text AS b, share_source
    FROM stay_settlement WHERE setl_id = ${setlId}`.execute(dbOf(store));
  return r.rows[0];
}

for (const engine of [pgliteEngine(), postgresEngine()]) {
  describe(`special cases in stored settlement (issue 14, ${engine.name})`, () => {
    beforeAll(async () => {
      store = await engine.open({ migrations: [...identityMigrations, ...paymentMigrations] });
      const scheme = await demoScheme();
      await fillRegion(store, scheme, 400, 11);
      await ensureDemoPayment({ store, scheme, skipSettle: true });
      const raw = await buildServer({ store, scheme, plugins: [paymentPlugin()] });
      app = withHeaders(raw, await signIn(raw, store, "bureau"));
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
      await engine.cleanup();
    });

    it("migration 0103 backfills the times of lists stored before it, as the trigger derives them", async () => {
      const db = dbOf(store);
      const m = paymentMigrations.find((x) => x.name === "0103_payment_list_times");
      expect(m).toBeDefined();
      // Kysely is invariant in its tables: a migration step takes the untyped view of the same connection.
      await m?.down?.(db as unknown as MigrationDb);
      await m?.up(db as unknown as MigrationDb);
      const r = await sql<{ n: number; timed: number; differ: number }>`SELECT count(*)::int AS n,
        count(c.adm_time)::int AS timed,
        count(*) FILTER (WHERE (c.adm_time, c.dscg_time) IS DISTINCT FROM
          (substr(l.message->'input'->'setlinfo'->>'adm_time', 12, 8),
           substr(l.message->'input'->'setlinfo'->>'dscg_time', 12, 8)))::int AS differ
      FROM payment_list_cost c JOIN settlement_list l ON l.setl_id = c.setl_id AND l.version = c.version`.execute(
        db,
      );
      expect(r.rows[0]?.n).toBeGreaterThan(300);
      expect(r.rows[0]?.timed).toBe(r.rows[0]?.n);
      expect(r.rows[0]?.differ).toBe(0);
    });

    it("住院不足24小时 fires from the stored times; a family paid drg is stored and returned", async () => {
      const db = dbOf(store);
      const first = await settlePeriod({ store, period: "2023-05" });
      expect(first.settled).toBeGreaterThan(10);
      const picked = await sql<{ setl_id: string; d: string; hospital_code: string }>`SELECT s.setl_id,
        s.drg_payment_fen::text AS d, s.hospital_code
      FROM stay_settlement s JOIN settlement_list l ON l.setl_id = s.setl_id
      WHERE s.period = '2023-05' AND s.category = 'normal' AND l.dscg_way NOT IN ('2', '5')
      ORDER BY s.setl_id LIMIT 3`.execute(db);
      expect(picked.rows).toHaveLength(3);
      const [a, b, c] = picked.rows as [
        (typeof picked.rows)[0],
        (typeof picked.rows)[0],
        (typeof picked.rows)[0],
      ];
      // Before: no family listed, the times are carried but nothing fires.
      expect((await stored(a.setl_id))?.special_case).toBeNull();

      const pol = await sql<{ data: Record<string, unknown> }>`SELECT data FROM payment_policy
      ORDER BY effective_from DESC, created_at DESC LIMIT 1`.execute(db);
      await saveVersion(
        store,
        "policy",
        {
          ...(pol.rows[0]?.data as Record<string, unknown>),
          version: "special-times",
          effectiveFrom: "2023-05-01",
          specialCases: {
            under24Hours: { payment: { method: "items", ratio: "0.5" } },
            death: { payment: { method: "drg" } },
          },
        },
        { actor: "test" },
      );
      // The patient share then comes from the list (个人支付), so the fund payment is worked out by hand.
      await sql`DELETE FROM payment_hospital`.execute(db);
      await sql`DELETE FROM payment_hospital_edition`.execute(db);
      // A: 2023-05-01 08:00:00 → 2023-05-02 07:59:59 = 86 399 s < 86 400: under 24 hours.
      await setStay(a.setl_id, {
        adm: "2023-05-01 08:00:00",
        dscg: "2023-05-02 07:59:59",
        los: 1,
        totalFen: 1_234_567,
        personalFen: 200_000,
      });
      // B: discharged 2023-05-02 08:00:00 = exactly 86 400 s: not under 24 hours, a normal DRG stay.
      await setStay(b.setl_id, { adm: "2023-05-01 08:00:00", dscg: "2023-05-02 08:00:00", los: 1 });
      // C: a death (离院方式 5) of 5 days; death is paid drg, so C is still a normal DRG stay.
      await setStay(c.setl_id, { adm: "2023-05-01 08:00:00", dscg: "2023-05-06 10:00:00", los: 5, way: "5" });
      const times = await sql<{
        adm_time: string | null;
        dscg_time: string | null;
      }>`SELECT adm_time, dscg_time
      FROM payment_list_cost WHERE setl_id = ${a.setl_id}`.execute(db);
      expect(times.rows[0]).toEqual({ adm_time: "08:00:00", dscg_time: "07:59:59" });

      await settlePeriod({ store, period: "2023-05" });
      // A, paid by items × 0.5: round(12 345.67 × 0.5) = round(6 172.835) = 6 172.84 元 (half away from zero);
      // fund = 6 172.84 − 2 000.00 (个人支付 from the list) = 4 172.84; balance = 6 172.84 − 12 345.67 = −6 172.83.
      expect(await stored(a.setl_id)).toEqual({
        category: "under24Hours",
        special_case: "under24Hours",
        d: "617284",
        p: "200000",
        f: "417284",
        b: "-617283",
        share_source: "list",
      });
      // B: not a special case, paid its standard S as before (same rate, RW and coefficient).
      const sb = await stored(b.setl_id);
      expect(sb?.category).toBe("normal");
      expect(sb?.special_case).toBeNull();
      expect(sb?.d).toBe(b.d);
      // C: death paid drg: the category stays normal (paid S as before), the family is stored.
      const sc = await stored(c.setl_id);
      expect(sc?.category).toBe("normal");
      expect(sc?.special_case).toBe("death");
      expect(sc?.d).toBe(c.d);

      // The API returns the family.
      const one = (await app.inject({ method: "GET", url: `${P}/settlements/${c.setl_id}` })).json();
      expect(one.current).toMatchObject({ category: "normal", specialCase: "death" });
      const ua = (await app.inject({ method: "GET", url: `${P}/settlements/${a.setl_id}` })).json();
      expect(ua.current).toMatchObject({
        category: "under24Hours",
        specialCase: "under24Hours",
        drgPaymentFen: 617284,
      });
      const page = (
        await app.inject({ method: "GET", url: `${P}/settlements?period=2023-05&pageSize=500` })
      ).json();
      const byId = new Map(
        (page.items as { setlId: string; specialCase: string | null }[]).map((x) => [x.setlId, x]),
      );
      expect(byId.get(c.setl_id)?.specialCase).toBe("death");
      expect(byId.get(b.setl_id)?.specialCase).toBeNull();

      // The statement lists the family in Chinese.
      const st = await settlementStatement(store, 2023, c.hospital_code);
      const col = st.headers.indexOf("特殊病例");
      expect(col).toBeGreaterThan(0);
      const rowC = st.rows.find((r) => r[0] === c.setl_id);
      expect(rowC?.[col]).toBe("死亡病例");
      expect(toCsv(st)).toContain("死亡病例");
    });

    it("the what-if estimate reads the times from the list and returns the family", async () => {
      const db = dbOf(store);
      const r = await sql<{ setl_id: string; special_case: string }>`SELECT setl_id, special_case
      FROM stay_settlement WHERE period = '2023-05' AND special_case IS NOT NULL ORDER BY setl_id`.execute(
        db,
      );
      const a = r.rows.find((x) => x.special_case === "under24Hours")?.setl_id as string;
      const c = r.rows.find((x) => x.special_case === "death")?.setl_id as string;
      const listOf = async (id: string) =>
        (await store.getSettlementList(id))?.list as unknown as SettlementListData;
      const ea = await estimateListPayment(store, await listOf(a));
      // the same as period settlement: 6 172.84 元 by items × 0.5
      expect(ea).toMatchObject({
        category: "under24Hours",
        specialCase: "under24Hours",
        specialCaseName: "住院不足24小时",
        paymentFen: 617_284,
      });
      const ec = await estimateListPayment(store, await listOf(c));
      expect(ec).toMatchObject({ category: "normal", specialCase: "death", specialCaseName: "死亡病例" });
    });

    it("special-case re-settlement (特病单议) keeps the times: the stay is still under 24 hours", async () => {
      const db = dbOf(store);
      const r = await sql<{ setl_id: string }>`SELECT setl_id FROM stay_settlement
      WHERE period = '2023-05' AND special_case = 'under24Hours' AND drg_payment_fen = 617284`.execute(db);
      const a = r.rows[0]?.setl_id as string;
      expect(a).toBeDefined();
      // 追加 100.00 元: 6 172.84 + 100.00 = 6 272.84 元; the patient share stays 2 000.00.
      const res = await approveSpecialCase(store, {
        setlId: a,
        amountFen: 10_000,
        reason: "test",
        actor: "test",
      });
      expect(res.settlement).toMatchObject({ category: "under24Hours", specialCase: "under24Hours" });
      const s = await stored(a);
      expect(s).toMatchObject({
        category: "under24Hours",
        special_case: "under24Hours",
        d: "627284",
        p: "200000",
      });
    });
  });
}
