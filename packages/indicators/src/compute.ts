/**
 * Indicator computation (指标计算): one validation pass, one readmission pass per person and one
 * aggregation pass into Maps; no quadratic work. The same definitions in SQL are in
 * docs/indicators.md; `IndicatorCounts` is the list of sums a SQL query must return so that
 * `indicatorValues` gives the same values.
 */

import { uploadRate } from "@yibao/kernel/rates";
import type { IndicatorId } from "./catalogue.js";
import { checkStay, DEATH_DISCHARGE_WAY, type StayError, type StaySummary } from "./stay.js";

/** 再住院时间窗 (days after discharge, inclusive). */
export const READMISSION_WINDOWS = { short: 14, long: 30 } as const;

/** A dimension rows can be grouped by (分组维度). */
export type GroupDimension = "hospital" | "department" | "physician" | "drg" | "period";

/**
 * 统计口径: `region` 全区 (one row), `hospital` 医院, `department` 科室 (within its hospital),
 * `physician` 医师 (within their hospital), `drg` 病组 (region-wide), or any list of dimensions,
 * e.g. `["hospital", "drg"]` or `["hospital", "period"]`.
 */
export type GroupBy = "region" | "hospital" | "department" | "physician" | "drg" | readonly GroupDimension[];

/** The dimensions each named `GroupBy` stands for. */
export function groupDimensions(groupBy: GroupBy): readonly GroupDimension[] {
  if (typeof groupBy !== "string") return groupBy;
  switch (groupBy) {
    case "region":
      return [];
    case "hospital":
      return ["hospital"];
    case "department":
      return ["hospital", "department"];
    case "physician":
      return ["hospital", "physician"];
    case "drg":
      return ["drg"];
  }
}

/** The key of the region row (全区). */
export const REGION_KEY = "*";

/**
 * The row key of a combination of dimension values: the values joined with `|` in the order of
 * the dimensions (`REGION_KEY` when there are none). SQL: `concat_ws('|', hospital, department)`.
 */
export function groupKey(values: readonly string[]): string {
  return values.length === 0 ? REGION_KEY : values.join("|");
}

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

/** Options of `computeIndicators`. */
export interface IndicatorOptions {
  readonly groupBy: GroupBy;
  /** 相对权重 of a DRG code in the scheme in force; undefined when the DRG has none. */
  readonly weights: (drg: string) => number | undefined;
  /**
   * 全区病组基准 for the consumption indices; computed from the in-period stays (all hospitals,
   * regardless of `include`) when not given.
   */
  readonly regionBaselines?: ReadonlyMap<string, DrgBaseline> | undefined;
  /** 统计期 range `yyyy-MM`, inclusive: stays outside are not counted (but may be readmissions). */
  readonly periodFrom?: string | undefined;
  readonly periodTo?: string | undefined;
  /**
   * Which in-period stays are counted (e.g. one hospital's). Baselines, low-risk groups and
   * readmission look-ups still use every stay.
   */
  readonly include?: ((stay: StaySummary) => boolean) | undefined;
  /** 低风险组 DRG codes; derived from the in-period stays (`deriveLowRiskDrgs`) when not given. */
  readonly lowRiskDrgs?: ReadonlySet<string> | undefined;
}

/**
 * The sums behind every indicator of one row (指标分子分母). All are integers except
 * `totalWeight`, `ceiSum`, `teiSum` and `totalLos` (when stays have fractional stays).
 */
