import { CodeDictionary, CodeVersionMap, parseTsv, TableError } from "@yibao/codes";
import { CodeIndex } from "./code-index.js";
import {
  OR_PROCEDURES_LIST,
  type Predicate,
  QY_MARKER,
  SchemeError,
  type SchemeProblem,
  type SchemeSource,
  validateSchemeSource,
} from "./scheme-source.js";

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

/** 疾病诊断相关组 (DRG) as published by a scheme. */
export interface DrgInfo {
  readonly code: string;
  readonly name: string;
  readonly adrg: string;
  readonly mdc: string;
}

/** 核心疾病诊断相关组 (ADRG). */
export interface AdrgInfo {
  readonly code: string;
  readonly name: string;
  readonly mdc: string;
  readonly drgs: readonly string[];
}

/** 主要诊断大类 (MDC). */
export interface MdcInfo {
  readonly code: string;
  readonly name: string;
  /** Whether this MDC checks for ambiguous (QY) cases. */
  readonly hasQy: boolean;
}

/** CC/MCC severity of a secondary diagnosis (并发症或合并症). */
export type CcLevel = "CC" | "MCC";

/** A compiled grouping condition: evaluated against one record's context. */
export type CompiledPredicate = (ctx: RecordContext) => boolean;

/**
 * Everything the engine derives from one record before grouping it. Built fresh for every record,
 * so nothing can leak from one record into the next.
 */
export interface RecordContext {
  readonly sex: string;
  readonly ageYears: number | null;
  readonly ageDays: number | null;
  readonly birthWeight: number | null;
  /** Interned ids of the diagnoses, principal first; -1 for a code the scheme never mentions. */
  readonly dx: readonly number[];
  /** Interned ids of the procedures, principal first. */
  readonly px: readonly number[];
  /** Memoised severity: -1 not computed yet, 0 none, 1 CC, 2 MCC. */
  severity: number;
}

/** Internal compiled form: shared read-only by every grouping call. */
export interface CompiledScheme {
  /** Code → interned id. */
  readonly codeIds: CodeIndex;
  readonly listIds: ReadonlyMap<string, number>;
  readonly listNames: readonly string[];
  /** Words per code in `masks`. */
  readonly words: number;
  /** masks[id * words + (list >>> 5)] bit (list & 31): code id is in list. */
  readonly masks: Uint32Array;
  /** 0 none, 1 CC, 2 MCC, by code id. */
  readonly ccLevel: Uint8Array;
  /** Exclusion table index of a CC/MCC code (its `exclusion_table`), -1 none. */
  readonly ccTable: Int32Array;
  /** Exclusion table index a principal diagnosis belongs to, -1 none. */
  readonly pdxTable: Int32Array;
  readonly tableNames: readonly string[];
  readonly mdcs: readonly CompiledMdc[];
  readonly orList: number;
  /**
   * MDC pre-selection (≤ 32 MDCs): bit i of `mdcByPdx[code]` / `mdcByPpx[code]` is set when MDC i's
   * gate admits that principal diagnosis / procedure; `mdcUngated` has the bits of MDCs without a
   * gate. With more than 32 MDCs every bit of `mdcUngated` is set and nothing is skipped.
   */
  readonly mdcByPdx: Uint32Array;
  readonly mdcByPpx: Uint32Array;
  readonly mdcUngated: number;
}

/**
 * A necessary condition of a `when`, on the principal diagnosis (`pdx`) or principal procedure
 * (`ppx`): the condition can only hold if that code is in one of `lists`. Used to skip conditions
 * with one bit test; never changes a result.
 */
export interface Gate {
  readonly on: "pdx" | "ppx";
  readonly lists: readonly number[];
}

export interface CompiledMdc {
  readonly code: string;
  readonly when: CompiledPredicate;
  readonly gate: Gate | null;
  readonly source: Predicate;
  readonly entries: readonly (CompiledAdrg | typeof QY_MARKER)[];
}

export interface CompiledAdrg {
  readonly code: string;
  readonly when: CompiledPredicate;
  /** 0 no gate, 1 principal diagnosis, 2 principal procedure. */
  readonly gateOn: number;
  /** The gate's single list id (ADRG gates are kept only when they are one list), else -1. */
  readonly gateList: number;
  readonly source: Predicate;
  readonly fallbackToAdrg: boolean;
  readonly drgs: readonly CompiledDrg[];
}

