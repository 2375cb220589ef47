/**
 * The console's payment and audit figures come from the views those areas publish (issue 11: the
 * console no longer finds their tables with to_regclass and reads them directly). The composing
 * package declares the sources; the console checks them against the database at start-up.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AUDIT_TABLES } from "@yibao/audit-service";
import { checkSources, consoleDb, consoleMigrations, SOURCE_COLUMNS } from "@yibao/console";
import { PAYMENT_TABLES } from "@yibao/payment-service";
import { identityMigrations } from "@yibao/server";
import { openStore } from "@yibao/store";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { PLATFORM_MIGRATIONS, PLATFORM_SOURCES } from "../src/platform.js";

const CONSOLE_SRC = resolve(import.meta.dirname, "../../console/src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("the console reads payment and audit through their published views", () => {
  it("no console source names a payment or audit table that is not a published view", () => {
    const published = new Set(Object.keys(SOURCE_COLUMNS));
    const internal = [...PAYMENT_TABLES.current, ...AUDIT_TABLES.current].filter((t) => !published.has(t));
    // The published views are among the tables those areas declare, so the list below is not empty
    // by construction.
    expect(internal).toContain("stay_settlement");
    expect(internal).toContain("audit_finding");
    const hits: string[] = [];
    for (const f of filesUnder(CONSOLE_SRC)) {
      const text = readFileSync(f, "utf8");
      for (const t of internal) {
        if (new RegExp(`\\b${t}\\b`).test(text)) hits.push(`${f.slice(CONSOLE_SRC.length + 1)}: ${t}`);
      }
      if (/to_regclass/.test(text)) hits.push(`${f.slice(CONSOLE_SRC.length + 1)}: to_regclass`);
    }
    expect(hits).toEqual([]);
  });

  it("the platform's store publishes every column the console reads; a store without the areas is refused by name", async () => {
    const full = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
    try {
      await expect(checkSources(consoleDb(full), PLATFORM_SOURCES)).resolves.toBeUndefined();
      // A view that lost a column the console reads.
      await sql`DROP VIEW payment_latest_run`.execute(full.db);
      await sql`CREATE VIEW payment_latest_run AS SELECT 1 AS latest`.execute(full.db);
      await expect(checkSources(consoleDb(full), PLATFORM_SOURCES)).rejects.toThrow(
        "支付结算视图 payment_latest_run 缺少列 run_id",
      );
      // Audit alone is no valid source: what was recovered is payment's.
      await expect(checkSources(consoleDb(full), { payment: false, audit: true })).rejects.toThrow(
        "接入智能审核须同时接入支付结算",
      );
    } finally {
      await full.close();
    }
    const bare = await openStore({
      memory: true,
      migrations: [...identityMigrations, ...consoleMigrations],
    });
    try {
      await expect(checkSources(consoleDb(bare), { payment: false, audit: false })).resolves.toBeUndefined();
      await expect(checkSources(consoleDb(bare), { payment: true, audit: false })).rejects.toThrow(
        /支付结算视图 payment_settled_stay 不存在.*支付结算视图 payment_latest_run 不存在/,
      );
    } finally {
      await bare.close();
    }
  });
});
