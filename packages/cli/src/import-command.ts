/**
 * `yibao import`: batch import of settlement lists (结算清单批量导入) into the store, through the same
 * parse → QC → group step as the HTTP intake, with a progress bar and a per-list report.
 *
 * Input formats:
 * - JSONL: one 4101/4101A envelope `{"infno","input":{…}}` per line;
 * - CSV: one list per row; the `setlinfo` fields as columns, and the lists (`diseinfo`, `oprninfo`,
 *   `iteminfo`, `payinfo`, `icuinfo`, `bldinfo`, `opspdiseinfo`) as JSON arrays in columns of those
 *   names; an optional `infno` column (default 4101);
 * - Excel: a `setlinfo` sheet (one row per list) and one sheet per list type (`diseinfo`, `oprninfo`,
 *   …) whose rows carry the `setl_id` of the list they belong to, in order.
 *
 * A column `uploaded_at` (or `上传时间`) of a CSV row or of the `setlinfo` sheet is not a 4101 field: it
 * becomes the envelope's top-level `uploaded_at`, as a JSONL line carries it, the original upload time
 * that `--history` reads (历史清单导入, see `@yibao/server`'s `history-import.ts`). Without `--history`
 * the deadline is checked against the current time, as for every ordinary upload.
 */

import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { basename } from "node:path";
import { loadSchemeDir } from "@yibao/grouper/load";
import { shanghaiDateTime } from "@yibao/kernel/calendar";
import {
  countSources,
  createListPreparer,
  createQcEditionBook,
  excelCellText,
  historyEnvelope,
  type IdentityDb,
  type IdentityTables,
  identityDb,
  type PreparedList,
  parseUploadTime,
  recordOperation,
  type SessionUser,
  statedUploadTimeProblem,
  UPLOAD_TIME_FIELD,
  UPLOAD_TIME_HEADER,
} from "@yibao/server";
import {
  type AsTables,
  type OpenStoreOptions,
  type OriginalUpload,
  openStore,
  type SaveOutcome,
  type SettlementListUpload,
  type UploadJournal,
} from "@yibao/store";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { formatOf } from "./group-command.js";
import { startProgress } from "./progress.js";
import { openRegionPack } from "./region.js";
import { csvRows } from "./tables.js";

const LIST_SHEETS = [
  "payinfo",
  "opspdiseinfo",
  "diseinfo",
  "iteminfo",
  "oprninfo",
  "icuinfo",
  "bldinfo",
] as const;

/** One envelope read from the input, with where it came from. */
export interface SourceEnvelope {
  readonly line: number;
  readonly envelope: unknown;
  readonly error?: string;
}

async function* jsonlEnvelopes(path: string): AsyncGenerator<SourceEnvelope> {
  let carry = "";
  let line = 0;
  for await (const piece of createReadStream(path, { encoding: "utf8" }) as AsyncIterable<string>) {
    const parts = (carry + piece).split("\n");
    carry = parts.pop() ?? "";
    for (const text of parts) {
      line++;
      if (text.trim() !== "") yield parseLine(text, line);
    }
  }
  if (carry.trim() !== "") yield parseLine(carry, line + 1);
}

function parseLine(text: string, line: number): SourceEnvelope {
  try {
    return { line, envelope: JSON.parse(text) };
  } catch (e) {
    return { line, envelope: null, error: `第 ${line} 行：不是合法的 JSON（${(e as Error).message}）` };
  }
}

async function* csvEnvelopes(path: string): AsyncGenerator<SourceEnvelope> {
  for await (const item of csvRows(path)) {
    const { infno, [UPLOAD_TIME_FIELD]: at, [UPLOAD_TIME_HEADER]: atZh, ...cols } = item.row;
    const uploadedAt = at || atZh;
    const setlinfo: Record<string, string> = {};
    const input: Record<string, unknown> = { setlinfo };
    let error: string | undefined;
    for (const [k, v] of Object.entries(cols)) {
      if ((LIST_SHEETS as readonly string[]).includes(k)) {
        try {
          input[k] = v.trim() === "" ? [] : JSON.parse(v);
        } catch {
          error = `第 ${item.line} 行：列 ${k} 不是合法的 JSON 数组`;
        }
      } else if (v !== "") setlinfo[k] = v;
    }
    yield error
      ? { line: item.line, envelope: null, error }
      : {
          line: item.line,
          envelope: {
            infno: infno || "4101",
            input,
            ...(uploadedAt ? { [UPLOAD_TIME_FIELD]: uploadedAt } : {}),
          },
        };
  }
}

function cellValue(v: ExcelJS.CellValue): string {
  return excelCellText(v, "dateTime");
}

