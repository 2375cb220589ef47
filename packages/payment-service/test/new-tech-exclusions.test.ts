/**
 * 新技术除外申请 → 审核 → 结算 (issue 14), on a stored region (720 stays of 2023, on PGlite and on
 * PostgreSQL) through the real settlement and the API. The policy is the demo policy with
 *
 *   newTechItems:        NT-TAVI filed 2023-01-01; NT-LATE filed the day after the "late" stay's discharge;
 *   exclusions:          newTechCap 3‰, newTechEligibility { costMultiple: "3" };
 *   drgStandards:        10,000.00 元 = 1,000,000 fen for the test stays' DRGs, so the cost bar is
 *                        3 × 1,000,000 = 3,000,000 fen (30,000.00 元).
 *
 * The stays are split between two hospitals, A and B, so that A's settled cases of 2023 are exactly
 * 333, then 334, 666 and 667 (lists moved from B to A): the quota floor(cases × 3‰) is 0 (0.999), 1
 * (1.002), 1 (1.998), 2 (2.001).
 */
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthHeaders, signIn } from "../../server/test/helpers.js";
import { pgliteEngine, postgresEngine } from "../../store/test/engines.js";
import { demoPolicy, ensureDemoPayment } from "../src/demo.js";
import { paymentMigrations } from "../src/migrations.js";
import { paymentPlugin } from "../src/plugin.js";
import { dbOf, saveVersion } from "../src/repo.js";
import { settlePeriod } from "../src/settle-period.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;
let app: YibaoApp;
const P = "/api/v1/payment/new-tech-exclusions";
const H = { A: "", B: "" };
let as: Record<"A" | "B" | "reviewer", AuthHeaders>;
/** The test stays of A, by role. */
const st: Record<string, string> = {};
/** B's lists in the order they are moved to A. */
let spare: string[] = [];

const post = (who: AuthHeaders, url: string, payload?: object) =>
  app.inject({ method: "POST", url, headers: who, ...(payload ? { payload } : {}) });
const apply = (who: AuthHeaders, setlId: string, extra: object = {}) =>
  post(who, P, { setlId, reason: "应用经导管主动脉瓣置换术，费用极高，附费用明细", ...extra });

/** Moves `n` of B's lists (and their settlements) to A. */
async function moveToA(n: number) {
  const ids = spare.splice(0, n);
  expect(ids.length).toBe(n);
  const db = dbOf(store);
  await sql`UPDATE settlement_list SET hospital_code = ${H.A} WHERE setl_id = ANY(${ids}::text[])`.execute(
    db,
  );
  await sql`UPDATE stay_settlement SET hospital_code = ${H.A} WHERE setl_id = ANY(${ids}::text[])`.execute(
    db,
  );
}

async function settlement(setlId: string) {
  const r = await sql<{
    category: string;
    drg_payment_fen: string;
    fund_payment_fen: string;
    patient_share_fen: string;
    total_cost_fen: string;
    points: string;
  }>`SELECT category, drg_payment_fen::text, fund_payment_fen::text, patient_share_fen::text,
      total_cost_fen::text, points::text FROM stay_settlement WHERE setl_id = ${setlId}`.execute(dbOf(store));
  const x = r.rows[0];
  return {
    category: x?.category,
    drg: Number(x?.drg_payment_fen),
    fund: Number(x?.fund_payment_fen),
    patient: Number(x?.patient_share_fen),
    cost: Number(x?.total_cost_fen),
    points: Number(x?.points),
  };
}

