/**
 * Patient share from a benefit policy (待遇政策与个人负担).
 *
 * A stay's total cost splits into 甲类 (classA), 乙类 (classB), 全自费 (selfPay) and 其他 (other).
 * Per stay, in this order (every rounding half away from zero to the fen):
 *
 *  1. selfPay → patient; other → patient unless the policy makes it eligible.
 *  2. 乙类先行自付 = round(classB × classBSelfPay) → patient.
 *  3. 床位费超标 = max(0, bedFee − cap per day × bedDays) → patient (bed fee is part of classA).
 *  4. eligible (目录内费用) = classA + classB − 乙类先行自付 − 床位费超标 (+ other if eligible).
 *  5. 起付线 = base deductible of the hospital class (or the remote-care level), × the repeat ratio
 *     (rounded) from the person's second admission in the admission year; capped at eligible.
 *  6. fund = round((eligible − deductible) × fund ratio); co-pay (共付段个人负担) = the rest.
 *  7. 年度最高支付限额: fund beyond (cap − fund paid so far this year) → patient (超限额).
 *
 * fund + patient = total cost, exactly, always.
 */
import { allocateLargestRemainder, type Fen, mulPpm, PPM_ONE, type Ppm } from "./money.js";
import { Reader } from "./read.js";
import { dayNumber, readVersioned, SettlementError, selectEffective, type Versioned } from "./versioned.js";

/** 就医类型: local, long-term remote residence, temporary remote care, remote care without filing. */
export type Treatment = "local" | "remoteLongTerm" | "remoteTemporary" | "remoteUnregistered";

/** 跨年度住院规则: whole stay in the discharge year's cap (邯郸), or split by days per year. */
export type CrossYearRule = "dischargeYear" | "splitByDays";

/** A parsed benefit policy (待遇政策), one version. */
export interface BenefitPolicy extends Versioned {
  readonly name: string;
  readonly region: string;
  /** Deductible class (起付线类别) → base deductible and the level used for the fund ratio. */
  readonly classes: ReadonlyMap<string, { readonly deductible: Fen; readonly ratioLevel: string }>;
  /** `${insurance}|${ratioLevel}` → 统筹基金支付比例. */
  readonly fundRatios: ReadonlyMap<string, Ppm>;
  /**
   * 险种类型 (the list's `insutype` code, e.g. 310, 390) → the insurance of `fundRatios` a stay of that
   * type is paid as. A code not in it is paid by no rule of this policy (the list's own share stands).
   */
  readonly insuranceTypes: ReadonlyMap<string, string>;
  /** 第二次及以后住院起付线 as a share of the base (50% → 500000). */
  readonly repeatAdmissionDeductible: Ppm;
  /** 年度最高支付限额 by insurance type; absent: no cap. */
  readonly annualCaps: ReadonlyMap<string, Fen>;
  /** 乙类先行自付比例. */
  readonly classBSelfPay: Ppm;
  /** Whether 其他 amounts are in the catalogue (eligible). */
  readonly otherEligible: boolean;
  /** 床位费支付标准 per day by ratio level. */
  readonly bedFeeCaps: ReadonlyMap<string, Fen>;
  /** 异地临时外出就医: deductible and fund ratio by ratio level; 未备案 reduction. */
  readonly remote: {
    readonly deductibles: ReadonlyMap<string, Fen>;
    readonly ratios: ReadonlyMap<string, Ppm>;
    readonly unregisteredReduction: Ppm;
  } | null;
  /** 定额支付 (e.g. 自然分娩): the fund pays this fixed amount (at most the eligible cost). */
  readonly fixedAmountCases: ReadonlyMap<string, Fen>;
  /**
   * Which stays are a fixed-amount case (定额支付病种认定): the principal diagnosis codes (ICD-10
   * prefixes, e.g. O80 单胎顺产) of each case named in `fixedAmountCases`. A case without codes here is
   * never recognised from a list (it can still be given on a stay).
   */
  readonly fixedAmountCaseDiagnoses: ReadonlyMap<string, readonly string[]>;
  /**
   * 本统筹区参保地: the administrative-area codes (or prefixes, e.g. "1304") of the people this policy
   * insures. A stay of someone insured elsewhere (异地就医) is paid by DRG like every other stay, but the patient's
   * share is the insuring region's, so it is taken from the list. Empty: everyone is taken as local.
   */
  readonly localInsuredAreas: readonly string[];
  readonly crossYear: CrossYearRule;
  readonly sources: readonly string[];
  readonly notes: readonly string[];
}

