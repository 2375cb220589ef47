import { SEX_NAMES } from "@yibao/kernel/sex";
import type { DrgScheme } from "./scheme.js";
import type { NumberRange, Predicate } from "./scheme-source.js";
import type { GroupingRecord } from "./types.js";

function range(r: NumberRange, unit: string): string {
  const parts: string[] = [];
  if (r.eq !== undefined) parts.push(`= ${r.eq}${unit}`);
  if (r.min !== undefined) parts.push(`≥ ${r.min}${unit}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}${unit}`);
  if (r.below !== undefined) parts.push(`< ${r.below}${unit}`);
  return parts.join(" 且 ");
}

function codeLabel(scheme: DrgScheme, code: string | undefined, kind: "dx" | "px"): string {
  if (code === undefined || code === "") return "（无）";
  const name = kind === "dx" ? scheme.diagnoses.name(code) : scheme.procedures.name(code);
  return name ? `${code}（${name}）` : code;
}

/** A Chinese description of a grouping condition, naming the record's own codes where useful. */
export function describePredicate(scheme: DrgScheme, p: Predicate, r: GroupingRecord): string {
  if ("always" in p) return "无附加条件";
  if ("all" in p) return p.all.map((q) => describePredicate(scheme, q, r)).join("，且");
  if ("any" in p) return `（${p.any.map((q) => describePredicate(scheme, q, r)).join("，或")}）`;
  if ("not" in p) return `非（${describePredicate(scheme, p.not, r)}）`;
  if ("pdxIn" in p) return `主要诊断 ${codeLabel(scheme, r.diagnoses[0], "dx")} 属于列表 ${p.pdxIn}`;
  if ("anyDxIn" in p) return `有诊断属于列表 ${p.anyDxIn}`;
  if ("ppxIn" in p) return `主要手术操作 ${codeLabel(scheme, r.procedures[0], "px")} 属于列表 ${p.ppxIn}`;
  if ("anyPxIn" in p) return `有手术操作属于列表 ${p.anyPxIn}`;
  if ("ageYears" in p) return `年龄 ${range(p.ageYears, " 岁")}`;
  if ("ageDays" in p) return `日龄 ${range(p.ageDays, " 天")}`;
  if ("sex" in p) return `性别为${SEX_NAMES[p.sex]}`;
  if ("birthWeight" in p) return `出生体重 ${range(p.birthWeight, " 克")}`;
  if ("regionsAtLeast" in p) {
    return `诊断涉及至少 ${p.regionsAtLeast.min} 个部位（${p.regionsAtLeast.lists.join("、")}）`;
  }
  if ("traumaDiagnosesAtLeast" in p) {
    return `至少 ${p.traumaDiagnosesAtLeast.min} 个创伤诊断属于（${p.traumaDiagnosesAtLeast.lists.join("、")}）`;
  }
  if ("hasMcc" in p) return "伴严重并发症或合并症（MCC）";
  if ("hasCcOrMcc" in p) return "伴并发症或合并症（CC 或 MCC）";
  return JSON.stringify(p);
}
