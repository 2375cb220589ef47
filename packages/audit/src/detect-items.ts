/**
 * Item rules (项目规则): sex- and age-restricted diagnoses and items, duplicate charging of an item
 * on one day, quantities beyond limits (bed days beyond the stay, bed fee beyond its cap), items
 * not allowed together. Diagnosis and category checks run on every list; item-level checks run when
 * the stay carries detail items (费用明细).
 */
import { isKnownSex, SEX_NAMES } from "@yibao/kernel/sex";
import type { AuditContext } from "./context.js";
import {
  bundleFindings,
  frequencyLimitFindings,
  selfPayFindings,
  substitutionFindings,
} from "./detect-item-charges.js";
import { type ItemFindingMaker, paymentLimitFindings, priceCeilingFindings } from "./detect-item-limits.js";
import { type Finding, stayFinding, UNPRICED_NOTE, yuan } from "./finding.js";
import type { AuditStay, DetailItem, Evidence } from "./model.js";
import { paymentStay, priceOrNull, withoutCharges } from "./pricing.js";
import { type AuditRule, type ItemKnowledge, type RuleCheck, ruleOf } from "./rules.js";

function sexName(sex: string): string {
  return isKnownSex(sex) ? SEX_NAMES[sex] : "未知";
}

function finding(
  s: AuditStay,
  ctx: AuditContext,
  rule: AuditRule,
  key: string,
  message: string,
  evidence: Evidence[],
  removed: number,
): Finding {
  const pricing =
    removed > 0 ? priceOrNull([paymentStay(s)], [withoutCharges(s, removed)], ctx.settlement) : null;
  return stayFinding(rule, s, {
    key: `${s.id}:${key}`,
    message:
      removed <= 0
        ? message
        : `${message}；涉及金额 ${yuan(removed)} 元${pricing === null ? `${UNPRICED_NOTE}` : ""}`,
    evidence,
    pricing,
  });
}

function catalogue(ctx: AuditContext): Map<string, ItemKnowledge> {
  let m = catalogues.get(ctx.knowledge);
  if (m === undefined) {
    m = new Map(ctx.knowledge.items.map((i) => [i.code, i]));
    catalogues.set(ctx.knowledge, m);
  }
  return m;
}
const catalogues = new WeakMap<object, Map<string, ItemKnowledge>>();

/** Item codes that take part in an exclusive pair (互斥项目), per knowledge version. */
function exclusiveCodes(ctx: AuditContext): Set<string> {
  let m = exclusives.get(ctx.knowledge);
  if (m === undefined) {
    m = new Set(ctx.knowledge.exclusivePairs.flatMap((p) => [p.a, p.b]));
    exclusives.set(ctx.knowledge, m);
  }
  return m;
}
const exclusives = new WeakMap<object, Set<string>>();

/** A rule of the rule base with its check of kind `K` (as `ruleOf` returns it). */
type RuleFor<K extends RuleCheck["kind"]> = AuditRule & { readonly check: Extract<RuleCheck, { kind: K }> };

/** Runs the item rules on one stay. */
export function detectItemRules(s: AuditStay, ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const sexRule = ruleOf(ctx.rules, "sex_restriction");
  const ageRule = ruleOf(ctx.rules, "age_restriction");
  // Diagnoses.
  diagnosisRestrictionFindings(s, ctx, sexRule, ageRule, out);
  // Category-level quantity: bed fee beyond cap × (LOS + tolerance).
  const qty = ruleOf(ctx.rules, "quantity_limit");
  if (qty !== undefined) bedFeeCapFindings(s, ctx, qty, out);
  const details = s.details;
  if (details === undefined || details.length === 0) return out;
  const cat = catalogue(ctx);
  const dup = ruleOf(ctx.rules, "duplicate_charge");
  const excl = ruleOf(ctx.rules, "exclusive_items");
  const { perDay, codesByDay, bedDays, bedAmount } = scanDetails(
    s,
    ctx,
    details,
    { cat, sexRule, ageRule, dup, excl },
    out,
  );
  if (dup !== undefined) dailyLimitFindings(s, ctx, dup, cat, perDay, out);
  if (qty !== undefined && bedDays > s.los + qty.check.bedDayTolerance)
    bedDayFindings(s, ctx, qty, bedDays, bedAmount, out);
  if (excl !== undefined) exclusiveItemFindings(s, ctx, excl, cat, codesByDay, out);
  const make: ItemFindingMaker = (rule, key, message, evidence, removed) =>
    finding(s, ctx, rule, key, message, evidence, removed);
  const limited = ruleOf(ctx.rules, "restricted_payment");
  if (limited !== undefined && ctx.knowledge.paymentLimits !== undefined)
    paymentLimitFindings(s, details, ctx.knowledge.paymentLimits, limited, make, out);
  const priced = ruleOf(ctx.rules, "price_ceiling");
  if (priced !== undefined && ctx.knowledge.priceCeilings !== undefined)
    priceCeilingFindings(s, details, ctx.knowledge.priceCeilings, priced, make, out);
  chargeRuleFindings(details, ctx, make, out);
  return out;
}

