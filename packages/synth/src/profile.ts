/**
 * 地区参数 (RegionProfile): everything region-specific about a synthetic region, as data with
 * defaults for a mid-size Chinese city (the fictional 江州市). Nothing region-specific is a literal
 * in the generator's code: hospitals, departments, benefit policy, fee mix, case mix and cost levels
 * all come from here, and a caller may override any part.
 */

/** 医院等级: 1 一级, 2 二级, 3 三级 (the `hi_setl_lv` 医保结算等级 code). */
export type HospitalLevel = "1" | "2" | "3";
/** 医院类别: 综合 general, 专科 specialty, 中医 traditional Chinese medicine. */
export type HospitalType = "综合" | "专科" | "中医";
/** 险种: 310 职工基本医疗保险, 390 城乡居民基本医疗保险. */
export type InsuranceType = "310" | "390";
/** Kind of an ADRG by its second letter and conditions: 外科手术 / 非手术室操作 / 内科. */
export type CaseKind = "surgical" | "procedure" | "medical";

/** 定点医疗机构 as the profile describes it. */
export interface HospitalSpec {
  readonly name: string;
  /** 行政区划 of the hospital (6 digits), used in its 定点医药机构编号. */
  readonly district: string;
  readonly level: HospitalLevel;
  readonly type: HospitalType;
  /** Relative share of the region's admissions (收治量权重). */
  readonly capacity: number;
  /** MDC letters a specialty hospital treats; absent = all. */
  readonly mdcs?: readonly string[];
}

/** 科室 in the national 诊疗科目 code table (the `adm_caty` codes). */
export interface DepartmentSpec {
  readonly code: string;
  readonly name: string;
}

/** Where an MDC's cases are treated: a medical and a surgical 科室 code (general hospitals). */
export interface MdcDepartments {
  readonly medical: string;
  readonly surgical: string;
}

/** 住院待遇 for one insurance type: deductible (起付线, fen) and fund ratio (统筹基金支付比例) by level. */
export interface BenefitTier {
  readonly deductibleFen: Readonly<Record<HospitalLevel, number>>;
  readonly fundRatio: Readonly<Record<HospitalLevel, number>>;
  /** 统筹基金年度最高支付限额 per stay, in fen (the generator applies it per stay). */
  readonly capFen: number;
  /** Fund type code of the basic fund (310100 / 390100). */
  readonly basicFund: string;
  /** Fund type paying above the cap or the serious-illness threshold (330100 大额 / 390200 大病). */
  readonly topUpFund: string;
  /** Share of the within-policy personal amount above `topUpThresholdFen` the top-up fund pays. */
  readonly topUpRatio: number;
  readonly topUpThresholdFen: number;
}

/**
 * The generator's simplified 待遇 model, used to split each stay's cost into fund and personal
 * shares on the generated lists (float shares, per-stay cap). Not a benefit policy: the one
 * `BenefitPolicy` (versioned, exact, with its settlement rules) is `@yibao/payment`'s.
 */
export interface GeneratorBenefitModel {
  readonly tiers: Readonly<Record<InsuranceType, BenefitTier>>;
  /** 乙类先行自付比例. */
  readonly classBPrepayRatio: number;
  /** 第二次及以后住院起付线降低比例 (Handan: 50%). */
  readonly repeatDeductibleFactor: number;
  /** 医疗救助 (610100): share of residents covered, and share of their personal part it pays. */
  readonly assistanceShare: number;
  readonly assistanceRatio: number;
  /** Share of an employee's personal part paid from the 个人账户 (mean). */
  readonly accountPayShare: number;
}

/** 收费项目类别 shares for one case kind (med_chrgitm code → weight). */
export type FeeMix = Readonly<Record<string, number>>;

/** Per-category 甲类/乙类/全自费 composition (shares of the category's amount). */
export interface FeeClass {
  readonly classB: number;
  readonly ownPay: number;
}

