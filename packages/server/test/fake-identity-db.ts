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
  addSession(s: FakeSession): void;
}

export function fakeIdentityDb(): FakeIdentityDb {
  const sessions = new Map<string, Record<string, unknown>>();
  const owners = new Map<string, string>();
  const foreignVersions = new Set<string>();
  const oplog: unknown[][] = [];
  const answer = (q: CompiledQuery): unknown[] => {
    const sql = q.sql;
    const p = q.parameters;
    if (sql.startsWith("select") && sql.includes('"console_session" as "s"')) {
      const row = sessions.get(String(p[0]));
      return row ? [row] : [];
    }
    if (sql.startsWith('insert into "console_oplog"')) {
      oplog.push([...p]);
      return [];
    }
    if (sql.includes('"settlement_list_history"')) {
      return foreignVersions.has(String(p[0])) ? [{ version: 1 }] : [];
    }
    if (sql.startsWith('select "hospital_code" from "settlement_list"')) {
      const owner = owners.get(String(p[0]));
      return owner === undefined ? [] : [{ hospital_code: owner }];
    }
    if (sql.startsWith('select "setl_id" from "settlement_list"')) {
      // where setl_id in ($1 … $n) and hospital_code <> $n+1 limit $n+2
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
  const far = new Date(Date.now() + 3_600_000);
  return {
    db,
    storeDb,
    owners,
    foreignVersions,
    oplog,
    addSession(s) {
      sessions.set(tokenHash(s.token), {
        csrf_token: s.csrf,
        expires_at: far,
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
