/** The drill-down by department names each department (科室名称), not only its code (issue 15). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleTestServer, consoleTestServer, HOSPITALS, type Session, signIn } from "./helpers.js";

let s: ConsoleTestServer;
let bureau: Session;
beforeAll(async () => {
  s = await consoleTestServer(6);
  bureau = await signIn(s.app, "bureau");
});
afterAll(async () => {
  await s?.close();
});

describe("drill-down by department", () => {
  it("labels each department code with its name from the 科别 code table", async () => {
    const r = await s.app.inject({
      url: `/api/v1/console/breakdown?hospital=${HOSPITALS[0].code}&dim=dept`,
      headers: { cookie: bureau.cookie },
    });
    expect(r.statusCode, r.body).toBe(200);
    const rows = (r.json() as { rows: { key: string; label: string }[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
    // The sample lists use 外科 (A04) and 呼吸内科专业 (A03.01), among others (national 科别 table).
    const byKey = new Map(rows.map((x) => [x.key, x.label]));
    expect(byKey.get("A04")).toBe("外科");
    expect(byKey.get("A03.01")).toBe("呼吸内科专业");
    for (const x of rows) expect(x.label, x.key).not.toBe(x.key);
  });
});
