/**
 * Conditions on the stay (住院信息): length of stay (`los`, 住院天数), discharge way (`dischargeWay`,
 * 离院方式), department (`dept`, 出院科别) and the number of procedures (`procedureCount`, 手术操作个数).
 * Local schemes split ADRGs by these (Beijing 2022 RC1/RC2/RE1 and Changzhou 2022 RU1 by length of
 * stay, Changzhou's `xx17` groups by discharge way). Semantics: `docs/scheme-format.md`.
 */
import type { GroupingRecord } from "../types.js";
import {
  describeRange,
  type PredicateModule,
  rangeTest,
  validateCountRange,
  validateStrings,
} from "./module.js";

/** 离院方式 (settlement list code table `dscg_way`): the codes a `dischargeWay` condition may name. */
export const DISCHARGE_WAY_NAMES: Readonly<Record<string, string>> = {
  "1": "医嘱离院",
  "2": "医嘱转院",
  "3": "医嘱转社区卫生服务机构/乡镇卫生院",
  "4": "非医嘱离院",
  "5": "死亡",
  "9": "其他",
};
const DISCHARGE_WAYS: ReadonlySet<string> = new Set(Object.keys(DISCHARGE_WAY_NAMES));

/** The record's value in an explanation: `（本例 …）`, or `（本例缺失）`. */
const actual = (v: string | null): string => (v === null ? "（本例缺失）" : `（本例 ${v}）`);

/** The number of procedures: the entries of `procedures` that are not empty strings. */
export function procedureCountOf(r: GroupingRecord): number {
  let n = 0;
  for (const p of r.procedures) if (p !== "") n++;
  return n;
}

export const los: PredicateModule<"los"> = {
  key: "los",
  validate: validateCountRange,
  compile(value) {
    const r = rangeTest(value);
    // A missing length of stay (0, null or absent in the record) satisfies no bound.
    return (x) => x.los > 0 && r(x.los);
  },
  describe: (value, d) =>
    `住院天数 ${describeRange(value, " 天")}${actual(d.record.los > 0 ? `${d.record.los} 天` : null)}`,
};

export const procedureCount: PredicateModule<"procedureCount"> = {
  key: "procedureCount",
  readsRecord: true,
  validate: validateCountRange,
  compile(value) {
    const r = rangeTest(value);
    return (x) => r(procedureCountOf(x.record as GroupingRecord));
  },
  describe: (value, d) =>
    `手术操作个数 ${describeRange(value, " 个")}${actual(`${procedureCountOf(d.record)} 个`)}`,
};

export const dischargeWay: PredicateModule<"dischargeWay"> = {
  key: "dischargeWay",
  readsRecord: true,
  validate: (value, path, v) => validateStrings(value, path, v, "离院方式代码", DISCHARGE_WAYS),
  compile(value) {
    const ways = new Set(value);
    // A missing discharge way ("") is in no set: the set holds only valid codes.
    return (x) => ways.has((x.record as GroupingRecord).dischargeWay);
  },
  describe(value, d) {
    const way = d.record.dischargeWay;
    const named = (c: string) => `${c} ${DISCHARGE_WAY_NAMES[c] ?? "未知代码"}`;
    return `离院方式为 ${value.map(named).join(" 或 ")}${actual(way === "" ? null : named(way))}`;
  },
};

export const dept: PredicateModule<"dept"> = {
  key: "dept",
  readsRecord: true,
  validate: (value, path, v) => validateStrings(value, path, v, "科别代码"),
  compile(value) {
    const codes = new Set(value);
    // Exact match; a missing department ("") is in no set (empty codes are refused at load).
    return (x) => codes.has((x.record as GroupingRecord).dept);
  },
  describe: (value, d) =>
    `出院科别为 ${value.join("、")}${actual(d.record.dept === "" ? null : d.record.dept)}`,
};