export interface CompiledDrg {
  readonly code: string;
  readonly name: string;
  readonly when: CompiledPredicate;
  readonly source: Predicate;
}

/**
 * 分组方案 (DRG scheme): one loaded, validated and compiled scheme. Immutable; any number may be
 * loaded side by side and shared by concurrent callers.
 */
export interface DrgScheme {
  /** Identifier, usually the directory name (e.g. `chs-drg-1.1`). */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  readonly version: string | null;
  /** True for the bundled demonstration scheme (演示方案), never to be used for payment. */
  readonly demo: boolean;
  /** ICD-10 医保版 2.0 diagnoses. */
  readonly diagnoses: CodeDictionary;
  /** ICD-9-CM-3 医保版 2.0 procedures. */
  readonly procedures: CodeDictionary;
  readonly diagnosisMap: CodeVersionMap;
  readonly procedureMap: CodeVersionMap;
  readonly mdcs: readonly MdcInfo[];
  readonly adrgs: readonly AdrgInfo[];
  readonly drgs: readonly DrgInfo[];
  drg(code: string): DrgInfo | undefined;
  adrg(code: string): AdrgInfo | undefined;
  /** The CC/MCC level of a diagnosis code, before any exclusion. */
  ccLevel(code: string): CcLevel | undefined;
  /** The source of the scheme's logic, for explanation and export. */
  readonly source: SchemeSource;
  /** @internal the compiled engine tables. */
  readonly compiled: CompiledScheme;
}

function hasBit(c: CompiledScheme, id: number, list: number): boolean {
  if (id < 0) return false;
  return ((c.masks[id * c.words + (list >>> 5)] as number) & (1 << (list & 31))) !== 0;
}

/** Whether the code id is in the list. Exported for the explaining evaluator. */
export const inList = hasBit;

/**
 * The severity of the record's secondary diagnoses after CC/MCC exclusion: 0 none, 1 CC, 2 MCC.
 */
export function severityOf(c: CompiledScheme, ctx: RecordContext): number {
  if (ctx.severity >= 0) return ctx.severity;
  const dx = ctx.dx;
  const pdx = dx.length > 0 ? (dx[0] as number) : -1;
  const table = pdx >= 0 ? (c.pdxTable[pdx] as number) : -1;
  let sev = 0;
  for (let i = 1; i < dx.length && sev < 2; i++) {
    const id = dx[i] as number;
    if (id < 0) continue;
    const level = c.ccLevel[id] as number;
    if (level > sev && (table < 0 || c.ccTable[id] !== table)) sev = level;
  }
  ctx.severity = sev;
  return sev;
}

function inRange(v: number, r: { eq?: number; min?: number; max?: number; below?: number }): boolean {
  if (r.eq !== undefined && v !== r.eq) return false;
  if (r.min !== undefined && v < r.min) return false;
  if (r.max !== undefined && v > r.max) return false;
  if (r.below !== undefined && v >= r.below) return false;
  return true;
}