export interface IndicatorCounts {
  /** 应上传清单的结算数 (stays counted, with or without a list). */
  settlements: number;
  /** 按时上传的清单数 = 病例数. */
  cases: number;
  /** 入组病例数: cases in a DRG other than 0000 (status OK or AMBIGUOUS). */
  groupedCases: number;
  /** 歧义组 (status AMBIGUOUS), part of `groupedCases`. */
  qyCases: number;
  /** 0000 组 (UNGROUPABLE or CHECK_FAILED). */
  ungroupedCases: number;
  /** 入组且有权重的病例数 (CMI denominator). */
  weightedCases: number;
  /** Σ RW over weighted cases. */
  totalWeight: number;
  /** Distinct DRGs among weighted cases. */
  drgCount: number;
  totalCostFen: number;
  fundPayFen: number;
  patientShareFen: number;
  totalLos: number;
  /** Σ cost ÷ baseline avg cost over grouped cases whose DRG has a positive cost baseline. */
  ceiSum: number;
  ceiCases: number;
  /** Σ los ÷ baseline avg los over grouped cases whose DRG has a positive stay baseline. */
  teiSum: number;
  teiCases: number;
  /** 非死亡出院人次 (readmission denominator). */
  aliveDischarges: number;
  readmissions14: number;
  readmissions30: number;
  qcChecked: number;
  qcPassed: number;
  /** Cases with a DRG payment. */
  paidCases: number;
  drgPaymentFen: number;
  /** Σ total cost over cases with a DRG payment. */
  paidCostFen: number;
  auditFindings: number;
  recoveredFen: number;
  lowRiskCases: number;
  lowRiskDeaths: number;
}

/** One result row (一行指标). */
export interface IndicatorRow {
  readonly key: string;
  /** The dimension values of the row (only those grouped by). */
  readonly dims: Readonly<Partial<Record<GroupDimension, string>>>;
  readonly counts: Readonly<IndicatorCounts>;
  /** Every indicator of the catalogue; null where the denominator is zero. */
  readonly values: Readonly<Record<IndicatorId, number | null>>;
}

export interface IndicatorResult {
  /** Rows sorted by key. */
  readonly rows: IndicatorRow[];
  /** Stays left out because of bad data. */
  readonly errors: StayError[];
  /** The baselines used. */
  readonly baselines: ReadonlyMap<string, DrgBaseline>;
  /** The low-risk DRGs used. */
  readonly lowRiskDrgs: ReadonlySet<string>;
}

/** Every sum zero: a hospital, department or period without stays. */
export function emptyCounts(): IndicatorCounts {
  return {
    settlements: 0,
    cases: 0,
    groupedCases: 0,
    qyCases: 0,
    ungroupedCases: 0,
    weightedCases: 0,
    totalWeight: 0,
    drgCount: 0,
    totalCostFen: 0,
    fundPayFen: 0,
    patientShareFen: 0,
    totalLos: 0,
    ceiSum: 0,
    ceiCases: 0,
    teiSum: 0,
    teiCases: 0,
    aliveDischarges: 0,
    readmissions14: 0,
    readmissions30: 0,
    qcChecked: 0,
    qcPassed: 0,
    paidCases: 0,
    drgPaymentFen: 0,
    paidCostFen: 0,
    auditFindings: 0,
    recoveredFen: 0,
    lowRiskCases: 0,
    lowRiskDeaths: 0,
  };
}

/** n ÷ d, or null when d is 0. */
function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/**
 * n ÷ d rounded half up to an integer, exactly, for non-negative safe integers n and d > 0.
 * (The floating quotient only gives a first guess; the remainder decides.)
 */
export function divideRoundHalfUp(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  while (r < 0) {
    q -= 1;
    r += d;
  }
  while (r >= d) {
    q += 1;
    r -= d;
  }
  return 2 * r >= d ? q + 1 : q;
}

