/**
 * Hospital master data through the API and Excel (issue 12 item 4): the bureau saves an edition from
 * today (yesterday is refused), a stay is paid with the master data in force on its discharge date
 * (hand-worked), every edition is in the history with who, why, from where and when; a hospital account
 * sees only its own row and history and cannot write or export; the Excel export imports back to the
 * same rows (a re-import is a no-op), and a bad file or row is refused naming it, nothing written; the
 * DIP prepayment takes a hospital's stays only from the day it is paid by DIP.
 */
import { addDays } from "@yibao/kernel/calendar";
import { buildServer, identityMigrations, workbookTooLargeMessage, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, withHeaders } from "../../server/test/helpers.js";
import { filler, zip } from "../../server/test/zip-archive.js";
import { DEMO_BENEFIT_POLICY, demoPolicy } from "../src/demo.js";
import { dipHospitalsOf, dipPolicyInForce, prepayDipMonthJob } from "../src/dip-payment.js";
import {
  listHospitalEditions,
  SINCE_ALWAYS,
  todayInChina,
  writeHospitalEditions,
} from "../src/hospital-data.js";
import { HOSPITAL_EXCEL_HEADERS } from "../src/hospital-excel.js";
import { paymentMigrations } from "../src/migrations.js";
import { paymentPlugin } from "../src/plugin.js";
import { dbOf, savePaymentHospitals, saveVersion } from "../src/repo.js";
import { loadSettler, type StayInput, settleInput } from "../src/settle-period.js";
import { H1, H2, H3, POLICY_DATA, storeExampleLists } from "./dip-lists.js";
import { demoScheme } from "./helpers.js";

const P = "/api/v1/payment";
const TODAY = todayInChina();
const YESTERDAY = addDays(TODAY, -1);
const TOMORROW = addDays(TODAY, 1);

/** One DRG, RW 1.0; 费率 10,000 元 × 医院系数 二级 0.9 / 三级 1.0. */
const WEIGHTS = {
  id: "hosp-w",
  version: "1",
  name: "测试权重",
  effectiveFrom: "2020-01-01",
  entries: [{ drg: "GB25", rw: "1" }],
};
const POLICY = {
  ...demoPolicy("2020-01-01"),
  id: "hosp-rate",
  version: "1",
  rate: "10000",
  levelCoefficients: { 二级: "0.9", 三级: "1" },
};
const DIP_POLICY = {
  ...POLICY_DATA,
  id: "dip-hosp",
  version: "2025",
  coefficients: { byLevel: { 三级: "1.0", 二级: "0.9" } },
  prepayment: { pointValue: "150", ratio: "0.9" },
};

let store: Store;
let raw: YibaoApp;
let bureau: YibaoApp;
let hospital: YibaoApp;
let reviewer: YibaoApp;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: [...identityMigrations, ...paymentMigrations] });
  // H1, H2, H3 enter the store's hospital dictionary with their lists.
  await storeExampleLists(store);
  await saveVersion(store, "benefit", DEMO_BENEFIT_POLICY, { actor: "t" });
  await saveVersion(store, "weights", WEIGHTS, { actor: "t" });
  await saveVersion(store, "policy", POLICY, { actor: "t", weights: { id: "hosp-w", version: "1" } });
  await saveVersion(store, "dipPolicy", DIP_POLICY, { actor: "t" });
  await savePaymentHospitals(store, [
    { hospitalCode: H1, level: "三级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H2, level: "二级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H3, level: "二级", benefitClass: "主城区二级", paymentMethod: "drg" },
  ]);
  raw = await buildServer({ store, scheme: await demoScheme(), plugins: [paymentPlugin()] });
  bureau = withHeaders(raw, await signIn(raw, store, "bureau"));
  hospital = withHeaders(raw, await signIn(raw, store, "hospital", H3));
  reviewer = withHeaders(raw, await signIn(raw, store, "reviewer"));
});
afterAll(async () => {
  await raw?.close();
  await store?.close();
});

