/**
 * The region's QC target editions reach the QC indicators API: the edition in force at the end of the
 * range asked for judges it (issue 12).
 */
import { validateQcTargetSet } from "@yibao/settlement";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, testServer } from "./helpers.js";

function edition(version: string, effectiveDate: string, share: string) {
  const v = validateQcTargetSet({
    id: "test-region-targets",
    version,
    effectiveDate,
    source: "测试地区",
    targets: [{ indicator: "ungroupedShare", comparison: "<", value: share }],
  });
  if (!v.set) throw new Error(v.problems.join("；"));
  return v.set;
}

let t: TestServer;
beforeAll(async () => {
  t = await testServer("pglite", {
    qc: { targets: [edition("2024", "2024-01-01", "1%"), edition("2025", "2025-07-01", "0.5%")] },
  });
});
afterAll(async () => t?.close());

describe("QC targets of the region, by date", () => {
  it("a range ending before the switch is judged by the earlier edition, one ending on or after it by the later", async () => {
    const version = async (q: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/qc/indicators?${q}` })).json().targets as {
        version: string;
        total: { target: string }[];
      };
    expect(await version("periodFrom=2025-01&periodTo=2025-06")).toMatchObject({
      version: "2024",
      total: [{ target: "1%" }],
    });
    expect(await version("period=2025-07")).toMatchObject({ version: "2025", total: [{ target: "0.5%" }] });
    // Open-ended: today's edition.
    expect((await version("hospital=H1")).version).toBe("2025");
  });
});
