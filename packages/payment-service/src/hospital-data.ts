/**
 * Hospital master data (医院主数据: 医院等级, 起付线类别, 支付方式) as dated editions
 * (`payment_hospital_edition`, migration 0115), append-only: a saved edition is never edited, a change
 * is a new edition from its date. The edition of a hospital in force on a date is the one with the
 * latest `effective_from` on or before it; of two with the same date the later saved decides.
 *
 * Which date decides:
 * - A stay is paid (DRG, and whether it is left to DIP) with the edition in force on its discharge
 *   date (出院日期), so an edition effective 2026-07-01 never changes a stay discharged 2026-06-30.
 * - DIP prepayment of a month and DIP clearing of a year take the hospitals paid by DIP on some day of
 *   that month or year, each at the level of its last DIP edition in force in it (for a hospital paid by
 *   DIP at year end: the edition in force on 31 December), and only their stays discharged while they
 *   were paid by DIP. DRG clearing's 基层病种 rule takes the level in force on 31 December of the year.
 * - `payment_hospital` is the projection of the edition in force today (北京时间), refreshed whenever an
 *   edition is written and at every start that loads a region pack; what reads it (the audit's DIP
 *   re-pricing, SQL reports) sees today's master data.
 *
 * This file is the storage side (no rules about who may write what date): the bureau's rules for a new
 * edition are in hospital-editions.ts.
 */
import { shanghaiDate } from "@yibao/kernel/calendar";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { type PaymentDb, paymentDb } from "./tables.js";

/** 支付方式: how a hospital's stays are paid. */
export type PaymentMethod = "drg" | "dip";

/** 医院等级、起付线类别与支付方式 of one hospital (one edition, or the one in force). */
export interface PaymentHospital {
  readonly hospitalCode: string;
  readonly level: string;
  readonly benefitClass: string | null;
  /** DRG (the default) or DIP. */
  readonly paymentMethod?: PaymentMethod;
}

/** Where an edition came from: the region pack at start, the API, or an Excel import. */
export type HospitalEditionSource = "pack" | "api" | "excel";

/** The effective date of an edition in force "since always" (the back-fill of 0115, a pack's new hospital). */
export const SINCE_ALWAYS = "0001-01-01";

/** One stored edition (医院主数据版本) with its audit trail. */
export interface HospitalEdition {
  readonly editionId: number;
  readonly hospitalCode: string;
  readonly effectiveFrom: string;
  readonly level: string;
  readonly benefitClass: string | null;
  readonly paymentMethod: PaymentMethod;
  readonly actor: string;
  readonly reason: string;
  readonly source: HospitalEditionSource;
  /** ISO instant the edition was saved. */
  readonly createdAt: string;
}

/** Today's date in China (Asia/Shanghai), `yyyy-MM-dd`: what "today" means for editions. */
export function todayInChina(now: Date = new Date()): string {
  return shanghaiDate(now);
}

/** The master data an edition carries, as payment reads it. */
function asHospital(e: HospitalEdition): PaymentHospital {
  return {
    hospitalCode: e.hospitalCode,
    level: e.level,
    benefitClass: e.benefitClass,
    paymentMethod: e.paymentMethod,
  };
}

/** Whether two hospitals' master data are the same (level, benefit class, payment method). */
export function sameMasterData(a: PaymentHospital, b: PaymentHospital): boolean {
  return (
    a.level === b.level &&
    (a.benefitClass ?? null) === (b.benefitClass ?? null) &&
    (a.paymentMethod ?? "drg") === (b.paymentMethod ?? "drg")
  );
}

/** A hospital paid by DIP from `from` (inclusive) to `to` (exclusive; null: still). */
export interface DipSpan {
  readonly hospitalCode: string;
  readonly from: string;
  readonly to: string | null;
}

/** Every hospital's editions, indexed for look-ups by date (in memory: one row per edition). */
export class HospitalEditions {
  private readonly byCode = new Map<string, HospitalEdition[]>();
  /** The distinct effective dates of all editions, ascending. */
  private readonly dates: string[];

  constructor(editions: readonly HospitalEdition[]) {
    const sorted = [...editions].sort((a, b) =>
      a.effectiveFrom !== b.effectiveFrom
        ? a.effectiveFrom < b.effectiveFrom
          ? -1
          : 1
        : a.editionId - b.editionId,
    );
    for (const e of sorted) {
      const list = this.byCode.get(e.hospitalCode);
      if (list) list.push(e);
      else this.byCode.set(e.hospitalCode, [e]);
    }
    this.dates = [...new Set(sorted.map((e) => e.effectiveFrom))];
  }

  /** Master data given without dates (a test's or a caller's map): each in force since always. */
  static since(hospitals: ReadonlyMap<string, PaymentHospital>): HospitalEditions {
    return new HospitalEditions(
      [...hospitals.values()].map((h, i) => ({
        editionId: i + 1,
        hospitalCode: h.hospitalCode,
        effectiveFrom: SINCE_ALWAYS,
        level: h.level,
        benefitClass: h.benefitClass,
        paymentMethod: h.paymentMethod ?? "drg",
        actor: "",
        reason: "",
        source: "api",
        createdAt: "",
      })),
    );
  }

