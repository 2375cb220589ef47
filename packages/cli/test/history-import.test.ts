/**
 * `yibao import --history` (历史清单导入, issue 12): each list's upload deadline (QC-TIME-001: refused when
 * the Beijing date of the upload minus 结算结束日期 exceeds 8 days) is checked against its original
 * upload time — the record's `uploaded_at` / 上传时间 or `--uploaded-at` — a bad time refuses that
 * record alone, and the import is in the operation log under the bureau account that did it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ImportRefused, type ImportRow, importLists } from "@yibao/cli/import-command";
import { PLATFORM_MIGRATIONS } from "@yibao/cli/platform";
import { DEMO_SCHEME_DIR } from "@yibao/grouper/load";
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { createUser, identityDb, sampleSettlementMessage } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "yibao-history-"));
const dataDir = join(dir, "db");
const storeOptions = { dataDir, migrations: PLATFORM_MIGRATIONS };

type Envelope = Record<string, unknown> & {
  input: Record<string, unknown> & { setlinfo: Record<string, unknown> };
};

/** A list that passes QC, settled and discharged on `end`, setl_id prefix + 5n. */
function listEndingOn(end: string, n: number, prefix: string): Envelope {
  const m = sampleSettlementMessage(n * 5, { today: addDays(end, 1), prefix }) as Envelope;
  expect(m.input.setlinfo.setl_end_date).toBe(end);
  return m;
}

const D = "2025-03-10";
const today = shanghaiDate(new Date());
const old = addDays(today, -396);

