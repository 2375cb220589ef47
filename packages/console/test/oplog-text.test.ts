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

  it("says a history import (issue 12): that it was one, how many lists, where their upload times came from", () => {
    expect(
      describeDetail({
        historyImport: true,
        lists: 3,
        uploadTimeSources: { file: 1, stated: 2 },
        statedUploadedAt: "2025-03-14",
        committed: 3,
      }),
    ).toBe(
      "历史清单导入：是；清单数：3；原始上传时间来源：（文件中的上传时间：1；指定的上传日期：2）；指定的上传日期：2025-03-14；已保存：3",
    );
  });

  it("says a QC appeal and its decision in Chinese (issue 15)", () => {
    expect(describeDetail({ appealId: 7, setlId: "S1", seq: 0, ruleId: "QC-TIME-001" })).toBe(
      "申诉编号：7；结算清单：S1；质控结果序号：0；规则编号：QC-TIME-001",
    );
    expect(describeDetail({ appealId: 7, decision: "accepted", setlId: "S1" })).toBe(
      "申诉编号：7；决定：申诉成立；结算清单：S1",
    );
    expect(describeDetail({ decision: "rejected" })).toBe("决定：申诉驳回");
  });
});
