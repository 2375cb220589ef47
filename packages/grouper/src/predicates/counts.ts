/**
 * Counting conditions of the multiple-trauma groups: diagnoses in at least `min` of the body-region
 * lists (`regionsAtLeast`), or at least `min` diagnoses each in one of the lists
 * (`traumaDiagnosesAtLeast`).
 */
import type { CompiledScheme } from "../compiled.js";
import { inList } from "../compiled.js";
import { completeDiagnoses } from "../context.js";
import { type PredicateModule, validateCount } from "./module.js";

export const regionsAtLeast: PredicateModule<"regionsAtLeast"> = {
  key: "regionsAtLeast",
  validate: validateCount,
  compile(value, c) {
    const bits = value.lists.map((name) => c.summaryBit(name));
    const min = value.min;
    return (x) => {
      completeDiagnoses(x);
      let n = 0;
      for (const [word, bit] of bits)
        if (((x.dxLists[word] as number) & bit) !== 0 && ++n >= min) return true;
      return false;
    };
  },
  describe: (value) => `诊断涉及至少 ${value.min} 个部位（${value.lists.join("、")}）`,
};

export const traumaDiagnosesAtLeast: PredicateModule<"traumaDiagnosesAtLeast"> = {
  key: "traumaDiagnosesAtLeast",
  validate: validateCount,
  compile(value, c) {
    const lists = value.lists.map((name) => c.list(name));
    const min = value.min;
    return (x) => {
      completeDiagnoses(x);
      let n = 0;
      for (let i = 0; i < x.dxCount; i++) {
        const slot = x.dx[i] as number;
        for (const l of lists) {
          if (inList(x.compiled as CompiledScheme, slot, l)) {
            n++;
            break;
          }
        }
        if (n >= min) return true;
      }
      return false;
    };
  },
  describe: (value) => `至少 ${value.min} 个创伤诊断属于（${value.lists.join("、")}）`,
};
