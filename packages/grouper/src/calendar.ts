/**
 * 分组方案切换 (a region's scheme calendar): the grouping schemes a region uses, each in force from a
 * date. A bureau moves from one scheme to the next on a date (CHS-DRG 1.0 → 1.1 → 2.0, or national →
 * local): a list is grouped by the scheme in force on its date — the discharge date (出院日期) or the
 * settlement date (结算日期), as the region says — so a new scheme never regroups what came before.
 * Each scheme keeps its own id (the store keeps it beside every grouping), so no two editions may
 * share one.
 */
import type { DrgScheme } from "./scheme.js";

/** One scheme in force from a date (分组方案版本). */
export interface SchemeEdition {
  readonly scheme: DrgScheme;
  /** First day in force, `yyyy-MM-dd`. */
  readonly effectiveDate: string;
}

/** Which date of a list decides its scheme: 出院日期 (discharge) or 结算日期 (settlement). */
export type SchemeDateBasis = "discharge" | "settlement";

/** A scheme calendar that cannot be used; the message names the problem in Chinese. */
export class SchemeCalendarError extends Error {
  override readonly name = "SchemeCalendarError";
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The schemes of a region by date; validated at construction. */
export class SchemeCalendar {
  /** The editions, oldest first. */
  readonly editions: readonly SchemeEdition[];
  readonly basis: SchemeDateBasis;
  readonly #byId: ReadonlyMap<string, DrgScheme>;

  constructor(editions: readonly SchemeEdition[], basis: SchemeDateBasis = "discharge") {
    if (editions.length === 0) throw new SchemeCalendarError("分组方案切换表为空：至少须有一个分组方案");
    const byId = new Map<string, DrgScheme>();
    const byDate = new Map<string, string>();
    for (const e of editions) {
      if (!DATE.test(e.effectiveDate))
        throw new SchemeCalendarError(
          `分组方案 ${e.scheme.id} 的生效日期应为 yyyy-MM-dd，实际为 ${JSON.stringify(e.effectiveDate)}`,
        );
      if (byId.has(e.scheme.id))
        throw new SchemeCalendarError(`分组方案 ${e.scheme.id} 出现两次：各版本须有不同的方案标识`);
      const other = byDate.get(e.effectiveDate);
      if (other !== undefined)
        throw new SchemeCalendarError(
          `分组方案 ${other} 与 ${e.scheme.id} 的生效日期同为 ${e.effectiveDate}，无法确定哪一个生效`,
        );
      byId.set(e.scheme.id, e.scheme);
      byDate.set(e.effectiveDate, e.scheme.id);
    }
    this.editions = [...editions].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
    this.basis = basis;
    this.#byId = byId;
  }

  /** True when the region has more than one scheme (a switch date): a list's date then decides. */
  get switches(): boolean {
    return this.editions.length > 1;
  }

  /** The newest scheme (the last edition). */
  get newest(): DrgScheme {
    return (this.editions[this.editions.length - 1] as SchemeEdition).scheme;
  }

  /** A region with one scheme, in force on every date. */
  static single(scheme: DrgScheme): SchemeCalendar {
    return new SchemeCalendar([{ scheme, effectiveDate: "0001-01-01" }]);
  }

  /**
   * The edition in force on `date` (`yyyy-MM-dd…`): the latest whose effective date is not after it.
   * A date before the first edition is grouped by the first (history older than the calendar).
   */
  editionOn(date: string): SchemeEdition {
    const day = date.slice(0, 10);
    let found = this.editions[0] as SchemeEdition;
    for (const e of this.editions) if (e.effectiveDate <= day) found = e;
    return found;
  }

  /** The scheme in force on `date`. */
  on(date: string): DrgScheme {
    return this.editionOn(date).scheme;
  }

  /** The scheme with this id, if the calendar has it. */
  byId(id: string): DrgScheme | undefined {
    return this.#byId.get(id);
  }

  /** A DRG's name, from the newest scheme that has the code. */
  drgName(code: string): string | undefined {
    for (let i = this.editions.length - 1; i >= 0; i--) {
      const d = (this.editions[i] as SchemeEdition).scheme.drgs.find((x) => x.code === code);
      if (d) return d.name;
    }
    return undefined;
  }

  /**
   * The date that decides a list's scheme, from its 出院日期 and 结算日期 (either may be missing),
   * by the calendar's basis; the other date, then `fallback`, when that one is missing.
   */
  dateOf(
    dischargeDate: string | null | undefined,
    settlementDate: string | null | undefined,
    fallback: string,
  ) {
    const [first, second] =
      this.basis === "discharge" ? [dischargeDate, settlementDate] : [settlementDate, dischargeDate];
    for (const d of [first, second]) if (d && DATE.test(d.slice(0, 10))) return d.slice(0, 10);
    return fallback.slice(0, 10);
  }
}
