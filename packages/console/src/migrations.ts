/**
 * The console's migrations (0301–0399): appeals, the indicator cubes and weights, and indexes on the store's settlement lists for the console's
 * queries. Pass them to `openStore({ migrations: consoleMigrations })`.
 */
import { type MigrationDb, type NamedMigration, type OwnedTables, ownedTables } from "@yibao/store";
import { sql } from "kysely";
import type { ConsoleTables } from "./schema.js";

/** The tables the console's migrations own; `console_drg_weight` was dropped by 0305. */
export const CONSOLE_TABLES: OwnedTables = ownedTables<ConsoleTables>(
  "console",
  { console_appeal: true, console_cube: true, console_cube_hd: true, console_cube_state: true },
  ["console_drg_weight"],
);

const CUBE_MEASURES = sql.raw(`
  period char(7) NOT NULL,
  drg text NOT NULL,
  group_status text NOT NULL,
  lists integer NOT NULL,
  cases integer NOT NULL,
  total_cost_fen bigint NOT NULL,
  fund_pay_fen bigint NOT NULL,
  personal_pay_fen bigint NOT NULL,
  los_sum bigint NOT NULL,
  deaths integer NOT NULL,
  alive integer NOT NULL,
  readm14 integer NOT NULL,
  readm30 integer NOT NULL`);

