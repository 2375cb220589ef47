/** 违规收费跃迁: charges that move a stay across a settlement tier. */

import type { AuditContext } from "./context.js";
import { catName, fee, ratio } from "./detect-stay-shared.js";
import { type Finding, stayFinding, yuan } from "./finding.js";
import type { AuditStay } from "./model.js";
import { lossText, paymentStay, price, type StaySettlement, withoutCharges } from "./pricing.js";
import { ruleOf } from "./rules.js";

/** 违规收费跃迁: one category's excess over the group norm moves the stay across a tier. */
export function detectTierCrossing(
  s: AuditStay,
  ctx: AuditContext,
  uploaded: StaySettlement,
): Finding | null {
  const rule = ruleOf(ctx.rules, "tier_crossing");
  if (rule === undefined || s.group.status !== "OK" || s.totalCost <= 0) return null;
  if (uploaded.highThreshold === null || uploaded.lowThreshold === null) return null;
  const high = uploaded.category === "highOutlier";
  const normalAboveLow = uploaded.category === "normal" && uploaded.lowThreshold > 0;
  if (!high && !normalAboveLow) return null;
  const norm = ctx.norms.drgs.get(s.group.drg);
  if (norm === undefined || norm.cases < rule.check.minCases) return null;
  let best = "";
  let excess = 0;
  for (const f of s.fees) {
    const mu = norm.categoryShare.get(f.category) ?? 0;
    if (mu >= 0.95) continue;
    const rest = s.totalCost - f.amount;
    const usual = (mu * rest) / (1 - mu);
    const e = f.amount - usual;
    if (e > excess) {
      excess = e;
      best = f.category;
    }
  }
  excess = Math.round(excess);
  if (excess / s.totalCost < rule.check.minExcessShare) return null;
  const after = s.totalCost - excess;
  const crossed = high ? after <= uploaded.highThreshold : after < uploaded.lowThreshold;
  if (!crossed) return null;
  const pricing = price([paymentStay(s)], [withoutCharges(s, excess)], ctx.settlement);
  const from = high ? "正常倍率" : "低倍率";
  const to = high ? "高倍率" : "正常倍率";
  return stayFinding(rule, s, {
    message: `疑似违规收费跃迁：${catName(ctx, best)}超出同组常规 ${yuan(excess)} 元，使病例由${from}跃迁为${to}，${lossText(pricing)}`,
    evidence: [
      {
        text: `${catName(ctx, best)} 占总费用 ${ratio((s.totalCost - (s.totalCost - fee(s, best))) / s.totalCost)}，同组均值 ${ratio(norm.categoryShare.get(best) ?? 0)}，超出常规 ${yuan(excess)} 元`,
        fields: {
          category: best,
          amount: fee(s, best),
          groupShare: ratio(norm.categoryShare.get(best) ?? 0),
          excess,
        },
      },
      {
        text: `总费用 ${yuan(s.totalCost)} 元，剔除后 ${yuan(after)} 元；${high ? `高倍率界值 ${yuan(uploaded.highThreshold)}` : `低倍率界值 ${yuan(uploaded.lowThreshold)}`} 元`,
        fields: {
          totalCost: s.totalCost,
          corrected: after,
          highThreshold: uploaded.highThreshold,
          lowThreshold: uploaded.lowThreshold,
        },
      },
    ],
    pricing,
  });
}
