/**
 * Access with VALID bodies (issue 16): every POST route a hospital account may call is sent a body
 * that passes the route's schema, pointed at another hospital's data, by every role. The status each
 * role must get is asserted exactly, and no response — whatever its status — carries the other
 * hospital's data that the request did not itself contain. The bodies are checked against the
 * routes' schemas: the bureau/admin answers prove they pass validation (no 400).
 */

import { consoleDb } from "@yibao/console";
import { sampleSettlementMessage, servedRoutes, type YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoPlatform, openDemoPlatform, signIn as signInAs } from "./demo-platform.js";

const ROLES = ["hospital", "reviewer", "bureau", "admin"] as const;
type RoleName = (typeof ROLES)[number];
const YEAR = 2025;

let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;
let other: string;
let otherName: string;
let otherSetl: string;
let otherFinding: string;
let otherQc: { setl_id: string; seq: number };
let otherApplication: number;
let otherExclusion: number;
const sessions = new Map<RoleName, { cookie: string; csrf: string }>();

const signIn = (username: string) => signInAs(platform.app, username);

/** A 4101 envelope of the other hospital (its code and name), not stored. */
function otherEnvelope(n: number): Record<string, unknown> {
  return sampleSettlementMessage(n, {
    prefix: "XA",
    hospitalCode: other,
    hospitalName: otherName,
    today: `${YEAR + 1}-01-10`,
  });
}

interface Case {
  readonly route: string;
  readonly url: () => string;
  readonly body: () => unknown;
  readonly status: Readonly<Record<RoleName, number>>;
}

/** Every hospital-callable POST route, with a valid body aimed at the other hospital's data. */
const CASES: Case[] = [
  {
    route: "POST /api/v1/audit/precheck",
    url: () => "/api/v1/audit/precheck",
    body: () => ({ message: otherEnvelope(1) }),
    status: { hospital: 403, reviewer: 403, bureau: 200, admin: 200 },
  },
  {
    route: "POST /api/v1/audit/findings/:id/appeal",
    url: () => `/api/v1/audit/findings/${encodeURIComponent(otherFinding)}/appeal`,
    body: () => ({ statement: "该病例有病历支持，申请复核" }),
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/audit/findings/:id/accept",
    url: () => `/api/v1/audit/findings/${encodeURIComponent(otherFinding)}/accept`,
    body: () => undefined,
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/console/appeals",
    url: () => "/api/v1/console/appeals",
    body: () => ({ setlId: otherQc.setl_id, seq: otherQc.seq, reason: "该诊断有病历支持" }),
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/console/what-if",
    url: () => "/api/v1/console/what-if",
    body: () => otherEnvelope(2),
    status: { hospital: 403, reviewer: 200, bureau: 200, admin: 200 },
  },
  {
    route: "POST /api/v1/payment/special-case-applications",
    url: () => "/api/v1/payment/special-case-applications",
    body: () => ({ setlId: otherSetl, criterion: "highCost", reason: "费用远超病组支付标准，申请特病单议" }),
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/payment/special-case-applications/:id/withdraw",
    url: () => `/api/v1/payment/special-case-applications/${otherApplication}/withdraw`,
    body: () => undefined,
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/payment/new-tech-exclusions",
    url: () => "/api/v1/payment/new-tech-exclusions",
    body: () => ({ setlId: otherSetl, reason: "应用新技术，费用极高，申请新技术除外" }),
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/payment/new-tech-exclusions/:id/withdraw",
    url: () => `/api/v1/payment/new-tech-exclusions/${otherExclusion}/withdraw`,
    body: () => undefined,
    status: { hospital: 404, reviewer: 403, bureau: 403, admin: 403 },
  },
  {
    route: "POST /api/v1/settlement-lists",
    url: () => "/api/v1/settlement-lists",
    body: () => [otherEnvelope(3)],
    status: { hospital: 403, reviewer: 403, bureau: 200, admin: 200 },
  },
];

