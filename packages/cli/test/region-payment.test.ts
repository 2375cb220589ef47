/**
 * A region pack's payment part (issue 12): weight tables, payment and benefit policies as dated
 * editions and the hospitals' master data in `hospitals.tsv`, validated at load naming the file, the
 * edition or line and the field; published once into the store, a released edition never edited;
 * and a hospital with a benefit class that only the pack defines is paid by it from the day the pack
 * changes it (an edition in force from today, never rewriting the past) — no TypeScript.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import {
  DEMO_BENEFIT_POLICY,
  demoPolicy,
  ensureDemoPayment,
  listVersions,
  loadPaymentHospitals,
  loadSettler,
  publishPaymentRegion,
  type StayInput,
  settleInput,
  settlePeriod,
  todayInChina,
} from "@yibao/payment-service";
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadDemoRegion } from "../src/demo-region.js";
import { PLATFORM_MIGRATIONS, platformDb } from "../src/platform.js";
import { describeRegionPack, loadRegionPack } from "../src/region.js";
import { serve } from "../src/serve-command.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pack(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "yibao-region-pay-"));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files))
    writeFileSync(join(dir, name), typeof data === "string" ? data : JSON.stringify(data, null, 2));
  return dir;
}

const WEIGHTS = {
  id: "pack-weights",
  version: "2025",
  name: "配置包权重表",
  effectiveFrom: "2027-01-01",
  entries: [{ drg: "GB25", rw: "1.2" }],
};
/** In force from 2027: the stays of 2025 (the third test) stay under the demo's own policy. */
const POLICY = {
  ...demoPolicy("2027-01-01"),
  id: "pack-rate",
  version: "2025",
  weights: { id: "pack-weights", version: "2025" },
};
/** A benefit edition with a class the code knows nothing of: 试点高起付 (deductible 1,000,000 元). */
const BENEFIT = {
  ...DEMO_BENEFIT_POLICY,
  id: "pack-benefit",
  version: "2025",
  effectiveFrom: "2025-01-01",
  classes: [
    ...DEMO_BENEFIT_POLICY.classes,
    { class: "试点高起付", deductible: "1000000", ratioLevel: "三级" },
  ],
};
const TSV_HEADER = "code\tname\tlevel\tbenefit_class";

describe("region pack: payment data at load", () => {
  it("each edition is checked by the payment core and each hospital line by itself, every problem named", () => {
    const bad = pack({
      "weight-tables.json": [WEIGHTS, WEIGHTS],
      "payment-policy.json": { ...POLICY, rate: "十元" },
      "benefit-policy.json": BENEFIT,
      "hospitals.tsv": [
        TSV_HEADER,
        "H001\t甲医院\t三级\t试点高起付",
        "H002\t乙医院\t特级\t",
        "H001\t丙医院\t二级\t",
        "H003\t丁医院\t二级\t无此类别",
        "H004\t戊医院\t二级",
      ].join("\n"),
    });
    const r = loadRegionPack(bad);
    const text = r.problems.join("\n");
    expect(text).toContain(`${join(bad, "weight-tables.json")} 第 2 版：病组权重表 pack-weights@2025 重复`);
    expect(text).toMatch(/payment-policy\.json 第 1 版（支付政策 pack-rate@2025）：.*rate/);
    expect(text).toContain(
      `${join(bad, "hospitals.tsv")} 第 3 行（H002）：level 须为 一级、二级、三级 之一（收到「特级」）`,
    );
    expect(text).toContain("第 4 行（H001）：医院编码与第 2 行重复");
    expect(text).toContain("第 5 行（H003）：benefit_class「无此类别」不是配置包待遇政策中的起付线类别");
    expect(text).toContain("第 6 行：应有 4 列，实有 3 列");
    expect(r.problems).toHaveLength(6);
    expect(describeRegionPack(r)).toContain("发现 6 处问题");
    const noHeader = loadRegionPack(pack({ "hospitals.tsv": "编码\t名称\n" }));
    expect(noHeader.problems[0]).toContain("第 1 行：表头须为 code<Tab>name<Tab>level<Tab>benefit_class");
    const good = loadRegionPack(
      pack({
        "benefit-policy.json": BENEFIT,
        "hospitals.tsv": `${TSV_HEADER}\nH001\t甲医院\t三级\t试点高起付\n`,
      }),
    );
    expect(good.problems).toEqual([]);
    expect(good.payment?.hospitals).toEqual([
      { hospitalCode: "H001", level: "三级", benefitClass: "试点高起付" },
    ]);
    expect(describeRegionPack(good)).toContain("待遇政策 pack-benefit@2025：2025-01-01 起生效");
    // The optional fifth column names the payment method (DRG or DIP, any case; empty is DRG).
    const methods = loadRegionPack(
      pack({
        "benefit-policy.json": BENEFIT,
        "hospitals.tsv": `${TSV_HEADER}\tpayment_method\nH001\t甲医院\t三级\t试点高起付\tdip\nH002\t乙医院\t二级\t\t\nH003\t丙医院\t二级\t\tDRGS\n`,
      }),
    );
    expect(methods.payment?.hospitals.map((h) => [h.hospitalCode, h.paymentMethod])).toEqual([
      ["H001", "dip"],
      ["H002", "drg"],
      ["H003", "drg"],
    ]);
    expect(methods.problems).toEqual([
      expect.stringContaining("第 4 行（H003）：payment_method 须为 DRG 或 DIP（收到「DRGS」）"),
    ]);
    expect(describeRegionPack(methods)).toContain("其中按 DIP 付费 1 家");
  });
});

