/**
 * Payment policy and DRG weight table as versioned data (支付政策、病组权重表).
 *
 * The JSON forms (`...Data`) hold money as decimal yuan strings and ratios as decimal strings
 * (`"1.26"`, `"80%"`); `parse...` validates them and converts to fen and ppm once, so settling
 * never parses anything.
 */
import { type Fen, PPM_ONE, type Ppm } from "./money.js";
import { type NewTechEligibility, readNewTechEligibility } from "./new-tech-exclusion.js";
import { Reader } from "./read.js";
import { readSpecialReviewRules, type SpecialReviewRules } from "./special-review.js";
import { readVersioned, type Versioned } from "./versioned.js";

/** JSON form of a DRG weight table (病组权重表). */
export interface DrgWeightTableData extends Versioned {
  readonly name?: string;
  /** Grouping scheme the codes belong to (分组方案), e.g. `chs-drg-1.1`. */
  readonly scheme?: string;
  /** Where the figures come from (数据来源), e.g. seed line numbers. */
  readonly sources?: readonly string[];
  readonly entries: readonly {
    readonly drg: string;
    readonly name?: string;
    /** 相对权重 RW, decimal string. */
    readonly rw: string;
    /** 病组次均费用 (yuan), for indicators and scaled low-outlier payment. */
    readonly avgCost?: string | null;
    /** 病组平均住院日 (days, decimal). */
    readonly avgLos?: string | null;
  }[];
}

/** One DRG's weight (病组权重). */
export interface DrgWeight {
  readonly drg: string;
  readonly name: string;
  /** 相对权重 (ppm). */
  readonly rw: Ppm;
  /** 次均费用 (fen), null when unknown. */
  readonly avgCost: Fen | null;
  /** 平均住院日 (ppm of a day), null when unknown. */
  readonly avgLos: Ppm | null;
}

/** A parsed DRG weight table (病组权重表) with a lookup map. */
export interface DrgWeightTable extends Versioned {
  readonly name: string;
  readonly scheme: string | null;
  readonly entries: readonly DrgWeight[];
  readonly byDrg: ReadonlyMap<string, DrgWeight>;
}

/** Validates and converts a weight table (解析病组权重表). */
export function parseDrgWeightTable(data: unknown): DrgWeightTable {
  const r0 = new Reader("病组权重表");
  const raw = r0.object(data, "(根)");
  const head = readVersioned(raw, "病组权重表");
  const r = new Reader(`病组权重表 ${head.id}@${head.version}`);
  const byDrg = new Map<string, DrgWeight>();
  const entries: DrgWeight[] = [];
  r.array(raw.entries, "entries").forEach((e0, i) => {
    const f = `entries[${i}]`;
    const e = r.object(e0, f);
    const drg = r.string(e.drg, `${f}.drg`);
    if (byDrg.has(drg)) r.fail(`${f}.drg`, `病组 ${drg} 重复`);
    const w: DrgWeight = {
      drg,
      name: typeof e.name === "string" ? e.name : "",
      rw: r.ratio(e.rw, `${f}.rw`),
      avgCost: r.optYuan(e.avgCost, `${f}.avgCost`),
      avgLos: r.optRatio(e.avgLos, `${f}.avgLos`),
    };
    byDrg.set(drg, w);
    entries.push(w);
  });
  return {
    ...head,
    name: typeof raw.name === "string" ? raw.name : "",
    scheme: typeof raw.scheme === "string" ? raw.scheme : null,
    entries,
    byDrg,
  };
}

/** 高倍率病例的支付方式: by items (按项目, share of actual cost) or standard + excess × ratio. */
export type HighOutlierPayment =
  | { readonly method: "items"; readonly ratio: Ppm }
  | { readonly method: "excess"; readonly ratio: Ppm };

/** 低倍率病例的支付方式: actual cost (按实际费用), or standard × cost ÷ group average cost (按比例). */
export type LowOutlierPayment = { readonly method: "actualCost" } | { readonly method: "scaled" };

/**
 * 倍率界值基数 (what an outlier threshold multiplies): `standard`, the stay's payment standard at its
 * hospital (支付标准, after the hospital coefficient or a published 病组支付标准), or `regionalAverage`,
 * the group's regional average cost (全市病组次均费用, the weight table's `avgCost`), the same at every
 * hospital. Threshold = round(basis amount × multiple), half away from zero, to the fen.
 */
