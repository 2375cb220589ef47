/**
 * Repository of settlement lists (医保结算清单): saving uploads with their QC findings and grouping
 * results, keeping every replaced version, and querying. The upload's types are here; saving is in
 * `list-write.ts` (with `list-history.ts`, `list-summaries.ts`, `list-storable.ts`), reading in
 * `list-query.ts`; everything is re-exported from here.
 */

import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type {
  FindingSeverity,
  SettlementListColumns,
  SettlementListStatus,
  StoreDatabase,
  UploadTimeSource,
} from "./schema.js";

export * from "./list-query.js";
export { ESCAPED_MESSAGE_KEY, MAX_STORED_DEPTH, storableMessageJson } from "./list-storable.js";
export { saveSettlementLists } from "./list-write.js";

/** 质控结果 (one finding of the QC rules). */
export interface QcFinding {
  readonly ruleId: string;
  readonly severity: FindingSeverity;
  /** The 4101 field path, e.g. `setlinfo.gend` or `diseinfo[0].diag_code`. */
  readonly field: string;
  /** Chinese message. */
  readonly message: string;
}

/** The columns a caller supplies; status, counts and version are derived by the store. */
export type SettlementListData = Omit<
  SettlementListColumns,
  | "status"
  | "error_count"
  | "warning_count"
  | "version"
  | "received_at"
  | "uploaded_at"
  | "upload_time_source"
  | "message"
> & {
  /** The full original envelope as received. */
  readonly message: unknown;
};

/** One upload to store: the list's summary, its original message and its QC findings. */
export interface SettlementListUpload {
  readonly list: SettlementListData;
  readonly findings: readonly QcFinding[];
  /** 上传时间: when the platform received it; defaults to now. */
  readonly receivedAt?: Date;
  /**
   * 原始上传时间 of a history import (the time its QC upload deadline was checked against, and where
   * that time came from). Absent for an ordinary upload: then `uploaded_at` is the received time and
   * its source `received`.
   */
  readonly originalUpload?: OriginalUpload;
  /**
   * A record to keep in the same transaction as this upload (the operation-log entry of the request
   * that sent it): an upload is never committed without it. Uploads of one request share one journal.
   */
  readonly journal?: UploadJournal;
}

/** The original upload time of a list brought in by a history import (历史清单导入). */
export interface OriginalUpload {
  readonly at: Date;
  /** `file`: carried by the record itself; `stated`: the date stated for the whole batch. */
  readonly source: Exclude<UploadTimeSource, "received">;
}

/** What is written with the uploads that carry it, in their transaction (see `SettlementListUpload.journal`). */
export interface UploadJournal {
  /** Writes the record for `outcomes`, the uploads of this transaction that carry this journal. */
  write(trx: Transaction<StoreDatabase>, outcomes: readonly SaveOutcome[]): Promise<void>;
}

/**
 * What happened to one upload:
 * - `inserted`: first version of this setl_id;
 * - `replaced`: a new version replaced the current one, which moved to history;
 * - `refused_kept`: refused by QC while an accepted version exists; that version stays in force and
 *   the attempt is recorded as a refused upload.
 * - `refused_foreign`: the setl_id belongs to another institution (its stored list has another
 *   `hospital_code`); nothing is written, and nothing of it shows in that institution's list, history
 *   or refused uploads. Decided inside the writing transaction, under the setl_id's lock.
 */
export interface SaveOutcome {
  readonly setlId: string;
  readonly outcome: "inserted" | "replaced" | "refused_kept" | "refused_foreign";
  readonly status: SettlementListStatus;
  /** The version now in force for this setl_id; 0 for `refused_foreign` (the owner's is not told). */
  readonly version: number;
}

/** 患者标识: SHA-256 of certificate type and number, so lists of one patient can be linked. */
export function patientKey(certType: string, certNo: string): string {
  return createHash("sha256").update(`${certType}|${certNo.trim().toUpperCase()}`).digest("hex");
}
