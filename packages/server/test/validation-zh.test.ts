/**
 * Validation messages in Chinese (issue 15): a request that breaks its route's schema gets a 400 that
 * names each field by its path and the rule it breaks, in Chinese, with no English words from the
 * validator ("must not have additional properties", "schema is false", "must be object", …).
 */

import { Type } from "typebox";
import { Compile } from "typebox/compile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localizeSchemaErrors, servedRoutes } from "../src/index.js";
import { type TestServer, testServer } from "./helpers.js";

/** Latin words of three letters or more: what a validator's English message is made of. */
const ENGLISH = /[A-Za-z]{3,}/;

/** The message with the field paths (codes the client sent or must send) taken out. */
function wordsOf(body: { message: string; details?: { field: string; message: string }[] }): string {
  let text = body.message;
  for (const d of body.details ?? []) text = text.replaceAll(d.field, "");
  return text;
}

describe("localizeSchemaErrors", () => {
  const schema = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 4 }),
      day: Type.String({ format: "date" }),
      count: Type.Integer({ minimum: 1 }),
      kind: Type.Union([Type.Literal("a"), Type.Literal("b")]),
      tags: Type.Optional(Type.Array(Type.String(), { maxItems: 1 })),
    },
    { additionalProperties: false },
  );
  const check = Compile(schema);
  const problems = (v: unknown, part?: string) => localizeSchemaErrors([...check.Errors(v)], part);

  it("names each missing field and each field not allowed, once", () => {
    expect(problems({ name: "x", extra: 1, more: 2 })).toEqual([
      { field: "请求体.day", message: "缺少必填项" },
      { field: "请求体.count", message: "缺少必填项" },
      { field: "请求体.kind", message: "缺少必填项" },
      { field: "请求体.extra", message: "不允许的参数" },
      { field: "请求体.more", message: "不允许的参数" },
    ]);
  });

  it("tells the rule of a wrong type, a limit, a format and a union of constants in Chinese", () => {
    expect(problems("x", "querystring")).toEqual([{ field: "查询参数", message: "类型应为对象" }]);
    const ps = problems({ name: "toolong", day: "2025-13-45", count: 0, kind: "c", tags: ["x", "y"] });
    expect(ps).toEqual(
      expect.arrayContaining([
        { field: "请求体.name", message: "长度不能超过 4 个字符" },
        { field: "请求体.day", message: "格式应为日期（YYYY-MM-DD）" },
        { field: "请求体.count", message: "不能小于 1" },
        { field: "请求体.kind", message: "取值应为以下之一：“a”、“b”" },
      ]),
    );
    expect(problems({ name: "x", day: "2025-01-01", count: "7", kind: "a" })).toEqual([
      { field: "请求体.count", message: "类型应为整数" },
    ]);
  });

  it("reads ajv's own parameters too (missingProperty, additionalProperty, allowedValues)", () => {
    expect(
      localizeSchemaErrors([
        { keyword: "required", instancePath: "/a", params: { missingProperty: "b" } },
        { keyword: "additionalProperties", instancePath: "", params: { additionalProperty: "z" } },
        { keyword: "enum", instancePath: "/r", params: { allowedValues: ["x", 2] } },
      ]),
    ).toEqual([
      { field: "请求体.a.b", message: "缺少必填项" },
      { field: "请求体.z", message: "不允许的参数" },
      { field: "请求体.r", message: "取值应为以下之一：“x”、2" },
    ]);
  });
});

describe.each(["pglite"] as const)("400 replies of the routes (%s)", (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("names the field and the rule in Chinese for wrong types, extra properties and missing fields", async () => {
    const login = await t.raw.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: 5, extra: true },
    });
    expect(login.statusCode).toBe(400);
    const body = login.json();
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: "请求体.password", message: "缺少必填项" },
        { field: "请求体.extra", message: "不允许的参数" },
      ]),
    );
    expect(body.message).toContain("请求体.password：缺少必填项");
    expect(wordsOf(body)).not.toMatch(ENGLISH);

    const key = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      payload: { hospitalCode: "H1", name: "", expiresInDays: "soon" },
    });
    expect(key.statusCode).toBe(400);
    expect(key.json().details).toEqual(
      expect.arrayContaining([{ field: "请求体.name", message: "不能为空" }]),
    );
    expect(wordsOf(key.json())).not.toMatch(ENGLISH);

    const query = await t.app.inject({ method: "GET", url: "/api/v1/api-keys?hospital=H1&sort=up" });
    expect(query.statusCode).toBe(400);
    expect(query.json().details).toEqual([{ field: "查询参数.sort", message: "不允许的参数" }]);
    expect(query.json().message).toBe("请求格式不正确：查询参数.sort：不允许的参数");
  });

  it("answers every route's schema error without English, for a body or a query that breaks it", async () => {
    let checked = 0;
    // Signing out would end the session the other requests are made in.
    for (const r of servedRoutes(t.raw).filter((x) => !x.url.endsWith("/logout"))) {
      const url = r.url.replace(/:[A-Za-z]+/g, "1");
      const tries =
        r.method === "GET"
          ? [{ url: `${url}?zzz=1` }]
          : [
              { url, payload: { zzz: 1 } },
              { url, payload: [1] },
            ];
      for (const x of tries) {
        const res = await t.app.inject({ method: r.method as "GET", ...x });
        if (res.statusCode !== 400) continue;
        checked++;
        expect(wordsOf(res.json()), `${r.method} ${x.url}`).not.toMatch(ENGLISH);
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
