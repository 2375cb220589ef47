/**
 * 医保医师画像 (physician profiling) after the Shanghai model of data mining for fund supervision: per-physician
 * indicators, z-score standardisation, dropping correlated indicators (|r| > 0.4, keeping the more
 * relevant one), k-means clustering with deterministic seeding, AHP weights from a pairwise
 * comparison matrix (consistency ratio < 0.1), composite scores, the suspect cluster (疑点医生簇: the
 * cluster with the highest mean score) and, for its physicians only, red/orange/yellow alerts by the
 * quartiles of that cluster's scores, with the physicians to look at first.
 */
import type { AuditStay } from "./model.js";
import type { ProfilingParameters } from "./rules.js";

/** Indicator names (画像指标). */
export const PROFILE_INDICATORS = [
  "cmi",
  "avgCost",
  "avgLos",
  "costIndex",
  "ownPayShare",
  "readmissionRate",
  "findingRate",
] as const;
export type ProfileIndicator = (typeof PROFILE_INDICATORS)[number];

export const PROFILE_INDICATOR_NAMES: Readonly<Record<ProfileIndicator, string>> = {
  cmi: "CMI",
  avgCost: "次均费用",
  avgLos: "平均住院日",
  costIndex: "费用消耗指数",
  ownPayShare: "自费占比",
  readmissionRate: "再入院率",
  findingRate: "疑点病例率",
};

/** One physician's indicators (医师指标). */
export interface PhysicianIndicators {
  readonly physician: string;
  readonly cases: number;
  readonly values: Readonly<Record<ProfileIndicator, number>>;
}

/**
 * Computes the indicators per physician in one pass. `rw` and `meanCost` give each DRG's weight and
 * average cost; `readmitted` and `flagged` are the stays that were re-admitted within the window or
 * carry a finding.
 */
export function physicianIndicators(
  stays: readonly AuditStay[],
  rw: (drg: string) => number | null,
  meanCost: (drg: string) => number | null,
  readmitted: ReadonlySet<string>,
  flagged: ReadonlySet<string>,
  minCases = 10,
): PhysicianIndicators[] {
  const acc = new Map<
    string,
    {
      n: number;
      rw: number;
      rwN: number;
      cost: number;
      los: number;
      ci: number;
      ciN: number;
      own: number;
      re: number;
      fl: number;
    }
  >();
  for (const s of stays) {
    if (s.physicianCode === "") continue;
    let a = acc.get(s.physicianCode);
    if (a === undefined) {
      a = { n: 0, rw: 0, rwN: 0, cost: 0, los: 0, ci: 0, ciN: 0, own: 0, re: 0, fl: 0 };
      acc.set(s.physicianCode, a);
    }
    a.n++;
    a.cost += s.totalCost;
    a.los += s.los;
    if (s.totalCost > 0) a.own += s.ownPay / s.totalCost;
    const w = s.group.status === "OK" ? rw(s.group.drg) : null;
    if (w !== null) {
      a.rw += w;
      a.rwN++;
    }
    const m = s.group.status === "OK" ? meanCost(s.group.drg) : null;
    if (m !== null && m > 0) {
      a.ci += s.totalCost / m;
      a.ciN++;
    }
    if (readmitted.has(s.id)) a.re++;
    if (flagged.has(s.id)) a.fl++;
  }
  const out: PhysicianIndicators[] = [];
  for (const [physician, a] of [...acc].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (a.n < minCases) continue;
    out.push({
      physician,
      cases: a.n,
      values: {
        cmi: a.rwN === 0 ? 0 : a.rw / a.rwN,
        avgCost: a.cost / a.n / 100,
        avgLos: a.los / a.n,
        costIndex: a.ciN === 0 ? 1 : a.ci / a.ciN,
        ownPayShare: a.own / a.n,
        readmissionRate: a.re / a.n,
        findingRate: a.fl / a.n,
      },
    });
  }
  return out;
}

/** Z-scores of the columns of a matrix (标准化); a constant column becomes zeros. */
export function standardize(rows: readonly (readonly number[])[]): number[][] {
  if (rows.length === 0) return [];
  const k = (rows[0] as readonly number[]).length;
  const mean = new Array<number>(k).fill(0);
  const sd = new Array<number>(k).fill(0);
  for (const r of rows)
    for (let j = 0; j < k; j++) mean[j] = (mean[j] as number) + (r[j] as number) / rows.length;
  for (const r of rows)
    for (let j = 0; j < k; j++)
      sd[j] = (sd[j] as number) + ((r[j] as number) - (mean[j] as number)) ** 2 / rows.length;
  return rows.map((r) =>
    r.map((v, j) => ((sd[j] as number) === 0 ? 0 : (v - (mean[j] as number)) / Math.sqrt(sd[j] as number))),
  );
}

