/**
 * 地区概况 (regionSummary): counts of a generated stream per hospital, level, DRG, grouping status
 * and violation type, computed in one pass over any iterable of stays.
 */
import type { InjectedViolationType, SynthStay } from "./types.js";

export interface RegionSummary {
  readonly stays: number;
  readonly persons: number;
  /** Persons with two or more lists. */
  readonly repeatPersons: number;
  readonly byHospital: Readonly<Record<string, number>>;
  readonly byLevel: Readonly<Record<string, number>>;
  readonly byDrg: Readonly<Record<string, number>>;
  readonly byMdc: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Lists per violation type (injected cases), and the number of injected cases. */
  readonly byViolation: Readonly<Partial<Record<InjectedViolationType, number>>>;
  readonly injectedCases: number;
  /** Regular (non-injected) lists and the share of them grouped OK. */
  readonly regular: number;
  readonly regularGroupedShare: number;
  /** Regular lists whose DRG is the one the case was generated for. */
  readonly regularIntendedShare: number;
  readonly totalFen: number;
  readonly fundFen: number;
  readonly personalFen: number;
  readonly plannedReadmissions: number;
}

const inc = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

/** Summarises stays (one pass; memory grows with persons, not with list content). */
export function regionSummary(stays: Iterable<SynthStay>): RegionSummary {
  const byHospital: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const byDrg: Record<string, number> = {};
  const byMdc: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const byViolation: Partial<Record<InjectedViolationType, number>> = {};
  const perPerson = new Map<number, number>();
  const cases = new Set<string>();
  let n = 0;
  let regular = 0;
  let regularOk = 0;
  let regularIntended = 0;
  let totalFen = 0;
  let fundFen = 0;
  let personalFen = 0;
  let planned = 0;
  for (const s of stays) {
    n++;
    const t = s.truth;
    const setl = s.message.input.setlinfo;
    inc(byHospital, setl.fixmedins_name);
    inc(byLevel, setl.hi_setl_lv);
    inc(byDrg, t.group.drg);
    inc(byMdc, t.group.mdc ?? "-");
    inc(byStatus, t.group.status);
    perPerson.set(t.personId, (perPerson.get(t.personId) ?? 0) + 1);
    totalFen += t.totalFen;
    fundFen += t.fundFen;
    personalFen += t.personalFen;
    if (t.plannedReadmission) planned++;
    if (s.label) {
      byViolation[s.label.violation] = (byViolation[s.label.violation] ?? 0) + 1;
      cases.add(s.label.caseId);
    } else {
      regular++;
      if (t.group.status === "OK") regularOk++;
      if (t.group.drg === t.intendedDrg) regularIntended++;
    }
  }
  let repeatPersons = 0;
  for (const c of perPerson.values()) if (c > 1) repeatPersons++;
  return {
    stays: n,
    persons: perPerson.size,
    repeatPersons,
    byHospital,
    byLevel,
    byDrg,
    byMdc,
    byStatus,
    byViolation,
    injectedCases: cases.size,
    regular,
    regularGroupedShare: regular === 0 ? 0 : regularOk / regular,
    regularIntendedShare: regular === 0 ? 0 : regularIntended / regular,
    totalFen,
    fundFen,
    personalFen,
    plannedReadmissions: planned,
  };
}
