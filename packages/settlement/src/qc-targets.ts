/**
 * 质控目标与预警 (QC targets and alerts): the values a bureau holds hospitals to on their lists — in
 * seed 001's practice 清单上传率 ≥ 95% and 0000 组占比 < 0.3% — as a versioned, dated edition of
 * data. Each target is judged exactly on the rate's numerator and denominator (no floating point at
 * the threshold): a rate exactly at a `>=` target meets it, one exactly at a `<` target does not.
 */
import { PPM_ONE, type Ppm, parseRatio } from "@yibao/kernel/money";
import { type QcCounts, type QcRateId, qcRateParts } from "./indicators.js";

/** How the rate must compare with the target. */
export type QcTargetComparison = ">=" | ">" | "<=" | "<";

/** The Chinese name of each QC rate a target can be set on. */
export const QC_RATE_NAMES: Readonly<Record<QcRateId, string>> = {
  uploadRate: "清单上传率",
  qcPassRate: "质控通过率",
  groupingRate: "入组率",
  ambiguousShare: "歧义组占比",
  ungroupedShare: "0000 组占比",
};

/** One target (质控目标). */
export interface QcTarget {
  readonly indicator: QcRateId;
  readonly comparison: QcTargetComparison;
  /** The target value, exact, in ppm (95% → 950 000). */
  readonly value: Ppm;
  /** The target as the edition wrote it (e.g. `95%`), shown to users. */
  readonly text: string;
}

/** An edition of the targets (质控目标版本). */
export interface QcTargetSet {
  readonly id: string;
  readonly version: string;
  /** yyyy-MM-dd. */
  readonly effectiveDate: string;
  readonly source: string;
  readonly targets: readonly QcTarget[];
}

/** A target judged on one set of counts (达标/未达标/无数据). */
export interface QcTargetVerdict {
  readonly indicator: QcRateId;
  readonly name: string;
  readonly comparison: QcTargetComparison;
  readonly target: string;
  readonly numerator: number;
  readonly denominator: number | null;
  /** The rate, null when its denominator is zero or unknown. */
  readonly actual: number | null;
  /** null when there is no data to judge. */
  readonly met: boolean | null;
  /** A Chinese sentence for the console and reports. */
  readonly message: string;
}

const COMPARISONS: readonly QcTargetComparison[] = [">=", ">", "<=", "<"];
const COMPARISON_TEXT: Readonly<Record<QcTargetComparison, string>> = {
  ">=": "不低于",
  ">": "高于",
  "<=": "不高于",
  "<": "低于",
};

/** Validates an edition; every problem names its JSON path, in Chinese. */
export function validateQcTargetSet(raw: unknown): { set?: QcTargetSet; problems: string[] } {
  const problems: string[] = [];
  const o = raw as Record<string, unknown> | null;
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    return { problems: ["质控目标：根节点应为对象"] };
  }
  for (const k of ["id", "version", "source"] as const) {
    if (typeof o[k] !== "string" || o[k] === "") problems.push(`质控目标.${k}：应为非空文本`);
  }
  if (typeof o.effectiveDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(o.effectiveDate)) {
    problems.push("质控目标.effectiveDate：应为 yyyy-MM-dd 日期");
  }
  const targets: QcTarget[] = [];
  if (!Array.isArray(o.targets) || o.targets.length === 0) {
    problems.push("质控目标.targets：应为非空数组");
  } else {
    o.targets.forEach((t0, i) => {
      const where = `质控目标.targets[${i}]`;
      const t = t0 as Record<string, unknown> | null;
      if (t === null || typeof t !== "object") {
        problems.push(`${where}：应为对象`);
        return;
      }
      const indicator = t.indicator as QcRateId;
      if (typeof indicator !== "string" || !(indicator in QC_RATE_NAMES)) {
        problems.push(`${where}.indicator：应为 ${Object.keys(QC_RATE_NAMES).join("、")} 之一`);
      }
      const comparison = t.comparison as QcTargetComparison;
      if (!COMPARISONS.includes(comparison)) problems.push(`${where}.comparison：应为 >=、>、<= 或 < 之一`);
      let value = 0;
      try {
        if (typeof t.value !== "string") throw new Error('应为文本，如 "95%" 或 "0.3%"');
        value = parseRatio(t.value);
        if (value < 0 || value > PPM_ONE) throw new Error("应在 0 与 100% 之间");
      } catch (e) {
        problems.push(`${where}.value：${(e as Error).message}`);
      }
      if (targets.some((x) => x.indicator === indicator && x.comparison === comparison)) {
        problems.push(`${where}：同一指标与比较方式重复`);
      }
      targets.push({ indicator, comparison, value, text: String(t.value) });
    });
  }
  if (problems.length > 0) return { problems };
  const set: QcTargetSet = {
    id: o.id as string,
    version: o.version as string,
    effectiveDate: o.effectiveDate as string,
    source: o.source as string,
    targets,
  };
  return { set, problems };
}

/** `numerator ÷ denominator` against `value` ppm, exactly (integers, no floating point). */
function compare(numerator: number, denominator: number, value: Ppm): number {
  const left = BigInt(numerator) * BigInt(PPM_ONE);
  const right = BigInt(value) * BigInt(denominator);
  return left === right ? 0 : left < right ? -1 : 1;
}

function holds(c: number, comparison: QcTargetComparison): boolean {
  if (comparison === ">=") return c >= 0;
  if (comparison === ">") return c > 0;
  if (comparison === "<=") return c <= 0;
  return c < 0;
}

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Judges every target of the edition on the counts (a hospital's, a period's, the region's). */
export function judgeQcTargets(counts: QcCounts, set: QcTargetSet): QcTargetVerdict[] {
  const parts = qcRateParts(counts);
  return set.targets.map((t) => {
    const { numerator, denominator } = parts[t.indicator];
    const name = QC_RATE_NAMES[t.indicator];
    const goal = `${COMPARISON_TEXT[t.comparison]} ${t.text}`;
    const measured = {
      indicator: t.indicator,
      name,
      comparison: t.comparison,
      target: t.text,
      numerator,
      denominator,
    };
    if (denominator === null || denominator === 0) {
      return {
        ...measured,
        actual: null,
        met: null,
        message: `${name}无数据（分母为${denominator === null ? "未知" : "零"}），目标${goal}`,
      };
    }
    const met = holds(compare(numerator, denominator, t.value), t.comparison);
    const actual = numerator / denominator;
    return {
      ...measured,
      actual,
      met,
      message: `${name} ${percent(actual)}（${numerator}/${denominator}），目标${goal}：${met ? "达标" : "未达标"}`,
    };
  });
}