/** Pearson correlation of two columns. */
export function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += (x[i] as number) / n;
    my += (y[i] as number) / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/**
 * 相关性筛选: keeps indicators in order of relevance (most relevant first) and drops any whose
 * |r| with an already kept one exceeds `maxAbsR`. Returns the kept column indices.
 */
export function dropCorrelated(
  columns: readonly (readonly number[])[],
  relevanceOrder: readonly number[],
  maxAbsR = 0.4,
): number[] {
  const kept: number[] = [];
  for (const j of relevanceOrder) {
    if (
      kept.every(
        (k) =>
          Math.abs(correlation(columns[j] as readonly number[], columns[k] as readonly number[])) <= maxAbsR,
      )
    )
      kept.push(j);
  }
  return kept.sort((a, b) => a - b);
}

/** K 均值聚类 result. */
export interface KMeansResult {
  readonly labels: number[];
  readonly centroids: number[][];
  readonly iterations: number;
}

function dist2(a: readonly number[], b: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += ((a[i] as number) - (b[i] as number)) ** 2;
  return d;
}

/**
 * K-means with deterministic farthest-point seeding (first centroid: the point nearest the mean;
 * then each next one the point farthest from the chosen ones). Ties go to the lower index.
 */
export function kMeans(points: readonly (readonly number[])[], k: number, maxIterations = 100): KMeansResult {
  const n = points.length;
  if (n === 0 || k <= 0) return { labels: [], centroids: [], iterations: 0 };
  const kk = Math.min(k, n);
  const dim = (points[0] as readonly number[]).length;
  const mean = new Array<number>(dim).fill(0);
  for (const p of points) for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (p[j] as number) / n;
  let first = 0;
  for (let i = 1; i < n; i++)
    if (dist2(points[i] as number[], mean) < dist2(points[first] as number[], mean)) first = i;
  const centroids: number[][] = [[...(points[first] as number[])]];
  const nearest = points.map((p) => dist2(p, centroids[0] as number[]));
  while (centroids.length < kk) {
    let far = 0;
    for (let i = 1; i < n; i++) if ((nearest[i] as number) > (nearest[far] as number)) far = i;
    const c = [...(points[far] as number[])];
    centroids.push(c);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i] as number, dist2(points[i] as number[], c));
  }
  const labels = new Array<number>(n).fill(-1);
  let it = 0;
  for (; it < maxIterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < kk; c++)
        if (
          dist2(points[i] as number[], centroids[c] as number[]) <
          dist2(points[i] as number[], centroids[best] as number[])
        )
          best = c;
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    for (let c = 0; c < kk; c++) {
      const sum = new Array<number>(dim).fill(0);
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (labels[i] !== c) continue;
        m++;
        for (let j = 0; j < dim; j++) sum[j] = (sum[j] as number) + ((points[i] as number[])[j] as number);
      }
      if (m > 0) centroids[c] = sum.map((v) => v / m);
    }
  }
  return { labels, centroids, iterations: it + 1 };
}

/** Saaty's random index RI by matrix order (1–10). */
const RANDOM_INDEX = [0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/** AHP result (层次分析法): weights, λmax, consistency index and ratio. */
export interface AhpResult {
  readonly weights: number[];
  readonly lambdaMax: number;
  readonly ci: number;
  readonly cr: number;
  /** CR < 0.1 (一致性检验通过). */
  readonly consistent: boolean;
}

/** AHP weights by the principal eigenvector (power iteration) of a positive reciprocal matrix. */
export function ahpWeights(matrix: readonly (readonly number[])[]): AhpResult {
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    const row = matrix[i] as readonly number[];
    if (row.length !== n) throw new RangeError("判断矩阵须为方阵");
    for (let j = 0; j < n; j++) {
      const a = row[j] as number;
      const b = (matrix[j] as readonly number[])[i] as number;
      if (!(a > 0) || Math.abs(a * b - 1) > 1e-6)
        throw new RangeError(`判断矩阵第 ${i + 1} 行第 ${j + 1} 列须为正且互为倒数`);
    }
  }
  let w = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 1000; it++) {
    const next = matrix.map((row) => row.reduce((t, a, j) => t + a * (w[j] as number), 0));
    const s = next.reduce((a, b) => a + b, 0);
    const nw = next.map((v) => v / s);
    const delta = nw.reduce((t, v, i) => t + Math.abs(v - (w[i] as number)), 0);
    w = nw;
    if (delta < 1e-12) break;
  }
  let lambda = 0;
  for (let i = 0; i < n; i++) {
    const aw = (matrix[i] as readonly number[]).reduce((t, a, j) => t + a * (w[j] as number), 0);
    lambda += aw / (w[i] as number) / n;
  }
  const ci = n <= 2 ? 0 : (lambda - n) / (n - 1);
  const ri = RANDOM_INDEX[n] ?? 1.49;
  const cr = ri === 0 ? 0 : ci / ri;
  return { weights: w, lambdaMax: lambda, ci, cr, consistent: cr < 0.1 };
}

