/**
 * 结果一致性核对: checks that two result sets (e.g. this package's and the server's SQL) agree,
 * indicator by indicator: counts and money exactly, ratios and statistics within a tolerance.
 */

import { INDICATOR_IDS, type IndicatorId, indicatorDefinition } from "./catalogue.js";
import type { ValuedRow } from "./targets.js";

export interface AgreementOptions {
  /** Relative tolerance for ratios and statistics (default 1e-9). */
  readonly relativeTolerance?: number | undefined;
  /** Absolute tolerance for ratios and statistics (default 1e-12). */
  readonly absoluteTolerance?: number | undefined;
  /** The indicators to compare (default: the whole catalogue). */
  readonly indicators?: readonly IndicatorId[] | undefined;
}

/** One disagreement. */
export interface ResultDifference {
  readonly key: string;
  readonly kind: "missing-row" | "extra-row" | "missing-value" | "value";
  readonly indicator?: IndicatorId;
  readonly expected?: number | null;
  readonly actual?: number | null;
  /** Chinese description. */
  readonly message: string;
}

export interface Agreement {
  readonly agree: boolean;
  readonly differences: ResultDifference[];
}

/** True when a and b agree for an indicator of the given kind. */
export function valuesAgree(
  id: IndicatorId,
  a: number | null,
  b: number | null,
  opts: AgreementOptions = {},
): boolean {
  if (a === null || b === null) return a === b;
  const kind = indicatorDefinition(id).kind;
  if (kind === "count" || kind === "money") return a === b;
  const rel = opts.relativeTolerance ?? 1e-9;
  const abs = opts.absoluteTolerance ?? 1e-12;
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}

/**
 * Compares `actual` with `expected` row by row (matched by key) and indicator by indicator.
 * A value missing on one side (undefined) is a difference; null equals only null.
 */
export function compareResultSets(
  expected: readonly ValuedRow[],
  actual: readonly ValuedRow[],
  opts: AgreementOptions = {},
): Agreement {
  const ids = opts.indicators ?? INDICATOR_IDS;
  const differences: ResultDifference[] = [];
  const byKey = new Map<string, ValuedRow>();
  for (const r of actual) byKey.set(r.key, r);
  const seen = new Set<string>();
  for (const e of expected) {
    seen.add(e.key);
    const a = byKey.get(e.key);
    if (a === undefined) {
      differences.push({ key: e.key, kind: "missing-row", message: `缺少行 ${e.key}` });
      continue;
    }
    for (const id of ids) {
      const ev = e.values[id];
      const av = a.values[id];
      const name = indicatorDefinition(id).name;
      if (ev === undefined || av === undefined) {
        if (ev !== av)
          differences.push({
            key: e.key,
            kind: "missing-value",
            indicator: id,
            expected: ev ?? null,
            actual: av ?? null,
            message: `行 ${e.key} 的指标"${name}"只在一方有值`,
          });
        continue;
      }
      if (!valuesAgree(id, ev, av, opts))
        differences.push({
          key: e.key,
          kind: "value",
          indicator: id,
          expected: ev,
          actual: av,
          message: `行 ${e.key} 的指标"${name}"不一致: 期望 ${String(ev)}, 实际 ${String(av)}`,
        });
    }
  }
  for (const a of actual)
    if (!seen.has(a.key)) differences.push({ key: a.key, kind: "extra-row", message: `多出行 ${a.key}` });
  return { agree: differences.length === 0, differences };
}
