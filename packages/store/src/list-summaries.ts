/** The summary tables a batch keeps (`settlement_list_count`, `qc_finding_count`, `refused_upload_count`). */

import { createHash } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { chunks, FINDING_CHUNK } from "./list-rows.js";
import type { SettlementListStatus, StoreDatabase, StoredGroupStatus } from "./schema.js";
import type { QcFinding } from "./settlement-lists.js";

/** The part of a version that the summaries are keyed by. */
export interface CountedList {
  readonly hospital_code: string;
  readonly period: string;
  readonly status: SettlementListStatus;
  readonly group_status: StoredGroupStatus;
  readonly drg: string;
}

export type CountedFinding = Pick<QcFinding, "ruleId" | "severity" | "message">;

/** C-collation order (UTF-8 bytes), as `rebuildStoreSummaries` picks a rule's first message. */
export function compareC(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export const SEP = "\u0000";

/** The changes a batch makes to the summary tables, applied in one statement per table. */
export class SummaryDeltas {
  readonly lists = new Map<string, { row: CountedList; n: number }>();
  readonly findings = new Map<
    string,
    { hospital: string; period: string; f: CountedFinding; findings: number; lists: number }
  >();
  readonly refused = new Map<string, { hospital: string; period: string; n: number }>();

  /** Counts one version of a list with its findings in (`sign` 1) or out (`sign` −1). */
  add(list: CountedList, findings: readonly CountedFinding[], sign: 1 | -1): void {
    const lk = [list.hospital_code, list.period, list.status, list.group_status, list.drg].join(SEP);
    const l = this.lists.get(lk);
    if (l) l.n += sign;
    else this.lists.set(lk, { row: list, n: sign });
    if (findings.length === 0) return;
    // A list counts once per rule and severity, on the row of its smallest message of that rule.
    const first = new Map<string, string>();
    for (const f of findings) {
      const rk = `${f.ruleId}${SEP}${f.severity}`;
      const m = first.get(rk);
      if (m === undefined || compareC(f.message, m) < 0) first.set(rk, f.message);
    }
    for (const f of findings) {
      const rk = `${f.ruleId}${SEP}${f.severity}`;
      const k = [list.hospital_code, list.period, rk, f.message].join(SEP);
      let e = this.findings.get(k);
      if (!e) {
        e = { hospital: list.hospital_code, period: list.period, f, findings: 0, lists: 0 };
        this.findings.set(k, e);
      }
      e.findings += sign;
      if (first.get(rk) === f.message) {
        e.lists += sign;
        first.delete(rk); // once per list, even if the message repeats
      }
    }
  }

  addRefused(hospital: string, period: string): void {
    const k = `${hospital}${SEP}${period}`;
    const r = this.refused.get(k);
    if (r) r.n++;
    else this.refused.set(k, { hospital, period, n: 1 });
  }

  async apply(trx: Transaction<StoreDatabase>): Promise<void> {
    const sorted = <T>(m: Map<string, T>, keep: (v: T) => boolean): T[] =>
      [...m]
        .filter(([, v]) => keep(v))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, v]) => v);
    const lists = sorted(this.lists, (v) => v.n !== 0);
    for (const part of chunks(lists, FINDING_CHUNK)) {
      await trx
        .insertInto("settlement_list_count")
        .values(
          part.map(({ row, n }) => ({
            hospital_code: row.hospital_code,
            period: row.period,
            status: row.status,
            group_status: row.group_status,
            drg: row.drg,
            lists: n,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(["hospital_code", "period", "status", "group_status", "drg"])
            .doUpdateSet({ lists: sql`settlement_list_count.lists + excluded.lists` }),
        )
        .execute();
    }
    const findings = sorted(this.findings, (v) => v.findings !== 0 || v.lists !== 0);
    for (const part of chunks(findings, FINDING_CHUNK)) {
      await trx
        .insertInto("qc_finding_count")
        .values(
          part.map((e) => ({
            hospital_code: e.hospital,
            period: e.period,
            rule_id: e.f.ruleId,
            severity: e.f.severity,
            message_hash: createHash("md5").update(e.f.message, "utf8").digest("hex"),
            message: e.f.message,
            findings: e.findings,
            lists: e.lists,
          })),
        )
        .onConflict((oc) =>
          oc.columns(["hospital_code", "period", "rule_id", "severity", "message_hash"]).doUpdateSet({
            findings: sql`qc_finding_count.findings + excluded.findings`,
            lists: sql`qc_finding_count.lists + excluded.lists`,
          }),
        )
        .execute();
    }
    const refused = sorted(this.refused, () => true);
    if (refused.length > 0) {
      await trx
        .insertInto("refused_upload_count")
        .values(refused.map((r) => ({ hospital_code: r.hospital, period: r.period, uploads: r.n })))
        .onConflict((oc) =>
          oc
            .columns(["hospital_code", "period"])
            .doUpdateSet({ uploads: sql`refused_upload_count.uploads + excluded.uploads` }),
        )
        .execute();
    }
  }
}