/** The indicator values of a set of sums. SQL results are turned into values with this too. */
export function indicatorValues(c: Readonly<IndicatorCounts>): Record<IndicatorId, number | null> {
  return {
    cases: c.cases,
    groupedCases: c.groupedCases,
    drgCount: c.drgCount,
    totalWeight: c.totalWeight,
    cmi: ratio(c.totalWeight, c.weightedCases),
    cei: ratio(c.ceiSum, c.ceiCases),
    tei: ratio(c.teiSum, c.teiCases),
    totalCostFen: c.totalCostFen,
    avgCostFen: c.cases === 0 ? null : divideRoundHalfUp(c.totalCostFen, c.cases),
    avgLos: ratio(c.totalLos, c.cases),
    fundPayFen: c.fundPayFen,
    outOfPocketShare: ratio(c.patientShareFen, c.totalCostFen),
    readmission14Rate: ratio(c.readmissions14, c.aliveDischarges),
    readmission30Rate: ratio(c.readmissions30, c.aliveDischarges),
    groupingRate: ratio(c.groupedCases, c.cases),
    ungroupedShare: ratio(c.ungroupedCases, c.cases),
    qyShare: ratio(c.qyCases, c.cases),
    qcPassRate: ratio(c.qcPassed, c.qcChecked),
    // The kernel's one definition: stays with a list received ÷ counted stays.
    uploadRate: uploadRate(c.cases, c.settlements),
    surplusFen: c.paidCases === 0 ? null : c.drgPaymentFen - c.paidCostFen,
    auditFindings: c.auditFindings,
    recoveredFen: c.recoveredFen,
    lowRiskMortality: ratio(c.lowRiskDeaths, c.lowRiskCases),
  };
}

function inPeriod(p: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || p >= from) && (to === undefined || p <= to);
}

/** Stays that count for baselines and low-risk groups: valid, in period, with a list, grouped. */
function isBaselineStay(s: StaySummary): boolean {
  return s.listUploaded !== false && s.groupStatus === "OK";
}

/** Per-DRG sums over the grouped stays with a list (全区病组统计). */
interface DrgStats {
  cases: number;
  cost: number;
  los: number;
  deaths: number;
}

function addDrgStats(acc: Map<string, DrgStats>, s: StaySummary): void {
  let a = acc.get(s.drg);
  if (a === undefined) {
    a = { cases: 0, cost: 0, los: 0, deaths: 0 };
    acc.set(s.drg, a);
  }
  a.cases++;
  a.cost += s.totalCostFen;
  a.los += s.los;
  if (s.dischargeWay === DEATH_DISCHARGE_WAY) a.deaths++;
}

