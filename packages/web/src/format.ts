/** Display of numbers in Chinese conventions: money in 元 from fen, ratios as %, statistics. */

export type Kind = "count" | "money" | "ratio" | "statistic" | "text" | "number";

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return "—";
  return (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatValue(kind: Kind, v: unknown, digits?: number): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v !== "number") return String(v);
  switch (kind) {
    case "money":
      return yuan(v);
    case "ratio":
      return `${(v * 100).toFixed(digits ?? 2)}%`;
    case "statistic":
      return v.toFixed(digits ?? 4);
    case "count":
      return v.toLocaleString("zh-CN");
    case "number":
      return v.toLocaleString("zh-CN", { maximumFractionDigits: digits ?? 2 });
    default:
      return String(v);
  }
}

export const GROUP_STATUS: Record<string, string> = {
  OK: "正常入组",
  AMBIGUOUS: "歧义组(QY)",
  UNGROUPABLE: "未入组(0000)",
  CHECK_FAILED: "校验未通过(0000)",
};

export const LIST_STATUS: Record<string, string> = { accepted: "已接收", refused: "已拒收" };

export const APPEAL_STATUS: Record<string, string> = {
  pending: "待审核",
  accepted: "申诉成立",
  rejected: "申诉驳回",
};

export function dateTime(v: unknown): string {
  if (typeof v !== "string") return "—";
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleString("zh-CN", { hour12: false });
}

/** An instant in China Standard Time (Asia/Shanghai), whatever the browser's own time zone. */
export function chinaDateTime(v: unknown): string {
  if (typeof v !== "string") return "—";
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
}

/** Today's date in China (yyyy-MM-dd, Asia/Shanghai), whatever the browser's own time zone. */
export function chinaToday(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** A calendar date (yyyy-MM-dd) `n` days later (or earlier). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A count with thousands separators (20,000). */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("zh-CN");
}

/** The own hospital's name of a hospital account (meta lists only that hospital to it), else null. */
export function ownHospitalName(meta: {
  user: { role: string; hospitalCode: string | null };
  hospitals: { code: string; name: string }[];
}): string | null {
  if (meta.user.role !== "hospital" || !meta.user.hospitalCode) return null;
  return meta.hospitals.find((h) => h.code === meta.user.hospitalCode)?.name ?? null;
}

/**
 * Who is signed in, said once: the account's name (without a hospital code it may carry), a hospital
 * account with its hospital's name, and the role only when the name does not already say it.
 */
export function userLabel(meta: {
  user: { role: string; roleName: string; displayName: string; hospitalCode: string | null };
  hospitals: { code: string; name: string }[];
}): string {
  const u = meta.user;
  let name = u.displayName;
  if (u.hospitalCode) name = name.replace(`（${u.hospitalCode}）`, "").replace(`(${u.hospitalCode})`, "");
  const hospital = ownHospitalName(meta);
  const role = name.includes(u.roleName) ? "" : `（${u.roleName}）`;
  return hospital ? `${hospital} · ${name}${role}` : `${name}${role}`;
}

/** The scheme's name, marked as a demo once (its name may already say so). */
export function schemeLabel(scheme: { name: string; demo: boolean }): string {
  return scheme.demo && !scheme.name.includes("演示") ? `${scheme.name}（演示方案）` : scheme.name;
}