/** Validates and converts a benefit policy (解析待遇政策). */
export function parseBenefitPolicy(data: unknown): BenefitPolicy {
  const raw = new Reader("待遇政策").object(data, "(根)");
  const head = readVersioned(raw, "待遇政策");
  const r = new Reader(`待遇政策 ${head.id}@${head.version}`);
  const classes = new Map<string, { deductible: Fen; ratioLevel: string }>();
  r.array(raw.classes, "classes").forEach((c0, i) => {
    const c = r.object(c0, `classes[${i}]`);
    const name = r.string(c.class, `classes[${i}].class`);
    if (classes.has(name)) r.fail(`classes[${i}].class`, `类别「${name}」重复`);
    classes.set(name, {
      deductible: r.yuan(c.deductible, `classes[${i}].deductible`),
      ratioLevel: r.string(c.ratioLevel, `classes[${i}].ratioLevel`),
    });
  });
  const fundRatios = new Map<string, Ppm>();
  r.array(raw.fundRatios, "fundRatios").forEach((x0, i) => {
    const x = r.object(x0, `fundRatios[${i}]`);
    const key = `${r.string(x.insurance, `fundRatios[${i}].insurance`)}|${r.string(x.level, `fundRatios[${i}].level`)}`;
    const ratio = r.ratio(x.ratio, `fundRatios[${i}].ratio`);
    if (ratio > PPM_ONE) r.fail(`fundRatios[${i}].ratio`, "支付比例不能超过 100%");
    fundRatios.set(key, ratio);
  });
  const insuranceTypes = readInsuranceTypes(r, raw.insuranceTypes, fundRatios);
  let remote: BenefitPolicy["remote"] = null;
  if (raw.remote != null) {
    const rm = r.object(raw.remote, "remote");
    remote = {
      deductibles: r.yuanMap(rm.deductibles, "remote.deductibles"),
      ratios: r.ratioMap(rm.ratios, "remote.ratios"),
      unregisteredReduction: r.ratio(rm.unregisteredReduction ?? "0", "remote.unregisteredReduction"),
    };
  }
  const crossYear = raw.crossYear ?? "dischargeYear";
  if (crossYear !== "dischargeYear" && crossYear !== "splitByDays") {
    r.fail("crossYear", '须为 "dischargeYear" 或 "splitByDays"');
  }
  const otherEligible = raw.otherEligible ?? false;
  if (typeof otherEligible !== "boolean") r.fail("otherEligible", "须为 true 或 false");
  const fixedAmountCases = r.yuanMap(raw.fixedAmountCases, "fixedAmountCases");
  return {
    ...head,
    name: typeof raw.name === "string" ? raw.name : "",
    region: typeof raw.region === "string" ? raw.region : "",
    classes,
    fundRatios,
    insuranceTypes,
    repeatAdmissionDeductible: r.ratio(raw.repeatAdmissionDeductible ?? "1", "repeatAdmissionDeductible"),
    annualCaps: r.yuanMap(raw.annualCaps, "annualCaps"),
    classBSelfPay: r.ratio(raw.classBSelfPay ?? "0", "classBSelfPay"),
    otherEligible: otherEligible as boolean,
    bedFeeCaps: r.yuanMap(raw.bedFeeCaps, "bedFeeCaps"),
    remote,
    fixedAmountCases,
    fixedAmountCaseDiagnoses: readFixedCaseDiagnoses(r, raw.fixedAmountCaseDiagnoses, fixedAmountCases),
    localInsuredAreas: readAreas(r, raw.localInsuredAreas),
    crossYear: crossYear as CrossYearRule,
    sources: r.stringList(raw.sources, "sources"),
    notes: r.stringList(raw.notes, "notes"),
  };
}

