/**
 * @yibao/settlement — 医保结算清单 (national settlement list, interface 4101/4101A): the wire
 * model, typed domain objects, code tables and quality-control rules as data, the QC engine, the
 * conversion to the grouper's input and the QC indicators. Pure: reads no files.
 */
export * from "./check.js";
export * from "./code-tables.js";
export {
  type CodeMaps,
  type CompiledQcRules,
  compileQcRules,
  type GroupingOutcome,
  PRINCIPAL_FLAG,
  PRINCIPAL_PROCEDURE_TYPE,
  QcConfigError,
  WESTERN_DIAG_TYPE,
} from "./compile.js";
export { DEFAULT_CODE_TABLES } from "./data/code-tables.js";
export { DEFAULT_QC_RULES } from "./data/qc-rules.js";
export { DEFAULT_QC_TARGETS, DEFAULT_QC_TARGETS_DATA } from "./data/qc-targets.js";
export { dayNumber, dayToIso, fullYears, parseWireDate, parseWireDateTime, toWireDateTime } from "./dates.js";
export type { DetailItem } from "./detail-item.js";
export * from "./editions.js";
export * from "./fields.js";
export * from "./grouping.js";
export { idCardProblem, withIdCheckChar } from "./idcard.js";
export * from "./indicators.js";
export type * from "./model.js";
export * from "./money.js";
export * from "./parse.js";
export { refusedAsPrincipal } from "./qc/kinds/clinical.js";
export * from "./qc-targets.js";
export * from "./rules.js";
export * from "./serialize.js";
export * from "./text.js";
export type * from "./wire.js";
export * from "./wire-types.js";
