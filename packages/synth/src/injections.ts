/** The injected irregular cases drafted from a regular episode, one function per violation type (coding, cost). */

import { VIOLATION_TYPE_NAMES } from "@yibao/kernel/enums";
import type { AdrgModel } from "./clinical.js";
import { addCharge, classify, type FeeItem, itemsTotal } from "./costs.js";
import { type Built, cloneBuilt, type DraftingStream, type Injected, profileName } from "./drafts.js";
import type { Hospital } from "./region.js";

/** Injects a `upcoding_secondary` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectUpcodingSecondary(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.upcoding_secondary;
  const b = stream.honest(day, h, a, 0);
  if (b?.group.status !== "OK" || b.group.adrg !== a.code) return null;
  const honestDrg = clinical.drg(b.group.drg);
  for (let i = 0; i < 5; i++) {
    const level = a.drgs.some((d) => d.severity === 2) && rng.chance(0.4) ? 2 : 1;
    const added = (level === 2 ? clinical.mccPool : clinical.ccPool).sample(rng);
    if (b.draft.diagnoses.includes(added)) continue;
    const up = cloneBuilt(b);
    up.draft.diagnoses.push(added);
    up.draft.secondaryOnset.push("1");
    up.group = stream.regroup(up.draft);
    const upDrg = clinical.drg(up.group.drg);
    if (
      up.group.status !== "OK" ||
      !upDrg ||
      !honestDrg ||
      upDrg.expectedCostFen <= honestDrg.expectedCostFen
    )
      continue;
    return {
      uploaded: [up],
      honest: [b],
      detail: {
        description: `${name}：无诊疗依据增加次要诊断 ${added}（${profileName(clinical, added)}），${b.group.drg} → ${up.group.drg}`,
        addedDiagnosis: added,
        level: level === 2 ? "MCC" : "CC",
        honestDrg: b.group.drg,
        uploadedDrg: up.group.drg,
      },
    };
  }
  return null;
}

/** Injects a `upcoding_principal` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectUpcodingPrincipal(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.upcoding_principal;
  const b = stream.honest(day, h, a, stream.severity());
  if (b?.group.status !== "OK") return null;
  const honestDrg = clinical.drg(b.group.drg);
  if (!honestDrg) return null;
  const pdx = b.draft.diagnoses[0] as string;
  const near = new Set<string>(clinical.category(pdx));
  for (const other of clinical.adrgs) {
    if (other.mdc !== a.mdc || other.code === a.code || other.newborn) continue;
    for (const t of other.templates) for (const code of t.pdx.items.slice(0, 3)) near.add(code);
  }
  near.delete(pdx);
  const candidates = [...near].filter((c) => !clinical.isRestricted(c));
  let best: Built | null = null;
  let bestCost = honestDrg.expectedCostFen * 1.1;
  for (let i = 0; i < 16 && candidates.length > 0; i++) {
    const code = candidates.splice(rng.int(candidates.length), 1)[0] as string;
    if (b.draft.diagnoses.includes(code)) continue;
    const up = cloneBuilt(b);
    up.draft.diagnoses[0] = code;
    up.group = stream.regroup(up.draft);
    const d = clinical.drg(up.group.drg);
    if (up.group.status === "OK" && d && d.expectedCostFen > bestCost) {
      best = up;
      bestCost = d.expectedCostFen;
    }
  }
  if (!best) return null;
  const swapped = best.draft.diagnoses[0] as string;
  return {
    uploaded: [best],
    honest: [b],
    detail: {
      description: `${name}：主要诊断 ${pdx}（${profileName(clinical, pdx)}）改填为更高权重的近似诊断 ${swapped}（${profileName(clinical, swapped)}），${b.group.drg} → ${best.group.drg}`,
      honestPrincipal: pdx,
      uploadedPrincipal: swapped,
      honestDrg: b.group.drg,
      uploadedDrg: best.group.drg,
    },
  };
}

/** Injects a `downcoding_outlier` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectDowncodingOutlier(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical, profile } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.downcoding_outlier;
  const b = stream.honest(day, h, a, stream.severity());
  if (b?.group.status !== "OK" || b.draft.procedures.length === 0) return null;
  const up = cloneBuilt(b);
  up.draft.procedures = [];
  up.group = stream.regroup(up.draft);
  const honestDrg = clinical.drg(b.group.drg);
  const upDrg = clinical.drg(up.group.drg);
  if (up.group.status !== "OK" || !honestDrg || !upDrg) return null;
  const cost = Math.round(upDrg.expectedCostFen * profile.outlier.highMax * (1.1 + 0.2 * rng.float()));
  if (cost >= honestDrg.expectedCostFen * profile.outlier.highMin * 0.9) return null;
  stream.withCost(b, cost, a.kind);
  up.draft.items = b.draft.items;
  return {
    uploaded: [up],
    honest: [b],
    detail: {
      description: `${name}：费用较高的手术病例（${b.group.drg}）未填写手术操作，入低权重组 ${up.group.drg} 并达到高倍率`,
      droppedProcedures: b.draft.procedures,
      honestDrg: b.group.drg,
      uploadedDrg: up.group.drg,
      costToUploadedExpected: Number((cost / upDrg.expectedCostFen).toFixed(2)),
    },
  };
}

/** Injects a `qy_ambiguity` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectQyAmbiguity(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.qy_ambiguity;
  const drg = clinical.intendedDrg(a, 0);
  const b = stream.honest(day, h, a, 0, { costFactor: 1.4 + 0.5 * rng.float() });
  if (b?.group.status !== "OK" || clinical.orProcedures.length === 0) return null;
  for (let i = 0; i < 12; i++) {
    const px = rng.pick(clinical.orProcedures);
    const up = cloneBuilt(b);
    up.draft.procedures = [px, ...b.draft.procedures.filter((p) => p !== px)];
    up.group = stream.regroup(up.draft);
    if (up.group.status !== "AMBIGUOUS") continue;
    return {
      uploaded: [up],
      honest: [b],
      detail: {
        description: `${name}：费用较高的病例（${b.group.drg}）增加与主要诊断无关的手术 ${px}（${clinical.scheme.procedures.name(px) ?? px}），进入歧义组 ${up.group.drg}`,
        addedProcedure: px,
        honestDrg: b.group.drg,
        uploadedDrg: up.group.drg,
        costToExpected: Number((itemsTotal(b.draft.items) / drg.expectedCostFen).toFixed(2)),
      },
    };
  }
  return null;
}

/** Injects a `low_indication` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectLowIndication(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.low_indication;
  const los = rng.range(1, 3);
  const b = stream.honest(day, h, a, 0, {
    costFactor: 0.15 + 0.25 * rng.float(),
    mix: "lowIndication",
    los,
  });
  if (!b) return null;
  b.draft.procedures = b.draft.procedures.filter((p) => clinical.examProcedures.includes(p));
  b.draft.trueProcedures = b.draft.procedures;
  b.draft.oralOnly = true;
  b.draft.icuHours = 0;
  b.draft.ventHours = 0;
  b.group = stream.regroup(b.draft);
  return {
    uploaded: [b],
    honest: [],
    detail: {
      description: `${name}：住院 ${los} 天，仅做检查检验并以口服药为主，可在门诊治疗`,
      los,
      categories: b.draft.items.map((i) => i.category),
    },
  };
}

/** Injects a `cost_shifting` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectCostShifting(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { profile } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.cost_shifting;
  const b = stream.honest(day, h, a, stream.severity());
  if (!b) return null;
  const up = cloneBuilt(b);
  if (rng.chance(0.5)) {
    let shifted = 0;
    const share = 0.3 + 0.3 * rng.float();
    const byCategory: Record<string, number> = {};
    up.draft.shiftedOwnPay = byCategory;
    up.draft.items = b.draft.items.map((i) => {
      if (i.category !== "08" && i.category !== "09" && i.category !== "03") return i;
      const moveB = Math.round(i.classBFen * share);
      const moveA = Math.round(i.classAFen * share * 0.5);
      shifted += moveA + moveB;
      byCategory[i.category] = moveA + moveB;
      return {
        ...i,
        classAFen: i.classAFen - moveA,
        classBFen: i.classBFen - moveB,
        ownPayFen: i.ownPayFen + moveA + moveB,
      };
    });
    if (shifted === 0) return null;
    return {
      uploaded: [up],
      honest: [b],
      detail: {
        description: `${name}：将医保目录内费用 ${(shifted / 100).toFixed(2)} 元改为患者全自费`,
        mode: "ownpay",
        shiftedFen: shifted,
      },
    };
  }
  let moved = 0;
  const share = 0.4 + 0.4 * rng.float();
  const kept: FeeItem[] = [];
  for (const i of b.draft.items) {
    if (i.category === "03" || i.category === "04") {
      const out = Math.round(i.amountFen * share);
      moved += out;
      if (i.amountFen - out > 0) kept.push(classify(rng, profile, i.category, i.amountFen - out));
    } else kept.push(i);
  }
  if (moved === 0) return null;
  up.draft.items = kept;
  up.draft.outpatientShiftedFen = moved;
  const daysBefore = rng.range(1, 3);
  return {
    uploaded: [up],
    honest: [b],
    detail: {
      description: `${name}：入院前 ${daysBefore} 天在门诊完成检查检验 ${(moved / 100).toFixed(2)} 元，未计入住院费用`,
      mode: "outpatient",
      outpatientFen: moved,
      outpatientDaysBeforeAdmission: daysBefore,
    },
  };
}

/** Injects a `tier_crossing` case at `day` in hospital `h` with ADRG `a`, or null. */
export function injectTierCrossing(
  stream: DraftingStream,
  day: number,
  h: Hospital,
  a: AdrgModel,
): Injected | null {
  const { clinical, profile } = stream.c;
  const rng = stream.rng;
  const name = VIOLATION_TYPE_NAMES.tier_crossing;
  const drg = clinical.intendedDrg(a, stream.severity());
  const high = rng.chance(0.7);
  const o = profile.outlier;
  const honestFactor = high ? o.highMin * (0.7 + 0.2 * rng.float()) : o.low * (0.5 + 0.35 * rng.float());
  const upFactor = high ? o.highMax * (1.1 + 0.3 * rng.float()) : o.low * (1.3 + 0.5 * rng.float());
  const b = stream.honest(day, h, a, drg.severity, { costFactor: honestFactor });
  if (b?.group.status !== "OK") return null;
  const ref = clinical.drg(b.group.drg) ?? drg;
  const target = Math.round(ref.expectedCostFen * upFactor);
  const extra = target - itemsTotal(b.draft.items);
  if (extra <= 0) return null;
  const up = cloneBuilt(b);
  const category = rng.pick(["05", "08", "09"]);
  up.draft.items = addCharge(rng, profile, b.draft.items, category, extra);
  return {
    uploaded: [up],
    honest: [b],
    detail: {
      description: `${name}：增加不合理收费 ${(extra / 100).toFixed(2)} 元，使病例${high ? "由正常倍率跃迁为高倍率" : "由低倍率跃迁为正常倍率"}`,
      tier: high ? "high" : "low",
      addedFen: extra,
      category,
    },
  };
}
