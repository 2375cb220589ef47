import { describePredicate } from "./predicates/index.js";
import {
  addDiagnosis,
  addProcedure,
  beginRecord,
  type CompiledEntry,
  type CompiledMdc,
  type CompiledScheme,
  ccOf,
  completeContext,
  completeProcedures,
  completeSeverity,
  type DrgScheme,
  deferSecondaries,
  type GroupOutcome,
  inList,
  RecordContext,
  releaseRecord,
} from "./scheme.js";
import type { GroupingRecord, GroupReason, GroupResult } from "./types.js";

/** Options of one grouping call. */
export interface GroupOptions {
  /** Attach the reasons (分组依据) to the result. Slower; off by default. */
  readonly explain?: boolean;
}

/** The outcome of a record refused by the pre-grouping checks (`CHECK_FAILED`, `0000`). */
export const checkFailedOutcome = (scheme: DrgScheme): GroupOutcome =>
  scheme.compiled.outcomes[0] as GroupOutcome;

/** Why a newborn fails the birth-weight check (新生儿出生体重校验). */
const NEWBORN_WITHOUT_WEIGHT = "新生儿（0 岁且日龄缺失或 ≤28 天）缺少出生体重";

/** Whether a record with these fields is a newborn without a birth weight (0 years, ≤ 28 days or unknown). */
function newbornWithoutWeight(
  ageYears: number | null,
  ageDays: number | null,
  birthWeight: number | null,
): boolean {
  return ageYears === 0 && (ageDays === null || ageDays <= 28) && !(birthWeight !== null && birthWeight > 0);
}

/**
 * The reason a record with these fields fails the pre-grouping checks (分组前校验), or null when it
 * passes. `hasPdx`: the record has a principal diagnosis (a first diagnosis that is not empty).
 * `newbornBirthWeightCheck`: the scheme's switch of the newborn birth-weight check (on by default,
 * `CompiledScheme.newbornBirthWeightCheck`).
 */
export function precheckFields(
  sex: string,
  ageYears: number | null,
  ageDays: number | null,
  birthWeight: number | null,
  hasPdx: boolean,
  newbornBirthWeightCheck = true,
): string | null {
  if (sex !== "1" && sex !== "2") return "性别缺失";
  if (!hasPdx) return "无诊断";
  if (newbornBirthWeightCheck && newbornWithoutWeight(ageYears, ageDays, birthWeight)) {
    return NEWBORN_WITHOUT_WEIGHT;
  }
  return null;
}

/**
 * The reason a record fails the pre-grouping checks (分组前校验), or null when it passes; with the
 * scheme, its switches apply (`checks` of `scheme.json`), without it every check is on.
 */
export function precheck(r: GroupingRecord, scheme?: DrgScheme): string | null {
  const hasPdx = r.diagnoses.length > 0 && r.diagnoses[0] !== "";
  const newborn = scheme === undefined || scheme.compiled.newbornBirthWeightCheck;
  return precheckFields(r.sex, r.ageYears, r.ageDays, r.birthWeight, hasPdx, newborn);
}

/** The slots of a record's principal diagnosis and procedure, looked up together ({@link fill}'s scratch). */
const principals = new Int32Array(2);

/**
 * Fills `ctx` with the record: every field overwritten, the principal codes looked up, the others
 * left pending for {@link completeContext}.
 */
function fill(scheme: DrgScheme, ctx: RecordContext, r: GroupingRecord): RecordContext {
  const c = scheme.compiled;
  const index = c.codeIds;
  beginRecord(c, ctx, r.sex, r.ageYears, r.ageDays, r.birthWeight, r.los);
  ctx.record = r;
  const dx = r.diagnoses;
  const px = r.procedures;
  if (px.length > 0 && dx.length > 0) {
    index.findPair(dx[0] as string, px[0] as string, principals);
    addDiagnosis(c, ctx, principals[0] as number);
    addProcedure(c, ctx, principals[1] as number);
  } else {
    if (dx.length > 0) addDiagnosis(c, ctx, index.find(dx[0] as string));
    if (px.length > 0) addProcedure(c, ctx, index.find(px[0] as string));
  }
  deferSecondaries(ctx, r);
  return ctx;
}

