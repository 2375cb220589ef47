/**
 * 两库: the knowledge base (知识库) and the rule base (规则库) as versioned data, after the national
 * framework 1.0 (国家医保局《医疗保障基金智能审核和监控知识库、规则库框架体系（1.0 版）》): rules are 政策类, 管理类 or 医疗类; each has parameters,
 * thresholds and scenarios set by the region; a policy-rule hit is 明确违规 (intercepted), a
 * reasonable-use hit is 可疑 (waits for the hospital's appeal). Nothing region-specific is a literal
 * in the detectors: every number they use comes from here.
 */
import type { WorkCalendar } from "@yibao/kernel/calendar";
import type { KnownSex } from "@yibao/kernel/sex";
import type { Outcome, ViolationType } from "./model.js";
import type { DiagnosisSupportBase } from "./support.js";

/** 规则类别. */
export type RuleCategory = "政策类" | "管理类" | "医疗类";
/** 应用场景. */
export type Scenario = "住院" | "门诊" | "药店";
/** 审核环节: 事前提醒 / 事中预警 / 事后审核. */
export type Stage = "事前" | "事中" | "事后";

/** The check a rule runs, with its parameters (规则逻辑与参数). */
/**
 * What a coding rule does with a stay that has no detail items (无费用明细): `abstain` (the default:
 * a coded diagnosis is not called false without evidence either way), or `cost`: judge by the cost
 * alone (the stay's cost fits the lower group). Cost alone cannot tell an added CC from an honest
 * inexpensive one — on a region of 20,000 stays it was right about one time in ten — so a bureau
 * turns it on only to screen, never to deduct.
 */
/**
 * The fee-category groups whose share distributions the norms must learn for these rules (e.g. the
 * cost-shifting rule's exam and lab categories, under the rule's kind).
 */
export function shareGroupsOf(base: RuleBase): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const r of base.rules)
    if (r.enabled && r.check.kind === "cost_shifting") out.cost_shifting = r.check.examCategories;
  return out;
}

export type WithoutDetails = "abstain" | "cost";

