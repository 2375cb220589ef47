/**
 * Calibration job (权重与费率测算): reads the accepted lists of a period range from the store
 * (keyset pages by setl_id), computes RW per DRG with the payment core (trimming rule and minimum
 * case count as parameters), optionally the rate from a budget and the DIP catalogue, and stores a new
 * weight-table version (and, when asked, a new payment-policy version with that rate and table).
 */
import {
  buildDipCatalogue,
  calibrateWeights,
  type DipCase,
  type Fen,
  formatRatio,
  formatYuan,
  type HistoricCase,
  isNonDrg,
  rateFromBudget,
  type TrimRule,
  weightTableToData,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { dbOf, PaymentInputError, periodsBetween, type StoredVersion, saveVersion, withRun } from "./repo.js";

export interface CalibrateOptions {
  readonly store: Store;
  readonly periodFrom: string;
  readonly periodTo: string;
  /** New weight table id and version, and its effective dates. */
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string | null;
  readonly name?: string;
  /** 分组方案 id recorded with the table; DRG names are taken from `drgNames` when given. */
  readonly schemeId?: string;
  readonly drgNames?: ReadonlyMap<string, string>;
  /** Trimming rule (default IQR with k = 1.5) and minimum kept cases per DRG (default 5). */
  readonly trim?: TrimRule;
  readonly minCases?: number;
  /** RW for groups below the minimum (ppm); absent: flagged and left out. */
  readonly fallbackRw?: number;
  /** 费率 from a budget (fen) over the history's case mix, or a given rate (fen per RW). */
  readonly budget?: Fen;
  readonly rate?: Fen;
  /** Save a new payment-policy version: this policy JSON with the rate (when computed) and the new table. */
  readonly policy?: Record<string, unknown>;
  /** Also build and store the DIP catalogue (DIP 病种目录). */
  readonly dip?: {
    readonly id: string;
    readonly version: string;
    readonly coreMinCases: number;
    readonly scale?: number;
  };
  readonly actor?: string;
}

export interface CalibrateResult {
  readonly runId: number;
  readonly weights: StoredVersion;
  readonly policy: StoredVersion | null;
  readonly dip: StoredVersion | null;
  readonly cases: number;
  readonly groups: number;
  readonly flagged: readonly string[];
  /** 费率 (fen per RW) when computed from the budget or given. */
  readonly rate: Fen | null;
  readonly overallAvgCost: Fen;
}

interface HistRow {
  setl_id: string;
  drg: string;
  total_fee_fen: number;
  los: number | null;
  principal_dx: string;
  procedures: string[] | null;
}

/** The options' own checks (before any run is recorded). */
function checkCalibrateOptions(options: CalibrateOptions): { minCases: number; trim: TrimRule } {
  const minCases = options.minCases ?? 5;
  if (!Number.isInteger(minCases) || minCases < 1)
    throw new PaymentInputError("minCases：最低病例数须为正整数");
  if (options.budget !== undefined && options.rate !== undefined) {
    throw new PaymentInputError("budget 与 rate 只能给出一个");
  }
  for (const [f, v] of [
    ["budget", options.budget],
    ["rate", options.rate],
  ] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v <= 0))
      throw new PaymentInputError(`${f}：须为正整数分`);
  }
  return { minCases, trim: options.trim ?? { kind: "iqr", k: 1_500_000 } };
}

/** The history a calibration reads: every accepted list of the periods, in keyset pages of 20,000. */
interface History {
  readonly cases: HistoricCase[];
  readonly dipCases: DipCase[];
  /** Cases per DRG (non-DRG codes left out), the volumes a budget is spread over. */
  readonly counts: Map<string, number>;
}

