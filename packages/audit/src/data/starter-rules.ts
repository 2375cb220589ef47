/**
 * 起步规则库 (starter rule base): the nine violation types by which a stay is paid more under DRG
 * (DRG 付费下九类违规情形: upcoding, false or irrelevant diagnoses, downcoding, split admissions,
 * intentional ambiguity and the others in `ViolationType`), patient selection, and the common item rules
 * of the national 智能审核 rule base (两库): 重复收费、分解收费、超标准收费. Thresholds are this region's choices and are data:
 * a region publishes its own version with its own effective dates. It is data: `audit-rules.json` of
 * the demo region pack (`regions/demo`, `@yibao/region-demo`), read with the rule base's own schemas.
 */
import { createRequire } from "node:module";
import { readRuleBase } from "../rule-data.js";
import type { RuleBase } from "../rules.js";

const reading = readRuleBase(createRequire(import.meta.url)("@yibao/region-demo/audit-rules.json"));
if (reading.value === null)
  throw new Error(`演示地区规则库（audit-rules.json）无效：${reading.problems.join("；")}`);

export const STARTER_RULE_BASE: RuleBase = reading.value;
