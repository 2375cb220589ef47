/**
 * Statements (结算单、清算单) as Excel (exceljs) and CSV, Chinese headers, amounts in yuan with two
 * decimals derived from fen exactly (`formatYuan`; Excel cells hold that decimal with format 0.00).
 */
import {
  CATEGORY_NAMES,
  formatRatio,
  formatYuan,
  type PaymentCategory,
  SPECIAL_CASE_NAMES,
  type SpecialCaseFamily,
} from "@yibao/payment";
import { listHospitals, type Store } from "@yibao/store";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { type ClearingStatementRow, getClearing } from "./clearing.js";
import { dbOf, PaymentInputError } from "./repo.js";

/** A column: header, whether it is money (fen) or points (6-decimal text), and the value. */
interface Column<T> {
  readonly header: string;
  readonly money?: boolean;
  readonly points?: boolean;
  readonly value: (row: T) => string | number;
}

/** A table to export. */
export interface StatementTable {
  readonly title: string;
  readonly headers: readonly string[];
  readonly money: readonly boolean[];
  /** Point columns: exact 6-decimal text, written to Excel as numbers. */
  readonly points?: readonly boolean[];
  /** Cells: money as fen (number), the rest as text or number. */
  readonly rows: readonly (readonly (string | number)[])[];
}

/** A column's header and kind, for a table whose rows are built elsewhere. */
export interface ColumnHead {
  readonly header: string;
  readonly money?: boolean;
  readonly points?: boolean;
}

/** The headers and column kinds of `heads`, as a `StatementTable` holds them. */
export function tableHeads(
  heads: readonly ColumnHead[],
): Pick<StatementTable, "headers" | "money" | "points"> {
  return {
    headers: heads.map((c) => c.header),
    money: heads.map((c) => c.money === true),
    points: heads.map((c) => c.points === true),
  };
}

function table<T>(
  title: string,
  cols: readonly Column<T>[],
  rows: readonly T[],
  total?: (string | number)[],
): StatementTable {
  const out = rows.map((r) => cols.map((c) => c.value(r)));
  if (total) out.push(total);
  return {
    title,
    headers: cols.map((c) => c.header),
    money: cols.map((c) => c.money === true),
    points: cols.map((c) => c.points === true),
    rows: out,
  };
}

/** CSV text (UTF-8 with BOM so spreadsheet programs read the Chinese headers). */
export function toCsv(t: StatementTable): string {
  const rows = t.rows.map((r) =>
    r.map((v, i) => (t.money[i] && typeof v === "number" ? formatYuan(v) : String(v))),
  );
  return `\ufeff${stringify([t.headers as string[], ...rows])}`;
}

