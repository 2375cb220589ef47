/**
 * The whole platform as `yibao serve --demo` runs it (console, payment and audit on one server),
 * on in-memory PGlite with a small synthetic demo region that has been settled and audited:
 * 1. access: every /api route of every area, tried by a hospital account against another hospital's
 *    data, never returns that data and never changes it;
 * 2. end to end in Debian's Chromium: the hospital appeals an audit finding with evidence, the reviewer
 *    upholds it, the bureau records the deduction (it shows in the console's indicators with the
 *    settled surplus) and clears the year (the deduction is in the hospital's statement), the reviewer
 *    approves a special case; screenshots go to
 *    test-artifacts/platform/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { consoleDb, refreshCube } from "@yibao/console";
import { servedRoutes, type YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "../../console/test/browser.js";
import { PLATFORM_SOURCES } from "../src/platform.js";
import { DEMO_PASSWORDS, type DemoPlatform, openDemoPlatform, signIn as signInAs } from "./demo-platform.js";

const REPO = resolve(import.meta.dirname, "../../..");
const webDist = resolve(REPO, "packages/web/dist");
const artifacts = resolve(REPO, "test-artifacts/platform");
const YEAR = 2025;

let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;
let own: string;
let other: string;
let otherName: string;
let otherSetl: string;
let otherFinding: string;

const signIn = (username: string) => signInAs(platform.app, username);

/** Every route (method, url) the application serves under /api. */
const apiRoutes = () => servedRoutes(app);

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
    console: { webDist, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  ({ store, app } = platform);
  expect(platform.region.accepted).toBeGreaterThan(1000);
  const db = consoleDb(store);
  const findings = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_finding`.execute(db);
  expect(findings.rows[0]?.n).toBeGreaterThan(20);
  const accounts = await db.selectFrom("console_user").select(["username", "hospital_code"]).execute();
  own = accounts.find((a) => a.username === "hospital")?.hospital_code as string;
  other = accounts.find((a) => a.username === "hospital2")?.hospital_code as string;
  const o = await sql<{ setl_id: string; hospital_name: string }>`SELECT setl_id, hospital_name
    FROM settlement_list WHERE hospital_code = ${other} ORDER BY setl_id LIMIT 1`.execute(db);
  otherSetl = o.rows[0]?.setl_id as string;
  otherName = o.rows[0]?.hospital_name as string;
  const f = await sql<{ finding_id: string }>`SELECT finding_id FROM audit_finding
    WHERE hospital_code = ${other} ORDER BY finding_id LIMIT 1`.execute(db);
  otherFinding = f.rows[0]?.finding_id as string;
  expect(otherFinding, "演示数据中应有第二家医院的审核发现").toBeTruthy();
}, 240_000);

afterAll(async () => {
  await platform?.close();
});

describe("access on every route of the platform", () => {
  it("serves the console, payment and audit areas", () => {
    const urls = apiRoutes().map((r) => `${r.method} ${r.url}`);
    for (const u of [
      "GET /api/v1/payment/settlements",
      "GET /api/v1/payment/clearing/:year/prepaid",
      "GET /api/v1/payment/clearing/:year",
      "POST /api/v1/payment/special-cases",
      "GET /api/v1/audit/findings",
      "POST /api/v1/audit/findings/:id/appeal",
      "GET /api/v1/console/breakdown",
    ])
      expect(urls).toContain(u);
  });

  it("a hospital account never receives nor changes another hospital's data", async () => {
    const hospital = await signIn("hospital");
    const before = await sql<{ n: number }>`SELECT
        (SELECT count(*) FROM audit_case_event)::int + (SELECT count(*) FROM special_case_approval)::int
        + (SELECT count(*) FROM audit_deduction)::int + (SELECT count(*) FROM payment_run)::int AS n`.execute(
      consoleDb(store),
    );
    const tried: string[] = [];
    for (const r of apiRoutes()) {
      if (r.url.endsWith("/auth/logout")) continue;
      const base = r.url
        .replace(":setlId", otherSetl)
        .replace(":year", String(YEAR))
        .replace(":version", "1")
        .replace(":id", encodeURIComponent(r.url.includes("/audit/") ? otherFinding : "demo-rate"));
      const variants =
        r.method === "GET"
          ? [base, `${base}?hospital=${other}`, `${base}?hospital=${other}&by=dept`, `${base}?by=hospital`]
          : [base];
      for (const url of variants) {
        const res = await app.inject({
          method: r.method as "GET" | "POST",
          url,
          headers: { cookie: hospital.cookie, "x-csrf-token": hospital.csrf },
          ...(r.method === "GET"
            ? {}
            : {
                payload: {
                  setlId: otherSetl,
                  statement: "越权申诉",
                  reason: "越权",
                  decision: "upheld",
                  year: YEAR,
                  budget: "1000.00",
                  period: `${YEAR}-01`,
                  items: [{ hospital: other, year: YEAR, amount: "1.00", reason: "越权" }],
                },
              }),
        });
        tried.push(`${r.method} ${url} → ${res.statusCode}`);
        if (res.statusCode < 400) {
          const body = res.body;
          expect(body.includes(other), `${r.method} ${url} 泄露了其他医院编码`).toBe(false);
          expect(body.includes(otherSetl), `${r.method} ${url} 泄露了其他医院清单`).toBe(false);
          expect(body.includes(otherName), `${r.method} ${url} 泄露了其他医院名称`).toBe(false);
        } else {
          // A refusal may name the code or list the caller sent, never anything it did not (the name).
          expect(res.body.includes(otherName), `${r.method} ${url} 拒绝时泄露了其他医院名称`).toBe(false);
        }
      }
    }
    const after = await sql<{ n: number }>`SELECT
        (SELECT count(*) FROM audit_case_event)::int + (SELECT count(*) FROM special_case_approval)::int
        + (SELECT count(*) FROM audit_deduction)::int + (SELECT count(*) FROM payment_run)::int AS n`.execute(
      consoleDb(store),
    );
    expect(after.rows[0]?.n, "医院账号不得改变支付与审核数据").toBe(before.rows[0]?.n);
    expect(tried.length).toBeGreaterThan(80);
  });

  it("a hospital sees its own settlements, findings and balance", async () => {
    const hospital = await signIn("hospital");
    for (const url of [
      "/api/v1/payment/settlements?pageSize=1000",
      "/api/v1/audit/findings?limit=1000",
      "/api/v1/console/breakdown?dim=dept",
    ]) {
      const res = await app.inject({ url, headers: { cookie: hospital.cookie } });
      expect(res.statusCode, url).toBe(200);
      const j = res.json() as { items?: { hospitalCode: string }[]; rows?: unknown[] };
      if (j.items) {
        expect(j.items.length, url).toBeGreaterThan(0);
        expect(new Set(j.items.map((i) => i.hospitalCode)), url).toEqual(new Set([own]));
      } else expect(j.rows?.length, url).toBeGreaterThan(0);
    }
  });
});

describe("platform in Chromium", () => {
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    requireChromium();
    if (!existsSync(resolve(webDist, "index.html"))) throw new Error("请先构建 Web 控制台（npm run build）");
    mkdirSync(artifacts, { recursive: true });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(username: string, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await page.fill("input[name=username]", username);
    await page.fill("input[name=password]", DEMO_PASSWORDS[username] ?? "");
    await page.click("button[type=submit]");
    await page.getByTestId("current-user").waitFor();
    return page;
  }

  async function shot(page: Page, name: string) {
    await page.waitForTimeout(300); // let the charts draw
    await page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true });
  }

  let appealed: string;
  /** The first list of the appealed finding (a split admission names two). */
  const appealedList = () => (appealed.split(":")[1] ?? "").split("+")[0] as string;

  it("hospital: opens an audit finding with both settlements and appeals it with evidence", async () => {
    const page = await open("hospital", "/audit");
    const table = page.getByTestId("audit-table");
    await table.locator(DATA_ROWS).first().waitFor();
    await shot(page, "01-hospital-audit");
    await table.locator(DATA_ROWS).first().click();
    await page.getByTestId("finding-settlements").waitFor();
    const title = await page.locator(".card h2", { hasText: "审核发现 " }).first().textContent();
    appealed = (title ?? "").replace("审核发现 ", "").trim();
    expect(appealed).toMatch(/:/);
    await expect(page.getByTestId("finding-settlements").textContent()).resolves.toContain("按更正重新结算");
    await page.getByLabel("申诉理由").fill("病程记录第 3 天有该并发症的诊断与治疗记录");
    await page.getByLabel("申诉材料").fill("病程记录、血常规报告");
    await page.getByRole("button", { name: "提交申诉" }).click();
    await page.getByText("已提交申诉").waitFor();
    // The trail is read again after the appeal: wait for the new entry rather than the old table.
    await page.getByTestId("finding-trail").getByText("医院申诉").waitFor();
    await expect(page.getByTestId("finding-trail").textContent()).resolves.toContain("医院申诉");
    await shot(page, "02-hospital-appeal");
    const row = await sql<{ status: string; hospital_code: string }>`SELECT status, hospital_code
      FROM audit_finding WHERE finding_id = ${appealed}`.execute(consoleDb(store));
    expect(row.rows[0]).toEqual({ status: "appealed", hospital_code: own });
  });

  it("reviewer: upholds the appeal; bureau: records the deduction and clears the year", async () => {
    const reviewer = await open("reviewer", "/audit");
    await reviewer.getByTestId("audit-table").locator(DATA_ROWS).first().waitFor();
    await reviewer.getByTestId("audit-table").getByText(appealedList()).first().click();
    await reviewer.getByLabel("复核意见").fill("病历未见该并发症的检查与治疗，维持原审核结论");
    await reviewer.getByRole("button", { name: "维持（申诉不成立）" }).click();
    await reviewer.getByText("已维持审核结果").waitFor();
    await shot(reviewer, "03-reviewer-decision");

    const bureau = await open("bureau", "/audit");
    await bureau.getByLabel("案件状态").selectOption("upheld");
    await bureau.getByTestId("audit-table").getByText(appealedList()).first().click();
    await bureau.getByRole("button", { name: "登记扣款" }).click();
    await bureau.getByText("已登记扣款").waitFor();
    const finding = await sql<{ status: string; deduction_fen: number }>`SELECT status, deduction_fen
      FROM audit_finding WHERE finding_id = ${appealed}`.execute(consoleDb(store));
    expect(finding.rows[0]?.status).toBe("deducted");

    await bureau.goto(`${base}/clearing`);
    await bureau.getByRole("button", { name: "按年度预付填入" }).click(); // the demo policy's budget: the fund's
    await bureau.locator(".note", { hasText: "预算口径为统筹基金，按基金预付填入" }).waitFor();
    await bureau.getByRole("button", { name: `按点数法清算 ${YEAR} 年` }).click();
    await bureau.getByTestId("clearing-table").locator(DATA_ROWS).first().waitFor();
    await shot(bureau, "04-bureau-clearing");
    const st = await sql<{ deductions_fen: number }>`SELECT deductions_fen FROM clearing_statement
      WHERE year = ${YEAR} AND hospital_code = ${own}`.execute(consoleDb(store));
    expect(Number(st.rows[0]?.deductions_fen)).toBeGreaterThanOrEqual(Number(finding.rows[0]?.deduction_fen));
    // The console's indicators carry the audit findings, the deduction and the settled surplus.
    await refreshCube(consoleDb(store), PLATFORM_SOURCES);
    const ranking = await app.inject({
      url: "/api/v1/console/ranking",
      headers: { cookie: (await signIn("bureau")).cookie },
    });
    const rows = (ranking.json() as { rows: { hospital: string; values?: Record<string, number> }[] }).rows;
    const mine = rows.find((r) => r.hospital === own) as unknown as Record<string, number>;
    const findings = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_finding f
      JOIN settlement_list l ON l.setl_id = f.setl_ids->>0 WHERE l.hospital_code = ${own}`.execute(
      consoleDb(store),
    );
    expect(mine.auditFindings).toBe(findings.rows[0]?.n);
    expect(mine.recoveredFen).toBe(Number(finding.rows[0]?.deduction_fen));
    const balance = await sql<{ b: string }>`SELECT sum(balance_fen)::text AS b FROM stay_settlement
      WHERE hospital_code = ${own}`.execute(consoleDb(store));
    expect(mine.surplusFen).toBe(Number(balance.rows[0]?.b));
    await bureau.goto(`${base}/hospitals/${own}`);
    await bureau.getByTestId("drilldown-table").locator(DATA_ROWS).first().waitFor();
    await shot(bureau, "05-bureau-drilldown-settled");
  });

  it("reviewer: approves a special case, which re-settles the stay", async () => {
    const page = await open("reviewer", "/special-cases");
    const first = page.getByTestId("special-candidates").locator(DATA_ROWS).first();
    await first.waitFor();
    const setlId = ((await first.locator("td").first().textContent()) ?? "").trim();
    await first.click();
    await page.getByLabel("追加金额").fill("1000");
    await page.getByLabel("审核理由").fill("罕见并发症，专家组论证通过");
    await page.getByRole("button", { name: "核准", exact: true }).click();
    await page.getByText(`已核准 ${setlId}`).waitFor();
    await page.getByTestId("special-approvals").getByText(setlId).waitFor();
    // Decided, the case leaves the pending candidates and shows under its decision.
    const candidates = page.getByTestId("special-candidates");
    await expect.poll(() => candidates.getByText(setlId).count()).toBe(0);
    const approved = page.getByTestId("special-approvals").locator("tr", { hasText: setlId });
    expect(await approved.textContent()).toContain("核准");
    // The next candidate is rejected: it leaves the candidates too, its payment unchanged.
    const next = candidates.locator(DATA_ROWS).first();
    await next.waitFor();
    const rejectedId = ((await next.locator("td").first().textContent()) ?? "").trim();
    const before = await sql<{ f: string }>`SELECT fund_payment_fen::text AS f FROM stay_settlement
      WHERE setl_id = ${rejectedId}`.execute(consoleDb(store));
    await next.click();
    await page.getByLabel("审核理由").fill("费用明细未见特殊情况，按高倍率规则支付");
    await page.getByRole("button", { name: "驳回", exact: true }).click();
    await page.getByText(`已驳回 ${rejectedId}`).waitFor();
    const rejected = page.getByTestId("special-approvals").locator("tr", { hasText: rejectedId });
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain("驳回");
    await expect.poll(() => candidates.getByText(rejectedId).count()).toBe(0);
    await shot(page, "06-reviewer-special-case");
    const s = await sql<{ special_review_fen: number }>`SELECT special_review_fen FROM stay_settlement
      WHERE setl_id = ${setlId}`.execute(consoleDb(store));
    expect(Number(s.rows[0]?.special_review_fen)).toBe(100_000);
    const after = await sql<{ f: string }>`SELECT fund_payment_fen::text AS f FROM stay_settlement
      WHERE setl_id = ${rejectedId}`.execute(consoleDb(store));
    expect(after.rows[0]?.f).toBe(before.rows[0]?.f);
  });

  it("hospital: its own surplus/loss by department and its clearing statement", async () => {
    const page = await open("hospital", `/hospitals/${own}`);
    await page.getByTestId("drilldown-table").locator(DATA_ROWS).first().waitFor();
    await shot(page, "07-hospital-departments");
    await page.goto(`${base}/clearing`);
    await page.getByTestId("clearing-table").locator(DATA_ROWS).first().waitFor();
    expect(await page.getByTestId("clearing-table").locator(DATA_ROWS).count()).toBe(1);
    await shot(page, "08-hospital-clearing");
  });
});
