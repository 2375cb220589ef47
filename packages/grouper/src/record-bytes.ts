/**
 * Reading a grouping record straight from the bytes of a JSONL line (快速读取), without JSON.parse
 * and without making a string per code.
 *
 * The reader is strict: it accepts only lines that `JSON.parse` followed by `validateGroupingRecord`
 * would accept, and only in a plain form whose meaning is plain too: one object with the known
 * fields at most once each, strings without escapes (id and codes in printable ASCII), integers
 * written as digits, and `null`. Anything else (an escape, a fraction or exponent, a negative number,
 * an unknown or repeated field, non-ASCII in the id or a code, a malformed line) is declined, and
 * the caller takes the general path, which gives the same result or reports the line's error.
 */

const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** The fields of the input format; a field's bit in `seen` is its index here. */
const FIELDS = [
  "id",
  "sex",
  "ageYears",
  "ageDays",
  "birthWeight",
  "dept",
  "los",
  "dischargeWay",
  "diagnoses",
  "procedures",
] as const;
const FIELD_BYTES = FIELDS.map((f) => Uint8Array.from(f, (ch) => ch.charCodeAt(0)));
const ID = 0;
const SEX = 1;
const AGE_YEARS = 2;
const AGE_DAYS = 3;
const BIRTH_WEIGHT = 4;
const DEPT = 5;
const LOS = 6;
const DISCHARGE_WAY = 7;
const DIAGNOSES = 8;
const PROCEDURES = 9;
const REQUIRED = (1 << ID) | (1 << SEX) | (1 << DIAGNOSES);

/** JSON whitespace within a line. */
function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

/**
 * The index of the closing quote of the string whose content starts at `i`, or -1 when it has an
 * escape or a control character, or (with `ascii`) a byte outside printable ASCII.
 */
function stringEnd(b: Uint8Array, i: number, end: number, ascii: boolean): number {
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === QUOTE) return i;
    if (c < SPACE || c === BACKSLASH || (ascii && c > 0x7f)) return -1;
  }
  return -1;
}

/** The fields of each name length (only `sex` and `los` share one). */
const FIELDS_BY_LENGTH: readonly (readonly number[])[] = Array.from({ length: 16 }, (_, n) =>
  FIELDS.flatMap((f, i) => (f.length === n ? [i] : [])),
);

/** The field whose name is `b[start .. end)`, or -1. */
function fieldOf(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const candidates = FIELDS_BY_LENGTH[n];
  if (candidates === undefined) return -1;
  for (const f of candidates) {
    const name = FIELD_BYTES[f] as Uint8Array;
    let i = 0;
    while (i < n && b[start + i] === name[i]) i++;
    if (i === n) return f;
  }
  return -1;
}

/** The largest value of each integer field. */
const MAX: Readonly<Record<number, number>> = {
  [AGE_YEARS]: 150,
  [AGE_DAYS]: 365,
  [BIRTH_WEIGHT]: 999_999_999,
  [LOS]: 100_000,
};

/**
 * A record read from bytes. One reader serves every line of a chunk: {@link read} overwrites every
 * field it reports before returning true, and the fields mean nothing after it returns false.
 */
export class RecordBytes {
  /** The id's bytes, between its quotes: its JSON text, the same as `JSON.stringify(id)` inside. */
  idStart = 0;
  idEnd = 0;
  sex = "";
  ageYears: number | null = null;
  ageDays: number | null = null;
  birthWeight: number | null = null;
  /** 住院天数; 0 when the line has none or `null` (as `validateGroupingRecord` makes it). */
  los = 0;
  /** Byte ranges of the diagnosis codes (`[start, end)` at 2i, 2i+1), principal first. */
  dx: Int32Array = new Int32Array(32);
  dxCount = 0;
  px: Int32Array = new Int32Array(16);
  pxCount = 0;

