import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PlainLineGrouper } from "../src/batch.js";
import { groupRecord } from "../src/group.js";
import { loadSchemeDir } from "../src/load.js";
import type { DrgScheme } from "../src/scheme.js";
import type { GroupingRecord, GroupStatus } from "../src/types.js";
import { SCHEMES_DIR } from "./shared.js";

interface Vector {
  input: GroupingRecord;
  expected: { status: GroupStatus; drg: string };
}

for (const id of ["chs-drg-1.1", "suzhou-2023"]) {
  describe(`labelled vectors of ${id}`, () => {
    let scheme: DrgScheme;
    let vectors: Vector[];
    beforeAll(async () => {
      scheme = await loadSchemeDir(resolve(SCHEMES_DIR, id));
      vectors = readFileSync(resolve(SCHEMES_DIR, id, "vectors.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Vector);
    });

    it("reproduces every line exactly (status and DRG)", () => {
      expect(vectors.length).toBeGreaterThan(10_000);
      const mismatches: string[] = [];
      for (const v of vectors) {
        const r = groupRecord(scheme, v.input);
        if (r.status !== v.expected.status || r.drg !== v.expected.drg) {
          mismatches.push(
            `${v.input.id}: expected ${v.expected.status}/${v.expected.drg}, got ${r.status}/${r.drg}`,
          );
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(mismatches.length).toBe(0);
    });

    it("the batch fast path reproduces every line from its bytes, and declines a line not in the plain form", () => {
      const lines = readFileSync(resolve(SCHEMES_DIR, id, "vectors.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.stringify((JSON.parse(l) as Vector).input));
      const bytes = new TextEncoder().encode(lines.join("\n"));
      const g = new PlainLineGrouper(scheme);
      const mismatches: string[] = [];
      let start = 0;
      for (const v of vectors) {
        const end = g.group(bytes, start, bytes.length);
        expect(end, v.input.id).toBeGreaterThan(start);
        const gotId = new TextDecoder().decode(bytes.subarray(g.idStart, g.idEnd));
        if (
          gotId !== v.input.id ||
          g.outcome.status !== v.expected.status ||
          g.outcome.drg !== v.expected.drg
        )
          mismatches.push(
            `${v.input.id}: expected ${v.expected.status}/${v.expected.drg}, got ${gotId} ${g.outcome.drg}`,
          );
        start = end + 1;
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      // An escaped character is not the plain form: declined, for the general path.
      const escaped = new TextEncoder().encode(
        JSON.stringify({ ...vectors[0]?.input, id: "a\u00e9" }).replace("é", "\\u00e9"),
      );
      expect(g.group(escaped, 0, escaped.length)).toBe(-1);
    });

    it("explains every result without changing it, and names real groups", () => {
      for (const v of vectors.slice(0, 5000)) {
        const fast = groupRecord(scheme, v.input);
        const explained = groupRecord(scheme, v.input, { explain: true });
        const { reasons, ...rest } = explained;
        expect(rest).toEqual(fast);
        expect(reasons?.length).toBeGreaterThan(0);
        if (fast.status === "OK") {
          expect(scheme.drg(fast.drg)?.name ?? scheme.adrg(fast.drg)?.name).toBe(fast.drgName);
          expect(reasons?.some((x) => x.stage === "drg" && x.code === fast.drg)).toBe(true);
          expect(reasons?.some((x) => x.stage === "mdc" && x.code === fast.mdc)).toBe(true);
        }
        if (fast.status === "CHECK_FAILED") expect(reasons?.[0]?.stage).toBe("check");
      }
    });
  });
}
