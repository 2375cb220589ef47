/**
 * 质控规则 (quality-control rules) as data. A rule names a built-in check (`check`), and carries
 * its id, category, Chinese message template, severity and parameters. Operators may change
 * severities, messages, parameters, modes, switch rules off, or add further rules of a check kind
 * that takes parameters (e.g. another sex-specific code list), by publishing a new `QcRuleSet`
 * with a new version and effective date.
 */

/** `error` refuses the list (不予接收); `warning` accepts it with a note (提示). */
export type Severity = "error" | "warning";

/** Where the check runs: the hospital's pre-upload check (院端事前质控) or the bureau's intake (医保端入库校验). */
export type QcMode = "hospital" | "bureau";

export const QC_MODES: readonly QcMode[] = ["hospital", "bureau"];

/** Rule categories (规则类别). */
export type QcCategory =
  | "structure"
  | "format"
  | "required"
  | "codeTable"
  | "coding"
  | "diagnosis"
  | "procedure"
  | "count"
  | "date"
  | "age"
  | "newborn"
  | "fee"
  | "deadline"
  | "identity";

/** Chinese names of the categories. */
export const QC_CATEGORY_NAMES: Readonly<Record<QcCategory, string>> = {
  structure: "报文结构",
  format: "数据格式",
  required: "完整性（必填项）",
  codeTable: "代码范围",
  coding: "编码版本",
  diagnosis: "诊断逻辑",
  procedure: "手术操作逻辑",
  count: "计数一致性",
  date: "日期逻辑",
  age: "年龄逻辑",
  newborn: "新生儿",
  fee: "费用平衡",
  deadline: "上传时限",
  identity: "数据标识",
};

/**
 * The built-in checks a rule can name. The first group runs while a message is parsed (it
 * concerns the raw JSON), the rest on the parsed list.
 */
/** The checks that run while a message is parsed (they concern the raw JSON). */
const PARSE_KINDS = [
  "message",
  "infno",
  "sectionType",
  "jsonType",
  "number",
  "money",
  "date",
  "datetime",
  "text",
  "range",
  "depth",
] as const;

/** The checks that run on the parsed list. */
const LIST_KINDS = [
  "length",
  "pattern",
  "required",
  "required4101",
  "ageRequired",
  "conditionalRequired",
  "codeTable",
  "diagnosisMapped",
  "diagnosisUnmapped",
  "procedureMapped",
  "procedureUnmapped",
  "principalDiagnosisCount",
  "asteriskPrincipal",
  "principalNotAllowed",
  "externalCauseMissing",
  "duplicateDiagnosis",
  "anaesthesiaMethod",
  "durationWithinStay",
  "daysWithinStay",
  "requiredByRule",
  "sexSpecificDiagnosis",
  "ageSpecificDiagnosis",
  "principalProcedure",
  "principalProcedureMismatch",
  "diagnosisCount",
  "procedureCount",
  "dateOrder",
  "actualStayDays",
  "notAfterUpload",
  "procedureDateInStay",
  "ageYears",
  "ageDays",
  "newbornWeightRequired",
  "newbornWeightRange",
  "itemSum",
  "moneyIdentity",
  "uploadDeadline",
  "uploadDeadlineNear",
  "idCardChecksum",
  "idCardConsistency",
] as const;

export const QC_CHECK_KINDS = [...PARSE_KINDS, ...LIST_KINDS] as const;

export type QcCheckKind = (typeof QC_CHECK_KINDS)[number];

/** The checks that run while parsing the raw message. */
export const PARSE_PHASE_KINDS: ReadonlySet<QcCheckKind> = new Set<QcCheckKind>(PARSE_KINDS);