describe("region pack: payment data in the store", () => {
  let store: Store;
  let hospital: string;
  beforeAll(async () => {
    const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
    store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
    await loadDemoRegion(store, scheme, {
      stays: 400,
      seed: 5,
      from: "2025-01-01",
      to: "2025-12-31",
      today: new Date("2026-01-15T00:00:00Z"),
      injectRate: 0,
      qcDefects: false,
    });
    await ensureDemoPayment({ store, scheme });
    const busiest = await sql<{ hospital_code: string }>`SELECT hospital_code FROM settlement_list
      WHERE status = 'accepted' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`.execute(platformDb(store));
    hospital = busiest.rows[0]?.hospital_code as string;
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });

  it("publishes once; a restart changes nothing; an edited released edition stops it and writes nothing", async () => {
    const dir = pack({
      "weight-tables.json": WEIGHTS,
      "payment-policy.json": POLICY,
      "hospitals.tsv": `${TSV_HEADER}\nPACK001\t配置包新医院\t二级\t\n`,
    });
    const r = loadRegionPack(dir);
    expect(r.problems).toEqual([]);
    const payment = r.payment;
    if (payment === null) throw new Error("no payment data");
    const first = await publishPaymentRegion(store, payment, "region");
    expect(first.published).toEqual(["病组权重表 pack-weights@2025", "支付政策 pack-rate@2025"]);
    expect(first.hospitals).toEqual({ added: 1, changed: 0, unchanged: 0 });
    const policies = await listVersions(store, "policy");
    expect(policies.find((p) => p.id === "pack-rate")).toMatchObject({ version: "2025" });
    const again = await publishPaymentRegion(store, payment, "region");
    expect(again).toEqual({
      published: [],
      unchanged: ["病组权重表 pack-weights@2025", "支付政策 pack-rate@2025"],
      hospitals: { added: 0, changed: 0, unchanged: 1 },
    });
    // The same version with another rate, and a new hospital beside it: refused whole.
    const edited = {
      ...payment,
      policies: [{ ...POLICY, rate: "12000" }],
      hospitals: [...payment.hospitals, { hospitalCode: "PACK002", level: "一级", benefitClass: null }],
    };
    await expect(publishPaymentRegion(store, edited, "region")).rejects.toThrow(
      "支付政策 pack-rate@2025 已发布且内容不同：已发布的版本不可修改，请在配置包中使用新版本号",
    );
    expect((await loadPaymentHospitals(store)).has("PACK002")).toBe(false);
    // A policy naming a weight table neither in the pack nor published: refused before writing.
    const orphan = {
      ...payment,
      weights: [],
      policies: [{ ...POLICY, version: "2025b", weights: { id: "nope", version: "1" } }],
    };
    await expect(publishPaymentRegion(store, orphan, "region")).rejects.toThrow(
      "引用的病组权重表 nope@1 既不在配置包中也未发布",
    );
    expect((await listVersions(store, "policy")).some((p) => p.version === "2025b")).toBe(false);
  });

  it("a benefit class only the pack defines decides the fund's share of that hospital's stays from the day the pack changes it", async () => {
    const db = platformDb(store);
    const fundOf = async () =>
      (
        await sql<{ n: number; paid: number }>`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE benefit_fund_fen > 0)::int AS paid FROM stay_settlement
          WHERE hospital_code = ${hospital} AND benefit_fund_fen IS NOT NULL`.execute(db)
      ).rows[0];
    const before = await fundOf();
    // The demo's benefit policy pays the fund's share of most of this hospital's stays.
    expect(before?.paid).toBeGreaterThan(0);
    const r = loadRegionPack(
      pack({
        "benefit-policy.json": BENEFIT,
        "hospitals.tsv": `${TSV_HEADER}\n${hospital}\t配置包医院\t三级\t试点高起付\n`,
      }),
    );
    expect(r.problems).toEqual([]);
    if (r.payment === null) throw new Error("no payment data");
    const p = await publishPaymentRegion(store, r.payment, "region");
    expect(p.published).toEqual(["待遇政策 pack-benefit@2025"]);
    expect(p.hospitals.changed).toBe(1);
    // The changed row is an edition in force from today (北京时间), never rewriting the past: the
    // stays of 2025 keep the class they were paid with.
    const today = todayInChina();
    expect((await loadPaymentHospitals(store, today)).get(hospital)?.benefitClass).toBe("试点高起付");
    expect((await loadPaymentHospitals(store, "2025-12-31")).get(hospital)?.benefitClass).not.toBe(
      "试点高起付",
    );
    const run = await settlePeriod({ store, period: "2025-01", periodTo: "2025-12", actor: "test" });
    expect(run.errors).toBe(0);
    expect(run.shareSources.list).toBe(0);
    expect(await fundOf()).toEqual(before);
    // A stay discharged today is paid with the new class: a deductible of 1,000,000 元 is above its
    // cost, so the benefit policy leaves the fund nothing; discharged on 2025-12-31, the old class pays.
    const drg = await sql<{ drg: string }>`SELECT drg FROM stay_settlement
      WHERE hospital_code = ${hospital} AND category = 'normal' ORDER BY setl_id LIMIT 1`.execute(db);
    const settler = await loadSettler(store);
    const stay = (dscgDate: string): StayInput => ({
      setlId: `PACK-${dscgDate}`,
      listVersion: 1,
      hospitalCode: hospital,
      period: dscgDate.slice(0, 7),
      patientKey: `P-PACK-${dscgDate}`,
      admDate: dscgDate,
      dscgDate,
      los: 1,
      drg: drg.rows[0]?.drg as string,
      totalFee: 900_000,
      personalPay: 0,
      hiType: "390",
      hiSetlLv: null,
      costs: { classA: 900_000, classB: 0, selfPay: 0, other: 0 },
      bedFee: null,
      dischargeWay: null,
    });
    expect(settleInput(settler, stay(today), {}, undefined).row.benefitFundFen).toBe(0);
    expect(settleInput(settler, stay("2025-12-31"), {}, undefined).row.benefitFundFen).toBeGreaterThan(0);
    // Loading the same pack again writes nothing.
    expect((await publishPaymentRegion(store, r.payment, "region")).hospitals).toEqual({
      added: 0,
      changed: 0,
      unchanged: 1,
    });
  });
});

