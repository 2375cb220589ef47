import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The test run of `npm run mutation` (stryker.config.mjs): PACKAGE=<name> limits it to that
// package's own tests; without PACKAGE every package's tests run (the mutants' coverage then picks
// the tests to run per mutant). The browser tests are left out: they exercise pages, not rules.
const pkg = process.env.PACKAGE;

export default defineConfig({
  test: {
    ...base.test,
    include: pkg === undefined ? ["packages/*/test/**/*.test.ts"] : [`packages/${pkg}/test/**/*.test.ts`],
    exclude: [
      "**/node_modules/**",
      "packages/console/test/e2e.test.ts",
      "packages/cli/test/platform.test.ts",
      "packages/cli/test/chinese-pages.test.ts",
    ],
  },
});
