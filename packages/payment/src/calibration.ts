/**
 * Calibration from history (历史数据测算): DRG relative weights, base rate, DIP catalogue.
 *
 * Pure functions over arrays of historic cases. Every average and ratio is computed exactly
 * (bigint) and rounded once, half away from zero: average costs to the fen, RW and DIP scores to
 * the ppm (six decimals).
 */
import {
  divCeilBig,
  divFloorBig,
  divRoundBig,
  type Fen,
  formatRatio,
  formatYuan,
  PPM_ONE,
  type Ppm,
  toSafeNumber,
} from "./money.js";
import type { DrgWeight, DrgWeightTable, DrgWeightTableData } from "./policy.js";
import type { Versioned } from "./versioned.js";

/** A historic case (历史病例). */
export interface HistoricCase {
  readonly drg: string;
  /** 医疗总费用 (fen). */
  readonly cost: Fen;
  /** 住院天数. */
  readonly los: number;
}

/**
 * 异常值剔除规则: none; Tukey fences [Q1 − k·IQR, Q3 + k·IQR]; or keep [P_lower, P_upper].
 * Quantiles by linear interpolation between order statistics (Hyndman–Fan type 7), exact.
 * Bounds are inclusive.
 */
export type TrimRule =
  | { readonly kind: "none" }
  | { readonly kind: "iqr"; readonly k: Ppm }
  | { readonly kind: "percentile"; readonly lower: Ppm; readonly upper: Ppm };

/** Quantile × 10⁶ (exact) of sorted integer values, type 7. */
function quantileScaled(sorted: readonly number[], p: Ppm): bigint {
  const n = sorted.length;
  const hNum = BigInt(n - 1) * BigInt(p);
  const M = BigInt(PPM_ONE);
  const i = Number(hNum / M);
  const f = hNum % M;
  const xi = BigInt(sorted[i] as number);
  if (f === 0n || i + 1 >= n) return xi * M;
  const xj = BigInt(sorted[i + 1] as number);
  return xi * M + f * (xj - xi);
}

/**
 * The inclusive integer bounds a trimming rule keeps for ascending `sorted` values
 * (剔除界值): values v with low ≤ v ≤ high are kept.
 */
export function trimBounds(sorted: readonly number[], rule: TrimRule): { low: number; high: number } {
  const n = sorted.length;
  if (n === 0 || rule.kind === "none")
    return { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
  const M = BigInt(PPM_ONE);
  if (rule.kind === "iqr") {
    const q1 = quantileScaled(sorted, 250_000);
    const q3 = quantileScaled(sorted, 750_000);
    const k = BigInt(rule.k);
    const lo = q1 * M - k * (q3 - q1);
    const hi = q3 * M + k * (q3 - q1);
    return { low: toSafeNumber(divCeilBig(lo, M * M)), high: toSafeNumber(divFloorBig(hi, M * M)) };
  }
  if (rule.lower < 0 || rule.upper > PPM_ONE || rule.lower > rule.upper) {
    throw new RangeError("百分位剔除规则须满足 0 ≤ lower ≤ upper ≤ 1");
  }
  return {
    low: toSafeNumber(divCeilBig(quantileScaled(sorted, rule.lower), M)),
    high: toSafeNumber(divFloorBig(quantileScaled(sorted, rule.upper), M)),
  };
}

/** One group's calibration detail (病组测算明细). */
export interface GroupCalibration {
  readonly drg: string;
  readonly cases: number;
  readonly kept: number;
  readonly trimmedLow: number;
  readonly trimmedHigh: number;
  readonly lowBound: number;
  readonly highBound: number;
  /** Trimmed average cost (fen) and LOS (ppm of a day). */
  readonly avgCost: Fen;
  readonly avgLos: Ppm;
  /** RW: computed, fallback, or null when flagged. */
  readonly rw: Ppm | null;
  /** ok; fallback (below the minimum, fallback RW used); flagged (below the minimum, no RW). */
  readonly status: "ok" | "fallback" | "flagged";
}

/** Parameters of weight calibration (权重测算参数). */
export interface WeightCalibrationOptions extends Versioned {
  readonly name?: string;
  readonly scheme?: string;
  readonly trim: TrimRule;
  /** 最低病例数: groups with fewer kept cases fall back or are flagged. */
  readonly minCases: number;
  /** RW for groups below the minimum (one value for all, or per DRG); absent: flagged. */
  readonly fallbackRw?: Ppm | Readonly<Record<string, Ppm>>;
}

/** Result of weight calibration (权重测算结果). */
export interface WeightCalibration {
  readonly table: DrgWeightTable;
  readonly groups: readonly GroupCalibration[];
  /** Overall trimmed cases and average cost (全部病例次均费用, fen rounded). */
  readonly overall: { readonly cases: number; readonly kept: number; readonly avgCost: Fen };
  readonly flagged: readonly string[];
}

/** True for codes that are not DRGs: ambiguous `xQY` and ungroupable `0000`. */
export function isNonDrg(code: string): boolean {
  return code === "0000" || code.endsWith("QY");
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list === undefined) m.set(k, [it]);
    else list.push(it);
  }
  return m;
}

