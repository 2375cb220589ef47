export * from "./group-command.js";
export * from "./group-core.js";
export * from "./import-command.js";
export * from "./program.js";
export * from "./serve-command.js";
export * from "./tables.js";
