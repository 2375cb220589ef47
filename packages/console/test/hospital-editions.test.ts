/**
 * 医院主数据 in the console, in Debian's Chromium (issue 12 item 4, the console half): the bureau sees
 * the demo hospitals in force today (三级, 三级综合, DRG: the sample lists' 医保结算等级 3, none a 中医 hospital),
 * downloads that date's Excel, changes one hospital's level in it and publishes it dated tomorrow through
 * the page's form — tomorrow's table shows the new level, today's still the old — and finds the edition
 * in the hospital's history with the reason, 来源 Excel 导入, the bureau and the time in China time; the
 * same workbook again changes nothing; a workbook with a bad level and a missing code lists both problems
 * by row and column, nothing written; one hospital's payment method is changed through the small form,
 * and a class the benefit policies do not know is refused in Chinese. A hospital account sees only its
 * own hospital and no form, a reviewer sees no form, an administrator sees them. The browser runs in
 * Los Angeles time, so a date or time taken from the browser's own zone would be caught.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { ensureDemoPayment, paymentMigrations, paymentPlugin } from "@yibao/payment-service";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "./browser.js";
import { type ConsoleTestServer, consoleTestServer, demoScheme, HOSPITALS, PASSWORDS } from "./helpers.js";

const webDir = resolve(import.meta.dirname, "../../web");
const webDist = resolve(webDir, "dist");
const TODAY = shanghaiDate(Date.now());
const TOMORROW = addDays(TODAY, 1);
const REASON = "依据测试市医保局通知，沈阳市第二人民医院调整为二级";
const DEMO_REASON = "演示数据：按清单医保结算等级设定";

const [H1, H2, H3] = HOSPITALS.map((h) => h.code) as [string, string, string];
const ROWS = "[data-testid=hospital-rows]";
const HISTORY = "[data-testid=hospital-history]";
const IMPORT_FORM = "[data-testid=hospital-import-form]";
const EDIT_FORM = "[data-testid=hospital-edit-form]";
const IMPORT_SUBMIT = `${IMPORT_FORM} button[type=submit]`;
const IMPORT_ROUTE = "**/api/v1/payment/hospitals/import";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let server: ConsoleTestServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  requireChromium();
  if (!existsSync(resolve(webDist, "index.html"))) {
    const vite = await import("vite");
    await vite.build({ root: webDir, logLevel: "warn", configFile: resolve(webDir, "vite.config.ts") });
  }
  process.env.YIBAO_MASTER_KEY ??= randomBytes(32).toString("base64");
  server = await consoleTestServer(5, webDist, {
    migrations: paymentMigrations,
    plugins: [paymentPlugin()],
  });
  // The demo's payment data: the benefit policy (its 起付线类别) and each hospital's master data.
  await ensureDemoPayment({ store: server.store, scheme: await demoScheme(), skipSettle: true });
  base = await server.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in and opens 医院主数据, in a browser set to Los Angeles time (not China's). */
async function hospitalsPage(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: "zh-CN",
    timezoneId: "America/Los_Angeles",
  });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORDS[username] ?? "");
  await page.click("button[type=submit]");
  await page.getByTestId("current-user").waitFor();
  await page.click("nav >> text=医院主数据");
  await page.locator(`${ROWS} ${DATA_ROWS}`).first().waitFor();
  return page;
}

/** A table as the user reads it: one array of cell texts per row. */
function tableRows(page: Page, table: string): Promise<string[][]> {
  return page
    .locator(`${table} ${DATA_ROWS}`)
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => (td.textContent ?? "").trim())),
    );
}

/** Picks a date and waits for that date's table (its card title names the date). */
async function showDate(page: Page, date: string): Promise<string[][]> {
  await page.fill("input[name=on]", date);
  await page.getByRole("heading", { name: `${date} 现行的医院主数据` }).waitFor();
  await page.locator(`${ROWS} ${DATA_ROWS}`).first().waitFor();
  return tableRows(page, ROWS);
}