/** `fixedAmountCaseDiagnoses`: {case: ["O80", …]}, each case one of `fixedAmountCases`, codes non-empty. */
function readFixedCaseDiagnoses(
  r: Reader,
  raw: unknown,
  cases: ReadonlyMap<string, Fen>,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (raw == null) return out;
  for (const [name, codes] of Object.entries(r.object(raw, "fixedAmountCaseDiagnoses"))) {
    const field = `fixedAmountCaseDiagnoses.${name}`;
    if (!cases.has(name)) r.fail(field, `「${name}」不是 fixedAmountCases 中的定额支付病种`);
    const list = r.stringList(codes, field).map((c) => c.trim().toUpperCase());
    if (list.length === 0 || list.some((c) => c === "")) r.fail(field, "须为非空的诊断编码前缀列表");
    out.set(name, list);
  }
  return out;
}

/**
 * The 险种类型 mapping of an edition that gives none (editions written before the field existed were
 * paid by it): 310 职工基本医疗保险 → 职工基本医疗保险, 390 城乡居民基本医疗保险 → 城乡居民.
 */
export const DEFAULT_INSURANCE_TYPES: Readonly<Record<string, string>> = {
  "310": "职工基本医疗保险",
  "390": "城乡居民",
};

/** `insuranceTypes`: {"390": "城乡居民", …}, each code three digits, each insurance one of `fundRatios`. */
function readInsuranceTypes(
  r: Reader,
  raw: unknown,
  fundRatios: ReadonlyMap<string, Ppm>,
): Map<string, string> {
  if (raw == null) return new Map(Object.entries(DEFAULT_INSURANCE_TYPES));
  const insurances = new Set([...fundRatios.keys()].map((k) => k.slice(0, k.lastIndexOf("|"))));
  const out = new Map<string, string>();
  for (const [code, name] of Object.entries(r.object(raw, "insuranceTypes"))) {
    const field = `insuranceTypes.${code}`;
    if (!/^\d{3}$/.test(code)) r.fail(field, `险种类型代码须为 3 位数字（收到「${code}」）`);
    const insurance = r.string(name, field);
    if (!insurances.has(insurance)) r.fail(field, `险种「${insurance}」在 fundRatios 中没有支付比例`);
    out.set(code, insurance);
  }
  return out;
}

/** `localInsuredAreas`: 2–6 digit administrative-area codes or prefixes. */
function readAreas(r: Reader, raw: unknown): string[] {
  const list = r.stringList(raw, "localInsuredAreas").map((x) => x.trim());
  list.forEach((x, i) => {
    if (!/^\d{2,6}$/.test(x)) r.fail(`localInsuredAreas[${i}]`, "须为 2–6 位行政区划代码或其前缀");
  });
  return list;
}

/**
 * Whether someone insured in `area` (参保地 insuplc) is insured by this policy's region: true when
 * the policy names no areas, or the area is unknown (''), or it starts with one of them.
 */
export function isLocallyInsured(policy: BenefitPolicy, area: string): boolean {
  const a = area.trim();
  if (policy.localInsuredAreas.length === 0 || a === "") return true;
  return policy.localInsuredAreas.some((p) => a.startsWith(p));
}

/**
 * The fixed-amount case (定额支付病种) a principal diagnosis makes a stay under `policy`: the case
 * whose longest code prefix matches, or null.
 */
export function fixedAmountCaseOf(policy: BenefitPolicy, principalDiagnosis: string): string | null {
  const code = principalDiagnosis.trim().toUpperCase();
  if (code === "") return null;
  let best: string | null = null;
  let bestLength = 0;
  for (const [name, prefixes] of policy.fixedAmountCaseDiagnoses)
    for (const p of prefixes)
      if (p.length > bestLength && code.startsWith(p)) {
        best = name;
        bestLength = p.length;
      }
  return best;
}

/** 费用构成: a stay's total cost split by payment category (fen). */
export interface CostSplit {
  /** 甲类. */
  readonly classA: Fen;
  /** 乙类. */
  readonly classB: Fen;
  /** 全自费. */
  readonly selfPay: Fen;
  /** 其他. */
  readonly other: Fen;
}

