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

/** Groups one parsed value from input line `line`. */
export function groupValue(
  scheme: DrgScheme,
  value: unknown,
  line: number,
  opts: GroupRunOptions,
): OutputRow {
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

/** The JSONL result of a line that parses and validates, or null (the caller reports the error). */
function plainResultJson(scheme: DrgScheme, text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = validateGroupingRecord(value);
  return "record" in v ? resultJson(groupRecord(scheme, v.record)) : null;
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
 * A chunk of work: JSONL text whose first line has number `firstLine`, or, for rows read from a
 * table, explicit line numbers (one per text line).
 */
export interface Chunk {
  readonly text: string;
  readonly firstLine: number;
  readonly lineNumbers?: readonly number[];
}

/** What a chunk gives back: JSONL text, or table rows for CSV/Excel output. */
export interface ChunkResult {
  readonly jsonl?: string;
  readonly cells?: (string | number)[][];
  readonly records: number;
  readonly errors: number;
}

/** Groups every non-blank line of a chunk. */
export function groupChunk(
  scheme: DrgScheme,
  chunk: Chunk,
  opts: GroupRunOptions,
  as: "jsonl" | "cells",
): ChunkResult {
  const lines = chunk.text.split("\n");
  const out: string[] = [];
  const cells: (string | number)[][] = [];
  let records = 0;
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    if (text.trim() === "") continue;
    const line = chunk.lineNumbers?.[i] ?? chunk.firstLine + i;
    records++;
    if (as === "jsonl" && !opts.explain && !opts.mapCodes) {
      // The common case, without building an intermediate row.
      const json = plainResultJson(scheme, text);
      if (json !== null) {
        out.push(json);
        continue;
      }
    }
    const row = groupLine(scheme, text, line, opts);
    if ("error" in row) errors++;
    if (as === "jsonl") out.push(rowToJson(row));
    else cells.push(rowToCells(row));
  }
  return as === "jsonl"
    ? { jsonl: out.length > 0 ? `${out.join("\n")}\n` : "", records, errors }
    : { cells, records, errors };
}
