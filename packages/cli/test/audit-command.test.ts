import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../../..");

describe("yibao audit evaluate", () => {
  it("audits a synthetic region and prints the per-type precision and recall as JSON on the last line", async () => {
    const { stdout } = await run(
      process.execPath,
      [resolve(REPO, "bin/yibao.js"), "audit", "evaluate", "--seed", "3", "--stays", "600"],
      { cwd: REPO, env: { ...process.env, YIBAO_SCHEME_DIR: "" } },
    );
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toContain("审核质量评估：种子 3，病例 600 例");
    const j = JSON.parse(lines.at(-1) as string);
    expect(j.seed).toBe(3);
    expect(j.stays).toBe(600);
    expect(Object.keys(j.types)).toContain("upcoding_secondary");
    for (const q of Object.values(j.types))
      expect(Object.keys(q as object)).toEqual(["precision", "recall", "tp", "fp", "fn"]);
  }, 60_000);
});
