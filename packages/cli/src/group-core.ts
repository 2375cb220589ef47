/**
 * Grouping a chunk of JSONL lines: the work each worker thread does. Pure apart from the scheme it
 * is given, so the same function serves the worker pool, the single-threaded path and the tests.
 */
import {
  type DrgScheme,
  type GroupReason,
  type GroupResult,
  groupRecord,
  mapRecordCodes,
  PlainLineGrouper,
  validateGroupingRecord,
} from "@yibao/grouper";

/** Options of a grouping run. */
export interface GroupRunOptions {
  /** Attach the reasons (分组依据). */
  readonly explain: boolean;
  /** Map codes of other versions to insurance codes before grouping (编码版本转换). */
  readonly mapCodes: boolean;
}

/** One output row: a grouping result, or the error of a malformed line. */
export type OutputRow =
  | (GroupResult & {
      readonly line: number;
      readonly codeChanges?: readonly { field: string; index: number; from: string; to: string }[];
      readonly unmappedCodes?: readonly string[];
    })
  | { readonly line: number; readonly id?: string; readonly error: string };

const EXPLAIN = { explain: true } as const;

/** The result with its input line number, built field by field (object spread is slow on this path). */
function withLine(r: GroupResult, line: number): OutputRow {
  const row = { line, id: r.id, status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg, drgName: r.drgName };
  return r.reasons === undefined ? row : { ...row, reasons: r.reasons };
}

/**
 * The record of a line: the line itself, or the `input` of a labelled test vector
 * (`{"input": record, "expected": …}`, the format of the schemes' `vectors.jsonl`), whose `expected`
 * is not used. Only an object whose keys are `input` and at most `expected` is unwrapped.
 */
export function recordOf(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.includes("input") || keys.some((k) => k !== "input" && k !== "expected")) return value;
  const input = (value as { input: unknown }).input;
  return typeof input === "object" && input !== null && !Array.isArray(input) ? input : value;
}

/** Groups one parsed value from input line `line` (a record, or a labelled vector: {@link recordOf}). */
export function groupValue(
  scheme: DrgScheme,
  parsed: unknown,
  line: number,
  opts: GroupRunOptions,
): OutputRow {
  const value = recordOf(parsed);
  const v = validateGroupingRecord(value);
  if ("problems" in v) {
    const id =
      typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string"
        ? ((value as { id: string }).id as string)
        : undefined;
    const error = `第 ${line} 行：${v.problems.map((p) => `字段 ${p.field} ${p.message}`).join("；")}`;
    return id === undefined ? { line, error } : { line, id, error };
  }
  if (!opts.mapCodes)
    return withLine(groupRecord(scheme, v.record, opts.explain ? EXPLAIN : undefined), line);
  const m = mapRecordCodes(scheme, v.record);
  const result = groupRecord(scheme, m.record, { explain: opts.explain });
  return {
    line,
    ...result,
    ...(m.changes.length > 0 ? { codeChanges: m.changes } : {}),
    ...(m.unmapped.length > 0 ? { unmappedCodes: m.unmapped.map((u) => u.code) } : {}),
  };
}

/** Parses and groups one input line. */
export function groupLine(scheme: DrgScheme, text: string, line: number, opts: GroupRunOptions): OutputRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line, error: `第 ${line} 行：不是合法的 JSON（${(e as Error).message}）` };
  }
  return groupValue(scheme, value, line, opts);
}

const quoted = (s: string | null) => (s === null ? "null" : JSON.stringify(s));

function resultJson(r: GroupResult): string {
  return `{"id":${quoted(r.id)},"status":"${r.status}","mdc":${quoted(r.mdc)},"adrg":${quoted(r.adrg)},"drg":${quoted(r.drg)},"drgName":${quoted(r.drgName)}}`;
}

/** The JSONL form of a row: without the line number for results (the output is in input order). */
export function rowToJson(row: OutputRow): string {
  if ("error" in row) return JSON.stringify(row);
  if (row.reasons === undefined && row.codeChanges === undefined && row.unmappedCodes === undefined) {
    // The common case, written directly: same text as JSON.stringify, without its generic walk.
    return resultJson(row);
  }
  const { line: _line, ...rest } = row;
  return JSON.stringify(rest);
}

export const TABLE_COLUMNS = [
  "line",
  "id",
  "status",
  "mdc",
  "adrg",
  "drg",
  "drgName",
  "error",
  "codeChanges",
  "unmappedCodes",
  "reasons",
] as const;

/** Chinese column headers for CSV and Excel output. */
export const TABLE_HEADERS: Readonly<Record<(typeof TABLE_COLUMNS)[number], string>> = {
  line: "行号",
  id: "病例ID",
  status: "分组状态",
  mdc: "MDC",
  adrg: "ADRG",
  drg: "DRG",
  drgName: "DRG名称",
  error: "错误",
  codeChanges: "编码转换",
  unmappedCodes: "无法转换的编码",
  reasons: "分组依据",
};

/** The table form of a row (CSV and Excel). */
export function rowToCells(row: OutputRow): (string | number)[] {
  if ("error" in row) return [row.line, row.id ?? "", "ERROR", "", "", "", "", row.error, "", "", ""];
  return [
    row.line,
    row.id,
    row.status,
    row.mdc ?? "",
    row.adrg ?? "",
    row.drg,
    row.drgName,
    "",
    (row.codeChanges ?? []).map((c) => `${c.from}→${c.to}`).join(" "),
    (row.unmappedCodes ?? []).join(" "),
    (row.reasons ?? []).map((r: GroupReason) => r.message).join("；"),
  ];
}

