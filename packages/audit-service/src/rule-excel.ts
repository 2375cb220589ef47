/**
 * 审核规则表的 Excel 导入导出: a rule base (规则库) edition as a workbook the bureau edits — one row per
 * rule with Chinese headers, the check's parameters as JSON text, and a 「版本」 sheet with the
 * edition's id, region and the hospital's response deadline — and back. Reading names every problem
 * by its row and column; the edition read is then validated by the audit core's own `readRuleBase`,
 * whose problems are placed on the sheet too ({@link placeRuleBaseProblems}).
 */
import { type RuleBase, VIOLATION_TYPE_NAMES } from "@yibao/audit";
import {
  booleanCell,
  EDITION_META_SHEET,
  type ExcelColumn,
  enumCell,
  jsonCell,
  listCell,
  readTableWorkbook,
  tableWorkbook,
} from "@yibao/server";

/** The sheet of the rules. */
export const AUDIT_RULES_SHEET = "审核规则";

/** The columns: header → field (`kind` is the check's kind, `params` its other fields). */
const COLUMNS = [
  { header: "规则编号", key: "id", width: 12 },
  { header: "名称", key: "name", width: 24 },
  { header: "类别", key: "category", width: 10 },
  { header: "违规类型", key: "violation", width: 28 },
  { header: "结论", key: "outcome", width: 10 },
  { header: "适用场景", key: "scenarios", width: 16 },
  { header: "审核环节", key: "stages", width: 16 },
  { header: "检查类型", key: "kind", width: 22 },
  { header: "参数", key: "params", width: 60 },
  { header: "启用", key: "enabled", width: 8 },
  { header: "说明", key: "description", width: 60 },
  { header: "依据", key: "basis", width: 40 },
] as const satisfies readonly ExcelColumn<string>[];
type ColumnKey = (typeof COLUMNS)[number]["key"];
const REQUIRED: readonly ColumnKey[] = [
  "id",
  "name",
  "category",
  "violation",
  "outcome",
  "scenarios",
  "stages",
  "kind",
];
/** The header of a rule's field, for the validator's problems (`check` is the 检查类型 column). */
const HEADER_OF: ReadonlyMap<string, string> = new Map([
  ...COLUMNS.map((c) => [c.key as string, c.header] as const),
  ["check", "检查类型"],
]);

/** The 「版本」 sheet's entries: 项目 → the edition's field. */
const META = {
  id: "规则库编号",
  version: "版本号",
  effectiveFrom: "生效日期",
  region: "适用地区",
  workingDays: "说明期限（工作日）",
  unanswered: "逾期未说明",
  holidays: "法定节假日",
  workdays: "调休工作日",
} as const;
const UNANSWERED_ZH = { upheld: "维持", overturned: "撤销" } as const;

/** The rule base edition as a workbook (.xlsx): the rules sheet, and the 「版本」 sheet. */
export function ruleBaseWorkbook(base: RuleBase): Promise<Buffer> {
  const rows = base.rules.map((r): Record<ColumnKey, string> => {
    const { kind, ...params } = r.check;
    return {
      id: r.id,
      name: r.name,
      category: r.category,
      violation: VIOLATION_TYPE_NAMES[r.violation] ?? r.violation,
      outcome: r.outcome,
      scenarios: r.scenarios.join("、"),
      stages: r.stages.join("、"),
      kind,
      params: Object.keys(params).length > 0 ? JSON.stringify(params) : "",
      enabled: r.enabled ? "是" : "否",
      description: r.description,
      basis: r.basis,
    };
  });
  const res = base.response;
  return tableWorkbook(AUDIT_RULES_SHEET, COLUMNS, rows, [
    [META.id, base.id],
    [META.version, base.version],
    [META.effectiveFrom, base.effectiveFrom],
    [META.region, base.region],
    [META.workingDays, res ? String(res.workingDays) : ""],
    [META.unanswered, res ? UNANSWERED_ZH[res.unanswered] : ""],
    [META.holidays, res?.holidays.join("、") ?? ""],
    [META.workdays, res?.workdays.join("、") ?? ""],
  ]);
}

