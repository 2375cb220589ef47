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
