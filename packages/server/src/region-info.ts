/**
 * 地区信息 (`region.json` of a region pack): which pooling region the deployment serves — its id, its
 * name as users read it, and its 统筹区编码 (the 6-digit administrative code of the pooling region,
 * e.g. 320500 苏州市). The console names the region from it; `yibao region check` validates it, naming
 * the file and the JSON path of every problem in Chinese. Dates and times are 北京时间 everywhere (every
 * pooling region of the national platform is in it), and deadlines are rule parameters (the QC
 * rule QC-TIME-001's `deadlineDays`, the audit's 说明期限), so neither is a field here.
 */
import { join } from "node:path";
import { ABSENT, NOT_JSON, readPackJson } from "./region-files.js";

export const REGION_INFO_FILE = "region.json";

/** 地区信息. */
export interface RegionInfo {
  /** Lower-case letters, digits and hyphens (e.g. `suzhou`): the prefix of the pack's edition ids. */
  readonly id: string;
  /** 统筹区名称, e.g. 苏州市. */
  readonly name: string;
  /** 统筹区编码: six digits; null when the pack does not give it. */
  readonly poolingRegion: string | null;
}

/** A region's id: lower-case letters, digits and hyphens, at most 40, not starting with a hyphen. */
export const REGION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** 统筹区编码: the six digits of an administrative-area code. */
export const POOLING_REGION_PATTERN = /^\d{6}$/;

const FIELDS = new Set(["id", "name", "poolingRegion"]);

/** Reads `region.json` of the pack in `dir`: null when absent or with a problem (added to `problems`). */
export function readRegionInfo(dir: string, problems: string[]): RegionInfo | null {
  const file = join(dir, REGION_INFO_FILE);
  const data = readPackJson(file, problems);
  if (data === ABSENT || data === NOT_JSON) return null;
  const found: string[] = [];
  const at = (path: string, message: string) => found.push(`${file} ${path}：${message}`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    problems.push(`${file}：应为对象 {"id": 地区标识, "name": 统筹区名称, "poolingRegion": 统筹区编码}`);
    return null;
  }
  const raw = data as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!FIELDS.has(k)) at(`$.${k}`, "未知字段");
  const { id, name, poolingRegion } = raw;
  if (typeof id !== "string" || !REGION_ID_PATTERN.test(id))
    at("$.id", `应为小写字母、数字或连字符（至多 40 个），实际为 ${JSON.stringify(id ?? null)}`);
  if (typeof name !== "string" || name.trim() === "" || name.length > 50)
    at("$.name", `应为 1–50 个字的统筹区名称，实际为 ${JSON.stringify(name ?? null)}`);
  if (
    poolingRegion !== undefined &&
    (typeof poolingRegion !== "string" || !POOLING_REGION_PATTERN.test(poolingRegion))
  )
    at("$.poolingRegion", `应为 6 位统筹区编码（行政区划代码），实际为 ${JSON.stringify(poolingRegion)}`);
  if (found.length > 0) {
    problems.push(...found);
    return null;
  }
  return {
    id: id as string,
    name: (name as string).trim(),
    poolingRegion: (poolingRegion as string | undefined) ?? null,
  };
}

/** The line of `yibao region check` and of the start-up report. */
export function describeRegionInfo(info: RegionInfo | null): string[] {
  if (info === null) return [];
  return [
    `地区：${info.name}（${info.id}${info.poolingRegion ? `，统筹区编码 ${info.poolingRegion}` : ""}）`,
  ];
}