/** The complete profile. */
export interface RegionProfile {
  readonly regionName: string;
  /** 统筹区/参保地 行政区划 (6 digits). */
  readonly regionCode: string;
  /** 区县 codes used for residents' certnos and hospitals. */
  readonly districts: readonly string[];
  /** 医保经办机构 and its staff (hsorg / hsorg_opter). */
  readonly insuranceAgency: string;
  readonly hospitals: readonly HospitalSpec[];
  readonly departments: readonly DepartmentSpec[];
  /** Departments present by hospital level and type (科室设置). */
  readonly departmentsByLevel: Readonly<Record<HospitalLevel, readonly string[]>>;
  readonly departmentsByType: Readonly<Record<"中医" | "专科", readonly string[]>>;
  /** MDC letter → departments treating it. */
  readonly mdcDepartments: Readonly<Record<string, MdcDepartments>>;
  /** Departments of 中医 hospitals by case kind, with MDC-specific ones. */
  readonly tcmDepartments: MdcDepartments & { readonly byMdc: Readonly<Record<string, string>> };
  /** Lowest hospital level treating an MDC (e.g. pre-MDC A: transplants, ECMO only at 三级). */
  readonly mdcMinLevel: Readonly<Record<string, HospitalLevel>>;
  /** The department every hospital has, used when no better one exists. */
  readonly fallbackDepartment: MdcDepartments;
  /** 麻醉科 code (anaesthetists for oprninfo). */
  readonly anaesthesiaDepartment: string;
  /** Physicians per department by level: [min, max]. */
  readonly physiciansPerDepartment: Readonly<Record<HospitalLevel, readonly [number, number]>>;
  /** 医保医师代码 prefix; the code is prefix + 6-digit district + 7-digit sequence. */
  readonly physicianCodePrefix: string;

  /** Insured persons who may be admitted, per generated stay (population = stays × this). */
  readonly personsPerStay: number;
  /** Exponent of the admission-frequency skew: rank = N·u^k; larger = more repeat admissions. */
  readonly repeatAdmissionSkew: number;
  /** Age bands of the admitted population: [minAge, maxAge, weight]. */
  readonly ageBands: readonly (readonly [number, number, number])[];
  /** Share of employees (职工医保 310) by age: [minAge, share]; others are residents (390). */
  readonly employeeShareByAge: readonly (readonly [number, number])[];
  /** Sex-specific MDCs: letter → sex code, with an age range for each. */
  readonly sexSpecificMdcs: Readonly<Record<string, { sex: "1" | "2"; minAge: number; maxAge: number }>>;
  /**
   * ICD-10 category ranges (类目, inclusive) of diagnoses that belong to one sex (性别专用诊断): never
   * drawn as comorbidities of an arbitrary patient. The same ranges as the settlement-list QC rules.
   */
  readonly sexSpecificDiagnoses: readonly { readonly sex: "1" | "2"; readonly ranges: readonly string[] }[];
  /** Newborn MDCs (age 0 with ageDays and birth weight). */
  readonly newbornMdcs: readonly string[];
  /** Honest (non-planned) readmissions of a person come at least this many days after discharge. */
  readonly naturalReadmissionMinGapDays: number;
  /** Share of episodes followed by a planned readmission (flag 2), e.g. chemotherapy cycles. */
  readonly plannedReadmissionRate: number;

  /** Case mix: share of each kind, MDC weights and the spread of ADRG popularity. */
  readonly kindShares: Readonly<Record<CaseKind, number>>;
  readonly mdcWeights: Readonly<Record<string, number>>;
  readonly adrgPopularitySigma: number;
  /** Kind frequency multipliers by hospital level (一级 hospitals do little surgery). */
  readonly kindByLevel: Readonly<Record<HospitalLevel, Readonly<Record<CaseKind, number>>>>;
  /** Severity shares (none, CC, MCC) of cases in ADRGs with a severity split. */
  readonly severityShares: readonly [number, number, number];
  /** Codes per ADRG kept as the common codes of the region (pdx and principal procedures). */
  readonly codesPerAdrg: number;
  /** Common comorbidities (no CC), CC and MCC codes preferred when present in the scheme. */
  readonly commonComorbidities: readonly string[];
  readonly commonCc: readonly string[];
  readonly commonMcc: readonly string[];
  /** Diagnostic, non-OR procedures medical stays often record (检查类操作). */
  readonly commonExamProcedures: readonly string[];