export type OutlierBasis = "standard" | "regionalAverage";

export const OUTLIER_BASIS_NAMES: Readonly<Record<OutlierBasis, string>> = {
  standard: "病组支付标准",
  regionalAverage: "全市病组次均费用",
};

/**
 * 特殊病例类别 (families a policy may pay differently), in their fixed order of precedence:
 * 住院不足24小时 → 死亡 → 转院 → 长期住院. The first family that a stay belongs to and that the policy
 * lists decides the stay's payment; the later ones are not looked at.
 */
export type SpecialCaseFamily = "under24Hours" | "death" | "transfer" | "longStay";

export const SPECIAL_CASE_FAMILIES: readonly SpecialCaseFamily[] = [
  "under24Hours",
  "death",
  "transfer",
  "longStay",
];

export const SPECIAL_CASE_NAMES: Readonly<Record<SpecialCaseFamily, string>> = {
  under24Hours: "住院不足24小时",
  death: "死亡病例",
  transfer: "转院病例",
  longStay: "长期住院",
};

/** 离院方式 codes (code table dscg_way) of the families: 2 医嘱转院, 5 死亡. */
export const DISCHARGE_WAY_TRANSFER = "2";
export const DISCHARGE_WAY_DEATH = "5";

/** How a special-case family is paid: by items (按项目付费, cost × ratio) or like a normal DRG stay (按病组). */
export type SpecialCasePayment =
  | { readonly method: "items"; readonly ratio: Ppm }
  | { readonly method: "drg" };

/** The special-case families a policy lists (特殊病例规则); null: the family is not singled out. */
export interface SpecialCaseRules {
  readonly under24Hours: { readonly payment: SpecialCasePayment } | null;
  readonly death: { readonly payment: SpecialCasePayment } | null;
  readonly transfer: { readonly payment: SpecialCasePayment } | null;
  /** 长期住院: length of stay strictly over `overDays` days. */
  readonly longStay: { readonly overDays: number; readonly payment: SpecialCasePayment } | null;
}

/** A weight band of the high-outlier rule (高倍率界值分档): RW ≤ maxRw → threshold multiple. */
export interface OutlierBand {
  /** Upper RW bound of the band (inclusive); null: no bound. */
  readonly maxRw: Ppm | null;
  /** Threshold = multiple × the basis amount (支付标准 or 全市次均费用). */
  readonly multiple: Ppm;
}

/** One band of overspend sharing (超支分担分档) at year-end clearing. */
export interface OverspendBand {
  /** Overspend up to this share of the DRG payment (inclusive); null: no bound. */
  readonly upTo: Ppm | null;
  /** Share of the overspend in this band borne by the fund (医保分担比例). */
  readonly fundShare: Ppm;
}

/**
 * What a clearing budget covers (清算预算口径): `totalPayment`, the whole DRG payment to be shared
 * out by points (医保支付总额: fund and patient share together), or `fund`, the fund's own money only
 * (统筹基金预算), to which the patients' share is added before it is shared out by points.
 */
export type ClearingBudgetBasis = "totalPayment" | "fund";

export const CLEARING_BUDGET_BASIS_NAMES: Readonly<Record<ClearingBudgetBasis, string>> = {
  totalPayment: "医保支付总额（含个人负担）",
  fund: "统筹基金",
};

/** Year-end clearing rules (年终清算规则). */
export interface ClearingRules {
  /** What the budget of a clearing covers; `totalPayment` when the policy does not say. */
  readonly budgetBasis: ClearingBudgetBasis;
  /** 结余留用比例: share of a hospital's surplus it keeps. */
  readonly surplusRetention: Ppm;
  /** 超支分担: bands of the overspend borne by the fund; overspend beyond the last band is not covered (超支不补). */
  readonly overspendBands: readonly OverspendBand[];
  /**
   * 基层病种结余不予留用 (seed 000 l.1403–1405): hospitals of these levels keep no surplus made on these
   * DRGs; null when the policy names none.
   */
  readonly primaryCare?: {
    readonly groups: ReadonlySet<string>;
    readonly levels: ReadonlySet<string>;
  } | null;
  /**
   * 结余共享 (seed 000 l.1373–1385): this share of the surplus the hospitals return to the fund is given
   * back to them as a reward, split by each hospital's fund expenditure × its assessment factor
   * (考核系数); 0 (or absent) when the policy shares nothing.
   */
  readonly regionalReward?: Ppm;
}

