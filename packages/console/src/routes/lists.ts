/** 清单: the lists with their QC counts and groups (filtered, paged, counted) and one list in detail. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HttpError } from "@yibao/server";
import { ListFilterParams } from "@yibao/server/query-schemas";
import { countSettlementLists, type StoreDatabase } from "@yibao/store";
import { type Kysely, sql } from "kysely";
import { type Static, Type } from "typebox";
import type { ConsoleDb } from "../schema.js";
import {
  ALL,
  access,
  type ConsoleRouteOptions,
  checkRange,
  Digits,
  Hospital,
  Period,
  schemeNameOf,
} from "./shared.js";

/** Lists filtered by department, rule or text are counted up to this many. */
export const LIST_COUNT_CAP = 10_000;

const ListsQuery = Type.Object(
  {
    hospital: Hospital,
    periodFrom: Period,
    periodTo: Period,
    ...ListFilterParams(),
    ruleId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    hasFindings: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")])),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    dept: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    limit: Digits(5),
    offset: Digits(9),
  },
  { additionalProperties: false },
);
type ListsFilter = Static<typeof ListsQuery>;

/** The lists that match every filter but `hasFindings` (and the paging). */
function filteredLists(db: ConsoleDb, q: ListsFilter) {
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
  return base;
}
type Lists = ReturnType<typeof filteredLists>;

/**
 * Without a filter on department, rule or text the total comes from the store's list-count summary
 * rather than counting up to a million lists.
 */
const summaryCountable = (q: ListsFilter) => !q.dept && !q.q && !q.ruleId;

/**
 * How many lists match: `base` is the page's query (with `hasFindings`), `flagged` the lists with
 * findings among the filtered ones.
 */
function countLists(
  db: ConsoleDb,
  storeDb: Kysely<StoreDatabase>,
  q: ListsFilter,
  base: Lists,
  flagged: Lists,
): Promise<number> {
  const countOf = (b: Lists) =>
    b
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  // A department, rule or text filter is counted over the lists, up to LIST_COUNT_CAP: a broad
  // prefix can match a third of a million lists, and "more than 10,000" is all the page needs.
  if (!summaryCountable(q)) {
    return db
      .selectFrom(
        base
          .select(sql`1`.as("one"))
          .limit(LIST_COUNT_CAP + 1)
          .as("c"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }
  if (q.hasFindings === "true") return countOf(flagged);
  // Without findings: all − with findings.
  const summary = () => countSettlementLists(storeDb, q);
  if (q.hasFindings === "false")
    return Promise.all([summary(), countOf(flagged)]).then(([all, f]) => all - f);
  return summary();
}

function listPage(base: Lists, limit: number, offset: number) {
  return base
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
      "s.scheme_id as schemeId",
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
    .execute();
}

export function listRoutes(options: Pick<ConsoleRouteOptions, "db" | "storeDb">): FastifyPluginAsyncTypebox {
  const { db, storeDb } = options;
  return async (app) => {
    app.get(
      "/lists",
      { config: access(ALL, "query"), schema: { querystring: ListsQuery } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const limit = q.limit ? Number(q.limit) : 50;
        if (limit < 1 || limit > 10_000) throw new HttpError("INVALID_REQUEST", "limit 应在 1–10000 之间");
        const offset = q.offset ? Number(q.offset) : 0;
        const filtered = filteredLists(db, q);
        // Lists with findings or refused ones are few and have their own (partial) index,
        // console_settlement_list_flagged. Written per column (counts are never negative), so the
        // planner estimates it from the columns' statistics and proves it implies the index's.
        const flagged = filtered.where(sql<boolean>`(s.error_count > 0 OR s.warning_count > 0)`);
        const base =
          q.hasFindings === "true"
            ? flagged
            : q.hasFindings === "false"
              ? filtered.where(sql<boolean>`s.error_count = 0 AND s.warning_count = 0`)
              : filtered;
        const [n, items] = await Promise.all([
          countLists(db, storeDb, q, base, flagged),
          listPage(base, limit, offset),
        ]);
        const countable = summaryCountable(q);
        return {
          total: Math.min(n, countable ? Number.MAX_SAFE_INTEGER : LIST_COUNT_CAP),
          /** True when there are more than `total` matching lists (counting stopped at the cap). */
          totalCapped: !countable && n > LIST_COUNT_CAP,
          limit,
          offset,
          // 分组方案: the scheme that grouped each list (a region may switch schemes on a date).
          rows: items.map((r) => ({
            ...r,
            period: r.period.trim(),
            schemeName: schemeNameOf(app.yibao.schemes, r.schemeId),
          })),
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
        if (!detail) throw new HttpError("NOT_FOUND", `结算清单不存在：setl_id=${request.params.setlId}`);
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
        const schemeId = detail.list.scheme_id;
        return {
          list,
          scheme: { id: schemeId, name: schemeNameOf(app.yibao.schemes, schemeId) },
          findings,
          history: detail.history.length,
          refusedUploads: detail.refusedUploads.length,
          appeals,
        };
      },
    );
  };
}
