import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { demoHospitalName, sampleLists } from "@yibao/cli/sample-command";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type TestServer, testServer } from "../../server/test/helpers.js";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../../..");
const BIN = resolve(REPO, "bin/yibao.js");
/** The demo region's first hospital: the one the demo account `hospital` belongs to. */
const HOSPITAL = "H32990200137";
const OTHER = "H32990200174";

interface UploadResult {
  readonly setl_id: string | null;
  readonly outcome: string | null;
  readonly accepted: boolean;
  readonly stored?: boolean;
  readonly findings: readonly { ruleId: string; severity: string; field: string; message: string }[];
  readonly group: { status: string; drg: string } | null;
}

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await testServer("pglite");
  dir = mkdtempSync(join(tmpdir(), "yibao-sample-"));
});
afterAll(async () => {
  await server?.close();
});

async function upload(hospital: string, body: unknown) {
  const headers = await signIn(server.raw, server.store, "hospital", hospital);
  return server.raw.inject({
    method: "POST",
    url: "/api/v1/settlement-lists",
    headers,
    payload: body as object,
  });
}

function expectAllAccepted(results: readonly UploadResult[], count: number): void {
  expect(results.length).toBe(count);
  for (const r of results) {
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(r.accepted, r.setl_id ?? "").toBe(true);
    expect(r.outcome).toBe("inserted");
    // Grouped: the demo scheme has no MDC F, so its heart-failure stay (one in ten) is 0000, not an error.
    expect(r.group?.status).toMatch(/^(OK|UNGROUPABLE)$/);
  }
}

describe("yibao sample-list", () => {
  it("writes a JSON array a hospital account uploads as it is: every list accepted, no error finding", async () => {
    const file = join(dir, "lists.json");
    const { stderr } = await run(process.execPath, [
      BIN,
      "sample-list",
      "--hospital",
      HOSPITAL,
      "--count",
      "30",
      "--array",
      "--output",
      file,
    ]);
    expect(stderr).toBe(`已生成 30 份示例结算清单：${file}\n`);
    const body = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>[];
    const r = await upload(HOSPITAL, body);
    expect(r.statusCode).toBe(200);
    const answer = r.json() as { count: number; accepted: number; refused: number; results: UploadResult[] };
    expect([answer.count, answer.accepted, answer.refused]).toEqual([30, 30, 0]);
    expectAllAccepted(answer.results, 30);
    expect(answer.results.filter((x) => x.group?.status === "OK").length).toBe(27);
    const stored = await server.app.inject({
      method: "GET",
      url: `/api/v1/settlement-lists?hospital=${HOSPITAL}`,
    });
    const page = stored.json() as {
      total: number;
      items: { hospital_name?: string; hospitalName?: string }[];
    };
    expect(page.total).toBe(30);
    expect(JSON.stringify(page.items[0])).toContain("江州市第一人民医院");
  });

  it("writes one envelope per line, each uploadable alone; another hospital's lists do not collide", async () => {
    const { stdout } = await run(process.execPath, [
      BIN,
      "sample-list",
      "--hospital",
      OTHER,
      "--count",
      "10",
    ]);
    const lines = stdout.trim().split("\n");
    expect(lines.length).toBe(10);
    const results: UploadResult[] = [];
    for (const line of lines) {
      const r = await upload(OTHER, JSON.parse(line));
      expect(r.statusCode).toBe(200);
      results.push(r.json() as UploadResult);
    }
    expectAllAccepted(results, 10);
    // The other hospital's setl_ids are its own: none is one of the first hospital's.
    expect(results.every((r) => r.setl_id?.startsWith(`SL${OTHER}`))).toBe(true);
  });

  it("a list generated for one hospital is refused when another hospital uploads it", async () => {
    const [list] = sampleLists({ hospitalCode: HOSPITAL, count: 1, first: 500 });
    const r = await upload(OTHER, list);
    // --hospital must be the account's own institution.
    expect(r.statusCode).toBe(403);
    expect((r.json() as { message: string }).message).toContain("医院账号只能上传本院清单");
  });

  it("names the demo hospitals, asks for --name for any other code, and bounds --count", async () => {
    expect(demoHospitalName(HOSPITAL)).toBe("江州市第一人民医院");
    expect(() => sampleLists({ hospitalCode: "H00000000001", count: 1 })).toThrow(
      "请用 --name 给出医疗机构名称",
    );
    const [named] = sampleLists({ hospitalCode: "H00000000001", hospitalName: "某某医院", count: 1 });
    expect(JSON.stringify(named)).toContain("某某医院");
    expect(() => sampleLists({ hospitalCode: HOSPITAL, count: 2001 })).toThrow("清单份数应在 1 到 2000 之间");
  });
});
