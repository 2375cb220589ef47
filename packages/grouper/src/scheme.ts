import { CodeDictionary, CodeVersionMap, parseTsv, TableError } from "@yibao/codes";
import { CodeIndex } from "./code-index.js";
import {
  type AdrgSource,
  type DrgSource,
  type MdcSource,
  type NumberRange,
  OR_PROCEDURES_LIST,
  type Predicate,
  QY_MARKER,
  SchemeError,
  type SchemeProblem,
  type SchemeSource,
  validateSchemeSource,
} from "./scheme-source.js";
import { type GroupingRecord, type GroupStatus, UNGROUPED_DRG } from "./types.js";

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
 * Everything the engine derives from one record before grouping it (分组上下文): the fields the
 * conditions read, the codes' slots in the code index, the severity after CC/MCC exclusion, the
 * plan rows of the principal codes and the record's list summary. Filled by {@link beginRecord},
 * {@link addDiagnosis} and {@link addProcedure}; `beginRecord` overwrites every field, empties both
 * code lists and clears the summary, so a context reused for the next record keeps nothing of the
 * previous one (only the capacity of its arrays).
 *
 * The secondary codes may be left for later (`pending`): the walk needs the principal codes for
 * every record but the others only for some (about half of them), when a condition asks about
 * severity or about all codes; such a condition first calls {@link completeContext}.
 */
export class RecordContext {
  sex = "";
  ageYears: number | null = null;
  ageDays: number | null = null;
  birthWeight: number | null = null;
  /**
   * The diagnoses' slots in the code index (`CodeIndex.find`), principal first, -1 for a code the
   * scheme never mentions; the first `dxCount` are the record's.
   */
  dx: Int32Array = new Int32Array(8);
  dxCount = 0;
  /** The procedures' slots in the code index, principal first; the first `pxCount` are the record's. */
  px: Int32Array = new Int32Array(4);
  pxCount = 0;
  /** Severity of the secondary diagnoses after CC/MCC exclusion: 0 none, 1 CC, 2 MCC. */
  severity = 0;
  /** Exclusion table of the principal diagnosis (its row in `cc_exclusion.tsv`), -1 none. */
  pdxTable = -1;
  /** Offsets in `CompiledScheme.plans` of the principal diagnosis's and procedure's plan rows. */
  pdxPlan = 0;
  ppxPlan = 0;
  /**
   * Offsets in `CodeTables.members` of the principal diagnosis's and procedure's list memberships
   * (the all-zero row 0 when there is none or the code is unknown).
   */
  pdxMembers = 0;
  ppxMembers = 0;
  /**
   * The record's list summary (see `CodeTables.summary`): bit b of word b >>> 5 is set when some
   * diagnosis (`dxLists`) or procedure (`pxLists`) is in the summarised list b. The first
   * `CodeTables.summaryWords` words are the record's.
   */
  dxLists: Int32Array = new Int32Array(2);
  pxLists: Int32Array = new Int32Array(2);
  /**
   * The record whose secondary diagnoses or procedures (all but the first of each) are still to be
   * added, or null when every code is in; `dxPending` and `pxPending` say which of the two are.
   * Severity and the diagnosis summary need only the diagnoses, the procedure summary (and the QY
   * check) only the procedures.
   */
  pending: GroupingRecord | null = null;
  dxPending = false;
  pxPending = false;
  /** The compiled scheme the context is filled for (set by {@link beginRecord}). */
  compiled: CompiledScheme | null = null;
}

/** Starts a record in `ctx`: sets every field, empties both code lists and clears the summary. */
export function beginRecord(
  c: CompiledScheme,
  ctx: RecordContext,
  sex: string,
  ageYears: number | null,
  ageDays: number | null,
  birthWeight: number | null,
): void {
  ctx.compiled = c;
  releaseRecord(ctx);
  ctx.sex = sex;
  ctx.ageYears = ageYears;
  ctx.ageDays = ageDays;
  ctx.birthWeight = birthWeight;
  ctx.dxCount = 0;
  ctx.pxCount = 0;
  ctx.severity = 0;
  ctx.pdxTable = -1;
  ctx.pdxPlan = c.noPdxPlan;
  ctx.ppxPlan = c.noPpxPlan;
  ctx.pdxMembers = 0;
  ctx.ppxMembers = 0;
  const words = c.summaryWords;
  if (ctx.dxLists.length < words) {
    ctx.dxLists = new Int32Array(words);
    ctx.pxLists = new Int32Array(words);
  }
  for (let w = 0; w < words; w++) {
    ctx.dxLists[w] = 0;
    ctx.pxLists[w] = 0;
  }
}

