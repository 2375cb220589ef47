/**
 * The whole platform (平台) as the `yibao` command runs it: every area's migrations and server
 * plugins in one place, so that every command opens the same database the same way. Kysely refuses
 * a database that has run a migration the caller does not know, so a command that opened the store
 * with fewer migrations than `yibao serve` would fail on a store the server had created.
 */
import { fileURLToPath } from "node:url";
import {
  AUDIT_TABLES,
  type AuditLibraries,
  type AuditPublishedViews,
  type AuditTables,
  auditMigrations,
  auditPlugin,
} from "@yibao/audit-service";
import {
  CONSOLE_TABLES,
  type ConsolePluginOptions,
  type ConsoleSources,
  type ConsoleSourceViews,
  type ConsoleTables,
  consoleMigrations,
  consolePlugins,
} from "@yibao/console";
import {
  estimateListPayment,
  PAYMENT_TABLES,
  type PaymentPublishedViews,
  type PaymentTables,
  paymentMigrations,
  paymentPlugin,
} from "@yibao/payment-service";
import { IDENTITY_TABLES, type IdentityTables, identityMigrations, type ServerPlugin } from "@yibao/server";
import {
  type AsTables,
  type NamedMigration,
  type OwnedTables,
  STORE_TABLES,
  type Store,
  type StoreTables,
  storeMigrations,
} from "@yibao/store";
import type { Kysely } from "kysely";

/**
 * Every migration beyond the store's own: identity (the server core's accounts, sessions, operation
 * log: 0300 and 04xx), payment (01xx), audit (02xx), console (0301–0399).
 */
export const PLATFORM_MIGRATIONS: readonly NamedMigration[] = [
  ...identityMigrations,
  ...paymentMigrations,
  ...auditMigrations,
  ...consoleMigrations,
];

/**
 * Every area's migrations with the tables it declares it owns, in the order they run. The
 * table-ownership test (`test/table-ownership.test.ts`) holds each area's migrations to its list.
 */
export const PLATFORM_AREAS: readonly {
  readonly owned: OwnedTables;
  readonly migrations: readonly NamedMigration[];
}[] = [
  { owned: STORE_TABLES, migrations: storeMigrations },
  { owned: IDENTITY_TABLES, migrations: identityMigrations },
  { owned: PAYMENT_TABLES, migrations: paymentMigrations },
  { owned: AUDIT_TABLES, migrations: auditMigrations },
  { owned: CONSOLE_TABLES, migrations: consoleMigrations },
];

/** Every area's tables: the platform's database, composed once here. */
export type PlatformTables = StoreTables & IdentityTables & PaymentTables & AuditTables & ConsoleTables;
export type PlatformDb = Kysely<PlatformTables>;

/** A table name that two areas both declare (none: each table has one owner). */
type Shared<A, B> = keyof A & keyof B;
type Overlaps =
  | Shared<StoreTables, IdentityTables | PaymentTables | AuditTables | ConsoleTables>
  | Shared<IdentityTables, PaymentTables | AuditTables | ConsoleTables>
  | Shared<PaymentTables, AuditTables | ConsoleTables>
  | Shared<AuditTables, ConsoleTables>;
/** Compile-time check: `true` only while no table name is in two areas' interfaces. */
export const TABLE_NAMES_DISJOINT: [Overlaps] extends [never] ? true : never = true;

/** The store's connection typed with every area's tables (tools and benchmarks that span areas). */
export function platformDb(store: Store): PlatformDb {
  return store.db.withTables<AsTables<IdentityTables & PaymentTables & AuditTables & ConsoleTables>>();
}

/** The platform runs every area: the console's figures read payment's and audit's published views. */
export const PLATFORM_SOURCES: ConsoleSources = { payment: true, audit: true };

/** `true` when every view the console reads is published with at least the columns, of the types, it reads. */
type Publishes<Published, Read> = {
  [V in keyof Read]: V extends keyof Published
    ? {
        [C in keyof Read[V]]: C extends keyof Published[V]
          ? Published[V][C] extends Read[V][C]
            ? true
            : never
          : never;
      }
    : never;
};
/**
 * Compile-time check of the console's read contract: a column the console reads that payment or
 * audit stops publishing (or publishes with another type) fails to compile here.
 */
export const CONSOLE_SOURCES_PUBLISHED: Publishes<
  PaymentPublishedViews & AuditPublishedViews,
  ConsoleSourceViews
> = {
  payment_settled_stay: {
    setl_id: true,
    list_version: true,
    hospital_code: true,
    drg_payment_fen: true,
    total_cost_fen: true,
    outlier: true,
    rw_ppm: true,
    weights_id: true,
    weights_version: true,
    policy_id: true,
    policy_version: true,
    policy_method: true,
    policy_rate: true,
  },
  payment_latest_run: { run_id: true },
  payment_recovered_by_finding: { finding_id: true, amount_fen: true },
  audit_finding_cell: {
    finding_id: true,
    hospital_code: true,
    period: true,
    setl_id: true,
    updated_at: true,
  },
};

/** The DIP worked example (`yibao examples dip`). */
export const DIP_EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/dip", import.meta.url));
/**
 * The worked examples of fund loss under DRG (九类违规情形基金损失测算示例: each stay as uploaded and
 * as corrected, with the expected loss) shipped in the repository (`examples/seed-002`).
 */
export const SEED_002_EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/seed-002", import.meta.url));

/**
 * Every area's API on one server, beside the core's intake and sign-in: the console (indicators,
 * lists, appeals, accounts), payment (/api/v1/payment) and audit (/api/v1/audit).
 */
export function platformPlugins(
  store: Store,
  consoleOptions: Omit<ConsolePluginOptions, "store"> = {},
  /** The audit's rule and knowledge base editions (default the built-in ones), e.g. from a region pack. */
  auditLibraries?: AuditLibraries,
): ServerPlugin[] {
  return [
    // 试分组 estimates with the payment area's settlement, so it equals what settlement pays.
    ...consolePlugins({
      estimate: (list) => estimateListPayment(store, list),
      sources: PLATFORM_SOURCES,
      ...consoleOptions,
      store,
    }),
    paymentPlugin({ examplesDir: SEED_002_EXAMPLES_DIR }),
    auditPlugin(auditLibraries ? { libraries: auditLibraries } : {}),
  ];
}
