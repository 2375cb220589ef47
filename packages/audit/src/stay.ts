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
  /**
   * One copy of each repeated value (codes, dates, hospital, department, physician, fee category,
   * group) across the stays converted with the same pool: a year of a region's stays repeats a few
   * thousand values a million times.
   */
  readonly strings?: StringPool;
}

/**
 * 字符串池: the first copy of each string seen, for the stays of one read (never shared between reads,
 * so nothing outlives the job that made it).
 */
export class StringPool {
  readonly #strings = new Map<string, string>();
  /** The pooled copy of `s`. */
  get<T extends string>(s: T): T {
    const known = this.#strings.get(s);
    if (known !== undefined) return known as T;
    this.#strings.set(s, s);
    return s;
  }
  /** The pooled copy of `s`, or null. */
  orNull<T extends string>(s: T | null): T | null {
    return s === null ? null : this.get(s);
  }
  /** Distinct strings held. */
  get size(): number {
    return this.#strings.size;
  }
}

const SAME = {
  get: <T extends string>(s: T): T => s,
  orNull: <T extends string>(s: T | null): T | null => s,
};

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
  const pool = options.strings ?? SAME;
  const fees: FeeCategory[] = [];
  let total = 0;
  for (const f of list.feeItems) {
    const amount = f.amt ?? 0;
    total += amount;
    fees.push({ category: pool.get(f.medChrgitm ?? "14"), amount });
  }
  let fund = 0;
  for (const p of list.fundPayments) fund += p.fundPayamt ?? 0;
  const cal = options.schemes;
  const stored = cal?.switches && options.schemeId ? cal.byId(options.schemeId) : undefined;
  const scheme = cal?.switches
    ? (stored ?? cal.on(cal.dateOf(dscg, info.setlEndDate, dscg)))
    : options.scheme;
  const read = toGroupingRecord(list, scheme);
  const record =
    options.strings === undefined
      ? read
      : {
          ...read,
          sex: pool.get(read.sex),
          dept: pool.get(read.dept),
          dischargeWay: pool.get(read.dischargeWay),
          diagnoses: read.diagnoses.map((c) => pool.get(c)),
          procedures: read.procedures.map((c) => pool.get(c)),
        };
  let group = options.group;
  if (group === undefined) {
    if (scheme === undefined) throw new StayInputError(`清单 ${id}：未给出分组结果，也未给出分组方案`);
    const g = groupRecord(scheme, record);
    group = { status: g.status, drg: g.drg, mdc: g.mdc, adrg: g.adrg };
  } else if (options.strings !== undefined) {
    group = {
      status: group.status,
      drg: pool.get(group.drg),
      mdc: pool.orNull(group.mdc),
      adrg: pool.orNull(group.adrg),
    };
  }
  const admissionDate = pool.get(adm.slice(0, 10));
  const dischargeDate = pool.get(dscg.slice(0, 10));
  const admissionTime = pool.orNull(clockTime(adm));
  const dischargeTime = pool.orNull(clockTime(dscg));
  const stay: AuditStay = {
    id,
    personId,
    hospitalId: pool.get(info.fixmedinsCode ?? ""),
    hospitalLevel: pool.get(info.hiSetlLv ?? ""),
    deptCode: pool.get(info.dscgCaty ?? ""),
    physicianCode: pool.get(info.chfpdrCode ?? ""),
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
