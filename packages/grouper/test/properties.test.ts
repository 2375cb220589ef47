import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { groupRecord, recordContext } from "../src/group.js";
import { loadSchemeDir } from "../src/load.js";
import { type DrgScheme, severityOf } from "../src/scheme.js";
import type { GroupingRecord } from "../src/types.js";
import { SCHEMES_DIR } from "./shared.js";

let scheme: DrgScheme;
let records: GroupingRecord[];
let secondaryPool: string[];

beforeAll(async () => {
  scheme = await loadSchemeDir(resolve(SCHEMES_DIR, "chs-drg-1.1"));
  records = readFileSync(resolve(SCHEMES_DIR, "chs-drg-1.1", "vectors.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { input: GroupingRecord }).input)
    .filter((r) => r.sex !== "" && r.diagnoses.length > 0);
  // CC, MCC and plain codes alike, so that additions really probe the severity rules.
  secondaryPool = [...new Set(records.flatMap((r) => r.diagnoses.slice(1)))];
});

const severity = (r: GroupingRecord) => severityOf(scheme.compiled, recordContext(scheme, r));

describe("grouping invariants", () => {
  it("adding a secondary diagnosis never lowers severity", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (i, j, at) => {
        const r = records[i % records.length] as GroupingRecord;
        const extra = secondaryPool[j % secondaryPool.length] as string;
        const dx = [...r.diagnoses];
        dx.splice(1 + (at % dx.length), 0, extra);
        expect(severity({ ...r, diagnoses: dx })).toBeGreaterThanOrEqual(severity(r));
      }),
      { numRuns: 3000 },
    );
  });

  it("the order of secondary diagnoses and of secondary procedures never matters", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer(), (i, seed) => {
        const r = records[i % records.length] as GroupingRecord;
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const out = [...xs];
          let s = seed | 0;
          for (let k = out.length - 1; k > 0; k--) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            const m = (s >>> 0) % (k + 1);
            [out[k], out[m]] = [out[m] as T, out[k] as T];
          }
          return out;
        };
        const dx = [r.diagnoses[0] as string, ...shuffle(r.diagnoses.slice(1))];
        const px =
          r.procedures.length > 0 ? [r.procedures[0] as string, ...shuffle(r.procedures.slice(1))] : [];
        const a = groupRecord(scheme, r);
        const b = groupRecord(scheme, { ...r, diagnoses: dx, procedures: px });
        expect(b).toEqual(a);
      }),
      { numRuns: 3000 },
    );
  });

  it("grouping is a pure function: interleaving other records never changes a result", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 2, maxLength: 20 }), (idx) => {
        const picked = idx.map((i) => records[i % records.length] as GroupingRecord);
        const alone = picked.map((r) => groupRecord(scheme, r));
        const reversed = [...picked].reverse().map((r) => groupRecord(scheme, r, { explain: true }));
        reversed.reverse();
        reversed.forEach((x, k) => {
          const { reasons: _, ...rest } = x;
          expect(rest).toEqual(alone[k]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("arbitrary input never throws and always yields a well-formed result", () => {
    const code = fc.oneof(fc.constantFrom(...secondaryPool.slice(0, 200)), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string(),
          sex: fc.constantFrom("1", "2", "") as fc.Arbitrary<"1" | "2" | "">,
          ageYears: fc.option(fc.integer({ min: 0, max: 120 })),
          ageDays: fc.option(fc.integer({ min: 0, max: 365 })),
          birthWeight: fc.option(fc.integer({ min: 0, max: 6000 })),
          dept: fc.string(),
          los: fc.integer({ min: 0, max: 400 }),
          dischargeWay: fc.constantFrom("1", "2", "3", "4", "5", "9"),
          diagnoses: fc.array(code, { maxLength: 8 }),
          procedures: fc.array(code, { maxLength: 5 }),
        }),
        (r) => {
          const g = groupRecord(scheme, r);
          expect(["OK", "AMBIGUOUS", "UNGROUPABLE", "CHECK_FAILED"]).toContain(g.status);
          if (g.status === "OK") expect(g.mdc).not.toBeNull();
          if (g.status === "UNGROUPABLE" || g.status === "CHECK_FAILED") expect(g.drg).toBe("0000");
          expect(g.drgName.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