  /**
   * Reads the line that starts at `start` (and ends at the next `\n`, or at `limit`) as one JSON
   * object: the index of its end (that `\n`, or `limit`), or -1 when the line is not in the plain
   * form. The reader finds the line's end itself: a plain line has no `\n` inside (its strings hold
   * no control character), so every `\n` before the object closes makes it decline.
   */
  read(b: Uint8Array, start: number, limit: number): number {
    this.sex = "";
    this.ageYears = null;
    this.ageDays = null;
    this.birthWeight = null;
    this.los = 0;
    this.dxCount = 0;
    this.pxCount = 0;
    const end = limit;
    let i = start;
    while (i < end && isSpace(b[i] as number)) i++;
    if (b[i] !== LBRACE) return -1;
    i++;
    let seen = 0;
    for (;;) {
      while (i < end && isSpace(b[i] as number)) i++;
      if (b[i] !== QUOTE) return -1;
      const close = stringEnd(b, i + 1, end, true);
      if (close < 0) return -1;
      const field = fieldOf(b, i + 1, close);
      if (field < 0 || (seen & (1 << field)) !== 0) return -1;
      seen |= 1 << field;
      i = close + 1;
      while (i < end && isSpace(b[i] as number)) i++;
      if (b[i] !== COLON) return -1;
      i++;
      while (i < end && isSpace(b[i] as number)) i++;
      i = this.value(field, b, i, end);
      if (i < 0) return -1;
      while (i < end && isSpace(b[i] as number)) i++;
      const c = b[i];
      i++;
      if (c === RBRACE) break;
      if (c !== COMMA) return -1;
    }
    while (i < end && isSpace(b[i] as number)) i++;
    if (i < end && b[i] !== NEWLINE) return -1;
    return (seen & REQUIRED) === REQUIRED ? i : -1;
  }

  /** Reads the value of `field` at `i`: the index after it, or -1 when it is not in the plain form. */
  private value(field: number, b: Uint8Array, i: number, end: number): number {
    switch (field) {
      case ID: {
        if (b[i] !== QUOTE) return -1;
        const close = stringEnd(b, i + 1, end, true);
        if (close <= i + 1) return -1;
        this.idStart = i + 1;
        this.idEnd = close;
        return close + 1;
      }
      case SEX: {
        if (b[i] !== QUOTE) return -1;
        if (b[i + 1] === QUOTE) {
          this.sex = "";
          return i + 2;
        }
        const c = b[i + 1];
        if ((c !== 0x31 && c !== 0x32) || b[i + 2] !== QUOTE) return -1;
        this.sex = c === 0x31 ? "1" : "2";
        return i + 3;
      }
      case DEPT:
      case DISCHARGE_WAY: {
        if (b[i] !== QUOTE) return -1;
        const close = stringEnd(b, i + 1, end, false);
        return close < 0 ? -1 : close + 1;
      }
      case DIAGNOSES:
        return this.codes(b, i, end, true);
      case PROCEDURES:
        return this.codes(b, i, end, false);
    }
    // An integer field: `null`, or at most 9 digits without a leading zero, fraction or exponent.
    let v: number | null = null;
    const c = b[i] as number;
    if (c === 0x6e) {
      if (b[i + 1] !== 0x75 || b[i + 2] !== 0x6c || b[i + 3] !== 0x6c) return -1;
      i += 4;
    } else {
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return -1;
      const first = i;
      let n = 0;
      if (c === DIGIT_0) i++;
      else {
        while (i < end && i - first < 10 && (b[i] as number) >= DIGIT_0 && (b[i] as number) <= DIGIT_9) {
          n = n * 10 + ((b[i] as number) - DIGIT_0);
          i++;
        }
      }
      const after = i < end ? (b[i] as number) : -1;
      if ((after >= DIGIT_0 && after <= DIGIT_9) || after === 0x2e || after === 0x65 || after === 0x45)
        return -1;
      if (n > (MAX[field] as number)) return -1;
      v = n;
    }
    if (field === AGE_YEARS) this.ageYears = v;
    else if (field === AGE_DAYS) this.ageDays = v;
    else if (field === BIRTH_WEIGHT) this.birthWeight = v;
    else this.los = v ?? 0;
    return i;
  }

  /** Reads an array of code strings into `dx` or `px`: the index after it, or -1. */
  private codes(b: Uint8Array, i: number, end: number, diagnoses: boolean): number {
    if (b[i] !== LBRACKET) return -1;
    i++;
    let ranges = diagnoses ? this.dx : this.px;
    let count = 0;
    while (i < end && isSpace(b[i] as number)) i++;
    if (b[i] === RBRACKET) i++;
    else {
      for (;;) {
        while (i < end && isSpace(b[i] as number)) i++;
        if (b[i] !== QUOTE) return -1;
        const close = stringEnd(b, i + 1, end, true);
        if (close < 0) return -1;
        if (2 * count + 2 > ranges.length) {
          const grown = new Int32Array(ranges.length * 2);
          grown.set(ranges);
          ranges = grown;
          if (diagnoses) this.dx = grown;
          else this.px = grown;
        }
        ranges[2 * count] = i + 1;
        ranges[2 * count + 1] = close;
        count++;
        i = close + 1;
        while (i < end && isSpace(b[i] as number)) i++;
        const c = b[i];
        i++;
        if (c === RBRACKET) break;
        if (c !== COMMA) return -1;
      }
    }
    if (diagnoses) this.dxCount = count;
    else this.pxCount = count;
    return i;
  }
}