/** A person's state in one calendar year (参保人年度累计): admissions so far and fund paid so far. */
export interface PersonYearState {
  /** 本年度已住院次数 (before this stay). */
  readonly admissions: number;
  /** 本年度统筹基金已支付 (fen, before this stay). */
  readonly fundPaid: Fen;
}

/** Year (e.g. `"2021"`) → state; a missing year means no admission yet that year. */
export type PersonState = Readonly<Record<string, PersonYearState>>;

/** What the patient-share calculation needs to know about a stay (个人负担测算输入). */
export interface BenefitInput {
  /** Record id, for error messages. */
  readonly id: string;
  readonly costs: CostSplit;
  /** 床位费 (part of classA) and 床日数, for the bed-fee standard. */
  readonly bedFee?: Fen;
  readonly bedDays?: number;
  /** 起付线类别 of the hospital. */
  readonly benefitClass: string;
  /** 险种, e.g. 城乡居民. */
  readonly insurance: string;
  readonly treatment?: Treatment;
  /** 入院日期 / 出院日期 (ISO). */
  readonly admissionDate: string;
  readonly dischargeDate: string;
  /** 定额支付病种, e.g. 自然分娩. */
  readonly fixedCase?: string | null;
  readonly person?: PersonState;
}

/** One year's part of the fund payment (stays spanning two years). */
export interface YearShare {
  readonly year: string;
  readonly fund: Fen;
  readonly overCap: Fen;
}

/** 个人负担与基金支付: the exact split of a stay's cost, with its breakdown (fen). */
export interface PatientShare {
  readonly total: Fen;
  /** 目录内费用. */
  readonly eligible: Fen;
  /** 统筹基金支付 (按项目). */
  readonly fund: Fen;
  /** 个人负担 = total − fund. */
  readonly patient: Fen;
  /** 全自费. */
  readonly selfPay: Fen;
  /** 其他 (not eligible). */
  readonly other: Fen;
  /** 乙类先行自付. */
  readonly classBFirstPay: Fen;
  /** 床位费超标准部分. */
  readonly bedFeeExcess: Fen;
  /** 起付线. */
  readonly deductible: Fen;
  /** 共付段个人负担. */
  readonly coPay: Fen;
  /** 超年度限额部分. */
  readonly overCap: Fen;
  /** 支付比例 applied (of the discharge year). */
  readonly fundRatio: Ppm;
  readonly years: readonly YearShare[];
}

/** A set of benefit-policy versions, selected by date (待遇政策版本集). */
export class BenefitPolicySet {
  readonly versions: readonly BenefitPolicy[];
  constructor(versions: readonly BenefitPolicy[]) {
    if (versions.length === 0) throw new RangeError("待遇政策版本集不能为空");
    this.versions = versions;
  }
  /** The version in force on `date`; throws `SettlementError` for `record` when none is. */
  at(date: string, record: string, field: string): BenefitPolicy {
    const p = selectEffective(this.versions, date);
    if (p === undefined) throw new SettlementError(record, field, `${date} 没有生效的待遇政策`);
    return p;
  }
}

const NO_STATE: PersonYearState = { admissions: 0, fundPaid: 0 };

function ratioFor(p: BenefitPolicy, input: BenefitInput, level: string): Ppm {
  const t = input.treatment ?? "local";
  if (t === "remoteTemporary" || t === "remoteUnregistered") {
    const remote = p.remote;
    const base = remote?.ratios.get(level);
    if (remote === null || base === undefined) {
      throw new SettlementError(
        input.id,
        "treatment",
        `待遇政策 ${p.id}@${p.version} 未规定${level}异地临时外出就医支付比例`,
      );
    }
    if (t === "remoteTemporary") return base;
    return Math.max(0, base - remote.unregisteredReduction);
  }
  const ratio = p.fundRatios.get(`${input.insurance}|${level}`);
  if (ratio === undefined) {
    throw new SettlementError(
      input.id,
      "insurance",
      `待遇政策 ${p.id}@${p.version} 未规定${input.insurance}在${level}定点医疗机构的支付比例`,
    );
  }
  return ratio;
}

