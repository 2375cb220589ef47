/**
 * Issue 12's acceptance, end to end: two region packs over the same six lists. Pack 甲 is what
 * `yibao region init` writes (the shipped starting point: the built-in QC rules, the example benefit
 * policy) with a scheme switch on 2026-07-01 by discharge date. Pack 乙 switches on 2026-06-15 by
 * settlement date, has a QC edition of its own from 2026-07-01 (参保地 must be 沈阳市区 2101xx) and a
 * benefit edition from 2026-07-01 (三级综合 起付线 1,000 → 1,200 元, 职工 三级 85% → 90%). Each
 * pack's files are published into a store of its own, the lists go through the intake's preparer
 * (QC by the edition of their date, grouping by the scheme of their date) and are settled by the
 * payment run. Every expected figure is worked by hand below from the lists' own fee items; no
 * TypeScript changes between the packs, only their files.
 *
 * Hand calculation (the benefit rule of 待遇政策: eligible = 甲类 + 乙类 − 床位费超标; fund =
 * round((eligible − 起付线) × ratio); 起付线 by the edition in force on admission, ratio on discharge).
 * Each list is a 13-day 脑梗死 stay at a 三级 hospital, 职工 (hi_type 310); 床位费 cap 40 元/日 × 13 = 520 元.
 *
 * | list (出院) | 甲类 | 乙类 | 床位费 | eligible | 甲: 1000 / 85% | 乙 |
 * |---|---|---|---|---|---|---|
 * | k0 06-14, settled 06-15, admitted 06-01 | 10,050.37 | 5,025.17 | 2,512.59 | 13,082.95 | 10,270.51 | same |
 * | k1 06-30 | 10,051.15 | 5,025.57 | 2,512.79 | 13,083.93 | 10,271.34 | same (June edition) |
 * | k2 07-01, admitted 06-18 | 10,051.93 | 5,025.96 | 2,512.98 | 13,084.91 | 10,272.17 | 1000 / 90%: 10,876.42 |
 * | k3 07-20, admitted 07-07 | 10,052.71 | 5,026.34 | 2,513.18 | 13,085.87 | 10,272.99 | 1200 / 90%: 10,697.28 |
 * | k5 06-29 (参保地 320505) | 10,054.27 | 5,027.13 | 2,513.57 | 13,087.83 | 10,274.66 | same |
 * | k4 07-21 (参保地 320505) | 10,053.49 | 5,026.74 | 2,513.37 | 13,086.86 | 10,273.83 | refused by QC |
 *
 * e.g. k1: 10,051.15 + 5,025.57 − (2,512.79 − 520) = 13,083.93; (13,083.93 − 1,000) × 0.85 =
 * 10,271.3405 → 10,271.34. DRG payment (费率法, rate 10,000 元): BR25 RW 1.5 → 15,000.00, BR21 RW 2 →
 * 20,000.00 (each stay's cost, about 16,750 元, is between 0.4 × and 2 × either standard: no outlier).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoPolicy, publishPaymentRegion, settlePeriod } from "@yibao/payment-service";
import { createListPreparer } from "@yibao/server";
import { openStore, type SettlementListUpload, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_MIGRATIONS, platformDb } from "../src/platform.js";
import { openRegionPack } from "../src/region.js";
import { initRegionPack } from "../src/region-init.js";
import { at, stroke, writeSchemes } from "./two-schemes.js";

const root = mkdtempSync(join(tmpdir(), "yibao-two-packs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOSPITAL = "H21010200001";
const WEIGHTS = {
  id: "two-pack-weights",
  version: "2026",
  name: "两地共用权重表",
  effectiveFrom: "2026-01-01",
  entries: [
    { drg: "BR25", rw: "1.5" },
    { drg: "BR21", rw: "2" },
  ],
};

function json(dir: string, file: string, data: unknown): void {
  writeFileSync(join(dir, file), JSON.stringify(data, null, 2));
}
function readJson(dir: string, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

/** A pack as `region init` writes it, with the schemes, the hospital and the DRG payment of both packs. */
function basePack(name: string, id: string, city: string, switchDate: string, basis: string): string {
  const dir = join(root, name);
  initRegionPack(dir, { id, name: city, from: "2026-01-01" });
  writeSchemes(dir);
  json(dir, "schemes.json", {
    dateBasis: basis,
    schemes: [
      { dir: "schemes/demo-old", effectiveDate: "2025-01-01" },
      { dir: "schemes/demo-new", effectiveDate: switchDate },
    ],
  });
  writeFileSync(
    join(dir, "hospitals.tsv"),
    `code\tname\tlevel\tbenefit_class\n${HOSPITAL}\t示例三级医院\t三级\t三级综合\n`,
  );
  json(dir, "weight-tables.json", WEIGHTS);
  json(dir, "payment-policy.json", {
    ...demoPolicy("2026-01-01"),
    id: `${id}-rate`,
    version: "2026",
    weights: { id: WEIGHTS.id, version: WEIGHTS.version },
  });
  return dir;
}