function validateCase(c: HistoricCase, i: number): void {
  if (!Number.isSafeInteger(c.cost) || c.cost < 0) throw new RangeError(`历史病例[${i}] 费用须为非负整数分`);
  if (!Number.isSafeInteger(c.los) || c.los < 0) throw new RangeError(`历史病例[${i}] 住院天数须为非负整数`);
}

/**
 * DRG relative weights from history (权重测算): per DRG, trim by `trim`, then
 *   RW = trimmed group average cost ÷ trimmed overall average cost
 * where the overall average is over every case kept by its group's trimming (QY and 0000 cases
 * excluded). Groups with fewer than `minCases` kept cases use `fallbackRw` or are flagged (left
 * out of the table).
 */
export function calibrateWeights(
  cases: readonly HistoricCase[],
  options: WeightCalibrationOptions,
): WeightCalibration {
  cases.forEach(validateCase);
  const groups = groupBy(
    cases.filter((c) => !isNonDrg(c.drg)),
    (c) => c.drg,
  );
  const stats: {
    drg: string;
    n: number;
    kept: number;
    lowN: number;
    highN: number;
    low: number;
    high: number;
    sum: bigint;
    los: bigint;
  }[] = [];
  let allSum = 0n;
  let allKept = 0;
  for (const drg of [...groups.keys()].sort()) {
    const list = groups.get(drg) as HistoricCase[];
    const sorted = list.map((c) => c.cost).sort((a, b) => a - b);
    const { low, high } = trimBounds(sorted, options.trim);
    let sum = 0n;
    let los = 0n;
    let kept = 0;
    let lowN = 0;
    let highN = 0;
    for (const c of list) {
      if (c.cost < low) lowN++;
      else if (c.cost > high) highN++;
      else {
        kept++;
        sum += BigInt(c.cost);
        los += BigInt(c.los);
      }
    }
    allSum += sum;
    allKept += kept;
    stats.push({ drg, n: list.length, kept, lowN, highN, low, high, sum, los });
  }
  if (allKept === 0 || allSum === 0n) throw new RangeError("没有可用于测算的历史病例");
  const M = BigInt(PPM_ONE);
  const out: GroupCalibration[] = [];
  const entries: DrgWeight[] = [];
  const flagged: string[] = [];
  for (const s of stats) {
    let rw: Ppm | null = null;
    let status: GroupCalibration["status"] = "ok";
    if (s.kept < options.minCases || s.kept === 0) {
      const fb = options.fallbackRw;
      const v = typeof fb === "number" ? fb : fb?.[s.drg];
      if (v === undefined) {
        status = "flagged";
        flagged.push(s.drg);
      } else {
        status = "fallback";
        rw = v;
      }
    } else {
      rw = toSafeNumber(divRoundBig(s.sum * BigInt(allKept) * M, BigInt(s.kept) * allSum));
    }
    const avgCost = s.kept === 0 ? 0 : toSafeNumber(divRoundBig(s.sum, BigInt(s.kept)));
    const avgLos = s.kept === 0 ? 0 : toSafeNumber(divRoundBig(s.los * M, BigInt(s.kept)));
    out.push({
      drg: s.drg,
      cases: s.n,
      kept: s.kept,
      trimmedLow: s.lowN,
      trimmedHigh: s.highN,
      lowBound: s.low,
      highBound: s.high,
      avgCost,
      avgLos,
      rw,
      status,
    });
    if (rw !== null) {
      entries.push({
        drg: s.drg,
        name: "",
        rw,
        avgCost: s.kept === 0 ? null : avgCost,
        avgLos: s.kept === 0 ? null : avgLos,
      });
    }
  }
  const table: DrgWeightTable = {
    id: options.id,
    version: options.version,
    effectiveFrom: options.effectiveFrom,
    effectiveTo: options.effectiveTo ?? null,
    name: options.name ?? "",
    scheme: options.scheme ?? null,
    entries,
    byDrg: new Map(entries.map((e) => [e.drg, e])),
  };
  return {
    table,
    groups: out,
    overall: {
      cases: cases.length,
      kept: allKept,
      avgCost: toSafeNumber(divRoundBig(allSum, BigInt(allKept))),
    },
    flagged,
  };
}

