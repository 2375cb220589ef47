/**
 * `yibao group`: groups a file of records (JSONL, CSV or Excel) into a file of results (JSONL, CSV or
 * Excel), streaming in constant memory and using every core through a worker pool.
 */
import { once } from "node:events";
import { createWriteStream, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchemeDir } from "@yibao/grouper/load";
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

/** Bytes read at a time: a chunk is this much input, cut back to its last whole line. */
const CHUNK_BYTES = 1024 * 1024;
const TABLE_CHUNK_ROWS = 2000;
const NEWLINE = 0x0a;

/**
 * Cuts a JSONL file into chunks of whole lines, as bytes, numbering lines from 1. Every chunk has a
 * buffer of its own, so that it can be handed to a worker thread without a copy.
 */
async function* jsonlChunks(path: string, progress: Progress): AsyncGenerator<Chunk> {
  const file = await open(path, "r");
  try {
    let carry = new Uint8Array(0);
    let nextLine = 1;
    for (;;) {
      const buf = Buffer.allocUnsafeSlow(carry.length + CHUNK_BYTES);
      buf.set(carry);
      const { bytesRead } = await file.read(buf, carry.length, CHUNK_BYTES, null);
      progress.advanceBytes(bytesRead);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buf.subarray(0, filled), firstLine: nextLine };
        return;
      }
      const cut = buf.lastIndexOf(NEWLINE, filled - 1);
      if (cut < 0) {
        carry = buf.subarray(0, filled);
        continue;
      }
      carry = Uint8Array.prototype.slice.call(buf, cut + 1, filled);
      const body = buf.subarray(0, cut);
      const lines = countLines(body);
      yield { bytes: body, firstLine: nextLine };
      nextLine += lines;
    }
  } finally {
    await file.close();
  }
}

function countLines(bytes: Uint8Array): number {
  let n = 1;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

const encoder = new TextEncoder();

/**
 * Batches table rows into chunks of JSON lines with their own line numbers. (`TextEncoder` gives
 * each chunk a buffer of its own; a small `Buffer.from` would share Node's pool, which must never be
 * handed to a worker.)
 */
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
      yield { bytes: encoder.encode(texts.join("\n")), firstLine: lines[0] as number, lineNumbers: lines };
      texts = [];
      lines = [];
    }
  }
  if (texts.length > 0) {
    progress.advanceRows(texts.length);
    yield { bytes: encoder.encode(texts.join("\n")), firstLine: lines[0] as number, lineNumbers: lines };
  }
}

/** Where results go, in input order. */
interface ResultSink {
  write(result: ChunkResult): Promise<void>;
  close(): Promise<void>;
}

async function fileSink(path: string, format: FileFormat): Promise<ResultSink> {
  if (format === "xlsx") {
    const { default: ExcelJS } = await import("exceljs");
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
  const out = createWriteStream(path, { highWaterMark: CHUNK_BYTES });
  const put = async (data: string | Uint8Array) => {
    if (data.length > 0 && !out.write(data)) await once(out, "drain");
  };
  if (format === "jsonl") {
    return {
      write: (r) => put(r.jsonl ?? new Uint8Array(0)),
      async close() {
        out.end();
        await once(out, "finish");
      },
    };
  }
  const { stringify } = await import("csv-stringify/sync");
  await put(`\uFEFF${stringify([TABLE_COLUMNS.map((c) => TABLE_HEADERS[c])])}`);
  return {
    write: (r) => put(stringify(r.cells ?? [])),
    async close() {
      out.end();
      await once(out, "finish");
    },
  };
}

/** The rows of a CSV or Excel file (their readers are loaded only when such a file is read). */
async function tableRows(
  path: string,
  format: "csv" | "xlsx",
): Promise<AsyncGenerator<{ line: number; value: unknown }>> {
  const { readCsvRecords, readExcelRecords } = await import("./tables.js");
  return format === "csv" ? readCsvRecords(path) : readExcelRecords(path);
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
      : tableChunks(await tableRows(opts.input, inFormat), progress);
  const sink = await fileSink(opts.output, outFormat);
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
          inFlight.push(
            pool.run(chunk, { transferList: [chunk.bytes.buffer as ArrayBuffer] }) as Promise<ChunkResult>,
          );
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