export type RuleCheck =
  | {
      /** 分解住院: re-admission to the same hospital within `windowDays` in the same ADRG or MDC. */
      readonly kind: "split_admission";
      readonly windowDays: number;
      /**
       * What makes two stays "the same illness": `principal` = same principal diagnosis or same
       * ADRG; `category` = same principal diagnosis category (类目, 3 characters) or same ADRG;
       * `mdc` = same MDC.
       */
      readonly relation: "principal" | "category" | "mdc";
      readonly sameHospital: boolean;
    }
  | {
      /** 重复住院: re-admission within `windowDays` for an unrelated group. */
      readonly kind: "repeated_admission";
      readonly windowDays: number;
      readonly sameHospital: boolean;
    }
  | {
      /** 选择患者: hospital-level drop of the high-weight or elderly share against the previous period. */
      readonly kind: "patient_selection";
      /** Period length in months (统计周期). */
      readonly periodMonths: number;
      /** RW at or above which a case counts as high-weight (高权重病例). */
      readonly highWeightRw: number;
      readonly elderlyAge: number;
      readonly minCases: number;
      /** Relative drop of a share that raises a finding (e.g. 0.3 = −30%). */
      readonly maxRelativeDrop: number;
    }
  | {
      /** 低指征住院: short stays with only exams, labs, oral drugs and basic care. */
      readonly kind: "low_indication";
      readonly maxLos: number;
      /** Categories of a low-indication stay (检查/化验/西药/诊察/护理/床位). */
      readonly allowedCategories: readonly string[];
      /** Share of the cost allowed outside those categories. */
      readonly maxOtherShare: number;
      /** Cost ratio to the group standard below which the stay is cheap enough for outpatient care. */
      readonly maxCostRatio: number;
      /** ADRGs treatable in outpatient care (门诊可治疗病组); empty: any medical ADRG. */
      readonly outpatientAdrgs: readonly string[];
      /** Share of the fund payment counted as loss (门诊换算比例); 1 = all of it. */
      readonly lossShare: number;
    }
  | {
      /** 虚假/多编次要诊断: a counted CC/MCC raises the group but the cost does not support it. */
      readonly kind: "upcoding_secondary";
      /**
       * Position of the cost between the lower group's and the raised group's average cost
       * (0 = lower group's average, 1 = raised group's) at or below which the CC/MCC is unsupported.
       */
      readonly maxSupport: number;
      /**
       * With detail items: support classes that are also 诊疗依据 of the principal diagnosis (e.g. the
       * antibiotic of an appendicitis for a coded pneumonia) do not support a secondary diagnosis of
       * another condition on their own.
       */
      readonly principalEvidenceExplains?: boolean;
      /** Without detail items: see `WithoutDetails` (default `abstain`). */
      readonly withoutDetails?: WithoutDetails;
      /**
       * With detail items, the region's habit (诊疗依据常模): of the region's codings of the rule's
       * diagnoses that decided the group without 诊疗依据, the share in excess of how often the same
       * diagnoses lack evidence where they do not decide it, (u − p) ÷ (u × (1 − p)). Missing
       * evidence counts on its own when that share is at least this (e.g. 0.8). Absent: missing
       * evidence counts whatever the region's habit.
       */
      readonly minUnexplainedShare?: number;
      /**
       * A lower excess share (e.g. 0.3) at which missing evidence counts when the cost also fits the
       * lower group (its position ≤ `maxSupport`); below it the diagnosis is not judged.
       */
      readonly minUnexplainedShareWithCost?: number;
      /**
       * Fewest non-deciding codings in the region for its habit to be known (default 30); fewer:
       * missing evidence counts as such, as for a region without norms.
       */
      readonly minBaselineCases?: number;
    }
  | {
      /** 升级诊断: a near principal diagnosis gives a lower group that fits the cost much better. */
      readonly kind: "upcoding_principal";
      /** Cost ÷ the group's average cost at or below which the case is checked. */
      readonly maxCostRatio: number;
      /** The near code's group average must fit the cost this much better (log distance). */
      readonly minFitGain: number;
      /** How many frequent principal diagnoses of each other ADRG of the MDC count as near codes. */
      readonly topPrincipalsPerAdrg: number;
      /** Without detail items: see `WithoutDetails` (default `abstain`). */
      readonly withoutDetails?: WithoutDetails;
      /**
       * With detail items: the uploaded principal diagnosis counts as without 诊疗依据 only when the
       * region's principal diagnoses of its rule lack evidence at most this often (诊疗依据常模); then a
       * chapter rule (章节) is evidence too. Absent: only a category rule (类目) is, whatever the habit.
       */
      readonly maxBaselineUnsupported?: number;
      /**
       * Fewest such principal diagnoses in the region for its habit to be known (default 30); fewer:
       * only a category rule judges, as for a region without norms.
       */
      readonly minBaselineCases?: number;
    }
  | {
      /** 高码低编: 手术费 but no procedure code (the stay falls into a lower group, often a high outlier). */
      readonly kind: "downcoding_outlier";
      readonly surgeryCategory: string;
      /** Minimum 手术费 (fen) that shows an operation was done. */
      readonly minSurgeryFee: number;
    }
  | {
      /** 转嫁费用: self-pay share or exam/lab share out of line with the group. */
      readonly kind: "cost_shifting";
      /** Own-pay share above the group's mean by this much (absolute) is suspicious. */
      readonly ownPayExcess: number;
      /** Exam+lab share below this fraction of the group's mean share is suspicious. */
      readonly examShareFactor: number;
      readonly examCategories: readonly string[];
      readonly minCases: number;
      /**
       * With detail items: 目录内（甲类/乙类）项目按全自费收取 at or above this share of the total cost is
       * 医保转自费 (replaces the own-pay share test).
       */
      readonly coveredOwnPayShare?: number;
      /**
       * With linked outpatient data: pre-admission outpatient spending at or above this share of the
       * stay's cost, with the exam+lab share below `outpatientExamShareFactor` × the group's, is
       * 住院转门诊 (replaces the exam-share-only test).
       */
      readonly outpatientShare?: number;
      readonly outpatientExamShareFactor?: number;
      /**
       * With linked outpatient data, the exam+lab share must instead be below this quantile (0–1) of
       * the group's own distribution of it (the region's spread, learned with the norms), e.g. 0.1:
       * lower than nine stays in ten of the group. Overrides `outpatientExamShareFactor`.
       */
      readonly outpatientExamQuantile?: number;
    }
  | {
      /** 有意歧义: QY case whose cost is above the group standard but below the high-outlier threshold. */
      readonly kind: "qy_ambiguity";
    }
  | {
      /** 违规收费跃迁: one category's excess over the group norm moves the stay across a tier. */
      readonly kind: "tier_crossing";
      /**
       * A category is excessive when its amount beyond the group's usual share (given the rest of
       * the bill) is at least this share of the total.
       */
      readonly minExcessShare: number;
      readonly minCases: number;
    }
  | {
      /** 限性别: diagnoses or items restricted to one sex. */
      readonly kind: "sex_restriction";
    }
  | {
      /** 限年龄: diagnoses or items restricted to an age range. */
      readonly kind: "age_restriction";
    }
  | {
      /** 重复收费: the same item more than its daily limit on one day. */
      readonly kind: "duplicate_charge";
    }
  | {
      /** 超数量: bed days beyond the length of stay, quantities beyond daily limits, bed fee beyond its cap. */
      readonly kind: "quantity_limit";
      /** Bed days allowed beyond LOS (入出院当日按一日计). */
      readonly bedDayTolerance: number;
    }
  | {
      /** 互斥项目: items not to be charged together on one day. */
      readonly kind: "exclusive_items";
    }
  | {
      /** 限定支付范围: an item the fund pays only under conditions (knowledge `paymentLimits`) charged to it without them. */
      readonly kind: "restricted_payment";
    }
  | {
      /** 超标准收费: a unit price above the item's ceiling (knowledge `priceCeilings`). */
      readonly kind: "price_ceiling";
    }
  | {
      /** 超限定频次: more units of an item than allowed per stay or per days (knowledge `frequencyLimits`). */
      readonly kind: "frequency_limit";
    }
  | {
      /** 项目内涵重复收费: a component charged on a day its bundle is charged (knowledge `bundles`). */
      readonly kind: "bundled_items";
    }
  | {
      /** 串换项目: a catalogue item billed beside a marker of another, unpaid service (knowledge `substitutions`). */
      readonly kind: "item_substitution";
    }
  | {
      /** 违规支付: an amount the patient bears in full charged to the fund (丙类 lines, knowledge `selfPayItems`). */
      readonly kind: "fund_paid_self_pay";
    };

