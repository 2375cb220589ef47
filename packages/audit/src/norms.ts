/**
 * 病组常模 (group norms): what the region's own history says a stay of each DRG normally looks like
 * (mean cost, fee-category shares, own-pay share), the frequent principal diagnoses of each ADRG and
 * the usual principal procedure of each principal diagnosis. Part of the knowledge base
 * (医药学知识), learned from data in one linear pass; detectors compare a stay against it.
 */
import type { AuditStay } from "./model.js";

/** Norm of one DRG (病组常模). */
export interface DrgNorm {
  readonly drg: string;
  readonly cases: number;
  /** Mean total cost (fen), outliers trimmed. */
  readonly meanCost: number;
  readonly meanLos: number;
  /** Mean share of each fee category in the total (0–1). */
  readonly categoryShare: ReadonlyMap<string, number>;
  /** Mean own-pay share (全自费占比). */
  readonly ownPayShare: number;
  /**
   * The distribution of each named group of fee categories' combined share (e.g. `exam` = 检查费 +
   * 化验费), over the same stays as the means, sorted ascending: a detector reads a quantile of it
   * (the region's own spread) instead of a fixed fraction of the mean.
   */
  readonly shareDistributions?: ReadonlyMap<string, Float64Array>;
}

/**
 * The q-quantile (0–1) of a sorted distribution, by linear interpolation between the order
 * statistics (type 7, as R and NumPy default); null for an empty one.
 */
export function quantileOf(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(n - 1, lo + 1)] as number;
  return a + (h - lo) * (b - a);
}

/** 病组常模库. */
export interface GroupNorms {
  readonly drgs: ReadonlyMap<string, DrgNorm>;
  /** ADRG → its most frequent principal diagnoses, most frequent first. */
  readonly principalsByAdrg: ReadonlyMap<string, readonly string[]>;
  /** Principal diagnosis → its most frequent principal procedure among operated stays. */
  readonly procedureByPrincipal: ReadonlyMap<string, string>;
  /** MDC → ADRGs seen. */
  readonly adrgsByMdc: ReadonlyMap<string, readonly string[]>;
}

function topKeys(m: Map<string, number>, k: number): string[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map((e) => e[0]);
}

function bump(outer: Map<string, Map<string, number>>, key: string, value: string): void {
  let m = outer.get(key);
  if (m === undefined) {
    m = new Map();
    outer.set(key, m);
  }
  m.set(value, (m.get(value) ?? 0) + 1);
}

/**
 * Learns the norms from historical stays in linear time. A DRG's means are taken over its stays
 * with cost within [median ÷ trim, median × trim], so outliers (genuine or irregular) do not
 * shift them.
 */
