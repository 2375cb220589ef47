/**
 * @yibao/kernel: the shared vocabulary of the platform, dependency-free, pure and I/O-free.
 */
export * from "./calendar.js";
export * from "./editions.js";
export * from "./enums.js";
export * from "./money.js";
export * from "./rates.js";
export * from "./sex.js";