/** Serialises a weight table to its JSON data form (权重表导出), exact decimals. */
export function weightTableToData(table: DrgWeightTable): DrgWeightTableData {
  return {
    id: table.id,
    version: table.version,
    effectiveFrom: table.effectiveFrom,
    effectiveTo: table.effectiveTo ?? null,
    name: table.name,
    ...(table.scheme === null ? {} : { scheme: table.scheme }),
    entries: table.entries.map((e) => ({
      drg: e.drg,
      ...(e.name === "" ? {} : { name: e.name }),
      rw: formatRatio(e.rw, 4),
      avgCost: e.avgCost === null ? null : formatYuan(e.avgCost),
      avgLos: e.avgLos === null ? null : formatRatio(e.avgLos, 2),
    })),
  };
}

/** Expected volume of one DRG (预计病例数), with an optional average coefficient. */
export interface DrgVolume {
  readonly drg: string;
  readonly cases: number;
  readonly coefficient?: Ppm;
}

/**
 * 费率 from a budget (由预算测算费率): rate = budget ÷ Σ (RW × coefficient × cases), in fen per
 * 1.0 RW, rounded half away from zero to the fen.
 */
export function rateFromBudget(budget: Fen, volumes: readonly DrgVolume[], weights: DrgWeightTable): Fen {
  let denom = 0n; // units of 1e-12 RW·case
  for (const v of volumes) {
    const w = weights.byDrg.get(v.drg);
    if (w === undefined) throw new RangeError(`病组 ${v.drg} 不在权重表 ${weights.id}@${weights.version} 中`);
    if (!Number.isSafeInteger(v.cases) || v.cases < 0)
      throw new RangeError(`病组 ${v.drg} 病例数须为非负整数`);
    denom += BigInt(w.rw) * BigInt(v.coefficient ?? PPM_ONE) * BigInt(v.cases);
  }
  if (denom === 0n) throw new RangeError("Σ 权重×病例数 为零，无法测算费率");
  return toSafeNumber(divRoundBig(BigInt(budget) * 1_000_000_000_000n, denom));
}

/** A historic stay with its hospital and patient, for hospital indicators (机构历史病例). */
export interface HospitalHistoricCase extends HistoricCase {
  readonly hospitalId: string;
  /** 参保人 id, for the admissions-per-patient ratio. */
  readonly personId: string;
}

/** A hospital's indicators for its coefficient (医院系数测算指标), all ppm. */
export interface HospitalIndicators {
  readonly hospitalId: string;
  readonly cases: number;
  /** 成本系数 = hospital average cost ÷ regional average cost. */
  readonly costIndex: Ppm;
  /** 人次人头比 = stays ÷ distinct patients. */
  readonly admissionsPerPatient: Ppm;
  /** CMI = Σ RW ÷ cases (cases whose DRG is in the table). */
  readonly cmi: Ppm;
}

/**
 * Hospital indicators from history (医院指标测算) for `hospitalCoefficient`, plus the regional
 * values (全市): cost index, admissions per patient and CMI, each rounded to 1 ppm.
 */
export function hospitalIndicators(
  cases: readonly HospitalHistoricCase[],
  weights: DrgWeightTable,
): { hospitals: HospitalIndicators[]; regional: { admissionsPerPatient: Ppm; cmi: Ppm; avgCost: Fen } } {
  cases.forEach(validateCase);
  if (cases.length === 0) throw new RangeError("没有历史病例");
  const M = BigInt(PPM_ONE);
  const acc = (list: readonly HospitalHistoricCase[]) => {
    let sum = 0n;
    let rw = 0n;
    let rwCases = 0;
    const persons = new Set<string>();
    for (const c of list) {
      sum += BigInt(c.cost);
      persons.add(c.personId);
      const w = weights.byDrg.get(c.drg);
      if (w !== undefined) {
        rw += BigInt(w.rw);
        rwCases++;
      }
    }
    return { n: list.length, sum, rw, rwCases, persons: persons.size };
  };
  const all = acc(cases);
  const cmiOf = (a: ReturnType<typeof acc>) =>
    a.rwCases === 0 ? 0 : toSafeNumber(divRoundBig(a.rw, BigInt(a.rwCases)));
  const hospitals = [...groupBy(cases, (c) => c.hospitalId)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([hospitalId, list]) => {
      const h = acc(list);
      return {
        hospitalId,
        cases: h.n,
        // (h.sum / h.n) ÷ (all.sum / all.n)
        costIndex:
          all.sum === 0n
            ? PPM_ONE
            : toSafeNumber(divRoundBig(h.sum * BigInt(all.n) * M, BigInt(h.n) * all.sum)),
        admissionsPerPatient: toSafeNumber(divRoundBig(BigInt(h.n) * M, BigInt(h.persons))),
        cmi: cmiOf(h),
      };
    });
  return {
    hospitals,
    regional: {
      admissionsPerPatient: toSafeNumber(divRoundBig(BigInt(all.n) * M, BigInt(all.persons))),
      cmi: cmiOf(all),
      avgCost: toSafeNumber(divRoundBig(all.sum, BigInt(all.n))),
    },
  };
}

