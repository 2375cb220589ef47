/**
 * The console's Excel export (issue 15): every row of the source, not its first page; Chinese column
 * titles and status labels; times in Asia/Shanghai local time; numbers as numbers; the hospital's
 * name beside its code.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourcePages } from "../src/export.js";
import { type ConsoleTestServer, consoleTestServer, HOSPITALS, type Session, signIn } from "./helpers.js";

let s: ConsoleTestServer;
let bureau: Session;

beforeAll(async () => {
  s = await consoleTestServer(30); // 3 hospitals × 30 lists
  bureau = await signIn(s.app, "bureau");
});
afterAll(async () => {
  await s?.close();
});

async function exportSheet(path: string, columns: unknown[]): Promise<ExcelJS.Worksheet> {
  const r = await s.app.inject({
    url: `/api/v1/console/export?${new URLSearchParams({ path, columns: JSON.stringify(columns) })}`,
    headers: { cookie: bureau.cookie },
  });
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error("导出的工作簿没有工作表");
  return ws;
}

/** Asia/Shanghai wall-clock fields of an instant, as an Excel date cell carries them (UTC fields). */
function shanghai(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 19);
}

describe("Excel export of the lists", () => {
  const columns = [
    { key: "setlId", title: "结算ID" },
    { key: "hospital", title: "医院编码" },
    { key: "status", title: "清单状态", labels: { accepted: "已接收", refused: "已拒收" } },
    { key: "totalFeeFen", title: "总费用(元)", kind: "money" },
    { key: "los", title: "住院天数", kind: "count" },
    { key: "receivedAt", title: "上传时间", kind: "datetime" },
  ];

  it("holds every row the API counts, though the table's source is one page of 25", async () => {
    const api = await s.app.inject({
      url: "/api/v1/console/lists?limit=25",
      headers: { cookie: bureau.cookie },
    });
    const body = api.json() as { total: number; rows: unknown[] };
    expect(body.rows.length).toBe(25);
    expect(body.total).toBe(90);
    const ws = await exportSheet("/api/v1/console/lists?limit=25", columns);
    expect(ws.rowCount - 1).toBe(body.total);
    const ids = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 1) ids.add(String(row.getCell(1).value));
    });
    expect(ids.size).toBe(90);
  });

  it("writes Chinese titles and labels, local times, numbers as numbers and names beside codes", async () => {
    const api = await s.app.inject({
      url: "/api/v1/console/lists?limit=5",
      headers: { cookie: bureau.cookie },
    });
    const rows = (
      api.json() as {
        rows: { setlId: string; hospital: string; totalFeeFen: number; los: number; receivedAt: string }[];
      }
    ).rows;
    const ws = await exportSheet("/api/v1/console/lists?limit=5", columns);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      "结算ID",
      "医院编码",
      "医院名称",
      "清单状态",
      "总费用(元)",
      "住院天数",
      "上传时间",
    ]);
    const bySetl = new Map(rows.map((r) => [r.setlId, r]));
    let checked = 0;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const api = bySetl.get(String(row.getCell(1).value));
      if (!api) return;
      checked++;
      expect(row.getCell(2).value).toBe(api.hospital);
      expect(row.getCell(3).value).toBe(HOSPITALS.find((h) => h.code === api.hospital)?.name);
      expect(row.getCell(4).value).toBe("已接收");
      expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(5).value).toBe(api.totalFeeFen / 100);
      expect(row.getCell(6).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(6).value).toBe(api.los);
      const at = row.getCell(7).value;
      expect(at).toBeInstanceOf(Date);
      expect((at as Date).toISOString().slice(0, 19)).toBe(shanghai(api.receivedAt));
      expect(row.getCell(7).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    });
    expect(checked).toBe(rows.length);
  });

  it("says in Chinese when the columns are not usable", async () => {
    const r = await s.app.inject({
      url: `/api/v1/console/export?${new URLSearchParams({ path: "/api/v1/console/lists", columns: "[]" })}`,
      headers: { cookie: bureau.cookie },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/^columns 应为/);
  });
});

describe("sourcePages", () => {
  /** A source of `n` numbered rows that pages by offset/limit or by page/pageSize, as the APIs do. */
  function source(n: number) {
    const asked: string[] = [];
    const fetchJson = async (url: string) => {
      asked.push(url);
      const q = new URL(url, "http://x").searchParams;
      const all = Array.from({ length: n }, (_, i) => ({ i }));
      if (q.has("pageSize")) {
        const size = Number(q.get("pageSize"));
        const page = Number(q.get("page") ?? "1");
        return { total: n, items: all.slice((page - 1) * size, page * size) };
      }
      const limit = Number(q.get("limit") ?? "50");
      const offset = Number(q.get("offset") ?? "0");
      return { total: n, rows: all.slice(offset, offset + limit) };
    };
    return { asked, fetchJson };
  }
  async function collect(path: string, n: number) {
    const s = source(n);
    const rows: unknown[] = [];
    for await (const page of sourcePages(path, s.fetchJson)) rows.push(...page);
    return { rows, asked: s.asked };
  }

  it("reads every page by offset and by page number, and stops on a short page", async () => {
    const a = await collect("/api/v1/x?limit=10&q=1", 25);
    expect(a.rows.length).toBe(25);
    expect(a.asked).toEqual([
      "/api/v1/x?limit=10&q=1",
      "/api/v1/x?limit=10&q=1&offset=10",
      "/api/v1/x?limit=10&q=1&offset=20",
    ]);
    const b = await collect("/api/v1/x?pageSize=7", 21);
    expect(b.rows.length).toBe(21);
    // 3 full pages of 7, then an empty fourth that ends it
    expect(b.asked.length).toBe(4);
    const c = await collect("/api/v1/x", 80);
    expect(c.rows.length).toBe(50); // a source without a page size is read once, as it answers
  });
});
