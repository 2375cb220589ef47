/**
 * An open-addressing hash index from code strings to dense integer ids (编码索引), used on the
 * grouping hot path. Each entry is one 16-byte slot: the code's characters packed four to a 32-bit
 * word, and one integer of payload that the owner sets per code (the grouper keeps there the code's
 * role: its CC/MCC data and plan rows). A lookup of a freshly parsed code touches one slot and
 * nothing else, and the table stays small (about 1 MB for a national scheme's 42,000 codes): on a
 * shared machine memory latency beyond the first megabyte, not arithmetic, is what a lookup costs.
 *
 * A code of 1 to {@link INLINE_CHARS} characters up to U+00FF, not starting or ending with U+0000, is
 * packed; any other code (a long one, say) has a slot holding its hash (found from bytes by that
 * hash and a comparison with the stored string) and is found from a string through a map.
 */

/** The longest code whose characters fit in a slot. */
export const INLINE_CHARS = 12;

/** Int32 fields per slot: [word 0, word 1, word 2, value]; word 0 is never 0 for a packed code. */
const STRIDE = 4;
/** Word 2 of an unpacked code's slot (word 0 is 0, word 1 the hash); an empty slot has 0 and 0. */
const WIDE = 1;

/** murmur3's mixing of one 32-bit block into the running hash. */
function mix(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: every input bit reaches the low bits used as the slot number. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of an unpacked code: every character mixed in on its own. */
function wideHash(code: string): number {
  let h = ~code.length;
  for (let i = 0; i < code.length; i++) h = mix(h, code.charCodeAt(i));
  return finish(h);
}

/**
 * The packed words of a code, or null when it cannot be packed: its length is not 1 to
 * {@link INLINE_CHARS}, a character is above U+00FF, or it starts or ends with U+0000 (then the zero
 * padding of the words could not tell it from a shorter code, nor its slot from an empty one).
 */
function packWords(code: string): [number, number, number] | null {
  const n = code.length;
  if (n === 0 || n > INLINE_CHARS || code.charCodeAt(0) === 0 || code.charCodeAt(n - 1) === 0) return null;
  const w: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const ch = code.charCodeAt(i);
    if (ch > 0xff) return null;
    w[i >> 2] = (w[i >> 2] as number) | (ch << ((i & 3) << 3));
  }
  return w;
}

export class CodeIndex {
  private table: Int32Array;
  /** Mask over slot numbers. */
  private mask: number;
  /** The id in each slot. */
  private ids: Int32Array;
  private readonly codes: string[] = [];
  /** Scratch of {@link findAll}: per code its three packed words and first slot (-1: not packed). */
  private pending = new Int32Array(64);
  /** Scratch of {@link find}: the packed code. */
  private readonly packed = new Int32Array(4);
  /** The first words of the slots {@link findAll} read ahead. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written, never read, on purpose: a sink that keeps the engine from optimising away the read-ahead of findAll
  private touched = 0;
  /**
   * The slot of each code that cannot be packed (a long one, about 1,200 of the national scheme's
   * 42,046): a string lookup finds it without hashing it by hand or reading its stored copy.
   */
  private readonly wideSlots = new Map<string, number>();
  /** The slot of each id (slots move when the table grows). */
  private slots: Int32Array;

  /** An index with room for `capacityHint` codes before it grows (it grows past three quarters full). */
  constructor(capacityHint = 1024) {
    let slots = 16;
    while (slots * 3 < capacityHint * 4) slots <<= 1;
    this.table = new Int32Array(slots * STRIDE);
    this.ids = new Int32Array(slots);
    this.mask = slots - 1;
    this.slots = new Int32Array(Math.max(16, capacityHint));
  }

  /**
   * An index of `codes`, which must be distinct, with ids in their order, in the smallest table that
   * is at most three quarters full.
   */
  static of(codes: Iterable<string>): CodeIndex {
    const all = [...codes];
    const index = new CodeIndex(all.length);
    for (const code of all) {
      const id = index.codes.length;
      index.codes.push(code);
      index.place(id, 0);
    }
    return index;
  }

  get size(): number {
    return this.codes.length;
  }

  /** The slot of `code` (for {@link idAt} and {@link valueAt}), or -1 when the index does not hold it. */
  find(code: string): number {
    const w = this.packed;
    this.pack(code, w, 0);
    const k = w[3] as number;
    return k < 0 ? this.findWide(code) : this.probeFrom(k, w[0] as number, w[1] as number, w[2] as number);
  }

