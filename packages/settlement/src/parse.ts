/**
 * Reading a 4101/4101A message (报文解析). Never throws: every problem of the raw JSON becomes a
 * finding naming the field path; a value that cannot be read is kept as null in the list.
 */
import type { CodeTableSet } from "./code-tables.js";
import {
  type CompiledQcRules,
  type CompiledRule,
  compileQcRules,
  PRINCIPAL_FLAG,
  PRINCIPAL_PROCEDURE_TYPE,
  WESTERN_DIAG_TYPE,
} from "./compile.js";
import { DEFAULT_CODE_TABLES } from "./data/code-tables.js";
import { DEFAULT_QC_RULES } from "./data/qc-rules.js";
import { parseWireDate, parseWireDateTime } from "./dates.js";
import { type FieldSpec, type Infno, SECTIONS, SETLINFO_FIELDS } from "./fields.js";
import type { Diagnosis, Procedure, SettlementInfo, SettlementList } from "./model.js";
import { parseFen } from "./money.js";
import type { QcCheckKind, QcFinding, QcMode, QcRuleSet } from "./rules.js";
import { jsonTypeName, renderTemplate, showValue } from "./template.js";
import { escapeUnstorableText, unstorableTextProblem } from "./text.js";

export interface ParseOptions {
  /** The rule set whose structure and format rules (ids, messages, severities) apply. */
  readonly rules?: QcRuleSet;
  readonly codeTables?: CodeTableSet;
  readonly mode?: QcMode;
}

export interface ParseResult {
  /** The list, when the message had an `input.setlinfo` object and a valid `infno`. */
  readonly list?: SettlementList;
  readonly findings: QcFinding[];
}

interface Ctx {
  readonly rules: CompiledQcRules;
  readonly findings: QcFinding[];
  readonly setlId: string | undefined;
}

function report(ctx: Ctx, kind: QcCheckKind, field: string, vars: Record<string, string | number>): void {
  const rule: CompiledRule | undefined = ctx.rules.parse[kind];
  if (rule === undefined) return;
  vars.field = field;
  ctx.findings.push({
    ruleId: rule.id,
    severity: rule.severity,
    field,
    message: renderTemplate(rule.template, vars),
    setlId: ctx.setlId,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Field names that an object could inherit (none of the interface's names today): only these need
 * the slower own-property test, every other field is read directly.
 */
const INHERITABLE: ReadonlySet<string> = new Set(
  [SETLINFO_FIELDS, ...SECTIONS.map((s) => s.fields)].flatMap((fs) =>
    (fs as readonly FieldSpec[]).map((f) => f.wire).filter((w) => w in Object.prototype),
  ),
);

/** Parses an N value with at most `len` digits, `dec` of them decimals; non-negative. */
export function parseDecimal(v: unknown, len: number, dec: number): number | null {
  let s: string;
  if (typeof v === "string") s = v;
  else if (typeof v === "number" && Number.isFinite(v)) s = String(v);
  else return null;
  const n = s.length;
  let i = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return null;
    intDigits++;
  }
  if (intDigits === 0 || intDigits > len - dec) return null;
  if (i < n) {
    const decimals = n - i - 1;
    if (decimals < 1 || decimals > dec) return null;
    for (let k = i + 1; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c < 48 || c > 57) return null;
    }
  }
  return Number(s);
}

const C_EXPECTED = "字符串";

/** Makes a record from the values of its fields (in field order) and a row position. */
type RecordBuilder = (values: readonly unknown[], position: number) => Record<string, unknown>;

/**
 * A builder that returns an object literal with constant keys, generated once from the field specs
 * (static identifiers of this package, never input). Records built by key-by-key assignment of ~90
 * fields fall into V8's slow dictionary mode; literal-built ones share one fast hidden class, which
 * halves the cost of reading and checking a list.
 */
function recordBuilder(fields: readonly FieldSpec[], withPosition: boolean): RecordBuilder {
  const keys = fields.map((f) => f.key);
  for (const k of keys) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) throw new Error(`invalid field key ${k}`);
  const body = keys.map((k, i) => `${k}: v[${i}]`).join(", ");
  return new Function("v", "p", `return { ${withPosition ? "position: p, " : ""}${body} };`) as RecordBuilder;
}

const BUILD_INFO = recordBuilder(SETLINFO_FIELDS, false);
const BUILD_ROW: ReadonlyMap<string, RecordBuilder> = new Map(
  SECTIONS.map((s) => [s.wire, recordBuilder(s.fields, true)]),
);

function readRecord(
  ctx: Ctx,
  raw: Record<string, unknown>,
  fields: readonly FieldSpec[],
  prefix: string,
  out: unknown[],
): void {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldSpec;
    const v = INHERITABLE.has(f.wire) ? own(raw, f.wire) : raw[f.wire];
    if (v === undefined || v === null || v === "") {
      out[i] = null;
      continue;
    }
    let value: unknown = null;
    switch (f.kind) {
      case "C":
        if (typeof v === "string") value = v.charCodeAt(0) > 32 || v.trim() !== "" ? v : null;
        else if (typeof v === "number" && Number.isFinite(v)) value = String(v);
        else
          report(ctx, "jsonType", prefix + f.wire, {
            label: f.label,
            expected: C_EXPECTED,
            actual: `${jsonTypeName(v)} ${showValue(v)}`,
          });
        break;
      case "N":
        value = parseDecimal(v, f.len ?? 16, f.dec ?? 0);
        if (value === null) {
          report(ctx, "number", prefix + f.wire, {
            label: f.label,
            intDigits: (f.len ?? 16) - (f.dec ?? 0),
            decimals: f.dec ?? 0,
            value: showValue(v),
          });
        }
        break;
      case "M":
        value = parseFen(v);
        if (value === null) report(ctx, "money", prefix + f.wire, { label: f.label, value: showValue(v) });
        break;
      case "D":
        value = typeof v === "string" ? parseWireDate(v) : null;
        if (value === null) report(ctx, "date", prefix + f.wire, { label: f.label, value: showValue(v) });
        break;
      case "T":
        value = typeof v === "string" ? parseWireDateTime(v) : null;
        if (value === null) report(ctx, "datetime", prefix + f.wire, { label: f.label, value: showValue(v) });
        break;
    }
    out[i] = value;
  }
}

