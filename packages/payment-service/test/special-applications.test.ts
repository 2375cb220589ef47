/**
 * 特病单议申请 → 审核 → 决定 (issue 14), on a stored region (400 stays of 2023, on PGlite and on
 * PostgreSQL: the quota lock and the one-live-application index are the database's) through the
 * real settlement and the API. The policy is the demo policy with `specialReview` rules:
 *
 *   criteria: cost ≥ 3 × 病组支付标准; ICU over 7 days; stay over 60 days; new technology NT-TAVI
 *             (filed 2023-01-01);
 *   quota:    5% of the hospital's settled cases of the year, rounded down;
 *   deadline: 30 days after the discharge month — in the first half-year's edition only (sr-h1,
 *             2023-01-01…2023-06-30); the second half-year's edition (sr-h2) has none, so the API
 *             calls (made today) are not late.
 *
 * The stays the high-cost cases use have their DRG's standard given directly: 10,000.00 元 =
 * 1,000,000 fen, so the threshold is 3 × 1,000,000 = 3,000,000 fen (30,000.00 元).
 * The region's hospitals (seed 11): A with 71 settled stays of 2023 → quota floor(3.55) = 3;
 * B with 52 → floor(2.6) = 2 (rounding half up would give 3); C with 62 → floor(3.1) = 3.
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
import { applySpecialCase } from "../src/special-applications.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;
let app: YibaoApp;
const P = "/api/v1/payment/special-case-applications";
const hospitals: { A: string; B: string; C: string } = { A: "", B: "", C: "" };
let as: Record<"A" | "B" | "C" | "reviewer" | "bureau", AuthHeaders>;
/** Stays of A in the second half-year, by role in the tests. */
const st: Record<string, string> = {};

const policyEdition = (
  version: string,
  from: string,
  to: string | null,
  drgs: string[],
  deadline: boolean,
) => ({
  ...demoPolicy(from),
  version,
  effectiveTo: to,
  drgStandards: Object.fromEntries(drgs.map((d) => [d, "10000"])),
  newTechItems: [{ code: "NT-TAVI", name: "经导管主动脉瓣置换术", recordedOn: "2023-01-01" }],
  specialReview: {
    mode: "full",
    criteria: { highCost: { multiple: "3" }, icu: { overDays: 7 }, longStay: { overDays: 60 }, newTech: {} },
    quota: { share: "5%", per: "year" },
    deadline: deadline ? { daysAfterDischargeMonth: 30 } : null,
  },
});

/** `n` stays of a hospital discharged in [from, to], ordered by setl_id. */
async function staysOf(hospital: string, from: string, to: string, n: number) {
  const r = await sql<{ setl_id: string; drg: string }>`SELECT setl_id, drg FROM settlement_list
    WHERE hospital_code = ${hospital} AND status = 'accepted' AND dscg_date BETWEEN ${from}::date AND ${to}::date
      AND drg NOT IN ('0000') AND drg NOT LIKE '%QY%'
    ORDER BY setl_id LIMIT ${n}`.execute(dbOf(store));
  expect(r.rows.length).toBe(n);
  return r.rows;
}

async function setIcu(setlId: string, durations: string[]) {
  const icu = durations.map((d) => ({ scs_cutd_ward_type: "7", scs_cutd_sum_dura: d }));
  await sql`UPDATE settlement_list SET message = jsonb_set(message, '{input,icuinfo}', ${JSON.stringify(icu)}::jsonb)
    WHERE setl_id = ${setlId}`.execute(dbOf(store));
}

const post = (who: AuthHeaders, url: string, payload?: object) =>
  app.inject({ method: "POST", url, headers: who, ...(payload ? { payload } : {}) });
const apply = (who: AuthHeaders, setlId: string, criterion: string, extra: object = {}) =>
  post(who, P, { setlId, criterion, reason: "病情危重，附病程记录与费用明细", ...extra });

async function settlement(setlId: string) {
  const r = await sql<{
    drg_payment_fen: string;
    fund_payment_fen: string;
    patient_share_fen: string;
    sr: string;
  }>`SELECT
      drg_payment_fen::text, fund_payment_fen::text, patient_share_fen::text, special_review_fen::text AS sr
    FROM stay_settlement WHERE setl_id = ${setlId}`.execute(dbOf(store));
  const x = r.rows[0];
  return {
    drg: Number(x?.drg_payment_fen),
    fund: Number(x?.fund_payment_fen),
    patient: Number(x?.patient_share_fen),
    specialReview: Number(x?.sr),
  };
}

