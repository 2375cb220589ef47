/** Grouping conditions (the scheme's `when` predicates) expanded into what a case must look like. */

import type { NumberRange, Predicate } from "@yibao/grouper";
import type { CaseKind } from "./profile.js";

/** What a record needs to satisfy a conjunction of grouping conditions. */
export interface Requirement {
  pdxLists: string[];
  ppxLists: string[];
  anyPxLists: string[];
  anyDxLists: string[];
  forbidPxLists: string[];
  sex?: "1" | "2";
  ageYears?: NumberRange;
  ageDays?: NumberRange;
  birthWeight?: NumberRange;
  regions?: { min: number; lists: readonly string[] };
  trauma?: { min: number; lists: readonly string[] };
}

export const emptyReq = (): Requirement => ({
  pdxLists: [],
  ppxLists: [],
  anyPxLists: [],
  anyDxLists: [],
  forbidPxLists: [],
});

export function merge(a: Requirement, b: Requirement): Requirement {
  const out: Requirement = {
    pdxLists: [...a.pdxLists, ...b.pdxLists],
    ppxLists: [...a.ppxLists, ...b.ppxLists],
    anyPxLists: [...a.anyPxLists, ...b.anyPxLists],
    anyDxLists: [...a.anyDxLists, ...b.anyDxLists],
    forbidPxLists: [...a.forbidPxLists, ...b.forbidPxLists],
  };
  const sex = b.sex ?? a.sex;
  if (sex) out.sex = sex;
  const ageYears = b.ageYears ?? a.ageYears;
  if (ageYears) out.ageYears = ageYears;
  const ageDays = b.ageDays ?? a.ageDays;
  if (ageDays) out.ageDays = ageDays;
  const birthWeight = b.birthWeight ?? a.birthWeight;
  if (birthWeight) out.birthWeight = birthWeight;
  const regions = b.regions ?? a.regions;
  if (regions) out.regions = regions;
  const trauma = b.trauma ?? a.trauma;
  if (trauma) out.trauma = trauma;
  return out;
}

export const MAX_VARIANTS = 12;

/** The alternative requirement sets that make a predicate true (severity predicates ignored). */
export function expand(p: Predicate): Requirement[] {
  const one = (f: (r: Requirement) => void): Requirement[] => {
    const r = emptyReq();
    f(r);
    return [r];
  };
  if ("all" in p) {
    let acc: Requirement[] = [emptyReq()];
    for (const q of p.all) {
      const next: Requirement[] = [];
      for (const a of acc) for (const b of expand(q)) if (next.length < MAX_VARIANTS) next.push(merge(a, b));
      acc = next;
    }
    return acc;
  }
  if ("any" in p) return p.any.flatMap(expand).slice(0, MAX_VARIANTS);
  if ("not" in p) {
    const inner = p.not;
    if ("anyPxIn" in inner) return one((r) => r.forbidPxLists.push(inner.anyPxIn));
    if ("ppxIn" in inner) return one((r) => r.forbidPxLists.push(inner.ppxIn));
    return [emptyReq()];
  }
  if ("pdxIn" in p) return one((r) => r.pdxLists.push(p.pdxIn));
  if ("ppxIn" in p) return one((r) => r.ppxLists.push(p.ppxIn));
  if ("anyPxIn" in p) return one((r) => r.anyPxLists.push(p.anyPxIn));
  if ("anyDxIn" in p) return one((r) => r.anyDxLists.push(p.anyDxIn));
  if ("sex" in p) return one((r) => (r.sex = p.sex));
  if ("ageYears" in p) return one((r) => (r.ageYears = p.ageYears));
  if ("ageDays" in p) return one((r) => (r.ageDays = p.ageDays));
  if ("birthWeight" in p) return one((r) => (r.birthWeight = p.birthWeight));
  if ("regionsAtLeast" in p) return one((r) => (r.regions = p.regionsAtLeast));
  if ("traumaDiagnosesAtLeast" in p) return one((r) => (r.trauma = p.traumaDiagnosesAtLeast));
  return [emptyReq()];
}

/** Severity a DRG's condition asks for: 2 MCC, 1 CC or MCC, 0 none (the catch-all). */
export function drgSeverity(p: Predicate): 0 | 1 | 2 {
  if ("hasMcc" in p) return 2;
  if ("hasCcOrMcc" in p) return 1;
  if ("all" in p) return Math.max(0, ...p.all.map(drgSeverity)) as 0 | 1 | 2;
  return 0;
}

/** CHS-DRG ADRG kind: second letter A–H surgical, J–Q non-OR procedure, R–Z medical. */
export function kindOf(code: string, when: Predicate): CaseKind {
  const letter = code[1] ?? "Z";
  const usesPx = JSON.stringify(when).includes("PxIn") || JSON.stringify(when).includes("ppxIn");
  if (!usesPx) return "medical";
  if (letter >= "A" && letter <= "H") return "surgical";
  if (letter >= "J" && letter <= "Q") return "procedure";
  return "medical";
}