/** Builds a fresh context for the record, with every code looked up. */
export function recordContext(scheme: DrgScheme, r: GroupingRecord): RecordContext {
  const ctx = fill(scheme, new RecordContext(), r);
  completeContext(ctx);
  return ctx;
}

/**
 * The context {@link groupRecord} reuses for every record instead of allocating one. Safe because
 * grouping is synchronous and never re-entered (the conditions are the engine's own closures, which
 * call nothing else), every use starts with {@link fill}, which overwrites every field before the
 * walk reads any, and `pending` is cleared once the call is done, so the context holds no record
 * between calls. Each worker thread has its own module, hence its own context.
 */
const scratch = new RecordContext();

/** Explains which secondary diagnoses count as CC/MCC and which the exclusion table removed. */
function explainSeverity(scheme: DrgScheme, r: GroupingRecord, ctx: RecordContext, out: GroupReason[]): void {
  const c = scheme.compiled;
  const table = ctx.pdxTable;
  const tableName = table >= 0 ? c.tableNames[table] : undefined;
  for (let i = 1; i < ctx.dxCount; i++) {
    const code = r.diagnoses[i] as string;
    const slot = ctx.dx[i] as number;
    const cc = slot >= 0 ? ccOf(c, slot) : { level: 0, table: -1 };
    if (cc.level === 0) continue;
    const name = scheme.diagnoses.name(code);
    const label = name ? `${code}（${name}）` : code;
    const levelName = cc.level === 2 ? "MCC" : "CC";
    if (table >= 0 && cc.table === table) {
      out.push({
        stage: "cc",
        code,
        message: `次要诊断 ${label} 为 ${levelName}，但与主要诊断同属排除表 ${tableName}，不计入`,
      });
    } else {
      out.push({ stage: "cc", code, message: `次要诊断 ${label} 为 ${levelName}，计入` });
    }
  }
  const sev = ctx.severity;
  out.push({
    stage: "cc",
    message:
      sev === 2
        ? "病例伴严重并发症或合并症（MCC）"
        : sev === 1
          ? "病例伴并发症或合并症（CC）"
          : "病例无计入的 CC/MCC",
  });
}

/** What an explaining run needs besides the context: the record's codes and where reasons go. */
interface Explaining {
  readonly record: GroupingRecord;
  readonly reasons: GroupReason[];
}

/**
 * Tries one candidate entry of an MDC whose condition holds: the QY check, or the ADRG's remaining
 * condition and then its DRGs in order. The outcome, or null to go on with the next entry.
 */
function tryEntry(
  scheme: DrgScheme,
  entry: CompiledEntry,
  ctx: RecordContext,
  explaining: Explaining | null,
): GroupOutcome | null {
  const c = scheme.compiled;
  if (entry.kind === "qy") {
    completeProcedures(ctx);
    if (((ctx.pxLists[c.orWord] as number) & c.orBit) === 0) return null;
    if (explaining !== null) {
      const or = explaining.record.procedures.find((_, i) => inList(c, ctx.px[i] as number, c.orList));
      explaining.reasons.push({
        stage: "qy",
        code: entry.outcome.drg,
        message: `此前的手术 ADRG 均不符合，但手术操作 ${or} 为有效手术操作：歧义组 ${entry.outcome.drg}`,
      });
    }
    return entry.outcome;
  }
  if (entry.test !== null && !entry.test(ctx)) return null;
  if (explaining === null && entry.bySeverity !== null) {
    // The DRGs split the ADRG by severity only: one table lookup instead of their conditions.
    if (entry.severitySplits) completeSeverity(ctx);
    const o = entry.bySeverity[entry.severitySplits ? ctx.severity : 0] as GroupOutcome | null;
    return o ?? entry.fallback;
  }
  explaining?.reasons.push({
    stage: "adrg",
    code: entry.code,
    message: `入 ADRG ${entry.code}：${describePredicate(scheme, entry.source, explaining.record)}`,
  });
  for (const drg of entry.drgs) {
    if (drg.test === null || drg.test(ctx)) {
      explaining?.reasons.push({
        stage: "drg",
        code: drg.code,
        message: `入 DRG ${drg.code} ${drg.name}：${describePredicate(scheme, drg.source, explaining.record)}`,
      });
      return drg.outcome;
    }
  }
  if (entry.fallback !== null) {
    explaining?.reasons.push({
      stage: "drg",
      code: entry.code,
      message: `ADRG ${entry.code} 下无 DRG 条件成立，按 ADRG 入组`,
    });
    return entry.fallback;
  }
  explaining?.reasons.push({
    stage: "adrg",
    code: entry.code,
    message: `ADRG ${entry.code} 下无 DRG 条件成立，继续查找`,
  });
  return null;
}

