/**
 * 质控规则表的 Excel 导入导出: a QC rule edition as a workbook the bureau edits — one row per rule
 * with Chinese headers, the parameters as JSON text — and back. Reading names every problem by its
 * row and column; the edition read is then validated exactly as a JSON edition is.
 */
import { QC_CATEGORY_NAMES, type QcRuleSet } from "@yibao/settlement";
import {
  booleanCell,
  type ExcelColumn,
  enumCell,
  jsonCell,
  listCell,
  readTableWorkbook,
  tableWorkbook,
} from "./excel-table.js";

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
] as const satisfies readonly ExcelColumn<string>[];
type ColumnKey = (typeof COLUMNS)[number]["key"];
const REQUIRED: readonly ColumnKey[] = ["id", "check", "category", "severity", "message"];

const SEVERITY_ZH = { error: "错误", warning: "警告" } as const;
const MODE_ZH = { bureau: "医保局", hospital: "医院" } as const;
const CATEGORY_BY_NAME = new Map(Object.entries(QC_CATEGORY_NAMES).map(([k, v]) => [v, k]));

/** The rule edition as a workbook (.xlsx): the rules sheet, and a sheet naming the edition. */
export async function qcRulesWorkbook(edition: QcRuleSet): Promise<Buffer> {
  const rows = edition.rules.map(
    (r): Record<ColumnKey, string> => ({
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
    }),
  );
  return tableWorkbook(QC_RULES_SHEET, COLUMNS, rows, [
    ["规则集编号", edition.id],
    ["版本号", edition.version],
    ["生效日期", edition.effectiveDate],
    ["来源", edition.source ?? ""],
  ]);
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

/** One rule row → a rule object as JSON would give it; problems name the row and the column. */
function ruleOfRow(cells: Readonly<Record<ColumnKey, string>>, row: number, problems: string[]) {
  const rule: Record<string, unknown> = {
    id: cells.id,
    check: cells.check,
    category: CATEGORY_BY_NAME.get(cells.category) ?? cells.category,
    severity: enumCell(cells.severity, SEVERITY_ZH),
    message: cells.message,
  };
  // 是 is the default (a rule runs unless switched off), so it is not written.
  if (booleanCell(cells.enabled, `第 ${row} 行「启用」`, problems) === false) rule.enabled = false;
  if (cells.modes !== "") rule.modes = listCell(cells.modes).map((m) => enumCell(m, MODE_ZH));
  if (cells.severityByMode !== "") {
    const byMode: Record<string, string> = {};
    for (const part of listCell(cells.severityByMode)) {
      const [m, s] = part.split(/[:：]/);
      if (m === undefined || s === undefined) {
        problems.push(
          `第 ${row} 行「分模式严重程度」：${JSON.stringify(part)} 应写作 模式:严重程度（如 医院:警告）`,
        );
        continue;
      }
      byMode[enumCell(m.trim(), MODE_ZH)] = enumCell(s.trim(), SEVERITY_ZH);
    }
    rule.severityByMode = byMode;
  }
  if (cells.description !== "") rule.description = cells.description;
  if (cells.params !== "") {
    const params = jsonCell(cells.params, `第 ${row} 行「参数」`, problems);
    if (params !== undefined) rule.params = params;
  }
  return rule;
}

/** Reads a rules workbook (.xlsx bytes). A file that is not a workbook is one problem, not a throw. */
export async function readQcRulesWorkbook(bytes: Buffer): Promise<QcRulesSheet> {
  const table = await readTableWorkbook(bytes, QC_RULES_SHEET, COLUMNS, REQUIRED);
  const problems = [...table.problems];
  const rules = table.rows.map((r) => ruleOfRow(r.cells, r.row, problems));
  return {
    rules,
    rows: table.rows.map((r) => r.row),
    id: table.meta.get("规则集编号")?.value || null,
    source: table.meta.get("来源")?.value || null,
    problems,
  };
}
