/** Logical conditions: `always`, `all` (且), `any` (或), `not` (非). */
import type { CompiledPredicate } from "../context.js";
import { type PredicateModule, type PredicateValidation, validateTrue } from "./module.js";

function validateArray(value: unknown, path: string, v: PredicateValidation): void {
  if (!Array.isArray(value) || value.length === 0) v.bad(path, "应为非空的条件数组");
  else for (const [i, q] of value.entries()) v.checkPredicate(q, `${path}[${i}]`);
}

export const always: PredicateModule<"always"> = {
  key: "always",
  validate: validateTrue,
  compile: () => () => true,
  describe: () => "无附加条件",
};

export const all: PredicateModule<"all"> = {
  key: "all",
  validate: validateArray,
  compile(value, c) {
    const parts = value.map((q) => c.compile(q));
    if (parts.length === 1) return parts[0] as CompiledPredicate;
    if (parts.length === 2) {
      const [a, b] = parts as [CompiledPredicate, CompiledPredicate];
      return (x) => a(x) && b(x);
    }
    return (x) => {
      for (const q of parts) if (!q(x)) return false;
      return true;
    };
  },
  describe: (value, d) => value.map((q) => d.describe(q)).join("，且"),
};

export const any: PredicateModule<"any"> = {
  key: "any",
  validate: validateArray,
  compile(value, c) {
    const parts = value.map((q) => c.compile(q));
    return (x) => {
      for (const q of parts) if (q(x)) return true;
      return false;
    };
  },
  describe: (value, d) => `（${value.map((q) => d.describe(q)).join("，或")}）`,
};

export const not: PredicateModule<"not"> = {
  key: "not",
  validate: (value, path, v) => v.checkPredicate(value, path),
  compile(value, c) {
    const q = c.compile(value);
    return (x) => !q(x);
  },
  describe: (value, d) => `非（${d.describe(value)}）`,
};
