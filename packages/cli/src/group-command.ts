/**
 * `yibao group`: groups a file of records (JSONL, CSV or Excel) into a file of results (JSONL, CSV or
 * Excel), streaming in constant memory and using every core through a worker pool.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchemeDir } from "@yibao/grouper/load";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { Piscina } from "piscina";
import {
  type Chunk,
  type ChunkResult,
  type GroupRunOptions,
  groupChunk,
  TABLE_COLUMNS,
  TABLE_HEADERS,
} from "./group-core.js";
import { type Progress, startProgress } from "./progress.js";
import { readCsvRecords, readExcelRecords } from "./tables.js";

export type FileFormat = "jsonl" | "csv" | "xlsx";

/** The format of a file, by its extension. */
export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
  if (ext === ".csv") return "csv";
  if (ext === ".xlsx") return "xlsx";
  throw new Error(`无法识别文件格式：${path}（支持 .jsonl、.csv、.xlsx）`);
}

export interface GroupFileOptions extends GroupRunOptions {
  readonly schemeDir: string;
  readonly input: string;
  readonly output: string;
  /** Worker threads; 0 groups on the main thread. */
  readonly threads: number;
  readonly progress: boolean;
}

export interface GroupFileSummary {
  readonly records: number;
  readonly errors: number;
  readonly seconds: number;
}

const CHUNK_BYTES = 256 * 1024;
const TABLE_CHUNK_ROWS = 2000;

/** Cuts a JSONL file into chunks at line boundaries, numbering lines from 1. */
async function* jsonlChunks(path: string, progress: Progress): AsyncGenerator<Chunk> {
  let carry = "";
  let nextLine = 1;
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: CHUNK_BYTES });
  for await (const piece of stream as AsyncIterable<string>) {
    progress.advanceBytes(Buffer.byteLength(piece));
    const text = carry + piece;
    const cut = text.lastIndexOf("\n");
    if (cut < 0) {
      carry = text;
      continue;
    }
    const body = text.slice(0, cut);
    carry = text.slice(cut + 1);
    yield { text: body, firstLine: nextLine };
    nextLine += countLines(body);
  }
  if (carry !== "") yield { text: carry, firstLine: nextLine };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Batches table rows into chunks of JSON lines with their own line numbers. */
async function* tableChunks(
  rows: AsyncGenerator<{ line: number; value: unknown }>,
  progress: Progress,
): AsyncGenerator<Chunk> {
  let texts: string[] = [];
  let lines: number[] = [];
  for await (const r of rows) {
    texts.push(JSON.stringify(r.value));
    lines.push(r.line);
    if (texts.length >= TABLE_CHUNK_ROWS) {
      progress.advanceRows(texts.length);
      yield { text: texts.join("\n"), firstLine: lines[0] as number, lineNumbers: lines };
      texts = [];
      lines = [];
    }
  }
  if (texts.length > 0) {
    progress.advanceRows(texts.length);
    yield { text: texts.join("\n"), firstLine: lines[0] as number, lineNumbers: lines };
  }
}

/** Where results go, in input order. */
interface ResultSink {
  write(result: ChunkResult): Promise<void>;
  close(): Promise<void>;
}

function fileSink(path: string, format: FileFormat): ResultSink {
  if (format === "xlsx") {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const ws = wb.addWorksheet("分组结果");
    ws.addRow(TABLE_COLUMNS.map((c) => TABLE_HEADERS[c])).commit();
    return {
      async write(r) {
        for (const cells of r.cells ?? []) ws.addRow(cells).commit();
      },
      async close() {
        ws.commit();
        await wb.commit();
      },
    };
  }
  const out = createWriteStream(path);
  const put = async (s: string) => {
    if (s !== "" && !out.write(s)) await once(out, "drain");
  };
  let header = format === "csv" ? `\uFEFF${stringify([TABLE_COLUMNS.map((c) => TABLE_HEADERS[c])])}` : "";
  return {
    async write(r) {
      const body = format === "jsonl" ? (r.jsonl ?? "") : stringify(r.cells ?? []);
      await put(header + body);
      header = "";
    },
    async close() {
      await put(header);
      out.end();
      await once(out, "finish");
    },
  };
}

/** Runs a grouping job from file to file. */
export async function groupFile(opts: GroupFileOptions): Promise<GroupFileSummary> {
  const started = performance.now();
  const inFormat = formatOf(opts.input);
  const outFormat = formatOf(opts.output);
  const as = outFormat === "jsonl" ? "jsonl" : "cells";
  const runOpts: GroupRunOptions = { explain: opts.explain, mapCodes: opts.mapCodes };
  const totalBytes = inFormat === "xlsx" ? null : statSync(opts.input).size;
  const progress = startProgress(opts.progress, totalBytes);
  const chunks =
    inFormat === "jsonl"
      ? jsonlChunks(opts.input, progress)
      : tableChunks(inFormat === "csv" ? readCsvRecords(opts.input) : readExcelRecords(opts.input), progress);
  const sink = fileSink(opts.output, outFormat);
  let records = 0;
  let errors = 0;
  const account = async (r: ChunkResult) => {
    records += r.records;
    errors += r.errors;
    progress.setRecords(records);
    await sink.write(r);
  };
  try {
    if (opts.threads <= 0) {
      const scheme = await loadSchemeDir(opts.schemeDir);
      for await (const chunk of chunks) await account(groupChunk(scheme, chunk, runOpts, as));
    } else {
      const pool = new Piscina({
        filename: fileURLToPath(new URL("./group-worker.js", import.meta.url)),
        minThreads: opts.threads,
        maxThreads: opts.threads,
        workerData: { ...runOpts, schemeDir: opts.schemeDir, as },
      });
      try {
        // Bounded look-ahead keeps memory constant; results are written strictly in input order.
        const inFlight: Promise<ChunkResult>[] = [];
        const maxInFlight = opts.threads * 3;
        for await (const chunk of chunks) {
          inFlight.push(pool.run(chunk) as Promise<ChunkResult>);
          if (inFlight.length >= maxInFlight) await account(await (inFlight.shift() as Promise<ChunkResult>));
        }
        while (inFlight.length > 0) await account(await (inFlight.shift() as Promise<ChunkResult>));
      } finally {
        await pool.destroy();
      }
    }
  } finally {
    await sink.close();
    progress.stop();
  }
  return { records, errors, seconds: (performance.now() - started) / 1000 };
}

export const defaultThreads = (): number => Math.max(1, availableParallelism());
