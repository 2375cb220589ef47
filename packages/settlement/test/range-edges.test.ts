/**
 * Boundary tests of the QC code-range rules (issue 16): for each range of QC-DX-003/004/005 the
 * first and last category of the range are flagged and the categories just outside are not. The
 * ranges are the default rule data (female-only O00-O9A, N70-N98, C51-C58, D25-D28; male-only
 * N40-N51, C60-C63, D29; external causes V01-Y98). Categories the dictionary lacks (O9A, N51, N52, N69,
 * Y99) are added as extra codes.
 */
import { describe, expect, it } from "vitest";
import { checkSettlementMessage, DEFAULT_QC_RULES } from "../src/index.js";
import { codesWithExtraDiagnoses, context, femaleMessage, type Msg, validMessage } from "./helpers.js";

const EXTRA = {
  "O9A.000": "妊娠、分娩和产褥期的恶性肿瘤",
  "N51.000": "前列腺疾患（在他处归类疾病中）",
  "N52.000": "男性勃起功能障碍",
  "N69.000": "乳房疾患（示例）",
  "Y99.000": "外部原因状态",
};
const ctx = () => context({ codes: codesWithExtraDiagnoses(EXTRA) });

function ruleIds(base: () => Msg, position: number, code: string): string[] {
  const m = base();
  m.input.diseinfo[position].diag_code = code;
  m.input.diseinfo[position].diag_name = "名称";
  return checkSettlementMessage(m, ctx()).findings.map((f) => f.ruleId);
}

it("the default rule data has the ranges these tests pin", () => {
  const ranges = (id: string) => DEFAULT_QC_RULES.rules.find((r) => r.id === id)?.params?.ranges;
  expect(ranges("QC-DX-003")).toEqual(["V01-Y98"]);
  expect(ranges("QC-DX-004")).toEqual(["O00-O9A", "N70-N98", "C51-C58", "D25-D28"]);
  expect(ranges("QC-DX-005")).toEqual(["N40-N51", "C60-C63", "D29"]);
});

describe("QC-DX-004 female-only codes for a man: both ends of each range inclusive", () => {
  const flagged = [
    "O00.000",
    "O99.000",
    "O9A.000",
    "N70.000",
    "N98.000",
    "C51.000",
    "C58.x00",
    "D25.000",
    "D28.000",
  ];
  const outside = ["N69.000", "N99.000", "C50.000", "D24.x00", "D29.000", "P00.000"];
  for (const code of flagged) {
    it(`${code} is flagged`, () => expect(ruleIds(validMessage, 1, code)).toContain("QC-DX-004"));
  }
  for (const code of outside) {
    it(`${code} is not`, () => expect(ruleIds(validMessage, 1, code)).not.toContain("QC-DX-004"));
  }
});

describe("QC-DX-005 male-only codes for a woman: both ends inclusive, a one-category range", () => {
  const flagged = ["N40.x00", "N50.000", "N51.000", "C60.000", "C63.000", "D29.000"];
  const outside = ["N39.000", "N52.000", "C58.x00", "C64.x00", "D28.000", "D30.000"];
  for (const code of flagged) {
    it(`${code} is flagged`, () => expect(ruleIds(femaleMessage, 1, code)).toContain("QC-DX-005"));
  }
  for (const code of outside) {
    it(`${code} is not`, () => expect(ruleIds(femaleMessage, 1, code)).not.toContain("QC-DX-005"));
  }
});

describe("QC-DX-003 external cause as principal: V01-Y98 inclusive", () => {
  for (const code of ["V01.x00", "Y98.x00"]) {
    it(`${code} is flagged`, () => expect(ruleIds(validMessage, 0, code)).toContain("QC-DX-003"));
  }
  for (const code of ["U85.x00", "Y99.000"]) {
    it(`${code} is not`, () => expect(ruleIds(validMessage, 0, code)).not.toContain("QC-DX-003"));
  }
});

describe("QC-DX-006 perinatal codes (P00-P96) up to 365 days of age", () => {
  // The valid message is admitted on 2024-03-04 (2024 is a leap year).
  const at = (brdy: string, code = "P07.100") => {
    const m = validMessage();
    m.input.setlinfo.brdy = brdy;
    m.input.diseinfo[1].diag_code = code;
    m.input.diseinfo[1].diag_name = "名称";
    return checkSettlementMessage(m, ctx()).findings.map((f) => f.ruleId);
  };
  it("364 and 365 days old pass, 366 days old is flagged", () => {
    expect(at("2023-03-06")).not.toContain("QC-DX-006"); // 364 days
    expect(at("2023-03-05")).not.toContain("QC-DX-006"); // 365 days
    expect(at("2023-03-04")).toContain("QC-DX-006"); // 366 days
  });
  it("both ends of the range apply, the categories outside do not", () => {
    expect(at("2023-03-04", "P00.000")).toContain("QC-DX-006");
    expect(at("2023-03-04", "P96.000")).toContain("QC-DX-006");
    expect(at("2023-03-04", "O99.000")).not.toContain("QC-DX-006");
    expect(at("2023-03-04", "Q00.000")).not.toContain("QC-DX-006");
  });
});