/** The entry of the lowest set bit of `bits`, a word of candidates at word `w` of a plan row. */
function entryAt(c: CompiledScheme, w: number, bits: number): CompiledEntry {
  return c.entries[w * 32 + 31 - Math.clz32(bits & -bits)] as CompiledEntry;
}

/**
 * The grouping walk (`schemes/README.md`): MDCs in order, the candidate ADRGs of each in order (with
 * the QY check where the MDC lists it), the first matching DRG, and UNGROUPABLE when nothing matched.
 * Only the entries whose bits survive both the principal diagnosis's and the principal procedure's
 * plan rows are looked at: a skipped entry's gates, hence its condition, could not have held. The
 * walk goes over the plan words that are not zero in both rows (their masks, ANDed), in order; an
 * MDC's remaining condition is checked once, at its first word with a candidate, and an MDC without
 * candidates cannot give a result and is not looked at.
 */
function resolve(c: CompiledScheme, scheme: DrgScheme, ctx: RecordContext): GroupOutcome {
  const { plans, mdcs, wordMdc, planMaskWords } = c;
  const p = ctx.pdxPlan;
  const q = ctx.ppxPlan;
  const pw = p + planMaskWords;
  const qw = q + planMaskWords;
  let open = -1;
  /** Words below this belong to an MDC whose condition failed. */
  let skip = 0;
  for (let k = 0; k < planMaskWords; k++) {
    for (let nz = (plans[p + k] as number) & (plans[q + k] as number); nz !== 0; nz &= nz - 1) {
      const w = k * 32 + 31 - Math.clz32(nz & -nz);
      if (w < skip) continue;
      let bits = (plans[pw + w] as number) & (plans[qw + w] as number);
      if (bits === 0) continue;
      const m = wordMdc[w] as number;
      if (m !== open) {
        const mdc = mdcs[m] as CompiledMdc;
        if (mdc.test !== null && !mdc.test(ctx)) {
          skip = mdc.endWord;
          continue;
        }
        open = m;
      }
      for (; bits !== 0; bits &= bits - 1) {
        const o = tryEntry(scheme, entryAt(c, w, bits), ctx, null);
        if (o !== null) return o;
      }
    }
  }
  return c.outcomes[1] as GroupOutcome;
}

/**
 * {@link resolve} with the reasons: the same candidates in the same order, but MDC by MDC, so that an
 * MDC whose condition holds is reported even when none of its ADRGs is a candidate.
 */
