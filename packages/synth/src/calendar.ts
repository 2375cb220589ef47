/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), without `Date`: fast and
 * independent of the machine's time zone. The calendar is `@yibao/kernel/calendar`'s; this module
 * adds the generator's parsing and cached formatting.
 */
import { civil, civilDayNumber, dayToIso } from "@yibao/kernel/calendar";

export { civil, civilDayNumber, weekday } from "@yibao/kernel/calendar";

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `yyyy-MM-dd` of a day number. */
export const formatDay: (n: number) => string = dayToIso;

/** Parses `yyyy-MM-dd` into a day number; throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`日期格式应为 yyyy-MM-dd：${text}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = civilDayNumber(y, mo, d);
  const back = civil(n);
  if (back.month !== mo || back.day !== d) throw new Error(`日期不存在：${text}`);
  return n;
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