// ---------------------------------------------------------------- DIP (按病种分值付费)

/** Label of the procedure combination of cases without procedures (保守治疗). */
export const CONSERVATIVE = "保守治疗";
/** Treatment label of pooled comprehensive groups with procedures (手术操作). */
export const WITH_PROCEDURES = "手术操作";

/**
 * DIP diagnosis category (诊断类目+亚目): the ICD-10 code up to the first dot plus one digit,
 * upper-cased: `K80.100x001` → `K80.1`; `K80` → `K80`; `K80.x01` → `K80` (no digit after the dot).
 */
export function dipDiagnosisCategory(code: string): string {
  const c = code.trim().toUpperCase();
  const dot = c.indexOf(".");
  if (dot < 0) return c.slice(0, 3);
  const next = c.charCodeAt(dot + 1);
  return next >= 48 && next <= 57 ? c.slice(0, dot + 2) : c.slice(0, dot);
}

/** DIP procedure combination (治疗方式组合): sorted distinct codes joined by `+`, or 保守治疗. */
export function dipProcedureCombination(procedures: readonly string[]): string {
  const set = new Set<string>();
  for (const p of procedures) {
    const t = p.trim();
    if (t.length > 0) set.add(t);
  }
  return set.size === 0 ? CONSERVATIVE : [...set].sort().join("+");
}

/** A case for DIP (DIP 病例). */
export interface DipCase {
  readonly principalDiagnosis: string;
  readonly procedures: readonly string[];
  readonly cost?: Fen;
}

/** A DIP group (病种): core (核心病种) or comprehensive (综合病种). */
export interface DipGroup {
  readonly key: string;
  readonly kind: "core" | "comprehensive";
  /** Diagnosis category (core: `K80.1`) or pooled category (comprehensive: `K80`). */
  readonly diagnosis: string;
  /** Procedure combination, 保守治疗, or (comprehensive) 保守治疗/手术操作. */
  readonly treatment: string;
  readonly cases: number;
  readonly kept: number;
  readonly avgCost: Fen;
  /** 病种分值 (micro-points): avg cost ÷ reference × scale. */
  readonly score: number;
}

/** The region's DIP catalogue (DIP 病种目录). */
export interface DipCatalogue extends Versioned {
  /** 分值倍数: 1000 or 100. */
  readonly scale: number;
  readonly coreMinCases: number;
  /** Reference average cost (基准费用, fen, rounded for display; scores use the exact value). */
  readonly reference: Fen;
  readonly groups: readonly DipGroup[];
  readonly byKey: ReadonlyMap<string, DipGroup>;
}

/** Parameters of the DIP catalogue (DIP 目录测算参数). */
export interface DipCatalogueOptions extends Versioned {
  /** 核心病种最低病例数. */
  readonly coreMinCases: number;
  /** Score scale (default 1000). */
  readonly scale?: number;
  /** Reference cost; default: the trimmed average of all cases. */
  readonly reference?: Fen;
  readonly trim?: TrimRule;
}

interface Pool {
  readonly diagnosis: string;
  readonly treatment: string;
  readonly kind: DipGroup["kind"];
  readonly list: DipCase[];
}

function coreKey(diagnosis: string, treatment: string): string {
  return `${diagnosis}|${treatment}`;
}

function comprehensiveKey(c: DipCase): { key: string; diagnosis: string; treatment: string } {
  const code = c.principalDiagnosis.trim().toUpperCase();
  const dot = code.indexOf(".");
  const diagnosis = dot < 0 ? code.slice(0, 3) : code.slice(0, dot);
  const treatment = dipProcedureCombination(c.procedures) === CONSERVATIVE ? CONSERVATIVE : WITH_PROCEDURES;
  return { key: `综合|${diagnosis}|${treatment}`, diagnosis, treatment };
}

