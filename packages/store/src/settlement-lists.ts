/**
 * Repository of settlement lists (医保结算清单): saving uploads with their QC findings and grouping
 * results, keeping every replaced version, and querying.
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
import { createHash } from "node:crypto";
import { escapeUnstorableText, hasUnstorableText } from "@yibao/settlement/text";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { isDatabaseUnavailable } from "./open.js";
import type {
  FindingSeverity,
  SettlementListColumns,
  SettlementListStatus,
  StoreDatabase,
  StoredGroupStatus,
  UploadTimeSource,
} from "./schema.js";

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

const SUMMARY_COLUMNS = [
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

const ALL_COLUMNS = [...SUMMARY_COLUMNS, "message"] as const;

/** Rows per multi-row INSERT (PostgreSQL allows 65,535 parameters per statement). */
const LIST_CHUNK = 500;
const FINDING_CHUNK = 2000;
const MAX_ATTEMPTS = 5;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The upload at an index of its batch (the rounds hold only indices of the batch). */
function uploadAt(uploads: readonly SettlementListUpload[], i: number): SettlementListUpload {
  const u = uploads[i];
  if (u === undefined) throw new RangeError(`上传批次中没有第 ${i} 份结算清单`);
  return u;
}

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
 * The key under which a message that `jsonb` cannot hold is kept as JSON text: one with U+0000 or an
 * unpaired surrogate in any string or field name (PostgreSQL refuses both), or nested deeper than
 * `MAX_STORED_DEPTH`. Such a message is stored as `{ escapedJson: "<the JSON text of the message,
 * U+0000 written as \u0000, a lone surrogate as \udXXX>", note: "…" }`; `JSON.parse(escapedJson)`
 * gives the message back exactly as received.
 */
export const ESCAPED_MESSAGE_KEY = "escapedJson";

/** Deepest JSON nesting stored as `jsonb` (PostgreSQL's parser recurses; deeper is kept as text). */
export const MAX_STORED_DEPTH = 256;

const ESCAPED_NOTE =
  "原始报文含数据库无法直接保存的内容（U+0000 空字符、不成对的代理项或嵌套过深），原文以 JSON 文本形式保存在 escapedJson 中";

/** `\u0000` or `\udXXX` written by JSON.stringify (an odd number of backslashes before the `u`). */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/** Deepest nesting of a JSON text (brackets outside strings). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** The JSON text to store for a message in a `jsonb` column: the message itself, or its escaped form. */
export function storableMessageJson(message: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch {
    text = undefined; // nested too deep for JSON.stringify itself
  }
  if (text === undefined) {
    return JSON.stringify({
      [ESCAPED_MESSAGE_KEY]: null,
      note: "原始报文无法序列化（嵌套过深），原文未保存",
    });
  }
  if ((text.includes("\\u") && UNSTORABLE_ESCAPE.test(text)) || jsonDepth(text) > MAX_STORED_DEPTH) {
    return JSON.stringify({ [ESCAPED_MESSAGE_KEY]: text, note: ESCAPED_NOTE });
  }
  return text;
}

function storableFinding(f: QcFinding): QcFinding {
  if (!hasUnstorableText(f.ruleId) && !hasUnstorableText(f.field) && !hasUnstorableText(f.message)) return f;
  return {
    ruleId: escapeUnstorableText(f.ruleId),
    severity: f.severity,
    field: escapeUnstorableText(f.field),
    message: escapeUnstorableText(f.message),
  };
}

/**
 * The upload with every text column and finding that holds U+0000 or an unpaired surrogate escaped
 * (`\u0000`): PostgreSQL cannot store them, and the driver would silently change a lone surrogate.
 * The intake refuses such lists (QC-FMT-008) and never sends such a setl_id; this is the last guard.
 */
function storableUpload(u: SettlementListUpload): SettlementListUpload {
  let list: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(u.list)) {
    if (k !== "message" && typeof v === "string" && hasUnstorableText(v)) {
      list ??= { ...u.list };
      list[k] = escapeUnstorableText(v);
    }
  }
  const findings = u.findings.map(storableFinding);
  const findingsChanged = findings.some((f, i) => f !== u.findings[i]);
  if (list === null && !findingsChanged) return u;
  return { ...u, list: (list ?? u.list) as SettlementListData, findings };
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

