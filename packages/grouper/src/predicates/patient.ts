/** Conditions on the patient: age in years (`ageYears`) or days (`ageDays`), sex, birth weight. */
import { SEX_NAMES } from "@yibao/kernel/sex";
import { describeRange, type PredicateModule, rangeTest, validateRange } from "./module.js";

const AGE_BOUNDS = ["eq", "min", "max", "below"] as const;

export const ageYears: PredicateModule<"ageYears"> = {
  key: "ageYears",
  validate: (value, path, v) => validateRange(value, path, v, AGE_BOUNDS),
  compile(value) {
    const r = rangeTest(value);
    return (x) => x.ageYears !== null && r(x.ageYears);
  },
  describe: (value) => `年龄 ${describeRange(value, " 岁")}`,
};

export const ageDays: PredicateModule<"ageDays"> = {
  key: "ageDays",
  validate: (value, path, v) => validateRange(value, path, v, AGE_BOUNDS),
  compile(value) {
    const r = rangeTest(value);
    // A record without an age in days (an adult) counts as 0 days, as the reference grouper does.
    return (x) => r(x.ageDays ?? 0);
  },
  describe: (value) => `日龄 ${describeRange(value, " 天")}`,
};

export const sex: PredicateModule<"sex"> = {
  key: "sex",
  validate(value, path, v) {
    if (value !== "1" && value !== "2") v.bad(path, '应为 "1"（男）或 "2"（女）');
  },
  compile: (value) => (x) => x.sex === value,
  describe: (value) => `性别为${SEX_NAMES[value]}`,
};

export const birthWeight: PredicateModule<"birthWeight"> = {
  key: "birthWeight",
  validate: (value, path, v) => validateRange(value, path, v, ["min", "below"]),
  compile(value) {
    const r = rangeTest(value);
    return (x) => x.birthWeight !== null && x.birthWeight > 0 && r(x.birthWeight);
  },
  describe: (value) => `出生体重 ${describeRange(value, " 克")}`,
};
