/**
 * What the operation log (操作日志) records of a payment change: the object, the amounts (fen) and,
 * for each thing the change altered, its value before and after.
 */
import type { ClearYearResult, getClearing } from "./clearing.js";

type StoredClearing = NonNullable<Awaited<ReturnType<typeof getClearing>>>;

/** One hospital's clearing figures the log keeps (fen). */
interface HospitalFigures {
  readonly cases: number;
  readonly settledFen: number;
  readonly deductionsFen: number;
  readonly fundDueFen: number;
  readonly prepaidFen: number;
  /** 清算补拨(+)/扣回(−). */
  readonly balanceDueFen: number;
}

function figures(h: ClearYearResult["hospitals"][number]): HospitalFigures {
  return {
    cases: h.cases,
    settledFen: h.settled,
    deductionsFen: h.deductions,
    fundDueFen: h.fundDue,
    prepaidFen: h.prepaid,
    balanceDueFen: h.balanceDue,
  };
}

function same(a: HospitalFigures | null, b: HospitalFigures | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The log detail of a year-end clearing (年终清算): year, run, policy, budget, point value and total
 * points before and after, and every hospital whose figures changed with its figures before (null
 * when the year was not cleared before, or the hospital was not in it) and after.
 */
export function clearingChange(
  year: number,
  previous: StoredClearing | undefined,
  next: ClearYearResult,
): Record<string, unknown> {
  const before = new Map((previous?.hospitals ?? []).map((h) => [h.hospitalId, figures(h)]));
  const after = new Map(next.hospitals.map((h) => [h.hospitalId, figures(h)]));
  const codes = [...new Set([...before.keys(), ...after.keys()])].sort();
  const hospitals = codes
    .map((code) => ({ hospitalCode: code, before: before.get(code) ?? null, after: after.get(code) ?? null }))
    .filter((h) => !same(h.before, h.after));
  return {
    year,
    runId: next.runId,
    policy: `${next.policy.id}@${next.policy.version}`,
    budgetFen: { before: previous?.budget ?? null, after: next.budget },
    pointValueYuan: { before: previous?.pointValueYuan ?? null, after: next.pointValueYuan },
    totalPoints: { before: previous?.totalPoints ?? null, after: next.totalPoints },
    settledFen: {
      before: previous ? Number(previous.totals.settled) : null,
      after: Number(next.totals.settled),
    },
    hospitals,
  };
}
