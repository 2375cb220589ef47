/**
 * 结算清单上传与查询:
 * - POST /api/v1/settlement-lists — one 4101/4101A envelope or a JSON array of them;
 * - GET  /api/v1/settlement-lists — query by hospital, period, status, DRG, with paging;
 * - POST /api/v1/settlement-lists/history — 历史清单导入 (bureau only): the same body, each list with its
 *   original upload time (`uploaded_at`, or `?uploadedAt=` for the batch), against which the upload
 *   deadline is checked (see `history-import.ts`);
 * - GET  /api/v1/settlement-lists/:setlId — one list with findings, history and refused uploads.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { HttpError } from "../errors.js";
import {
  countSources,
  type HistoryEnvelope,
  historyEnvelope,
  parseUploadTime,
  statedUploadTimeProblem,
} from "../history-import.js";
import { uploadJournal } from "../identity/access.js";
import { codeTypeError, ingestLists } from "../intake.js";
import { ListFilterParams } from "../query-schemas.js";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import { PERIOD_PATTERN, periodRange } from "./query.js";

const DIGITS = "^[0-9]{1,9}$";

const ListQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodFrom: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodTo: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    ...ListFilterParams(),
    limit: Type.Optional(Type.String({ pattern: DIGITS })),
    offset: Type.Optional(Type.String({ pattern: DIGITS })),
  },
  { additionalProperties: false },
);

const HistoryQuery = Type.Object(
  { uploadedAt: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) },
  { additionalProperties: false },
);

const SetlIdParams = Type.Object({ setlId: Type.String({ minLength: 1, maxLength: 30 }) });

/** The operation log's detail of an upload, and the event other areas' projections follow. */
function noteUpload(
  app: FastifyInstance,
  request: FastifyRequest,
  envelopes: readonly unknown[],
  stored: number,
  extra?: Record<string, unknown>,
): void {
  request.oplogDetail = {
    ...(extra ?? {}),
    count: envelopes.length,
    stored,
    setlIds: envelopes.slice(0, 50).map((e) => {
      const id = (e as { input?: { setlinfo?: { setl_id?: unknown } } } | null)?.input?.setlinfo?.setl_id;
      return typeof id === "string" ? id : null;
    }),
  };
  if (stored > 0) app.yibao.events.emit("listsChanged", { count: stored });
}

type IngestResults = Awaited<ReturnType<typeof ingestLists>>;

/** The answer to a batch upload: counts and each list's result; a 503 when the store kept none. */
function batchReply(results: IngestResults) {
  const stored = results.filter((r) => r.stored).length;
  if (stored === 0 && results.some((r) => r.storeError)) {
    throw new HttpError("STORE_UNAVAILABLE", "数据库暂不可用，本批清单均未保存，请稍后重试");
  }
  return {
    count: results.length,
    accepted: results.filter((r) => r.accepted).length,
    refused: results.filter((r) => !r.accepted).length,
    results,
  };
}

/** A single message whose envelope is not a 4101 message: refused with each structural finding. */
function invalidMessage(findings: readonly { field: string; message: string }[]): HttpError {
  return new HttpError(
    "INVALID_MESSAGE",
    `报文结构不正确：${findings.map((f) => `${f.field} ${f.message}`).join("；")}`,
    findings.map((f) => ({ field: f.field, message: f.message })),
  );
}

/** The upload time the bureau states for a whole history import (`?uploadedAt=`), checked. */
function statedUploadTime(text: string | undefined, receivedAt: Date) {
  if (text === undefined) return undefined;
  const field = "查询参数.uploadedAt";
  const problem = statedUploadTimeProblem(text, field, receivedAt);
  if (problem) throw new HttpError("INVALID_UPLOAD_TIME", problem, [{ field, message: problem }]);
  return { at: parseUploadTime(text) as Date, text, field };
}