  /** The hospitals with at least one edition. */
  codes(): string[] {
    return [...this.byCode.keys()].sort();
  }

  /** Every edition of a hospital, oldest effective date first (same date: in the order saved). */
  editionsOf(code: string): readonly HospitalEdition[] {
    return this.byCode.get(code) ?? [];
  }

  /** The edition of `code` in force on `date`, or undefined. */
  editionOn(code: string, date: string): HospitalEdition | undefined {
    const list = this.byCode.get(code);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i] as HospitalEdition;
      if (e.effectiveFrom <= date) return e;
    }
    return undefined;
  }

  /** The master data of `code` in force on `date`, or undefined. */
  on(code: string, date: string): PaymentHospital | undefined {
    const e = this.editionOn(code, date);
    return e === undefined ? undefined : asHospital(e);
  }

  /** Every hospital's master data in force on `date`, by code. */
  inForce(date: string): Map<string, PaymentHospital> {
    const out = new Map<string, PaymentHospital>();
    for (const code of this.codes()) {
      const h = this.on(code, date);
      if (h !== undefined) out.set(code, h);
    }
    return out;
  }

  /**
   * The latest effective date of any edition on or before `date` ("" when none): between two such
   * dates no hospital's master data changes, so a settlement context built for one serves the whole span.
   */
  epochOf(date: string): string {
    let lo = 0;
    let hi = this.dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.dates[mid] as string) <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? "" : (this.dates[lo - 1] as string);
  }

  /** True when `code` is paid by DIP on `date`. */
  paidByDip(code: string, date: string | null): boolean {
    return date !== null && this.editionOn(code, date)?.paymentMethod === "dip";
  }

  /** The spans of dates in which each hospital was paid by DIP (adjacent spans joined). */
  dipSpans(): DipSpan[] {
    const out: DipSpan[] = [];
    for (const code of this.codes()) {
      const starts = [...new Set(this.editionsOf(code).map((e) => e.effectiveFrom))];
      let open: string | null = null;
      for (const d of starts) {
        const dip = this.editionOn(code, d)?.paymentMethod === "dip";
        if (dip && open === null) open = d;
        if (!dip && open !== null) {
          out.push({ hospitalCode: code, from: open, to: d });
          open = null;
        }
      }
      if (open !== null) out.push({ hospitalCode: code, from: open, to: null });
    }
    return out;
  }

  /**
   * The hospitals paid by DIP on some day of [from, to), each with its last DIP edition in force in the
   * range (for a hospital paid by DIP on the range's last day: the edition in force then).
   */
  dipInRange(from: string, to: string): PaymentHospital[] {
    const out: PaymentHospital[] = [];
    for (const code of this.codes()) {
      const points = [from, ...this.editionsOf(code).map((e) => e.effectiveFrom)].filter(
        (d) => d >= from && d < to,
      );
      let last: PaymentHospital | undefined;
      for (const d of [...new Set(points)].sort()) {
        const h = this.on(code, d);
        if (h?.paymentMethod === "dip") last = h;
      }
      if (last !== undefined) out.push(last);
    }
    return out;
  }
}

interface EditionRow {
  edition_id: number | string;
  hospital_code: string;
  effective_from: string;
  level: string;
  benefit_class: string | null;
  payment_method: PaymentMethod;
  actor: string;
  reason: string;
  source: HospitalEditionSource;
  created_at: Date;
}

