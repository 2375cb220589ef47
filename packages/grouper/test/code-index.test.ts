import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodeIndex } from "../src/code-index.js";

/** Codes as schemes write them, and the awkward ones: long, non-ASCII, with NUL at either end. */
const code = fc.oneof(
  fc.stringMatching(/^[A-Z][0-9]{2}\.[0-9x]{1,8}$/),
  fc.stringMatching(/^[A-Z][0-9]{2}\.[0-9]{3}(x[0-9]{3})?\+[A-Z][0-9]{2}\.[0-9]\*$/),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom("\u0000A", "A\u0000", "Ä01.000", "病例", "A", "A01.000x0011"),
);
const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);
const bytesOf = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

describe("CodeIndex", () => {
  it("finds every code it holds, by string and by bytes, alone or in rounds, and no other", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(code, { maxLength: 300 }),
        fc.array(code, { maxLength: 50 }),
        (held, asked) => {
          const index = CodeIndex.of(held);
          const id = new Map(held.map((c, i) => [c, i]));
          const all = [...held, ...asked];
          const slots = new Int32Array(all.length);
          index.findAll(all, 0, slots, 0);
          all.forEach((c, i) => {
            const slot = index.find(c);
            expect(slot < 0 ? -1 : index.idAt(slot)).toBe(id.get(c) ?? -1);
            expect(slots[i]).toBe(slot);
            if (slot >= 0) expect(index.code(index.idAt(slot))).toBe(c);
            if (ascii(c)) {
              const b = bytesOf(` ${c} `);
              expect(index.findAscii(b, 1, b.length - 1)).toBe(slot);
            }
          });
          const pair = new Int32Array(2);
          for (let i = 0; i + 1 < all.length; i += 2) {
            index.findPair(all[i] as string, all[i + 1] as string, pair);
            expect([...pair]).toEqual([index.find(all[i] as string), index.find(all[i + 1] as string)]);
          }
        },
      ),
    );
  });

  it("keeps every code, id and payload as it grows", () => {
    fc.assert(
      fc.property(fc.uniqueArray(code, { minLength: 1, maxLength: 2000 }), (codes) => {
        const index = new CodeIndex(4);
        codes.forEach((c, i) => {
          expect(index.intern(c)).toBe(i);
          index.setValue(i, i * 7);
        });
        expect(index.size).toBe(codes.length);
        codes.forEach((c, i) => {
          expect(index.intern(c)).toBe(i);
          const slot = index.find(c);
          expect(index.idAt(slot)).toBe(i);
          expect(index.valueAt(slot)).toBe(i * 7);
        });
      }),
      { numRuns: 30 },
    );
  });
});