/** A new-technology item (新技术项目) filed with the insurer, paid by item for its first period. */
export interface NewTechItem {
  readonly code: string;
  readonly name: string;
  /** 备案日期. */
  readonly recordedOn: string;
}

/**
 * A parsed payment policy (DRG 支付政策), one version. `method` `rate` (费率法): standard =
 * RW × rate × coefficient; `point` (点数法): points = RW × pointsPerRw × coefficient, paid at the
 * point value fixed at year-end clearing, with `rate` (测算费率) converting money to points.
 */
export interface PaymentPolicy extends Versioned {
  readonly name: string;
  readonly region: string;
  readonly method: "rate" | "point";
  /** 费率 (rate method) or 测算费率 (point method): fen per 1.0 RW. */
  readonly rate: Fen;
  /** 每权重点数 (point method), usually 100. */
  readonly pointsPerRw: number;
  /** 医院等级系数: hospital level → coefficient. */
  readonly levelCoefficients: ReadonlyMap<string, Ppm>;
  /** 医院系数: hospital id → coefficient (overrides the level coefficient). */
  readonly hospitalCoefficients: ReadonlyMap<string, Ppm>;
  /** 基础病组: DRGs paid with coefficient 1 at every level. */
  readonly baseGroups: ReadonlySet<string>;
  /** 病组支付标准 given directly (fen), replacing RW × rate × coefficient. */
  readonly drgStandards: ReadonlyMap<string, Fen>;
  /** 高倍率: the RW band picks the multiple; `basis` is what it multiplies (default `standard`). */
  readonly highOutlier: {
    readonly basis: OutlierBasis;
    readonly bands: readonly OutlierBand[];
    readonly payment: HighOutlierPayment;
  };
  readonly lowOutlier: {
    readonly basis: OutlierBasis;
    readonly multiple: Ppm;
    readonly payment: LowOutlierPayment;
  } | null;
  /** 特殊病例 (住院不足24小时, 死亡, 转院, 长期住院); every family null when the policy has no `specialCases`. */
  readonly specialCases: SpecialCaseRules;
  /** 歧义组 (QY) paid at this share of actual cost. */
  readonly qyShare: Ppm;
  /** 未入组 (0000) paid at this share of actual cost. */
  readonly ungroupedShare: Ppm;
  /** 固定除外病组 (器官移植等): paid by actual cost. */
  readonly fixedExclusions: ReadonlySet<string>;
  /** 新技术除外病例上限: share of a hospital's cases (3‰ → 3000 ppm). */
  readonly newTechExclusionCap: Ppm;
  /** 新技术除外申请条件 (`exclusions.newTechEligibility`, see new-tech-exclusion.ts). */
  readonly newTechEligibility: NewTechEligibility;
  /** 新技术项目, paid by item for `newTechItemMonths` months after filing. */
  readonly newTechItems: ReadonlyMap<string, NewTechItem>;
  readonly newTechItemMonths: number;
  /** 特病单议: approved cases without a stated amount are topped up to actual cost ("full") or get nothing ("given"). */
  readonly specialReviewMode: "full" | "given";
  /** 特病单议申请规则: criteria, quota and deadline (defaults in special-review.ts when the policy is silent). */
  readonly specialReview: SpecialReviewRules;
  readonly clearing: ClearingRules | null;
  /**
   * 医院系数测算公式 (级别+成本+人次人头比+CMI): how hospital coefficients are computed from a base
   * period (`hospitalCoefficient`); null when the policy types them in. The regional references
   * come from the base period itself.
   */
  readonly coefficientFormula: Omit<HospitalCoefficientParams, "regional"> | null;
  readonly sources: readonly string[];
}

