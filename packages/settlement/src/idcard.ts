/** 公民身份号码 (GB 11643-1999): 17 digits and a check character. */
import { parseWireDate } from "./dates.js";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = "10X98765432";

/** What is wrong with an 18-character ID number, in Chinese, or null when it is valid. */
export function idCardProblem(id: string): string | null {
  if (id.length !== 18) return `长度应为 18 位，实际 ${id.length} 位`;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return "前 17 位应为数字";
    sum += c * (WEIGHTS[i] as number);
  }
  if (idCardBirthDate(id) === null) return "出生日期码无效";
  const expected = CHECK[sum % 11];
  if (id[17] !== expected && !(expected === "X" && id[17] === "x")) return `校验位应为 ${expected}`;
  return null;
}

/** The ISO birth date coded in an 18-character ID number, or null. */
export function idCardBirthDate(id: string): string | null {
  return parseWireDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
}

/** The sex coded in an ID number: `1` male (odd 17th digit), `2` female. */
export function idCardSex(id: string): "1" | "2" {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? "1" : "2";
}

/** Completes a 17-digit prefix with its check character (for test data and tools). */
export function withIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return first17 + CHECK[sum % 11];
}
