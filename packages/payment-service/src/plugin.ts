/**
 * Payment API (支付接口), mounted at /api/v1/payment. Every problem with a request is a 4xx with a
 * Chinese message: input errors of the jobs (PaymentInputError), policy data errors
 * (PolicyDataError, naming the dataset, field and rule) and settlement errors.
 */
import { formatSeed002Report } from "@yibao/payment";
import { HttpError, routeAccess, type ServerPlugin } from "@yibao/server";
import { DATE_PATTERN, YearParam } from "@yibao/server/query-schemas";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { type Static, Type } from "typebox";
import { listAssessments, recordAssessments } from "./assessments.js";
import { calibrate } from "./calibrate.js";
import { clearedYears, clearYearJob, getClearing } from "./clearing.js";
import { computeHospitalCoefficients } from "./coefficients.js";
import { dipRoutes } from "./dip-routes.js";
import { hospitalRoutes } from "./hospital-routes.js";
import { ALL, actorOf, BUREAU, fen, guard, Id, PERIOD, sendStatementFile, YUAN } from "./http.js";
import { clearingChange } from "./oplog-detail.js";
import {
  approveSpecialCase,
  getSettlement,
  listSettlements,
  listSpecialCases,
  prepaidOfYear,
  rejectSpecialCase,
} from "./queries.js";
import {
  getVersion,
  KIND_NAMES,
  listVersions,
  parsePeriodRange,
  recordAuditDeductions,
  saveVersion,
  type VersionedKind,
} from "./repo.js";
import { allMatch, runSeed002Dir } from "./seed002.js";
import { settlePeriod } from "./settle-period.js";
import { specialApplicationRoutes } from "./special-application-routes.js";
import { settlePendingApplication } from "./special-applications.js";
import { clearingStatement, render } from "./statements.js";

