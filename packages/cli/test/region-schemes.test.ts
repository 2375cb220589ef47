/**
 * Several schemes side by side (分组方案切换, issue 12): a region pack's `schemes.json` names the
 * schemes in force by date. Two packs over the same lists — one switching on 2026-07-01 by discharge
 * date with the built-in QC rules, the other on 2026-06-15 by settlement date with a QC edition of
 * its own from 2026-07-01 — give the groups and QC outcomes each pack's dates imply; the store keeps
 * which scheme grouped each list, and the audit checks each stay under that scheme.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPeriodStays } from "@yibao/audit-service";
import { createListPreparer } from "@yibao/server";
import { DEFAULT_QC_RULES } from "@yibao/settlement";
import { openStore, type SettlementListUpload } from "@yibao/store";
import { afterAll, describe, expect, it } from "vitest";
import { PLATFORM_MIGRATIONS } from "../src/platform.js";
import { describeRegionPack, openRegionPack } from "../src/region.js";
import { serve } from "../src/serve-command.js";
import { at, stroke, writeSchemes } from "./two-schemes.js";

const root = mkdtempSync(join(tmpdir(), "yibao-schemes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pack(name: string, files: Record<string, unknown>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeSchemes(dir);
  for (const [file, data] of Object.entries(files))
    writeFileSync(join(dir, file), JSON.stringify(data, null, 2));
  return dir;
}

/** Pack B's QC edition from 2026-07-01: 参保地 must be a Suzhou (3205xx) code; the samples say 210102. */
const QC_B = [
  { ...DEFAULT_QC_RULES, id: "pack-b-qc", version: "1", effectiveDate: "2020-01-01" },
  {
    ...DEFAULT_QC_RULES,
    id: "pack-b-qc",
    version: "2",
    effectiveDate: "2026-07-01",
    rules: [
      ...DEFAULT_QC_RULES.rules,
      {
        id: "QC-REGION-001",
        check: "pattern",
        category: "format",
        severity: "error",
        message: "{label}（{field}）应为本统筹区{format}，实际为「{value}」",
        params: {
          checks: [{ fields: ["setlinfo.insuplc"], regex: "^3205\\d{2}$", format: "苏州市区划代码" }],
        },
      },
    ],
  },
];

const packA = pack("a", {
  "schemes.json": {
    schemes: [
      { dir: "schemes/demo-old", effectiveDate: "2025-01-01" },
      { dir: "schemes/demo-new", effectiveDate: "2026-07-01" },
    ],
  },
});
const packB = pack("b", {
  "schemes.json": {
    dateBasis: "settlement",
    schemes: [
      { dir: "schemes/demo-old", effectiveDate: "2025-01-01" },
      { dir: "schemes/demo-new", effectiveDate: "2026-06-15" },
    ],
  },
  "qc-rules.json": QC_B,
});

