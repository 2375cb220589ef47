/**
 * @yibao/server: the HTTP API (Fastify) for settlement-list intake, queries and QC indicators, with
 * identity and access control in its core, and the host that other areas' plugins join.
 */

export * from "@yibao/kernel/validation-zh";
export * from "./app.js";
export * from "./code-names.js";
export * from "./edition-shelf.js";
export * from "./error-catalogue.js";
export * from "./errors.js";
export * from "./excel-table.js";
export * from "./history-import.js";
export * from "./identity/index.js";
export * from "./input-guard.js";
export * from "./intake.js";
export * from "./qc-editions.js";
export * from "./qc-excel.js";
export * from "./query-schemas.js";
export * from "./readiness.js";
export * from "./region-files.js";
export * from "./region-info.js";
export * from "./region-schemes.js";
export * from "./regroup.js";
export * from "./route-access.js";
export * from "./route-list.js";
export * from "./routes/edition-routes.js";
export * from "./safety-net.js";
export * from "./sample-lists.js";
export * from "./settlement-checks.js";
export * from "./start.js";
export * from "./xlsx-guard.js";
