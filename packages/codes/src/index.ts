export * from "./dictionary.js";
export * from "./tsv.js";
