/**
 * Calendar helpers over ISO strings (日期). Dates are `yyyy-MM-dd`, date-times
 * `yyyy-MM-ddTHH:mm:ss` (local time of the pooling region; no time zones are involved).
 * Day numbers count days since 1970-01-01 and are computed arithmetically, without `Date` objects.
 */

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Whether `s` at `from` holds a valid `yyyy-MM-dd` calendar date (years 1000–9999). */
function isDateAt(s: string, from: number): boolean {
  if (s.charCodeAt(from + 4) !== 45 || s.charCodeAt(from + 7) !== 45) return false;
  const y = digits(s, from, 4);
  const m = digits(s, from + 5, 2);
  const d = digits(s, from + 8, 2);
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
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

/** Days since 1970-01-01 of the date part of an ISO date or date-time (assumed valid). */
export function dayNumber(iso: string): number {
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 2);
  const d = digits(iso, 8, 2);
  // Days-from-civil (H. Hinnant), exact for the proleptic Gregorian calendar.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date of a day number. */
export function dayToIso(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/**
 * Completed years of age (周岁) on `at` for someone born on `birth` (both ISO, assumed valid).
 * A person born on 29 February turns a year older on 1 March in common years.
 */
export function fullYears(birth: string, at: string): number {
  const by = digits(birth, 0, 4);
  const bmd = digits(birth, 5, 2) * 100 + digits(birth, 8, 2);
  const ay = digits(at, 0, 4);
  const amd = digits(at, 5, 2) * 100 + digits(at, 8, 2);
  return ay - by - (amd < bmd ? 1 : 0);
}
