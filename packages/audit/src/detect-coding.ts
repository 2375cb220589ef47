/**
 * Coding detectors (编码类): upcoding by a secondary or the principal diagnosis (低码高编), downcoding
 * into a high outlier (高码低编) and intentional ambiguity (有意歧义).
 */
import { type GroupResult, groupRecord } from "@yibao/grouper";
import { type AuditContext, diagnosesByCategory, meanCostOf, rwOf } from "./context.js";
import {
  catName,
  classNames,
  dxName,
  fee,
  itemsText,
  pxName,
  ratio,
  regroup,
  type StaySupport,
  staySupport,
} from "./detect-stay-shared.js";
import { type Finding, stayFinding, yuan } from "./finding.js";
import type { AuditStay, Evidence } from "./model.js";
import { lossText, paymentStay, priceOrNull, recodedStay, type StaySettlement, settleAs } from "./pricing.js";
import { supportedAlternative } from "./principal-swap.js";
import { ruleOf } from "./rules.js";
import { type SupportFinding, supportOf, supportRuleOf } from "./support.js";
import { unexplainedShare, unsupportedShare } from "./support-norms.js";

/** 虚假诊断/多编诊断: a counted CC/MCC raises the group, but the cost fits the lower group. */
export function detectUpcodingSecondary(s: AuditStay, ctx: AuditContext): Finding | null {
  const rule = ruleOf(ctx.rules, "upcoding_secondary");
  if (rule === undefined || s.group.status !== "OK" || s.record.diagnoses.length < 2) return null;
  let hasCc = false;
  for (let i = 1; i < s.record.diagnoses.length; i++) {
    if (ctx.scheme.ccLevel(s.record.diagnoses[i] as string) !== undefined) hasCc = true;
  }
  if (!hasCc) return null;
  const explained = groupRecord(ctx.scheme, s.record, { explain: true });
  const counted: string[] = [];
  for (const r of explained.reasons ?? []) {
    if (r.stage === "cc" && r.code !== undefined && r.message.endsWith("，计入")) counted.push(r.code);
  }
  const rw = rwOf(ctx, s.group.drg, s.dischargeDate, s.id);
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  if (rw === null) return null;
  const sup = staySupport(s, ctx);
  if (sup !== null) return upcodingByDetails(s, ctx, rule, sup, counted, explained, rw);
  if (mean === null || (rule.check.withoutDetails ?? "abstain") === "abstain") return null;
  for (const code of counted) {
    const dx = s.record.diagnoses.filter((d, i) => i === 0 || d !== code);
    const g = regroup(ctx, s.record, dx, s.record.procedures);
    if (g.status !== "OK" || g.adrg !== s.group.adrg) continue;
    const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
    const mean2 = meanCostOf(ctx, g.drg, s.dischargeDate, s.id);
    if (rw2 === null || mean2 === null || rw2 >= rw || mean <= mean2) continue;
    const support = (s.totalCost - mean2) / (mean - mean2);
    if (support > rule.check.maxSupport) continue;
    const level = ctx.scheme.ccLevel(code) ?? "CC";
    const pricing = priceOrNull([paymentStay(s)], [recodedStay(s, g.drg, dx)], ctx.settlement);
    const evidence: Evidence[] = [
      {
        text: `次要诊断 ${dxName(ctx, code)} 为 ${level}，使病例由 ${g.drg}（权重 ${rw2.toFixed(2)}）入 ${s.group.drg}（权重 ${rw.toFixed(2)}）`,
        fields: {
          diagnosis: code,
          level,
          groupWith: s.group.drg,
          groupWithout: g.drg,
          rwWith: rw,
          rwWithout: rw2,
        },
      },
      {
        text: `病例总费用 ${yuan(s.totalCost)} 元，${g.drg} 组均费用 ${yuan(mean2)} 元，${s.group.drg} 组均费用 ${yuan(mean)} 元：费用未体现该并发症的诊疗（支持度 ${ratio(support)}）`,
        fields: { totalCost: s.totalCost, meanWithout: mean2, meanWith: mean, support: ratio(support) },
      },
    ];
    for (const r of explained.reasons ?? []) {
      if (r.stage === "cc" && r.code === code)
        evidence.push({ text: `分组依据：${r.message}`, fields: { stage: "cc" } });
    }
    return stayFinding(rule, s, {
      message: `疑似虚假或多编次要诊断 ${dxName(ctx, code)}：去除后入 ${g.drg}，${lossText(pricing)}`,
      evidence,
      pricing,
    });
  }
  return null;
}

