/**
 * Indicator computation (指标计算): one validation pass, one readmission pass per person and one
 * aggregation pass into Maps; no quadratic work. The same definitions in SQL are in
 * docs/indicators.md; `IndicatorCounts` is the list of sums a SQL query must return so that
 * `indicatorValues` gives the same values.
 */

import { uploadRate } from "@yibao/kernel/rates";
import {
  addDrgStats,
  baselinesOf,
  type DrgBaseline,
  type DrgStats,
  inPeriod,
  isBaselineStay,
  lowRiskOf,
} from "./baselines.js";
import type { IndicatorId } from "./catalogue.js";
import { readmissionGaps } from "./readmission.js";
import { checkStay, DEATH_DISCHARGE_WAY, drgGroupKey, type StayError, type StaySummary } from "./stay.js";

export {
  type ComputedDrgBaseline,
  computeRegionBaselines,
  type DrgBaseline,
  deriveLowRiskDrgs,
  LOW_RISK_MARGIN,
} from "./baselines.js";

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

/** Options of `computeIndicators`. */
export interface IndicatorOptions {
  readonly groupBy: GroupBy;
  /** 相对权重 of a DRG code in the scheme in force; undefined when the DRG has none. */
  readonly weights: (drg: string) => number | undefined;
  /**
   * 全区病组基准 for the consumption indices, keyed by `drgGroupKey` (the DRG code, or `scheme/DRG`
   * for stays that name their scheme); computed from the in-period stays (all hospitals, regardless
   * of `include`) when not given.
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
      const group = drgGroupKey(s);
      const rw = s.rw ?? opts.weights(s.drg);
      if (rw !== undefined) {
        c.weightedCases++;
        c.totalWeight += rw;
        row.drgs.add(group);
      }
      const b = baselines.get(group);
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
      if (lowRisk.has(group)) {
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
