/**
 * 特病单议 in the demo (issue 15), through the API on a demo region settled as `yibao serve --demo`
 * settles it: the pending candidates are the high outliers without a decision; an approval re-settles
 * the stay up to its actual cost (the demo policy pays an ordinary high outlier less), a rejection
 * leaves its payment as it was; both leave the candidates and show under their decision; a decided case
 * is not decided again. The policy's arithmetic itself is pinned by hand in
 * `payment-service/test/demo-special-review.test.ts`.
 */
import type { YibaoApp } from "@yibao/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoPlatform,
  type ExportColumn,
  exportRows as exportRowsOf,
  getJson,
  openDemoPlatform,
  postAs,
  type Session,
  signIn as signInAs,
} from "./demo-platform.js";
import { englishWords } from "./english-words.js";

let platform: DemoPlatform;
let _app: YibaoApp;

interface Settlement {
  setlId: string;
  outlier: string;
  standardFen: number;
  totalCostFen: number;
  drgPaymentFen: number;
  specialReviewFen: number;
  patientShareFen: number;
  fundPaymentFen: number;
  balanceFen: number;
}
interface Decision {
  setlId: string;
  decision: string;
  approvedBy: string;
  amountFen: number | null;
}

const signIn = (username: string) => signInAs(platform.app, username);
const get = <T>(s: Session, url: string) => getJson<T>(platform.app, s, url);
const post = (s: Session, url: string, payload: Record<string, unknown>) =>
  postAs(platform.app, s, url, payload);
const exportRows = (s: Session, path: string, columns: ExportColumn[]) =>
  exportRowsOf(platform.app, s, path, columns);