/** 高倍率病例: the threshold's basis, its bands by RW and how a high outlier is paid. */
function readHighOutlier(r: Reader, outliers: Record<string, unknown>): PaymentPolicy["highOutlier"] {
  const high = r.object(outliers.high, "outliers.high");
  const highBasis = readBasis(r, high.basis, "outliers.high.basis");
  const bands = r.array(high.bands, "outliers.high.bands").map((b0, i) => {
    const b = r.object(b0, `outliers.high.bands[${i}]`);
    return {
      maxRw: r.optRatio(b.maxRw, `outliers.high.bands[${i}].maxRw`),
      multiple: r.ratio(b.multiple, `outliers.high.bands[${i}].multiple`),
    };
  });
  if (bands.length === 0) r.fail("outliers.high.bands", "至少需要一档");
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i] as OutlierBand;
    if (b.multiple < PPM_ONE) r.fail(`outliers.high.bands[${i}].multiple`, "高倍率界值倍数须不小于 1");
    const prev = bands[i - 1];
    if (prev !== undefined && (prev.maxRw === null || (b.maxRw !== null && b.maxRw <= prev.maxRw))) {
      r.fail(`outliers.high.bands[${i}].maxRw`, "分档须按权重上限递增，且只有最后一档可无上限");
    }
  }
  if ((bands[bands.length - 1] as OutlierBand).maxRw !== null) {
    r.fail("outliers.high.bands", "最后一档须无上限 (maxRw: null)");
  }
  const hp = r.object(high.payment, "outliers.high.payment");
  let highPayment: HighOutlierPayment | undefined;
  if (hp.method === "items")
    highPayment = { method: "items", ratio: r.ratio(hp.ratio ?? "1", "outliers.high.payment.ratio") };
  else if (hp.method === "excess")
    highPayment = { method: "excess", ratio: r.ratio(hp.ratio, "outliers.high.payment.ratio") };
  else r.fail("outliers.high.payment.method", '须为 "items"(按项目) 或 "excess"(标准+超出部分×比例)');

  return { basis: highBasis, bands, payment: highPayment as HighOutlierPayment };
}

/** 年终清算规则: what the budget covers, the surplus retained, the overspend bands shared by the fund. */
function readClearing(r: Reader, raw: unknown): ClearingRules | null {
  if (raw == null) return null;
  const c = r.object(raw, "clearing");
  const ob = r.array(c.overspendBands ?? [], "clearing.overspendBands").map((b0, i) => {
    const b = r.object(b0, `clearing.overspendBands[${i}]`);
    return {
      upTo: r.optRatio(b.upTo, `clearing.overspendBands[${i}].upTo`),
      fundShare: r.ratio(b.fundShare, `clearing.overspendBands[${i}].fundShare`),
    };
  });
  for (let i = 1; i < ob.length; i++) {
    const prev = ob[i - 1] as OverspendBand;
    const cur = ob[i] as OverspendBand;
    if (prev.upTo === null || (cur.upTo !== null && cur.upTo <= prev.upTo)) {
      r.fail(`clearing.overspendBands[${i}].upTo`, "分档须按上限递增，且只有最后一档可无上限");
    }
  }
  const retention = r.ratio(c.surplusRetention, "clearing.surplusRetention");
  if (retention > PPM_ONE) r.fail("clearing.surplusRetention", "结余留用比例不能超过 1");
  const basis = c.budgetBasis ?? "totalPayment";
  if (basis !== "totalPayment" && basis !== "fund")
    r.fail("clearing.budgetBasis", '须为 "totalPayment"（医保支付总额）或 "fund"（统筹基金）');
  let primaryCare: ClearingRules["primaryCare"] = null;
  if (c.primaryCare != null) {
    const pc = r.object(c.primaryCare, "clearing.primaryCare");
    const groups = r.stringList(pc.groups, "clearing.primaryCare.groups");
    const levels = r.stringList(pc.levels, "clearing.primaryCare.levels");
    if (groups.length === 0) r.fail("clearing.primaryCare.groups", "至少一个基层病种（DRG 编码）");
    if (levels.length === 0) r.fail("clearing.primaryCare.levels", "至少一个医院等级");
    primaryCare = { groups: new Set(groups), levels: new Set(levels) };
  }
  const regionalReward = r.ratio(c.regionalReward ?? "0", "clearing.regionalReward");
  if (regionalReward > PPM_ONE) r.fail("clearing.regionalReward", "结余共享比例不能超过 1");
  return {
    budgetBasis: basis as ClearingBudgetBasis,
    surplusRetention: retention,
    overspendBands: ob,
    primaryCare,
    regionalReward,
  };
}

