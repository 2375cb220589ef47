/**
 * Error replies (错误应答): every problem with a request is a 4xx with a Chinese message; only a fault
 * of the server itself is a 500, and then the client sees no internals.
 */

import { type FieldProblem, localizeSchemaErrors } from "@yibao/kernel/validation-zh";
import { isDatabaseUnavailable } from "@yibao/store";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  codeForStatus,
  type ErrorBody,
  type ErrorCode,
  type ErrorStatus,
  errorBody,
  statusOf,
} from "./error-catalogue.js";

/**
 * An error a route throws on purpose: a code of the catalogue (which fixes the status) and the Chinese
 * message for this request.
 */
export class HttpError extends Error {
  readonly statusCode: ErrorStatus;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody["details"],
  ) {
    super(message);
    this.name = "HttpError";
    this.statusCode = statusOf(code);
  }
}

/**
 * Sends an error reply with this code (its status from the catalogue), for hooks that answer without
 * throwing; `extra` adds field-level details or the start-up step.
 */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  extra?: { readonly details?: ErrorBody["details"]; readonly step?: string },
): FastifyReply {
  const { details, ...fields } = extra ?? {};
  const body = { ...errorBody(code, message, details), ...fields };
  return reply.status(body.statusCode).send(body);
}

const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "INVALID_JSON", message: "请求体不是合法的 JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "EMPTY_BODY", message: "请求体为空，应为 JSON" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "BODY_TOO_LARGE", message: "请求体过大" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "不支持的内容类型，请使用 Content-Type: application/json",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "INVALID_CONTENT_LENGTH",
    message: "Content-Length 与请求体长度不符",
  },
  FST_ERR_CTP_INVALID_TYPE: { code: "INVALID_CONTENT_TYPE", message: "Content-Type 不合法" },
  FST_ERR_CTP_INVALID_CONTENT_TYPE: { code: "INVALID_CONTENT_TYPE", message: "Content-Type 不合法" },
};

function validationDetails(err: FastifyError): FieldProblem[] {
  return localizeSchemaErrors(err.validation ?? [], err.validationContext ?? "body");
}

/** The reply for an error: status and body. */
export function errorReply(err: FastifyError | HttpError | Error): ErrorBody {
  if (err instanceof HttpError) return errorBody(err.code, err.message, err.details);
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = validationDetails(fe);
    return errorBody(
      "INVALID_REQUEST",
      `请求格式不正确：${details.map((d) => `${d.field}：${d.message}`).join("；")}`,
      details,
    );
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return errorBody(known.code, known.message);
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    // JSON syntax errors and prototype-poisoning attempts surface from the body parser as 400s.
    return errorBody("INVALID_JSON", "请求体不是合法的 JSON");
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Another 4xx of the framework or a plugin (e.g. a range @fastify/static cannot serve): the
    // catalogue's general code for its status.
    return errorBody(codeForStatus(fe.statusCode), "请求无效");
  }
  // PostgreSQL's data exceptions (SQLSTATE class 22: a number out of range, text it cannot hold, a
  // date that does not exist) come from values a request carried past its schema: the caller's to fix.
  if (typeof fe.code === "string" && /^22[0-9A-Z]{3}$/.test(fe.code) && "severity" in err) {
    return errorBody(
      "INVALID_VALUE",
      "请求中的数据超出允许的范围或格式（如数值过大、日期不存在），请检查后重试",
    );
  }
  if (isDatabaseUnavailable(err)) {
    // The database restarts or fails over: the client may retry; connections come back by themselves.
    return errorBody("STORE_UNAVAILABLE", "数据库暂不可用，请稍后重试");
  }
  return errorBody("INTERNAL_ERROR", "服务器内部错误，请稍后重试");
}

/** Installs the error and not-found handlers on the root instance. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = errorReply(err);
    if (body.statusCode >= 500) request.log.error({ err }, "请求处理失败");
    else request.log.info({ code: body.code, reason: err.message }, "请求被拒绝");
    return reply.status(body.statusCode).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, "NOT_FOUND", `接口不存在：${request.method} ${request.url.split("?")[0]}`),
  );
}