beforeAll(async () => {
  platform = await openDemoPlatform({
    region: {
      stays: 1200,
      seed: 7,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
      injectRate: 0.08,
    },
    console: { refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  ({ store, app } = platform);
  const db = consoleDb(store);
  const accounts = await db.selectFrom("console_user").select(["username", "hospital_code"]).execute();
  other = accounts.find((a) => a.username === "hospital2")?.hospital_code as string;
  const o = await sql<{ setl_id: string; hospital_name: string }>`SELECT setl_id, hospital_name
    FROM settlement_list WHERE hospital_code = ${other} ORDER BY setl_id LIMIT 1`.execute(db);
  otherSetl = o.rows[0]?.setl_id as string;
  otherName = o.rows[0]?.hospital_name as string;
  const f = await sql<{ finding_id: string }>`SELECT finding_id FROM audit_finding
    WHERE hospital_code = ${other} ORDER BY finding_id LIMIT 1`.execute(db);
  otherFinding = f.rows[0]?.finding_id as string;
  const q = await sql<{ setl_id: string; seq: number }>`SELECT f.setl_id, f.seq FROM qc_finding f
    JOIN settlement_list l ON l.setl_id = f.setl_id AND l.version = f.version
    WHERE l.hospital_code = ${other} ORDER BY f.setl_id, f.seq LIMIT 1`.execute(db);
  otherQc = q.rows[0] as { setl_id: string; seq: number };
  if (otherQc === undefined) {
    // The demo gave the other hospital no QC finding: it uploads one late (a deadline finding) itself.
    const h2 = await signIn("hospital2");
    const late = sampleSettlementMessage(500, {
      prefix: "XL",
      hospitalCode: other,
      hospitalName: otherName,
      today: "2020-01-10",
    });
    const up = await app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { cookie: h2.cookie, "x-csrf-token": h2.csrf },
      payload: [late],
    });
    expect(up.statusCode, up.body).toBe(200);
    const q2 = await sql<{ setl_id: string; seq: number }>`SELECT f.setl_id, f.seq FROM qc_finding f
      JOIN settlement_list l ON l.setl_id = f.setl_id AND l.version = f.version
      WHERE l.hospital_code = ${other} ORDER BY f.setl_id, f.seq LIMIT 1`.execute(db);
    otherQc = q2.rows[0] as { setl_id: string; seq: number };
  }
  // The other hospital's pending 特病单议 application (written as the service would store it).
  const a = await sql<{ id: number }>`INSERT INTO special_case_application (setl_id, hospital_code, period,
      criterion, reason, figures, policy_id, policy_version, submitted_by)
    VALUES (${otherSetl}, ${other}, ${`${YEAR}-06`}, 'highCost', '费用远超病组支付标准', '{}'::jsonb, 'demo-rate', '1',
      'hospital2') RETURNING id::int AS id`.execute(db);
  otherApplication = a.rows[0]?.id as number;
  // And its pending 新技术除外 application for another of its stays.
  const x = await sql<{
    id: number;
  }>`INSERT INTO special_case_application (kind, setl_id, hospital_code, period,
      criterion, reason, figures, policy_id, policy_version, submitted_by)
    SELECT 'newTechExclusion', setl_id, hospital_code, ${`${YEAR}-06`}, 'newTech', '应用新技术', '{}'::jsonb,
      'demo-rate', '1', 'hospital2'
    FROM settlement_list WHERE hospital_code = ${other} AND setl_id <> ${otherSetl} ORDER BY setl_id LIMIT 1
    RETURNING id::int AS id`.execute(db);
  otherExclusion = x.rows[0]?.id as number;
  expect(otherFinding, "演示数据中应有第二家医院的审核发现").toBeTruthy();
  expect(otherQc, "应有第二家医院的质控结果").toBeTruthy();
  for (const role of ROLES) sessions.set(role, await signIn(role));
}, 300_000);

afterAll(async () => {
  await platform?.close();
});

describe("hospital-scoped POST routes with valid bodies aimed at another hospital", () => {
  it("covers every POST route open to the hospital role", () => {
    const open = servedRoutes(app)
      .filter(
        (r) => r.method === "POST" && r.access.roles !== "public" && r.access.roles.includes("hospital"),
      )
      .filter((r) => !r.url.startsWith("/api/v1/auth/"))
      .map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(CASES.map((c) => c.route).sort());
  });

  for (const c of CASES) {
    it(`${c.route}: the status of each role, and no foreign data in any answer`, async () => {
      const before = await sql<{ n: number }>`SELECT
          (SELECT count(*) FROM audit_case_event)::int + (SELECT count(*) FROM console_appeal)::int
          + (SELECT count(*) FROM special_case_application WHERE status = 'pending')::int AS n`.execute(
        consoleDb(store),
      );
      for (const role of ROLES) {
        const s = sessions.get(role) as { cookie: string; csrf: string };
        const body = c.body();
        const res = await app.inject({
          method: "POST",
          url: c.url(),
          headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        expect(res.statusCode, `${role} ${c.route}: ${res.body.slice(0, 300)}`).toBe(c.status[role]);
        if (role === "hospital" || res.statusCode >= 400) {
          const sent = `${decodeURIComponent(c.url())} ${JSON.stringify(body ?? null)}`;
          for (const foreign of [other, otherName, otherSetl, otherFinding, otherQc.setl_id]) {
            if (sent.includes(foreign)) continue; // echoing what the caller sent is no leak
            expect(res.body.includes(foreign), `${role} ${c.route} 泄露了 ${foreign}`).toBe(false);
          }
        }
      }
      const after = await sql<{ n: number }>`SELECT
          (SELECT count(*) FROM audit_case_event)::int + (SELECT count(*) FROM console_appeal)::int
          + (SELECT count(*) FROM special_case_application WHERE status = 'pending')::int AS n`.execute(
        consoleDb(store),
      );
      expect(after.rows[0]?.n, "越权请求不得改变申诉与审核数据").toBe(before.rows[0]?.n);
    });
  }
});
