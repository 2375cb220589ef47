/**
 * The quality-control engine (质控引擎): one function for the hospital's pre-upload check and the
 * bureau's intake; the mode only selects mode-specific rules (e.g. the deadline reminder).
 */
import { type CodeDictionary, CodeVersionMap } from "@yibao/codes";
import type { CodeTableSet } from "./code-tables.js";
import { type CodeMaps, compileQcRules, computeFacts, type Run } from "./compile.js";
import { DEFAULT_CODE_TABLES } from "./data/code-tables.js";
import { DEFAULT_QC_RULES } from "./data/qc-rules.js";
import { dayNumber, parseWireDate, parseWireDateTime } from "./dates.js";
import type { SettlementList } from "./model.js";
import { parseSettlementMessage } from "./parse.js";
import type { GroupingOutcome } from "./qc/run.js";
import type { QcFinding, QcMode, QcRuleSet } from "./rules.js";

/**
 * Code maps for plain dictionaries without a version map: every code outside the dictionaries is
 * then a non-national code (QC-CODE-002/004).
 */
export function codeMapsOf(diagnoses: CodeDictionary, procedures: CodeDictionary): CodeMaps {
  return {
    diagnosisMap: new CodeVersionMap(diagnoses, new Map()),
    procedureMap: new CodeVersionMap(procedures, new Map()),
  };
}

/** What a check needs besides the list. */
export interface QcContext {
  /** `hospital` (院端上传前质控) or `bureau` (医保端入库校验). */
  readonly mode: QcMode;
  /** The upload time ("today"), ISO `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss`. */
  readonly today: string;
  /** Diagnosis and procedure dictionaries with their version maps; a `DrgScheme` can be passed. */
  readonly codes: CodeMaps;
  /** The rule edition; the default edition when absent. */
  readonly rules?: QcRuleSet;
  /** The code-table edition; the default edition when absent. */
  readonly codeTables?: CodeTableSet;
  /**
   * Groups the list by the scheme in force, for the checks on its grouping outcome (e.g. QC-DX-010,
   * a principal procedure that does not match the principal diagnosis). Absent: those checks do not run.
   */
  readonly groupList?: (list: SettlementList) => GroupingOutcome | null;
}

export interface CheckOptions {
  /**
   * Field paths already reported while parsing the message: their values are null in the list
   * and they are not reported again as missing.
   */
  readonly alreadyReported?: ReadonlySet<string>;
}

function todayOf(ctx: QcContext): { iso: string; day: number } {
  const t = ctx.today;
  const iso =
    typeof t === "string"
      ? t.length === 10
        ? parseWireDate(t)
        : parseWireDateTime(t.replace("T", " ").slice(0, 19))
      : null;
  if (iso === null)
    throw new TypeError(`QcContext.today 应为 yyyy-MM-dd 或 yyyy-MM-ddTHH:mm:ss，实际为 ${String(t)}`);
  return { iso, day: dayNumber(iso) };
}

/**
 * Checks a parsed settlement list against every enabled rule of the context's rule set.
 * Pure; never throws for any list produced by `parseSettlementMessage`. (A rule set with invalid
 * parameters or an invalid `today` throws once, as a configuration error.)
 */
export function checkSettlementList(
  list: SettlementList,
  context: QcContext,
  options: CheckOptions = {},
): QcFinding[] {
  const compiled = compileQcRules(
    context.rules ?? DEFAULT_QC_RULES,
    context.codeTables ?? DEFAULT_CODE_TABLES,
    context.mode,
  );
  const today = todayOf(context);
  const groupList = context.groupList;
  let grouped: GroupingOutcome | null | undefined;
  const run: Run = {
    grouping: () => {
      if (grouped === undefined) grouped = groupList ? groupList(list) : null;
      return grouped;
    },
    list,
    codes: context.codes,
    todayIso: today.iso,
    todayDay: today.day,
    skip: options.alreadyReported,
    findings: [],
    setlId: list.info.setlId ?? undefined,
    facts: computeFacts(list),
    dx: null,
    px: null,
  };
  for (const check of compiled.checks) check(run);
  return run.findings;
}

/** The outcome of checking one uploaded message (质控结论). */
export interface QcResult {
  readonly list?: SettlementList;
  readonly findings: QcFinding[];
  /** True when no finding has severity `error` (and the message could be read). */
  readonly accepted: boolean;
}

/** Whether findings allow the list in: no `error` finding. */
export function isAccepted(findings: readonly QcFinding[]): boolean {
  for (const f of findings) if (f.severity === "error") return false;
  return true;
}

/**
 * Parses and checks one 4101/4101A message (the intake path): the parse findings, then the list
 * findings, with fields that could not be read reported once.
 */
export function checkSettlementMessage(json: unknown, context: QcContext): QcResult {
  const parsed = parseSettlementMessage(json, {
    rules: context.rules ?? DEFAULT_QC_RULES,
    codeTables: context.codeTables ?? DEFAULT_CODE_TABLES,
    mode: context.mode,
  });
  if (parsed.list === undefined) return { findings: parsed.findings, accepted: false };
  const reported = parsed.findings.length === 0 ? undefined : new Set(parsed.findings.map((f) => f.field));
  const findings = parsed.findings.concat(
    checkSettlementList(parsed.list, context, { alreadyReported: reported }),
  );
  return { list: parsed.list, findings, accepted: isAccepted(findings) };
}