function writeJsonl(name: string, lists: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lists.map((l) => JSON.stringify(l)).join("\n")}\n`);
  return path;
}

const readReport = (path: string): ImportRow[] =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ImportRow);

async function withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(storeOptions);
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

describe("yibao import --history", () => {
  beforeAll(async () => {
    await withStore(async (s) => {
      await createUser(identityDb(s), {
        username: "bureau-hist",
        displayName: "医保局 历史导入",
        role: "bureau",
        hospitalCode: null,
        password: "Pw-history-import-7q",
      });
      await createUser(identityDb(s), {
        username: "hospital-hist",
        displayName: "医院",
        role: "hospital",
        hospitalCode: "H21010200001",
        password: "Pw-history-import-7q",
      });
    });
  }, 60_000);
  afterAll(() => {});

  it("checks each list against its original upload time, refuses bad times per record, and logs the import", async () => {
    const lists = [
      { ...listEndingOn(D, 1, "CA"), uploaded_at: addDays(D, 8) }, // D+8: in time
      { ...listEndingOn(D, 2, "CA"), uploaded_at: `${addDays(D, 9)} 00:00:00` }, // D+9: late
      listEndingOn(D, 3, "CA"), // no time of its own: --uploaded-at
      { ...listEndingOn(D, 4, "CA"), uploaded_at: addDays(today, 1) }, // future
      { ...listEndingOn(D, 5, "CA"), uploaded_at: "2025/03/12" }, // malformed
      { ...listEndingOn(old, 6, "CA"), uploaded_at: addDays(old, 2) }, // 396 days ago, uploaded in time
    ];
    const report = join(dir, "history.jsonl");
    const s = await importLists({
      input: writeJsonl("history-in.jsonl", lists),
      schemeDir: DEMO_SCHEME_DIR,
      store: storeOptions,
      report,
      progress: false,
      history: { operator: "bureau-hist", uploadedAt: addDays(D, 3) },
    });
    expect(s).toMatchObject({
      read: 6,
      inserted: 3,
      replaced: 0,
      refused: 1,
      invalid: 0,
      uploadTime: 2,
      uploadTimeSources: { file: 3, stated: 1 },
    });
    const rows = readReport(report);
    expect(rows.map((r) => [r.setlId, r.outcome, r.uploadedAt ?? null, r.uploadTimeSource ?? null])).toEqual([
      ["CA0000000005", "inserted", `${addDays(D, 8)} 00:00:00`, "file"],
      ["CA0000000010", "refused", `${addDays(D, 9)} 00:00:00`, "file"],
      ["CA0000000015", "inserted", `${addDays(D, 3)} 00:00:00`, "stated"],
      ["CA0000000020", "upload_time", null, null],
      ["CA0000000025", "upload_time", null, null],
      ["CA0000000030", "inserted", `${addDays(old, 2)} 00:00:00`, "file"],
    ]);
    expect(rows[1]?.findings).toContain(
      `QC-TIME-001 setlinfo.setl_end_date: 结算结束日期 ${D} 至上传日期 ${addDays(D, 9)} 已过 9 天`,
    );
    expect(rows[3]?.findings).toMatch(/^HIST-TIME-002 uploaded_at: 结算清单 CA0000000020：原始上传时间/);
    expect(rows[4]?.findings).toBe(
      "HIST-TIME-001 uploaded_at: 结算清单 CA0000000025：原始上传时间（uploaded_at）「2025/03/12」格式不正确，应为「年-月-日」或「年-月-日 时:分:秒」，如 2025-03-18 或 2025-03-18 09:30:00（北京时间）（不符合规则：原始上传时间须为合法的日期或日期时间），本条不予导入",
    );

    await withStore(async (store) => {
      const stored = await store.db
        .selectFrom("settlement_list")
        .select(["setl_id", "status", "uploaded_at", "upload_time_source"])
        .where("setl_id", "like", "CA%")
        .orderBy("setl_id")
        .execute();
      expect(stored.map((r) => [r.setl_id, r.status, r.upload_time_source])).toEqual([
        ["CA0000000005", "accepted", "file"],
        ["CA0000000010", "refused", "file"],
        ["CA0000000015", "accepted", "stated"],
        ["CA0000000030", "accepted", "file"],
      ]);
      expect(stored[3]?.uploaded_at?.toISOString()).toBe(`${addDays(old, 1)}T16:00:00.000Z`);
      const log = await identityDb(store)
        .selectFrom("console_oplog")
        .select(["username", "role", "action", "detail"])
        .where("action", "=", "历史清单导入")
        .orderBy("id")
        .execute();
      // One row with the batch's lists (in their transaction), then the summary of the run.
      expect(log.map((r) => [r.username, r.role])).toEqual([
        ["bureau-hist", "bureau"],
        ["bureau-hist", "bureau"],
      ]);
      expect(log[0]?.detail).toMatchObject({
        historyImport: true,
        committed: 4,
        uploadTimeSources: { file: 3, stated: 1 },
      });
      expect(log[1]?.detail).toMatchObject({
        historyImport: true,
        summary: true,
        lists: 6,
        inserted: 3,
        refused: 1,
        uploadTime: 2,
        uploadTimeSources: { file: 3, stated: 1 },
        statedUploadedAt: addDays(D, 3),
      });
    });
  }, 60_000);

  it("the same 396-day-old list through the ordinary import is still refused by QC-TIME-001", async () => {
    const late = listEndingOn(old, 7, "CB");
    const report = join(dir, "ordinary.jsonl");
    const s = await importLists({
      input: writeJsonl("ordinary-in.jsonl", [{ ...late, uploaded_at: addDays(old, 1) }]),
      schemeDir: DEMO_SCHEME_DIR,
      store: storeOptions,
      report,
      progress: false,
    });
    expect(s).toMatchObject({ read: 1, refused: 1, inserted: 0 });
    expect(readReport(report)[0]?.findings).toContain(`至上传日期 ${today} 已过 396 天，超过 8 天的上传时限`);
    // The history import of the same list accepts it (a new version of the same setl_id).
    const h = await importLists({
      input: writeJsonl("history-again.jsonl", [{ ...late, uploaded_at: addDays(old, 1) }]),
      schemeDir: DEMO_SCHEME_DIR,
      store: storeOptions,
      progress: false,
      history: { operator: "bureau-hist" },
    });
    expect(h).toMatchObject({ read: 1, replaced: 1, refused: 0 });
  }, 60_000);

  it("reads the upload time from a CSV column 上传时间", async () => {
    const rows = [8, 9].map((n, i) => {
      const { setlinfo, ...lists } = listEndingOn(D, n, "CC").input;
      return {
        infno: "4101",
        上传时间: i === 0 ? `${addDays(D, 8)} 18:00:00` : addDays(D, 9),
        ...setlinfo,
        ...Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, JSON.stringify(v)])),
      };
    });
    const csv = join(dir, "history.csv");
    writeFileSync(csv, stringify(rows, { header: true }));
    const s = await importLists({
      input: csv,
      schemeDir: DEMO_SCHEME_DIR,
      store: storeOptions,
      progress: false,
      history: { operator: "bureau-hist" },
    });
    expect(s).toMatchObject({ read: 2, inserted: 1, refused: 1, uploadTimeSources: { file: 2 } });
  }, 60_000);

  it("refuses the whole import for a non-bureau operator or a malformed or future --uploaded-at, storing nothing", async () => {
    const input = writeJsonl("refused-in.jsonl", [listEndingOn(D, 10, "CD")]);
    const run = (history: { operator: string; uploadedAt?: string }) =>
      importLists({ input, schemeDir: DEMO_SCHEME_DIR, store: storeOptions, progress: false, history });
    await expect(run({ operator: "hospital-hist" })).rejects.toThrow(ImportRefused);
    await expect(run({ operator: "hospital-hist" })).rejects.toThrow("只能由医保局账号进行");
    await expect(run({ operator: "nobody" })).rejects.toThrow("操作人账号不存在：nobody");
    await expect(run({ operator: "bureau-hist", uploadedAt: "2025-3-1" })).rejects.toThrow(
      "--uploaded-at「2025-3-1」不是合法的原始上传时间，应为「年-月-日」",
    );
    await expect(run({ operator: "bureau-hist", uploadedAt: addDays(today, 1) })).rejects.toThrow(
      "不符合规则：原始上传时间不能晚于当前时间",
    );
    await withStore(async (s) => {
      expect(await s.getSettlementList("CD0000000050")).toBeUndefined();
    });
  }, 60_000);

  it("the command asks for --history before --uploaded-at, and for an operator", () => {
    const input = writeJsonl("cmd-in.jsonl", [listEndingOn(D, 11, "CE")]);
    const yibao = (...args: string[]) =>
      spawnSync(process.execPath, [resolve(REPO, "bin/yibao.js"), "import", "--input", input, ...args], {
        encoding: "utf8",
        env: { ...process.env, YIBAO_DATA_DIR: dataDir },
      });
    const noHistory = yibao("--uploaded-at", D);
    expect(noHistory.status).toBe(2);
    expect(noHistory.stderr).toContain("请同时指定 --history");
    const noOperator = yibao("--history");
    expect(noOperator.status).toBe(2);
    expect(noOperator.stderr).toContain("须用 --operator 指定操作人");
    const ok = yibao(
      "--history",
      "--operator",
      "bureau-hist",
      "--uploaded-at",
      addDays(D, 1),
      "--no-progress",
    );
    expect(ok.stderr).toContain("历史清单导入：读取 1 份清单：接收 1 份");
    expect(ok.stderr).toContain("取自 --uploaded-at 1 份");
    expect(ok.status).toBe(0);
  }, 60_000);
});
