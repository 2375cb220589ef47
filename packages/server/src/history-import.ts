/**
 * 历史清单导入 (issue 12): lists of past years, or lists a hospital re-sends after an outage, brought in
 * by the bureau with their original upload time (原始上传时间). The QC upload deadline (QC-TIME-001:
 * refused when the days from 结算结束日期 to the upload date exceed `deadlineDays`, 8) is then checked
 * against that time instead of the time the platform receives them; everything else is the ordinary
 * intake (QC, grouping, idempotent by setl_id, a setl_id stays its institution's).
 *
 * Where the time comes from:
 * - `file`: the record's own `uploaded_at` — a top-level field of the JSON envelope beside `infno` and
 *   `input` (removed before the 4101 message is checked and stored), or the column `uploaded_at`
 *   (上传时间) of a CSV or Excel row;
 * - `stated`: a date stated for the whole batch (`--uploaded-at`, `?uploadedAt=`), for the records
 *   without their own.
 *
 * A time is `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-ddTHH:mm:ss`, Beijing time (Asia/Shanghai);
 * a date alone is 00:00:00 of that day. It may not lie in the future, nor on a day before the list's
 * 出院日期 (dscg_time). A record whose time breaks a rule is refused alone, with a finding naming the
 * record (setl_id), the field and the rule; the rest of the batch goes on.
 */
import { shanghaiDate, shanghaiDateTime, shanghaiInstant } from "@yibao/kernel/calendar";
import { parseWireDate, parseWireDateTime } from "@yibao/settlement/dates";
import type { QcFinding } from "@yibao/settlement/rules";
import type { OriginalUpload } from "@yibao/store";

/** The record's own field holding its original upload time. */
export const UPLOAD_TIME_FIELD = "uploaded_at";

/** Its Chinese column header, accepted in CSV and Excel files as well. */
export const UPLOAD_TIME_HEADER = "上传时间";

/** The rules an original upload time is checked by (not QC rules: the record is not checked at all). */
export const HISTORY_TIME_RULES = {
  /** 格式: not a date or date-time of the accepted forms. */
  malformed: "HIST-TIME-001",
  /** 不得晚于当前时间. */
  future: "HIST-TIME-002",
  /** 不得早于出院日期. */
  beforeDischarge: "HIST-TIME-003",
  /** 缺少原始上传时间 (no field and no stated date). */
  missing: "HIST-TIME-004",
} as const;

/** The accepted forms, in Chinese (messages of the API carry no English words besides field names). */
const FORMS = "「年-月-日」或「年-月-日 时:分:秒」，如 2025-03-18 或 2025-03-18 09:30:00（北京时间）";

/** Each rule in Chinese, as its findings name it (the rule id is the finding's `ruleId`). */
export const HISTORY_TIME_RULE_NAMES: Record<string, string> = {
  "HIST-TIME-001": "原始上传时间须为合法的日期或日期时间",
  "HIST-TIME-002": "原始上传时间不能晚于当前时间",
  "HIST-TIME-003": "原始上传时间不能早于出院日期",
  "HIST-TIME-004": "历史清单须有原始上传时间",
};

/** The instant of an original upload time, or null when it is not of an accepted form. */
export function parseUploadTime(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const s = value.trim();
  const iso =
    s.length === 10 ? parseWireDate(s) : s.length === 19 ? parseWireDateTime(s.replace("T", " ")) : null;
  return iso === null ? null : shanghaiInstant(iso);
}

/** Why a batch's stated upload time cannot be used (malformed or in the future), or null. */
export function statedUploadTimeProblem(value: string, field: string, now: Date): string | null {
  const at = parseUploadTime(value);
  if (at === null)
    return `${field}「${value}」不是合法的原始上传时间，应为${FORMS}（不符合规则：${HISTORY_TIME_RULE_NAMES[HISTORY_TIME_RULES.malformed]}）`;
  if (at.getTime() > now.getTime())
    return `${field}「${value}」晚于当前时间 ${shanghaiDateTime(now).replace("T", " ")}（不符合规则：${HISTORY_TIME_RULE_NAMES[HISTORY_TIME_RULES.future]}）`;
  return null;
}

