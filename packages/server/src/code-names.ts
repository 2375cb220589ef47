/** Names of the codes a list carries, for people to read (e.g. 科别 A03.01 → 呼吸内科专业). */
import { DEFAULT_CODE_TABLES } from "@yibao/settlement";

const CATY = DEFAULT_CODE_TABLES.tables.caty?.codes ?? {};

/** The department (科别) name of a code of the national code table, or undefined when unknown. */
export function departmentName(code: string): string | undefined {
  return CATY[code.trim()];
}