/** One quality-control rule (质控规则). */
export interface QcRule {
  /** Stable id, e.g. `QC-FMT-001`; findings carry it. */
  readonly id: string;
  readonly check: QcCheckKind;
  readonly category: QcCategory;
  readonly severity: Severity;
  /**
   * Chinese message template. `{name}` is replaced by the finding's variables; every check
   * provides `{field}` (the path), and most `{label}` (the field's Chinese name) and `{value}`.
   */
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** The modes the rule runs in; all when absent. */
  readonly modes?: readonly QcMode[];
  /** A different severity in one mode. */
  readonly severityByMode?: Readonly<Partial<Record<QcMode, Severity>>>;
  /** False switches the rule off. */
  readonly enabled?: boolean;
  /** What the rule is for, in Chinese (for rule listings). */
  readonly description?: string;
}

/** A versioned, dated edition of the rules (质控规则集). */
export interface QcRuleSet {
  readonly id: string;
  readonly version: string;
  /** 生效日期 `yyyy-MM-dd`. */
  readonly effectiveDate: string;
  readonly source?: string;
  readonly rules: readonly QcRule[];
}

/** A problem found in a list (质控结果). */
export interface QcFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Path of the field, e.g. `setlinfo.brdy`, `diseinfo[2].diag_code`; `input` or `$` for the message. */
  readonly field: string;
  /** Chinese message naming the value. */
  readonly message: string;
  /** 结算ID of the list, when known. */
  readonly setlId?: string;
}

const SEVERITIES: ReadonlySet<unknown> = new Set(["error", "warning"]);
const CATEGORIES: ReadonlySet<unknown> = new Set(Object.keys(QC_CATEGORY_NAMES));
const KINDS: ReadonlySet<unknown> = new Set(QC_CHECK_KINDS);
const MODES: ReadonlySet<unknown> = new Set(QC_MODES);

/**
 * Validates an operator-supplied rule set (e.g. parsed JSON): shape, known check kinds, unique ids.
 * The parameters of each rule are checked when the rule set is compiled (`compileQcRules`).
 */
export function validateQcRuleSet(raw: unknown): { ruleSet?: QcRuleSet; problems: string[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { problems: ["规则集应为 JSON 对象"] };
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of ["id", "version", "effectiveDate"] as const) {
    if (typeof o[k] !== "string" || o[k] === "") problems.push(`缺少 ${k}（字符串）`);
  }
  if (!Array.isArray(o.rules)) return { problems: [...problems, "缺少 rules（数组）"] };
  const ids = new Set<string>();
  o.rules.forEach((r: unknown, i: number) => {
    const where = `rules[${i}]`;
    if (typeof r !== "object" || r === null) {
      problems.push(`${where} 应为对象`);
      return;
    }
    const rule = r as Record<string, unknown>;
    if (typeof rule.id !== "string" || rule.id === "") problems.push(`${where} 缺少 id`);
    else if (ids.has(rule.id)) problems.push(`${where} 规则编号 ${rule.id} 重复`);
    else ids.add(rule.id);
    if (!KINDS.has(rule.check)) problems.push(`${where} 未知的检查类型 ${JSON.stringify(rule.check)}`);
    if (!CATEGORIES.has(rule.category)) problems.push(`${where} 未知的类别 ${JSON.stringify(rule.category)}`);
    if (!SEVERITIES.has(rule.severity)) problems.push(`${where} 严重程度应为 error 或 warning`);
    if (typeof rule.message !== "string" || rule.message === "")
      problems.push(`${where} 缺少提示信息 message`);
    if (rule.params !== undefined && (typeof rule.params !== "object" || rule.params === null)) {
      problems.push(`${where} params 应为对象`);
    }
    if (rule.modes !== undefined && (!Array.isArray(rule.modes) || !rule.modes.every((m) => MODES.has(m)))) {
      problems.push(`${where} modes 只能包含 hospital、bureau`);
    }
    if (rule.severityByMode !== undefined) {
      const sbm = rule.severityByMode;
      if (
        typeof sbm !== "object" ||
        sbm === null ||
        !Object.entries(sbm).every(([m, s]) => MODES.has(m) && SEVERITIES.has(s))
      ) {
        problems.push(`${where} severityByMode 应为 {hospital|bureau: error|warning}`);
      }
    }
  });
  return problems.length > 0 ? { problems } : { ruleSet: raw as QcRuleSet, problems };
}
