/**
 * Saving uploads of settlement lists with their QC findings.
 *
 * Concurrency: a batch runs in one transaction that first takes a transaction-scoped advisory lock
 * per setl_id (in a fixed order, so two batches never deadlock on them); every later statement of the
 * transaction therefore sees the latest committed version of its lists and no other writer can slip
 * in between reading the current version and moving it to history. Deadlocks and serialization
 * failures, should the server report one anyway, are retried.
 *
 * Summaries: the same transaction keeps `settlement_list_count`, `qc_finding_count` and
 * `refused_upload_count` (see `rebuildStoreSummaries`): the batch's changes are summed in memory (a
 * replaced version counts −1, its successor +1) and applied last, one `INSERT … ON CONFLICT DO UPDATE`
 * increment per table with the keys sorted, so concurrent batches touching the same counters wait for
 * each other only for the moment before commit and always lock them in the same order.
 */

import { type Kysely, sql, type Transaction } from "kysely";
import { archiveReplaced, type RefusedKept, recordRefusedKept } from "./list-history.js";
import { ALL_COLUMNS, chunks, FINDING_CHUNK, LIST_CHUNK, MAX_ATTEMPTS, uploadAt } from "./list-rows.js";
import { storableMessageJson, storableUpload } from "./list-storable.js";
import { type CountedFinding, type CountedList, SummaryDeltas } from "./list-summaries.js";
import { isDatabaseUnavailable } from "./open.js";
import type { SettlementListStatus, StoreDatabase } from "./schema.js";
import type { SaveOutcome, SettlementListUpload, UploadJournal } from "./settlement-lists.js";