/** 预警级别. */
export type AlertLevel = "红色" | "橙色" | "黄色";

/** Quantile with linear interpolation (type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Red from the upper quartile to the max, orange between the quartiles, yellow below the lower quartile. */
export function alertLevel(score: number, q1: number, q3: number): AlertLevel {
  return score >= q3 ? "红色" : score >= q1 ? "橙色" : "黄色";
}

/** The profiling configuration (画像模型参数), data. */
export interface ProfilingConfig {
  /** Indicators in order of relevance (most relevant first). */
  readonly relevance: readonly ProfileIndicator[];
  /** Sign of each indicator: +1 a higher value is more suspicious, −1 a lower one. */
  readonly direction: Readonly<Record<ProfileIndicator, 1 | -1>>;
  /** AHP pairwise comparison matrix over `relevance` (same order). */
  readonly pairwise: readonly (readonly number[])[];
  readonly maxAbsCorrelation: number;
  /** K of k-means, at most (the Shanghai model clusters its physicians into 15). */
  readonly clusters: number;
  /**
   * Physicians per cluster, at least on average: fewer physicians than `clusters` × this use fewer
   * clusters (floor(physicians ÷ this), at least one), so no cluster is a handful of physicians.
   */
  readonly minPhysiciansPerCluster: number;
}

/** Default model: pairwise judgements of the supervising experts (示例判断矩阵). */
export const DEFAULT_PROFILING_CONFIG: ProfilingConfig = {
  relevance: ["findingRate", "costIndex", "readmissionRate", "ownPayShare", "cmi", "avgLos", "avgCost"],
  direction: {
    findingRate: 1,
    costIndex: 1,
    readmissionRate: 1,
    ownPayShare: 1,
    cmi: -1,
    avgLos: 1,
    avgCost: 1,
  },
  pairwise: [
    [1, 2, 3, 3, 4, 5, 5],
    [1 / 2, 1, 2, 2, 3, 4, 4],
    [1 / 3, 1 / 2, 1, 1, 2, 3, 3],
    [1 / 3, 1 / 2, 1, 1, 2, 3, 3],
    [1 / 4, 1 / 3, 1 / 2, 1 / 2, 1, 2, 2],
    [1 / 5, 1 / 4, 1 / 3, 1 / 3, 1 / 2, 1, 1],
    [1 / 5, 1 / 4, 1 / 3, 1 / 3, 1 / 2, 1, 1],
  ],
  maxAbsCorrelation: 0.4,
  clusters: 15,
  minPhysiciansPerCluster: 5,
};

/** The model a rule base sets: its `profiling` parameters over the defaults. */
export function profilingConfigOf(
  parameters: ProfilingParameters | undefined,
  base: ProfilingConfig = DEFAULT_PROFILING_CONFIG,
): ProfilingConfig {
  return { ...base, ...parameters };
}

/** The number of clusters used for `physicians` physicians under `config`. */
export function clusterCount(physicians: number, config: ProfilingConfig): number {
  return Math.max(1, Math.min(config.clusters, Math.floor(physicians / config.minPhysiciansPerCluster)));
}

/** One physician's profile (医师画像). */
export interface PhysicianProfile {
  readonly physician: string;
  readonly cases: number;
  readonly values: Readonly<Record<ProfileIndicator, number>>;
  readonly cluster: number;
  readonly score: number;
  /** 预警级别, for the physicians of the suspect cluster only (null for the others). */
  readonly alert: AlertLevel | null;
  /** 1 = look first. */
  readonly rank: number;
}

