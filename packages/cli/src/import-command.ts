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
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { loadSchemeDir } from "@yibao/grouper/load";
import { createListPreparer, type PreparedList } from "@yibao/server";
import { type OpenStoreOptions, openStore, type SettlementListUpload } from "@yibao/store";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { formatOf } from "./group-command.js";
import { startProgress } from "./progress.js";

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
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, skip_empty_lines: true }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    const { infno, ...cols } = item.record;
    const setlinfo: Record<string, string> = {};
    const input: Record<string, unknown> = { setlinfo };
    let error: string | undefined;
    for (const [k, v] of Object.entries(cols)) {
      if ((LIST_SHEETS as readonly string[]).includes(k)) {
        try {
          input[k] = v.trim() === "" ? [] : JSON.parse(v);
        } catch {
          error = `第 ${item.info.lines} 行：列 ${k} 不是合法的 JSON 数组`;
        }
      } else if (v !== "") setlinfo[k] = v;
    }
    yield error
      ? { line: item.info.lines, envelope: null, error }
      : { line: item.info.lines, envelope: { infno: infno || "4101", input } };
  }
}

function cellValue(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 19).replace("T", " ");
  if (typeof v === "object") {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join("");
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
  }
  return String(v);
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
    const { infno, ...setlinfo } = row;
    const input: Record<string, unknown> = { setlinfo };
    for (const name of LIST_SHEETS) input[name] = children.get(name)?.get(setlinfo.setl_id ?? "") ?? [];
    yield { line, envelope: { infno: infno || "4101", input } };
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
  readonly outcome: "inserted" | "replaced" | "refused" | "refused_kept" | "invalid";
  readonly drg: string | null;
  readonly findings: string;
}

export interface ImportOptions {
  readonly input: string;
  readonly schemeDir: string;
  readonly store: OpenStoreOptions;
  readonly report?: string;
  readonly progress: boolean;
  readonly batchSize?: number;
}

export interface ImportSummary {
  readonly read: number;
  readonly inserted: number;
  readonly replaced: number;
  readonly refused: number;
  readonly invalid: number;
  readonly seconds: number;
}

/** Imports every list of a file; returns the counts. */
export async function importLists(opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const scheme = await loadSchemeDir(opts.schemeDir);
  const prepare = createListPreparer(scheme);
  const store = await openStore(opts.store);
  const report: ImportRow[] = [];
  const counts = { read: 0, inserted: 0, replaced: 0, refused: 0, invalid: 0 };
  const fmt = formatOf(opts.input);
  const progress = startProgress(opts.progress, fmt === "xlsx" ? null : statSync(opts.input).size, "导入");
  const batchSize = opts.batchSize ?? 500;
  let batch: { src: SourceEnvelope; prepared: PreparedList }[] = [];
  const flush = async () => {
    const uploads = batch.filter((b) => b.prepared.upload !== null);
    const outcomes = await store.saveSettlementLists(
      uploads.map((b) => b.prepared.upload as SettlementListUpload),
    );
    const bySource = new Map(uploads.map((b, i) => [b, outcomes[i]]));
    for (const b of batch) {
      const o = bySource.get(b);
      const findings = b.prepared.findings.map((f) => `${f.ruleId} ${f.field}: ${f.message}`).join("；");
      let outcome: ImportRow["outcome"];
      if (!o) outcome = "invalid";
      else if (o.outcome === "refused_kept") outcome = "refused_kept";
      else if (o.status !== "accepted" || o.outcome === "refused_foreign") outcome = "refused";
      else outcome = o.outcome;
      if (outcome === "inserted") counts.inserted++;
      else if (outcome === "replaced") counts.replaced++;
      else if (outcome === "invalid") counts.invalid++;
      else counts.refused++;
      if (opts.report) {
        report.push({
          line: b.src.line,
          setlId: b.prepared.setlId,
          outcome,
          drg: b.prepared.group?.drg ?? null,
          findings,
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
      const prepared: PreparedList = src.error
        ? {
            setlId: null,
            findings: [{ ruleId: "IMPORT-FMT", severity: "error", field: "$", message: src.error }],
            group: null,
            upload: null,
            envelopeInvalid: true,
          }
        : prepare(src.envelope, new Date());
      batch.push({ src, prepared });
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    progress.stop();
    await store.close();
  }
  if (opts.report) await writeReport(opts.report, report);
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}

const REPORT_HEADERS = ["行号", "结算ID", "结果", "DRG", "质控发现"];
const OUTCOME_LABEL: Record<ImportRow["outcome"], string> = {
  inserted: "已接收",
  replaced: "已接收（替换旧版本）",
  refused: "已拒收",
  refused_kept: "已拒收（保留原已接收版本）",
  invalid: "无法识别",
};

async function writeReport(path: string, rows: readonly ImportRow[]): Promise<void> {
  const f = formatOf(path);
  const cells = rows.map((r) => [r.line, r.setlId ?? "", OUTCOME_LABEL[r.outcome], r.drg ?? "", r.findings]);
  if (f === "xlsx") {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("导入结果");
    ws.addRow(REPORT_HEADERS);
    ws.addRows(cells);
    await wb.xlsx.writeFile(path);
    return;
  }
  const out = createWriteStream(path);
  out.write(
    f === "csv"
      ? `\uFEFF${stringify([REPORT_HEADERS, ...cells])}`
      : rows.map((r) => `${JSON.stringify(r)}\n`).join(""),
  );
  out.end();
  await once(out, "finish");
}
