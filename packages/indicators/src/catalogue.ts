/**
 * The indicator catalogue (指标目录) as data: every indicator the platform computes, with its Chinese
 * name, unit, formula text and which direction is better. The console renders tables and the target
 * comparison from this list; the formulas in words, mathematics and SQL are in docs/indicators.md.
 */

import { UPLOAD_RATE } from "@yibao/kernel/rates";

/** Identifier of one indicator. */
export type IndicatorId =
  | "cases"
  | "groupedCases"
  | "drgCount"
  | "totalWeight"
  | "cmi"
  | "cei"
  | "tei"
  | "totalCostFen"
  | "avgCostFen"
  | "avgLos"
  | "fundPayFen"
  | "outOfPocketShare"
  | "readmission14Rate"
  | "readmission30Rate"
  | "groupingRate"
  | "ungroupedShare"
  | "qyShare"
  | "qcPassRate"
  | "uploadRate"
  | "surplusFen"
  | "auditFindings"
  | "recoveredFen"
  | "lowRiskMortality";

/**
 * 指标方向: `higher` 越高越好, `lower` 越低越好, `neutral` 无好坏之分 (a volume such as 病例数;
 * a target on it must state its own comparison).
 */
export type IndicatorDirection = "higher" | "lower" | "neutral";

/**
 * 数值类型, which also says how a value is compared between two result sets:
 * - `count`: a non-negative integer (例, 组, 条), compared exactly;
 * - `money`: integer fen (分), shown as yuan (元), compared exactly;
 * - `ratio`: a fraction in [0, 1] of two exact integer sums, shown as a percentage; one
 *   floating-point division, compared with a tolerance;
 * - `statistic`: a floating-point statistic (CMI, indices, average stay), compared with a tolerance.
 */
export type IndicatorKind = "count" | "money" | "ratio" | "statistic";

/** One entry of the catalogue (指标定义). */
export interface IndicatorDefinition {
  readonly id: IndicatorId;
  /** 指标名称. */
  readonly name: string;
  /** 单位 as shown to the user (ratios are stored as fractions and shown as %; money as fen, shown as 元). */
  readonly unit: string;
  /** 计算公式 in Chinese. */
  readonly formula: string;
  readonly direction: IndicatorDirection;
  readonly kind: IndicatorKind;
}

