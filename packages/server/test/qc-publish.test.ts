/**
 * The bureau publishes QC editions through the API and Excel (issue 12 item 4): validated as a pack's
 * are, dated today or later, never an edit of a released one, kept with who/when/why, taken up by
 * the intake at once and by other servers on the same database; hospitals may read, not publish.
 */
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { DEFAULT_QC_RULES, type QcRuleSet } from "@yibao/settlement";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, identityDb, listOperations, sampleSettlementMessage } from "../src/index.js";
import { demoScheme, signIn, type TestServer, testServer, withHeaders } from "./helpers.js";

const TODAY = shanghaiDate(Date.now());
const YESTERDAY = addDays(TODAY, -1);
const TOMORROW = addDays(TODAY, 1);

/** A rule of an existing kind that refuses lists whose 参保地 is not in 苏州 (3205xx). */
const REGION_RULE = {
  id: "QC-REGION-001",
  check: "pattern",
  category: "format",
  severity: "error",
  message: "{label}（{field}）应为本统筹区{format}，实际为「{value}」",
  params: {
    checks: [{ fields: ["setlinfo.insuplc"], regex: "^3205\\d{2}$", format: "苏州市区划代码（3205 开头）" }],
  },
} as const;

function edition(version: string, effectiveDate: string, extra: readonly object[] = [REGION_RULE]) {
  return {
    id: "test-city-qc",
    version,
    effectiveDate,
    source: "测试市医保局",
    rules: [...DEFAULT_QC_RULES.rules, ...extra],
  };
}

type Reply = { statusCode: number; json(): Record<string, unknown> & { details?: { message: string }[] } };

let t: TestServer;
beforeAll(async () => {
  t = await testServer("pglite");
});
afterAll(async () => t?.close());

const publish = (body: object, app = t.app) =>
  app.inject({ method: "POST", url: "/api/v1/qc/editions/rules", payload: body }) as Promise<Reply>;
const upload = (m: object) =>
  t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: m }) as Promise<Reply>;