/**
 * A chunk of work: the bytes of whole JSONL lines (UTF-8, separated by `\n`, without the last line's
 * `\n`) whose first line has number `firstLine`, or, for rows read from a table, explicit line
 * numbers (one per line).
 */
export interface Chunk {
  readonly bytes: Uint8Array;
  readonly firstLine: number;
  readonly lineNumbers?: readonly number[];
}

/** What a chunk gives back: JSONL bytes, or table rows for CSV/Excel output. */
export interface ChunkResult {
  readonly jsonl?: Uint8Array;
  readonly cells?: (string | number)[][];
  readonly records: number;
  readonly errors: number;
}

/** A growing byte buffer for a chunk's output. */
class ByteOutput {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(capacity, 1024));
  }

  private room(n: number): Uint8Array {
    if (this.length + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.bytes;
  }

  /** Adds `src`: a short one (an outcome's tail) byte by byte, cheaper than `set` at that size. */
  add(src: Uint8Array): void {
    const n = src.length;
    const out = this.room(n);
    if (n > 64) {
      out.set(src, this.length);
      this.length += n;
    } else for (let i = 0; i < n; i++) out[this.length++] = src[i] as number;
  }

  /** Adds `src[start .. end)`: short runs (an id) are copied byte by byte, cheaper than a subarray. */
  addRange(src: Uint8Array, start: number, end: number): void {
    const out = this.room(end - start);
    for (let i = start; i < end; i++) out[this.length++] = src[i] as number;
  }

  addText(s: string): void {
    const { written } = encoder.encodeInto(s, this.room(3 * s.length).subarray(this.length));
    this.length += written;
  }

  /** The bytes written, in an array of their own. */
  take(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const encoder = new TextEncoder();
// Like the stream decoding it replaces, a byte order mark is kept (and makes its line malformed JSON).
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const ID_PREFIX = encoder.encode('{"id":"');

/**
 * Grouping lines in the plain form straight from their bytes with the grouper's batch fast path
 * (`PlainLineGrouper`), and writing each result line from the id's bytes and the outcome's line
 * after the id, encoded once per scheme.
 */
class FastPath {
  private readonly grouper: PlainLineGrouper;
  private readonly tails: readonly Uint8Array[];

  constructor(scheme: DrgScheme) {
    this.grouper = new PlainLineGrouper(scheme);
    // The text after `{"id":"<id>` of the line `resultJson` writes for each outcome.
    this.tails = scheme.compiled.outcomes.map((o) =>
      encoder.encode(`${resultJson({ ...o, id: "" }).slice(ID_PREFIX.length)}\n`),
    );
  }

  /** Groups the line at `start` into `out`: the index of the line's end, or -1 when it is not plain. */
  group(bytes: Uint8Array, start: number, limit: number, out: ByteOutput): number {
    const g = this.grouper;
    const end = g.group(bytes, start, limit);
    if (end < 0) return -1;
    out.add(ID_PREFIX);
    out.addRange(bytes, g.idStart, g.idEnd);
    out.add(this.tails[g.outcome.index] as Uint8Array);
    return end;
  }
}

const fastPaths = new WeakMap<DrgScheme, FastPath>();

const NEWLINE = 0x0a;

/** Whether `b[start .. end)` holds only spaces, tabs and carriage returns. */
function blank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Groups every non-blank line of a chunk. Plain lines, for plain JSONL output, go through the fast
 * path; every other line is decoded and goes through {@link groupLine}, with the same result.
 */
export function groupChunk(
  scheme: DrgScheme,
  chunk: Chunk,
  opts: GroupRunOptions,
  as: "jsonl" | "cells",
): ChunkResult {
  const b = chunk.bytes;
  let fast: FastPath | null = null;
  // A scheme with conditions on the record's strings is grouped by the general path, line by line.
  if (as === "jsonl" && !opts.explain && !opts.mapCodes && !scheme.compiled.readsRecord) {
    fast = fastPaths.get(scheme) ?? new FastPath(scheme);
    fastPaths.set(scheme, fast);
  }
  const out = new ByteOutput(b.length >>> 1);
  const cells: (string | number)[][] = [];
  let records = 0;
  let errors = 0;
  for (let i = 0, start = 0; start <= b.length; i++) {
    if (fast !== null) {
      const lineEnd = fast.group(b, start, b.length, out);
      if (lineEnd >= 0) {
        records++;
        start = lineEnd + 1;
        continue;
      }
    }
    let end = b.indexOf(NEWLINE, start);
    if (end < 0) end = b.length;
    const line = chunk.lineNumbers?.[i] ?? chunk.firstLine + i;
    const from = start;
    start = end + 1;
    if (blank(b, from, end)) continue;
    const text = decoder.decode(b.subarray(from, end));
    if (text.trim() === "") continue;
    records++;
    const row = groupLine(scheme, text, line, opts);
    if ("error" in row) errors++;
    if (as === "jsonl") out.addText(`${rowToJson(row)}\n`);
    else cells.push(rowToCells(row));
  }
  return as === "jsonl" ? { jsonl: out.take(), records, errors } : { cells, records, errors };
}
