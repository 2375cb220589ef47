/**
 * A region pack's payment data (地区配置包 · 支付部分) published into the store: weight tables, payment
 * policies and benefit policies as dated editions, and the hospitals' master data (医院等级、起付线类别、
 * 支付方式) as master-data editions (a new hospital in force since always, a changed one from today:
 * `savePaymentHospitals`).
 * An edition already published with the same content is left as it is; one published with other
 * content is a conflict (a released edition is never edited: the pack must give it a new version):
 * then nothing at all is written. Everything the pack holds is validated before anything is written.
 */
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import {
  dbOf,
  KIND_NAMES,
  type PaymentHospital,
  parseKind,
  savePaymentHospitals,
  saveVersion,
  VERSIONED_TABLES,
  type VersionedKind,
} from "./repo.js";
import { SETTLEMENT_LEVEL_NAMES } from "./settle-stay.js";

/** The payment part of a region pack, as read from its files (not yet validated). */
export interface PaymentRegionData {
  readonly weights: readonly unknown[];
  readonly policies: readonly unknown[];
  readonly benefits: readonly unknown[];
  /** DIP payment policies (DIP 付费政策), dated editions. */
  readonly dipPolicies?: readonly unknown[];
  readonly hospitals: readonly PaymentHospital[];
}

/** The level names a hospital may have (医院等级), as the policies name them. */
export const HOSPITAL_LEVELS: readonly string[] = Object.values(SETTLEMENT_LEVEL_NAMES);

/** What publishing did: editions written, editions already there, hospitals written. */
export interface PaymentRegionResult {
  readonly published: readonly string[];
  readonly unchanged: readonly string[];
  readonly hospitals: { readonly added: number; readonly changed: number; readonly unchanged: number };
}

/**
 * Checks one edition of a kind with the payment core's own parser; returns the problem, naming the
 * field, or null. Also returns its id@version for messages.
 */
export function checkPaymentEdition(
  kind: VersionedKind,
  data: unknown,
): { label: string; problem: string | null } {
  const o = (data ?? {}) as { id?: unknown; version?: unknown };
  const label = `${KIND_NAMES[kind]} ${String(o.id ?? "?")}@${String(o.version ?? "?")}`;
  try {
    parseKind(kind, data);
    return { label, problem: null };
  } catch (e) {
    return { label, problem: e instanceof Error ? e.message : String(e) };
  }
}

/** The weight table a payment-policy edition names (`weights: {id, version}`), if any. */
function weightsOf(policy: unknown): { id: string; version: string } | null {
  const w = (policy as { weights?: { id?: unknown; version?: unknown } }).weights;
  return typeof w?.id === "string" && typeof w.version === "string" ? { id: w.id, version: w.version } : null;
}

/** Whether an edition is new, already published as it is, or published with other content. */
async function editionState(
  store: Store,
  kind: VersionedKind,
  data: unknown,
): Promise<"new" | "same" | "differs"> {
  const d = data as { id: string; version: string };
  const r = await sql<{ same: boolean }>`SELECT data = ${JSON.stringify(data)}::jsonb AS same
    FROM ${sql.id(VERSIONED_TABLES[kind])} WHERE id = ${d.id} AND version = ${d.version}`.execute(
    dbOf(store),
  );
  const row = r.rows[0];
  return row === undefined ? "new" : row.same ? "same" : "differs";
}

/**
 * Publishes the pack's payment data: weight tables first (policies name them), then payment and
 * benefit policies, then the hospitals. Each edition is checked again by the payment core before
 * anything is written; a pack with a problem writes nothing and throws it.
 */
export async function publishPaymentRegion(
  store: Store,
  data: PaymentRegionData,
  actor: string,
): Promise<PaymentRegionResult> {
  const kinds: [VersionedKind, readonly unknown[]][] = [
    ["weights", data.weights],
    ["policy", data.policies],
    ["benefit", data.benefits],
    ["dipPolicy", data.dipPolicies ?? []],
  ];
  const problems = kinds.flatMap(([kind, editions]) =>
    editions
      .map((e) => checkPaymentEdition(kind, e))
      .flatMap((c) => (c.problem ? [`${c.label}：${c.problem}`] : [])),
  );
  if (problems.length > 0) throw new Error(`地区配置包的支付数据有误：${problems.join("；")}`);
  const out = { published: [] as string[], unchanged: [] as string[] };
  const conflicts: string[] = [];
  const fresh: [VersionedKind, unknown][] = [];
  for (const [kind, editions] of kinds) {
    for (const e of editions) {
      const label = checkPaymentEdition(kind, e).label;
      const state = await editionState(store, kind, e);
      if (state === "new") fresh.push([kind, e]);
      else if (state === "same") out.unchanged.push(label);
      else conflicts.push(`${label} 已发布且内容不同：已发布的版本不可修改，请在配置包中使用新版本号`);
    }
  }
  for (const [kind, e] of fresh) {
    const w = kind === "policy" ? weightsOf(e) : null;
    if (w === null) continue;
    const inPack = data.weights.some((x) => {
      const t = x as { id?: unknown; version?: unknown };
      return t.id === w.id && t.version === w.version;
    });
    if (!inPack && (await editionState(store, "weights", { id: w.id, version: w.version })) === "new")
      conflicts.push(
        `${checkPaymentEdition(kind, e).label} 引用的病组权重表 ${w.id}@${w.version} 既不在配置包中也未发布`,
      );
  }
  if (conflicts.length > 0) throw new Error(`地区配置包未写入任何数据：${conflicts.join("；")}`);
  for (const [kind, e] of fresh) {
    const weights = kind === "policy" ? weightsOf(e) : null;
    await saveVersion(store, kind, e, { actor, ...(weights ? { weights } : {}) });
    out.published.push(checkPaymentEdition(kind, e).label);
  }
  // Idempotent: a row the pack gave before writes nothing; a change is an edition in force from today.
  const hospitals = await savePaymentHospitals(store, data.hospitals, { actor });
  return { ...out, hospitals };
}
