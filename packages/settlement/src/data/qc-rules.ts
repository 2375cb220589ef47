import { createRequire } from "node:module";
import type { QcRuleSet } from "../rules.js";

/**
 * 结算清单质控规则 (default edition): the national filling rules (医疗保障基金结算清单填写规范)
 * and Shenyang's intake practice for settlement-list QC (沈阳市结算清单质控: code version, data format,
 * code range, identifiers, completeness; upload within 8 days of settlement; non-national codes are not paid).
 * The rules are data: `qc-rules.json` of the demo region pack (`regions/demo`, `@yibao/region-demo`);
 * every rule is compiled (its kind's parameters checked) before a list is checked by it, and operators
 * publish their own edition in the same format.
 */
export const DEFAULT_QC_RULES: QcRuleSet = createRequire(import.meta.url)("@yibao/region-demo/qc-rules.json");