/** The charge rules that read the knowledge base's frequencies, bundles, substitutions and self-pay items. */
function chargeRuleFindings(
  details: readonly DetailItem[],
  ctx: AuditContext,
  make: ItemFindingMaker,
  out: Finding[],
): void {
  const kb = ctx.knowledge;
  const frequency = ruleOf(ctx.rules, "frequency_limit");
  if (frequency !== undefined && kb.frequencyLimits !== undefined)
    frequencyLimitFindings(details, kb.frequencyLimits, frequency, make, out);
  const bundled = ruleOf(ctx.rules, "bundled_items");
  if (bundled !== undefined && kb.bundles !== undefined)
    bundleFindings(details, kb.bundles, bundled, make, out);
  const swapped = ruleOf(ctx.rules, "item_substitution");
  if (swapped !== undefined && kb.substitutions !== undefined)
    substitutionFindings(details, kb.substitutions, swapped, make, out);
  const selfPay = ruleOf(ctx.rules, "fund_paid_self_pay");
  if (selfPay !== undefined) selfPayFindings(details, kb.selfPayItems ?? [], selfPay, make, out);
}

/** Diagnoses restricted by sex or age (性别/年龄限定诊断). */
function diagnosisRestrictionFindings(
  s: AuditStay,
  ctx: AuditContext,
  sexRule: RuleFor<"sex_restriction"> | undefined,
  ageRule: RuleFor<"age_restriction"> | undefined,
  out: Finding[],
): void {
  const kb = ctx.knowledge;
  const age = s.record.ageYears;
  for (const code of s.record.diagnoses) {
    for (const r of kb.diagnosisRestrictions) {
      if (!code.startsWith(r.prefix)) continue;
      if (
        sexRule !== undefined &&
        r.sex !== undefined &&
        isKnownSex(s.record.sex) &&
        s.record.sex !== r.sex
      ) {
        out.push(
          finding(
            s,
            ctx,
            sexRule,
            `dx-sex:${code}`,
            `诊断 ${code}（${r.name}）限${sexName(r.sex)}性，患者为${sexName(s.record.sex)}性`,
            [
              {
                text: `诊断 ${code} 属「${r.name}」，限${sexName(r.sex)}性`,
                fields: { diagnosis: code, restrictedSex: r.sex, patientSex: s.record.sex },
              },
            ],
            0,
          ),
        );
      }
      if (
        ageRule !== undefined &&
        age !== null &&
        ((r.minAge !== undefined && age < r.minAge) || (r.maxAge !== undefined && age > r.maxAge))
      ) {
        out.push(
          finding(
            s,
            ctx,
            ageRule,
            `dx-age:${code}`,
            `诊断 ${code}（${r.name}）限年龄 ${r.minAge ?? 0}–${r.maxAge ?? "∞"} 岁，患者 ${age} 岁`,
            [
              {
                text: `诊断 ${code} 属「${r.name}」，年龄范围 ${r.minAge ?? 0}–${r.maxAge ?? "∞"} 岁`,
                fields: { diagnosis: code, minAge: r.minAge ?? null, maxAge: r.maxAge ?? null, age },
              },
            ],
            0,
          ),
        );
      }
    }
  }
}

