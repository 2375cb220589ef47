/**
 * Migration 0115 (医院主数据版本): every payment_hospital row is back-filled as an edition in force since
 * always, so a region already settled re-settles to exactly what it was (nothing written).
 */
import type { MigrationDb, Store } from "@yibao/store";
import { openStore } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoPayment } from "../src/demo.js";
import { listHospitalEditions, SINCE_ALWAYS } from "../src/hospital-data.js";
import { paymentMigrations } from "../src/migrations.js";
import { dbOf } from "../src/repo.js";
import { settlePeriod } from "../src/settle-period.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  const scheme = await demoScheme();
  await fillRegion(store, scheme, 400, 3);
  const demo = await ensureDemoPayment({ store, scheme });
  expect(demo.settlement?.settled).toBeGreaterThan(300);
});
afterAll(async () => store?.close());

/** Runs 0115's down and up on the store (the back-fill reads payment_hospital as it is then). */
async function rerun0115(between?: () => Promise<void>): Promise<void> {
  const db = dbOf(store);
  const m = paymentMigrations.find((x) => x.name === "0115_payment_hospital_edition");
  if (m === undefined) throw new Error("no migration 0115");
  // Kysely is invariant in its tables: a migration step takes the untyped view of the same connection.
  await m.down?.(db as unknown as MigrationDb);
  await between?.();
  await m.up(db as unknown as MigrationDb);
}

describe("migration 0115 back-fills the hospitals as in force since always", () => {
  it("re-settling a region settled before the editions existed writes nothing", async () => {
    const db = dbOf(store);
    const snapshot = async () =>
      (
        await sql<{ setl_id: string; run_id: string; d: string; p: string; f: string }>`SELECT setl_id,
            run_id::text, drg_payment_fen::text AS d, patient_share_fen::text AS p, fund_payment_fen::text AS f
          FROM stay_settlement ORDER BY setl_id`.execute(db)
      ).rows;
    const stored = await snapshot();
    await rerun0115();
    const r = await settlePeriod({ store, period: "2023-01", periodTo: "2023-12", actor: "t" });
    expect(r.settled).toBeGreaterThan(300);
    expect(r.errors).toBe(0);
    expect(r.written).toBe(0);
    expect(await snapshot()).toEqual(stored);
  });

  it("one edition per payment_hospital row, its method and a missing benefit class included", async () => {
    const db = dbOf(store);
    const codes = await sql<{ hospital_code: string }>`SELECT hospital_code FROM payment_hospital
      ORDER BY hospital_code LIMIT 2`.execute(db);
    const [dip, plain] = codes.rows.map((r) => r.hospital_code) as [string, string];
    await rerun0115(async () => {
      await sql`UPDATE payment_hospital SET payment_method = 'dip' WHERE hospital_code = ${dip}`.execute(db);
      await sql`UPDATE payment_hospital SET benefit_class = NULL WHERE hospital_code = ${plain}`.execute(db);
    });
    const rows = await sql<{
      hospital_code: string;
      level: string;
      benefit_class: string | null;
      payment_method: string;
    }>`SELECT hospital_code, level, benefit_class, payment_method FROM payment_hospital ORDER BY hospital_code`.execute(
      db,
    );
    const editions = await listHospitalEditions(store);
    expect(
      editions.map((e) => ({
        hospital_code: e.hospitalCode,
        level: e.level,
        benefit_class: e.benefitClass,
        payment_method: e.paymentMethod,
      })),
    ).toEqual(rows.rows);
    expect(new Set(editions.map((e) => `${e.effectiveFrom}|${e.source}|${e.actor}`))).toEqual(
      new Set([`${SINCE_ALWAYS}|pack|migration`]),
    );
    expect(editions.find((e) => e.hospitalCode === dip)?.paymentMethod).toBe("dip");
    expect(editions.find((e) => e.hospitalCode === plain)?.benefitClass).toBeNull();
  });
});