/** One rule of the rule base (规则). */
export interface AuditRule {
  readonly id: string;
  /** Chinese name shown to users. */
  readonly name: string;
  readonly category: RuleCategory;
  readonly scenarios: readonly Scenario[];
  readonly stages: readonly Stage[];
  /** 明确违规 (policy rules) or 可疑 (reasonable-use rules). */
  readonly outcome: Outcome;
  /** The violation type its findings belong to. */
  readonly violation: ViolationType;
  readonly check: RuleCheck;
  readonly enabled: boolean;
  /** 规则说明 (Chinese). */
  readonly description: string;
  /** 依据: seed lines or documents. */
  readonly basis: string;
}

/** 规则库: one version of a region's rules. */
export interface RuleBase {
  readonly id: string;
  readonly region: string;
  readonly version: string;
  /** 生效日期 (inclusive). */
  readonly effectiveFrom: string;
  /** 失效日期 (inclusive), null: open-ended. */
  readonly effectiveTo: string | null;
  readonly rules: readonly AuditRule[];
  /** 医院说明期限: absent, a 可疑 finding waits for the hospital without a deadline. */
  readonly response?: CaseResponseRules;
  /** 医师画像模型参数 the region sets (absent: the defaults of `DEFAULT_PROFILING_CONFIG`). */
  readonly profiling?: ProfilingParameters;
}

/** The physician profile's parameters a region sets in its rule base (医师画像模型参数). */
export interface ProfilingParameters {
  /** K of k-means at most (the Shanghai model: 15). */
  readonly clusters?: number;
  /** Physicians per cluster at least, on average. */
  readonly minPhysiciansPerCluster?: number;
  /** |r| above which the less relevant of two indicators is dropped (the Shanghai model: 0.4). */
  readonly maxAbsCorrelation?: number;
}

