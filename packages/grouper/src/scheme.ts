/**
 * Loading a scheme (分组方案): its files, validated (`scheme-source.ts`), the code tables and CC/MCC
 * data parsed, the logic compiled (`compile-logic.ts`) into the engine's tables (`compiled.ts`).
 */
import { CodeDictionary, CodeVersionMap, parseTsv, TableError } from "@yibao/codes";
import { CodeIndex } from "./code-index.js";
import { compileLogic, RowSet } from "./compile-logic.js";
import type { AdrgInfo, CcLevel, CodeTables, DrgInfo, DrgScheme, MdcInfo } from "./compiled.js";
import {
  type MdcSource,
  OR_PROCEDURES_LIST,
  type Predicate,
  QY_MARKER,
  SchemeError,
  type SchemeProblem,
  type SchemeSource,
  validateSchemeSource,
} from "./scheme-source.js";

export { type GateSplit, splitGate } from "./compile-logic.js";
export * from "./compiled.js";
export * from "./context.js";
export { compilePredicate } from "./predicates/index.js";

/** The texts of a scheme directory's files (方案文件), as read from disk or received over the wire. */
export interface SchemeFiles {
  readonly schemeJson: string;
  readonly ccMcc: string;
  readonly ccExclusion: string;
  readonly diagnoses: string;
  readonly procedures: string;
  readonly diagnosisMap: string;
  readonly procedureMap: string;
}

/** The file name of each part of a scheme directory. */
export const SCHEME_FILE_NAMES: Readonly<Record<keyof SchemeFiles, string>> = {
  schemeJson: "scheme.json",
  ccMcc: "cc_mcc.tsv",
  ccExclusion: "cc_exclusion.tsv",
  diagnoses: "diagnoses.tsv",
  procedures: "procedures.tsv",
  diagnosisMap: "diagnosis_map.tsv",
  procedureMap: "procedure_map.tsv",
};

function tableProblem(e: unknown, dir: string): never {
  if (e instanceof TableError) {
    throw new SchemeError(dir, [{ file: e.file, path: `第 ${e.line} 行`, message: e.reason }]);
  }
  throw e;
}

/**
 * Builds a scheme from its files' texts (pure: no I/O). Validates everything and throws a
 * {@link SchemeError} listing each problem with its file and location.
 */
export function buildScheme(files: SchemeFiles, id: string): DrgScheme {
  const source = parseSource(files, id);
  const t = parseTables(files, id);
  const { tables, cc, pdxTable } = buildCodeTables(source, t.ccRows, t.exclRows);
  const compiled = compileLogic(source, tables, cc, pdxTable);
  const { mdcs, adrgs, drgs } = publishedGroups(source);
  const drgByCode = new Map(drgs.map((d) => [d.code, d]));
  const adrgByCode = new Map(adrgs.map((a) => [a.code, a]));
  const ccByCode = new Map(t.ccRows.map((r) => [r[0] as string, r[1] as CcLevel]));
  return {
    id,
    name: source.name ?? id,
    version: source.version ?? null,
    demo: source.demo === true,
    diagnoses: t.diagnoses,
    procedures: t.procedures,
    diagnosisMap: t.diagnosisMap,
    procedureMap: t.procedureMap,
    mdcs,
    adrgs,
    drgs,
    drg: (code) => drgByCode.get(code),
    adrg: (code) => adrgByCode.get(code),
    ccLevel: (code) => ccByCode.get(code),
    source,
    compiled,
  };
}

/** `scheme.json`, parsed and validated. */
function parseSource(files: SchemeFiles, id: string): SchemeSource {
  let raw: unknown;
  try {
    raw = JSON.parse(files.schemeJson);
  } catch (e) {
    throw new SchemeError(id, [
      { file: "scheme.json", path: "$", message: `不是合法的 JSON：${(e as Error).message}` },
    ]);
  }
  const { problems } = validateSchemeSource(raw);
  if (problems.length > 0) throw new SchemeError(id, problems);
  return raw as SchemeSource;
}

/** The code dictionaries, version maps and CC/MCC tables, parsed and checked. */
function parseTables(files: SchemeFiles, id: string) {
  let diagnoses: CodeDictionary;
  let procedures: CodeDictionary;
  let diagnosisMap: CodeVersionMap;
  let procedureMap: CodeVersionMap;
  let ccRows: string[][];
  let exclRows: string[][];
  try {
    diagnoses = CodeDictionary.parse("diagnosis", files.diagnoses, "diagnoses.tsv");
    procedures = CodeDictionary.parse("procedure", files.procedures, "procedures.tsv");
    diagnosisMap = CodeVersionMap.parse(diagnoses, files.diagnosisMap, "diagnosis_map.tsv");
    procedureMap = CodeVersionMap.parse(procedures, files.procedureMap, "procedure_map.tsv");
    ccRows = parseTsv(files.ccMcc, "cc_mcc.tsv", ["code", "level", "exclusion_table"]);
    exclRows = parseTsv(files.ccExclusion, "cc_exclusion.tsv", ["principal_dx", "exclusion_table"]);
  } catch (e) {
    tableProblem(e, id);
  }
  const tableProblems: SchemeProblem[] = [];
  ccRows.forEach((r, i) => {
    if (r[1] !== "CC" && r[1] !== "MCC") {
      tableProblems.push({
        file: "cc_mcc.tsv",
        path: `第 ${i + 2} 行`,
        message: `级别应为 CC 或 MCC，实际为 "${r[1]}"`,
      });
    }
  });
  if (tableProblems.length > 0) throw new SchemeError(id, tableProblems);
  return { diagnoses, procedures, diagnosisMap, procedureMap, ccRows, exclRows };
}

