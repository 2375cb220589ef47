/**
 * 质控规则版本 on 地区配置, in Debian's Chromium (issue 12 item 4, the console half): the bureau sees the
 * built-in edition in force, downloads its Excel, publishes it again as a new version dated tomorrow
 * through the page's form and finds it in the table with who, when (China time) and why; the same
 * workbook again is answered 内容相同; a workbook with bad cells is refused with every problem named by
 * its row and column; the button is disabled while the request is under way. A hospital or a reviewer
 * sees the table but not the form; an administrator sees the form. The browser runs in another time
 * zone than China's, so a time shown in the browser's own zone would be caught.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "./browser.js";
import { type ConsoleTestServer, consoleTestServer, PASSWORDS } from "./helpers.js";

const webDir = resolve(import.meta.dirname, "../../web");
const webDist = resolve(webDir, "dist");
const TODAY = shanghaiDate(Date.now());
const TOMORROW = addDays(TODAY, 1);
const VERSION = "E2E-2026";
const REASON = "依据测试市医保局通知，沿用现行规则另立新版本";

const RULES_TABLE = "[data-testid=region-qc-rules]";
const FORM = "[data-testid=qc-publish-form]";
const SUBMIT = `${FORM} button[type=submit]`;
const IMPORT_ROUTE = "**/api/v1/qc/editions/rules/import";

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
  server = await consoleTestServer(5, webDist);
  base = await server.app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Signs in on the 地区配置 page, in a browser set to Los Angeles time (not China's). */
async function regionPage(username: string): Promise<Page> {
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
  await page.click("nav >> text=地区配置");
  await page.locator(`${RULES_TABLE} ${DATA_ROWS}`).first().waitFor();
  return page;
}

/** The rule editions table as the user reads it: one array of cell texts per row. */
async function ruleRows(page: Page): Promise<string[][]> {
  return page
    .locator(`${RULES_TABLE} ${DATA_ROWS}`)
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => (td.textContent ?? "").trim())),
    );
}

interface Listed {
  id: string;
  version: string;
  effectiveDate: string;
  size: number;
  inForce: boolean;
  origin: string;
  actor: string | null;
  reason: string | null;
  publishedAt: string | null;
}