type Row = {
  code: string;
  name: string | null;
  level: string;
  benefitClass: string | null;
  paymentMethod: string;
  effectiveFrom: string;
  sinceAlways: boolean;
  source: string;
  actor: string;
  createdAt: string;
};
const rowsOf = async (app: YibaoApp, query = "") => {
  const r = await app.inject({ method: "GET", url: `${P}/hospitals${query}` });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { items: Row[] }).items;
};
const editions = async (code: string) => (await listHospitalEditions(store, code)).length;

/** A stay at H3 of 9,000.00 元, all 甲类, 城乡居民, the person's first of the year, discharged on `date`. */
const stay = (date: string): StayInput => ({
  setlId: `S-${date}`,
  listVersion: 1,
  hospitalCode: H3,
  period: date.slice(0, 7),
  patientKey: `P-${date}`,
  admDate: date,
  dscgDate: date,
  los: 1,
  drg: "GB25",
  totalFee: 900_000,
  personalPay: 0,
  hiType: "390",
  hiSetlLv: null,
  costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
  bedFee: null,
  dischargeWay: null,
});

describe("hospital master data: editions through the API", () => {
  it("lists the rows in force with names; a hospital account sees only its own", async () => {
    const all = await rowsOf(bureau);
    expect(all.map((r) => [r.code, r.level, r.benefitClass, r.paymentMethod])).toEqual([
      [H1, "三级", null, "DIP"],
      [H2, "二级", null, "DIP"],
      [H3, "二级", "主城区二级", "DRG"],
    ]);
    expect(all.every((r) => typeof r.name === "string" && r.name !== "")).toBe(true);
    expect((await rowsOf(hospital)).map((r) => r.code)).toEqual([H3]);
    const foreign = await hospital.inject({ method: "GET", url: `${P}/hospitals?hospital=${H1}` });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain("三级");
    const bad = await bureau.inject({ method: "GET", url: `${P}/hospitals?on=2026-02-30` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("on：不是有效日期");
  });

  it("an edition dated yesterday is refused; from today H3 is 三级/三级综合, and a stay is paid by its discharge date (by hand)", async () => {
    const body = (effectiveFrom: string) => ({
      effectiveFrom,
      reason: "升级为三级医院",
      rows: [{ code: H3, level: "三级", benefitClass: "三级综合", paymentMethod: "DRG" }],
    });
    const late = await bureau.inject({
      method: "POST",
      url: `${P}/hospitals/editions`,
      payload: body(YESTERDAY),
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toContain(`生效日期 ${YESTERDAY} 早于今天（${TODAY}，北京时间）`);
    expect(await editions(H3)).toBe(1);
    const saved = await bureau.inject({
      method: "POST",
      url: `${P}/hospitals/editions`,
      payload: body(TODAY),
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ effectiveFrom: TODAY, changed: 1, unchanged: 0, added: [] });
    // The same edition again: identical to the one in force, nothing written.
    const again = await bureau.inject({
      method: "POST",
      url: `${P}/hospitals/editions`,
      payload: body(TODAY),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changed: 0, unchanged: 1 });
    expect(await editions(H3)).toBe(2);
    // Each row says which edition it comes from: its date, origin, who saved it and when.
    expect((await rowsOf(bureau, `?on=${YESTERDAY}`)).find((r) => r.code === H3)).toMatchObject({
      level: "二级",
      effectiveFrom: SINCE_ALWAYS,
      sinceAlways: true,
      source: "pack",
      actor: "region",
    });
    const today = (await rowsOf(bureau)).find((r) => r.code === H3);
    expect(today).toMatchObject({
      level: "三级",
      benefitClass: "三级综合",
      effectiveFrom: TODAY,
      sinceAlways: false,
      source: "api",
    });
    expect(today?.actor).toMatch(/^bureau-/);
    expect(Date.now() - Date.parse(today?.createdAt ?? "")).toBeLessThan(600_000);
    expect((await rowsOf(hospital)).map((r) => [r.code, r.level, r.source, r.effectiveFrom])).toEqual([
      [H3, "三级", "api", TODAY],
    ]);

    const settler = await loadSettler(store);
    const before = settleInput(settler, stay(YESTERDAY), {}, undefined).row;
    const after = settleInput(settler, stay(TODAY), {}, undefined).row;
    // Discharged yesterday, 二级 / 主城区二级 (the old edition):
    //   支付标准 = RW 1.0 × 10,000 元 × 0.9 = 9,000.00 元 (cost 9,000.00: a normal stay, paid the standard);
    //   基金 = (9,000 − 起付线 800) × 80% = 6,560.00 元; 个人负担 = 9,000 − 6,560 = 2,440.00 元.
    expect(before).toMatchObject({
      category: "normal",
      drgPaymentFen: 900_000,
      benefitFundFen: 656_000,
      patientShareFen: 244_000,
      fundPaymentFen: 900_000 - 244_000,
      balanceFen: 0,
    });
    // Discharged today, 三级 / 三级综合 (the new edition):
    //   支付标准 = 1.0 × 10,000 × 1.0 = 10,000.00 元; 基金 = (9,000 − 1,000) × 65% = 5,200.00 元;
    //   个人负担 = 9,000 − 5,200 = 3,800.00 元; 医保支付 = 10,000 − 3,800 = 6,200.00 元; 结余 +1,000.00 元.
    expect(after).toMatchObject({
      category: "normal",
      drgPaymentFen: 1_000_000,
      benefitFundFen: 520_000,
      patientShareFen: 380_000,
      fundPaymentFen: 620_000,
      balanceFen: 100_000,
    });
  });

  it("the history lists every edition with who, why, from where and when; a hospital account only its own", async () => {
    const h = await bureau.inject({ method: "GET", url: `${P}/hospitals/${H3}/history` });
    expect(h.statusCode, h.body).toBe(200);
    const items = h.json().items as {
      effectiveFrom: string;
      source: string;
      reason: string;
      actor: string;
      createdAt: string;
      inForceToday: boolean;
      superseded: boolean;
    }[];
    expect(items.map((e) => [e.effectiveFrom, e.source, e.reason, e.inForceToday])).toEqual([
      [SINCE_ALWAYS, "pack", "地区配置包医院信息", false],
      [TODAY, "api", "升级为三级医院", true],
    ]);
    expect(items[1]?.actor).toMatch(/^bureau-/);
    expect(Number.isNaN(Date.parse(items[1]?.createdAt ?? ""))).toBe(false);
    expect((await hospital.inject({ method: "GET", url: `${P}/hospitals/${H3}/history` })).statusCode).toBe(
      200,
    );
    const other = await hospital.inject({ method: "GET", url: `${P}/hospitals/${H1}/history` });
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain("三级");
    expect((await bureau.inject({ method: "GET", url: `${P}/hospitals/NOPE1/history` })).statusCode).toBe(
      404,
    );
  });

  it("only the bureau saves, imports and exports: a hospital account and a reviewer get 403, nothing written", async () => {
    const n = await editions(H3);
    for (const app of [hospital, reviewer]) {
      const post = await app.inject({
        method: "POST",
        url: `${P}/hospitals/editions`,
        payload: {
          effectiveFrom: TOMORROW,
          reason: "越权",
          rows: [{ code: H3, level: "一级", paymentMethod: "DRG" }],
        },
      });
      expect(post.statusCode).toBe(403);
      const imp = await app.inject({
        method: "POST",
        url: `${P}/hospitals/import`,
        payload: { effectiveFrom: TOMORROW, reason: "越权", file: "UEsDBA==" },
      });
      expect(imp.statusCode).toBe(403);
      expect((await app.inject({ method: "GET", url: `${P}/hospitals/export` })).statusCode).toBe(403);
    }
    expect(await editions(H3)).toBe(n);
  });

  it("a JSON edition with a bad field is a 400 naming it, never a 5xx", async () => {
    const missing = await bureau.inject({
      method: "POST",
      url: `${P}/hospitals/editions`,
      payload: { effectiveFrom: TODAY, reason: "缺少 rows" },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain("rows");
    const unknown = await bureau.inject({
      method: "POST",
      url: `${P}/hospitals/editions`,
      payload: {
        effectiveFrom: TOMORROW,
        reason: "新增医院缺名称",
        rows: [
          { code: H1, level: "三级", benefitClass: null, paymentMethod: "DIP" },
          { code: "H99", level: "二级", paymentMethod: "DRG" },
        ],
      },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toEqual([
      { field: "rows[1].name", message: "医院编码 H99 不在定点医疗机构字典中：新增医院须填写医院名称" },
    ]);
  });
});

/** The rows of a workbook's first sheet (header first) as text. */
async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  const out: string[][] = [];
  ws.eachRow((r) => {
    out.push(Array.from({ length: 5 }, (_, i) => r.getCell(i + 1).text));
  });
  return out;
}

/** An .xlsx of these rows (header first), as base64. */
async function workbookBase64(rows: readonly (readonly string[])[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("医院主数据");
  for (const r of rows) ws.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

const importFile = (file: string, effectiveFrom = TOMORROW) =>
  bureau.inject({
    method: "POST",
    url: `${P}/hospitals/import`,
    payload: { effectiveFrom, reason: "Excel 导入", file },
  });

describe("hospital master data in Excel", () => {
  it("the export imports back to the same rows: nothing changes, and an edited line is an edition from its date", async () => {
    const x = await bureau.inject({ method: "GET", url: `${P}/hospitals/export` });
    expect(x.statusCode).toBe(200);
    expect(x.headers["content-type"]).toContain("spreadsheetml");
    const rows = await sheetRows(x.rawPayload);
    expect(rows[0]).toEqual([...HOSPITAL_EXCEL_HEADERS]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      [H1, "三级", "", "DIP"],
      [H2, "二级", "", "DIP"],
      [H3, "三级", "三级综合", "DRG"],
    ]);
    const n = (await listHospitalEditions(store)).length;
    const same = await importFile(x.rawPayload.toString("base64"));
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ changed: 0, unchanged: 3 });
    expect((await listHospitalEditions(store)).length).toBe(n);
    // H2 becomes 三级 from tomorrow; importing the edited file twice writes one edition.
    const edited = rows.map((r) => (r[0] === H2 ? [r[0], r[1], "三级", r[3], r[4]] : r)) as string[][];
    const file = await workbookBase64(edited);
    const changed = await importFile(file);
    expect(changed.statusCode, changed.body).toBe(201);
    expect(changed.json()).toMatchObject({
      changed: 1,
      unchanged: 2,
      changes: [{ code: H2, level: "三级" }],
    });
    expect((await importFile(file)).json()).toMatchObject({ changed: 0, unchanged: 3 });
    expect((await rowsOf(bureau)).find((r) => r.code === H2)?.level).toBe("二级");
    expect((await rowsOf(bureau, `?on=${TOMORROW}`)).find((r) => r.code === H2)?.level).toBe("三级");
    const history = (await bureau.inject({ method: "GET", url: `${P}/hospitals/${H2}/history` })).json();
    expect(history.items.at(-1)).toMatchObject({
      effectiveFrom: TOMORROW,
      source: "excel",
      reason: "Excel 导入",
    });
  });

  it("English headers are read too; a named new hospital enters the store's dictionary", async () => {
    const file = await workbookBase64([
      ["code", "name", "level", "benefit_class", "payment_method"],
      ["H21010200099", "新建示例医院", "一级", "", "drg"],
    ]);
    const r = await importFile(file);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ changed: 1, added: ["H21010200099"] });
    const names = await dbOf(store)
      .selectFrom("hospital")
      .select("name")
      .where("code", "=", "H21010200099")
      .execute();
    expect(names).toEqual([{ name: "新建示例医院" }]);
    const listed = await rowsOf(bureau, `?on=${TOMORROW}`);
    expect(listed.find((x) => x.code === "H21010200099")).toMatchObject({
      name: "新建示例医院",
      level: "一级",
    });
  });

  it("a bad file is a 400 naming the file, the line and the column; nothing is written", async () => {
    const n = (await listHospitalEditions(store)).length;
    const refused = async (file: string, text: string) => {
      const r = await importFile(file);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().message).toContain(text);
      return r.json();
    };
    await refused("%%%不是base64%%%", "file：不是有效的 base64 编码");
    await refused(Buffer.from("医院编码,医院等级\n").toString("base64"), "file：不是 Excel（.xlsx）文件");
    await refused(
      Buffer.from("PK\u0003\u0004 broken zip").toString("base64"),
      "file：Excel（.xlsx）文件已损坏或无法读取",
    );
    // A zip bomb: 65 KiB that would inflate to 65 MiB is refused before any reader inflates it.
    const bomb = zip([{ name: "xl/worksheets/sheet1.xml", content: filler(65 * 1024 * 1024) }]);
    await refused(bomb.toString("base64"), `file：${workbookTooLargeMessage()}`);
    await refused(
      await workbookBase64([
        ["医院编码", "医院名称", "医院等级", "起付线类别"],
        [H1, "", "三级", ""],
      ]),
      "第 1 行（表头）：缺少列「支付方式」",
    );
    const rows = await refused(
      await workbookBase64([
        [...HOSPITAL_EXCEL_HEADERS],
        [H1, "", "三级", "", "DIP"],
        [H2, "", "特级", "", "DIP"],
        [H3, "", "三级", "无此类别", "DRG"],
      ]),
      "共 2 处问题，未写入任何数据",
    );
    expect(rows.details).toEqual([
      { field: "第 3 行「医院等级」", message: "医院等级须为 一级、二级、三级 之一（收到「特级」）" },
      {
        field: "第 4 行「起付线类别」",
        message: expect.stringContaining("起付线类别「无此类别」不是已保存的待遇政策中的类别"),
      },
    ]);
    expect((await listHospitalEditions(store)).length).toBe(n);
  });
});

describe("DIP by discharge date", () => {
  it("H2 paid by DIP only from 2025-07-01: June's prepayment is H1's alone (by hand)", async () => {
    // Back-dated on purpose (the API allows no past date): H2 by DRG since always, by DIP from July.
    const h2 = { hospitalCode: H2, level: "二级", benefitClass: null };
    await writeHospitalEditions(
      dbOf(store),
      [
        { ...h2, effectiveFrom: SINCE_ALWAYS, paymentMethod: "drg" },
        { ...h2, effectiveFrom: "2025-07-01", paymentMethod: "dip" },
      ],
      { actor: "t", reason: "测试：7 月起按 DIP", source: "api" },
    );
    const pre = await prepayDipMonthJob({ store, period: "2025-06", actor: "t" });
    // H1: 280 points × 预算点值 150 元 = 42,000.00 − paid by patients 7,640.00 = 34,360.00 × 90% = 30,924.00.
    expect(pre.hospitals.map((h) => [h.hospitalCode, h.cases, h.prepaymentFen])).toEqual([
      [H1, 3, 3_092_400],
    ]);
    expect(pre.totalPrepaymentFen).toBe(3_092_400);
    // The year's DIP hospitals: H2 too (paid by DIP at year end, at its level then).
    const p = await dipPolicyInForce(store, "2025-01-01");
    expect(
      (await dipHospitalsOf(store, p, { from: "2025-01-01", to: "2026-01-01" })).map((h) => h.code),
    ).toEqual([H1, H2]);
  });
});
