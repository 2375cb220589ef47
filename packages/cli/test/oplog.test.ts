/**
 * The operation log of the money-changing workflows (issue 15): 核准特病单议, 审核扣款 and 年终清算
 * record the object (ids), the amount in fen and every change before and after, never `{}`; the log's
 * API names roles in Chinese and shows paths decoded.
 */
import { randomBytes } from "node:crypto";
import { consoleDb } from "@yibao/console";
import type { YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoPlatform, openDemoPlatform, signIn as signInAs } from "./demo-platform.js";
import { englishWords } from "./english-words.js";

const YEAR = 2025;
let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;

type Headers = Record<string, string>;
async function signIn(username: string): Promise<Headers> {
  const s = await signInAs(app, username);
  return { cookie: s.cookie, "x-csrf-token": s.csrf };
}

interface LogRow {
  action: string;
  detailText: string;
  role: string;
  roleName: string;
  target: string;
  detail: Record<string, unknown>;
  status_code: number;
}
async function lastLog(headers: Headers, action: string): Promise<LogRow> {
  const res = await app.inject({ method: "GET", url: "/api/v1/console/oplog?limit=200", headers });
  expect(res.statusCode).toBe(200);
  const row = (res.json() as { rows: LogRow[] }).rows.find((r) => r.action === action);
  if (!row) throw new Error(`操作日志中没有「${action}」`);
  return row;
}

beforeAll(async () => {
  process.env.YIBAO_MASTER_KEY ??= randomBytes(32).toString("base64");
  platform = await openDemoPlatform({
    region: {
      stays: 500,
      seed: 7,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
      injectRate: 0.1,
    },
    cube: false,
  });
  ({ store, app } = platform);
}, 240_000);

afterAll(async () => {
  await platform?.close();
});

