/** The operation log's detail as people read it (issue 15): Chinese labels, 元 from fen, before → after. */
import { describe, expect, it } from "vitest";
import { describeDetail } from "../src/oplog-text.js";

describe("describeDetail", () => {
  it("says a deduction's finding, state and amount in Chinese", () => {
    expect(
      describeDetail({
        findingId: "DRG-01:S1",
        status: { before: "upheld", after: "deducted" },
        deductionFen: { before: 12_345, after: 12_345 },
      }),
    ).toBe("审核发现：DRG-01:S1；状态：复核维持 → 已清算扣款；扣款(元)：123.45 → 123.45");
  });

  it("shows nothing recorded as —, lists and nested figures in parentheses", () => {
    expect(describeDetail({})).toBe("—");
    expect(describeDetail(null)).toBe("—");
    expect(
      describeDetail({
        setlIds: ["A", "B"],
        hospitals: [{ hospitalCode: "H1", before: null, after: { balanceDueFen: -100 } }],
      }),
    ).toBe("结算清单：A、B；变动医院：（医院：H1；原：—；现：（清算应补/应退(元)：-1.00））");
  });
});
