/** 操作日志: every change, with who, when, what and the outcome. */

import type { Selectable } from "kysely";
import type { SessionUser } from "./accounts.js";
import type { IdentityDb, OplogTable } from "./tables.js";

export interface Operation {
  readonly user: SessionUser | null;
  /** Username tried, when there is no user (failed login). */
  readonly username?: string;
  readonly action: string;
  readonly target: string;
  readonly detail?: Record<string, unknown>;
  readonly statusCode?: number | null;
  readonly ip?: string;
  readonly at?: Date;
}

export async function recordOperation(db: IdentityDb, op: Operation): Promise<void> {
  await db
    .insertInto("console_oplog")
    .values({
      at: op.at ?? new Date(),
      user_id: op.user?.id ?? null,
      username: op.user?.username ?? op.username ?? "",
      role: op.user?.role ?? "",
      hospital_code: op.user?.hospitalCode ?? null,
      action: op.action,
      target: op.target,
      detail: JSON.stringify(op.detail ?? {}),
      status_code: op.statusCode ?? null,
      ip: op.ip ?? "",
    })
    .execute();
}

/** A row of the operation log as stored. */
export type OperationRow = Selectable<OplogTable>;

/** The operation log, newest first: a page of `limit` rows after `offset`, optionally of one username. */
export async function listOperations(
  db: IdentityDb,
  page: { readonly limit: number; readonly offset: number; readonly username?: string | undefined },
): Promise<OperationRow[]> {
  let query = db
    .selectFrom("console_oplog")
    .selectAll()
    .orderBy("id", "desc")
    .limit(page.limit)
    .offset(page.offset);
  if (page.username) query = query.where("username", "=", page.username);
  return query.execute();
}