/** The part of a version that the summaries are keyed by. */
interface CountedList {
  readonly hospital_code: string;
  readonly period: string;
  readonly status: SettlementListStatus;
  readonly group_status: StoredGroupStatus;
  readonly drg: string;
}

type CountedFinding = Pick<QcFinding, "ruleId" | "severity" | "message">;

/** C-collation order (UTF-8 bytes), as `rebuildStoreSummaries` picks a rule's first message. */
function compareC(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const SEP = "\u0000";

/** The changes a batch makes to the summary tables, applied in one statement per table. */
class SummaryDeltas {
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

async function saveRound(
  trx: Transaction<StoreDatabase>,
  uploads: readonly SettlementListUpload[],
  round: readonly number[],
  outcomes: SaveOutcome[],
  deltas: SummaryDeltas,
) {
  const ids = round.map((i) => uploadAt(uploads, i).list.setl_id);
  const current = new Map<string, CountedList & { version: number }>();
  for (const part of chunks(ids, FINDING_CHUNK)) {
    const rows = await trx
      .selectFrom("settlement_list")
      .select(["setl_id", "status", "version", "hospital_code", "period", "group_status", "drg"])
      .where("setl_id", "in", part)
      .execute();
    for (const r of rows) current.set(r.setl_id, r);
  }
  const writes: { index: number; version: number; status: SettlementListStatus }[] = [];
  const replaced: string[] = [];
  /** The current rows of `replaced`, in the same order. */
  const replacedRows: CountedList[] = [];
  const refusedKept: { index: number; keptVersion: number }[] = [];
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
  // The versions being replaced leave the summaries with the findings they were counted with.
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
  const now = new Date();
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

/** Filters of the list query; every filter is optional. */
export interface SettlementListFilter {
  readonly hospital?: string;
  /** 结算期号 from (inclusive), yyyy-MM. */
  readonly periodFrom?: string;
  /** 结算期号 to (inclusive), yyyy-MM. */
  readonly periodTo?: string;
  readonly status?: SettlementListStatus;
  readonly drg?: string;
  readonly groupStatus?: StoredGroupStatus;
  /** Page size (default 50, at most 1,000). */
  readonly limit?: number;
  readonly offset?: number;
}

/** A list without its original message, as the list query returns it. */
export type SettlementListSummary = Omit<Selectable<SettlementListColumns>, "message">;

/** One version of a list with its original message. */
export type StoredSettlementList = Selectable<SettlementListColumns>;

/** The filters `countSettlementLists` answers from the list-count summary. */
export type CountableListFilter = Pick<
  SettlementListFilter,
  "hospital" | "periodFrom" | "periodTo" | "status" | "groupStatus" | "drg"
>;

/**
 * The number of lists in force matching the filter, from `settlement_list_count` (kept with every
 * upload) instead of counting the lists: a few rows per hospital and period.
 */
export async function countSettlementLists(
  db: Kysely<StoreDatabase>,
  filter: CountableListFilter = {},
): Promise<number> {
  let q = db.selectFrom("settlement_list_count");
  if (filter.hospital !== undefined) q = q.where("hospital_code", "=", filter.hospital);
  if (filter.periodFrom !== undefined) q = q.where("period", ">=", filter.periodFrom);
  if (filter.periodTo !== undefined) q = q.where("period", "<=", filter.periodTo);
  if (filter.status !== undefined) q = q.where("status", "=", filter.status);
  if (filter.groupStatus !== undefined) q = q.where("group_status", "=", filter.groupStatus);
  if (filter.drg !== undefined) q = q.where("drg", "=", filter.drg);
  const r = await q.select(sql<number>`coalesce(sum(lists), 0)::int8`.as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Lists matching the filter, newest upload first, with the total count for paging. */
export async function listSettlementLists(
  db: Kysely<StoreDatabase>,
  filter: SettlementListFilter = {},
): Promise<{ total: number; items: SettlementListSummary[] }> {
  let q = db.selectFrom("settlement_list");
  if (filter.hospital !== undefined) q = q.where("hospital_code", "=", filter.hospital);
  // One month as equality: the (period, received_at) index then yields the newest first.
  if (filter.periodFrom !== undefined && filter.periodFrom === filter.periodTo)
    q = q.where("period", "=", filter.periodFrom);
  else {
    if (filter.periodFrom !== undefined) q = q.where("period", ">=", filter.periodFrom);
    if (filter.periodTo !== undefined) q = q.where("period", "<=", filter.periodTo);
  }
  if (filter.status !== undefined) q = q.where("status", "=", filter.status);
  if (filter.drg !== undefined) q = q.where("drg", "=", filter.drg);
  if (filter.groupStatus !== undefined) q = q.where("group_status", "=", filter.groupStatus);
  const limit = Math.min(Math.max(filter.limit ?? 50, 0), 1000);
  const [count, items] = await Promise.all([
    countSettlementLists(db, filter).then((n) => ({ n })),
    q
      .select([...SUMMARY_COLUMNS])
      .orderBy("received_at", "desc")
      .orderBy("setl_id")
      .limit(limit)
      .offset(Math.max(filter.offset ?? 0, 0))
      .execute(),
  ]);
  return { total: Number(count.n), items };
}

/** A refused upload that left the accepted version in force. */
export interface RefusedUpload {
  readonly keptVersion: number;
  readonly receivedAt: Date;
  /** The time its upload deadline was checked against (null before it was kept). */
  readonly uploadedAt: Date | null;
  readonly uploadTimeSource: UploadTimeSource | null;
  readonly findings: readonly QcFinding[];
}

/** One list with everything known about it. */
export interface SettlementListDetail {
  readonly list: StoredSettlementList;
  readonly findings: QcFinding[];
  /** Earlier versions, newest first, each with its own findings. */
  readonly history: (StoredSettlementList & { replaced_at: Date; findings: QcFinding[] })[];
  readonly refusedUploads: RefusedUpload[];
}

function toFinding(r: {
  rule_id: string;
  severity: FindingSeverity;
  field: string;
  message: string;
}): QcFinding {
  return { ruleId: r.rule_id, severity: r.severity, field: r.field, message: r.message };
}

/** The current version of a list with its findings, history and refused uploads; undefined if unknown. */
export async function getSettlementList(
  db: Kysely<StoreDatabase>,
  setlId: string,
): Promise<SettlementListDetail | undefined> {
  const list = await db
    .selectFrom("settlement_list")
    .selectAll()
    .where("setl_id", "=", setlId)
    .executeTakeFirst();
  if (!list) return undefined;
  const [findings, history, refused] = await Promise.all([
    db
      .selectFrom("qc_finding")
      .select(["version", "rule_id", "severity", "field", "message"])
      .where("setl_id", "=", setlId)
      .orderBy("version")
      .orderBy("seq")
      .execute(),
    db
      .selectFrom("settlement_list_history")
      .selectAll()
      .where("setl_id", "=", setlId)
      .orderBy("version", "desc")
      .execute(),
    db
      .selectFrom("refused_upload")
      .select(["kept_version", "received_at", "uploaded_at", "upload_time_source", "findings"])
      .where("setl_id", "=", setlId)
      .orderBy("id")
      .execute(),
  ]);
  const byVersion = new Map<number, QcFinding[]>();
  for (const f of findings) {
    const arr = byVersion.get(f.version) ?? [];
    arr.push(toFinding(f));
    byVersion.set(f.version, arr);
  }
  return {
    list,
    findings: byVersion.get(list.version) ?? [],
    history: history.map((h) => ({ ...h, findings: byVersion.get(h.version) ?? [] })),
    refusedUploads: refused.map((r) => ({
      keptVersion: r.kept_version,
      receivedAt: r.received_at,
      uploadedAt: r.uploaded_at,
      uploadTimeSource: r.upload_time_source,
      findings: r.findings as QcFinding[],
    })),
  };
}
