/**
 * Calendar helpers over ISO strings (日期). Dates are `yyyy-MM-dd`, date-times
 * `yyyy-MM-ddTHH:mm:ss` (local time of the pooling region; no time zones are involved).
 * Day numbers, ages and the calendar itself are `@yibao/kernel/calendar`'s (re-exported here).
 */
import { digits, isIsoDateAt } from "@yibao/kernel/calendar";

export { dayNumber, dayToIso, fullYears } from "@yibao/kernel/calendar";

/** Whether `s` at `from` holds a valid `yyyy-MM-dd` calendar date of the years 1000–9999. */
function isDateAt(s: string, from: number): boolean {
  return s.charCodeAt(from) !== 48 /* 0: year before 1000 */ && isIsoDateAt(s, from);
}

/** Parses a wire date `yyyy-MM-dd` (type D): the same ISO string, or null when invalid. */
export function parseWireDate(s: string): string | null {
  return s.length === 10 && isDateAt(s, 0) ? s : null;
}

/**
 * Parses a wire date-time `yyyy-MM-dd HH:mm:ss` (type T) into ISO `yyyy-MM-ddTHH:mm:ss`,
 * or null when invalid.
 */
export function parseWireDateTime(s: string): string | null {
  if (s.length !== 19 || !isDateAt(s, 0) || s.charCodeAt(10) !== 32) return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
  return `${s.slice(0, 10)}T${s.slice(11)}`;
}

/** The wire form of an ISO date-time: `yyyy-MM-ddTHH:mm:ss` → `yyyy-MM-dd HH:mm:ss`. */
export function toWireDateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