/** Bed fee beyond the daily cap × (LOS + tolerance). */
function bedFeeCapFindings(
  s: AuditStay,
  ctx: AuditContext,
  qty: RuleFor<"quantity_limit">,
  out: Finding[],
): void {
  const kb = ctx.knowledge;
  const cap = kb.bedFeeCapPerDay[s.hospitalLevel];
  let bed = 0;
  for (const f of s.fees) if (f.category === "01") bed += f.amount;
  const days = Math.max(1, s.los) + qty.check.bedDayTolerance;
  if (cap !== undefined && bed > cap * days) {
    out.push(
      finding(
        s,
        ctx,
        qty,
        "bedfee",
        `床位费 ${yuan(bed)} 元超过日最高标准 ${yuan(cap)} 元 × ${days} 日`,
        [
          {
            text: `床位费 ${yuan(bed)} 元，住院 ${s.los} 天，日最高标准 ${yuan(cap)} 元`,
            fields: { bedFee: bed, los: s.los, capPerDay: cap },
          },
        ],
        bed - cap * days,
      ),
    );
  }
}

/**
 * One pass over the detail lines: items restricted by sex or age are reported; the daily quantities
 * of items with a daily limit, the paired items of each day and the bed days are summed.
 */
function scanDetails(
  s: AuditStay,
  ctx: AuditContext,
  details: readonly DetailItem[],
  rules: {
    cat: Map<string, ItemKnowledge>;
    sexRule: RuleFor<"sex_restriction"> | undefined;
    ageRule: RuleFor<"age_restriction"> | undefined;
    dup: RuleFor<"duplicate_charge"> | undefined;
    excl: RuleFor<"exclusive_items"> | undefined;
  },
  out: Finding[],
): {
  perDay: Map<string, Map<string, { item: DetailItem; qty: number; amount: number }>>;
  codesByDay: Map<string, Map<string, number>>;
  bedDays: number;
  bedAmount: number;
} {
  const { cat, sexRule, ageRule, dup, excl } = rules;
  const age = s.record.ageYears;
  const paired = exclusiveCodes(ctx);
  /** Item code → date → that day's quantity and amount (items with a daily limit only). */
  const perDay = new Map<string, Map<string, { item: DetailItem; qty: number; amount: number }>>();
  const codesByDay = new Map<string, Map<string, number>>();
  let bedDays = 0;
  let bedAmount = 0;
  for (const d of details) {
    const k = cat.get(d.code);
    if (k !== undefined) {
      if (
        sexRule !== undefined &&
        k.sex !== undefined &&
        isKnownSex(s.record.sex) &&
        s.record.sex !== k.sex
      ) {
        out.push(
          finding(
            s,
            ctx,
            sexRule,
            `item-sex:${d.code}:${d.date}`,
            `项目 ${d.name}（${d.code}）限${sexName(k.sex)}性，患者为${sexName(s.record.sex)}性`,
            [
              {
                text: `${d.date} 收取 ${d.name} ${d.quantity}${k.unit ?? ""}，该项目限${sexName(k.sex)}性`,
                fields: {
                  item: d.code,
                  date: d.date,
                  restrictedSex: k.sex,
                  patientSex: s.record.sex,
                  amount: d.amount,
                },
              },
            ],
            d.amount,
          ),
        );
      }
      if (
        ageRule !== undefined &&
        age !== null &&
        ((k.minAge !== undefined && age < k.minAge) || (k.maxAge !== undefined && age > k.maxAge))
      ) {
        out.push(
          finding(
            s,
            ctx,
            ageRule,
            `item-age:${d.code}:${d.date}`,
            `项目 ${d.name}（${d.code}）限年龄 ${k.minAge ?? 0}–${k.maxAge ?? "∞"} 岁，患者 ${age} 岁`,
            [
              {
                text: `${d.date} 收取 ${d.name}，年龄范围 ${k.minAge ?? 0}–${k.maxAge ?? "∞"} 岁`,
                fields: { item: d.code, date: d.date, age, amount: d.amount },
              },
            ],
            d.amount,
          ),
        );
      }
      if (k.bedDay === true) {
        bedDays += d.quantity;
        bedAmount += d.amount;
      }
    }
    // Only items with a daily limit can be charged too often, only paired items exclude each other.
    if (dup !== undefined && k?.maxPerDay !== undefined) {
      let days = perDay.get(d.code);
      if (days === undefined) {
        days = new Map();
        perDay.set(d.code, days);
      }
      const e = days.get(d.date);
      if (e === undefined) days.set(d.date, { item: d, qty: d.quantity, amount: d.amount });
      else {
        e.qty += d.quantity;
        e.amount += d.amount;
      }
    }
    if (excl !== undefined && paired.has(d.code)) {
      let day = codesByDay.get(d.date);
      if (day === undefined) {
        day = new Map();
        codesByDay.set(d.date, day);
      }
      day.set(d.code, (day.get(d.code) ?? 0) + d.amount);
    }
  }
  return { perDay, codesByDay, bedDays, bedAmount };
}

