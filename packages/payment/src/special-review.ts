/**
 * 特病单议申请规则 (issue 14): which stays a hospital may apply for, how many, and until when — the
 * `specialReview` section of the DRG payment policy, and the pure checks the application service runs.
 *
 * The seeds describe the mechanism but give no figures: 合肥 issued a 「DRG 点数付费特病单议实施规程」
 * (seed 000, lines 1011-1013); 特病单议 adds points to high-cost cases (line 1074, 「对高倍率病例追加
 * 点数」); hospitals apply and an expert review decides (lines 1078-1082: 10847 eligible, 10117 applied,
 * 9629 approved); new-technology cases leave DRG on application, capped at 3‰ of a hospital's cases
 * (lines 1084-1086, the policy's `exclusions.newTechCap`). The thresholds, the quota and the deadline
 * are therefore policy data with the defaults below, each stated, none taken from a seed figure.
 *
 * JSON (every key optional; the defaults in brackets):
 *
 *   specialReview: {
 *     mode: "full" | "given",                       ["full"]
 *     criteria: {                                    [{ highCost: { multiple: "3" }, newTech: {} }]
 *       highCost: { multiple: "3" },                 费用 ≥ multiple × 病组支付标准 (the stay's standard)
 *       icu: { overDays: 7 },                        重症监护合计时长 > overDays × 24 小时
 *       longStay: { overDays: 60 },                  住院天数 > overDays
 *       newTech: {}                                  the list has a procedure the policy files as 新技术项目
 *     },
 *     quota: { share: "5%", per: "year" } | null,    [5% of the year's settled cases; null: no quota]
 *     deadline: { daysAfterDischargeMonth: 30 } | null  [30 days after the discharge month; null: none]
 *   }
 *
 * A `criteria` object opens only the criteria it lists (`{}` opens none). Quota: floor(settled cases of
 * the hospital in the stay's year (or period) × share) applications that are pending or approved —
 * rounded down, so 41 cases at 5% allow floor(2.05) = 2 and 19 cases allow 0.
 */
import { addDays, dayNumber, periodEnd, periodOf } from "@yibao/kernel/calendar";
import { type Fen, formatYuan, mulPpm, PPM_ONE, type Ppm } from "./money.js";
import type { Reader } from "./read.js";

/** 特病单议申请条件. */
export type SpecialReviewCriterion = "highCost" | "icu" | "longStay" | "newTech";

export const SPECIAL_REVIEW_CRITERIA: readonly SpecialReviewCriterion[] = [
  "highCost",
  "icu",
  "longStay",
  "newTech",
];

export const SPECIAL_REVIEW_CRITERION_NAMES: Readonly<Record<SpecialReviewCriterion, string>> = {
  highCost: "费用超过病组支付标准倍数",
  icu: "重症监护时间长",
  longStay: "住院时间长",
  newTech: "应用新技术",
};

/** The criteria a policy opens to applications; null: closed. */
export interface SpecialReviewCriteria {
  readonly highCost: { readonly multiple: Ppm } | null;
  readonly icu: { readonly overDays: number } | null;
  readonly longStay: { readonly overDays: number } | null;
  readonly newTech: boolean;
}

/** The application rules of 特病单议 (申请条件、限额、期限). */
export interface SpecialReviewRules {
  readonly criteria: SpecialReviewCriteria;
  /** 申请限额: share of the hospital's settled cases of the stay's year (or period); null: none. */
  readonly quota: { readonly share: Ppm; readonly per: "year" | "period" } | null;
  /** 申请期限: days after the last day of the discharge month; null: none. */
  readonly deadline: { readonly daysAfterDischargeMonth: number } | null;
}

export const DEFAULT_SPECIAL_REVIEW_RULES: SpecialReviewRules = {
  criteria: { highCost: { multiple: 3 * PPM_ONE }, icu: null, longStay: null, newTech: true },
  quota: { share: 50_000, per: "year" },
  deadline: { daysAfterDischargeMonth: 30 },
};