describe("region pack: grouping schemes by date (schemes.json)", () => {
  it("loads and describes each scheme with its date and basis", async () => {
    const a = await openRegionPack(packA);
    expect(a.problems).toEqual([]);
    expect(a.calendar?.editions.map((e) => [e.scheme.id, e.effectiveDate])).toEqual([
      ["demo-old", "2025-01-01"],
      ["demo-new", "2026-07-01"],
    ]);
    const text = describeRegionPack(a);
    expect(text).toContain("分组方案 demo-old（演示方案）：2025-01-01 起生效，按出院日期");
    expect(text).toContain("分组方案 demo-new（演示方案）：2026-07-01 起生效，按出院日期，61 个病组");
    expect((await openRegionPack(packB)).calendar?.basis).toBe("settlement");
  });

  it("groups the same lists by each pack's switch date: the day before, on it, after", async () => {
    const a = await openRegionPack(packA);
    const b = await openRegionPack(packB);
    if (!a.calendar || !b.calendar) throw new Error("a pack has no calendar");
    const prepA = createListPreparer(a.calendar, a.qc.rules);
    const prepB = createListPreparer(b.calendar, b.qc.rules);
    const outcome = (prep: typeof prepA, m: Record<string, unknown>) => {
      const p = prep(m, at(m));
      return {
        scheme: p.upload?.list.scheme_id ?? null,
        drg: p.group?.drg,
        qc: p.findings.map((f) => f.ruleId),
      };
    };
    const june14 = stroke(0, "2026-06-14");
    const june15 = stroke(1, "2026-06-15");
    const june30 = stroke(2, "2026-06-30");
    const july1 = stroke(3, "2026-07-01");
    // Pack A: by discharge date, switch on 07-01, built-in QC.
    expect(outcome(prepA, june30)).toEqual({ scheme: "demo-old", drg: "BR25", qc: [] });
    expect(outcome(prepA, july1)).toEqual({ scheme: "demo-new", drg: "BR21", qc: [] });
    // Pack B: by settlement date, switch on 06-15; its own QC edition refuses from 07-01 only.
    expect(outcome(prepB, june14).scheme).toBe("demo-old");
    expect(outcome(prepB, june15)).toEqual({ scheme: "demo-new", drg: "BR21", qc: [] });
    expect(outcome(prepB, june30)).toEqual({ scheme: "demo-new", drg: "BR21", qc: [] });
    expect(outcome(prepB, july1).qc).toEqual(["QC-REGION-001"]);
    // Discharged on 06-14 but settled on 06-15: pack B goes by the settlement date, pack A by discharge.
    const settledLater = stroke(4, "2026-06-14", "2026-06-15");
    expect(outcome(prepB, settledLater).scheme).toBe("demo-new");
    expect(outcome(prepA, settledLater).scheme).toBe("demo-old");
  });

  it("keeps which scheme grouped each list, and the audit reads each stay under it", async () => {
    const a = await openRegionPack(packA);
    if (!a.calendar) throw new Error("pack A has no calendar");
    const prep = createListPreparer(a.calendar, a.qc.rules);
    const store = await openStore({ memory: true });
    try {
      const uploads = [stroke(0, "2026-06-29"), stroke(1, "2026-06-30"), stroke(2, "2026-07-01")]
        .map((m) => prep(m, at(m)).upload)
        .filter((u): u is SettlementListUpload => u !== null);
      expect(uploads).toHaveLength(3);
      await store.saveSettlementLists(uploads);
      const stored = await store.db
        .selectFrom("settlement_list")
        .select(["dscg_date", "scheme_id", "drg"])
        .orderBy("dscg_date")
        .execute();
      expect(stored.map((r) => [String(r.dscg_date).slice(0, 10), r.scheme_id, r.drg])).toEqual([
        ["2026-06-29", "demo-old", "BR25"],
        ["2026-06-30", "demo-old", "BR25"],
        ["2026-07-01", "demo-new", "BR21"],
      ]);
      const read = [];
      for await (const batch of readPeriodStays(store, a.calendar, "2026-06", "2026-07", 100, "message")) {
        expect(batch.errors).toEqual([]);
        read.push(...batch.stays);
      }
      expect(read.map((s) => [s.dischargeDate, s.schemeId, s.group.drg]).sort()).toEqual([
        ["2026-06-29", "demo-old", "BR25"],
        ["2026-06-30", "demo-old", "BR25"],
        ["2026-07-01", "demo-new", "BR21"],
      ]);
    } finally {
      await store.close();
    }
  });

  it("audits a list under the scheme stored with it when a regrouping moved it off its date's edition", async () => {
    const a = await openRegionPack(packA);
    if (!a.calendar) throw new Error("pack A has no calendar");
    const prep = createListPreparer(a.calendar, a.qc.rules);
    const store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
    try {
      const uploads = [stroke(0, "2026-06-29"), stroke(1, "2026-06-30")]
        .map((m) => prep(m, at(m)).upload)
        .filter((u): u is SettlementListUpload => u !== null);
      await store.saveSettlementLists(uploads);
      // As `yibao regroup --scheme demo-new --apply` leaves it: the 06-30 list grouped by the new edition.
      await store.db
        .updateTable("settlement_list")
        .set({ scheme_id: "demo-new", drg: "BR21" })
        .where("dscg_date", "=", "2026-06-30")
        .execute();
      for (const source of ["projection", "message"] as const) {
        const read = [];
        for await (const batch of readPeriodStays(store, a.calendar, "2026-06", "2026-06", 100, source)) {
          expect(batch.errors).toEqual([]);
          read.push(...batch.stays);
        }
        expect(read.map((s) => [s.dischargeDate, s.schemeId, s.group.drg]).sort()).toEqual([
          ["2026-06-29", "demo-old", "BR25"],
          ["2026-06-30", "demo-new", "BR21"],
        ]);
      }
      // A scheme the calendar does not hold: the stay falls back to the scheme of its date.
      await store.db
        .updateTable("settlement_list")
        .set({ scheme_id: "chs-drg-1.1" })
        .where("dscg_date", "=", "2026-06-30")
        .execute();
      const fallback = [];
      for await (const batch of readPeriodStays(store, a.calendar, "2026-06", "2026-06"))
        fallback.push(...batch.stays.map((s) => s.schemeId));
      expect(fallback).toEqual(["demo-old", "demo-old"]);
    } finally {
      await store.close();
    }
  });

  it("names every problem of schemes.json by file and path, in Chinese", async () => {
    const bad = pack("bad", {
      "schemes.json": {
        dateBasis: "admission",
        extra: 1,
        schemes: [
          { dir: "schemes/demo-old", effectiveDate: "2025-1-1" },
          { dir: "schemes/none", effectiveDate: "2026-01-01" },
          { dir: "schemes/demo-new", effectiveDate: "2026-07-01", name: "x" },
          "schemes/demo-new",
        ],
      },
    });
    const r = await openRegionPack(bad);
    const f = join(bad, "schemes.json");
    expect(r.calendar).toBeNull();
    expect(r.problems).toEqual([
      `${f} $.extra：未知字段`,
      `${f} $.dateBasis：应为 "discharge"（按出院日期）或 "settlement"（按结算日期）`,
      `${f} $.schemes[0].effectiveDate：应为生效日期 yyyy-MM-dd，实际为 "2025-1-1"`,
      `${f} $.schemes[1].dir：分组方案目录不存在：${join(bad, "schemes", "none")}`,
      `${f} $.schemes[2].name：未知字段`,
      `${f} $.schemes[3]：应为对象 {"dir": 方案目录, "effectiveDate": 生效日期}`,
    ]);
    expect(describeRegionPack(r)).toContain("发现 6 处问题");

    const same = pack("same", {
      "schemes.json": [
        { dir: "schemes/demo-old", effectiveDate: "2026-01-01" },
        { dir: "schemes/demo-new", effectiveDate: "2026-01-01" },
      ],
    });
    expect((await openRegionPack(same)).problems).toEqual([
      `${join(same, "schemes.json")}：分组方案 demo-old 与 demo-new 的生效日期同为 2026-01-01，无法确定哪一个生效`,
    ]);

    const notJson = pack("not-json", {});
    writeFileSync(join(notJson, "schemes.json"), "{ schemes: [");
    const nj = await openRegionPack(notJson);
    expect(nj.calendar).toBeNull();
    expect(nj.problems).toEqual([expect.stringMatching(/schemes\.json：不是合法的 JSON/)]);

    const broken = pack("broken", {
      "schemes.json": [{ dir: "schemes/demo-new", effectiveDate: "2026-01-01" }],
    });
    writeFileSync(join(broken, "schemes", "demo-new", "scheme.json"), '{"mdcOrder": "A"}');
    const [problem] = (await openRegionPack(broken)).problems;
    expect(problem).toMatch(/schemes\.json：分组方案 .*demo-new 无效/);
  });

  it("serve --region starts on the pack's calendar, and refuses a broken schemes.json before anything is written", async () => {
    const lines: string[] = [];
    const server = await serve({
      port: 0,
      host: "127.0.0.1",
      dataDir: join(root, "serve-a"),
      region: packA,
      log: (l) => lines.push(l),
    });
    await server.close();
    expect(lines.join("\n")).toContain("分组方案 demo-new（演示方案）：2026-07-01 起生效，按出院日期");
    const broken = pack("serve-broken", {
      "schemes.json": [{ dir: "schemes/none", effectiveDate: "2026-01-01" }],
    });
    await expect(
      serve({ port: 0, dataDir: join(root, "serve-b"), region: broken, log: () => {} }),
    ).rejects.toThrow(
      /地区配置有误，服务未启动：\n.*schemes\.json \$\.schemes\[0\]\.dir：分组方案目录不存在/,
    );
    expect(existsSync(join(root, "serve-a", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(root, "serve-b", "PG_VERSION"))).toBe(false);
  }, 120_000);
});
