/**
 * 控制台接口 under /api/v1/console: sign-in, indicators (overview, ranking, drill-down), QC findings
 * by rule, lists with findings and groups, what-if grouping, appeals, accounts, operation log and
 * Excel export of any table. Every route states its access policy in `config.access`.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { emptyCounts, INDICATORS, indicatorValues } from "@yibao/indicators";
import {
  createUser,
  departmentName,
  HttpError,
  type IdentityDb,
  listOperations,
  listUsers,
  passwordProblem,
  type RouteAccess,
  recordOperation,
  requirePrincipal,
  resetPassword,
  routeAccess,
  setUserDisabled,
  usernameTaken,
} from "@yibao/server";
import { PERIOD_PATTERN } from "@yibao/server/query-schemas";
import {
  countSettlementLists,
  knownHospitalCodes,
  listHospitals,
  type SettlementListData,
  type StoreDatabase,
} from "@yibao/store";
import { type Kysely, sql } from "kysely";
import { Type } from "typebox";
import { type CubeRefresher, cubeState } from "./cube.js";
import { type ExportColumn, parseExportColumns, sourcePages, streamWorkbook } from "./export.js";
import { type Dimension, queryIndicators } from "./indicator-sql.js";
import { describeDetail } from "./oplog-text.js";
import { type ConsoleDb, ROLE_NAMES, ROLES, type Role } from "./schema.js";

const PERIOD = PERIOD_PATTERN;
/** Lists filtered by department, rule or text are counted up to this many. */

/**
 * A request path as people read it: percent-encoded UTF-8 (`%E5%8C%BB`) decoded, each sequence on its
 * own so that one malformed sequence leaves only itself as it was.
 */
export function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

export const LIST_COUNT_CAP = 10_000;
const ALL: readonly Role[] = ROLES;

const Period = Type.Optional(Type.String({ pattern: PERIOD }));
const Hospital = Type.Optional(Type.String({ minLength: 1, maxLength: 30 }));
const Digits = (max: number) => Type.Optional(Type.String({ pattern: `^[0-9]{1,${max}}$` }));

const ScopedPeriod = Type.Object(
  { hospital: Hospital, periodFrom: Period, periodTo: Period },
  { additionalProperties: false },
);

function access(roles: readonly Role[], scope: RouteAccess["scope"], action?: string) {
  return routeAccess(roles, scope, action);
}

function checkRange(q: { periodFrom?: string | undefined; periodTo?: string | undefined }) {
  if (q.periodFrom && q.periodTo && q.periodFrom > q.periodTo) {
    throw new HttpError(400, "INVALID_REQUEST", `起始期号（${q.periodFrom}）晚于截止期号（${q.periodTo}）`);
  }
}

/**
 * 试分组's payment estimate of a list that is not stored: the payment area's settlement code with
 * the policy, weight table and rate in force (see @yibao/payment-service `estimateListPayment`).
 */
export interface WhatIfEstimate {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly weightsId: string;
  readonly weightsVersion: string;
  readonly category: string;
  readonly categoryName: string;
  readonly rw: number | null;
  readonly baseRateFen: number;
  readonly coefficient: number;
  readonly standardFen: number | null;
  readonly paymentFen: number;
  readonly totalFeeFen: number;
  readonly surplusFen: number;
}
export type WhatIfEstimator = (list: SettlementListData) => Promise<WhatIfEstimate | null>;

export interface ConsoleRouteOptions {
  readonly db: ConsoleDb;
  /** The same connection typed with the server's identity tables, read only through its functions. */
  readonly identity: IdentityDb;
  /** The same connection typed with the store's tables, read only through its functions. */
  readonly storeDb: Kysely<StoreDatabase>;
  readonly refresher: CubeRefresher;
  /** Settles a what-if list; without it (no payment area) 试分组 gives no estimate. */
  readonly estimate?: WhatIfEstimator | undefined;
}

