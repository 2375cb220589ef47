/**
 * 医师画像 in Debian's Chromium: on a small demo region (1,500 stays over six months) the bureau runs
 * the audit of the range through the API, which stores its physician profile; the page opens on that
 * range (the latest audit with a profile) and shows what the API serves: the counts, the suspect
 * cluster, the alerts, the model's weights and CR, the watch list in its order, and each physician's
 * row (rank, cases, cluster, score, alert, indicators formatted as the console formats them). A month
 * without a profile shows the API's own message. A hospital account has no menu entry and the API
 * refuses it the data (403); a reviewer and an administrator have the entry.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { YibaoApp } from "@yibao/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "../../console/test/browser.js";
import {
  type DemoPlatform,
  getJson,
  openDemoPlatform,
  DEMO_PASSWORDS as PASSWORDS,
  postAs,
  signIn,
} from "./demo-platform.js";

const webDir = resolve(import.meta.dirname, "../../web");
const webDist = resolve(webDir, "dist");
const RANGE = "2025-01..2025-06";
/** A month of the range that was never audited on its own: it has no profile. */
const MONTH = "2025-03";

type Alert = "红色" | "橙色" | "黄色";
interface Profile {
  period: string;
  physicians: number;
  alerts: Record<Alert, number>;
  watchList: string[];
  model: {
    kept: string[];
    dropped: string[];
    weights: Record<string, number>;
    clusters: number;
    suspiciousCluster: number;
    alertQuartiles: [number, number];
    cr: number;
  };
  profiles: {
    physician: string;
    cases: number;
    values: Record<string, number>;
    cluster: number;
    score: number;
    alert: Alert | null;
    rank: number;
    watch: boolean;
  }[];
}

let platform: DemoPlatform;
let app: YibaoApp;
let browser: Browser;
let base: string;
let api: Profile;
let names: Record<string, string>;