export const consoleMigrations: readonly NamedMigration[] = [
  {
    name: "0301_console_indicator_cubes",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE console_cube (
        hospital_code text NOT NULL,
        dept text NOT NULL,
        physician text NOT NULL,
        physician_name text NOT NULL,
        ${CUBE_MEASURES}
      )`.execute(db);
      await sql`CREATE INDEX console_cube_hospital_period ON console_cube (hospital_code, period)`.execute(
        db,
      );
      await sql`CREATE TABLE console_cube_hd (
        hospital_code text NOT NULL,
        ${CUBE_MEASURES}
      )`.execute(db);
      await sql`CREATE INDEX console_cube_hd_period ON console_cube_hd (period, hospital_code)`.execute(db);
      await sql`CREATE TABLE console_drg_weight (
        drg text PRIMARY KEY,
        rw double precision NOT NULL CHECK (rw >= 0),
        source text NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE console_cube_state (
        id integer PRIMARY KEY CHECK (id = 1),
        refreshed_at timestamptz NOT NULL,
        source_count bigint NOT NULL,
        source_max_received timestamptz,
        base_rate_fen double precision,
        weight_source text NOT NULL
      )`.execute(db);
      // Readmission look-up (next admission of the same patient) and the freshness check.
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_patient_adm
        ON settlement_list (patient_key, adm_date)`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_received
        ON settlement_list (received_at)`.execute(db);
    },
    async down(db: MigrationDb) {
      for (const t of ["console_cube_state", "console_drg_weight", "console_cube_hd", "console_cube"]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
      await sql`DROP INDEX IF EXISTS console_settlement_list_patient_adm`.execute(db);
      await sql`DROP INDEX IF EXISTS console_settlement_list_received`.execute(db);
    },
  },
  {
    // The list page at a million lists: a hospital's newest lists; the few lists with findings or
    // refused (a partial index, so the many clean lists cost intake nothing here); the search by
    // setl_id or medcasno prefix (LIKE 'x%' uses a btree only with pattern ops under a non-C locale).
    name: "0302_console_list_indexes",
    async up(db: MigrationDb) {
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_hospital_received
        ON settlement_list (hospital_code, received_at DESC, setl_id)`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_flagged
        ON settlement_list (received_at DESC, setl_id)
        WHERE error_count > 0 OR warning_count > 0 OR status = 'refused'`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_setl_id_prefix
        ON settlement_list (setl_id text_pattern_ops)`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS console_settlement_list_medcasno_prefix
        ON settlement_list (medcasno text_pattern_ops)`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP INDEX IF EXISTS console_settlement_list_medcasno_prefix`.execute(db);
      await sql`DROP INDEX IF EXISTS console_settlement_list_setl_id_prefix`.execute(db);
      await sql`DROP INDEX IF EXISTS console_settlement_list_flagged`.execute(db);
      await sql`DROP INDEX IF EXISTS console_settlement_list_hospital_received`.execute(db);
    },
  },
  {
    // The cubes also carry what payment settled and what audit found, where those areas are installed.
    name: "0303_console_cube_settlement_audit",
    async up(db: MigrationDb) {
      for (const t of ["console_cube", "console_cube_hd"]) {
        await sql`ALTER TABLE ${sql.id(t)}
          ADD COLUMN settled_cases integer NOT NULL DEFAULT 0,
          ADD COLUMN settled_payment_fen bigint NOT NULL DEFAULT 0,
          ADD COLUMN settled_cost_fen bigint NOT NULL DEFAULT 0,
          ADD COLUMN high_outliers integer NOT NULL DEFAULT 0,
          ADD COLUMN low_outliers integer NOT NULL DEFAULT 0,
          ADD COLUMN audit_findings integer NOT NULL DEFAULT 0,
          ADD COLUMN recovered_fen bigint NOT NULL DEFAULT 0`.execute(db);
      }
      await sql`ALTER TABLE console_cube_state ADD COLUMN source_signature text NOT NULL DEFAULT ''`.execute(
        db,
      );
    },
    async down(db: MigrationDb) {
      for (const t of ["console_cube", "console_cube_hd"]) {
        for (const c of [
          "settled_cases",
          "settled_payment_fen",
          "settled_cost_fen",
          "high_outliers",
          "low_outliers",
          "audit_findings",
          "recovered_fen",
        ])
          await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN ${sql.id(c)}`.execute(db);
      }
      await sql`ALTER TABLE console_cube_state DROP COLUMN source_signature`.execute(db);
    },
  },
  {
    // The appeals were created by 0300_console_accounts before the accounts moved to the server's
    // identity migrations (which kept that name): IF NOT EXISTS for the databases of that time.
    name: "0304_console_appeals",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE IF NOT EXISTS console_appeal (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        setl_id text NOT NULL,
        version integer NOT NULL,
        seq integer NOT NULL,
        rule_id text NOT NULL,
        finding_message text NOT NULL,
        hospital_code text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        filed_by text NOT NULL,
        filed_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        decision_comment text,
        UNIQUE (setl_id, version, seq)
      )`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS console_appeal_hospital ON console_appeal (hospital_code, status)`.execute(
        db,
      );
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE IF EXISTS console_appeal`.execute(db);
    },
  },
  {
    // CMI and surplus from what settlement used and paid (each stay's RW from the weight table in
    // force), not from weights re-derived by the console: the derived weights' table goes.
    name: "0305_console_cube_settled_weights",
    async up(db: MigrationDb) {
      for (const t of ["console_cube", "console_cube_hd"]) {
        await sql`ALTER TABLE ${sql.id(t)}
          ADD COLUMN settled_weighted integer NOT NULL DEFAULT 0,
          ADD COLUMN settled_rw_ppm bigint NOT NULL DEFAULT 0`.execute(db);
      }
      await sql`DROP TABLE IF EXISTS console_drg_weight`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`CREATE TABLE IF NOT EXISTS console_drg_weight (
        drg text PRIMARY KEY,
        rw double precision NOT NULL CHECK (rw >= 0),
        source text NOT NULL
      )`.execute(db);
      for (const t of ["console_cube", "console_cube_hd"]) {
        await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN settled_weighted, DROP COLUMN settled_rw_ppm`.execute(
          db,
        );
      }
    },
  },
  {
    // 分组方案切换 (issue 12): each cell also keeps the scheme that grouped its lists, so CMI compares
    // like with like. The cubes are rebuilt at the next freshness check (the signature is cleared).
    name: "0306_console_cube_scheme",
    async up(db: MigrationDb) {
      for (const t of ["console_cube", "console_cube_hd"]) {
        await sql`ALTER TABLE ${sql.id(t)} ADD COLUMN scheme_id text NOT NULL DEFAULT ''`.execute(db);
      }
      await sql`UPDATE console_cube_state SET source_signature = ''`.execute(db);
    },
    async down(db: MigrationDb) {
      for (const t of ["console_cube", "console_cube_hd"]) {
        await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN scheme_id`.execute(db);
      }
    },
  },
];