  /**
   * Looks up `codes[from ..]` and writes their slots (as {@link find} gives them) to `out[at ..]`,
   * which must have room. The codes are all read and hashed first, then the first slot of each is
   * read, then each is probed: a record's codes are fresh strings and their slots far apart in the
   * table, and reading them in these three rounds lets the memory reads of each round overlap
   * instead of waiting one for another.
   */
  findAll(codes: readonly string[], from: number, out: Int32Array, at: number): void {
    const n = codes.length - from;
    if (n <= 0) return;
    if (this.pending.length < n * 4) this.pending = new Int32Array(n * 8);
    const pending = this.pending;
    for (let i = 0; i < n; i++) this.pack(codes[from + i] as string, pending, i * 4);
    this.readAhead(n);
    for (let i = 0; i < n; i++) {
      const o = i * 4;
      const k = pending[o + 3] as number;
      out[at + i] =
        k < 0
          ? this.findWide(codes[from + i] as string)
          : this.probeFrom(k, pending[o] as number, pending[o + 1] as number, pending[o + 2] as number);
    }
  }

  /**
   * The slots of two codes (as {@link find} gives them) to `out[0]` and `out[1]`, their memory reads
   * overlapping as in {@link findAll}: a record's principal diagnosis and principal procedure.
   */
  findPair(a: string, b: string, out: Int32Array): void {
    const pending = this.pending;
    this.pack(a, pending, 0);
    this.pack(b, pending, 4);
    this.readAhead(2);
    const ka = pending[3] as number;
    const kb = pending[7] as number;
    out[0] =
      ka < 0
        ? this.findWide(a)
        : this.probeFrom(ka, pending[0] as number, pending[1] as number, pending[2] as number);
    out[1] =
      kb < 0
        ? this.findWide(b)
        : this.probeFrom(kb, pending[4] as number, pending[5] as number, pending[6] as number);
  }

  /**
   * Packs `code` into `into[o .. o + 4)` as {@link find} does: its three words and its first slot,
   * or -1 as the slot when it cannot be packed (then {@link find} looks it up).
   */
  private pack(code: string, into: Int32Array, o: number): void {
    const n = code.length;
    if (n === 0 || n > INLINE_CHARS) {
      into[o + 3] = -1;
      return;
    }
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let all = 0;
    let i = 0;
    for (; i < n && i < 4; i++) {
      const ch = code.charCodeAt(i);
      all |= ch;
      w0 |= ch << (i << 3);
    }
    for (; i < n && i < 8; i++) {
      const ch = code.charCodeAt(i);
      all |= ch;
      w1 |= ch << ((i - 4) << 3);
    }
    for (; i < n; i++) {
      const ch = code.charCodeAt(i);
      all |= ch;
      w2 |= ch << ((i - 8) << 3);
    }
    // Four characters to a word, with no test per character: `all` catches any above U+00FF.
    if (all > 0xff || (w0 & 0xff) === 0 || code.charCodeAt(n - 1) === 0) {
      into[o + 3] = -1;
      return;
    }
    this.store(into, o, w0, w1, w2);
  }

  /**
   * The slot of the code spelt by `bytes[start .. end)`, or -1. The bytes must be ASCII (the caller
   * checks): then they spell the same code as the string of those characters.
   */
  findAscii(bytes: Uint8Array, start: number, end: number): number {
    const w = this.packed;
    this.packAscii(bytes, start, end, w, 0);
    const k = w[3] as number;
    return k < 0
      ? this.findWideAscii(bytes, start, end)
      : this.probeFrom(k, w[0] as number, w[1] as number, w[2] as number);
  }

  /**
   * {@link findAll} for `count` ASCII codes spelt by `bytes`, the i-th at
   * `bytes[ranges[2i] .. ranges[2i + 1])`: their slots to `out[0 .. count)`, which must have room.
   */
  findAllAscii(bytes: Uint8Array, ranges: Int32Array, count: number, out: Int32Array): void {
    if (count <= 0) return;
    if (this.pending.length < count * 4) this.pending = new Int32Array(count * 8);
    const pending = this.pending;
    for (let i = 0; i < count; i++) {
      this.packAscii(bytes, ranges[2 * i] as number, ranges[2 * i + 1] as number, pending, i * 4);
    }
    this.readAhead(count);
    for (let i = 0; i < count; i++) {
      const o = i * 4;
      const k = pending[o + 3] as number;
      out[i] =
        k < 0
          ? this.findWideAscii(bytes, ranges[2 * i] as number, ranges[2 * i + 1] as number)
          : this.probeFrom(k, pending[o] as number, pending[o + 1] as number, pending[o + 2] as number);
    }
  }

  /** Reads the first slot of each of the first `count` codes in `pending`, so that the reads overlap. */
  private readAhead(count: number): void {
    const pending = this.pending;
    const t = this.table;
    let touched = 0;
    for (let i = 0; i < count; i++) {
      const k = pending[i * 4 + 3] as number;
      if (k >= 0) touched |= t[k * STRIDE] as number;
    }
    this.touched = touched; // kept, so the reads are not optimised away
  }

