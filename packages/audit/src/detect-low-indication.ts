/** 低指征住院: admissions that outpatient care could have handled. */

import { type AuditContext, meanCostOf } from "./context.js";
import { catName, ratio } from "./detect-stay-shared.js";
import { type Finding, stayFinding, UNPRICED_NOTE, yuan } from "./finding.js";
import type { AuditStay } from "./model.js";
import { paymentStay, priceOrNull } from "./pricing.js";
import { ruleOf } from "./rules.js";

function isMedicalAdrg(adrg: string | null): boolean {
  if (adrg === null || adrg.length < 2) return false;
  const c = adrg.charCodeAt(1);
  return c >= 82; // R–Z: 内科组
}

/** 低指征住院: a short stay with only exams, labs, oral drugs and basic care. */
export function detectLowIndication(s: AuditStay, ctx: AuditContext): Finding | null {
  const rule = ruleOf(ctx.rules, "low_indication");
  if (rule === undefined || s.los > rule.check.maxLos || s.totalCost <= 0) return null;
  const c = rule.check;
  if (
    c.outpatientAdrgs.length > 0
      ? !c.outpatientAdrgs.includes(s.group.adrg ?? "")
      : !isMedicalAdrg(s.group.adrg)
  )
    return null;
  let other = 0;
  for (const f of s.fees) if (!c.allowedCategories.includes(f.category)) other += f.amount;
  if (other / s.totalCost > c.maxOtherShare) return null;
  const mean = meanCostOf(ctx, s.group.drg, s.dischargeDate, s.id);
  if (mean === null || s.totalCost / mean > c.maxCostRatio) return null;
  const full = priceOrNull([paymentStay(s)], [], ctx.settlement);
  const pricing =
    full === null || c.lossShare >= 1
      ? full
      : {
          ...full,
          correctedFund: full.originalFund - Math.round(full.originalFund * c.lossShare),
          fundLoss: Math.round(full.originalFund * c.lossShare),
        };
  const cats = s.fees.filter((f) => f.amount > 0).map((f) => catName(ctx, f.category));
  return stayFinding(rule, s, {
    message: `疑似低指征住院：住院 ${s.los} 天，费用仅为${cats.join("、")}，可在门诊治疗；${pricing === null ? UNPRICED_NOTE : `住院医保支付 ${yuan(Math.max(0, pricing.fundLoss))} 元计为损失`}`,
    evidence: [
      {
        text: `住院 ${s.los} 天，无手术及治疗，检查检验、口服药与基础费用以外的费用占比 ${ratio(other / s.totalCost)}`,
        fields: { los: s.los, categories: cats, otherShare: ratio(other / s.totalCost) },
      },
      {
        text: `总费用 ${yuan(s.totalCost)} 元，为 ${s.group.drg} 组均费用 ${yuan(mean)} 元的 ${ratio(s.totalCost / mean)} 倍`,
        fields: { totalCost: s.totalCost, meanCost: mean, drg: s.group.drg },
      },
    ],
    pricing,
  });
}
