/**
 * The compiled form of a scheme (编译后的分组方案): the interned code tables that conditions read,
 * the candidate plans, the compiled MDC/ADRG/DRG entries and every possible outcome; shared read-only
 * by every grouping call.
 */
import type { CodeDictionary, CodeVersionMap } from "@yibao/codes";
import type { CodeIndex } from "./code-index.js";
import type { CompiledPredicate } from "./context.js";
import type { Predicate, SchemeSource } from "./scheme-source.js";
import type { GroupStatus } from "./types.js";

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
  /**
   * Whether the newborn birth-weight check of the pre-grouping checks is on (`checks.newbornBirthWeight`
   * of `scheme.json`, default true).
   */
  readonly newbornBirthWeightCheck: boolean;
  /**
   * Whether some condition reads the record itself (department, discharge way, code prefixes, number
   * of procedures): the batch fast path then declines every line, for the general path.
   */
  readonly readsRecord: boolean;
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
export const ROLE_MEMBERS = 4;
/** The field of a role where its summary words start. */
export const ROLE_SUMMARY = 5;

export function hasBit(c: CodeTables, id: number, list: number): boolean {
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
 * The CC/MCC level (0 none, 1 CC, 2 MCC) and exclusion table (-1 none) of the code in `slot` of the
 * code index.
 */
export function ccOf(c: CompiledScheme, slot: number): { readonly level: number; readonly table: number } {
  const cc = c.roles[c.codeIds.valueAt(slot) * c.roleFields + 3] as number;
  return { level: cc & 3, table: (cc >> 2) - 1 };
}
