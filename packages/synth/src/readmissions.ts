/** Episodes of two stays: a planned readmission, and the injected split and repeated admissions. */

import { ageInYears } from "./calendar.js";
import type { AdrgModel } from "./clinical.js";
import { feeItems, itemsTotal } from "./costs.js";
import { type Built, cloneBuilt, type DraftingStream, type Injected, name2 } from "./drafts.js";
import type { Hospital } from "./region.js";

/** A planned readmission (计划再入院) after a regular stay, or null. */
export function plannedReadmission(stream: DraftingStream, first: Built): Built | null {
  const d1 = first.draft;
  const gap = stream.rng.range(7, 21);
  const day = d1.admDay + d1.los + gap;
  if (day + 10 > stream.c.toDay) return null;
  const a = stream.c.clinical.adrg(first.group.adrg ?? "");
  if (!a) return null;
  const second = stream.honest(day, d1.hospital, a, stream.severity(), { person: d1.person });
  if (!second) return null;
  d1.readmissionPlanned = true;
  d1.readmissionPurpose = stream.rng.pick(["计划性化疗", "分期手术治疗", "计划复查及后续治疗"]);
  second.draft.plannedReadmission = true;
  return second;
}

/** `split_admission`: one stay uploaded as two (分解住院). */
export function splitAdmission(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const rng = stream.rng;
  const [gMin, gMax] = stream.c.profile.splitGapDays;
  const gap = rng.range(gMin, gMax);
  const b = stream.honest(day, h, a, stream.severity(), { span: 40 + gap });
  if (b?.group.status !== "OK") return null;
  const d = b.draft;
  if (d.los < 4) {
    d.los = rng.range(4, 9);
    stream.withCost(b, itemsTotal(d.items), a.kind);
  }
  if (day + d.los + gap > stream.c.toDay) return null;
  const total = itemsTotal(d.items);
  const k = rng.range(Math.max(1, Math.floor(d.los * 0.3)), Math.max(1, Math.floor(d.los * 0.6)));
  const p1 = cloneBuilt(b);
  const p2 = cloneBuilt(b);
  p1.draft.los = k;
  p2.draft.los = d.los - k;
  p2.draft.admDay = day + k + gap;
  const c1 = Math.round(total * (k / d.los) * (0.8 + 0.3 * rng.float()));
  const c2 = total - c1 + Math.round(total * (0.03 + 0.05 * rng.float()));
  const surgical = d.procedures.length > 0 && a.kind !== "medical";
  if (surgical) p1.draft.procedures = [];
  p1.draft.items = feeItems(
    rng,
    stream.c.profile,
    Math.max(30_000, c1),
    p1.draft.los,
    surgical ? "medical" : a.kind,
    h,
  );
  p2.draft.items = feeItems(rng, stream.c.profile, Math.max(30_000, c2), p2.draft.los, a.kind, h);
  p2.draft.facts = { ...p2.draft.facts, ageYears: ageInYears(d.person.birthDay, p2.draft.admDay) };
  p1.group = stream.regroup(p1.draft);
  p2.group = stream.regroup(p2.draft);
  return {
    uploaded: [p1, p2],
    honest: [b],
    detail: {
      description: `${name2("split_admission")}：一次住院（${d.los} 天）拆分为两次，出院 ${gap} 天后以同一疾病再次入院`,
      gapDays: gap,
      honestLos: d.los,
      honestDrg: b.group.drg,
      uploadedDrgs: [p1.group.drg, p2.group.drg],
    },
  };
}

/** `repeated_admission`: two stays of different illnesses that should be merged. */
export function repeatedAdmission(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const rng = stream.rng;
  const [gMin, gMax] = stream.c.profile.repeatGapDays;
  const gap = rng.range(gMin, gMax);
  const first = stream.honest(day, h, a, stream.severity(), { span: 40 + gap });
  if (first?.group.status !== "OK") return null;
  const d1 = first.draft;
  const day2 = day + d1.los + gap;
  const person = d1.person;
  let second: Built | null = null;
  const dist = stream.dist(h, "adult");
  for (let i = 0; i < 8 && !second; i++) {
    const b = dist.sample(rng);
    if (b.code === a.code || (b.sex && b.sex !== person.sex)) continue;
    const age = ageInYears(person.birthDay, day2);
    if (age < b.minAge || age > b.maxAge) continue;
    const s = stream.honest(day2, h, b, stream.severity(), { person });
    // A different illness: another ADRG and another principal diagnosis category (类目).
    if (
      s &&
      s.group.status === "OK" &&
      s.group.adrg !== first.group.adrg &&
      (s.draft.diagnoses[0] as string).slice(0, 3) !== (d1.diagnoses[0] as string).slice(0, 3)
    )
      second = s;
  }
  if (!second || day2 + second.draft.los > stream.c.toDay) return null;
  const d2 = second.draft;
  const merged = cloneBuilt(first);
  const md = merged.draft;
  md.diagnoses = [...new Set([...d1.diagnoses, ...d2.diagnoses])];
  md.trueDiagnoses = md.diagnoses;
  md.secondaryOnset = md.diagnoses.slice(1).map((_, i) => d1.secondaryOnset[i] ?? "1");
  md.procedures = [...new Set([...d1.procedures, ...d2.procedures])];
  md.trueProcedures = md.procedures;
  md.los = d1.los + d2.los;
  const cost = itemsTotal(d1.items) + Math.round(itemsTotal(d2.items) * 0.95);
  md.items = feeItems(
    rng,
    stream.c.profile,
    cost,
    md.los,
    a.kind === "medical" ? (d2.items.some((i) => i.category === "06") ? "surgical" : "medical") : a.kind,
    h,
  );
  merged.group = stream.regroup(md);
  return {
    uploaded: [first, second],
    honest: [merged],
    detail: {
      description: `${name2("repeated_admission")}：出院 ${gap} 天后以不同诊断再次入院，两次住院应合并计算`,
      gapDays: gap,
      firstDrg: first.group.drg,
      secondDrg: second.group.drg,
      honestDrg: merged.group.drg,
    },
  };
}
