/**
 * A small application with access control installed (the real `installAccessControl`) over the
 * fake identity database, with one route per kind of policy: the harness of mutation-access*.test.ts.
 */
import type { SaveOutcome } from "@yibao/store";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { HttpError, installErrorHandlers } from "../src/errors.js";
import {
  type Authenticator,
  installAccessControl,
  type Principal,
  requestTarget,
  requirePrincipal,
  uploadJournal,
} from "../src/identity/access.js";
import type { SessionPolicy } from "../src/identity/accounts.js";
import type { Role } from "../src/identity/tables.js";
import { type Readiness, readyNow } from "../src/readiness.js";
import { PUBLIC_ROUTE, routeAccess } from "../src/route-access.js";
import { type FakeIdentityDb, fakeIdentityDb } from "./fake-identity-db.js";

export const HOST = "yibao.test";
export const H1 = "H11010000001";
export const H2 = "H11010000002";

/** An API-key principal of `role` (of hospital `hospitalCode`). */
function keyPrincipal(role: Role, hospitalCode: string | null): Principal {
  const id = 90;
  return {
    id,
    username: "key",
    displayName: "接口",
    role,
    hospitalCode,
    via: "apiKey",
    keyId: "K1",
    mustChangePassword: false,
  };
}

export interface AccessApp {
  readonly app: FastifyInstance;
  readonly fake: FakeIdentityDb;
  readonly readiness: Readiness;
  /** `${method} ${status}` of each request the machine authenticator saw answered. */
  readonly keyUses: string[];
  /** The error-level log lines. */
  readonly logs: string[];
}

/** What a handler saw of the caller. */
function seen(request: FastifyRequest) {
  return {
    principal: request.principal,
    query: request.query,
    session: request.authSession?.tokenHash ?? null,
    target: requestTarget(request),
  };
}

export async function accessApp(sessionPolicy?: SessionPolicy): Promise<AccessApp> {
  const fake = fakeIdentityDb();
  const readiness = readyNow();
  const keyUses: string[] = [];
  const logs: string[] = [];
  // Requests with `x-test-key`: "bad" is refused, "boom" fails, "bureau" is a bureau key, any other
  // value a key of that hospital.
  const machine: Authenticator = {
    claims: (r) => typeof r.headers["x-test-key"] === "string",
    async authenticate(r) {
      const k = String(r.headers["x-test-key"]);
      if (k === "bad") throw new HttpError("UNAUTHENTICATED", "接口密钥无效");
      if (k === "boom") throw new Error("认证服务故障");
      return k === "bureau" ? keyPrincipal("bureau", null) : keyPrincipal("hospital", k);
    },
    async onResponse(r, reply) {
      if (r.headers["x-test-key"] === "H-failing-use") throw new Error("key-use table unavailable");
      keyUses.push(`${r.method} ${reply.statusCode}`);
    },
  };
  const app = Fastify({ logger: { level: "error", stream: { write: (line: string) => logs.push(line) } } });
  app.decorate<{ readiness: Readiness }, string>("yibao", { readiness });
  // The platform's own error handlers: a fault answers 500 with no internals, and is logged.
  installErrorHandlers(app);
  // Added before access control is installed: a route with no policy at all.
  app.get("/api/undeclared", async () => "ok");
  await installAccessControl(app, {
    db: fake.db,
    authenticators: [machine],
    ...(sessionPolicy ? { sessionPolicy } : {}),
  });
  const all: Role[] = ["bureau", "hospital", "reviewer", "admin"];
  app.get("/healthz", { config: PUBLIC_ROUTE }, async () => "ok");
  app.get("/api/public-who", { config: PUBLIC_ROUTE }, async (r) => requirePrincipal(r).username);
  app.get("/api/bureau", { config: routeAccess(["bureau"], "none") }, async (r) => seen(r));
  app.get("/api/who", { config: routeAccess(["bureau"], "none") }, async (r) => requirePrincipal(r).username);
  app.post("/", { config: routeAccess(["bureau"], "none") }, async (r) => seen(r));
  app.get("/api/lists", { config: routeAccess(["bureau", "hospital"], "setlId") }, async (r) => seen(r));
  app.post("/api/stored", { config: routeAccess(["bureau"], "none") }, async (r) => {
    r.oplogDetail = { stored: 2 };
    return seen(r);
  });
  app.get("/api/q", { config: routeAccess(["bureau", "hospital"], "query") }, async (r) => seen(r));
  app.get("/api/me", { config: routeAccess(all, "none", { beforePasswordChange: true }) }, async (r) =>
    seen(r),
  );
  app.get(
    "/api/machine",
    { config: routeAccess(["bureau", "hospital"], "none", { machine: true }) },
    async (r) => seen(r),
  );
  const change = routeAccess(["bureau", "hospital"], "none", { action: "改动", machine: true });
  app.post("/api/change", { config: change }, async (r) => seen(r));
  app.post("/api/plain/:id", { config: routeAccess(["bureau"], "none") }, async (r) => seen(r));
  app.get("/api/lists/:setlId", { config: routeAccess(["bureau", "hospital"], "setlId") }, async (r) =>
    seen(r),
  );
  const envelopes = routeAccess(["bureau", "hospital"], "envelopes", { machine: true });
  app.post("/api/v1/settlement-lists", { config: envelopes }, async (r) => seen(r));
  app.post("/api/v1/qc/check", { config: envelopes }, async (r) => seen(r));
  app.post("/api/journaled", { config: routeAccess(["bureau"], "none") }, async (r) => {
    r.oplogDetail = { stored: 1 };
    r.oplogJournaled = true;
    return seen(r);
  });
  app.post("/api/unjournaled", { config: routeAccess(["bureau"], "none") }, async (r) => {
    r.oplogDetail = { stored: 0, n: 2 };
    r.oplogJournaled = true;
    return seen(r);
  });
  app.get("/api/files/*", { config: routeAccess(["bureau"], "none") }, async (r) => seen(r));
  app.get("/api/slash/:a/", { config: routeAccess(["bureau"], "none") }, async (r) => seen(r));
  app.post(
    "/api/journal",
    { config: routeAccess(["bureau", "hospital"], "none", { machine: true }) },
    async (r) => {
      const ids = (r.body as { ids: string[] }).ids;
      const outcomes: SaveOutcome[] = ids.map((setlId, i) => ({
        setlId,
        outcome: i === 0 ? "replaced" : "inserted",
        status: "accepted",
        version: 1,
      }));
      // The fake database's transaction stands in for the list transaction.
      await fake.storeDb
        .transaction()
        .execute((trx) => uploadJournal(r, { import: true }).write(trx, outcomes));
      return { journaled: r.oplogJournaled };
    },
  );
  app.post("/api/journal-public", { config: PUBLIC_ROUTE }, async (r) => {
    await fake.storeDb.transaction().execute((trx) => uploadJournal(r).write(trx, []));
    return { journaled: r.oplogJournaled };
  });
  await app.ready();
  return { app, fake, readiness, keyUses, logs };
}

/** Lets the onResponse hooks (operation log, key use) finish. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
