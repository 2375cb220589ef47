import type { DrgScheme } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { createListPreparer } from "@yibao/server";
import type { SettlementListUpload, Store } from "@yibao/store";
import { generateRegion } from "@yibao/synth";

export async function demoScheme(): Promise<DrgScheme> {
  return loadSchemeDir(DEMO_SCHEME_DIR);
}

/** Fills a store with a small synthetic region through the normal parse → QC → group step. */
export async function fillRegion(store: Store, scheme: DrgScheme, stays: number, seed = 7): Promise<number> {
  const region = generateRegion({ seed, stays, scheme, from: "2023-01-01", to: "2023-12-31" });
  const prepare = createListPreparer(scheme);
  let batch: SettlementListUpload[] = [];
  let n = 0;
  for (const s of region.stays()) {
    const received = new Date(`${s.message.input.setlinfo.setl_end_date.slice(0, 10)}T12:00:00+08:00`);
    received.setUTCDate(received.getUTCDate() + 2);
    const p = prepare(s.message, received);
    if (p.upload) batch.push(p.upload);
    if (batch.length >= 500) {
      n += (await store.saveSettlementLists(batch)).length;
      batch = [];
    }
  }
  if (batch.length) n += (await store.saveSettlementLists(batch)).length;
  return n;
}
