/**
 * 重新分组的方案 (a regrouping plan): each accepted list of a range grouped again — by the scheme the
 * region's calendar puts in force on its date, or by one scheme for every list — the same way the
 * intake grouped it (parse the stored message, the grouping record, the grouper), and compared with
 * the grouping stored. Nothing is written here; `applyRegroup` (`@yibao/store`) writes a plan as one
 * logged run.
 */
import { type DrgScheme, groupRecord, SchemeCalendar } from "@yibao/grouper";
import { parseSettlementMessage, toGroupingRecord } from "@yibao/settlement";
import type { RegroupChange, RegroupSource } from "@yibao/store";

/** A list that could not be grouped again (its stored message no longer parses). */
export interface RegroupProblem {
  readonly setlId: string;
  readonly message: string;
}

/** The plan over a batch of lists. */
export interface RegroupPlan {
  readonly changes: RegroupChange[];
  readonly problems: RegroupProblem[];
}

const day = (d: unknown): string | null => (d === null || d === undefined ? null : String(d).slice(0, 10));

/** The scheme a stored list is grouped by under `target`: the calendar's for its date, or the one scheme. */
export function schemeForStoredList(target: DrgScheme | SchemeCalendar, row: RegroupSource): DrgScheme {
  if (!(target instanceof SchemeCalendar)) return target;
  return target.on(target.dateOf(day(row.dscg_date), day(row.setl_end_date), `${row.period}-01`));
}

/** Groups each list again under `target` and lists the ones whose scheme or group changes. */
export function planRegroup(target: DrgScheme | SchemeCalendar, rows: readonly RegroupSource[]): RegroupPlan {
  const changes: RegroupChange[] = [];
  const problems: RegroupProblem[] = [];
  for (const row of rows) {
    if (row.group_status === "CHECK_FAILED") continue;
    const parsed = parseSettlementMessage(row.message);
    if (parsed.list === undefined) {
      problems.push({
        setlId: row.setl_id,
        message: `清单 ${row.setl_id}：保存的报文无法解析（${parsed.findings[0]?.message ?? ""}），未重新分组`,
      });
      continue;
    }
    const scheme = schemeForStoredList(target, row);
    const g = groupRecord(scheme, toGroupingRecord(parsed.list, scheme));
    if (g.drg === row.drg && g.status === row.group_status && scheme.id === row.scheme_id) continue;
    changes.push({
      setlId: row.setl_id,
      version: row.version,
      from: { schemeId: row.scheme_id, groupStatus: row.group_status, drg: row.drg },
      to: {
        schemeId: scheme.id,
        groupStatus: g.status,
        drg: g.drg,
        drgName: g.drgName,
        mdc: g.mdc,
        adrg: g.adrg,
      },
    });
  }
  return { changes, problems };
}
