/**
 * 规则表的 Excel 工作簿 (a regional table as a workbook the bureau edits), shared by the QC rule table
 * and the audit rule base: one sheet with a bold, frozen Chinese header and one row per entry, and a
 * 「版本」 sheet of 项目 → 内容 naming the edition. Reading finds the columns by their header (Chinese or
 * the field's own name), skips blank rows, and names every problem by its sheet, row and column; a
 * file that is not a workbook is one problem, never a throw.
 */
import ExcelJS from "exceljs";
import { checkWorkbookExpansion, workbookTooLargeMessage } from "./xlsx-guard.js";

/**
 * The text of a cell as a person sees it (rich text, hyperlinks and formula results included); a date
 * cell as `yyyy-MM-dd`, or `yyyy-MM-dd HH:mm:ss` with `dates: "dateTime"` (exceljs gives the wall-clock
 * value as UTC).
 */
export function excelCellText(v: unknown, dates: "date" | "dateTime" = "date"): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date)
    return dates === "date" ? v.toISOString().slice(0, 10) : v.toISOString().slice(0, 19).replace("T", " ");
  if (typeof v === "object") {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join("");
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
  }
  return String(v);
}

/** A column of a table sheet: its Chinese header, the field it holds, its width. */
export interface ExcelColumn<K extends string> {
  readonly header: string;
  readonly key: K;
  readonly width: number;
}

/** The sheet naming the edition (项目 → 内容). */
export const EDITION_META_SHEET = "版本";

/**
 * A workbook (.xlsx) of one table sheet, `rows` under the columns' headers, and the 「版本」 sheet
 * listing `meta` (项目, 内容) in order.
 */
export async function tableWorkbook<K extends string>(
  sheetName: string,
  columns: readonly ExcelColumn<K>[],
  rows: readonly Readonly<Record<K, string>>[],
  meta: readonly (readonly [string, string])[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  // A blank field is an empty cell, not an empty string.
  for (const r of rows)
    sheet.addRow(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === "" ? null : v])));
  const m = wb.addWorksheet(EDITION_META_SHEET);
  m.columns = [
    { header: "项目", key: "k", width: 16 },
    { header: "内容", key: "v", width: 60 },
  ];
  for (const [k, v] of meta) m.addRow({ k, v: v === "" ? null : v });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One data row of a table sheet: its row number and each column's text (trimmed; "" when absent). */
export interface TableRow<K extends string> {
  readonly row: number;
  readonly cells: Readonly<Record<K, string>>;
}

/** A table workbook as read: its data rows, its 「版本」 entries (with their rows), and the problems. */
export interface ReadTable<K extends string> {
  readonly sheetName: string;
  readonly rows: readonly TableRow<K>[];
  readonly meta: ReadonlyMap<string, { readonly value: string; readonly row: number }>;
  readonly problems: readonly string[];
}

const refused = <K extends string>(problem: string): ReadTable<K> => ({
  sheetName: "",
  rows: [],
  meta: new Map(),
  problems: [problem],
});

/**
 * Reads a table workbook (.xlsx bytes): the sheet `sheetName` (or the first one), its header on row
 * 1 with every `required` column, and at least one non-blank row after it.
 */
export async function readTableWorkbook<K extends string>(
  bytes: Buffer,
  sheetName: string,
  columns: readonly ExcelColumn<K>[],
  required: readonly K[],
): Promise<ReadTable<K>> {
  const unreadable =
    "文件不是可读取的 Excel 工作簿（.xlsx）：请确认上传的是 .xlsx 文件（不是 .xls、.csv 或改了扩展名的文件）";
  // A few megabytes can inflate to gigabytes inside the reader: the archive is measured first.
  const expansion = checkWorkbookExpansion(bytes);
  if (expansion === "too-large") return refused(workbookTooLargeMessage());
  if (expansion === "unreadable") return refused(unreadable);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    // The reader's own message is English (e.g. jszip's "Can't find end of central directory"): not shown.
    return refused(unreadable);
  }
  const sheet = wb.getWorksheet(sheetName) ?? wb.worksheets[0];
  if (sheet === undefined) return refused("工作簿没有工作表");
  const headerAt = new Map<K, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const text = excelCellText(cell.value).trim();
    const c = columns.find((x) => x.header === text || x.key === text);
    if (c) headerAt.set(c.key, col);
  });
  const problems = columns
    .filter((c) => required.includes(c.key) && !headerAt.has(c.key))
    .map((c) => `工作表「${sheet.name}」第 1 行缺少列「${c.header}」`);
  const meta = new Map<string, { value: string; row: number }>();
  if (problems.length > 0) return { sheetName: sheet.name, rows: [], meta, problems };
  const rows: TableRow<K>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cells = Object.fromEntries(
      columns.map((c) => {
        const col = headerAt.get(c.key);
        return [c.key, col === undefined ? "" : excelCellText(row.getCell(col).value).trim()];
      }),
    ) as Record<K, string>;
    if (Object.values(cells).every((v) => v === "")) return;
    rows.push({ row: n, cells });
  });
  if (rows.length === 0) problems.push(`工作表「${sheet.name}」没有任何规则行`);
  wb.getWorksheet(EDITION_META_SHEET)?.eachRow((row, n) => {
    const key = excelCellText(row.getCell(1).value).trim();
    meta.set(key, { value: excelCellText(row.getCell(2).value).trim(), row: n });
  });
  return { sheetName: sheet.name, rows, meta, problems };
}

/**
 * The JSON of a cell, or undefined with a problem at `where` (e.g. `第 7 行「参数」`). The parser's own
 * message is English: the problem says what a bureau can act on instead.
 */
export function jsonCell(text: string, where: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`${where}：不是合法的 JSON（请检查括号、引号与逗号是否成对、完整）`);
    return undefined;
  }
}

/** The items of a list cell, separated by 、 , ， ; ； or blanks. */
export function listCell(text: string): string[] {
  return text
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A cell naming one of `zh`'s values by its code or its Chinese name: the code, else the text as it is. */
export function enumCell<T extends string>(text: string, zh: Readonly<Record<T, string>>): T | string {
  const hit = (Object.entries(zh) as [T, string][]).find(([k, v]) => text === k || text === v);
  return hit ? hit[0] : text;
}

/** A 是/否 cell: undefined when blank, or (with a problem at `where`) when it is neither. */
export function booleanCell(text: string, where: string, problems: string[]): boolean | undefined {
  if (text === "") return undefined;
  if (["是", "启用", "true", "TRUE", "1"].includes(text)) return true;
  if (["否", "停用", "false", "FALSE", "0"].includes(text)) return false;
  problems.push(`${where}：应为 是 或 否，而不是 ${JSON.stringify(text)}`);
  return undefined;
}

/**
 * The validator's index of an entry (`rules[i]`, or what `pattern` matches with the index as its first
 * group) as the sheet's row, in problems about a workbook's entries.
 */
export function problemsByRow(
  problems: readonly string[],
  rows: readonly number[],
  pattern: RegExp = /rules\[(\d+)\]/g,
): string[] {
  return problems.map((p) =>
    p.replace(pattern, (whole, i: string) => {
      const row = rows[Number(i)];
      return row === undefined ? whole : `第 ${row} 行`;
    }),
  );
}