function sheetRows(ws: ExcelJS.Worksheet): { line: number; row: Record<string, string> }[] {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => cellValue(v).trim());
  const out: { line: number; row: Record<string, string> }[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const values = (r.values as ExcelJS.CellValue[]).slice(1);
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      const v = cellValue(values[i] ?? null);
      if (h !== "" && v !== "") row[h] = v;
    });
    if (Object.keys(row).length > 0) out.push({ line: n, row });
  });
  return out;
}

async function* excelEnvelopes(path: string): AsyncGenerator<SourceEnvelope> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const main = wb.getWorksheet("setlinfo");
  if (!main) {
    yield { line: 0, envelope: null, error: "Excel 文件缺少 setlinfo 工作表" };
    return;
  }
  const children = new Map<string, Map<string, Record<string, string>[]>>();
  for (const name of LIST_SHEETS) {
    const ws = wb.getWorksheet(name);
    const bySetl = new Map<string, Record<string, string>[]>();
    if (ws) {
      for (const { row } of sheetRows(ws)) {
        const { setl_id, ...rest } = row;
        const key = setl_id ?? "";
        bySetl.set(key, [...(bySetl.get(key) ?? []), rest]);
      }
    }
    children.set(name, bySetl);
  }
  for (const { line, row } of sheetRows(main)) {
    const { infno, [UPLOAD_TIME_FIELD]: at, [UPLOAD_TIME_HEADER]: atZh, ...setlinfo } = row;
    const uploadedAt = at || atZh;
    const input: Record<string, unknown> = { setlinfo };
    for (const name of LIST_SHEETS) input[name] = children.get(name)?.get(setlinfo.setl_id ?? "") ?? [];
    yield {
      line,
      envelope: { infno: infno || "4101", input, ...(uploadedAt ? { [UPLOAD_TIME_FIELD]: uploadedAt } : {}) },
    };
  }
}

/** The envelopes of an input file, by its extension. */
export function readEnvelopes(path: string): AsyncGenerator<SourceEnvelope> {
  const f = formatOf(path);
  return f === "jsonl" ? jsonlEnvelopes(path) : f === "csv" ? csvEnvelopes(path) : excelEnvelopes(path);
}

/** The outcome of one list in the import report. */
export interface ImportRow {
  readonly line: number;
  readonly setlId: string | null;
  readonly outcome: "inserted" | "replaced" | "refused" | "refused_kept" | "invalid" | "upload_time";
  readonly drg: string | null;
  readonly findings: string;
  /** History import: the original upload time the deadline was checked against, Beijing time. */
  readonly uploadedAt?: string;
  /** History import: `file` (the record's own) or `stated` (`--uploaded-at`). */
  readonly uploadTimeSource?: OriginalUpload["source"];
}

/** 历史清单导入: the deadline is checked against each list's original upload time. */
export interface HistoryImportOptions {
  /** The bureau account the import is done by (written to the operation log). */
  readonly operator: string;
  /** The original upload time of the records without their own (`--uploaded-at`). */
  readonly uploadedAt?: string;
}

export interface ImportOptions {
  readonly input: string;
  readonly schemeDir: string;
  readonly store: OpenStoreOptions;
  readonly report?: string;
  readonly progress: boolean;
  readonly batchSize?: number;
  /** A history import (`--history`). */
  readonly history?: HistoryImportOptions;
  /** The region pack's directory: each list is checked by its QC rule edition in force. */
  readonly region?: string;
}

export interface ImportSummary {
  readonly read: number;
  readonly inserted: number;
  readonly replaced: number;
  readonly refused: number;
  readonly invalid: number;
  /** History import: records refused for their original upload time (HIST-TIME-*), not stored. */
  readonly uploadTime: number;
  readonly seconds: number;
  /** History import: how many lists took their upload time from where. */
  readonly uploadTimeSources?: Record<string, number>;
}

/** A refusal of the import as a whole (bad option, unknown operator): nothing is read or stored. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportRefused";
  }
}

/** The bureau account a history import is logged under; refuses anyone else. */
async function historyOperator(db: IdentityDb, username: string): Promise<SessionUser> {
  const u = await db
    .selectFrom("console_user")
    .select(["id", "username", "display_name", "role", "hospital_code", "disabled"])
    .where("username", "=", username)
    .executeTakeFirst();
  if (!u) throw new ImportRefused(`操作人账号不存在：${username}（--operator 应为医保局账号的用户名）`);
  if (u.role !== "bureau")
    throw new ImportRefused(`历史清单导入只能由医保局账号进行：${username} 不是医保局账号`);
  if (u.disabled) throw new ImportRefused(`操作人账号已停用：${username}`);
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    hospitalCode: u.hospital_code,
  };
}