async function readHistory(
  store: Store,
  periods: readonly string[],
  withProcedures: boolean,
): Promise<History> {
  const db = dbOf(store);
  const history: History = { cases: [], dipCases: [], counts: new Map() };
  let after = "";
  for (;;) {
    const procs = withProcedures
      ? sql`ARRAY(SELECT x->>'oprn_oprt_code' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(l.message->'input'->'oprninfo') = 'array'
            THEN l.message->'input'->'oprninfo' ELSE '[]'::jsonb END) x) AS procedures`
      : sql`NULL::text[] AS procedures`;
    const r = await sql<HistRow>`SELECT l.setl_id, l.drg, l.total_fee_fen, l.los, l.principal_dx, ${procs}
        FROM settlement_list l WHERE l.status = 'accepted' AND l.period = ANY(${periods}::text[]) AND l.setl_id > ${after}
        ORDER BY l.setl_id LIMIT 20000`.execute(db);
    for (const x of r.rows) {
      const cost = Number(x.total_fee_fen);
      history.cases.push({ drg: x.drg, cost, los: Math.max(0, x.los ?? 0) });
      if (!isNonDrg(x.drg)) history.counts.set(x.drg, (history.counts.get(x.drg) ?? 0) + 1);
      if (withProcedures && x.principal_dx) {
        history.dipCases.push({
          principalDiagnosis: x.principal_dx,
          procedures: (x.procedures ?? []).filter(Boolean),
          cost,
        });
      }
    }
    const last = r.rows[r.rows.length - 1];
    if (r.rows.length < 20000 || !last) break;
    after = last.setl_id;
  }
  return history;
}

/** The weight table as stored: named from the scheme, with its source, and the per-group calibration. */
function weightVersionOf(
  options: CalibrateOptions,
  cal: ReturnType<typeof calibrateWeights>,
  cases: number,
  trim: TrimRule,
  minCases: number,
) {
  const data = weightTableToData(cal.table);
  const named = {
    ...data,
    sources: [
      `结算清单 ${options.periodFrom}–${options.periodTo}，${cases} 例，剔除规则 ${JSON.stringify(trim)}，最低病例数 ${minCases}`,
    ],
    entries: data.entries.map((e) => {
      const n = options.drgNames?.get(e.drg);
      return n ? { ...e, name: n } : e;
    }),
  };
  const calibration = {
    overall: cal.overall,
    flagged: cal.flagged,
    groups: cal.groups.map((g) => ({
      drg: g.drg,
      cases: g.cases,
      kept: g.kept,
      trimmedLow: g.trimmedLow,
      trimmedHigh: g.trimmedHigh,
      avgCost: formatYuan(g.avgCost),
      rw: g.rw === null ? null : formatRatio(g.rw, 4),
      status: g.status,
    })),
  };
  return { named, calibration };
}

/** Builds the DIP catalogue (DIP 病种目录) from the history and stores it as a new version. */
async function saveDipCatalogue(
  store: Store,
  options: CalibrateOptions & { dip: NonNullable<CalibrateOptions["dip"]> },
  dipCases: readonly DipCase[],
  trim: TrimRule,
  actor: string,
): Promise<StoredVersion> {
  const cat = buildDipCatalogue(dipCases, {
    id: options.dip.id,
    version: options.dip.version,
    effectiveFrom: options.effectiveFrom,
    effectiveTo: options.effectiveTo ?? null,
    coreMinCases: options.dip.coreMinCases,
    ...(options.dip.scale ? { scale: options.dip.scale } : {}),
    trim,
  });
  return saveVersion(
    store,
    "dip",
    {
      id: cat.id,
      version: cat.version,
      effectiveFrom: cat.effectiveFrom,
      effectiveTo: cat.effectiveTo ?? null,
      name: `DIP 病种目录 ${options.periodFrom}–${options.periodTo}`,
      scale: cat.scale,
      coreMinCases: cat.coreMinCases,
      reference: formatYuan(cat.reference),
      groups: cat.groups.map((g) => ({
        key: g.key,
        kind: g.kind,
        diagnosis: g.diagnosis,
        treatment: g.treatment,
        cases: g.cases,
        kept: g.kept,
        avgCost: formatYuan(g.avgCost),
        score: formatRatio(g.score, 4),
      })),
    },
    { actor },
  );
}