/** The editions as the API lists them, fetched with the page's own session. */
async function listed(page: Page): Promise<{ today: string; rules: Listed[] }> {
  return page.evaluate(() => fetch("/api/v1/qc/editions").then((r) => r.json()));
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

/** Fills the publish form and submits it. */
async function submitForm(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
  version: string,
  reason: string,
) {
  await page.setInputFiles(`${FORM} input[name=workbook]`, file);
  await page.fill(`${FORM} input[name=version]`, version);
  await page.fill(`${FORM} input[name=effectiveDate]`, TOMORROW);
  await page.fill(`${FORM} textarea[name=reason]`, reason);
  await page.click(SUBMIT);
}

const RULE_HEADER = [
  "规则编号",
  "检查类型",
  "类别",
  "严重程度",
  "启用",
  "适用模式",
  "分模式严重程度",
  "提示信息",
  "说明",
  "参数",
];

/** A rule table with a 参数 that is not JSON (row 2) and an 启用 that is neither 是 nor 否 (row 3). */
async function badWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("质控规则");
  sheet.addRow(RULE_HEADER);
  sheet.addRow(["QC-BAD-1", "pattern", "数据格式", "错误", "是", "", "", "{label}有误", "", '{"checks": [']);
  sheet.addRow(["QC-BAD-2", "pattern", "数据格式", "警告", "也许", "", "", "{label}有误", "", ""]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("质控规则版本 on 地区配置 in Chromium", () => {
  let builtIn: Listed;
  /** The downloaded workbook (the browser's copy goes with its context). */
  let excel = { name: "", mimeType: "", buffer: Buffer.alloc(0) };

  it("the bureau sees the built-in edition as 现行, with its Excel to download", async () => {
    const page = await regionPage("bureau");
    const api = await listed(page);
    expect(api.today).toBe(TODAY);
    expect(api.rules).toHaveLength(1);
    builtIn = api.rules[0] as Listed;
    expect(builtIn).toMatchObject({ origin: "built-in", inForce: true, actor: null });
    const rows = await ruleRows(page);
    expect(rows).toEqual([
      [
        builtIn.id,
        builtIn.version,
        builtIn.effectiveDate,
        builtIn.size.toLocaleString("zh-CN"),
        "现行",
        "内置",
        expect.any(String),
        "—",
        "—",
        "—",
        "下载 Excel",
      ],
    ]);
    const headers = await page.locator(`${RULES_TABLE} thead th`).allTextContents();
    expect(headers).toEqual([
      "版本编号",
      "版本号",
      "生效日期",
      "规则数",
      "是否现行",
      "来源",
      "依据",
      "发布人",
      "发布时间",
      "发布原因",
      "操作",
    ]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(`${RULES_TABLE} ${DATA_ROWS}`).first().locator("a:has-text('下载 Excel')").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`质控规则_${builtIn.id}_${builtIn.version}.xlsx`);
    excel = {
      name: download.suggestedFilename(),
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await readFile(await download.path()),
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(excel.buffer as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("质控规则");
    expect(sheet?.getRow(1).getCell(1).value).toBe("规则编号");
    expect(sheet?.rowCount).toBe(builtIn.size + 1); // the header and one row per rule
    await page.context().close();
  });

  it("the bureau publishes the downloaded workbook as a new version dated tomorrow, with who, when and why", async () => {
    const page = await regionPage("bureau");
    // Prefilled: the id of the edition in force, tomorrow's date, and nothing before today to pick.
    await expect(page.inputValue(`${FORM} input[name=id]`)).resolves.toBe(builtIn.id);
    await expect(page.inputValue(`${FORM} input[name=effectiveDate]`)).resolves.toBe(TOMORROW);
    await expect(page.getAttribute(`${FORM} input[name=effectiveDate]`, "min")).resolves.toBe(TODAY);
    // Without a reason nothing is sent.
    await page.setInputFiles(`${FORM} input[name=workbook]`, excel);
    await page.fill(`${FORM} input[name=version]`, VERSION);
    await page.click(SUBMIT);
    await expect(page.getByTestId("qc-publish-error").textContent()).resolves.toBe(
      "请填写发布原因（记入版本记录）",
    );
    expect((await listed(page)).rules).toHaveLength(1);

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
    await submitForm(page, excel, VERSION, REASON);
    await page.locator(`${SUBMIT}:disabled`).waitFor({ timeout: 5000 });
    await expect(page.locator(SUBMIT).textContent()).resolves.toBe("发布中…");
    await page.locator(SUBMIT).click({ force: true }); // a second click while busy sends nothing
    release();
    const result = page.getByTestId("qc-publish-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(
      `已发布：质控规则版本 ${builtIn.id}@${VERSION}（${builtIn.size} 条规则），${TOMORROW} 起生效`,
    );
    expect(requests).toBe(1);
    await expect(page.locator(SUBMIT).isEnabled()).resolves.toBe(true);
    await page.unroute(IMPORT_ROUTE);

    // The table is refreshed: the new edition, from Excel, by the bureau, with the reason.
    await page.locator(`${RULES_TABLE} ${DATA_ROWS}`).nth(1).waitFor();
    const api = await listed(page);
    const published = api.rules.find((e) => e.version === VERSION);
    expect(published).toMatchObject({ origin: "excel", actor: "bureau", reason: REASON, inForce: false });
    const rows = await ruleRows(page);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[4]).toBe("现行");
    const row = rows[1] ?? [];
    expect(row.slice(0, 6)).toEqual([
      builtIn.id,
      VERSION,
      TOMORROW,
      builtIn.size.toLocaleString("zh-CN"),
      "否（待生效）",
      "Excel 导入",
    ]);
    expect(row[7]).toBe("bureau");
    expect(row[9]).toBe(REASON);
    // 发布时间 in China time, whatever the browser's zone (Los Angeles here).
    const shown = /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(row[8] ?? "");
    expect(shown, `发布时间「${row[8]}」`).not.toBeNull();
    expect(shown?.slice(1).map(Number)).toEqual(chinaFigures(published?.publishedAt ?? ""));

    // The same workbook, version and date again: nothing new.
    await submitForm(page, excel, VERSION, "重复提交");
    await expect(result.textContent()).resolves.toBe(
      `质控规则版本 ${builtIn.id}@${VERSION} 已发布过，内容相同，未重复发布`,
    );
    expect(await ruleRows(page)).toHaveLength(2);
    await page.context().close();
  });

  it("a workbook with bad cells is refused, every problem named by its row and column", async () => {
    const page = await regionPage("bureau");
    const buffer = await badWorkbook();
    await submitForm(
      page,
      { name: "错误的规则表.xlsx", mimeType: "application/octet-stream", buffer },
      "E2E-BAD",
      "测试错误的规则表",
    );
    const error = page.getByTestId("qc-publish-error");
    await error.waitFor();
    await expect(error.locator("> div").first().textContent()).resolves.toMatch(
      /^质控规则表未导入：第 2 行「参数」：不是合法的 JSON/,
    );
    const problems = await page.locator("[data-testid=qc-publish-problems] li").allTextContents();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^第 2 行「参数」：不是合法的 JSON/);
    expect(problems[1]).toBe('第 3 行「启用」：应为 是 或 否，而不是 "也许"');
    const api = await listed(page);
    expect(api.rules.map((e) => e.version)).toEqual([builtIn.version, VERSION]);
    expect(await ruleRows(page)).toHaveLength(2);
    await page.context().close();
  });

  it("a hospital or a reviewer sees the editions but no form; an administrator sees the form", async () => {
    for (const role of ["hospital", "reviewer", "admin"] as const) {
      const page = await regionPage(role);
      const rows = await ruleRows(page);
      expect(
        rows.map((r) => [r[1], r[7], r[9]]),
        role,
      ).toEqual([
        [builtIn.version, "—", "—"],
        [VERSION, "bureau", REASON],
      ]);
      // The page has finished rendering its QC part (the table above it is filled).
      await expect(page.locator(FORM).count(), role).resolves.toBe(role === "admin" ? 1 : 0);
      await expect(page.getByText("发布质控规则新版本").count(), role).resolves.toBe(
        role === "admin" ? 1 : 0,
      );
      await page.context().close();
    }
  });
});