beforeAll(async () => {
  requireChromium();
  if (!existsSync(resolve(webDist, "index.html"))) {
    const vite = await import("vite");
    await vite.build({ root: webDir, logLevel: "warn", configFile: resolve(webDir, "vite.config.ts") });
  }
  process.env.YIBAO_MASTER_KEY ??= randomBytes(32).toString("base64");
  platform = await openDemoPlatform({
    region: {
      stays: 1500,
      seed: 7,
      from: "2025-01-01",
      to: "2025-06-30",
      today: new Date("2025-08-15T00:00:00Z"),
      injectRate: 0.1,
    },
    payment: false,
    audit: false,
    console: { webDist, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  app = platform.app;
  // The bureau audits the range: its physician profile is stored with the findings.
  const bureau = await signIn(app, "bureau");
  const run = await postAs(app, bureau, "/api/v1/audit/runs", { period: RANGE });
  expect(run.statusCode, run.body.slice(0, 300)).toBe(201);
  api = await getJson<Profile>(app, bureau, `/api/v1/audit/physicians/profile?period=${RANGE}`);
  names = (await getJson<{ profileIndicators: Record<string, string> }>(app, bureau, "/api/v1/audit/meta"))
    .profileIndicators;
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** Signs in (in Los Angeles time, not China's); the console errors of the page are collected. */
async function signedIn(username: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: "zh-CN",
    timezoneId: "America/Los_Angeles",
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORDS[username] ?? "");
  await page.click("button[type=submit]");
  await page.getByTestId("current-user").waitFor();
  return { page, errors };
}

async function navLabels(page: Page): Promise<string[]> {
  return page.locator("nav a").allTextContents();
}

/** A table as the user reads it: its headers (without the sort mark) and one array of cell texts per row. */
async function tableOf(page: Page, testId: string): Promise<{ headers: string[]; rows: string[][] }> {
  const box = page.getByTestId(testId);
  const headers = (await box.locator("thead th").allTextContents()).map((h) => h.replace(/[▼▲]/g, "").trim());
  const rows = await box
    .locator(DATA_ROWS)
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => (td.textContent ?? "").trim())),
    );
  return { headers, rows };
}

/** The number a cell shows (thousands separators and % dropped). */
function shown(text: string): number {
  const m = /-?[\d,]+(\.\d+)?/.exec(text);
  if (m === null) throw new Error(`「${text}」中没有数字`);
  return Number(m[0].replace(/,/g, ""));
}

const kpi = (page: Page, id: string) => page.locator(`[data-testid=${id}] .kpi-value`).innerText();

describe("医师画像 in Chromium", () => {
  it("the API lists the audited range among the periods with a profile", async () => {
    const s = await signIn(app, "reviewer");
    const periods = await getJson<{ items: { period: string; physicians: number }[] }>(
      app,
      s,
      "/api/v1/audit/physicians/profile/periods",
    );
    expect(periods.items.map((p) => [p.period, p.physicians])).toEqual([[RANGE, api.physicians]]);
    // A region this small still has enough physicians for the model: at least 8, in 2 clusters or more.
    expect(api.physicians).toBeGreaterThanOrEqual(8);
    expect(api.watchList.length).toBeGreaterThan(0);
  });

  it("the bureau sees the latest profile with the API's counts, watch list, rows and chart", async () => {
    const { page, errors } = await signedIn("bureau");
    await page.click("nav >> text=医师画像");
    await page.locator(`[data-testid=profile-table] ${DATA_ROWS}`).first().waitFor();
    expect(await page.getByLabel("画像期号").inputValue()).toBe(RANGE);
    expect(await page.getByTestId("profile-period").innerText()).toContain("2025-01 至 2025-06");

    const m = api.model;
    expect(shown(await kpi(page, "profile-physicians"))).toBe(api.physicians);
    expect(shown(await kpi(page, "profile-clusters"))).toBe(m.clusters);
    const suspects = api.profiles.filter((p) => p.cluster === m.suspiciousCluster).length;
    expect(await kpi(page, "profile-suspect")).toBe(`簇 ${m.suspiciousCluster + 1}（${suspects} 名医师）`);
    expect(shown(await kpi(page, "profile-alert-red"))).toBe(api.alerts.红色);
    expect(shown(await kpi(page, "profile-alert-orange"))).toBe(api.alerts.橙色);
    expect(shown(await kpi(page, "profile-alert-yellow"))).toBe(api.alerts.黄色);
    expect(await kpi(page, "profile-cr")).toBe(m.cr.toFixed(4));
    const weights = await page.getByTestId("profile-weights").innerText();
    for (const k of m.kept)
      expect(weights).toContain(`${names[k]} ${((m.weights[k] ?? 0) * 100).toFixed(1)}%`);
    const dropped = await page.getByTestId("profile-dropped").innerText();
    expect(dropped).toBe(m.dropped.length ? m.dropped.map((k) => names[k]).join("，") : "无");

    // 重点关注名单 first, in the API's order; then every physician.
    const watch = await tableOf(page, "watch-list");
    expect(watch.rows.map((r) => r[watch.headers.indexOf("医师编码")])).toEqual(api.watchList);
    const first = api.profiles.find((p) => p.physician === api.watchList[0]);
    expect(watch.rows[0]?.[watch.headers.indexOf("预警级别")]).toBe("红色");
    expect(shown(watch.rows[0]?.[watch.headers.indexOf("综合得分")] ?? "")).toBe(
      Number(first?.score.toFixed(4)),
    );

    const table = await tableOf(page, "profile-table");
    expect(table.rows).toHaveLength(api.physicians);
    const col = (title: string) => {
      const i = table.headers.indexOf(title);
      expect(i, `列「${title}」`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // One physician of the suspect cluster with an alert and one of another cluster without.
    const alerted = api.profiles.find((p) => p.alert === "橙色" || p.alert === "黄色") ?? first;
    const plain = api.profiles.find((p) => p.alert === null);
    for (const p of [first, alerted, plain]) {
      if (p === undefined) continue;
      const row = table.rows.find((r) => r[col("医师编码")] === p.physician) ?? [];
      const where = `医师 ${p.physician}`;
      expect(shown(row[col("排名")] ?? ""), where).toBe(p.rank);
      expect(shown(row[col("病例数")] ?? ""), where).toBe(p.cases);
      expect(row[col("聚类")], where).toBe(
        `簇 ${p.cluster + 1}${p.cluster === m.suspiciousCluster ? " 疑点医生簇" : ""}`,
      );
      expect(row[col("综合得分")], where).toBe(p.score.toFixed(4));
      expect(row[col("预警级别")], where).toBe(p.alert ?? "—");
      // Indicators: CMI to 4 decimals, money in 元 from the profile's 元, shares in %.
      expect(row[col("CMI")], where).toBe((p.values.cmi ?? 0).toFixed(4));
      expect(shown(row[col("次均费用(元)")] ?? ""), where).toBeCloseTo(p.values.avgCost ?? 0, 2);
      expect(row[col("平均住院日(天)")], where).toBe((p.values.avgLos ?? 0).toFixed(2));
      expect(row[col("自费占比")], where).toBe(`${((p.values.ownPayShare ?? 0) * 100).toFixed(2)}%`);
      expect(row[col("疑点病例率")], where).toBe(`${((p.values.findingRate ?? 0) * 100).toFixed(2)}%`);
    }
    expect(plain, "另有非疑点簇的医师").toBeDefined();

    const chart = await page.getByTestId("profile-chart").innerText();
    expect(chart).toContain("各聚类医师综合得分");
    // The page asked nothing the API refused (no 404 of a period without a profile).
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a month without a profile shows the API's message", async () => {
    const { page } = await signedIn("bureau");
    await page.click("nav >> text=医师画像");
    await page.locator(`[data-testid=profile-table] ${DATA_ROWS}`).first().waitFor();
    await page.getByLabel("截止期号").selectOption(MONTH);
    await page.getByLabel("起始期号").selectOption(MONTH);
    const message = await page.evaluate(
      (period) =>
        fetch(`/api/v1/audit/physicians/profile?period=${period}`).then(async (r) => ({
          status: r.status,
          ...((await r.json()) as { code: string; message: string }),
        })),
      MONTH,
    );
    expect(message).toMatchObject({ status: 404, code: "NO_PROFILE" });
    await expect
      .poll(() =>
        page
          .getByTestId("no-profile")
          .innerText()
          .catch(() => ""),
      )
      .toBe(message.message);
    expect(message.message).toContain(MONTH);
    expect(await page.getByTestId("profile-table").count()).toBe(0);
    await page.context().close();
  });

  it("a hospital has no menu entry and the API refuses it the data; a reviewer and an administrator have it", async () => {
    const { page } = await signedIn("hospital");
    expect(await navLabels(page)).not.toContain("医师画像");
    const statuses = await page.evaluate(
      (range) =>
        Promise.all(
          [
            `/api/v1/audit/physicians/profile?period=${range}`,
            "/api/v1/audit/physicians/profile/periods",
          ].map((u) => fetch(u).then((r) => r.status)),
        ),
      RANGE,
    );
    expect(statuses).toEqual([403, 403]);
    await page.goto(`${base}/physicians`);
    await page.getByTestId("current-user").waitFor();
    expect(await page.locator(".content").innerText()).toBe("页面不存在");
    await page.context().close();
    for (const role of ["reviewer", "admin"]) {
      const other = await signedIn(role);
      expect(await navLabels(other.page), role).toContain("医师画像");
      await other.page.context().close();
    }
  });
});
