/**
 * A fast stand-in for the identity database of the access tests (mutation-access.test.ts): a real
 * Kysely with the PostgreSQL query compiler whose driver answers the few queries the access layer
 * makes (session lookup, list owners, foreign versions, taken setl_ids, operation log) from maps,
 * so a test file starts in milliseconds instead of migrating a PGlite store. The real database paths
 * are covered by session.test.ts, ownership.test.ts and oplog.test.ts.
 */

import type { StoreDatabase } from "@yibao/store";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from "kysely";
import { tokenHash } from "../src/identity/accounts.js";
import type { IdentityDatabase, Role } from "../src/identity/tables.js";

export interface FakeSession {
  readonly token: string;
  readonly csrf: string;
  readonly id: number;
  readonly role: Role;
  readonly hospitalCode: string | null;
  readonly mustChangePassword?: boolean;
}

export interface FakeIdentityDb {
  readonly db: Kysely<IdentityDatabase>;
  /** The same fake typed with the store's tables only (a list transaction, for the upload journal). */
  readonly storeDb: Kysely<StoreDatabase>;
  /** setl_id → owning hospital of the current version. */
  readonly owners: Map<string, string>;
  /** setl_ids with a history version or refused upload of another hospital. */
  readonly foreignVersions: Set<string>;
  /** The operation-log rows written, as their parameter lists (column order of `recordOperation`). */
  readonly oplog: unknown[][];
  /** The SQL text of every query, in order. */
  readonly queries: string[];
  /** The next `left` operation-log writes fail. */
  readonly oplogFailures: { left: number };
  /** A session; `expiresInMs` (default one hour) sets its idle expiry, the absolute one is a day. */
  addSession(s: FakeSession, expiresInMs?: number): void;
}

export function fakeIdentityDb(): FakeIdentityDb {
  const sessions = new Map<string, Record<string, unknown>>();
  const owners = new Map<string, string>();
  const foreignVersions = new Set<string>();
  const oplog: unknown[][] = [];
  const oplogFailures = { left: 0 };
  const queries: string[] = [];
  const answer = (q: CompiledQuery): unknown[] => {
    const sql = q.sql;
    const p = q.parameters;
    queries.push(sql);
    if (sql.startsWith("select") && sql.includes('"console_session" as "s"')) {
      const row = sessions.get(String(p[0]));
      return row ? [row] : [];
    }
    if (sql.startsWith('insert into "console_oplog"')) {
      if (oplogFailures.left > 0) {
        oplogFailures.left--;
        throw new Error("oplog table unavailable");
      }
      oplog.push([...p]);
      return [];
    }
    // The three scope queries, exactly as the access layer must ask them (a changed column or table
    // is a different question: the fake then finds nothing).
    if (
      sql ===
      'select "version" from "settlement_list_history" where "setl_id" = $1 and "hospital_code" <> $2 union select "kept_version" as "version" from "refused_upload" where "setl_id" = $3 and "hospital_code" <> $4 limit $5'
    ) {
      return foreignVersions.has(String(p[0])) && p[0] === p[2] && p[1] === p[3] ? [{ version: 1 }] : [];
    }
    if (sql === 'select "hospital_code" from "settlement_list" where "setl_id" = $1') {
      const owner = owners.get(String(p[0]));
      return owner === undefined ? [] : [{ hospital_code: owner }];
    }
    if (sql.startsWith('select "setl_id" from "settlement_list" where "setl_id" in (')) {
      if (!sql.endsWith(`) and "hospital_code" <> $${p.length - 1} limit $${p.length}`)) return [];
      const own = p[p.length - 2];
      const ids = p.slice(0, -2).map(String);
      const taken = ids.find((id) => owners.has(id) && owners.get(id) !== own);
      return taken === undefined ? [] : [{ setl_id: taken }];
    }
    return [];
  };
  const connection: DatabaseConnection = {
    async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      return { rows: answer(q) as R[] };
    },
    streamQuery: () => {
      throw new Error("streaming is not faked");
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (k: Kysely<unknown>) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  const db = new Kysely<IdentityDatabase>({ dialect });
  const storeDb = new Kysely<StoreDatabase>({ dialect });
  const far = new Date(Date.now() + 86_400_000);
  return {
    db,
    storeDb,
    owners,
    foreignVersions,
    oplog,
    queries,
    oplogFailures,
    addSession(s, expiresInMs = 3_600_000) {
      sessions.set(tokenHash(s.token), {
        csrf_token: s.csrf,
        expires_at: new Date(Date.now() + expiresInMs),
        absolute_expires_at: far,
        id: s.id,
        username: `u${s.id}`,
        display_name: `用户${s.id}`,
        role: s.role,
        hospital_code: s.hospitalCode,
        disabled: false,
        must_change_password: s.mustChangePassword ?? false,
      });
    },
  };
}
