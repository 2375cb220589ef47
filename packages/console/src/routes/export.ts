/**
 * Excel 导出: any table of the console. The data comes from the console's own GET endpoint,
 * requested again with the caller's cookie, so every access rule holds for the export too.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { codeForStatus, HttpError, isErrorCode, recordOperation, statusOf } from "@yibao/server";
import { listHospitals } from "@yibao/store";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { type ExportColumn, parseExportColumns, sourcePages, streamWorkbook } from "../export.js";
import { ALL, access, type ConsoleRouteOptions, readablePath } from "./shared.js";

const ExportQuery = Type.Object(
  {
    path: Type.String({ pattern: "^/api/v1/", maxLength: 2000 }),
    columns: Type.String({ maxLength: 8000 }),
    filename: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);

/** The export's source path and columns, checked: a 400 for anything else. */
function checkedSource(path: string, columnsText: string): ExportColumn[] {
  // The source is requested again below as this user, through the access layer; still, only a
  // plain path of this API is taken (no encoded or relative segments, no other host).
  const pathname = path.split("?")[0] ?? "";
  if (!/^\/api\/v1\/[A-Za-z0-9/_-]+$/.test(pathname) || pathname.includes("//"))
    throw new HttpError("INVALID_REQUEST", "导出的数据源路径不合法");
  if (pathname.startsWith("/api/v1/console/export"))
    throw new HttpError("INVALID_REQUEST", "不能导出导出接口本身");
  try {
    return parseExportColumns(columnsText);
  } catch (e) {
    throw new HttpError("INVALID_REQUEST", (e as Error).message);
  }
}

/**
 * Every page of the source, requested as this user (so every access rule holds), one at a time.
 * The first page is read before the answer starts, so that a refused source is still a 4xx.
 */
async function sourceRows(app: Pick<FastifyInstance, "inject">, cookie: string, path: string) {
  const fetchJson = async (url: string) => {
    const res = await app.inject({
      method: "GET",
      url,
      headers: { cookie },
    });
    if (res.statusCode !== 200) {
      // The source's own refusal, relayed: its code (so its status) and its message.
      const body = res.json() as { code?: unknown; message?: string };
      const code =
        isErrorCode(body.code) && statusOf(body.code) === res.statusCode
          ? body.code
          : codeForStatus(res.statusCode);
      throw new HttpError(code, body.message ?? "导出的数据源不可用");
    }
    return res.json() as unknown;
  };
  const pages = sourcePages(path, fetchJson);
  const first = await pages.next();
  async function* all() {
    if (!first.done) yield first.value;
    yield* pages;
  }
  return all();
}

export function exportRoutes(
  options: Pick<ConsoleRouteOptions, "identity" | "storeDb">,
): FastifyPluginAsyncTypebox {
  const { identity, storeDb } = options;
  return async (app) => {
    app.get(
      "/export",
      { config: access(ALL, "handler"), schema: { querystring: ExportQuery } },
      async (request, reply) => {
        const { path } = request.query;
        const columns = checkedSource(path, request.query.columns);
        const pages = await sourceRows(app, request.headers.cookie ?? "", path);
        const names = new Map((await listHospitals(storeDb)).map((h) => [h.code, h.name]));
        const { stream, done } = streamWorkbook(columns, pages, names);
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
