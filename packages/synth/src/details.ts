/**
 * 费用明细 (detail charges) of a generated stay: item lines (code, name, date, quantity, unit price)
 * drawn from the generator's own clinical catalogue for the stay's TRUE diagnoses and procedures
 * plus the routine items of an admission, summing per 收费项目类别 exactly to the list's iteminfo
 * amounts and, within each category, its 全自费 amount exactly to the self-pay lines.
 */

import type { DetailItem } from "@yibao/settlement";
import type { DayFormatter } from "./calendar.js";
import {
  CATALOGUE,
  CATEGORY_DEFAULT,
  type CatalogueItem,
  CHAPTER_TREATMENTS,
  isOralName,
  ROUTINE,
  SELF_PAY,
  SURGICAL_EXTRAS,
  TREATMENTS,
  type TreatmentEntry,
} from "./clinical-items.js";
import { allocateExact, type FeeItem } from "./costs.js";
import type { Rng } from "./random.js";

/** One generated 费用明细 line: a `DetailItem` that always has its level and own-pay amount. Money in fen. */
export type DetailLine = Required<DetailItem>;

/** What the details are drawn from. */
export interface DetailInput {
  readonly items: readonly FeeItem[];
  /** True diagnoses (principal first). */
  readonly diagnoses: readonly string[];
  /** Procedures actually performed. */
  readonly procedures: readonly string[];
  readonly admDay: number;
  readonly los: number;
  /** Only exams, labs and oral drugs (低指征住院). */
  readonly oralOnly: boolean;
  readonly ventilated: boolean;
  readonly transfused: boolean;
  /** 目录内费用按全自费收取, by category (fen): rendered as covered items paid in full by the patient. */
  readonly shiftedOwnPay?: Readonly<Record<string, number>>;
}

const byPrefix = [...TREATMENTS].sort((a, b) => b.prefix.length - a.prefix.length);

function treatmentOf(code: string): TreatmentEntry | undefined {
  for (const t of byPrefix) if (code.startsWith(t.prefix)) return t;
  // A category without an entry of its own is treated as its chapter usually is.
  const cat = code.slice(0, 3).toUpperCase();
  for (const t of CHAPTER_TREATMENTS) if (t.prefix <= cat && cat <= t.to) return t;
  return undefined;
}

const surgeryItems = new Map<string, CatalogueItem>();

/** The 手术费 item of a procedure: named after it, an example code in the 33 (手术治疗) range. */
function surgeryItem(code: string, name: string): CatalogueItem {
  let it = surgeryItems.get(code);
  if (it === undefined) {
    const digits = code.replace(/\D/g, "").padEnd(7, "0").slice(0, 7);
    it = { code: `33${digits}`, name, category: "06", price: 150_000, lv: "01" };
    surgeryItems.set(code, it);
  }
  return it;
}

interface Wish {
  item: CatalogueItem;
  weight: number;
}

