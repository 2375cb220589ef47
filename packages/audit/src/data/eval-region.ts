/**
 * 评估用支付政策参数 (payment-policy parameters of the synthetic evaluation region 江州市): the
 * outlier bands, low-outlier multiple and QY share a region of this kind publishes. The rate, the
 * weights and the level coefficients are calibrated from the region's own stays (as a region
 * computes weights from its history); these are the fixed parts. The outlier multiples match the
 * synthetic generator's profile (high 2–3×, low 0.4×).
 */
export const EVAL_POLICY_PARAMS = {
  id: "jiangzhou-drg-eval",
  version: "2023",
  name: "江州市 DRG 付费（评估用合成地区）",
  region: "江州市（合成）",
  effectiveFrom: "2020-01-01",
  effectiveTo: null,
  method: "rate",
  outliers: {
    high: {
      bands: [
        { maxRw: "1", multiple: "3" },
        { maxRw: "2", multiple: "2.5" },
        { maxRw: null, multiple: "2" },
      ],
      payment: { method: "items", ratio: "1" },
    },
    low: { multiple: "0.4", payment: { method: "actualCost" } },
  },
  ambiguous: { qyShare: "80%" },
  sources: ["种子 002 l.686–696（QY 按 80% 结算）", "合成地区参数"],
} as const;

/** Share of injected irregular episodes in the evaluation region. */
export const EVAL_INJECTION_RATE = 0.1;