/** The region's habit of coding a principal diagnosis's rule without 诊疗依据 (诊疗依据常模), as read. */
interface Habit {
  readonly share: number;
  readonly cases: number;
  readonly unsupported: number;
  readonly ceiling: number;
}

/**
 * Whether a principal diagnosis of support rule `key` without evidence is unusual in the region:
 * null when the check sets no ceiling or the region has too few such diagnoses to learn its habit
 * (then the knowledge base's category rules judge alone, as without norms), false when the region
 * codes them without evidence, unexplained by a swap, more often than the ceiling (abstain), else
 * the habit read.
 */
function principalHabit(
  ctx: AuditContext,
  key: string,
  check: { readonly maxBaselineUnsupported?: number; readonly minBaselineCases?: number },
): Habit | null | false {
  const ceiling = check.maxBaselineUnsupported;
  if (ceiling === undefined) return null;
  const norms = ctx.supportNorms;
  if (norms === undefined) return null;
  const h = unsupportedShare(norms.principal.get(key), check.minBaselineCases ?? 30, "unexplained");
  if (h === null) return null;
  if (h.share > ceiling) return false;
  return { ...h, ceiling };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function habitEvidence(h: Habit, ruleName: string): Evidence {
  return {
    text: `诊疗依据常模：本地区主要诊断属「${ruleName}」者 ${h.cases} 例，无诊疗依据且无近似诊断可解释的 ${h.unsupported} 例（${pct(h.share)}，不超过 ${pct(h.ceiling)}），缺少依据不属常见`,
    fields: {
      baselineCases: h.cases,
      baselineUnsupported: h.unsupported,
      baselineShare: ratio4(h.share),
      ceiling: h.ceiling,
    },
  };
}

/**
 * The region's excess of secondary diagnoses of a rule without 诊疗依据 where they decide the group
 * (u of them) over where they do not (p): the share of the deciding ones without evidence that the
 * region's habit does not explain, (u − p) ÷ (u × (1 − p)).
 */
interface Excess {
  readonly share: number;
  readonly baseCases: number;
  readonly baseUnsupported: number;
  readonly decidingCases: number;
  readonly decidingUnsupported: number;
  /** Whether the excess alone suffices, or the cost must also fit the lower group. */
  readonly needsCost: boolean;
  /** `none`: no item of the rule's classes; `shared`: only items that are the principal's evidence too. */
  readonly kind: "none" | "shared";
}

/**
 * How a secondary diagnosis of support rule `key` without evidence is judged: null when the check
 * reads no habit or the region has too few codings to learn it (missing evidence counts as such, as
 * without norms), false when it is not judged (an excess below the lower threshold), else the
 * excess read.
 */
function secondaryExcess(
  ctx: AuditContext,
  key: string,
  kind: "none" | "shared",
  check: {
    readonly minUnexplainedShare?: number;
    readonly minUnexplainedShareWithCost?: number;
    readonly minBaselineCases?: number;
  },
): Excess | null | false {
  const alone = check.minUnexplainedShare;
  if (alone === undefined) return null;
  const norms = ctx.supportNorms;
  const base =
    norms === undefined
      ? null
      : unsupportedShare(norms.secondary.get(key), check.minBaselineCases ?? 30, kind);
  const deciding = norms === undefined ? null : unsupportedShare(norms.deciding.get(key), 1, kind);
  if (base === null || deciding === null) return null;
  // A stay judged outside the history (a precheck) is itself one deciding coding without evidence.
  const decidingUnsupported = Math.max(1, deciding.unsupported);
  const decidingCases = Math.max(deciding.cases, decidingUnsupported);
  const share = unexplainedShare(base.share, decidingUnsupported / decidingCases);
  const withCost = check.minUnexplainedShareWithCost ?? alone;
  if (share < Math.min(alone, withCost)) return false;
  return {
    share,
    baseCases: base.cases,
    baseUnsupported: base.unsupported,
    decidingCases,
    decidingUnsupported,
    needsCost: share < alone,
    kind,
  };
}

function excessEvidence(e: Excess, ruleName: string): Evidence {
  const p = e.baseUnsupported / e.baseCases;
  const u = e.decidingUnsupported / e.decidingCases;
  const what = e.kind === "none" ? "无诊疗依据" : "仅见主要诊断的诊疗依据";
  return {
    text: `诊疗依据常模：本地区次要诊断属「${ruleName}」者，未影响分组时 ${e.baseCases} 例中${what} ${e.baseUnsupported} 例（${pct(p)}），使病例入更高组时 ${e.decidingCases} 例中${what} ${e.decidingUnsupported} 例（${pct(u)}）；后者超出常模的部分约占 ${pct(e.share)}${e.needsCost ? "，须费用亦与低权重组相符" : ""}`,
    fields: {
      baselineCases: e.baseCases,
      baselineUnsupported: e.baseUnsupported,
      decidingCases: e.decidingCases,
      decidingUnsupported: e.decidingUnsupported,
      excessShare: ratio4(e.share),
      needsCost: e.needsCost,
      evidenceKind: e.kind,
    },
  };
}

function ratio4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * 虚假/多编诊断 by the knowledge base: the counted CC/MCCs with none of their supporting item classes
 * among the detail charges are removed together; when the stay then groups into a lower-weight DRG,
 * each of them is a coded comorbidity without 诊疗依据 that raised the group.
 */
function upcodingByDetails(
  s: AuditStay,
  ctx: AuditContext,
  rule: NonNullable<ReturnType<typeof ruleOf<"upcoding_secondary">>>,
  sup: StaySupport,
  counted: readonly string[],
  explained: GroupResult,
  rw: number,
): Finding | null {
  const pdx = s.record.diagnoses[0] as string;
  const principal = rule.check.principalEvidenceExplains === true ? supportRuleOf(sup.kb, pdx) : null;
  let unsupported: { code: string; f: SupportFinding; shared: readonly string[]; excess: Excess | null }[] =
    [];
  for (const code of counted) {
    const f = supportOf(sup.kb, code, sup.present);
    if (f === null) continue;
    let shared: readonly string[] | null = null;
    if (!f.supported) shared = [];
    else if (
      principal !== null &&
      principal.key !== f.rule.key &&
      f.presentClasses.every((k) => principal.classes.includes(k))
    )
      // Every item found for it is also 诊疗依据 of the principal diagnosis: no evidence of its own.
      shared = f.presentClasses;
    if (shared === null) continue;
    const excess = secondaryExcess(ctx, f.rule.key, shared.length === 0 ? "none" : "shared", rule.check);
    if (excess === false) continue;
    unsupported.push({ code, f, shared, excess });
  }
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  let lower = lowerGroup(s, ctx, unsupported, rw);
  const needsCost = (u: (typeof unsupported)[number]): boolean =>
    u.excess !== null && (u.excess.needsCost || u.shared.length > 0);
  if (lower !== null && unsupported.some(needsCost)) {
    // A diagnosis the region often codes without evidence, or one whose items are all also those of
    // the principal diagnosis (a sepsis treated with the pneumonia's antibiotics), counts only when
    // the cost fits the lower group too: its position between the two averages at most `maxSupport`.
    const position =
      mean === null || lower.mean2 === null || mean <= lower.mean2
        ? null
        : (s.totalCost - lower.mean2) / (mean - lower.mean2);
    if (position === null || position > rule.check.maxSupport) {
      unsupported = unsupported.filter((u) => !needsCost(u));
      lower = lowerGroup(s, ctx, unsupported, rw);
    }
  }
  if (lower === null) return null;
  const { dx, g, rw2, mean2 } = lower;
  const pricing = priceOrNull([paymentStay(s)], [recodedStay(s, g.drg, dx)], ctx.settlement);
  const codes = unsupported.map((u) => u.code);
  const evidence: Evidence[] = [];
  for (const { code, f, shared, excess } of unsupported) {
    const level = ctx.scheme.ccLevel(code) ?? "CC";
    if (excess !== null) evidence.push(excessEvidence(excess, f.rule.name));
    evidence.push({
      text:
        shared.length === 0
          ? `次要诊断 ${dxName(ctx, code)} 为 ${level}；知识库「${f.rule.name}」的诊疗依据（${classNames(sup.kb, f.rule.classes)}）在费用明细 ${s.details?.length ?? 0} 条中均未见`
          : `次要诊断 ${dxName(ctx, code)} 为 ${level}；费用明细中仅见${classNames(sup.kb, shared)}（${itemsText(f)}），均为主要诊断 ${dxName(ctx, pdx)} 的诊疗依据，无该诊断本身的诊疗依据（知识库「${f.rule.name}」：${classNames(sup.kb, f.rule.classes)}）`,
      fields: {
        diagnosis: code,
        level,
        knowledge: f.rule.key,
        knowledgeSource: f.rule.source,
        requiredClasses: f.rule.classes,
        detailLines: s.details?.length ?? 0,
        sharedWithPrincipal: shared,
      },
    });
  }
  evidence.push({
    text: `去除无诊疗依据的次要诊断后由 ${s.group.drg}（权重 ${rw.toFixed(2)}）入 ${g.drg}（权重 ${rw2.toFixed(2)}）`,
    fields: { groupWith: s.group.drg, groupWithout: g.drg, rwWith: rw, rwWithout: rw2, removed: codes },
  });
  if (mean !== null && mean2 !== null) {
    evidence.push({
      text: `病例总费用 ${yuan(s.totalCost)} 元；${g.drg} 组均 ${yuan(mean2)} 元，${s.group.drg} 组均 ${yuan(mean)} 元`,
      fields: { totalCost: s.totalCost, meanWithout: mean2, meanWith: mean },
    });
  }
  for (const r of explained.reasons ?? []) {
    if (r.stage === "cc" && r.code !== undefined && codes.includes(r.code))
      evidence.push({ text: `分组依据：${r.message}`, fields: { stage: "cc" } });
  }
  return stayFinding(rule, s, {
    message: `疑似虚假或多编次要诊断 ${codes.map((c) => dxName(ctx, c)).join("、")}：费用明细中无${unsupported.some((u) => u.shared.length > 0) ? "该诊断本身的" : "相应"}诊疗依据，去除后入 ${g.drg}，${lossText(pricing)}`,
    evidence,
    pricing,
  });
}

/** The group without the given secondary diagnoses, when it is OK, another DRG and of lower weight. */
function lowerGroup(
  s: AuditStay,
  ctx: AuditContext,
  removed: readonly { readonly code: string }[],
  rw: number,
): { dx: string[]; g: GroupResult; rw2: number; mean2: number | null } | null {
  if (removed.length === 0) return null;
  const drop = new Set(removed.map((u) => u.code));
  const dx = s.record.diagnoses.filter((d, i) => i === 0 || !drop.has(d));
  const g = regroup(ctx, s.record, dx, s.record.procedures);
  if (g.status !== "OK" || g.drg === s.group.drg) return null;
  const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
  if (rw2 === null || rw2 >= rw) return null;
  return { dx, g, rw2, mean2: meanCostOf(ctx, g.drg, s.dischargeDate, s.id) };
}

/**
 * 升级诊断 by the knowledge base: the uploaded principal diagnosis has none of its supporting items,
 * while a near code (same category, or a frequent principal of another ADRG of the MDC) has its own
 * and groups the stay into a lower-weight DRG.
 */
function principalByDetails(
  s: AuditStay,
  ctx: AuditContext,
  rule: NonNullable<ReturnType<typeof ruleOf<"upcoding_principal">>>,
  sup: StaySupport,
  rw: number,
): Finding | null {
  const pdx = s.record.diagnoses[0] as string;
  const own = supportOf(sup.kb, pdx, sup.present);
  if (own === null || own.supported) return null;
  const habit = principalHabit(ctx, own.rule.key, rule.check);
  // Without the region's habit only a category rule is specific enough to read absence as evidence.
  if (habit === false || (habit === null && own.rule.source !== "diagnosis")) return null;
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  const best = supportedAlternative(s, ctx, sup, own, rw, {
    topPerAdrg: rule.check.topPrincipalsPerAdrg,
    chapters: habit !== null,
  });
  if (best === null) return null;
  const pricing = priceOrNull(
    [paymentStay(s)],
    [recodedStay(s, best.g.drg, [best.code, ...s.record.diagnoses.slice(1)])],
    ctx.settlement,
  );
  return stayFinding(rule, s, {
    message: `疑似升级主要诊断：主要诊断 ${dxName(ctx, pdx)} 无诊疗依据，费用明细支持近似诊断 ${dxName(ctx, best.code)}，按其入 ${best.g.drg}，${lossText(pricing)}`,
    evidence: [
      {
        text: `主要诊断 ${dxName(ctx, pdx)} 入 ${s.group.drg}（权重 ${rw.toFixed(2)}）；知识库「${own.rule.name}」的诊疗依据（${classNames(sup.kb, own.rule.classes)}）在费用明细中均未见`,
        fields: { principal: pdx, drg: s.group.drg, rw, requiredClasses: own.rule.classes },
      },
      {
        text: `近似诊断 ${dxName(ctx, best.code)} 的诊疗依据见于明细：${itemsText(best.f)}；按其入 ${best.g.drg}（权重 ${best.rw.toFixed(2)}）`,
        fields: {
          nearCode: best.code,
          nearDrg: best.g.drg,
          nearRw: best.rw,
          presentClasses: best.f.presentClasses,
          ownClasses: best.own,
          items: best.f.items.map((d) => d.code),
        },
      },
      ...(habit === null ? [] : [habitEvidence(habit, own.rule.name)]),
      ...(habit === null || mean === null ? [] : [fitEvidence(ctx, s, best.g.drg, mean)]),
    ],
    pricing,
  });
}

function fitEvidence(ctx: AuditContext, s: AuditStay, nearDrg: string, mean: number): Evidence {
  const mean2 = meanCostOf(ctx, nearDrg, s.dischargeDate, s.id) as number;
  return {
    text: `病例总费用 ${yuan(s.totalCost)} 元：${nearDrg} 组均 ${yuan(mean2)} 元，${s.group.drg} 组均 ${yuan(mean)} 元，费用与近似诊断的病组更相符`,
    fields: { totalCost: s.totalCost, nearMeanCost: mean2, meanCost: mean },
  };
}

/** 升级诊断: a near principal diagnosis gives a lower-weight group that fits the cost much better. */
export function detectUpcodingPrincipal(s: AuditStay, ctx: AuditContext): Finding | null {
  const rule = ruleOf(ctx.rules, "upcoding_principal");
  if (rule === undefined || s.group.status !== "OK" || s.group.mdc === null) return null;
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  const rw = rwOf(ctx, s.group.drg, s.dischargeDate, s.id);
  if (mean === null || rw === null || s.totalCost <= 0) return null;
  const sup = staySupport(s, ctx);
  if (sup !== null) return principalByDetails(s, ctx, rule, sup, rw);
  if ((rule.check.withoutDetails ?? "abstain") === "abstain") return null;
  const costRatio = s.totalCost / mean;
  if (costRatio > rule.check.maxCostRatio) return null;
  const pdx = s.record.diagnoses[0] as string;
  const near = new Set<string>(diagnosesByCategory(ctx.scheme).get(pdx.slice(0, 3)) ?? []);
  for (const adrg of ctx.norms.adrgsByMdc.get(s.group.mdc) ?? []) {
    if (adrg === s.group.adrg) continue;
    const top = ctx.norms.principalsByAdrg.get(adrg) ?? [];
    for (let i = 0; i < top.length && i < rule.check.topPrincipalsPerAdrg; i++) near.add(top[i] as string);
  }
  near.delete(pdx);
  const fit0 = Math.abs(Math.log(costRatio));
  let best: { code: string; g: GroupResult; mean: number; rw: number; fit: number } | null = null;
  for (const code of near) {
    if (s.record.diagnoses.includes(code)) continue;
    const dx = [code, ...s.record.diagnoses.slice(1)];
    const g = regroup(ctx, s.record, dx, s.record.procedures);
    if (g.status !== "OK") continue;
    const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
    const mean2 = meanCostOf(ctx, g.drg, s.dischargeDate, s.id);
    if (rw2 === null || mean2 === null || rw2 >= rw) continue;
    const fit = Math.abs(Math.log(s.totalCost / mean2));
    if (fit0 - fit >= rule.check.minFitGain && (best === null || fit < best.fit)) {
      best = { code, g, mean: mean2, rw: rw2, fit };
    }
  }
  if (best === null) return null;
  const pricing = priceOrNull(
    [paymentStay(s)],
    [recodedStay(s, best.g.drg, [best.code, ...s.record.diagnoses.slice(1)])],
    ctx.settlement,
  );
  return stayFinding(rule, s, {
    message: `疑似升级主要诊断：主要诊断 ${dxName(ctx, pdx)} 的费用与 ${best.g.drg} 相符，按近似诊断 ${dxName(ctx, best.code)} 入 ${best.g.drg}，${lossText(pricing)}`,
    evidence: [
      {
        text: `按上传主要诊断入 ${s.group.drg}（权重 ${rw.toFixed(2)}，组均费用 ${yuan(mean)} 元），病例总费用 ${yuan(s.totalCost)} 元，仅为组均的 ${ratio(costRatio)} 倍`,
        fields: { drg: s.group.drg, rw, meanCost: mean, totalCost: s.totalCost, costRatio: ratio(costRatio) },
      },
      {
        text: `近似诊断 ${dxName(ctx, best.code)} 入 ${best.g.drg}（权重 ${best.rw.toFixed(2)}，组均费用 ${yuan(best.mean)} 元），与实际费用更相符`,
        fields: { nearCode: best.code, nearDrg: best.g.drg, nearRw: best.rw, nearMeanCost: best.mean },
      },
    ],
    pricing,
  });
}

/**
 * 高码低编: 手术费 but no procedure code. Priced when the usual procedure of the principal diagnosis
 * regroups the stay into a higher-weight group where it is no longer a high outlier.
 */
export function detectDowncoding(s: AuditStay, ctx: AuditContext, uploaded: StaySettlement): Finding | null {
  const rule = ruleOf(ctx.rules, "downcoding_outlier");
  if (rule === undefined || s.record.procedures.length > 0) return null;
  const surgery = fee(s, rule.check.surgeryCategory);
  if (surgery < rule.check.minSurgeryFee) return null;
  // The pattern is a stay coded into a lower group where it becomes a high outlier (paid by items):
  // a stay paid its group's standard gains nothing from a missing procedure. A 手术费 without a
  // procedure code is common and honest elsewhere (接生费 of a vaginal delivery, bedside procedures).
  if (uploaded.category !== "highOutlier") return null;
  const pdx = s.record.diagnoses[0] as string;
  const px = ctx.norms.procedureByPrincipal.get(pdx);
  const evidence: Evidence[] = [
    {
      text: `病例${uploaded.category === "highOutlier" ? "为高倍率" : "未达高倍率"}（总费用 ${yuan(s.totalCost)} 元，高倍率界值 ${yuan(uploaded.highThreshold ?? 0)} 元），有${catName(ctx, rule.check.surgeryCategory)} ${yuan(surgery)} 元，但未填写任何手术操作`,
      fields: {
        totalCost: s.totalCost,
        highThreshold: uploaded.highThreshold,
        surgeryFee: surgery,
        procedures: 0,
      },
    },
  ];
  let pricing = null;
  let corrected = "";
  if (px !== undefined) {
    const g = regroup(ctx, s.record, s.record.diagnoses, [px]);
    const rw = rwOf(ctx, s.group.drg, s.dischargeDate, s.id);
    const rw2 = g.status === "OK" ? rwOf(ctx, g.drg, s.dischargeDate, s.id) : null;
    if (g.status === "OK" && rw !== null && rw2 !== null && rw2 > rw) {
      const alt = settleAs(s, g.drg, ctx.settlement);
      evidence.push({
        text: `按该诊断常规手术 ${pxName(ctx, px)} 补填后入 ${g.drg}（权重 ${rw2.toFixed(2)}），${alt.category === "highOutlier" ? "仍为高倍率" : `不再为高倍率（界值 ${yuan(alt.highThreshold ?? 0)} 元）`}`,
        fields: { procedure: px, correctedDrg: g.drg, correctedRw: rw2, correctedCategory: alt.category },
      });
      if (alt.category !== "highOutlier") {
        pricing = priceOrNull(
          [paymentStay(s)],
          [recodedStay(s, g.drg, s.record.diagnoses, [px])],
          ctx.settlement,
        );
        corrected = g.drg;
      }
    }
  }
  return stayFinding(rule, s, {
    message:
      corrected === ""
        ? `疑似高码低编：病例有手术费但未编码手术，需核实手术后重新分组`
        : `疑似高码低编：漏填手术使病例入低权重组并达高倍率，按 ${corrected} 重新结算${lossText(pricing)}`,
    evidence,
    pricing,
  });
}

/** 有意歧义: a QY case whose cost lies above the proper group's standard and below its high threshold. */
export function detectQyAmbiguity(s: AuditStay, ctx: AuditContext, uploaded: StaySettlement): Finding | null {
  const rule = ruleOf(ctx.rules, "qy_ambiguity");
  if (rule === undefined || s.group.status !== "AMBIGUOUS") return null;
  const px = s.record.procedures;
  for (let i = 0; i < px.length; i++) {
    const rest = px.filter((_, j) => j !== i);
    const g = regroup(ctx, s.record, s.record.diagnoses, rest);
    // A group without a weight cannot be priced: the removal proves nothing, try the next procedure.
    if (g.status !== "OK" || rwOf(ctx, g.drg, s.dischargeDate, s.id) === null) continue;
    const alt = settleAs(s, g.drg, ctx.settlement);
    if (alt.standard === null || alt.highThreshold === null) return null;
    if (!(s.totalCost > alt.standard && s.totalCost <= alt.highThreshold)) return null;
    const pricing = priceOrNull(
      [paymentStay(s)],
      [recodedStay(s, g.drg, s.record.diagnoses, rest)],
      ctx.settlement,
    );
    return stayFinding(rule, s, {
      message: `疑似有意歧义：手术 ${pxName(ctx, px[i] as string)} 与主要诊断 ${dxName(ctx, s.record.diagnoses[0] as string)} 不匹配，使病例进入 ${s.group.drg} 按比例结算；去除后入 ${g.drg}，${lossText(pricing)}`,
      evidence: [
        {
          text: `上传入歧义组 ${s.group.drg}，按 ${uploaded.category === "ambiguous" ? "歧义组比例" : uploaded.category} 结算 ${yuan(uploaded.drgPayment)} 元`,
          fields: { drg: s.group.drg, payment: uploaded.drgPayment },
        },
        {
          text: `去除手术 ${pxName(ctx, px[i] as string)} 后入 ${g.drg}：支付标准 ${yuan(alt.standard)} 元 < 总费用 ${yuan(s.totalCost)} 元 ≤ 高倍率界值 ${yuan(alt.highThreshold)} 元`,
          fields: {
            procedure: px[i] as string,
            correctedDrg: g.drg,
            standard: alt.standard,
            highThreshold: alt.highThreshold,
            totalCost: s.totalCost,
          },
        },
      ],
      pricing,
    });
  }
  return null;
}
