/**
 * 审核规则表的 Excel 导入导出 (issue 12 item 4): the bureau downloads a rule base edition as a workbook
 * (one row per rule) and publishes a new edition from one, through the same shelf as a JSON edition —
 * validated by `readRuleBase`, today or later, never an edit of a released version, with who, when
 * and why, origin Excel. Every problem names its row and column; the whole edition is refused on
 * any. Hospitals and reviewers may not import; bad bodies are 400, never 500.
 */
import { STARTER_RULE_BASE } from "@yibao/audit";
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { paymentMigrations } from "@yibao/payment-service/migrations";
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthHeaders, signIn, withHeaders } from "../../server/test/helpers.js";
import { auditMigrations } from "../src/migrations.js";
import { auditPlugin } from "../src/routes.js";
import { demoScheme } from "./helpers.js";

const TODAY = shanghaiDate(Date.now());
const YESTERDAY = addDays(TODAY, -1);
const TOMORROW = addDays(TODAY, 1);
const EXPORT = "/api/v1/audit/rule-bases/starter/2024.2/export";
const IMPORT = "/api/v1/audit/rule-bases/import";

type Reply = {
  statusCode: number;
  rawPayload: Buffer;
  headers: Record<string, unknown>;
  json(): { code?: string; message?: string; status?: string; details?: { message: string }[] } & Record<
    string,
    unknown
  >;
};

let store: Store;
let raw: YibaoApp;
let bureau: YibaoApp;
let bureauHeaders: AuthHeaders;

beforeAll(async () => {
  store = await openStore({
    memory: true,
    migrations: [...identityMigrations, ...paymentMigrations, ...auditMigrations],
  });
  raw = await buildServer({ store, scheme: await demoScheme(), plugins: [auditPlugin()] });
  bureauHeaders = await signIn(raw, store, "bureau");
  bureau = withHeaders(raw, bureauHeaders);
}, 120_000);
afterAll(async () => {
  await raw?.close();
  await store?.close();
});

const get = (url: string, app = bureau) => app.inject({ method: "GET", url }) as Promise<Reply>;
const post = (body: unknown, app = bureau) =>
  app.inject({ method: "POST", url: IMPORT, payload: body as object }) as Promise<Reply>;
const importBody = (file: Buffer, version: string, effectiveDate = TOMORROW, reason = "测试导入") => ({
  version,
  effectiveDate,
  reason,
  file: file.toString("base64"),
});
const messages = (r: Reply) => (r.json().details ?? []).map((d) => d.message);

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
const save = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

