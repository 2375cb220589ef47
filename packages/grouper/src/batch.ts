/**
 * The grouper's batch fast path (批量分组): grouping JSONL records straight from their bytes, one line
 * after another, with one record context reused for every line and no string made per code. A line
 * in a form other than the plain one (see `record-bytes.ts`) is declined, and the caller groups it
 * the general way (`JSON.parse`, `validateGroupingRecord`, `groupRecord`), with the same result.
 * So is every line of a scheme with a condition on the record's strings (department, discharge way,
 * code prefixes, number of procedures: `CompiledScheme.readsRecord`).
 */
import type { GroupOutcome } from "./compiled.js";
import { addDiagnosis, addProcedure, beginRecord, RecordContext } from "./context.js";
import { checkFailedOutcome, groupContext, precheckFields } from "./group.js";
import { RecordBytes } from "./record-bytes.js";
import type { DrgScheme } from "./scheme.js";

export class PlainLineGrouper {
  private readonly record = new RecordBytes();
  private readonly ctx = new RecordContext();
  /** The slots of the line's diagnoses and procedures in the code index. */
  private dxSlots = new Int32Array(32);
  private pxSlots = new Int32Array(16);
  /** After a line was grouped: its outcome (one of `scheme.compiled.outcomes`). */
  outcome: GroupOutcome;
  /** After a line was grouped: where its id is in the bytes (`bytes[idStart .. idEnd)`, ASCII). */
  idStart = 0;
  idEnd = 0;

  constructor(readonly scheme: DrgScheme) {
    this.outcome = checkFailedOutcome(scheme);
  }

  /**
   * Groups the line that starts at `start` (up to `limit` at most): the index of the line's end
   * (its `\n`, or `limit`), or -1 when the line is not in the plain form (nothing is changed then).
   */
  group(bytes: Uint8Array, start: number, limit: number): number {
    const r = this.record;
    const { scheme, ctx } = this;
    const c = scheme.compiled;
    // A scheme with a condition on the record itself (its strings) is grouped by the general path.
    if (c.readsRecord) return -1;
    const end = r.read(bytes, start, limit);
    if (end < 0) return -1;
    const hasPdx = r.dxCount > 0 && (r.dx[1] as number) > (r.dx[0] as number);
    if (
      precheckFields(r.sex, r.ageYears, r.ageDays, r.birthWeight, hasPdx, c.newbornBirthWeightCheck) !== null
    ) {
      this.outcome = checkFailedOutcome(scheme);
    } else {
      const index = c.codeIds;
      beginRecord(c, ctx, r.sex, r.ageYears, r.ageDays, r.birthWeight, r.los);
      // Every code's slot first, in rounds whose memory reads overlap (`CodeIndex.findAllAscii`).
      if (this.dxSlots.length < r.dxCount) this.dxSlots = new Int32Array(r.dxCount * 2);
      if (this.pxSlots.length < r.pxCount) this.pxSlots = new Int32Array(r.pxCount * 2);
      const { dxSlots, pxSlots } = this;
      index.findAllAscii(bytes, r.dx, r.dxCount, dxSlots);
      index.findAllAscii(bytes, r.px, r.pxCount, pxSlots);
      for (let i = 0; i < r.dxCount; i++) addDiagnosis(c, ctx, dxSlots[i] as number);
      for (let i = 0; i < r.pxCount; i++) addProcedure(c, ctx, pxSlots[i] as number);
      this.outcome = groupContext(scheme, ctx);
    }
    this.idStart = r.idStart;
    this.idEnd = r.idEnd;
    return end;
  }
}
