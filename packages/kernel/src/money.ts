/**
 * Exact money and ratio arithmetic (金额与比例).
 *
 * - Money is integer fen (分), a JavaScript safe integer: `Fen`.
 * - Ratios, weights, coefficients and shares are integers in parts per million: `Ppm`
 *   (`1.26` → `1_260_000`, `80%` → `800_000`). Six decimals cover every published RW (4
 *   decimals), coefficient and ratio.
 * - Exact quotients that must not be rounded (point value 点值) are `Rational`s of bigints.
 *
 * ONE rounding rule: round half away from zero to the fen (四舍五入到分): an exact half fen
 * (x.5 分) goes up for positive amounts (`mulPpm(1, 500_000)` = 1) and down for negative ones
 * (`divRound(-1, 2)` = -1), applied only at the points documented on each function. Nothing is
 * ever summed in binary floating point.
 *
 * Two readers of yuan text: `parseYuan` (policy data: signs allowed, throws `MoneyFormatError`) and
 * `parseFen` (the 4101 wire, N16,2: non-negative, returns null). One writer: `formatYuan`.
 */

/** An amount in fen (分): a safe integer (negative only for balances and differences). */
export type Fen = number;

/** A ratio in parts per million (百万分率): `1_000_000` is 1. */
export type Ppm = number;

/** One, as a `Ppm`. */
export const PPM_ONE = 1_000_000;

/** An exact non-negative rational number `num / den` (den > 0), e.g. a point value (点值). */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Error raised for malformed money, ratio or date text. */
export class MoneyFormatError extends Error {
  override name = "MoneyFormatError";
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function parseDecimal(text: string, maxDecimals: number, scale: number, what: string): number {
  const s = text.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null) throw new MoneyFormatError(`${what}格式错误：「${text}」不是十进制数`);
  const frac = m[3] ?? "";
  if (frac.length > maxDecimals) {
    throw new MoneyFormatError(`${what}「${text}」小数位超过 ${maxDecimals} 位`);
  }
  const intPart = Number(m[2]);
  const fracPart = frac.length === 0 ? 0 : Number(frac.padEnd(maxDecimals, "0"));
  const value = intPart * scale + fracPart;
  if (!Number.isSafeInteger(value) || !Number.isSafeInteger(intPart * scale)) {
    throw new MoneyFormatError(`${what}「${text}」超出可精确表示的范围`);
  }
  return m[1] === "-" ? -value : value;
}

/**
 * Parses a decimal yuan amount (元) exactly into fen: `"17214.6"` → `1721460`. At most two
 * decimals; a leading `-` is allowed. JSON numbers are accepted through their shortest text.
 */
export function parseYuan(value: string | number): Fen {
  const text = typeof value === "number" ? String(value) : value;
  return parseDecimal(text, 2, 100, "金额");
}

/** Formats fen as yuan with exactly two decimals (元): `1721460` → `"17214.60"`. */
export function formatYuan(fen: Fen): string {
  const neg = fen < 0;
  const abs = neg ? -fen : fen;
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${neg ? "-" : ""}${yuan}.${cents < 10 ? "0" : ""}${cents}`;
}

/** The same as `formatYuan` (the name the settlement-list code uses): `12345` → `"123.45"`. */
export const formatFen: (fen: Fen) => string = formatYuan;

/** Largest number of integer (yuan) digits of a wire amount: N16,2 leaves 14. */
export const MAX_YUAN_DIGITS = 14;

/**
 * Parses a wire amount in yuan (`"123.45"`, `"7"`, `"0.5"`, or a JSON number with the same text)
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

/**
 * Parses an exact decimal ratio (比例/权重/系数) into ppm: `"1.26"` → `1260000`, `"80%"` →
 * `800000`, `"3‰"` → `3000`. At most six decimals after scaling; no floating point.
 */
export function parseRatio(value: string | number): Ppm {
  const text = (typeof value === "number" ? String(value) : value).trim();
  if (text.endsWith("%")) return parseDecimal(text.slice(0, -1), 4, 10_000, "比例");
  if (text.endsWith("‰")) return parseDecimal(text.slice(0, -1), 3, 1_000, "比例");
  return parseDecimal(text, 6, PPM_ONE, "比例");
}

/** Formats a ppm ratio as a decimal without trailing zeros (at least `decimals` digits). */
export function formatRatio(ppm: Ppm, decimals = 2): string {
  const neg = ppm < 0;
  const abs = neg ? -ppm : ppm;
  const int = Math.floor(abs / PPM_ONE);
  let frac = String(abs - int * PPM_ONE).padStart(6, "0");
  while (frac.length > decimals && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${neg ? "-" : ""}${int}${frac.length > 0 ? `.${frac}` : ""}`;
}

