/**
 * Repository of the payment tables (支付数据存取): versioned policies and tables as JSON, runs,
 * hospitals, approvals and deductions. Every write of versioned data validates it first with the
 * payment package's parsers, so what is stored always parses.
 */

import { periodsBetween as kernelPeriodsBetween, periodProblem } from "@yibao/kernel/calendar";
import {
  type BenefitPolicy,
  type DrgWeightTable,
  type PaymentPolicy,
  parseBenefitPolicy,
  parseDipPaymentPolicy,
  parseDrgWeightTable,
  parsePaymentPolicy,
} from "@yibao/payment";
import { type ErrorCode, statusOf } from "@yibao/server/error-catalogue";
import { knownHospitalCodes, type Store } from "@yibao/store";
import { sql } from "kysely";
import { type PaymentDb, paymentDb } from "./tables.js";

/** The database of a store typed with the payment tables, for SQL on them (`paymentDb`). */
export function dbOf(store: Store): PaymentDb {
  return paymentDb(store);
}

/** A problem with the caller's input (→ HTTP 400 / CLI error), Chinese message. */
export class PaymentInputError extends Error {
  constructor(
    message: string,
    /** Its code in the error catalogue, which fixes the HTTP status. */
    readonly code: ErrorCode = "INVALID_INPUT",
  ) {
    super(message);
    this.name = "PaymentInputError";
  }
  get statusCode(): number {
    return statusOf(this.code);
  }
}

/** Kinds of versioned data and their tables. */
export type VersionedKind = "policy" | "weights" | "benefit" | "dip" | "dipPolicy";

export const VERSIONED_TABLES: Record<VersionedKind, string> = {
  policy: "payment_policy",
  weights: "drg_weight_table",
  benefit: "benefit_policy",
  dip: "dip_catalogue",
  dipPolicy: "dip_payment_policy",
};

/** Chinese names of the kinds, for messages. */
export const KIND_NAMES: Record<VersionedKind, string> = {
  policy: "支付政策",
  weights: "病组权重表",
  benefit: "待遇政策",
  dip: "DIP 病种目录",
  dipPolicy: "DIP 付费政策",
};

/** A stored version (版本摘要). */
export interface StoredVersion {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly region: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly data: unknown;
  /** Payment policies: the weight table named for it, if any. */
  readonly weights?: { readonly id: string; readonly version: string } | null;
}

interface VersionRow {
  id: string;
  version: string;
  name: string;
  region: string;
  effective_from: string;
  effective_to: string | null;
  created_by: string;
  created_at: Date;
  data: unknown;
  weights_id?: string | null;
  weights_version?: string | null;
}

function toStored(r: VersionRow): StoredVersion {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    region: r.region,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    data: r.data,
    ...(r.weights_id !== undefined
      ? { weights: r.weights_id ? { id: r.weights_id, version: r.weights_version ?? "" } : null }
      : {}),
  };
}

/** Validates versioned data of a kind with the payment package's parser; throws PolicyDataError. */
export function parseKind(kind: VersionedKind, data: unknown): { name: string; region: string } {
  switch (kind) {
    case "policy": {
      const p = parsePaymentPolicy(data);
      return { name: p.name, region: p.region };
    }
    case "weights": {
      const w = parseDrgWeightTable(data);
      return { name: w.name, region: "" };
    }
    case "benefit": {
      const b = parseBenefitPolicy(data);
      return { name: b.name, region: b.region };
    }
    case "dipPolicy": {
      parseDipPaymentPolicy(data);
      const o = data as { name?: unknown; region?: unknown };
      return {
        name: typeof o.name === "string" ? o.name : "",
        region: typeof o.region === "string" ? o.region : "",
      };
    }
    case "dip": {
      const o = data as { name?: unknown; region?: unknown };
      return {
        name: typeof o.name === "string" ? o.name : "",
        region: typeof o.region === "string" ? o.region : "",
      };
    }
  }
}