/**
 * Builds the region's DIP catalogue from history (DIP 目录测算: stays are classed by "诊断+治疗", diagnosis plus treatment):
 * key = diagnosis category (`dipDiagnosisCategory`) + procedure combination; keys with at least
 * `coreMinCases` cases are core groups (核心病种); the other cases are pooled into comprehensive
 * groups (综合病种) by 3-character ICD-10 category and treatment (保守治疗 / 手术操作). Each group is
 * trimmed by `trim`; score = trimmed group average ÷ reference × scale.
 */
export function buildDipCatalogue(cases: readonly DipCase[], options: DipCatalogueOptions): DipCatalogue {
  const scale = options.scale ?? 1000;
  const keyed = groupBy(cases, (c) =>
    coreKey(dipDiagnosisCategory(c.principalDiagnosis), dipProcedureCombination(c.procedures)),
  );
  const pools = new Map<string, Pool>();
  for (const [key, list] of keyed) {
    if (list.length >= options.coreMinCases) {
      const [diagnosis, treatment] = key.split("|") as [string, string];
      pools.set(key, { diagnosis, treatment, kind: "core", list });
    } else {
      for (const c of list) {
        const k = comprehensiveKey(c);
        const pool = pools.get(k.key);
        if (pool === undefined)
          pools.set(k.key, {
            diagnosis: k.diagnosis,
            treatment: k.treatment,
            kind: "comprehensive",
            list: [c],
          });
        else pool.list.push(c);
      }
    }
  }
  const trim = options.trim ?? { kind: "none" };
  const stats: { key: string; pool: Pool; kept: number; sum: bigint }[] = [];
  let allSum = 0n;
  let allKept = 0;
  for (const key of [...pools.keys()].sort()) {
    const pool = pools.get(key) as Pool;
    const costs = pool.list.map((c, i) => {
      const v = c.cost;
      if (v === undefined || !Number.isSafeInteger(v) || v < 0)
        throw new RangeError(`DIP 病例 ${key}[${i}] 缺少费用或费用不是非负整数分`);
      return v;
    });
    const sorted = [...costs].sort((a, b) => a - b);
    const { low, high } = trimBounds(sorted, trim);
    let sum = 0n;
    let kept = 0;
    for (const v of costs) {
      if (v >= low && v <= high) {
        sum += BigInt(v);
        kept++;
      }
    }
    allSum += sum;
    allKept += kept;
    stats.push({ key, pool, kept, sum });
  }
  if (allKept === 0) throw new RangeError("没有可用于测算的 DIP 病例");
  // reference as a rational refNum / refDen (fen)
  const refNum = options.reference !== undefined ? BigInt(options.reference) : allSum;
  const refDen = options.reference !== undefined ? 1n : BigInt(allKept);
  if (refNum === 0n) throw new RangeError("DIP 基准费用为零");
  const groups: DipGroup[] = stats.map((s) => ({
    key: s.key,
    kind: s.pool.kind,
    diagnosis: s.pool.diagnosis,
    treatment: s.pool.treatment,
    cases: s.pool.list.length,
    kept: s.kept,
    avgCost: s.kept === 0 ? 0 : toSafeNumber(divRoundBig(s.sum, BigInt(s.kept))),
    score:
      s.kept === 0
        ? 0
        : toSafeNumber(
            divRoundBig(s.sum * refDen * BigInt(scale) * BigInt(PPM_ONE), BigInt(s.kept) * refNum),
          ),
  }));
  return {
    id: options.id,
    version: options.version,
    effectiveFrom: options.effectiveFrom,
    effectiveTo: options.effectiveTo ?? null,
    scale,
    coreMinCases: options.coreMinCases,
    reference: toSafeNumber(divRoundBig(refNum, refDen)),
    groups,
    byKey: new Map(groups.map((g) => [g.key, g])),
  };
}

/** Where a case lands in the DIP catalogue (DIP 入组结果). */
export interface DipAssignment {
  readonly kind: "core" | "comprehensive" | "unmatched";
  /** The key looked up last (the comprehensive key when no group matched). */
  readonly key: string;
  readonly group: DipGroup | null;
}

/** Assigns a new case to a core group, else its comprehensive group, else unmatched (DIP 入组). */
export function dipGroup(catalogue: DipCatalogue, c: DipCase): DipAssignment {
  const key = coreKey(dipDiagnosisCategory(c.principalDiagnosis), dipProcedureCombination(c.procedures));
  const core = catalogue.byKey.get(key);
  if (core !== undefined && core.kind === "core") return { kind: "core", key, group: core };
  const ck = comprehensiveKey(c).key;
  const comp = catalogue.byKey.get(ck);
  if (comp !== undefined) return { kind: "comprehensive", key: ck, group: comp };
  return { kind: "unmatched", key: ck, group: null };
}