/** Clicks a hospital's row and waits for its history. */
async function history(page: Page, code: string): Promise<string[][]> {
  await page.locator(`${ROWS} ${DATA_ROWS}`, { hasText: code }).click();
  await page.getByRole("heading", { name: new RegExp(`^版本记录：.*（${code}）$`) }).waitFor();
  await page.locator(`${HISTORY} ${DATA_ROWS}`).first().waitFor();
  return tableRows(page, HISTORY);
}

interface Edition {
  effectiveFrom: string;
  level: string;
  source: string;
  actor: string;
  reason: string;
  createdAt: string;
}

/** A hospital's editions as the API lists them, fetched with the page's own session. */
async function editionsOf(page: Page, code: string): Promise<Edition[]> {
  const r = await page.evaluate(
    (url) => fetch(url).then((res) => res.json()),
    `/api/v1/payment/hospitals/${code}/history`,
  );
  return (r as { items: Edition[] }).items;
}

/** An instant's wall-clock figures in China Standard Time (UTC+8, no daylight saving). */
function chinaFigures(iso: string): number[] {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
}

/** Fills the import form and submits it. */
async function importWorkbook(page: Page, buffer: Buffer, reason: string, name = "医院主数据.xlsx") {
  await page.setInputFiles(`${IMPORT_FORM} input[name=workbook]`, { name, mimeType: XLSX, buffer });
  await page.fill(`${IMPORT_FORM} input[name=effectiveFrom]`, TOMORROW);
  await page.fill(`${IMPORT_FORM} textarea[name=reason]`, reason);
  await page.click(IMPORT_SUBMIT);
}

const HEADER = ["医院编码", "医院名称", "医院等级", "起付线类别", "支付方式"];

