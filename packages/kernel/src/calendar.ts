/**
 * Calendar (日期与期号) over ISO strings, without `Date` where it matters for speed.
 *
 * - A date is `yyyy-MM-dd` (proleptic Gregorian), a date-time `yyyy-MM-ddTHH:mm:ss`: the local time
 *   of the pooling region, with no time zone in the text.
 * - A day number counts days since 1970-01-01 (H. Hinnant's days_from_civil), independent of the
 *   machine's time zone.
 * - A period (结算期号 / 统计期) is a calendar month `yyyy-MM`; a range of periods includes both ends.
 * - Time-zone rule: every wall-clock date and time the platform writes or compares is China Standard
 *   Time (Asia/Shanghai), a fixed UTC+08:00 (no daylight saving since 1991), so an instant is turned
 *   into local time by adding eight hours, never through the machine's zone.
 */

/** Value of the decimal digits `s[from, from + count)`, or -1 when any is not a digit. */
export function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Whether `y` is a Gregorian leap year. */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Number of days of month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day number (days since 1970-01-01) of a civil date (H. Hinnant's days_from_civil). */
export function civilDayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
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

/**
 * Day number of the date part of an ISO date or date-time, assumed valid (use `parseDayNumber`
 * for text that may not be a date).
 */
export function dayNumber(iso: string): number {
  return civilDayNumber(digits(iso, 0, 4), digits(iso, 5, 2), digits(iso, 8, 2));
}

/** Seconds since midnight of a clock time `HH:MM:SS` or `HH:MM` (00:00–23:59:59), null when it is not one. */
export function clockSeconds(t: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(t);
  return m === null ? null : Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** Whether `s` holds a real calendar date `yyyy-MM-dd` (years 0000–9999) at `from`. */
export function isIsoDateAt(s: string, from: number): boolean {
  if (s.charCodeAt(from + 4) !== 45 || s.charCodeAt(from + 7) !== 45) return false;
  const y = digits(s, from, 4);
  const m = digits(s, from + 5, 2);
  const d = digits(s, from + 8, 2);
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Day number of an ISO date `yyyy-MM-dd` (years 0000–9999), or null when the text is not a real date. */
export function parseDayNumber(iso: unknown): number | null {
  if (typeof iso !== "string" || iso.length !== 10 || !isIsoDateAt(iso, 0)) return null;
  return dayNumber(iso);
}

/** True when `s` is a real calendar date `yyyy-MM-dd`. */
export function isIsoDate(s: unknown): s is string {
  return parseDayNumber(s) !== null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The ISO date `yyyy-MM-dd` of a day number. */
export function dayToIso(n: number): string {
  const { year, month, day } = civil(n);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  return dayToIso(dayNumber(date) + days);
}

/** Weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

/**
 * Completed years of age (周岁) on `at` for someone born on `birth` (ISO dates, assumed valid).
 * Someone born on 29 February turns a year older on 1 March in common years.
 */
export function fullYears(birth: string, at: string): number {
  const by = digits(birth, 0, 4);
  const bmd = digits(birth, 5, 2) * 100 + digits(birth, 8, 2);
  const ay = digits(at, 0, 4);
  const amd = digits(at, 5, 2) * 100 + digits(at, 8, 2);
  return ay - by - (amd < bmd ? 1 : 0);
}

// ---- periods (结算期号 yyyy-MM) --------------------------------------------------------------

/** True when `p` is a period `yyyy-MM` (any four-digit year, month 01–12). */
export function isPeriod(p: unknown): p is string {
  if (typeof p !== "string" || p.length !== 7 || p.charCodeAt(4) !== 45) return false;
  const m = digits(p, 5, 2);
  return digits(p, 0, 4) >= 0 && m >= 1 && m <= 12;
}

/** Earliest and latest year a period or date given to the platform may name. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/**
 * Why `p` is not an accepted 结算期号 (`yyyy-MM`, years `MIN_YEAR`–`MAX_YEAR`), as a Chinese
 * message naming `field`; null when it is one.
 */
export function periodProblem(p: unknown, field: string): string | null {
  if (isPeriod(p)) {
    const y = digits(p, 0, 4);
    if (y >= MIN_YEAR && y <= MAX_YEAR) return null;
  }
  return `${field}：结算期号须为 yyyy-MM 格式、年份 ${MIN_YEAR}–${MAX_YEAR}（收到「${String(p)}」）`;
}

/** The period of an ISO date or date-time. */
export function periodOf(date: string): string {
  return date.slice(0, 7);
}

/** Month index (year × 12 + month − 1) of a period. */
function monthIndex(p: string): number {
  return digits(p, 0, 4) * 12 + digits(p, 5, 2) - 1;
}

function periodOfIndex(i: number): string {
  const y = Math.floor(i / 12);
  return `${String(y).padStart(4, "0")}-${pad2(i - y * 12 + 1)}`;
}

/** The period `n` months after `p` (negative `n` goes back). */
export function addPeriods(p: string, n: number): string {
  return periodOfIndex(monthIndex(p) + n);
}

/**
 * The periods from `from` to `to`, both included, in order: `("2023-11", "2024-02")` →
 * `2023-11, 2023-12, 2024-01, 2024-02`. The one loop-end rule: the count is fixed before the loop
 * (month index of `to` − that of `from` + 1), so it always ends. Throws a RangeError (Chinese
 * message) when either end is not a period or `to` is before `from`.
 */
export function periodsBetween(from: string, to: string): string[] {
  if (!isPeriod(from)) throw new RangeError(`开始期号须为 yyyy-MM 格式（收到「${from}」）`);
  if (!isPeriod(to)) throw new RangeError(`结束期号须为 yyyy-MM 格式（收到「${to}」）`);
  const a = monthIndex(from);
  const n = monthIndex(to) - a + 1;
  if (n < 1) throw new RangeError(`结束期号 ${to} 早于开始期号 ${from}`);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = periodOfIndex(a + i);
  return out;
}

/** First day of a period (`yyyy-MM-01`). */
export function periodStart(p: string): string {
  return `${p}-01`;
}

/** Last day of a period (`2024-02` → `2024-02-29`). */
export function periodEnd(p: string): string {
  return `${p}-${pad2(daysInMonth(digits(p, 0, 4), digits(p, 5, 2)))}`;
}

// ---- the time-zone rule --------------------------------------------------------------------

/** The platform's time zone: China Standard Time. */
export const TIME_ZONE = "Asia/Shanghai";

/** UTC offset of Asia/Shanghai in milliseconds: +08:00 all year (no daylight saving since 1991). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The wall-clock date-time in Asia/Shanghai of an instant: `yyyy-MM-ddTHH:mm:ss`. */
export function shanghaiDateTime(at: Date | number): string {
  const t = typeof at === "number" ? at : at.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19);
}

/** The calendar date in Asia/Shanghai of an instant: `yyyy-MM-dd`. */
export function shanghaiDate(at: Date | number): string {
  return shanghaiDateTime(at).slice(0, 10);
}

/** The instant of a wall-clock date or date-time in Asia/Shanghai (the inverse of `shanghaiDateTime`). */
export function shanghaiInstant(local: string): Date {
  const iso = local.length === 10 ? `${local}T00:00:00` : local.replace(" ", "T");
  return new Date(`${iso}+08:00`);
}

/**
 * 工作日历: Monday to Friday are working days, except the listed holidays (法定节假日); the listed
 * weekend days are working days (调休上班). Both lists are a region's data, by year.
 */
export interface WorkCalendar {
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

/** Whether `date` (ISO) is a working day of the calendar. */
export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.holidays.includes(date)) return false;
  if (cal.workdays.includes(date)) return true;
  return weekday(dayNumber(date)) < 5;
}

/**
 * The `n`-th working day after `date` (`date` itself not counted; n ≥ 1): the last day of a
 * deadline of n working days that starts the day after `date`.
 */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`工作日数须为正整数（收到 ${n}）`);
  let d = dayNumber(date);
  let left = n;
  while (left > 0) {
    d++;
    if (isWorkingDay(dayToIso(d), cal)) left--;
  }
  return dayToIso(d);
}