/** The catalogue, in the order the console shows the columns. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: "cases",
    name: "病例数",
    unit: "例",
    formula: "已上传结算清单的出院病例数",
    direction: "neutral",
    kind: "count",
  },
  {
    id: "groupedCases",
    name: "入组病例数",
    unit: "例",
    formula: "进入0000组以外DRG组(含歧义组QY)的病例数",
    direction: "neutral",
    kind: "count",
  },
  {
    id: "drgCount",
    name: "DRG组数",
    unit: "组",
    formula: "入组且有权重的病例所覆盖的不同DRG组个数",
    direction: "higher",
    kind: "count",
  },
  {
    id: "totalWeight",
    name: "总权重",
    unit: "",
    formula: "Σ 入组病例的DRG相对权重(RW)",
    direction: "higher",
    kind: "statistic",
  },
  {
    id: "cmi",
    name: "病例组合指数(CMI)",
    unit: "",
    formula: "CMI = Σ 入组病例权重 ÷ 有权重的入组病例数",
    direction: "higher",
    kind: "statistic",
  },
  {
    id: "cei",
    name: "费用消耗指数",
    unit: "",
    formula: "Σ_g (本单位g组次均费用 ÷ 全区g组次均费用 × 本单位g组病例数) ÷ 本单位有基准的入组病例数",
    direction: "lower",
    kind: "statistic",
  },
  {
    id: "tei",
    name: "时间消耗指数",
    unit: "",
    formula: "Σ_g (本单位g组平均住院日 ÷ 全区g组平均住院日 × 本单位g组病例数) ÷ 本单位有基准的入组病例数",
    direction: "lower",
    kind: "statistic",
  },
  {
    id: "totalCostFen",
    name: "医疗总费用",
    unit: "元",
    formula: "Σ 病例医疗总费用",
    direction: "neutral",
    kind: "money",
  },
  {
    id: "avgCostFen",
    name: "次均费用",
    unit: "元",
    formula: "医疗总费用 ÷ 病例数 (四舍五入到分)",
    direction: "lower",
    kind: "money",
  },
  {
    id: "avgLos",
    name: "平均住院日",
    unit: "天",
    formula: "Σ 住院天数 ÷ 病例数",
    direction: "lower",
    kind: "statistic",
  },
  {
    id: "fundPayFen",
    name: "基金支付金额",
    unit: "元",
    formula: "Σ 病例医保基金支付金额",
    direction: "neutral",
    kind: "money",
  },
  {
    id: "outOfPocketShare",
    name: "个人负担比例",
    unit: "%",
    formula: "Σ 个人负担金额 ÷ Σ 医疗总费用",
    direction: "lower",
    kind: "ratio",
  },
  {
    id: "readmission14Rate",
    name: "2周再住院率",
    unit: "%",
    formula: "出院后14天内(含)在任一医院非计划再入院的出院人次 ÷ 非死亡出院人次",
    direction: "lower",
    kind: "ratio",
  },
  {
    id: "readmission30Rate",
    name: "30天再住院率",
    unit: "%",
    formula: "出院后30天内(含)在任一医院非计划再入院的出院人次 ÷ 非死亡出院人次",
    direction: "lower",
    kind: "ratio",
  },
  {
    id: "groupingRate",
    name: "入组率",
    unit: "%",
    formula: "入组病例数(非0000组, 含歧义组) ÷ 病例数",
    direction: "higher",
    kind: "ratio",
  },
  {
    id: "ungroupedShare",
    name: "未入组率(0000组占比)",
    unit: "%",
    formula: "进入0000组(无法分组或数据校验未通过)的病例数 ÷ 病例数",
    direction: "lower",
    kind: "ratio",
  },
  {
    id: "qyShare",
    name: "歧义组(QY)占比",
    unit: "%",
    formula: "进入歧义组(QY)的病例数 ÷ 病例数 (歧义组计入入组率)",
    direction: "lower",
    kind: "ratio",
  },
  {
    id: "qcPassRate",
    name: "清单质控通过率",
    unit: "%",
    formula: "质控通过的清单数 ÷ 有质控结果的清单数",
    direction: "higher",
    kind: "ratio",
  },
  {
    id: UPLOAD_RATE.id,
    name: UPLOAD_RATE.name,
    unit: "%",
    formula: UPLOAD_RATE.formula,
    direction: "higher",
    kind: "ratio",
  },
  {
    id: "surplusFen",
    name: "结余/超支",
    unit: "元",
    formula: "Σ (DRG支付 − 医疗总费用), 仅计有DRG支付金额的病例(已结算的取实际结算); 正数为结余, 负数为超支",
    direction: "higher",
    kind: "money",
  },
  {
    id: "auditFindings",
    name: "审核发现问题数",
    unit: "条",
    formula: "Σ 病例审核发现的问题条数",
    direction: "lower",
    kind: "count",
  },
  {
    id: "recoveredFen",
    name: "追回金额",
    unit: "元",
    formula: "Σ 审核发现经复核维持、在年终清算中登记扣款的医保基金金额",
    direction: "neutral",
    kind: "money",
  },
  {
    id: "lowRiskMortality",
    name: "低风险组死亡率",
    unit: "%",
    formula: "低风险DRG组中离院方式为死亡的病例数 ÷ 低风险DRG组病例数",
    direction: "lower",
    kind: "ratio",
  },
];

/** All indicator ids, in catalogue order. */
export const INDICATOR_IDS: readonly IndicatorId[] = INDICATORS.map((d) => d.id);

const byId = new Map<string, IndicatorDefinition>(INDICATORS.map((d) => [d.id, d]));

/** The catalogue entry of an indicator id; throws on an unknown id. */
export function indicatorDefinition(id: IndicatorId): IndicatorDefinition {
  const def = byId.get(id);
  if (def === undefined) throw new RangeError(`未知指标: ${id}`);
  return def;
}

/** True when `id` names an indicator of the catalogue. */
export function isIndicatorId(id: string): id is IndicatorId {
  return byId.has(id);
}

/**
 * Formats a value for display in Chinese: money (fen) as yuan with two decimals, ratios as a
 * percentage with `digits` decimals (default 2), statistics with `digits` decimals (default 4 for
 * CMI and the indices, 2 otherwise), counts as integers; null as "—".
 */
export function formatIndicatorValue(id: IndicatorId, value: number | null, digits?: number): string {
  if (value === null) return "—";
  const def = indicatorDefinition(id);
  switch (def.kind) {
    case "count":
      return String(value);
    case "money": {
      const negative = value < 0;
      const abs = Math.abs(value);
      const yuan = Math.floor(abs / 100);
      const cents = abs - yuan * 100;
      return `${negative ? "-" : ""}${yuan}.${cents < 10 ? "0" : ""}${cents}`;
    }
    case "ratio":
      return `${(value * 100).toFixed(digits ?? 2)}%`;
    case "statistic": {
      const d = digits ?? (id === "avgLos" || id === "totalWeight" ? 2 : 4);
      return value.toFixed(d);
    }
  }
}