/** Saves a new version; throws PaymentInputError when that (id, version) already exists. */
export async function saveVersion(
  store: Store,
  kind: VersionedKind,
  data: unknown,
  options: {
    readonly actor: string;
    readonly weights?: { readonly id: string; readonly version: string } | null;
    readonly calibration?: unknown;
  },
): Promise<StoredVersion> {
  const { name, region } = parseKind(kind, data);
  const d = data as { id: string; version: string; effectiveFrom: string; effectiveTo?: string | null };
  const db = dbOf(store);
  const table = sql.id(VERSIONED_TABLES[kind]);
  const existing = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table}
    WHERE id = ${d.id} AND version = ${d.version}`.execute(db);
  if ((existing.rows[0]?.n ?? 0) > 0) {
    throw new PaymentInputError(
      `${KIND_NAMES[kind]} ${d.id}@${d.version} 已存在；版本一经保存不可修改，请使用新版本号`,
      "VERSION_EXISTS",
    );
  }
  if (kind === "policy" && options.weights) {
    const w = await sql<{ n: number }>`SELECT count(*)::int AS n FROM drg_weight_table
      WHERE id = ${options.weights.id} AND version = ${options.weights.version}`.execute(db);
    if ((w.rows[0]?.n ?? 0) === 0) {
      throw new PaymentInputError(
        `病组权重表 ${options.weights.id}@${options.weights.version} 不存在`,
        "WEIGHTS_NOT_FOUND",
      );
    }
  }
  const json = JSON.stringify(data);
  const to = d.effectiveTo ?? null;
  if (kind === "policy") {
    const method = (data as { method?: string }).method ?? "rate";
    await sql`INSERT INTO payment_policy (id, version, name, region, effective_from, effective_to, data, created_by, method, weights_id, weights_version)
      VALUES (${d.id}, ${d.version}, ${name}, ${region}, ${d.effectiveFrom}, ${to}, ${json}::jsonb, ${options.actor}, ${method},
        ${options.weights?.id ?? null}, ${options.weights?.version ?? null})`.execute(db);
  } else if (kind === "weights") {
    const scheme = (data as { scheme?: string }).scheme ?? null;
    await sql`INSERT INTO drg_weight_table (id, version, name, region, effective_from, effective_to, data, created_by, scheme, calibration)
      VALUES (${d.id}, ${d.version}, ${name}, ${region}, ${d.effectiveFrom}, ${to}, ${json}::jsonb, ${options.actor}, ${scheme},
        ${options.calibration === undefined ? null : JSON.stringify(options.calibration)}::jsonb)`.execute(
      db,
    );
  } else {
    await sql`INSERT INTO ${table} (id, version, name, region, effective_from, effective_to, data, created_by)
      VALUES (${d.id}, ${d.version}, ${name}, ${region}, ${d.effectiveFrom}, ${to}, ${json}::jsonb, ${options.actor})`.execute(
      db,
    );
  }
  const saved = await getVersion(store, kind, d.id, d.version);
  if (!saved) throw new Error(`保存后未找到 ${KIND_NAMES[kind]} ${d.id}@${d.version}`);
  return saved;
}

/** Lists the stored versions of a kind, newest effective date first. */
export async function listVersions(
  store: Store,
  kind: VersionedKind,
  withData = false,
): Promise<StoredVersion[]> {
  const table = sql.id(VERSIONED_TABLES[kind]);
  const extra = kind === "policy" ? sql`, weights_id, weights_version` : sql``;
  const data = withData ? sql`data` : sql`NULL::jsonb AS data`;
  const r =
    await sql<VersionRow>`SELECT id, version, name, region, effective_from, effective_to, created_by, created_at, ${data} ${extra}
    FROM ${table} ORDER BY effective_from DESC, id, version`.execute(dbOf(store));
  return r.rows.map(toStored);
}

/** One stored version with its data. */
export async function getVersion(
  store: Store,
  kind: VersionedKind,
  id: string,
  version: string,
): Promise<StoredVersion | undefined> {
  const table = sql.id(VERSIONED_TABLES[kind]);
  const extra = kind === "policy" ? sql`, weights_id, weights_version` : sql``;
  const r =
    await sql<VersionRow>`SELECT id, version, name, region, effective_from, effective_to, created_by, created_at, data ${extra}
    FROM ${table} WHERE id = ${id} AND version = ${version}`.execute(dbOf(store));
  const row = r.rows[0];
  return row ? toStored(row) : undefined;
}

/** A payment policy version with the weight table it uses. */
export interface PolicyWithWeights {
  readonly policy: PaymentPolicy;
  readonly weights: DrgWeightTable;
}

/**
 * Loads the payment policies (optionally only `id`, or only `id@version`) with their weight tables:
 * the one named by the policy row, else the weight table in force on the policy's effective date
 * (latest effective_from, then latest created).
 */
export async function loadPolicies(
  store: Store,
  select: { readonly id?: string; readonly version?: string } = {},
): Promise<PolicyWithWeights[]> {
  const db = dbOf(store);
  const rows =
    await sql<VersionRow>`SELECT id, version, name, region, effective_from, effective_to, created_by, created_at, data, weights_id, weights_version
    FROM payment_policy
    WHERE (${select.id ?? null}::text IS NULL OR id = ${select.id ?? null})
      AND (${select.version ?? null}::text IS NULL OR version = ${select.version ?? null})
    ORDER BY effective_from`.execute(db);
  if (rows.rows.length === 0) {
    const what = select.id ? `${select.id}${select.version ? `@${select.version}` : ""}` : "";
    throw new PaymentInputError(
      `没有${what ? `支付政策 ${what}` : "已保存的支付政策"}，请先保存支付政策`,
      "POLICY_NOT_FOUND",
    );
  }
  const weights = await sql<
    VersionRow & { created_at: Date }
  >`SELECT id, version, name, region, effective_from, effective_to, created_by, created_at, data
    FROM drg_weight_table ORDER BY effective_from DESC, created_at DESC`.execute(db);
  const parsedWeights = new Map<string, DrgWeightTable>();
  const weightsOf = (r: VersionRow): DrgWeightTable => {
    const key = `${r.id}@${r.version}`;
    let t = parsedWeights.get(key);
    if (!t) {
      t = parseDrgWeightTable(r.data);
      parsedWeights.set(key, t);
    }
    return t;
  };
  return rows.rows.map((r) => {
    const policy = parsePaymentPolicy(r.data);
    let w: VersionRow | undefined;
    if (r.weights_id) {
      w = weights.rows.find((x) => x.id === r.weights_id && x.version === r.weights_version);
    } else {
      w = weights.rows.find(
        (x) =>
          x.effective_from <= r.effective_from &&
          (x.effective_to === null || r.effective_from <= x.effective_to),
      );
    }
    if (!w) {
      throw new PaymentInputError(
        `支付政策 ${r.id}@${r.version} 没有可用的病组权重表（需在 ${r.effective_from} 生效），请先测算或保存权重表`,
        "WEIGHTS_NOT_FOUND",
      );
    }
    return { policy, weights: weightsOf(w) };
  });
}

/** Every stored benefit policy, parsed. */
export async function loadBenefitPolicies(store: Store): Promise<BenefitPolicy[]> {
  const r = await sql<{ data: unknown }>`SELECT data FROM benefit_policy ORDER BY effective_from`.execute(
    dbOf(store),
  );
  return r.rows.map((x) => parseBenefitPolicy(x.data));
}

export {
  loadPaymentHospitals,
  type PaymentHospital,
  type PaymentMethod,
  savePaymentHospitals,
} from "./hospital-data.js";

/** Starts a run (作业记录) and returns its id. */
export async function startRun(store: Store, kind: string, actor: string, params: unknown): Promise<number> {
  const r = await sql<{ run_id: number }>`INSERT INTO payment_run (kind, actor, started_at, status, params)
    VALUES (${kind}, ${actor}, now(), 'running', ${JSON.stringify(params)}::jsonb) RETURNING run_id`.execute(
    dbOf(store),
  );
  return Number(r.rows[0]?.run_id);
}

export async function finishRun(store: Store, runId: number, totals: unknown, error?: string): Promise<void> {
  await sql`UPDATE payment_run SET finished_at = now(), status = ${error ? "failed" : "done"},
    totals = ${totals === undefined ? null : JSON.stringify(totals)}::jsonb, error = ${error ?? null}
    WHERE run_id = ${runId}`.execute(dbOf(store));
}

/** Runs `job` inside a recorded run; a failure is recorded and rethrown. */
export async function withRun<T extends { totals?: unknown }>(
  store: Store,
  kind: string,
  actor: string,
  params: unknown,
  job: (runId: number) => Promise<T>,
): Promise<T & { runId: number }> {
  const runId = await startRun(store, kind, actor, params);
  try {
    const out = await job(runId);
    await finishRun(store, runId, out.totals ?? out);
    return { ...out, runId };
  } catch (e) {
    await finishRun(store, runId, undefined, e instanceof Error ? e.message : String(e)).catch(
      () => undefined,
    );
    throw e;
  }
}

/** An audit deduction (审核扣款) as the audit service writes it. */
export interface AuditDeductionInput {
  readonly hospitalCode: string;
  readonly year: number;
  readonly amountFen: number;
  readonly reason: string;
  readonly findingId?: string | null;
}

/**
 * Records audit deductions; a finding id already recorded is skipped (idempotent). Every item is
 * checked first (amount, year, and that the hospital is one the store knows), then all are written in
 * one transaction: a batch with one bad item writes nothing. Returns rows added.
 */
export async function recordAuditDeductions(
  store: Store,
  items: readonly AuditDeductionInput[],
): Promise<number> {
  const db = dbOf(store);
  const codes = [...new Set(items.map((d) => d.hospitalCode))];
  const known = await knownHospitalCodes(store.db, codes);
  for (const [i, d] of items.entries()) {
    if (!Number.isSafeInteger(d.amountFen) || d.amountFen < 0) {
      throw new PaymentInputError(`审核扣款[${i}]（${d.hospitalCode}）amountFen：须为非负整数分`);
    }
    if (!Number.isInteger(d.year) || d.year < 1900 || d.year > 9999) {
      throw new PaymentInputError(`审核扣款[${i}]（${d.hospitalCode}）year：须为四位年份`);
    }
    if (!known.has(d.hospitalCode)) {
      throw new PaymentInputError(`审核扣款[${i}] hospital：定点医疗机构 ${d.hospitalCode} 不存在`);
    }
  }
  return db.transaction().execute(async (trx) => {
    let added = 0;
    for (const d of items) {
      const r = await sql`INSERT INTO audit_deduction (hospital_code, year, amount_fen, reason, finding_id)
        VALUES (${d.hospitalCode}, ${d.year}, ${d.amountFen}, ${d.reason}, ${d.findingId ?? null})
        ON CONFLICT (finding_id) DO NOTHING`.execute(trx);
      added += Number(r.numAffectedRows ?? 0n);
    }
    return added;
  });
}

/** Formats a yyyy-MM period check (years 1900–2199); throws PaymentInputError. */
export function checkPeriod(p: string, field: string): string {
  const problem = periodProblem(p, field);
  if (problem !== null) throw new PaymentInputError(problem);
  return p;
}

/** The periods from `from` to `to` inclusive (yyyy-MM), checked with this package's errors. */
export function periodsBetween(from: string, to: string): string[] {
  checkPeriod(from, "periodFrom");
  checkPeriod(to, "periodTo");
  if (to < from) throw new PaymentInputError(`结束期号 ${to} 早于开始期号 ${from}`);
  return kernelPeriodsBetween(from, to);
}

/** Parses `yyyy-MM` or `yyyy-MM..yyyy-MM`. */
export function parsePeriodRange(s: string): { from: string; to: string } {
  const [a, b] = s.split("..");
  const from = checkPeriod((a ?? "").trim(), "period");
  const to = b === undefined ? from : checkPeriod(b.trim(), "period");
  if (to < from) throw new PaymentInputError(`结束期号 ${to} 早于开始期号 ${from}`);
  return { from, to };
}
