/**
 * Schema migrations (数据库迁移), defined in code and run by Kysely's `Migrator` on both PostgreSQL and
 * PGlite. Other packages append their own: pass them to `openStore({ migrations })`. Names sort the
 * order: `NNNN_<package>_<what>`; the store owns 0001–0099, payment 0100–0199, audit 0200–0299,
 * accounts 0300–0399 and so on. A migration, once released, is never edited: add a new one.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";
import type { StoreTables } from "./schema.js";

/**
 * The database a migration sees: deliberately untyped. A migration must not depend on the current
 * table interfaces (`StoreTables`, `PaymentTables`…): it runs against the schema as it was when the
 * migration was written, and those interfaces follow the latest schema. Kysely's migration docs give
 * migrations an untyped instance for this reason (typed with `any`); `Kysely<unknown>` gives the same
 * independence without `any`, and raw `sql`…`.execute(db)` and `db.schema` need nothing more.
 */
export type MigrationDb = Kysely<unknown>;

/** A migration with its name. */
export interface NamedMigration extends Migration {
  readonly name: string;
  up(db: MigrationDb): Promise<void>;
  down?(db: MigrationDb): Promise<void>;
}

/**
 * The tables an area's migrations own (create, alter, index, trigger on, write), declared next to
 * those migrations. `current` lists every table of the area's table interface, checked at compile
 * time (a table missing or unknown is an error); `retired` names tables its migrations once created
 * and later dropped. The table-ownership test holds every migration to this declaration.
 */
export interface OwnedTables {
  readonly area: string;
  readonly current: readonly string[];
  readonly retired: readonly string[];
}

/** Declares an area's tables: `current` as an object literal keyed by every table of `Tables`. */
export function ownedTables<Tables>(
  area: string,
  current: { readonly [K in keyof Tables & string]: true },
  retired: readonly string[] = [],
): OwnedTables {
  return { area, current: Object.keys(current), retired };
}

/** The summary columns shared by `settlement_list` and `settlement_list_history`. */
const LIST_COLUMNS = sql.raw(`
  setl_id text NOT NULL,
  mdtrt_id text NOT NULL,
  hospital_code text NOT NULL,
  hospital_name text NOT NULL,
  medcasno text NOT NULL,
  patient_key text NOT NULL,
  gend text NOT NULL,
  age_years double precision,
  age_days integer,
  adm_date date,
  dscg_date date,
  setl_begn_date date,
  setl_end_date date,
  period char(7) NOT NULL,
  los integer,
  dscg_caty text NOT NULL,
  dscg_way text NOT NULL,
  principal_dx text NOT NULL,
  principal_oprn text NOT NULL,
  total_fee_fen bigint NOT NULL,
  fund_pay_fen bigint NOT NULL,
  personal_pay_fen bigint NOT NULL,
  infno text NOT NULL,
  msgid text,
  status text NOT NULL CHECK (status IN ('accepted', 'refused')),
  error_count integer NOT NULL,
  warning_count integer NOT NULL,
  scheme_id text NOT NULL,
  group_status text NOT NULL CHECK (group_status IN ('OK', 'AMBIGUOUS', 'UNGROUPABLE', 'CHECK_FAILED')),
  drg text NOT NULL,
  drg_name text NOT NULL,
  mdc text,
  adrg text,
  message jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1)`);

/** The tables the store's migrations own. */
export const STORE_TABLES: OwnedTables = ownedTables<StoreTables>("store", {
  settlement_list: true,
  settlement_list_history: true,
  qc_finding: true,
  refused_upload: true,
  hospital: true,
  settled_count: true,
  settlement_list_count: true,
  qc_finding_count: true,
  refused_upload_count: true,
  regroup_run: true,
  regroup_change: true,
  published_edition: true,
});

