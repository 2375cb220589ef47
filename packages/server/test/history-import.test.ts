/**
 * 历史清单导入 (issue 12): the bureau brings in past lists with their original upload time, and the
 * upload deadline QC-TIME-001 is checked against that time; the ordinary upload keeps checking against
 * the time it arrives.
 *
 * QC-TIME-001 as pinned here (settlement/src/qc/kinds/uploadDeadline): days = (Beijing date of the
 * upload time) − 结算结束日期 (setl_end_date), refused when days > deadlineDays (8). With settlement
 * end D: an upload on D+7 or D+8 (any time of that day) is accepted, on D+9 refused.
 */
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkEnvelope, identityDb, type ListResult, sampleSettlementMessage } from "../src/index.js";
import { demoScheme, ENGINE_NAMES, signIn, type TestServer, testServer, withHeaders } from "./helpers.js";

type Envelope = Record<string, unknown> & {
  input: { setlinfo: Record<string, unknown> };
};

/** A list that passes QC, settled (and discharged) on `end`, with setl_id prefix+n. */
function listEndingOn(end: string, n: number, prefix: string, hospitalCode = "H21010200001"): Envelope {
  // sampleSettlementMessage ends the settlement 1 + n % 5 days before `today`: n a multiple of 5 → 1 day.
  const m = sampleSettlementMessage(n * 5, { today: addDays(end, 1), prefix, hospitalCode }) as Envelope;
  expect(m.input.setlinfo.setl_end_date).toBe(end);
  expect(String(m.input.setlinfo.dscg_time).slice(0, 10)).toBe(end);
  return m;
}

const D = "2025-03-10";

describe("QC-TIME-001 as the ordinary upload applies it (the time received, as a Beijing date)", () => {
  const deadline = async (receivedAt: string) => {
    const checked = checkEnvelope(listEndingOn(D, 1, "HT"), await demoScheme(), new Date(receivedAt));
    return checked.findings.filter((f) => f.ruleId === "QC-TIME-001").map((f) => f.message);
  };
  it("D+8 up to 23:59:59 Beijing time is in time; D+9 00:00 Beijing time (16:00 UTC the day before) is late", async () => {
    expect(await deadline(`${addDays(D, 7)}T12:00:00Z`)).toEqual([]);
    expect(await deadline(`${addDays(D, 8)}T15:59:59Z`)).toEqual([]);
    expect(await deadline(`${addDays(D, 8)}T16:00:00Z`)).toEqual([
      `结算结束日期 ${D} 至上传日期 ${addDays(D, 9)} 已过 9 天，超过 8 天的上传时限，不予接收`,
    ]);
  });
});

