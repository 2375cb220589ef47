/** Shared helpers of the per-stay detectors: the stay's 诊疗依据 index, names, fees, regrouping. */

import { type GroupingRecord, type GroupResult, groupRecord } from "@yibao/grouper";
import type { AuditContext } from "./context.js";
import type { AuditStay, DetailItem } from "./model.js";
import {
  type DiagnosisSupportBase,
  presentClasses,
  type SupportFinding,
  supportClassName,
} from "./support.js";

/** The stay's detail items indexed by the knowledge base's support classes; null without details. */
export interface StaySupport {
  readonly kb: DiagnosisSupportBase;
  readonly present: ReadonlyMap<string, readonly DetailItem[]>;
}

const supportCache = new WeakMap<AuditStay, StaySupport | null>();

/** 诊疗依据 index of a stay: null when the stay has no detail items or the knowledge has no support data. */
export function staySupport(s: AuditStay, ctx: AuditContext): StaySupport | null {
  const kb = ctx.knowledge.diagnosisSupport;
  if (kb === undefined || s.details === undefined || s.details.length === 0) return null;
  let v = supportCache.get(s);
  if (v === undefined || (v !== null && v.kb !== kb)) {
    v = { kb, present: presentClasses(kb, s.details) };
    supportCache.set(s, v);
  }
  return v;
}

export function classNames(kb: DiagnosisSupportBase, ids: readonly string[]): string {
  return ids.map((k) => supportClassName(kb, k)).join("、");
}

export function itemsText(f: SupportFinding): string {
  return f.items.map((d) => `${d.date} ${d.name}（${d.code}）`).join("；");
}

export function catName(ctx: AuditContext, c: string): string {
  return ctx.knowledge.feeCategoryNames[c] ?? c;
}

export function dxName(ctx: AuditContext, code: string): string {
  const n = ctx.scheme.diagnoses.name(code);
  return n === undefined ? code : `${code}（${n}）`;
}

export function pxName(ctx: AuditContext, code: string): string {
  const n = ctx.scheme.procedures.name(code);
  return n === undefined ? code : `${code}（${n}）`;
}

export function fee(s: AuditStay, category: string): number {
  let t = 0;
  for (const f of s.fees) if (f.category === category) t += f.amount;
  return t;
}

export function regroup(
  ctx: AuditContext,
  r: GroupingRecord,
  diagnoses: readonly string[],
  procedures: readonly string[],
): GroupResult {
  return groupRecord(ctx.scheme, { ...r, diagnoses, procedures });
}

export function ratio(n: number): number {
  return Math.round(n * 100) / 100;
}
