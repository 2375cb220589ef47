/**
 * @yibao/payment-service — payment as a running service (支付服务): persisted versioned policies and
 * weight tables, calibration, period settlement and year-end clearing jobs over the store,
 * statements in Excel/CSV, the /api/v1/payment plugin and the CLI commands.
 */
export * from "./assessments.js";
export * from "./calibrate.js";
export * from "./clearing.js";
export * from "./cli.js";
export * from "./coefficients.js";
export * from "./demo.js";
export * from "./dip-clearing.js";
export * from "./dip-payment.js";
export * from "./dip-policy.js";
export * from "./dip-statement.js";
export * from "./dip-year.js";
export * from "./estimate.js";
export * from "./hospital-data.js";
export * from "./hospital-editions.js";
export * from "./hospital-excel.js";
export * from "./migrations.js";
export * from "./plugin.js";
export * from "./queries.js";
export * from "./region-data.js";
export * from "./repo.js";
export * from "./seed002.js";
export * from "./settle-period.js";
export * from "./special-applications.js";
export * from "./statements.js";
export * from "./tables.js";
