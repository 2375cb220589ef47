// Tests against the mutants of packages/server/src/route-access.ts (issue 16, docs/mutation.md): the
// policy a route declares, exactly, and every refusal of a malformed one naming what is wrong.
import { describe, expect, it } from "vitest";
import {
  HOSPITAL_SCOPES,
  PLATFORM_ROLES,
  PUBLIC_ROUTE,
  policyProblem,
  routeAccess,
} from "../src/route-access.js";

describe("routeAccess", () => {
  it("carries roles and scope and nothing else by default", () => {
    expect(routeAccess(["bureau"], "none")).toStrictEqual({ access: { roles: ["bureau"], scope: "none" } });
    expect(PUBLIC_ROUTE).toStrictEqual({ access: { roles: "public", scope: "none" } });
  });

  it("takes an action name, or options", () => {
    expect(routeAccess(["admin"], "none", "改密")).toStrictEqual({
      access: { roles: ["admin"], scope: "none", action: "改密" },
    });
    expect(
      routeAccess(["hospital"], "envelopes", { action: "上传", machine: true, beforePasswordChange: true }),
    ).toStrictEqual({
      access: {
        roles: ["hospital"],
        scope: "envelopes",
        action: "上传",
        machine: true,
        beforePasswordChange: true,
      },
    });
    // false options and an empty action leave the keys out.
    expect(
      routeAccess(["hospital"], "query", { action: "", machine: false, beforePasswordChange: false }),
    ).toStrictEqual({ access: { roles: ["hospital"], scope: "query" } });
    expect(routeAccess(["hospital"], "query", { machine: true })).toStrictEqual({
      access: { roles: ["hospital"], scope: "query", machine: true },
    });
  });

  it("knows the four roles and five scopes", () => {
    expect([...PLATFORM_ROLES]).toEqual(["bureau", "hospital", "reviewer", "admin"]);
    expect([...HOSPITAL_SCOPES].sort()).toEqual(["envelopes", "handler", "none", "query", "setlId"]);
  });
});

describe("policyProblem", () => {
  it("accepts a well-formed policy", () => {
    expect(policyProblem({ roles: ["bureau", "hospital"], scope: "query" })).toBeNull();
    expect(policyProblem({ roles: "public", scope: "none" })).toBeNull();
    for (const scope of HOSPITAL_SCOPES) expect(policyProblem({ roles: ["admin"], scope }), scope).toBeNull();
  });

  it("refuses a missing policy", () => {
    for (const bad of [undefined, null, "bureau", 7]) {
      expect(policyProblem(bad), String(bad)).toBe("未声明访问策略（config.access）");
    }
  });

  it("refuses empty or non-list roles, naming an unknown role", () => {
    expect(policyProblem({ roles: [], scope: "none" })).toBe("访问策略的角色列表为空");
    expect(policyProblem({ roles: "bureau", scope: "none" })).toBe("访问策略的角色列表为空");
    expect(policyProblem({ scope: "none" })).toBe("访问策略的角色列表为空");
    expect(policyProblem({ roles: ["bureau", "boss"], scope: "none" })).toBe("访问策略中的角色不存在：boss");
  });

  it("refuses an unknown scope, naming it, also on public routes", () => {
    expect(policyProblem({ roles: ["bureau"], scope: "everywhere" })).toBe(
      "访问策略的医院范围不合法：everywhere",
    );
    expect(policyProblem({ roles: "public", scope: "all" })).toBe("访问策略的医院范围不合法：all");
    expect(policyProblem({ roles: ["bureau"] })).toBe("访问策略的医院范围不合法：undefined");
  });
});
