/**
 * 特病单议申请 in the console (issue 14), in Debian's Chromium on a settled demo region: the hospital
 * chooses one of its high outliers on its 特病单议申请 page, claims the cost criterion and writes its
 * reason; a stay that does not meet a criterion is refused with the figure, in Chinese; the reviewer
 * sees the application with the figures that make the stay eligible and approves it with an amount,
 * which re-settles the stay; the hospital then sees it approved. Under the demo policy every high
 * outlier qualifies by cost (cost ≥ 2 × the standard; the high thresholds are 2–3 × the standard).
 * 新技术除外 is chosen on the same page; the demo policy files no new technology, so the 预检 and the
 * refusal say so, in Chinese.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { consoleDb } from "@yibao/console";
import type { YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "../../console/test/browser.js";
import { DEMO_PASSWORDS, type DemoPlatform, openDemoPlatform } from "./demo-platform.js";
import { englishWords } from "./english-words.js";

const webDist = resolve(import.meta.dirname, "../../../packages/web/dist");
const YEAR = 2025;

let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  requireChromium();
  if (!existsSync(resolve(webDist, "index.html")))
    throw new Error("请先构建控制台：npm run build -w packages/web");
  platform = await openDemoPlatform({
    region: {
      stays: 800,
      seed: 7,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
    },
    audit: false,
    cube: false,
    console: { webDist, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  ({ store, app } = platform);
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
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

const firstCell = async (row: ReturnType<Page["locator"]>) =>
  ((await row.locator("td").first().textContent()) ?? "").trim();

describe("特病单议申请 in the console", () => {
  it("the hospital applies, the reviewer approves with the figures in view, the stay is re-settled", async () => {
    const hospital = await open("hospital", "/special-cases");
    await hospital.getByRole("heading", { name: "特病单议申请", exact: true }).waitFor();
    const stays = hospital.getByTestId("special-stays");

    // A normal stay claimed by cost is refused with its figures.
    await hospital.getByLabel("病例范围").selectOption("");
    const normal = await sql<{ setl_id: string }>`SELECT s.setl_id FROM stay_settlement s
      JOIN console_user u ON u.hospital_code = s.hospital_code AND u.username = 'hospital'
      WHERE s.outlier = 'none' AND s.standard_fen IS NOT NULL AND s.total_cost_fen < 2 * s.standard_fen
      ORDER BY s.setl_id LIMIT 1`.execute(consoleDb(store));
    const normalId = normal.rows[0]?.setl_id as string;
    expect(normalId).toBeTruthy();
    await stays.locator(DATA_ROWS).first().waitFor();
    await stays.getByPlaceholder("筛选（任意列包含）").fill(normalId);
    await stays.locator("tr", { hasText: normalId }).first().click();
    await hospital.getByLabel("申请理由").fill("病情复杂，申请特病单议");
    await hospital.getByRole("button", { name: "提交申请" }).click();
    const refusal = hospital.locator(".card", { hasText: `申请特病单议：${normalId}` });
    // The 预检 shows the figures before the request; the refusal names them again.
    await refusal.getByText("不符合（医疗总费用").first().waitFor();
    await refusal.getByRole("alert").getByText("未达到病组支付标准").waitFor();
    expect(englishWords(await refusal.innerText())).toEqual([]);
    await hospital.getByRole("button", { name: "取消" }).click();

    // A high outlier is accepted.
    await hospital.getByLabel("病例范围").selectOption("high");
    await stays.getByPlaceholder("筛选（任意列包含）").fill("");
    const first = stays.locator(DATA_ROWS).first();
    await first.waitFor();
    const setlId = await firstCell(first);
    await first.click();
    // The 预检 finds the cost criterion met and chooses it.
    await hospital
      .locator(".card", { hasText: `申请特病单议：${setlId}` })
      .getByText("符合（医疗总费用")
      .waitFor();
    expect(await hospital.getByLabel("申请条件").inputValue()).toBe("highCost");
    await hospital.getByLabel("申请理由").fill("合并多器官功能衰竭，费用远超病组支付标准");
    await hospital.getByRole("button", { name: "提交申请" }).click();
    await hospital.getByText(`已提交 ${setlId} 的特病单议申请`).waitFor();
    const mine = hospital.getByTestId("special-applications").locator("tr", { hasText: setlId });
    await mine.waitFor();
    expect(await mine.textContent()).toContain("待审核");

    const reviewer = await open("reviewer", "/special-cases");
    const pending = reviewer.getByTestId("special-pending-applications").locator("tr", { hasText: setlId });
    await pending.waitFor();
    expect(await pending.textContent()).toContain("达到病组支付标准");
    const before = await sql<{ f: string }>`SELECT fund_payment_fen::text AS f FROM stay_settlement
      WHERE setl_id = ${setlId}`.execute(consoleDb(store));
    await pending.click();
    await reviewer.getByLabel("追加金额").fill("1000");
    await reviewer.getByLabel("审核意见").fill("专家组评审同意");
    await reviewer.getByRole("button", { name: "核准", exact: true }).click();
    await reviewer.getByText(`已核准 ${setlId} 的特病单议申请`).waitFor();
    await expect
      .poll(() => reviewer.getByTestId("special-pending-applications").getByText(setlId).count())
      .toBe(0);
    await reviewer.getByTestId("special-approvals").getByText(setlId).waitFor();
    // 1,000.00 元 approved: the fund pays 100,000 fen more (the patient share as settled).
    const after = await sql<{ f: string; sr: string }>`SELECT fund_payment_fen::text AS f,
        special_review_fen::text AS sr FROM stay_settlement WHERE setl_id = ${setlId}`.execute(
      consoleDb(store),
    );
    expect(Number(after.rows[0]?.sr)).toBe(100_000);
    expect(Number(after.rows[0]?.f)).toBe(Number(before.rows[0]?.f) + 100_000);

    await hospital.reload();
    const decided = hospital.getByTestId("special-applications").locator("tr", { hasText: setlId });
    await decided.waitFor();
    expect(await decided.textContent()).toContain("已核准");
    expect(englishWords(await hospital.locator("body").innerText())).toEqual([]);
  });

  it("新技术除外: the hospital chooses the kind, the 预检 shows why a stay without a filed technology is refused", async () => {
    const hospital = await open("hospital", "/special-cases");
    await hospital.getByRole("heading", { name: "特病单议申请", exact: true }).waitFor();
    await hospital.getByLabel("申请类别").selectOption("newTechExclusion");
    await hospital.getByLabel("病例范围").selectOption("");
    // The list is fetched again for the new kind and scope: a row clicked before it arrives is replaced.
    await hospital.waitForLoadState("networkidle");
    const stays = hospital.getByTestId("special-stays");
    const first = stays.locator(DATA_ROWS).first();
    await first.waitFor();
    const setlId = await firstCell(first);
    await first.click();
    const card = hospital.locator(".card", { hasText: `申请新技术除外：${setlId}` });
    // The demo policy files no new technology: the 预检 says so and names the 3‰ quota.
    // The 预检 settles the stay with the region's whole payment context: slow on a loaded machine.
    await card
      .getByText("结算清单的手术及操作中没有支付政策备案的新技术项目")
      .first()
      .waitFor({ timeout: 90_000 });
    await card.getByText("× 3‰（向下取整）").waitFor();
    await hospital.getByLabel("申请理由").fill("应用新技术，费用极高");
    await hospital.getByRole("button", { name: "提交申请" }).click();
    await card.getByRole("alert").getByText("不符合新技术除外条件").waitFor();
    expect(englishWords(await card.innerText())).toEqual([]);
  });
});