function explainResolve(scheme: DrgScheme, ctx: RecordContext, explaining: Explaining): GroupOutcome {
  const c = scheme.compiled;
  const { plans, mdcs, planMaskWords } = c;
  const p = ctx.pdxPlan + planMaskWords;
  const q = ctx.ppxPlan + planMaskWords;
  const { reasons, record } = explaining;
  for (const mdc of mdcs) {
    let any = 0;
    for (let w = mdc.firstWord; w < mdc.endWord; w++)
      any |= (plans[p + w] as number) & (plans[q + w] as number);
    if (any === 0 ? !mdc.when(ctx) : mdc.test !== null && !mdc.test(ctx)) continue;
    reasons.push({
      stage: "mdc",
      code: mdc.code,
      message: `进入 MDC${mdc.code}：${describePredicate(scheme, mdc.source, record)}`,
    });
    for (let w = mdc.firstWord; w < mdc.endWord; w++) {
      for (let bits = (plans[p + w] as number) & (plans[q + w] as number); bits !== 0; bits &= bits - 1) {
        const o = tryEntry(scheme, entryAt(c, w, bits), ctx, explaining);
        if (o !== null) return o;
      }
    }
    reasons.push({
      stage: "mdc",
      code: mdc.code,
      message: `MDC${mdc.code} 下无 ADRG 条件成立，继续查找下一个 MDC`,
    });
  }
  reasons.push({ stage: "mdc", message: "所有 MDC 均未能入组" });
  return c.outcomes[1] as GroupOutcome;
}

/**
 * The outcome of a record that passed the pre-grouping checks, from its context: the engine's core,
 * for callers that build contexts themselves (such as a reader of raw JSONL bytes). Such a caller
 * must set `ctx.record` when the scheme has conditions on the record's strings
 * (`scheme.compiled.readsRecord`), or leave those schemes to {@link groupRecord}, as the batch fast
 * path does; it must also apply the scheme's switch of the newborn check
 * (`scheme.compiled.newbornBirthWeightCheck`) to {@link precheckFields}.
 */
export function groupContext(scheme: DrgScheme, ctx: RecordContext): GroupOutcome {
  return resolve(scheme.compiled, scheme, ctx);
}

/**
 * 分组: groups one record with the scheme. Pure: the result depends only on the scheme and the
 * record. Follows `schemes/README.md`: pre-grouping checks, then MDCs in order, ADRGs in order
 * (with the QY check where the MDC lists it), the first matching DRG, and `0000` when nothing matched.
 */
export function groupRecord(scheme: DrgScheme, r: GroupingRecord, options?: GroupOptions): GroupResult {
  if (options?.explain) return explainRecord(scheme, r);
  let o: GroupOutcome;
  if (precheck(r, scheme) === null) {
    o = resolve(scheme.compiled, scheme, fill(scheme, scratch, r));
    releaseRecord(scratch); // the walk may not have needed the secondary codes: hold no record
  } else o = checkFailedOutcome(scheme);
  return { id: r.id, status: o.status, mdc: o.mdc, adrg: o.adrg, drg: o.drg, drgName: o.drgName };
}

/** {@link groupRecord} with the reasons (分组依据). */
function explainRecord(scheme: DrgScheme, r: GroupingRecord): GroupResult {
  const reasons: GroupReason[] = [];
  const failed = precheck(r, scheme);
  let o: GroupOutcome;
  if (failed !== null) {
    reasons.push({ stage: "check", message: `分组前校验未通过：${failed}` });
    o = checkFailedOutcome(scheme);
  } else {
    if (
      !scheme.compiled.newbornBirthWeightCheck &&
      newbornWithoutWeight(r.ageYears, r.ageDays, r.birthWeight)
    ) {
      reasons.push({
        stage: "check",
        message: `${NEWBORN_WITHOUT_WEIGHT}，但本方案关闭了新生儿出生体重校验（checks.newbornBirthWeight 为 false），照常分组`,
      });
    }
    const ctx = recordContext(scheme, r);
    explainSeverity(scheme, r, ctx, reasons);
    o = explainResolve(scheme, ctx, { record: r, reasons });
  }
  return { id: r.id, status: o.status, mdc: o.mdc, adrg: o.adrg, drg: o.drg, drgName: o.drgName, reasons };
}
