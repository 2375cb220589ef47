/**
 * Hospital master data in Excel (医院主数据 Excel): the export of the rows in force on a date, and the
 * reading of an uploaded workbook into edition rows. One sheet, the header on its first line
 * (医院编码, 医院名称, 医院等级, 起付线类别, 支付方式; the English names code, name, level, benefit_class,
 * payment_method are read too), one hospital per line. A file that is not base64, not an .xlsx, or
 * without a needed column is refused naming it; a row's problems name its Excel line number.
 */
import { checkWorkbookExpansion, excelCellText, workbookTooLargeMessage } from "@yibao/server";
import ExcelJS from "exceljs";
import type {
  EditionColumn,
  EditionLabels,
  EditionProblem,
  HospitalEditionInputRow,
} from "./hospital-editions.js";

/** The sheet's name. */
export const HOSPITAL_SHEET = "医院主数据";

/** The columns: Chinese header (written), the English names also read, and whether a file must have it. */
const COLUMNS: readonly {
  readonly key: EditionColumn;
  readonly zh: string;
  readonly en: readonly string[];
  readonly required: boolean;
  readonly width: number;
}[] = [
  { key: "code", zh: "医院编码", en: ["code", "hospital_code", "hospitalcode"], required: true, width: 16 },
  { key: "name", zh: "医院名称", en: ["name", "hospital_name", "hospitalname"], required: false, width: 30 },
  { key: "level", zh: "医院等级", en: ["level"], required: true, width: 10 },
  {
    key: "benefitClass",
    zh: "起付线类别",
    en: ["benefit_class", "benefitclass"],
    required: true,
    width: 16,
  },
  {
    key: "paymentMethod",
    zh: "支付方式",
    en: ["payment_method", "paymentmethod"],
    required: true,
    width: 10,
  },
];

/** The Chinese headers, in order. */
export const HOSPITAL_EXCEL_HEADERS: readonly string[] = COLUMNS.map((c) => c.zh);

/** At most this many hospitals in one import. */
export const MAX_IMPORT_ROWS = 10_000;

/** A row of the export. */
export interface HospitalExportRow {
  readonly code: string;
  readonly name: string | null;
  readonly level: string;
  readonly benefitClass: string | null;
  readonly paymentMethod: "DRG" | "DIP";
}

/** The workbook of the master data in force on a date (one sheet, header on line 1). */
export async function hospitalWorkbook(rows: readonly HospitalExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "医保 DRG/DIP 支付服务";
  const ws = wb.addWorksheet(HOSPITAL_SHEET);
  ws.addRow([...HOSPITAL_EXCEL_HEADERS]).font = { bold: true };
  for (const r of rows) ws.addRow([r.code, r.name ?? "", r.level, r.benefitClass ?? "", r.paymentMethod]);
  COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    // Codes stay text (a leading zero is kept).
    if (c.key === "code") col.numFmt = "@";
  });
  ws.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What reading a workbook gives: its rows with their Excel line numbers, or the problems of the file. */
export interface ReadWorkbook {
  readonly rows: readonly HospitalEditionInputRow[];
  /** Problems of the file itself (not base64, not an .xlsx, a missing column); empty when it was read. */
  readonly problems: readonly EditionProblem[];
  /** How the rules name a row (`第 n 行`) and its columns (the Chinese headers). */
  readonly labels: EditionLabels;
}

const FILE = "file";

/** Decodes the base64 of the body (a `data:…;base64,` prefix and line breaks allowed), or null. */
export function decodeBase64(text: string): Buffer | null {
  const s = text.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  return Buffer.from(s, "base64");
}

/** The text of a cell as shown (rich text joined, formula results), trimmed. */
function cellText(cell: ExcelJS.Cell): string {
  return excelCellText(cell.value).trim();
}

function headerKey(text: string): EditionColumn | null {
  const t = text.trim();
  const lower = t.toLowerCase();
  return COLUMNS.find((c) => c.zh === t || c.en.includes(lower))?.key ?? null;
}