export function learnNorms(
  stays: readonly AuditStay[],
  options: {
    topPrincipals?: number;
    trim?: number;
    /** Named groups of fee categories whose combined share's distribution each DRG keeps. */
    shareGroups?: Readonly<Record<string, readonly string[]>>;
  } = {},
): GroupNorms {
  const groups = Object.entries(options.shareGroups ?? {});
  const top = options.topPrincipals ?? 5;
  const trim = options.trim ?? 2.5;
  const byDrg = new Map<string, AuditStay[]>();
  const pdxByAdrg = new Map<string, Map<string, number>>();
  const pxByPdx = new Map<string, Map<string, number>>();
  const adrgsByMdc = new Map<string, Set<string>>();
  for (const s of stays) {
    const g = s.group;
    if (g.status !== "OK") continue;
    let list = byDrg.get(g.drg);
    if (list === undefined) {
      list = [];
      byDrg.set(g.drg, list);
    }
    list.push(s);
    const pdx = s.record.diagnoses[0];
    if (g.adrg !== null && pdx !== undefined) {
      bump(pdxByAdrg, g.adrg, pdx);
      if (g.mdc !== null) {
        let set = adrgsByMdc.get(g.mdc);
        if (set === undefined) {
          set = new Set();
          adrgsByMdc.set(g.mdc, set);
        }
        set.add(g.adrg);
      }
    }
    const px = s.record.procedures[0];
    if (pdx !== undefined && px !== undefined) bump(pxByPdx, pdx, px);
  }
  const drgs = new Map<string, DrgNorm>();
  for (const [drg, list] of byDrg) {
    const costs = list.map((s) => s.totalCost).sort((x, y) => x - y);
    const median = costs[costs.length >> 1] as number;
    let n = 0;
    let cost = 0;
    let los = 0;
    let own = 0;
    const shares = new Map<string, number>();
    const dist = groups.map(() => new Float64Array(list.length));
    for (const s of list) {
      if (s.totalCost <= 0 || s.totalCost < median / trim || s.totalCost > median * trim) continue;
      for (let g = 0; g < groups.length; g++) {
        const cats = (groups[g] as [string, readonly string[]])[1];
        let amount = 0;
        for (const f of s.fees) if (cats.includes(f.category)) amount += f.amount;
        (dist[g] as Float64Array)[n] = amount / s.totalCost;
      }
      n++;
      cost += s.totalCost;
      los += s.los;
      own += s.ownPay / s.totalCost;
      for (const f of s.fees) shares.set(f.category, (shares.get(f.category) ?? 0) + f.amount / s.totalCost);
    }
    if (n === 0) continue;
    for (const [k, v] of shares) shares.set(k, v / n);
    drgs.set(drg, {
      drg,
      cases: n,
      meanCost: Math.round(cost / n),
      meanLos: los / n,
      categoryShare: shares,
      ownPayShare: own / n,
      ...(groups.length > 0
        ? {
            shareDistributions: new Map(
              groups.map(([name], g) => [name, (dist[g] as Float64Array).slice(0, n).sort()]),
            ),
          }
        : {}),
    });
  }
  const principalsByAdrg = new Map<string, string[]>();
  for (const [adrg, m] of pdxByAdrg) principalsByAdrg.set(adrg, topKeys(m, top));
  const procedureByPrincipal = new Map<string, string>();
  for (const [pdx, m] of pxByPdx) procedureByPrincipal.set(pdx, topKeys(m, 1)[0] as string);
  const mdcs = new Map<string, string[]>();
  for (const [mdc, set] of adrgsByMdc) mdcs.set(mdc, [...set].sort());
  return { drgs, principalsByAdrg, procedureByPrincipal, adrgsByMdc: mdcs };
}

/** Norms learnt from no stays: every detector reading them abstains. */
export const EMPTY_NORMS: GroupNorms = {
  drgs: new Map(),
  principalsByAdrg: new Map(),
  procedureByPrincipal: new Map(),
  adrgsByMdc: new Map(),
};

/**
 * The norms of each scheme edition (分组方案) apart, when the stays name the scheme that grouped them
 * (a region that switched schemes): a DRG code, an ADRG or an MDC of one edition is not the group of
 * the same code in another, so a stay is compared only with stays grouped like it. Undefined when no
 * stay names its scheme (one scheme: the norms of all stays are those of that scheme).
 */
export function learnNormsByScheme(
  stays: readonly AuditStay[],
  options: Parameters<typeof learnNorms>[1] = {},
): ReadonlyMap<string, GroupNorms> | undefined {
  const parts = new Map<string, AuditStay[]>();
  for (const s of stays) {
    if (s.schemeId === undefined) continue;
    let part = parts.get(s.schemeId);
    if (part === undefined) {
      part = [];
      parts.set(s.schemeId, part);
    }
    part.push(s);
  }
  if (parts.size === 0) return undefined;
  return new Map([...parts].map(([id, part]) => [id, learnNorms(part, options)]));
}

/**
 * The norms of all stays and, when they name their schemes, of each scheme apart
 * ({@link learnNormsByScheme}), each learnt once: when every stay names the same scheme (a range
 * within one edition) the norms of that scheme are those of all stays.
 */
export function learnNormsWithSchemes(
  stays: readonly AuditStay[],
  options: Parameters<typeof learnNorms>[1] = {},
): { readonly norms: GroupNorms; readonly byScheme: ReadonlyMap<string, GroupNorms> | undefined } {
  const byScheme = learnNormsByScheme(stays, options);
  const [only] = byScheme?.size === 1 ? byScheme.values() : [];
  const all = only !== undefined && stays.every((s) => s.schemeId !== undefined) ? only : undefined;
  return { norms: all ?? learnNorms(stays, options), byScheme };
}