/** Amount fields whose sum over a section's rows is beyond the safe-integer range (fen). */
function checkSums(
  ctx: Ctx,
  wire: string,
  fields: readonly FieldSpec[],
  rows: readonly Record<string, unknown>[],
): void {
  if (rows.length < 2) return;
  for (const f of fields) {
    if (f.kind !== "M") continue;
    let total = 0;
    for (const r of rows) {
      const v = r[f.key];
      if (typeof v === "number") total += v;
    }
    if (!Number.isSafeInteger(total)) {
      report(ctx, "range", `${wire}[].${f.wire}`, {
        problem: "各行合计超出 ±9007199254740991 分",
        value: shownNumber(total / 100),
      });
    }
  }
}

/** Moves the first row satisfying `isPrincipal` to the front, keeping the others in order. */
function principalFirst<T>(rows: T[], isPrincipal: (r: T) => boolean): T[] {
  const i = rows.findIndex(isPrincipal);
  if (i <= 0) return rows;
  const p = rows[i] as T;
  return [p, ...rows.slice(0, i), ...rows.slice(i + 1)];
}

/** Deepest nesting a message may have: the interface needs 4 (message → input → section → row). */
export const MAX_MESSAGE_DEPTH = 32;

/** At most this many text, range and depth findings per message. */
const MAX_SCAN_FINDINGS = 20;

function shownNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? "无穷大" : "负无穷大";
}

/**
 * Walks the whole message, unknown fields and field names included, without recursion: text with
 * U+0000 or an unpaired surrogate (`text`), numbers that are not finite or beyond ±(2^53 − 1)
 * (`range`), nesting deeper than `MAX_MESSAGE_DEPTH` (`depth`). Paths are named like the fields,
 * `setlinfo.psn_name`, `diseinfo[0].diag_name` (no `input.` prefix).
 */
function scanMessage(ctx: Ctx, json: Record<string, unknown>): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: json, path: "", depth: 0 }];
  let found = 0;
  const reportOnce = (kind: QcCheckKind, field: string, vars: Record<string, string | number>) => {
    found++;
    report(ctx, kind, field, vars);
  };
  while (stack.length > 0 && found < MAX_SCAN_FINDINGS) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === "string") {
      const problem = unstorableTextProblem(v);
      if (problem !== null) reportOnce("text", path, { problem, value: showValue(escapeUnstorableText(v)) });
    } else if (typeof v === "number") {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) {
        reportOnce("range", path, {
          problem: Number.isFinite(v) ? "超出 ±9007199254740991" : "超出双精度数范围",
          value: shownNumber(v),
        });
      }
    } else if (typeof v === "object" && v !== null) {
      if (depth >= MAX_MESSAGE_DEPTH) {
        reportOnce("depth", path, { max: MAX_MESSAGE_DEPTH });
        continue;
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--)
          stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      } else {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i] as string;
          const shownKey = key === "" ? '""' : escapeUnstorableText(key);
          const child = path === "" || path === "input" ? shownKey : `${path}.${shownKey}`;
          const problem = unstorableTextProblem(key);
          if (problem !== null) reportOnce("text", child, { problem: `字段名含${problem}`, value: shownKey });
          stack.push({ v: (v as Record<string, unknown>)[key], path: child, depth: depth + 1 });
        }
      }
    }
  }
}

/**
 * Parses a 4101/4101A message (already `JSON.parse`d) into a `SettlementList`. Structure and
 * format problems (wrong JSON types, bad numbers, money with more than 2 decimals, invalid
 * dates) become findings; the affected values are null in the list. Nothing is thrown.
 */