const packJia = basePack("jia", "jia", "甲市", "2026-07-01", "discharge");
const packYi = basePack("yi", "yi", "乙市", "2026-06-15", "settlement");
{
  // 乙's own editions from 2026-07-01, beside the ones `region init` wrote.
  const qc = readJson(packYi, "qc-rules.json");
  json(packYi, "qc-rules.json", [
    qc,
    {
      ...qc,
      version: "2026-07",
      effectiveDate: "2026-07-01",
      rules: [
        ...(qc.rules as unknown[]),
        {
          id: "QC-YI-001",
          check: "pattern",
          category: "format",
          severity: "error",
          message: "{label}（{field}）应为本统筹区{format}，实际为「{value}」",
          params: {
            checks: [{ fields: ["setlinfo.insuplc"], regex: "^2101\\d{2}$", format: "沈阳市区划代码" }],
          },
        },
      ],
    },
  ]);
  const benefit = readJson(packYi, "benefit-policy.json");
  const classes = (benefit.classes as { class: string }[]).map((c) =>
    c.class === "三级综合" ? { ...c, deductible: "1200" } : c,
  );
  const fundRatios = (benefit.fundRatios as { insurance: string; level: string }[]).map((r) =>
    r.insurance === "职工基本医疗保险" && r.level === "三级" ? { ...r, ratio: "90%" } : r,
  );
  json(packYi, "benefit-policy.json", [
    benefit,
    { ...benefit, version: "2026-07", effectiveFrom: "2026-07-01", classes, fundRatios },
  ]);
}

/** The same six lists for both packs; k4 and k5 are insured in 苏州 (320505). */
function lists(): Record<string, Record<string, unknown>> {
  const away = (m: Record<string, unknown>) => {
    (m as { input: { setlinfo: Record<string, unknown> } }).input.setlinfo.insuplc = "320505";
    return m;
  };
  return {
    k0: stroke(0, "2026-06-14", "2026-06-15"),
    k1: stroke(1, "2026-06-30"),
    k2: stroke(2, "2026-07-01"),
    k3: stroke(3, "2026-07-20"),
    k4: away(stroke(4, "2026-07-21")),
    k5: away(stroke(5, "2026-06-29")),
  };
}

interface Outcome {
  readonly status: string | null;
  readonly scheme: string | null;
  readonly drg: string | null;
  readonly qc: string[];
  readonly drgPayment: string | null;
  readonly fund: string | null;
}

const yuan = (fen: string | number | null) => (fen === null ? null : (Number(fen) / 100).toFixed(2));

/** Publishes a pack into a new store, takes the lists in, settles June–July; each list's outcome. */
async function run(dir: string): Promise<Record<string, Outcome>> {
  const pack = await openRegionPack(dir);
  expect(pack.problems).toEqual([]);
  if (!pack.calendar || !pack.payment) throw new Error("the pack has no calendar or payment data");
  const store: Store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
  try {
    await publishPaymentRegion(store, pack.payment, "region");
    const prepare = createListPreparer(pack.calendar, pack.qc.rules);
    const out: Record<string, Omit<Outcome, "status" | "drgPayment" | "fund">> = {};
    const ids = new Map<string, string>();
    const uploads: SettlementListUpload[] = [];
    for (const [k, m] of Object.entries(lists())) {
      const p = prepare(m, at(m));
      out[k] = {
        scheme: p.upload?.list.scheme_id ?? null,
        drg: p.group?.drg ?? null,
        qc: p.findings.filter((f) => f.severity === "error").map((f) => f.ruleId),
      };
      if (p.upload !== null) {
        uploads.push(p.upload);
        ids.set(p.upload.list.setl_id, k);
      }
    }
    await store.saveSettlementLists(uploads);
    const settled = await settlePeriod({ store, period: "2026-06", periodTo: "2026-07", actor: "test" });
    expect(settled.errors).toBe(0);
    const rows = await sql<{ setl_id: string; drg_payment_fen: string; benefit_fund_fen: string | null }>`
      SELECT setl_id, drg_payment_fen, benefit_fund_fen FROM stay_settlement`.execute(platformDb(store));
    const paid = new Map(rows.rows.map((r) => [ids.get(r.setl_id), r]));
    const stored = await store.db.selectFrom("settlement_list").select(["setl_id", "status"]).execute();
    const status = new Map(stored.map((r) => [ids.get(r.setl_id), r.status]));
    const result: Record<string, Outcome> = {};
    for (const [k, o] of Object.entries(out)) {
      const r = paid.get(k);
      result[k] = {
        status: status.get(k) ?? null,
        ...o,
        drgPayment: yuan(r?.drg_payment_fen ?? null),
        fund: yuan(r?.benefit_fund_fen ?? null),
      };
    }
    return result;
  } finally {
    await store.close();
  }
}

