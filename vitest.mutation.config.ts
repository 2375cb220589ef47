import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

// The test run of `npm run mutation` (stryker.config.mjs): PACKAGE=<name> limits it to that
// package's own tests; without PACKAGE every package's tests run (the mutants' coverage then picks
// the tests to run per mutant).
const pkg = process.env.PACKAGE;

export default mergeConfig(
  base,
  defineConfig({
    test: pkg === undefined ? {} : { include: [`packages/${pkg}/test/**/*.test.ts`] },
  }),
);
