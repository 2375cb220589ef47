import type { FastifyInstance } from "fastify";

/** One route the application serves (路由). */
export interface ServedRoute {
  readonly method: string;
  /** The route's pattern, e.g. `/api/v1/settlement-lists/:setlId`. */
  readonly url: string;
}

/**
 * Every route the application serves under `prefix` (default `/api/`), read from Fastify's own route
 * tree, HEAD left out: what access tests walk to try each route with each role.
 */
export function servedRoutes(app: FastifyInstance, prefix = "/api/"): ServedRoute[] {
  const stack: string[] = [];
  const seen = new Set<string>();
  const out: ServedRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = line.match(/^(.*?)(?:└── |├── )(\S+) \(([A-Z, ]+)\)/);
    if (!m?.[2] || !m[3]) continue;
    const depth = Math.floor((m[1] ?? "").length / 4);
    stack.length = depth;
    const url = (stack[depth - 1] ?? "") + m[2];
    stack[depth] = url;
    const path = url.length > 1 && url.endsWith("/") ? url.slice(0, -1) : url;
    if (!path.startsWith(prefix)) continue;
    for (const method of m[3].split(",").map((x) => x.trim())) {
      const key = `${method} ${path}`;
      if (method === "HEAD" || seen.has(key)) continue;
      seen.add(key);
      out.push({ method, url: path });
    }
  }
  return out;
}