  /** {@link pack} for the ASCII code spelt by `bytes[start .. end)`. */
  private packAscii(bytes: Uint8Array, start: number, end: number, into: Int32Array, o: number): void {
    const n = end - start;
    if (n === 0 || n > INLINE_CHARS) {
      into[o + 3] = -1;
      return;
    }
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let i = 0;
    for (; i < n && i < 4; i++) w0 |= (bytes[start + i] as number) << (i << 3);
    for (; i < n && i < 8; i++) w1 |= (bytes[start + i] as number) << ((i - 4) << 3);
    for (; i < n; i++) w2 |= (bytes[start + i] as number) << ((i - 8) << 3);
    if ((w0 & 0xff) === 0 || bytes[end - 1] === 0) {
      into[o + 3] = -1;
      return;
    }
    this.store(into, o, w0, w1, w2);
  }

  /** Writes the packed code `w0, w1, w2` and its first slot to `into[o .. o + 4)`. */
  private store(into: Int32Array, o: number, w0: number, w1: number, w2: number): void {
    into[o] = w0;
    into[o + 1] = w1;
    into[o + 2] = w2;
    into[o + 3] = finish(mix(mix(mix(0, w0), w1), w2)) & this.mask;
  }

  /** The slot of the packed code `w0, w1, w2`, probing from its first slot `first`, or -1. */
  private probeFrom(first: number, w0: number, w1: number, w2: number): number {
    const t = this.table;
    const mask = this.mask;
    for (let k = first; ; k = (k + 1) & mask) {
      const at = k * STRIDE;
      const a = t[at] as number;
      if (a === w0 && t[at + 1] === w1 && t[at + 2] === w2) return k;
      if (a === 0 && t[at + 2] === 0) return -1;
    }
  }

  /** The slot of a code that cannot be packed (see {@link wideSlots}), or -1. */
  private findWide(code: string): number {
    return this.wideSlots.get(code) ?? -1;
  }

  /** {@link findWide} for the ASCII code spelt by `bytes[start .. end)`, without making a string. */
  private findWideAscii(bytes: Uint8Array, start: number, end: number): number {
    let h = ~(end - start);
    for (let i = start; i < end; i++) h = mix(h, bytes[i] as number);
    h = finish(h);
    const t = this.table;
    const mask = this.mask;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const at = k * STRIDE;
      if (t[at] === 0) {
        const kind = t[at + 2] as number;
        if (kind === 0) return -1;
        if (kind === WIDE && t[at + 1] === h) {
          const code = this.codes[this.ids[k] as number] as string;
          let i = 0;
          if (code.length === end - start)
            while (i < code.length && code.charCodeAt(i) === bytes[start + i]) i++;
          if (i === end - start && i === code.length) return k;
        }
      }
    }
  }

  /** The id of `code`, or -1 when the index does not hold it. */
  get(code: string): number {
    const slot = this.find(code);
    return slot < 0 ? -1 : (this.ids[slot] as number);
  }

  /** The id of the code in `slot` (a result of {@link find}). */
  idAt(slot: number): number {
    return this.ids[slot] as number;
  }

  /** The payload of the code in `slot`; 0 until set. */
  valueAt(slot: number): number {
    return this.table[slot * STRIDE + 3] as number;
  }

  /** Sets the payload of the code with id `id`. */
  setValue(id: number, value: number): void {
    this.table[(this.slots[id] as number) * STRIDE + 3] = value;
  }

  /** The code with id `id`. */
  code(id: number): string {
    return this.codes[id] as string;
  }

  /** The id of `code`, adding it when it is new. */
  intern(code: string): number {
    const found = this.get(code);
    if (found >= 0) return found;
    const id = this.codes.length;
    if ((id + 1) * 4 > (this.mask + 1) * 3) this.rehash((this.mask + 1) * 2);
    if (this.slots.length <= id) {
      const s = new Int32Array(this.slots.length * 2);
      s.set(this.slots);
      this.slots = s;
    }
    this.codes.push(code);
    this.place(id, 0);
    return id;
  }

  /** Writes the slot of code `id` with its payload. */
  private place(id: number, value: number): void {
    const code = this.codes[id] as string;
    const w = packWords(code);
    const t = this.table;
    const h = w === null ? wideHash(code) : finish(mix(mix(mix(0, w[0]), w[1]), w[2]));
    let k = h & this.mask;
    while (t[k * STRIDE] !== 0 || t[k * STRIDE + 2] !== 0) k = (k + 1) & this.mask;
    const at = k * STRIDE;
    if (w === null) {
      t[at + 1] = h;
      t[at + 2] = WIDE;
      this.wideSlots.set(code, k);
    } else {
      t[at] = w[0];
      t[at + 1] = w[1];
      t[at + 2] = w[2];
    }
    t[at + 3] = value;
    this.ids[k] = id;
    this.slots[id] = k;
  }

  private rehash(slots: number): void {
    const old = this.table;
    this.table = new Int32Array(slots * STRIDE);
    this.ids = new Int32Array(slots);
    this.mask = slots - 1;
    for (let id = 0; id < this.codes.length; id++) {
      this.place(id, old[(this.slots[id] as number) * STRIDE + 3] as number);
    }
  }
}
