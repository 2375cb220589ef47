import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../../..");

describe("yibao examples dip", () => {
  it("prints, as its last line, the point value and each hospital's points, payment and fund worked out by hand", () => {
    // From another directory: the example is found beside the installed CLI.
    const out = execFileSync(process.execPath, [resolve(REPO, "bin/yibao.js"), "examples", "dip"], {
      cwd: "/",
      encoding: "utf8",
    });
    const lines = out.trim().split("\n");
    expect(JSON.parse(lines.at(-1) as string)).toEqual({
      pointValue: "150.00",
      hospitals: [
        { hospital: "H1", points: "280.0000", payment: "42000.00", fund: "34360.00" },
        { hospital: "H2", points: "355.0000", payment: "53250.00", fund: "42550.00" },
      ],
    });
    expect(out).toContain("H2 病例 6  病种 C  费用极高病例  分值 220.0000  支付 33000.00 元");
  });
});