describe("two region packs over the same lists (issue 12 acceptance)", () => {
  let jia: Record<string, Outcome>;
  let yi: Record<string, Outcome>;
  beforeAll(async () => {
    jia = await run(packJia);
    yi = await run(packYi);
  }, 120_000);

  it("pack 甲: old scheme to 06-30 by discharge date, the built-in QC all year, one benefit edition", () => {
    expect(jia).toEqual({
      k0: {
        status: "accepted",
        scheme: "demo-old",
        drg: "BR25",
        qc: [],
        drgPayment: "15000.00",
        fund: "10270.51",
      },
      k1: {
        status: "accepted",
        scheme: "demo-old",
        drg: "BR25",
        qc: [],
        drgPayment: "15000.00",
        fund: "10271.34",
      },
      k2: {
        status: "accepted",
        scheme: "demo-new",
        drg: "BR21",
        qc: [],
        drgPayment: "20000.00",
        fund: "10272.17",
      },
      k3: {
        status: "accepted",
        scheme: "demo-new",
        drg: "BR21",
        qc: [],
        drgPayment: "20000.00",
        fund: "10272.99",
      },
      k4: {
        status: "accepted",
        scheme: "demo-new",
        drg: "BR21",
        qc: [],
        drgPayment: "20000.00",
        fund: "10273.83",
      },
      k5: {
        status: "accepted",
        scheme: "demo-old",
        drg: "BR25",
        qc: [],
        drgPayment: "15000.00",
        fund: "10274.66",
      },
    });
  });

  it("pack 乙: new scheme from 06-15 by settlement date; its QC and benefit editions decide from 07-01 only", () => {
    // k0 was discharged on 06-14 and settled on 06-15: new scheme in 乙, old in 甲.
    expect(yi.k0).toMatchObject({
      status: "accepted",
      scheme: "demo-new",
      drg: "BR21",
      drgPayment: "20000.00",
      fund: jia.k0?.fund,
    });
    expect(yi.k1).toEqual({
      status: "accepted",
      scheme: "demo-new",
      drg: "BR21",
      qc: [],
      drgPayment: "20000.00",
      fund: "10271.34",
    });
    // Admitted 06-18 under the June edition's 起付线 (1,000), discharged 07-01 at the July ratio (90%).
    expect(yi.k2).toEqual({
      status: "accepted",
      scheme: "demo-new",
      drg: "BR21",
      qc: [],
      drgPayment: "20000.00",
      fund: "10876.42",
    });
    // Admitted and discharged in July: 1,200 and 90%.
    expect(yi.k3).toEqual({
      status: "accepted",
      scheme: "demo-new",
      drg: "BR21",
      qc: [],
      drgPayment: "20000.00",
      fund: "10697.28",
    });
    // The QC edition of 07-01 refuses the list insured elsewhere from that date, not before it.
    expect(yi.k4).toEqual({
      status: "refused",
      scheme: "demo-new",
      drg: "BR21",
      qc: ["QC-YI-001"],
      drgPayment: null,
      fund: null,
    });
    expect(yi.k5).toEqual({
      status: "accepted",
      scheme: "demo-new",
      drg: "BR21",
      qc: [],
      drgPayment: "20000.00",
      fund: "10274.66",
    });
  });
});
