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
import { ruleOf } from "./rules.js";
import { type SupportFinding, supportOf, supportRuleOf } from "./support.js";

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
  const unsupported: { code: string; f: SupportFinding; shared: readonly string[] }[] = [];
  for (const code of counted) {
    const f = supportOf(sup.kb, code, sup.present);
    if (f === null) continue;
    if (!f.supported) unsupported.push({ code, f, shared: [] });
    else if (
      principal !== null &&
      principal.key !== f.rule.key &&
      f.presentClasses.every((k) => principal.classes.includes(k))
    )
      // Every item found for it is also 诊疗依据 of the principal diagnosis: no evidence of its own.
      unsupported.push({ code, f, shared: f.presentClasses });
  }
  if (unsupported.length === 0) return null;
  const drop = new Set(unsupported.map((u) => u.code));
  const dx = s.record.diagnoses.filter((d, i) => i === 0 || !drop.has(d));
  const g = regroup(ctx, s.record, dx, s.record.procedures);
  if (g.status !== "OK" || g.drg === s.group.drg) return null;
  const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
  if (rw2 === null || rw2 >= rw) return null;
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  const mean2 = meanCostOf(ctx, g.drg, s.dischargeDate, s.id);
  const pricing = priceOrNull([paymentStay(s)], [recodedStay(s, g.drg, dx)], ctx.settlement);
  const codes = unsupported.map((u) => u.code);
  const evidence: Evidence[] = [];
  for (const { code, f, shared } of unsupported) {
    const level = ctx.scheme.ccLevel(code) ?? "CC";
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
    if (r.stage === "cc" && r.code !== undefined && drop.has(r.code))
      evidence.push({ text: `分组依据：${r.message}`, fields: { stage: "cc" } });
  }
  return stayFinding(rule, s, {
    message: `疑似虚假或多编次要诊断 ${codes.map((c) => dxName(ctx, c)).join("、")}：费用明细中无${unsupported.some((u) => u.shared.length > 0) ? "该诊断本身的" : "相应"}诊疗依据，去除后入 ${g.drg}，${lossText(pricing)}`,
    evidence,
    pricing,
  });
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
  if (own === null || own.supported || own.rule.source !== "diagnosis") return null;
  const near = nearPrincipals(s, ctx, rule.check.topPrincipalsPerAdrg);
  let best: { code: string; g: GroupResult; rw: number; f: SupportFinding } | null = null;
  for (const code of near) {
    if (s.record.diagnoses.includes(code)) continue;
    const f = supportOf(sup.kb, code, sup.present);
    if (f === null || !f.supported || f.rule.source !== "diagnosis" || f.rule.key === own.rule.key) continue;
    const g = regroup(ctx, s.record, [code, ...s.record.diagnoses.slice(1)], s.record.procedures);
    if (g.status !== "OK") continue;
    const rw2 = rwOf(ctx, g.drg, s.dischargeDate, s.id);
    if (rw2 === null || rw2 >= rw) continue;
    if (
      best === null ||
      f.presentClasses.length > best.f.presentClasses.length ||
      (f.presentClasses.length === best.f.presentClasses.length && rw2 > best.rw)
    )
      best = { code, g, rw: rw2, f };
  }
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
          items: best.f.items.map((d) => d.code),
        },
      },
    ],
    pricing,
  });
}

function nearPrincipals(s: AuditStay, ctx: AuditContext, topPerAdrg: number): Set<string> {
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
