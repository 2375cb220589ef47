/**
 * 目标值对比: department and physician performance against target values (目标管理, seeds 000
 * l.1216–1224 and 003). Targets are data given by the user, in the indicator's own unit: ratios as
 * fractions (95% → 0.95), money in fen.
 */

import { type IndicatorId, indicatorDefinition } from "./catalogue.js";

/** A comparison of an actual value with a target value. */
export type TargetComparison = ">=" | ">" | "<=" | "<";

/** 目标值. */
export interface IndicatorTarget {
  readonly indicator: IndicatorId;
  readonly value: number;
  /**
   * How the actual value must compare with the target; default `>=` for indicators where higher is
   * better and `<=` where lower is better. Required for neutral indicators (e.g. 病例数).
   */
  readonly comparison?: TargetComparison | undefined;
  /** The row key the target is for; a target without a key applies to every row without its own. */
  readonly key?: string | undefined;
}

/** 达标情况 of one indicator of one row. */
export interface TargetVerdict {
  readonly indicator: IndicatorId;
  readonly actual: number | null;
  readonly target: number;
  readonly comparison: TargetComparison;
  /** null when the row has no value for the indicator. */
  readonly met: boolean | null;
  /** "达标", "未达标" or "无数据". */
  readonly label: "达标" | "未达标" | "无数据";
}

export interface RowTargetResult {
  readonly key: string;
  readonly verdicts: TargetVerdict[];
  /** True when every verdict is met, false when one is not met, null when none could be decided. */
  readonly allMet: boolean | null;
}

/** A row as far as the target comparison needs it. */
export interface ValuedRow {
  readonly key: string;
  readonly values: Readonly<Partial<Record<IndicatorId, number | null>>>;
}

function comparisonOf(t: IndicatorTarget): TargetComparison {
  if (t.comparison !== undefined) return t.comparison;
  const def = indicatorDefinition(t.indicator);
  if (def.direction === "higher") return ">=";
  if (def.direction === "lower") return "<=";
  throw new RangeError(`指标"${def.name}"无好坏方向, 目标值必须写明比较方式(>=, >, <=, <)`);
}

function meets(actual: number, c: TargetComparison, target: number): boolean {
  switch (c) {
    case ">=":
      return actual >= target;
    case ">":
      return actual > target;
    case "<=":
      return actual <= target;
    case "<":
      return actual < target;
  }
}

/**
 * Flags each row against the targets (达标/未达标). A target with a `key` overrides the general
 * target of the same indicator for that row. Throws on a neutral indicator without a comparison or
 * a target value that is not a finite number.
 */
export function compareWithTargets(
  rows: readonly ValuedRow[],
  targets: readonly IndicatorTarget[],
): RowTargetResult[] {
  const general = new Map<IndicatorId, IndicatorTarget>();
  const specific = new Map<string, Map<IndicatorId, IndicatorTarget>>();
  for (const t of targets) {
    if (!Number.isFinite(t.value))
      throw new RangeError(`指标"${indicatorDefinition(t.indicator).name}"的目标值不是有效数字`);
    comparisonOf(t);
    if (t.key === undefined) general.set(t.indicator, t);
    else {
      let m = specific.get(t.key);
      if (m === undefined) {
        m = new Map();
        specific.set(t.key, m);
      }
      m.set(t.indicator, t);
    }
  }
  return rows.map((row) => {
    const own = specific.get(row.key);
    const applicable = new Map(general);
    if (own !== undefined) for (const [id, t] of own) applicable.set(id, t);
    const verdicts: TargetVerdict[] = [];
    let allMet: boolean | null = null;
    for (const [id, t] of applicable) {
      const comparison = comparisonOf(t);
      const actual = row.values[id] ?? null;
      const met = actual === null ? null : meets(actual, comparison, t.value);
      verdicts.push({
        indicator: id,
        actual,
        target: t.value,
        comparison,
        met,
        label: met === null ? "无数据" : met ? "达标" : "未达标",
      });
      if (met === false) allMet = false;
      else if (met === true && allMet === null) allMet = true;
    }
    return { key: row.key, verdicts, allMet };
  });
}