/** Generates the detail lines of one stay. Deterministic in `rng`. */
export function detailLines(
  rng: Rng,
  input: DetailInput,
  fmt: DayFormatter,
  pxName: (code: string) => string,
): DetailLine[] {
  const wish = new Map<string, Wish[]>();
  const add = (item: CatalogueItem | undefined, weight: number) => {
    if (item === undefined) return;
    if (input.oralOnly && item.category === "09" && !isOralName(item.name)) return;
    let l = wish.get(item.category);
    if (l === undefined) {
      l = [];
      wish.set(item.category, l);
    }
    for (const w of l) {
      if (w.item === item) {
        w.weight = Math.max(w.weight, weight);
        return;
      }
    }
    l.push({ item, weight });
  };
  for (const [code, chance] of ROUTINE) if (rng.chance(chance)) add(CATALOGUE.get(code), 1);
  for (let i = 0; i < input.diagnoses.length; i++) {
    const t = treatmentOf(input.diagnoses[i] as string);
    if (t === undefined) continue;
    if (rng.chance(i === 0 ? t.unsupported * 0.25 : t.unsupported)) {
      // Not treated, only recorded: a condition diagnosed by a test still has that test.
      if (t.workup !== undefined) add(CATALOGUE.get(t.workup[rng.int(t.workup.length)] as string), 3);
      continue;
    }
    const k = Math.min(t.items.length, 2 + rng.int(2));
    const pool = t.items.slice();
    let diagnosed = t.workup === undefined;
    for (let j = 0; j < k; j++) {
      const code = pool.splice(rng.int(pool.length), 1)[0] as string;
      add(CATALOGUE.get(code), 3);
      if (t.workup?.includes(code)) diagnosed = true;
    }
    if (!diagnosed && t.workup !== undefined)
      add(CATALOGUE.get(t.workup[rng.int(t.workup.length)] as string), 3);
  }
  if (rng.chance(0.1)) {
    const t = TREATMENTS[rng.int(TREATMENTS.length)] as TreatmentEntry;
    add(CATALOGUE.get(t.items[rng.int(t.items.length)] as string), 1);
  }
  for (const px of input.procedures) add(surgeryItem(px, pxName(px)), 6);
  if (input.procedures.length > 0) for (const code of SURGICAL_EXTRAS) add(CATALOGUE.get(code), 2);
  if (input.ventilated) add(CATALOGUE.get("310603001"), 3);
  if (input.transfused) add(CATALOGUE.get("120400011"), 2);

  const days = Math.max(1, input.los);
  const out: DetailLine[] = [];
  const emit = (item: CatalogueItem, amount: number, ownPay: boolean) => {
    if (amount <= 0) return;
    const lv = item.lv;
    if (item.daily) {
      const per = allocateExact(amount, new Array(days).fill(1));
      for (let d = 0; d < days; d++) {
        const a = per[d] as number;
        if (a > 0) out.push(line(item, fmt.day(input.admDay + d), 1, a, lv, ownPay));
      }
      return;
    }
    let q = Math.max(1, Math.min(9999, Math.round(amount / item.price)));
    if (item.maxPerDay !== undefined) {
      q = Math.min(q, days * item.maxPerDay);
      const perDay = Math.ceil(q / days);
      const qs: number[] = [];
      for (let left = q; left > 0; left -= perDay) qs.push(Math.min(perDay, left));
      const amounts = allocateExact(amount, qs);
      for (let d = 0; d < qs.length; d++) {
        const a = amounts[d] as number;
        if (a > 0) out.push(line(item, fmt.day(input.admDay + d), qs[d] as number, a, lv, ownPay));
      }
      return;
    }
    out.push(line(item, fmt.day(input.admDay + rng.int(days)), q, amount, lv, ownPay));
  };
  const spread = (candidates: readonly Wish[], amount: number, ownPay: boolean) => {
    if (amount <= 0 || candidates.length === 0) return;
    const weights = candidates.map((w) => w.weight * Math.sqrt(w.item.price) * (0.5 + rng.float()));
    const amounts = allocateExact(amount, weights);
    for (let i = 0; i < candidates.length; i++)
      emit((candidates[i] as Wish).item, amounts[i] as number, ownPay);
  };
  for (const f of input.items) {
    const cat = f.category;
    const shifted = Math.min(f.ownPayFen, input.shiftedOwnPay?.[cat] ?? 0);
    const selfPay = f.ownPayFen - shifted;
    const covered = f.amountFen - f.ownPayFen;
    let cands = (wish.get(cat) ?? []).filter((w) => w.item.lv !== "03");
    if (cands.length === 0) {
      const fallback = input.oralOnly && cat === "09" ? "XA02BC01Y002" : (CATEGORY_DEFAULT[cat] ?? "14");
      const d = (CATALOGUE.get(fallback) ?? CATALOGUE.get("310100099")) as CatalogueItem;
      cands = [{ item: { ...d, lv: d.lv === "03" ? "01" : d.lv }, weight: 1 }];
    }
    spread(cands, covered, false);
    spread(cands, shifted, true);
    if (selfPay > 0) {
      const own = (SELF_PAY[cat] ?? [])
        .map((c) => CATALOGUE.get(c))
        .filter(
          (c): c is CatalogueItem =>
            c !== undefined && !(input.oralOnly && c.category === "09" && !isOralName(c.name)),
        );
      if (own.length > 0) spread([{ item: rng.pick(own), weight: 1 }], selfPay, true);
      else spread([{ item: cands[0]?.item as CatalogueItem, weight: 1 }], selfPay, true);
    }
  }
  return out;
}

function line(
  item: CatalogueItem,
  date: string,
  quantity: number,
  amount: number,
  lv: string,
  ownPay: boolean,
): DetailLine {
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    date,
    quantity,
    unitPrice: Math.round((amount / quantity) * 10_000) / 10_000,
    amount,
    chrgitmLv: lv,
    ownPayAmount: ownPay ? amount : 0,
  };
}
