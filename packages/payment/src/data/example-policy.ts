/**
 * The example payment rules (示例支付规则) that the demo region, the evaluation region, the
 * payment tests and the benchmark share, written once. Raw policy data, read by `parsePaymentPolicy`
 * (spread into a policy with its own id, version, dates, rate and coefficients):
 *
 * - 高倍率: a stay is a high-cost outlier above 3 × the group's standard when RW ≤ 1, 2.5 × when
 *   1 < RW ≤ 2, 2 × when RW > 2; it is paid its items in full (ratio 1).
 * - 低倍率: below 0.4 × the standard a stay is paid at its actual cost.
 * - 歧义组 (QY): paid at 80% of the group's standard.
 * - 结余留用 70%; an overspend up to 10% is shared 50% by the fund (year-end clearing).
 *
 * These are example values of the kind a region publishes, not one region's policy.
 */
export const EXAMPLE_OUTLIERS = {
  high: {
    bands: [
      { maxRw: "1", multiple: "3" },
      { maxRw: "2", multiple: "2.5" },
      { maxRw: null, multiple: "2" },
    ],
    payment: { method: "items", ratio: "1" },
  },
  low: { multiple: "0.4", payment: { method: "actualCost" } },
} as const;

/** 歧义组 (QY) share of the group's standard. */
export const EXAMPLE_QY_SHARE = "80%";

/** Year-end clearing: 结余留用 70%, overspend up to 10% shared 50% by the fund. */
export const EXAMPLE_CLEARING = {
  surplusRetention: "70%",
  overspendBands: [{ upTo: "10%", fundShare: "50%" }],
} as const;
