/**
 * 输入防护 (input guard), for every route of every area: a query-string or path parameter holding
 * U+0000 or an unpaired surrogate (neither can reach PostgreSQL as it is), a JSON body with such text
 * in any field name or value, and a JSON body nested deeper than any request of the platform needs,
 * are refused with a 400 naming the parameter, field or problem, before validation and before any
 * handler or database sees them. The intake route (`config.perListChecks`) checks bad text list by
 * list instead, so that one bad list does not refuse the batch.
 */
import { unstorableTextProblem } from "@yibao/settlement/text";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "./errors.js";

/** Deepest JSON body accepted (a 4101 array needs 5 levels; every other request fewer). */
export const MAX_BODY_DEPTH = 64;

/**
 * The first problem of a parameter set (`request.query` or `request.params`): `{ name, problem }`, or
 * null. Over HTTP only U+0000 (`%00`) arrives this way (Fastify keeps undecodable `%ED%A0%80` as text
 * and turns a raw lone surrogate into U+FFFD); unpaired surrogates are checked all the same.
 */
export function parameterProblem(values: unknown): { name: string; problem: string } | null {
  if (typeof values !== "object" || values === null) return null;
  for (const [name, v] of Object.entries(values)) {
    const keyProblem = unstorableTextProblem(name);
    if (keyProblem !== null)
      return { name: JSON.stringify(name).slice(1, -1), problem: `名称含${keyProblem}` };
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s !== "string") continue;
      const problem = unstorableTextProblem(s);
      if (problem !== null) return { name, problem: `含有不允许的字符（${problem}）` };
    }
  }
  return null;
}

/** The nesting depth of a JSON value, up to `limit + 1` (the walk stops there); no recursion. */
export function jsonDepthOver(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stack: { v: object; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: object; depth: number };
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === "object" && c !== null) stack.push({ v: c, depth: depth + 1 });
  }
  return false;
}

/** The first field of a JSON body whose name or text PostgreSQL cannot hold: `{ path, problem }`, or null. */
export function bodyTextProblem(value: unknown): { path: string; problem: string } | null {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: string };
    if (typeof v === "string") {
      const problem = unstorableTextProblem(v);
      if (problem !== null) return { path: path || "$", problem };
    } else if (typeof v === "object" && v !== null) {
      const entries: [string, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as [string, unknown])
        : Object.entries(v);
      for (const [k, c] of entries) {
        const keyProblem = unstorableTextProblem(k);
        const at = path ? `${path}.${k}` : k;
        if (keyProblem !== null)
          return { path: JSON.stringify(at).slice(1, -1), problem: `名称含${keyProblem}` };
        stack.push({ v: c, path: at });
      }
    }
  }
  return null;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The handler checks bad text itself, list by list (settlement-list intake). */
    perListChecks?: boolean;
  }
}

function refuse(
  reply: FastifyReply,
  code: "INVALID_PARAMETER" | "BODY_TOO_DEEP" | "INVALID_TEXT",
  message: string,
  field: string,
): FastifyReply {
  return sendError(reply, code, message, { details: [{ field, message }] });
}

/** Installs the guard on the root instance (before the areas' plugins, so it covers every route). */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request: FastifyRequest, reply: FastifyReply) => {
    const q = parameterProblem(request.query);
    if (q) return refuse(reply, "INVALID_PARAMETER", `查询参数 ${q.name} ${q.problem}`, `查询参数.${q.name}`);
    const p = parameterProblem(request.params);
    if (p) return refuse(reply, "INVALID_PARAMETER", `路径参数 ${p.name} ${p.problem}`, `路径参数.${p.name}`);
    if (jsonDepthOver(request.body, MAX_BODY_DEPTH)) {
      return refuse(
        reply,
        "BODY_TOO_DEEP",
        `请求体 JSON 嵌套过深（超过 ${MAX_BODY_DEPTH} 层），无法处理`,
        "请求体",
      );
    }
    if (!request.routeOptions.config?.perListChecks) {
      const b = bodyTextProblem(request.body);
      if (b) {
        return refuse(
          reply,
          "INVALID_TEXT",
          `请求体字段 ${b.path} 含有不允许的字符（${b.problem}）`,
          `请求体.${b.path}`,
        );
      }
    }
  });
}