/** Compiles a condition into a closure over the interned tables. */
export function compilePredicate(c: CompiledScheme, p: Predicate): CompiledPredicate {
  const list = (name: string): number => {
    const id = c.listIds.get(name);
    if (id === undefined) throw new Error(`unknown list ${name}`);
    return id;
  };
  if ("always" in p) return () => true;
  if ("all" in p) {
    const parts = p.all.map((q) => compilePredicate(c, q));
    if (parts.length === 2) {
      const [a, b] = parts as [CompiledPredicate, CompiledPredicate];
      return (x) => a(x) && b(x);
    }
    return (x) => {
      for (const q of parts) if (!q(x)) return false;
      return true;
    };
  }
  if ("any" in p) {
    const parts = p.any.map((q) => compilePredicate(c, q));
    return (x) => {
      for (const q of parts) if (q(x)) return true;
      return false;
    };
  }
  if ("not" in p) {
    const q = compilePredicate(c, p.not);
    return (x) => !q(x);
  }
  if ("pdxIn" in p) {
    const l = list(p.pdxIn);
    return (x) => x.dx.length > 0 && hasBit(c, x.dx[0] as number, l);
  }
  if ("ppxIn" in p) {
    const l = list(p.ppxIn);
    return (x) => x.px.length > 0 && hasBit(c, x.px[0] as number, l);
  }
  if ("anyDxIn" in p) {
    const l = list(p.anyDxIn);
    return (x) => {
      for (const id of x.dx) if (hasBit(c, id, l)) return true;
      return false;
    };
  }
  if ("anyPxIn" in p) {
    const l = list(p.anyPxIn);
    return (x) => {
      for (const id of x.px) if (hasBit(c, id, l)) return true;
      return false;
    };
  }
  if ("ageYears" in p) {
    const r = p.ageYears;
    return (x) => x.ageYears !== null && inRange(x.ageYears, r);
  }
  if ("ageDays" in p) {
    const r = p.ageDays;
    return (x) => inRange(x.ageDays ?? 0, r);
  }
  if ("sex" in p) {
    const s = p.sex;
    return (x) => x.sex === s;
  }
  if ("birthWeight" in p) {
    const r = p.birthWeight;
    return (x) => x.birthWeight !== null && x.birthWeight > 0 && inRange(x.birthWeight, r);
  }
  if ("regionsAtLeast" in p) {
    const lists = p.regionsAtLeast.lists.map(list);
    const min = p.regionsAtLeast.min;
    return (x) => {
      let n = 0;
      for (const l of lists) {
        for (const id of x.dx) {
          if (hasBit(c, id, l)) {
            n++;
            break;
          }
        }
        if (n >= min) return true;
      }
      return false;
    };
  }
  if ("traumaDiagnosesAtLeast" in p) {
    const lists = p.traumaDiagnosesAtLeast.lists.map(list);
    const min = p.traumaDiagnosesAtLeast.min;
    return (x) => {
      let n = 0;
      for (const id of x.dx) {
        for (const l of lists) {
          if (hasBit(c, id, l)) {
            n++;
            break;
          }
        }
        if (n >= min) return true;
      }
      return false;
    };
  }
  if ("hasMcc" in p) return (x) => severityOf(c, x) >= 2;
  if ("hasCcOrMcc" in p) return (x) => severityOf(c, x) >= 1;
  throw new Error(`unsupported predicate ${JSON.stringify(p)}`);
}

/**
 * Derives a necessary gate from a condition: `pdxIn L` and `ppxIn L` gate directly; `all` takes the
 * first conjunct with a gate; `any` gates only when every disjunct gates on the same code.
 */
