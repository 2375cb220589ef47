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
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${file}：不是合法的 JSON（${(e as Error).message}）`);
    return [];
  }
  return Array.isArray(data) ? data : [data];
}
