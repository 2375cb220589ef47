/**
 * Charge rules on a stay's detail items (费用明细) that read the knowledge base's catalogue of
 * limits, bundles and substitutions:
 *
 * - 超限定频次 (`frequencyLimits`): more units of an item than it may be charged per stay, or within any
 *   `perDays` consecutive days; the units beyond the limit, latest first, are not the fund's.
 * - 项目内涵重复收费 (`bundles`): a component charged on a day its bundle is charged (e.g. a 护理
 *   item inside 特级护理, a 监测 inside 重症监护) is charged twice; the component's covered part is removed.
 * - 串换项目 (`substitutions`): a catalogue item charged to the fund on the same day (or in the same
 *   stay) as a marker of another service the fund does not pay (e.g. an implant consumable beside a
 *   tooth extraction): the billed item's covered part is what the fund may have paid for the other one.
 * - 违规支付 (`selfPayItems`, and every 丙类 line): an amount the patient bears in full charged to the
 *   fund — a 丙类 line, or a listed self-pay item, whose 全自费金额 is less than its 金额.
 *
 * The covered (fund-payable) part of a line is 金额 − 全自费金额 of a 甲类/乙类 line, as for 限定支付.
 */
import { dayNumber } from "@yibao/kernel/calendar";
import { mulDivRound } from "@yibao/kernel/money";
import type { ItemFindingMaker } from "./detect-item-limits.js";
import { type Finding, itemNames, yuan } from "./finding.js";
import type { DetailItem } from "./model.js";
import type {
  AuditRule,
  FrequencyLimit,
  ItemBundle,
  ItemSelector,
  ItemSubstitution,
  SelfPayItems,
} from "./rules.js";

/** True when the selector names the code, exactly or by a prefix. */
export function selects(sel: ItemSelector, code: string): boolean {
  if (sel.codes?.includes(code)) return true;
  for (const p of sel.prefixes ?? []) if (code.startsWith(p)) return true;
  return false;
}

/** The covered (fund-payable) part of a line: 甲类/乙类 amount less what the patient paid in full. */
export function covered(d: DetailItem): number {
  if (d.chrgitmLv !== "01" && d.chrgitmLv !== "02") return 0;
  return Math.max(0, d.amount - (d.ownPayAmount ?? 0));
}

/** A selector as people read it: codes, then prefixes with `*`. */
export function selectorText(sel: ItemSelector): string {
  return [...(sel.codes ?? []), ...(sel.prefixes ?? []).map((p) => `${p}*`)].join("、");
}

/**
 * Quantities carry at most four decimals (计量单位 of the detail upload): they are counted in
 * ten-thousandths of a unit, as integers, so that 0.1 + 0.2 is 0.3 and no remainder of binary floating
 * point is ever "over" a limit.
 */
const QTY_SCALE = 10_000;

/** A quantity in ten-thousandths of a unit. */
function scaled(quantity: number): number {
  return Math.round(quantity * QTY_SCALE);
}

/**
 * The units of each line beyond the limit, in ten-thousandths: lines in date order (upload order within
 * a day), each taking what the limit leaves in its window — the whole stay, or the `perDays` days ending
 * on its own date.
 */
function unitsOver(limit: FrequencyLimit, lines: readonly DetailItem[]): { d: DetailItem; over: number }[] {
  // Array.prototype.sort is stable: lines of one day keep their upload order.
  const ordered = lines.map((d) => ({ d, day: dayNumber(d.date), qty: scaled(d.quantity) }));
  ordered.sort((a, b) => a.day - b.day);
  const max = scaled(limit.maxUnits);
  // The units taken inside the window, oldest first, and their sum: a line's window only moves forward.
  const taken: { day: number; units: number }[] = [];
  let first = 0;
  let used = 0;
  const out: { d: DetailItem; over: number }[] = [];
  for (const { d, day, qty } of ordered) {
    const from = limit.perDays === undefined ? Number.NEGATIVE_INFINITY : day - limit.perDays + 1;
    for (; first < taken.length && (taken[first] as { day: number }).day < from; first++)
      used -= (taken[first] as { units: number }).units;
    const units = Math.min(qty, Math.max(0, max - used));
    taken.push({ day, units });
    used += units;
    if (qty > units) out.push({ d, over: qty - units });
  }
  return out;
}

