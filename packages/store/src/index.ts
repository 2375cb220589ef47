/**
 * @yibao/store: storage of settlement lists, QC findings and grouping results on PostgreSQL or
 * embedded PGlite, with one schema and one set of migrations.
 */

import type { Kysely } from "kysely";
import { type IndicatorFilter, type QcIndicatorReport, qcIndicators, setSettledCount } from "./indicators.js";
import { type Database, openDatabase, ping, type StoreEngine, type StoreOptions } from "./open.js";
import type { StoreDatabase } from "./schema.js";
import {
  getSettlementList,
  listSettlementLists,
  type SaveOutcome,
  type SettlementListDetail,
  type SettlementListFilter,
  type SettlementListSummary,
  type SettlementListUpload,
  saveSettlementLists,
} from "./settlement-lists.js";
import { WriteBatcher, type WriteBatcherOptions } from "./write-batcher.js";

export * from "./indicators.js";
export * from "./migrations.js";
export * from "./open.js";
export * from "./ports.js";
export * from "./published-editions.js";
export * from "./regroup.js";
export * from "./schema.js";
export * from "./settlement-lists.js";
export * from "./write-batcher.js";

/** The open store (数据存储) with its repository functions. */
export interface Store {
  /** The Kysely instance, for packages that add their own tables. */
  readonly db: Kysely<StoreDatabase>;
  readonly engine: StoreEngine;
  readonly location: string;
  /** Checks that the database answers. */
  ping(): Promise<void>;
  /** Saves a batch of uploads now, in one transaction. */
  saveSettlementLists(uploads: readonly SettlementListUpload[]): Promise<SaveOutcome[]>;
  /** Saves one upload through the group-commit queue; resolves when committed. */
  submitSettlementList(upload: SettlementListUpload): Promise<SaveOutcome>;
  listSettlementLists(
    filter?: SettlementListFilter,
  ): Promise<{ total: number; items: SettlementListSummary[] }>;
  getSettlementList(setlId: string): Promise<SettlementListDetail | undefined>;
  qcIndicators(filter?: IndicatorFilter): Promise<QcIndicatorReport>;
  setSettledCount(hospitalCode: string, period: string, settledCount: number): Promise<void>;
  /** Waits for queued writes, then closes every connection. */
  close(): Promise<void>;
}

export interface OpenStoreOptions extends StoreOptions {
  /** Group-commit tuning. */
  readonly batching?: WriteBatcherOptions;
}

/** Wraps an open database in the repository functions. */
export function storeFor(database: Database, batching: WriteBatcherOptions = {}): Store {
  const { db } = database;
  const batcher = new WriteBatcher((uploads) => saveSettlementLists(db, uploads), {
    maxInFlight: database.engine === "pglite" ? 1 : 2,
    ...batching,
  });
  return {
    db,
    engine: database.engine,
    location: database.location,
    ping: () => ping(db),
    saveSettlementLists: (uploads) => saveSettlementLists(db, uploads),
    submitSettlementList: (upload) => batcher.save(upload),
    listSettlementLists: (filter) => listSettlementLists(db, filter),
    getSettlementList: (setlId) => getSettlementList(db, setlId),
    qcIndicators: (filter) => qcIndicators(db, filter),
    setSettledCount: (h, p, n) => setSettledCount(db, h, p, n),
    async close() {
      await batcher.idle();
      await database.close();
    },
  };
}

/**
 * Opens the store: PostgreSQL if `databaseUrl` (or env `DATABASE_URL`) is a `postgres://` URL, else
 * PGlite under `dataDir` (or env `YIBAO_DATA_DIR`, default `./data`), or in memory with `memory: true`.
 * Runs every pending migration, the store's own and any given in `migrations`.
 */
export async function openStore(options: OpenStoreOptions = {}, env = process.env): Promise<Store> {
  return storeFor(await openDatabase(options, env), options.batching);
}
