/** From a settlement list (医保结算清单) to the audit's stay (审核病例). */

import { type DrgScheme, groupRecord, type SchemeCalendar } from "@yibao/grouper";
import { clockSeconds } from "@yibao/kernel/calendar";
import { dayNumber, type SettlementList, toGroupingRecord } from "@yibao/settlement";
import type { AuditStay, DetailItem, FeeCategory, StayGroup } from "./model.js";

/** Options of the conversion. */
export interface StayOptions {
  /** The grouping as stored; when absent the list is grouped with `scheme`. */
  readonly group?: StayGroup;
  readonly scheme?: DrgScheme;
  /**
   * The region's schemes by date: when given, the list's scheme is the one in force on its date (as
   * the intake chose it), and the stay names it.
   */
  readonly schemes?: SchemeCalendar;
  /**
   * The scheme that grouped the list, as stored (分组方案): with `schemes`, the stay is checked under
   * it when the calendar holds it (a list an explicit regrouping moved to another edition than its
   * date's), else under the scheme of its date.
   */
  readonly schemeId?: string | null;
  readonly details?: readonly DetailItem[];
  readonly outpatientBeforeAdmission?: number;
}

/** A list that cannot be audited (无法审核的清单): names the list and the field. */
export class StayInputError extends Error {
  override name = "StayInputError";
}

/** The clock time `HH:MM:SS` of a `yyyy-MM-dd HH:mm:ss` date-time, null when it has none. */
function clockTime(dateTime: string): string | null {
  const t = dateTime.slice(11, 19);
  return t.length === 8 && clockSeconds(t) !== null ? t : null;
}

/**
 * Builds the audit's view of a parsed settlement list. Person: 证件号码, else 医保编号; patient share:
 * total − Σ fund payments (payinfo); dates from 入院/出院时间.
 */
export function auditStayFromList(list: SettlementList, options: StayOptions = {}): AuditStay {
  const info = list.info;
  const id = info.setlId ?? info.mdtrtId ?? "";
  const adm = info.admTime;
  const dscg = info.dscgTime;
  if (adm === null || dscg === null) throw new StayInputError(`清单 ${id}：缺少入院或出院时间`);
  const personId = info.certno ?? info.hiNo;
  if (personId === null) throw new StayInputError(`清单 ${id}：缺少证件号码和医保编号`);
  const fees: FeeCategory[] = [];
  let total = 0;
  for (const f of list.feeItems) {
    const amount = f.amt ?? 0;
    total += amount;
    fees.push({
      category: f.medChrgitm ?? "14",
      amount,
      classA: f.claaSumfee ?? 0,
      classB: f.clabAmt ?? 0,
      ownPay: f.fulamtOwnpayAmt ?? 0,
      other: f.othAmt ?? 0,
    });
  }
  let fund = 0;
  for (const p of list.fundPayments) fund += p.fundPayamt ?? 0;
  const cal = options.schemes;
  const stored = cal?.switches && options.schemeId ? cal.byId(options.schemeId) : undefined;
  const scheme = cal?.switches
    ? (stored ?? cal.on(cal.dateOf(dscg, info.setlEndDate, dscg)))
    : options.scheme;
  const record = toGroupingRecord(list, scheme);
  let group = options.group;
  if (group === undefined) {
    if (scheme === undefined) throw new StayInputError(`清单 ${id}：未给出分组结果，也未给出分组方案`);
    const g = groupRecord(scheme, record);
    group = { status: g.status, drg: g.drg, mdc: g.mdc, adrg: g.adrg };
  }
  const admissionDate = adm.slice(0, 10);
  const dischargeDate = dscg.slice(0, 10);
  const admissionTime = clockTime(adm);
  const dischargeTime = clockTime(dscg);
  const stay: AuditStay = {
    id,
    personId,
    hospitalId: info.fixmedinsCode ?? "",
    hospitalLevel: info.hiSetlLv ?? "",
    deptCode: info.dscgCaty ?? "",
    physicianCode: info.chfpdrCode ?? "",
    admissionDate,
    dischargeDate,
    ...(admissionTime !== null && dischargeTime !== null ? { admissionTime, dischargeTime } : {}),
    admissionDay: dayNumber(admissionDate),
    dischargeDay: dayNumber(dischargeDate),
    los: record.los,
    record,
    group,
    ...(cal?.switches && scheme ? { schemeId: scheme.id } : {}),
    totalCost: total,
    patientShare: Math.max(0, Math.min(total, total - fund)),
    ownPay: info.psnOwnpay ?? 0,
    fees,
    readmissionPlanned: info.daysRinpFlag31 === "2",
  };
  if (options.details === undefined && options.outpatientBeforeAdmission === undefined) return stay;
  return { ...stay, details: options.details, outpatientBeforeAdmission: options.outpatientBeforeAdmission };
}
