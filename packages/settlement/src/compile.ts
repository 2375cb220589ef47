/**
 * Compiles a `QcRuleSet` (with its code tables and mode) into checker functions once; the
 * compiled form is cached per (rule set, code tables, mode), so checking a list does no parsing of
 * rules, no regex compilation and no template parsing. The check kinds are modules in `qc/kinds/`,
 * found through `qc/registry.ts`.
 */
import { type CodeTableSet, type CompiledCodeTables, compileCodeTables } from "./code-tables.js";
import type { CheckFn, Env } from "./qc/kind.js";
import { QC_CHECK_KIND_MODULES } from "./qc/registry.js";
import { type CompiledRule, QcConfigError } from "./qc/run.js";
import { PARSE_PHASE_KINDS, type QcCheckKind, type QcMode, type QcRule, type QcRuleSet } from "./rules.js";
import { compileTemplate } from "./template.js";

export {
  type CodeMaps,
  type CompiledRule,
  computeFacts,
  type Facts,
  type GroupingOutcome,
  PRINCIPAL_FLAG,
  PRINCIPAL_PROCEDURE_TYPE,
  QcConfigError,
  type Run,
  WESTERN_DIAG_TYPE,
} from "./qc/run.js";

export interface CompiledQcRules {
  readonly ruleSet: QcRuleSet;
  readonly codeTables: CodeTableSet;
  readonly tables: CompiledCodeTables;
  readonly mode: QcMode;
  /** The first enabled rule of each parse-phase check. */
  readonly parse: Readonly<Partial<Record<QcCheckKind, CompiledRule>>>;
  readonly checks: readonly CheckFn[];
}

/** A parameter the rule's kind does not take (a misspelt key would otherwise fall back silently). */
function unknownParam(rule: QcRule, allowed: readonly string[]): void {
  if (rule.params === undefined) return;
  for (const key of Object.keys(rule.params)) {
    if (!allowed.includes(key)) {
      const known = allowed.length > 0 ? `可用参数：${allowed.join("、")}` : "该检查类型不接受参数";
      throw new QcConfigError(`质控规则 ${rule.id} 的参数 ${key} 未知（检查类型 ${rule.check}；${known}）`);
    }
  }
}

// ---- compilation -----------------------------------------------------------------------------

const cache = new WeakMap<QcRuleSet, WeakMap<CodeTableSet, Map<QcMode, CompiledQcRules>>>();

/**
 * Compiles (once; cached) a rule set with a code-table edition for one mode. Throws
 * `QcConfigError` when a rule's parameters are invalid: a configuration error is found when the
 * operator loads the rules, never while checking lists.
 */
export function compileQcRules(ruleSet: QcRuleSet, codeTables: CodeTableSet, mode: QcMode): CompiledQcRules {
  let byTables = cache.get(ruleSet);
  if (byTables === undefined) {
    byTables = new WeakMap();
    cache.set(ruleSet, byTables);
  }
  let byMode = byTables.get(codeTables);
  if (byMode === undefined) {
    byMode = new Map();
    byTables.set(codeTables, byMode);
  }
  let c = byMode.get(mode);
  if (c === undefined) {
    c = build(ruleSet, codeTables, mode);
    byMode.set(mode, c);
  }
  return c;
}

function build(ruleSet: QcRuleSet, codeTables: CodeTableSet, mode: QcMode): CompiledQcRules {
  const tables = compileCodeTables(codeTables);
  const env: Env = { tables, set: codeTables };
  const parse: Partial<Record<QcCheckKind, CompiledRule>> = {};
  const checks: CheckFn[] = [];
  for (const rule of ruleSet.rules) {
    if (rule.enabled === false) continue;
    if (rule.modes !== undefined && !rule.modes.includes(mode)) continue;
    const compiled: CompiledRule = {
      rule,
      id: rule.id,
      severity: rule.severityByMode?.[mode] ?? rule.severity,
      template: compileTemplate(rule.message),
    };
    if (PARSE_PHASE_KINDS.has(rule.check)) {
      unknownParam(rule, []);
      if (parse[rule.check] === undefined) parse[rule.check] = compiled;
      continue;
    }
    const kind = QC_CHECK_KIND_MODULES.get(rule.check);
    if (kind === undefined) throw new QcConfigError(`质控规则 ${rule.id} 的检查类型 ${rule.check} 未知`);
    unknownParam(rule, kind.params);
    checks.push(kind.compile(compiled, env));
  }
  return { ruleSet, codeTables, tables, mode, parse, checks };
}