beforeAll(async () => {
  platform = await openDemoPlatform({
    region: {
      stays: 1000,
      seed: 7,
      from: "2025-01-01",
      to: "2025-12-31",
      today: new Date("2026-01-15T00:00:00Z"),
    },
    audit: false,
    cube: false,
    console: { refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  _app = platform.app;
}, 300_000);

afterAll(async () => {
  await platform?.close();
});

describe("特病单议 in the demo", () => {
  it("approval pays the actual cost, rejection leaves the payment, both leave the candidates", async () => {
    const reviewer = await signIn("reviewer");
    const pendingPath = "/api/v1/payment/settlements?outlier=high&review=pending&pageSize=1000";
    const pending0 = await get<{ total: number; items: Settlement[] }>(reviewer, pendingPath);
    const all = await get<{ total: number }>(reviewer, "/api/v1/payment/settlements?outlier=high&pageSize=1");
    expect(pending0.total).toBeGreaterThanOrEqual(2);
    expect(pending0.total).toBe(all.total);
    // Under the demo policy a high outlier is paid less than it cost (standard + 90% of the excess).
    for (const s of pending0.items) {
      expect(s.drgPaymentFen, s.setlId).toBeLessThan(s.totalCostFen);
      expect(s.drgPaymentFen, s.setlId).toBeGreaterThan(s.standardFen);
    }
    const [a, r] = pending0.items as [Settlement, Settlement];

    const approved = await post(reviewer, "/api/v1/payment/special-cases", {
      setlId: a.setlId,
      reason: "罕见并发症，专家组论证通过",
    });
    expect(approved.statusCode, approved.body).toBe(201);
    const rejected = await post(reviewer, "/api/v1/payment/special-cases/reject", {
      setlId: r.setlId,
      reason: "费用明细未见特殊情况",
    });
    expect(rejected.statusCode, rejected.body).toBe(201);

    // Approved (specialReview full): paid its cost; the addition is cost − the payment before; the
    // patient share as settled, so the fund pays the addition: fund after = fund before + addition.
    const after = (id: string) =>
      get<{ current: Settlement }>(reviewer, `/api/v1/payment/settlements/${id}`).then((x) => x.current);
    const a1 = await after(a.setlId);
    const addition = a.totalCostFen - a.drgPaymentFen;
    expect(a1.drgPaymentFen).toBe(a.totalCostFen);
    expect(a1.specialReviewFen).toBe(addition);
    expect(a1.patientShareFen).toBe(a.patientShareFen);
    expect(a1.fundPaymentFen).toBe(a.fundPaymentFen + addition);
    expect(a1.balanceFen).toBe(0);
    // Rejected: nothing changes.
    const r1 = await after(r.setlId);
    expect(r1).toMatchObject({
      drgPaymentFen: r.drgPaymentFen,
      specialReviewFen: 0,
      fundPaymentFen: r.fundPaymentFen,
    });

    // Both left the candidates and show under their decision.
    const pending1 = await get<{ total: number; items: Settlement[] }>(reviewer, pendingPath);
    expect(pending1.total).toBe(pending0.total - 2);
    expect(pending1.items.map((s) => s.setlId)).not.toContain(a.setlId);
    expect(pending1.items.map((s) => s.setlId)).not.toContain(r.setlId);
    const decisions = (await get<{ items: Decision[] }>(reviewer, "/api/v1/payment/special-cases")).items;
    expect(decisions.map((d) => [d.setlId, d.decision, d.approvedBy]).sort()).toEqual(
      [
        [a.setlId, "approved", "reviewer"],
        [r.setlId, "rejected", "reviewer"],
      ].sort(),
    );

    // A decided case is not decided again.
    const again = await post(reviewer, "/api/v1/payment/special-cases/reject", {
      setlId: a.setlId,
      reason: "再次审核",
    });
    expect(again.statusCode).toBe(409);
    expect((again.json() as { message: string }).message).toContain("已核准");
    const approveRejected = await post(reviewer, "/api/v1/payment/special-cases", {
      setlId: r.setlId,
      reason: "再次审核",
    });
    expect(approveRejected.statusCode).toBe(409);
    expect((approveRejected.json() as { message: string }).message).toContain("已驳回");
    // A hospital decides nothing.
    const hospital = await signIn("hospital");
    const own = pending1.items[0] as Settlement;
    expect(
      (
        await post(hospital, "/api/v1/payment/special-cases/reject", {
          setlId: own.setlId,
          reason: "自行驳回",
        })
      ).statusCode,
    ).toBe(403);

    // The page's exports (as the console asks for them): the pending candidates, every row, and the
    // decisions with their Chinese names.
    const pendingRows = await exportRows(reviewer, pendingPath, [{ key: "setlId", title: "结算ID" }]);
    expect(pendingRows.length).toBe(pending1.total);
    const decided = await exportRows(reviewer, "/api/v1/payment/special-cases", [
      { key: "setlId", title: "结算ID" },
      { key: "decision", title: "审核结果", labels: { approved: "核准", rejected: "驳回" } },
    ]);
    expect(decided.map((d) => [d.setlId, d.decision]).sort()).toEqual(
      [
        [a.setlId, "核准"],
        [r.setlId, "驳回"],
      ].sort(),
    );

    // The operation log, in Chinese, with the amounts before and after.
    const admin = await signIn("admin");
    const log = (
      await get<{ rows: { action: string; detailText: string; status_code: number }[] }>(
        admin,
        "/api/v1/console/oplog?limit=50",
      )
    ).rows.filter((x) => x.action === "核准特病单议" || x.action === "驳回特病单议");
    const ok = log.filter((x) => x.status_code < 300);
    expect(ok.map((x) => x.action).sort()).toEqual(["核准特病单议", "驳回特病单议"]);
    for (const x of log) expect(englishWords(x.detailText), x.detailText).toEqual([]);
    const rejectLine = ok.find((x) => x.action === "驳回特病单议")?.detailText ?? "";
    expect(rejectLine).toContain(`结算清单：${r.setlId}`);
    expect(rejectLine).toContain("理由：费用明细未见特殊情况");
  });
});
