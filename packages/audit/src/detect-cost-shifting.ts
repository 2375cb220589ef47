/** 转嫁费用: costs shifted to the patient (医保转自费) or to outpatient care (住院转门诊). */

import type { AuditContext } from "./context.js";
import { fee, ratio } from "./detect-stay-shared.js";
import { type Finding, itemNames, stayFinding, UNPRICED_NOTE, yuan } from "./finding.js";
import type { AuditStay, DetailItem, Evidence } from "./model.js";
import { quantileOf } from "./norms.js";
import { paymentStay, priceOrNull } from "./pricing.js";
import { ruleOf } from "./rules.js";

/** 目录内项目按全自费收取: covered (甲类/乙类) detail lines the patient paid in full. */
function coveredOwnPay(s: AuditStay): { amount: number; lines: DetailItem[] } | null {
  if (s.details === undefined || s.details.length === 0) return null;
  let amount = 0;
  const lines: DetailItem[] = [];
  for (const d of s.details) {
    if ((d.chrgitmLv === "01" || d.chrgitmLv === "02") && (d.ownPayAmount ?? 0) > 0) {
      amount += d.ownPayAmount ?? 0;
      lines.push(d);
    }
  }
  return { amount, lines };
}

/**
 * 转嫁费用: 医保转自费 — covered items billed as 全自费 (with details), else an own-pay share far above
 * the group; 住院转门诊 — large pre-admission outpatient spending with the stay's exams and labs below
 * the group (with linked outpatient data), else exams and labs far below the group.
 */
export function detectCostShifting(s: AuditStay, ctx: AuditContext): Finding | null {
  const rule = ruleOf(ctx.rules, "cost_shifting");
  if (rule === undefined || s.group.status !== "OK" || s.totalCost <= 0) return null;
  const norm = ctx.norms.drgs.get(s.group.drg);
  if (norm === undefined || norm.cases < rule.check.minCases) return null;
  const ownShare = s.ownPay / s.totalCost;
  const covered = rule.check.coveredOwnPayShare === undefined ? null : coveredOwnPay(s);
  const ownpayFinding = (shifted: number, evidence: Evidence[], message: string) => {
    const corrected = paymentStay(s, { patientShare: Math.max(0, s.patientShare - shifted) });
    const pricing = priceOrNull([paymentStay(s)], [corrected], ctx.settlement);
    return stayFinding(rule, s, {
      message: pricing === null ? `${message}${UNPRICED_NOTE}` : message,
      evidence,
      pricing,
    });
  };
  if (covered !== null) {
    if (covered.amount >= (rule.check.coveredOwnPayShare ?? 0) * s.totalCost && covered.amount > 0) {
      const names = itemNames(covered.lines);
      return ownpayFinding(
        covered.amount,
        [
          {
            text: `医保目录内项目按全自费收取 ${yuan(covered.amount)} 元（${covered.lines.length} 条明细）：${names.join("、")}`,
            fields: {
              mode: "ownpay",
              coveredOwnPay: covered.amount,
              lines: covered.lines.length,
              items: names,
              share: ratio(covered.amount / s.totalCost),
            },
          },
          {
            text: `个人自费 ${yuan(s.ownPay)} 元，占总费用 ${ratio(ownShare)}；${s.group.drg} 组均全自费占比 ${ratio(norm.ownPayShare)}`,
            fields: { ownPay: s.ownPay, ownShare: ratio(ownShare), groupOwnShare: ratio(norm.ownPayShare) },
          },
        ],
        `疑似医保转自费：目录内项目按全自费收取 ${yuan(covered.amount)} 元，患者多负担`,
      );
    }
  } else if (ownShare - norm.ownPayShare >= rule.check.ownPayExcess) {
    const shifted = Math.round((ownShare - norm.ownPayShare) * s.totalCost);
    return ownpayFinding(
      shifted,
      [
        {
          text: `个人自费 ${yuan(s.ownPay)} 元，占总费用 ${ratio(ownShare)}；${s.group.drg} 组均全自费占比 ${ratio(norm.ownPayShare)}`,
          fields: {
            mode: "ownpay",
            ownPay: s.ownPay,
            ownShare: ratio(ownShare),
            groupOwnShare: ratio(norm.ownPayShare),
            shifted,
          },
        },
      ],
      `疑似医保转自费：全自费占比 ${ratio(ownShare)}，同组均值 ${ratio(norm.ownPayShare)}，患者多负担约 ${yuan(shifted)} 元`,
    );
  }
  let exam = 0;
  let examMu = 0;
  for (const c of rule.check.examCategories) {
    exam += fee(s, c);
    examMu += norm.categoryShare.get(c) ?? 0;
  }
  if (examMu <= 0) return null;
  const examShare = exam / s.totalCost;
  const before = s.outpatientBeforeAdmission;
  const linked = before !== undefined && rule.check.outpatientShare !== undefined;
  const q = rule.check.outpatientExamQuantile;
  const dist = q === undefined ? undefined : norm.shareDistributions?.get("cost_shifting");
  const low = dist === undefined || q === undefined ? null : quantileOf(dist, q);
  const examLimit = low ?? (rule.check.outpatientExamShareFactor ?? 1) * examMu;
  const hit = linked
    ? before >= (rule.check.outpatientShare ?? 0) * s.totalCost && examShare < examLimit
    : examShare < rule.check.examShareFactor * examMu || (before ?? 0) > 0;
  if (!hit) return null;
  const gap = Math.round((examMu * (s.totalCost - exam)) / (1 - examMu) - exam);
  const missing = linked ? Math.max(0, Math.min(before ?? 0, gap)) : Math.max(before ?? 0, gap);
  const corrected = paymentStay(s, { totalCost: s.totalCost + missing });
  const pricing = priceOrNull([paymentStay(s)], [corrected], ctx.settlement);
  return stayFinding(rule, s, {
    message: `疑似住院转门诊：检查检验费用占比 ${ratio(examShare)}，低于同组均值 ${ratio(examMu)}${(before ?? 0) > 0 ? `，入院前门诊费用 ${yuan(before ?? 0)} 元` : ""}，约 ${yuan(missing)} 元可能在入院前门诊发生${pricing === null ? UNPRICED_NOTE : ""}`,
    evidence: [
      {
        text: `检查费与化验费合计 ${yuan(exam)} 元，占总费用 ${ratio(examShare)}；${s.group.drg} 组均占比 ${ratio(examMu)}${(before ?? 0) > 0 ? `；入院前门诊费用 ${yuan(before ?? 0)} 元（住院总费用的 ${ratio((before ?? 0) / s.totalCost)}）` : ""}`,
        fields: {
          mode: "outpatient",
          exam,
          examShare: ratio(examShare),
          groupExamShare: ratio(examMu),
          outpatientBefore: before ?? 0,
          missing,
        },
      },
    ],
    pricing,
  });
}