/** A rules workbook as read: the rules (each with its sheet row), the edition's other fields, the problems. */
export interface RuleBaseSheet {
  readonly rules: readonly Record<string, unknown>[];
  /** Row number of each rule in the sheet (for the validator's `rules.i`). */
  readonly rows: readonly number[];
  /** Indexes of the rules whose row has a problem already (the validator's are then not repeated). */
  readonly badRules: ReadonlySet<number>;
  readonly id: string | null;
  readonly region: string;
  /** The response deadline as read (absent: none), raw for the validator. */
  readonly response: Record<string, unknown> | undefined;
  /** Row of each 「版本」 entry, by the edition's field. */
  readonly metaRows: ReadonlyMap<string, number>;
  readonly problems: readonly string[];
}

const VIOLATION_BY_NAME: Readonly<Record<string, string>> = VIOLATION_TYPE_NAMES;

/** One rule row → a rule as JSON would give it; problems name the row and the column. */
function ruleOfRow(cells: Readonly<Record<ColumnKey, string>>, row: number, problems: string[]) {
  let params: object = {};
  const where = `第 ${row} 行「参数」`;
  const parsed = cells.params === "" ? {} : jsonCell(cells.params, where, problems);
  if (parsed === null || (parsed !== undefined && (typeof parsed !== "object" || Array.isArray(parsed))))
    problems.push(`${where}：应为 JSON 对象，如 {"windowDays": 14}`);
  else if (parsed !== undefined) {
    if ("kind" in parsed) problems.push(`${where}：不应含 kind（检查类型写在「检查类型」列）`);
    params = parsed;
  }
  return {
    id: cells.id,
    name: cells.name,
    category: cells.category,
    scenarios: listCell(cells.scenarios),
    stages: listCell(cells.stages),
    outcome: cells.outcome,
    violation: enumCell(cells.violation, VIOLATION_BY_NAME),
    check: { ...params, kind: cells.kind },
    enabled: booleanCell(cells.enabled, `第 ${row} 行「启用」`, problems) ?? true,
    description: cells.description,
    basis: cells.basis,
  };
}

const isDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d);

/**
 * The response deadline of the 「版本」 sheet (all four entries blank: none). A count or a date the
 * sheet cannot read is a problem, and the deadline is left out (so that the rules are still checked).
 */
function responseOf(
  meta: ReadonlyMap<string, { value: string; row: number }>,
  problems: string[],
): Record<string, unknown> | undefined {
  const days = meta.get(META.workingDays);
  if (days === undefined) {
    problems.push(`工作表「${EDITION_META_SHEET}」缺少「${META.workingDays}」一项（不设期限请将内容留空）`);
    return undefined;
  }
  const text = (k: keyof typeof META) => meta.get(META[k])?.value ?? "";
  if ([days.value, text("unanswered"), text("holidays"), text("workdays")].every((v) => v === ""))
    return undefined;
  const before = problems.length;
  const at = (k: keyof typeof META) =>
    `工作表「${EDITION_META_SHEET}」第 ${meta.get(META[k])?.row} 行「${META[k]}」`;
  if (!/^\d+$/.test(days.value))
    problems.push(`${at("workingDays")}：应为正整数（工作日天数），而不是 ${JSON.stringify(days.value)}`);
  const dates = (k: "holidays" | "workdays") => {
    const list = listCell(text(k));
    for (const d of list.filter((x) => !isDate(x)))
      problems.push(`${at(k)}：${JSON.stringify(d)} 不是日期（应写作 yyyy-MM-dd，多个日期以顿号分隔）`);
    return list;
  };
  const response = {
    workingDays: Number(days.value),
    unanswered: enumCell(text("unanswered"), UNANSWERED_ZH),
    holidays: dates("holidays"),
    workdays: dates("workdays"),
  };
  return problems.length > before ? undefined : response;
}

