/**
 * 清单质控指标 (QC indicators) per hospital and period, computed from stored summaries: upload
 * rate (清单上传率), QC pass rate (质控通过率), grouping rate (DRG 入组率), the share of `0000`
 * (未入组占比) and findings by rule. Pure; the caller reads the summaries from storage.
 */
import { UNGROUPED_DRG } from "@yibao/grouper";
import { uploadRate } from "@yibao/kernel/rates";
import type { SettlementList } from "./model.js";
import type { QcFinding, Severity } from "./rules.js";

/** The stored state of one list (its latest upload). */
export interface ListSummary {
  /** 定点医药机构编号. */
  readonly hospitalCode: string;
  /** Reporting period, e.g. `2024-03` (the month of 结算结束日期; see `summarizeList`). */
  readonly period: string;
  readonly setlId: string;
  /** Whether the list passed QC (no error finding) and was taken in. */
  readonly accepted: boolean;
  /** The DRG the list grouped into (`0000` when ungroupable), null when it was not grouped. */
  readonly drg: string | null;
  readonly findings: readonly Pick<QcFinding, "ruleId" | "severity">[];
}

/** The number of settlements a hospital had in a period (from the settlement system: 应传清单数). */
export interface ExpectedCount {
  readonly hospitalCode: string;
  readonly period: string;
  readonly expected: number;
}

export interface RuleCount {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Findings of the rule. */
  readonly findings: number;
  /** Lists with at least one finding of the rule. */
  readonly lists: number;
}

/** Indicators of one hospital in one period. Rates are fractions in [0, 1], null when undefined. */
export interface QcIndicators {
  readonly hospitalCode: string;
  readonly period: string;
  /** 应传清单数, null when unknown. */
  readonly expected: number | null;
  /** Lists received (accepted or refused). */
  readonly received: number;
  /** Lists accepted (passed QC). */
  readonly accepted: number;
  /** 清单上传率 = received / expected (the kernel's one definition, `@yibao/kernel/rates`). */
  readonly uploadRate: number | null;
  /** 质控通过率 = accepted / received. */
  readonly qcPassRate: number | null;
  /** Accepted lists that went through the grouper. */
  readonly grouped: number;
  /** Grouped lists with a DRG other than `0000`. */
  readonly inGroup: number;
  /** Grouped lists in `0000`. */
  readonly ungrouped: number;
  /** DRG 入组率 = inGroup / grouped. */
  readonly groupingRate: number | null;
  /** 0000 组占比 = ungrouped / grouped. */
  readonly ungroupedShare: number | null;
  /** Findings by rule, most frequent first. */
  readonly findingsByRule: readonly RuleCount[];
}

function rate(n: number, d: number | null): number | null {
  return d === null || d === 0 ? null : n / d;
}

/**
 * Computes the indicators of every (hospital, period) present in `summaries` or `expected`.
 * Each summary must be the latest version of its list (one per `setlId`): re-uploads replace.
 * Rows are sorted by hospital, then period.
 */
export function computeQcIndicators(
  summaries: Iterable<ListSummary>,
  expected: readonly ExpectedCount[] = [],
): QcIndicators[] {
  interface Acc {
    hospitalCode: string;
    period: string;
    expected: number | null;
    received: number;
    accepted: number;
    grouped: number;
    ungrouped: number;
    rules: Map<string, { ruleId: string; severity: Severity; findings: number; lists: number }>;
  }
  const groups = new Map<string, Acc>();
  const acc = (hospitalCode: string, period: string): Acc => {
    const key = `${hospitalCode}\u0000${period}`;
    let a = groups.get(key);
    if (a === undefined) {
      a = {
        hospitalCode,
        period,
        expected: null,
        received: 0,
        accepted: 0,
        grouped: 0,
        ungrouped: 0,
        rules: new Map(),
      };
      groups.set(key, a);
    }
    return a;
  };
  for (const e of expected) {
    const a = acc(e.hospitalCode, e.period);
    a.expected = (a.expected ?? 0) + e.expected;
  }
  for (const s of summaries) {
    const a = acc(s.hospitalCode, s.period);
    a.received++;
    if (s.accepted) {
      a.accepted++;
      if (s.drg !== null) {
        a.grouped++;
        if (s.drg === UNGROUPED_DRG) a.ungrouped++;
      }
    }
    const seen = new Set<string>();
    for (const f of s.findings) {
      const key = `${f.ruleId}\u0000${f.severity}`;
      let rc = a.rules.get(key);
      if (rc === undefined) {
        rc = { ruleId: f.ruleId, severity: f.severity, findings: 0, lists: 0 };
        a.rules.set(key, rc);
      }
      rc.findings++;
      if (!seen.has(key)) {
        seen.add(key);
        rc.lists++;
      }
    }
  }
  return [...groups.values()]
    .sort((x, y) =>
      x.hospitalCode === y.hospitalCode
        ? x.period < y.period
          ? -1
          : x.period > y.period
            ? 1
            : 0
        : x.hospitalCode < y.hospitalCode
          ? -1
          : 1,
    )
    .map((a) => ({
      hospitalCode: a.hospitalCode,
      period: a.period,
      expected: a.expected,
      received: a.received,
      accepted: a.accepted,
      uploadRate: uploadRate(a.received, a.expected),
      qcPassRate: rate(a.accepted, a.received),
      grouped: a.grouped,
      inGroup: a.grouped - a.ungrouped,
      ungrouped: a.ungrouped,
      groupingRate: rate(a.grouped - a.ungrouped, a.grouped),
      ungroupedShare: rate(a.ungrouped, a.grouped),
      findingsByRule: [...a.rules.values()].sort(
        (x, y) => y.findings - x.findings || (x.ruleId < y.ruleId ? -1 : 1),
      ),
    }));
}

/**
 * The summary of one checked (and possibly grouped) list: hospital = 定点医药机构编号, period =
 * the month (`yyyy-MM`) of 结算结束日期 (or `""` when it is missing).
 */
export function summarizeList(
  list: SettlementList,
  findings: readonly QcFinding[],
  accepted: boolean,
  drg: string | null,
): ListSummary {
  return {
    hospitalCode: list.info.fixmedinsCode ?? "",
    period: list.info.setlEndDate?.slice(0, 7) ?? "",
    setlId: list.info.setlId ?? "",
    accepted,
    drg,
    findings: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity })),
  };
}
