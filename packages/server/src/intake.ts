/**
 * 清单接收 (intake) of one 4101/4101A envelope: parse → QC → group → store. Parsing, QC and grouping are
 * pure and run synchronously per list; storing goes through the store's group-commit queue, so the
 * lists of many concurrent requests share a few transactions.
 */
import { type DrgScheme, type GroupResult, SchemeCalendar, UNGROUPED_DRG } from "@yibao/grouper";
import { shanghaiDateTime } from "@yibao/kernel/calendar";
import { envelopeDates } from "@yibao/settlement/editions";
import type { SettlementList } from "@yibao/settlement/model";
import type { QcFinding, QcRuleSet } from "@yibao/settlement/rules";
import { hasUnstorableText } from "@yibao/settlement/text";
import { codeTypeProblems } from "@yibao/settlement/wire-types";
import {
  type OriginalUpload,
  patientKey,
  type SaveOutcome,
  type SettlementListData,
  type SettlementListUpload,
  type UploadJournal,
} from "@yibao/store";
import type { FastifyBaseLogger } from "fastify";
import { HttpError } from "./errors.js";
import type { HistoryEnvelope } from "./history-import.js";
import { checkEnvelope, chinaTime } from "./settlement-checks.js";

/** 分组结果 as the API reports it. */
export interface GroupSummary {
  readonly drg: string;
  readonly drgName: string;
  readonly status: GroupResult["status"];
  readonly mdc: string | null;
  readonly adrg: string | null;
}

/** A finding as the API reports it. */
export interface FindingView {
  readonly ruleId: string;
  readonly severity: "error" | "warning";
  readonly field: string;
  readonly message: string;
}

/** The outcome of one list (单份清单处理结果). */
export interface ListResult {
  /** 结算ID, null when the envelope had none. */
  readonly setl_id: string | null;
  /** True when the list passed QC and is now the version in force. */
  readonly accepted: boolean;
  /** True when the upload was written (as the current version, or as a refused upload). */
  readonly stored: boolean;
  /**
   * What the store did: inserted, replaced (old version kept in history), refused_kept, or
   * refused_foreign (the setl_id belongs to another institution; nothing stored).
   */
  readonly outcome: SaveOutcome["outcome"] | null;
  /** The version in force for this setl_id after the upload. */
  readonly version: number | null;
  /** Chinese summary of the outcome. */
  readonly message: string;
  readonly findings: readonly FindingView[];
  readonly group: GroupSummary | null;
  /** The envelope itself was not a 4101/4101A message (no `input.setlinfo` object). */
  readonly envelopeInvalid?: true;
  /** The database failed while saving this list. */
  readonly storeError?: true;
  /**
   * History import only: the original upload time the QC upload deadline was checked against
   * (Beijing time, `yyyy-MM-dd HH:mm:ss`) and where it came from (`file` or `stated`).
   */
  readonly uploadedAt?: string;
  readonly uploadTimeSource?: OriginalUpload["source"];
}

/** Parse → QC → group of one envelope, before storing. */
export interface PreparedList {
  readonly setlId: string | null;
  readonly findings: readonly QcFinding[];
  readonly group: GroupSummary | null;
  /** What to store; null when the list cannot be identified (no setl_id or institution code). */
  readonly upload: SettlementListUpload | null;
  readonly envelopeInvalid: boolean;
  /** Why the list is not stored, when `upload` is null for another reason than a missing id. */
  readonly unstoredReason?: string;
}

/**
 * Parse → QC → group of one envelope received at `receivedAt`. With `original` (a history import) the
 * QC upload deadline is checked against the original upload time instead, and the store keeps it.
 */
export type PrepareList = (envelope: unknown, receivedAt: Date, original?: OriginalUpload) => PreparedList;