/** 画像结果. */
export interface ProfilingResult {
  readonly kept: readonly ProfileIndicator[];
  readonly dropped: readonly ProfileIndicator[];
  readonly ahp: AhpResult;
  /** Weight per kept indicator (renormalised AHP weights). */
  readonly weights: Readonly<Partial<Record<ProfileIndicator, number>>>;
  /** How many clusters were formed (`clusterCount`). */
  readonly clusters: number;
  /** The cluster with the highest mean score (疑点医生簇). */
  readonly suspiciousCluster: number;
  /** The quartiles of the suspect cluster's scores that set its alerts (Q1, Q3). */
  readonly alertQuartiles: readonly [number, number];
  readonly profiles: readonly PhysicianProfile[];
  /** 重点关注名单: the red alerts (all in the suspect cluster), highest score first. */
  readonly watchList: readonly string[];
}

/** Runs the profiling model on the indicators. Throws when the AHP matrix is inconsistent (CR ≥ 0.1). */
export function profilePhysicians(
  input: readonly PhysicianIndicators[],
  config: ProfilingConfig = DEFAULT_PROFILING_CONFIG,
): ProfilingResult {
  const ahp = ahpWeights(config.pairwise);
  if (!ahp.consistent) throw new RangeError(`判断矩阵一致性比率 CR=${ahp.cr.toFixed(3)} 不小于 0.1，须调整`);
  const ind = config.relevance;
  const raw = input.map((p) => ind.map((k) => p.values[k] * config.direction[k]));
  const z = standardize(raw);
  const columns = ind.map((_, j) => z.map((r) => r[j] as number));
  const keptIdx = dropCorrelated(
    columns,
    ind.map((_, j) => j),
    config.maxAbsCorrelation,
  );
  const kept = keptIdx.map((j) => ind[j] as ProfileIndicator);
  const dropped = ind.filter((k) => !kept.includes(k));
  const wSum = keptIdx.reduce((t, j) => t + (ahp.weights[j] as number), 0);
  const weights: Partial<Record<ProfileIndicator, number>> = {};
  for (const j of keptIdx) weights[ind[j] as ProfileIndicator] = (ahp.weights[j] as number) / wSum;
  const points = z.map((r) => keptIdx.map((j) => r[j] as number));
  const k = clusterCount(input.length, config);
  const km = kMeans(points, k);
  const scores = points.map((p) =>
    keptIdx.reduce((t, j, c) => t + (weights[ind[j] as ProfileIndicator] as number) * (p[c] as number), 0),
  );
  const clusterMean = new Map<number, { s: number; n: number }>();
  km.labels.forEach((c, i) => {
    const m = clusterMean.get(c) ?? { s: 0, n: 0 };
    m.s += scores[i] as number;
    m.n++;
    clusterMean.set(c, m);
  });
  let suspicious = 0;
  let bestMean = Number.NEGATIVE_INFINITY;
  for (const [c, m] of clusterMean) if (m.s / m.n > bestMean) [suspicious, bestMean] = [c, m.s / m.n];
  // Alerts are for the suspect cluster only, by the quartiles of its own scores.
  const suspectScores = scores.filter((_, i) => km.labels[i] === suspicious).sort((a, b) => a - b);
  const q1 = quantile(suspectScores, 0.25);
  const q3 = quantile(suspectScores, 0.75);
  const order = input
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (scores[b] as number) - (scores[a] as number) ||
        (input[a]?.physician ?? "").localeCompare(input[b]?.physician ?? ""),
    );
  const rank = new Map(order.map((i, r) => [i, r + 1]));
  const profiles = input.map((p, i) => ({
    physician: p.physician,
    cases: p.cases,
    values: p.values,
    cluster: km.labels[i] as number,
    score: scores[i] as number,
    alert: km.labels[i] === suspicious ? alertLevel(scores[i] as number, q1, q3) : null,
    rank: rank.get(i) as number,
  }));
  const watchList = order
    .filter((i) => profiles[i]?.alert === "红色")
    .map((i) => (profiles[i] as PhysicianProfile).physician);
  return {
    kept,
    dropped,
    ahp,
    weights,
    clusters: k,
    suspiciousCluster: suspicious,
    alertQuartiles: [q1, q3],
    profiles,
    watchList,
  };
}
