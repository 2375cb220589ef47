import { describePredicate } from "./describe.js";
import { type CompiledScheme, type DrgScheme, inList, type RecordContext, severityOf } from "./scheme.js";
import { QY_MARKER } from "./scheme-source.js";
import { type GroupingRecord, type GroupReason, type GroupResult, UNGROUPED_DRG } from "./types.js";

/** Options of one grouping call. */
export interface GroupOptions {
  /** Attach the reasons (分组依据) to the result. Slower; off by default. */
  readonly explain?: boolean;
}

/** Name of the ungrouped result (未入组). */
export const UNGROUPABLE_NAME = "未入组";
/** Name of a result refused by the pre-grouping checks. */
export const CHECK_FAILED_NAME = "数据校验未通过";

function intern(c: CompiledScheme, codes: readonly string[]): number[] {
  const ids = c.codeIds;
  const out: number[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = ids.get(codes[i] as string);
  return out;
}

/** The reason a record fails the pre-grouping checks (分组前校验), or null when it passes. */
export function precheck(r: GroupingRecord): string | null {
  if (r.sex !== "1" && r.sex !== "2") return "性别缺失";
  if (r.diagnoses.length === 0 || r.diagnoses[0] === "") return "无诊断";
  if (
    r.ageYears === 0 &&
    (r.ageDays === null || r.ageDays <= 28) &&
    !(r.birthWeight !== null && r.birthWeight > 0)
  ) {
    return "新生儿（0 岁且日龄缺失或 ≤28 天）缺少出生体重";
  }
  return null;
}

/** Builds the per-record context. A fresh object per record: nothing is shared between records. */
export function recordContext(scheme: DrgScheme, r: GroupingRecord): RecordContext {
  const c = scheme.compiled;
  return {
    sex: r.sex,
    ageYears: r.ageYears,
    ageDays: r.ageDays,
    birthWeight: r.birthWeight,
    dx: intern(c, r.diagnoses),
    px: intern(c, r.procedures),
    severity: -1,
  };
}

function done(
  r: GroupingRecord,
  status: GroupResult["status"],
  mdc: string | null,
  adrg: string | null,
  drg: string,
  drgName: string,
  reasons: GroupReason[] | null,
): GroupResult {
  return reasons === null
    ? { id: r.id, status, mdc, adrg, drg, drgName }
    : { id: r.id, status, mdc, adrg, drg, drgName, reasons };
}

/** Explains which secondary diagnoses count as CC/MCC and which the exclusion table removed. */
function explainSeverity(scheme: DrgScheme, r: GroupingRecord, ctx: RecordContext, out: GroupReason[]): void {
  const c = scheme.compiled;
  const pdx = ctx.dx[0] as number;
  const table = pdx >= 0 ? (c.pdxTable[pdx] as number) : -1;
  const tableName = table >= 0 ? c.tableNames[table] : undefined;
  for (let i = 1; i < ctx.dx.length; i++) {
    const code = r.diagnoses[i] as string;
    const id = ctx.dx[i] as number;
    const level = id >= 0 ? (c.ccLevel[id] as number) : 0;
    const name = scheme.diagnoses.name(code);
    const label = name ? `${code}（${name}）` : code;
    if (level === 0) continue;
    const levelName = level === 2 ? "MCC" : "CC";
    if (table >= 0 && c.ccTable[id] === table) {
      out.push({
        stage: "cc",
        code,
        message: `次要诊断 ${label} 为 ${levelName}，但与主要诊断同属排除表 ${tableName}，不计入`,
      });
    } else {
      out.push({ stage: "cc", code, message: `次要诊断 ${label} 为 ${levelName}，计入` });
    }
  }
  const sev = severityOf(c, ctx);
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

/**
 * 分组: groups one record with the scheme. Pure: the result depends only on the scheme and the
 * record. Follows `schemes/README.md`: pre-grouping checks, then MDCs in order, ADRGs in order
 * (with the QY check where the MDC lists it), the first matching DRG, and `0000` when nothing matched.
 */
export function groupRecord(scheme: DrgScheme, r: GroupingRecord, options?: GroupOptions): GroupResult {
  const reasons: GroupReason[] | null = options?.explain ? [] : null;
  const failed = precheck(r);
  if (failed !== null) {
    reasons?.push({ stage: "check", message: `分组前校验未通过：${failed}` });
    return done(r, "CHECK_FAILED", null, null, UNGROUPED_DRG, CHECK_FAILED_NAME, reasons);
  }
  const c = scheme.compiled;
  const ctx = recordContext(scheme, r);
  if (reasons !== null) explainSeverity(scheme, r, ctx, reasons);
  const pdx = ctx.dx[0] as number;
  const ppx = ctx.px.length > 0 ? (ctx.px[0] as number) : -1;
  const candidates =
    c.mdcUngated |
    (pdx >= 0 ? (c.mdcByPdx[pdx] as number) : 0) |
    (ppx >= 0 ? (c.mdcByPpx[ppx] as number) : 0);
  const mdcs = c.mdcs;
  for (let m = 0; m < mdcs.length; m++) {
    // Gates are necessary conditions: a skipped MDC's condition could not have held.
    if (m < 32 && ((candidates >>> m) & 1) === 0) continue;
    const mdc = mdcs[m] as (typeof mdcs)[number];
    if (!mdc.when(ctx)) continue;
    reasons?.push({
      stage: "mdc",
      code: mdc.code,
      message: `进入 MDC${mdc.code}：${describePredicate(scheme, mdc.source, r)}`,
    });
    for (const entry of mdc.entries) {
      if (entry === QY_MARKER) {
        let or = -1;
        for (let i = 0; i < ctx.px.length; i++) {
          if (inList(c, ctx.px[i] as number, c.orList)) {
            or = i;
            break;
          }
        }
        if (or >= 0) {
          const code = `${mdc.code}QY`;
          reasons?.push({
            stage: "qy",
            code,
            message: `此前的手术 ADRG 均不符合，但手术操作 ${r.procedures[or]} 为有效手术操作：歧义组 ${code}`,
          });
          return done(r, "AMBIGUOUS", mdc.code, null, code, `MDC${mdc.code} 歧义组`, reasons);
        }
        continue;
      }
      if (
        entry.gateOn === 1
          ? !inList(c, pdx, entry.gateList)
          : entry.gateOn === 2 && !inList(c, ppx, entry.gateList)
      ) {
        continue;
      }
      if (!entry.when(ctx)) continue;
      reasons?.push({
        stage: "adrg",
        code: entry.code,
        message: `入 ADRG ${entry.code}：${describePredicate(scheme, entry.source, r)}`,
      });
      for (const drg of entry.drgs) {
        if (drg.when(ctx)) {
          reasons?.push({
            stage: "drg",
            code: drg.code,
            message: `入 DRG ${drg.code} ${drg.name}：${describePredicate(scheme, drg.source, r)}`,
          });
          return done(r, "OK", mdc.code, entry.code, drg.code, drg.name, reasons);
        }
      }
      if (entry.fallbackToAdrg) {
        const name = scheme.adrg(entry.code)?.name ?? entry.code;
        reasons?.push({
          stage: "drg",
          code: entry.code,
          message: `ADRG ${entry.code} 下无 DRG 条件成立，按 ADRG 入组`,
        });
        return done(r, "OK", mdc.code, entry.code, entry.code, name, reasons);
      }
      reasons?.push({
        stage: "adrg",
        code: entry.code,
        message: `ADRG ${entry.code} 下无 DRG 条件成立，继续查找`,
      });
    }
    reasons?.push({
      stage: "mdc",
      code: mdc.code,
      message: `MDC${mdc.code} 下无 ADRG 条件成立，继续查找下一个 MDC`,
    });
  }
  reasons?.push({ stage: "mdc", message: "所有 MDC 均未能入组" });
  return done(r, "UNGROUPABLE", null, null, UNGROUPED_DRG, UNGROUPABLE_NAME, reasons);
}