/** Validates and converts a payment policy (解析支付政策). */
export function parsePaymentPolicy(data: unknown): PaymentPolicy {
  const r0 = new Reader("支付政策");
  const raw = r0.object(data, "(根)");
  const head = readVersioned(raw, "支付政策");
  const r = new Reader(`支付政策 ${head.id}@${head.version}`);
  const method = raw.method;
  if (method !== "rate" && method !== "point") r.fail("method", '须为 "rate"(费率法) 或 "point"(点数法)');
  const rate = r.yuan(raw.rate, "rate");
  if (rate <= 0) r.fail("rate", "费率须大于零");
  const pointsPerRw = method === "point" ? r.integer(raw.pointsPerRw ?? 100, "pointsPerRw", 1) : 100;

  const outliers = r.object(raw.outliers, "outliers");
  const highOutlier = readHighOutlier(r, outliers);
  let lowOutlier: PaymentPolicy["lowOutlier"] = null;
  if (outliers.low != null) {
    const low = r.object(outliers.low, "outliers.low");
    const basis = readBasis(r, low.basis, "outliers.low.basis");
    const multiple = r.ratio(low.multiple, "outliers.low.multiple");
    if (multiple >= PPM_ONE) r.fail("outliers.low.multiple", "低倍率界值倍数须小于 1");
    const lp = r.object(low.payment, "outliers.low.payment");
    if (lp.method !== "actualCost" && lp.method !== "scaled") {
      r.fail("outliers.low.payment.method", '须为 "actualCost"(按实际费用) 或 "scaled"(按比例)');
    }
    lowOutlier = { basis, multiple, payment: { method: lp.method as "actualCost" | "scaled" } };
  }

  const amb = r.object(raw.ambiguous, "ambiguous");
  const excl = r.object(raw.exclusions ?? {}, "exclusions");
  const newTechItems = new Map<string, NewTechItem>();
  r.array(raw.newTechItems ?? [], "newTechItems").forEach((x0, i) => {
    const x = r.object(x0, `newTechItems[${i}]`);
    const code = r.string(x.code, `newTechItems[${i}].code`);
    newTechItems.set(code, {
      code,
      name: typeof x.name === "string" ? x.name : "",
      recordedOn: r.date(x.recordedOn, `newTechItems[${i}].recordedOn`),
    });
  });
  const sr = raw.specialReview == null ? {} : r.object(raw.specialReview, "specialReview");
  const srMode = sr.mode ?? "full";
  if (srMode !== "full" && srMode !== "given") r.fail("specialReview.mode", '须为 "full" 或 "given"');
  const specialReview = readSpecialReviewRules(r, sr);

  const clearing = readClearing(r, raw.clearing);
  const levelCoefficients = r.ratioMap(raw.levelCoefficients, "levelCoefficients");
  const hospitalCoefficients = r.ratioMap(raw.hospitalCoefficients, "hospitalCoefficients");
  const qyShare = r.ratio(amb.qyShare, "ambiguous.qyShare");
  const ungroupedShare = r.ratio(amb.ungroupedShare ?? amb.qyShare, "ambiguous.ungroupedShare");
  return {
    ...head,
    name: typeof raw.name === "string" ? raw.name : "",
    region: typeof raw.region === "string" ? raw.region : "",
    method: method as "rate" | "point",
    rate,
    pointsPerRw,
    levelCoefficients,
    hospitalCoefficients,
    baseGroups: new Set(r.stringList(raw.baseGroups, "baseGroups")),
    drgStandards: r.yuanMap(raw.drgStandards, "drgStandards"),
    highOutlier,
    lowOutlier,
    specialCases: readSpecialCases(r, raw.specialCases),
    qyShare,
    ungroupedShare,
    fixedExclusions: new Set(r.stringList(excl.fixedDrgs, "exclusions.fixedDrgs")),
    newTechExclusionCap: r.ratio(excl.newTechCap ?? "3‰", "exclusions.newTechCap"),
    newTechEligibility: readNewTechEligibility(r, excl.newTechEligibility),
    newTechItems,
    newTechItemMonths: r.integer(raw.newTechItemMonths ?? 12, "newTechItemMonths", 0),
    specialReviewMode: srMode as "full" | "given",
    specialReview,
    clearing,
    coefficientFormula: readCoefficientFormula(r, raw.coefficientFormula),
    sources: r.stringList(raw.sources, "sources"),
  };
}