export function gateOf(p: Predicate, listId: (name: string) => number): Gate | null {
  if ("pdxIn" in p) return { on: "pdx", lists: [listId(p.pdxIn)] };
  if ("ppxIn" in p) return { on: "ppx", lists: [listId(p.ppxIn)] };
  if ("all" in p) {
    for (const q of p.all) {
      const g = gateOf(q, listId);
      if (g) return g;
    }
    return null;
  }
  if ("any" in p) {
    const gates = p.any.map((q) => gateOf(q, listId));
    const on = gates[0]?.on;
    if (!on || gates.some((g) => g === null || g.on !== on)) return null;
    return { on, lists: gates.flatMap((g) => (g as Gate).lists) };
  }
  return null;
}

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
  const source = raw as SchemeSource;

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

  // Intern every code the logic can ask about.
  const codeIds = new CodeIndex(65_536);
  const intern = (code: string): number => codeIds.intern(code);
  const listNames = Object.keys(source.lists);
  const listIds = new Map(listNames.map((n, i) => [n, i] as const));
  for (const n of listNames) for (const code of source.lists[n] as string[]) intern(code);
  for (const r of ccRows) intern(r[0] as string);
  for (const r of exclRows) intern(r[0] as string);

  const words = Math.max(1, Math.ceil(listNames.length / 32));
  const masks = new Uint32Array(codeIds.size * words);
  listNames.forEach((n, l) => {
    for (const code of source.lists[n] as string[]) {
      const cid = codeIds.get(code);
      const at = cid * words + (l >>> 5);
      masks[at] = (masks[at] as number) | (1 << (l & 31));
    }
  });

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
  const ccLevel = new Uint8Array(codeIds.size);
  const ccTable = new Int32Array(codeIds.size).fill(-1);
  const pdxTable = new Int32Array(codeIds.size).fill(-1);
  for (const [code, level, t] of ccRows as [string, string, string][]) {
    const cid = codeIds.get(code);
    ccLevel[cid] = level === "MCC" ? 2 : 1;
    ccTable[cid] = table(t);
  }
  for (const [code, t] of exclRows as [string, string][]) pdxTable[codeIds.get(code)] = table(t);

  const partial = {
    codeIds,
    listIds,
    listNames,
    words,
    masks,
    ccLevel,
    ccTable,
    pdxTable,
    tableNames: [...tableIds.keys()],
    orList: listIds.get(OR_PROCEDURES_LIST) ?? -1,
  };
  const listId = (name: string) => listIds.get(name) as number;
  const base = {
    ...partial,
    mdcs: [] as CompiledMdc[],
    mdcByPdx: new Uint32Array(codeIds.size),
    mdcByPpx: new Uint32Array(codeIds.size),
    mdcUngated: 0,
  };
  const drgSources = new Map(source.drgs.map((d) => [d.code, d]));
  const adrgSources = new Map(source.adrgs.map((a) => [a.code, a]));
  const mdcSources = new Map(source.mdcs.map((m) => [m.code, m]));
  const compiledAdrg = (code: string): CompiledAdrg => {
    const a = adrgSources.get(code) as (typeof source.adrgs)[number];
    const gate = gateOf(a.when, listId);
    const single = gate !== null && gate.lists.length === 1;
    return {
      code,
      when: compilePredicate(base, a.when),
      gateOn: single ? (gate.on === "pdx" ? 1 : 2) : 0,
      gateList: single ? (gate.lists[0] as number) : -1,
      source: a.when,
      fallbackToAdrg: a.fallbackToAdrg,
      drgs: a.drgs.map((d) => {
        const s = drgSources.get(d) as (typeof source.drgs)[number];
        return { code: d, name: s.name, when: compilePredicate(base, s.when), source: s.when };
      }),
    };
  };
  for (const code of source.mdcOrder) {
    const m = mdcSources.get(code) as (typeof source.mdcs)[number];
    base.mdcs.push({
      code,
      when: compilePredicate(base, m.when),
      gate: gateOf(m.when, listId),
      source: m.when,
      entries: m.adrgs.map((a) => (a === QY_MARKER ? QY_MARKER : compiledAdrg(a))),
    });
  }

  if (base.mdcs.length > 32) base.mdcUngated = -1 >>> 0;
  else {
    base.mdcs.forEach((m, i) => {
      const bit = (1 << i) >>> 0;
      if (m.gate === null) {
        base.mdcUngated = (base.mdcUngated | bit) >>> 0;
        return;
      }
      const target = m.gate.on === "pdx" ? base.mdcByPdx : base.mdcByPpx;
      for (let cid = 0; cid < codeIds.size; cid++) {
        for (const l of m.gate.lists) {
          if (hasBit(base, cid, l)) {
            target[cid] = ((target[cid] as number) | bit) >>> 0;
            break;
          }
        }
      }
    });
  }

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
  const mdcs: MdcInfo[] = source.mdcOrder.map((code) => {
    const m = mdcSources.get(code) as (typeof source.mdcs)[number];
    return { code, name: m.name ?? `MDC${code}`, hasQy: m.adrgs.includes(QY_MARKER) };
  });
  const drgByCode = new Map(drgs.map((d) => [d.code, d]));
  const adrgByCode = new Map(adrgs.map((a) => [a.code, a]));
  const ccByCode = new Map(ccRows.map((r) => [r[0] as string, r[1] as CcLevel]));

  return {
    id,
    name: source.name ?? id,
    version: source.version ?? null,
    demo: source.demo === true,
    diagnoses,
    procedures,
    diagnosisMap,
    procedureMap,
    mdcs,
    adrgs,
    drgs,
    drg: (code) => drgByCode.get(code),
    adrg: (code) => adrgByCode.get(code),
    ccLevel: (code) => ccByCode.get(code),
    source,
    compiled: base,
  };
}