const fmtInt = (n: number) => n.toLocaleString("zh-CN");
const fmtYuan = (fen: number) =>
  (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Where the overview's figures come from, in words: the weight tables and payment policies (with
 * their rate) that settled the stays in view, and the audit findings with what was recovered.
 */
async function figureNotes(
  db: ConsoleDb,
  q: { hospital?: string | undefined; periodFrom?: string | undefined; periodTo?: string | undefined },
  counts: { paidCases: number; cases: number; auditFindings: number; recoveredFen: number } | null,
): Promise<string[]> {
  const areas = await sql<{ payment: boolean; audit: boolean }>`SELECT
    to_regclass('stay_settlement') IS NOT NULL AS payment, to_regclass('audit_finding') IS NOT NULL AS audit`.execute(
    db,
  );
  const notes: string[] = [];
  if (areas.rows[0]?.payment) {
    const used = await sql<{
      weights_id: string;
      weights_version: string;
      policy_id: string;
      policy_version: string;
      method: string;
      rate: string | null;
      n: number;
    }>`SELECT ss.weights_id, ss.weights_version, ss.policy_id, ss.policy_version, p.method,
        p.data->>'rate' AS rate, count(*)::int AS n
      FROM stay_settlement ss
      JOIN settlement_list l ON l.setl_id = ss.setl_id AND l.version = ss.list_version AND l.status = 'accepted'
      LEFT JOIN payment_policy p ON p.id = ss.policy_id AND p.version = ss.policy_version
      WHERE (${q.hospital ?? null}::text IS NULL OR ss.hospital_code = ${q.hospital ?? null})
        AND (${q.periodFrom ?? null}::text IS NULL OR l.period >= ${q.periodFrom ?? null})
        AND (${q.periodTo ?? null}::text IS NULL OR l.period <= ${q.periodTo ?? null})
      GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1, 2, 3, 4`.execute(db);
    if (used.rows.length === 0) notes.push("所选范围尚无结算：CMI 与结余/超支在按期结算后显示");
    else {
      const parts = used.rows.map((u) => {
        const rate =
          u.rate === null
            ? ""
            : `，${u.method === "point" ? "测算费率" : "费率"} ${fmtYuan(Math.round(Number(u.rate) * 100))} 元`;
        return `权重表 ${u.weights_id}（版本 ${u.weights_version}）、支付政策 ${u.policy_id}（版本 ${u.policy_version}${rate}）${fmtInt(u.n)} 例`;
      });
      const unsettled = (counts?.cases ?? 0) - (counts?.paidCases ?? 0);
      notes.push(
        `CMI 与结余/超支按结算所用的权重与支付计算：${parts.join("；")}${
          unsettled > 0 ? `；尚未结算 ${fmtInt(unsettled)} 例不计入` : ""
        }`,
      );
    }
  } else notes.push("未接入支付结算：不显示 CMI 与结余/超支");
  if (areas.rows[0]?.audit && counts) {
    notes.push(
      `审核发现问题数与追回金额来自智能审核：所选范围发现问题 ${fmtInt(counts.auditFindings)} 条，已扣款追回 ${fmtYuan(counts.recoveredFen)} 元`,
    );
  } else if (!areas.rows[0]?.audit) notes.push("未接入智能审核：审核发现问题数与追回金额为 0");
  return notes;
}