export const settlementListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { maxListsPerRequest } = app.yibao;
  // Envelopes are checked one by one by the QC rules, so that one bad list in an array does not
  // refuse the others; the schema only fixes the outer shape.
  const UploadBody = Type.Union([
    Type.Object({}, { additionalProperties: true }),
    Type.Array(Type.Unknown(), { minItems: 1, maxItems: maxListsPerRequest }),
  ]);

  app.post(
    "/",
    {
      config: {
        ...routeAccess(["hospital", "bureau", "admin"], "envelopes", {
          action: "上传结算清单",
          machine: true,
        }),
        // Bad text refuses only its own list (QC-FMT-008), not the whole batch.
        perListChecks: true,
      },
      schema: { body: UploadBody },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      const typeError = codeTypeError(body);
      if (typeError) throw typeError;
      const receivedAt = new Date();
      if (Array.isArray(body)) {
        const results = await ingestLists(app.yibao, body, receivedAt, request.log, uploadJournal(request));
        noteUpload(app, request, body, results.filter((r) => r.stored).length);
        return reply.send(batchReply(results));
      }
      const [result] = await ingestLists(app.yibao, [body], receivedAt, request.log, uploadJournal(request));
      if (!result) throw new Error("ingestLists returned no result");
      noteUpload(app, request, [body], result.stored ? 1 : 0);
      if (result.envelopeInvalid) throw invalidMessage(result.findings);
      if (result.storeError)
        throw new HttpError("STORE_UNAVAILABLE", "数据库暂不可用，清单未保存，请稍后重试");
      return reply.send(result);
    },
  );

  app.post(
    "/history",
    {
      config: {
        // The bureau's own operation: a hospital re-sends through the bureau, never states its own times.
        ...routeAccess(["bureau"], "envelopes", { action: "历史清单导入" }),
        perListChecks: true,
      },
      schema: { body: UploadBody, querystring: HistoryQuery },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      const typeError = codeTypeError(body);
      if (typeError) throw typeError;
      const receivedAt = new Date();
      const statedText = request.query.uploadedAt;
      const stated = statedUploadTime(statedText, receivedAt);
      const envelopes = Array.isArray(body) ? body : [body];
      const history: HistoryEnvelope[] = envelopes.map((e) => historyEnvelope(e, stated, receivedAt));
      const detail = {
        historyImport: true,
        lists: envelopes.length,
        uploadTimeSources: countSources(history.map((h) => h.upload)),
        ...(statedText !== undefined ? { statedUploadedAt: statedText } : {}),
      };
      const results = await ingestLists(
        app.yibao,
        envelopes,
        receivedAt,
        request.log,
        uploadJournal(request, detail),
        history,
      );
      noteUpload(app, request, envelopes, results.filter((r) => r.stored).length, detail);
      const problem = history[0]?.problem;
      if (!Array.isArray(body) && problem) {
        throw new HttpError("INVALID_UPLOAD_TIME", problem.message, [
          { field: problem.field, message: problem.message },
        ]);
      }
      const [only] = results;
      if (!Array.isArray(body) && only?.envelopeInvalid) throw invalidMessage(only.findings);
      return reply.send(batchReply(results));
    },
  );

  app.get(
    "/",
    { config: routeAccess(PLATFORM_ROLES, "query", { machine: true }), schema: { querystring: ListQuery } },
    async (request) => {
      const q = request.query;
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (limit < 1 || limit > 1000)
        throw new HttpError("INVALID_REQUEST", "查询参数 limit 应在 1–1000 之间");
      const offset = q.offset === undefined ? 0 : Number(q.offset);
      const page = await app.yibao.store.listSettlementLists({
        ...(q.hospital !== undefined ? { hospital: q.hospital } : {}),
        ...periodRange(q),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.drg !== undefined ? { drg: q.drg } : {}),
        ...(q.groupStatus !== undefined ? { groupStatus: q.groupStatus } : {}),
        limit,
        offset,
      });
      return { total: page.total, limit, offset, items: page.items };
    },
  );

  app.get(
    "/:setlId",
    { config: routeAccess(PLATFORM_ROLES, "setlId", { machine: true }), schema: { params: SetlIdParams } },
    async (request) => {
      const detail = await app.yibao.store.getSettlementList(request.params.setlId);
      if (!detail) throw new HttpError("NOT_FOUND", `结算清单不存在：setl_id=${request.params.setlId}`);
      return detail;
    },
  );
};
