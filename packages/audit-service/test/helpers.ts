/**
 * Test stores: PGlite in memory, or PostgreSQL (`YIBAO_TEST_DATABASE_URL`, default
 * postgres://postgres@127.0.0.1:5432/test) in a fresh schema dropped afterwards; filled with a small
 * synthetic region received through the server's intake step.
 */

import type { DrgScheme } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { paymentMigrations } from "@yibao/payment-service/migrations";
import { createListPreparer } from "@yibao/server";
import { dropSchema, openStore, type SettlementListUpload, type Store } from "@yibao/store";
import { generateRegion, type SynthStay } from "@yibao/synth";
import { auditMigrations } from "../src/migrations.js";

export const TEST_DATABASE_URL =
  process.env.YIBAO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type Engine = "pglite" | "postgres";

export async function testStore(engine: Engine): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const migrations = [...paymentMigrations, ...auditMigrations];
  if (engine === "pglite") {
    const store = await openStore({ memory: true, migrations });
    return { store, cleanup: () => store.close() };
  }
  const schema = `audit_svc_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4, migrations });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

let schemeP: Promise<DrgScheme> | null = null;
export function demoScheme(): Promise<DrgScheme> {
  schemeP ??= loadSchemeDir(DEMO_SCHEME_DIR);
  return schemeP;
}

/** Fills the store with a synthetic region (injected irregular cases) and returns the stays. */
export async function fillRegion(
  store: Store,
  scheme: DrgScheme,
  stays = 1500,
  seed = 11,
): Promise<SynthStay[]> {
  const region = generateRegion({ seed, stays, scheme, inject: { rate: 0.1 } });
  const prepare = createListPreparer(scheme);
  const all: SynthStay[] = [];
  let batch: SettlementListUpload[] = [];
  for (const s of region.stays()) {
    all.push(s);
    const p = prepare(s.message, new Date(`${s.message.input.setlinfo.setl_end_date}T12:00:00Z`));
    if (p.upload) batch.push(p.upload);
    if (batch.length >= 500) {
      await store.saveSettlementLists(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.saveSettlementLists(batch);
  return all;
}