/** One list of the file on its way to the store: what was read, what intake made of it. */
interface BatchEntry {
  readonly src: SourceEnvelope;
  readonly prepared: PreparedList;
  readonly original?: OriginalUpload;
  readonly timeRefused?: true;
}

/**
 * The operation-log row of each batch of a history import, written in the batch's own transaction
 * (no list without its row); undefined for an ordinary import.
 */
function historyJournal(operator: SessionUser | undefined, input: string, runId: string) {
  return (batchSources: readonly (OriginalUpload | undefined)[]): UploadJournal | undefined =>
    operator === undefined
      ? undefined
      : {
          async write(trx, outcomes) {
            // The batch's transaction typed with the identity tables too (Kysely's withTables: no cast).
            await recordOperation(trx.withTables<AsTables<IdentityTables>>(), {
              user: operator,
              action: "历史清单导入",
              target: `yibao import --history ${basename(input)}`,
              detail: {
                historyImport: true,
                via: "cli",
                runId,
                committed: outcomes.length,
                setlIds: outcomes.slice(0, 50).map((o) => o.setlId),
                outcomes: countBy(outcomes.map((o) => o.outcome)),
                uploadTimeSources: countSources(batchSources),
              },
              statusCode: null,
              ip: "",
            });
          },
        };
}

/** What became of a list: stored (inserted or replaced), refused, unreadable, or refused for its upload time. */
function importOutcome(b: BatchEntry, o: SaveOutcome | undefined): ImportRow["outcome"] {
  if (!o) return b.timeRefused ? "upload_time" : "invalid";
  if (o.outcome === "refused_kept") return "refused_kept";
  if (o.status !== "accepted" || o.outcome === "refused_foreign") return "refused";
  return o.outcome;
}

/** A list read from the file, prepared by intake (a history list after its original upload time is checked). */
function prepareEntry(
  src: SourceEnvelope,
  prepare: ReturnType<typeof createListPreparer>,
  history: { stated: StatedUploadTime | undefined; sources: (OriginalUpload | undefined)[] } | undefined,
): BatchEntry {
  if (src.error) {
    const finding = { ruleId: "IMPORT-FMT", severity: "error" as const, field: "$", message: src.error };
    return {
      src,
      prepared: { setlId: null, findings: [finding], group: null, upload: null, envelopeInvalid: true },
    };
  }
  if (!history) return { src, prepared: prepare(src.envelope, new Date()) };
  const he = historyEnvelope(src.envelope, history.stated, new Date());
  if (he.problem) {
    const p = he.problem;
    return {
      src,
      prepared: {
        setlId: p.setlId ?? null,
        findings: [p],
        group: null,
        upload: null,
        envelopeInvalid: false,
      },
      timeRefused: true,
    };
  }
  history.sources.push(he.upload);
  return {
    src,
    prepared: prepare(he.envelope, new Date(), he.upload),
    ...(he.upload ? { original: he.upload } : {}),
  };
}

type StatedUploadTime = { at: Date; text: string; field: string };