function checkedDrgStats(
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

function baselinesOf(stats: ReadonlyMap<string, DrgStats>): Map<string, ComputedDrgBaseline> {
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

function lowRiskOf(stats: ReadonlyMap<string, DrgStats>): Set<string> {
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

/** The value of one dimension of a stay. */
function dimValue(s: StaySummary, d: GroupDimension): string {
  switch (d) {
    case "hospital":
      return s.hospital;
    case "department":
      return s.department;
    case "physician":
      return s.physician;
    case "drg":
      return s.drg;
    case "period":
      return s.period;
  }
}

function keyFunction(dims: readonly GroupDimension[]): (s: StaySummary) => string {
  if (dims.length === 0) return () => REGION_KEY;
  if (dims.length === 1) {
    const d = dims[0] as GroupDimension;
    return (s) => dimValue(s, d);
  }
  if (dims.length === 2) {
    const a = dims[0] as GroupDimension;
    const b = dims[1] as GroupDimension;
    return (s) => `${dimValue(s, a)}|${dimValue(s, b)}`;
  }
  return (s) => dims.map((d) => dimValue(s, d)).join("|");
}

/**
 * For each stay, the days from its discharge to the person's next admission (in any hospital), or
 * -1 when there is none. The next admission is the earliest stay that comes after this one in the
 * order (admission day, discharge day, 结算ID) and is admitted on or after the discharge day; stays
 * overlapping this one (admitted before its discharge) are not readmissions.
 */
function readmissionGaps(
  stays: readonly StaySummary[],
  valid: Uint8Array,
  adm: Int32Array,
  dscg: Int32Array,
): Int32Array {
  const n = stays.length;
  const gaps = new Int32Array(n).fill(-1);
  // Person numbers, then the stays of each person laid out contiguously (counting sort), so no
  // per-person arrays are allocated.
  const personNo = new Map<string, number>();
  const personOf = new Int32Array(n).fill(-1);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const p = (stays[i] as StaySummary).personId;
    let k = personNo.get(p);
    if (k === undefined) {
      k = counts.length;
      personNo.set(p, k);
      counts.push(0);
    }
    personOf[i] = k;
    counts[k] = (counts[k] as number) + 1;
  }
  const persons = counts.length;
  const start = new Int32Array(persons + 1);
  for (let k = 0; k < persons; k++) start[k + 1] = (start[k] as number) + (counts[k] as number);
  const fill = start.slice(0, persons);
  const slots = new Int32Array(start[persons] as number);
  for (let i = 0; i < n; i++) {
    const k = personOf[i] as number;
    if (k < 0) continue;
    slots[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  for (let k = 0; k < persons; k++) {
    const lo = start[k] as number;
    const hi = start[k + 1] as number;
    if (hi - lo < 2) continue;
    // Insertion sort by (admission, discharge, input order): a person has few stays.
    for (let x = lo + 1; x < hi; x++) {
      const v = slots[x] as number;
      let y = x - 1;
      while (y >= lo && before(stays, v, slots[y] as number, adm, dscg)) {
        slots[y + 1] = slots[y] as number;
        y--;
      }
      slots[y + 1] = v;
    }
    // The first admission on or after a discharge is found by a forward scan from the next stay;
    // overlapping stays (admitted before the discharge: rare data errors) are skipped.
    for (let x = lo; x < hi; x++) {
      const i = slots[x] as number;
      const out = dscg[i] as number;
      for (let y = x + 1; y < hi; y++) {
        const a = adm[slots[y] as number] as number;
        if (a >= out) {
          gaps[i] = a - out;
          break;
        }
      }
    }
  }
  return gaps;
}

/** Stay order within a person: admission day, discharge day, then 结算ID (as SQL can order too). */
function before(
  stays: readonly StaySummary[],
  i: number,
  j: number,
  adm: Int32Array,
  dscg: Int32Array,
): boolean {
  const a = (adm[i] as number) - (adm[j] as number);
  if (a !== 0) return a < 0;
  const d = (dscg[i] as number) - (dscg[j] as number);
  if (d !== 0) return d < 0;
  const si = (stays[i] as StaySummary).setlId;
  const sj = (stays[j] as StaySummary).setlId;
  return si !== sj ? si < sj : i < j;
}

/**
 * Computes every indicator of the catalogue per group key.
 *
 * Stays with bad data are reported in `errors` and left out of everything. Stays outside the
 * period, or refused by `include`, are not counted but still serve as readmissions of earlier
 * stays. Readmissions are attributed to the row of the index stay (the earlier discharge).
 */
export function computeIndicators(stays: readonly StaySummary[], opts: IndicatorOptions): IndicatorResult {
  const n = stays.length;
  const errors: StayError[] = [];
  const valid = new Uint8Array(n);
  const adm = new Int32Array(n);
  const dscg = new Int32Array(n);
  const days = { adm: 0, dscg: 0 };
  for (let i = 0; i < n; i++) {
    const e = checkStay(stays[i] as StaySummary, days);
    if (e !== null) {
      errors.push(e);
      continue;
    }
    valid[i] = 1;
    adm[i] = days.adm;
    dscg[i] = days.dscg;
  }
  const { periodFrom, periodTo, include } = opts;
  const gaps = readmissionGaps(stays, valid, adm, dscg);

  // Baselines and low-risk groups from the valid in-period stays (all hospitals).
  let baselines: ReadonlyMap<string, DrgBaseline> | undefined = opts.regionBaselines;
  let lowRisk: ReadonlySet<string> | undefined = opts.lowRiskDrgs;
  if (baselines === undefined || lowRisk === undefined) {
    const stats = new Map<string, DrgStats>();
    for (let i = 0; i < n; i++) {
      const s = stays[i] as StaySummary;
      if (valid[i] === 1 && isBaselineStay(s) && inPeriod(s.period, periodFrom, periodTo))
        addDrgStats(stats, s);
    }
    baselines ??= baselinesOf(stats);
    lowRisk ??= lowRiskOf(stats);
  }

  const dims = groupDimensions(opts.groupBy);
  const keyOf = keyFunction(dims);
  const rows = new Map<string, { first: StaySummary; c: IndicatorCounts; drgs: Set<string> }>();
  const { short, long } = READMISSION_WINDOWS;
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const s = stays[i] as StaySummary;
    if (!inPeriod(s.period, periodFrom, periodTo)) continue;
    if (include !== undefined && !include(s)) continue;
    const key = keyOf(s);
    let row = rows.get(key);
    if (row === undefined) {
      row = { first: s, c: emptyCounts(), drgs: new Set() };
      rows.set(key, row);
    }
    const c = row.c;
    c.settlements++;
    if (s.listUploaded === false) continue;
    c.cases++;
    c.totalCostFen += s.totalCostFen;
    c.fundPayFen += s.fundPayFen;
    c.patientShareFen += s.patientShareFen;
    c.totalLos += s.los;
    if (s.groupStatus === "OK") {
      c.groupedCases++;
      const rw = s.rw ?? opts.weights(s.drg);
      if (rw !== undefined) {
        c.weightedCases++;
        c.totalWeight += rw;
        row.drgs.add(s.drg);
      }
      const b = baselines.get(s.drg);
      if (b !== undefined) {
        if (b.avgCostFen > 0) {
          c.ceiSum += s.totalCostFen / b.avgCostFen;
          c.ceiCases++;
        }
        if (b.avgLos > 0) {
          c.teiSum += s.los / b.avgLos;
          c.teiCases++;
        }
      }
      if (lowRisk.has(s.drg)) {
        c.lowRiskCases++;
        if (s.dischargeWay === DEATH_DISCHARGE_WAY) c.lowRiskDeaths++;
      }
    } else if (s.groupStatus === "AMBIGUOUS") {
      c.groupedCases++;
      c.qyCases++;
    } else c.ungroupedCases++;
    if (s.dischargeWay !== DEATH_DISCHARGE_WAY) {
      c.aliveDischarges++;
      const gap = gaps[i] as number;
      if (gap >= 0 && !s.plannedReadmission) {
        if (gap <= short) c.readmissions14++;
        if (gap <= long) c.readmissions30++;
      }
    }
    if (s.qcPassed !== undefined) {
      c.qcChecked++;
      if (s.qcPassed) c.qcPassed++;
    }
    if (s.drgPaymentFen !== undefined) {
      c.paidCases++;
      c.drgPaymentFen += s.drgPaymentFen;
      c.paidCostFen += s.totalCostFen;
    }
    if (s.auditFindings !== undefined) c.auditFindings += s.auditFindings;
    if (s.recoveredFen !== undefined) c.recoveredFen += s.recoveredFen;
  }

  const out: IndicatorRow[] = [];
  for (const [key, row] of rows) {
    row.c.drgCount = row.drgs.size;
    for (const f of MONEY_SUMS) {
      if (!Number.isSafeInteger(row.c[f]))
        throw new RangeError(`指标行 ${key} 的金额合计 ${f} 超出安全整数范围`);
    }
    const d: Partial<Record<GroupDimension, string>> = {};
    for (const dim of dims) d[dim] = dimValue(row.first, dim);
    out.push({ key, dims: d, counts: row.c, values: indicatorValues(row.c) });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows: out, errors, baselines, lowRiskDrgs: lowRisk };
}

const MONEY_SUMS = [
  "totalCostFen",
  "fundPayFen",
  "patientShareFen",
  "drgPaymentFen",
  "paidCostFen",
  "recoveredFen",
] as const satisfies readonly (keyof IndicatorCounts)[];
