/**
 * The whole platform (平台) as the `yibao` command runs it: every area's migrations and server
 * plugins in one place, so that every command opens the same database the same way. Kysely refuses
 * a database that has run a migration the caller does not know, so a command that opened the store
 * with fewer migrations than `yibao serve` would fail on a store the server had created.
 */
import { fileURLToPath } from "node:url";
import { auditMigrations, auditPlugin } from "@yibao/audit-service";
import { type ConsolePluginOptions, consoleMigrations, consolePlugins } from "@yibao/console";
import { estimateListPayment, paymentMigrations, paymentPlugin } from "@yibao/payment-service";
import { identityMigrations, type ServerPlugin } from "@yibao/server";
import type { NamedMigration, Store } from "@yibao/store";

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
 * The worked examples of fund loss under DRG (九类违规情形基金损失测算示例: each stay as uploaded and
 * as corrected, with the expected loss) shipped in the repository (`examples/seed-002`).
 */
/** The DIP worked example (`yibao examples dip`). */
export const DIP_EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/dip", import.meta.url));
export const SEED_002_EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/seed-002", import.meta.url));

/**
 * Every area's API on one server, beside the core's intake and sign-in: the console (indicators,
 * lists, appeals, accounts), payment (/api/v1/payment) and audit (/api/v1/audit).
 */
export function platformPlugins(
  store: Store,
  consoleOptions: Omit<ConsolePluginOptions, "store"> = {},
): ServerPlugin[] {
  return [
    // 试分组 estimates with the payment area's settlement, so it equals what settlement pays.
    ...consolePlugins({ estimate: (list) => estimateListPayment(store, list), ...consoleOptions, store }),
    paymentPlugin({ examplesDir: SEED_002_EXAMPLES_DIR }),
    auditPlugin(),
  ];
}