/** Items charged more often in a day than their daily limit (重复收费). */
function dailyLimitFindings(
  s: AuditStay,
  ctx: AuditContext,
  dup: RuleFor<"duplicate_charge">,
  cat: Map<string, ItemKnowledge>,
  perDay: Map<string, Map<string, { item: DetailItem; qty: number; amount: number }>>,
  out: Finding[],
): void {
  for (const [code, days] of perDay) {
    const max = cat.get(code)?.maxPerDay;
    if (max === undefined) continue;
    for (const { item, qty: q, amount } of days.values()) {
      if (q <= max) continue;
      const over = Math.round((amount * (q - max)) / q);
      out.push(
        finding(
          s,
          ctx,
          dup,
          `dup:${item.code}:${item.date}`,
          `${item.date} ${item.name} 收费 ${q} 次，超过每日限量 ${max}`,
          [
            {
              text: `${item.name}（${item.code}）${item.date} 合计数量 ${q}，每日限量 ${max}`,
              fields: { item: item.code, date: item.date, quantity: q, maxPerDay: max, excessAmount: over },
            },
          ],
          over,
        ),
      );
    }
  }
}

/** Bed days beyond the stay's length plus the tolerance. */
function bedDayFindings(
  s: AuditStay,
  ctx: AuditContext,
  qty: RuleFor<"quantity_limit">,
  bedDays: number,
  bedAmount: number,
  out: Finding[],
): void {
  const allowed = s.los + qty.check.bedDayTolerance;
  const over = Math.round((bedAmount * (bedDays - allowed)) / bedDays);
  out.push(
    finding(
      s,
      ctx,
      qty,
      "beddays",
      `床位天数 ${bedDays} 天超过住院天数 ${s.los} 天`,
      [
        {
          text: `床位费明细合计 ${bedDays} 日，实际住院 ${s.los} 天（允许 ${allowed} 日）`,
          fields: { bedDays, los: s.los, allowed, excessAmount: over },
        },
      ],
      over,
    ),
  );
}

/** Mutually exclusive items charged on the same day (互斥项目). */
function exclusiveItemFindings(
  s: AuditStay,
  ctx: AuditContext,
  excl: RuleFor<"exclusive_items">,
  cat: Map<string, ItemKnowledge>,
  codesByDay: Map<string, Map<string, number>>,
  out: Finding[],
): void {
  const kb = ctx.knowledge;
  for (const [date, codes] of codesByDay) {
    for (const p of kb.exclusivePairs) {
      const a = codes.get(p.a);
      const b = codes.get(p.b);
      if (a === undefined || b === undefined) continue;
      const removed = Math.min(a, b);
      out.push(
        finding(
          s,
          ctx,
          excl,
          `excl:${p.a}:${p.b}:${date}`,
          `${date} ${p.reason}`,
          [
            {
              text: `${date} 同时收取 ${cat.get(p.a)?.name ?? p.a} 与 ${cat.get(p.b)?.name ?? p.b}`,
              fields: { date, itemA: p.a, itemB: p.b, amountA: a, amountB: b },
            },
          ],
          removed,
        ),
      );
    }
  }
}