const sum = (xs: readonly (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

/** The typed summary columns the store keeps, from the parsed list and its grouping result. */
export function summaryColumns(
  list: SettlementList,
  envelope: unknown,
  scheme: DrgScheme,
  group: GroupSummary,
): SettlementListData {
  const i = list.info;
  const setlEnd = i.setlEndDate;
  const admDate = i.admTime?.slice(0, 10) ?? null;
  const dscgDate = i.dscgTime?.slice(0, 10) ?? null;
  const itemsFen = sum(list.feeItems.map((f) => f.amt));
  const fundFen = sum(list.fundPayments.map((p) => p.fundPayamt));
  const personalFen = (i.acctPay ?? 0) + (i.psnCashpay ?? 0);
  const principalDx = list.diagnoses.find((d) => d.maindiagFlag === "1") ?? list.diagnoses[0];
  return {
    setl_id: i.setlId ?? "",
    mdtrt_id: i.mdtrtId ?? "",
    hospital_code: i.fixmedinsCode ?? "",
    hospital_name: i.fixmedinsName ?? "",
    medcasno: i.medcasno ?? "",
    patient_key: patientKey(i.patnCertType ?? "", i.certno ?? ""),
    gend: i.gend ?? "",
    age_years: i.age,
    age_days: i.nwbAge,
    adm_date: admDate,
    dscg_date: dscgDate,
    setl_begn_date: i.setlBegnDate,
    setl_end_date: setlEnd,
    period: setlEnd ? setlEnd.slice(0, 7) : "",
    los: i.actIptDays,
    dscg_caty: i.dscgCaty ?? "",
    dscg_way: i.dscgWay ?? "",
    chfpdr_code: i.chfpdrCode ?? "",
    chfpdr_name: i.chfpdrName ?? "",
    days_rinp_flag_31: i.daysRinpFlag31 ?? "",
    insuplc: i.insuplc ?? "",
    principal_dx: principalDx?.diagCode ?? "",
    principal_oprn: list.procedures[0]?.oprnOprtCode ?? "",
    // 4101A carries no fee items: the total is then what was paid.
    total_fee_fen: list.feeItems.length > 0 ? itemsFen : fundFen + personalFen,
    fund_pay_fen: fundFen,
    personal_pay_fen: personalFen,
    infno: list.infno,
    msgid: list.msgid,
    scheme_id: scheme.id,
    group_status: group.status,
    drg: group.drg,
    drg_name: group.drgName,
    mdc: group.mdc,
    adrg: group.adrg,
    message: envelope,
  };
}

/**
 * The scheme that groups an envelope: the one in force on its 出院日期 or 结算日期 (the calendar's
 * basis), read from the raw message before it is parsed; the upload date when it has neither.
 */
export function schemeOfEnvelope(calendar: SchemeCalendar, envelope: unknown, uploadedAt: Date): DrgScheme {
  if (!calendar.switches) return calendar.newest;
  const d = envelopeDates(envelope);
  return calendar.on(calendar.dateOf(d.discharge, d.settlement, chinaTime(uploadedAt)));
}

/** The default preparer: the settlement package's parser and QC rules (bureau mode) and the grouper. */
export function createListPreparer(
  schemes: DrgScheme | SchemeCalendar,
  /** The QC rule editions, or where to read them (they change when the bureau publishes one). */
  qcRules?: readonly QcRuleSet[] | (() => readonly QcRuleSet[]),
): PrepareList {
  const calendar = schemes instanceof SchemeCalendar ? schemes : SchemeCalendar.single(schemes);
  const rulesNow = typeof qcRules === "function" ? qcRules : () => qcRules;
  return (envelope, receivedAt, original) => {
    const uploadedAt = original?.at ?? receivedAt;
    const scheme = schemeOfEnvelope(calendar, envelope, uploadedAt);
    const checked = checkEnvelope(envelope, scheme, uploadedAt, rulesNow());
    const { list, findings } = checked;
    const setlId = list?.info.setlId ?? checked.setlId;
    let group: GroupSummary | null = null;
    if (list && checked.grouped) {
      const r = checked.grouped;
      group = { drg: r.drg, drgName: r.drgName, status: r.status, mdc: r.mdc, adrg: r.adrg };
    } else if (list) {
      group = {
        drg: UNGROUPED_DRG,
        drgName: "数据校验未通过",
        status: "CHECK_FAILED",
        mdc: null,
        adrg: null,
      };
    }
    // A setl_id or institution code that cannot be stored as it is cannot key a list (QC-FMT-008 names it).
    const unstorableKey =
      (setlId != null && hasUnstorableText(setlId)) ||
      (list?.info.fixmedinsCode != null && hasUnstorableText(list.info.fixmedinsCode));
    const upload: SettlementListUpload | null =
      !unstorableKey && list && group && setlId && list.info.fixmedinsCode
        ? {
            list: summaryColumns(list, envelope, scheme, group),
            findings: findings.map((f) => ({
              ruleId: f.ruleId,
              severity: f.severity,
              field: f.field,
              message: f.message,
            })),
            receivedAt,
            ...(original ? { originalUpload: original } : {}),
          }
        : null;
    return {
      setlId: setlId ?? null,
      findings,
      group,
      upload,
      envelopeInvalid: checked.envelopeInvalid,
      ...(unstorableKey
        ? {
            unstoredReason:
              "结算ID或定点医药机构编号含无法保存的字符（U+0000 空字符或不成对的代理项），不予接收，未保存",
          }
        : {}),
    };
  };
}

function view(f: QcFinding): FindingView {
  return { ruleId: f.ruleId, severity: f.severity, field: f.field, message: f.message };
}

function describe(outcome: SaveOutcome): string {
  switch (outcome.outcome) {
    case "inserted":
      return outcome.status === "accepted" ? "已接收" : "质控未通过，不予接收";
    case "replaced":
      return outcome.status === "accepted"
        ? `已接收，替换原清单（现为第 ${outcome.version} 版，原版本保留在历史中）`
        : `质控未通过，不予接收（替换原未通过的清单，现为第 ${outcome.version} 版）`;
    case "refused_kept":
      return `质控未通过，不予接收；已接收的第 ${outcome.version} 版保持有效`;
    case "refused_foreign":
      return "该结算ID已属于其他定点医药机构，本机构不能上传或替换，不予接收";
  }
}

/** The preparer is pure and should never throw; if it does, that list alone is reported, not the batch. */
function prepareSafely(
  prepare: PrepareList,
  envelope: unknown,
  index: number,
  receivedAt: Date,
  log: FastifyBaseLogger,
  history: HistoryEnvelope | undefined,
): PreparedList {
  if (history?.problem) {
    return {
      setlId: history.problem.setlId ?? null,
      findings: [history.problem],
      group: null,
      upload: null,
      envelopeInvalid: false,
      unstoredReason: "原始上传时间不合规，本条不予导入，未保存",
    };
  }
  try {
    return history ? prepare(history.envelope, receivedAt, history.upload) : prepare(envelope, receivedAt);
  } catch (err) {
    log.error({ err, index }, "清单校验出错");
    return {
      setlId: null,
      findings: [],
      group: null,
      upload: null,
      envelopeInvalid: false,
      unstoredReason: "清单校验出错（服务器内部错误），未保存，请联系管理员",
    };
  }
}

/** Prepares and stores a batch of envelopes; one result per envelope, in order. */
export async function ingestLists(
  ctx: {
    readonly store: { submitSettlementList(u: SettlementListUpload): Promise<SaveOutcome> };
    readonly prepareList: PrepareList;
  },
  envelopes: readonly unknown[],
  receivedAt: Date,
  log: FastifyBaseLogger,
  /** Written in the transactions that store these lists (the request's operation-log entry). */
  journal?: UploadJournal,
  /**
   * A history import: each envelope's original upload time (or why it has none), same order and
   * length as `envelopes` (see `historyEnvelope`).
   */
  history?: readonly HistoryEnvelope[],
): Promise<ListResult[]> {
  const prepared = envelopes.map((e, i) =>
    prepareSafely(ctx.prepareList, e, i, receivedAt, log, history?.[i]),
  );
  // Every save gets its handlers at once: awaiting them one by one would leave a later save that fails
  // first without a handler (an unhandled rejection, which ends a Node process).
  const saves = prepared.map((p) =>
    p.upload
      ? ctx.store.submitSettlementList(journal ? { ...p.upload, journal } : p.upload).then(
          (outcome) => ({ outcome }) as const,
          (error: unknown) => ({ error }) as const,
        )
      : null,
  );
  const results: ListResult[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i] as PreparedList;
    const original = history?.[i]?.upload;
    const base = {
      setl_id: p.setlId,
      findings: p.findings.map(view),
      group: p.group,
      ...(original
        ? { uploadedAt: shanghaiDateTime(original.at).replace("T", " "), uploadTimeSource: original.source }
        : {}),
    };
    const save = saves[i];
    if (!save) {
      results.push({
        ...base,
        accepted: false,
        stored: false,
        outcome: null,
        version: null,
        message: p.envelopeInvalid
          ? "报文结构不正确，未处理"
          : (p.unstoredReason ?? "缺少结算ID或定点医药机构编号，无法保存"),
        ...(p.envelopeInvalid ? { envelopeInvalid: true as const } : {}),
      });
      continue;
    }
    const settled = await save;
    if ("outcome" in settled) {
      const o = settled.outcome;
      const foreign = o.outcome === "refused_foreign";
      results.push({
        ...base,
        accepted: !foreign && o.outcome !== "refused_kept" && o.status === "accepted",
        stored: !foreign,
        outcome: o.outcome,
        version: foreign ? null : o.version,
        message: describe(o),
      });
    } else {
      const err = settled.error;
      log.error({ err, setlId: p.setlId }, "清单保存失败");
      results.push({
        ...base,
        accepted: false,
        stored: false,
        outcome: null,
        version: null,
        message: "保存失败（数据库错误），请重新上传",
        storeError: true,
      });
    }
  }
  return results;
}

/** Most code-type problems listed in one 400. */
const MAX_LISTED = 20;

/**
 * The 400 for an upload whose `setl_id`, `infno` or any code is not a JSON string (`codeTypeProblems`),
 * naming each list by its position (下标, from 0) and the field; null when every code is a string.
 * Checked before anything is stored, for the whole request: such an upload is malformed, not a list
 * that QC can refuse.
 */
export function codeTypeError(body: unknown): HttpError | null {
  const envelopes = Array.isArray(body) ? body : [body];
  const details: { field: string; message: string }[] = [];
  envelopes.forEach((e, i) => {
    for (const p of codeTypeProblems(e)) {
      const where = Array.isArray(body) ? `第 ${i + 1} 份清单（下标 ${i}）` : "清单";
      details.push({
        field: Array.isArray(body) ? `[${i}].${p.field}` : p.field,
        message: `${where}${p.message}`,
      });
    }
  });
  if (details.length === 0) return null;
  const shown = details.slice(0, MAX_LISTED).map((d) => d.message);
  const more = details.length > MAX_LISTED ? `；另有 ${details.length - MAX_LISTED} 处` : "";
  return new HttpError(
    "INVALID_CODE_TYPE",
    `编码字段应为字符串（JSON 文本），不接受数值或其他类型：${shown.join("；")}${more}`,
    details,
  );
}
