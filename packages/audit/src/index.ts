/**
 * @yibao/audit — 智能审核: the two libraries (知识库/规则库) as versioned data, detectors of the nine
 * DRG violation types and the item rules, fund loss by re-settlement, the case workflow
 * (申诉/复核/扣款) with its audit trail and physician profiling. The measured evaluation on a
 * synthetic region is `@yibao/audit-eval`.
 */
export * from "./audit.js";
export * from "./calibrate.js";
export * from "./context.js";
export { STARTER_DIAGNOSIS_SUPPORT } from "./data/diagnosis-support.js";
export { STARTER_KNOWLEDGE_BASE } from "./data/starter-knowledge.js";
export { STARTER_RULE_BASE } from "./data/starter-rules.js";
export * from "./detect-items.js";
export * from "./detect-population.js";
export * from "./detect-stay.js";
export * from "./finding.js";
export * from "./model.js";
export * from "./norms.js";
export * from "./pricing.js";
export * from "./profiling.js";
export * from "./rule-data.js";
export * from "./rules.js";
export * from "./stay.js";
export * from "./support.js";
export * from "./support-norms.js";
export * from "./workflow.js";
