/**
 * The evaluation on the national scheme (CHS-DRG 1.1, `../shared/schemes/chs-drg-1.1`), where the
 * coding checks used to flag honest stays the region codes without evidence as a habit. Floors, not
 * targets: the 0.8 is not reached on this scheme yet (see the closing note); these pin what
 * the support norms (诊疗依据常模) bought, on a seed not used while tuning (tuning used 101).
 * Before them, on this seed: added diagnosis precision 0.48, principal swap 0.12 / 0.06, honest
 * stays flagged 1.64%.
 */
import { resolve } from "node:path";
import { loadSchemeDir } from "@yibao/grouper/load";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateAudit } from "../src/evaluate.js";

const SHARED = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(import.meta.dirname, "../../../../shared"));
const scheme = await loadSchemeDir(resolve(SHARED, "schemes/chs-drg-1.1"));

describe("evaluation on the national scheme (seed 41, 6,000 stays)", () => {
  let e: ReturnType<typeof evaluateAudit>;
  beforeAll(() => {
    e = evaluateAudit({ seed: 41, stays: 6000, scheme });
  }, 120_000);
  it("the coding checks hold their precision where missing evidence is the region's habit", () => {
    const secondary = e.types.upcoding_secondary;
    const principal = e.types.upcoding_principal;
    expect(secondary?.precision ?? 0).toBeGreaterThanOrEqual(0.6);
    expect(secondary?.recall ?? 0).toBeGreaterThanOrEqual(0.65);
    expect(principal?.precision ?? 0).toBeGreaterThanOrEqual(0.35);
    expect(principal?.recall ?? 0).toBeGreaterThanOrEqual(0.2);
    expect(e.honestFlaggedShare ?? 1).toBeLessThan(0.012);
  });
  it("split and repeated admission and downcoding stay exact", () => {
    for (const t of ["split_admission", "repeated_admission", "downcoding_outlier"]) {
      expect(e.types[t]?.precision ?? 0, t).toBeGreaterThanOrEqual(0.95);
      expect(e.types[t]?.recall ?? 0, t).toBeGreaterThanOrEqual(0.95);
    }
  });
});