/**
 * Adds the record's next diagnosis (the first is the principal), given its slot in the code index
 * (-1 for an unknown code). The code's role gives the principal diagnosis's exclusion table and
 * plan row, each secondary diagnosis's CC/MCC level, and the summarised lists the code is in, so
 * severity and the summary are known when the last diagnosis is in. A secondary diagnosis in the
 * principal's exclusion table does not count (CC/MCC 排除).
 */
export function addDiagnosis(c: CompiledScheme, ctx: RecordContext, slot: number): void {
  if (slot >= 0) {
    const roles = c.roles;
    const role = c.codeIds.valueAt(slot) * c.roleFields;
    if (ctx.dxCount === 0) {
      ctx.pdxTable = roles[role] as number;
      ctx.pdxPlan = roles[role + 1] as number;
      ctx.pdxMembers = roles[role + ROLE_MEMBERS] as number;
    } else {
      const cc = roles[role + 3] as number;
      const level = cc & 3;
      if (level > ctx.severity && (ctx.pdxTable < 0 || (cc >> 2) - 1 !== ctx.pdxTable)) ctx.severity = level;
    }
    for (let w = 0; w < c.summaryWords; w++)
      ctx.dxLists[w] = (ctx.dxLists[w] as number) | (roles[role + ROLE_SUMMARY + w] as number);
  }
  if (ctx.dxCount === ctx.dx.length) ctx.dx = grown(ctx.dx);
  ctx.dx[ctx.dxCount++] = slot;
}

/** Adds the record's next procedure (the first is the principal); `slot` as for {@link addDiagnosis}. */
export function addProcedure(c: CompiledScheme, ctx: RecordContext, slot: number): void {
  if (slot >= 0) {
    const roles = c.roles;
    const role = c.codeIds.valueAt(slot) * c.roleFields;
    if (ctx.pxCount === 0) {
      ctx.ppxPlan = roles[role + 2] as number;
      ctx.ppxMembers = roles[role + ROLE_MEMBERS] as number;
    }
    for (let w = 0; w < c.summaryWords; w++)
      ctx.pxLists[w] = (ctx.pxLists[w] as number) | (roles[role + ROLE_SUMMARY + w] as number);
  }
  if (ctx.pxCount === ctx.px.length) ctx.px = grown(ctx.px);
  ctx.px[ctx.pxCount++] = slot;
}

/** Leaves the codes still pending out: the context holds no record (see {@link RecordContext.pending}). */
export function releaseRecord(ctx: RecordContext): void {
  ctx.pending = null;
  ctx.dxPending = false;
  ctx.pxPending = false;
}

/** Leaves the record's secondary codes to be added when a condition needs them. */
export function deferSecondaries(ctx: RecordContext, r: GroupingRecord): void {
  ctx.dxPending = r.diagnoses.length > 1;
  ctx.pxPending = r.procedures.length > 1;
  ctx.pending = ctx.dxPending || ctx.pxPending ? r : null;
}

/** Adds the secondary diagnoses a context left pending; nothing when there are none. */
export function completeDiagnoses(ctx: RecordContext): void {
  if (!ctx.dxPending) return;
  const r = ctx.pending as GroupingRecord;
  ctx.dxPending = false;
  if (!ctx.pxPending) ctx.pending = null;
  const c = ctx.compiled as CompiledScheme;
  const dx = r.diagnoses;
  const from = ctx.dxCount;
  while (ctx.dx.length < dx.length) ctx.dx = grown(ctx.dx);
  // Slots first, in rounds whose memory reads overlap (`CodeIndex.findAll`), then the codes in order.
  c.codeIds.findAll(dx, from, ctx.dx, from);
  for (let i = from; i < dx.length; i++) addDiagnosis(c, ctx, ctx.dx[i] as number);
}

