/**
 * `yibao regroup` (重新分组): groups the accepted lists of a range again under a newer scheme edition —
 * the region pack's schemes by date, or one scheme for every list — and reports what moves: how many
 * lists change scheme and group, each transition, and the DRG payment of the changed lists before and
 * after, settled by the payment code with the policies in force (what re-settlement will pay). Without
 * `--apply` nothing is written; with it the change is one logged run (`regroup_run`, `regroup_change`),
 * and the periods are then re-settled with `yibao payment settle`.
 */
import { writeFileSync } from "node:fs";
import type { DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { createListEstimator } from "@yibao/payment-service";
import { planRegroup, type RegroupProblem } from "@yibao/server";
import {
  applyRegroup,
  type OpenStoreOptions,
  openStore,
  type RegroupChange,
  type RegroupSource,
  readListsToRegroup,
} from "@yibao/store";
import { stringify } from "csv-stringify/sync";
import { openRegionPack } from "./region.js";

export interface RegroupOptions {
  readonly from: string;
  readonly to: string;
  /** A region pack with `schemes.json`, or else `schemeDir`. */
  readonly region?: string;
  readonly schemeDir?: string;
  readonly apply: boolean;
  readonly operator: string;
  readonly reason: string;
  readonly report?: string;
  readonly store: OpenStoreOptions;
}

/** One changed list with the payment before and after (fen; null when it cannot be priced). */
export interface RegroupLine {
  readonly change: RegroupChange;
  readonly hospital: string;
  readonly period: string;
  readonly before: number | null;
  readonly after: number | null;
}

export interface RegroupReport {
  readonly lists: number;
  readonly lines: RegroupLine[];
  readonly problems: RegroupProblem[];
  /** Changed lists priced both ways, and their DRG payment before and after. */
  readonly priced: number;
  readonly paymentBefore: number;
  readonly paymentAfter: number;
  readonly applied?: {
    readonly runId: number;
    readonly applied: number;
    readonly skipped: readonly string[];
  };
}

/** A refusal before anything is read (bad options or region pack). */
export class RegroupRefused extends Error {}

async function targetOf(o: RegroupOptions): Promise<DrgScheme | SchemeCalendar> {
  if (o.region) {
    const pack = await openRegionPack(o.region);
    if (pack.problems.length > 0) throw new RegroupRefused(`地区配置有误：${pack.problems.join("；")}`);
    if (pack.calendar) return pack.calendar;
    if (!o.schemeDir) throw new RegroupRefused("地区配置中没有 schemes.json，请用 --scheme 指定分组方案");
  }
  if (!o.schemeDir)
    throw new RegroupRefused("请用 --region（含 schemes.json）或 --scheme 指定按哪个分组方案重新分组");
  return loadSchemeDir(o.schemeDir);
}

const yuan = (fen: number) => `${fen < 0 ? "-" : ""}${(Math.abs(fen) / 100).toFixed(2)}`;

/** Plans (and with `apply` writes) a regrouping; returns the report. */
export async function regroupLists(o: RegroupOptions): Promise<RegroupReport> {
  const target = await targetOf(o);
  const store = await openStore(o.store);
  try {
    const estimate = await createListEstimator(store);
    let lists = 0;
    const lines: RegroupLine[] = [];
    const problems: RegroupProblem[] = [];
    for await (const rows of readListsToRegroup(store, o.from, o.to)) {
      lists += rows.length;
      const plan = planRegroup(target, rows);
      problems.push(...plan.problems);
      const byId = new Map(rows.map((r) => [r.setl_id, r]));
      // The DRG payment before and after, the list's costs read once (null: not priced).
      const priceBoth = async (row: RegroupSource, from: string, to: string) => {
        const [before, after] = estimate ? await estimate.underGroups(row, [from, to]) : [null, null];
        return { before: before ?? null, after: after ?? null };
      };
      for (const change of plan.changes) {
        const row = byId.get(change.setlId) as RegroupSource;
        lines.push({
          change,
          hospital: row.hospital_code,
          period: row.period,
          ...(await priceBoth(row, change.from.drg, change.to.drg)),
        });
      }
    }
    const both = lines.filter((l) => l.before !== null && l.after !== null);
    const paymentBefore = both.reduce((t, l) => t + (l.before as number), 0);
    const paymentAfter = both.reduce((t, l) => t + (l.after as number), 0);
    const report: RegroupReport = {
      lists,
      lines,
      problems,
      priced: both.length,
      paymentBefore,
      paymentAfter,
    };
    if (o.report) writeFileSync(o.report, regroupCsv(report));
    if (!o.apply) return report;
    const applied = await applyRegroup(
      store,
      {
        operator: o.operator,
        reason: o.reason,
        periodFrom: o.from,
        periodTo: o.to,
        lists,
        paymentBeforeFen: both.length > 0 ? paymentBefore : null,
        paymentAfterFen: both.length > 0 ? paymentAfter : null,
        summary: { transitions: transitions(lines), problems: problems.length, priced: both.length },
      },
      lines.map((l) => l.change),
    );
    return { ...report, applied };
  } finally {
    await store.close();
  }
}

/** Each transition `scheme:DRG → scheme:DRG` with its count, most frequent first. */
export function transitions(lines: readonly RegroupLine[]): { from: string; to: string; lists: number }[] {
  const m = new Map<string, { from: string; to: string; lists: number }>();
  for (const { change: c } of lines) {
    const from = `${c.from.schemeId}:${c.from.drg}`;
    const to = `${c.to.schemeId}:${c.to.drg}`;
    const k = `${from}>${to}`;
    const e = m.get(k);
    if (e) e.lists++;
    else m.set(k, { from, to, lists: 1 });
  }
  return [...m.values()].sort((a, b) => b.lists - a.lists || (a.from < b.from ? -1 : 1));
}

/** The report's CSV: one line per changed list (金额：元). */
export function regroupCsv(r: RegroupReport): string {
  return stringify(
    r.lines.map((l) => [
      l.change.setlId,
      l.hospital,
      l.period,
      l.change.from.schemeId,
      l.change.from.drg,
      l.change.to.schemeId,
      l.change.to.drg,
      l.before === null ? "" : yuan(l.before),
      l.after === null ? "" : yuan(l.after),
    ]),
    {
      header: true,
      columns: [
        "结算ID",
        "医院编码",
        "结算期",
        "原分组方案",
        "原病组",
        "新分组方案",
        "新病组",
        "原DRG支付",
        "新DRG支付",
      ],
    },
  );
}

/** The report as the command prints it, in Chinese. */
export function formatRegroup(r: RegroupReport, o: Pick<RegroupOptions, "from" | "to" | "apply">): string {
  const range = o.from === o.to ? o.from : `${o.from}..${o.to}`;
  const drgChanged = r.lines.filter((l) => l.change.from.drg !== l.change.to.drg).length;
  const pct = r.lists === 0 ? "0.0" : ((drgChanged * 100) / r.lists).toFixed(1);
  const out = [
    `重新分组${o.apply ? "" : "（试算，未写入）"}：结算期 ${range}，读取已接收清单 ${r.lists} 份`,
    `分组结果改变 ${r.lines.length} 份，其中病组改变 ${drgChanged} 份（${pct}%），仅分组方案改变 ${r.lines.length - drgChanged} 份`,
  ];
  const t = transitions(r.lines);
  if (t.length > 0) out.push("病组变化（按份数）：");
  for (const x of t.slice(0, 20)) out.push(`  ${x.from} → ${x.to}\t${x.lists} 份`);
  if (t.length > 20) out.push(`  …另有 ${t.length - 20} 种变化`);
  const unpriced = r.lines.length - r.priced;
  out.push(
    r.priced === 0
      ? `DRG 支付：改变的清单均无法定价（未保存支付政策或病组不在权重表中）${unpriced > 0 ? `，共 ${unpriced} 份` : ""}`
      : `DRG 支付（可定价的 ${r.priced} 份）：原 ${yuan(r.paymentBefore)} 元 → 新 ${yuan(r.paymentAfter)} 元，变化 ${r.paymentAfter >= r.paymentBefore ? "+" : ""}${yuan(r.paymentAfter - r.paymentBefore)} 元${unpriced > 0 ? `；无法定价 ${unpriced} 份` : ""}`,
  );
  for (const p of r.problems.slice(0, 5)) out.push(`  ${p.message}`);
  if (r.problems.length > 5) out.push(`  …另有 ${r.problems.length - 5} 份无法重新分组`);
  if (r.applied) {
    out.push(
      `已写入：批次 ${r.applied.runId}，更新 ${r.applied.applied} 份${r.applied.skipped.length > 0 ? `，跳过 ${r.applied.skipped.length} 份（试算后已重传或已改变）` : ""}`,
      `请重新结算受影响的结算期：yibao payment settle --period ${range}`,
    );
  } else out.push("未写入数据库；确认后加 --apply 写入并记入重新分组日志");
  return `${out.join("\n")}\n`;
}