/** One envelope of a history import, with its original upload time or why it has none. */
export interface HistoryEnvelope {
  /** The 4101/4101A envelope without the `uploaded_at` field. */
  readonly envelope: unknown;
  readonly upload?: OriginalUpload;
  /** The finding refusing the record when its time breaks a rule. */
  readonly problem?: QcFinding;
}

function setlinfoOf(envelope: unknown): Record<string, unknown> | null {
  if (typeof envelope !== "object" || envelope === null) return null;
  const input = (envelope as { input?: unknown }).input;
  if (typeof input !== "object" || input === null) return null;
  const s = (input as { setlinfo?: unknown }).setlinfo;
  return typeof s === "object" && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : null;
}

function show(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
}

/**
 * Takes the original upload time of one record: its own `uploaded_at` field (source `file`), else
 * the batch's stated time (source `stated`), and checks it (format, not in the future, not before the
 * discharge date). `stated.field` names the stated time in a finding (e.g. `--uploaded-at`).
 */
export function historyEnvelope(
  raw: unknown,
  stated: { readonly at: Date; readonly text: string; readonly field: string } | undefined,
  now: Date,
): HistoryEnvelope {
  let envelope = raw;
  let own: unknown;
  let hasOwn = false;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw) && UPLOAD_TIME_FIELD in raw) {
    const { [UPLOAD_TIME_FIELD]: value, ...rest } = raw as Record<string, unknown>;
    envelope = rest;
    own = value;
    hasOwn = value !== null && value !== undefined && value !== "";
  }
  const info = setlinfoOf(envelope);
  // Not a 4101/4101A envelope at all: the intake reports that, as for an ordinary upload.
  if (info === null) return { envelope };
  const setlId = typeof info.setl_id === "string" && info.setl_id !== "" ? info.setl_id : null;
  const who = setlId === null ? "结算清单（无结算ID）" : `结算清单 ${setlId}`;
  const refuse = (rule: string, field: string, message: string): HistoryEnvelope => ({
    envelope,
    problem: {
      ruleId: rule,
      severity: "error",
      field,
      message: `${who}：${message}（不符合规则：${HISTORY_TIME_RULE_NAMES[rule]}），本条不予导入`,
      ...(setlId !== null ? { setlId } : {}),
    },
  });
  let at: Date;
  let source: OriginalUpload["source"];
  let field: string;
  let text: string;
  if (hasOwn) {
    field = UPLOAD_TIME_FIELD;
    text = show(own);
    const parsed = parseUploadTime(own);
    if (parsed === null)
      return refuse(
        HISTORY_TIME_RULES.malformed,
        field,
        `原始上传时间（${field}）「${text}」格式不正确，应为${FORMS}`,
      );
    at = parsed;
    source = "file";
  } else if (stated !== undefined) {
    ({ at, field, text } = stated);
    source = "stated";
  } else {
    return refuse(
      HISTORY_TIME_RULES.missing,
      UPLOAD_TIME_FIELD,
      `缺少原始上传时间：记录中没有 ${UPLOAD_TIME_FIELD}（${UPLOAD_TIME_HEADER}），也没有指定整批的上传日期`,
    );
  }
  if (at.getTime() > now.getTime())
    return refuse(
      HISTORY_TIME_RULES.future,
      field,
      `原始上传时间（${field}）「${text}」晚于当前时间 ${shanghaiDateTime(now).replace("T", " ")}`,
    );
  const dscg = typeof info.dscg_time === "string" ? info.dscg_time.slice(0, 10) : null;
  if (dscg !== null && parseWireDate(dscg) !== null && shanghaiDate(at) < dscg)
    return refuse(
      HISTORY_TIME_RULES.beforeDischarge,
      field,
      `原始上传时间（${field}）「${text}」早于出院日期（setlinfo.dscg_time）${dscg}`,
    );
  return { envelope, upload: { at, source } };
}

/** Counts of the sources of the records a history import took in, for the operation log. */
export function countSources(uploads: readonly (OriginalUpload | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of uploads) if (u) out[u.source] = (out[u.source] ?? 0) + 1;
  return out;
}
