/**
 * The error catalogue (issue 11): every code has one error status and a Chinese title; no source file
 * picks a status for an error reply itself; docs/errors.md is the catalogue, exactly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  codeForStatus,
  ERROR_CATALOGUE,
  errorBody,
  errorCatalogueMarkdown,
  errorReply,
  HttpError,
  isErrorCode,
  statusOf,
} from "../src/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A literal error status (4xx/5xx) given to a reply, an error body or an error class. */
const LITERAL_STATUS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: "reply.status(4xx/5xx)", pattern: /\.(?:status|code)\(\s*[45]\d\d\s*\)/g },
  { what: "statusCode: 4xx/5xx", pattern: /\bstatusCode\s*:\s*[45]\d\d\b/g },
  { what: "statusCode = 4xx/5xx", pattern: /\bstatusCode\s*=\s*[45]\d\d\b/g },
  { what: "status: 4xx/5xx", pattern: /\bstatus\s*:\s*[45]\d\d\b/g },
  { what: "new HttpError(<number>", pattern: /new\s+HttpError\(\s*\d/g },
];

/** Files that may hold a literal error status, and why. */
const ALLOWED: Readonly<Record<string, string>> = {
  "packages/server/src/error-catalogue.ts": "the catalogue itself: the one place a code gets its status",
  "packages/server/src/routes/health.ts":
    "GET /healthz answers a health document (status, database, scheme) for load balancers, not an error reply",
};

/** Where a text gives an error a literal status: `pattern (line n)` for each. */
function literalStatuses(text: string): string[] {
  const found: string[] = [];
  for (const { what, pattern } of LITERAL_STATUS) {
    for (const m of text.matchAll(pattern)) {
      found.push(`${what} (line ${text.slice(0, m.index).split("\n").length})`);
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe("the error catalogue", () => {
  it("gives every code an error status (4xx/5xx) and a Chinese title", () => {
    const codes = Object.keys(ERROR_CATALOGUE);
    expect(codes.length).toBeGreaterThan(40);
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code, code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
      expect(entry.title, code).toMatch(/\p{Script=Han}/u);
      expect(isErrorCode(code)).toBe(true);
    }
    expect(isErrorCode("EXPORT_SOURCE")).toBe(false);
    expect(isErrorCode("toString")).toBe(false);
  });

  it("derives an error's status from its code", () => {
    const e = new HttpError("NOT_FOUND", "账号不存在：u1");
    expect(e.statusCode).toBe(404);
    expect(errorReply(e)).toEqual({ statusCode: 404, code: "NOT_FOUND", message: "账号不存在：u1" });
    expect(new HttpError("CONFLICT", "x").statusCode).toBe(409);
    expect(errorBody("TOO_MANY_LOGINS", "x").statusCode).toBe(429);
    expect(statusOf("STARTING")).toBe(503);
    for (const status of [400, 401, 403, 404, 409, 413, 415, 416, 418, 503, 500, 502]) {
      const code = codeForStatus(status);
      expect(statusOf(code), String(status)).toBe(status === 418 ? 400 : status === 502 ? 500 : status);
    }
  });

  it("is the only place an error reply gets a literal status (packages/*/src)", () => {
    const offences: string[] = [];
    for (const pkg of readdirSync(join(ROOT, "packages"))) {
      let files: string[];
      try {
        files = sourceFiles(join(ROOT, "packages", pkg, "src"));
      } catch {
        continue;
      }
      for (const file of files) {
        const path = relative(ROOT, file).split("\\").join("/");
        if (ALLOWED[path] !== undefined) continue;
        for (const f of literalStatuses(readFileSync(file, "utf8"))) offences.push(`${path}: ${f}`);
      }
    }
    expect(offences, "use a code of packages/server/src/error-catalogue.ts instead").toEqual([]);
  });

  it("the scan finds each way of writing a literal status", () => {
    expect(literalStatuses('return reply.status(401).send({ statusCode: 401, code: "X" });')).toEqual([
      "reply.status(4xx/5xx) (line 1)",
      "statusCode: 4xx/5xx (line 1)",
    ]);
    expect(literalStatuses("x\nreadonly statusCode = 400,")).toEqual(["statusCode = 4xx/5xx (line 2)"]);
    expect(literalStatuses("reply.code(503)")).toHaveLength(1);
    expect(literalStatuses("{ status: 404 }")).toHaveLength(1);
    expect(literalStatuses("throw new HttpError(400, code, m)")).toHaveLength(1);
    // Success statuses and statuses read from a reply are not error statuses chosen here.
    expect(
      literalStatuses("reply.status(201).send(r); res.statusCode !== 200; statusCode: reply.statusCode"),
    ).toEqual([]);
  });

  it("docs/errors.md is the catalogue, exactly (npm run docs:errors -w packages/server rewrites it)", () => {
    const doc = readFileSync(join(ROOT, "docs/errors.md"), "utf8");
    expect(doc).toBe(errorCatalogueMarkdown());
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(doc).toContain(`| \`${code}\` | ${entry.status} | ${entry.title} |`);
    }
  });
});
