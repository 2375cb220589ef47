/**
 * The pages that read the store's summary tables (QC findings by rule, the list total) answer exactly
 * what a count over the lists and findings themselves gives, also after re-uploads and refused uploads.
 */

import type { InjectOptions } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleDb } from "../src/schema.js";
import {
  type ConsoleTestServer,
  consoleTestServer,
  HOSPITALS,
  type Session,
  sampleList,
  signIn,
} from "./helpers.js";

let s: ConsoleTestServer;
let bureau: Session;
let hospital: Session;

beforeAll(async () => {
  s = await consoleTestServer(30);
  bureau = await signIn(s.app, "bureau");
  hospital = await signIn(s.app, "hospital");
  // Re-uploads: late ones (deadline finding, refused; the accepted version stays) and on-time ones.
  const post = (payload: InjectOptions["payload"]) =>
    s.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { cookie: bureau.cookie, "x-csrf-token": bureau.csrf },
      payload,
    });
  for (const r of [
    await post([sampleList(1, 0, "2020-01-10"), sampleList(2, 1, "2020-03-10"), sampleList(3, 2)]),
    await post([sampleList(4, 0, "2021-05-10"), sampleList(4, 0), sampleList(600, 1, "2020-02-10")]),
  ])
    expect(r.statusCode, r.body).toBe(200);
});

afterAll(async () => {
  await s?.close();
});

describe("pages from the store's summaries", () => {
  it("QC findings by rule equal a count over the findings of the lists in force", async () => {
    const db = consoleDb(s.store);
    for (const q of ["", `?hospital=${HOSPITALS[0].code}`, "?periodFrom=2020-01&periodTo=2020-02"]) {
      const res = await s.app.inject({
        url: `/api/v1/console/qc/rules${q}`,
        headers: { cookie: bureau.cookie },
      });
      expect(res.statusCode).toBe(200);
      const p = new URLSearchParams(q);
      const expected = await sql<Record<string, unknown>>`
        SELECT f.rule_id AS "ruleId", f.severity, min(f.message) AS message, count(*)::int8 AS findings,
          count(DISTINCT f.setl_id)::int8 AS lists, count(DISTINCT s.hospital_code)::int8 AS hospitals
        FROM qc_finding f JOIN settlement_list s ON s.setl_id = f.setl_id AND s.version = f.version
        WHERE (${p.get("hospital")}::text IS NULL OR s.hospital_code = ${p.get("hospital")})
          AND (${p.get("periodFrom")}::text IS NULL OR s.period >= ${p.get("periodFrom")})
          AND (${p.get("periodTo")}::text IS NULL OR s.period <= ${p.get("periodTo")})
        GROUP BY f.rule_id, f.severity ORDER BY count(*) DESC, f.rule_id, f.severity`.execute(db);
      expect((res.json() as { rows: unknown[] }).rows).toEqual(expected.rows);
      if (q === "") expect(expected.rows.length).toBeGreaterThan(0);
    }
  });

  it("the list total equals a count of the lists, for the bureau and a hospital", async () => {
    const db = consoleDb(s.store);
    const count = async (where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
      Number(
        (
          await where(base())
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const base = () => db.selectFrom("settlement_list");
    const cases: [string, string, number][] = [
      ["", bureau.cookie, await count((q) => q)],
      ["?status=refused", bureau.cookie, await count((q) => q.where("status", "=", "refused"))],
      [
        "?periodFrom=2020-01&periodTo=2021-12",
        bureau.cookie,
        await count((q) => q.where("period", "<=", "2021-12")),
      ],
      ["?groupStatus=OK", bureau.cookie, await count((q) => q.where("group_status", "=", "OK"))],
      [
        "?hasFindings=true",
        bureau.cookie,
        await count((q) => q.where(sql<boolean>`error_count + warning_count > 0`)),
      ],
      [
        "?hasFindings=false&drg=0000",
        bureau.cookie,
        await count((q) => q.where(sql<boolean>`error_count + warning_count = 0`).where("drg", "=", "0000")),
      ],
      [
        "?periodFrom=2025-02&periodTo=2025-02",
        bureau.cookie,
        await count((q) => q.where("period", "=", "2025-02")),
      ],
      ["?q=S1", bureau.cookie, await count((q) => q.where("setl_id", "like", "S1%"))],
      ["", hospital.cookie, await count((q) => q.where("hospital_code", "=", HOSPITALS[0].code))],
      [
        "?hasFindings=false",
        hospital.cookie,
        await count((q) =>
          q
            .where("hospital_code", "=", HOSPITALS[0].code)
            .where(sql<boolean>`error_count + warning_count = 0`),
        ),
      ],
    ];
    for (const [q, cookie, n] of cases) {
      const res = await s.app.inject({ url: `/api/v1/console/lists${q}`, headers: { cookie } });
      expect((res.json() as { total: number }).total, q).toBe(n);
      const api = await s.app.inject({ url: `/api/v1/settlement-lists${q}`, headers: { cookie } });
      if (!q.includes("hasFindings") && !q.includes("q="))
        expect((api.json() as { total: number }).total, q).toBe(n);
    }
    expect(cases[1]?.[2]).toBeGreaterThan(0);
    for (const [, , n] of cases.slice(5)) expect(n).toBeGreaterThan(0);
    // The rows are the newest uploads first, also for one month.
    const month = await s.app.inject({
      url: "/api/v1/console/lists?periodFrom=2025-02&periodTo=2025-02&limit=5",
      headers: { cookie: bureau.cookie },
    });
    const rows = (month.json() as { rows: { period: string; receivedAt: string; setlId: string }[] }).rows;
    expect(rows.length).toBe(5);
    expect(rows.every((r) => r.period === "2025-02")).toBe(true);
    const order = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      a.receivedAt !== b.receivedAt ? (a.receivedAt < b.receivedAt ? 1 : -1) : a.setlId < b.setlId ? -1 : 1;
    expect([...rows].sort(order)).toEqual(rows);
  });
});
