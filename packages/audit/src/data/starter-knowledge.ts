/**
 * 起步知识库 (starter knowledge base): diagnosis sex/age restrictions by ICD-10 chapter and
 * category, a small catalogue of service items with their restrictions and daily limits, exclusive
 * item pairs, and bed-fee caps. The item codes follow the pattern of the national 医疗服务项目
 * catalogue; a region replaces this with its own catalogue (its own version and dates).
 * `sex` is the sex a diagnosis or item is ALLOWED for (GB/T 2261.1: 1 男, 2 女): 妊娠 (O) allows
 * `SEX_FEMALE`; the QC rules name the opposite, the sex that is flagged (see `@yibao/kernel/sex`).
 */
import { SEX_FEMALE, SEX_MALE } from "@yibao/kernel/sex";
import { DEFAULT_CODE_TABLES } from "@yibao/settlement";
import type { KnowledgeBase } from "../rules.js";
import { STARTER_DIAGNOSIS_SUPPORT } from "./diagnosis-support.js";

const FEE_CATEGORIES = DEFAULT_CODE_TABLES.tables.med_chrgitm;
if (FEE_CATEGORIES === undefined) throw new Error("结算清单代码表缺少医疗收费项目类别（med_chrgitm）");

export const STARTER_KNOWLEDGE_BASE: KnowledgeBase = {
  id: "starter-knowledge",
  version: "2024.2",
  effectiveFrom: "2020-01-01",
  effectiveTo: null,
  items: [
    { code: "110200001", name: "普通病房床位费", category: "01", maxPerDay: 1, unit: "日", bedDay: true },
    { code: "110200003", name: "重症监护床位费", category: "01", maxPerDay: 1, unit: "日", bedDay: true },
    { code: "110100001", name: "住院诊查费", category: "02", maxPerDay: 1, unit: "日" },
    { code: "120100002", name: "特级护理", category: "07", maxPerDay: 1, unit: "日" },
    { code: "120100003", name: "Ⅰ级护理", category: "07", maxPerDay: 1, unit: "日" },
    { code: "120100004", name: "Ⅱ级护理", category: "07", maxPerDay: 1, unit: "日" },
    { code: "120100005", name: "Ⅲ级护理", category: "07", maxPerDay: 1, unit: "日" },
    { code: "250403015", name: "前列腺特异性抗原测定(PSA)", category: "04", sex: SEX_MALE, unit: "项" },
    { code: "311000016", name: "前列腺按摩", category: "05", sex: SEX_MALE, unit: "次" },
    { code: "270800005", name: "宫颈细胞学检查", category: "04", sex: SEX_FEMALE, unit: "例" },
    {
      code: "311201001",
      name: "产前检查",
      category: "05",
      sex: SEX_FEMALE,
      minAge: 12,
      maxAge: 60,
      unit: "次",
    },
    { code: "120400008", name: "新生儿护理", category: "07", maxAge: 0, maxPerDay: 1, unit: "日" },
    { code: "310702001", name: "儿童智力测定", category: "03", maxAge: 17, unit: "次" },
    { code: "250104002", name: "血细胞分析（全血细胞计数）", category: "04", maxPerDay: 2, unit: "次" },
    { code: "120400006", name: "静脉输液", category: "05", maxPerDay: 3, unit: "组" },
    { code: "120400007", name: "静脉输液（连续输液第二组起）", category: "05", unit: "组" },
  ],
  diagnosisRestrictions: [
    { prefix: "O", name: "妊娠、分娩和产褥期", sex: SEX_FEMALE, minAge: 10, maxAge: 60 },
    { prefix: "C53", name: "宫颈恶性肿瘤", sex: SEX_FEMALE },
    { prefix: "C54", name: "子宫体恶性肿瘤", sex: SEX_FEMALE },
    { prefix: "C56", name: "卵巢恶性肿瘤", sex: SEX_FEMALE },
    { prefix: "D25", name: "子宫平滑肌瘤", sex: SEX_FEMALE },
    { prefix: "N70", name: "输卵管炎和卵巢炎", sex: SEX_FEMALE },
    { prefix: "N80", name: "子宫内膜异位症", sex: SEX_FEMALE },
    { prefix: "C61", name: "前列腺恶性肿瘤", sex: SEX_MALE },
    { prefix: "N40", name: "前列腺增生", sex: SEX_MALE },
    { prefix: "N41", name: "前列腺炎性疾病", sex: SEX_MALE },
    { prefix: "N43", name: "鞘膜积液和精子囊肿", sex: SEX_MALE },
    { prefix: "P", name: "起源于围生期的某些情况", maxAge: 0 },
    { prefix: "Z38", name: "活产婴儿", maxAge: 0 },
  ],
  exclusivePairs: [
    { a: "120100003", b: "120100004", reason: "同日不应同时收取Ⅰ级护理与Ⅱ级护理" },
    { a: "120100002", b: "120100003", reason: "特级护理已含Ⅰ级护理内容" },
    { a: "110200001", b: "110200003", reason: "同日不应同时收取普通病房与重症监护床位费" },
  ],
  // 限定支付范围 (EXAMPLE data, after the national 医保药品目录's 备注 of these drug classes): a region
  // lists its own catalogue's limits.
  paymentLimits: [
    {
      name: "特殊使用级抗菌药物（碳青霉烯类）",
      prefixes: ["XJ01DH"],
      text: "限重症感染或多重耐药菌感染，须有病原学检查（细菌培养及药敏）依据",
      requires: { codes: ["250501001", "250501006"] },
    },
    {
      name: "人血白蛋白",
      prefixes: ["XB05AA01"],
      text: "限抢救、重症或因肝硬化、癌症引起胸腹水的患者",
      diagnoses: ["K70", "K71", "K72", "K74", "R18", "R57", "C"],
    },
  ],
  // 价格上限: a region's 医疗服务价格 list; the starter set has none (its bed-fee ceiling is below).
  priceCeilings: [],
  // 床位费日最高收费标准（含监护病房）by hi_setl_lv, fen per day: a price ceiling, not the
  // benefit policy's 床位费支付标准 (e.g. Handan's 22/30/40 元/日), which only moves the excess to the
  // patient (高于标准的部分由个人自付).
  bedFeeCapPerDay: { "1": 20000, "2": 30000, "3": 40000 },
  // The national 医疗收费项目类别 table, from the settlement list's code tables (one copy of it).
  feeCategoryNames: FEE_CATEGORIES.codes,
  diagnosisSupport: STARTER_DIAGNOSIS_SUPPORT,
  sources: ["种子 000 l.2059–2151", "种子 002 l.548–607", "种子 003 l.1134–1333", "种子 004 l.979"],
};
