/**
 * 诊疗依据常模 (support norms): how often the region's own hospitals code a diagnosis of each
 * knowledge-base rule without any of its supporting items among the stay's detail charges. A stable
 * chronic condition recorded in passing (骨质疏松, 血小板减少 seen on the routine blood count) is often
 * coded with no specific charge; an acute condition treated during the stay almost never is. A
 * detector that reads "no 诊疗依据" as an added diagnosis must know which of the two it is looking
 * at, and learns it here from the region's data rather than from a fixed list.
 *
 * A secondary diagnosis is counted only where it did not decide the group (removing it leaves the
 * DRG unchanged): where it raises the group a hospital has a reason to add it, so those occurrences
 * are what the detector judges, not the baseline it judges them by. Learnt in one linear pass (one
 * regrouping per CC/MCC secondary diagnosis of a stay with detail items).
 */
import { groupRecord } from "@yibao/grouper";
import { type AuditContext, rwOf, stayContext } from "./context.js";
import type { AuditStay } from "./model.js";
import { supportedAlternative } from "./principal-swap.js";
import { ruleOf } from "./rules.js";
import { presentClasses, supportOf } from "./support.js";

/** One rule's baseline (常模): coded diagnoses seen, and how many of them had no 诊疗依据. */
export interface SupportBaseline {
  readonly cases: number;
  /** Without any item of the rule's classes. */
  readonly unsupported: number;
  /**
   * With items of the rule's classes, all of them also 诊疗依据 of the principal diagnosis (counted
   * only when the norms are learnt with `principalEvidenceExplains`).
   */
  readonly shared: number;
  /**
   * Principal diagnoses only: of the `unsupported`, those a supported near code of lower weight
   * explains (the pattern of a swapped principal, `supportedAlternative`): not the honest habit.
   */
  readonly explained?: number;
}

/** 诊疗依据常模: per support rule key (`supportRuleOf(...).key`). */
export interface SupportNorms {
  /** Principal diagnoses (主要诊断) of every stay with detail items. */
  readonly principal: ReadonlyMap<string, SupportBaseline>;
  /** Secondary diagnoses (次要诊断) that did not decide the group. */
  readonly secondary: ReadonlyMap<string, SupportBaseline>;
  /**
   * Secondary diagnoses that decided the group (removing one lowers or changes the DRG): where the
   * region's excess of missing evidence over `secondary`, if any, lies.
   */
  readonly deciding: ReadonlyMap<string, SupportBaseline>;
}

type Counts = { cases: number; unsupported: number; shared: number; explained?: number };

function add(m: Map<string, Counts>, key: string, evidence: "own" | "none" | "shared"): void {
  let b = m.get(key);
  if (b === undefined) {
    b = { cases: 0, unsupported: 0, shared: 0 };
    m.set(key, b);
  }
  b.cases++;
  if (evidence === "none") b.unsupported++;
  else if (evidence === "shared") b.shared++;
}

/**
 * Learns the support norms from the region's stays with detail items, read in the context `ctx`
 * (its knowledge, rules, norms and weights; each stay under its own scheme). Needs the context's
 * `knowledge.diagnosisSupport`; undefined without it.
 */
export function learnSupportNorms(stays: Iterable<AuditStay>, ctx: AuditContext): SupportNorms | undefined {
  const kb = ctx.knowledge.diagnosisSupport;
  if (kb === undefined) return undefined;
  const explains = ruleOf(ctx.rules, "upcoding_secondary")?.check.principalEvidenceExplains === true;
  const topPerAdrg = ruleOf(ctx.rules, "upcoding_principal")?.check.topPrincipalsPerAdrg ?? 0;
  const principal = new Map<string, Counts>();
  const secondary = new Map<string, Counts>();
  const deciding = new Map<string, Counts>();
  for (const s of stays) {
    if (s.details === undefined || s.details.length === 0) continue;
    const dx = s.record.diagnoses;
    if (dx.length === 0) continue;
    const present = presentClasses(kb, s.details);
    const own = supportOf(kb, dx[0] as string, present);
    const c = stayContext(ctx, s);
    if (own !== null) {
      add(principal, own.rule.key, own.supported ? "own" : "none");
      const rw =
        own.supported || s.group.status !== "OK" ? null : rwOf(c, s.group.drg, s.dischargeDate, s.id);
      if (
        rw !== null &&
        supportedAlternative(s, c, { kb, present }, own, rw, { topPerAdrg, chapters: true })
      ) {
        const b = principal.get(own.rule.key) as Counts;
        b.explained = (b.explained ?? 0) + 1;
      }
    }
    if (dx.length < 2) continue;
    const scheme = c.scheme;
    const pr = explains ? own?.rule : undefined;
    for (let i = 1; i < dx.length; i++) {
      const code = dx[i] as string;
      const f = supportOf(kb, code, present);
      if (f === null) continue;
      const evidence = !f.supported
        ? "none"
        : pr === undefined || pr.key === f.rule.key || f.presentClasses.some((k) => !pr.classes.includes(k))
          ? "own"
          : "shared";
      if (s.group.status === "OK" && scheme.ccLevel(code) !== undefined) {
        const without = dx.filter((_, j) => j !== i);
        const g = groupRecord(scheme, { ...s.record, diagnoses: without });
        if (g.drg !== s.group.drg) {
          add(deciding, f.rule.key, evidence);
          continue;
        }
      }
      add(secondary, f.rule.key, evidence);
    }
  }
  return { principal, secondary, deciding };
}

/**
 * Share of a rule's coded diagnoses without 诊疗依据 in the region (0–1), or null when the region has
 * fewer than `minCases` of them: too few to say whether missing evidence is unusual.
 */
export function unsupportedShare(
  baseline: SupportBaseline | undefined,
  minCases: number,
  kind: "none" | "shared" | "unexplained" = "none",
): { share: number; cases: number; unsupported: number } | null {
  if (baseline === undefined || baseline.cases < minCases || baseline.cases === 0) return null;
  const unsupported =
    kind === "none"
      ? baseline.unsupported
      : kind === "shared"
        ? baseline.shared
        : baseline.unsupported - (baseline.explained ?? 0);
  return { share: unsupported / baseline.cases, cases: baseline.cases, unsupported };
}

/**
 * Of the codings without evidence where the diagnosis decided the group (share u of those codings),
 * the share the region's habit (share p where it did not decide) does not explain: the excess
 * (u − p) over u, scaled to the codings with evidence, (u − p) ÷ (u × (1 − p)). 0 when u ≤ p (no
 * excess) or p = 1 (the rule's diagnoses never carry evidence); 1 when p = 0 < u.
 */
export function unexplainedShare(p: number, u: number): number {
  if (p >= 1 || u <= p) return 0;
  return (u - p) / (u * (1 - p));
}
