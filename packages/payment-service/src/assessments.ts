/**
 * 年终考核系数 (hospital assessment factors) of a year, recorded by the bureau and applied at clearing:
 * the surplus a hospital keeps and its share of the 结余共享 reward are multiplied by it (seed 000
 * l.1378–1380: 奖励的资金可以按照各医疗机构的医保资金实际支出金额和年终考核结果进行分配). A hospital
 * without a recorded factor clears at 1. A batch is checked whole before anything is written.
 */
import { formatRatio, parseRatio } from "@yibao/payment";
import { knownHospitalCodes, type Store } from "@yibao/store";
import { dbOf, PaymentInputError } from "./repo.js";

export interface AssessmentInput {
  readonly hospital: string;
  /** The factor as a decimal (e.g. "0.95"), 0–2. */
  readonly factor: string;
  readonly note?: string;
}

export interface AssessmentRow {
  readonly year: number;
  readonly hospitalCode: string;
  readonly factor: string;
  readonly note: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

const MAX_FACTOR = 2_000_000;

/** Records (or replaces) the factors of a year; returns how many were written. */
export async function recordAssessments(
  store: Store,
  year: number,
  items: readonly AssessmentInput[],
  actor: string,
): Promise<number> {
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new PaymentInputError("year：须为四位年份");
  const known = await knownHospitalCodes(store.db, [...new Set(items.map((x) => x.hospital))]);
  const seen = new Set<string>();
  const rows = items.map((x, i) => {
    if (!known.has(x.hospital))
      throw new PaymentInputError(`items[${i}].hospital：定点医疗机构 ${x.hospital} 不存在`);
    if (seen.has(x.hospital)) throw new PaymentInputError(`items[${i}].hospital：机构 ${x.hospital} 重复`);
    seen.add(x.hospital);
    let ppm: number;
    try {
      ppm = parseRatio(x.factor);
    } catch (e) {
      throw new PaymentInputError(`items[${i}].factor：${(e as Error).message}`);
    }
    if (ppm < 0 || ppm > MAX_FACTOR)
      throw new PaymentInputError(`items[${i}].factor：考核系数须在 0 与 2 之间`);
    return { year, hospital_code: x.hospital, factor_ppm: ppm, note: x.note ?? "", recorded_by: actor };
  });
  if (rows.length === 0) return 0;
  await dbOf(store)
    .insertInto("hospital_assessment")
    .values(rows)
    .onConflict((oc) =>
      oc.columns(["year", "hospital_code"]).doUpdateSet((eb) => ({
        factor_ppm: eb.ref("excluded.factor_ppm"),
        note: eb.ref("excluded.note"),
        recorded_by: eb.ref("excluded.recorded_by"),
        recorded_at: new Date(),
      })),
    )
    .execute();
  return rows.length;
}

/** The recorded factors of a year (one hospital's, when given). */
export async function listAssessments(
  store: Store,
  year: number,
  hospital?: string,
): Promise<AssessmentRow[]> {
  const rows = await dbOf(store)
    .selectFrom("hospital_assessment")
    .selectAll()
    .where("year", "=", year)
    .$if(hospital !== undefined, (q) => q.where("hospital_code", "=", hospital ?? ""))
    .orderBy("hospital_code")
    .execute();
  return rows.map((r) => ({
    year: Number(r.year),
    hospitalCode: r.hospital_code,
    factor: formatRatio(Number(r.factor_ppm), 2),
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: new Date(r.recorded_at).toISOString(),
  }));
}
