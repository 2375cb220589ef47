/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), without `Date`: fast and
 * independent of the machine's time zone.
 */

/** Day number of a civil date (H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function civil(n: number): { year: number; month: number; day: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `yyyy-MM-dd` of a day number. */
export function formatDay(n: number): string {
  const { year, month, day } = civil(n);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Parses `yyyy-MM-dd` into a day number; throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`日期格式应为 yyyy-MM-dd：${text}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = dayNumber(y, mo, d);
  const back = civil(n);
  if (back.month !== mo || back.day !== d) throw new Error(`日期不存在：${text}`);
  return n;
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

/** Whole years of age on day `on` for someone born on day `birth`. */
export function ageInYears(birth: number, on: number): number {
  const b = civil(birth);
  const o = civil(on);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}

/** Caches `yyyy-MM-dd` strings and `HH:mm:ss` strings so formatting costs nothing per stay. */
export class DayFormatter {
  private readonly cache = new Map<number, string>();
  private readonly clock: string[] = [];

  constructor() {
    for (let m = 0; m < 24 * 60; m++) this.clock.push(`${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`);
  }

  day(n: number): string {
    let s = this.cache.get(n);
    if (s === undefined) {
      s = formatDay(n);
      if (this.cache.size < 100_000) this.cache.set(n, s);
    }
    return s;
  }

  /** The calendar year of a day number. */
  year(n: number): number {
    return Number(this.day(n).slice(0, 4));
  }

  /** `yyyy-MM-dd HH:mm:ss` for a day number and minute of the day (0–1439), seconds given. */
  time(n: number, minute: number, second = 0): string {
    return `${this.day(n)} ${this.clock[minute] as string}:${pad2(second)}`;
  }

  /** `yyyyMMddHHmmss` for message ids. */
  compact(n: number, minute: number, second = 0): string {
    let d = this.compactDays.get(n);
    if (d === undefined) {
      d = this.day(n).replaceAll("-", "");
      if (this.compactDays.size < 100_000) this.compactDays.set(n, d);
    }
    const clock = this.clock[minute] as string;
    return `${d}${clock.slice(0, 2)}${clock.slice(3, 5)}${pad2(second)}`;
  }

  private readonly compactDays = new Map<number, string>();
}
