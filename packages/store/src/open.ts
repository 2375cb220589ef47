/**
 * Opening the store (数据存储): PostgreSQL when a `postgres://` URL is given, else embedded PGlite on
 * disk under the data directory, or in memory for tests. Same schema, same SQL on both.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrationProvider, type NamedMigration, storeMigrations } from "./migrations.js";
import type { StoreDatabase } from "./schema.js";

/** Where the data lives. */
export interface StoreOptions {
  /** `postgres://…`: use that PostgreSQL server. Defaults to env `DATABASE_URL`. */
  readonly databaseUrl?: string | null;
  /** PGlite data directory. Defaults to env `YIBAO_DATA_DIR`, else `./data`. */
  readonly dataDir?: string | null;
  /** PGlite in memory (tests, demos): nothing is written to disk. */
  readonly memory?: boolean;
  /** A PostgreSQL schema to create (if missing) and use instead of `public`: isolates tests and tenants. */
  readonly schema?: string | null;
  /** Further migrations (payment, audit, accounts…) to run after the store's own. */
  readonly migrations?: readonly NamedMigration[];
  /** PostgreSQL connection-pool size (default 10). */
  readonly poolSize?: number;
  /** PostgreSQL `application_name` of the pool's connections (default `yibao`). */
  readonly applicationName?: string;
  /**
   * Told of every connection that fails (database restarted, backend terminated, network gone). Such
   * an error never ends the process: the dead connection is dropped and the next query opens a new
   * one. Default: one line on stderr.
   */
  readonly onConnectionError?: (err: Error) => void;
}

/** Which engine a store runs on. */
export type StoreEngine = "postgres" | "pglite";

/** An open database with its schema migrated. */
export interface Database {
  readonly db: Kysely<StoreDatabase>;
  readonly engine: StoreEngine;
  /** Human-readable location (URL without password, or directory). */
  readonly location: string;
  /** Closes every connection. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** int8 as number (counts and fen sums stay far below 2^53), date as `yyyy-MM-dd` text. */
const INT8_OID = 20;
const DATE_OID = 1082;
const parseInt8 = (v: string) => Number(v);
const keepText = (v: string) => v;

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

function reportConnectionError(err: Error): void {
  const code = (err as { code?: unknown }).code;
  process.stderr.write(
    `数据库连接中断（${typeof code === "string" ? `${code} ` : ""}${err.message}），将重新连接\n`,
  );
}

/**
 * Keeps connection failures from ending the process. Without a listener, `pg` turns a connection that
 * dies while idle in the pool (pool `error`) or while checked out between two statements (client
 * `error`) into an uncaught exception. The pool already drops such clients (an idle one at once, a
 * checked-out one when it is released no longer queryable); the listeners only report them.
 */
export function guardPool(pool: InstanceType<typeof pg.Pool>, onError: (err: Error) => void): void {
  pool.on("error", (err) => onError(err));
  pool.on("connect", (client) => {
    client.on("error", (err) => onError(err));
  });
}

const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  // class 08: connection exception
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  // class 57: operator intervention (admin_shutdown, crash_shutdown, cannot_connect_now)
  "57P01",
  "57P02",
  "57P03",
  // too_many_connections
  "53300",
  // socket errors
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly/i;

/**
 * True when an error means that the database cannot be reached right now (connection refused, lost
 * or terminated, server shutting down): a condition that passes, as opposed to an error of the query.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== "object") return false;
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    e = cause;
  }
  return false;
}

/** Opens the database chosen by the options (and environment) and runs every pending migration. */
export async function openDatabase(options: StoreOptions = {}, env = process.env): Promise<Database> {
  const schema = options.schema ?? null;
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`数据库 schema 名称不合法：${schema}`);
  const databaseUrl = options.memory ? null : (options.databaseUrl ?? env.DATABASE_URL ?? null);
  let db: Kysely<StoreDatabase>;
  let engine: StoreEngine;
  let location: string;
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`DATABASE_URL 应以 postgres:// 开头`);
    if (schema) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? "yibao",
      // A database that does not answer (failover, network) fails a request after 5 s instead of
      // holding it until the client gives up.
      connectionTimeoutMillis: 5_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === INT8_OID) return parseInt8;
          if (oid === DATE_OID) return keepText;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    guardPool(pool, options.onConnectionError ?? reportConnectionError);
    db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    engine = "postgres";
    location = redact(databaseUrl) + (schema ? ` (schema ${schema})` : "");
  } else {
    const parsers = { [INT8_OID]: parseInt8, [DATE_OID]: keepText };
    let pglite: PGlite;
    if (options.memory) {
      pglite = new PGlite({ parsers });
      location = "memory";
    } else {
      const dir = resolve(options.dataDir ?? env.YIBAO_DATA_DIR ?? "./data");
      mkdirSync(dir, { recursive: true });
      pglite = new PGlite(dir, { parsers });
      location = dir;
    }
    await pglite.waitReady;
    if (schema) {
      // PGlite has exactly one connection, so the search path set here holds for every query.
      await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    }
    db = new Kysely<StoreDatabase>({ dialect: new PGliteDialect(pglite) });
    engine = "pglite";
  }
  try {
    await migrate(db, [...storeMigrations, ...(options.migrations ?? [])], schema);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, engine, location, close: () => db.destroy() };
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(
  db: Kysely<StoreDatabase>,
  migrations: readonly NamedMigration[],
  schema: string | null = null,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(migrations),
    allowUnorderedMigrations: true,
    // Kysely looks for its own tables by name; without the schema it can find another schema's
    // `kysely_migration_lock` (e.g. in `public`) and then fail to use it through the search path.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ""}：${String(error)}`, {
      cause: error,
    });
  }
}

/** Checks that the database answers. */
export async function ping(db: Kysely<StoreDatabase>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/** Drops a PostgreSQL schema and everything in it (test and benchmark clean-up). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`数据库 schema 名称不合法：${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Terminates every connection with the given `application_name` (fault tests: what a database
 * restart or failover does to the pool). Returns how many were terminated.
 */
export async function terminateConnections(databaseUrl: string, applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()",
      [applicationName],
    );
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