describe("publishing a QC rule edition as JSON", () => {
  it("an edition dated yesterday is refused (it would change past results); today is published", async () => {
    const back = await publish({ edition: edition("Y", YESTERDAY), reason: "测试" });
    expect(back.statusCode).toBe(400);
    expect(back.json()).toMatchObject({ code: "INVALID_EDITION" });
    expect(String(back.json().message)).toContain(`生效日期 ${YESTERDAY} 早于今天 ${TODAY}`);

    const r = await publish({ edition: edition("2026A", TODAY), reason: "增加参保地校验" });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: "created",
      edition: { id: "test-city-qc", version: "2026A", effectiveDate: TODAY },
    });
  });

  it("takes effect at once: discharged yesterday is checked by the old edition, today by the new", async () => {
    // sampleSettlementMessage(n, {today: D}) is discharged 1 + n % 5 days before D, at 10:00, 参保地 210102.
    const yesterday = await upload(sampleSettlementMessage(0, { today: TODAY, prefix: "Q" }));
    expect(yesterday.json()).toMatchObject({ accepted: true, findings: [] });
    const today = await upload(sampleSettlementMessage(0, { today: TOMORROW, prefix: "R" }));
    const ids = (today.json().findings as { ruleId: string; message: string }[]).map((f) => f.ruleId);
    expect(ids).toContain("QC-REGION-001");
    expect(today.json().accepted).toBe(false);
    // The same lists through the preparer, received tomorrow at noon: only the date decides.
    const at = new Date(`${TOMORROW}T12:00:00+08:00`);
    const rulesOf = (n: number) =>
      t.raw.yibao
        .prepareList(sampleSettlementMessage(n, { today: TOMORROW }), at)
        .findings.map((f) => f.ruleId);
    expect(rulesOf(0)).toEqual(["QC-REGION-001"]); // discharged today, the first day of the edition
    expect(rulesOf(1)).toEqual([]); // discharged yesterday, one day before it
  });

  it("lists the edition with who published it, when and why, and writes the operation log", async () => {
    const r = (await t.app.inject({ method: "GET", url: "/api/v1/qc/editions" })).json() as {
      rules: {
        id: string;
        version: string;
        inForce: boolean;
        origin: string;
        actor: string | null;
        reason: string | null;
      }[];
    };
    expect(r.rules.map((e) => [e.id, e.version, e.origin, e.inForce])).toEqual([
      [DEFAULT_QC_RULES.id, DEFAULT_QC_RULES.version, "built-in", false],
      ["test-city-qc", "2026A", "api", true],
    ]);
    expect(r.rules[1]).toMatchObject({ reason: "增加参保地校验" });
    expect(r.rules[1]?.actor).toMatch(/^bureau-/);
    const one = await t.app.inject({ method: "GET", url: "/api/v1/qc/editions/rules/test-city-qc/2026A" });
    expect(one.json()).toMatchObject({
      edition: { rules: expect.any(Array) },
      provenance: { origin: "api" },
    });
    const log = await listOperations(identityDb(t.store), { limit: 50, offset: 0 });
    const ops = log.filter((o) => o.action === "发布质控规则版本");
    expect(ops.map((o) => o.status_code)).toContain(201);
  });

  it("the same edition again is answered 200 and writes nothing; other content under its version is 409", async () => {
    const again = await publish({ edition: edition("2026A", TODAY), reason: "重复提交" });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: "unchanged" });
    const changed = await publish({ edition: edition("2026A", TODAY, []), reason: "改动已发布版本" });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({ code: "VERSION_EXISTS" });
    const moved = await publish({ edition: edition("2026A", TOMORROW), reason: "改生效日期" });
    expect(moved.statusCode).toBe(409);
    const sameDay = await publish({ edition: edition("2026B", TODAY, []), reason: "同日第二版" });
    expect(sameDay.statusCode).toBe(409);
    expect(sameDay.json()).toMatchObject({ code: "EDITION_DATE_TAKEN" });
    expect(String(sameDay.json().message)).toContain("test-city-qc@2026A");
    const rows = await t.store.db.selectFrom("published_edition").select("version").execute();
    expect(rows.map((x) => x.version)).toEqual(["2026A"]);
  });

  it("an edition that a pack would refuse is refused the same way, naming the rule", async () => {
    const badKind = await publish({
      edition: edition("K", TOMORROW, [{ ...REGION_RULE, id: "QC-X-1", check: "noSuchKind" }]),
      reason: "测试",
    });
    expect(badKind.statusCode).toBe(400);
    const at = DEFAULT_QC_RULES.rules.length;
    expect(badKind.json().details?.map((d) => d.message)).toContain(
      `rules[${at}] 未知的检查类型 "noSuchKind"`,
    );
    const badParams = await publish({
      edition: edition("P", TOMORROW, [
        { ...REGION_RULE, params: { checks: [{ fields: ["setlinfo.insuplc"] }] } },
      ]),
      reason: "测试",
    });
    expect(badParams.statusCode).toBe(400);
    expect(String(badParams.json().message)).toContain("QC-REGION-001");
    const noDate = await publish({
      edition: { ...edition("D", TOMORROW), effectiveDate: "2026-02-30" },
      reason: "x",
    });
    expect(noDate.statusCode).toBe(400);
    const noReason = await publish({ edition: edition("R", TOMORROW) });
    expect(noReason.statusCode).toBe(400);
    const rows = await t.store.db.selectFrom("published_edition").select("version").execute();
    expect(rows).toHaveLength(1);
  });
});

describe("publishing a QC target edition", () => {
  it("is validated, dated, and judges the indicators of a range ending on or after its date", async () => {
    const targets = (version: string, effectiveDate: string, value: string) => ({
      edition: {
        id: "test-city-targets",
        source: "测试市医保局",
        version,
        effectiveDate,
        targets: [{ indicator: "ungroupedShare", comparison: "<", value }],
      },
      reason: "调整 0000 组占比目标",
    });
    const post = (body: object) =>
      t.app.inject({ method: "POST", url: "/api/v1/qc/editions/targets", payload: body });
    const bad = await post(targets("T0", TODAY, "abc"));
    expect(bad.statusCode).toBe(400);
    expect((await post(targets("T0", YESTERDAY, "0.2%"))).statusCode).toBe(400);
    expect((await post(targets("T1", TODAY, "0.2%"))).statusCode).toBe(201);
    const period = TODAY.slice(0, 7);
    const r = await t.app.inject({ method: "GET", url: `/api/v1/qc/indicators?period=${period}` });
    expect(r.json().targets).toMatchObject({
      id: "test-city-targets",
      version: "T1",
      total: [{ target: "0.2%" }],
    });
    const list = (await t.app.inject({ method: "GET", url: "/api/v1/qc/editions" })).json() as {
      targets: { version: string; origin: string; reason: string | null }[];
    };
    expect(list.targets.at(-1)).toMatchObject({
      version: "T1",
      origin: "api",
      reason: "调整 0000 组占比目标",
    });
  });
});

