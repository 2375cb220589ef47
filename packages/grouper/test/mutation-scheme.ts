/**
 * Small schemes written by the mutation tests (issue 16, docs/mutation.md), built inside each test so
 * that Stryker's per-test coverage credits the test with the compilation as well as the grouping.
 * Not taken from any real scheme: every expected group is worked out by hand from the scheme.
 */
import { groupRecord } from "../src/group.js";
import { buildScheme, type DrgScheme, type SchemeFiles } from "../src/scheme.js";
import type { GroupingRecord, GroupResult } from "../src/types.js";

export const tsv = (header: string, rows: readonly (readonly string[])[]) =>
  `${[header, ...rows.map((r) => r.join("\t"))].join("\n")}\n`;

/** Named codes of the test schemes (a name is only used by the explanations). */
export const DX_NAMES: Readonly<Record<string, string>> = {
  "A01.000": "甲一",
  "A02.000": "甲二",
  "A03.000": "甲三",
  "B01.000": "乙一",
  "B02.000": "乙二",
  "C01.000": "丙一",
  "C02.000": "丙二",
  "M01.000": "严重合并症一",
  "M02.000": "严重合并症二",
  "K01.000": "合并症一",
  "K02.000": "合并症二",
};
export const PX_NAMES: Readonly<Record<string, string>> = {
  "10.0000": "手术一",
  "20.0000": "手术二",
  "30.0000": "操作三",
  "40.0000": "操作四",
};

export interface CcRow {
  readonly code: string;
  readonly level: "CC" | "MCC";
  readonly table: string;
}

export interface TestSchemeParts {
  readonly json: unknown;
  /** cc_mcc.tsv rows. */
  readonly cc?: readonly CcRow[];
  /** cc_exclusion.tsv rows: principal diagnosis → exclusion table. */
  readonly exclusion?: readonly (readonly [string, string])[];
}

export function schemeFiles(parts: TestSchemeParts): SchemeFiles {
  return {
    schemeJson: JSON.stringify(parts.json),
    ccMcc: tsv(
      "code\tlevel\texclusion_table",
      (parts.cc ?? []).map((r) => [r.code, r.level, r.table]),
    ),
    ccExclusion: tsv("principal_dx\texclusion_table", parts.exclusion ?? []),
    diagnoses: tsv("code\tname", Object.entries(DX_NAMES)),
    procedures: tsv("code\tname", Object.entries(PX_NAMES)),
    diagnosisMap: tsv("from\tto", []),
    procedureMap: tsv("from\tto", []),
  };
}

export const build = (parts: TestSchemeParts, id = "mut"): DrgScheme => buildScheme(schemeFiles(parts), id);

export const adrg = (
  code: string,
  mdc: string,
  when: unknown,
  drgs: readonly string[],
  fallbackToAdrg = false,
) => ({ code, name: `${code} 名`, mdc, when, drgs, fallbackToAdrg });

export const drg = (code: string, when: unknown, adrgCode = code.slice(0, 3)) => ({
  code,
  name: `${code} 名`,
  adrg: adrgCode,
  when,
});

/** The default lists of the one-condition scheme. */
export const LISTS: Readonly<Record<string, readonly string[]>> = {
  LA: ["A01.000", "A02.000"],
  LB: ["B01.000", "B02.000"],
  LC: ["C01.000"],
  PX1: ["10.0000"],
  PX2: ["20.0000", "30.0000"],
  or_procedures: ["10.0000", "20.0000"],
};

/**
 * A scheme of one MDC `Z` (always) with one ADRG `ZA1` (always) whose DRGs are `ZA11` when `p`
 * holds, else `ZA13`: grouping a record tells whether `p` holds for it.
 */
export function oneCondition(
  p: unknown,
  extra: Omit<TestSchemeParts, "json"> & {
    readonly lists?: Readonly<Record<string, readonly string[]>>;
  } = {},
): DrgScheme {
  return build({
    json: {
      name: "单条件测试方案",
      mdcOrder: ["Z"],
      mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
      adrgs: [adrg("ZA1", "Z", { always: true }, ["ZA11", "ZA13"])],
      drgs: [drg("ZA11", p), drg("ZA13", { always: true })],
      lists: extra.lists ?? LISTS,
    },
    ...(extra.cc === undefined ? {} : { cc: extra.cc }),
    ...(extra.exclusion === undefined ? {} : { exclusion: extra.exclusion }),
  });
}

export const adult: GroupingRecord = {
  id: "r",
  sex: "1",
  ageYears: 40,
  ageDays: null,
  birthWeight: null,
  dept: "",
  los: 8,
  dischargeWay: "1",
  diagnoses: ["A03.000"],
  procedures: [],
};

export const rec = (
  diagnoses: readonly string[],
  procedures: readonly string[] = [],
  extra: Partial<GroupingRecord> = {},
): GroupingRecord => ({ ...adult, ...extra, diagnoses: [...diagnoses], procedures: [...procedures] });

/** Groups with and without the explanation; both must agree. */
export function group(s: DrgScheme, r: GroupingRecord): GroupResult {
  const fast = groupRecord(s, r);
  const { reasons: _reasons, ...explained } = groupRecord(s, r, { explain: true });
  if (JSON.stringify(explained) !== JSON.stringify(fast)) {
    throw new Error(`explained ${JSON.stringify(explained)} ≠ ${JSON.stringify(fast)}`);
  }
  return fast;
}

/** Whether `p` of {@link oneCondition} holds for the record (ZA11), or not (ZA13). */
export function holds(s: DrgScheme, r: GroupingRecord): boolean {
  const drgCode = group(s, r).drg;
  if (drgCode !== "ZA11" && drgCode !== "ZA13") throw new Error(`unexpected group ${drgCode}`);
  return drgCode === "ZA11";
}

/** The explanation's messages, one a line. */
export const reasonsOf = (s: DrgScheme, r: GroupingRecord): string =>
  (groupRecord(s, r, { explain: true }).reasons ?? []).map((x) => x.message).join("\n");
