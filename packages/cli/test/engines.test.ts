import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `npm ci` must not warn EBADENGINE on the Node version the README promises: every installed package's
// `engines.node` has to admit the lowest version the root package.json allows (>=20.19).
const root = fileURLToPath(new URL("../../../", import.meta.url));
const require = createRequire(`${root}package.json`);
const semver = require("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

describe("engines", () => {
  it("every package in package-lock.json supports the lowest Node the root package.json allows", () => {
    const rootPackage = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
      engines: { node: string };
    };
    const lowest = semver.minVersion(rootPackage.engines.node)?.version;
    expect(lowest).toBe("20.19.0");
    const lock = JSON.parse(readFileSync(`${root}package-lock.json`, "utf8")) as {
      packages: Record<string, LockPackage>;
    };
    const excluded: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      if (range === undefined) continue;
      checked++;
      if (!semver.satisfies(lowest as string, range))
        excluded.push(`${path}@${entry.version}: node ${range}`);
    }
    expect(checked).toBeGreaterThan(100);
    expect(excluded).toEqual([]);
  });
});
