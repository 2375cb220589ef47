/**
 * Runs a test suite against both engines: PGlite in memory and the real PostgreSQL server
 * (`YIBAO_TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/test), each PostgreSQL run
 * in its own freshly created schema that is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type OpenStoreOptions, openStore, type Store } from "../src/index.js";

export const TEST_DATABASE_URL =
  process.env.YIBAO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestEngine {
  readonly name: "pglite" | "postgres";
  /** Opens a store on a fresh, empty database (or schema). */
  open(extra?: OpenStoreOptions): Promise<Store>;
  /** Opens a second store on the same database as the last `open` (same schema). */
  reopen(extra?: OpenStoreOptions): Promise<Store>;
  /** Drops what `open` created. */
  cleanup(): Promise<void>;
}

export function pgliteEngine(): TestEngine {
  let last: Store | undefined;
  return {
    name: "pglite",
    async open(extra = {}) {
      last = await openStore({ memory: true, ...extra });
      return last;
    },
    async reopen() {
      if (!last) throw new Error("open first");
      return last;
    },
    async cleanup() {},
  };
}

export function postgresEngine(): TestEngine {
  const schemas: string[] = [];
  return {
    name: "postgres",
    async open(extra = {}) {
      const schema = `test_${process.pid}_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      return openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 8, ...extra });
    },
    async reopen(extra = {}) {
      const schema = schemas.at(-1);
      if (!schema) throw new Error("open first");
      return openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 8, ...extra });
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        for (const s of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const ENGINES: readonly (() => TestEngine)[] = [pgliteEngine, postgresEngine];
