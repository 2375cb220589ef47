/**
 * Group commit (批量写入): uploads arriving at the same time from many requests are written together in
 * one transaction, so the database sees a few large batches instead of thousands of tiny ones.
 *
 * Order per setl_id is kept: an upload is never written while an earlier upload of the same setl_id is
 * still in flight. If a batch fails, its uploads are retried one by one so one bad upload cannot sink
 * the others; if it failed because the database cannot be reached, every upload of it fails at once.
 */
import { isDatabaseUnavailable } from "./open.js";
import type { SaveOutcome, SettlementListUpload } from "./settlement-lists.js";

export interface WriteBatcherOptions {
  /** Most uploads per transaction (default 500). */
  readonly maxBatch?: number;
  /** Most transactions in flight at once (default 2). */
  readonly maxInFlight?: number;
}

interface Pending {
  readonly upload: SettlementListUpload;
  readonly resolve: (o: SaveOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class WriteBatcher {
  readonly #save: (uploads: readonly SettlementListUpload[]) => Promise<SaveOutcome[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  readonly #busyIds = new Map<string, number>();
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];

  constructor(
    save: (uploads: readonly SettlementListUpload[]) => Promise<SaveOutcome[]>,
    options: WriteBatcherOptions = {},
  ) {
    this.#save = save;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  }

  /** Queues one upload; resolves once it is committed. */
  save(upload: SettlementListUpload): Promise<SaveOutcome> {
    return new Promise<SaveOutcome>((resolve, reject) => {
      this.#queue.push({ upload, resolve, reject });
      this.#schedule();
    });
  }

  /** Queues several uploads (kept in order); each promise settles on its own. */
  saveAll(uploads: readonly SettlementListUpload[]): Promise<SaveOutcome>[] {
    return uploads.map((u) => this.save(u));
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Let the current tick's requests join the batch before it is cut.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump() {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      const blocked = new Set<string>();
      for (const p of this.#queue) {
        const id = p.upload.list.setl_id;
        if (batch.length < this.#maxBatch && !this.#busyIds.has(id) && !blocked.has(id)) batch.push(p);
        else {
          rest.push(p);
          blocked.add(id);
        }
      }
      if (batch.length === 0) break;
      this.#queue = rest;
      this.#run(batch);
    }
    if (this.#queue.length === 0 && this.#inFlight === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  #run(batch: Pending[]) {
    this.#inFlight++;
    for (const p of batch)
      this.#busyIds.set(p.upload.list.setl_id, (this.#busyIds.get(p.upload.list.setl_id) ?? 0) + 1);
    const done = () => {
      for (const p of batch) {
        const id = p.upload.list.setl_id;
        const n = (this.#busyIds.get(id) ?? 1) - 1;
        if (n === 0) this.#busyIds.delete(id);
        else this.#busyIds.set(id, n);
      }
      this.#inFlight--;
      this.#pump();
    };
    this.#write(batch).then(done, done);
  }

  async #write(batch: Pending[]) {
    try {
      const outcomes = await this.#save(batch.map((p) => p.upload));
      for (const [i, p] of batch.entries()) {
        const outcome = outcomes[i];
        if (outcome === undefined) p.reject(new Error(`批量保存没有返回第 ${i + 1} 份的结果`));
        else p.resolve(outcome);
      }
    } catch (e) {
      // One by one only helps against a bad upload, not against a database that cannot be reached.
      if (batch.length === 1 || isDatabaseUnavailable(e)) {
        for (const p of batch) p.reject(e);
        return;
      }
      for (const p of batch) {
        try {
          const [o] = await this.#save([p.upload]);
          if (o === undefined) p.reject(new Error("保存没有返回结果"));
          else p.resolve(o);
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }
}
