/**
 * The pools of the clinical model drawn from the scheme: the principal diagnoses reserved for
 * sex-specific and newborn MDCs, the CC, MCC and comorbidity pools, the examination and OR procedures.
 */

import type { DrgScheme, Predicate } from "@yibao/grouper";
import { emptyReq, expand } from "./clinical-requirements.js";
import type { RegionProfile } from "./profile.js";
import { Weighted } from "./random.js";
import { deterministicSample } from "./sampling.js";

/** Principal diagnoses of sex-specific and newborn MDCs (never used elsewhere), and the other MDCs' principal-diagnosis lists. */
export function restrictedDiagnoses(
  scheme: DrgScheme,
  profile: RegionProfile,
): { restrictedDx: Set<string>; generalPdxLists: string[] } {
  const src = scheme.source;
  const lists = src.lists;
  const restrictedDx = new Set<string>();
  const generalPdxLists: string[] = [];
  for (const m of src.mdcs) {
    const req = expand(m.when)[0] ?? emptyReq();
    const special =
      profile.newbornMdcs.includes(m.code) ||
      profile.sexSpecificMdcs[m.code] !== undefined ||
      req.sex !== undefined ||
      req.ageYears !== undefined;
    for (const l of req.pdxLists) {
      if (special) for (const c of lists[l] ?? []) restrictedDx.add(c);
      else generalPdxLists.push(l);
    }
  }
  return { restrictedDx, generalPdxLists };
}

/** Severity (CC, MCC) and comorbidity pools: the profile's common codes first, then a sample of the dictionary. */
export function diagnosisPools(
  scheme: DrgScheme,
  profile: RegionProfile,
  restrictedDx: ReadonlySet<string>,
): { ccPool: Weighted<string>; mccPool: Weighted<string>; comorbidityPool: Weighted<string> } {
  const salt = profile.calibrationSalt;
  const sexRanges = profile.sexSpecificDiagnoses.flatMap((s) =>
    s.ranges.map((r) => r.split("-") as [string, string]),
  );
  const sexSpecific = (c: string) => {
    const cat = c.slice(0, 3);
    return sexRanges.some(([lo, hi]) => cat >= lo && cat <= hi);
  };
  const chapterOk = (c: string) => !/^[OPSTUVWXYZ]/.test(c) && !sexSpecific(c);
  // Severity and comorbidity pools.
  const cc: string[] = [];
  const mcc: string[] = [];
  const plain: string[] = [];
  for (const code of scheme.diagnoses.codes()) {
    if (restrictedDx.has(code) || !chapterOk(code)) continue;
    const level = scheme.ccLevel(code);
    if (level === "MCC") mcc.push(code);
    else if (level === "CC") cc.push(code);
    else plain.push(code);
  }
  const pool = (preferred: readonly string[], all: string[], ok: (c: string) => boolean, tag: number) => {
    const common = preferred.filter(
      (c) => scheme.diagnoses.has(c) && ok(c) && !restrictedDx.has(c) && !sexSpecific(c),
    );
    const sample = deterministicSample(all, 300, salt ^ tag);
    const items = [...common, ...sample];
    const weights = items.map((_, i) =>
      i < common.length ? (8 * sample.length) / Math.max(1, common.length) : 1,
    );
    return new Weighted(items, weights);
  };
  const ccPool = pool(profile.commonCc, cc, (c) => scheme.ccLevel(c) === "CC", 1);
  const mccPool = pool(profile.commonMcc, mcc, (c) => scheme.ccLevel(c) === "MCC", 2);
  const comorbidityPool = pool(profile.commonComorbidities, plain, (c) => scheme.ccLevel(c) === undefined, 3);
  return { ccPool, mccPool, comorbidityPool };
}

/** Examination procedures that do not steer grouping, and a sample of the OR procedures (for QY injection). */
export function procedurePools(
  scheme: DrgScheme,
  profile: RegionProfile,
): { examProcedures: string[]; orProcedures: string[] } {
  const salt = profile.calibrationSalt;
  const src = scheme.source;
  const lists = src.lists;
  // Procedures that steer grouping must never be added casually.
  const steering = new Set<string>(lists.or_procedures ?? []);
  const walk = (p: Predicate): void => {
    if ("all" in p) p.all.forEach(walk);
    else if ("any" in p) p.any.forEach(walk);
    else if ("not" in p) walk(p.not);
    else if ("ppxIn" in p) for (const c of lists[p.ppxIn] ?? []) steering.add(c);
    else if ("anyPxIn" in p) for (const c of lists[p.anyPxIn] ?? []) steering.add(c);
  };
  for (const a of src.adrgs) walk(a.when);
  for (const m of src.mdcs) walk(m.when);
  const examProcedures = profile.commonExamProcedures.filter(
    (c) => scheme.procedures.has(c) && !steering.has(c),
  );
  const orProcedures = deterministicSample(
    (lists.or_procedures ?? []).filter((c) => scheme.procedures.has(c)),
    400,
    salt ^ 4,
  );
  return { examProcedures, orProcedures };
}
