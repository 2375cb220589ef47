/**
 * A QC check kind (质控检查类型) as a module: its name, the parameters a rule of this kind may give,
 * and how a rule of it is compiled into a check of one list. A new kind is one module in `kinds/`
 * registered in `registry.ts` (and named in `QC_CHECK_KINDS`).
 */
import type { CodeTableSet, CompiledCodeTables } from "../code-tables.js";
import type { QcCheckKind } from "../rules.js";
import type { CompiledRule, Run } from "./run.js";

/** The compiled code tables of the edition in force, for kinds that name codes. */
export interface Env {
  readonly tables: CompiledCodeTables;
  readonly set: CodeTableSet;
}

/** A compiled check: reports its findings on one list's run. */
export type CheckFn = (run: Run) => void;

export interface QcCheckKindModule {
  readonly kind: QcCheckKind;
  /** The parameter keys a rule of this kind may give (any other key is a configuration error). */
  readonly params: readonly string[];
  /** Validates the rule's parameters (throwing `QcConfigError`) and returns its check. */
  readonly compile: (rule: CompiledRule, env: Env) => CheckFn;
}
