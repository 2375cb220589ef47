/**
 * 逾期处理 over the store (issue 13, item 5): open 可疑 findings whose 10 working days have passed are
 * decided by the starter rule base (维持), by the system, in the trail; 明确违规, appealed findings and
 * findings still within their time wait. Opened on Friday 2026-12-04 (Shanghai): the last day is
 * Friday 2026-12-18, so 18 December leaves them open and 19 December 00:30 Shanghai (18 December
 * 16:30 UTC) decides them.
 */

import { paymentMigrations } from "@yibao/payment-service/migrations";
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, withHeaders } from "../../server/test/helpers.js";
import { auditPeriod } from "../src/jobs.js";
import { auditMigrations } from "../src/migrations.js";
import { readFindings } from "../src/queries.js";
import { dbOf } from "../src/read.js";
import { auditPlugin } from "../src/routes.js";
import { actOnFinding, getCase, lapseOverdueFindings } from "../src/workflow.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;
let app: YibaoApp;

beforeAll(async () => {
  store = await openStore({
    memory: true,
    migrations: [...identityMigrations, ...paymentMigrations, ...auditMigrations],
  });
  const scheme = await demoScheme();
  await fillRegion(store, scheme);
  await auditPeriod({ store, scheme, period: "2023" });
  await sql`UPDATE audit_finding SET created_at = '2026-12-04T02:00:00Z'`.execute(dbOf(store));
  app = await buildServer({ store, scheme, plugins: [auditPlugin()] });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await store?.close();
});

async function counts() {
  const r = await sql<{
    outcome: string;
    status: string;
    n: number;
  }>`SELECT outcome, status, count(*)::int AS n
    FROM audit_finding GROUP BY outcome, status ORDER BY outcome, status`.execute(dbOf(store));
  return r.rows.map((x) => `${x.outcome}|${x.status}|${x.n}`);
}

describe("逾期处理", () => {
  it("decides the unanswered 可疑 findings the day after the 10th working day, and nothing else", async () => {
    const open = await sql<{ finding_id: string; hospital_code: string }>`SELECT finding_id, hospital_code
      FROM audit_finding WHERE status = 'open' AND outcome = '可疑' ORDER BY finding_id`.execute(dbOf(store));
    expect(open.rows.length).toBeGreaterThan(2);
    // The list shows each open 可疑 finding's last day; a 明确违规 one has none.
    const listed = await readFindings(store, { status: "open", limit: 1000 });
    const deadlines = new Set(listed.items.map((i) => `${i.outcome}|${i.responseDeadline}`));
    expect([...deadlines].sort()).toEqual(
      listed.items.some((i) => i.outcome === "明确违规")
        ? ["可疑|2026-12-18", "明确违规|null"]
        : ["可疑|2026-12-18"],
    );
    const appealed = open.rows[0] as { finding_id: string; hospital_code: string };
    await actOnFinding(
      store,
      appealed.finding_id,
      { type: "appeal", statement: "病情变化再次入院", evidence: [] },
      { user: "h", role: "hospital", hospitalCode: appealed.hospital_code },
      new Date("2026-12-10T02:00:00Z"),
    );
    const before = await counts();
    const onTheDay = await lapseOverdueFindings({ store, now: new Date("2026-12-18T15:59:00Z") });
    expect(onTheDay.lapsed).toHaveLength(0);
    expect(await counts()).toEqual(before);

    const after = await lapseOverdueFindings({ store, now: new Date("2026-12-18T16:30:00Z") });
    expect(after.open).toBe(open.rows.length - 1);
    expect(after.lapsed.map((l) => l.findingId)).toEqual(open.rows.slice(1).map((r) => r.finding_id));
    expect(new Set(after.lapsed.map((l) => `${l.deadline}|${l.outcome}`))).toEqual(
      new Set(["2026-12-18|upheld"]),
    );
    const c = await getCase(store, open.rows[1]?.finding_id as string);
    expect(c?.finding.status).toBe("upheld");
    expect(c?.events.at(-1)).toMatchObject({ action: "lapse", role: "system", from: "open", to: "upheld" });
    expect((await getCase(store, appealed.finding_id))?.finding.status).toBe("appealed");
    // 明确违规 findings are not explained: they keep their state.
    const clearBefore = before.filter((x) => x.startsWith("明确违规"));
    expect((await counts()).filter((x) => x.startsWith("明确违规"))).toEqual(clearBefore);
    // A second run finds nothing more to do.
    expect(
      (await lapseOverdueFindings({ store, now: new Date("2026-12-20T00:00:00Z") })).lapsed,
    ).toHaveLength(0);
  });

  it("the API runs it for the bureau only", async () => {
    const bureau = withHeaders(app, await signIn(app, store, "bureau"));
    const hospital = withHeaders(app, await signIn(app, store, "hospital", "H21010200001"));
    const url = "/api/v1/audit/findings/lapse-overdue";
    expect((await hospital.inject({ method: "POST", url })).statusCode).toBe(403);
    const r = await bureau.inject({ method: "POST", url });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().lapsed).toEqual([]);
  });
});
