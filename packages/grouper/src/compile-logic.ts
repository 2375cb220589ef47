/**
 * Compiles a validated scheme's logic against its code tables: the MDC, ADRG and DRG conditions,
 * their gates on the principal codes, the candidate plans of every code and the codes' roles.
 */
import {
  CHECK_FAILED_NAME,
  type CodeTables,
  type CompiledDrg,
  type CompiledEntry,
  type CompiledMdc,
  type CompiledScheme,
  type Gate,
  type GroupOutcome,
  hasBit,
  ROLE_MEMBERS,
  ROLE_SUMMARY,
  UNGROUPABLE_NAME,
} from "./compiled.js";
import type { CompiledPredicate } from "./context.js";
import { compilePredicate, readsRecord } from "./predicates/index.js";
import {
  type AdrgSource,
  type DrgSource,
  type MdcSource,
  type Predicate,
  QY_MARKER,
  type SchemeSource,
} from "./scheme-source.js";
import { type GroupStatus, UNGROUPED_DRG } from "./types.js";

/**
 * The first outcome of `drgs` whose condition holds at each severity, when every condition asks only
 * about severity; null when some condition asks about anything else.
 */
function severityTable(drgs: readonly CompiledDrg[]): (GroupOutcome | null)[] | null {
  const least: number[] = [];
  for (const d of drgs) {
    const p = d.source;
    if ("always" in p) least.push(0);
    else if ("hasCcOrMcc" in p) least.push(1);
    else if ("hasMcc" in p) least.push(2);
    else return null;
  }
  return [0, 1, 2].map((severity) => {
    const i = least.findIndex((min) => severity >= min);
    return i < 0 ? null : (drgs[i] as CompiledDrg).outcome;
  });
}

/** A condition that can be skipped entirely: absent, or `always`. */
function compileTest(c: CodeTables, p: Predicate | null): CompiledPredicate | null {
  return p === null || "always" in p ? null : compilePredicate(c, p);
}

/** A condition split into necessary gates and the rest that must hold besides them. */
export interface GateSplit {
  /** Gates that must all hold. */
  readonly gates: readonly Gate[];
  /** What must still be checked once the gates hold; null when nothing remains. */
  readonly rest: Predicate | null;
}

/**
 * Derives necessary gates from a condition: `pdxIn L` and `ppxIn L` are gates (and leave nothing to
 * check); `all` gathers the gates of its conjuncts and keeps what remains of each; `any` gates only
 * when every disjunct gates on the same code (on any of their lists), and keeps the whole `any`.
 */
export function splitGate(p: Predicate, listId: (name: string) => number): GateSplit {
  if ("pdxIn" in p) return { gates: [{ on: "pdx", lists: [listId(p.pdxIn)] }], rest: null };
  if ("ppxIn" in p) return { gates: [{ on: "ppx", lists: [listId(p.ppxIn)] }], rest: null };
  if ("all" in p) {
    const gates: Gate[] = [];
    const rest: Predicate[] = [];
    for (const q of p.all) {
      const s = splitGate(q, listId);
      gates.push(...s.gates);
      if (s.rest !== null) rest.push(s.rest);
    }
    return {
      gates,
      rest: rest.length === 0 ? null : rest.length === 1 ? (rest[0] as Predicate) : { all: rest },
    };
  }
  if ("any" in p) {
    const firsts = p.any.map((q) => splitGate(q, listId).gates[0]);
    const on = firsts[0]?.on;
    if (!on || firsts.some((g) => g === undefined || g.on !== on)) return { gates: [], rest: p };
    return { gates: [{ on, lists: firsts.flatMap((g) => (g as Gate).lists) }], rest: p };
  }
  return { gates: [], rest: p };
}

/** Dense numbers for the distinct rows of `width` integers it is given (found by hash, then compared). */
export class RowSet {
  /** The distinct rows, one after the other. */
  readonly values: number[] = [];
  private readonly byHash = new Map<number, number[]>();

  constructor(private readonly width: number) {}

  /** The number of the row `src[at .. at + width)`, adding it when it is new. */
  add(src: ArrayLike<number>, at: number): number {
    const { width, values } = this;
    let h = width;
    for (let k = 0; k < width; k++) h = (Math.imul(h ^ (src[at + k] as number), 0x9e3779b1) + k) | 0;
    const same = this.byHash.get(h);
    for (const r of same ?? []) {
      let k = 0;
      while (k < width && values[r * width + k] === (src[at + k] as number | 0)) k++;
      if (k === width) return r;
    }
    const r = values.length / width;
    for (let k = 0; k < width; k++) values.push(src[at + k] as number | 0);
    if (same === undefined) this.byHash.set(h, [r]);
    else same.push(r);
    return r;
  }
}

