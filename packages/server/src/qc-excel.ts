/**
 * 质控规则表的 Excel 导入导出: a QC rule edition as a workbook the bureau edits — one row per rule
 * with Chinese headers, the parameters as JSON text — and back. Reading names every problem by its
 * row and column; the edition read is then validated exactly as a JSON edition is.
 */
import { QC_CATEGORY_NAMES, type QcRuleSet } from "@yibao/settlement";
import ExcelJS from "exceljs";

/** The sheet of the rules, and its columns: header → field. */
export const QC_RULES_SHEET = "质控规则";
const COLUMNS = [
  { header: "规则编号", key: "id", width: 16 },
  { header: "检查类型", key: "check", width: 22 },
  { header: "类别", key: "category", width: 18 },
  { header: "严重程度", key: "severity", width: 10 },
  { header: "启用", key: "enabled", width: 8 },
  { header: "适用模式", key: "modes", width: 16 },
  { header: "分模式严重程度", key: "severityByMode", width: 24 },
  { header: "提示信息", key: "message", width: 48 },
  { header: "说明", key: "description", width: 40 },
  { header: "参数", key: "params", width: 60 },
] as const;
type ColumnKey = (typeof COLUMNS)[number]["key"];

const SEVERITY_ZH = { error: "错误", warning: "警告" } as const;
const MODE_ZH = { bureau: "医保局", hospital: "医院" } as const;
const CATEGORY_BY_NAME = new Map(Object.entries(QC_CATEGORY_NAMES).map(([k, v]) => [v, k]));

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

/** The rule edition as a workbook (.xlsx): the rules sheet, and a sheet naming the edition. */
export async function qcRulesWorkbook(edition: QcRuleSet): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(QC_RULES_SHEET);
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  for (const r of edition.rules) {
    sheet.addRow({
      id: r.id,
      check: r.check,
      category: QC_CATEGORY_NAMES[r.category] ?? r.category,
      severity: SEVERITY_ZH[r.severity],
      enabled: r.enabled === false ? "否" : "是",
      modes: r.modes?.map((m) => MODE_ZH[m]).join("、") ?? "",
      severityByMode: r.severityByMode
        ? Object.entries(r.severityByMode)
            .map(([m, s]) => `${MODE_ZH[m as keyof typeof MODE_ZH]}:${SEVERITY_ZH[s]}`)
            .join("、")
        : "",
      message: r.message,
      description: r.description ?? "",
      params: r.params && Object.keys(r.params).length > 0 ? JSON.stringify(r.params) : "",
    } satisfies Record<ColumnKey, string>);
  }
  const meta = wb.addWorksheet("版本");
  meta.columns = [
    { header: "项目", key: "k", width: 12 },
    { header: "内容", key: "v", width: 60 },
  ];
  meta.addRow({ k: "规则集编号", v: edition.id });
  meta.addRow({ k: "版本号", v: edition.version });
  meta.addRow({ k: "生效日期", v: edition.effectiveDate });
  meta.addRow({ k: "来源", v: edition.source ?? "" });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A rules workbook as read: the rules (each with its sheet row) and the edition's id and source. */
export interface QcRulesSheet {
  readonly rules: readonly Record<string, unknown>[];
  /** Row number of each rule in the sheet (for the validator's `rules[i]`). */
  readonly rows: readonly number[];
  readonly id: string | null;
  readonly source: string | null;
  readonly problems: readonly string[];
}

const enumOf = <T extends string>(text: string, zh: Readonly<Record<T, string>>): T | string => {
  const hit = (Object.entries(zh) as [T, string][]).find(([k, v]) => text === k || text === v);
  return hit ? hit[0] : text;
};

