/**
 * The region's QC target editions reach the QC indicators API: the edition in force at the end of the
 * range asked for judges it (issue 12).
 */
import { DEFAULT_QC_RULES, validateQcTargetSet } from "@yibao/settlement";
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

describe("GET /api/v1/qc/editions: the region's QC editions, the one in force today marked", () => {
  let s: TestServer;
  const base = { ...DEFAULT_QC_RULES, id: "test-region-qc" };
  // Past, current and future editions; today lies between the second and the third.
  const past = {
    ...base,
    version: "P",
    effectiveDate: "2020-01-01",
    rules: DEFAULT_QC_RULES.rules.slice(0, 3),
  };
  const current = {
    ...base,
    version: "C",
    effectiveDate: "2024-01-01",
    rules: DEFAULT_QC_RULES.rules.slice(0, 5),
  };
  const future = { ...base, version: "F", effectiveDate: "2999-01-01" };
  beforeAll(async () => {
    s = await testServer("pglite", { qc: { rules: [future, past, current] } });
  });
  afterAll(async () => s?.close());

  it("lists every edition by date, marks today's, and gives its rules", async () => {
    const r = await s.app.inject({ method: "GET", url: "/api/v1/qc/editions" });
    expect(r.statusCode).toBe(200);
    const body = r.json() as {
      today: string;
      rules: { version: string; size: number; inForce: boolean }[];
      targets: { id: string; inForce: boolean }[];
      rulesInForce: { id: string }[];
    };
    expect(body.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.rules.map((e) => [e.version, e.size, e.inForce])).toEqual([
      ["P", 3, false],
      ["C", 5, true],
      ["F", DEFAULT_QC_RULES.rules.length, false],
    ]);
    expect(body.rulesInForce.map((x) => x.id)).toEqual(DEFAULT_QC_RULES.rules.slice(0, 5).map((x) => x.id));
    // No region targets: the built-in edition, in force.
    expect(body.targets).toHaveLength(1);
    expect(body.targets[0]?.inForce).toBe(true);
  });

  it("answers no caller who has not signed in", async () => {
    const r = await s.raw.inject({ method: "GET", url: "/api/v1/qc/editions" });
    expect(r.statusCode).toBe(401);
  });
});
