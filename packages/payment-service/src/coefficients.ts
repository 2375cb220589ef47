/**
 * Hospital coefficients computed from a base period (医院系数测算): each hospital's cost index,
 * admissions-per-patient ratio (人次人头比) and CMI from the accepted lists of the base period, against
 * the region's own values over the same lists, put through the policy's `coefficientFormula`
 * (级别+成本+人次人头比+CMI, the payment core's `hospitalCoefficient`). The CMI uses the RW of the weight
 * table the policy pays by. Optionally saved as a new dated edition of the policy whose
 * `hospitalCoefficients` are the computed ones (never editing the released edition). Each hospital's
 * level is its master-data edition in force on the base period's last day.
 */
import { periodEnd } from "@yibao/kernel/calendar";
import {
  formatRatio,
  type HospitalHistoricCase,
  hospitalCoefficient,
  hospitalIndicators,
  type Ppm,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import {
  dbOf,
  getVersion,
  loadPaymentHospitals,
  loadPolicies,
  PaymentInputError,
  periodsBetween,
  type StoredVersion,
  saveVersion,
} from "./repo.js";

export interface CoefficientOptions {
  readonly store: Store;
  readonly periodFrom: string;
  readonly periodTo: string;
  /** The policy whose formula and weight table are used: `id`, or `id@version` (default: its newest edition). */
  readonly policy: { readonly id: string; readonly version?: string };
  /** Save the result as a new edition of that policy. */
  readonly save?: {
    readonly version: string;
    readonly effectiveFrom: string;
    readonly effectiveTo?: string | null;
  };
  readonly actor?: string;
}

/** One hospital's indicators and coefficient (医院系数测算结果), ratios as decimals. */
export interface CoefficientRow {
  readonly hospitalCode: string;
  readonly level: string;
  readonly cases: number;
  readonly costIndex: string;
  readonly admissionsPerPatient: string;
  readonly cmi: string;
  readonly coefficient: string;
  readonly coefficientPpm: Ppm;
}

export interface CoefficientResult {
  readonly policy: { readonly id: string; readonly version: string };
  readonly periods: readonly string[];
  readonly cases: number;
  readonly regional: {
    readonly admissionsPerPatient: string;
    readonly cmi: string;
    readonly avgCostFen: number;
  };
  readonly hospitals: readonly CoefficientRow[];
  /** Hospitals left out, with the reason (no level, or a level the formula has no base for). */
  readonly skipped: readonly { readonly hospitalCode: string; readonly reason: string }[];
  readonly saved: StoredVersion | null;
}

/** The base period's accepted lists as historic cases of their hospital and person. */
async function readBase(store: Store, periods: readonly string[]): Promise<HospitalHistoricCase[]> {
  const db = dbOf(store);
  const out: HospitalHistoricCase[] = [];
  let after = "";
  for (;;) {
    const r = await sql<{
      setl_id: string;
      hospital_code: string;
      patient_key: string;
      drg: string;
      total_fee_fen: string | number;
      los: number | null;
    }>`SELECT setl_id, hospital_code, patient_key, drg, total_fee_fen, los FROM settlement_list
      WHERE status = 'accepted' AND period = ANY(${[...periods]}::text[]) AND setl_id > ${after}
      ORDER BY setl_id LIMIT 20000`.execute(db);
    for (const x of r.rows)
      out.push({
        hospitalId: x.hospital_code,
        personId: x.patient_key,
        drg: x.drg,
        cost: Number(x.total_fee_fen),
        los: Math.max(0, x.los ?? 0),
      });
    const last = r.rows[r.rows.length - 1];
    if (r.rows.length < 20000 || !last) break;
    after = last.setl_id;
  }
  return out;
}

/** Computes the hospital coefficients of a base period by the policy's formula, and saves them if asked. */
export async function computeHospitalCoefficients(options: CoefficientOptions): Promise<CoefficientResult> {
  const { store } = options;
  const periods = periodsBetween(options.periodFrom, options.periodTo);
  const candidates = await loadPolicies(store, options.policy);
  const chosen = candidates.reduce((a, b) => (b.policy.effectiveFrom > a.policy.effectiveFrom ? b : a));
  const { policy, weights } = chosen;
  const formula = policy.coefficientFormula;
  if (formula === null)
    throw new PaymentInputError(
      `支付政策 ${policy.id}@${policy.version} 未规定医院系数测算公式（coefficientFormula）`,
    );
  const cases = await readBase(store, periods);
  if (cases.length === 0)
    throw new PaymentInputError(
      `${periods[0]}–${periods[periods.length - 1]} 没有已接收结算清单，无法测算医院系数`,
    );
  const ind = hospitalIndicators(cases, weights);
  // Each hospital's level in force on the base period's last day.
  const levels = await loadPaymentHospitals(store, periodEnd(periods[periods.length - 1] as string));
  const rows: CoefficientRow[] = [];
  const skipped: { hospitalCode: string; reason: string }[] = [];
  for (const h of ind.hospitals) {
    const level = levels.get(h.hospitalId)?.level;
    if (level === undefined) {
      skipped.push({ hospitalCode: h.hospitalId, reason: "医院信息中没有等级" });
      continue;
    }
    if (formula.levelBase[level] === undefined) {
      skipped.push({ hospitalCode: h.hospitalId, reason: `测算公式没有「${level}」的级别基础系数` });
      continue;
    }
    const c = hospitalCoefficient(
      { level, costIndex: h.costIndex, admissionsPerPatient: h.admissionsPerPatient, cmi: h.cmi },
      {
        ...formula,
        regional: { admissionsPerPatient: ind.regional.admissionsPerPatient, cmi: ind.regional.cmi },
      },
    );
    rows.push({
      hospitalCode: h.hospitalId,
      level,
      cases: h.cases,
      costIndex: formatRatio(h.costIndex, 6),
      admissionsPerPatient: formatRatio(h.admissionsPerPatient, 6),
      cmi: formatRatio(h.cmi, 6),
      coefficient: formatRatio(c, 6),
      coefficientPpm: c,
    });
  }
  let saved: StoredVersion | null = null;
  if (options.save !== undefined) {
    const base = await getVersion(store, "policy", policy.id, policy.version);
    if (base === undefined)
      throw new PaymentInputError(`支付政策 ${policy.id}@${policy.version} 不存在`, "NOT_FOUND");
    const data = base.data as Record<string, unknown>;
    const sources = Array.isArray(data.sources) ? (data.sources as unknown[]) : [];
    saved = await saveVersion(
      store,
      "policy",
      {
        ...data,
        version: options.save.version,
        effectiveFrom: options.save.effectiveFrom,
        effectiveTo: options.save.effectiveTo ?? null,
        hospitalCoefficients: Object.fromEntries(rows.map((r) => [r.hospitalCode, r.coefficient])),
        sources: [
          ...sources,
          `医院系数由 ${periods[0]}–${periods[periods.length - 1]} 的 ${cases.length} 份已接收清单按测算公式计算（${policy.id}@${policy.version}）`,
        ],
      },
      { actor: options.actor ?? "system", ...(base.weights ? { weights: base.weights } : {}) },
    );
  }
  return {
    policy: { id: policy.id, version: policy.version },
    periods,
    cases: cases.length,
    regional: {
      admissionsPerPatient: formatRatio(ind.regional.admissionsPerPatient, 6),
      cmi: formatRatio(ind.regional.cmi, 6),
      avgCostFen: ind.regional.avgCost,
    },
    hospitals: rows,
    skipped,
    saved: saved === null ? null : { ...saved, data: undefined },
  };
}