/** Imports every list of a file; returns the counts. */
export async function importLists(opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const region = opts.region ? await openRegionPack(opts.region) : undefined;
  if (region && region.problems.length > 0) {
    throw new ImportRefused(`地区配置有误：${region.problems.join("；")}`);
  }
  const schemes = region?.calendar ?? (await loadSchemeDir(opts.schemeDir));
  const started_at = new Date();
  const h = opts.history;
  let stated: StatedUploadTime | undefined;
  if (h?.uploadedAt !== undefined) {
    const problem = statedUploadTimeProblem(h.uploadedAt, "--uploaded-at", started_at);
    if (problem) throw new ImportRefused(problem);
    stated = { at: parseUploadTime(h.uploadedAt) as Date, text: h.uploadedAt, field: "--uploaded-at" };
  }
  const store = await openStore(opts.store);
  let operator: SessionUser | undefined;
  // The QC editions the server checks by: the pack's (or built-in) and those the bureau published.
  const qc = createQcEditionBook(store.db, region?.qc);
  // A pack with schemes.json groups each list by the scheme in force on its date.
  const prepare = createListPreparer(schemes, () => qc.rules);
  try {
    await qc.load();
    if (h) operator = await historyOperator(identityDb(store), h.operator);
  } catch (e) {
    await store.close();
    throw e;
  }
  const runId = randomUUID();
  const sources: (OriginalUpload | undefined)[] = [];
  const journal = historyJournal(operator, opts.input, runId);
  const report: ImportRow[] = [];
  const counts = { read: 0, inserted: 0, replaced: 0, refused: 0, invalid: 0, uploadTime: 0 };
  const fmt = formatOf(opts.input);
  const progress = startProgress(opts.progress, fmt === "xlsx" ? null : statSync(opts.input).size, "导入");
  const batchSize = opts.batchSize ?? 500;
  let batch: BatchEntry[] = [];
  const flush = async () => {
    const uploads = batch.filter((b) => b.prepared.upload !== null);
    const j = journal(uploads.map((b) => b.original));
    const outcomes = await store.saveSettlementLists(
      uploads.map((b) => {
        const u = b.prepared.upload as SettlementListUpload;
        return j ? { ...u, journal: j } : u;
      }),
    );
    const bySource = new Map(uploads.map((b, i) => [b, outcomes[i]]));
    for (const b of batch) {
      const o = bySource.get(b);
      const findings = b.prepared.findings.map((f) => `${f.ruleId} ${f.field}: ${f.message}`).join("；");
      const outcome = importOutcome(b, o);
      if (outcome === "inserted") counts.inserted++;
      else if (outcome === "replaced") counts.replaced++;
      else if (outcome === "invalid") counts.invalid++;
      else if (outcome === "upload_time") counts.uploadTime++;
      else counts.refused++;
      if (opts.report) {
        report.push({
          line: b.src.line,
          setlId: b.prepared.setlId,
          outcome,
          drg: b.prepared.group?.drg ?? null,
          findings,
          ...(b.original
            ? {
                uploadedAt: shanghaiDateTime(b.original.at).replace("T", " "),
                uploadTimeSource: b.original.source,
              }
            : {}),
        });
      }
    }
    progress.setRecords(counts.read);
    batch = [];
  };
  try {
    for await (const src of readEnvelopes(opts.input)) {
      counts.read++;
      if (fmt !== "xlsx") {
        const size = Buffer.byteLength(JSON.stringify(src.envelope ?? ""));
        progress.advanceBytes(size);
      } else progress.advanceRows(1);
      batch.push(prepareEntry(src, prepare, h ? { stated, sources } : undefined));
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    if (operator !== undefined) {
      // The summary of the whole run; each batch's own row was written with its lists.
      await recordOperation(identityDb(store), {
        user: operator,
        action: "历史清单导入",
        target: `yibao import --history ${basename(opts.input)}`,
        detail: {
          historyImport: true,
          via: "cli",
          runId,
          summary: true,
          input: opts.input,
          lists: counts.read,
          ...counts,
          uploadTimeSources: countSources(sources),
          ...(stated ? { statedUploadedAt: stated.text } : {}),
          startedAt: started_at.toISOString(),
        },
        statusCode: null,
        ip: "",
      });
    }
  } finally {
    progress.stop();
    await store.close();
  }
  if (opts.report) await writeReport(opts.report, report, h !== undefined);
  return {
    ...counts,
    seconds: (performance.now() - started) / 1000,
    ...(h ? { uploadTimeSources: countSources(sources) } : {}),
  };
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

const REPORT_HEADERS = ["行号", "结算ID", "结果", "DRG", "质控发现"];
const HISTORY_HEADERS = ["原始上传时间", "上传时间来源"];
const SOURCE_LABEL: Record<OriginalUpload["source"], string> = {
  file: "文件中的上传时间",
  stated: "指定的上传日期（--uploaded-at）",
};
const OUTCOME_LABEL: Record<ImportRow["outcome"], string> = {
  inserted: "已接收",
  replaced: "已接收（替换旧版本）",
  refused: "已拒收",
  refused_kept: "已拒收（保留原已接收版本）",
  invalid: "无法识别",
  upload_time: "原始上传时间不合规，未导入",
};

async function writeReport(path: string, rows: readonly ImportRow[], history: boolean): Promise<void> {
  const f = formatOf(path);
  const headers = history ? [...REPORT_HEADERS, ...HISTORY_HEADERS] : REPORT_HEADERS;
  const cells = rows.map((r) => [
    r.line,
    r.setlId ?? "",
    OUTCOME_LABEL[r.outcome],
    r.drg ?? "",
    r.findings,
    ...(history ? [r.uploadedAt ?? "", r.uploadTimeSource ? SOURCE_LABEL[r.uploadTimeSource] : ""] : []),
  ]);
  if (f === "xlsx") {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("导入结果");
    ws.addRow(headers);
    ws.addRows(cells);
    await wb.xlsx.writeFile(path);
    return;
  }
  const out = createWriteStream(path);
  out.write(
    f === "csv"
      ? `\uFEFF${stringify([headers, ...cells])}`
      : rows.map((r) => `${JSON.stringify(r)}\n`).join(""),
  );
  out.end();
  await once(out, "finish");
}