export function consoleRoutes(options: ConsoleRouteOptions): FastifyPluginAsyncTypebox {
  const { db, identity, storeDb, refresher, estimate: estimator } = options;
  return async (app) => {
    // ── 元数据 ───────────────────────────────────────────────────────────────────────────────
    app.get("/meta", { config: access(ALL, "handler") }, async (request) => {
      const user = requirePrincipal(request);
      const own = user.role === "hospital" ? user.hospitalCode : null;
      const hq = listHospitals(storeDb, { code: own });
      let pq = db.selectFrom("console_cube_hd").select("period").distinct().orderBy("period");
      if (own) pq = pq.where("hospital_code", "=", own);
      const [hospitals, periods, state] = await Promise.all([hq, pq.execute(), cubeState(db)]);
      return {
        user: { ...user, roleName: ROLE_NAMES[user.role] },
        roles: ROLES.map((r) => ({ id: r, name: ROLE_NAMES[r] })),
        indicators: INDICATORS,
        hospitals,
        periods: periods.map((p) => p.period.trim()),
        scheme: { id: app.yibao.scheme.id, name: app.yibao.scheme.name, demo: app.yibao.scheme.demo },
        cube: state,
      };
    });

    // ── 指标 ─────────────────────────────────────────────────────────────────────────────────
    app.get(
      "/overview",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const [[total], trend, state] = await Promise.all([
          queryIndicators(db, { dims: [], ...q }),
          queryIndicators(db, { dims: ["period"], ...q }),
          cubeState(db),
        ]);
        return {
          hospital: q.hospital ?? null,
          values: total?.values ?? null,
          counts: total?.counts ?? null,
          trend: trend.map((r) => ({ period: r.keys.period?.trim(), values: r.values })),
          cube: state,
          notes: await figureNotes(db, q, total?.counts ?? null),
        };
      },
    );

    app.get(
      "/ranking",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const [found, hospitals] = await Promise.all([
          queryIndicators(db, { dims: ["hospital"], ...q }),
          listHospitals(storeDb, { code: q.hospital }),
        ]);
        const names = new Map(hospitals.map((h) => [h.code, h]));
        // Every registered hospital is listed, one without stays in the range with zeros.
        const seen = new Set(found.map((r) => r.keys.hospital));
        const zero = indicatorValues(emptyCounts());
        const rows = [
          ...found,
          ...hospitals
            .filter((h) => !seen.has(h.code))
            .map((h) => ({ keys: { hospital: h.code }, values: zero })),
        ].sort((a, b) => ((a.keys.hospital ?? "") < (b.keys.hospital ?? "") ? -1 : 1));
        return {
          rows: rows.map((r) => {
            const code = r.keys.hospital ?? "";
            return {
              hospital: code,
              name: names.get(code)?.name ?? code,
              level: names.get(code)?.level ?? null,
              ...r.values,
            };
          }),
        };
      },
    );

    const BreakdownQuery = Type.Object(
      {
        hospital: Hospital,
        periodFrom: Period,
        periodTo: Period,
        dim: Type.Union([
          Type.Literal("dept"),
          Type.Literal("physician"),
          Type.Literal("drg"),
          Type.Literal("period"),
        ]),
      },
      { additionalProperties: false },
    );
    app.get(
      "/breakdown",
      { config: access(ALL, "query"), schema: { querystring: BreakdownQuery } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const dims: Dimension[] = q.dim === "drg" || q.dim === "period" ? [q.dim] : [q.dim];
        const rows = await queryIndicators(db, {
          dims,
          hospital: q.hospital,
          periodFrom: q.periodFrom,
          periodTo: q.periodTo,
        });
        const drgNames = new Map(app.yibao.scheme.drgs.map((d) => [d.code, d.name]));
        return {
          hospital: q.hospital ?? null,
          dim: q.dim,
          rows: rows.map((r) => {
            const key = (r.keys[q.dim] ?? "").trim();
            const label =
              key === "" && q.dim !== "period"
                ? "（未关联清单的审核发现）"
                : q.dim === "drg"
                  ? (drgNames.get(key) ?? (key === "0000" ? "未入组" : key))
                  : q.dim === "physician"
                    ? r.physicianName || key
                    : q.dim === "dept"
                      ? (departmentName(key) ?? key)
                      : key;
            return { key, label, ...r.values };
          }),
        };
      },
    );

    // ── 质控 ─────────────────────────────────────────────────────────────────────────────────
    app.get(
      "/qc/rules",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        // From the store's finding summary (kept with every upload), not the findings themselves.
        let query = db
          .selectFrom("qc_finding_count as f")
          .select([
            "f.rule_id as ruleId",
            "f.severity as severity",
            sql<string>`min(f.message) FILTER (WHERE f.findings > 0)`.as("message"),
            sql<number>`sum(f.findings)`.as("findings"),
            sql<number>`sum(f.lists)`.as("lists"),
            sql<number>`count(DISTINCT f.hospital_code) FILTER (WHERE f.findings > 0)`.as("hospitals"),
          ])
          .groupBy(["f.rule_id", "f.severity"])
          .having(sql<boolean>`sum(f.findings) > 0`)
          .orderBy("findings", "desc")
          .orderBy("f.rule_id")
          .orderBy("f.severity");
        if (q.hospital) query = query.where("f.hospital_code", "=", q.hospital);
        if (q.periodFrom) query = query.where("f.period", ">=", q.periodFrom);
        if (q.periodTo) query = query.where("f.period", "<=", q.periodTo);
        const rows = await query.execute();
        return {
          rows: rows.map((r) => ({
            ...r,
            findings: Number(r.findings),
            lists: Number(r.lists),
            hospitals: Number(r.hospitals),
          })),
        };
      },
    );

    // ── 清单 ─────────────────────────────────────────────────────────────────────────────────
    const ListsQuery = Type.Object(
      {
        hospital: Hospital,
        periodFrom: Period,
        periodTo: Period,
        status: Type.Optional(Type.Union([Type.Literal("accepted"), Type.Literal("refused")])),
        drg: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
        groupStatus: Type.Optional(
          Type.Union([
            Type.Literal("OK"),
            Type.Literal("AMBIGUOUS"),
            Type.Literal("UNGROUPABLE"),
            Type.Literal("CHECK_FAILED"),
          ]),
        ),
        ruleId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        hasFindings: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")])),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        dept: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
        limit: Digits(5),
        offset: Digits(9),
      },
      { additionalProperties: false },
    );
    app.get(
      "/lists",
      { config: access(ALL, "query"), schema: { querystring: ListsQuery } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const limit = q.limit ? Number(q.limit) : 50;
        if (limit < 1 || limit > 10_000)
          throw new HttpError(400, "INVALID_REQUEST", "limit 应在 1–10000 之间");
        const offset = q.offset ? Number(q.offset) : 0;
        let base = db.selectFrom("settlement_list as s");
        if (q.hospital) base = base.where("s.hospital_code", "=", q.hospital);
        // One month as equality: the (period, received_at) index then yields the newest first.
        if (q.periodFrom && q.periodFrom === q.periodTo) base = base.where("s.period", "=", q.periodFrom);
        else {
          if (q.periodFrom) base = base.where("s.period", ">=", q.periodFrom);
          if (q.periodTo) base = base.where("s.period", "<=", q.periodTo);
        }
        if (q.status) base = base.where("s.status", "=", q.status);
        if (q.drg) base = base.where("s.drg", "=", q.drg);
        if (q.groupStatus) base = base.where("s.group_status", "=", q.groupStatus);
        if (q.dept) base = base.where("s.dscg_caty", "=", q.dept);
        if (q.q) {
          const like = `${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          base = base.where((eb) => eb.or([eb("s.setl_id", "like", like), eb("s.medcasno", "like", like)]));
        }
        if (q.ruleId) {
          const ruleId = q.ruleId;
          base = base.where((eb) =>
            eb.exists(
              eb
                .selectFrom("qc_finding as f")
                .select("f.seq")
                .whereRef("f.setl_id", "=", "s.setl_id")
                .whereRef("f.version", "=", "s.version")
                .where("f.rule_id", "=", ruleId),
            ),
          );
        }
        // Lists with findings or refused ones are few and have their own (partial) index,
        // console_settlement_list_flagged. Written per column (counts are never negative), so the
        // planner estimates it from the columns' statistics and proves it implies the index's.
        const flagged = base.where(sql<boolean>`(s.error_count > 0 OR s.warning_count > 0)`);
        const countOf = (b: typeof base) =>
          b
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
            .then((r) => Number(r.n));
        const summary = () => countSettlementLists(storeDb, q);
        // Without a filter on department, rule or text the total comes from the store's list-count
        // summary rather than counting up to a million lists (without findings: all − with findings).
        const summaryCountable = !q.dept && !q.q && !q.ruleId;
        if (q.hasFindings === "true") base = flagged;
        if (q.hasFindings === "false")
          base = base.where(sql<boolean>`s.error_count = 0 AND s.warning_count = 0`);
        // A department, rule or text filter is counted over the lists, up to LIST_COUNT_CAP: a broad
        // prefix can match a third of a million lists, and "more than 10,000" is all the page needs.
        const capped = (b: typeof base) =>
          db
            .selectFrom(
              b
                .select(sql`1`.as("one"))
                .limit(LIST_COUNT_CAP + 1)
                .as("c"),
            )
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
            .then((r) => Number(r.n));
        const total = !summaryCountable
          ? capped(base)
          : q.hasFindings === "true"
            ? countOf(flagged)
            : q.hasFindings === "false"
              ? Promise.all([summary(), countOf(flagged)]).then(([all, f]) => all - f)
              : summary();
        const [countRow, items] = await Promise.all([
          total.then((n) => ({ n })),
          base
            .select([
              "s.setl_id as setlId",
              "s.hospital_code as hospital",
              "s.hospital_name as hospitalName",
              "s.period",
              "s.dscg_caty as dept",
              "s.principal_dx as principalDx",
              "s.principal_oprn as principalOprn",
              "s.drg",
              "s.drg_name as drgName",
              "s.group_status as groupStatus",
              "s.status",
              "s.total_fee_fen as totalFeeFen",
              "s.los",
              "s.error_count as errorCount",
              "s.warning_count as warningCount",
              "s.received_at as receivedAt",
              "s.version",
            ])
            .orderBy("s.received_at", "desc")
            .orderBy("s.setl_id")
            .limit(limit)
            .offset(offset)
            .execute(),
        ]);
        return {
          total: Math.min(
            Number(countRow?.n ?? 0),
            summaryCountable ? Number.MAX_SAFE_INTEGER : LIST_COUNT_CAP,
          ),
          /** True when there are more than `total` matching lists (counting stopped at the cap). */
          totalCapped: !summaryCountable && Number(countRow?.n ?? 0) > LIST_COUNT_CAP,
          limit,
          offset,
          rows: items.map((r) => ({ ...r, period: r.period.trim() })),
        };
      },
    );

    app.get(
      "/lists/:setlId",
      {
        config: access(ALL, "setlId"),
        schema: { params: Type.Object({ setlId: Type.String({ minLength: 1, maxLength: 30 }) }) },
      },
      async (request) => {
        const detail = await app.yibao.store.getSettlementList(request.params.setlId);
        if (!detail)
          throw new HttpError(404, "NOT_FOUND", `结算清单不存在：setl_id=${request.params.setlId}`);
        const appeals = await db
          .selectFrom("console_appeal")
          .selectAll()
          .where("setl_id", "=", request.params.setlId)
          .orderBy("id")
          .execute();
        const findings = await db
          .selectFrom("qc_finding")
          .select(["seq", "rule_id as ruleId", "severity", "field", "message"])
          .where("setl_id", "=", detail.list.setl_id)
          .where("version", "=", detail.list.version)
          .orderBy("seq")
          .execute();
        const { message: _message, ...list } = detail.list as typeof detail.list & { message?: unknown };
        return {
          list,
          findings,
          history: detail.history.length,
          refusedUploads: detail.refusedUploads.length,
          appeals,
        };
      },
    );

    // ── 试分组 (what-if, nothing stored) ──────────────────────────────────────────────────────
    app.post(
      "/what-if",
      {
        config: access(["hospital", "bureau", "reviewer", "admin"], "envelopes", "试分组（不保存）"),
        schema: { body: Type.Object({}, { additionalProperties: true }) },
      },
      async (request) => {
        const prepared = app.yibao.prepareList(request.body, new Date());
        const findings = prepared.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          field: f.field,
          message: f.message,
        }));
        const accepted = !prepared.envelopeInvalid && !findings.some((f) => f.severity === "error");
        // What settlement would pay: the payment area's own code, the policy and weights in force.
        let estimate: WhatIfEstimate | null = null;
        let estimateProblem: string | null = null;
        const drg = prepared.group?.drg;
        // Also for a list QC would refuse (late, say): the card says so beside the estimate.
        if (estimator && prepared.upload && prepared.group) {
          try {
            estimate = await estimator(prepared.upload.list);
          } catch (e) {
            // A stay settlement cannot settle (no policy in force on its date, DRG not in the weights).
            estimateProblem = e instanceof Error ? e.message : String(e);
          }
        }
        request.oplogDetail = { setlId: prepared.setlId, drg: drg ?? null };
        return {
          setlId: prepared.setlId,
          accepted,
          envelopeInvalid: prepared.envelopeInvalid,
          findings,
          group: prepared.group,
          estimate,
          estimateProblem,
        };
      },
    );

    // ── 申诉 ─────────────────────────────────────────────────────────────────────────────────
    const AppealQuery = Type.Object(
      {
        hospital: Hospital,
        status: Type.Optional(
          Type.Union([Type.Literal("pending"), Type.Literal("accepted"), Type.Literal("rejected")]),
        ),
      },
      { additionalProperties: false },
    );
    app.get(
      "/appeals",
      { config: access(ALL, "query"), schema: { querystring: AppealQuery } },
      async (request) => {
        let query = db.selectFrom("console_appeal").selectAll().orderBy("id", "desc").limit(2000);
        if (request.query.hospital) query = query.where("hospital_code", "=", request.query.hospital);
        if (request.query.status) query = query.where("status", "=", request.query.status);
        return { rows: await query.execute() };
      },
    );

    app.post(
      "/appeals",
      {
        config: access(["hospital"], "handler", "提交申诉"),
        schema: {
          body: Type.Object(
            {
              setlId: Type.String({ minLength: 1, maxLength: 30 }),
              seq: Type.Integer({ minimum: 0, maximum: 9999 }),
              reason: Type.String({ minLength: 2, maxLength: 2000 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const user = requirePrincipal(request);
        const b = request.body;
        const finding = await db
          .selectFrom("qc_finding as f")
          .innerJoin("settlement_list as s", (j) =>
            j.onRef("s.setl_id", "=", "f.setl_id").onRef("s.version", "=", "f.version"),
          )
          .select(["f.setl_id", "f.version", "f.seq", "f.rule_id", "f.message", "s.hospital_code"])
          .where("f.setl_id", "=", b.setlId)
          .where("f.seq", "=", b.seq)
          .executeTakeFirst();
        if (!finding || finding.hospital_code !== user.hospitalCode) {
          throw new HttpError(404, "NOT_FOUND", `未找到本院清单 ${b.setlId} 的第 ${b.seq + 1} 条质控结果`);
        }
        const inserted = await db
          .insertInto("console_appeal")
          .values({
            setl_id: finding.setl_id,
            version: finding.version,
            seq: finding.seq,
            rule_id: finding.rule_id,
            finding_message: finding.message,
            hospital_code: finding.hospital_code,
            reason: b.reason,
            status: "pending",
            filed_by: user.username,
            filed_at: new Date(),
            decided_by: null,
            decided_at: null,
            decision_comment: null,
          })
          .onConflict((oc) => oc.columns(["setl_id", "version", "seq"]).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!inserted) throw new HttpError(409, "CONFLICT", "该质控结果已提交过申诉");
        request.oplogDetail = {
          appealId: inserted.id,
          setlId: b.setlId,
          seq: b.seq,
          ruleId: finding.rule_id,
        };
        return reply.status(201).send(inserted);
      },
    );

    app.post(
      "/appeals/:id/decision",
      {
        config: access(["reviewer", "bureau"], "none", "审核申诉"),
        schema: {
          params: Type.Object({ id: Type.String({ pattern: "^[0-9]{1,9}$" }) }),
          body: Type.Object(
            {
              decision: Type.Union([Type.Literal("accepted"), Type.Literal("rejected")]),
              comment: Type.String({ minLength: 1, maxLength: 2000 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        const updated = await db
          .updateTable("console_appeal")
          .set({
            status: request.body.decision,
            decided_by: requirePrincipal(request).username,
            decided_at: new Date(),
            decision_comment: request.body.comment,
          })
          .where("id", "=", id)
          .where("status", "=", "pending")
          .returningAll()
          .executeTakeFirst();
        if (!updated) {
          const exists = await db
            .selectFrom("console_appeal")
            .select("status")
            .where("id", "=", id)
            .executeTakeFirst();
          if (!exists) throw new HttpError(404, "NOT_FOUND", `申诉不存在：${id}`);
          throw new HttpError(409, "CONFLICT", "该申诉已审核，不能重复审核");
        }
        request.oplogDetail = { appealId: id, decision: request.body.decision, setlId: updated.setl_id };
        return updated;
      },
    );

    // ── 账号管理 ─────────────────────────────────────────────────────────────────────────────
    app.get("/users", { config: access(["admin"], "none") }, async () => ({
      rows: await listUsers(identity),
    }));

    app.post(
      "/users",
      {
        config: access(["admin"], "none", "新建账号"),
        schema: {
          body: Type.Object(
            {
              username: Type.String({ pattern: "^[A-Za-z0-9_.-]{3,40}$" }),
              displayName: Type.String({ minLength: 1, maxLength: 60 }),
              role: Type.Union(ROLES.map((r) => Type.Literal(r))),
              hospitalCode: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
              password: Type.String({ maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const b = request.body;
        if ((b.role === "hospital") !== Boolean(b.hospitalCode)) {
          throw new HttpError(400, "INVALID_REQUEST", "医院账号必须填写医院编码，其他角色不能填写");
        }
        if (b.hospitalCode) {
          const known = await knownHospitalCodes(storeDb, [b.hospitalCode]);
          if (!known.has(b.hospitalCode))
            throw new HttpError(
              400,
              "INVALID_REQUEST",
              `医院编码不存在：${b.hospitalCode}，请先确认医院已登记`,
            );
        }
        const problem = passwordProblem(b.password, b.username);
        if (problem) throw new HttpError(400, "WEAK_PASSWORD", problem);
        if (await usernameTaken(identity, b.username))
          throw new HttpError(409, "CONFLICT", `用户名已存在：${b.username}`);
        // The administrator knows the initial password: the new user must change it at first sign-in.
        const id = await createUser(identity, {
          ...b,
          hospitalCode: b.hospitalCode ?? null,
          mustChangePassword: true,
        });
        request.oplogDetail = {
          userId: id,
          username: b.username,
          role: b.role,
          hospitalCode: b.hospitalCode ?? null,
        };
        return reply.status(201).send({ id });
      },
    );

    app.post(
      "/users/:id/status",
      {
        config: access(["admin"], "none", "停用/启用账号"),
        schema: {
          params: Type.Object({ id: Type.String({ pattern: "^[0-9]{1,9}$" }) }),
          body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        if (id === requirePrincipal(request).id)
          throw new HttpError(400, "INVALID_REQUEST", "不能停用自己的账号");
        if (!(await setUserDisabled(identity, id, request.body.disabled)))
          throw new HttpError(404, "NOT_FOUND", `账号不存在：${id}`);
        request.oplogDetail = { userId: id, disabled: request.body.disabled };
        return { ok: true };
      },
    );

    app.post(
      "/users/:id/password",
      {
        config: access(["admin"], "none", "重置密码"),
        schema: { params: Type.Object({ id: Type.String({ pattern: "^[0-9]{1,9}$" }) }) },
      },
      async (request) => {
        const id = Number(request.params.id);
        if (id === requirePrincipal(request).id)
          throw new HttpError(400, "INVALID_REQUEST", "不能重置自己的密码，请使用“修改密码”");
        // A new generated password, to be changed at the next sign-in; every session of the account ends.
        const reset = await resetPassword(identity, { id });
        if (!reset) throw new HttpError(404, "NOT_FOUND", `账号不存在：${id}`);
        request.oplogDetail = { userId: id, username: reset.username };
        return { username: reset.username, password: reset.password };
      },
    );

    // ── 操作日志 ─────────────────────────────────────────────────────────────────────────────
    app.get(
      "/oplog",
      {
        config: access(["admin", "bureau"], "none"),
        schema: {
          querystring: Type.Object(
            { limit: Digits(4), offset: Digits(9), username: Type.Optional(Type.String({ maxLength: 60 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const limit = Math.min(Number(request.query.limit ?? 200), 5000);
        const page = { limit, offset: Number(request.query.offset ?? 0), username: request.query.username };
        return {
          rows: (await listOperations(identity, page)).map((r) => ({
            ...r,
            id: Number(r.id),
            roleName: ROLE_NAMES[r.role as Role] ?? (r.role === "" ? "—" : r.role),
            detailText: describeDetail(r.detail),
            target: readablePath(r.target),
          })),
        };
      },
    );

    // ── 汇总刷新 ─────────────────────────────────────────────────────────────────────────────
    app.post("/cube/refresh", { config: access(["admin", "bureau"], "none", "刷新指标汇总") }, async () =>
      refresher.refresh(),
    );

    // ── Excel 导出 ───────────────────────────────────────────────────────────────────────────
    // Any table of the console: the data comes from the console's own GET endpoint, requested again
    // with the caller's cookie, so every access rule holds for the export too.
    app.get(
      "/export",
      {
        config: access(ALL, "handler"),
        schema: {
          querystring: Type.Object(
            {
              path: Type.String({ pattern: "^/api/v1/", maxLength: 2000 }),
              columns: Type.String({ maxLength: 8000 }),
              filename: Type.Optional(Type.String({ maxLength: 80 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const { path } = request.query;
        // The source is requested again below as this user, through the access layer; still, only a
        // plain path of this API is taken (no encoded or relative segments, no other host).
        const pathname = path.split("?")[0] ?? "";
        if (!/^\/api\/v1\/[A-Za-z0-9/_-]+$/.test(pathname) || pathname.includes("//"))
          throw new HttpError(400, "INVALID_REQUEST", "导出的数据源路径不合法");
        if (pathname.startsWith("/api/v1/console/export"))
          throw new HttpError(400, "INVALID_REQUEST", "不能导出导出接口本身");
        let columns: ExportColumn[];
        try {
          columns = parseExportColumns(request.query.columns);
        } catch (e) {
          throw new HttpError(400, "INVALID_REQUEST", (e as Error).message);
        }
        // Every page of the source, requested as this user (so every access rule holds), one at a time.
        const fetchJson = async (url: string) => {
          const res = await app.inject({
            method: "GET",
            url,
            headers: { cookie: request.headers.cookie ?? "" },
          });
          if (res.statusCode !== 200) {
            const body = res.json() as { message?: string };
            throw new HttpError(res.statusCode, "EXPORT_SOURCE", body.message ?? "导出的数据源不可用");
          }
          return res.json() as unknown;
        };
        const pages = sourcePages(path, fetchJson);
        // The first page is read before the answer starts, so that a refused source is still a 4xx.
        const first = await pages.next();
        async function* all() {
          if (!first.done) yield first.value;
          yield* pages;
        }
        const names = new Map((await listHospitals(storeDb)).map((h) => [h.code, h.name]));
        const { stream, done } = streamWorkbook(columns, all(), names);
        const name = `${(request.query.filename ?? "导出").replace(/[\\/:*?"<>|\r\n]/g, "_")}.xlsx`;
        const target = readablePath(path).slice(0, 300);
        done
          .then((rows) =>
            recordOperation(identity, {
              user: request.principal,
              action: "导出Excel",
              target,
              detail: { path: target, rows },
              statusCode: 200,
              ip: request.ip,
            }),
          )
          .catch((err: unknown) => request.log.error({ err }, "导出失败"));
        return reply
          .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .header(
            "content-disposition",
            `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
          )
          .send(stream);
      },
    );
  };
}
