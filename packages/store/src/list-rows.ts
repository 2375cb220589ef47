/** The columns of a stored list and the batching of the multi-row statements that write them. */

import type { SettlementListColumns } from "./schema.js";
import type { SettlementListUpload } from "./settlement-lists.js";

export const SUMMARY_COLUMNS = [
  "setl_id",
  "mdtrt_id",
  "hospital_code",
  "hospital_name",
  "medcasno",
  "patient_key",
  "gend",
  "age_years",
  "age_days",
  "adm_date",
  "dscg_date",
  "setl_begn_date",
  "setl_end_date",
  "period",
  "los",
  "dscg_caty",
  "dscg_way",
  "chfpdr_code",
  "chfpdr_name",
  "days_rinp_flag_31",
  "insuplc",
  "principal_dx",
  "principal_oprn",
  "total_fee_fen",
  "fund_pay_fen",
  "personal_pay_fen",
  "infno",
  "msgid",
  "status",
  "error_count",
  "warning_count",
  "scheme_id",
  "group_status",
  "drg",
  "drg_name",
  "mdc",
  "adrg",
  "received_at",
  "uploaded_at",
  "upload_time_source",
  "version",
] as const satisfies readonly (keyof SettlementListColumns)[];

export const ALL_COLUMNS = [...SUMMARY_COLUMNS, "message"] as const;

/** Rows per multi-row INSERT (PostgreSQL allows 65,535 parameters per statement). */
export const LIST_CHUNK = 500;
export const FINDING_CHUNK = 2000;
export const MAX_ATTEMPTS = 5;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The upload at an index of its batch (the rounds hold only indices of the batch). */
export function uploadAt(uploads: readonly SettlementListUpload[], i: number): SettlementListUpload {
  const u = uploads[i];
  if (u === undefined) throw new RangeError(`上传批次中没有第 ${i} 份结算清单`);
  return u;
}
