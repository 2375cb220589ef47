import type { DrgScheme } from "./scheme.js";
import type { GroupingRecord, Sex } from "./types.js";

/** A problem with one field of an input record: the field and what is wrong, in Chinese. */
export interface RecordProblem {
  readonly field: string;
  readonly message: string;
}

const SEXES: ReadonlySet<unknown> = new Set(["1", "2", ""]);

function isCodeArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/**
 * Checks that a parsed value is a grouping record in the input format of `schemes/README.md`.
 * Nothing is coerced: a value of the wrong type is a problem, never silently converted. Optional
 * fields (`dept`, `dischargeWay`, `los`, `ageDays`, `birthWeight`) may be absent.
 */
export function validateGroupingRecord(
  raw: unknown,
): { record: GroupingRecord } | { problems: RecordProblem[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: "$", message: "记录应为 JSON 对象" }] };
  }
  const o = raw as Record<string, unknown>;
  const problems: RecordProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  const nullableInt = (field: string, min: number, max: number): number | null => {
    const v = o[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      bad(field, `应为 ${min}–${max} 的整数或 null，实际为 ${JSON.stringify(v)}`);
      return null;
    }
    return v;
  };
  if (typeof o.id !== "string" || o.id === "") bad("id", "应为非空字符串");
  if (!SEXES.has(o.sex))
    bad("sex", `应为 "1"（男）、"2"（女）或 ""（缺失），实际为 ${JSON.stringify(o.sex)}`);
  const ageYears = nullableInt("ageYears", 0, 150);
  const ageDays = nullableInt("ageDays", 0, 365);
  let birthWeight: number | null = null;
  if (o.birthWeight !== undefined && o.birthWeight !== null) {
    if (typeof o.birthWeight !== "number" || !Number.isFinite(o.birthWeight) || o.birthWeight < 0) {
      bad("birthWeight", `应为非负数（克）或 null，实际为 ${JSON.stringify(o.birthWeight)}`);
    } else birthWeight = o.birthWeight;
  }
  if (o.dept !== undefined && typeof o.dept !== "string") bad("dept", "应为字符串");
  if (o.dischargeWay !== undefined && typeof o.dischargeWay !== "string") bad("dischargeWay", "应为字符串");
  const los = nullableInt("los", 0, 100_000);
  if (!isCodeArray(o.diagnoses)) bad("diagnoses", "应为诊断编码（字符串）数组，第一个为主要诊断");
  if (o.procedures !== undefined && !isCodeArray(o.procedures))
    bad("procedures", "应为手术操作编码（字符串）数组");
  if (problems.length > 0) return { problems };
  // A complete record is used as it is: no copy on the hot path, and nothing changed.
  if (
    o.dept !== undefined &&
    o.dischargeWay !== undefined &&
    o.los !== undefined &&
    o.procedures !== undefined
  ) {
    if (o.ageDays !== undefined && o.birthWeight !== undefined) return { record: raw as GroupingRecord };
  }
  return {
    record: {
      id: o.id as string,
      sex: o.sex as Sex,
      ageYears,
      ageDays,
      birthWeight,
      dept: (o.dept as string | undefined) ?? "",
      los: los ?? 0,
      dischargeWay: (o.dischargeWay as string | undefined) ?? "",
      diagnoses: o.diagnoses as string[],
      procedures: (o.procedures as string[] | undefined) ?? [],
    },
  };
}

/** One code converted to the insurance version while preparing a record (编码转换). */
export interface CodeChange {
  readonly field: "diagnoses" | "procedures";
  readonly index: number;
  readonly from: string;
  readonly to: string;
}

/** The record with its codes mapped to the insurance versions, and a report of what changed. */
export interface MappedRecord {
  readonly record: GroupingRecord;
  /** Every code that was converted. */
  readonly changes: readonly CodeChange[];
  /** Codes that are neither insurance codes nor in the version map (非医保版编码), left as they were. */
  readonly unmapped: readonly { field: "diagnoses" | "procedures"; index: number; code: string }[];
}

/**
 * Maps a record's diagnosis and procedure codes onto the scheme's insurance codes with its version
 * maps. Every conversion and every code that cannot be converted is reported.
 */
export function mapRecordCodes(scheme: DrgScheme, record: GroupingRecord): MappedRecord {
  const changes: CodeChange[] = [];
  const unmapped: { field: "diagnoses" | "procedures"; index: number; code: string }[] = [];
  const convert = (field: "diagnoses" | "procedures", codes: readonly string[]): string[] => {
    const map = field === "diagnoses" ? scheme.diagnosisMap : scheme.procedureMap;
    return codes.map((code, index) => {
      const c = map.convert(code);
      if (c.outcome === "mapped") changes.push({ field, index, from: code, to: c.code });
      else if (c.outcome === "unmapped") unmapped.push({ field, index, code });
      return c.outcome === "unmapped" ? code : c.code;
    });
  };
  const diagnoses = convert("diagnoses", record.diagnoses);
  const procedures = convert("procedures", record.procedures);
  return { record: changes.length === 0 ? record : { ...record, diagnoses, procedures }, changes, unmapped };
}
