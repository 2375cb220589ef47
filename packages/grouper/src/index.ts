export { PlainLineGrouper } from "./batch.js";
export * from "./calendar.js";
export * from "./code-index.js";
export * from "./group.js";
export {
  describePredicate,
  isPredicateKey,
  PREDICATE_MODULES,
  type PredicateKey,
  type PredicateModule,
} from "./predicates/index.js";
export * from "./record.js";
export * from "./scheme.js";
export * from "./scheme-source.js";
export * from "./types.js";
