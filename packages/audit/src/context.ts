/** 审核上下文: everything an audit run reads, all of it data. */
import type { DrgScheme, SchemeCalendar } from "@yibao/grouper";
import type { AuditStay } from "./model.js";
import { EMPTY_NORMS, type GroupNorms } from "./norms.js";
import type { SettlementContext } from "./pricing.js";
import type { KnowledgeBase, RuleBase } from "./rules.js";
import type { SupportNorms } from "./support-norms.js";

export interface AuditContext {
  /** The scheme of a stay that names none (the one in force at the end of the range audited). */
  readonly scheme: DrgScheme;
  /** The region's schemes by date (分组方案切换), when it has several: a stay is checked under its own. */
  readonly schemes?: SchemeCalendar;
  /** The rule base in force for the period audited. */
  readonly rules: RuleBase;
  readonly knowledge: KnowledgeBase;
  /** The payment context (policies, weights, hospitals) used to re-settle. */
  readonly settlement: SettlementContext;
  /** Group norms learned from the region's history. */
  readonly norms: GroupNorms;
  /**
   * The norms of each scheme edition apart (`learnNormsByScheme`), when the stays name their schemes:
   * a stay is then compared with the stays of its own scheme only (a scheme with none: no norms).
   */
  readonly normsByScheme?: ReadonlyMap<string, GroupNorms>;
  /**
   * 诊疗依据常模 learnt from the region's stays with detail items (`learnSupportNorms`): how often a
   * diagnosis is coded without its supporting items where it did not decide the group. Absent: the
   * detectors reading it abstain where it would be needed.
   */
  readonly supportNorms?: SupportNorms;
}

/** 相对权重 of a DRG under the policy in force on `date` (1.0 = 1), null when unknown. */
export function rwOf(ctx: AuditContext, drg: string, date: string, record: string): number | null {
  const w = ctx.settlement.policyAt(date, record).weights.byDrg.get(drg);
  return w === undefined ? null : w.rw / 1_000_000;
}

/** Mean cost of a DRG: the norm, else the weight table's average cost, else null. */
export function meanCostOf(ctx: AuditContext, drg: string, date: string, record: string): number | null {
  const n = ctx.norms.drgs.get(drg);
  if (n !== undefined) return n.meanCost;
  const w = ctx.settlement.policyAt(date, record).weights.byDrg.get(drg);
  return w?.avgCost ?? null;
}

/** The scheme that grouped the stay: its own when the context knows it, else the context's. */
export function schemeOf(ctx: AuditContext, stay: AuditStay): DrgScheme {
  if (stay.schemeId === undefined || stay.schemeId === ctx.scheme.id) return ctx.scheme;
  return ctx.schemes?.byId(stay.schemeId) ?? ctx.scheme;
}

const perScheme = new WeakMap<AuditContext, Map<string, AuditContext>>();

/**
 * The context a stay is checked in: the context itself, or with the stay's own scheme when it
 * differs and that scheme's own norms when they are kept apart.
 */
export function stayContext(ctx: AuditContext, stay: AuditStay): AuditContext {
  const scheme = schemeOf(ctx, stay);
  if (scheme === ctx.scheme && ctx.normsByScheme === undefined) return ctx;
  let m = perScheme.get(ctx);
  if (m === undefined) {
    m = new Map();
    perScheme.set(ctx, m);
  }
  let c = m.get(scheme.id);
  if (c === undefined) {
    const norms = ctx.normsByScheme ? (ctx.normsByScheme.get(scheme.id) ?? EMPTY_NORMS) : ctx.norms;
    c = { ...ctx, scheme, norms };
    m.set(scheme.id, c);
  }
  return c;
}

const categoryIndex = new WeakMap<DrgScheme, Map<string, string[]>>();

/** Diagnoses of the scheme by 3-character category (类目). */
export function diagnosesByCategory(scheme: DrgScheme): Map<string, string[]> {
  let m = categoryIndex.get(scheme);
  if (m === undefined) {
    m = new Map();
    for (const code of scheme.diagnoses.codes()) {
      const k = code.slice(0, 3);
      let list = m.get(k);
      if (list === undefined) {
        list = [];
        m.set(k, list);
      }
      list.push(code);
    }
    categoryIndex.set(scheme, m);
  }
  return m;
}