  /** Cost model: mean cost (fen) of a non-severe case by kind, before MDC and ADRG factors. */
  readonly baseCostFen: Readonly<Record<CaseKind, number>>;
  readonly mdcCostFactor: Readonly<Record<string, number>>;
  readonly adrgCostSigma: number;
  /** Severity cost multipliers: none, CC, MCC, and no split (…9 groups). */
  readonly severityCostFactor: readonly [number, number, number, number];
  /**
   * In-hospital mortality (离院方式 5) of a stay by its DRG's severity: none, CC, MCC. Groups without
   * complications die rarely, so that 低风险组死亡率 (docs/indicators.md §5) is of the order seen in
   * practice (well under 1%) and not one flat rate for every group with deaths.
   */
  readonly mortalityBySeverity: readonly [number, number, number];
  readonly levelCostFactor: Readonly<Record<HospitalLevel, number>>;
  /** Log-scale spread of a stay's cost around its group mean (skew). */
  readonly stayCostSigma: number;
  /** Mean length of stay (days) by kind, and how strongly stay length follows cost. */
  readonly baseLosDays: Readonly<Record<CaseKind, number>>;
  readonly losCostElasticity: number;
  /** 床位费 per day (fen) by level. */
  readonly bedFeePerDayFen: Readonly<Record<HospitalLevel, number>>;
  readonly feeMix: Readonly<Record<CaseKind | "tcm" | "lowIndication", FeeMix>>;
  readonly feeClass: Readonly<Record<string, FeeClass>>;
  readonly benefit: GeneratorBenefitModel;

  /** Outlier thresholds a payment policy may use (multiples of the group standard). */
  readonly outlier: { readonly highMin: number; readonly highMax: number; readonly low: number };
  /** Injected-case propensity spread across hospitals and physicians (lognormal sigma). */
  readonly violationPropensitySigma: number;
  /** Days between the two lists of a split admission: [min, max]. */
  readonly splitGapDays: readonly [number, number];
  /** Days between the two lists of a repeated admission: [min, max]. */
  readonly repeatGapDays: readonly [number, number];
  /** Salt for the per-group cost means and popularity (kept apart from the seed). */
  readonly calibrationSalt: number;
  /** Name pools (姓, 名用字) for people. */
  readonly surnames: string;
  readonly givenMale: string;
  readonly givenFemale: string;
  readonly streets: readonly string[];
  readonly employers: readonly string[];
}

const Y = 100; // fen per yuan

