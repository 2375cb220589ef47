import { describe, expect, it } from "vitest";
import {
  HOSPITAL_SCOPE_NAMES,
  HOSPITAL_SCOPES,
  isKnownSex,
  isViolationType,
  oppositeSex,
  ROLE_NAMES,
  ROLES,
  SEX_FEMALE,
  SEX_MALE,
  SEX_NAMES,
  VIOLATION_TYPE_NAMES,
  VIOLATION_TYPES,
} from "../src/index.js";

describe("enums", () => {
  it("names every value in Chinese, once", () => {
    expect(Object.keys(VIOLATION_TYPE_NAMES).sort()).toEqual([...VIOLATION_TYPES].sort());
    expect(new Set(Object.values(VIOLATION_TYPE_NAMES)).size).toBe(VIOLATION_TYPES.length);
    expect(Object.keys(ROLE_NAMES).sort()).toEqual([...ROLES].sort());
    expect(Object.keys(HOSPITAL_SCOPE_NAMES).sort()).toEqual([...HOSPITAL_SCOPES].sort());
    expect(VIOLATION_TYPE_NAMES.split_admission).toBe("分解住院");
    expect(ROLE_NAMES.bureau).toBe("医保局");
    expect(isViolationType("item_rule")).toBe(true);
    expect(isViolationType("fraud")).toBe(false);
  });
});

describe("sex codes (GB/T 2261.1)", () => {
  it("1 is male, 2 is female", () => {
    expect(SEX_MALE).toBe("1");
    expect(SEX_FEMALE).toBe("2");
    expect(SEX_NAMES[SEX_MALE]).toBe("男");
    expect(SEX_NAMES[SEX_FEMALE]).toBe("女");
    expect(oppositeSex(SEX_FEMALE)).toBe("1");
    expect(isKnownSex("9")).toBe(false);
    expect(isKnownSex("2")).toBe(true);
  });
});
