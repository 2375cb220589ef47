/**
 * The console's Excel export (表格导出): every row of a table's source, page after page, streamed into
 * the workbook as it is read (exceljs' streaming writer), with the table's Chinese column titles,
 * codes turned into their Chinese labels, times in local time (Asia/Shanghai), numbers as numbers,
 * and each hospital code followed by the hospital's name.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";

/** A column of the export, as the console's table describes it. */
export interface ExportColumn {
  readonly key: string;
  readonly title: string;
  readonly kind?: "money" | "ratio" | "number" | "count" | "datetime" | "text";
  /** Code → Chinese label (e.g. `accepted` → 已接收). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Parses and checks the `columns` parameter; throws a Chinese message when it is not usable. */
export function parseExportColumns(text: string): ExportColumn[] {
  const bad = new Error("columns 应为 [{key,title,kind,labels}] 的 JSON 数组（1–100 列）");
  let columns: unknown;
  try {
    columns = JSON.parse(text);
  } catch {
    throw bad;
  }
  if (!Array.isArray(columns) || columns.length === 0 || columns.length > 100) throw bad;
  for (const c of columns as Record<string, unknown>[]) {
    if (typeof c?.key !== "string" || typeof c?.title !== "string") throw bad;
    if (
      c.labels !== undefined &&
      (c.labels === null || typeof c.labels !== "object" || Array.isArray(c.labels))
    )
      throw bad;
  }
  return columns as ExportColumn[];
}

/** Keys that hold a hospital's code: the export puts the hospital's name in a column beside them. */
const HOSPITAL_KEYS = new Set(["hospital", "hospitalCode", "hospitalId", "hospital_code", "fixmedins_code"]);

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/**
 * An instant as an Excel date cell showing Asia/Shanghai wall-clock time (China has kept UTC+8 without
 * daylight saving since 1991): Excel dates carry no zone, so the cell holds the local time's fields.
 */
export function shanghaiCell(iso: string | Date): Date {
  const t = typeof iso === "string" ? Date.parse(iso) : iso.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS);
}

function pick(row: unknown, path: string): unknown {
  let v: unknown = row;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** One cell's value: numbers as numbers, times as local dates, codes as their labels. */
export function cellOf(c: ExportColumn, v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined || v === "") return null;
  if (c.labels && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) {
    const label = c.labels[String(v)];
    if (label !== undefined) return label;
  }
  if (c.kind === "money") return Number(v) / 100;
  if (c.kind === "ratio" || c.kind === "number" || c.kind === "count") {
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : String(v);
  }
  if (v instanceof Date) return shanghaiCell(v);
  if (typeof v === "string" && (c.kind === "datetime" || ISO_INSTANT.test(v))) {
    return Number.isNaN(Date.parse(v)) ? v : shanghaiCell(v);
  }
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join("、");
  return JSON.stringify(v);
}

/** The workbook's columns: the table's, with a 医院名称 column after each hospital-code column. */
function sheetColumns(columns: readonly ExportColumn[]): Partial<ExcelJS.Column>[] {
  const out: Partial<ExcelJS.Column>[] = [];
  columns.forEach((c, i) => {
    const numFmt =
      c.kind === "money"
        ? "#,##0.00"
        : c.kind === "ratio"
          ? "0.00%"
          : c.kind === "count"
            ? "#,##0"
            : c.kind === "datetime" || /时间|日期/.test(c.title)
              ? "yyyy-mm-dd hh:mm:ss"
              : undefined;
    out.push({
      header: c.title,
      key: `c${i}`,
      width: Math.max(12, c.title.length * 2 + 4),
      ...(numFmt ? { style: { numFmt } } : {}),
    });
    if (HOSPITAL_KEYS.has(c.key) && !/名称/.test(c.title)) {
      out.push({ header: `${c.title.replace(/编码|编号$/, "")}名称`, key: `n${i}`, width: 28 });
    }
  });
  return out;
}

/** A page of the source: its rows, and whether more may follow. */
export interface SourcePage {
  readonly rows: readonly unknown[];
}

/**
 * Writes every row the pages yield into a streamed workbook; resolves with the stream (to send) at
 * once and with the number of rows written when the workbook is complete.
 */
export function streamWorkbook(
  columns: readonly ExportColumn[],
  pages: AsyncIterable<readonly unknown[]>,
  hospitalNames: ReadonlyMap<string, string>,
): { stream: PassThrough; done: Promise<number> } {
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = "医保 DRG/DIP 平台";
  const ws = wb.addWorksheet("数据");
  ws.columns = sheetColumns(columns);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const done = (async () => {
    let n = 0;
    try {
      for await (const page of pages) {
        for (const r of page) {
          const out: Record<string, ExcelJS.CellValue> = {};
          columns.forEach((c, i) => {
            const v = pick(r, c.key);
            out[`c${i}`] = cellOf(c, v);
            if (HOSPITAL_KEYS.has(c.key) && !/名称/.test(c.title)) {
              out[`n${i}`] = typeof v === "string" ? (hospitalNames.get(v) ?? null) : null;
            }
          });
          ws.addRow(out).commit();
          n++;
        }
      }
      ws.commit();
      await wb.commit();
      return n;
    } catch (e) {
      stream.destroy(e as Error);
      throw e;
    }
  })();
  return { stream, done };
}

/**
 * Every page of a GET source: the path as given first; when it names a page size (`limit`, paged by
 * `offset`; or `pageSize`, paged by `page`), the following pages until one comes back short. Stops
 * at `maxRows`.
 */
export async function* sourcePages(
  path: string,
  fetchJson: (url: string) => Promise<unknown>,
  maxRows = 1_000_000,
): AsyncGenerator<readonly unknown[]> {
  const [pathname, query = ""] = path.split("?") as [string, string | undefined];
  const params = new URLSearchParams(query);
  const byPage = params.has("pageSize");
  const size = Number(params.get(byPage ? "pageSize" : "limit") ?? "");
  let offset = Number(params.get("offset") ?? "0") || 0;
  let page = Number(params.get("page") ?? "1") || 1;
  let total = 0;
  for (;;) {
    const data = await fetchJson(`${pathname}?${params.toString()}`);
    const rows = Array.isArray(data)
      ? data
      : ((data as { rows?: unknown[]; items?: unknown[] }).rows ??
        (data as { items?: unknown[] }).items ??
        []);
    yield rows;
    total += rows.length;
    if (!(size > 0) || rows.length < size || rows.length === 0 || total >= maxRows) return;
    if (byPage) {
      page += 1;
      params.set("page", String(page));
    } else {
      offset += rows.length;
      params.set("offset", String(offset));
    }
  }
}
