/** Calls to the console API: cookie session, CSRF token header on every change, Chinese errors. */

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** One problem of a refused request (e.g. a workbook's cell, by row and column), in Chinese. */
export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error code (e.g. `STARTING` while the platform is still being prepared). */
    readonly code?: string,
    /** Every problem the server found, where it lists them. */
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    // The browser's own message ("Failed to fetch") is English: say it in Chinese.
    throw new ApiError(0, "无法连接服务器，请检查网络或稍后重试");
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const body = data as { message?: string; code?: string; details?: unknown } | null;
    const message = body?.message ?? `请求失败（${res.status}）`;
    if (res.status === 401) window.dispatchEvent(new CustomEvent("yibao:unauthenticated"));
    const details = Array.isArray(body?.details)
      ? (body.details as unknown[]).filter(
          (d): d is ErrorDetail =>
            typeof d === "object" && d !== null && typeof (d as ErrorDetail).message === "string",
        )
      : [];
    throw new ApiError(res.status, message, body?.code, details);
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => call<T>("GET", url),
  post: <T>(url: string, body?: unknown) => call<T>("POST", url, body ?? {}),
};

/** A query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export type Role = "bureau" | "hospital" | "reviewer" | "admin";

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleName: string;
  hospitalCode: string | null;
}

export interface IndicatorDef {
  id: string;
  name: string;
  unit: string;
  formula: string;
  direction: string;
  kind: "count" | "money" | "ratio" | "statistic";
}

/** A grouping scheme in force from a date; `inForce` marks today's. */
export interface SchemeEdition {
  id: string;
  name: string;
  demo: boolean;
  effectiveDate: string;
  inForce: boolean;
}

/** One scheme's CMI where the lists of a range were grouped by more than one scheme. */
export interface SchemeCmi {
  schemeId: string;
  schemeName: string;
  cases: number;
  cmi: number | null;
}

export interface Meta {
  user: User;
  indicators: IndicatorDef[];
  hospitals: { code: string; name: string; level: string | null }[];
  periods: string[];
  scheme: { id: string; name: string; demo: boolean };
  /** The region's grouping schemes by date (分组方案切换), oldest first. */
  schemes: SchemeEdition[];
  /** Which date of a list decides its scheme: 出院日期 or 结算日期. */
  schemeDateBasis: "discharge" | "settlement";
  /** 地区信息 of the region pack (`region.json`); null without one. */
  region: { id: string; name: string; poolingRegion: string | null } | null;
  cube: { refreshedAt: string; sourceCount: number; weightSource: string } | null;
}

export type Values = Record<string, number | null>;
