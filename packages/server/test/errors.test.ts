/** Error replies: a PostgreSQL data exception caused by a request's values is the caller's 400, never a 500. */
import { describe, expect, it } from "vitest";
import { bodyTextProblem, errorReply } from "../src/index.js";

function pgError(code: string): Error {
  return Object.assign(new Error("value out of range"), { code, severity: "ERROR" });
}

describe("error replies", () => {
  it("answers a data exception (SQLSTATE class 22) with a Chinese 400", () => {
    for (const code of ["22003", "22P05", "22021", "22008"]) {
      const r = errorReply(pgError(code));
      expect(r.statusCode, code).toBe(400);
      expect(r.code).toBe("INVALID_VALUE");
    }
  });

  it("keeps other database errors server faults (500), with no internals in the message", () => {
    for (const code of ["23505", "42P01", "XX000", "2200"]) {
      const r = errorReply(pgError(code));
      expect(r.statusCode, code).toBe(500);
      expect(r.message).not.toContain("value out of range");
    }
    // A non-database error that happens to carry a class-22-like code is not mistaken for one.
    expect(errorReply(Object.assign(new Error("x"), { code: "22003" })).statusCode).toBe(500);
  });

  it("finds text PostgreSQL cannot hold in any field name or value of a body, with its path", () => {
    expect(bodyTextProblem({ a: [{ b: "ok" }, { c: "x\u0000y" }] })?.path).toBe("a.1.c");
    expect(bodyTextProblem({ "k\u0000": 1 })?.path).toBe("k\\u0000");
    expect(bodyTextProblem({ s: "\ud800" })?.path).toBe("s");
    expect(bodyTextProblem({ s: "\ud83d\ude00", n: 1, z: null, t: true })).toBeNull();
    expect(bodyTextProblem("\u0000")?.path).toBe("$");
  });
});