/** Reads `specialReview` (without `mode`, which policy.ts reads); every failure names field and rule. */
export function readSpecialReviewRules(r: Reader, sr: Record<string, unknown>): SpecialReviewRules {
  for (const k of Object.keys(sr)) {
    if (!["mode", "criteria", "quota", "deadline"].includes(k))
      r.fail(`specialReview.${k}`, "未知的特病单议设置，须为 mode/criteria/quota/deadline 之一");
  }
  return {
    criteria:
      sr.criteria === undefined ? DEFAULT_SPECIAL_REVIEW_RULES.criteria : readCriteria(r, sr.criteria),
    quota: sr.quota === undefined ? DEFAULT_SPECIAL_REVIEW_RULES.quota : readQuota(r, sr.quota),
    deadline:
      sr.deadline === undefined ? DEFAULT_SPECIAL_REVIEW_RULES.deadline : readDeadline(r, sr.deadline),
  };
}

function readCriteria(r: Reader, v: unknown): SpecialReviewCriteria {
  const f = "specialReview.criteria";
  const o = r.object(v, f);
  for (const k of Object.keys(o)) {
    if (!(SPECIAL_REVIEW_CRITERIA as readonly string[]).includes(k))
      r.fail(`${f}.${k}`, `未知的申请条件，须为 ${SPECIAL_REVIEW_CRITERIA.join("/")} 之一`);
  }
  let highCost: SpecialReviewCriteria["highCost"] = null;
  if (o.highCost != null) {
    const h = r.object(o.highCost, `${f}.highCost`);
    const multiple = r.ratio(h.multiple ?? "3", `${f}.highCost.multiple`);
    if (multiple < PPM_ONE) r.fail(`${f}.highCost.multiple`, "费用倍数须不小于 1");
    highCost = { multiple };
  }
  const days = (k: "icu" | "longStay", dflt: number) => {
    if (o[k] == null) return null;
    const x = r.object(o[k], `${f}.${k}`);
    return { overDays: r.integer(x.overDays ?? dflt, `${f}.${k}.overDays`, 0) };
  };
  if (o.newTech != null) r.object(o.newTech, `${f}.newTech`);
  return { highCost, icu: days("icu", 7), longStay: days("longStay", 60), newTech: o.newTech != null };
}

function readQuota(r: Reader, v: unknown): SpecialReviewRules["quota"] {
  if (v === null) return null;
  const q = r.object(v, "specialReview.quota");
  const share = r.ratio(q.share ?? "5%", "specialReview.quota.share");
  if (share > PPM_ONE) r.fail("specialReview.quota.share", "限额比例不能超过 100%");
  const per = q.per ?? "year";
  if (per !== "year" && per !== "period")
    r.fail("specialReview.quota.per", '须为 "year"（按年度）或 "period"（按结算期）');
  return { share, per };
}

function readDeadline(r: Reader, v: unknown): SpecialReviewRules["deadline"] {
  if (v === null) return null;
  const d = r.object(v, "specialReview.deadline");
  return {
    daysAfterDischargeMonth: r.integer(
      d.daysAfterDischargeMonth ?? 30,
      "specialReview.deadline.daysAfterDischargeMonth",
      0,
    ),
  };
}

/** What a stay shows for the criteria (from its settlement and its 4101 list). */
export interface SpecialReviewFacts {
  /** 医疗总费用 (fen). */
  readonly totalCost: Fen;
  /** 病组支付标准 of the settlement (fen); null for a stay paid without one (by items). */
  readonly standard: Fen | null;
  /** 重症监护合计时长 in minutes (icuinfo scs_cutd_sum_dura summed); null: no ICU stay listed. */
  readonly icuMinutes: number | null;
  /** 住院天数. */
  readonly los: number | null;
  readonly dischargeDate: string | null;
  /** 手术及操作编码 of the list (oprninfo oprn_oprt_code). */
  readonly procedureCodes: readonly string[];
}

/** The verdict on one criterion: `figure` says what the stay shows against the bar. */
export interface SpecialReviewVerdict {
  readonly eligible: boolean;
  /** The stay's figure and the bar, in Chinese (shown to the hospital and the reviewer). */
  readonly figure: string;
  /** The figures themselves (fen, minutes, days) for the reviewer's page. */
  readonly values: Readonly<Record<string, number | string | null>>;
}

/** `d天h小时m分钟` of minutes. */
export function icuText(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  return `${d}天${h}小时${minutes % 60}分钟`;
}

