/**
 * Reading grouping records from CSV and Excel, and the shared column names (English field names or
 * their Chinese headers).
 */
import { createReadStream } from "node:fs";
import { excelCellText } from "@yibao/server";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";

/** Column header → record field. Both the field name and the Chinese header are accepted. */
export const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  id: "id",
  病例ID: "id",
  病例id: "id",
  sex: "sex",
  性别: "sex",
  ageYears: "ageYears",
  年龄: "ageYears",
  ageDays: "ageDays",
  日龄: "ageDays",
  birthWeight: "birthWeight",
  出生体重: "birthWeight",
  dept: "dept",
  科室: "dept",
  los: "los",
  住院天数: "los",
  dischargeWay: "dischargeWay",
  离院方式: "dischargeWay",
  diagnoses: "diagnoses",
  诊断编码: "diagnoses",
  procedures: "procedures",
  手术操作编码: "procedures",
};

const NUMERIC = new Set(["ageYears", "ageDays", "birthWeight", "los"]);
const CODE_LISTS = new Set(["diagnoses", "procedures"]);

/**
 * Turns a table row (header → cell) into a record object. Numbers are read from numeric text; text
 * that is not a number is kept as text so that validation reports it. Code lists are separated by
 * `|` or `;`.
 */
export function rowToRecord(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [header, cell] of Object.entries(row)) {
    const field = COLUMN_ALIASES[header.trim()];
    if (field === undefined) continue;
    const text = cell === null || cell === undefined ? "" : String(cell).trim();
    if (NUMERIC.has(field)) {
      out[field] = text === "" ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    } else if (CODE_LISTS.has(field)) {
      out[field] = text === "" ? [] : text.split(/[|;；]/).map((c) => c.trim());
    } else out[field] = text;
  }
  return out;
}

/**
 * The rows of a CSV file with a header line (UTF-8, a BOM allowed, blank lines skipped) as column →
 * text, with the 1-based line number each row ends on.
 */
export async function* csvRows(path: string): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, skip_empty_lines: true }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: item.info.lines, row: item.record };
  }
}

/** Rows of a CSV file with a header line, with their 1-based line numbers. */
export async function* readCsvRecords(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  for await (const { line, row } of csvRows(path)) yield { line, value: rowToRecord(row) };
}

/** Rows of the first worksheet of an Excel file, the first row being the header. */
export async function* readExcelRecords(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", worksheets: "emit" });
  for await (const sheet of reader) {
    let headers: string[] | null = null;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]).slice(1).map((v) => excelCellText(v));
      if (headers === null) {
        headers = values;
        continue;
      }
      if (values.every((v) => v === "")) continue;
      const obj: Record<string, string> = {};
      headers.forEach((h, i) => {
        obj[h] = values[i] ?? "";
      });
      yield { line: row.number, value: rowToRecord(obj) };
    }
    return;
  }
}