/** The default 江州市 profile. */
export const DEFAULT_PROFILE: RegionProfile = {
  regionName: "江州市",
  regionCode: "329900",
  districts: ["329902", "329903", "329904", "329921", "329922", "329923"],
  insuranceAgency: "江州市医疗保障事务中心",
  hospitals: [
    { name: "江州市第一人民医院", district: "329902", level: "3", type: "综合", capacity: 18 },
    { name: "江州市中心医院", district: "329903", level: "3", type: "综合", capacity: 15 },
    { name: "江州医学院附属医院", district: "329904", level: "3", type: "综合", capacity: 13 },
    { name: "江州市中医院", district: "329902", level: "3", type: "中医", capacity: 7 },
    {
      name: "江州市妇幼保健院",
      district: "329903",
      level: "3",
      type: "专科",
      capacity: 5,
      mdcs: ["O", "N", "P", "J"],
    },
    { name: "江州市第二人民医院", district: "329903", level: "2", type: "综合", capacity: 7 },
    { name: "江州市江北区人民医院", district: "329904", level: "2", type: "综合", capacity: 5 },
    { name: "东山县人民医院", district: "329921", level: "2", type: "综合", capacity: 6 },
    { name: "西林县人民医院", district: "329922", level: "2", type: "综合", capacity: 5 },
    { name: "南湖县人民医院", district: "329923", level: "2", type: "综合", capacity: 5 },
    { name: "东山县中医院", district: "329921", level: "2", type: "中医", capacity: 3 },
    { name: "西林县中医院", district: "329922", level: "2", type: "中医", capacity: 2.5 },
    {
      name: "江州骨科医院",
      district: "329902",
      level: "2",
      type: "专科",
      capacity: 2.5,
      mdcs: ["I", "Z", "V"],
    },
    { name: "江州爱尔眼科医院", district: "329904", level: "2", type: "专科", capacity: 1.5, mdcs: ["C"] },
    { name: "江州市城南社区卫生服务中心", district: "329902", level: "1", type: "综合", capacity: 1 },
    { name: "江州市江北街道社区卫生服务中心", district: "329904", level: "1", type: "综合", capacity: 1 },
    { name: "东山县城关镇中心卫生院", district: "329921", level: "1", type: "综合", capacity: 1.5 },
    { name: "东山县柳溪镇卫生院", district: "329921", level: "1", type: "综合", capacity: 1 },
    { name: "西林县马坪镇中心卫生院", district: "329922", level: "1", type: "综合", capacity: 1.2 },
    { name: "南湖县新桥镇卫生院", district: "329923", level: "1", type: "综合", capacity: 1 },
  ],
  departments: [
    { code: "A02", name: "全科医疗科" },
    { code: "A03", name: "内科" },
    { code: "A03.01", name: "呼吸内科专业" },
    { code: "A03.02", name: "消化内科专业" },
    { code: "A03.03", name: "神经内科专业" },
    { code: "A03.04", name: "心血管内科专业" },
    { code: "A03.05", name: "血液内科专业" },
    { code: "A03.06", name: "肾病学专业" },
    { code: "A03.07", name: "内分泌专业" },
    { code: "A04", name: "外科" },
    { code: "A04.01", name: "普通外科专业" },
    { code: "A04.02", name: "神经外科专业" },
    { code: "A04.03", name: "骨科专业" },
    { code: "A04.04", name: "泌尿外科专业" },
    { code: "A04.05", name: "胸外科专业" },
    { code: "A04.06", name: "心脏大血管外科专业" },
    { code: "A04.07", name: "烧伤科专业" },
    { code: "A05", name: "妇产科" },
    { code: "A05.01", name: "妇科专业" },
    { code: "A05.02", name: "产科专业" },
    { code: "A07", name: "儿科" },
    { code: "A07.01", name: "新生儿专业" },
    { code: "A10", name: "眼科" },
    { code: "A11", name: "耳鼻咽喉科" },
    { code: "A13", name: "皮肤科" },
    { code: "A15", name: "精神科" },
    { code: "A16", name: "传染科" },
    { code: "A19", name: "肿瘤科" },
    { code: "A20", name: "急诊医学科" },
    { code: "A21", name: "康复医学科" },
    { code: "A26", name: "麻醉科" },
    { code: "A28", name: "重症医学科" },
    { code: "A50", name: "中医科" },
    { code: "A50.01", name: "中医内科专业" },
    { code: "A50.02", name: "中医外科专业" },
    { code: "A50.03", name: "中医妇产科专业" },
    { code: "A50.10", name: "中医骨伤科专业" },
  ],
  departmentsByLevel: {
    "3": [
      "A03.01",
      "A03.02",
      "A03.03",
      "A03.04",
      "A03.05",
      "A03.06",
      "A03.07",
      "A04.01",
      "A04.02",
      "A04.03",
      "A04.04",
      "A04.05",
      "A04.06",
      "A04.07",
      "A05.01",
      "A05.02",
      "A07",
      "A07.01",
      "A10",
      "A11",
      "A13",
      "A16",
      "A19",
      "A20",
      "A21",
      "A26",
      "A28",
    ],
    "2": [
      "A03.01",
      "A03.02",
      "A03.03",
      "A03.04",
      "A03.06",
      "A03.07",
      "A04.01",
      "A04.03",
      "A04.04",
      "A05.01",
      "A05.02",
      "A07",
      "A07.01",
      "A10",
      "A11",
      "A20",
      "A26",
      "A28",
    ],
    "1": ["A02", "A03", "A04", "A05", "A07"],
  },
  departmentsByType: {
    中医: ["A50.01", "A50.02", "A50.03", "A50.10", "A03.04", "A04.01", "A21", "A26"],
    专科: ["A26"],
  },
  mdcDepartments: {
    A: { medical: "A28", surgical: "A28" },
    B: { medical: "A03.03", surgical: "A04.02" },
    C: { medical: "A10", surgical: "A10" },
    D: { medical: "A11", surgical: "A11" },
    E: { medical: "A03.01", surgical: "A04.05" },
    F: { medical: "A03.04", surgical: "A04.06" },
    G: { medical: "A03.02", surgical: "A04.01" },
    H: { medical: "A03.02", surgical: "A04.01" },
    I: { medical: "A04.03", surgical: "A04.03" },
    J: { medical: "A13", surgical: "A04.01" },
    K: { medical: "A03.07", surgical: "A04.01" },
    L: { medical: "A03.06", surgical: "A04.04" },
    M: { medical: "A04.04", surgical: "A04.04" },
    N: { medical: "A05.01", surgical: "A05.01" },
    O: { medical: "A05.02", surgical: "A05.02" },
    P: { medical: "A07.01", surgical: "A07.01" },
    Q: { medical: "A03.05", surgical: "A04.01" },
    R: { medical: "A19", surgical: "A19" },
    S: { medical: "A16", surgical: "A04.01" },
    T: { medical: "A15", surgical: "A15" },
    U: { medical: "A15", surgical: "A15" },
    V: { medical: "A20", surgical: "A04.01" },
    W: { medical: "A04.07", surgical: "A04.07" },
    X: { medical: "A21", surgical: "A04.01" },
    Y: { medical: "A16", surgical: "A16" },
    Z: { medical: "A04.03", surgical: "A04.03" },
  },
  tcmDepartments: {
    medical: "A50.01",
    surgical: "A50.02",
    byMdc: { I: "A50.10", N: "A50.03", O: "A50.03", Z: "A50.10" },
  },
  mdcMinLevel: { A: "3", P: "2", W: "2" },
  fallbackDepartment: { medical: "A03", surgical: "A04" },
  anaesthesiaDepartment: "A26",
  physiciansPerDepartment: { "3": [6, 12], "2": [3, 6], "1": [2, 3] },
  physicianCodePrefix: "D",

  personsPerStay: 0.8,
  repeatAdmissionSkew: 1.6,
  ageBands: [
    [1, 4, 4],
    [5, 14, 5],
    [15, 29, 9],
    [30, 44, 14],
    [45, 59, 22],
    [60, 74, 28],
    [75, 95, 18],
  ],
  employeeShareByAge: [
    [0, 0],
    [18, 0.45],
    [23, 0.6],
    [60, 0.45],
    [75, 0.35],
  ],
  sexSpecificDiagnoses: [
    { sex: "2", ranges: ["O00-O9A", "N70-N98", "C51-C58", "D25-D28"] },
    { sex: "1", ranges: ["N40-N51", "C60-C63", "D29-D29"] },
  ],
  sexSpecificMdcs: {
    O: { sex: "2", minAge: 18, maxAge: 45 },
    N: { sex: "2", minAge: 15, maxAge: 90 },
    M: { sex: "1", minAge: 15, maxAge: 95 },
  },
  newbornMdcs: ["P"],
  naturalReadmissionMinGapDays: 15,
  plannedReadmissionRate: 0.01,

  kindShares: { medical: 0.62, surgical: 0.27, procedure: 0.11 },
  mdcWeights: {
    A: 0.15,
    B: 11,
    C: 3,
    D: 4,
    E: 12,
    F: 14,
    G: 10,
    H: 5,
    I: 9,
    J: 3,
    K: 4,
    L: 5,
    M: 1.5,
    N: 4,
    O: 7,
    P: 2,
    Q: 1,
    R: 4,
    S: 1.5,
    T: 0.5,
    U: 0.2,
    V: 2,
    W: 0.3,
    X: 2.5,
    Y: 0.05,
    Z: 0.4,
  },
  adrgPopularitySigma: 1.0,
  kindByLevel: {
    "3": { medical: 1, surgical: 1.3, procedure: 1.2 },
    "2": { medical: 1, surgical: 0.8, procedure: 0.9 },
    "1": { medical: 1, surgical: 0.1, procedure: 0.3 },
  },
  severityShares: [0.58, 0.29, 0.13],
  codesPerAdrg: 24,
  commonComorbidities: [
    "I10.x00",
    "E11.900",
    "E78.500",
    "I25.103",
    "K76.000",
    "D64.900",
    "K21.000",
    "E03.900",
  ],
  commonCc: ["J44.900", "N18.900", "E87.600", "E87.100", "M81.900", "J18.900", "D69.600", "E87.200"],
  commonMcc: ["J96.000", "I50.900", "N17.900", "A41.900"],
  commonExamProcedures: ["87.4401", "88.0101", "88.7100", "88.0100x001", "87.4400"],

  baseCostFen: { medical: 6_500 * Y, procedure: 11_000 * Y, surgical: 26_000 * Y },
  mdcCostFactor: { A: 8, B: 1.3, F: 1.2, O: 0.55, P: 0.8, R: 1.25, W: 1.6, Z: 1.8, C: 0.8, D: 0.85 },
  adrgCostSigma: 0.4,
  severityCostFactor: [1, 1.35, 1.9, 1.15],
  mortalityBySeverity: [0.0005, 0.004, 0.04],
  levelCostFactor: { "3": 1.15, "2": 1, "1": 0.75 },
  stayCostSigma: 0.5,
  baseLosDays: { medical: 8, procedure: 7, surgical: 10 },
  losCostElasticity: 0.6,
  bedFeePerDayFen: { "3": 50 * Y, "2": 35 * Y, "1": 22 * Y },
  feeMix: {
    medical: { "02": 2, "03": 14, "04": 16, "05": 12, "07": 5, "08": 6, "09": 34, "11": 4, "14": 2 },
    procedure: {
      "02": 2,
      "03": 13,
      "04": 13,
      "05": 18,
      "06": 4,
      "07": 5,
      "08": 15,
      "09": 25,
      "11": 2,
      "14": 2,
    },
    surgical: {
      "02": 1,
      "03": 9,
      "04": 10,
      "05": 9,
      "06": 16,
      "07": 4,
      "08": 26,
      "09": 20,
      "11": 1,
      "14": 2,
    },
    tcm: { "10": 9, "11": 10, "05": 6 },
    lowIndication: { "02": 5, "03": 38, "04": 35, "09": 18, "07": 4 },
  },
  feeClass: {
    "01": { classB: 0, ownPay: 0 },
    "02": { classB: 0, ownPay: 0 },
    "03": { classB: 0.3, ownPay: 0.02 },
    "04": { classB: 0.1, ownPay: 0.01 },
    "05": { classB: 0.25, ownPay: 0.02 },
    "06": { classB: 0.2, ownPay: 0.01 },
    "07": { classB: 0, ownPay: 0 },
    "08": { classB: 0.6, ownPay: 0.12 },
    "09": { classB: 0.35, ownPay: 0.06 },
    "10": { classB: 0.3, ownPay: 0.1 },
    "11": { classB: 0.5, ownPay: 0.05 },
    "12": { classB: 0, ownPay: 0 },
    "13": { classB: 0, ownPay: 0 },
    "14": { classB: 0.2, ownPay: 0.1 },
  },
  benefit: {
    tiers: {
      "310": {
        deductibleFen: { "1": 300 * Y, "2": 600 * Y, "3": 900 * Y },
        fundRatio: { "1": 0.92, "2": 0.88, "3": 0.85 },
        capFen: 400_000 * Y,
        basicFund: "310100",
        topUpFund: "330100",
        topUpRatio: 0.9,
        topUpThresholdFen: 30_000 * Y,
      },
      "390": {
        // Handan 2021 (`HANDAN_RESIDENTS_2021`): 一级 400, 二级 800, 三级 (not stated; 1000 assumed); 90/80/65%.
        deductibleFen: { "1": 400 * Y, "2": 800 * Y, "3": 1_000 * Y },
        fundRatio: { "1": 0.9, "2": 0.8, "3": 0.65 },
        capFen: 200_000 * Y,
        basicFund: "390100",
        topUpFund: "390200",
        topUpRatio: 0.6,
        topUpThresholdFen: 15_000 * Y,
      },
    },
    classBPrepayRatio: 0.1,
    repeatDeductibleFactor: 0.5,
    assistanceShare: 0.04,
    assistanceRatio: 0.7,
    accountPayShare: 0.35,
  },
  outlier: { highMin: 2, highMax: 3, low: 0.4 },
  violationPropensitySigma: 0.8,
  splitGapDays: [0, 3],
  repeatGapDays: [1, 7],
  calibrationSalt: 2023,
  surnames:
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
  givenMale:
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘",
  givenFemale:
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽",
  streets: [
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "新华路",
    "江滨路",
    "文化路",
    "东风路",
    "长江路",
    "学府路",
    "滨湖大道",
    "迎宾大道",
  ],
  employers: [
    "江州钢铁集团有限公司",
    "江州市第一中学",
    "江州纺织有限公司",
    "江州市人民政府办公室",
    "江州农商银行",
    "江州电力公司",
    "江州港务集团",
    "江州市自来水公司",
    "江州化工股份有限公司",
    "江州市交通运输局",
  ],
};

/** A profile with some parts overridden (shallow per top-level key). */
export function withProfile(overrides: Partial<RegionProfile> = {}): RegionProfile {
  return { ...DEFAULT_PROFILE, ...overrides };
}
