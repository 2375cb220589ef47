/**
 * Each table export of the console holds every row of its source (issue 15): for every table source
 * the console offers an export of, on a settled and audited demo region, the workbook's rows equal the
 * API's total (or, for a source that is not paged, its rows), though the export is asked with a small
 * page; money, counts and times are numbers and dates, not text.
 */
import { randomBytes } from "node:crypto";
import { servedRoutes, type YibaoApp } from "@yibao/server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoPlatform, openDemoPlatform, signIn } from "./demo-platform.js";

const YEAR = 2025;
let platform: DemoPlatform;
let app: YibaoApp;
let cookie = "";
let csrf = "";

beforeAll(async () => {
  process.env.YIBAO_MASTER_KEY ??= randomBytes(32).toString("base64");
  platform = await openDemoPlatform({
    region: {
      stays: 600,
      seed: 11,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
      injectRate: 0.1,
    },
  });
  app = platform.app;
  ({ cookie, csrf } = await signIn(app, "bureau"));
}, 240_000);

afterAll(async () => {
  await platform?.close();
});

interface Source {
  /** The source as the export is asked for it (with a small page where the source is paged). */
  readonly path: string;
  /** The source asked for all its rows at once (or its total), to count them. */
  readonly countPath: string;
  readonly columns: readonly { key: string; title: string; kind?: string }[];
}

const SOURCES: readonly Source[] = [
  {
    path: "/api/v1/console/lists?limit=70",
    countPath: "/api/v1/console/lists?limit=10000",
    columns: [
      { key: "setlId", title: "结算ID" },
      { key: "totalFeeFen", title: "总费用(元)", kind: "money" },
      { key: "receivedAt", title: "上传时间", kind: "datetime" },
    ],
  },
  {
    path: "/api/v1/audit/findings?limit=25",
    countPath: "/api/v1/audit/findings?limit=1000",
    columns: [
      { key: "findingId", title: "审核发现" },
      { key: "fundLossFen", title: "基金损失(元)", kind: "money" },
    ],
  },
  {
    path: "/api/v1/payment/settlements?pageSize=90",
    countPath: "/api/v1/payment/settlements?pageSize=1000",
    columns: [
      { key: "setlId", title: "结算ID" },
      { key: "fundPaymentFen", title: "基金支付(元)", kind: "money" },
    ],
  },
  {
    path: "/api/v1/console/oplog?limit=3",
    countPath: "/api/v1/console/oplog?limit=5000",
    columns: [
      { key: "id", title: "编号", kind: "count" },
      { key: "at", title: "时间", kind: "datetime" },
    ],
  },
  {
    path: "/api/v1/console/ranking",
    countPath: "/api/v1/console/ranking",
    columns: [
      { key: "hospital", title: "医院编码" },
      { key: "cases", title: "病例数", kind: "count" },
    ],
  },
];

async function apiCount(path: string): Promise<number> {
  const r = await app.inject({ url: path, headers: { cookie } });
  expect(r.statusCode, `${path} ${r.body.slice(0, 200)}`).toBe(200);
  const body = r.json() as { total?: number; rows?: unknown[]; items?: unknown[] };
  return body.total ?? (body.rows ?? body.items ?? []).length;
}

describe("each export holds every row of its source", () => {
  for (const s of SOURCES) {
    it(`${s.path}`, async () => {
      const expected = await apiCount(s.countPath);
      expect(expected, "数据源应有数据").toBeGreaterThan(0);
      const r = await app.inject({
        url: `/api/v1/console/export?${new URLSearchParams({ path: s.path, columns: JSON.stringify(s.columns) })}`,
        headers: { cookie },
      });
      expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      expect(ws.rowCount - 1).toBe(expected);
      // Every money, count and time cell is a number or a date, never text.
      const typed = s.columns.flatMap((c, i) => (c.kind ? [{ kind: c.kind, col: i + 1 }] : []));
      ws.eachRow((row, n) => {
        if (n === 1) return;
        for (const t of typed) {
          const cell = row.getCell(t.col + (s.columns[0]?.key === "hospital" ? 1 : 0));
          if (cell.value === null) continue;
          expect(cell.type, `${s.path} 第 ${n} 行 ${t.kind}`).toBe(
            t.kind === "datetime" ? ExcelJS.ValueType.Date : ExcelJS.ValueType.Number,
          );
        }
      });
    });
  }
});

describe("schema errors of every area's routes are Chinese", () => {
  it("names fields and rules without English for a body or query that breaks the schema", async () => {
    let checked = 0;
    const areas = new Set<string>();
    for (const r of servedRoutes(app).filter((x) => !x.url.endsWith("/logout"))) {
      const url = r.url.replace(/:[A-Za-z]+/g, "1");
      const tries =
        r.method === "GET"
          ? [{ url: `${url}?zzz=1` }]
          : [
              { url, payload: { zzz: 1 } },
              { url, payload: [1] },
            ];
      for (const x of tries) {
        const res = await app.inject({
          method: r.method as "GET",
          headers: { cookie, "x-csrf-token": csrf },
          ...x,
        });
        if (res.statusCode !== 400) continue;
        const body = res.json() as { message: string; details?: { field: string }[] };
        let words = body.message;
        for (const d of body.details ?? []) words = words.replaceAll(d.field, "");
        expect(words, `${r.method} ${x.url}：${body.message}`).not.toMatch(/[A-Za-z]{3,}/);
        checked++;
        areas.add(r.url.split("/")[3] ?? "");
      }
    }
    expect(checked).toBeGreaterThan(30);
    for (const a of ["console", "payment", "audit", "settlement-lists"]) expect(areas).toContain(a);
  });
});