/**
 * 医院系数测算公式: `{levelBase: {三级: "1.0", …}, weights: {level, cost, admissionsPerPatient, cmi},
 * min?, max?}`; weights non-negative with a positive sum, min ≤ max.
 */
function readCoefficientFormula(r: Reader, raw: unknown): PaymentPolicy["coefficientFormula"] {
  if (raw == null) return null;
  const f = r.object(raw, "coefficientFormula");
  const levelBase = r.ratioMap(f.levelBase, "coefficientFormula.levelBase");
  if (levelBase.size === 0) r.fail("coefficientFormula.levelBase", "至少一个医院等级的基础系数");
  const w = r.object(f.weights, "coefficientFormula.weights");
  const weights = {
    level: r.ratio(w.level ?? "0", "coefficientFormula.weights.level"),
    cost: r.ratio(w.cost ?? "0", "coefficientFormula.weights.cost"),
    admissionsPerPatient: r.ratio(
      w.admissionsPerPatient ?? "0",
      "coefficientFormula.weights.admissionsPerPatient",
    ),
    cmi: r.ratio(w.cmi ?? "0", "coefficientFormula.weights.cmi"),
  };
  for (const [k, v] of Object.entries(weights))
    if (v < 0) r.fail(`coefficientFormula.weights.${k}`, "权重不能为负");
  if (weights.level + weights.cost + weights.admissionsPerPatient + weights.cmi <= 0)
    r.fail("coefficientFormula.weights", "各项权重之和须大于零");
  const min = f.min == null ? undefined : r.ratio(f.min, "coefficientFormula.min");
  const max = f.max == null ? undefined : r.ratio(f.max, "coefficientFormula.max");
  if (min !== undefined && max !== undefined && min > max)
    r.fail("coefficientFormula.min", "下限不能大于上限");
  return {
    levelBase: Object.fromEntries(levelBase),
    weights,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
  };
}

function readBasis(r: Reader, v: unknown, field: string): OutlierBasis {
  if (v == null) return "standard";
  if (v !== "standard" && v !== "regionalAverage") {
    r.fail(field, '须为 "standard"（病组支付标准）或 "regionalAverage"（全市病组次均费用）');
  }
  return v;
}

function readSpecialCasePayment(r: Reader, v: unknown, field: string): SpecialCasePayment {
  const p = r.object(v, field);
  if (p.method === "drg") return { method: "drg" };
  if (p.method === "items") return { method: "items", ratio: r.ratio(p.ratio ?? "1", `${field}.ratio`) };
  return r.fail(`${field}.method`, '须为 "items"（按项目付费×比例）或 "drg"（按病组付费）');
}

const NO_SPECIAL_CASES: SpecialCaseRules = {
  under24Hours: null,
  death: null,
  transfer: null,
  longStay: null,
};

/**
 * `specialCases: {under24Hours?: {payment}, death?: {payment}, transfer?: {payment},
 * longStay?: {overDays?: 60, payment}}`; a key outside the four families is refused (a misspelt family
 * would otherwise be silently ignored).
 */
function readSpecialCases(r: Reader, v: unknown): SpecialCaseRules {
  if (v == null) return NO_SPECIAL_CASES;
  const o = r.object(v, "specialCases");
  for (const k of Object.keys(o)) {
    if (!(SPECIAL_CASE_FAMILIES as readonly string[]).includes(k)) {
      r.fail(`specialCases.${k}`, `未知的特殊病例类别，须为 ${SPECIAL_CASE_FAMILIES.join("/")} 之一`);
    }
  }
  const simple = (k: "under24Hours" | "death" | "transfer") => {
    if (o[k] == null) return null;
    const f = r.object(o[k], `specialCases.${k}`);
    return { payment: readSpecialCasePayment(r, f.payment, `specialCases.${k}.payment`) };
  };
  let longStay: SpecialCaseRules["longStay"] = null;
  if (o.longStay != null) {
    const f = r.object(o.longStay, "specialCases.longStay");
    longStay = {
      overDays: r.integer(f.overDays ?? 60, "specialCases.longStay.overDays", 1),
      payment: readSpecialCasePayment(r, f.payment, "specialCases.longStay.payment"),
    };
  }
  return {
    under24Hours: simple("under24Hours"),
    death: simple("death"),
    transfer: simple("transfer"),
    longStay,
  };
}

