/**
 * Conditions on the record's codes: the principal diagnosis or procedure in a list (`pdxIn`,
 * `ppxIn`, one bit of the code's list membership), or any diagnosis or procedure in a list
 * (`anyDxIn`, `anyPxIn`, one bit of the record's list summary).
 */
import { completeDiagnoses, completeProcedures } from "../context.js";
import type { DrgScheme } from "../scheme.js";
import type { PredicateModule, PredicateValidation } from "./module.js";

const validateList = (value: unknown, path: string, v: PredicateValidation) => v.checkList(value, path);

function codeLabel(scheme: DrgScheme, code: string | undefined, kind: "dx" | "px"): string {
  if (code === undefined || code === "") return "（无）";
  const name = kind === "dx" ? scheme.diagnoses.name(code) : scheme.procedures.name(code);
  return name ? `${code}（${name}）` : code;
}

export const pdxIn: PredicateModule<"pdxIn"> = {
  key: "pdxIn",
  validate: validateList,
  compile(value, c) {
    const [word, bit] = c.bitOf(value);
    const members = c.tables.members;
    return (x) => ((members[x.pdxMembers + word] as number) & bit) !== 0;
  },
  describe: (value, d) => `主要诊断 ${codeLabel(d.scheme, d.record.diagnoses[0], "dx")} 属于列表 ${value}`,
};

export const ppxIn: PredicateModule<"ppxIn"> = {
  key: "ppxIn",
  validate: validateList,
  compile(value, c) {
    const [word, bit] = c.bitOf(value);
    const members = c.tables.members;
    return (x) => ((members[x.ppxMembers + word] as number) & bit) !== 0;
  },
  describe: (value, d) =>
    `主要手术操作 ${codeLabel(d.scheme, d.record.procedures[0], "px")} 属于列表 ${value}`,
};

export const anyDxIn: PredicateModule<"anyDxIn"> = {
  key: "anyDxIn",
  validate: validateList,
  compile(value, c) {
    const [word, bit] = c.summaryBit(value);
    return (x) => {
      completeDiagnoses(x);
      return ((x.dxLists[word] as number) & bit) !== 0;
    };
  },
  describe: (value) => `有诊断属于列表 ${value}`,
};

export const anyPxIn: PredicateModule<"anyPxIn"> = {
  key: "anyPxIn",
  validate: validateList,
  compile(value, c) {
    const [word, bit] = c.summaryBit(value);
    return (x) => {
      completeProcedures(x);
      return ((x.pxLists[word] as number) & bit) !== 0;
    };
  },
  describe: (value) => `有手术操作属于列表 ${value}`,
};