/** The built-in edition's workbook, edited by `edit`. */
async function edited(edit: (rules: ExcelJS.Worksheet, meta: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = await load((await get(EXPORT)).rawPayload);
  edit(wb.getWorksheet("审核规则") as ExcelJS.Worksheet, wb.getWorksheet("版本") as ExcelJS.Worksheet);
  return save(wb);
}

describe("exporting a rule base edition", () => {
  it("the built-in edition: one row per rule (17, counted in starter-rules.ts), the edition on 「版本」", async () => {
    const r = await get(EXPORT);
    expect(r.statusCode).toBe(200);
    expect(String(r.headers["content-type"])).toContain("spreadsheetml");
    expect(String(r.headers["content-disposition"])).toContain(
      encodeURIComponent("审核规则库_starter_2024.2.xlsx"),
    );
    const wb = await load(r.rawPayload);
    const sheet = wb.getWorksheet("审核规则") as ExcelJS.Worksheet;
    const text = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(text(1)).toEqual([
      "规则编号",
      "名称",
      "类别",
      "违规类型",
      "结论",
      "适用场景",
      "审核环节",
      "检查类型",
      "参数",
      "启用",
      "说明",
      "依据",
    ]);
    // DRG-01…DRG-10, ZC-01…ZC-04, YL-01, ZC-05, ZC-06.
    expect(sheet.rowCount).toBe(1 + 17);
    expect(text(2).slice(0, 10)).toEqual([
      "DRG-01",
      "分解住院",
      "管理类",
      "分解住院",
      "可疑",
      "住院",
      "事中、事后",
      "split_admission",
      '{"windowDays":14,"relation":"principal","sameHospital":true}',
      "是",
    ]);
    expect(text(18).slice(0, 10)).toEqual([
      "ZC-06",
      "超标准收费",
      "政策类",
      "项目规则（政策/管理/医疗类）",
      "明确违规",
      "住院、门诊",
      "事前、事中、事后",
      "price_ceiling",
      undefined,
      "是",
    ]);
    const meta = wb.getWorksheet("版本") as ExcelJS.Worksheet;
    const metaRows = Array.from({ length: meta.rowCount }, (_, i) =>
      [1, 2].map((c) => meta.getRow(i + 1).getCell(c).text),
    );
    expect(metaRows).toEqual([
      ["项目", "内容"],
      ["规则库编号", "starter"],
      ["版本号", "2024.2"],
      ["生效日期", "2020-01-01"],
      ["适用地区", "通用（示例地区）"],
      ["说明期限（工作日）", "10"],
      ["逾期未说明", "维持"],
      ["法定节假日", ""],
      ["调休工作日", ""],
    ]);
  });

  it("an edition that does not exist is 404; no credentials is 401", async () => {
    expect((await get("/api/v1/audit/rule-bases/starter/none/export")).statusCode).toBe(404);
    expect((await get(EXPORT, raw)).statusCode).toBe(401);
  });
});

describe("importing a rule base edition", () => {
  it("the export imported as a new version dated tomorrow is published and reads back equal", async () => {
    const file = (await get(EXPORT)).rawPayload;
    const r = await post(importBody(file, "2026X", TOMORROW, "导出后原样导入"));
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: "created",
      edition: { id: "starter", version: "2026X", effectiveDate: TOMORROW },
      rules: 17,
    });
    const back = (await get("/api/v1/audit/rule-bases/starter/2026X")).json() as {
      edition: unknown;
      provenance: { origin: string; reason: string; actor: string };
    };
    expect(back.edition).toEqual({
      ...STARTER_RULE_BASE,
      version: "2026X",
      effectiveFrom: TOMORROW,
      effectiveTo: null,
    });
    expect(back.provenance).toMatchObject({ origin: "excel", reason: "导出后原样导入" });
    expect(back.provenance.actor).toMatch(/^bureau-/);
    const inForce = async (date: string) =>
      ((await get(`/api/v1/audit/rules?date=${date}`)).json() as { ruleBase: { version: string } }).ruleBase
        .version;
    expect(await inForce(TODAY)).toBe("2024.2");
    expect(await inForce(TOMORROW)).toBe("2026X");
  });

  it("the same again is 200 and writes nothing; other content under that version is 409; another version on that date too", async () => {
    const file = (await get(EXPORT)).rawPayload;
    const again = await post(importBody(file, "2026X", TOMORROW, "重复"));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: "unchanged" });
    expect(again.json().message).toBe("审核规则库版本 starter@2026X 已发布过，内容相同，未重复发布");
    const changed = await edited((rules) => {
      rules.getCell("I2").value = '{"windowDays":7,"relation":"principal","sameHospital":true}';
    });
    const edit = await post(importBody(changed, "2026X"));
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe("VERSION_EXISTS");
    const sameDate = await post(importBody(changed, "2026Y"));
    expect(sameDate.statusCode).toBe(409);
    expect(sameDate.json().code).toBe("EDITION_DATE_TAKEN");
    const stored = await store.db
      .selectFrom("published_edition")
      .select(["kind", "version", "source"])
      .execute();
    expect(stored).toEqual([{ kind: "audit-rules", version: "2026X", source: "excel" }]);
  });

  it("a 参数 that is not JSON, an unknown 检查类型 and a bad holiday date: each named by row and column, nothing written", async () => {
    const bad = await edited((rules, meta) => {
      rules.getCell("I3").value = '{"windowDays": 10, "sameHospital": ';
      rules.getCell("H5").value = "no_such_check";
      meta.getCell("B8").value = "2026/10/01";
    });
    const r = await post(importBody(bad, "2026Z", addDays(TODAY, 2)));
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe("INVALID_WORKBOOK");
    const ps = messages(r);
    expect(ps).toHaveLength(3);
    expect(ps[0]).toBe(
      '工作表「版本」第 8 行「法定节假日」："2026/10/01" 不是日期（应写作 yyyy-MM-dd，多个日期以顿号分隔）',
    );
    expect(ps[1]).toBe("第 3 行「参数」：不是合法的 JSON（请检查括号、引号与逗号是否成对、完整）");
    expect(ps[2]).toMatch(/^第 5 行「检查类型」：取值应为以下之一：“split_admission”/);
    expect(r.json().message).toBe(`审核规则表未导入：${ps[0]}`);
    const count = await store.db.selectFrom("published_edition").select("version").execute();
    expect(count).toHaveLength(1);
  });

  it("a rule the validator refuses is named by its row and column: a negative window, a duplicate id", async () => {
    const bad = await edited((rules) => {
      rules.getCell("I2").value = '{"windowDays":-1,"relation":"principal","sameHospital":true}';
      rules.getCell("A4").value = "DRG-02";
    });
    const neg = await post(importBody(bad, "2026Z", addDays(TODAY, 2)));
    expect(neg.statusCode).toBe(400);
    expect(neg.json().code).toBe("INVALID_EDITION");
    expect(messages(neg)).toEqual(["第 2 行「参数」windowDays：不能小于 0"]);
    const dup = await edited((rules) => {
      rules.getCell("A4").value = "DRG-02";
    });
    const twice = await post(importBody(dup, "2026Z", addDays(TODAY, 2)));
    expect(messages(twice)).toEqual(["第 3、4 行「规则编号」：DRG-02 重复"]);
  });

  it("an effective date before today is refused; a date that is no date is 400", async () => {
    const file = (await get(EXPORT)).rawPayload;
    const back = await post(importBody(file, "2026Z", YESTERDAY));
    expect(back.statusCode).toBe(400);
    expect(back.json().message).toContain(`早于今天 ${TODAY}`);
    expect((await post(importBody(file, "2026Z", "2026-13-01"))).statusCode).toBe(400);
  });

  it("a hospital account or a reviewer gets 403, no credentials 401; nothing written", async () => {
    const file = (await get(EXPORT)).rawPayload;
    const body = importBody(file, "2026H");
    for (const role of ["hospital", "reviewer"] as const) {
      const s = withHeaders(raw, await signIn(raw, store, role, role === "hospital" ? "H21010200001" : null));
      const r = await post(body, s);
      expect(r.statusCode, role).toBe(403);
      expect(r.json().code, role).toBe("FORBIDDEN");
    }
    expect((await post(body, raw)).statusCode).toBe(401);
    const count = await store.db.selectFrom("published_edition").select("version").execute();
    expect(count).toHaveLength(1);
  });

  it("wrong types and unreadable files are 400, never 500", async () => {
    const file = (await get(EXPORT)).rawPayload.toString("base64");
    const good = { version: "2026W", effectiveDate: addDays(TODAY, 3), reason: "类型", file };
    const bodies: [unknown, string][] = [
      [{ ...good, version: 5 }, "INVALID_REQUEST"],
      [{ ...good, file: 123 }, "INVALID_REQUEST"],
      [{ ...good, file: "不是 base64" }, "INVALID_REQUEST"],
      [{ ...good, reason: "" }, "INVALID_REQUEST"],
      [{ ...good, extra: 1 }, "INVALID_REQUEST"],
      [{ ...good, id: ["a"] }, "INVALID_REQUEST"],
      [[good], "INVALID_REQUEST"],
      [{ ...good, file: Buffer.from("not a workbook at all").toString("base64") }, "INVALID_WORKBOOK"],
    ];
    for (const [body, code] of bodies) {
      const r = await post(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json().code).toBe(code);
    }
    const noColumn = await edited((rules) => {
      rules.getCell("H1").value = "检查";
    });
    const r = await post(importBody(noColumn, "2026W"));
    expect(r.statusCode).toBe(400);
    expect(messages(r)).toEqual(["工作表「审核规则」第 1 行缺少列「检查类型」"]);
    const notObject = await edited((rules) => {
      rules.getCell("I2").value = "[14]";
    });
    expect(messages(await post(importBody(notObject, "2026W")))).toEqual([
      '第 2 行「参数」：应为 JSON 对象，如 {"windowDays": 14}',
    ]);
  });
});
