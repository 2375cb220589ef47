/** Identity and access (身份与访问): accounts, sessions, API keys, access control, the operation log. */
export * from "./access.js";
export * from "./accounts.js";
export * from "./api-key-routes.js";
export * from "./api-keys.js";
export * from "./auth-routes.js";
export * from "./migrations.js";
export * from "./oplog.js";
export * from "./tables.js";