/**
 * 医院说明期限 (seed 000: 可疑 findings go to the hospital for explanation): the hospital has
 * `workingDays` working days after the finding is opened to appeal or accept it; an unanswered one is
 * then decided as `unanswered` says (`upheld`: the deduction stands; `overturned`: it is dropped),
 * by the system, in the trail. Working days follow the region's calendar.
 */
export interface CaseResponseRules extends WorkCalendar {
  readonly workingDays: number;
  readonly unanswered: "upheld" | "overturned";
}

/** An item of the knowledge base's catalogue (医保目录项目知识). */
export interface ItemKnowledge {
  readonly code: string;
  readonly name: string;
  readonly category: string;
  /** 限性别: the sex the item is allowed for (GB/T 2261.1, `SEX_MALE` "1" / `SEX_FEMALE` "2"). */
  readonly sex?: KnownSex;
  /** 限年龄 (years, inclusive). */
  readonly minAge?: number;
  readonly maxAge?: number;
  /** 每日限量 (units per day). */
  readonly maxPerDay?: number;
  /** 计价单位. */
  readonly unit?: string;
  /** True for 床位费 items: their quantity is bed days. */
  readonly bedDay?: boolean;
}

/** Items named by exact code or by code prefix (e.g. the 医保药品编码 prefix of a drug class). */
export interface ItemSelector {
  readonly codes?: readonly string[];
  readonly prefixes?: readonly string[];
}

/**
 * 限定支付范围 (医保支付限定): the fund pays for the selected items only when the stay meets every
 * condition given — one of the diagnoses coded, a hospital of one of the levels, one of the `requires`
 * items charged in the same stay (e.g. a culture or susceptibility test before a restricted
 * antibiotic), and at most `maxDays` days of it. Otherwise the covered part of its lines is the
 * patient's, not the fund's.
 */
export interface PaymentLimit extends ItemSelector {
  readonly name: string;
  /** The limit as published (限定支付说明). */
  readonly text: string;
  /** ICD-10 code prefixes, any one coded on the list. */
  readonly diagnoses?: readonly string[];
  /** 医保结算等级 (hi_setl_lv) codes allowed. */
  readonly hospitalLevels?: readonly string[];
  readonly requires?: ItemSelector;
  readonly maxDays?: number;
}

/** 价格上限 (政府指导价最高限价) of an item, fen per unit; by hospital level when it differs. */
export interface PriceCeiling {
  readonly code: string;
  readonly name: string;
  readonly maxPrice: number;
  readonly byLevel?: Readonly<Record<string, number>>;
}

/**
 * 限定频次: at most `maxUnits` units of the selected items charged to the fund per stay, or, with
 * `perDays`, within any `perDays` consecutive days (e.g. 1 per stay, or 2 in any 7 days).
 */
export interface FrequencyLimit extends ItemSelector {
  readonly name: string;
  /** The limit as published. */
  readonly text: string;
  readonly maxUnits: number;
  readonly perDays?: number;
}

/** 项目内涵: a bundle item whose price includes the components, which are not charged beside it that day. */
export interface ItemBundle {
  readonly name: string;
  /** The 项目内涵 as published. */
  readonly text: string;
  readonly bundle: ItemSelector;
  readonly components: ItemSelector;
}

/**
 * 串换项目: `billed` charged to the fund on the same day (`scope` "day") or in the same stay ("stay") as
 * one of `markers`, items that show the service done was `actual`, which the fund does not pay.
 */
export interface ItemSubstitution {
  readonly name: string;
  readonly text: string;
  readonly billed: ItemSelector;
  readonly markers: ItemSelector;
  /** The service the markers show (e.g. 种植牙). */
  readonly actual: string;
  readonly scope: "day" | "stay";
}

/** Items the patient always bears in full (不予支付), whatever their 收费项目等级 says. */
export interface SelfPayItems extends ItemSelector {
  readonly name: string;
  readonly text: string;
}