/**
 * Adds pending secondary diagnoses until the severity is known: all of them, or up to the first
 * that counts as an MCC, after which no other can change it (the rest stay pending, for a
 * condition that needs every diagnosis). A third of the national vectors' secondary diagnoses
 * come after such an MCC.
 */
export function completeSeverity(ctx: RecordContext): void {
  if (!ctx.dxPending) return;
  const r = ctx.pending as GroupingRecord;
  const c = ctx.compiled as CompiledScheme;
  const dx = r.diagnoses;
  const index = c.codeIds;
  while (ctx.severity < 2 && ctx.dxCount < dx.length) {
    addDiagnosis(c, ctx, index.find(dx[ctx.dxCount] as string));
  }
  if (ctx.dxCount === dx.length) {
    ctx.dxPending = false;
    if (!ctx.pxPending) ctx.pending = null;
  }
}

/** Adds the secondary procedures a context left pending; nothing when there are none. */
export function completeProcedures(ctx: RecordContext): void {
  if (!ctx.pxPending) return;
  const r = ctx.pending as GroupingRecord;
  ctx.pxPending = false;
  if (!ctx.dxPending) ctx.pending = null;
  const c = ctx.compiled as CompiledScheme;
  const px = r.procedures;
  while (ctx.px.length < px.length) ctx.px = grown(ctx.px);
  c.codeIds.findAll(px, 1, ctx.px, 1);
  for (let i = 1; i < px.length; i++) addProcedure(c, ctx, ctx.px[i] as number);
}

