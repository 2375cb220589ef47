/**
 * What a new upload leaves behind: the versions it replaces move to `settlement_list_history`, and
 * a refused upload that kept the accepted version in force is recorded in `refused_upload`.
 */

import { sql, type Transaction } from "kysely";
import { ALL_COLUMNS, chunks, LIST_CHUNK, uploadAt } from "./list-rows.js";
import { storableMessageJson } from "./list-storable.js";
import type { StoreDatabase } from "./schema.js";
import type { SettlementListUpload } from "./settlement-lists.js";

/** A refused upload of a round and the version it left in force. */
export interface RefusedKept {
  index: number;
  keptVersion: number;
}

/** Moves the current versions of `replaced` to the history, stamped with the time of replacement. */
export async function archiveReplaced(
  trx: Transaction<StoreDatabase>,
  replaced: readonly string[],
): Promise<void> {
  for (const part of chunks(replaced, LIST_CHUNK)) {
    await trx
      .insertInto("settlement_list_history")
      .columns([...ALL_COLUMNS, "replaced_at"])
      .expression((eb) =>
        eb
          .selectFrom("settlement_list")
          .select([...ALL_COLUMNS])
          .select(sql<Date>`now()`.as("replaced_at"))
          .where("setl_id", "in", part),
      )
      .execute();
  }
}

/** Records the refused uploads that left the accepted version in force. */
export async function recordRefusedKept(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
  refusedKept: readonly RefusedKept[],
  now: Date,
): Promise<void> {
  if (refusedKept.length > 0) {
    await trx
      .insertInto("refused_upload")
      .values(
        refusedKept.map(({ index, keptVersion }) => {
          const u = uploadAt(uploads, index);
          return {
            setl_id: u.list.setl_id,
            hospital_code: u.list.hospital_code,
            period: u.list.period,
            kept_version: keptVersion,
            findings: JSON.stringify(u.findings),
            message: storableMessageJson(u.list.message),
            received_at: u.receivedAt ?? now,
            uploaded_at: u.originalUpload?.at ?? u.receivedAt ?? now,
            upload_time_source: u.originalUpload?.source ?? ("received" as const),
          };
        }),
      )
      .execute();
  }
}