describe("who may publish", () => {
  it("a hospital or a reviewer (审核员) may read the editions but not publish; no credentials is 401", async () => {
    for (const role of ["hospital", "reviewer"] as const) {
      const app = withHeaders(
        t.raw,
        await signIn(t.raw, t.store, role, role === "hospital" ? "H21010200001" : null),
      );
      expect(
        (await publish({ edition: edition(`X-${role}`, TOMORROW), reason: "越权" }, app)).statusCode,
      ).toBe(403);
      const list = await app.inject({ method: "GET", url: "/api/v1/qc/editions" });
      expect(list.statusCode).toBe(200);
    }
    expect((await publish({ edition: edition("X-anon", TOMORROW), reason: "匿名" }, t.raw)).statusCode).toBe(
      401,
    );
    // The access decision is on the matched route, not the URL text: a percent-encoded path is the same route.
    const hospital = withHeaders(t.raw, await signIn(t.raw, t.store, "hospital", "H21010200001"));
    for (const url of [
      "/api/v1/qc/editions/%72ules",
      "/api/v1/qc/editions/rules/",
      "/api/v1/qc/editions/rules/%69mport",
    ]) {
      const r = await hospital.inject({
        method: "POST",
        url,
        payload: { edition: edition("X-enc", TOMORROW), reason: "x" },
      });
      expect([403, 404], url).toContain(r.statusCode);
    }
    // Wrong types are 400 with a Chinese message, never 5xx.
    for (const body of [
      { edition: [], reason: "x" },
      { edition: "x", reason: "x" },
      { edition: {}, reason: 1 },
      { edition: {}, reason: "x".repeat(501) },
      [],
    ]) {
      const r = await publish(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(String(r.json().message)).toMatch(/[\u4e00-\u9fff]/);
    }
    const rows = await t.store.db
      .selectFrom("published_edition")
      .select("version")
      .where("kind", "=", "qc-rules")
      .execute();
    expect(rows).toHaveLength(1);
  });
});

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet("质控规则"));
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

