import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, which
    // then idles while a test waits on PostgreSQL, Chromium or a spawned CLI. Each test file has its own
    // PGlite, PostgreSQL schema, port and temporary directories, so two run side by side.
    maxWorkers: 2,
    // PostgreSQL for the storage tests: the configured server, or a throw-away one started for the run.
    globalSetup: ["test-setup/postgres.ts"],
  },
});
