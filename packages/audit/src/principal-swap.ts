/**
 * 升级主要诊断的证据 (evidence of a swapped principal diagnosis): a near code of the uploaded principal
 * diagnosis whose own 诊疗依据 the stay's detail items show and that groups the stay into a
 * lower-weight DRG. Read by the upcoding detector and by the support norms (a principal diagnosis
 * without evidence that such a code explains is not the region's honest habit).
 */
import type { GroupResult } from "@yibao/grouper";
import { type AuditContext, diagnosesByCategory, meanCostOf, rwOf } from "./context.js";
import { regroup, type StaySupport } from "./detect-stay-shared.js";
import type { AuditStay } from "./model.js";
import { type SupportFinding, supportOf, supportRuleOf } from "./support.js";

/** A near principal diagnosis the details support. */
export interface NearAlternative {
  readonly code: string;
  readonly g: GroupResult;
  readonly rw: number;
  readonly f: SupportFinding;
  /** Its classes present that are not 诊疗依据 of a coded secondary diagnosis. */
  readonly own: readonly string[];
}

/**
 * The near codes of the stay's principal diagnosis: the other codes of its category (类目) and the
 * `topPerAdrg` most frequent principal diagnoses of every other ADRG of its MDC in the region.
 */
export function nearPrincipals(s: AuditStay, ctx: AuditContext, topPerAdrg: number): Set<string> {
  const pdx = s.record.diagnoses[0] as string;
  const near = new Set<string>(diagnosesByCategory(ctx.scheme).get(pdx.slice(0, 3)) ?? []);
  for (const adrg of ctx.norms.adrgsByMdc.get(s.group.mdc ?? "") ?? []) {
    if (adrg === s.group.adrg) continue;
    const top = ctx.norms.principalsByAdrg.get(adrg) ?? [];
    for (let i = 0; i < top.length && i < topPerAdrg; i++) near.add(top[i] as string);
  }
  near.delete(pdx);
  return near;
}

/**
 * The best supported near code of a principal diagnosis without evidence (`own`, unsupported), or
 * null. First by category rules (类目) on both sides; then, with `chapters`, by any rule (a chapter
 * rule, 章节, being coarse), where the near code needs a class of its own (not 诊疗依据 of a coded
 * secondary diagnosis) and its group must fit the stay's cost at least as well as the uploaded one.
 */
export function supportedAlternative(
  s: AuditStay,
  ctx: AuditContext,
  sup: StaySupport,
  own: SupportFinding,
  rw: number,
  options: { readonly topPerAdrg: number; readonly chapters: boolean },
): NearAlternative | null {
  const byCategory =
    own.rule.source === "diagnosis" ? bestAlternative(s, ctx, sup, own, rw, options.topPerAdrg, false) : null;
  if (byCategory !== null || !options.chapters) return byCategory;
  return bestAlternative(s, ctx, sup, own, rw, options.topPerAdrg, true);
}

function bestAlternative(
  s: AuditStay,
  ctx: AuditContext,
  sup: StaySupport,
  own: SupportFinding,
  rw: number,
  topPerAdrg: number,
  strict: boolean,
): NearAlternative | null {
  // Items that are 诊疗依据 of a coded secondary diagnosis are explained by it, not by a near code.
  const explained = new Set<string>();
  for (const d of s.record.diagnoses.slice(1))
    for (const k of supportRuleOf(sup.kb, d)?.classes ?? []) explained.add(k);
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  let best: NearAlternative | null = null;
  for (const code of nearPrincipals(s, ctx, topPerAdrg)) {
    if (s.record.diagnoses.includes(code)) continue;
    const f = supportOf(sup.kb, code, sup.present);
    if (f === null || !f.supported || f.rule.key === own.rule.key) continue;
    if (!strict && f.rule.source !== "diagnosis") continue;
    const ownClasses = f.presentClasses.filter((k) => !explained.has(k));
    if (strict && ownClasses.length === 0) continue;
    const g = regroup(ctx, s.record, [code, ...s.record.diagnoses.slice(1)], s.record.procedures);
    if (g.status !== "OK") continue;
    const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
    if (rw2 === null || rw2 >= rw) continue;
    if (strict && mean !== null && s.totalCost > 0) {
      // The care charged must fit the near code's group at least as well as the uploaded one.
      const mean2 = meanCostOf(ctx, g.drg, s.dischargeDate, s.id);
      if (mean2 === null || Math.abs(Math.log(s.totalCost / mean2)) > Math.abs(Math.log(s.totalCost / mean)))
        continue;
    }
    if (
      best === null ||
      f.presentClasses.length > best.f.presentClasses.length ||
      (f.presentClasses.length === best.f.presentClasses.length && rw2 > best.rw)
    )
      best = { code, g, rw: rw2, f, own: ownClasses };
  }
  return best;
}