/** Reads a rules workbook (.xlsx bytes). A file that is not a workbook is one problem, not a throw. */
export async function readRuleBaseWorkbook(bytes: Buffer): Promise<RuleBaseSheet> {
  const table = await readTableWorkbook(bytes, AUDIT_RULES_SHEET, COLUMNS, REQUIRED);
  const problems = [...table.problems];
  const badRules = new Set<number>();
  const rules = table.rows.map((r, i) => {
    const before = problems.length;
    const rule = ruleOfRow(r.cells, r.row, problems);
    if (problems.length > before) badRules.add(i);
    return rule;
  });
  const response = table.rows.length > 0 ? responseOf(table.meta, problems) : undefined;
  const metaRows = new Map(
    (Object.entries(META) as [string, string][]).flatMap(([field, label]) => {
      const m = table.meta.get(label);
      return m ? [[field, m.row] as const] : [];
    }),
  );
  return {
    rules,
    rows: table.rows.map((r) => r.row),
    badRules,
    id: table.meta.get(META.id)?.value || null,
    region: table.meta.get(META.region)?.value ?? "",
    response,
    metaRows,
    problems,
  };
}

/** Where a 「版本」 entry is: its sheet, row and label. */
function metaPlace(sheet: RuleBaseSheet, field: string): string {
  const label = (META as Readonly<Record<string, string>>)[field] ?? field;
  const row = sheet.metaRows.get(field);
  return `工作表「${EDITION_META_SHEET}」${row === undefined ? "" : `第 ${row} 行`}「${label}」`;
}

/** One validator problem placed on the sheet: by row and column, or by the 「版本」 entry. */
function placeProblem(p: string, sheet: RuleBaseSheet): string {
  const rowOf = (i: string) => {
    const row = sheet.rows[Number(i)];
    return row === undefined ? `第 ${Number(i) + 1} 条规则` : `第 ${row} 行`;
  };
  const rowsOfId = (id: string) =>
    sheet.rules.flatMap((r, i) => (r.id === id ? [sheet.rows[i] ?? i + 2] : [])).join("、");
  const rules: [RegExp, (...g: string[]) => string][] = [
    [/^规则库\.rules\.(\d+)\.check（[^）]*）(?:\.([^：]+))?：/, (i, f) => `${rowOf(i)}「参数」${f ?? ""}：`],
    [/^规则库\.rules\.(\d+)\.([A-Za-z]+)[^：]*：/, (i, f) => `${rowOf(i)}「${HEADER_OF.get(f) ?? f}」：`],
    [/^规则库\.rules\.(\d+)：/, (i) => `${rowOf(i)}：`],
    [/^规则库\.response\.([A-Za-z]+)[^：]*：/, (f) => `${metaPlace(sheet, f)}：`],
    [/^规则库\.response：/, () => `${metaPlace(sheet, "workingDays")}：`],
    [/^规则库\.(id|region)：/, (f) => `${metaPlace(sheet, f)}：`],
    [/^规则库 [^：]*：规则编号 (.+) 重复$/, (id) => `第 ${rowsOfId(id)} 行「规则编号」：${id} 重复`],
    [/^规则 ([^：]+)：/, (id) => `第 ${rowsOfId(id)} 行（规则 ${id}）：`],
  ];
  for (const [re, to] of rules) {
    const m = re.exec(p);
    if (m) return `${to(...m.slice(1).map((g) => g as string))}${p.slice(m[0].length)}`;
  }
  return p;
}

/** The row a placed problem names first (0: none), to list the problems in the sheet's order. */
const rowNamed = (p: string) => Number(/^第 (\d+)/.exec(p)?.[1] ?? 0);

/**
 * The validator's problems placed on the sheet, after the sheet's own; a rule whose row has a
 * problem already is not named again (its parameters were not read). In the sheet's row order.
 */
export function placeRuleBaseProblems(validator: readonly string[], sheet: RuleBaseSheet): string[] {
  const again = (p: string) => {
    const i = /^规则库\.rules\.(\d+)[.：（]/.exec(p)?.[1];
    return i !== undefined && sheet.badRules.has(Number(i));
  };
  const placed = validator.filter((p) => !again(p)).map((p) => placeProblem(p, sheet));
  return [...sheet.problems, ...placed]
    .map((p, i) => ({ p, i, row: rowNamed(p) }))
    .sort((a, b) => a.row - b.row || a.i - b.i)
    .map((x) => x.p);
}
