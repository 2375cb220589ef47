/**
 * The demo region (演示地区) that `npm start` loads into an empty store: a synthetic city from
 * `@yibao/synth`, grouped with the configured scheme, received through the same intake step as the
 * HTTP API (parse → QC → group), with each list received at its own declaration time (申报时间).
 * A few percent of the lists carry a labelled QC defect (`@yibao/synth` `withQcDefect`: late uploads,
 * empty required fields, non-医保版 codes, money that does not balance), so that the intake refuses
 * some and accepts some with a warning, as it would a real region's uploads.
 */
import type { DrgScheme } from "@yibao/grouper";
import { createListPreparer } from "@yibao/server";
import type { SettlementListUpload, Store } from "@yibao/store";
import {
  DEFAULT_QC_DEFECT_SHARES,
  generateRegion,
  type QcDefectKind,
  qcDefectOf,
  type SynthRegion,
  withQcDefect,
} from "@yibao/synth";

export interface DemoRegionOptions {
  /** PRNG seed; the same seed always gives the same region. */
  readonly seed?: number;
  /** Number of settlement lists to generate (default 20,000). */
  readonly stays?: number;
  /** Admission period (default: the previous calendar year of `today`). */
  readonly from?: string;
  readonly to?: string;
  /** Share of stays with an injected, labelled irregularity (default 0.05) for the audit views. */
  readonly injectRate?: number;
  /**
   * Share of lists with a QC defect, by defect (default `DEFAULT_QC_DEFECT_SHARES`, 2.8% in all);
   * `false` for none.
   */
  readonly qcDefects?: Readonly<Record<QcDefectKind, number>> | false;
  readonly today?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DemoRegionResult {
  readonly skipped: boolean;
  readonly lists: number;
  readonly accepted: number;
  readonly hospitals: number;
  /** Lists given a QC defect, by defect. */
  readonly defects: Readonly<Partial<Record<QcDefectKind, number>>>;
  readonly from: string;
  readonly to: string;
}

/** `yyyy-MM-dd HH:mm:ss` (local) as a Date. */
function declaredAt(t: string | undefined, fallback: string): Date {
  const s = (t && t.length >= 10 ? t : `${fallback} 12:00:00`).replace(" ", "T");
  return new Date(s);
}

/** Loads the demo region into the store unless it already holds settlement lists. */
export async function loadDemoRegion(
  store: Store,
  scheme: DrgScheme,
  opts: DemoRegionOptions = {},
): Promise<DemoRegionResult> {
  const year = (opts.today ?? new Date()).getFullYear() - 1;
  const from = opts.from ?? `${year}-01-01`;
  const to = opts.to ?? `${year}-12-31`;
  const existing = await store.listSettlementLists({ limit: 1 });
  if (existing.total > 0)
    return { skipped: true, lists: existing.total, accepted: 0, hospitals: 0, defects: {}, from, to };
  const stays = opts.stays ?? 20_000;
  const seed = opts.seed ?? 2026;
  const shares = opts.qcDefects === undefined ? DEFAULT_QC_DEFECT_SHARES : opts.qcDefects;
  const defects: Partial<Record<QcDefectKind, number>> = {};
  const region: SynthRegion = generateRegion({
    seed,
    stays,
    scheme,
    from,
    to,
    inject: { rate: opts.injectRate ?? 0.05 },
  });
  const prepare = createListPreparer(scheme);
  const perHospitalPeriod = new Map<string, number>();
  let batch: SettlementListUpload[] = [];
  let lists = 0;
  let accepted = 0;
  const flush = async () => {
    const outcomes = await store.saveSettlementLists(batch);
    accepted += outcomes.filter((o) => o.outcome !== "refused_kept" && o.status === "accepted").length;
    batch = [];
    opts.onProgress?.(lists, stays);
  };
  for (const stay of region.stays()) {
    const defect = shares ? qcDefectOf(seed, stay.message.input.setlinfo.setl_id, shares) : null;
    const message = defect ? withQcDefect(stay.message, defect, seed) : stay.message;
    if (defect) defects[defect] = (defects[defect] ?? 0) + 1;
    const info = message.input.setlinfo;
    const prepared = prepare(message, declaredAt(info.dcla_time, info.setl_end_date));
    lists++;
    if (prepared.upload) {
      batch.push(prepared.upload);
      const key = `${info.fixmedins_code}|${info.setl_end_date.slice(0, 7)}`;
      perHospitalPeriod.set(key, (perHospitalPeriod.get(key) ?? 0) + 1);
    }
    if (batch.length >= 1000) await flush();
  }
  if (batch.length > 0) await flush();
  // Every hospital of the region is registered, also one that discharged nobody in the period: the
  // console then lists it with zeros instead of leaving it out.
  const now = new Date();
  await store.db
    .insertInto("hospital")
    .values(
      region.hospitals.map((h) => ({
        code: h.code,
        name: h.name,
        level: h.level,
        first_seen_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.column("code").doUpdateSet((eb) => ({ level: eb.ref("excluded.level") })))
    .execute();
  // Every generated list was due: the settlements expected per hospital and period (应上传数).
  for (const [key, n] of perHospitalPeriod) {
    const [hospital, period] = key.split("|") as [string, string];
    await store.setSettledCount(hospital, period, n);
  }
  return { skipped: false, lists, accepted, hospitals: region.hospitals.length, defects, from, to };
}
