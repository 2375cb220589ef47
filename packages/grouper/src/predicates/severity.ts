/**
 * Severity conditions (并发症或合并症): the secondary diagnoses after CC/MCC exclusion include an MCC
 * (`hasMcc`), or a CC or an MCC (`hasCcOrMcc`).
 */
import { severityOf } from "../context.js";
import { type PredicateModule, validateTrue } from "./module.js";

export const hasMcc: PredicateModule<"hasMcc"> = {
  key: "hasMcc",
  validate: validateTrue,
  compile(_value, c) {
    const tables = c.tables;
    return (x) => severityOf(tables, x) >= 2;
  },
  describe: () => "伴严重并发症或合并症（MCC）",
};

export const hasCcOrMcc: PredicateModule<"hasCcOrMcc"> = {
  key: "hasCcOrMcc",
  validate: validateTrue,
  compile(_value, c) {
    const tables = c.tables;
    return (x) => severityOf(tables, x) >= 1;
  },
  describe: () => "伴并发症或合并症（CC 或 MCC）",
};
