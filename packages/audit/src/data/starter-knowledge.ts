/**
 * 起步知识库 (starter knowledge base): diagnosis sex/age restrictions by ICD-10 chapter and
 * category, a small catalogue of service items with their restrictions and daily limits, exclusive
 * item pairs, and bed-fee caps. The item codes follow the pattern of the national 医疗服务项目
 * catalogue; a region replaces this with its own catalogue (its own version and dates).
 * `sex` is the sex a diagnosis or item is ALLOWED for (GB/T 2261.1: 1 男, 2 女): 妊娠 (O) allows
 * `SEX_FEMALE`; the QC rules name the opposite, the sex that is flagged (see `@yibao/kernel/sex`).
 * It is data: `knowledge.json` of the demo region pack (`regions/demo`, `@yibao/region-demo`), read
 * with the knowledge base's own schema at load.
 */
import { createRequire } from "node:module";
import { readKnowledgeBase } from "../rule-data.js";
import type { KnowledgeBase } from "../rules.js";

const reading = readKnowledgeBase(createRequire(import.meta.url)("@yibao/region-demo/knowledge.json"));
if (reading.value === null)
  throw new Error(`演示地区知识库（knowledge.json）无效：${reading.problems.join("；")}`);

export const STARTER_KNOWLEDGE_BASE: KnowledgeBase = reading.value;
