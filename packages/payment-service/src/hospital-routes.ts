/**
 * 医院主数据 API (issue 12 item 4), under /api/v1/payment: the master data in force on a date (a hospital
 * account sees its own row), each hospital's editions with who, why, from where and when (the audit
 * trail; a hospital account only its own), and the bureau's new editions through JSON or an Excel
 * import, with the Excel export of a date's rows to edit. The rules of an edition are in
 * hospital-editions.ts; which edition pays a stay is in hospital-data.ts.
 */
import { isIsoDate } from "@yibao/kernel/calendar";
import { HttpError, requirePrincipal, routeAccess } from "@yibao/server";
import { DATE_PATTERN } from "@yibao/server/query-schemas";
import { listHospitals } from "@yibao/store";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import {
  type HospitalEdition,
  type HospitalEditions,
  listHospitalEditions,
  loadHospitalEditions,
  SINCE_ALWAYS,
  todayInChina,
} from "./hospital-data.js";
import {
  HospitalEditionError,
  type HospitalEditionRequest,
  type HospitalEditionResult,
  saveHospitalEdition,
} from "./hospital-editions.js";
import { type HospitalExportRow, hospitalWorkbook, readHospitalWorkbook } from "./hospital-excel.js";
import { ALL, actorOf, BUREAU, guard, sendStatementFile } from "./http.js";

