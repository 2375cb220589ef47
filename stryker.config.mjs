// Mutation testing of the rule code (issue 16): `npm run mutation` (not part of `npm test`).
// PACKAGE=payment npm run mutation   → one package's rule files and only its own tests;
// npm run mutation -- --mutate 'packages/payment/src/money.ts'   → any file set.
// Incremental: results are kept in reports/mutation/<scope>-incremental.json, so a rerun tests only
// the mutants in code or tests that changed. HTML report: reports/mutation/<scope>.html.

import { resolve } from "node:path";

/** The rule code per package (grouper conditions and CC/MCC, QC compile, payment, audit, access). */
const RULE_CODE = {
  grouper: [
    "packages/grouper/src/group.ts",
    "packages/grouper/src/context.ts",
    "packages/grouper/src/compile-logic.ts",
    "packages/grouper/src/predicates/*.ts",
    "packages/grouper/src/code-index.ts",
  ],
  settlement: [
    "packages/settlement/src/compile.ts",
    "packages/settlement/src/qc/**/*.ts",
    "packages/settlement/src/rules.ts",
  ],
  payment: [
    "packages/payment/src/settle.ts",
    // The stay's times (住院时长, under 24 hours, 住院天数, months), split out of settle.ts.
    "packages/payment/src/stay-time.ts",
    "packages/payment/src/dip.ts",
    "packages/payment/src/benefit.ts",
    "packages/payment/src/money.ts",
    "packages/payment/src/clearing.ts",
    "packages/payment/src/dip-stay.ts",
    "packages/payment/src/dip-auxiliary.ts",
    "packages/payment/src/new-tech-exclusion.ts",
    "packages/payment/src/special-review.ts",
  ],
  audit: [
    // detect-stay.ts only re-exports the per-stay detector families: mutate the families.
    "packages/audit/src/detect-coding.ts",
    "packages/audit/src/detect-cost-shifting.ts",
    "packages/audit/src/detect-low-indication.ts",
    "packages/audit/src/detect-stay-shared.ts",
    "packages/audit/src/detect-tier.ts",
    "packages/audit/src/detect-items.ts",
    "packages/audit/src/detect-item-limits.ts",
    "packages/audit/src/detect-item-charges.ts",
    "packages/audit/src/detect-population.ts",
    "packages/audit/src/rules.ts",
  ],
  kernel: ["packages/kernel/src/money.ts", "packages/kernel/src/calendar.ts"],
  server: ["packages/server/src/identity/access.ts", "packages/server/src/route-access.ts"],
};

const pkg = process.env.PACKAGE;
// The sandbox (.stryker-tmp/…) is not beside ../shared: point the tests at the reference data.
process.env.YIBAO_SHARED_DIR ??= resolve(import.meta.dirname, "../shared");
if (pkg !== undefined && !(pkg in RULE_CODE)) {
  throw new Error(`PACKAGE=${pkg}: expected one of ${Object.keys(RULE_CODE).join(", ")}`);
}
const scope = pkg ?? "all";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: {
    // PACKAGE limits the run to that package's own tests (vitest.mutation.config.ts); perTest
    // coverage then runs only the tests that reach a mutant.
    configFile: "vitest.mutation.config.ts",
    related: false,
  },
  mutate: pkg === undefined ? Object.values(RULE_CODE).flat() : RULE_CODE[pkg],
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants, evaluated once on import) need the whole suite each and
  // take ~90% of the time; they are left out (reported as ignored) unless STRYKER_STATIC=1.
  ignoreStatic: process.env.STRYKER_STATIC !== "1",
  incremental: true,
  incrementalFile: `reports/mutation/${scope}-incremental.json`,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 30,
  tempDirName: ".stryker-tmp",
  ignorePatterns: [
    "/data",
    "/test-artifacts",
    "/bench-out",
    "/reports",
    "/coverage",
    // docs/ is left out of the sandbox except the error catalogue, which a server test compares.
    "/docs/*",
    "!/docs/errors.md",
    "packages/web",
  ],
  thresholds: { high: 90, low: 85, break: null },
};
