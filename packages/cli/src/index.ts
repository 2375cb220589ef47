export * from "./group-command.js";
export * from "./group-core.js";
export * from "./program.js";
export * from "./tables.js";