/** A's stays and B's spare lists; the test stays get their cost and their procedures. */
async function prepare(): Promise<string[]> {
  const db = dbOf(store);
  const all = await sql<{ setl_id: string; drg: string; dscg_date: string }>`SELECT setl_id, drg,
      dscg_date::text AS dscg_date FROM settlement_list WHERE status = 'accepted' ORDER BY setl_id`.execute(
    db,
  );
  expect(all.rows.length).toBeGreaterThanOrEqual(700);
  const codes = await sql<{ h: string }>`SELECT hospital_code AS h FROM settlement_list
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`.execute(db);
  H.A = codes.rows[0]?.h as string;
  H.B = codes.rows[1]?.h as string;
  const a = all.rows.slice(0, 333);
  spare = all.rows.slice(333).map((x) => x.setl_id);
  await sql`UPDATE settlement_list SET hospital_code = ${H.A} WHERE setl_id = ANY(${a.map((x) => x.setl_id)}::text[])`.execute(
    db,
  );
  await sql`UPDATE settlement_list SET hospital_code = ${H.B} WHERE setl_id = ANY(${spare}::text[])`.execute(
    db,
  );
  const chosen = a
    .filter((x) => x.drg !== "0000" && !x.drg.includes("QY") && x.dscg_date >= "2023-07-01")
    .slice(0, 5);
  expect(chosen.length).toBe(5);
  const names = ["below", "at", "above", "late", "big"];
  const costs = [2_999_999, 3_000_000, 3_000_001, 5_000_000, 4_000_000];
  for (const [i, x] of chosen.entries()) {
    const id = x.setl_id;
    st[names[i] as string] = id;
    const fen = costs[i] as number;
    // The procedures first: the list's cost split is derived again when its message changes.
    const code = names[i] === "late" ? "NT-LATE" : "NT-TAVI";
    const oprn = [{ oprn_oprt_type: "1", oprn_oprt_code: code, oprn_oprt_name: "新技术" }];
    await sql`UPDATE settlement_list SET message = jsonb_set(message, '{input,oprninfo}', ${JSON.stringify(oprn)}::jsonb)
      WHERE setl_id = ${id}`.execute(db);
    // The list's total, its split (all 甲类) and 个人支付 at most the total.
    await sql`UPDATE settlement_list SET total_fee_fen = ${fen}, personal_pay_fen = LEAST(personal_pay_fen, ${fen})
      WHERE setl_id = ${id}`.execute(db);
    await sql`UPDATE payment_list_cost SET class_a_fen = ${fen}, class_b_fen = 0, self_pay_fen = 0, other_fen = 0
      WHERE setl_id = ${id}`.execute(db);
  }
  st.lateDischarge = chosen[3]?.dscg_date as string;
  return [...new Set(chosen.map((x) => x.drg))];
}