/** `倍数` of ppm: 3 → "3", 2.5 → "2.5". */
function times(ppm: Ppm): string {
  return String(ppm / PPM_ONE);
}

/**
 * Whether a stay meets a criterion the rules open. Thresholds: 费用 ≥ round(standard × multiple) (half
 * away from zero, to the fen, as the outlier thresholds); ICU minutes > overDays × 1440; LOS > overDays;
 * a new-technology code filed on or before discharge and present among the list's procedures.
 */
export function specialReviewVerdict(
  rules: SpecialReviewRules,
  newTechItems: ReadonlyMap<
    string,
    { readonly code: string; readonly name: string; readonly recordedOn: string }
  >,
  criterion: SpecialReviewCriterion,
  facts: SpecialReviewFacts,
  newTechCode: string | null,
): SpecialReviewVerdict | { readonly closed: true } {
  const c = rules.criteria;
  if (criterion === "highCost") {
    if (c.highCost === null) return { closed: true };
    if (facts.standard === null)
      return {
        eligible: false,
        figure: "该病例未按病组支付标准结算（无支付标准），不能按费用倍数申请",
        values: { totalCostFen: facts.totalCost, standardFen: null },
      };
    const threshold = mulPpm(facts.standard, c.highCost.multiple);
    const ok = facts.totalCost >= threshold;
    return {
      eligible: ok,
      figure: `医疗总费用 ${formatYuan(facts.totalCost)} 元${ok ? "达到" : "未达到"}病组支付标准 ${formatYuan(facts.standard)} 元的 ${times(c.highCost.multiple)} 倍（${formatYuan(threshold)} 元）`,
      values: {
        totalCostFen: facts.totalCost,
        standardFen: facts.standard,
        multiple: times(c.highCost.multiple),
        thresholdFen: threshold,
      },
    };
  }
  if (criterion === "icu") {
    if (c.icu === null) return { closed: true };
    const m = facts.icuMinutes ?? 0;
    const ok = m > c.icu.overDays * 1440;
    return {
      eligible: ok,
      figure: `重症监护合计时长 ${icuText(m)}${ok ? "超过" : "未超过"} ${c.icu.overDays} 天`,
      values: { icuMinutes: m, overDays: c.icu.overDays },
    };
  }
  if (criterion === "longStay") {
    if (c.longStay === null) return { closed: true };
    const los = facts.los ?? 0;
    const ok = los > c.longStay.overDays;
    return {
      eligible: ok,
      figure: `住院天数 ${los} 天${ok ? "超过" : "未超过"} ${c.longStay.overDays} 天`,
      values: { los, overDays: c.longStay.overDays },
    };
  }
  if (!c.newTech) return { closed: true };
  const item = newTechCode === null ? undefined : newTechItems.get(newTechCode);
  const code = newTechCode ?? "";
  let figure: string;
  let ok = false;
  if (newTechCode === null) figure = "按应用新技术申请须填写新技术项目编码";
  else if (item === undefined) figure = `新技术项目 ${code} 不在支付政策备案的新技术项目中`;
  else if (facts.dischargeDate !== null && dayNumber(item.recordedOn) > dayNumber(facts.dischargeDate))
    figure = `新技术项目 ${code}（${item.name}）于 ${item.recordedOn} 备案，晚于出院日期 ${facts.dischargeDate}`;
  else if (!facts.procedureCodes.includes(code))
    figure = `结算清单的手术及操作中没有新技术项目 ${code}（${item.name}）`;
  else {
    ok = true;
    figure = `应用了 ${item.recordedOn} 备案的新技术项目 ${code}（${item.name}）`;
  }
  return { eligible: ok, figure, values: { newTechCode: newTechCode, recordedOn: item?.recordedOn ?? null } };
}

/** 申请限额: floor(cases × share) — rounded down (41 cases × 5% = 2.05 → 2). */
export function specialReviewQuota(cases: number, share: Ppm): number {
  return Math.floor((cases * share) / PPM_ONE);
}

/**
 * 申请截止日期: the last day of the discharge month plus `days` (2023-05-10, 30 → 2023-05-31 + 30 =
 * 2023-06-30). An application on that day is in time; the next day is late.
 */
export function specialReviewDeadline(dischargeDate: string, days: number): string {
  return addDays(periodEnd(periodOf(dischargeDate)), days);
}