/** A diagnosis restriction (诊断限性别/年龄) by code prefix. */
export interface DiagnosisRestriction {
  readonly prefix: string;
  readonly name: string;
  readonly sex?: KnownSex;
  readonly minAge?: number;
  readonly maxAge?: number;
}

/** 知识库: codes, catalogue and medical knowledge the rules read, one version. */
export interface KnowledgeBase {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly items: readonly ItemKnowledge[];
  readonly diagnosisRestrictions: readonly DiagnosisRestriction[];
  /** 互斥项目: pairs of item codes not to be charged on the same day. */
  readonly exclusivePairs: readonly { readonly a: string; readonly b: string; readonly reason: string }[];
  /** 限定支付范围 of drugs and items (absent: none known). */
  readonly paymentLimits?: readonly PaymentLimit[];
  /** 价格上限 of items (absent: none known). */
  readonly priceCeilings?: readonly PriceCeiling[];
  /** 限定频次 of items (absent: none known). */
  readonly frequencyLimits?: readonly FrequencyLimit[];
  /** 项目内涵 (absent: none known). */
  readonly bundles?: readonly ItemBundle[];
  /** 串换项目 patterns (absent: none known). */
  readonly substitutions?: readonly ItemSubstitution[];
  /** 不予支付 (self-pay) items beyond the 丙类 lines (absent: none). */
  readonly selfPayItems?: readonly SelfPayItems[];
  /** 床位费日上限 by hospital level (fen per day). */
  readonly bedFeeCapPerDay: Readonly<Record<string, number>>;
  /** Category names (医疗收费项目类别). */
  readonly feeCategoryNames: Readonly<Record<string, string>>;
  /** 诊断诊疗依据: which charged items support a diagnosis (used when the stay has detail items). */
  readonly diagnosisSupport?: DiagnosisSupportBase;
  readonly sources: readonly string[];
}

/** Picks the version in force on `date` (inclusive bounds; the latest `effectiveFrom` wins). */
export function selectVersion<T extends { effectiveFrom: string; effectiveTo: string | null }>(
  versions: readonly T[],
  date: string,
): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= date && (v.effectiveTo === null || date <= v.effectiveTo)) {
      if (best === undefined || v.effectiveFrom > best.effectiveFrom) best = v;
    }
  }
  return best;
}

/** An invalid rule base (规则库数据错误): names the rule and the field. */
export class RuleBaseError extends Error {
  override name = "RuleBaseError";
}

/** Validates a rule base: unique ids, dates, parameter ranges. Throws `RuleBaseError`. */
export function validateRuleBase(base: RuleBase): RuleBase {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (!iso.test(base.effectiveFrom)) throw new RuleBaseError(`规则库 ${base.id}：生效日期格式错误`);
  if (base.effectiveTo !== null && (!iso.test(base.effectiveTo) || base.effectiveTo < base.effectiveFrom)) {
    throw new RuleBaseError(`规则库 ${base.id}：失效日期错误`);
  }
  const seen = new Set<string>();
  for (const r of base.rules) {
    if (seen.has(r.id)) throw new RuleBaseError(`规则库 ${base.id}：规则编号 ${r.id} 重复`);
    seen.add(r.id);
    for (const [k, v] of Object.entries(r.check)) {
      if (typeof v === "number" && (!Number.isFinite(v) || v < 0)) {
        throw new RuleBaseError(`规则 ${r.id}：参数 ${k} 须为非负数`);
      }
    }
    if (r.category === "政策类" && r.outcome !== "明确违规") {
      throw new RuleBaseError(`规则 ${r.id}：政策类规则的结论须为「明确违规」`);
    }
  }
  return base;
}

/** The enabled rules of a kind (at most one per kind is used by the DRG detectors). */
export function ruleOf<K extends RuleCheck["kind"]>(
  base: RuleBase,
  kind: K,
): (AuditRule & { readonly check: Extract<RuleCheck, { kind: K }> }) | undefined {
  for (const r of base.rules) {
    if (r.enabled && r.check.kind === kind)
      return r as AuditRule & { readonly check: Extract<RuleCheck, { kind: K }> };
  }
  return undefined;
}