/** The day after `date` (YYYY-MM-DD). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

for (const engine of [pgliteEngine(), postgresEngine()]) {
  describe(`新技术除外申请 (${engine.name})`, () => {
    beforeAll(async () => {
      store = await engine.open({ migrations: [...identityMigrations, ...paymentMigrations] });
      const scheme = await demoScheme();
      await fillRegion(store, scheme, 720, 23);
      await ensureDemoPayment({ store, scheme, skipSettle: true });
      const drgs = await prepare();
      await sql`DELETE FROM payment_policy WHERE id = 'demo-rate'`.execute(dbOf(store));
      const policy = {
        ...demoPolicy("2023-01-01"),
        version: "nt",
        drgStandards: Object.fromEntries(drgs.map((d) => [d, "10000"])),
        newTechItems: [
          { code: "NT-TAVI", name: "经导管主动脉瓣置换术", recordedOn: "2023-01-01" },
          { code: "NT-LATE", name: "出院后备案的新技术", recordedOn: nextDay(st.lateDischarge as string) },
        ],
        exclusions: { fixedDrgs: [], newTechCap: "3‰", newTechEligibility: { costMultiple: "3" } },
      };
      await saveVersion(store, "policy", policy, { actor: "test" });
      const settled = await settlePeriod({ store, period: "2023-01", periodTo: "2023-12" });
      expect(settled.errorSamples).toEqual([]);
      expect(settled.newTechRefused).toEqual([]);
      app = await buildServer({ store, scheme, plugins: [paymentPlugin()] });
      as = {
        A: await signIn(app, store, "hospital", H.A),
        B: await signIn(app, store, "hospital", H.B),
        reviewer: await signIn(app, store, "reviewer"),
      };
    }, 300_000);

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await engine.cleanup();
    });

    it("333 settled cases: floor(333 × 3‰) = floor(0.999) = 0, an eligible stay is refused", async () => {
      const r = await app.inject({ url: `${P}/assessment?setlId=${st.at}`, headers: as.A });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({
        eligible: true,
        quota: { scopeName: "2023 年", share: "3‰", cases: 333, quota: 0, used: 0 },
        application: null,
      });
      expect(r.json().figure).toBe(
        "应用了 2023-01-01 备案的新技术项目 NT-TAVI（经导管主动脉瓣置换术）；医疗总费用 30000.00 元达到病组支付标准 10000.00 元的 3 倍（30000.00 元）",
      );
      const over = await apply(as.A, st.at as string);
      expect(over.statusCode, over.body).toBe(409);
      expect(over.json().code).toBe("NEW_TECH_EXCLUSION_QUOTA_EXCEEDED");
      expect(over.json().message).toContain(
        "本院 2023 年已结算病例 333 例，新技术除外比例上限为 3‰（向下取整）即 0 例，已申请 0 例",
      );
    });

    it("cost at 3 × standard eligible, one fen below not; a technology filed the day after discharge not", async () => {
      await moveToA(1); // 334 cases → floor(1.002) = 1
      const below = await apply(as.A, st.below as string);
      expect(below.statusCode, below.body).toBe(422);
      expect(below.json().code).toBe("NEW_TECH_EXCLUSION_NOT_ELIGIBLE");
      expect(below.json().message).toContain(
        "医疗总费用 29999.99 元未达到病组支付标准 10000.00 元的 3 倍（30000.00 元）",
      );
      const late = await apply(as.A, st.late as string);
      expect(late.statusCode, late.body).toBe(422);
      expect(late.json().message).toContain(
        `NT-LATE（出院后备案的新技术）于 ${nextDay(st.lateDischarge as string)} 备案，晚于出院日期 ${st.lateDischarge}`,
      );
      const at = await apply(as.A, st.at as string);
      expect(at.statusCode, at.body).toBe(201);
      expect(at.json()).toMatchObject({
        kind: "newTechExclusion",
        status: "pending",
        figures: { newTechCode: "NT-TAVI", totalCostFen: 3_000_000, thresholdFen: 3_000_000 },
      });
      expect(at.json().figures.limit).toEqual({ cases: 334, quota: 1, used: 1 });
    });

    it("334 → 1 and 666 → 1 place (taken); 667 → 2: the second is accepted", async () => {
      const full = await apply(as.A, st.above as string);
      expect(full.statusCode).toBe(409);
      expect(full.json().message).toContain(
        "已结算病例 334 例，新技术除外比例上限为 3‰（向下取整）即 1 例，已申请 1 例",
      );
      await moveToA(332); // 666 cases → floor(1.998) = 1
      const still = await apply(as.A, st.above as string);
      expect(still.statusCode).toBe(409);
      expect(still.json().message).toContain("已结算病例 666 例");
      await moveToA(1); // 667 cases → floor(2.001) = 2
      const second = await apply(as.A, st.above as string);
      expect(second.statusCode, second.body).toBe(201);
      expect(second.json().figures.limit).toEqual({ cases: 667, quota: 2, used: 2 });
      // A second application of either kind for the same stay is a conflict.
      const again = await apply(as.A, st.above as string);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe("CONFLICT");
    });

    it("another hospital's stay answers 404 exactly as a missing one; roles are enforced", async () => {
      const foreign = await apply(as.B, st.big as string);
      const missing = await apply(as.B, "NO-SUCH-STAY");
      expect(foreign.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(foreign.body.replace(st.big as string, "<id>")).toBe(
        missing.body.replace("NO-SUCH-STAY", "<id>"),
      );
      expect(foreign.body).not.toContain(H.A);
      expect((await app.inject({ url: `${P}/assessment?setlId=${st.big}`, headers: as.B })).statusCode).toBe(
        404,
      );
      expect((await apply(as.reviewer, st.big as string)).statusCode).toBe(403);
      const mine = (await app.inject({ url: P, headers: as.A })).json().items as {
        id: number;
        kind: string;
      }[];
      expect(mine.length).toBe(2);
      expect(mine.every((x) => x.kind === "newTechExclusion")).toBe(true);
      const id = mine[0]?.id as number;
      expect(
        (await post(as.A, `${P}/${id}/decision`, { decision: "approved", reason: "自行核准" })).statusCode,
      ).toBe(403);
      expect((await post(as.B, `${P}/${id}/withdraw`)).statusCode).toBe(404);
      // A 新技术除外 application is not withdrawn or decided through the 特病单议 routes.
      const sp = "/api/v1/payment/special-case-applications";
      expect((await post(as.A, `${sp}/${id}/withdraw`)).statusCode).toBe(404);
      expect(
        (await post(as.reviewer, `${sp}/${id}/decision`, { decision: "approved", reason: "x" })).statusCode,
      ).toBe(404);
      const listed = (await app.inject({ url: `${sp}?kind=newTechExclusion`, headers: as.B })).json().items;
      expect(listed).toEqual([]);
    });

    it("approval re-settles the stay as 新技术除外, paid its cost: 3,000,000 fen and 3,000,001 fen", async () => {
      const items = (await app.inject({ url: `${P}?status=pending`, headers: as.reviewer })).json().items as {
        id: number;
        setlId: string;
      }[];
      for (const key of ["at", "above"]) {
        const before = await settlement(st[key] as string);
        expect(before.category).not.toBe("newTechExclusion");
        const a = items.find((x) => x.setlId === st[key]) as { id: number };
        const r = await post(as.reviewer, `${P}/${a.id}/decision`, {
          decision: "approved",
          reason: "专家组评审同意",
        });
        expect(r.statusCode, r.body).toBe(201);
        const after = await settlement(st[key] as string);
        const cost = key === "at" ? 3_000_000 : 3_000_001;
        // The cost in points (micro-points): fen × 100 points per RW × 10⁶ ÷ rate 1,000,000 fen
        // (10,000.00 元): 3,000,000 → 300,000,000 (300 points); 3,000,001 → 300,000,100.
        const points = key === "at" ? 300_000_000 : 300_000_100;
        expect(after).toEqual({
          category: "newTechExclusion",
          drg: cost,
          fund: cost - before.patient,
          patient: before.patient,
          cost,
          points,
        });
        expect(r.json().application).toMatchObject({ status: "approved", drgPaymentFen: cost });
      }
    });

    it("a re-run of the period settlement keeps both exclusions (667 cases, quota 2)", async () => {
      const r = await settlePeriod({ store, period: "2023-01", periodTo: "2023-12" });
      expect(r.errors).toBe(0);
      expect(r.newTechRefused).toEqual([]);
      expect(r.byCategory.newTechExclusion).toBe(2);
      expect((await settlement(st.at as string)).category).toBe("newTechExclusion");
      expect((await settlement(st.above as string)).drg).toBe(3_000_001);
    });

    it("a list withdrawn (666 cases, quota 1): the cheaper exclusion is settled normally, with the reason", async () => {
      // One of A's lists other than the test stays is withdrawn (no longer accepted).
      const db = dbOf(store);
      await sql`UPDATE settlement_list SET status = 'refused' WHERE setl_id = (SELECT setl_id FROM settlement_list
        WHERE hospital_code = ${H.A} AND status = 'accepted' AND NOT (setl_id = ANY(${Object.values(st)}::text[]))
        ORDER BY setl_id LIMIT 1)`.execute(db);
      const r = await settlePeriod({ store, period: "2023-01", periodTo: "2023-12" });
      expect(r.errors).toBe(0);
      const period = (
        await sql<{
          period: string;
        }>`SELECT period FROM settlement_list WHERE setl_id = ${st.at as string}`.execute(db)
      ).rows[0]?.period;
      // Most expensive first: 3,000,001 fen kept, 3,000,000 fen over floor(666 × 3‰) = 1.
      expect(r.newTechRefused).toEqual([
        {
          setlId: st.at,
          hospitalCode: H.A,
          period,
          reason: `2023 年超出机构 ${H.A} 新技术除外额度 1 例(病例数 666)，按病组付费正常结算`,
        },
      ]);
      expect(r.byCategory.newTechExclusion).toBe(1);
      expect((await settlement(st.above as string)).category).toBe("newTechExclusion");
      const at = await settlement(st.at as string);
      expect(at.category).not.toBe("newTechExclusion");
      expect(at.drg).not.toBe(3_000_000);
    });

    it("the operation log records the applications and the decisions", async () => {
      const r = await sql<{
        action: string;
        status_code: number;
        detail: Record<string, unknown>;
      }>`SELECT action,
          status_code, detail FROM console_oplog WHERE action LIKE '%新技术除外%' ORDER BY id`.execute(
        dbOf(store),
      );
      const ok = r.rows.filter((x) => x.status_code < 300).map((x) => x.action);
      expect(ok.filter((a) => a === "申请新技术除外").length).toBe(2);
      expect(ok.filter((a) => a === "审核新技术除外申请").length).toBe(2);
      const approved = r.rows.find((x) => x.action === "审核新技术除外申请" && x.status_code < 300);
      expect(approved?.detail).toMatchObject({
        setlId: st.at,
        decision: "核准",
        after: { category: "newTechExclusion", drgPaymentFen: 3_000_000 },
      });
      expect(r.rows.some((x) => x.action === "申请新技术除外" && x.status_code === 422)).toBe(true);
      expect(r.rows.some((x) => x.action === "申请新技术除外" && x.status_code === 409)).toBe(true);
    });
  });
}
