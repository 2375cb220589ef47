/**
 * 诊断诊疗依据 (diagnosis support): the knowledge-base part that says which charged items show that a
 * diagnosis was diagnosed or treated during the stay, and its lookups over a stay's detail items
 * (费用明细). Linear in the stay's detail lines; the class index is built once per knowledge version.
 */
import type { DetailItem } from "./model.js";

/** 支持项目类别: a class of service items (by code) or drugs (by 医保药品编码 prefix). */
export interface SupportItemClass {
  readonly id: string;
  /** Chinese name shown in evidence. */
  readonly name: string;
  readonly codes: readonly string[];
  readonly prefixes?: readonly string[];
}

/** The supporting classes of a diagnosis category (ICD-10 code prefix): any one of them supports it. */
export interface DiagnosisSupportRule {
  readonly prefix: string;
  readonly name: string;
  readonly classes: readonly string[];
}

/** Fallback by ICD-10 chapter range (类目 from–to inclusive). */
export interface ChapterSupportRule {
  readonly from: string;
  readonly to: string;
  readonly name: string;
  readonly classes: readonly string[];
}

/** 诊断诊疗依据知识: one version. */
export interface DiagnosisSupportBase {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly classes: readonly SupportItemClass[];
  readonly diagnoses: readonly DiagnosisSupportRule[];
  readonly chapterFallbacks: readonly ChapterSupportRule[];
  /** Drug names of injectable forms (注射剂). */
  readonly injectableNamePatterns: readonly string[];
  /** Drug names of oral forms (口服制剂). */
  readonly oralNamePatterns: readonly string[];
  readonly sources: readonly string[];
}

/** The support rule a diagnosis falls under. */
export interface SupportRuleOf {
  readonly name: string;
  readonly classes: readonly string[];
  /** `diagnosis`: a category rule; `chapter`: the chapter fallback. */
  readonly source: "diagnosis" | "chapter";
  readonly key: string;
}

/** What the details show for one diagnosis. */
export interface SupportFinding {
  readonly rule: SupportRuleOf;
  /** Class ids present among the details. */
  readonly presentClasses: readonly string[];
  /** Up to 5 supporting items found. */
  readonly items: readonly DetailItem[];
  readonly supported: boolean;
}

interface Compiled {
  readonly byCode: Map<string, string[]>;
  /** Classes of each item code seen so far (by code and prefix), filled on first use. */
  readonly ofItem: Map<string, readonly string[]>;
  /** Prefix → class ids, longest first when matched. */
  readonly prefixes: readonly (readonly [string, string])[];
  readonly dxPrefixes: readonly DiagnosisSupportRule[];
  readonly classNames: Map<string, string>;
}

const compiled = new WeakMap<DiagnosisSupportBase, Compiled>();

function compile(base: DiagnosisSupportBase): Compiled {
  let c = compiled.get(base);
  if (c !== undefined) return c;
  const byCode = new Map<string, string[]>();
  const prefixes: [string, string][] = [];
  const classNames = new Map<string, string>();
  for (const k of base.classes) {
    classNames.set(k.id, k.name);
    for (const code of k.codes) {
      const l = byCode.get(code);
      if (l === undefined) byCode.set(code, [k.id]);
      else l.push(k.id);
    }
    for (const p of k.prefixes ?? []) prefixes.push([p, k.id]);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  const dxPrefixes = [...base.diagnoses].sort((a, b) => b.prefix.length - a.prefix.length);
  c = { byCode, ofItem: new Map(), prefixes, dxPrefixes, classNames };
  compiled.set(base, c);
  return c;
}

/** Validates the knowledge: every class referenced exists, ids unique. Throws `Error` naming the entry. */
export function validateDiagnosisSupport(base: DiagnosisSupportBase): DiagnosisSupportBase {
  const ids = new Set<string>();
  for (const k of base.classes) {
    if (ids.has(k.id)) throw new Error(`诊疗依据知识 ${base.id}：项目类别 ${k.id} 重复`);
    if (k.codes.length === 0 && (k.prefixes ?? []).length === 0)
      throw new Error(`诊疗依据知识 ${base.id}：项目类别 ${k.id} 无项目`);
    ids.add(k.id);
  }
  for (const r of [...base.diagnoses, ...base.chapterFallbacks]) {
    for (const k of r.classes)
      if (!ids.has(k)) throw new Error(`诊疗依据知识 ${base.id}：${r.name} 引用了不存在的项目类别 ${k}`);
  }
  return base;
}

/** The support rule of a diagnosis: the longest category prefix, else its chapter; null when none. */
export function supportRuleOf(base: DiagnosisSupportBase, code: string): SupportRuleOf | null {
  const c = compile(base);
  for (const r of c.dxPrefixes) {
    if (code.startsWith(r.prefix))
      return { name: r.name, classes: r.classes, source: "diagnosis", key: r.prefix };
  }
  const cat = code.slice(0, 3);
  for (const r of base.chapterFallbacks) {
    if (cat >= r.from && cat <= r.to)
      return { name: r.name, classes: r.classes, source: "chapter", key: `${r.from}-${r.to}` };
  }
  return null;
}

/** Item classes of one charged item (by code, else by the longest matching prefix). */
export function classesOfItem(base: DiagnosisSupportBase, code: string): readonly string[] {
  const c = compile(base);
  const known = c.ofItem.get(code);
  if (known !== undefined) return known;
  const direct = c.byCode.get(code);
  const out: string[] = direct === undefined ? [] : direct.slice();
  for (const [p, id] of c.prefixes) if (code.startsWith(p) && !out.includes(id)) out.push(id);
  c.ofItem.set(code, out);
  return out;
}

/** Chinese name of an item class. */
export function supportClassName(base: DiagnosisSupportBase, id: string): string {
  return compile(base).classNames.get(id) ?? id;
}

/** The classes present in a stay's details (class id → items), computed once per stay. */
export function presentClasses(
  base: DiagnosisSupportBase,
  details: readonly DetailItem[],
): Map<string, DetailItem[]> {
  const m = new Map<string, DetailItem[]>();
  for (const d of details) {
    if (d.amount <= 0) continue;
    for (const id of classesOfItem(base, d.code)) {
      const l = m.get(id);
      if (l === undefined) m.set(id, [d]);
      else l.push(d);
    }
  }
  return m;
}

/** Whether the details support a diagnosis; null when the knowledge base has no rule for it. */
export function supportOf(
  base: DiagnosisSupportBase,
  code: string,
  present: ReadonlyMap<string, readonly DetailItem[]>,
): SupportFinding | null {
  const rule = supportRuleOf(base, code);
  if (rule === null) return null;
  const classes: string[] = [];
  const items: DetailItem[] = [];
  for (const k of rule.classes) {
    const l = present.get(k);
    if (l === undefined || l.length === 0) continue;
    classes.push(k);
    for (const d of l) if (items.length < 5 && !items.includes(d)) items.push(d);
  }
  return { rule, presentClasses: classes, items, supported: classes.length > 0 };
}

/** 注射剂 by the drug name patterns of the knowledge base. */
export function isInjectable(base: DiagnosisSupportBase, name: string): boolean {
  for (const p of base.injectableNamePatterns) if (name.includes(p)) return true;
  return false;
}

/** 口服制剂 by the drug name patterns (and not injectable). */
export function isOral(base: DiagnosisSupportBase, name: string): boolean {
  if (isInjectable(base, name)) return false;
  for (const p of base.oralNamePatterns) if (name.includes(p)) return true;
  return false;
}
