/**
 * Serving the built single-page console (packages/web/dist) with @fastify/static's `sendFile` from two
 * public routes of our own (so that they declare their policy like every other route); client routes
 * fall back to index.html, unknown /api paths stay JSON 404s. Security headers on every page.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import { PUBLIC_ROUTE, sendError } from "@yibao/server";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";

/** packages/web/dist, next to this package. */
export function defaultWebDist(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

const MISSING = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>医保平台</title>
<body><h1>控制台前端尚未构建</h1><p>请运行 <code>npm run build -w packages/web</code> 后重启服务。</p></body></html>`;

export function spaPlugin(webDist: string = defaultWebDist()): FastifyPluginAsync {
  return async (app) => {
    app.addHook("onSend", async (_request, reply, payload) => {
      reply.header("x-content-type-options", "nosniff");
      reply.header("x-frame-options", "DENY");
      reply.header("referrer-policy", "same-origin");
      if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) {
        reply.header("content-security-policy", CSP);
      }
      return payload;
    });
    const built = existsSync(resolve(webDist, "index.html"));
    if (built) {
      await app.register(fastifyStatic, {
        root: webDist,
        serve: false,
        index: false,
        cacheControl: false,
      });
    }
    const root = resolve(webDist);
    /** The built file a path names, if it is one (never outside the build directory). */
    const fileOf = (path: string): string | null => {
      if (!built || path === "" || path.includes("\0")) return null;
      const full = resolve(root, path);
      if (!full.startsWith(root + sep)) return null;
      try {
        return statSync(full).isFile() ? full.slice(root.length + 1) : null;
      } catch {
        return null;
      }
    };
    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = (request.params as { "*"?: string })["*"] ?? "";
      if (path === "api" || path.startsWith("api/")) {
        return sendError(reply, "NOT_FOUND", "接口不存在");
      }
      const file = fileOf(path);
      if (file) return reply.sendFile(file);
      reply.header("cache-control", "no-cache");
      if (!built) return reply.type("text/html; charset=utf-8").send(MISSING);
      return reply.type("text/html; charset=utf-8").sendFile("index.html");
    };
    app.get("/", { config: PUBLIC_ROUTE }, serve);
    app.get("/*", { config: PUBLIC_ROUTE }, serve);
  };
}
