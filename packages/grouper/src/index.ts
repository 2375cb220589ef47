export * from "./code-index.js";
export * from "./describe.js";
export * from "./group.js";
export * from "./record.js";
export * from "./scheme.js";
export * from "./scheme-source.js";
export * from "./types.js";