/** The store's own migrations. */
export const storeMigrations: readonly NamedMigration[] = [
  {
    name: "0001_store_settlement_lists",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE hospital (
        code text PRIMARY KEY,
        name text NOT NULL,
        level text,
        first_seen_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE settlement_list (${LIST_COLUMNS}, PRIMARY KEY (setl_id))`.execute(db);
      await sql`CREATE INDEX settlement_list_hospital_period ON settlement_list (hospital_code, period)`.execute(
        db,
      );
      await sql`CREATE INDEX settlement_list_period ON settlement_list (period)`.execute(db);
      await sql`CREATE INDEX settlement_list_drg ON settlement_list (drg)`.execute(db);
      await sql`CREATE INDEX settlement_list_patient ON settlement_list (patient_key)`.execute(db);
      await sql`CREATE TABLE settlement_list_history (
        ${LIST_COLUMNS},
        replaced_at timestamptz NOT NULL,
        PRIMARY KEY (setl_id, version)
      )`.execute(db);
      await sql`CREATE TABLE qc_finding (
        setl_id text NOT NULL,
        version integer NOT NULL,
        seq integer NOT NULL,
        rule_id text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('error', 'warning')),
        field text NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (setl_id, version, seq)
      )`.execute(db);
      await sql`CREATE INDEX qc_finding_rule ON qc_finding (rule_id)`.execute(db);
      await sql`CREATE TABLE refused_upload (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        setl_id text NOT NULL,
        hospital_code text NOT NULL,
        period char(7) NOT NULL,
        kept_version integer NOT NULL,
        findings jsonb NOT NULL,
        message jsonb NOT NULL,
        received_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX refused_upload_setl_id ON refused_upload (setl_id)`.execute(db);
      await sql`CREATE TABLE settled_count (
        hospital_code text NOT NULL,
        period char(7) NOT NULL,
        settled_count integer NOT NULL CHECK (settled_count >= 0),
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (hospital_code, period)
      )`.execute(db);
    },
    async down(db: MigrationDb) {
      for (const t of [
        "settled_count",
        "refused_upload",
        "qc_finding",
        "settlement_list_history",
        "settlement_list",
        "hospital",
      ]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
    },
  },
  {
    // Counts the QC indicators need, kept by saveSettlementLists in the lists' own transaction, so
    // the indicators read a few thousand rows instead of scanning every list and finding. No CHECK
    // (count >= 0): a decrement arrives as an INSERT … ON CONFLICT of a negative row, and PostgreSQL
    // checks the proposed row before it finds the conflict.
    name: "0002_store_summaries",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE settlement_list_count (
        hospital_code text NOT NULL,
        period char(7) NOT NULL,
        status text NOT NULL,
        group_status text NOT NULL,
        drg text NOT NULL,
        lists integer NOT NULL,
        PRIMARY KEY (hospital_code, period, status, group_status, drg)
      )`.execute(db);
      await sql`CREATE TABLE qc_finding_count (
        hospital_code text NOT NULL,
        period char(7) NOT NULL,
        rule_id text NOT NULL,
        severity text NOT NULL,
        message_hash text NOT NULL,
        message text NOT NULL,
        findings integer NOT NULL,
        lists integer NOT NULL,
        PRIMARY KEY (hospital_code, period, rule_id, severity, message_hash)
      )`.execute(db);
      await sql`CREATE TABLE refused_upload_count (
        hospital_code text NOT NULL,
        period char(7) NOT NULL,
        uploads integer NOT NULL,
        PRIMARY KEY (hospital_code, period)
      )`.execute(db);
      await rebuildStoreSummaries(db);
    },
    async down(db: MigrationDb) {
      for (const t of ["refused_upload_count", "qc_finding_count", "settlement_list_count"]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
    },
  },
  {
    // Lists filtered by one period or one DRG, newest upload first, straight from an index: the same
    // two indexes as before with the list order appended (no extra index for intake to keep).
    name: "0003_store_list_order_indexes",
    async up(db: MigrationDb) {
      await sql`CREATE INDEX settlement_list_period_received
        ON settlement_list (period, received_at DESC, setl_id)`.execute(db);
      await sql`DROP INDEX settlement_list_period`.execute(db);
      await sql`CREATE INDEX settlement_list_drg_received ON settlement_list (drg, received_at DESC, setl_id)`.execute(
        db,
      );
      await sql`DROP INDEX settlement_list_drg`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`CREATE INDEX settlement_list_period ON settlement_list (period)`.execute(db);
      await sql`DROP INDEX settlement_list_period_received`.execute(db);
      await sql`CREATE INDEX settlement_list_drg ON settlement_list (drg)`.execute(db);
      await sql`DROP INDEX settlement_list_drg_received`.execute(db);
    },
  },
  {
    // 原始上传时间 (issue 12): the time the QC upload deadline (QC-TIME-001) was checked against and
    // where it came from. `received` for an ordinary upload (then it equals received_at), `file` or
    // `stated` for a history import (the original upload time from the record, or the date the
    // importer stated for the batch); received_at stays the time the platform got the list. NULL on
    // lists stored before this migration, whose deadline used received_at. No backfill: an UPDATE of
    // every list would fire the payment and audit triggers on each.
    name: "0004_store_upload_time",
    async up(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history", "refused_upload"]) {
        await sql`ALTER TABLE ${sql.id(t)} ADD COLUMN uploaded_at timestamptz,
          ADD COLUMN upload_time_source text
            CHECK (upload_time_source IN ('received', 'file', 'stated'))`.execute(db);
      }
    },
    async down(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history", "refused_upload"]) {
        await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN uploaded_at, DROP COLUMN upload_time_source`.execute(
          db,
        );
      }
    },
  },
  {
    // The attending physician (主诊医师) and the 31-day readmission plan flag as summary columns, so
    // the console's indicators (physician cube, 非计划再入院) read columns, not the 4101 JSON.
    name: "0005_store_attending_and_readmission_plan",
    async up(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history"]) {
        await sql`ALTER TABLE ${sql.id(t)} ADD COLUMN chfpdr_code text NOT NULL DEFAULT '',
          ADD COLUMN chfpdr_name text NOT NULL DEFAULT '',
          ADD COLUMN days_rinp_flag_31 text NOT NULL DEFAULT ''`.execute(db);
        // `->` on a message that is not an object gives NULL, so a malformed stored message reads ''.
        await sql`UPDATE ${sql.id(t)} SET chfpdr_code = coalesce(message->'input'->'setlinfo'->>'chfpdr_code', ''),
          chfpdr_name = coalesce(message->'input'->'setlinfo'->>'chfpdr_name', ''),
          days_rinp_flag_31 = coalesce(message->'input'->'setlinfo'->>'days_rinp_flag_31', '')`.execute(db);
      }
    },
    async down(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history"]) {
        await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN chfpdr_code, DROP COLUMN chfpdr_name,
          DROP COLUMN days_rinp_flag_31`.execute(db);
      }
    },
  },
  {
    // 参保地 (insuplc, the insured person's administrative area) as a summary column, so payment tells
    // a patient insured elsewhere (异地就医) without reading the 4101 JSON.
    name: "0006_store_insured_area",
    async up(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history"]) {
        await sql`ALTER TABLE ${sql.id(t)} ADD COLUMN insuplc text NOT NULL DEFAULT ''`.execute(db);
        await sql`UPDATE ${sql.id(t)} SET insuplc = coalesce(message->'input'->'setlinfo'->>'insuplc', '')`.execute(
          db,
        );
      }
    },
    async down(db: MigrationDb) {
      for (const t of ["settlement_list", "settlement_list_history"]) {
        await sql`ALTER TABLE ${sql.id(t)} DROP COLUMN insuplc`.execute(db);
      }
    },
  },
  {
    // 重新分组: an explicit regrouping under another scheme edition, logged with every list it moved.
    name: "0007_store_regroup_log",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE regroup_run (
        run_id serial PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now(),
        operator text NOT NULL,
        reason text NOT NULL,
        period_from char(7) NOT NULL,
        period_to char(7) NOT NULL,
        lists integer NOT NULL,
        changed integer NOT NULL,
        applied integer NOT NULL,
        payment_before_fen bigint,
        payment_after_fen bigint,
        summary jsonb NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE regroup_change (
        run_id integer NOT NULL REFERENCES regroup_run (run_id),
        setl_id text NOT NULL,
        version integer NOT NULL,
        from_scheme text NOT NULL,
        from_status text NOT NULL,
        from_drg text NOT NULL,
        to_scheme text NOT NULL,
        to_status text NOT NULL,
        to_drg text NOT NULL,
        PRIMARY KEY (run_id, setl_id)
      )`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE regroup_change`.execute(db);
      await sql`DROP TABLE regroup_run`.execute(db);
    },
  },
  {
    // 规则版本发布: dated editions of regional rule tables published by the bureau, never updated.
    name: "0008_store_published_edition",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE published_edition (
        seq serial NOT NULL UNIQUE,
        kind text NOT NULL,
        edition_id text NOT NULL,
        version text NOT NULL,
        effective_date char(10) NOT NULL,
        data jsonb NOT NULL,
        content text NOT NULL,
        source text NOT NULL,
        actor text NOT NULL,
        reason text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, edition_id, version),
        UNIQUE (kind, effective_date)
      )`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE published_edition`.execute(db);
    },
  },
];

