/**
 * The shipped example benefit policy (示例待遇政策): 邯郸市城乡居民基本医疗保险, from
 * 《邯郸市城乡居民基本医疗保险实施办法(试行)》 as reported in the week of 2021.01.25–2021.01.31
 * ("新年伊始" → in force from 2021-01-01).
 *
 * Every figure below is quoted from the seed; what the seed does not state is listed in `notes`
 * and left out (no invented numbers): the deductible of 三级 general (non-TCM) hospitals, the
 * annual cap, the 乙类先行自付 ratio and the employee scheme.
 */
export const HANDAN_RESIDENTS_2021 = {
  id: "handan-residents",
  version: "2021",
  name: "邯郸市城乡居民基本医疗保险住院待遇",
  region: "河北省邯郸市",
  effectiveFrom: "2021-01-01",
  effectiveTo: null,
  // 住院起付线 by class of designated institution; each class pays at the ratio of its level.
  classes: [
    { class: "乡镇卫生院", deductible: "100", ratioLevel: "一级及以下" },
    { class: "社区卫生服务中心", deductible: "100", ratioLevel: "一级及以下" },
    { class: "一级", deductible: "400", ratioLevel: "一级及以下" },
    { class: "县级二级", deductible: "500", ratioLevel: "二级" },
    { class: "主城区二级", deductible: "800", ratioLevel: "二级" },
    { class: "一级中医", deductible: "100", ratioLevel: "一级及以下" },
    { class: "二级中医", deductible: "400", ratioLevel: "二级" },
    { class: "县级三级中医", deductible: "500", ratioLevel: "三级" },
    { class: "市级中医", deductible: "800", ratioLevel: "三级" },
  ],
  // 统筹基金支付比例: 一级及以下 90%; 二级 80%; 三级 65%.
  fundRatios: [
    { insurance: "城乡居民", level: "一级及以下", ratio: "90%" },
    { insurance: "城乡居民", level: "二级", ratio: "80%" },
    { insurance: "城乡居民", level: "三级", ratio: "65%" },
  ],
  // The second and later admissions of a year pay half the deductible (第二次及以后住院起付标准降低 50%).
  repeatAdmissionDeductible: "50%",
  annualCaps: {},
  classBSelfPay: "0",
  otherEligible: false,
  // 床位费支付标准 22 / 30 / 40 元/日; the part above the standard is self-paid (高于标准的部分由个人自付).
  bedFeeCaps: { 一级及以下: "22", 二级: "30", 三级: "40" },
  // 临时外出就医: 起付 2000/2500/3000, 比例 45%/48%/50%; without registration (未备案) 15 points less.
  remote: {
    deductibles: { 一级及以下: "2000", 二级: "2500", 三级: "3000" },
    ratios: { 一级及以下: "45%", 二级: "48%", 三级: "50%" },
    unregisteredReduction: "15%",
  },
  // Maternity fixed amounts: 自然分娩定额 1200 元, 剖腹产定额 2500 元.
  fixedAmountCases: { 自然分娩: "1200", 剖腹产: "2500" },
  // A stay spanning two years counts against the cap of its discharge year; its deductible is that of
  // its admission year (纳入出院日期所在年度支付限额, 起付标准按住院日期所在年度执行).
  crossYear: "dischargeYear",
  sources: ["seed 004 l.935–993"],
  notes: [
    "种子未给出三级综合(非中医)定点医疗机构的住院起付线：本政策不含该类别，此类医院结算时报错。",
    "市级中医(中西医)定点医疗机构按三级计支付比例(种子 l.945 只给起付线 800 元，未写级别)。",
    "种子未给出城乡居民年度最高支付限额：本政策不设限额。",
    "种子未给出乙类先行自付比例：按 0 处理；「其他」费用按目录外由个人负担。",
    "种子只给出城乡居民待遇；城镇职工待遇未在种子中给出。",
    "长期异地居住人员按本市同等级定点医疗机构标准执行(l.965)，即按本地待遇计算。",
  ],
} as const;