function listOf(text: string): string[] {
  return text
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** One rule row → a rule object as JSON would give it; problems name the row and the column. */
function ruleOfRow(cells: Readonly<Record<ColumnKey, string>>, row: number, problems: string[]) {
  const rule: Record<string, unknown> = {
    id: cells.id,
    check: cells.check,
    category: CATEGORY_BY_NAME.get(cells.category) ?? cells.category,
    severity: enumOf(cells.severity, SEVERITY_ZH),
    message: cells.message,
  };
  if (cells.enabled !== "") {
    // 是 is the default (a rule runs unless switched off), so it is not written.
    if (["是", "启用", "true", "TRUE", "1"].includes(cells.enabled)) {
    } else if (["否", "停用", "false", "FALSE", "0"].includes(cells.enabled)) rule.enabled = false;
    else problems.push(`第 ${row} 行「启用」：应为 是 或 否，而不是 ${JSON.stringify(cells.enabled)}`);
  }
  if (cells.modes !== "") rule.modes = listOf(cells.modes).map((m) => enumOf(m, MODE_ZH));
  if (cells.severityByMode !== "") {
    const byMode: Record<string, string> = {};
    for (const part of listOf(cells.severityByMode)) {
      const [m, s] = part.split(/[:：]/);
      if (m === undefined || s === undefined) {
        problems.push(
          `第 ${row} 行「分模式严重程度」：${JSON.stringify(part)} 应写作 模式:严重程度（如 医院:警告）`,
        );
        continue;
      }
      byMode[enumOf(m.trim(), MODE_ZH)] = enumOf(s.trim(), SEVERITY_ZH);
    }
    rule.severityByMode = byMode;
  }
  if (cells.description !== "") rule.description = cells.description;
  if (cells.params !== "") {
    try {
      rule.params = JSON.parse(cells.params);
    } catch {
      // The parser's own message is English: say what a bureau can act on instead.
      problems.push(`第 ${row} 行「参数」：不是合法的 JSON（请检查括号、引号与逗号是否成对、完整）`);
    }
  }
  return rule;
}

/** Reads a rules workbook (.xlsx bytes). A file that is not a workbook is one problem, not a throw. */
export async function readQcRulesWorkbook(bytes: Buffer): Promise<QcRulesSheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return {
      rules: [],
      rows: [],
      id: null,
      source: null,
      problems: [`文件不是可读取的 Excel 工作簿（.xlsx）：${(e as Error).message}`],
    };
  }
  const sheet = wb.getWorksheet(QC_RULES_SHEET) ?? wb.worksheets[0];
  if (sheet === undefined)
    return { rules: [], rows: [], id: null, source: null, problems: ["工作簿没有工作表"] };
  const problems: string[] = [];
  const headerAt = new Map<ColumnKey, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const text = excelCellText(cell.value).trim();
    const c = COLUMNS.find((x) => x.header === text || x.key === text);
    if (c) headerAt.set(c.key, col);
  });
  for (const c of COLUMNS.slice(0, 4))
    if (!headerAt.has(c.key)) problems.push(`工作表「${sheet.name}」第 1 行缺少列「${c.header}」`);
  if (!headerAt.has("message")) problems.push(`工作表「${sheet.name}」第 1 行缺少列「提示信息」`);
  if (problems.length > 0) return { rules: [], rows: [], id: null, source: null, problems };
  const rules: Record<string, unknown>[] = [];
  const rows: number[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cells = Object.fromEntries(
      COLUMNS.map((c) => {
        const col = headerAt.get(c.key);
        return [c.key, col === undefined ? "" : excelCellText(row.getCell(col).value).trim()];
      }),
    ) as Record<ColumnKey, string>;
    if (Object.values(cells).every((v) => v === "")) return;
    rules.push(ruleOfRow(cells, n, problems));
    rows.push(n);
  });
  if (rules.length === 0) problems.push(`工作表「${sheet.name}」没有任何规则行`);
  const meta = new Map<string, string>();
  wb.getWorksheet("版本")?.eachRow((row) => {
    meta.set(excelCellText(row.getCell(1).value).trim(), excelCellText(row.getCell(2).value).trim());
  });
  return { rules, rows, id: meta.get("规则集编号") || null, source: meta.get("来源") || null, problems };
}

/** The validator's `rules[i]` as the sheet's row, in problems about a workbook's rules. */
export function problemsByRow(problems: readonly string[], rows: readonly number[]): string[] {
  return problems.map((p) =>
    p.replace(/rules\[(\d+)\]/g, (whole, i: string) => {
      const row = rows[Number(i)];
      return row === undefined ? whole : `第 ${row} 行`;
    }),
  );
}
