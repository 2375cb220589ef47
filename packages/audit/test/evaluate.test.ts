import { describe, expect, it } from "vitest";
import { evaluateAudit, formatEvaluation } from "../src/evaluate.js";
import { scheme } from "./helpers.js";

describe("evaluation on a synthetic region (3,000 stays)", () => {
  const e = evaluateAudit({ seed: 2, stays: 3000, scheme });
  it("meets the targets for split admission, downcoding and QY ambiguity", () => {
    for (const t of ["split_admission", "downcoding_outlier", "qy_ambiguity"]) {
      const q = e.types[t];
      expect(q?.recall ?? 0, t).toBeGreaterThanOrEqual(0.9);
      expect(q?.precision ?? 0, t).toBeGreaterThanOrEqual(0.8);
    }
  });
  it("prints the compact JSON as the last line", () => {
    const last = formatEvaluation(e).split("\n").at(-1) as string;
    const j = JSON.parse(last);
    expect(j.seed).toBe(2);
    expect(j.stays).toBe(e.stays);
    expect(Object.keys(j.types)).toContain("upcoding_secondary");
    expect(j.fundLossRecoveredShare).toBeGreaterThan(0.5);
  });
});
