import { type KnownSex, oppositeSex, SEX_FEMALE, SEX_MALE } from "@yibao/kernel/sex";
import { DEFAULT_QC_RULES } from "@yibao/settlement";
import { describe, expect, it } from "vitest";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";

/** The QC rule `sexSpecificDiagnosis` whose ranges hold `code3` (a 3-character category), and its flagged sex. */
function qcFlaggedSex(code3: string): string | undefined {
  for (const r of DEFAULT_QC_RULES.rules) {
    if (r.check !== "sexSpecificDiagnosis") continue;
    const p = r.params as { sex: string; ranges: string[] };
    for (const range of p.ranges) {
      const [lo, hi = lo] = range.split("-") as [string, string?];
      if (code3 >= lo.slice(0, 3) && code3 <= hi.slice(0, 3)) return p.sex;
    }
  }
  return undefined;
}

describe("sex codes agree between the QC rules and the audit knowledge base (GB/T 2261.1: 1 男, 2 女)", () => {
  // Hand-picked: O80 正常分娩, C53 宫颈癌 and N70 are female-only, N40 前列腺增生 and C61 male-only.
  const cases: { code: string; allowed: KnownSex; prefix: string }[] = [
    { code: "O80", allowed: SEX_FEMALE, prefix: "O" },
    { code: "C53", allowed: SEX_FEMALE, prefix: "C53" },
    { code: "N70", allowed: SEX_FEMALE, prefix: "N70" },
    { code: "N40", allowed: SEX_MALE, prefix: "N40" },
    { code: "C61", allowed: SEX_MALE, prefix: "C61" },
  ];
  it.each(cases)("$code: the knowledge base allows $allowed, the QC rule flags the other sex", (c) => {
    const kb = STARTER_KNOWLEDGE_BASE.diagnosisRestrictions.find((r) => r.prefix === c.prefix);
    expect(kb?.sex).toBe(c.allowed);
    expect(qcFlaggedSex(c.code)).toBe(oppositeSex(c.allowed));
  });
});