const Code = Type.String({ minLength: 1, maxLength: 30 });
const OnQuery = Type.Object(
  {
    on: Type.Optional(
      Type.String({ pattern: DATE_PATTERN, description: "日期 yyyy-MM-dd，默认今天（北京时间）" }),
    ),
    hospital: Type.Optional(Code),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(
  { on: Type.Optional(Type.String({ pattern: DATE_PATTERN })) },
  { additionalProperties: false },
);
const EditionHeader = {
  effectiveFrom: Type.String({ pattern: DATE_PATTERN, description: "生效日期，今天或以后（北京时间）" }),
  reason: Type.String({ minLength: 1, maxLength: 500, description: "变更原因" }),
};
const EditionBody = Type.Object(
  {
    ...EditionHeader,
    rows: Type.Array(
      Type.Object(
        {
          code: Type.String({ maxLength: 60 }),
          name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
          level: Type.String({ maxLength: 20 }),
          benefitClass: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
          paymentMethod: Type.String({ maxLength: 10 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
/** An .xlsx of up to about 6 MB (base64 is 4/3 of the bytes): far above a region's hospitals. */
const MAX_FILE_BASE64 = 8_000_000;
const ImportBody = Type.Object(
  {
    ...EditionHeader,
    file: Type.String({
      minLength: 1,
      maxLength: MAX_FILE_BASE64,
      description: "Excel（.xlsx）文件的 base64",
    }),
  },
  { additionalProperties: false },
);
const CodeParams = Type.Object({ code: Code });

const methodName = (m: string): "DRG" | "DIP" => (m === "dip" ? "DIP" : "DRG");

/** The date asked for (`on`), checked to be a real date; default today in China. */
function dateOf(on: string | undefined): string {
  if (on === undefined) return todayInChina();
  if (!isIsoDate(on)) throw new HttpError("INVALID_INPUT", `on：不是有效日期（收到「${on}」）`);
  return on;
}

/** A row in force on a date, with the edition it comes from (its date and audit trail). */
type RowOn = HospitalExportRow &
  Pick<HospitalEdition, "effectiveFrom" | "editionId" | "source" | "actor" | "createdAt"> & {
    sinceAlways: boolean;
  };

/**
 * The rows in force on `on` with each hospital's name (of `hospital` only, when given), each with
 * where its edition came from, who saved it and when (the table of the console's 医院主数据 page).
 */
async function rowsOn(app: FastifyInstance, editions: HospitalEditions, on: string, hospital?: string) {
  const names = new Map(
    (await listHospitals(app.yibao.store.db, { code: hospital ?? null })).map((h) => [h.code, h.name]),
  );
  const out: RowOn[] = [];
  for (const code of editions.codes()) {
    if (hospital !== undefined && code !== hospital) continue;
    const e = editions.editionOn(code, on);
    if (e === undefined) continue;
    out.push({
      code,
      name: names.get(code) ?? null,
      level: e.level,
      benefitClass: e.benefitClass,
      paymentMethod: methodName(e.paymentMethod),
      effectiveFrom: e.effectiveFrom,
      sinceAlways: e.effectiveFrom === SINCE_ALWAYS,
      editionId: e.editionId,
      source: e.source,
      actor: e.actor,
      createdAt: e.createdAt,
    });
  }
  return out;
}

/** An edition as the history shows it. */
function historyItem(e: HospitalEdition, all: readonly HospitalEdition[], current: number | undefined) {
  return {
    editionId: e.editionId,
    effectiveFrom: e.effectiveFrom,
    sinceAlways: e.effectiveFrom === SINCE_ALWAYS,
    level: e.level,
    benefitClass: e.benefitClass,
    paymentMethod: methodName(e.paymentMethod),
    actor: e.actor,
    reason: e.reason,
    source: e.source,
    createdAt: e.createdAt,
    /** A later saved edition with the same effective date replaced it before it could pay anything else. */
    superseded: all.some((x) => x.effectiveFrom === e.effectiveFrom && x.editionId > e.editionId),
    inForceToday: e.editionId === current,
  };
}

/** Saves an edition; a refused one is a 400 listing every problem (`details`: field and rule). */
async function save(request: FastifyRequest, app: FastifyInstance, req: HospitalEditionRequest) {
  const r = await guard(async () => {
    try {
      return await saveHospitalEdition(app.yibao.store, req);
    } catch (e) {
      if (e instanceof HospitalEditionError)
        throw new HttpError("INVALID_INPUT", e.message, e.problems.slice(0, 200));
      throw e;
    }
  });
  request.oplogDetail = oplogOf(req, r);
  return r;
}

function oplogOf(req: HospitalEditionRequest, r: HospitalEditionResult): Record<string, unknown> {
  return {
    effectiveFrom: req.effectiveFrom,
    reason: req.reason,
    source: req.source,
    rows: req.rows.length,
    changed: r.changed,
    unchanged: r.unchanged,
    added: r.added,
    changes: r.changes.slice(0, 100),
  };
}

/** The hospital master-data routes (see the file's comment). */
export function hospitalRoutes(app: FastifyInstance): void {
  app.get(
    "/hospitals",
    { config: routeAccess(ALL, "query"), schema: { querystring: OnQuery } },
    async (request) => {
      const q = request.query as Static<typeof OnQuery>;
      const on = dateOf(q.on);
      const items = await rowsOn(app, await loadHospitalEditions(app.yibao.store), on, q.hospital);
      return { on, items };
    },
  );
  app.get(
    "/hospitals/:code/history",
    { config: routeAccess(ALL, "handler"), schema: { params: CodeParams } },
    async (request) => {
      const { code } = request.params as Static<typeof CodeParams>;
      const principal = requirePrincipal(request);
      if (principal.role === "hospital" && principal.hospitalCode !== code)
        throw new HttpError("FORBIDDEN", "医院账号只能查看本院数据");
      const all = await listHospitalEditions(app.yibao.store, code);
      if (all.length === 0) throw new HttpError("NOT_FOUND", `医院 ${code} 没有医院主数据版本`);
      const today = todayInChina();
      const current = [...all].reverse().find((e) => e.effectiveFrom <= today)?.editionId;
      const [h] = await listHospitals(app.yibao.store.db, { code });
      return { code, name: h?.name ?? null, items: all.map((e) => historyItem(e, all, current)) };
    },
  );
  app.get(
    "/hospitals/export",
    { config: routeAccess(BUREAU, "none"), schema: { querystring: ExportQuery } },
    async (request, reply) => {
      const on = dateOf((request.query as Static<typeof ExportQuery>).on);
      const rows = await rowsOn(app, await loadHospitalEditions(app.yibao.store), on);
      return sendStatementFile(reply, await hospitalWorkbook(rows), "xlsx", `hospitals-${on}.xlsx`);
    },
  );
  app.post(
    "/hospitals/editions",
    { config: routeAccess(BUREAU, "none", "保存医院主数据版本"), schema: { body: EditionBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof EditionBody>;
      const r = await save(request, app, {
        effectiveFrom: b.effectiveFrom,
        reason: b.reason,
        rows: b.rows,
        actor: actorOf(request),
        source: "api",
      });
      return reply.status(r.changed > 0 ? 201 : 200).send(r);
    },
  );
  app.post(
    "/hospitals/import",
    { config: routeAccess(BUREAU, "none", "导入医院主数据"), schema: { body: ImportBody } },
    async (request, reply) => {
      const b = request.body as Static<typeof ImportBody>;
      const wb = await readHospitalWorkbook(b.file);
      if (wb.problems.length > 0)
        throw new HttpError("INVALID_INPUT", new HospitalEditionError(wb.problems).message, wb.problems);
      const r = await save(request, app, {
        effectiveFrom: b.effectiveFrom,
        reason: b.reason,
        rows: wb.rows,
        actor: actorOf(request),
        source: "excel",
        labels: wb.labels,
      });
      return reply.status(r.changed > 0 ? 201 : 200).send(r);
    },
  );
}
