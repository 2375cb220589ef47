import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoPayment } from "../src/demo.js";
import { paymentMigrations } from "../src/migrations.js";
import { getSettlement } from "../src/queries.js";
import { dbOf } from "../src/repo.js";
import { type SettlementRow, settlePeriod, writeSettlements } from "../src/settle-period.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  await fillRegion(store, await demoScheme(), 400, 11);
});
afterAll(async () => store?.close());

describe("cost split of the stored lists (payment_list_cost)", () => {
  it("is derived for every stored list version, equal to the split of its JSON", async () => {
    const db = dbOf(store);
    const r = await sql<{ lists: number; costs: number; differ: number }>`SELECT
        (SELECT count(*)::int FROM settlement_list) AS lists,
        (SELECT count(*)::int FROM payment_list_cost) AS costs,
        (SELECT count(*)::int FROM settlement_list l
          CROSS JOIN LATERAL payment_list_cost_of(l.message) f
          LEFT JOIN payment_list_cost c ON c.setl_id = l.setl_id AND c.version = l.version
          WHERE c.setl_id IS NULL
            OR (c.hi_type, c.hi_setl_lv, c.class_a_fen, c.class_b_fen, c.self_pay_fen, c.other_fen, c.bed_fee_fen)
              IS DISTINCT FROM (f.hi_type, f.hi_setl_lv, f.class_a_fen, f.class_b_fen, f.self_pay_fen, f.other_fen,
                f.bed_fee_fen)) AS differ`.execute(db);
    expect(r.rows[0]?.lists).toBeGreaterThan(300);
    expect(r.rows[0]?.costs).toBe(r.rows[0]?.lists);
    expect(r.rows[0]?.differ).toBe(0);
  });

  it("follows a changed list and settles the same without it (split from the JSON)", async () => {
    const db = dbOf(store);
    await ensureDemoPayment({ store, scheme: await demoScheme(), skipSettle: true });
    const first = await settlePeriod({ store, period: "2023-03", periodTo: "2023-04" });
    expect(first.settled).toBeGreaterThan(0);
    await sql`DELETE FROM payment_list_cost WHERE setl_id IN (SELECT setl_id FROM settlement_list WHERE period = '2023-03')`.execute(
      db,
    );
    const again = await settlePeriod({ store, period: "2023-03", periodTo: "2023-04" });
    expect(again.written).toBe(0);
    expect(again.totals).toEqual(first.totals);
    // A list changed in place (not through the store) gets its split recomputed by the trigger.
    const one = await sql<{ setl_id: string }>`SELECT setl_id FROM settlement_list
      WHERE status = 'accepted' AND jsonb_array_length(message->'input'->'iteminfo') > 0 ORDER BY setl_id LIMIT 1`.execute(
      db,
    );
    const id = one.rows[0]?.setl_id as string;
    await sql`UPDATE settlement_list SET message = jsonb_set(message, '{input,iteminfo}',
      jsonb_build_array(jsonb_build_object('med_chrgitm', '01', 'amt', 12.345, 'claa_sumfee', 12.345,
        'clab_amt', 0, 'fulamt_ownpay_amt', 0, 'oth_amt', 0)))
      WHERE setl_id = ${id}`.execute(db);
    const c = await sql<{
      class_a_fen: number;
      bed_fee_fen: number;
    }>`SELECT class_a_fen, bed_fee_fen FROM payment_list_cost WHERE setl_id = ${id}`.execute(db);
    expect(c.rows[0]).toEqual({ class_a_fen: 1235, bed_fee_fen: 1235 });
  });

  it("small pages written concurrently: every settlement counted and stored once, re-run writes nothing", async () => {
    const db = dbOf(store);
    const accepted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM settlement_list
      WHERE status = 'accepted' AND period IN ('2023-05', '2023-06')`.execute(db);
    const r = await settlePeriod({ store, period: "2023-05", periodTo: "2023-06", batchSize: 13 });
    expect(r.settled + r.errors).toBe(accepted.rows[0]?.n);
    expect(r.written).toBe(r.settled);
    const again = await settlePeriod({ store, period: "2023-05", periodTo: "2023-06", batchSize: 7 });
    expect(again.written).toBe(0);
    expect(again.totals).toEqual(r.totals);
  });

  it("writes text with quotes, backslashes, commas and braces, and NULLs, exactly", async () => {
    const db = dbOf(store);
    const one = await sql<{
      setl_id: string;
      patient_key: string;
    }>`SELECT setl_id, patient_key FROM stay_settlement
      ORDER BY setl_id LIMIT 1`.execute(db);
    const id = one.rows[0]?.setl_id as string;
    const cur = (await getSettlement(store, id))?.current as unknown as SettlementRow;
    const odd = 'v"1\\,{x} NULL 版本';
    const row: SettlementRow = {
      ...cur,
      patientKey: one.rows[0]?.patient_key as string,
      policyVersion: odd,
      rwPpm: null,
      benefitFundFen: null,
    };
    expect(await writeSettlements(db, 0, [row])).toBe(1);
    const got = (await getSettlement(store, id))?.current as unknown as SettlementRow;
    expect(got.policyVersion).toBe(odd);
    expect(got.rwPpm).toBeNull();
    expect(got.benefitFundFen).toBeNull();
    expect(got.points).toBe(cur.points);
  });
});
