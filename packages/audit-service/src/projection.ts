/**
 * The compact projection's message (audit_list_projection.m, migration 0201) back to the settlement
 * list the audit converts. Each value is read exactly as `parseSettlementMessage` reads that field
 * (same field spec, same parsers: empty → null, C text, N decimal, M fen, D/T wire dates); the rows
 * and the list have the shapes the parser builds (every field, absent ones null), principal diagnosis
 * and principal procedure first. Only the fields the audit's conversion reads are in the projection,
 * as in the slim message; the QC findings of the parser are not needed there and not produced.
 */
import {
  DISEINFO_FIELDS,
  type FieldSpec,
  ITEMINFO_FIELDS,
  OPRNINFO_FIELDS,
  PAYINFO_FIELDS,
  PRINCIPAL_FLAG,
  PRINCIPAL_PROCEDURE_TYPE,
  parseDecimal,
  parseFen,
  parseWireDate,
  parseWireDateTime,
  SETLINFO_FIELDS,
  type SettlementList,
  WESTERN_DIAG_TYPE,
} from "@yibao/settlement";
import { AUDIT_SECTION_KEYS, AUDIT_SETLINFO_KEYS } from "./migrations.js";

/** One value as the parser reads it (its `readRecord` without the findings). */
function readValue(f: FieldSpec, v: unknown): unknown {
  if (v === undefined || v === null || v === "") return null;
  switch (f.kind) {
    case "C":
      if (typeof v === "string") return v.charCodeAt(0) > 32 || v.trim() !== "" ? v : null;
      if (typeof v === "number" && Number.isFinite(v)) return String(v);
      return null;
    case "N":
      return parseDecimal(v, f.len ?? 16, f.dec ?? 0);
    case "M":
      return parseFen(v);
    case "D":
      return typeof v === "string" ? parseWireDate(v) : null;
    case "T":
      return typeof v === "string" ? parseWireDateTime(v) : null;
  }
}

type Builder = (v: readonly unknown[], p: number) => Record<string, unknown>;

/**
 * Reads the kept values (in `kept` order) of one record into an object literal with every field of
 * `fields` (the others null), as the parser's record builder makes it. Generated once from the
 * package's own field specs (static identifiers, never input).
 */
function reader(
  fields: readonly FieldSpec[],
  kept: readonly string[],
  withPosition: boolean,
): (values: readonly unknown[], position: number) => Record<string, unknown> {
  const specs = kept.map((w) => {
    const f = fields.find((x) => x.wire === w);
    if (f === undefined) throw new Error(`unknown field ${w}`);
    return f;
  });
  const slot = new Map(specs.map((f, i) => [f.key, i]));
  for (const f of fields) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(f.key)) throw new Error(`invalid key ${f.key}`);
  const body = fields
    .map((f) => `${f.key}: ${slot.has(f.key) ? `v[${slot.get(f.key)}]` : "null"}`)
    .join(", ");
  const build = new Function(
    "v",
    "p",
    `return { ${withPosition ? "position: p, " : ""}${body} };`,
  ) as Builder;
  const out: unknown[] = new Array(specs.length);
  return (values, position) => {
    for (let i = 0; i < specs.length; i++) out[i] = readValue(specs[i] as FieldSpec, values[i]);
    return build(out, position);
  };
}

const READ_INFO = reader(SETLINFO_FIELDS, AUDIT_SETLINFO_KEYS, false);
const READ_DIAGNOSIS = reader(DISEINFO_FIELDS, AUDIT_SECTION_KEYS.diseinfo, true);
const READ_PROCEDURE = reader(OPRNINFO_FIELDS, AUDIT_SECTION_KEYS.oprninfo, true);
const READ_FEE = reader(ITEMINFO_FIELDS, AUDIT_SECTION_KEYS.iteminfo, true);
const READ_PAYMENT = reader(PAYINFO_FIELDS, AUDIT_SECTION_KEYS.payinfo, true);

function rows(
  section: unknown,
  read: (values: readonly unknown[], position: number) => Record<string, unknown>,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const raw = section as readonly (readonly unknown[])[];
  for (let i = 0; i < raw.length; i++) out.push(read(raw[i] as readonly unknown[], i));
  return out;
}

/** Moves the first row satisfying `isPrincipal` to the front, keeping the others in order (as the parser). */
function principalFirst<T>(list: T[], isPrincipal: (r: T) => boolean): T[] {
  const i = list.findIndex(isPrincipal);
  if (i <= 0) return list;
  const p = list[i] as T;
  return [p, ...list.slice(0, i), ...list.slice(i + 1)];
}

/** Whether a projection message is the compact array (else it is the slim message, parsed as before). */
export function isCompactProjection(m: unknown): m is readonly unknown[] {
  return Array.isArray(m);
}

/** The settlement list of a compact projection message. */
export function listFromProjection(m: readonly unknown[]): SettlementList {
  const infno = typeof m[0] === "number" ? String(m[0]) : (m[0] as string);
  const diagnoses = rows(m[2], READ_DIAGNOSIS) as unknown as SettlementList["diagnoses"][number][];
  const procedures = rows(m[3], READ_PROCEDURE) as unknown as SettlementList["procedures"][number][];
  return {
    infno: infno as SettlementList["infno"],
    msgid: null,
    info: READ_INFO(m[1] as readonly unknown[], 0) as unknown as SettlementList["info"],
    fundPayments: rows(m[5], READ_PAYMENT) as unknown as SettlementList["fundPayments"],
    outpatientSpecialDiseases: [],
    diagnoses: principalFirst(
      diagnoses,
      (d) => d.diagType === WESTERN_DIAG_TYPE && d.maindiagFlag === PRINCIPAL_FLAG,
    ),
    feeItems: rows(m[4], READ_FEE) as unknown as SettlementList["feeItems"],
    procedures: principalFirst(procedures, (p) => p.oprnOprtType === PRINCIPAL_PROCEDURE_TYPE),
    icuStays: [],
    transfusions: [],
  };
}
