/** 清单上传率: the one definition (issue 12) — received (accepted or refused) ÷ expected, null when undefined. */
import { describe, expect, it } from "vitest";
import { UPLOAD_RATE, uploadRate } from "../src/rates.js";

describe("uploadRate", () => {
  it("is lists received over lists expected, refused lists included", () => {
    // 5 settlements, 5 lists arrived of which 1 refused by QC: the upload rate is 1, the QC pass rate 4/5.
    expect(uploadRate(5, 5)).toBe(1);
    expect(uploadRate(3, 4)).toBe(0.75);
    expect(uploadRate(0, 2)).toBe(0);
  });
  it("is null when the expected count is unknown or zero, never NaN or Infinity", () => {
    expect(uploadRate(3, null)).toBeNull();
    expect(uploadRate(0, 0)).toBeNull();
    expect(uploadRate(3, 0)).toBeNull();
  });
  it("names itself and its formula once", () => {
    expect(UPLOAD_RATE).toEqual({
      id: "uploadRate",
      name: "清单上传率",
      formula: "收到的结算清单数（含质控未通过的）÷ 应上传清单数（应有结算清单的住院结算数）",
    });
  });
});