/**
 * Rebuilds the store's summary tables from the lists in force (the migration's backfill; also for
 * repairing them after lists were written around `saveSettlementLists`). `lists` of a rule is
 * attributed to the smallest message of that rule on each list, so its sum over messages is the
 * number of distinct lists.
 */
export async function rebuildStoreSummaries(db: MigrationDb): Promise<void> {
  await sql`DELETE FROM settlement_list_count`.execute(db);
  await sql`DELETE FROM qc_finding_count`.execute(db);
  await sql`DELETE FROM refused_upload_count`.execute(db);
  await sql`INSERT INTO settlement_list_count (hospital_code, period, status, group_status, drg, lists)
    SELECT hospital_code, period, status, group_status, drg, count(*)
    FROM settlement_list GROUP BY 1, 2, 3, 4, 5`.execute(db);
  await sql`INSERT INTO qc_finding_count (hospital_code, period, rule_id, severity, message_hash, message, findings, lists)
    WITH f AS (
      SELECT s.hospital_code, s.period, f.rule_id, f.severity, f.message, f.setl_id,
        min(f.message COLLATE "C") OVER (PARTITION BY f.setl_id, f.rule_id, f.severity) AS first_message
      FROM qc_finding f JOIN settlement_list s ON s.setl_id = f.setl_id AND s.version = f.version)
    SELECT hospital_code, period, rule_id, severity, md5(message), message, count(*),
      count(DISTINCT setl_id) FILTER (WHERE message = first_message)
    FROM f GROUP BY hospital_code, period, rule_id, severity, message`.execute(db);
  await sql`INSERT INTO refused_upload_count (hospital_code, period, uploads)
    SELECT hospital_code, period, count(*) FROM refused_upload GROUP BY 1, 2`.execute(db);
}

/** A Kysely migration provider over a list of named migrations; duplicate names are an error. */
export function migrationProvider(migrations: readonly NamedMigration[]): MigrationProvider {
  const byName: Record<string, Migration> = {};
  for (const m of migrations) {
    if (byName[m.name]) throw new Error(`迁移名称重复：${m.name}`);
    byName[m.name] = m.down ? { up: m.up, down: m.down } : { up: m.up };
  }
  return { getMigrations: async () => byName };
}