/** A hospital table with a level that is none of 一级/二级/三级 (line 2) and no code (line 3). */
async function badWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("医院主数据");
  sheet.addRow(HEADER);
  sheet.addRow([H1, "沈阳市第一人民医院", "四级", "三级综合", "DRG"]);
  sheet.addRow(["", "无编码医院", "二级", "", "DRG"]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Today's row of each demo hospital: the sample lists' level 3, in force since always, from the demo. */
const demoRow = (i: number) => [
  HOSPITALS[i]?.code,
  HOSPITALS[i]?.name,
  "三级",
  "三级综合",
  "DRG",
  "自始有效",
  "地区配置包",
  "演示数据",
];

describe("医院主数据 in Chromium", () => {
  /** The downloaded workbook with H2's level changed to 二级. */
  let edited = Buffer.alloc(0);

  it("the bureau sees the demo hospitals in force today and downloads that date's Excel", async () => {
    const page = await hospitalsPage("bureau");
    // Today in China, whatever the browser's zone.
    await expect(page.inputValue("input[name=on]")).resolves.toBe(TODAY);
    const headers = await page.locator(`${ROWS} thead th`).allTextContents();
    expect(headers).toEqual(["编码", "名称", "等级", "起付线类别", "支付方式", "生效日期", "来源", "发布人"]);
    expect(await tableRows(page, ROWS)).toEqual([demoRow(0), demoRow(1), demoRow(2)]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("hospital-export").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`hospitals-${TODAY}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    if (sheet === undefined) throw new Error("下载的 Excel 没有工作表");
    const values = (n: number) => HEADER.map((_, c) => sheet.getRow(n).getCell(c + 1).text);
    expect(sheet.name).toBe("医院主数据");
    expect(sheet.rowCount).toBe(4);
    expect([1, 2, 3, 4].map(values)).toEqual([
      HEADER,
      [H1, "沈阳市第一人民医院", "三级", "三级综合", "DRG"],
      [H2, "沈阳市第二人民医院", "三级", "三级综合", "DRG"],
      [H3, "沈阳市中心医院", "三级", "三级综合", "DRG"],
    ]);
    // The bureau's change: 沈阳市第二人民医院 becomes 二级.
    sheet.getRow(3).getCell(3).value = "二级";
    edited = Buffer.from(await wb.xlsx.writeBuffer());
    await page.context().close();
  });

  it("publishes the edited workbook dated tomorrow: tomorrow's table has the new level, today's the old, the history the edition", async () => {
    const page = await hospitalsPage("bureau");
    await expect(page.inputValue(`${IMPORT_FORM} input[name=effectiveFrom]`)).resolves.toBe(TOMORROW);
    await expect(page.getAttribute(`${IMPORT_FORM} input[name=effectiveFrom]`, "min")).resolves.toBe(TODAY);
    // The request is held until the button has been seen disabled.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let requests = 0;
    await page.route(IMPORT_ROUTE, async (route) => {
      requests++;
      await held;
      await route.continue();
    });
    await importWorkbook(page, edited, REASON);
    await page.locator(`${IMPORT_SUBMIT}:disabled`).waitFor({ timeout: 5000 });
    await expect(page.locator(IMPORT_SUBMIT).textContent()).resolves.toBe("发布中…");
    await page.locator(IMPORT_SUBMIT).click({ force: true }); // a second click while busy sends nothing
    release();
    const result = page.getByTestId("hospital-import-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(`已发布：1 家医院变更，2 家未变，${TOMORROW} 起生效`);
    expect(requests).toBe(1);
    await expect(page.locator(IMPORT_SUBMIT).isEnabled()).resolves.toBe(true);
    await page.unroute(IMPORT_ROUTE);

    // Today nothing has changed; from tomorrow 沈阳市第二人民医院 is 二级, from Excel, by the bureau.
    expect(await tableRows(page, ROWS)).toEqual([demoRow(0), demoRow(1), demoRow(2)]);
    expect(await showDate(page, TOMORROW)).toEqual([
      demoRow(0),
      [H2, "沈阳市第二人民医院", "二级", "三级综合", "DRG", TOMORROW, "Excel 导入", "bureau"],
      demoRow(2),
    ]);
    expect((await showDate(page, TODAY))[1]?.[2]).toBe("三级");

    const rows = await history(page, H2);
    const api = await editionsOf(page, H2);
    expect(api.map((e) => [e.effectiveFrom, e.level, e.source, e.actor, e.reason])).toEqual([
      ["0001-01-01", "三级", "pack", "demo", DEMO_REASON],
      [TOMORROW, "二级", "excel", "bureau", REASON],
    ]);
    expect(rows.map((r) => r.slice(0, 8))).toEqual([
      ["自始有效", "三级", "三级综合", "DRG", "现行", "地区配置包", "演示数据", DEMO_REASON],
      [TOMORROW, "二级", "三级综合", "DRG", "待生效", "Excel 导入", "bureau", REASON],
    ]);
    // 时间 in China time, whatever the browser's zone (Los Angeles here).
    const shown = /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(rows[1]?.[8] ?? "");
    expect(shown, `时间「${rows[1]?.[8]}」`).not.toBeNull();
    expect(shown?.slice(1).map(Number)).toEqual(chinaFigures(api[1]?.createdAt ?? ""));

    // The same workbook again: every row equals tomorrow's master data, nothing written.
    await importWorkbook(page, edited, "重复提交");
    await expect(result.textContent()).resolves.toBe(
      `未发布新版本：3 家医院与 ${TOMORROW} 起现行的医院主数据相同，无变更`,
    );
    expect(await editionsOf(page, H2)).toHaveLength(2);
    await page.context().close();
  });

  it("a workbook with a bad level and a missing code is refused, each problem by its row and column", async () => {
    const page = await hospitalsPage("bureau");
    await importWorkbook(page, await badWorkbook(), "测试错误的医院主数据表", "错误的医院表.xlsx");
    const error = page.getByTestId("hospital-import-error");
    await error.waitFor();
    await expect(error.locator("> div").first().textContent()).resolves.toBe(
      "医院主数据版本未保存，未写入任何数据",
    );
    const problems = await page.locator("[data-testid=hospital-import-problems] li").allTextContents();
    expect(problems).toEqual([
      "第 2 行「医院等级」：医院等级须为 一级、二级、三级 之一（收到「四级」）",
      "第 3 行「医院编码」：医院编码须为 1–30 位字母或数字（收到「」）",
    ]);
    expect(await editionsOf(page, H1)).toHaveLength(1);
    expect(await showDate(page, TOMORROW)).toEqual([
      demoRow(0),
      [H2, "沈阳市第二人民医院", "二级", "三级综合", "DRG", TOMORROW, "Excel 导入", "bureau"],
      demoRow(2),
    ]);
    await page.context().close();
  });

  it("changes one hospital's payment method from tomorrow through the small form; an unknown class is refused in Chinese", async () => {
    const page = await hospitalsPage("bureau");
    await history(page, H3);
    // Prefilled with the hospital's master data in force on the date shown (today).
    await expect(page.inputValue(`${EDIT_FORM} select[name=level]`)).resolves.toBe("三级");
    await expect(page.inputValue(`${EDIT_FORM} input[name=benefitClass]`)).resolves.toBe("三级综合");
    await expect(page.inputValue(`${EDIT_FORM} select[name=paymentMethod]`)).resolves.toBe("DRG");
    await page.fill(`${EDIT_FORM} input[name=benefitClass]`, "五级综合");
    await page.fill(`${EDIT_FORM} input[name=effectiveFrom]`, TOMORROW);
    await page.fill(`${EDIT_FORM} textarea[name=reason]`, "改按 DIP 付费");
    await page.click(`${EDIT_FORM} button[type=submit]`);
    await page.getByTestId("hospital-edit-error").waitFor();
    const problems = await page.locator("[data-testid=hospital-edit-problems] li").allTextContents();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^起付线类别：起付线类别「五级综合」不是已保存的待遇政策中的类别（有：.*三级综合/,
    );
    expect(await editionsOf(page, H3)).toHaveLength(1);

    await page.fill(`${EDIT_FORM} input[name=benefitClass]`, "三级综合");
    await page.selectOption(`${EDIT_FORM} select[name=paymentMethod]`, "DIP");
    await page.click(`${EDIT_FORM} button[type=submit]`);
    const result = page.getByTestId("hospital-edit-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(`已发布：1 家医院变更，0 家未变，${TOMORROW} 起生效`);
    await page.locator(`${HISTORY} ${DATA_ROWS}`).nth(1).waitFor();
    expect((await tableRows(page, HISTORY)).map((r) => r.slice(0, 8))).toEqual([
      ["自始有效", "三级", "三级综合", "DRG", "现行", "地区配置包", "演示数据", DEMO_REASON],
      [TOMORROW, "三级", "三级综合", "DIP", "待生效", "接口", "bureau", "改按 DIP 付费"],
    ]);
    expect((await showDate(page, TOMORROW))[2]).toEqual([
      H3,
      "沈阳市中心医院",
      "三级",
      "三级综合",
      "DIP",
      TOMORROW,
      "接口",
      "bureau",
    ]);
    await page.context().close();
  });

  it("a hospital account sees only its own hospital and no form; a reviewer sees no form; an administrator does", async () => {
    const hospital = await hospitalsPage("hospital");
    expect(await tableRows(hospital, ROWS)).toEqual([demoRow(0)]);
    expect((await history(hospital, H1)).map((r) => r.slice(0, 8))).toEqual([
      ["自始有效", "三级", "三级综合", "DRG", "现行", "地区配置包", "演示数据", DEMO_REASON],
    ]);
    for (const role of ["hospital", "reviewer", "admin"] as const) {
      const page = role === "hospital" ? hospital : await hospitalsPage(role);
      if (role !== "hospital") await history(page, H2);
      const forms = role === "admin" ? 1 : 0;
      await expect(page.locator(IMPORT_FORM).count(), role).resolves.toBe(forms);
      await expect(page.locator(EDIT_FORM).count(), role).resolves.toBe(forms);
      await expect(page.getByTestId("hospital-export").count(), role).resolves.toBe(forms);
      await expect(page.locator("button", { hasText: "发布新版本" }).count(), role).resolves.toBe(forms * 2);
      if (role === "reviewer")
        expect(
          (await showDate(page, TOMORROW)).map((r) => r.slice(0, 5)),
          role,
        ).toEqual([
          demoRow(0).slice(0, 5),
          [H2, "沈阳市第二人民医院", "二级", "三级综合", "DRG"],
          [H3, "沈阳市中心医院", "三级", "三级综合", "DIP"],
        ]);
      await page.context().close();
    }
  });
});
