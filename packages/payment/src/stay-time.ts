/** The times of a stay (住院时长, 住院天数) and calendar months, as the special cases and new-technology items read them. */

import { clockSeconds } from "@yibao/kernel/calendar";
import type { Stay } from "./stay.js";
import { dayNumber, SettlementError } from "./versioned.js";

function clockOf(t: string, record: string, field: string): number {
  const s = clockSeconds(t);
  if (s === null) throw new SettlementError(record, field, "须为 HH:MM:SS 或 HH:MM 格式的时间");
  return s;
}

/**
 * 住院时长 in seconds from admission to discharge (dates and clock times, both local time), null
 * when either time is missing. Throws when the discharge is before the admission.
 */
export function staySeconds(stay: Stay): number | null {
  if (stay.admissionTime === undefined || stay.dischargeTime === undefined) return null;
  const s =
    (dayNumber(stay.dischargeDate) - dayNumber(stay.admissionDate)) * 86_400 +
    clockOf(stay.dischargeTime, stay.id, "dischargeTime") -
    clockOf(stay.admissionTime, stay.id, "admissionTime");
  if (s < 0) throw new SettlementError(stay.id, "dischargeTime", "出院时间早于入院时间");
  return s;
}

/** 住院不足24小时: admission to discharge strictly under 86 400 s; false when the times are not given. */
export function under24Hours(stay: Stay): boolean {
  const s = staySeconds(stay);
  return s !== null && s < 86_400;
}

/** 住院天数: the stay's `los`, else dischargeDate − admissionDate in days, at least 1. */
export function lengthOfStay(stay: Stay): number {
  return stay.los ?? Math.max(1, dayNumber(stay.dischargeDate) - dayNumber(stay.admissionDate));
}

/** Adds calendar months to an ISO date (day clamped to the month's end). */
export function addMonths(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const ny = y + Math.floor(m / 12);
  const nm = (m % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const d = Math.min(Number(iso.slice(8, 10)), last);
  return `${ny}-${String(nm).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
