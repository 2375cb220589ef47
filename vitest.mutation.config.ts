import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The test run of `npm run mutation` (stryker.config.mjs): PACKAGE=<name> limits it to that
// package's own tests; without PACKAGE every package's tests run (the mutants' coverage then picks
// the tests to run per mutant). The browser tests are left out: they exercise pages, not rules.
// MUTATION_EXCLUDE (comma-separated globs) leaves further test files out, e.g. the fuzz tests that
// cover every mutant and cost seconds each (docs/mutation.md); MUTATION_INCLUDE replaces the set.
const pkg = process.env.PACKAGE;
const globs = (v: string | undefined): string[] =>
  (v ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g !== "");
const include = globs(process.env.MUTATION_INCLUDE);

export default defineConfig({
  test: {
    ...base.test,
    include:
      include.length > 0
        ? include
        : pkg === undefined
          ? ["packages/*/test/**/*.test.ts"]
          : [`packages/${pkg}/test/**/*.test.ts`],
    exclude: [
      "**/node_modules/**",
      "packages/console/test/e2e.test.ts",
      "packages/cli/test/platform.test.ts",
      "packages/cli/test/chinese-pages.test.ts",
      ...globs(process.env.MUTATION_EXCLUDE),
    ],
  },
});