/** Excel workbook bytes. */
export async function toXlsx(t: StatementTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "医保 DRG/DIP 支付服务";
  const ws = wb.addWorksheet(t.title.slice(0, 31));
  ws.addRow([t.title]);
  ws.getRow(1).font = { bold: true, size: 14 };
  const header = ws.addRow([...t.headers]);
  header.font = { bold: true };
  for (const r of t.rows) {
    ws.addRow(
      r.map((v, i) =>
        t.money[i] && typeof v === "number"
          ? Number(formatYuan(v))
          : t.points?.[i] && typeof v === "string" && v !== ""
            ? Number(v)
            : v,
      ),
    );
  }
  t.money.forEach((m, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(10, (t.headers[i] ?? "").length * 2 + 4);
    if (m) col.numFmt = "#,##0.00";
    if (t.points?.[i]) col.numFmt = "#,##0.000000";
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type NamedClearingRow = ClearingStatementRow & { readonly hospitalName: string };

const CLEARING_COLUMNS: readonly Column<NamedClearingRow>[] = [
  { header: "定点医疗机构编号", value: (h) => h.hospitalId },
  { header: "定点医疗机构名称", value: (h) => h.hospitalName },
  { header: "病例数", value: (h) => h.cases },
  { header: "总点数", points: true, value: (h) => microToPoints(h.points) },
  { header: "其中特病单议点数", points: true, value: (h) => microToPoints(h.specialReviewPoints) },
  { header: "点数法支付(元)", money: true, value: (h) => h.payment },
  { header: "医疗总费用(元)", money: true, value: (h) => h.totalCost },
  { header: "结余(+)/超支(-)(元)", money: true, value: (h) => h.balance },
  { header: "结余留用(元)", money: true, value: (h) => h.surplusRetained },
  { header: "结余返还(元)", money: true, value: (h) => h.surplusReturned },
  { header: "其中基层病种结余不予留用(元)", money: true, value: (h) => h.primaryCareSurplus },
  { header: "年终考核系数", value: (h) => formatRatio(h.assessment, 2) },
  { header: "结余共享奖励(元)", money: true, value: (h) => h.regionalReward },
  { header: "超支(元)", money: true, value: (h) => h.overspend },
  { header: "医保分担(元)", money: true, value: (h) => h.overspendCovered },
  { header: "医院自担(元)", money: true, value: (h) => h.overspendBorne },
  { header: "审核扣款(元)", money: true, value: (h) => h.deductions },
  { header: "扣款原因", value: (h) => h.deductionReasons.join("；") },
  { header: "清算后应得(元)", money: true, value: (h) => h.settled },
  { header: "个人负担(元)", money: true, value: (h) => h.patientShare },
  { header: "医保基金应付(元)", money: true, value: (h) => h.fundDue },
  { header: "已预拨(元)", money: true, value: (h) => h.prepaid },
  { header: "清算补拨(+)/扣回(-)(元)", money: true, value: (h) => h.balanceDue },
];

/** Micro-points (decimal string) → points with 6 decimals, exactly. */
export function microToPoints(micro: string): string {
  const neg = micro.startsWith("-");
  const d = (neg ? micro.slice(1) : micro).padStart(7, "0");
  return `${neg ? "-" : ""}${d.slice(0, -6)}.${d.slice(-6)}`;
}

/** The hospitals' names by code (定点医疗机构名称), as the lists registered them. */
async function hospitalNames(store: Store): Promise<Map<string, string>> {
  return new Map((await listHospitals(store.db)).map((x) => [x.code, x.name]));
}

/** The clearing statement of a year (all hospitals, or one), with a total row. */
export async function clearingStatement(
  store: Store,
  year: number,
  hospital?: string,
): Promise<StatementTable> {
  const c = await getClearing(store, year);
  if (!c) throw new PaymentInputError(`${year} 年尚未清算`, "NOT_CLEARED");
  const names = await hospitalNames(store);
  const rows = (hospital ? c.hospitals.filter((h) => h.hospitalId === hospital) : c.hospitals).map((h) => ({
    ...h,
    hospitalName: names.get(h.hospitalId) ?? "",
  }));
  if (hospital && rows.length === 0)
    throw new PaymentInputError(`${year} 年清算中没有机构 ${hospital}`, "NOT_FOUND");
  const total = CLEARING_COLUMNS.map((col, i): string | number => {
    if (i === 0) return "合计";
    if (i === 1) return "";
    if (col.money) return rows.reduce((s, h) => s + (col.value(h) as number), 0);
    if (col.header === "病例数") return rows.reduce((s, h) => s + h.cases, 0);
    if (col.header === "总点数")
      return microToPoints(rows.reduce((s, h) => s + BigInt(h.points), 0n).toString());
    if (col.header.includes("特病"))
      return microToPoints(rows.reduce((s, h) => s + BigInt(h.specialReviewPoints), 0n).toString());
    return "";
  });
  return table(
    `${year}年度DRG点数法年终清算单（点值 ${c.pointValueYuan} 元/点）`,
    CLEARING_COLUMNS,
    rows,
    total,
  );
}

interface StayRow {
  setl_id: string;
  period: string;
  dscg_date: string | null;
  drg: string;
  category: string;
  outlier: string;
  special_case: string | null;
  policy_id: string;
  policy_version: string;
  points: number;
  standard_fen: number | null;
  special_review_fen: number;
  drg_payment_fen: number;
  total_cost_fen: number;
  patient_share_fen: number;
  fund_payment_fen: number;
  balance_fen: number;
}

const STAY_COLUMNS: readonly Column<StayRow>[] = [
  { header: "结算ID", value: (r) => r.setl_id },
  { header: "结算期号", value: (r) => r.period },
  { header: "出院日期", value: (r) => r.dscg_date ?? "" },
  { header: "DRG", value: (r) => r.drg },
  { header: "结算类别", value: (r) => CATEGORY_NAMES[r.category as PaymentCategory] ?? r.category },
  {
    header: "特殊病例",
    value: (r) =>
      r.special_case === null
        ? ""
        : (SPECIAL_CASE_NAMES[r.special_case as SpecialCaseFamily] ?? r.special_case),
  },
  { header: "支付政策", value: (r) => `${r.policy_id}@${r.policy_version}` },
  { header: "点数", points: true, value: (r) => microToPoints(String(r.points)) },
  {
    header: "支付标准(元)",
    money: true,
    value: (r) => (r.standard_fen === null ? "" : Number(r.standard_fen)),
  },
  { header: "特病单议追加(元)", money: true, value: (r) => Number(r.special_review_fen) },
  { header: "DRG支付(元)", money: true, value: (r) => Number(r.drg_payment_fen) },
  { header: "医疗总费用(元)", money: true, value: (r) => Number(r.total_cost_fen) },
  { header: "个人负担(元)", money: true, value: (r) => Number(r.patient_share_fen) },
  { header: "医保基金支付(元)", money: true, value: (r) => Number(r.fund_payment_fen) },
  { header: "结余(+)/超支(-)(元)", money: true, value: (r) => Number(r.balance_fen) },
];

/** A hospital's settlement statement for a year (one row per stay, then the total). */
export async function settlementStatement(
  store: Store,
  year: number,
  hospital: string,
): Promise<StatementTable> {
  const r =
    await sql<StayRow>`SELECT setl_id, period, dscg_date, drg, category, outlier, special_case, policy_id, policy_version, points,
      standard_fen, special_review_fen, drg_payment_fen, total_cost_fen, patient_share_fen, fund_payment_fen, balance_fen
    FROM stay_settlement WHERE hospital_code = ${hospital} AND period >= ${`${year}-01`} AND period <= ${`${year}-12`}
    ORDER BY period, setl_id`.execute(dbOf(store));
  if (r.rows.length === 0)
    throw new PaymentInputError(`机构 ${hospital} 在 ${year} 年没有结算记录`, "NOT_FOUND");
  const total = STAY_COLUMNS.map((col, i): string | number => {
    if (i === 0) return `合计（${r.rows.length} 例）`;
    if (col.money && col.header !== "支付标准(元)")
      return r.rows.reduce((s, x) => s + (col.value(x) as number), 0);
    if (col.header === "点数")
      return microToPoints(r.rows.reduce((s, x) => s + BigInt(x.points), 0n).toString());
    return "";
  });
  const name = (await hospitalNames(store)).get(hospital);
  return table(`${hospital}${name ? ` ${name}` : ""} ${year}年度DRG病例结算单`, STAY_COLUMNS, r.rows, total);
}

/** Export format by file name or parameter. */
export function formatOf(nameOrFormat: string): "xlsx" | "csv" {
  const f = nameOrFormat.toLowerCase();
  if (f === "xlsx" || f.endsWith(".xlsx")) return "xlsx";
  if (f === "csv" || f.endsWith(".csv")) return "csv";
  throw new PaymentInputError(`不支持的导出格式「${nameOrFormat}」，请使用 xlsx 或 csv`);
}

export async function render(t: StatementTable, format: "xlsx" | "csv"): Promise<Buffer> {
  return format === "xlsx" ? toXlsx(t) : Buffer.from(toCsv(t), "utf8");
}