/**
 * The gates an entry must pass on one code: a conjunction (the MDC's gate, the ADRG's gate) of
 * disjunctions (the gate's lists).
 */
type GateLists = readonly (readonly number[])[];

/**
 * Compiles the grouping logic of a validated source against its code tables, and sets the payload of
 * every code in the index to its role, from the plans, `pdxTable` and `cc` (CC/MCC data), by id.
 */
export function compileLogic(
  source: SchemeSource,
  t: CodeTables,
  cc: Int32Array,
  pdxTable: Int32Array,
): CompiledScheme {
  const { mdcs, entries, pdxGates, ppxGates, outcomes } = compileEntries(source, t);
  const { planWords, planMaskWords, plans, noPdxPlan, noPpxPlan, roles, roleFields } = compilePlans(
    t,
    entries,
    pdxGates,
    ppxGates,
    cc,
    pdxTable,
  );
  const orSummary = t.summary.get(t.orList) ?? 0;
  const wordMdc = new Int32Array(planWords);
  for (const [i, m] of mdcs.entries()) wordMdc.fill(i, m.firstWord, m.endWord);
  return {
    ...t,
    mdcs,
    entries,
    planWords,
    planMaskWords,
    wordMdc,
    plans,
    noPdxPlan,
    noPpxPlan,
    roles,
    roleFields,
    orWord: orSummary >>> 5,
    orBit: t.orList < 0 ? 0 : 1 << (orSummary & 31),
    outcomes,
    newbornBirthWeightCheck: source.checks?.newbornBirthWeight !== false,
    readsRecord: [...source.mdcs, ...source.adrgs, ...source.drgs].some((x) => readsRecord(x.when)),
  };
}

/**
 * Every entry (ADRG or QY check) of every MDC in order, each MDC's entries in whole words, with its
 * gates on the principal diagnosis and procedure; the compiled MDCs and every possible outcome.
 */
function compileEntries(source: SchemeSource, t: CodeTables) {
  const listId = (name: string) => t.listIds.get(name) as number;
  const outcomes: GroupOutcome[] = [];
  const outcome = (
    status: GroupStatus,
    mdc: string | null,
    adrg: string | null,
    drg: string,
    drgName: string,
  ): GroupOutcome => {
    const o = { index: outcomes.length, status, mdc, adrg, drg, drgName };
    outcomes.push(o);
    return o;
  };
  outcome("CHECK_FAILED", null, null, UNGROUPED_DRG, CHECK_FAILED_NAME);
  outcome("UNGROUPABLE", null, null, UNGROUPED_DRG, UNGROUPABLE_NAME);

  const mdcSources = new Map(source.mdcs.map((m) => [m.code, m]));
  const adrgSources = new Map(source.adrgs.map((a) => [a.code, a]));
  const drgSources = new Map(source.drgs.map((d) => [d.code, d]));
  const entries: (CompiledEntry | null)[] = [];
  const pdxGates: GateLists[] = [];
  const ppxGates: GateLists[] = [];
  const push = (entry: CompiledEntry | null, gates: readonly Gate[]) => {
    entries.push(entry);
    pdxGates.push(gates.filter((g) => g.on === "pdx").map((g) => g.lists));
    ppxGates.push(gates.filter((g) => g.on === "ppx").map((g) => g.lists));
  };
  const mdcs: CompiledMdc[] = [];
  for (const code of source.mdcOrder) {
    const m = mdcSources.get(code) as MdcSource;
    const mdcSplit = splitGate(m.when, listId);
    const firstWord = entries.length / 32;
    let qy: GroupOutcome | null = null;
    for (const a of m.adrgs) {
      if (a === QY_MARKER) {
        qy ??= outcome("AMBIGUOUS", code, null, `${code}QY`, `MDC${code} 歧义组`);
        push({ kind: "qy", mdc: code, outcome: qy }, mdcSplit.gates);
        continue;
      }
      const adrg = adrgSources.get(a) as AdrgSource;
      const split = splitGate(adrg.when, listId);
      const drgs: CompiledDrg[] = adrg.drgs.map((d) => {
        const drg = drgSources.get(d) as DrgSource;
        return {
          code: d,
          name: drg.name,
          test: compileTest(t, drg.when),
          source: drg.when,
          outcome: outcome("OK", code, a, d, drg.name),
        };
      });
      const bySeverity = severityTable(drgs);
      push(
        {
          kind: "adrg",
          code: a,
          test: compileTest(t, split.rest),
          source: adrg.when,
          drgs,
          fallback: adrg.fallbackToAdrg ? outcome("OK", code, a, a, adrg.name ?? `${a}（ADRG）`) : null,
          bySeverity,
          severitySplits:
            bySeverity !== null && !(bySeverity[0] === bySeverity[1] && bySeverity[1] === bySeverity[2]),
        },
        [...mdcSplit.gates, ...split.gates],
      );
    }
    while (entries.length % 32 !== 0) push(null, []);
    mdcs.push({
      code,
      when: compilePredicate(t, m.when),
      test: compileTest(t, mdcSplit.rest),
      source: m.when,
      firstWord,
      endWord: entries.length / 32,
    });
  }

  return { mdcs, entries, pdxGates, ppxGates, outcomes };
}