function classOf(p: BenefitPolicy, input: BenefitInput): { deductible: Fen; ratioLevel: string } {
  const c = p.classes.get(input.benefitClass);
  if (c === undefined) {
    throw new SettlementError(
      input.id,
      "benefitClass",
      `待遇政策 ${p.id}@${p.version} 没有起付线类别「${input.benefitClass}」`,
    );
  }
  return c;
}

function capLeft(p: BenefitPolicy, insurance: string, state: PersonYearState): number {
  const cap = p.annualCaps.get(insurance);
  return cap === undefined ? Number.POSITIVE_INFINITY : Math.max(0, cap - state.fundPaid);
}

/** 床位费超标部分: the bed fee above the policy's daily cap for the ratio level, paid by the patient. */
function bedFeeExcessOf(input: BenefitInput, atDischarge: BenefitPolicy, level: string): Fen {
  if (input.bedFee === undefined || input.bedFee <= 0) return 0;
  if (input.bedFee > input.costs.classA)
    throw new SettlementError(input.id, "bedFee", "床位费不能超过甲类费用");
  const perDay = atDischarge.bedFeeCaps.get(level);
  if (perDay === undefined) return 0;
  const days = input.bedDays ?? 0;
  if (!Number.isSafeInteger(days) || days < 0) throw new SettlementError(input.id, "bedDays", "须为非负整数");
  return Math.max(0, input.bedFee - perDay * days);
}

/**
 * 起付线 before it is capped by the eligible amount: the class's, or for temporary remote care
 * (异地临时外出就医) the policy's remote deductible of the level, reduced for a repeat admission in
 * the admission year.
 */
function deductibleBase(input: BenefitInput, atAdmission: BenefitPolicy, admissionsBefore: number): Fen {
  const t = input.treatment ?? "local";
  let base: Fen;
  if (t === "remoteTemporary" || t === "remoteUnregistered") {
    const admLevel = classOf(atAdmission, input).ratioLevel;
    const d = atAdmission.remote?.deductibles.get(admLevel);
    if (d === undefined) {
      throw new SettlementError(
        input.id,
        "treatment",
        `待遇政策 ${atAdmission.id}@${atAdmission.version} 未规定${admLevel}异地临时外出就医起付线`,
      );
    }
    base = d;
  } else {
    base = classOf(atAdmission, input).deductible;
  }
  return admissionsBefore >= 1 ? mulPpm(base, atAdmission.repeatAdmissionDeductible) : base;
}

/**
 * A stay spanning years under `splitByDays`: the amount above the deductible split by the days
 * spent in each calendar year, each part paid at the ratio and against the cap of its year's policy.
 */
function splitByYears(
  input: BenefitInput,
  policies: BenefitPolicySet,
  above: Fen,
  person: Readonly<Record<string, PersonYearState>>,
): YearShare[] {
  const first = Number(input.admissionDate.slice(0, 4));
  const last = Number(input.dischargeDate.slice(0, 4));
  const weights: number[] = [];
  const start = dayNumber(input.admissionDate);
  const end = dayNumber(input.dischargeDate);
  for (let y = first; y <= last; y++) {
    const from = Math.max(start, dayNumber(`${y}-01-01`));
    const to = Math.min(end, dayNumber(`${y + 1}-01-01`));
    weights.push(Math.max(0, to - from));
  }
  const parts = allocateLargestRemainder(above, weights);
  return parts.map((part, i) => {
    const year = String(first + i);
    const yearEnd = year === String(last) ? input.dischargeDate : `${year}-12-31`;
    const p = policies.at(yearEnd, input.id, "dischargeDate");
    const f = mulPpm(part, ratioFor(p, input, classOf(p, input).ratioLevel));
    const paid = Math.min(f, capLeft(p, input.insurance, person[year] ?? NO_STATE));
    return { year, fund: paid, overCap: f - paid };
  });
}

/**
 * Computes the patient share and fund payment of one stay (计算个人负担). The deductible follows
 * the policy in force on the admission date and the admissions of the admission year; the fund
 * ratio and the annual cap follow the policy in force on the discharge date and, for a stay
 * spanning years, its cross-year rule (e.g. 邯郸: the stay counts against the cap of its discharge year,
 * the deductible is that of its admission year — 纳入出院日期所在年度支付限额, 起付标准按住院日期所在年度执行).
 */
