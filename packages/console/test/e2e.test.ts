/**
 * End to end in Debian's Chromium (playwright-core, never a downloaded browser): a real server on
 * 127.0.0.1 with an ephemeral port, PGlite in memory, the demo scheme and a few hundred stored lists.
 * Each role signs in; the hospital uploads a list and sees it grouped, appeals a finding; the reviewer
 * decides it; the bureau opens a hospital's drill-down. A screenshot of every main page goes to
 * test-artifacts/console/ (issue 6), and the last test checks that each one was written.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createUser, identityDb } from "@yibao/server";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../../examples/signed-client.mjs";
import { consoleDb } from "../src/schema.js";
import { DATA_ROWS, launchChromium, requireChromium } from "./browser.js";
import { type ConsoleTestServer, consoleTestServer, HOSPITALS, PASSWORDS, sampleList } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, "../../web");
const webDist = resolve(webDir, "dist");
const artifacts = resolve(here, "../../../test-artifacts/console");

let server: ConsoleTestServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  requireChromium();
  if (!existsSync(resolve(webDist, "index.html"))) {
    const vite = await import("vite");
    await vite.build({ root: webDir, logLevel: "warn", configFile: resolve(webDir, "vite.config.ts") });
  }
  rmSync(artifacts, { recursive: true, force: true }); // no stale screenshot passes for a new one
  mkdirSync(artifacts, { recursive: true });
  // The API keys' master key (else the server would create data/master.key in the working directory).
  process.env.YIBAO_MASTER_KEY = randomBytes(32).toString("base64");
  server = await consoleTestServer(100, webDist);
  base = await server.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORDS[username] ?? "");
  await page.click("button[type=submit]");
  await page.getByTestId("current-user").waitFor();
  return page;
}

/** What each screenshot showed, checked by the last test. */
const shots = new Map<string, { hash: string; text: string }>();

/**
 * Screenshot of a page the test has reached: the page must show no error note (role=alert), unless
 * the test is photographing one on purpose (`alert`), and must have visible text.
 */
async function shot(page: Page, name: string, alert: "none" | "expected" = "none") {
  await page.waitForTimeout(300); // let the charts finish their animation frame
  if (alert === "none") {
    const alerts = await page.getByRole("alert").allTextContents();
    expect(alerts, `${name} 显示了错误提示`).toEqual([]);
  }
  const text = (await page.locator("body").innerText()).trim();
  expect(text.length, `${name} 页面没有文字`).toBeGreaterThan(0);
  const png = await page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true });
  shots.set(name, { hash: createHash("sha256").update(png).digest("hex"), text });
}

