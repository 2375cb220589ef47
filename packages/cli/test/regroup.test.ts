/**
 * Regrouping under a newer scheme edition (重新分组, issue 12): lists stored under the old scheme
 * are grouped again by the pack's calendar (new scheme from 2026-07-01); the report says how many
 * change group and how much DRG payment moves, priced by settlement's code with the pack's weights
 * (worked by hand: rate 10,000 元, BR25 0.97 → 9,700.00 元, BR21 2.00 → 20,000.00 元); nothing is
 * written without --apply; with it the change is one logged run, and a second run finds nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSchemeDir } from "@yibao/grouper/load";
import { demoPolicy, publishPaymentRegion } from "@yibao/payment-service";
import { createListPreparer } from "@yibao/server";
import { applyRegroup, openStore, type SettlementListUpload } from "@yibao/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_MIGRATIONS } from "../src/platform.js";
import { openRegionPack } from "../src/region.js";
import { formatRegroup, regroupLists } from "../src/regroup-command.js";
import { at, pneumonia, stroke, writeSchemes } from "./two-schemes.js";

const root = mkdtempSync(join(tmpdir(), "yibao-regroup-"));
const dataDir = join(root, "data");
const region = join(root, "pack");
const store = { dataDir, migrations: PLATFORM_MIGRATIONS };
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(region, { recursive: true });
  writeSchemes(region);
  const files: Record<string, unknown> = {
    "schemes.json": {
      schemes: [
        { dir: "schemes/demo-old", effectiveDate: "2025-01-01" },
        { dir: "schemes/demo-new", effectiveDate: "2026-07-01" },
      ],
    },
    "weight-tables.json": {
      id: "w",
      version: "1",
      name: "测试权重表",
      effectiveFrom: "2025-01-01",
      entries: [
        { drg: "BR25", rw: "0.97" },
        { drg: "BR21", rw: "2" },
      ],
    },
    "payment-policy.json": { ...demoPolicy("2025-01-01"), weights: { id: "w", version: "1" } },
  };
  for (const [f, d] of Object.entries(files)) writeFileSync(join(region, f), JSON.stringify(d));
  // Every list stored under the old scheme alone (as before the pack had schemes.json).
  const old = createListPreparer(await loadSchemeDir(join(region, "schemes", "demo-old")));
  const s = await openStore(store);
  try {
    const messages = [
      stroke(0, "2026-06-30"),
      stroke(1, "2026-07-01"),
      stroke(2, "2026-07-02"),
      pneumonia(0, "2026-07-01"),
    ];
    const uploads = messages
      .map((m) => old(m, at(m)).upload)
      .filter((u): u is SettlementListUpload => u !== null);
    expect(uploads.map((u) => [u.list.scheme_id, u.list.drg])).toEqual([
      ["demo-old", "BR25"],
      ["demo-old", "BR25"],
      ["demo-old", "BR25"],
      ["demo-old", "ES35"],
    ]);
    await s.saveSettlementLists(uploads);
    const pack = await openRegionPack(region);
    expect(pack.problems).toEqual([]);
    if (pack.payment) await publishPaymentRegion(s, pack.payment, "region");
  } finally {
    await s.close();
  }
});

const rows = async () => {
  const s = await openStore(store);
  try {
    return await s.db
      .selectFrom("settlement_list")
      .select(["setl_id", "dscg_date", "scheme_id", "drg"])
      .orderBy("setl_id")
      .execute();
  } finally {
    await s.close();
  }
};

describe("yibao regroup", () => {
  const options = {
    from: "2026-06",
    to: "2026-07",
    region,
    operator: "局端甲",
    reason: "启用新版方案",
    store,
  };

  it("reports the groups and the payment that move, and writes nothing without --apply", async () => {
    const before = await rows();
    const csv = join(root, "diff.csv");
    const r = await regroupLists({ ...options, apply: false, report: csv });
    expect(r.lists).toBe(4);
    expect(
      r.lines.map((l) => [l.change.from.drg, l.change.to.schemeId, l.change.to.drg, l.before, l.after]),
    ).toEqual([
      // The pneumonia moves scheme only (ES35 has no weight here); the strokes from 07-01 move to BR21.
      ["ES35", "demo-new", "ES35", null, null],
      ["BR25", "demo-new", "BR21", 970_000, 2_000_000],
      ["BR25", "demo-new", "BR21", 970_000, 2_000_000],
    ]);
    const text = formatRegroup(r, { ...options, apply: false });
    expect(text).toContain("重新分组（试算，未写入）：结算期 2026-06..2026-07，读取已接收清单 4 份");
    expect(text).toContain("分组结果改变 3 份，其中病组改变 2 份（50.0%），仅分组方案改变 1 份");
    expect(text).toContain("demo-old:BR25 → demo-new:BR21\t2 份");
    expect(text).toContain(
      "DRG 支付（可定价的 2 份）：原 19400.00 元 → 新 40000.00 元，变化 +20600.00 元；无法定价 1 份",
    );
    expect(readFileSync(csv, "utf8").split("\n")[0]).toBe(
      "结算ID,医院编码,结算期,原分组方案,原病组,新分组方案,新病组,原DRG支付,新DRG支付",
    );
    expect(await rows()).toEqual(before);
  });

  it("--apply writes one logged run; the day before the switch keeps its group; a rerun finds nothing", async () => {
    const r = await regroupLists({ ...options, apply: true });
    expect(r.applied).toMatchObject({ applied: 3, skipped: [] });
    const after = await rows();
    expect(after.filter((x) => x.drg === "BR21").map((x) => String(x.dscg_date).slice(0, 10))).toEqual([
      "2026-07-01",
      "2026-07-02",
    ]);
    expect(after.find((x) => String(x.dscg_date).startsWith("2026-06-30"))).toMatchObject({
      scheme_id: "demo-old",
      drg: "BR25",
    });
    const s = await openStore(store);
    try {
      const run = await s.db.selectFrom("regroup_run").selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({
        operator: "局端甲",
        reason: "启用新版方案",
        lists: 4,
        changed: 3,
        applied: 3,
      });
      expect(Number(run.payment_before_fen)).toBe(1_940_000);
      expect(Number(run.payment_after_fen)).toBe(4_000_000);
      const changes = await s.db.selectFrom("regroup_change").select(["from_drg", "to_drg"]).execute();
      expect(changes).toHaveLength(3);
      // The lists' counts follow: BR21 twice in July.
      const counts = await s.db
        .selectFrom("settlement_list_count")
        .select(["period", "drg", "lists"])
        .where("drg", "in", ["BR21", "BR25"])
        .orderBy("period")
        .execute();
      expect(counts.map((c) => [c.period, c.drg, Number(c.lists)])).toEqual([
        ["2026-06", "BR25", 1],
        ["2026-07", "BR21", 2],
      ]);
      // A change planned against a version no longer in force is skipped, and the log says so.
      const stale = await applyRegroup(
        s,
        {
          ...options,
          periodFrom: "2026-07",
          periodTo: "2026-07",
          lists: 1,
          paymentBeforeFen: null,
          paymentAfterFen: null,
          summary: {},
        },
        [
          {
            setlId: after[0]?.setl_id as string,
            version: 1,
            from: { schemeId: "demo-old", groupStatus: "OK", drg: "XX99" },
            to: { schemeId: "demo-new", groupStatus: "OK", drg: "BR21", drgName: "", mdc: "B", adrg: "BR2" },
          },
        ],
      );
      expect(stale).toMatchObject({ applied: 0, skipped: [after[0]?.setl_id] });
    } finally {
      await s.close();
    }
    const again = await regroupLists({ ...options, apply: false });
    expect(again.lines).toEqual([]);
    expect(formatRegroup(again, { ...options, apply: false })).toContain("分组结果改变 0 份");
  });

  it("refuses without a scheme to regroup by, naming what to give", async () => {
    await expect(regroupLists({ ...options, region: undefined, apply: false })).rejects.toThrow(
      "请用 --region（含 schemes.json）或 --scheme 指定按哪个分组方案重新分组",
    );
  });
});