describe("operation log of the money-changing workflows", () => {
  it("审核扣款 records the finding, its stays and hospital, the amount and the state before and after", async () => {
    const db = consoleDb(store);
    const own = await db
      .selectFrom("console_user")
      .select("hospital_code")
      .where("username", "=", "hospital")
      .executeTakeFirst();
    const f = await sql<{ finding_id: string; hospital_code: string; setl_ids: string[] }>`SELECT finding_id,
        hospital_code, setl_ids FROM audit_finding
      WHERE status = 'open' AND deduction_fen > 0 AND hospital_code = ${own?.hospital_code}
      ORDER BY finding_id LIMIT 1`.execute(db);
    const finding = f.rows[0];
    expect(finding, "演示数据中应有本院待处理的审核发现").toBeTruthy();
    const id = finding?.finding_id as string;
    const appealed = await app.inject({
      method: "POST",
      url: `/api/v1/audit/findings/${encodeURIComponent(id)}/appeal`,
      headers: await signIn("hospital"),
      payload: { statement: "诊断依据充分" },
    });
    expect(appealed.statusCode, appealed.body).toBe(200);
    const reviewer = await signIn("reviewer");
    const decided = await app.inject({
      method: "POST",
      url: `/api/v1/audit/findings/${encodeURIComponent(id)}/decision`,
      headers: reviewer,
      payload: { decision: "upheld", reason: "病案与收费不符", deductionFen: 12_345 },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const bureau = await signIn("bureau");
    const decision = await lastLog(bureau, "审核复核决定");
    expect(decision.detail).toMatchObject({
      findingId: id,
      status: { before: "appealed", after: "upheld" },
      deductionFen: { after: 12_345 },
    });
    expect(decision.roleName).toBe("审核员");

    const deducted = await app.inject({
      method: "POST",
      url: `/api/v1/audit/findings/${encodeURIComponent(id)}/deduct`,
      headers: bureau,
    });
    expect(deducted.statusCode, deducted.body).toBe(200);
    const log = await lastLog(bureau, "审核扣款");
    expect(log.detail).toEqual({
      findingId: id,
      setlIds: finding?.setl_ids,
      hospitalCode: finding?.hospital_code,
      period: expect.stringMatching(/^2025-\d\d$/),
      status: { before: "upheld", after: "deducted" },
      deductionFen: { before: 12_345, after: 12_345 },
      clearingId: `${YEAR}年终清算`,
    });
    expect(log.roleName).toBe("医保局");
    expect(log.status_code).toBe(200);
    // (jsonb keeps the keys in an order of its own)
    expect(log.detailText).toContain("状态：复核维持 → 已清算扣款");
    expect(log.detailText).toContain("扣款(元)：123.45 → 123.45");
  });

  it("核准特病单议 records the stay, the amount and its settlement before and after", async () => {
    const db = consoleDb(store);
    const s = await sql<{
      setl_id: string;
      hospital_code: string;
      special_review_fen: number;
      fund_payment_fen: number;
    }>`SELECT setl_id, hospital_code, special_review_fen::int AS special_review_fen,
        fund_payment_fen::int AS fund_payment_fen
      FROM stay_settlement ORDER BY setl_id LIMIT 1`.execute(db);
    const stay = s.rows[0];
    expect(stay).toBeTruthy();
    const reviewer = await signIn("reviewer");
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/payment/special-cases",
      headers: reviewer,
      payload: { setlId: stay?.setl_id, amount: "500.00", reason: "罕见病专家会诊" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const now = await sql<{ special_review_fen: number; fund_payment_fen: number }>`SELECT
        special_review_fen::int AS special_review_fen, fund_payment_fen::int AS fund_payment_fen
      FROM stay_settlement WHERE setl_id = ${stay?.setl_id}`.execute(db);
    const log = await lastLog(await signIn("bureau"), "核准特病单议");
    expect(log.detail).toMatchObject({
      setlId: stay?.setl_id,
      hospitalCode: stay?.hospital_code,
      amountFen: 50_000,
      reason: "罕见病专家会诊",
      before: { specialReviewFen: stay?.special_review_fen, fundPaymentFen: stay?.fund_payment_fen },
      after: {
        specialReviewFen: now.rows[0]?.special_review_fen,
        fundPaymentFen: now.rows[0]?.fund_payment_fen,
      },
    });
    expect(log.roleName).toBe("审核员");
  });

  it("特病单议申请 and its decision record the application, the criterion and figure in Chinese, the payment before and after", async () => {
    const db = consoleDb(store);
    const s = await sql<{ setl_id: string; hospital_code: string; fund_payment_fen: number }>`SELECT
        s.setl_id, s.hospital_code, s.fund_payment_fen::int AS fund_payment_fen
      FROM stay_settlement s JOIN console_user u ON u.hospital_code = s.hospital_code AND u.username = 'hospital'
      WHERE s.outlier = 'high' AND NOT EXISTS (SELECT 1 FROM special_case_approval a WHERE a.setl_id = s.setl_id)
      ORDER BY s.setl_id LIMIT 1`.execute(db);
    const stay = s.rows[0];
    expect(stay, "本院应有高倍率病例").toBeTruthy();
    const applied = await app.inject({
      method: "POST",
      url: "/api/v1/payment/special-case-applications",
      headers: await signIn("hospital"),
      payload: { setlId: stay?.setl_id, criterion: "highCost", reason: "多器官功能衰竭，费用远超标准" },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const id = (applied.json() as { id: number }).id;
    const bureau = await signIn("bureau");
    const a = await lastLog(bureau, "申请特病单议");
    expect(a.detail).toMatchObject({
      applicationId: id,
      setlId: stay?.setl_id,
      criterion: "费用超过病组支付标准倍数",
      reason: "多器官功能衰竭，费用远超标准",
    });
    expect(String(a.detail.figure)).toContain("达到病组支付标准");
    expect(a.roleName).toBe("医院");
    expect(englishWords(a.detailText), a.detailText).toEqual([]);

    const decided = await app.inject({
      method: "POST",
      url: `/api/v1/payment/special-case-applications/${id}/decision`,
      headers: await signIn("reviewer"),
      payload: { decision: "approved", amount: "800.00", reason: "专家组评审同意" },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const d = await lastLog(bureau, "审核特病单议申请");
    // 800.00 元 approved: the fund pays 80,000 fen more.
    expect(d.detail).toMatchObject({
      applicationId: id,
      setlId: stay?.setl_id,
      hospitalCode: stay?.hospital_code,
      decision: "核准",
      amountFen: 80_000,
      before: { fundPaymentFen: stay?.fund_payment_fen },
      after: { fundPaymentFen: Number(stay?.fund_payment_fen) + 80_000 },
    });
    expect(d.detailText).toContain("决定：核准");
    expect(englishWords(d.detailText), d.detailText).toEqual([]);
  });

  it("年终清算 records the budget, point value and each hospital's figures before and after", async () => {
    const bureau = await signIn("bureau");
    const first = await app.inject({
      method: "POST",
      url: "/api/v1/payment/clearing",
      headers: bureau,
      payload: { year: YEAR, budget: "3000000.00" },
    });
    expect(first.statusCode, first.body).toBe(201);
    const a = await lastLog(bureau, "年终清算");
    const hospitals = (first.json() as { hospitals: { hospitalId: string; balanceDue: number }[] }).hospitals;
    expect(a.detail).toMatchObject({
      year: YEAR,
      budgetFen: { before: null, after: 300_000_000 },
      pointValueYuan: { before: null },
    });
    // First clearing of the year: every hospital is new, with no figures before.
    const firstRows = a.detail.hospitals as {
      hospitalCode: string;
      before: unknown;
      after: { balanceDueFen: number };
    }[];
    expect(firstRows.map((h) => h.hospitalCode)).toEqual(hospitals.map((h) => h.hospitalId).sort());
    expect(firstRows.every((h) => h.before === null)).toBe(true);
    expect(firstRows.map((h) => h.after.balanceDueFen)).toEqual(
      [...hospitals].sort((x, y) => (x.hospitalId < y.hospitalId ? -1 : 1)).map((h) => h.balanceDue),
    );

    const second = await app.inject({
      method: "POST",
      url: "/api/v1/payment/clearing",
      headers: bureau,
      payload: { year: YEAR, budget: "3100000.00" },
    });
    expect(second.statusCode, second.body).toBe(201);
    const b = await lastLog(bureau, "年终清算");
    expect(b.detail).toMatchObject({
      budgetFen: { before: 300_000_000, after: 310_000_000 },
      pointValueYuan: {
        before: (first.json() as { pointValueYuan: string }).pointValueYuan,
        after: (second.json() as { pointValueYuan: string }).pointValueYuan,
      },
    });
    const changed = b.detail.hospitals as { before: { settledFen: number }; after: { settledFen: number } }[];
    expect(changed.length).toBeGreaterThan(0);
    for (const h of changed) expect(h.before).not.toBeNull();
  });

  it("shows roles in Chinese and paths decoded in the log", async () => {
    const bureau = await signIn("bureau");
    const path = `/api/v1/console/lists?q=${encodeURIComponent("医院")}&limit=5`;
    const columns = JSON.stringify([{ key: "setl_id", title: "结算ID" }]);
    const res = await app.inject({
      method: "GET",
      url: `/api/v1/console/export?path=${encodeURIComponent(path)}&columns=${encodeURIComponent(columns)}`,
      headers: bureau,
    });
    const rows = (
      await app.inject({ method: "GET", url: "/api/v1/console/oplog?limit=500", headers: bureau })
    ).json().rows as LogRow[];
    for (const r of rows) {
      expect(r.target, r.target).not.toMatch(/%[0-9A-F]{2}/i);
      if (r.role) expect(["医保局", "医院", "审核员", "管理员"]).toContain(r.roleName);
    }
    expect(res.statusCode, res.body).toBe(200);
    expect(rows.some((r) => r.target.includes("q=医院"))).toBe(true);
  });
});