describe("console in Chromium", () => {
  it("rejects a wrong password in Chinese", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/overview`);
    await page.fill("input[name=username]", "bureau");
    await page.fill("input[name=password]", "wrong-password-1");
    await page.click("button[type=submit]");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("用户名或密码错误");
    await shot(page, "00-login", "expected");
    await page.close();
  });

  let setlId = "";
  let appealId = 0;

  it("hospital: uploads a list, sees it grouped, appeals a finding", async () => {
    const page = await signIn("hospital");
    await expect(page.getByTestId("current-user").textContent()).resolves.toContain("医院");
    // The header says who and where once: the hospital's own name, no code, no role said twice.
    const meta = (await page.evaluate(() => fetch("/api/v1/console/meta").then((r) => r.json()))) as {
      user: { hospitalCode: string };
      hospitals: { code: string; name: string }[];
    };
    const ownName = meta.hospitals.find((h) => h.code === meta.user.hospitalCode)?.name ?? "";
    expect(ownName).not.toBe("");
    const who = (await page.getByTestId("current-user").textContent()) ?? "";
    expect(who).toContain(ownName);
    expect(who).not.toContain(meta.user.hospitalCode);
    expect(who).not.toContain("（医院）");
    const topbar = (await page.locator("header.topbar").textContent()) ?? "";
    expect(topbar.match(/演示方案/g)?.length ?? 0).toBeLessThanOrEqual(1);
    await page.getByTestId("kpis").waitFor();
    await expect(page.locator("h1").first().textContent()).resolves.toContain(ownName);
    await shot(page, "10-hospital-overview");
    // A list settled long ago: accepted or refused, it carries the upload-deadline finding.
    const envelope = sampleList(777, 0, "2024-01-10");
    setlId = String((envelope.input as { setlinfo: { setl_id: string } }).setlinfo.setl_id);
    await page.click("nav >> text=上传清单");
    await page.fill("textarea", JSON.stringify(envelope));
    await page.click("button:has-text('上传')");
    const result = page.getByTestId("upload-result");
    await result.waitFor();
    const text = (await result.textContent()) ?? "";
    expect(text).toMatch(/分组结果：[A-Z0-9]{4}/);
    await shot(page, "11-hospital-upload");
    await page.goto(`${base}/lists/${setlId}`);
    await page.getByTestId("list-drg").waitFor();
    expect(await page.getByTestId("list-drg").textContent()).toMatch(/[A-Z0-9]{4}/);
    const rows = page.locator("[data-testid=findings-table] tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    await rows.first().locator("input").fill("超期原因：系统故障，已补传，附情况说明");
    await rows.first().locator("button:has-text('提交申诉')").click();
    await page.locator(".note").waitFor();
    expect(await page.locator(".note").textContent()).toContain("申诉已提交");
    await shot(page, "12-hospital-list-appeal");
    const appeal = await consoleDb(server.store)
      .selectFrom("console_appeal")
      .select(["id", "status"])
      .where("setl_id", "=", setlId)
      .executeTakeFirstOrThrow();
    expect(appeal.status).toBe("pending");
    appealId = appeal.id;
    // Own drill-down: surplus by department and physician.
    await page.click("nav >> text=科室与医师结余");
    await page.getByTestId("drilldown-table").waitFor();
    await page.click("button[role=tab]:has-text('按医师')");
    await page.waitForTimeout(300);
    await shot(page, "13-hospital-departments-physicians");
    // What-if grouping stores nothing.
    await page.click("nav >> text=试分组");
    await page.fill("textarea", JSON.stringify(sampleList(888, 0)));
    await page.click("button:has-text('质控并分组')");
    await page.getByTestId("whatif-group").waitFor();
    expect(await page.getByTestId("whatif-group").textContent()).toMatch(/分组：[A-Z0-9]{4}/);
    await shot(page, "14-hospital-what-if");
    const stored = await server.store.getSettlementList("S000000000888");
    expect(stored).toBeUndefined();
    await page.click("nav >> text=本院清单");
    await page.getByTestId("lists-table").locator(DATA_ROWS).first().waitFor();
    await shot(page, "15-hospital-lists");
    await page.click("nav >> text=质控问题");
    await page.getByTestId("qc-table").waitFor();
    await shot(page, "16-hospital-qc");
    await page.click("nav >> text=质控申诉");
    await page.getByTestId("appeals-table").locator(DATA_ROWS, { hasText: setlId }).waitFor();
    await shot(page, "17-hospital-appeals");
    await page.context().close();
  });

  it("reviewer: decides the appeal in the audit queue", async () => {
    const page = await signIn("reviewer");
    await page.click("nav >> text=质控申诉");
    await page.getByTestId("appeals-table").waitFor();
    const row = page.locator("[data-testid=appeals-table] tbody tr", { hasText: setlId });
    await row.locator("input").fill("情况属实，同意撤销该质控问题");
    await row.locator("button:has-text('申诉成立')").click();
    await page.locator(".note").waitFor();
    await shot(page, "20-reviewer-queue");
    const appeal = await consoleDb(server.store)
      .selectFrom("console_appeal")
      .select(["status", "decided_by"])
      .where("id", "=", appealId)
      .executeTakeFirstOrThrow();
    expect(appeal).toEqual({ status: "accepted", decided_by: "reviewer" });
    await page.context().close();
  });

  it("bureau: overview, ranking, drill-down, QC findings", async () => {
    const page = await signIn("bureau");
    await page.getByTestId("kpis").waitFor();
    expect(await page.getByTestId("kpis").textContent()).toContain("病例组合指数");
    await shot(page, "30-bureau-overview");
    await page.click("nav >> text=医院排名");
    const table = page.getByTestId("ranking-table");
    await table.locator(DATA_ROWS).first().waitFor();
    expect(await table.locator(DATA_ROWS).count()).toBe(HOSPITALS.length);
    await shot(page, "31-bureau-ranking");
    await table.locator(DATA_ROWS, { hasText: HOSPITALS[1].name }).click();
    await page.getByTestId("drilldown-table").waitFor();
    expect(page.url()).toContain(`/hospitals/${HOSPITALS[1].code}`);
    await page.click("button[role=tab]:has-text('按病组')");
    await page.waitForTimeout(300);
    expect(await page.getByTestId("drilldown-table").locator(DATA_ROWS).count()).toBeGreaterThan(1);
    await shot(page, "32-bureau-drilldown");
    await page.click("nav >> text=质控问题");
    await page.getByTestId("qc-table").waitFor();
    // The QC targets in force (seed 001), judged on the whole region: one line per target.
    const targets = page.getByTestId("qc-targets");
    await targets.waitFor();
    expect(await targets.locator("li").allTextContents()).toEqual([
      expect.stringMatching(/^(达标|未达标|无数据) 清单上传率/),
      expect.stringMatching(/^(达标|未达标|无数据) 0000 组占比/),
    ]);
    await shot(page, "33-bureau-qc");
    await page.click("nav >> text=清单查询");
    await page.getByTestId("lists-table").locator(DATA_ROWS).first().waitFor();
    await shot(page, "34-bureau-lists");
    await page.context().close();
  });

  it("bureau: issues an institution API key, sees its secret once, the key works, then revokes it", async () => {
    const page = await signIn("bureau");
    await page.click("nav >> text=机构接口密钥");
    const table = page.getByTestId("api-keys-table");
    await table.waitFor();
    await page.selectOption("select[name=hospitalCode]", HOSPITALS[0].code);
    await page.fill("input[name=keyName]", "HIS 清单上传");
    await page.click("button:has-text('签发')");
    const box = page.getByTestId("issued-secret");
    await box.waitFor();
    expect(await box.textContent()).toContain("只显示这一次");
    const keyId = (await page.getByTestId("issued-key-id").textContent()) ?? "";
    const secret = (await page.getByTestId("issued-secret-value").textContent()) ?? "";
    expect(keyId).toMatch(/^AK[A-Z2-7]{20}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = table.locator(DATA_ROWS, { hasText: keyId });
    await row.waitFor();
    expect(await row.textContent()).toContain("有效");
    expect(await row.textContent()).toContain("从未使用");
    await shot(page, "35-bureau-api-keys");
    // The secret shown is the key's: a signed request with it is served.
    const path = "/api/v1/settlement-lists?limit=1";
    const res = await fetch(`${base}${path}`, {
      headers: signRequest({ method: "GET", path, keyId, secret }),
    });
    expect(res.status).toBe(200);
    // The key's use is recorded after the answer: wait for it before reading the list again.
    await expect
      .poll(async () => {
        const r = await sql<{ used: Date | null }>`SELECT last_used_at AS used FROM api_key
          WHERE key_id = ${keyId}`.execute(consoleDb(server.store));
        return r.rows[0]?.used ?? null;
      })
      .not.toBeNull();
    // Once: closed, and after a reload, the page no longer holds it.
    await page.click("button:has-text('我已保存，关闭')");
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await table.locator(DATA_ROWS, { hasText: keyId }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await table.locator(DATA_ROWS, { hasText: keyId }).textContent()).not.toContain("从未使用");
    // Revoking asks first.
    page.once("dialog", (d) => d.accept());
    await table.locator(DATA_ROWS, { hasText: keyId }).locator("button:has-text('吊销')").click();
    await table.locator(DATA_ROWS, { hasText: "已吊销" }).waitFor();
    const refused = await fetch(`${base}${path}`, {
      headers: signRequest({ method: "GET", path, keyId, secret }),
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toContain("密钥已吊销");
    await page.context().close();
  });

  it("admin: accounts and the operation log", async () => {
    const page = await signIn("admin");
    await page.locator("table tbody tr").first().waitFor();
    await shot(page, "40-admin-users");
    await page.click("nav >> text=操作日志");
    const log = page.getByTestId("oplog-table");
    await log.locator(DATA_ROWS).first().waitFor();
    const text = (await log.textContent()) ?? "";
    expect(text).toContain("提交申诉");
    expect(text).toContain("审核申诉");
    expect(text).toContain("上传结算清单");
    await shot(page, "41-admin-oplog");
    await page.context().close();
  });

  it("first sign-in with an initial password: the change form, nothing else, then the console", async () => {
    const initial = "Kp7#mZ2q!Rw4-k";
    await createUser(identityDb(server.store), {
      username: "newcomer",
      displayName: "新来的经办人",
      role: "bureau",
      password: initial,
      mustChangePassword: true,
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill("input[name=username]", "newcomer");
    await page.fill("input[name=password]", initial);
    await page.click("button[type=submit]");
    await page.getByRole("heading", { name: "首次登录请修改密码" }).waitFor();
    expect(await page.locator("nav").count()).toBe(0); // no menu before the change
    await shot(page, "01-first-login");
    await page.fill("input[name=oldPassword]", initial);
    await page.fill("input[name=newPassword]", "1234567890a");
    await page.fill("input[name=confirmPassword]", "1234567890a");
    await page.click("button[type=submit]");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("密码至少 12 位");
    await page.fill("input[name=newPassword]", "Nq4$wV8x!Tz2-k");
    await page.fill("input[name=confirmPassword]", "Nq4$wV8x!Tz2-k");
    await page.click("button[type=submit]");
    await page.getByTestId("current-user").waitFor();
    expect(await page.getByTestId("current-user").textContent()).toContain("新来的经办人");
    await context.close();
  });

  it("saved a screenshot of every main page as a test artifact", () => {
    const pages = [
      "00-login",
      "01-first-login",
      "10-hospital-overview",
      "11-hospital-upload",
      "12-hospital-list-appeal",
      "13-hospital-departments-physicians",
      "14-hospital-what-if",
      "15-hospital-lists",
      "16-hospital-qc",
      "17-hospital-appeals",
      "20-reviewer-queue",
      "30-bureau-overview",
      "31-bureau-ranking",
      "32-bureau-drilldown",
      "33-bureau-qc",
      "34-bureau-lists",
      "35-bureau-api-keys",
      "40-admin-users",
      "41-admin-oplog",
    ];
    for (const name of pages) {
      const file = resolve(artifacts, `${name}.png`);
      expect(existsSync(file), `缺少截图 ${file}`).toBe(true);
      expect(statSync(file).size, file).toBeGreaterThan(10_000);
    }
    // Every main page looked different: a navigation that failed (a login page, a blank page or the
    // previous page again) would repeat an image or a page text.
    expect([...shots.keys()].sort()).toEqual([...pages].sort());
    const byHash = new Map<string, string>();
    const byText = new Map<string, string>();
    for (const [name, s] of shots) {
      expect(byHash.get(s.hash), `${name} 与 ${byHash.get(s.hash)} 截图相同`).toBeUndefined();
      expect(byText.get(s.text), `${name} 与 ${byText.get(s.text)} 页面文字相同`).toBeUndefined();
      byHash.set(s.hash, name);
      byText.set(s.text, name);
    }
    // The signed-in pages show the console's header and a known page; the two sign-in pages do not.
    for (const [name, s] of shots) {
      expect(s.text, name).not.toContain("页面不存在");
      if (name === "00-login" || name === "01-first-login") expect(s.text, name).not.toContain("分组方案：");
      else expect(s.text, name).toContain("分组方案：");
    }
  });
});
