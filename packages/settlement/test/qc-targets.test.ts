import { describe, expect, it } from "vitest";
import { DEFAULT_QC_TARGETS, judgeQcTargets, type QcCounts, validateQcTargetSet } from "../src/index.js";

const counts = (over: Partial<QcCounts>): QcCounts => ({
  lists: 0,
  accepted: 0,
  refused: 0,
  refusedReuploads: 0,
  settledCount: null,
  grouped: 0,
  ambiguous: 0,
  ungrouped: 0,
  ...over,
});

const verdict = (c: Partial<QcCounts>, indicator: string) =>
  judgeQcTargets(counts(c), DEFAULT_QC_TARGETS).find((v) => v.indicator === indicator);

describe("QC targets (seed 001: upload rate ≥ 95%, 0000 share < 0.3%)", () => {
  it("the default edition holds the two targets of seed 001", () => {
    expect(DEFAULT_QC_TARGETS.targets.map((t) => [t.indicator, t.comparison, t.value])).toEqual([
      ["uploadRate", ">=", 950_000],
      ["ungroupedShare", "<", 3_000],
    ]);
  });

  it("upload rate: exactly 95% meets, one list fewer does not, one more does", () => {
    // 1 900 of 2 000 = 95.00%; 1 899 of 2 000 = 94.95%; 1 901 of 2 000 = 95.05%.
    expect(verdict({ lists: 1900, settledCount: 2000 }, "uploadRate")?.met).toBe(true);
    expect(verdict({ lists: 1899, settledCount: 2000 }, "uploadRate")?.met).toBe(false);
    expect(verdict({ lists: 1901, settledCount: 2000 }, "uploadRate")?.met).toBe(true);
    expect(verdict({ lists: 1899, settledCount: 2000 }, "uploadRate")?.message).toBe(
      "清单上传率 94.95%（1899/2000），目标不低于 95%：未达标",
    );
  });

  it("0000 share: exactly 0.3% is not under the target, one list fewer is", () => {
    // 3 of 1 000 accepted = 0.300% (not < 0.3%); 2 of 1 000 = 0.2%; 299 of 100 000 = 0.299%;
    // 301 of 100 000 = 0.301%.
    expect(verdict({ accepted: 1000, ungrouped: 3 }, "ungroupedShare")?.met).toBe(false);
    expect(verdict({ accepted: 1000, ungrouped: 2 }, "ungroupedShare")?.met).toBe(true);
    expect(verdict({ accepted: 100_000, ungrouped: 299 }, "ungroupedShare")?.met).toBe(true);
    expect(verdict({ accepted: 100_000, ungrouped: 301 }, "ungroupedShare")?.met).toBe(false);
  });

  it("judges on counts whose target share is not a whole number of lists", () => {
    // 0.3% of 333 333 lists is 999.999: 999 lists is under (0.2997%), 1 000 is over (0.30000030%).
    expect(verdict({ accepted: 333_333, ungrouped: 999 }, "ungroupedShare")?.met).toBe(true);
    expect(verdict({ accepted: 333_333, ungrouped: 1000 }, "ungroupedShare")?.met).toBe(false);
  });

  it("no data is no verdict: an unknown settled count, or no accepted list", () => {
    const up = verdict({ lists: 10 }, "uploadRate");
    expect(up?.met).toBeNull();
    expect(up?.message).toBe("清单上传率无数据（分母为未知），目标不低于 95%");
    expect(verdict({ lists: 2, refused: 2 }, "ungroupedShare")?.met).toBeNull();
  });

  it("an edition is refused with every problem named by its JSON path", () => {
    const r = validateQcTargetSet({
      id: "t",
      version: "1",
      effectiveDate: "2024-1-1",
      source: "s",
      targets: [
        { indicator: "uploadRate", comparison: ">=", value: "95" },
        { indicator: "cmi", comparison: ">=", value: "1" },
        { indicator: "ungroupedShare", comparison: "=", value: "0.3%" },
        { indicator: "uploadRate", comparison: ">=", value: "90%" },
      ],
    });
    expect(r.set).toBeUndefined();
    expect(r.problems).toEqual([
      "质控目标.effectiveDate：应为 yyyy-MM-dd 日期",
      "质控目标.targets[0].value：应在 0 与 100% 之间",
      expect.stringMatching(/^质控目标\.targets\[1\]\.indicator：应为 uploadRate、/),
      "质控目标.targets[2].comparison：应为 >=、>、<= 或 < 之一",
      "质控目标.targets[3]：同一指标与比较方式重复",
    ]);
    expect(validateQcTargetSet([]).problems).toEqual(["质控目标：根节点应为对象"]);
    expect(
      validateQcTargetSet({ id: "t", version: "1", effectiveDate: "2024-01-01", source: "s", targets: [] })
        .problems,
    ).toEqual(["质控目标.targets：应为非空数组"]);
  });
});
