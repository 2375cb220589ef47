/**
 * DIP 辅助目录 (auxiliary catalogue): the adjustments of a stay's points for how ill the patient was and
 * for age, as the national DIP technical specification builds them on top of the group's points.
 *
 * - 疾病严重程度 (severity): the stay's comorbidity index (CCI, 并发症/合并症指数) is the sum of the weights of
 *   its secondary diagnoses, each counted by the longest code prefix the policy weighs, each prefix
 *   once, and a more specific prefix superseding a broader one (E11.2 over E11, as the Charlson index
 *   counts diabetes with complications instead of, not beside, diabetes); the highest level whose
 *   `atLeast` the index reaches gives the factor, 1 below the first level.
 * - 年龄特征 (age): the first band the patient's age in years falls in (`under` N years, or `atLeast` N
 *   years) gives the factor, 1 when none does or the age is unknown.
 *
 * The adjustment factor is severity × age, exact (ppm × ppm); it multiplies the stay's points with the
 * hospital coefficient. All of it is policy data, validated with the field named.
 */
import { type Ppm, parseRatio } from "./money.js";
import { PolicyDataError } from "./versioned.js";

/** The auxiliary catalogue of a DIP policy (DIP 辅助目录). */
export interface DipAuxiliary {
  /** CCI weight (1–6) by diagnosis code prefix, upper case (e.g. `E11` 2). */
  readonly cciWeights: ReadonlyMap<string, number>;
  /** Severity levels by the CCI they start at, ascending, with their factor (ppm). */
  readonly cciLevels: readonly { readonly atLeast: number; readonly factor: Ppm }[];
  /** Age bands in order; the first that holds applies. */
  readonly ageBands: readonly (
    | { readonly under: number; readonly factor: Ppm }
    | { readonly atLeast: number; readonly factor: Ppm }
  )[];
}

/** What the adjustment of one stay came to. */
export interface DipAdjustment {
  readonly cci: number;
  readonly severityFactor: Ppm;
  readonly ageFactor: Ppm;
}

const ONE = 1_000_000;

/** The stay's comorbidity index: the distinct weighed prefixes of its secondary diagnoses, summed. */
export function dipCci(aux: DipAuxiliary, secondaryDiagnoses: readonly string[]): number {
  const counted = new Set<string>();
  for (const d of secondaryDiagnoses) {
    const code = d.trim().toUpperCase();
    let best: string | null = null;
    for (const p of aux.cciWeights.keys())
      if (code.startsWith(p) && (best === null || p.length > best.length)) best = p;
    if (best !== null) counted.add(best);
  }
  // A more specific weighed prefix supersedes a broader one of the same code (E11.2 over E11).
  for (const p of [...counted]) for (const q of counted) if (q !== p && q.startsWith(p)) counted.delete(p);
  let cci = 0;
  for (const p of counted) cci += aux.cciWeights.get(p) ?? 0;
  return cci;
}

/** The severity and age factors of a stay under the auxiliary catalogue. */
export function dipAdjustment(
  aux: DipAuxiliary,
  stay: { readonly secondaryDiagnoses?: readonly string[]; readonly ageYears?: number | null },
): DipAdjustment {
  const cci = dipCci(aux, stay.secondaryDiagnoses ?? []);
  let severityFactor = ONE;
  for (const l of aux.cciLevels) if (cci >= l.atLeast) severityFactor = l.factor;
  let ageFactor = ONE;
  const age = stay.ageYears;
  if (age !== undefined && age !== null && Number.isFinite(age)) {
    for (const b of aux.ageBands) {
      if ("under" in b ? age < b.under : age >= b.atLeast) {
        ageFactor = b.factor;
        break;
      }
    }
  }
  return { cci, severityFactor, ageFactor };
}

/** Reads `auxiliary` of a DIP policy: `{cci: {weights, levels}, age: [...]}`; throws PolicyDataError. */
export function parseDipAuxiliary(raw: unknown, dataset: string): DipAuxiliary | null {
  if (raw === undefined || raw === null) return null;
  const fail = (field: string, rule: string): never => {
    throw new PolicyDataError(dataset, field, rule);
  };
  const object = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(field, "应为对象");
  const ratio = (v: unknown, field: string): Ppm => {
    if (typeof v !== "string" && typeof v !== "number") return fail(field, "应为十进制数");
    let p: Ppm;
    try {
      p = parseRatio(v);
    } catch (e) {
      return fail(field, (e as Error).message);
    }
    if (p <= 0) fail(field, "校正系数应为正数");
    return p;
  };
  const a = object(raw, "auxiliary");
  const cciWeights = new Map<string, number>();
  const cciLevels: { atLeast: number; factor: Ppm }[] = [];
  if (a.cci !== undefined) {
    const c = object(a.cci, "auxiliary.cci");
    for (const [prefix, w] of Object.entries(object(c.weights, "auxiliary.cci.weights"))) {
      if (!/^[A-Z][0-9A-Z.]{1,9}$/i.test(prefix)) fail(`auxiliary.cci.weights.${prefix}`, "应为诊断编码前缀");
      if (typeof w !== "number" || !Number.isInteger(w) || w < 1 || w > 6)
        fail(`auxiliary.cci.weights.${prefix}`, "权重应为 1–6 的整数");
      cciWeights.set(prefix.toUpperCase(), w as number);
    }
    if (!Array.isArray(c.levels) || c.levels.length === 0)
      fail("auxiliary.cci.levels", "至少一个严重程度分级");
    (c.levels as unknown[]).forEach((l0, i) => {
      const l = object(l0, `auxiliary.cci.levels[${i}]`);
      const atLeast = l.atLeast;
      if (typeof atLeast !== "number" || !Number.isInteger(atLeast) || atLeast < 1)
        fail(`auxiliary.cci.levels[${i}].atLeast`, "应为不小于 1 的整数");
      const prev = cciLevels[cciLevels.length - 1];
      if (prev !== undefined && (atLeast as number) <= prev.atLeast)
        fail(`auxiliary.cci.levels[${i}].atLeast`, "分级须按 CCI 递增");
      cciLevels.push({
        atLeast: atLeast as number,
        factor: ratio(l.factor, `auxiliary.cci.levels[${i}].factor`),
      });
    });
  }
  const ageBands: DipAuxiliary["ageBands"][number][] = [];
  if (a.age !== undefined) {
    if (!Array.isArray(a.age)) fail("auxiliary.age", "应为年龄分段数组");
    (a.age as unknown[]).forEach((b0, i) => {
      const b = object(b0, `auxiliary.age[${i}]`);
      const factor = ratio(b.factor, `auxiliary.age[${i}].factor`);
      const years = (v: unknown, field: string): number =>
        typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 150
          ? v
          : fail(field, "应为 0–150 的整数岁");
      if ((b.under === undefined) === (b.atLeast === undefined))
        fail(`auxiliary.age[${i}]`, "须且只须给出 under 或 atLeast 之一");
      ageBands.push(
        b.under !== undefined
          ? { under: years(b.under, `auxiliary.age[${i}].under`), factor }
          : { atLeast: years(b.atLeast, `auxiliary.age[${i}].atLeast`), factor },
      );
    });
  }
  return { cciWeights, cciLevels, ageBands };
}
