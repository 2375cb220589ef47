/**
 * Payment limits and price ceilings of single items (限定支付范围、超标准收费), from the knowledge
 * base's `paymentLimits` and `priceCeilings`; they read the stay's detail items (费用明细).
 *
 * - 限定支付: the covered part of the lines of a limited item (金额 − 全自费金额 of 甲类/乙类 lines) is
 *   not the fund's when a condition of the limit is not met (diagnosis, hospital level, a required
 *   item in the same stay), or on the days beyond `maxDays`.
 * - 超标准收费: (单价 − 上限) × 数量 over the lines priced above the item's ceiling for the hospital's level.
 */
import { covered, selectorText, selects } from "./detect-item-charges.js";
import { type Finding, itemNames, yuan } from "./finding.js";
import type { AuditStay, DetailItem, Evidence } from "./model.js";
import type { AuditRule, PaymentLimit, PriceCeiling } from "./rules.js";

/** How a finding is made for a stay (the item rules' shared maker: key, message, evidence, amount removed). */
export type ItemFindingMaker = (
  rule: AuditRule,
  key: string,
  message: string,
  evidence: Evidence[],
  removed: number,
) => Finding;

/** Which conditions of the limit the stay fails (Chinese, each with the figure). */
function unmet(limit: PaymentLimit, s: AuditStay, details: readonly DetailItem[]): string[] {
  const out: string[] = [];
  if (limit.diagnoses !== undefined && limit.diagnoses.length > 0) {
    const ok = s.record.diagnoses.some((d) => limit.diagnoses?.some((p) => d.startsWith(p)));
    if (!ok) out.push(`诊断中无 ${limit.diagnoses.join("、")}`);
  }
  if (limit.hospitalLevels !== undefined && !limit.hospitalLevels.includes(s.hospitalLevel))
    out.push(`医疗机构等级 ${s.hospitalLevel || "未知"} 不在 ${limit.hospitalLevels.join("、")} 之列`);
  const req = limit.requires;
  if (req !== undefined && !details.some((d) => selects(req, d.code)))
    out.push(`本次住院未收取 ${selectorText(req)}`);
  return out;
}

/** 限定支付范围 over one stay's details. */
export function paymentLimitFindings(
  s: AuditStay,
  details: readonly DetailItem[],
  limits: readonly PaymentLimit[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  for (const limit of limits) {
    const lines = details.filter((d) => selects(limit, d.code) && covered(d) > 0);
    if (lines.length === 0) continue;
    const failed = unmet(limit, s, details);
    let charged = lines;
    let why = failed.join("；");
    if (failed.length === 0 && limit.maxDays !== undefined) {
      const days = [...new Set(lines.map((d) => d.date))].sort();
      if (days.length <= limit.maxDays) continue;
      const allowed = new Set(days.slice(0, limit.maxDays));
      charged = lines.filter((d) => !allowed.has(d.date));
      why = `限 ${limit.maxDays} 日，收取 ${days.length} 日`;
    } else if (failed.length === 0) continue;
    const removed = charged.reduce((t, d) => t + covered(d), 0);
    out.push(
      make(
        rule,
        `paylimit:${limit.name}`,
        `${limit.name}超限定支付范围（${limit.text}）：${why}，医保支付部分 ${yuan(removed)} 元应由患者负担`,
        [
          {
            text: `${limit.name} ${charged.length} 条明细，医保目录内金额 ${yuan(removed)} 元；限定支付：${limit.text}；${why}`,
            fields: {
              limit: limit.name,
              lines: charged.length,
              items: itemNames(charged),
              coveredAmount: removed,
              unmet: failed,
            },
          },
        ],
        removed,
      ),
    );
  }
}

/** 超标准收费 over one stay's details. */
export function priceCeilingFindings(
  s: AuditStay,
  details: readonly DetailItem[],
  ceilings: readonly PriceCeiling[],
  rule: AuditRule,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  const byCode = new Map(ceilings.map((c) => [c.code, c]));
  const over = new Map<
    string,
    { c: PriceCeiling; cap: number; excess: number; lines: number; price: number }
  >();
  for (const d of details) {
    const c = byCode.get(d.code);
    if (c === undefined) continue;
    const cap = c.byLevel?.[s.hospitalLevel] ?? c.maxPrice;
    if (d.unitPrice <= cap) continue;
    const excess = Math.round((d.unitPrice - cap) * d.quantity);
    const o = over.get(c.code) ?? { c, cap, excess: 0, lines: 0, price: d.unitPrice };
    o.excess += excess;
    o.lines++;
    o.price = Math.max(o.price, d.unitPrice);
    over.set(c.code, o);
  }
  for (const o of over.values()) {
    out.push(
      make(
        rule,
        `price:${o.c.code}`,
        `${o.c.name}（${o.c.code}）单价 ${yuan(o.price)} 元超过最高限价 ${yuan(o.cap)} 元，多收 ${yuan(o.excess)} 元`,
        [
          {
            text: `${o.c.name} ${o.lines} 条明细单价高于最高限价 ${yuan(o.cap)} 元（医疗机构等级 ${s.hospitalLevel || "未知"}），超出部分合计 ${yuan(o.excess)} 元`,
            fields: { item: o.c.code, maxPrice: o.cap, unitPrice: o.price, lines: o.lines, excess: o.excess },
          },
        ],
        o.excess,
      ),
    );
  }
}