/** Splits a batch into rounds in which every setl_id occurs at most once, keeping upload order. */
function rounds(uploads: readonly SettlementListUpload[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>();
  uploads.forEach((u, i) => {
    const n = seen.get(u.list.setl_id) ?? 0;
    seen.set(u.list.setl_id, n + 1);
    const round = out[n];
    if (round === undefined) out[n] = [i];
    else round.push(i);
  });
  return out;
}

function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

/** Pause before the next attempt: short for a lock conflict, growing for a lost connection. */
function retryDelay(e: unknown, attempt: number): number | null {
  if (isRetryable(e)) return 5 * attempt + Math.random() * 10;
  // A connection lost mid-transaction (backend terminated, restart, failover) rolled the transaction
  // back, unless it was lost while COMMIT was on its way: then the retry stores the same upload once
  // more as a new version, with the first in history; nothing is lost either way.
  if (isDatabaseUnavailable(e)) return 150 * attempt + Math.random() * 50;
  return null;
}

/**
 * Saves a batch of uploads in one transaction and returns one outcome per upload, in order. A setl_id
 * that occurs several times in the batch is applied in batch order (the last upload wins, the earlier
 * ones go to history). Either the whole batch is stored or, on a database error, none of it.
 */
export async function saveSettlementLists(
  db: Kysely<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
): Promise<SaveOutcome[]> {
  if (uploads.length === 0) return [];
  const storable = uploads.map(storableUpload);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => saveInTransaction(trx, storable));
    } catch (e) {
      const delay = attempt >= MAX_ATTEMPTS ? null : retryDelay(e, attempt);
      if (delay === null) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function saveInTransaction(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
): Promise<SaveOutcome[]> {
  const ids = [...new Set(uploads.map((u) => u.list.setl_id))];
  await sql`SELECT pg_advisory_xact_lock(h) FROM (
      SELECT DISTINCT hashtextextended(id, 7301) AS h FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) AS id
      ORDER BY h
    ) AS locks`.execute(trx);
  await recordHospitals(trx, uploads);
  const outcomes: SaveOutcome[] = new Array(uploads.length);
  const deltas = new SummaryDeltas();
  for (const round of rounds(uploads)) await saveRound(trx, uploads, round, outcomes, deltas);
  await deltas.apply(trx);
  const journals = new Map<UploadJournal, SaveOutcome[]>();
  uploads.forEach((u, i) => {
    if (!u.journal) return;
    const list = journals.get(u.journal);
    if (list) list.push(outcomes[i] as SaveOutcome);
    else journals.set(u.journal, [outcomes[i] as SaveOutcome]);
  });
  for (const [journal, committed] of journals) await journal.write(trx, committed);
  return outcomes;
}
async function recordHospitals(trx: Transaction<StoreDatabase>, uploads: readonly SettlementListUpload[]) {
  const names = new Map<string, string>();
  for (const u of uploads) names.set(u.list.hospital_code, u.list.hospital_name);
  const now = new Date();
  const rows = [...names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, name]) => ({ code, name }));
  await trx
    .insertInto("hospital")
    .values(rows.map((r) => ({ ...r, level: null, first_seen_at: now, updated_at: now })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
  // Rename only when the name changed: an UPDATE whose WHERE fails takes no row lock, so concurrent
  // batches from one hospital do not queue behind each other here.
  await sql`UPDATE hospital AS h SET name = v.name, updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(code text, name text)
    WHERE h.code = v.code AND h.name <> v.name`.execute(trx);
}
/** A new version of a list written by a round. */
interface VersionWrite {
  index: number;
  version: number;
  status: SettlementListStatus;
}

/** What a round does with its uploads. */
interface RoundPlan {
  readonly writes: VersionWrite[];
  readonly replaced: string[];
  /** The current rows of `replaced`, in the same order. */
  readonly replacedRows: CountedList[];
  readonly refusedKept: RefusedKept[];
}

async function saveRound(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
  round: readonly number[],
  outcomes: SaveOutcome[],
  deltas: SummaryDeltas,
) {
  const ids = round.map((i) => uploadAt(uploads, i).list.setl_id);
  const current = await currentVersions(trx, ids);
  const { writes, replaced, replacedRows, refusedKept } = planRound(uploads, round, current, outcomes);
  // The versions being replaced leave the summaries with the findings they were counted with.
  const oldFindings = await replacedFindings(trx, replaced);
  replaced.forEach((id, k) => {
    const cur = replacedRows[k];
    if (cur !== undefined) deltas.add(cur, oldFindings.get(id) ?? [], -1);
  });
  for (const w of writes) {
    const u = uploadAt(uploads, w.index);
    deltas.add({ ...u.list, status: w.status }, u.findings, 1);
  }
  for (const { index } of refusedKept) {
    const u = uploadAt(uploads, index);
    deltas.addRefused(u.list.hospital_code, u.list.period);
  }
  await archiveReplaced(trx, replaced);
  const now = new Date();
  await writeVersions(trx, uploads, writes, now);
  await writeFindings(trx, uploads, writes);
  await recordRefusedKept(trx, uploads, refusedKept, now);
}

/** The current version of each of the setl_ids that has one. */
async function currentVersions(
  trx: Transaction<StoreDatabase>,
  ids: readonly string[],
): Promise<Map<string, CountedList & { version: number }>> {
  const current = new Map<string, CountedList & { version: number }>();
  for (const part of chunks(ids, FINDING_CHUNK)) {
    const rows = await trx
      .selectFrom("settlement_list")
      .select(["setl_id", "status", "version", "hospital_code", "period", "group_status", "drg"])
      .where("setl_id", "in", part)
      .execute();
    for (const r of rows) current.set(r.setl_id, r);
  }
  return current;
}

/**
 * Decides every upload of a round (a new list, a new version replacing the current one, a refusal
 * that keeps the accepted version, or another institution's setl_id) and records its outcome.
 */
function planRound(
  uploads: readonly SettlementListUpload[],
  round: readonly number[],
  current: ReadonlyMap<string, CountedList & { version: number }>,
  outcomes: SaveOutcome[],
): RoundPlan {
  const writes: VersionWrite[] = [];
  const replaced: string[] = [];
  /** The current rows of `replaced`, in the same order. */
  const replacedRows: CountedList[] = [];
  const refusedKept: RefusedKept[] = [];
  for (const i of round) {
    const u = uploadAt(uploads, i);
    const status: SettlementListStatus = u.findings.some((f) => f.severity === "error")
      ? "refused"
      : "accepted";
    const cur = current.get(u.list.setl_id);
    if (cur && cur.hospital_code !== u.list.hospital_code) {
      outcomes[i] = { setlId: u.list.setl_id, outcome: "refused_foreign", status: "refused", version: 0 };
    } else if (!cur) {
      writes.push({ index: i, version: 1, status });
      outcomes[i] = { setlId: u.list.setl_id, outcome: "inserted", status, version: 1 };
    } else if (status === "accepted" || cur.status === "refused") {
      writes.push({ index: i, version: cur.version + 1, status });
      replaced.push(u.list.setl_id);
      replacedRows.push(cur);
      outcomes[i] = { setlId: u.list.setl_id, outcome: "replaced", status, version: cur.version + 1 };
    } else {
      refusedKept.push({ index: i, keptVersion: cur.version });
      outcomes[i] = {
        setlId: u.list.setl_id,
        outcome: "refused_kept",
        status: "refused",
        version: cur.version,
      };
    }
  }
  return { writes, replaced, replacedRows, refusedKept };
}

/** The findings the replaced versions were counted with. */
async function replacedFindings(
  trx: Transaction<StoreDatabase>,
  replaced: readonly string[],
): Promise<Map<string, CountedFinding[]>> {
  const oldFindings = new Map<string, CountedFinding[]>();
  for (const part of chunks(replaced, FINDING_CHUNK)) {
    const rows = await trx
      .selectFrom("qc_finding as f")
      .innerJoin("settlement_list as s", (j) =>
        j.onRef("s.setl_id", "=", "f.setl_id").onRef("s.version", "=", "f.version"),
      )
      .select(["f.setl_id", "f.rule_id", "f.severity", "f.message"])
      .where("s.setl_id", "in", part)
      .execute();
    for (const r of rows) {
      const arr = oldFindings.get(r.setl_id) ?? [];
      arr.push({ ruleId: r.rule_id, severity: r.severity, message: r.message });
      oldFindings.set(r.setl_id, arr);
    }
  }
  return oldFindings;
}

/** Writes the new versions (insert or replace), refusing a setl_id that belongs to another institution. */
async function writeVersions(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
  writes: readonly VersionWrite[],
  now: Date,
): Promise<void> {
  for (const part of chunks(writes, LIST_CHUNK)) {
    const rows = part.map((w) => {
      const u = uploadAt(uploads, w.index);
      const { message, ...summary } = u.list;
      return {
        ...summary,
        message: storableMessageJson(message),
        status: w.status,
        error_count: u.findings.filter((f) => f.severity === "error").length,
        warning_count: u.findings.filter((f) => f.severity === "warning").length,
        received_at: u.receivedAt ?? now,
        uploaded_at: u.originalUpload?.at ?? u.receivedAt ?? now,
        upload_time_source: u.originalUpload?.source ?? ("received" as const),
        version: w.version,
      };
    });
    // The owner check above runs under the setl_id's lock; the WHERE repeats it in the statement that
    // writes, so that no path can replace another institution's list.
    const written = await trx
      .insertInto("settlement_list")
      .values(rows)
      .onConflict((oc) =>
        oc
          .column("setl_id")
          .doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const c of ALL_COLUMNS) if (c !== "setl_id") set[c] = eb.ref(`excluded.${c}`);
            return set as never;
          })
          .where(sql<boolean>`settlement_list.hospital_code = excluded.hospital_code`),
      )
      .returning("setl_id")
      .execute();
    if (written.length !== rows.length) {
      throw new Error(`结算清单写入时发现 ${rows.length - written.length} 份的结算ID已属于其他机构`);
    }
  }
}

/** Writes the QC findings of the new versions. */
async function writeFindings(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
  writes: readonly VersionWrite[],
): Promise<void> {
  const findingRows = writes.flatMap((w) => {
    const u = uploadAt(uploads, w.index);
    return u.findings.map((f, seq) => ({
      setl_id: u.list.setl_id,
      version: w.version,
      seq,
      rule_id: f.ruleId,
      severity: f.severity,
      field: f.field,
      message: f.message,
    }));
  });
  for (const part of chunks(findingRows, FINDING_CHUNK)) {
    await trx.insertInto("qc_finding").values(part).execute();
  }
}
