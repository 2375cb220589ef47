/**
 * The record context (分组上下文) that compiled conditions read, and how it is filled from one
 * record: the codes' slots, severity after CC/MCC exclusion, the principal codes' plan rows and the
 * list summary; secondary codes added only when a condition needs them.
 */
import type { CodeTables, CompiledScheme } from "./compiled.js";
import { ROLE_MEMBERS, ROLE_SUMMARY } from "./compiled.js";
import type { GroupingRecord } from "./types.js";

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
  /** 住院天数 (length of stay): the record's `los`; 0 (or less) means missing. */
  los = 0;
  /**
   * The record being grouped, for the conditions that read its strings (department, discharge way,
   * code prefixes, the number of procedures; `PredicateModule.readsRecord`). Set by the general path
   * (`fill` in `group.ts`), cleared by {@link releaseRecord}; null in the batch fast path, which
   * declines every line of a scheme with such a condition (`CompiledScheme.readsRecord`).
   */
  record: GroupingRecord | null = null;
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
  los: number,
): void {
  ctx.compiled = c;
  releaseRecord(ctx);
  ctx.sex = sex;
  ctx.ageYears = ageYears;
  ctx.ageDays = ageDays;
  ctx.birthWeight = birthWeight;
  ctx.los = los;
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

/**
 * Leaves the codes still pending out and drops the record: the context holds no record (see
 * {@link RecordContext.pending}, {@link RecordContext.record}).
 */
export function releaseRecord(ctx: RecordContext): void {
  ctx.pending = null;
  ctx.record = null;
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
 * The severity of the record's secondary diagnoses after CC/MCC exclusion: 0 none, 1 CC, 2 MCC
 * (computed as the context was filled, see {@link addDiagnosis}).
 */
export function severityOf(_tables: CodeTables, ctx: RecordContext): number {
  completeSeverity(ctx);
  return ctx.severity;
}