/** Indicators a hospital coefficient is computed from (医院系数测算指标). */
export interface HospitalCoefficientInputs {
  /** 医院等级, a key of `levelBase`. */
  readonly level: string;
  /** 成本系数: the hospital's average cost per case ÷ the region's (ppm). */
  readonly costIndex: Ppm;
  /** 人次人头比: admissions ÷ distinct patients, the hospital's (ppm). */
  readonly admissionsPerPatient: Ppm;
  /** 病例组合指数 CMI of the hospital (ppm). */
  readonly cmi: Ppm;
}

/** Parameters of the hospital coefficient (医院系数参数), region data. */
export interface HospitalCoefficientParams {
  /** 级别基础系数 by level. */
  readonly levelBase: Readonly<Record<string, Ppm>>;
  /** Weights of the four components (权重); they need not sum to 1 (normalised). */
  readonly weights: {
    readonly level: Ppm;
    readonly cost: Ppm;
    readonly admissionsPerPatient: Ppm;
    readonly cmi: Ppm;
  };
  /** Regional reference values (全市平均): admissions per patient and CMI. */
  readonly regional: { readonly admissionsPerPatient: Ppm; readonly cmi: Ppm };
  /** Optional bounds of the coefficient. */
  readonly min?: Ppm;
  readonly max?: Ppm;
}

/**
 * 医院系数 (病组差异系数) from level + cost + admissions-per-patient ratio + CMI ("级别+成本+人次人头比+CMI
 * 值": the ratio and the CMI were added to level and cost to curb split admissions and reward harder cases):
 *
 *   coefficient = (w_level·levelBase + w_cost·costIndex + w_ratio·(regionalRatio ÷ hospitalRatio)
 *                  + w_cmi·(hospitalCMI ÷ regionalCMI)) ÷ Σw
 *
 * The admissions-per-patient term is inverted, so a hospital that splits stays (higher ratio)
 * gets a lower coefficient; the CMI term rewards taking harder cases. Rounded half away from
 * zero to 1 ppm, then clamped to [min, max].
 */
export function hospitalCoefficient(
  inputs: HospitalCoefficientInputs,
  params: HospitalCoefficientParams,
): Ppm {
  const base = params.levelBase[inputs.level];
  if (base === undefined) throw new RangeError(`医院等级「${inputs.level}」没有级别基础系数`);
  if (inputs.admissionsPerPatient <= 0 || params.regional.cmi <= 0) {
    throw new RangeError("人次人头比与全市 CMI 须大于零");
  }
  const w = params.weights;
  const wSum = BigInt(w.level + w.cost + w.admissionsPerPatient + w.cmi);
  if (wSum <= 0n) throw new RangeError("医院系数各项权重之和须大于零");
  const M = BigInt(PPM_ONE);
  // Everything over the common denominator M·hospitalRatio·regionalCMI·wSum, in ppm units.
  const hr = BigInt(inputs.admissionsPerPatient);
  const rc = BigInt(params.regional.cmi);
  const den = hr * rc;
  const num =
    BigInt(w.level) * BigInt(base) * den +
    BigInt(w.cost) * BigInt(inputs.costIndex) * den +
    BigInt(w.admissionsPerPatient) * BigInt(params.regional.admissionsPerPatient) * M * rc +
    BigInt(w.cmi) * BigInt(inputs.cmi) * M * hr;
  const q = num / (den * wSum);
  const rem = num % (den * wSum);
  let c = Number(rem * 2n >= den * wSum ? q + 1n : q);
  if (params.min !== undefined && c < params.min) c = params.min;
  if (params.max !== undefined && c > params.max) c = params.max;
  return c;
}