for (const engine of ENGINE_NAMES) {
  describe(`history import on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    const history = (payload: unknown, query = "") =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/settlement-lists/history${query}`,
        payload: payload as object,
      });
    const stored = (setlId: string) =>
      t.store.db
        .selectFrom("settlement_list")
        .select(["status", "version", "received_at", "uploaded_at", "upload_time_source"])
        .where("setl_id", "=", setlId)
        .execute();

    it("checks QC-TIME-001 against the record's own upload time: D+7 and D+8 accepted, D+9 refused", async () => {
      const below = { ...listEndingOn(D, 1, "HB"), uploaded_at: addDays(D, 7) };
      const at = { ...listEndingOn(D, 2, "HB"), uploaded_at: `${addDays(D, 8)} 23:59:59` };
      const above = { ...listEndingOn(D, 3, "HB"), uploaded_at: `${addDays(D, 9)}T00:00:00` };
      const before = Date.now();
      const r = await history([below, at, above]);
      expect(r.statusCode, r.body).toBe(200);
      const results = r.json().results as ListResult[];
      expect(results.map((x) => [x.setl_id, x.accepted])).toEqual([
        ["HB0000000005", true],
        ["HB0000000010", true],
        ["HB0000000015", false],
      ]);
      expect(results[0]?.findings.filter((f) => f.severity === "error")).toEqual([]);
      expect(results[1]?.findings.filter((f) => f.severity === "error")).toEqual([]);
      expect(results[2]?.findings).toEqual([
        expect.objectContaining({
          ruleId: "QC-TIME-001",
          field: "setlinfo.setl_end_date",
          message: `结算结束日期 ${D} 至上传日期 ${addDays(D, 9)} 已过 9 天，超过 8 天的上传时限，不予接收`,
        }),
      ]);
      // The answer and the stored list say which time the deadline used, and where it came from.
      expect(results.map((x) => [x.uploadedAt, x.uploadTimeSource])).toEqual([
        [`${addDays(D, 7)} 00:00:00`, "file"],
        [`${addDays(D, 8)} 23:59:59`, "file"],
        [`${addDays(D, 9)} 00:00:00`, "file"],
      ]);
      const [row] = await stored("HB0000000010");
      expect(row?.status).toBe("accepted");
      expect(row?.upload_time_source).toBe("file");
      expect(row?.uploaded_at?.toISOString()).toBe(`${addDays(D, 8)}T15:59:59.000Z`); // Beijing 23:59:59
      // received_at stays the time the platform received it.
      expect(row?.received_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const detail = (
        await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/HB0000000015" })
      ).json();
      expect(detail.list).toMatchObject({ status: "refused", upload_time_source: "file" });
      expect(detail.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("QC-TIME-001");
    });

    it("accepts a 396-day-old list through history import with its stated date, and the normal upload still refuses it", async () => {
      const today = shanghaiDate(new Date());
      const end = addDays(today, -396);
      const old = listEndingOn(end, 4, "HO");
      const normal = await t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: old });
      expect(normal.statusCode).toBe(200);
      expect(normal.json().accepted).toBe(false);
      expect(normal.json().findings).toContainEqual(
        expect.objectContaining({
          ruleId: "QC-TIME-001",
          message: `结算结束日期 ${end} 至上传日期 ${today} 已过 396 天，超过 8 天的上传时限，不予接收`,
        }),
      );
      expect((await stored("HO0000000020"))[0]?.upload_time_source).toBe("received");

      const statedDate = addDays(end, 3);
      const r = await history([old], `?uploadedAt=${statedDate}`);
      expect(r.statusCode, r.body).toBe(200);
      const [res] = r.json().results as ListResult[];
      expect(res).toMatchObject({
        setl_id: "HO0000000020",
        accepted: true,
        outcome: "replaced",
        version: 2,
        uploadedAt: `${statedDate} 00:00:00`,
        uploadTimeSource: "stated",
      });
      expect(res?.findings.map((f) => f.ruleId)).not.toContain("QC-TIME-001");
      // Idempotent by setl_id: the same import again is one list, a new version, still accepted.
      const again = await history([old], `?uploadedAt=${statedDate}`);
      expect((again.json().results as ListResult[])[0]).toMatchObject({ accepted: true, version: 3 });
      const rows = await stored("HO0000000020");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "accepted", version: 3, upload_time_source: "stated" });
      expect(rows[0]?.uploaded_at?.toISOString()).toBe(`${addDays(statedDate, -1)}T16:00:00.000Z`);

      // The normal upload of the same list is still refused; the accepted history version stays.
      const late = await t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: old });
      expect(late.json()).toMatchObject({ accepted: false, outcome: "refused_kept", version: 3 });
    });

    it("the record's own time wins over the stated date; a record with neither is refused alone", async () => {
      const own = { ...listEndingOn(D, 5, "HW"), uploaded_at: addDays(D, 2) };
      const none = listEndingOn(D, 6, "HW");
      const r = await history([own, none]);
      const [a, b] = r.json().results as ListResult[];
      expect(a).toMatchObject({ accepted: true, uploadTimeSource: "file" });
      expect(b).toMatchObject({ accepted: false, stored: false, setl_id: "HW0000000030" });
      expect(b?.findings).toEqual([
        expect.objectContaining({ ruleId: "HIST-TIME-004", field: "uploaded_at" }),
      ]);
      expect(b?.findings[0]?.message).toContain("结算清单 HW0000000030");
      const withStated = await history([own, none], `?uploadedAt=${addDays(D, 5)}`);
      expect((withStated.json().results as ListResult[]).map((x) => x.uploadTimeSource)).toEqual([
        "file",
        "stated",
      ]);
    });

    it("refuses, per record, a malformed time, a time in the future and one before the discharge date", async () => {
      const good = { ...listEndingOn(D, 7, "HV"), uploaded_at: addDays(D, 1) };
      const malformed = { ...listEndingOn(D, 8, "HV"), uploaded_at: "2025-02-30" };
      const future = { ...listEndingOn(D, 9, "HV"), uploaded_at: addDays(shanghaiDate(new Date()), 1) };
      const early = { ...listEndingOn(D, 10, "HV"), uploaded_at: `${addDays(D, -1)} 23:59:59` };
      const sameDay = { ...listEndingOn(D, 11, "HV"), uploaded_at: `${D} 00:00:00` };
      const r = await history([good, malformed, future, early, sameDay]);
      expect(r.statusCode, r.body).toBe(200);
      const results = r.json().results as ListResult[];
      expect(results.map((x) => x.accepted)).toEqual([true, false, false, false, true]);
      const rule = (x: ListResult | undefined) => x?.findings.map((f) => [f.ruleId, f.field]);
      expect(rule(results[1])).toEqual([["HIST-TIME-001", "uploaded_at"]]);
      expect(rule(results[2])).toEqual([["HIST-TIME-002", "uploaded_at"]]);
      expect(rule(results[3])).toEqual([["HIST-TIME-003", "uploaded_at"]]);
      expect(results[1]?.findings[0]?.message).toBe(
        "结算清单 HV0000000040：原始上传时间（uploaded_at）「2025-02-30」格式不正确，应为「年-月-日」或「年-月-日 时:分:秒」，如 2025-03-18 或 2025-03-18 09:30:00（北京时间）（不符合规则：原始上传时间须为合法的日期或日期时间），本条不予导入",
      );
      expect(results[3]?.findings[0]?.message).toContain(`早于出院日期（setlinfo.dscg_time）${D}`);
      for (const id of ["HV0000000040", "HV0000000045", "HV0000000050"]) expect(await stored(id)).toEqual([]);
    });

    it("answers 400 naming the field for a malformed or future stated date, and for one list with a bad time", async () => {
      const l = listEndingOn(D, 12, "HX");
      const bad = await history([l], "?uploadedAt=2025-13-01");
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: "INVALID_UPLOAD_TIME" });
      expect(bad.json().message).toContain("查询参数.uploadedAt「2025-13-01」不是合法的原始上传时间");
      expect(bad.json().message).toContain("不符合规则：原始上传时间须为合法的日期或日期时间");
      const future = await history([l], `?uploadedAt=${addDays(shanghaiDate(new Date()), 2)}`);
      expect(future.statusCode).toBe(400);
      expect(future.json().message).toContain("不符合规则：原始上传时间不能晚于当前时间");
      const single = await history({ ...l, uploaded_at: "yesterday" });
      expect(single.statusCode).toBe(400);
      expect(single.json().details).toEqual([
        { field: "uploaded_at", message: expect.stringContaining("结算清单 HX0000000060") },
      ]);
      expect(await stored("HX0000000060")).toEqual([]);
    });

    it("is the bureau's: a hospital gets 403, no session 401", async () => {
      const l = { ...listEndingOn(D, 13, "HY"), uploaded_at: addDays(D, 1) };
      const hospital = withHeaders(t.raw, await signIn(t.raw, t.store, "hospital", "H21010200001"));
      const r = await hospital.inject({
        method: "POST",
        url: "/api/v1/settlement-lists/history",
        payload: [l],
      });
      expect(r.statusCode).toBe(403);
      const anon = await t.raw.inject({
        method: "POST",
        url: "/api/v1/settlement-lists/history",
        payload: [l],
      });
      expect(anon.statusCode).toBe(401);
      expect(await stored("HY0000000065")).toEqual([]);
      // The policy itself: bureau only.
      const policy = t.raw.routePolicies.find(
        (p) => p.method === "POST" && p.url === "/api/v1/settlement-lists/history",
      );
      expect(policy?.access.roles).toEqual(["bureau"]);
    });

    it("keeps ownership: another institution's setl_id is refused, the owner's list untouched", async () => {
      const mine = { ...listEndingOn(D, 14, "HZ", "H21010200001"), uploaded_at: addDays(D, 1) };
      expect((await history([mine])).json().accepted).toBe(1);
      const theirs = { ...listEndingOn(D, 14, "HZ", "H21010200002"), uploaded_at: addDays(D, 2) };
      const [res] = (await history([theirs])).json().results as ListResult[];
      expect(res).toMatchObject({ accepted: false, stored: false, outcome: "refused_foreign" });
      const rows = await t.store.db
        .selectFrom("settlement_list")
        .select(["hospital_code", "version"])
        .where("setl_id", "=", "HZ0000000070")
        .execute();
      expect(rows).toEqual([{ hospital_code: "H21010200001", version: 1 }]);
    });

    it("writes an operation-log row saying it was a history import, by whom, how many lists, which time source", async () => {
      const lists = [1, 2, 3].map((n) => listEndingOn(D, 20 + n, "HL"));
      lists[0] = { ...lists[0], uploaded_at: addDays(D, 1) } as Envelope;
      const r = await history(lists, `?uploadedAt=${addDays(D, 4)}`);
      expect(r.json().accepted).toBe(3);
      const rows = await identityDb(t.store)
        .selectFrom("console_oplog")
        .select(["action", "username", "role", "detail", "status_code"])
        .where("action", "=", "历史清单导入")
        .orderBy("id", "desc")
        .limit(1)
        .execute();
      expect(rows[0]).toMatchObject({ action: "历史清单导入", role: "bureau", status_code: 200 });
      expect(rows[0]?.username).toMatch(/^bureau-/);
      expect(rows[0]?.detail).toMatchObject({
        historyImport: true,
        lists: 3,
        committed: 3,
        uploadTimeSources: { file: 1, stated: 2 },
        statedUploadedAt: addDays(D, 4),
      });
    });

    it("an ordinary upload records its received time as the time the deadline used", async () => {
      const today = shanghaiDate(new Date());
      const l = listEndingOn(addDays(today, -2), 30, "HN");
      const r = await t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: l });
      expect(r.json().accepted).toBe(true);
      expect(r.json().uploadTimeSource).toBeUndefined();
      const [row] = await stored("HN0000000150");
      expect(row?.upload_time_source).toBe("received");
      expect(row?.uploaded_at?.getTime()).toBe(row?.received_at.getTime());
    });
  });
}