/**
 * The interned code tables the compiled conditions read: every code the logic can ask about, its
 * list memberships, CC/MCC data and exclusion table, and the list summary.
 */
function buildCodeTables(
  source: SchemeSource,
  ccRows: readonly string[][],
  exclRows: readonly string[][],
): { tables: CodeTables; cc: Int32Array; pdxTable: Int32Array } {
  // Intern every code the logic can ask about, in a Map (its hashing is native, and most codes here
  // are repeated: 127,000 mentions of 42,046 codes in the national scheme), then build the index once,
  // at its final size: at most three quarters full, so the national scheme's codes take 65,536 slots
  // (1 MB; a table sized up front for them was a third full and took 2 MB).
  const internIds = new Map<string, number>();
  const intern = (code: string): number => {
    let id = internIds.get(code);
    if (id === undefined) {
      id = internIds.size;
      internIds.set(code, id);
    }
    return id;
  };
  const listNames = Object.keys(source.lists);
  const listIds = new Map(listNames.map((n, i) => [n, i] as const));
  const listCodeIds = listNames.map((n) => (source.lists[n] as string[]).map(intern));
  const ccIds = ccRows.map((r) => intern(r[0] as string));
  const exclIds = exclRows.map((r) => intern(r[0] as string));
  const codeIds = CodeIndex.of(internIds.keys());

  const words = Math.max(1, Math.ceil(listNames.length / 32));
  const masks = new Uint32Array(codeIds.size * words);
  listCodeIds.forEach((ids, l) => {
    for (const cid of ids) {
      const at = cid * words + (l >>> 5);
      masks[at] = (masks[at] as number) | (1 << (l & 31));
    }
  });

  const memberRows = new RowSet(words);
  memberRows.add(new Uint32Array(words), 0);
  const memberOffset = new Int32Array(codeIds.size);
  for (let id = 0; id < codeIds.size; id++) memberOffset[id] = memberRows.add(masks, id * words) * words;

  const tableIds = new Map<string, number>();
  const table = (t: string): number => {
    if (t === "") return -1;
    let v = tableIds.get(t);
    if (v === undefined) {
      v = tableIds.size;
      tableIds.set(t, v);
    }
    return v;
  };
  const cc = new Int32Array(codeIds.size);
  const pdxTable = new Int32Array(codeIds.size).fill(-1);
  ccRows.forEach((r, i) => {
    cc[ccIds[i] as number] = (r[1] === "MCC" ? 2 : 1) | ((table(r[2] as string) + 1) << 2);
  });
  exclRows.forEach((r, i) => {
    pdxTable[exclIds[i] as number] = table(r[1] as string);
  });

  const orList = listIds.get(OR_PROCEDURES_LIST) ?? -1;
  const summary = new Map<number, number>();
  const summarise = (name: string) => {
    const l = listIds.get(name) as number;
    if (!summary.has(l)) summary.set(l, summary.size);
  };
  if (orList >= 0) summarise(OR_PROCEDURES_LIST);
  const walk = (p: Predicate): void => {
    if ("all" in p) p.all.forEach(walk);
    else if ("any" in p) p.any.forEach(walk);
    else if ("not" in p) walk(p.not);
    else if ("anyDxIn" in p) summarise(p.anyDxIn);
    else if ("anyPxIn" in p) summarise(p.anyPxIn);
    else if ("regionsAtLeast" in p) p.regionsAtLeast.lists.forEach(summarise);
  };
  for (const x of [...source.mdcs, ...source.adrgs, ...source.drgs]) walk(x.when);
  const tables: CodeTables = {
    codeIds,
    listIds,
    listNames,
    words,
    masks,
    members: Uint32Array.from(memberRows.values),
    memberOffset,
    tableNames: [...tableIds.keys()],
    orList,
    summary,
    summaryWords: Math.max(1, Math.ceil(summary.size / 32)),
  };
  return { tables, cc, pdxTable };
}

/** The MDCs, ADRGs and DRGs as the scheme publishes them (codes, names, hierarchy). */
function publishedGroups(source: SchemeSource): { mdcs: MdcInfo[]; adrgs: AdrgInfo[]; drgs: DrgInfo[] } {
  const mdcOf = new Map(source.adrgs.map((a) => [a.code, a.mdc]));
  const drgs: DrgInfo[] = source.drgs.map((d) => ({
    code: d.code,
    name: d.name,
    adrg: d.adrg,
    mdc: mdcOf.get(d.adrg) as string,
  }));
  const adrgs: AdrgInfo[] = source.adrgs.map((a) => ({
    code: a.code,
    name: a.name ?? `${a.code}（ADRG）`,
    mdc: a.mdc,
    drgs: a.drgs,
  }));
  const mdcSources = new Map(source.mdcs.map((m) => [m.code, m]));
  const mdcs: MdcInfo[] = source.mdcOrder.map((code) => {
    const m = mdcSources.get(code) as MdcSource;
    return { code, name: m.name ?? `MDC${code}`, hasQy: m.adrgs.includes(QY_MARKER) };
  });
  return { mdcs, adrgs, drgs };
}
