/**
 * The settlement package's side of intake: parse and check one envelope with the QC rules in bureau
 * mode (医保端入库校验) and derive the grouping record.
 */

import { type DrgScheme, type GroupingRecord, type GroupResult, groupRecord } from "@yibao/grouper";
import { shanghaiDateTime } from "@yibao/kernel/calendar";
import { checkSettlementMessage } from "@yibao/settlement/check";
import { editionOn, judgingDate } from "@yibao/settlement/editions";
import { toGroupingRecord } from "@yibao/settlement/grouping";
import type { SettlementList } from "@yibao/settlement/model";
import type { QcFinding, QcRuleSet } from "@yibao/settlement/rules";

export interface CheckedEnvelope {
  readonly list: SettlementList | null;
  readonly findings: readonly QcFinding[];
  readonly record: GroupingRecord | null;
  /** The list grouped by the scheme (once: the QC checks on the grouping outcome saw the same result). */
  readonly grouped: GroupResult | null;
  /** The setl_id as sent, even when the message could not be parsed into a list. */
  readonly setlId: string | null;
  /** Not a 4101/4101A envelope at all (not an object, or no `input.setlinfo` object). */
  readonly envelopeInvalid: boolean;
}

function rawSetlId(envelope: unknown): string | null {
  if (typeof envelope !== "object" || envelope === null) return null;
  const input = (envelope as { input?: unknown }).input;
  if (typeof input !== "object" || input === null) return null;
  const setlinfo = (input as { setlinfo?: unknown }).setlinfo;
  if (typeof setlinfo !== "object" || setlinfo === null) return null;
  const id = (setlinfo as { setl_id?: unknown }).setl_id;
  return typeof id === "string" && id !== "" ? id : null;
}

function isEnvelope(envelope: unknown): boolean {
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) return false;
  const input = (envelope as { input?: unknown }).input;
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const setlinfo = (input as { setlinfo?: unknown }).setlinfo;
  return typeof setlinfo === "object" && setlinfo !== null && !Array.isArray(setlinfo);
}

/** 上传日期 in China Standard Time (the kernel's Asia/Shanghai rule), as `yyyy-MM-ddTHH:mm:ss`. */
export function chinaTime(at: Date): string {
  return shanghaiDateTime(at);
}

/**
 * Parses and checks one envelope received at `receivedAt`, and groups it: the QC checks on the
 * grouping outcome (QC-DX-010) and the intake share the one grouping of the list.
 */
export function checkEnvelope(
  envelope: unknown,
  scheme: DrgScheme,
  receivedAt: Date,
  /** The region's QC rule editions; the one in force on the list's discharge date checks it. */
  qcRules?: readonly QcRuleSet[],
): CheckedEnvelope {
  let record: GroupingRecord | null = null;
  let grouped: GroupResult | null = null;
  const groupOf = (list: SettlementList): GroupResult => {
    if (grouped === null) {
      record = toGroupingRecord(list, scheme);
      grouped = groupRecord(scheme, record);
    }
    return grouped;
  };
  const today = chinaTime(receivedAt);
  const rules =
    qcRules && qcRules.length > 0 ? editionOn(qcRules, judgingDate(envelope, today.slice(0, 10))) : undefined;
  const result = checkSettlementMessage(envelope, {
    mode: "bureau",
    today,
    codes: scheme,
    groupList: groupOf,
    ...(rules ? { rules } : {}),
  });
  const list = result.list ?? null;
  if (list) groupOf(list);
  return {
    list,
    findings: result.findings,
    record,
    grouped,
    setlId: list?.info.setlId ?? rawSetlId(envelope),
    envelopeInvalid: !isEnvelope(envelope),
  };
}