for (const engine of [pgliteEngine(), postgresEngine()]) {
  describe(`特病单议申请 (${engine.name})`, () => {
    beforeAll(async () => {
      store = await engine.open({ migrations: [...identityMigrations, ...paymentMigrations] });
      const scheme = await demoScheme();
      await fillRegion(store, scheme, 400, 11);
      await ensureDemoPayment({ store, scheme, skipSettle: true });
      const db = dbOf(store);
      const counts = await sql<{ hospital_code: string; n: number }>`SELECT hospital_code, count(*)::int AS n
      FROM settlement_list WHERE status = 'accepted' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3`.execute(db);
      expect(counts.rows.map((r) => r.n)).toEqual([71, 62, 52]);
      hospitals.A = counts.rows[0]?.hospital_code as string;
      hospitals.C = counts.rows[1]?.hospital_code as string;
      hospitals.B = counts.rows[2]?.hospital_code as string;

      // A's second-half stays: three for the cost threshold (their DRGs' standard 10,000.00 元).
      const a = await staysOf(hospitals.A, "2023-07-01", "2023-12-31", 9);
      const names = ["below", "at", "above", "icu7", "icu8", "los60", "los61", "tech", "spare"];
      a.forEach((s, i) => {
        st[names[i] as string] = s.setl_id;
      });
      const costs: Record<string, number> = { below: 2_999_999, at: 3_000_000, above: 3_000_001 };
      for (const [k, fen] of Object.entries(costs)) {
        // The list's total and its split (all 甲类, so the split still adds up to the total).
        await sql`UPDATE settlement_list SET total_fee_fen = ${fen} WHERE setl_id = ${st[k] as string}`.execute(
          db,
        );
        await sql`UPDATE payment_list_cost SET class_a_fen = ${fen}, class_b_fen = 0, self_pay_fen = 0, other_fen = 0
        WHERE setl_id = ${st[k] as string}`.execute(db);
      }
      const drgs = [...new Set(a.slice(0, 3).map((s) => s.drg))];
      // The demo edition is replaced by two half-year editions of the same policy.
      await sql`DELETE FROM payment_policy WHERE id = 'demo-rate'`.execute(db);
      await saveVersion(store, "policy", policyEdition("sr-h1", "2023-01-01", "2023-06-30", drgs, true), {
        actor: "test",
      });
      await saveVersion(store, "policy", policyEdition("sr-h2", "2023-07-01", null, drgs, false), {
        actor: "test",
      });
      const settled = await settlePeriod({ store, period: "2023-01", periodTo: "2023-12" });
      expect(settled.settled).toBe(400);

      await setIcu(st.icu7 as string, ["3/12/0", "3/12/0"]); // 3.5 + 3.5 = exactly 7 days
      await setIcu(st.icu8 as string, ["8/0/0"]);
      await sql`UPDATE settlement_list SET los = 60 WHERE setl_id = ${st.los60 as string}`.execute(db);
      await sql`UPDATE settlement_list SET los = 61 WHERE setl_id = ${st.los61 as string}`.execute(db);
      await sql`UPDATE settlement_list SET message = jsonb_set(message, '{input,oprninfo}',
        '[{"oprn_oprt_type": "1", "oprn_oprt_code": "NT-TAVI", "oprn_oprt_name": "经导管主动脉瓣置换术"}]'::jsonb)
      WHERE setl_id = ${st.tech as string}`.execute(db);

      app = await buildServer({ store, scheme, plugins: [paymentPlugin()] });
      as = {
        A: await signIn(app, store, "hospital", hospitals.A),
        B: await signIn(app, store, "hospital", hospitals.B),
        C: await signIn(app, store, "hospital", hospitals.C),
        reviewer: await signIn(app, store, "reviewer"),
        bureau: await signIn(app, store, "bureau"),
      };
    }, 300_000);

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await engine.cleanup();
    });

    describe("eligibility by the criterion claimed", () => {
      it("预检: each criterion against the stay, no deadline in the second half-year, the quota 0 of 3", async () => {
        const url = `${P}/assessment?setlId=${st.icu7}`;
        const r = await app.inject({ url, headers: as.A });
        expect(r.statusCode, r.body).toBe(200);
        const a = r.json();
        expect(a.policy).toEqual({ id: "demo-rate", version: "sr-h2" });
        const icu = a.criteria.find((c: { criterion: string }) => c.criterion === "icu");
        expect(icu).toMatchObject({
          open: true,
          eligible: false,
          figure: "重症监护合计时长 7天0小时0分钟未超过 7 天",
        });
        expect(a.criteria.find((c: { criterion: string }) => c.criterion === "newTech")).toMatchObject({
          open: true,
          eligible: false,
        });
        expect(a.deadline).toBeNull();
        // floor(71 × 5%) = floor(3.55) = 3, none taken yet.
        expect(a.quota).toMatchObject({ scopeName: "2023 年", share: "5%", cases: 71, quota: 3, used: 0 });
        expect(a.application).toBeNull();
        expect((await app.inject({ url, headers: as.B })).statusCode).toBe(404);
        expect((await app.inject({ url, headers: as.reviewer })).statusCode).toBe(403);
      });

      it("cost ≥ 3 × standard: 29,999.99 元 refused naming the figures; 30,000.00 and 30,000.01 accepted", async () => {
        const below = await apply(as.A, st.below as string, "highCost");
        expect(below.statusCode, below.body).toBe(422);
        expect(below.json()).toMatchObject({ code: "SPECIAL_CASE_NOT_ELIGIBLE" });
        expect(below.json().message).toContain(
          "医疗总费用 29999.99 元未达到病组支付标准 10000.00 元的 3 倍（30000.00 元）",
        );
        const at = await apply(as.A, st.at as string, "highCost");
        expect(at.statusCode, at.body).toBe(201);
        expect(at.json().figures).toMatchObject({
          totalCostFen: 3_000_000,
          standardFen: 1_000_000,
          thresholdFen: 3_000_000,
        });
        expect((await apply(as.A, st.above as string, "highCost")).statusCode).toBe(201);
      });

      it("a second application for the same stay is refused", async () => {
        const again = await apply(as.A, st.at as string, "highCost");
        expect(again.statusCode).toBe(409);
        expect(again.json().message).toContain("不能重复申请");
      });

      it("ICU over 7 days: 3.5 + 3.5 = 7 days refused, 8 days accepted", async () => {
        const seven = await apply(as.A, st.icu7 as string, "icu");
        expect(seven.statusCode).toBe(422);
        expect(seven.json().message).toContain("重症监护合计时长 7天0小时0分钟未超过 7 天");
        // A already has 2 of its 3 places (floor(71 × 5%) = 3): this takes the third.
        expect((await apply(as.A, st.icu8 as string, "icu")).statusCode).toBe(201);
      });

      it("the quota of A is full at 3; a withdrawal frees a place", async () => {
        const over = await apply(as.A, st.los61 as string, "longStay");
        expect(over.statusCode).toBe(409);
        expect(over.json()).toMatchObject({ code: "SPECIAL_CASE_QUOTA_EXCEEDED" });
        expect(over.json().message).toContain("已结算病例 71 例");
        expect(over.json().message).toContain("5%（向下取整）即 3 例，已申请 3 例");
        const mine = (await app.inject({ url: `${P}?status=pending`, headers: as.A })).json().items as {
          id: number;
          setlId: string;
        }[];
        const above = mine.find((x) => x.setlId === st.above) as { id: number };
        expect((await post(as.A, `${P}/${above.id}/withdraw`)).statusCode).toBe(200);
        expect((await post(as.A, `${P}/${above.id}/withdraw`)).statusCode).toBe(409);
        const los60 = await apply(as.A, st.los60 as string, "longStay");
        expect(los60.statusCode).toBe(422);
        expect(los60.json().message).toContain("住院天数 60 天未超过 60 天");
        expect((await apply(as.A, st.los61 as string, "longStay")).statusCode).toBe(201);
      });

      it("new technology: a filed code among the list's procedures; another code refused", async () => {
        // A's quota is full again (at, icu8, los61), but eligibility is checked first: the wrong code is
        // refused for what it is. The right code is accepted once a rejection frees a place (below).
        const wrong = await apply(as.A, st.tech as string, "newTech", { newTechCode: "NT-OTHER" });
        expect(wrong.statusCode).toBe(422);
        expect(wrong.json().message).toContain("NT-OTHER 不在支付政策备案的新技术项目中");
      });
    });

    describe("quota, deadline and another hospital's stay", () => {
      it("B (52 settled stays): floor(52 × 5%) = floor(2.6) = 2 applications, the third refused", async () => {
        const b = await staysOf(hospitals.B, "2023-07-01", "2023-12-31", 3);
        for (const s of b) await setIcu(s.setl_id, ["10/0/0"]);
        expect((await apply(as.B, b[0]?.setl_id as string, "icu")).statusCode).toBe(201);
        expect((await apply(as.B, b[1]?.setl_id as string, "icu")).statusCode).toBe(201);
        const third = await apply(as.B, b[2]?.setl_id as string, "icu");
        expect(third.statusCode).toBe(409);
        expect(third.json().message).toContain("本院 2023 年已结算病例 52 例");
        expect(third.json().message).toContain("即 2 例，已申请 2 例");
      });

      it("deadline (first half-year edition): 30 days after the discharge month, the last day in time, the next late", async () => {
        const c = await staysOf(hospitals.C, "2023-05-01", "2023-05-31", 2);
        for (const s of c) await setIcu(s.setl_id, ["8/0/0"]);
        // Discharged in May 2023: 2023-05-31 + 30 days = 2023-06-30.
        const input = (setlId: string, now: string) => ({
          setlId,
          hospital: hospitals.C,
          criterion: "icu" as const,
          reason: "重症监护时间长",
          actor: "hospital-c",
          now: new Date(now),
        });
        // 2023-06-30 23:59:59 in Shanghai = 15:59:59Z: in time.
        const ok = await applySpecialCase(store, input(c[0]?.setl_id as string, "2023-06-30T15:59:59Z"));
        expect(ok.figures.deadline).toBe("2023-06-30");
        // 2023-07-01 00:00:00 in Shanghai = 2023-06-30T16:00:00Z: late.
        await expect(
          applySpecialCase(store, input(c[1]?.setl_id as string, "2023-06-30T16:00:00Z")),
        ).rejects.toThrow("特病单议申请截止日期为 2023-06-30");
      });

      it("applications at once: C's last two places go to two of four, one stay is applied for once", async () => {
        // C: floor(62 × 5%) = 3 places, one taken by the in-time application above → 2 left.
        const c = await staysOf(hospitals.C, "2023-07-01", "2023-12-31", 4);
        for (const x of c) await setIcu(x.setl_id, ["10/0/0"]);
        const same = await Promise.all([1, 2].map(() => apply(as.C, c[0]?.setl_id as string, "icu")));
        expect(same.map((r) => r.statusCode).sort()).toEqual([201, 409]);
        const rest = await Promise.all(c.slice(1).map((x) => apply(as.C, x.setl_id, "icu")));
        expect(rest.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
        expect(
          rest
            .filter((r) => r.statusCode === 409)
            .every((r) => r.json().code === "SPECIAL_CASE_QUOTA_EXCEEDED"),
        ).toBe(true);
      });

      it("a hospital applying for another hospital's stay gets 404 with none of its data", async () => {
        const foreign = await apply(as.B, st.icu8 as string, "icu");
        expect(foreign.statusCode).toBe(404);
        expect(foreign.body).not.toContain(hospitals.A);
        const list = (await app.inject({ url: P, headers: as.B })).json().items as { hospitalCode: string }[];
        expect(list.length).toBe(2);
        expect(list.every((x) => x.hospitalCode === hospitals.B)).toBe(true);
        expect((await app.inject({ url: `${P}?hospital=${hospitals.A}`, headers: as.B })).statusCode).toBe(
          403,
        );
        // Only hospitals apply; hospitals do not decide.
        expect((await apply(as.reviewer, st.spare as string, "icu")).statusCode).toBe(403);
        expect(
          (await post(as.A, `${P}/1/decision`, { decision: "approved", reason: "自行核准" })).statusCode,
        ).toBe(403);
      });
    });

    describe("the reviewer's decision", () => {
      const pendingOf = async (setlId: string) => {
        const items = (await app.inject({ url: `${P}?status=pending`, headers: as.reviewer })).json()
          .items as {
          id: number;
          setlId: string;
          figures: { figure: string };
        }[];
        return items.find((x) => x.setlId === setlId) as { id: number; figures: { figure: string } };
      };

      it("approval re-settles the stay: the fund pays the approved 1,000.00 元 more", async () => {
        const before = await settlement(st.at as string);
        const a = await pendingOf(st.at as string);
        expect(a.figures.figure).toContain("达到病组支付标准 10000.00 元的 3 倍（30000.00 元）");
        const r = await post(as.reviewer, `${P}/${a.id}/decision`, {
          decision: "approved",
          reason: "专家组评审同意",
          amount: "1000.00",
        });
        expect(r.statusCode, r.body).toBe(201);
        const after = await settlement(st.at as string);
        expect(after.specialReview).toBe(100_000);
        expect(after.drg).toBe(before.drg + 100_000);
        expect(after.patient).toBe(before.patient);
        expect(after.fund).toBe(before.fund + 100_000);
        const again = await post(as.reviewer, `${P}/${a.id}/decision`, {
          decision: "rejected",
          reason: "再审",
        });
        expect(again.statusCode).toBe(409);
        expect(again.json().message).toContain("已核准");
      });

      it("rejection leaves the settlement as it was", async () => {
        const before = await settlement(st.icu8 as string);
        const a = await pendingOf(st.icu8 as string);
        const r = await post(as.bureau, `${P}/${a.id}/decision`, {
          decision: "rejected",
          reason: "病历不支持",
        });
        expect(r.statusCode, r.body).toBe(201);
        expect(await settlement(st.icu8 as string)).toEqual(before);
        const row = (await app.inject({ url: `${P}?status=rejected`, headers: as.A })).json().items[0];
        expect(row).toMatchObject({ setlId: st.icu8, status: "rejected", decisionReason: "病历不支持" });
      });

      it("a rejection freed a place of A: the new-technology stay is accepted", async () => {
        const r = await apply(as.A, st.tech as string, "newTech", { newTechCode: "NT-TAVI" });
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json().figures.figure).toBe(
          "应用了 2023-01-01 备案的新技术项目 NT-TAVI（经导管主动脉瓣置换术）",
        );
      });

      it("the reviewer's own decision on a stay (/special-cases) settles its pending application", async () => {
        const b = (
          await app.inject({ url: `${P}?status=pending&hospital=${hospitals.B}`, headers: as.reviewer })
        ).json().items as { id: number; setlId: string }[];
        expect(b.length).toBe(2);
        const r = await post(as.reviewer, "/api/v1/payment/special-cases/reject", {
          setlId: b[0]?.setlId,
          reason: "费用明细未见特殊情况",
        });
        expect(r.statusCode, r.body).toBe(201);
        const mine = (await app.inject({ url: P, headers: as.B })).json().items as {
          id: number;
          status: string;
        }[];
        expect(mine.find((x) => x.id === b[0]?.id)).toMatchObject({ status: "rejected" });
        expect(mine.find((x) => x.id === b[1]?.id)).toMatchObject({ status: "pending" });
      });

      it("bad input is a 4xx", async () => {
        expect(
          (await post(as.reviewer, `${P}/999999/decision`, { decision: "approved", reason: "x" })).statusCode,
        ).toBe(404);
        expect(
          (await post(as.reviewer, `${P}/1/decision`, { decision: "maybe", reason: "x" })).statusCode,
        ).toBe(400);
        expect((await apply(as.A, st.spare as string, "icu", { extra: 1 })).statusCode).toBe(400);
        expect((await apply(as.A, st.spare as string, "sometimes")).statusCode).toBe(400);
      });

      it("the operation log records each step", async () => {
        const r = await sql<{
          action: string;
          status_code: number;
          detail: Record<string, unknown>;
        }>`SELECT action,
          status_code, detail FROM console_oplog WHERE action LIKE '%特病单议%' ORDER BY id`.execute(
          dbOf(store),
        );
        const ok = r.rows.filter((x) => x.status_code < 300).map((x) => x.action);
        // A: at, above, icu8, los61, tech; B: 2; C: 2 (its in-time one was the service's own) → 9
        // applications; 1 withdrawal; 2 decisions.
        expect(ok.filter((a) => a === "申请特病单议").length).toBe(9);
        expect(ok.filter((a) => a === "撤回特病单议申请").length).toBe(1);
        expect(ok.filter((a) => a === "审核特病单议申请").length).toBe(2);
        const approved = r.rows.find((x) => x.action === "审核特病单议申请" && x.detail.decision === "核准");
        expect(approved?.detail).toMatchObject({
          setlId: st.at,
          amountFen: 100_000,
          reason: "专家组评审同意",
        });
        // Refusals are logged too, with their status.
        expect(r.rows.some((x) => x.action === "申请特病单议" && x.status_code === 422)).toBe(true);
      });
    });
  });
}