export function parseSettlementMessage(json: unknown, options: ParseOptions = {}): ParseResult {
  const rules = compileQcRules(
    options.rules ?? DEFAULT_QC_RULES,
    options.codeTables ?? DEFAULT_CODE_TABLES,
    options.mode ?? "bureau",
  );
  const findings: QcFinding[] = [];
  const early: Ctx = { rules, findings, setlId: undefined };
  if (!isObject(json)) {
    report(early, "message", "$", { detail: `报文应为 JSON 对象，实际为${jsonTypeName(json)}` });
    return { findings };
  }
  const input = own(json, "input");
  const setlinfo = isObject(input) ? own(input, "setlinfo") : undefined;
  const rawId = isObject(setlinfo) ? own(setlinfo, "setl_id") : undefined;
  const ctx: Ctx = {
    rules,
    findings,
    setlId:
      typeof rawId === "string" && rawId !== ""
        ? rawId
        : typeof rawId === "number"
          ? String(rawId)
          : undefined,
  };

  scanMessage(ctx, json);

  const rawInfno = own(json, "infno");
  const infnoText = typeof rawInfno === "number" ? String(rawInfno) : rawInfno;
  const infno = infnoText === "4101" || infnoText === "4101A" ? (infnoText as Infno) : null;
  if (infno === null) report(ctx, "infno", "infno", { value: showValue(rawInfno) });

  let msgid: string | null = null;
  const rawMsgid = own(json, "msgid");
  if (typeof rawMsgid === "string") msgid = rawMsgid === "" ? null : rawMsgid;
  else if (rawMsgid !== undefined && rawMsgid !== null) {
    report(ctx, "jsonType", "msgid", {
      label: "报文ID",
      expected: C_EXPECTED,
      actual: `${jsonTypeName(rawMsgid)} ${showValue(rawMsgid)}`,
    });
  }

  if (!isObject(input)) {
    report(ctx, "message", "input", {
      detail: input === undefined ? "缺少 input 节点" : `input 应为对象，实际为${jsonTypeName(input)}`,
    });
    return { findings };
  }
  if (!isObject(setlinfo)) {
    if (setlinfo === undefined || setlinfo === null) {
      report(ctx, "message", "setlinfo", { detail: "缺少结算清单信息 setlinfo 节点" });
    } else {
      report(ctx, "sectionType", "setlinfo", {
        label: "结算清单信息",
        expected: "对象",
        actual: jsonTypeName(setlinfo),
      });
    }
    return { findings };
  }

  const infoValues: unknown[] = new Array(SETLINFO_FIELDS.length);
  readRecord(ctx, setlinfo, SETLINFO_FIELDS, "setlinfo.", infoValues);
  const info = BUILD_INFO(infoValues, 0);

  const sections: Record<string, unknown[]> = {};
  for (const s of SECTIONS) {
    const raw = own(input, s.wire);
    const rows: Record<string, unknown>[] = [];
    const build = BUILD_ROW.get(s.wire) as RecordBuilder;
    const values: unknown[] = new Array(s.fields.length);
    sections[s.key] = rows;
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      report(ctx, "sectionType", s.wire, { label: s.label, expected: "数组", actual: jsonTypeName(raw) });
      continue;
    }
    for (let i = 0; i < raw.length; i++) {
      const el: unknown = raw[i];
      if (!isObject(el)) {
        report(ctx, "sectionType", `${s.wire}[${i}]`, {
          label: s.label,
          expected: "对象",
          actual: jsonTypeName(el),
        });
        continue;
      }
      readRecord(ctx, el, s.fields, `${s.wire}[${i}].`, values);
      rows.push(build(values, i));
    }
    checkSums(ctx, s.wire, s.fields, rows);
  }
  if (infno === null) return { findings };

  const list: SettlementList = {
    infno,
    msgid,
    info: info as unknown as SettlementInfo,
    fundPayments: sections.fundPayments as unknown as SettlementList["fundPayments"],
    outpatientSpecialDiseases:
      sections.outpatientSpecialDiseases as unknown as SettlementList["outpatientSpecialDiseases"],
    diagnoses: principalFirst(
      sections.diagnoses as unknown as Diagnosis[],
      (d) => d.diagType === WESTERN_DIAG_TYPE && d.maindiagFlag === PRINCIPAL_FLAG,
    ),
    feeItems: sections.feeItems as unknown as SettlementList["feeItems"],
    procedures: principalFirst(
      sections.procedures as unknown as Procedure[],
      (p) => p.oprnOprtType === PRINCIPAL_PROCEDURE_TYPE,
    ),
    icuStays: sections.icuStays as unknown as SettlementList["icuStays"],
    transfusions: sections.transfusions as unknown as SettlementList["transfusions"],
  };
  return { list, findings };
}