/** 超限定频次 over one stay's details. */
export function frequencyLimitFindings(
  details: readonly DetailItem[],
  limits: readonly FrequencyLimit[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  for (const limit of limits) {
    // Units the patient paid in full are not the fund's concern: only covered lines count, and a
    // quantity under a ten-thousandth of a unit is none.
    const lines = details.filter((d) => selects(limit, d.code) && scaled(d.quantity) > 0 && covered(d) > 0);
    const over = unitsOver(limit, lines);
    if (over.length === 0) continue;
    const units = over.reduce((t, o) => t + o.over, 0) / QTY_SCALE;
    // Each line's units over at its own price: round(covered × over ÷ quantity), half up.
    const removed = over.reduce((t, o) => t + mulDivRound(covered(o.d), o.over, scaled(o.d.quantity)), 0);
    const window =
      limit.perDays === undefined
        ? "每次住院"
        : limit.perDays === 1
          ? "每日"
          : `任意连续 ${limit.perDays} 日内`;
    const charged = lines.reduce((t, d) => t + scaled(d.quantity), 0) / QTY_SCALE;
    out.push(
      make(
        rule,
        `frequency:${limit.name}`,
        `${limit.name}超限定频次（${limit.text}）：${window}限 ${limit.maxUnits}，收取 ${charged}，超出 ${units}，医保支付部分 ${yuan(removed)} 元不应由基金支付`,
        [
          {
            text: `${limit.name} ${lines.length} 条明细共 ${charged}；${window}最多 ${limit.maxUnits}；超出 ${units} 的医保目录内金额 ${yuan(removed)} 元`,
            fields: {
              limit: limit.name,
              maxUnits: limit.maxUnits,
              perDays: limit.perDays ?? null,
              chargedUnits: charged,
              unitsOver: units,
              items: itemNames(lines),
              coveredAmount: removed,
            },
          },
        ],
        removed,
      ),
    );
  }
}

/** Lines grouped by their date. */
function byDate(details: readonly DetailItem[]): Map<string, DetailItem[]> {
  const m = new Map<string, DetailItem[]>();
  for (const d of details) {
    const day = m.get(d.date);
    if (day === undefined) m.set(d.date, [d]);
    else day.push(d);
  }
  return m;
}

/** 项目内涵重复收费 over one stay's details. */
export function bundleFindings(
  details: readonly DetailItem[],
  bundles: readonly ItemBundle[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  const days = byDate(details);
  for (const b of bundles) {
    const charged: DetailItem[] = [];
    const bundleLines: DetailItem[] = [];
    const dates: string[] = [];
    for (const [date, lines] of days) {
      const bl = lines.filter((d) => selects(b.bundle, d.code) && scaled(d.quantity) > 0);
      if (bl.length === 0) continue;
      // A line both bundle and component is the bundle.
      const comp = lines.filter((d) => !bl.includes(d) && selects(b.components, d.code) && covered(d) > 0);
      if (comp.length === 0) continue;
      charged.push(...comp);
      bundleLines.push(...bl);
      dates.push(date);
    }
    if (charged.length === 0) continue;
    const removed = charged.reduce((t, d) => t + covered(d), 0);
    dates.sort();
    out.push(
      make(
        rule,
        `bundle:${b.name}`,
        `${b.name}：${itemNames(bundleLines).join("、")}已含${itemNames(charged).join("、")}，同日另行收取 ${dates.length} 日，医保支付部分 ${yuan(removed)} 元属重复收费（${b.text}）`,
        [
          {
            text: `${dates.join("、")} 同日收取 ${selectorText(b.bundle)} 及其内涵项目 ${selectorText(b.components)}：${charged.length} 条明细，医保目录内金额 ${yuan(removed)} 元`,
            fields: {
              bundle: b.name,
              dates,
              lines: charged.length,
              items: itemNames(charged),
              coveredAmount: removed,
            },
          },
        ],
        removed,
      ),
    );
  }
}

/** 串换项目 over one stay's details. */
export function substitutionFindings(
  details: readonly DetailItem[],
  substitutions: readonly ItemSubstitution[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  for (const sub of substitutions) {
    const markers = details.filter((d) => selects(sub.markers, d.code) && scaled(d.quantity) > 0);
    if (markers.length === 0) continue;
    const markerDates = new Set(markers.map((d) => d.date));
    const billed = details.filter(
      (d) =>
        selects(sub.billed, d.code) &&
        !selects(sub.markers, d.code) &&
        covered(d) > 0 &&
        (sub.scope === "stay" || markerDates.has(d.date)),
    );
    if (billed.length === 0) continue;
    const removed = billed.reduce((t, d) => t + covered(d), 0);
    const where = sub.scope === "stay" ? "同次住院" : "同日";
    out.push(
      make(
        rule,
        `substitution:${sub.name}`,
        `${sub.name}：${where}收取${itemNames(markers).join("、")}，提示实际提供的是${sub.actual}，却按${itemNames(billed).join("、")}由医保支付 ${yuan(removed)} 元（${sub.text}）`,
        [
          {
            text: `${where}有 ${selectorText(sub.markers)} ${markers.length} 条，医保目录内项目 ${selectorText(sub.billed)} ${billed.length} 条，医保目录内金额 ${yuan(removed)} 元`,
            fields: {
              substitution: sub.name,
              actual: sub.actual,
              markers: itemNames(markers),
              items: itemNames(billed),
              lines: billed.length,
              coveredAmount: removed,
            },
          },
        ],
        removed,
      ),
    );
  }
}

/** The part of a line the fund was asked to pay although the patient bears it all: 金额 − 全自费金额. */
function fundCharged(d: DetailItem): number {
  if (d.ownPayAmount === undefined) return 0;
  return Math.max(0, d.amount - d.ownPayAmount);
}

/** 违规支付: 丙类 lines and listed self-pay items whose 全自费金额 falls short of their 金额. */
export function selfPayFindings(
  details: readonly DetailItem[],
  selfPay: readonly SelfPayItems[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  const tier3 = { name: "丙类（全自费）项目", text: "丙类项目费用由个人全额负担", lines: [] as DetailItem[] };
  const listed = selfPay.map((s) => ({ selector: s, name: s.name, text: s.text, lines: [] as DetailItem[] }));
  for (const d of details) {
    if (fundCharged(d) <= 0) continue;
    // A line counts once: as 丙类 first, else under the first list that names it.
    const g = d.chrgitmLv === "03" ? tier3 : listed.find((l) => selects(l.selector, d.code));
    g?.lines.push(d);
  }
  for (const g of [tier3, ...listed]) {
    if (g.lines.length === 0) continue;
    const removed = g.lines.reduce((t, d) => t + fundCharged(d), 0);
    out.push(
      make(
        rule,
        `selfpay:${g.name}`,
        `违规支付：${g.name}${itemNames(g.lines).join("、")}应由患者全额负担，却有 ${yuan(removed)} 元纳入医保基金支付（${g.text}）`,
        [
          {
            text: `${g.lines.length} 条明细的全自费金额低于金额，差额合计 ${yuan(removed)} 元`,
            fields: { group: g.name, lines: g.lines.length, items: itemNames(g.lines), fundCharged: removed },
          },
        ],
        removed,
      ),
    );
  }
}
