/**
 * The JSON files of a region pack (地区配置包): each holds one edition or an array of dated editions.
 * Read here once for every area that keeps editions in a pack (QC, payment, audit).
 */
import { existsSync, readFileSync } from "node:fs";

/**
 * The editions of a pack file: null when the file is absent, [] with a problem (naming the file) when
 * it is not JSON, else the edition or the array of editions as parsed (each still to be validated).
 */
export function readJsonEditions(file: string, problems: string[]): unknown[] | null {
  const data = readPackJson(file, problems);
  if (data === NOT_JSON) return [];
  if (data === ABSENT) return null;
  return Array.isArray(data) ? data : [data];
}

/** Markers of {@link readPackJson}: the file is absent, or is not JSON (the problem already added). */
export const ABSENT: unique symbol = Symbol("absent");
export const NOT_JSON: unique symbol = Symbol("not JSON");

/** A pack file's JSON as parsed; {@link NOT_JSON} with a problem naming the file when it is not JSON. */
export function readPackJson(file: string, problems: string[]): unknown {
  if (!existsSync(file)) return ABSENT;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${file}：不是合法的 JSON（${(e as Error).message}）`);
    return NOT_JSON;
  }
}
