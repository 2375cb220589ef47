/**
 * Exact money (金额) handling: amounts are integer fen (分). Decimal yuan values from the wire are
 * parsed character by character, never through floating-point multiplication.
 */

/** An amount in fen (分): a non-negative safe integer. */
export type Fen = number;

/** Largest number of integer (yuan) digits accepted: N16,2 leaves 14. */
export const MAX_YUAN_DIGITS = 14;

/**
 * Parses a decimal yuan amount (`"123.45"`, `"7"`, `"0.5"`, or a JSON number with the same text)
 * into fen. Returns null for anything else: signs, exponents, more than two decimals, blanks,
 * more than 14 integer digits, or amounts beyond the safe-integer range.
 *
 * A JSON number is converted with `String(n)`, the shortest text that reads back as the same
 * double, so `12.34` becomes `"12.34"` and is parsed exactly; `0.125` is refused (3 decimals).
 */
export function parseFen(value: unknown): Fen | null {
  let s: string;
  if (typeof value === "string") s = value;
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    s = String(value);
  } else return null;
  const n = s.length;
  if (n === 0) return null;
  let yuan = 0;
  let i = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) break;
    if (c < 48 || c > 57) return null;
    yuan = yuan * 10 + (c - 48);
    intDigits++;
  }
  if (intDigits === 0 || intDigits > MAX_YUAN_DIGITS) return null;
  let fen = 0;
  if (i < n) {
    // s[i] is the decimal point: one or two digits must follow.
    const decimals = n - i - 1;
    if (decimals < 1 || decimals > 2) return null;
    for (let k = 1; k <= decimals; k++) {
      const c = s.charCodeAt(i + k);
      if (c < 48 || c > 57) return null;
      fen = fen * 10 + (c - 48);
    }
    if (decimals === 1) fen *= 10;
  }
  const total = yuan * 100 + fen;
  return Number.isSafeInteger(total) ? total : null;
}

/** Formats fen as a decimal yuan string with exactly two decimals (`12345` → `"123.45"`). */
export function formatFen(fen: Fen): string {
  const negative = fen < 0;
  const abs = negative ? -fen : fen;
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${negative ? "-" : ""}${yuan}.${cents < 10 ? "0" : ""}${cents}`;
}