export function computePatientShare(input: BenefitInput, policies: BenefitPolicySet): PatientShare {
  const { costs } = input;
  const id = input.id;
  for (const k of ["classA", "classB", "selfPay", "other"] as const) {
    const v = costs[k];
    if (!Number.isSafeInteger(v) || v < 0) throw new SettlementError(id, `costs.${k}`, "须为非负整数分");
  }
  if (input.dischargeDate < input.admissionDate)
    throw new SettlementError(id, "dischargeDate", "出院日期早于入院日期");
  const total = costs.classA + costs.classB + costs.selfPay + costs.other;
  const atAdmission = policies.at(input.admissionDate, id, "admissionDate");
  const atDischarge = policies.at(input.dischargeDate, id, "dischargeDate");
  const cls = classOf(atDischarge, input);
  const level = cls.ratioLevel;

  const classBFirstPay = mulPpm(costs.classB, atDischarge.classBSelfPay);
  const bedFeeExcess = bedFeeExcessOf(input, atDischarge, level);
  const otherToPatient = atDischarge.otherEligible ? 0 : costs.other;
  const eligible =
    costs.classA + costs.classB - classBFirstPay - bedFeeExcess + (costs.other - otherToPatient);

  const admYear = input.admissionDate.slice(0, 4);
  const disYear = input.dischargeDate.slice(0, 4);
  const person = input.person ?? {};
  const admState = person[admYear] ?? NO_STATE;
  const fixed = input.fixedCase == null ? undefined : atDischarge.fixedAmountCases.get(input.fixedCase);
  if (input.fixedCase != null && fixed === undefined) {
    throw new SettlementError(
      id,
      "fixedCase",
      `待遇政策 ${atDischarge.id}@${atDischarge.version} 没有定额支付病种「${input.fixedCase}」`,
    );
  }

  let deductible = 0;
  let fundRatio: Ppm = PPM_ONE;
  let fundBeforeCap: Fen;
  if (fixed !== undefined) {
    fundBeforeCap = Math.min(fixed, eligible);
  } else {
    const base = deductibleBase(input, atAdmission, admState.admissions);
    deductible = Math.min(base, eligible);
    fundRatio = ratioFor(atDischarge, input, level);
    fundBeforeCap = -1; // computed per year below
  }

  const above = eligible - deductible;
  const years: YearShare[] = [];
  let fund = 0;
  let overCap = 0;
  if (admYear !== disYear && atDischarge.crossYear === "splitByDays" && fixed === undefined) {
    for (const y of splitByYears(input, policies, above, person)) {
      years.push(y);
      fund += y.fund;
      overCap += y.overCap;
    }
  } else {
    const f = fundBeforeCap >= 0 ? fundBeforeCap : mulPpm(above, fundRatio);
    const left = capLeft(atDischarge, input.insurance, person[disYear] ?? NO_STATE);
    fund = Math.min(f, left);
    overCap = f - fund;
    years.push({ year: disYear, fund, overCap });
  }
  const coPay = above - fund - overCap;
  const patient = total - fund;
  return {
    total,
    eligible,
    fund,
    patient,
    selfPay: costs.selfPay,
    other: otherToPatient,
    classBFirstPay,
    bedFeeExcess,
    deductible,
    coPay,
    overCap,
    fundRatio,
    years,
  };
}

/** The person's state after this stay (更新年度累计): one more admission, fund added to its years. */
export function advancePersonState(
  state: PersonState,
  input: BenefitInput,
  share: PatientShare,
): PersonState {
  const next: Record<string, PersonYearState> = { ...state };
  const admYear = input.admissionDate.slice(0, 4);
  const a = next[admYear] ?? NO_STATE;
  next[admYear] = { admissions: a.admissions + 1, fundPaid: a.fundPaid };
  for (const y of share.years) {
    const s = next[y.year] ?? NO_STATE;
    next[y.year] = { admissions: s.admissions, fundPaid: s.fundPaid + y.fund };
  }
  return next;
}
