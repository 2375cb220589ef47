/**
 * @yibao/payment — the pure DRG/DIP payment core (DRG/DIP 支付核心): exact money, calibration of
 * weights/rates/DIP scores from history, versioned payment and benefit policies, per-stay
 * settlement, year-end clearing on the point method, re-settlement and fund loss, and the worked
 * examples of fund loss under DRG (`examples/seed-002`). No I/O.
 */

export * from "./benefit.js";
export * from "./calibration.js";
export * from "./clearing.js";
export { EXAMPLE_CLEARING, EXAMPLE_OUTLIERS, EXAMPLE_QY_SHARE } from "./data/example-policy.js";
export { HANDAN_RESIDENTS_2021 } from "./data/handan-2021.js";
export * from "./dip.js";
export * from "./dip-auxiliary.js";
export * from "./dip-stay.js";
export * from "./money.js";
export * from "./new-tech-exclusion.js";
export * from "./policy.js";
export * from "./resettle.js";
export * from "./seed002.js";
export * from "./settle.js";
export * from "./special-review.js";
export * from "./versioned.js";
export * from "./wire.js";