/**
 * The candidate plans (a row of entry bits per distinct list membership, for a principal diagnosis
 * and for a principal procedure) and every code's role (its plan rows, exclusion table, CC/MCC data,
 * list membership and summary words), each row stored once however many codes share it.
 */
function compilePlans(
  t: CodeTables,
  entries: readonly (CompiledEntry | null)[],
  pdxGates: readonly GateLists[],
  ppxGates: readonly GateLists[],
  cc: Int32Array,
  pdxTable: Int32Array,
) {
  // Plan rows, computed once per distinct list membership of a code and stored once per distinct row.
  const planWords = entries.length / 32;
  const planMaskWords = Math.max(1, Math.ceil(planWords / 32));
  const plans = new RowSet(planMaskWords + planWords);
  const row = new Int32Array(planWords);
  const maskedRow = new Int32Array(planMaskWords + planWords);
  /** For one code: the entries without gates on it, then each gated entry whose gates all hold. */
  const rower = (gates: readonly GateLists[]) => {
    const base = new Int32Array(planWords);
    const gated: number[] = [];
    entries.forEach((e, i) => {
      if (e === null) return;
      if ((gates[i] as GateLists).length === 0) base[i >>> 5] = (base[i >>> 5] as number) | (1 << (i & 31));
      else gated.push(i);
    });
    return (id: number): number => {
      row.set(base);
      for (const i of gated) {
        if ((gates[i] as GateLists).every((lists) => lists.some((l) => id >= 0 && hasBit(t, id, l)))) {
          row[i >>> 5] = (row[i >>> 5] as number) | (1 << (i & 31));
        }
      }
      maskedRow.fill(0, 0, planMaskWords);
      for (let w = 0; w < planWords; w++) {
        if (row[w] !== 0) maskedRow[w >>> 5] = (maskedRow[w >>> 5] as number) | (1 << (w & 31));
      }
      maskedRow.set(row, planMaskWords);
      return plans.add(maskedRow, 0) * (planMaskWords + planWords);
    };
  };
  const pdxRow = rower(pdxGates);
  const ppxRow = rower(ppxGates);
  const noPdxPlan = pdxRow(-1);
  const noPpxPlan = ppxRow(-1);
  const roleFields = ROLE_SUMMARY + t.summaryWords;
  const roles = new RowSet(roleFields);
  const role = new Int32Array(roleFields);
  role.set([-1, noPdxPlan, noPpxPlan, 0, 0]);
  roles.add(role, 0);
  /**
   * Per distinct membership (its row in `members`): both plan rows, then the summary words, computed
   * at its first code.
   */
  const derivedWidth = 2 + t.summaryWords;
  const memberRowCount = t.members.length / t.words;
  const derived = new Int32Array(memberRowCount * derivedWidth);
  const derivedDone = new Uint8Array(memberRowCount);
  for (let id = 0; id < t.codeIds.size; id++) {
    const m = (t.memberOffset[id] as number) / t.words;
    const at = m * derivedWidth;
    if (derivedDone[m] === 0) {
      derivedDone[m] = 1;
      derived[at] = pdxRow(id);
      derived[at + 1] = ppxRow(id);
      for (const [l, b] of t.summary) {
        if (hasBit(t, id, l))
          derived[at + 2 + (b >>> 5)] = (derived[at + 2 + (b >>> 5)] as number) | (1 << (b & 31));
      }
    }
    role[0] = pdxTable[id] as number;
    role[1] = derived[at] as number;
    role[2] = derived[at + 1] as number;
    role[3] = cc[id] as number;
    role[ROLE_MEMBERS] = t.memberOffset[id] as number;
    for (let w = 0; w < t.summaryWords; w++) role[ROLE_SUMMARY + w] = derived[at + 2 + w] as number;
    t.codeIds.setValue(id, roles.add(role, 0));
  }
  return {
    planWords,
    planMaskWords,
    plans: Uint32Array.from(plans.values),
    noPdxPlan,
    noPpxPlan,
    roles: Int32Array.from(roles.values),
    roleFields,
  };
}
