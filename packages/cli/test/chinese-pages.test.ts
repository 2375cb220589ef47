/**
 * Every page in Chinese (issue 15), in Debian's Chromium: each role signs in and opens every page of
 * its menu (and a list's and a finding's detail); the test fails on an English word in the page's text
 * (codes, abbreviations such as DRG and names excepted), a visible native file picker (the browser's
 * "Choose File"), or any JavaScript error or console error, including the 401 a page load used to
 * log before sign-in; and the overview's headline figures (区域概览 for the bureau, 本院概览 for a
 * hospital) must be the figures the API serves, read off the page as a user reads them.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { YibaoApp } from "@yibao/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "../../console/test/browser.js";
import { type DemoPlatform, openDemoPlatform, DEMO_PASSWORDS as PASSWORDS } from "./demo-platform.js";
import { englishWords } from "./english-words.js";

const REPO = resolve(import.meta.dirname, "../../..");
const webDist = resolve(REPO, "packages/web/dist");
const YEAR = 2025;

let platform: DemoPlatform;
let app: YibaoApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  requireChromium();
  if (!existsSync(resolve(webDist, "index.html")))
    throw new Error("请先构建控制台：npm run build -w packages/web");
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
    console: { webDist, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  app = platform.app;
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** A page whose JavaScript errors and console errors are collected. */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

/** Waits until the page has no loading text left (or a few seconds have passed). */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page
    .waitForFunction(() => !document.body.innerText.includes("加载中"), undefined, { timeout: 8000 })
    .catch(() => undefined);
}

async function checkPage(page: Page, where: string): Promise<void> {
  await settled(page);
  const text = await page.locator("body").innerText();
  expect(englishWords(text), `${where} 页面中的英文`).toEqual([]);
  // A file input may be there, visually hidden behind a Chinese button (at most 1 × 1 pixel).
  const boxes = await page
    .locator("input[type=file]")
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  const visiblePickers = boxes.filter((w) => w > 1).length;
  expect(visiblePickers, `${where} 显示了浏览器自带的（英文）文件按钮`).toBe(0);
}

describe("every page in Chinese, without errors", () => {
  it("recognises English words but not codes, abbreviations or names", () => {
    expect(englishWords("请求体.zzz：must not have additional properties")).toEqual([
      "must",
      "not",
      "have",
      "additional",
      "properties",
    ]);
    expect(englishWords("GD15 DRG CMI H21010200001 demo-weights@2025 bureau QC-001 Choose File")).toEqual([
      "Choose",
      "File",
    ]);
  });

  it("logs no error before sign-in", async () => {
    const { page, errors } = await watchedPage();
    await page.goto(`${base}/`);
    await page.locator("input[name=username]").waitFor();
    await checkPage(page, "登录");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  /**
   * The overview's indicator tiles against `/api/v1/console/overview` fetched in the same session: each
   * shown number, parsed from its text, is the API's value to the digits shown (money in 元 from fen,
   * ratios in %, counts exactly); a missing value shows 「—」.
   */
  async function headlinesAgree(page: Page, role: string): Promise<number> {
    await page.getByTestId("kpis").waitFor();
    await settled(page);
    const tiles = await page.locator("[data-testid=kpis] .kpi").evaluateAll((els) =>
      els.map((e) => ({
        name: e.querySelector(".kpi-name")?.textContent ?? "",
        text: e.querySelector(".kpi-value")?.textContent ?? "",
      })),
    );
    const [overview, meta] = await page.evaluate(async () =>
      Promise.all([
        fetch("/api/v1/console/overview").then((r) => r.json()),
        fetch("/api/v1/console/meta").then((r) => r.json()),
      ]),
    );
    const defs = meta.indicators as { id: string; name: string; kind: string }[];
    const values = overview.values as Record<string, number | null>;
    for (const t of tiles) {
      const def = defs.find((d) => d.name === t.name);
      expect(def, `${role} 概览指标「${t.name}」`).toBeDefined();
      const v = values[def?.id ?? ""] ?? null;
      const where = `${role} 概览「${t.name}」显示 ${t.text}，接口为 ${v}`;
      if (v === null) {
        expect(t.text.trim(), where).toBe("—");
        continue;
      }
      const m = /-?[\d,]+(\.\d+)?/.exec(t.text);
      expect(m, where).not.toBeNull();
      const shown = Number((m?.[0] ?? "").replace(/,/g, ""));
      switch (def?.kind) {
        case "money": // 元 with two decimals, from fen
          expect(Math.abs(shown * 100 - v), where).toBeLessThanOrEqual(0.5 + 1e-6);
          break;
        case "ratio": // percent with two decimals
          expect(t.text, where).toContain("%");
          expect(Math.abs(shown / 100 - v), where).toBeLessThanOrEqual(0.00005 + 1e-9);
          break;
        case "count":
          expect(shown, where).toBe(v);
          break;
        case "statistic": // four decimals
          expect(Math.abs(shown - v), where).toBeLessThanOrEqual(0.00005 + 1e-9);
          break;
        default: // at most two decimals
          expect(Math.abs(shown - v), where).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    }
    return tiles.length;
  }

  for (const role of ["bureau", "reviewer", "hospital", "admin"] as const) {
    it(`shows every page of ${role} in Chinese`, async () => {
      const { page, errors } = await watchedPage();
      await page.goto(`${base}/`);
      await page.fill("input[name=username]", role);
      await page.fill("input[name=password]", PASSWORDS[role] ?? "");
      await page.click("button[type=submit]");
      await page.getByTestId("current-user").waitFor();
      // The first page is the overview: its headline figures are the API's.
      if (role === "bureau" || role === "hospital") {
        expect(await headlinesAgree(page, role)).toBeGreaterThanOrEqual(10);
      }
      const links = await page
        .locator("nav a")
        .evaluateAll((as) =>
          as.map((a) => ({ href: a.getAttribute("href") ?? "", label: a.textContent ?? "" })),
        );
      expect(links.length).toBeGreaterThan(3);
      for (const l of links) {
        await page.click(`nav a[href="${l.href}"]`);
        await checkPage(page, `${role} ${l.label}`);
        // The detail behind the first row of the lists and of the audit findings.
        if ((l.href === "/lists" || l.href === "/audit") && (await page.locator(DATA_ROWS).count()) > 0) {
          await page.locator(DATA_ROWS).first().click();
          await checkPage(page, `${role} ${l.label}详情`);
        }
      }
      expect(errors, `${role} 的控制台错误`).toEqual([]);
      await page.context().close();
    });
  }
});
