/**
 * 评估用支付政策参数 (payment-policy parameters of the synthetic evaluation region 江州市): the
 * outlier bands, low-outlier multiple and QY share a region of this kind publishes. The rate, the
 * weights and the level coefficients are calibrated from the region's own stays (as a region
 * computes weights from its history); these are the fixed parts. The outlier multiples match the
 * synthetic generator's profile (high 2–3×, low 0.4×): the example rules of `@yibao/payment`.
 */
import { EXAMPLE_OUTLIERS, EXAMPLE_QY_SHARE } from "@yibao/payment/data/example-policy";

export const EVAL_POLICY_PARAMS = {
  id: "jiangzhou-drg-eval",
  version: "2023",
  name: "江州市 DRG 付费（评估用合成地区）",
  region: "江州市（合成）",
  effectiveFrom: "2020-01-01",
  effectiveTo: null,
  method: "rate",
  outliers: EXAMPLE_OUTLIERS,
  ambiguous: { qyShare: EXAMPLE_QY_SHARE },
  sources: ["种子 002 l.686–696（QY 按 80% 结算）", "合成地区参数"],
} as const;

/**
 * 权重测算 of sparse groups (评估用): a DRG's mean cost is shrunk towards its ADRG's level times the
 * severity ratio of its CHS-DRG 细分组 (4th character: 1 伴严重并发症或合并症, 3 伴一般并发症或合并症,
 * 5 不伴并发症或合并症), with the weight of `priorCases` cases, and kept non-decreasing in severity
 * within the ADRG — so a group seen a handful of times does not get a weight below its milder sibling,
 * as a region does not publish such a table. Groups of other suffixes keep their own mean.
 */
export const EVAL_WEIGHT_CALIBRATION = {
  priorCases: 10,
  severityRatios: { "1": 1.6, "3": 1.25, "5": 1 } as Readonly<Record<string, number>>,
} as const;
