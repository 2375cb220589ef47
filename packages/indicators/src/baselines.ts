/**
 * 全区病组基准 and 低风险组 from data: per-DRG sums over the grouped stays with a list in the period,
 * their average cost and stay, and the DRGs whose mortality is low against the others.
 */

import { checkStay, DEATH_DISCHARGE_WAY, drgGroupKey, type StaySummary } from "./stay.js";

/** 全区病组基准: the region's average cost and stay of one DRG. */
export interface DrgBaseline {
  /** 全区该组次均费用 (分, may be fractional). */
  readonly avgCostFen: number;
  /** 全区该组平均住院日. */
  readonly avgLos: number;
}

/** A baseline computed from data, with the sums it came from. */
export interface ComputedDrgBaseline extends DrgBaseline {
  readonly cases: number;
  readonly totalCostFen: number;
  readonly totalLos: number;
}
export function inPeriod(p: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || p >= from) && (to === undefined || p <= to);
}

/** Stays that count for baselines and low-risk groups: valid, in period, with a list, grouped. */
export function isBaselineStay(s: StaySummary): boolean {
  return s.listUploaded !== false && s.groupStatus === "OK";
}

/** Per-DRG sums over the grouped stays with a list (全区病组统计). */
export interface DrgStats {
  cases: number;
  cost: number;
  los: number;
  deaths: number;
}

/** Adds a stay to the sums of its group (keyed by `drgGroupKey`: per scheme when the stay names one). */
export function addDrgStats(acc: Map<string, DrgStats>, s: StaySummary): void {
  const key = drgGroupKey(s);
  let a = acc.get(key);
  if (a === undefined) {
    a = { cases: 0, cost: 0, los: 0, deaths: 0 };
    acc.set(key, a);
  }
  a.cases++;
  a.cost += s.totalCostFen;
  a.los += s.los;
  if (s.dischargeWay === DEATH_DISCHARGE_WAY) a.deaths++;
}

export function checkedDrgStats(
  stays: readonly StaySummary[],
  periodFrom: string | undefined,
  periodTo: string | undefined,
): Map<string, DrgStats> {
  const days = { adm: 0, dscg: 0 };
  const acc = new Map<string, DrgStats>();
  for (const s of stays) {
    if (!isBaselineStay(s) || !inPeriod(s.period, periodFrom, periodTo) || checkStay(s, days) !== null)
      continue;
    addDrgStats(acc, s);
  }
  return acc;
}

export function baselinesOf(stats: ReadonlyMap<string, DrgStats>): Map<string, ComputedDrgBaseline> {
  const out = new Map<string, ComputedDrgBaseline>();
  for (const [drg, a] of stats) {
    out.set(drg, {
      cases: a.cases,
      totalCostFen: a.cost,
      totalLos: a.los,
      avgCostFen: a.cost / a.cases,
      avgLos: a.los / a.cases,
    });
  }
  return out;
}

/**
 * A DRG must lie this far (in log-mortality units) below μ − σ to be low-risk, so that values on the
 * border (always the case with exactly two DRGs with deaths) do not flip with rounding.
 */
export const LOW_RISK_MARGIN = 1e-9;

export function lowRiskOf(stats: ReadonlyMap<string, DrgStats>): Set<string> {
  const logs: { drg: string; x: number }[] = [];
  for (const [drg, a] of stats) if (a.deaths > 0) logs.push({ drg, x: Math.log(a.deaths / a.cases) });
  const out = new Set<string>();
  if (logs.length < 2) return out;
  let mean = 0;
  for (const l of logs) mean += l.x;
  mean /= logs.length;
  let v = 0;
  for (const l of logs) v += (l.x - mean) * (l.x - mean);
  const sd = Math.sqrt(v / logs.length);
  for (const l of logs) if (l.x < mean - sd - LOW_RISK_MARGIN) out.add(l.drg);
  return out;
}

/**
 * 全区病组基准 from data: per DRG, the average total cost and stay over the grouped (status OK)
 * stays with a list. Stays with bad data are skipped.
 */
export function computeRegionBaselines(
  stays: readonly StaySummary[],
  opts: { periodFrom?: string | undefined; periodTo?: string | undefined } = {},
): Map<string, ComputedDrgBaseline> {
  return baselinesOf(checkedDrgStats(stays, opts.periodFrom, opts.periodTo));
}

/**
 * 低风险组: DRGs whose in-hospital mortality is low against the others (死亡风险1级). For each DRG
 * with at least one death, x = ln(deaths ÷ cases); with μ and σ the mean and population standard
 * deviation of x over those DRGs, a DRG is low-risk when x < μ − σ − 1e-9 (`LOW_RISK_MARGIN`).
 * DRGs without deaths (0级) are not
 * low-risk groups. Uses grouped stays with a list in the period; stays with bad data are skipped.
 */
export function deriveLowRiskDrgs(
  stays: readonly StaySummary[],
  opts: { periodFrom?: string | undefined; periodTo?: string | undefined } = {},
): Set<string> {
  return lowRiskOf(checkedDrgStats(stays, opts.periodFrom, opts.periodTo));
}