describe("the rule table in Excel", () => {
  const importRules = (body: object) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/qc/editions/rules/import",
      payload: body,
    }) as Promise<Reply>;

  it("exports an edition, and the same workbook imported as a new version gives the same rules", async () => {
    const r = await t.app.inject({
      method: "GET",
      url: "/api/v1/qc/editions/rules/test-city-qc/2026A/export",
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("质控规则");
    expect(sheet?.getRow(1).getCell(1).value).toBe("规则编号");
    // One row per rule after the header; the last is the region's rule, its parameters as JSON.
    expect(sheet?.rowCount).toBe(DEFAULT_QC_RULES.rules.length + 2);
    const last = sheet?.getRow(DEFAULT_QC_RULES.rules.length + 2);
    expect(last?.getCell(1).value).toBe("QC-REGION-001");
    expect(last?.getCell(4).value).toBe("错误");
    expect(JSON.parse(String(last?.getCell(10).value))).toEqual(REGION_RULE.params);

    const imported = await importRules({
      version: "2026X",
      effectiveDate: TOMORROW,
      reason: "Excel 往返",
      file: r.rawPayload.toString("base64"),
    });
    expect(imported.statusCode).toBe(201);
    // The id came from the workbook's 版本 sheet.
    expect(imported.json()).toMatchObject({ edition: { id: "test-city-qc", version: "2026X" } });
    const get = async (v: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/qc/editions/rules/test-city-qc/${v}` })).json() as {
        edition: QcRuleSet;
        provenance: { origin: string };
      };
    const [a, b] = [await get("2026A"), await get("2026X")];
    expect(b.edition.rules).toEqual(a.edition.rules);
    expect(b.provenance.origin).toBe("excel");
    // Imported again: nothing new.
    const again = await importRules({
      version: "2026X",
      effectiveDate: TOMORROW,
      reason: "重复导入",
      file: r.rawPayload.toString("base64"),
    });
    expect(again.statusCode).toBe(200);
  });

  it("names the row and column of a bad cell, and the row of a rule the validator refuses", async () => {
    const header = [
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
    const badJson = await workbook((s) => {
      s.addRow(header);
      s.addRow(["QC-R-1", "pattern", "数据格式", "错误", "是", "", "", "{label}有误", "", '{"checks": [']);
    });
    const r1 = await importRules({
      id: "x",
      version: "1",
      effectiveDate: TOMORROW,
      reason: "r",
      file: badJson,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().code).toBe("INVALID_WORKBOOK");
    expect(String(r1.json().message)).toContain("第 2 行「参数」：不是合法的 JSON");
    const badKind = await workbook((s) => {
      s.addRow(header);
      s.addRow([]);
      s.addRow(["QC-R-1", "noSuchKind", "数据格式", "警告", "否", "", "", "{label}有误", "", ""]);
    });
    const r2 = await importRules({
      id: "x",
      version: "1",
      effectiveDate: TOMORROW,
      reason: "r",
      file: badKind,
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().details?.map((d) => d.message)).toContain('第 3 行 未知的检查类型 "noSuchKind"');
    const missing = await workbook((s) => s.addRow(["规则编号", "检查类型"]));
    const r3 = await importRules({
      id: "x",
      version: "1",
      effectiveDate: TOMORROW,
      reason: "r",
      file: missing,
    });
    expect(r3.json().message).toContain("缺少列「类别」");
    const notXlsx = await importRules({
      id: "x",
      version: "1",
      effectiveDate: TOMORROW,
      reason: "r",
      file: Buffer.from("规则编号,检查类型\n").toString("base64"),
    });
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().code).toBe("INVALID_WORKBOOK");
    // In Chinese only: the zip reader's English message ("Can't find end of central directory") is not shown.
    expect(notXlsx.json().details).toEqual([
      {
        field: "file",
        message:
          "文件不是可读取的 Excel 工作簿（.xlsx）：请确认上传的是 .xlsx 文件（不是 .xls、.csv 或改了扩展名的文件）",
      },
    ]);
    const notBase64 = await importRules({
      id: "x",
      version: "1",
      effectiveDate: TOMORROW,
      reason: "r",
      file: "%%%%",
    });
    expect(notBase64.statusCode).toBe(400);
  });
});

describe("several servers on one database", () => {
  it("a server started later checks by the published edition; a running one takes it up within a second", async () => {
    const other = await buildServer({ store: t.store, scheme: await demoScheme() });
    try {
      const ids = (n: number) =>
        other.yibao
          .prepareList(
            sampleSettlementMessage(n, { today: TOMORROW }),
            new Date(`${TOMORROW}T12:00:00+08:00`),
          )
          .findings.map((f) => f.ruleId);
      expect(ids(0)).toEqual(["QC-REGION-001"]);
      // Published by the first server, dated the day after tomorrow, with the region rule switched off.
      const later = addDays(TODAY, 2);
      const off = edition("2026C", later, [{ ...REGION_RULE, enabled: false }]);
      expect((await publish({ edition: off, reason: "停用参保地校验" })).statusCode).toBe(201);
      expect(other.yibao.qcEditions.rules.map((e) => e.version)).not.toContain("2026C");
      await new Promise((r) => setTimeout(r, 1100));
      await other.inject({ method: "GET", url: "/healthz" });
      expect(other.yibao.qcEditions.rules.map((e) => e.version)).toContain("2026C");
    } finally {
      await other.close();
    }
  });

  it("two publications of one version at once: one is written, the other refused", async () => {
    const day = addDays(TODAY, 3);
    const [a, b] = await Promise.all([
      publish({ edition: edition("RACE", day), reason: "并发 1" }),
      publish({ edition: edition("RACE", day, []), reason: "并发 2" }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const rows = await t.store.db
      .selectFrom("published_edition")
      .select("version")
      .where("version", "=", "RACE")
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe("on PostgreSQL: publications racing on a real connection pool", () => {
  let pg: TestServer;
  beforeAll(async () => {
    pg = await testServer("postgres");
  });
  afterAll(async () => pg?.close());

  it("of ten publications of one version with different content at once, one is written", async () => {
    const day = addDays(TODAY, 5);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        publish(
          {
            edition: edition("PG", day, [{ ...REGION_RULE, message: `第 ${i} 份：{label}有误` }]),
            reason: `并发 ${i}`,
          },
          pg.app,
        ),
      ),
    );
    const codes = replies.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await pg.store.db.selectFrom("published_edition").selectAll().execute();
    expect(rows).toHaveLength(1);
    // What was written is what the 201 reply's request sent.
    const won = replies.findIndex((r) => r.statusCode === 201);
    expect(JSON.stringify(rows[0]?.data)).toContain(`第 ${won} 份`);
  });
});
