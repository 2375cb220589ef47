/**
 * DIP payment API (DIP 付费接口), under /api/v1/payment: the bureau's monthly prepayment and year
 * clearing runs; the cleared years, a year's statement (a hospital account sees its own row with the
 * region's point value), its stays page by page, and its export, one row per stay then the hospital's
 * total, so every figure in the statement traces to its stays.
 */
import { HttpError, routeAccess } from "@yibao/server";
import { YearParam } from "@yibao/server/query-schemas";
import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { clearDipYearJob, dipClearedYears, getDipClearing, listDipStays } from "./dip-clearing.js";
import { dipPrepayments, prepayDipMonthJob } from "./dip-payment.js";
import { saveDipPolicyFromCatalogue } from "./dip-policy.js";
import { dipClearingStatement, forHospital } from "./dip-statement.js";
import { ALL, actorOf, BUREAU, fen, guard, Id, PERIOD, sendStatementFile, YUAN } from "./http.js";
import { render } from "./statements.js";

const PolicySelect = Type.Object({ id: Id, version: Type.Optional(Id) }, { additionalProperties: false });
const PrepayBody = Type.Object(
  { period: Type.String({ pattern: PERIOD }), policy: Type.Optional(PolicySelect) },
  { additionalProperties: false },
);
const DipClearBody = Type.Object(
  { year: YearParam(), budget: Type.String({ pattern: YUAN }), policy: Type.Optional(PolicySelect) },
  { additionalProperties: false },
);
const YearParams = Type.Object({ year: YearParam() });
const HospitalQuery = Type.Object(
  { hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })) },
  { additionalProperties: false },
);
const StaysQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal("xlsx"), Type.Literal("csv")])),
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  },
  { additionalProperties: false },
);

/** The DIP routes (without prefix), added by `paymentRoutes`. */
export function dipRoutes(app: FastifyInstance): void {
  dipRunRoutes(app);
  dipReadRoutes(app);
}

/** The bureau's DIP runs: a policy from a catalogue, the monthly prepayment, the year clearing. */
function dipRunRoutes(app: FastifyInstance): void {
  app.post(
    "/dip-policies/from-catalogue",
    {
      config: routeAccess(BUREAU, "none", "由病种目录生成 DIP 付费政策"),
      schema: {
        body: Type.Object(
          { data: Type.Record(Type.String(), Type.Unknown()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { data } = request.body as { data: Record<string, unknown> };
      const r = await guard(() => saveDipPolicyFromCatalogue(app.yibao.store, data, actorOf(request)));
      request.oplogDetail = { id: r.saved.id, version: r.saved.version, groups: r.groups };
      return reply.status(201).send(r);
    },
  );
  app.post(
    "/dip-prepayments",
    { config: routeAccess(BUREAU, "none", "DIP 月度预付"), schema: { body: PrepayBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof PrepayBody>;
      request.oplogDetail = { period: b.period, policy: b.policy ?? null };
      const r = await guard(() =>
        prepayDipMonthJob({
          store: app.yibao.store,
          period: b.period,
          ...(b.policy ? { policy: b.policy } : {}),
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = {
        period: b.period,
        runId: r.runId,
        policy: r.policy,
        prepaymentFen: r.totalPrepaymentFen,
      };
      return reply.status(201).send(r);
    },
  );
  app.get(
    "/dip-prepayments/:year",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: HospitalQuery } },
    async (request) => {
      const { year } = request.params as Static<typeof YearParams>;
      const { hospital } = request.query as Static<typeof HospitalQuery>;
      return { items: await dipPrepayments(app.yibao.store, year, hospital) };
    },
  );
  app.post(
    "/dip-clearing",
    { config: routeAccess(BUREAU, "none", "DIP 年度清算"), schema: { body: DipClearBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof DipClearBody>;
      const budgetFen = fen(b.budget, "budget");
      request.oplogDetail = { year: b.year, budgetFen };
      const before = await getDipClearing(app.yibao.store, b.year);
      const c = await guard(() =>
        clearDipYearJob({
          store: app.yibao.store,
          year: b.year,
          budgetFen,
          ...(b.policy ? { policy: b.policy } : {}),
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = {
        year: b.year,
        budgetFen,
        runId: c.runId,
        policy: c.policy,
        before: before ? { runId: before.runId, pointValueYuan: before.pointValueYuan } : null,
        after: { pointValueYuan: c.pointValueYuan },
      };
      return reply.status(201).send(c);
    },
  );
}

/** The cleared years, a year's statement, its stays and its export (a hospital account sees its own). */
function dipReadRoutes(app: FastifyInstance): void {
  app.get("/dip-clearing", { config: routeAccess(ALL, "none") }, async () => ({
    years: await dipClearedYears(app.yibao.store),
  }));
  app.get(
    "/dip-clearing/:year",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: HospitalQuery } },
    async (request) => {
      const { year } = request.params as Static<typeof YearParams>;
      const { hospital } = request.query as Static<typeof HospitalQuery>;
      const c = await getDipClearing(app.yibao.store, year);
      if (!c) throw new HttpError("NOT_CLEARED", `${year} 年尚未进行 DIP 清算`);
      return forHospital(c, hospital);
    },
  );
  app.get(
    "/dip-clearing/:year/stays",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: StaysQuery } },
    async (request) => {
      const { year } = request.params as Static<typeof YearParams>;
      return listDipStays(app.yibao.store, year, request.query as Static<typeof StaysQuery>);
    },
  );
  app.get(
    "/dip-clearing/:year/export",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const { year } = request.params as Static<typeof YearParams>;
      const q = request.query as Static<typeof ExportQuery>;
      const format = q.format ?? "xlsx";
      const body = await render(
        await guard(() => dipClearingStatement(app.yibao.store, year, q.hospital)),
        format,
      );
      const name = `dip-clearing-${year}${q.hospital ? `-${q.hospital}` : ""}.${format}`;
      return sendStatementFile(reply, body, format, name);
    },
  );
}
