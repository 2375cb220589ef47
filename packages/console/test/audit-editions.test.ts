/**
 * 审核规则库与知识库版本 on 地区配置, in Debian's Chromium (issue 12 item 4, the audit half of the
 * console): the bureau sees the built-in rule base in force, downloads its Excel, shortens the
 * split-admission window in it, publishes it as a new version dated tomorrow through the page's form
 * and finds it in the table with who, when (China time) and why; the same workbook again is answered
 * 内容相同; a workbook with bad rows is refused with every problem named by its row and column. A
 * hospital or a reviewer sees the tables but not the form; an administrator sees the form. The
 * browser runs in another time zone than China's, so a time shown in the browser's own zone would be
 * caught.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { auditPlugin } from "@yibao/audit-service";
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
const REASON = "依据测试市医保局通知，分解住院间隔由 14 日改为 10 日";

const RULE_BASES = "[data-testid=region-audit-rule-bases]";
const KNOWLEDGE_BASES = "[data-testid=region-audit-knowledge-bases]";
const FORM = "[data-testid=audit-publish-form]";
const SUBMIT = `${FORM} button[type=submit]`;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** DRG-01 (分解住院), the first rule of the built-in rule base: its 参数 cell (row 2, column I). */
const DRG01_PARAMS = '{"windowDays":14,"relation":"principal","sameHospital":true}';

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
  server = await consoleTestServer(5, webDist, { migrations: [], plugins: [auditPlugin()] });
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
  await page.locator(`${RULE_BASES} ${DATA_ROWS}`).first().waitFor();
  return page;
}

/** A table as the user reads it: one array of cell texts per row. */
async function rowsOf(page: Page, table: string): Promise<string[][]> {
  return page
    .locator(`${table} ${DATA_ROWS}`)
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => (td.textContent ?? "").trim())),
    );
}

interface Listed {
  id: string;
  version: string;
  origin: string;
  actor: string | null;
  reason: string | null;
  publishedAt: string | null;
}

