/**
 * Per-stay DRG detectors (单病例审核): upcoding (低码高编), downcoding into a high outlier
 * (高码低编), intentional ambiguity (有意歧义), charges crossing a settlement tier (违规收费跃迁),
 * low-indication admission (低指征住院) and cost shifting (转嫁费用). Each is linear in the stay's
 * codes and fee lines; regrouping happens only for candidate stays. One module per detector family
 * (detect-coding, detect-tier, detect-low-indication, detect-cost-shifting, with detect-stay-shared),
 * re-exported here.
 */
export * from "./detect-coding.js";
export * from "./detect-cost-shifting.js";
export * from "./detect-low-indication.js";
export { type StaySupport, staySupport } from "./detect-stay-shared.js";
export * from "./detect-tier.js";
