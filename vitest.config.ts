import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // PostgreSQL for the storage tests: the configured server, or a throw-away one started for the run.
    globalSetup: ["test-setup/postgres.ts"],
  },
});
