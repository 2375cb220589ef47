/**
 * Codes are text (编码为字符型): `setl_id`, `infno` and every code and identifier field of a 4101/4101A
 * envelope must be a JSON string (or null / absent). A number there is refused outright rather than
 * read as text: `123` and `"0123"` are different codes, and a number would slip past any check that
 * compares strings (e.g. which institution owns a `setl_id`).
 */
import { type FieldSpec, SECTIONS, SETLINFO_FIELDS } from "./fields.js";
import { jsonTypeName, showValue } from "./template.js";

/** Text identifiers that are codes without a code table. */
const CODE_LIKE = /(_id|_code|_no)$/;
const OTHER_CODES: ReadonlySet<string> = new Set(["medcasno", "certno", "insuplc", "opsp_diag_caty"]);

/** Whether a field holds a code (a code-table value or an identifier), which must be sent as a string. */
export function isCodeField(f: FieldSpec): boolean {
  return f.kind === "C" && (f.dict !== undefined || CODE_LIKE.test(f.wire) || OTHER_CODES.has(f.wire));
}

const SETLINFO_CODES = SETLINFO_FIELDS.filter(isCodeField).map((f) => ({ wire: f.wire, label: f.label }));
const SECTION_CODES = SECTIONS.map((s) => ({
  wire: s.wire,
  codes: (s.fields as readonly FieldSpec[])
    .filter(isCodeField)
    .map((f) => ({ wire: f.wire, label: f.label })),
}));

/** A code sent as another JSON type than string. */
export interface CodeTypeProblem {
  /** Path in the envelope, e.g. `input.setlinfo.setl_id`, `input.diseinfo[0].diag_code`. */
  readonly field: string;
  /** Chinese message naming the field and what was sent. */
  readonly message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every code of the envelope that is present but not a string. What is not an envelope at all (no
 * `input.setlinfo` object) has no problems here: the QC rules report it.
 */
export function codeTypeProblems(envelope: unknown): CodeTypeProblem[] {
  const out: CodeTypeProblem[] = [];
  if (!isObject(envelope)) return out;
  const check = (v: unknown, field: string, label: string) => {
    if (v !== undefined && v !== null && typeof v !== "string") {
      out.push({
        field,
        message: `${label}（${field}）应为字符串，实际为${jsonTypeName(v)} ${showValue(v)}`,
      });
    }
  };
  if (Object.hasOwn(envelope, "infno")) check(envelope.infno, "infno", "交易编号");
  const input = Object.hasOwn(envelope, "input") ? envelope.input : undefined;
  if (!isObject(input)) return out;
  const setlinfo = Object.hasOwn(input, "setlinfo") ? input.setlinfo : undefined;
  if (isObject(setlinfo)) {
    for (const f of SETLINFO_CODES) {
      if (Object.hasOwn(setlinfo, f.wire)) check(setlinfo[f.wire], `input.setlinfo.${f.wire}`, f.label);
    }
  }
  for (const s of SECTION_CODES) {
    const rows = Object.hasOwn(input, s.wire) ? input[s.wire] : undefined;
    if (!Array.isArray(rows) || s.codes.length === 0) continue;
    rows.forEach((row: unknown, i: number) => {
      if (!isObject(row)) return;
      for (const f of s.codes) {
        if (Object.hasOwn(row, f.wire)) check(row[f.wire], `input.${s.wire}[${i}].${f.wire}`, f.label);
      }
    });
  }
  return out;
}