/** The editions as the API lists them, fetched with the page's own session. */
async function listed(page: Page): Promise<{ ruleBases: Listed[]; knowledgeBases: Listed[] }> {
  return page.evaluate(() => fetch("/api/v1/audit/rules").then((r) => r.json().then((j) => j.editions)));
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

/** Fills the publish form (tomorrow's date) and submits it. */
async function submitForm(
  page: Page,
  buffer: Buffer,
  version: string,
  reason: string,
  name = "审核规则.xlsx",
) {
  await page.setInputFiles(`${FORM} input[name=workbook]`, { name, mimeType: XLSX, buffer });
  await page.fill(`${FORM} input[name=version]`, version);
  await page.fill(`${FORM} input[name=effectiveDate]`, TOMORROW);
  await page.fill(`${FORM} textarea[name=reason]`, reason);
  await page.click(SUBMIT);
}

/** The downloaded workbook with `edit` applied to its rules sheet. */
async function edited(bytes: Buffer, edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(wb.getWorksheet("审核规则") as ExcelJS.Worksheet);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("审核规则库版本 on 地区配置 in Chromium", () => {
  /** The downloaded workbook (the browser's copy goes with its context). */
  let excel = Buffer.alloc(0);

  it("the bureau sees the built-in rule base and knowledge base as 现行, with the rule base's Excel to download", async () => {
    const page = await regionPage("bureau");
    // starter-rules.ts: starter@2024.2 from 2020-01-01, open-ended, 17 rules all enabled.
    expect(await rowsOf(page, RULE_BASES)).toEqual([
      [
        "starter@2024.2",
        "2024.2",
        "2020-01-01",
        "长期",
        "17/17 条启用",
        "现行",
        "内置",
        "—",
        "—",
        "—",
        "下载 Excel",
      ],
    ]);
    const headers = await page.locator(`${RULE_BASES} thead th`).allTextContents();
    expect(headers).toEqual([
      "版本编号",
      "版本号",
      "生效日期",
      "失效日期",
      "规则",
      "是否现行",
      "来源",
      "发布人",
      "发布时间",
      "发布原因",
      "操作",
    ]);
    const knowledge = await rowsOf(page, KNOWLEDGE_BASES);
    expect(knowledge).toHaveLength(1);
    expect(knowledge[0]?.slice(5)).toEqual(["现行", "内置", "—", "—", "—"]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(`${RULE_BASES} ${DATA_ROWS}`).first().locator("a:has-text('下载 Excel')").click(),
    ]);
    expect(download.suggestedFilename()).toBe("审核规则库_starter_2024.2.xlsx");
    excel = await readFile(await download.path());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(excel as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("审核规则");
    expect(sheet?.rowCount).toBe(1 + 17); // the header and one row per rule
    expect(sheet?.getCell("A2").value).toBe("DRG-01");
    expect(sheet?.getCell("I2").value).toBe(DRG01_PARAMS);
    await page.context().close();
  });

  it("the bureau publishes the workbook with a shorter window as a new version dated tomorrow, with who, when and why", async () => {
    const page = await regionPage("bureau");
    await expect(page.inputValue(`${FORM} input[name=id]`)).resolves.toBe("starter");
    await expect(page.inputValue(`${FORM} input[name=effectiveDate]`)).resolves.toBe(TOMORROW);
    const changed = await edited(excel, (s) => {
      s.getCell("I2").value = DRG01_PARAMS.replace('"windowDays":14', '"windowDays":10');
    });
    await submitForm(page, changed, VERSION, REASON);
    const result = page.getByTestId("audit-publish-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(
      `已发布：审核规则库版本 starter@${VERSION}（17 条规则），${TOMORROW} 起生效`,
    );

    // The table is refreshed: the new edition, from Excel, by the bureau, with the reason.
    await page.locator(`${RULE_BASES} ${DATA_ROWS}`).nth(1).waitFor();
    const rows = await rowsOf(page, RULE_BASES);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[5]).toBe("现行");
    const row = rows[1] ?? [];
    expect(row.slice(0, 8)).toEqual([
      `starter@${VERSION}`,
      VERSION,
      TOMORROW,
      "长期",
      "17/17 条启用",
      "否（待生效）",
      "Excel 导入",
      "bureau",
    ]);
    expect(row[9]).toBe(REASON);
    const published = (await listed(page)).ruleBases.find((e) => e.version === VERSION);
    expect(published).toMatchObject({ origin: "excel", actor: "bureau", reason: REASON });
    // 发布时间 in China time, whatever the browser's zone (Los Angeles here).
    const shown = /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(row[8] ?? "");
    expect(shown, `发布时间「${row[8]}」`).not.toBeNull();
    expect(shown?.slice(1).map(Number)).toEqual(chinaFigures(published?.publishedAt ?? ""));
    // The edition holds the changed window.
    const edition = await page.evaluate(
      (v) => fetch(`/api/v1/audit/rule-bases/starter/${v}`).then((r) => r.json()),
      VERSION,
    );
    expect(edition.edition.rules[0].check.windowDays).toBe(10);

    // The same workbook, version and date again: nothing new.
    await submitForm(page, changed, VERSION, "重复提交");
    await expect(result.textContent()).resolves.toBe(
      `审核规则库版本 starter@${VERSION} 已发布过，内容相同，未重复发布`,
    );
    expect(await rowsOf(page, RULE_BASES)).toHaveLength(2);
    await page.context().close();
  });

  it("a workbook with bad rows is refused, every problem named by its row and column", async () => {
    const page = await regionPage("bureau");
    const bad = await edited(excel, (s) => {
      s.getCell("I3").value = '{"windowDays": 10, "sameHospital": ';
      s.getCell("H5").value = "no_such_check";
    });
    await submitForm(page, bad, "E2E-BAD", "测试错误的规则表", "错误的规则表.xlsx");
    const error = page.getByTestId("audit-publish-error");
    await error.waitFor();
    const json = "第 3 行「参数」：不是合法的 JSON（请检查括号、引号与逗号是否成对、完整）";
    await expect(error.locator("> div").first().textContent()).resolves.toBe(`审核规则表未导入：${json}`);
    const problems = await page.locator("[data-testid=audit-publish-problems] li").allTextContents();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(json);
    expect(problems[1]).toMatch(/^第 5 行「检查类型」：取值应为以下之一：“split_admission”/);
    expect((await listed(page)).ruleBases.map((e) => e.version)).toEqual(["2024.2", VERSION]);
    expect(await rowsOf(page, RULE_BASES)).toHaveLength(2);
    await page.context().close();
  });

  it("a hospital or a reviewer sees the editions but no form; an administrator sees the form", async () => {
    for (const role of ["hospital", "reviewer", "admin"] as const) {
      const page = await regionPage(role);
      const rows = await rowsOf(page, RULE_BASES);
      expect(
        rows.map((r) => [r[1], r[7], r[9]]),
        role,
      ).toEqual([
        ["2024.2", "—", "—"],
        [VERSION, "bureau", REASON],
      ]);
      await expect(page.locator(FORM).count(), role).resolves.toBe(role === "admin" ? 1 : 0);
      await expect(page.getByText("发布审核规则库新版本").count(), role).resolves.toBe(
        role === "admin" ? 1 : 0,
      );
      await page.context().close();
    }
  });
});