const VersionBody = Type.Object(
  {
    data: Type.Record(Type.String(), Type.Unknown()),
    weights: Type.Optional(Type.Object({ id: Id, version: Id }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
const CalibrateBody = Type.Object(
  {
    periodFrom: Type.String({ pattern: PERIOD }),
    periodTo: Type.String({ pattern: PERIOD }),
    id: Id,
    version: Id,
    effectiveFrom: Type.String({ pattern: DATE_PATTERN }),
    effectiveTo: Type.Optional(Type.Union([Type.String({ pattern: DATE_PATTERN }), Type.Null()])),
    trim: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal("none") }, { additionalProperties: false }),
        Type.Object(
          { kind: Type.Literal("iqr"), k: Type.Number({ minimum: 0, maximum: 100 }) },
          { additionalProperties: false },
        ),
        Type.Object(
          {
            kind: Type.Literal("percentile"),
            lower: Type.Number({ minimum: 0, maximum: 1 }),
            upper: Type.Number({ minimum: 0, maximum: 1 }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    minCases: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    budget: Type.Optional(Type.String({ pattern: YUAN })),
    rate: Type.Optional(Type.String({ pattern: YUAN })),
    policy: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    dip: Type.Optional(
      Type.Object(
        {
          id: Id,
          version: Id,
          coreMinCases: Type.Integer({ minimum: 1 }),
          scale: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const SettleBody = Type.Object(
  {
    period: Type.String({ pattern: PERIOD }),
    periodTo: Type.Optional(Type.String({ pattern: PERIOD })),
    policy: Type.Optional(
      Type.Object({ id: Id, version: Type.Optional(Id) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
const SettlementQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    period: Type.Optional(Type.String({ pattern: PERIOD })),
    drg: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    outlier: Type.Optional(Type.Union([Type.Literal("high"), Type.Literal("low"), Type.Literal("none")])),
    review: Type.Optional(Type.Literal("pending")),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const HospitalQuery = Type.Object(
  { hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })) },
  { additionalProperties: false },
);
const YearParams = Type.Object({ year: YearParam() });
const ClearingBody = Type.Object(
  {
    year: YearParam(),
    budget: Type.String({ pattern: YUAN }),
    policy: Type.Optional(
      Type.Object({ id: Id, version: Type.Optional(Id) }, { additionalProperties: false }),
    ),
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
const SpecialCaseBody = Type.Object(
  {
    setlId: Type.String({ minLength: 1, maxLength: 60 }),
    amount: Type.Optional(Type.Union([Type.String({ pattern: YUAN }), Type.Null()])),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const RejectBody = Type.Object(
  {
    setlId: Type.String({ minLength: 1, maxLength: 60 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const DeductionBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          hospital: Type.String({ minLength: 1, maxLength: 30 }),
          year: YearParam(),
          amount: Type.String({ pattern: YUAN }),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          findingId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);

export function versionRoutes(app: FastifyInstance, path: string, kind: VersionedKind): void {
  app.get(path, { config: routeAccess(ALL, "none") }, async () => ({
    items: await listVersions(app.yibao.store, kind),
  }));
  app.get(
    `${path}/:id/:version`,
    { config: routeAccess(ALL, "none"), schema: { params: Type.Object({ id: Id, version: Id }) } },
    async (request) => {
      const p = request.params as { id: string; version: string };
      const v = await getVersion(app.yibao.store, kind, p.id, p.version);
      if (!v) throw new HttpError("NOT_FOUND", `${KIND_NAMES[kind]} ${p.id}@${p.version} 不存在`);
      return v;
    },
  );
  app.post(
    path,
    { config: routeAccess(BUREAU, "none", `保存${KIND_NAMES[kind]}`), schema: { body: VersionBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof VersionBody>;
      const saved = await guard(() =>
        saveVersion(app.yibao.store, kind, b.data, {
          actor: actorOf(request),
          ...(b.weights ? { weights: b.weights } : {}),
        }),
      );
      return reply.status(201).send(saved);
    },
  );
}

/** Options of the payment plugin. */
export interface PaymentPluginOptions {
  /** Directory of the fund-loss example files (default `examples/seed-002` under the working directory). */
  readonly examplesDir?: string;
}

const CoefficientsBody = Type.Object(
  {
    periodFrom: Type.String({ pattern: PERIOD }),
    periodTo: Type.String({ pattern: PERIOD }),
    policy: Type.Object({ id: Id, version: Type.Optional(Id) }, { additionalProperties: false }),
    save: Type.Optional(
      Type.Object(
        {
          version: Id,
          effectiveFrom: Type.String({ pattern: DATE_PATTERN }),
          effectiveTo: Type.Optional(Type.Union([Type.String({ pattern: DATE_PATTERN }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** 测算 and 按期结算: the bureau's runs. */
function runRoutes(app: FastifyInstance): void {
  app.post(
    "/coefficients",
    { config: routeAccess(BUREAU, "none", "测算医院系数"), schema: { body: CoefficientsBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof CoefficientsBody>;
      const r = await guard(() =>
        computeHospitalCoefficients({
          store: app.yibao.store,
          periodFrom: b.periodFrom,
          periodTo: b.periodTo,
          policy: b.policy,
          ...(b.save ? { save: b.save } : {}),
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = { policy: r.policy, saved: r.saved ? `${r.saved.id}@${r.saved.version}` : null };
      return reply.status(r.saved ? 201 : 200).send(r);
    },
  );
  app.post(
    "/calibrate",
    { config: routeAccess(BUREAU, "none", "测算病组权重"), schema: { body: CalibrateBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof CalibrateBody>;
      const ppm = (x: number) => Math.round(x * 1_000_000);
      const trim =
        b.trim === undefined
          ? undefined
          : b.trim.kind === "none"
            ? ({ kind: "none" } as const)
            : b.trim.kind === "iqr"
              ? ({ kind: "iqr", k: ppm(b.trim.k) } as const)
              : ({ kind: "percentile", lower: ppm(b.trim.lower), upper: ppm(b.trim.upper) } as const);
      const r = await guard(() =>
        calibrate({
          store: app.yibao.store,
          periodFrom: b.periodFrom,
          periodTo: b.periodTo,
          id: b.id,
          version: b.version,
          effectiveFrom: b.effectiveFrom,
          effectiveTo: b.effectiveTo ?? null,
          // The table is for the scheme in force from its first day (分组方案切换).
          schemeId: app.yibao.schemes.on(b.effectiveFrom).id,
          drgNames: new Map(app.yibao.schemes.on(b.effectiveFrom).drgs.map((d) => [d.code, d.name])),
          ...(trim ? { trim } : {}),
          ...(b.minCases !== undefined ? { minCases: b.minCases } : {}),
          ...(b.budget !== undefined ? { budget: fen(b.budget, "budget") } : {}),
          ...(b.rate !== undefined ? { rate: fen(b.rate, "rate") } : {}),
          ...(b.policy ? { policy: b.policy } : {}),
          ...(b.dip ? { dip: b.dip } : {}),
          actor: actorOf(request),
        }),
      );
      return reply.status(201).send(r);
    },
  );

  app.post(
    "/settle",
    { config: routeAccess(BUREAU, "none", "按期结算"), schema: { body: SettleBody } },
    async (request) => {
      const b = request.body as Static<typeof SettleBody>;
      const range = parsePeriodRange(b.periodTo ? `${b.period}..${b.periodTo}` : b.period);
      return guard(() =>
        settlePeriod({
          store: app.yibao.store,
          period: range.from,
          periodTo: range.to,
          ...(b.policy ? { policy: b.policy } : {}),
          actor: actorOf(request),
        }),
      );
    },
  );
}

/** A stay's settlement, and the list of them (a hospital sees its own). */
function settlementRoutes(app: FastifyInstance): void {
  app.get(
    "/settlements",
    { config: routeAccess(ALL, "query"), schema: { querystring: SettlementQuery } },
    async (request) => listSettlements(app.yibao.store, request.query as Static<typeof SettlementQuery>),
  );
  app.get(
    "/settlements/:setlId",
    {
      config: routeAccess(ALL, "setlId"),
      schema: { params: Type.Object({ setlId: Type.String({ minLength: 1, maxLength: 60 }) }) },
    },
    async (request) => {
      const { setlId } = request.params as { setlId: string };
      const s = await getSettlement(app.yibao.store, setlId);
      if (!s) throw new HttpError("NOT_FOUND", `结算ID ${setlId} 没有结算记录`);
      return s;
    },
  );
}

/** 年终清算: the run, the years cleared, prepayments, statements and their export. */
function clearingRoutes(app: FastifyInstance): void {
  app.post(
    "/clearing",
    { config: routeAccess(BUREAU, "none", "年终清算"), schema: { body: ClearingBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof ClearingBody>;
      const budget = fen(b.budget, "budget");
      request.oplogDetail = { year: b.year, budgetFen: budget };
      const previous = await guard(() => getClearing(app.yibao.store, b.year));
      const r = await guard(() =>
        clearYearJob({
          store: app.yibao.store,
          year: b.year,
          budget,
          ...(b.policy ? { policy: b.policy } : {}),
          actor: actorOf(request),
        }),
      );
      request.oplogDetail = clearingChange(b.year, previous, r);
      return reply.status(201).send(r);
    },
  );
  // The years cleared so far: what the console asks before it opens a year's statements (a year not
  // cleared yet is then no failed request).
  app.get("/clearing", { config: routeAccess(ALL, "none") }, async () => ({
    years: await clearedYears(app.yibao.store),
  }));
  app.get(
    "/clearing/:year/prepaid",
    { config: routeAccess(["bureau", "reviewer", "admin"], "none"), schema: { params: YearParams } },
    async (request) => prepaidOfYear(app.yibao.store, (request.params as Static<typeof YearParams>).year),
  );
  app.get(
    "/clearing/:year",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: HospitalQuery } },
    async (request) => {
      const { year } = request.params as Static<typeof YearParams>;
      const { hospital } = request.query as Static<typeof HospitalQuery>;
      const c = await getClearing(app.yibao.store, year);
      if (!c) throw new HttpError("NOT_CLEARED", `${year} 年尚未清算`);
      // One hospital's statement (a hospital account always gets only its own): the region's
      // point value and totals stay, the other hospitals' rows and deductions do not.
      if (hospital === undefined) return c;
      return {
        ...c,
        hospitals: c.hospitals.filter((h) => h.hospitalId === hospital),
        rejectedDeductions: c.rejectedDeductions.filter((d) => d.hospitalId === hospital),
      };
    },
  );
  app.get(
    "/clearing/:year/export",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: ExportQuery } },
    async (request, reply) => {
      const { year } = request.params as Static<typeof YearParams>;
      const q = request.query as Static<typeof ExportQuery>;
      const format = q.format ?? "xlsx";
      const t = await guard(() => clearingStatement(app.yibao.store, year, q.hospital));
      const body = await render(t, format);
      const name = `clearing-${year}${q.hospital ? `-${q.hospital}` : ""}.${format}`;
      return sendStatementFile(reply, body, format, name);
    },
  );
}

/**
 * 特病单议: the candidates and the reviewer's own decision (核准 or 驳回); a pending hospital
 * application for the stay is settled with it (the applications: special-application-routes.ts).
 */
function specialCaseRoutes(app: FastifyInstance): void {
  app.get(
    "/special-cases",
    { config: routeAccess(ALL, "query"), schema: { querystring: HospitalQuery } },
    async (request) => ({
      items: await listSpecialCases(app.yibao.store, request.query as Static<typeof HospitalQuery>),
    }),
  );
  app.post(
    "/special-cases",
    {
      config: routeAccess(["reviewer", "bureau"], "none", "核准特病单议"),
      schema: { body: SpecialCaseBody },
    },
    async (request, reply) => {
      const b = request.body as Static<typeof SpecialCaseBody>;
      const amountFen = b.amount == null ? null : fen(b.amount, "amount");
      request.oplogDetail = { setlId: b.setlId, amountFen, reason: b.reason };
      const r = await guard(() =>
        approveSpecialCase(app.yibao.store, {
          setlId: b.setlId,
          amountFen,
          reason: b.reason,
          actor: actorOf(request),
        }),
      );
      await settlePendingApplication(app.yibao.store, {
        setlId: b.setlId,
        decision: "approved",
        reason: b.reason,
        amountFen,
        actor: actorOf(request),
      });
      const after = {
        specialReviewFen: r.settlement.specialReviewFen,
        points: r.settlement.points,
        fundPaymentFen: r.settlement.fundPaymentFen,
      };
      request.oplogDetail = {
        setlId: b.setlId,
        hospitalCode: r.settlement.hospitalCode,
        drg: r.settlement.drg,
        amountFen,
        reason: b.reason,
        runId: r.runId,
        before: r.before,
        after,
      };
      return reply.status(201).send(r);
    },
  );
  app.post(
    "/special-cases/reject",
    {
      config: routeAccess(["reviewer", "bureau"], "none", "驳回特病单议"),
      schema: { body: RejectBody },
    },
    async (request, reply) => {
      const b = request.body as Static<typeof RejectBody>;
      request.oplogDetail = { setlId: b.setlId, reason: b.reason };
      const r = await guard(() =>
        rejectSpecialCase(app.yibao.store, { setlId: b.setlId, reason: b.reason, actor: actorOf(request) }),
      );
      await settlePendingApplication(app.yibao.store, {
        setlId: b.setlId,
        decision: "rejected",
        reason: b.reason,
        actor: actorOf(request),
      });
      // Nothing is re-settled: the payment stays what it was.
      request.oplogDetail = {
        setlId: b.setlId,
        hospitalCode: r.hospitalCode,
        drg: r.drg,
        reason: b.reason,
        fundPaymentFen: r.fundPaymentFen,
      };
      return reply.status(201).send(r);
    },
  );
}

const AssessmentBody = Type.Object(
  {
    year: YearParam(),
    items: Type.Array(
      Type.Object(
        {
          hospital: Type.String({ minLength: 1, maxLength: 30 }),
          factor: Type.String({ pattern: "^\\d{1,2}(\\.\\d{1,6})?$" }),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);

/** 年终考核系数: recorded by the bureau, applied at clearing; a hospital sees its own. */
function assessmentRoutes(app: FastifyInstance): void {
  app.post(
    "/assessments",
    { config: routeAccess(BUREAU, "none", "登记年终考核系数"), schema: { body: AssessmentBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof AssessmentBody>;
      request.oplogDetail = {
        year: b.year,
        items: b.items.map(({ hospital, factor }) => ({ hospital, factor })),
      };
      const written = await guard(() =>
        recordAssessments(app.yibao.store, b.year, b.items, actorOf(request)),
      );
      return reply.status(201).send({ written });
    },
  );
  app.get(
    "/assessments/:year",
    { config: routeAccess(ALL, "query"), schema: { params: YearParams, querystring: HospitalQuery } },
    async (request) => {
      const { year } = request.params as Static<typeof YearParams>;
      const { hospital } = request.query as Static<typeof HospitalQuery>;
      return { items: await listAssessments(app.yibao.store, year, hospital) };
    },
  );
}

/** Audit deductions (审核扣款) recorded against a hospital's year, applied at clearing. */
function deductionRoutes(app: FastifyInstance): void {
  app.post(
    "/audit-deductions",
    { config: routeAccess(BUREAU, "none", "登记审核扣款"), schema: { body: DeductionBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof DeductionBody>;
      const items = b.items.map((d, i) => ({
        hospitalCode: d.hospital,
        year: d.year,
        amountFen: fen(d.amount, `items[${i}].amount`),
        reason: d.reason,
        findingId: d.findingId ?? null,
      }));
      request.oplogDetail = {
        items: items.map(({ reason: _reason, ...item }) => item),
        amountFen: items.reduce((sum, d) => sum + d.amountFen, 0),
      };
      const added = await guard(() => recordAuditDeductions(app.yibao.store, items));
      request.oplogDetail = { ...request.oplogDetail, added };
      return reply.status(201).send({ added });
    },
  );
}

/** The payment routes (without prefix). */
export function paymentRoutes(options: PaymentPluginOptions = {}): FastifyPluginAsync {
  return async (app) => {
    versionRoutes(app, "/policies", "policy");
    versionRoutes(app, "/weight-tables", "weights");
    versionRoutes(app, "/benefit-policies", "benefit");
    app.get("/dip-catalogues", { config: routeAccess(ALL, "none") }, async () => ({
      items: await listVersions(app.yibao.store, "dip"),
    }));
    versionRoutes(app, "/dip-policies", "dipPolicy");
    dipRoutes(app);
    hospitalRoutes(app);
    runRoutes(app);
    settlementRoutes(app);
    clearingRoutes(app);
    specialCaseRoutes(app);
    specialApplicationRoutes(app);
    deductionRoutes(app);
    assessmentRoutes(app);
    app.get("/seed-002", { config: routeAccess(ALL, "none") }, async () => {
      const results = await runSeed002Dir(options.examplesDir ?? "examples/seed-002");
      return { allMatch: allMatch(results), report: formatSeed002Report(results), results };
    });
  };
}

/** The payment plugin for `buildServer({ plugins })`, at /api/v1/payment. */
export function paymentPlugin(options: PaymentPluginOptions = {}): ServerPlugin {
  return { name: "payment", plugin: paymentRoutes(options), prefix: "/api/v1/payment" };
}