describe("yibao serve --region with payment data", () => {
  it("publishes the pack at start, the same pack again changes nothing, an edited release stops the start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "yibao-region-serve-"));
    dirs.push(dataDir);
    const files = {
      "weight-tables.json": WEIGHTS,
      "payment-policy.json": POLICY,
      "hospitals.tsv": `${TSV_HEADER}\nPACK001\t配置包新医院\t二级\t\n`,
    };
    const run = async (region: string) => {
      const lines: string[] = [];
      const server = await serve({ port: 0, host: "127.0.0.1", dataDir, region, log: (l) => lines.push(l) });
      await server.close();
      return lines.join("\n");
    };
    expect(await run(pack(files))).toContain(
      "地区配置包支付数据：新发布 2 个版本，已发布未变 0 个；医院新增 1 家、更新 0 家",
    );
    expect(await run(pack(files))).toContain(
      "地区配置包支付数据：新发布 0 个版本，已发布未变 2 个；医院新增 0 家、更新 0 家",
    );
    await expect(
      run(pack({ ...files, "payment-policy.json": { ...POLICY, rate: "12000" } })),
    ).rejects.toThrow("支付政策 pack-rate@2025 已发布且内容不同");
    await expect(
      run(pack({ ...files, "hospitals.tsv": `${TSV_HEADER}\nPACK001\t配置包新医院\t特级\t\n` })),
    ).rejects.toThrow("地区配置有误，服务未启动");
  }, 120_000);
});
