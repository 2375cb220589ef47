/**
 * 起步知识库·诊断诊疗依据 (starter diagnosis-support knowledge): for each diagnosis category (ICD-10
 * code prefix) the item classes (检验/检查/治疗/药品) whose charges show that the condition was
 * diagnosed or treated during the stay, and a fallback by ICD-10 chapter. A coded secondary diagnosis
 * with none of its classes among the stay's detail charges (费用明细) has no 诊疗依据: it is a false or
 * added diagnosis (虚假诊断/多编诊断) that used no resources of the stay (对本次住院资源消耗没有影响)
 * and only raises the group through the CC/MCC tables.
 *
 * Item classes name service items by 医疗服务项目 code (9 digits, after the national 医疗服务价格项目
 * 规范) and drugs by the ATC prefix of the 医保药品编码 (X + ATC for 西药). The codes are EXAMPLE
 * data of the starter set: a region replaces the catalogue with its own (its own version and dates).
 * It is data: the `diagnosisSupport` of `knowledge.json` in the demo region pack (`regions/demo`).
 * Routine admission items (血常规、生化全套、心电图、胸片) are deliberately not support for anything:
 * they are charged to almost every inpatient.
 */
import type { DiagnosisSupportBase } from "../support.js";
import { STARTER_KNOWLEDGE_BASE } from "./starter-knowledge.js";

const support = STARTER_KNOWLEDGE_BASE.diagnosisSupport;
if (support === undefined)
  throw new Error("演示地区知识库（knowledge.json）缺少诊疗依据（diagnosisSupport）");

export const STARTER_DIAGNOSIS_SUPPORT: DiagnosisSupportBase = support;