/** Runs the calibration and stores the results (new versions). */
export async function calibrate(options: CalibrateOptions): Promise<CalibrateResult> {
  const { store } = options;
  const periods = periodsBetween(options.periodFrom, options.periodTo);
  const { minCases, trim } = checkCalibrateOptions(options);
  const params = {
    periodFrom: options.periodFrom,
    periodTo: options.periodTo,
    id: options.id,
    version: options.version,
    trim,
    minCases,
    budget: options.budget ?? null,
    rate: options.rate ?? null,
    dip: options.dip ?? null,
  };
  const actor = options.actor ?? "system";
  return withRun(store, "calibrate", actor, params, async () => {
    const { cases, dipCases, counts } = await readHistory(store, periods, options.dip !== undefined);
    if (cases.length === 0) {
      throw new PaymentInputError(
        `${options.periodFrom}–${options.periodTo} 没有已接收的结算清单，无法测算`,
        "NO_HISTORY",
      );
    }
    const cal = calibrateWeights(cases, {
      id: options.id,
      version: options.version,
      effectiveFrom: options.effectiveFrom,
      effectiveTo: options.effectiveTo ?? null,
      ...(options.name
        ? { name: options.name }
        : { name: `历史测算权重 ${options.periodFrom}–${options.periodTo}` }),
      ...(options.schemeId ? { scheme: options.schemeId } : {}),
      trim,
      minCases,
      ...(options.fallbackRw !== undefined ? { fallbackRw: options.fallbackRw } : {}),
    });
    const { named, calibration } = weightVersionOf(options, cal, cases.length, trim, minCases);
    const weights = await saveVersion(store, "weights", named, { actor, calibration });
    let rate: Fen | null = options.rate ?? null;
    if (options.budget !== undefined) {
      const volumes = [...counts]
        .filter(([drg]) => cal.table.byDrg.has(drg))
        .map(([drg, n]) => ({ drg, cases: n }));
      rate = rateFromBudget(options.budget, volumes, cal.table);
    }
    let policy: StoredVersion | null = null;
    if (options.policy) {
      const p = { ...options.policy, ...(rate !== null ? { rate: formatYuan(rate) } : {}) };
      policy = await saveVersion(store, "policy", p, {
        actor,
        weights: { id: weights.id, version: weights.version },
      });
    }
    const dip = options.dip
      ? await saveDipCatalogue(store, { ...options, dip: options.dip }, dipCases, trim, actor)
      : null;
    return {
      weights: { ...weights, data: undefined },
      policy: policy ? { ...policy, data: undefined } : null,
      dip: dip ? { ...dip, data: undefined } : null,
      cases: cases.length,
      groups: cal.table.entries.length,
      flagged: cal.flagged,
      rate,
      overallAvgCost: cal.overall.avgCost,
      totals: { cases: cases.length, groups: cal.table.entries.length, flagged: cal.flagged.length, rate },
    };
  });
}

/** What a DIP calibration stores: the catalogue, with the history it was built from. */
export interface CalibrateDipResult {
  readonly runId: number;
  readonly catalogue: StoredVersion;
  readonly cases: number;
  readonly groups: number;
}

/**
 * DIP 病种目录测算 only (`payment calibrate --method dip`): the catalogue from the periods' accepted
 * lists (core groups by the case-count threshold, the rest pooled into comprehensive groups), stored as
 * a new version under `options.dip`; no DRG weight table is written.
 */
export async function calibrateDip(
  options: Omit<CalibrateOptions, "id" | "version"> & { dip: NonNullable<CalibrateOptions["dip"]> },
): Promise<CalibrateDipResult> {
  const { store } = options;
  const periods = periodsBetween(options.periodFrom, options.periodTo);
  const { trim } = checkCalibrateOptions({ ...options, id: options.dip.id, version: options.dip.version });
  const actor = options.actor ?? "system";
  const params = { periodFrom: options.periodFrom, periodTo: options.periodTo, trim, dip: options.dip };
  return withRun(store, "calibrate", actor, params, async () => {
    const { dipCases } = await readHistory(store, periods, true);
    if (dipCases.length === 0)
      throw new PaymentInputError(
        `${options.periodFrom}–${options.periodTo} 没有已接收的结算清单，无法测算 DIP 病种目录`,
        "NO_HISTORY",
      );
    const full = { ...options, id: options.dip.id, version: options.dip.version };
    const saved = await saveDipCatalogue(store, full, dipCases, trim, actor);
    const groups = (saved.data as { groups?: readonly unknown[] } | undefined)?.groups?.length ?? 0;
    return {
      catalogue: { ...saved, data: undefined },
      cases: dipCases.length,
      groups,
      totals: { cases: dipCases.length, groups },
    };
  });
}