/**
 * Integer division of safe integers rounded half away from zero (四舍五入): `n / d`, `d > 0`.
 * Exact: uses `%` (exact on safe integers), never a floating quotient.
 */
export function divRound(n: number, d: number): number {
  const r = n % d;
  const q = (n - r) / d;
  if (2 * Math.abs(r) >= d) return n < 0 ? q - 1 : q + 1;
  return q;
}

/** `divRound` on bigints. */
export function divRoundBig(n: bigint, d: bigint): bigint {
  const r = n % d;
  const q = n / d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/** Floor division on bigints (d > 0). */
export function divFloorBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** Ceiling division on bigints (d > 0). */
export function divCeilBig(n: bigint, d: bigint): bigint {
  return -divFloorBig(-n, d);
}

/**
 * `round(a × b / d)` rounded half away from zero, exact for any safe integers (falls back to
 * bigint only when the product leaves the safe range). `d > 0`.
 */
export function mulDivRound(a: number, b: number, d: number): number {
  const p = a * b;
  if (p <= MAX_SAFE && p >= -MAX_SAFE) return divRound(p, d);
  return toSafeNumber(divRoundBig(BigInt(a) * BigInt(b), BigInt(d)));
}

/**
 * Multiplies an amount in fen by a ppm ratio and rounds half away from zero to the fen:
 * `mulPpm(1765211, 800000)` = round(14121.688 元) = `1412169`.
 */
export function mulPpm(amount: Fen, ratio: Ppm): Fen {
  return mulDivRound(amount, ratio, PPM_ONE);
}

/** Converts a bigint to a number, failing loudly outside the safe-integer range. */
export function toSafeNumber(v: bigint): number {
  if (v > BigInt(MAX_SAFE) || v < -BigInt(MAX_SAFE)) {
    throw new RangeError(`数值 ${v} 超出可精确表示的整数范围`);
  }
  return Number(v);
}

/** Sums fen amounts, checking that the total stays a safe integer. */
export function sumFen(values: readonly Fen[]): Fen {
  let s = 0;
  for (const v of values) s += v;
  if (!Number.isSafeInteger(s)) throw new RangeError("金额合计超出可精确表示的范围");
  return s;
}

/** `round(r × amount)` for a rational `r`, half away from zero. */
export function mulRationalRound(amount: bigint, r: Rational): bigint {
  return divRoundBig(amount * r.num, r.den);
}

/** Formats a rational as a decimal string with `decimals` digits (rounded half away from zero). */
export function formatRational(r: Rational, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const v = divRoundBig(r.num * scale, r.den);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const int = abs / scale;
  const frac = (abs % scale).toString().padStart(decimals, "0");
  return `${neg ? "-" : ""}${int}${decimals > 0 ? `.${frac}` : ""}`;
}

/**
 * Largest-remainder allocation (最大余额法): splits `total` fen into parts proportional to
 * `weights`, each part the floor of its exact share, then one more fen to the parts with the
 * largest remainders (ties: lower index first). The parts always sum to `total` exactly.
 * `total` ≥ 0; weights ≥ 0 with a positive sum.
 */
export function allocateLargestRemainder(total: Fen, weights: readonly (number | bigint)[]): Fen[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`待分配金额 ${total} 须为非负整数分`);
  const w = weights.map((x) => BigInt(x));
  let sum = 0n;
  for (const x of w) {
    if (x < 0n) throw new RangeError("分配权重不能为负");
    sum += x;
  }
  if (sum === 0n) {
    if (total === 0) return w.map(() => 0);
    throw new RangeError("分配权重之和为零，无法分配非零金额");
  }
  const t = BigInt(total);
  const parts: number[] = new Array(w.length);
  const rema: bigint[] = new Array(w.length);
  let given = 0n;
  for (let i = 0; i < w.length; i++) {
    const exact = t * (w[i] as bigint);
    const q = exact / sum;
    parts[i] = Number(q);
    rema[i] = exact % sum;
    given += q;
  }
  let left = Number(t - given);
  if (left > 0) {
    const order = w.map((_, i) => i);
    order.sort((a, b) => {
      const ra = rema[a] as bigint;
      const rb = rema[b] as bigint;
      return ra > rb ? -1 : ra < rb ? 1 : a - b;
    });
    for (let k = 0; left > 0; k++, left--) {
      const i = order[k] as number;
      parts[i] = (parts[i] as number) + 1;
    }
  }
  return parts;
}