/** Adds every code a context left pending (see {@link RecordContext.pending}). */
export function completeContext(ctx: RecordContext): void {
  completeDiagnoses(ctx);
  completeProcedures(ctx);
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * One possible grouping result without the record's id (分组结论): precomputed when the scheme is
 * compiled, immutable and shared, so that grouping a record allocates nothing but its result.
 */
export interface GroupOutcome {
  /** Position in {@link CompiledScheme.outcomes}: a dense number for per-outcome tables. */
  readonly index: number;
  readonly status: GroupStatus;
  readonly mdc: string | null;
  readonly adrg: string | null;
  readonly drg: string;
  readonly drgName: string;
}

/** Name of the ungrouped result (未入组). */
export const UNGROUPABLE_NAME = "未入组";
/** Name of a result refused by the pre-grouping checks. */
export const CHECK_FAILED_NAME = "数据校验未通过";

/** The code tables that compiled conditions read: shared read-only by every grouping call. */
export interface CodeTables {
  /** Code → interned id; the payload of a code is its role (see `CompiledScheme.roles`). */
  readonly codeIds: CodeIndex;
  readonly listIds: ReadonlyMap<string, number>;
  readonly listNames: readonly string[];
  /** Words per code in `masks` and per row of `members`. */
  readonly words: number;
  /**
   * masks[id * words + (list >>> 5)] bit (list & 31): code id is in list. Read while compiling;
   * grouping reads the same bits in `members`.
   */
  readonly masks: Uint32Array;
  /**
   * The distinct list memberships (列表归属) of the codes, `words` words each, row 0 all zeros: a
   * code's row in `masks`, stored once however many codes share it (about 2,000 rows for 42,000
   * codes of the national scheme), so the rows that conditions read stay in cache.
   */
  readonly members: Uint32Array;
  /** The offset in `members` of each code id's row. */
  readonly memberOffset: Int32Array;
  /** Names of the exclusion tables (排除表), by index. */
  readonly tableNames: readonly string[];
  readonly orList: number;
  /**
   * The list summary (病例编码列表摘要): the lists that conditions ask about for every code of a
   * record (`anyDxIn`, `anyPxIn`, `regionsAtLeast`, and `or_procedures` for the QY check), each with
   * its bit in a summary. Filling a context ORs every code's summary bits together, so such a
   * condition is one bit test instead of a scan of the codes.
   */
  readonly summary: ReadonlyMap<number, number>;
  /** Words of a summary. */
  readonly summaryWords: number;
}

/**
 * Internal compiled form: shared read-only by every grouping call.
 *
 * Candidate pre-selection (候选 ADRG 预筛): every ADRG entry of every MDC (and every QY check) has a
 * bit, the entries of one MDC in whole words of their own (`CompiledMdc.firstWord .. endWord`).
 * `plans` holds rows of `planMaskWords + planWords` words: first a mask of the row's words that are
 * not zero (bit w of mask word w >>> 5 for plan word w), then the plan words. A code's principal-
 * diagnosis row has the entries that a principal diagnosis with that code lets through (the MDC's
 * and the ADRG's gates on the principal diagnosis hold, or there are none), its principal-procedure
 * row the same for the principal procedure (both rows kept in `roles`, reached from the code's slot
 * in the index). An entry can only match when its bit is set in both rows, so grouping a record
 * looks at a handful of entries instead of every ADRG.
 */
export interface CompiledScheme extends CodeTables {
  readonly mdcs: readonly CompiledMdc[];
  /** Entry of each bit (word * 32 + bit); null for the padding bits of an MDC's last word. */
  readonly entries: readonly (CompiledEntry | null)[];
  /** Words of entry bits in a plan row. */
  readonly planWords: number;
  /** Words of the mask of non-zero plan words at the start of a plan row. */
  readonly planMaskWords: number;
  /** The MDC (index in `mdcs`) that each plan word belongs to. */
  readonly wordMdc: Int32Array;
  readonly plans: Uint32Array;
  /** The rows for a principal diagnosis / procedure that is unknown, missing or in no list. */
  readonly noPdxPlan: number;
  readonly noPpxPlan: number;
  /**
   * What a code means to the engine (its role), `roleFields` numbers per role: the exclusion table
   * of the code as a principal diagnosis (-1 none), its plan row as a principal diagnosis, its plan
   * row as a principal procedure, its CC/MCC data as a secondary diagnosis (`level | (exclusion
   * table + 1) << 2`, level 0 none, 1 CC, 2 MCC), the offset of its list membership in `members`,
   * then (from {@link ROLE_SUMMARY}) its summary words. Codes share roles, so the
   * table is small and stays in cache. Role 0 is that of a code in no list and no table, and the
   * defaults of an unknown code.
   */
  readonly roles: Int32Array;
  readonly roleFields: number;
  /** The word and bit of `or_procedures` in a summary (bit 0 when the scheme has no such list). */
  readonly orWord: number;
  readonly orBit: number;
  /** Every possible outcome; 0 is CHECK_FAILED and 1 UNGROUPABLE. */
  readonly outcomes: readonly GroupOutcome[];
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
  /** The whole condition. */
  readonly when: CompiledPredicate;
  /** What remains of the condition once its gate holds; null when nothing does. */
  readonly test: CompiledPredicate | null;
  readonly source: Predicate;
  /** The words of this MDC's entries in a plan row. */
  readonly firstWord: number;
  readonly endWord: number;
}

/** An ambiguous-group check (QY) at its place among an MDC's ADRGs. */
export interface CompiledQy {
  readonly kind: "qy";
  readonly mdc: string;
  readonly outcome: GroupOutcome;
}

export interface CompiledAdrg {
  readonly kind: "adrg";
  readonly code: string;
  /** What remains of the condition once its gate holds (the plans check the gate); null: nothing. */
  readonly test: CompiledPredicate | null;
  readonly source: Predicate;
  readonly drgs: readonly CompiledDrg[];
  /** The result when no DRG condition holds and the scheme falls back to the ADRG; else null. */
  readonly fallback: GroupOutcome | null;
  /**
   * When every DRG condition of the ADRG asks only about severity (`hasMcc`, `hasCcOrMcc`, `always`,
   * as in CHS-DRG, where the DRGs split an ADRG by MCC, CC or neither): what the DRGs give, in order,
   * for each severity (0 none, 1 CC, 2 MCC), null where no DRG condition holds. Else null, and the
   * DRG conditions are evaluated one by one.
   */
  readonly bySeverity: readonly (GroupOutcome | null)[] | null;
  /** Whether `bySeverity` differs by severity (else the severity need not be known). */
  readonly severitySplits: boolean;
}

/**
 * The first outcome of `drgs` whose condition holds at each severity, when every condition asks only
 * about severity; null when some condition asks about anything else.
 */
function severityTable(drgs: readonly CompiledDrg[]): (GroupOutcome | null)[] | null {
  const least: number[] = [];
  for (const d of drgs) {
    const p = d.source;
    if ("always" in p) least.push(0);
    else if ("hasCcOrMcc" in p) least.push(1);
    else if ("hasMcc" in p) least.push(2);
    else return null;
  }
  return [0, 1, 2].map((severity) => {
    const i = least.findIndex((min) => severity >= min);
    return i < 0 ? null : (drgs[i] as CompiledDrg).outcome;
  });
}

export type CompiledEntry = CompiledQy | CompiledAdrg;

export interface CompiledDrg {
  readonly code: string;
  readonly name: string;
  /** The condition; null when it always holds. */
  readonly test: CompiledPredicate | null;
  readonly source: Predicate;
  readonly outcome: GroupOutcome;
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

/** The field of a role with the offset of its list membership (see `CompiledScheme.roles`). */
const ROLE_MEMBERS = 4;
/** The field of a role where its summary words start. */
const ROLE_SUMMARY = 5;

function hasBit(c: CodeTables, id: number, list: number): boolean {
  if (id < 0) return false;
  return ((c.masks[id * c.words + (list >>> 5)] as number) & (1 << (list & 31))) !== 0;
}

/** Whether the code in `slot` of the code index (-1: an unknown code) is in the list. */
export function inList(c: CompiledScheme, slot: number, list: number): boolean {
  if (slot < 0) return false;
  const members = c.roles[c.codeIds.valueAt(slot) * c.roleFields + ROLE_MEMBERS] as number;
  return ((c.members[members + (list >>> 5)] as number) & (1 << (list & 31))) !== 0;
}

/**
 * The severity of the record's secondary diagnoses after CC/MCC exclusion: 0 none, 1 CC, 2 MCC
 * (computed as the context was filled, see {@link addDiagnosis}).
 */
export function severityOf(_tables: CodeTables, ctx: RecordContext): number {
  completeSeverity(ctx);
  return ctx.severity;
}

/**
 * The CC/MCC level (0 none, 1 CC, 2 MCC) and exclusion table (-1 none) of the code in `slot` of the
 * code index.
 */
export function ccOf(c: CompiledScheme, slot: number): { readonly level: number; readonly table: number } {
  const cc = c.roles[c.codeIds.valueAt(slot) * c.roleFields + 3] as number;
  return { level: cc & 3, table: (cc >> 2) - 1 };
}

/** Compiles a numeric bound (`eq`, `min` ≥, `max` ≤, `below` <) into one interval test. */
function rangeTest(r: NumberRange): (v: number) => boolean {
  const lo = Math.max(r.min ?? -Infinity, r.eq ?? -Infinity);
  const hi = Math.min(r.max ?? Infinity, r.eq ?? Infinity);
  const top = r.below ?? Infinity;
  return (v) => v >= lo && v <= hi && v < top;
}

/** Compiles a condition into a closure over the interned tables. */
export function compilePredicate(c: CodeTables, p: Predicate): CompiledPredicate {
  const list = (name: string): number => {
    const id = c.listIds.get(name);
    if (id === undefined) throw new Error(`unknown list ${name}`);
    return id;
  };
  const { members } = c;
  /** The word offset and the bit of a list in a row of `members`. */
  const bitOf = (name: string): [number, number] => {
    const l = list(name);
    return [l >>> 5, 1 << (l & 31)];
  };
  if ("always" in p) return () => true;
  if ("all" in p) {
    const parts = p.all.map((q) => compilePredicate(c, q));
    if (parts.length === 1) return parts[0] as CompiledPredicate;
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
    const [word, bit] = bitOf(p.pdxIn);
    return (x) => ((members[x.pdxMembers + word] as number) & bit) !== 0;
  }
  if ("ppxIn" in p) {
    const [word, bit] = bitOf(p.ppxIn);
    return (x) => ((members[x.ppxMembers + word] as number) & bit) !== 0;
  }
  /** The word and bit of a summarised list in a record's summary. */
  const summaryBit = (name: string): [number, number] => {
    const b = c.summary.get(list(name)) as number;
    return [b >>> 5, 1 << (b & 31)];
  };
  if ("anyDxIn" in p) {
    const [word, bit] = summaryBit(p.anyDxIn);
    return (x) => {
      completeDiagnoses(x);
      return ((x.dxLists[word] as number) & bit) !== 0;
    };
  }
  if ("anyPxIn" in p) {
    const [word, bit] = summaryBit(p.anyPxIn);
    return (x) => {
      completeProcedures(x);
      return ((x.pxLists[word] as number) & bit) !== 0;
    };
  }
  if ("ageYears" in p) {
    const r = rangeTest(p.ageYears);
    return (x) => x.ageYears !== null && r(x.ageYears);
  }
  if ("ageDays" in p) {
    const r = rangeTest(p.ageDays);
    return (x) => r(x.ageDays ?? 0);
  }
  if ("sex" in p) {
    const s = p.sex;
    return (x) => x.sex === s;
  }
  if ("birthWeight" in p) {
    const r = rangeTest(p.birthWeight);
    return (x) => x.birthWeight !== null && x.birthWeight > 0 && r(x.birthWeight);
  }
  if ("regionsAtLeast" in p) {
    const bits = p.regionsAtLeast.lists.map(summaryBit);
    const min = p.regionsAtLeast.min;
    return (x) => {
      completeDiagnoses(x);
      let n = 0;
      for (const [word, bit] of bits)
        if (((x.dxLists[word] as number) & bit) !== 0 && ++n >= min) return true;
      return false;
    };
  }
  if ("traumaDiagnosesAtLeast" in p) {
    const lists = p.traumaDiagnosesAtLeast.lists.map(list);
    const min = p.traumaDiagnosesAtLeast.min;
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
  }
  if ("hasMcc" in p) return (x) => severityOf(c, x) >= 2;
  if ("hasCcOrMcc" in p) return (x) => severityOf(c, x) >= 1;
  throw new Error(`unsupported predicate ${JSON.stringify(p)}`);
}

/** A condition that can be skipped entirely: absent, or `always`. */
function compileTest(c: CodeTables, p: Predicate | null): CompiledPredicate | null {
  return p === null || "always" in p ? null : compilePredicate(c, p);
}

/** A condition split into necessary gates and the rest that must hold besides them. */
export interface GateSplit {
  /** Gates that must all hold. */
  readonly gates: readonly Gate[];
  /** What must still be checked once the gates hold; null when nothing remains. */
  readonly rest: Predicate | null;
}

/**
 * Derives necessary gates from a condition: `pdxIn L` and `ppxIn L` are gates (and leave nothing to
 * check); `all` gathers the gates of its conjuncts and keeps what remains of each; `any` gates only
 * when every disjunct gates on the same code (on any of their lists), and keeps the whole `any`.
 */
export function splitGate(p: Predicate, listId: (name: string) => number): GateSplit {
  if ("pdxIn" in p) return { gates: [{ on: "pdx", lists: [listId(p.pdxIn)] }], rest: null };
  if ("ppxIn" in p) return { gates: [{ on: "ppx", lists: [listId(p.ppxIn)] }], rest: null };
  if ("all" in p) {
    const gates: Gate[] = [];
    const rest: Predicate[] = [];
    for (const q of p.all) {
      const s = splitGate(q, listId);
      gates.push(...s.gates);
      if (s.rest !== null) rest.push(s.rest);
    }
    return {
      gates,
      rest: rest.length === 0 ? null : rest.length === 1 ? (rest[0] as Predicate) : { all: rest },
    };
  }
  if ("any" in p) {
    const firsts = p.any.map((q) => splitGate(q, listId).gates[0]);
    const on = firsts[0]?.on;
    if (!on || firsts.some((g) => g === undefined || g.on !== on)) return { gates: [], rest: p };
    return { gates: [{ on, lists: firsts.flatMap((g) => (g as Gate).lists) }], rest: p };
  }
  return { gates: [], rest: p };
}

/** Dense numbers for the distinct rows of `width` integers it is given (found by hash, then compared). */
class RowSet {
  /** The distinct rows, one after the other. */
  readonly values: number[] = [];
  private readonly byHash = new Map<number, number[]>();

  constructor(private readonly width: number) {}

  /** The number of the row `src[at .. at + width)`, adding it when it is new. */
  add(src: ArrayLike<number>, at: number): number {
    const { width, values } = this;
    let h = width;
    for (let k = 0; k < width; k++) h = (Math.imul(h ^ (src[at + k] as number), 0x9e3779b1) + k) | 0;
    const same = this.byHash.get(h);
    for (const r of same ?? []) {
      let k = 0;
      while (k < width && values[r * width + k] === (src[at + k] as number | 0)) k++;
      if (k === width) return r;
    }
    const r = values.length / width;
    for (let k = 0; k < width; k++) values.push(src[at + k] as number | 0);
    if (same === undefined) this.byHash.set(h, [r]);
    else same.push(r);
    return r;
  }
}

/**
 * The gates an entry must pass on one code: a conjunction (the MDC's gate, the ADRG's gate) of
 * disjunctions (the gate's lists).
 */
type GateLists = readonly (readonly number[])[];

/**
 * Compiles the grouping logic of a validated source against its code tables, and sets the payload of
 * every code in the index to its role, from the plans, `pdxTable` and `cc` (CC/MCC data), by id.
 */
function compileLogic(
  source: SchemeSource,
  t: CodeTables,
  cc: Int32Array,
  pdxTable: Int32Array,
): CompiledScheme {
  const listId = (name: string) => t.listIds.get(name) as number;
  const outcomes: GroupOutcome[] = [];
  const outcome = (
    status: GroupStatus,
    mdc: string | null,
    adrg: string | null,
    drg: string,
    drgName: string,
  ): GroupOutcome => {
    const o = { index: outcomes.length, status, mdc, adrg, drg, drgName };
    outcomes.push(o);
    return o;
  };
  outcome("CHECK_FAILED", null, null, UNGROUPED_DRG, CHECK_FAILED_NAME);
  outcome("UNGROUPABLE", null, null, UNGROUPED_DRG, UNGROUPABLE_NAME);

  const mdcSources = new Map(source.mdcs.map((m) => [m.code, m]));
  const adrgSources = new Map(source.adrgs.map((a) => [a.code, a]));
  const drgSources = new Map(source.drgs.map((d) => [d.code, d]));
  const entries: (CompiledEntry | null)[] = [];
  const pdxGates: GateLists[] = [];
  const ppxGates: GateLists[] = [];
  const push = (entry: CompiledEntry | null, gates: readonly Gate[]) => {
    entries.push(entry);
    pdxGates.push(gates.filter((g) => g.on === "pdx").map((g) => g.lists));
    ppxGates.push(gates.filter((g) => g.on === "ppx").map((g) => g.lists));
  };
  const mdcs: CompiledMdc[] = [];
  for (const code of source.mdcOrder) {
    const m = mdcSources.get(code) as MdcSource;
    const mdcSplit = splitGate(m.when, listId);
    const firstWord = entries.length / 32;
    let qy: GroupOutcome | null = null;
    for (const a of m.adrgs) {
      if (a === QY_MARKER) {
        qy ??= outcome("AMBIGUOUS", code, null, `${code}QY`, `MDC${code} 歧义组`);
        push({ kind: "qy", mdc: code, outcome: qy }, mdcSplit.gates);
        continue;
      }
      const adrg = adrgSources.get(a) as AdrgSource;
      const split = splitGate(adrg.when, listId);
      const drgs: CompiledDrg[] = adrg.drgs.map((d) => {
        const drg = drgSources.get(d) as DrgSource;
        return {
          code: d,
          name: drg.name,
          test: compileTest(t, drg.when),
          source: drg.when,
          outcome: outcome("OK", code, a, d, drg.name),
        };
      });
      const bySeverity = severityTable(drgs);
      push(
        {
          kind: "adrg",
          code: a,
          test: compileTest(t, split.rest),
          source: adrg.when,
          drgs,
          fallback: adrg.fallbackToAdrg ? outcome("OK", code, a, a, adrg.name ?? `${a}（ADRG）`) : null,
          bySeverity,
          severitySplits:
            bySeverity !== null && !(bySeverity[0] === bySeverity[1] && bySeverity[1] === bySeverity[2]),
        },
        [...mdcSplit.gates, ...split.gates],
      );
    }
    while (entries.length % 32 !== 0) push(null, []);
    mdcs.push({
      code,
      when: compilePredicate(t, m.when),
      test: compileTest(t, mdcSplit.rest),
      source: m.when,
      firstWord,
      endWord: entries.length / 32,
    });
  }

  // Plan rows, computed once per distinct list membership of a code and stored once per distinct row.
  const planWords = entries.length / 32;
  const planMaskWords = Math.max(1, Math.ceil(planWords / 32));
  const plans = new RowSet(planMaskWords + planWords);
  const row = new Int32Array(planWords);
  const maskedRow = new Int32Array(planMaskWords + planWords);
  /** For one code: the entries without gates on it, then each gated entry whose gates all hold. */
  const rower = (gates: readonly GateLists[]) => {
    const base = new Int32Array(planWords);
    const gated: number[] = [];
    entries.forEach((e, i) => {
      if (e === null) return;
      if ((gates[i] as GateLists).length === 0) base[i >>> 5] = (base[i >>> 5] as number) | (1 << (i & 31));
      else gated.push(i);
    });
    return (id: number): number => {
      row.set(base);
      for (const i of gated) {
        if ((gates[i] as GateLists).every((lists) => lists.some((l) => id >= 0 && hasBit(t, id, l)))) {
          row[i >>> 5] = (row[i >>> 5] as number) | (1 << (i & 31));
        }
      }
      maskedRow.fill(0, 0, planMaskWords);
      for (let w = 0; w < planWords; w++) {
        if (row[w] !== 0) maskedRow[w >>> 5] = (maskedRow[w >>> 5] as number) | (1 << (w & 31));
      }
      maskedRow.set(row, planMaskWords);
      return plans.add(maskedRow, 0) * (planMaskWords + planWords);
    };
  };
  const pdxRow = rower(pdxGates);
  const ppxRow = rower(ppxGates);
  const noPdxPlan = pdxRow(-1);
  const noPpxPlan = ppxRow(-1);
  const roleFields = ROLE_SUMMARY + t.summaryWords;
  const roles = new RowSet(roleFields);
  const role = new Int32Array(roleFields);
  role.set([-1, noPdxPlan, noPpxPlan, 0, 0]);
  roles.add(role, 0);
  /**
   * Per distinct membership (its row in `members`): both plan rows, then the summary words, computed
   * at its first code.
   */
  const derivedWidth = 2 + t.summaryWords;
  const memberRowCount = t.members.length / t.words;
  const derived = new Int32Array(memberRowCount * derivedWidth);
  const derivedDone = new Uint8Array(memberRowCount);
  for (let id = 0; id < t.codeIds.size; id++) {
    const m = (t.memberOffset[id] as number) / t.words;
    const at = m * derivedWidth;
    if (derivedDone[m] === 0) {
      derivedDone[m] = 1;
      derived[at] = pdxRow(id);
      derived[at + 1] = ppxRow(id);
      for (const [l, b] of t.summary) {
        if (hasBit(t, id, l))
          derived[at + 2 + (b >>> 5)] = (derived[at + 2 + (b >>> 5)] as number) | (1 << (b & 31));
      }
    }
    role[0] = pdxTable[id] as number;
    role[1] = derived[at] as number;
    role[2] = derived[at + 1] as number;
    role[3] = cc[id] as number;
    role[ROLE_MEMBERS] = t.memberOffset[id] as number;
    for (let w = 0; w < t.summaryWords; w++) role[ROLE_SUMMARY + w] = derived[at + 2 + w] as number;
    t.codeIds.setValue(id, roles.add(role, 0));
  }
  const orSummary = t.summary.get(t.orList) ?? 0;
  const wordMdc = new Int32Array(planWords);
  mdcs.forEach((m, i) => wordMdc.fill(i, m.firstWord, m.endWord));
  return {
    ...t,
    mdcs,
    entries,
    planWords,
    planMaskWords,
    wordMdc,
    plans: Uint32Array.from(plans.values),
    noPdxPlan,
    noPpxPlan,
    roles: Int32Array.from(roles.values),
    roleFields,
    orWord: orSummary >>> 5,
    orBit: t.orList < 0 ? 0 : 1 << (orSummary & 31),
    outcomes,
  };
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
  const compiled = compileLogic(source, tables, cc, pdxTable);
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
    compiled,
  };
}