function editionOf(r: EditionRow): HospitalEdition {
  return {
    editionId: Number(r.edition_id),
    hospitalCode: r.hospital_code,
    effectiveFrom: r.effective_from,
    level: r.level,
    benefitClass: r.benefit_class,
    paymentMethod: r.payment_method,
    actor: r.actor,
    reason: r.reason,
    source: r.source,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Every stored edition (of one hospital with `code`), oldest effective date first. */
export async function listHospitalEditions(store: Store, code?: string): Promise<HospitalEdition[]> {
  const rows = await paymentDb(store)
    .selectFrom("payment_hospital_edition")
    .selectAll()
    .$if(code !== undefined, (q) => q.where("hospital_code", "=", code ?? ""))
    .orderBy("hospital_code")
    .orderBy("effective_from")
    .orderBy("edition_id")
    .execute();
  return rows.map(editionOf);
}

/** Every hospital's editions, indexed by date. */
export async function loadHospitalEditions(store: Store): Promise<HospitalEditions> {
  return new HospitalEditions(await listHospitalEditions(store));
}

/** The master data of every hospital in force on `on` (default: today in China), by code. */
export async function loadPaymentHospitals(
  store: Store,
  on: string = todayInChina(),
): Promise<Map<string, PaymentHospital>> {
  return (await loadHospitalEditions(store)).inForce(on);
}

/** A new edition to write, with its audit trail. */
export interface NewHospitalEdition {
  readonly hospitalCode: string;
  readonly effectiveFrom: string;
  readonly level: string;
  readonly benefitClass: string | null;
  readonly paymentMethod: PaymentMethod;
}

/**
 * Writes editions as given (no rule about their dates: the callers' rules are in hospital-editions.ts
 * and `savePaymentHospitals`), then brings `payment_hospital` in step for those hospitals. Run it in
 * a transaction when other writes must go with it.
 */
export async function writeHospitalEditions(
  db: PaymentDb,
  editions: readonly NewHospitalEdition[],
  meta: { readonly actor: string; readonly reason: string; readonly source: HospitalEditionSource },
  today: string = todayInChina(),
): Promise<void> {
  if (editions.length === 0) return;
  await db
    .insertInto("payment_hospital_edition")
    .values(
      editions.map((e) => ({
        hospital_code: e.hospitalCode,
        effective_from: e.effectiveFrom,
        level: e.level,
        benefit_class: e.benefitClass,
        payment_method: e.paymentMethod,
        actor: meta.actor,
        reason: meta.reason,
        source: meta.source,
      })),
    )
    .execute();
  await refreshPaymentHospitals(db, today, [...new Set(editions.map((e) => e.hospitalCode))]);
}

/**
 * Brings `payment_hospital` (the projection) in step with the editions in force on `today` (of the
 * hospitals `codes`, or all); a row already right is not written.
 */
export async function refreshPaymentHospitals(
  db: PaymentDb,
  today: string = todayInChina(),
  codes: readonly string[] | null = null,
): Promise<void> {
  const only = codes === null ? sql`` : sql`AND hospital_code = ANY(${[...codes]}::text[])`;
  await sql`INSERT INTO payment_hospital (hospital_code, level, benefit_class, payment_method, updated_at)
    SELECT DISTINCT ON (hospital_code) hospital_code, level, benefit_class, payment_method, now()
    FROM payment_hospital_edition WHERE effective_from <= ${today}::date ${only}
    ORDER BY hospital_code, effective_from DESC, edition_id DESC
    ON CONFLICT (hospital_code) DO UPDATE SET level = excluded.level, benefit_class = excluded.benefit_class,
      payment_method = excluded.payment_method, updated_at = now()
    WHERE (payment_hospital.level, payment_hospital.benefit_class, payment_hospital.payment_method)
      IS DISTINCT FROM (excluded.level, excluded.benefit_class, excluded.payment_method)`.execute(db);
}

/** What saving a region pack's hospitals did. */
export interface PackHospitalsResult {
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
}

/**
 * The edition a pack row makes, or null when it changes nothing. The pack row is compared with what
 * the pack said last (its latest `pack` edition), so a bureau's later change through the API or Excel
 * is not undone by loading the same pack again; a hospital the pack never gave is compared with the
 * edition in force today. A hospital with no edition at all is new: in force since always (as the pack
 * describes the region, its stays already stored are paid with it). Any other change is in force from
 * today, never rewriting the past. Without a method the pack keeps the hospital's method.
 */
export function packEdition(
  h: PaymentHospital,
  editions: HospitalEditions,
  today: string,
): { edition: NewHospitalEdition; added: boolean } | null {
  const all = editions.editionsOf(h.hospitalCode);
  const current = editions.on(h.hospitalCode, today);
  const method = h.paymentMethod ?? current?.paymentMethod ?? "drg";
  if (all.length === 0) {
    const edition = { ...h, effectiveFrom: SINCE_ALWAYS, paymentMethod: method };
    return { edition, added: true };
  }
  const lastPack = [...all]
    .filter((e) => e.source === "pack")
    .sort((a, b) => a.editionId - b.editionId)
    .pop();
  const baseline = lastPack ? asHospital(lastPack) : current;
  const given = { ...h, paymentMethod: h.paymentMethod ?? baseline?.paymentMethod ?? method };
  if (baseline !== undefined && sameMasterData(given, baseline)) return null;
  return {
    edition: {
      hospitalCode: h.hospitalCode,
      effectiveFrom: today,
      level: h.level,
      benefitClass: h.benefitClass,
      paymentMethod: method,
    },
    added: false,
  };
}

/**
 * Saves master data as a region pack (or the demo) gives it, at every start: idempotent — a row the
 * pack gave before writes nothing; a new hospital is in force since always; a changed row is a new
 * edition in force from today (see `packEdition`). The projection is brought in step for every hospital
 * (editions dated today or earlier that came into force since the last start included).
 */
export async function savePaymentHospitals(
  store: Store,
  rows: readonly PaymentHospital[],
  options: { readonly actor?: string; readonly reason?: string; readonly today?: string } = {},
): Promise<PackHospitalsResult> {
  const today = options.today ?? todayInChina();
  const editions = await loadHospitalEditions(store);
  const write: NewHospitalEdition[] = [];
  let added = 0;
  for (const h of rows) {
    const e = packEdition(h, editions, today);
    if (e === null) continue;
    write.push(e.edition);
    if (e.added) added++;
  }
  const db = paymentDb(store);
  await db.transaction().execute(async (trx) => {
    await writeHospitalEditions(
      trx,
      write,
      { actor: options.actor ?? "region", reason: options.reason ?? "地区配置包医院信息", source: "pack" },
      today,
    );
    await refreshPaymentHospitals(trx, today);
  });
  return { added, changed: write.length - added, unchanged: rows.length - write.length };
}
