/**
 * A region pack's grouping schemes by date (分组方案切换, `schemes.json`):
 *
 * ```json
 * {"dateBasis": "discharge",
 *  "schemes": [{"dir": "schemes/chs-drg-1.1", "effectiveDate": "2025-01-01"},
 *              {"dir": "/srv/schemes/suzhou-2023", "effectiveDate": "2026-01-01"}]}
 * ```
 *
 * `dir` is a scheme directory (relative to the pack, or absolute); its name is the scheme's id, which
 * the store keeps beside every grouping. `dateBasis` says which date of a list decides its scheme:
 * `discharge` (出院日期, the default) or `settlement` (结算日期). The file may also be the bare array.
 * Without the file the pack groups by the scheme given with `--scheme` / `YIBAO_SCHEME_DIR`.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  SchemeCalendar,
  SchemeCalendarError,
  type SchemeDateBasis,
  type SchemeEdition,
  SchemeError,
} from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { ABSENT, NOT_JSON, readPackJson } from "./region-files.js";

export const SCHEMES_FILE = "schemes.json";

/** One line of `schemes.json`, its directory resolved. */
export interface RegionSchemeEntry {
  readonly dir: string;
  readonly effectiveDate: string;
}

/** `schemes.json` as read (the schemes themselves are loaded by {@link openRegionSchemes}). */
export interface RegionSchemes {
  readonly file: string;
  readonly basis: SchemeDateBasis;
  readonly entries: readonly RegionSchemeEntry[];
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const BASIS_ZH: Readonly<Record<SchemeDateBasis, string>> = {
  discharge: "按出院日期",
  settlement: "按结算日期",
};

function entryOf(raw: unknown, at: string, root: string, problems: string[]): RegionSchemeEntry | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`${at}：应为对象 {"dir": 方案目录, "effectiveDate": 生效日期}`);
    return null;
  }
  const { dir, effectiveDate, ...rest } = raw as Record<string, unknown>;
  let ok = true;
  for (const k of Object.keys(rest)) {
    problems.push(`${at}.${k}：未知字段`);
    ok = false;
  }
  if (typeof dir !== "string" || dir.trim() === "") {
    problems.push(`${at}.dir：应为分组方案目录（非空字符串）`);
    ok = false;
  } else if (!existsSync(resolve(root, dir)) || !statSync(resolve(root, dir)).isDirectory()) {
    problems.push(`${at}.dir：分组方案目录不存在：${resolve(root, dir)}`);
    ok = false;
  }
  if (typeof effectiveDate !== "string" || !DATE.test(effectiveDate)) {
    problems.push(`${at}.effectiveDate：应为生效日期 yyyy-MM-dd，实际为 ${JSON.stringify(effectiveDate)}`);
    ok = false;
  }
  return ok ? { dir: resolve(root, dir as string), effectiveDate: effectiveDate as string } : null;
}

/** Reads and checks `schemes.json` in the pack `root`; null when the pack has none. */
export function readRegionSchemes(root: string, problems: string[]): RegionSchemes | null {
  const file = join(root, SCHEMES_FILE);
  const data = readPackJson(file, problems);
  if (data === ABSENT) return null;
  if (data === NOT_JSON) return { file, basis: "discharge", entries: [] };
  const obj = Array.isArray(data) ? { schemes: data } : data;
  if (typeof obj !== "object" || obj === null) {
    problems.push(`${file}：应为 {"dateBasis": …, "schemes": [...]} 或分组方案数组`);
    return { file, basis: "discharge", entries: [] };
  }
  const { dateBasis = "discharge", schemes, ...rest } = obj as Record<string, unknown>;
  for (const k of Object.keys(rest)) problems.push(`${file} $.${k}：未知字段`);
  if (dateBasis !== "discharge" && dateBasis !== "settlement")
    problems.push(`${file} $.dateBasis：应为 "discharge"（按出院日期）或 "settlement"（按结算日期）`);
  const basis: SchemeDateBasis = dateBasis === "settlement" ? "settlement" : "discharge";
  if (!Array.isArray(schemes) || schemes.length === 0) {
    problems.push(`${file} $.schemes：至少须有一个分组方案`);
    return { file, basis, entries: [] };
  }
  const entries: RegionSchemeEntry[] = [];
  schemes.forEach((raw, i) => {
    const e = entryOf(raw, `${file} $.schemes[${i}]`, root, problems);
    if (e) entries.push(e);
  });
  return { file, basis, entries };
}

/**
 * Loads every scheme of `schemes.json` (each validated as `yibao scheme check` does) and builds the
 * calendar; every problem is added to `problems`, and the calendar is null when there is one.
 */
export async function openRegionSchemes(
  schemes: RegionSchemes,
  problems: string[],
): Promise<SchemeCalendar | null> {
  const before = problems.length;
  const editions: SchemeEdition[] = [];
  for (const e of schemes.entries) {
    try {
      editions.push({ scheme: await loadSchemeDir(e.dir), effectiveDate: e.effectiveDate });
    } catch (err) {
      if (!(err instanceof SchemeError)) throw err;
      problems.push(`${schemes.file}：${err.message}`);
    }
  }
  if (problems.length > before || editions.length === 0) return null;
  try {
    return new SchemeCalendar(editions, schemes.basis);
  } catch (err) {
    if (!(err instanceof SchemeCalendarError)) throw err;
    problems.push(`${schemes.file}：${err.message}`);
    return null;
  }
}

/** The lines of `yibao region check` for the schemes. */
export function describeRegionSchemes(
  schemes: RegionSchemes | null,
  calendar: SchemeCalendar | null,
): string[] {
  if (schemes === null)
    return [`分组方案：未提供 ${SCHEMES_FILE}，使用 --scheme 或 YIBAO_SCHEME_DIR 指定的方案`];
  if (calendar === null) return [`分组方案：${SCHEMES_FILE} 有误，见下`];
  return calendar.editions.map(
    (e) =>
      `分组方案 ${e.scheme.id}（${e.scheme.demo ? "演示方案" : e.scheme.name}）：${e.effectiveDate} 起生效，${BASIS_ZH[calendar.basis]}，${e.scheme.drgs.length} 个病组`,
  );
}
