/**
 * @yibao/audit-service — 智能审核服务: persisted audit runs, findings, the case workflow with its
 * append-only trail and physician profiles; the audit job over the store; the API plugin
 * (/api/v1/audit); the CLI commands; the demo audit.
 */
export * from "./cli.js";
export * from "./context.js";
export * from "./export.js";
export * from "./jobs.js";
export * from "./libraries.js";
export * from "./library-editions.js";
export * from "./migrations.js";
export * from "./precheck.js";
export * from "./queries.js";
export * from "./read.js";
export * from "./routes.js";
export * from "./tables.js";
export * from "./workflow.js";
