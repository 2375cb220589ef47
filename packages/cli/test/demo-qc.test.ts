/**
 * The demo's QC findings (issue 15): on a demo region loaded as `yibao serve --demo` loads it, a few
 * percent of the lists have QC findings (some refused), the QC API, the console's 质控问题 and its list
 * filters count them alike, and the QC appeal flow works on the demo's own findings: a hospital
 * account appeals one of its findings (质控申诉), the bureau rejects one and accepts another, and the
 * hospital sees each decision — through the API, and once in Debian's Chromium (screenshots in
 * `test-artifacts/demo-qc/`). The operation log says it in Chinese.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { YibaoApp } from "@yibao/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_ROWS, launchChromium, requireChromium } from "../../console/test/browser.js";
import type { DemoRegionResult } from "../src/demo-region.js";
import {
  DEMO_PASSWORDS,
  type DemoPlatform,
  getJson,
  openDemoPlatform,
  postAs,
  REPO,
  type Session,
  signIn as signInAs,
  WEB_DIST,
} from "./demo-platform.js";
import { englishWords } from "./english-words.js";

const webDist = WEB_DIST;
const artifacts = resolve(REPO, "test-artifacts/demo-qc");
const YEAR = 2025;
const STAYS = 1500;

let platform: DemoPlatform;
let app: YibaoApp;
let region: DemoRegionResult;

const signIn = (username: string) => signInAs(platform.app, username);
const get = <T>(s: Session, url: string) => getJson<T>(platform.app, s, url);
const post = (s: Session, url: string, payload: unknown) => postAs(platform.app, s, url, payload);

interface ListRow {
  setlId: string;
  hospital: string;
  status: string;
}
interface Finding {
  seq: number;
  ruleId: string;
  severity: string;
  message: string;
}
interface Appeal {
  id: number;
  setl_id: string;
  seq: number;
  status: string;
  decided_by: string | null;
  decision_comment: string | null;
}

beforeAll(async () => {
  process.env.YIBAO_MASTER_KEY ??= randomBytes(32).toString("base64");
  platform = await openDemoPlatform({
    region: {
      stays: STAYS,
      seed: 7,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
    },
    payment: false,
    audit: false,
    console: { webDist: WEB_DIST, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  ({ app, region } = platform);
}, 300_000);

afterAll(async () => {
  await platform?.close();
});

describe("the demo's QC findings", () => {
  it("a few percent of the lists have findings, some refused; the QC API and the console count them alike", async () => {
    const bureau = await signIn("bureau");
    const qc = await get<{
      total: { lists: number; accepted: number; refused: number };
      findingsByRule: { ruleId: string; severity: string; findings: number; lists: number }[];
    }>(bureau, "/api/v1/qc/indicators");
    const rules = (
      await get<{ rows: { ruleId: string; severity: string; findings: number; lists: number }[] }>(
        bureau,
        "/api/v1/console/qc/rules",
      )
    ).rows;
    const count = async (query: string) =>
      (await get<{ total: number }>(bureau, `/api/v1/console/lists?limit=1&${query}`)).total;
    const flagged = await count("hasFindings=true");
    const refused = await count("status=refused");

    expect(qc.total.lists).toBe(STAYS);
    // Between 1% and 6% of the lists have a finding; some are refused, some accepted with a warning.
    expect(flagged / STAYS).toBeGreaterThanOrEqual(0.01);
    expect(flagged / STAYS).toBeLessThanOrEqual(0.06);
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(flagged);
    expect(qc.total.refused).toBe(refused);
    expect(qc.total.accepted).toBe(STAYS - refused);
    expect(region.accepted).toBe(STAYS - refused);
    // Each defective list has one defect finding: the loader's count of defects is the lists under the
    // defect rules. The other lists with a finding are the labelled 有意歧义 (QY) cases, warned by QC-DX-010.
    const DEFECT_RULES = ["QC-CODE-002", "QC-FEE-002", "QC-FEE-003", "QC-REQ-001", "QC-TIME-001"];
    const underDefectRules = rules
      .filter((r) => DEFECT_RULES.includes(r.ruleId))
      .reduce((a, r) => a + r.lists, 0);
    expect(Object.values(region.defects).reduce((a, n) => a + n, 0)).toBe(underDefectRules);
    const ambiguous = await count("ruleId=QC-DX-010");
    expect(flagged).toBeLessThanOrEqual(underDefectRules + ambiguous);
    expect(flagged).toBeGreaterThanOrEqual(underDefectRules);
    // 质控问题 (the console) and the QC API: the same rules with the same numbers.
    const key = (r: { ruleId: string; severity: string; findings: number; lists: number }) =>
      `${r.ruleId}|${r.severity}|${r.findings}|${r.lists}`;
    expect(rules.map(key).sort()).toEqual(
      qc.findingsByRule
        .filter((r) => r.findings > 0)
        .map(key)
        .sort(),
    );
    // The demo's defects (late uploads, empty required fields, bad codes, fees that do not balance) and
    // the QY cases' warning: no other rule.
    for (const r of rules) expect([...DEFECT_RULES, "QC-DX-010"]).toContain(r.ruleId);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    expect(rules.reduce((a, r) => a + r.lists, 0)).toBe(flagged);
    // The lists behind each rule (the 质控问题 row's link) are as many as the rule says.
    for (const r of rules) expect(await count(`ruleId=${r.ruleId}`), r.ruleId).toBe(r.lists);
    // Refused lists are those with an error finding.
    const errors = rules.filter((r) => r.severity === "error").reduce((a, r) => a + r.lists, 0);
    expect(errors).toBe(refused);
  });

  it("a hospital appeals its own demo findings, the bureau rejects one and accepts another, the hospital sees both", async () => {
    const hospital = await signIn("hospital");
    const bureau = await signIn("bureau");
    const me = await get<{ user: { hospitalCode: string } }>(hospital, "/api/v1/console/meta");
    const own = (await get<{ rows: ListRow[] }>(hospital, "/api/v1/console/lists?hasFindings=true&limit=50"))
      .rows;
    expect(own.length).toBeGreaterThanOrEqual(3);
    for (const l of own) expect(l.hospital).toBe(me.user.hospitalCode);
    const findingOf = async (setlId: string) =>
      (await get<{ findings: Finding[] }>(hospital, `/api/v1/console/lists/${setlId}`))
        .findings[0] as Finding;

    const [first, second] = own as [ListRow, ListRow];
    const f1 = await findingOf(first.setlId);
    const f2 = await findingOf(second.setlId);
    const filed1 = await post(hospital, "/api/v1/console/appeals", {
      setlId: first.setlId,
      seq: f1.seq,
      reason: "已核对原始病案，该问题系接口传输所致，申请撤销",
    });
    expect(filed1.statusCode, filed1.body).toBe(201);
    const filed2 = await post(hospital, "/api/v1/console/appeals", {
      setlId: second.setlId,
      seq: f2.seq,
      reason: "信息系统升级期间延迟，附情况说明",
    });
    expect(filed2.statusCode, filed2.body).toBe(201);
    const id1 = (filed1.json() as Appeal).id;
    const id2 = (filed2.json() as Appeal).id;
    // The same finding cannot be appealed twice; another hospital's finding is not this hospital's.
    const again = await post(hospital, "/api/v1/console/appeals", {
      setlId: first.setlId,
      seq: f1.seq,
      reason: "重复提交",
    });
    expect(again.statusCode).toBe(409);
    const others = (
      await get<{ rows: ListRow[] }>(bureau, "/api/v1/console/lists?hasFindings=true&limit=200")
    ).rows.filter((l) => l.hospital !== me.user.hospitalCode);
    expect(others.length).toBeGreaterThan(0);
    const foreign = await post(hospital, "/api/v1/console/appeals", {
      setlId: (others[0] as ListRow).setlId,
      seq: 0,
      reason: "不是本院的清单",
    });
    expect(foreign.statusCode).toBe(404);
    expect((foreign.json() as { message: string }).message).toContain("未找到本院清单");

    // The bureau's queue holds both; it rejects the first and accepts the second.
    const pending = (await get<{ rows: Appeal[] }>(bureau, "/api/v1/console/appeals?status=pending")).rows;
    expect(pending.map((a) => a.id).sort()).toEqual([id1, id2].sort());
    const reject = await post(bureau, `/api/v1/console/appeals/${id1}/decision`, {
      decision: "rejected",
      comment: "病案首页与上传数据一致，问题成立，驳回申诉",
    });
    expect(reject.statusCode, reject.body).toBe(200);
    const accept = await post(bureau, `/api/v1/console/appeals/${id2}/decision`, {
      decision: "accepted",
      comment: "情况说明属实，申诉成立",
    });
    expect(accept.statusCode, accept.body).toBe(200);
    const twice = await post(bureau, `/api/v1/console/appeals/${id2}/decision`, {
      decision: "rejected",
      comment: "再次审核",
    });
    expect(twice.statusCode).toBe(409);

    // The hospital sees each decision, by whom and why.
    const mine = (await get<{ rows: Appeal[] }>(hospital, "/api/v1/console/appeals")).rows;
    expect(mine.find((a) => a.id === id1)).toMatchObject({
      status: "rejected",
      decided_by: "bureau",
      decision_comment: "病案首页与上传数据一致，问题成立，驳回申诉",
    });
    expect(mine.find((a) => a.id === id2)).toMatchObject({ status: "accepted", decided_by: "bureau" });
    expect((await get<{ rows: Appeal[] }>(bureau, "/api/v1/console/appeals?status=pending")).rows).toEqual(
      [],
    );

    // The operation log says it in Chinese: who filed and who decided what, no English word.
    const admin = await signIn("admin");
    const log = (
      await get<{ rows: { action: string; detailText: string; target: string; status_code: number }[] }>(
        admin,
        "/api/v1/console/oplog?limit=50",
      )
    ).rows.filter((r) => r.action === "提交申诉" || r.action === "审核申诉");
    // Two appeals filed and two decided; the refused attempts (409, 404, 409) are logged as such.
    expect(log.filter((r) => r.status_code < 300).length).toBe(4);
    expect(
      log
        .filter((r) => r.status_code >= 400)
        .map((r) => r.status_code)
        .sort(),
    ).toEqual([404, 409, 409]);
    const decided = log.find((r) => r.action === "审核申诉" && r.detailText.includes(`申诉编号：${id1}；`));
    expect(decided?.detailText).toContain("决定：申诉驳回");
    const filed = log.find((r) => r.action === "提交申诉" && r.detailText.includes(first.setlId));
    expect(filed?.detailText).toContain(`规则编号：${f1.ruleId}`);
    for (const r of log) expect(englishWords(`${r.detailText} ${r.target}`), r.detailText).toEqual([]);
  });
});

describe("the demo's QC appeal in Chromium", () => {
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    requireChromium();
    if (!existsSync(resolve(webDist, "index.html")))
      throw new Error("请先构建控制台：npm run build -w packages/web");
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(username: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${base}/`);
    await page.fill("input[name=username]", username);
    await page.fill("input[name=password]", DEMO_PASSWORDS[username] ?? "");
    await page.click("button[type=submit]");
    await page.getByTestId("current-user").waitFor();
    return { page, errors };
  }

  it("the overview's hospital chart names every hospital, each label clear of the legend and of the others", async () => {
    const b = await open("bureau");
    const ranking = (await b.page.evaluate(() => fetch("/api/v1/console/ranking").then((r) => r.json()))) as {
      rows: { name: string }[];
    };
    const names = ranking.rows.map((r) => r.name);
    expect(names.length).toBe(20);
    const chart = b.page.getByTestId("hospital-chart");
    await expect
      .poll(async () => chart.locator("svg text").count(), { timeout: 10_000 })
      .toBeGreaterThan(names.length);
    await b.page.waitForTimeout(500); // the bars' animation
    const texts = await chart.locator("svg text").evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent ?? "", x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    type Box = (typeof texts)[number];
    const overlap = (p: Box, q: Box) =>
      p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
    const labels = texts.filter((t) => names.includes(t.text));
    const legend = texts.filter((t) => ["CMI", "费用消耗指数", "时间消耗指数"].includes(t.text));
    // Every hospital's whole name is drawn once, none hidden (ECharts drops labels it has no room for).
    expect(labels.map((t) => t.text).sort()).toEqual([...names].sort());
    expect(legend.length).toBe(3);
    for (const l of labels) {
      expect(l.w, l.text).toBeGreaterThan(0);
      for (const g of legend) expect(overlap(l, g), `图例「${g.text}」遮住了「${l.text}」`).toBe(false);
      for (const o of labels)
        if (o !== l) expect(overlap(l, o), `「${l.text}」与「${o.text}」重叠`).toBe(false);
    }
    await b.page.screenshot({ path: resolve(artifacts, "bureau-overview.png"), fullPage: true });
    expect(b.errors).toEqual([]);
    await b.page.context().close();
  });

  it("hospital2 appeals a demo finding from 质控问题, the bureau accepts it, hospital2 sees 申诉成立", async () => {
    const h = await open("hospital2");
    await h.page.click("nav >> text=质控问题");
    const qcRows = h.page.getByTestId("qc-table").locator(DATA_ROWS);
    await qcRows.first().waitFor();
    await h.page.screenshot({ path: resolve(artifacts, "hospital-qc.png"), fullPage: true });
    // The rule's row leads to the lists behind it; the first one's detail holds the finding.
    await qcRows.first().click();
    const lists = h.page.getByTestId("lists-table").locator(DATA_ROWS);
    await lists.first().waitFor();
    await lists.first().click();
    const finding = h.page.locator("[data-testid=findings-table] tbody tr").first();
    await finding.waitFor();
    const setlId = decodeURIComponent(new URL(h.page.url()).pathname.split("/").pop() ?? "");
    expect(setlId).toMatch(/\S/);
    await finding.locator("input").fill("经核实系院内接口传输遗漏，已补正，申请撤销");
    await finding.locator("button:has-text('提交申诉')").click();
    await h.page.locator(".note").waitFor();
    expect(await h.page.locator(".note").textContent()).toContain("申诉已提交");
    await h.page.screenshot({ path: resolve(artifacts, "hospital-appeal.png"), fullPage: true });

    const b = await open("bureau");
    await b.page.click("nav >> text=质控申诉");
    const row = b.page.locator("[data-testid=appeals-table] tbody tr", { hasText: setlId });
    await row.waitFor();
    await row.locator("input").fill("情况说明属实，申诉成立");
    await row.locator("button:has-text('申诉成立')").click();
    await b.page.locator(".note").waitFor();
    expect(await b.page.locator(".note").textContent()).toContain("判定成立");
    await b.page.screenshot({ path: resolve(artifacts, "bureau-appeals.png"), fullPage: true });

    await h.page.click("nav >> text=质控申诉");
    const decided = h.page.locator("[data-testid=appeals-table] tbody tr", { hasText: setlId });
    await decided.waitFor();
    await expect.poll(async () => decided.textContent()).toContain("情况说明属实，申诉成立");
    const text = (await decided.textContent()) ?? "";
    // The decision is read without scrolling: its cell lies inside the 1400-pixel-wide window.
    const cell = decided.locator("td", { hasText: "申诉成立" }).first();
    const box = await cell.boundingBox();
    expect(box && box.x + box.width, "状态列在可见区域内").toBeLessThanOrEqual(1400);
    expect(englishWords(text)).toEqual([]);
    await h.page.screenshot({ path: resolve(artifacts, "hospital-appeal-decided.png"), fullPage: true });
    expect([...h.errors, ...b.errors]).toEqual([]);
    await h.page.context().close();
    await b.page.context().close();
  });
});