function refused(problems: EditionProblem[], lines: readonly number[] = []): ReadWorkbook {
  return { rows: [], problems, labels: labelsFor(lines) };
}

function labelsFor(lines: readonly number[]): EditionLabels {
  const row = (i: number) => `第 ${lines[i] ?? i + 2} 行`;
  const zh = (c: EditionColumn) => COLUMNS.find((x) => x.key === c)?.zh ?? c;
  return { row, field: (i, c) => `${row(i)}「${zh(c)}」`, rows: FILE };
}

/** The columns of the header line, or the problems with it. */
function readHeader(ws: ExcelJS.Worksheet): Map<EditionColumn, number> | EditionProblem[] {
  const at = new Map<EditionColumn, number>();
  const problems: EditionProblem[] = [];
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    const text = cellText(cell);
    const key = headerKey(text);
    if (key === null) return;
    if (at.has(key))
      problems.push({ field: "第 1 行（表头）", message: `列「${text}」重复（与第 ${at.get(key)} 列）` });
    else at.set(key, col);
  });
  for (const c of COLUMNS)
    if (c.required && !at.has(c.key))
      problems.push({
        field: "第 1 行（表头）",
        message: `缺少列「${c.zh}」（也可写作 ${c.en[0]}）；表头须为 ${HOSPITAL_EXCEL_HEADERS.join("、")}`,
      });
  return problems.length > 0 ? problems : at;
}

/**
 * Reads an uploaded workbook (base64 of an .xlsx): the first sheet, its header on line 1, then one
 * hospital per line (empty lines skipped).
 */
export async function readHospitalWorkbook(base64: string): Promise<ReadWorkbook> {
  const bytes = decodeBase64(base64);
  if (bytes === null)
    return refused([{ field: FILE, message: "不是有效的 base64 编码，请上传 Excel（.xlsx）文件的 base64" }]);
  // An .xlsx is a zip: it starts with "PK\x03\x04".
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50)
    return refused([{ field: FILE, message: "不是 Excel（.xlsx）文件；请另存为 .xlsx 后再导入" }]);
  const corrupt = [{ field: FILE, message: "Excel（.xlsx）文件已损坏或无法读取" }];
  // A few megabytes can inflate to gigabytes inside the reader: the archive is measured first.
  const expansion = checkWorkbookExpansion(bytes);
  if (expansion === "too-large") return refused([{ field: FILE, message: workbookTooLargeMessage() }]);
  if (expansion === "unreadable") return refused(corrupt);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer (its own `Buffer`): hand it exactly the file's bytes.
    await wb.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  } catch {
    return refused(corrupt);
  }
  const ws = wb.worksheets[0];
  if (ws === undefined) return refused([{ field: FILE, message: "Excel 文件中没有工作表" }]);
  const header = readHeader(ws);
  if (Array.isArray(header)) return refused(header);
  const rows: HospitalEditionInputRow[] = [];
  const lines: number[] = [];
  const get = (r: ExcelJS.Row, key: EditionColumn) => {
    const col = header.get(key);
    return col === undefined ? "" : cellText(r.getCell(col));
  };
  for (let n = 2; n <= ws.rowCount; n++) {
    const r = ws.getRow(n);
    const cells = COLUMNS.map((c) => get(r, c.key));
    if (cells.every((c) => c === "")) continue;
    if (rows.length >= MAX_IMPORT_ROWS)
      return refused([{ field: FILE, message: `一次最多导入 ${MAX_IMPORT_ROWS} 家医院` }], lines);
    lines.push(n);
    rows.push({
      code: get(r, "code"),
      name: get(r, "name"),
      level: get(r, "level"),
      benefitClass: get(r, "benefitClass"),
      paymentMethod: get(r, "paymentMethod"),
    });
  }
  return { rows, problems: [], labels: labelsFor(lines) };
}
