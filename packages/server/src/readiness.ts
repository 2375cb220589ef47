/**
 * 启动准备 (start-up readiness). A server may listen before it is ready: `yibao serve --demo` opens its
 * port at once and loads, settles and audits the demo region afterwards. Until then every API route
 * answers 503 with code `STARTING`, the step under way and `Retry-After`, while `/healthz` and the web
 * console's pages are served, so a browser shows the progress instead of a refused connection. The
 * decision is made on the route Fastify matched (its URL pattern), never on the request's URL text.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "./errors.js";

export type ReadinessState = "starting" | "ready" | "failed";

/** Where the start-up stands (mutable: the warm-up reports its steps into it). */
export interface Readiness {
  state: ReadinessState;
  /** What is being done, in Chinese (e.g. 「正在载入演示地区：1200/4000」). */
  step: string;
  /** Why the warm-up failed (state `failed`). */
  failure?: string;
}

export function readyNow(): Readiness {
  return { state: "ready", step: "" };
}

/** Seconds a client is asked to wait before trying again while the server starts. */
export const STARTING_RETRY_AFTER_S = 3;

/**
 * Answers a request to an API route (matched pattern under `/api/`) while the server is not ready.
 * Returns whether it answered; routes outside `/api/` (health, web pages) are always served.
 */
export function refuseWhileNotReady(
  readiness: Readiness,
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  if (readiness.state === "ready") return false;
  const pattern = request.routeOptions.url;
  if (pattern === undefined || !pattern.startsWith("/api/")) return false;
  if (readiness.state === "failed") {
    sendError(
      reply,
      "STARTUP_FAILED",
      `平台启动失败：${readiness.failure ?? "原因未知"}。请查看服务日志后重新启动`,
    );
    return true;
  }
  reply.header("retry-after", String(STARTING_RETRY_AFTER_S));
  sendError(reply, "STARTING", `平台正在启动，请稍候：${readiness.step || "正在准备"}`, {
    step: readiness.step,
  });
  return true;
}
