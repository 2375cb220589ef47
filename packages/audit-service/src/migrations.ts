/**
 * Audit tables (审核服务数据表), migrations 0200–0299.
 *
 * - `audit_run`: every audit job (period range, rule-base and knowledge-base versions, who, when, counts).
 * - `audit_finding`: one row per finding (疑点/违规) with its evidence, both settlements (原结算/重新结算)
 *   and the fund loss; `status` is the case state of the workflow. A re-run of a period deletes that
 *   period's findings still `open` (they have no trail) and inserts the new ones; a finding with any
 *   workflow event is never deleted or overwritten.
 * - `audit_case_event`: the audit trail (操作留痕), append-only (a trigger refuses UPDATE and DELETE):
 *   who, role, when, action, from/to state, reason, evidence (申诉材料) as JSON.
 * - `audit_physician_profile`: the physician profile (医师画像) of each audited period.
 * - `audit_list_projection` (0201): what the audit reads of each list, derived on write. One row per
 *   list (its current version), kept by a trigger on every insert, update or delete of
 *   `settlement_list`: the columns the read filters and orders by plus the slim message (the
 *   setlinfo keys the conversion reads and the diagnosis, procedure, fee and fund sections), so an
 *   audit job reads plain rows in keyset pages and never de-TOASTs and rebuilds the stored 4101
 *   message. The migration backfills it from the lists already stored.
 */
import { type MigrationDb, type NamedMigration, type OwnedTables, ownedTables } from "@yibao/store";
import { sql } from "kysely";
import type { AuditTables } from "./tables.js";

/** The tables the audit migrations own. */
export const AUDIT_TABLES: OwnedTables = ownedTables<AuditTables>("audit", {
  audit_run: true,
  audit_finding: true,
  audit_case_event: true,
  audit_physician_profile: true,
  audit_list_projection: true,
  audit_finding_cell: true,
});

/** The keys of setlinfo the conversion (`auditStayFromList`) reads; names, addresses and the rest are not kept. */
export const AUDIT_SETLINFO_KEYS = [
  "setl_id",
  "mdtrt_id",
  "fixmedins_code",
  "hi_setl_lv",
  "gend",
  "brdy",
  "age",
  "nwb_age",
  "patn_cert_type",
  "certno",
  "hi_no",
  "nwb_bir_wt",
  "adm_time",
  "dscg_time",
  "dscg_caty",
  "act_ipt_days",
  "dscg_way",
  "days_rinp_flag_31",
  "chfpdr_code",
  "setl_end_date",
  "psn_ownpay",
] as const;

/**
 * The slim message (SQL over `x.input`/`x.infno`): the part of a stored 4101 message the audit's
 * conversion reads, in the message's own shape so `parseSettlementMessage` reads it unchanged.
 */
export const AUDIT_SLIM_MESSAGE_SQL = `jsonb_build_object(
  'infno', x.infno,
  'input', jsonb_build_object(
    'setlinfo', jsonb_build_object(${AUDIT_SETLINFO_KEYS.map((k) => `'${k}', x.input->'setlinfo'->'${k}'`).join(", ")}),
    'diseinfo', COALESCE(x.input->'diseinfo', '[]'::jsonb),
    'oprninfo', COALESCE(x.input->'oprninfo', '[]'::jsonb),
    'iteminfo', COALESCE(x.input->'iteminfo', '[]'::jsonb),
    'payinfo', COALESCE(x.input->'payinfo', '[]'::jsonb)))`;

/** The fields kept of each row of a section, in this order (the compact projection). */
export const AUDIT_SECTION_KEYS = {
  diseinfo: ["diag_type", "diag_code", "maindiag_flag"],
  oprninfo: ["oprn_oprt_type", "oprn_oprt_code"],
  iteminfo: ["med_chrgitm", "amt", "claa_sumfee", "clab_amt", "fulamt_ownpay_amt", "oth_amt"],
  payinfo: ["fund_payamt"],
} as const;

const SECTION_WIRES = Object.keys(AUDIT_SECTION_KEYS) as (keyof typeof AUDIT_SECTION_KEYS)[];

/**
 * One pass over a section (a LATERAL named after it): `rows`, its rows as arrays of the kept values
 * in message order (`[]` when absent), and `bad`, whether the compact form would not say the same as
 * the section (neither absent, null nor an array, or an element that is not an object).
 */
function sectionPass(wire: keyof typeof AUDIT_SECTION_KEYS): string {
  const keys = AUDIT_SECTION_KEYS[wire];
  return `LATERAL (SELECT COALESCE(jsonb_agg(jsonb_build_array(${keys.map((k) => `e->'${k}'`).join(", ")}) ORDER BY n), '[]'::jsonb) AS rows,
      COALESCE(jsonb_typeof(x.input->'${wire}'), 'null') NOT IN ('null', 'array')
        OR COALESCE(bool_or(jsonb_typeof(e) <> 'object'), false) AS bad
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(x.input->'${wire}') = 'array' THEN x.input->'${wire}' ELSE '[]'::jsonb END)
      WITH ORDINALITY AS t(e, n)) ${wire}`;
}

/**
 * The body of `audit_projection_message(message jsonb)`: the message's input read (de-TOASTed) once
 * (`OFFSET 0` keeps it a subquery), one pass per section. A well-formed message (input and setlinfo
 * objects, infno 4101/4101A, each section absent, null or an array of objects) becomes the compact
 * array `[infno, [setlinfo values in AUDIT_SETLINFO_KEYS order], diseinfo rows, oprninfo rows,
 * iteminfo rows, payinfo rows]`, each row the values of `AUDIT_SECTION_KEYS` (a third of the slim
 * message's bytes, no keys repeated); any other message is kept as the slim message, which the read
 * parses as before.
 */
export const AUDIT_PROJECTION_FUNCTION_SQL = `SELECT CASE WHEN jsonb_typeof(x.input) = 'object'
    AND jsonb_typeof(x.input->'setlinfo') = 'object'
    AND x.infno IN ('"4101"'::jsonb, '"4101A"'::jsonb, '4101'::jsonb)
    AND NOT (${SECTION_WIRES.map((w) => `${w}.bad`).join(" OR ")})
  THEN jsonb_build_array(x.infno,
    jsonb_build_array(${AUDIT_SETLINFO_KEYS.map((k) => `x.input->'setlinfo'->'${k}'`).join(", ")}),
    ${SECTION_WIRES.map((w) => `${w}.rows`).join(", ")})
  ELSE ${AUDIT_SLIM_MESSAGE_SQL} END
  FROM (SELECT message->'input' AS input, message->'infno' AS infno OFFSET 0) x,
    ${SECTION_WIRES.map(sectionPass).join(",\n    ")}`;

const PROJECTION_COLUMNS =
  "setl_id, version, status, period, patient_key, dscg_date, group_status, drg, mdc, adrg, m";

/** The projection's columns from 0211 on: with the scheme that grouped the list. */
const PROJECTION_COLUMNS_0211 = `${PROJECTION_COLUMNS}, scheme_id`;

/**
 * The statement trigger function keeping the projection (0202): the new rows of `settlement_list`
 * upserted, a list whose setl_id changed removed. `withScheme` (0211 on) keeps `scheme_id` too.
 */
function projectionUpsertFunction(withScheme: boolean) {
  const cols = sql.raw(withScheme ? PROJECTION_COLUMNS_0211 : PROJECTION_COLUMNS);
  const scheme = sql.raw(withScheme ? ", scheme_id" : "");
  const setScheme = sql.raw(withScheme ? ", scheme_id = EXCLUDED.scheme_id" : "");
  return sql`CREATE OR REPLACE FUNCTION audit_list_projection_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        -- A list whose setl_id changed leaves its old projection row behind.
        EXECUTE format('DELETE FROM %1$I.audit_list_projection p USING audit_old_lists o
          WHERE p.setl_id = o.setl_id
            AND NOT EXISTS (SELECT 1 FROM audit_new_lists n WHERE n.setl_id = o.setl_id)', TG_TABLE_SCHEMA);
      END IF;
      EXECUTE format('INSERT INTO %1$I.audit_list_projection (${cols})
        SELECT setl_id, version, status, period, patient_key, dscg_date, group_status, drg, mdc, adrg,
          %1$I.audit_projection_message(message)${scheme}
        FROM audit_new_lists
        ON CONFLICT (setl_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
          period = EXCLUDED.period, patient_key = EXCLUDED.patient_key, dscg_date = EXCLUDED.dscg_date,
          group_status = EXCLUDED.group_status, drg = EXCLUDED.drg, mdc = EXCLUDED.mdc,
          adrg = EXCLUDED.adrg, m = EXCLUDED.m${setScheme}', TG_TABLE_SCHEMA);
      RETURN NULL;
    END
  $$`;
}

/** The audit service's migrations; pass them to `openStore({ migrations })`. */
export const auditMigrations: readonly NamedMigration[] = [
  {
    name: "0200_audit_tables",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE audit_run (
        run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        period_from char(7) NOT NULL,
        period_to char(7) NOT NULL,
        rule_base_id text NOT NULL,
        rule_base_version text NOT NULL,
        knowledge_version text NOT NULL,
        settlement_source text NOT NULL DEFAULT '',
        actor text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        stays integer NOT NULL DEFAULT 0,
        history_stays integer NOT NULL DEFAULT 0,
        findings integer NOT NULL DEFAULT 0,
        errors integer NOT NULL DEFAULT 0,
        replaced integer NOT NULL DEFAULT 0,
        kept_decided integer NOT NULL DEFAULT 0,
        fund_loss_fen bigint NOT NULL DEFAULT 0,
        totals jsonb,
        error_samples jsonb,
        error text
      )`.execute(db);
      await sql`CREATE INDEX audit_run_period ON audit_run (period_from, period_to)`.execute(db);
      await sql`CREATE TABLE audit_finding (
        finding_id text PRIMARY KEY,
        run_id bigint NOT NULL,
        period char(7) NOT NULL,
        hospital_code text NOT NULL,
        physician_code text,
        person_id text,
        setl_ids jsonb NOT NULL,
        rule_id text NOT NULL,
        rule_name text NOT NULL,
        category text NOT NULL,
        violation text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('明确违规', '可疑')),
        message text NOT NULL,
        evidence jsonb NOT NULL,
        settlements jsonb,
        fund_loss_fen bigint NOT NULL CHECK (fund_loss_fen >= 0),
        deduction_fen bigint NOT NULL CHECK (deduction_fen >= 0),
        status text NOT NULL CHECK (status IN ('open', 'appealed', 'upheld', 'overturned', 'deducted', 'closed')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX audit_finding_period ON audit_finding (period, status)`.execute(db);
      await sql`CREATE INDEX audit_finding_hospital ON audit_finding (hospital_code, period)`.execute(db);
      await sql`CREATE TABLE audit_case_event (
        event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        finding_id text NOT NULL REFERENCES audit_finding (finding_id),
        seq integer NOT NULL,
        action text NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        actor text NOT NULL,
        role text NOT NULL,
        at timestamptz NOT NULL,
        reason text,
        evidence jsonb,
        note text NOT NULL,
        deduction_fen bigint,
        clearing_id text,
        UNIQUE (finding_id, seq)
      )`.execute(db);
      await sql`CREATE FUNCTION audit_case_event_append_only() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '审核操作留痕只可追加，不可修改或删除';
        END;
        $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER audit_case_event_no_change BEFORE UPDATE OR DELETE ON audit_case_event
        FOR EACH ROW EXECUTE FUNCTION audit_case_event_append_only()`.execute(db);
      await sql`CREATE TABLE audit_physician_profile (
        period text NOT NULL,
        physician_code text NOT NULL,
        run_id bigint NOT NULL,
        cases integer NOT NULL,
        indicator_values jsonb NOT NULL,
        cluster integer NOT NULL,
        score double precision NOT NULL,
        alert text NOT NULL CHECK (alert IN ('红色', '橙色', '黄色')),
        rank integer NOT NULL,
        watch boolean NOT NULL,
        model jsonb NOT NULL,
        PRIMARY KEY (period, physician_code)
      )`.execute(db);
      // Keyset pagination of a period's accepted lists by person (auditPeriod).
      await sql`CREATE INDEX audit_settlement_list_period_person
        ON settlement_list (period, patient_key, setl_id)`.execute(db);
      await sql`CREATE INDEX audit_settlement_list_dscg ON settlement_list (dscg_date)`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP INDEX IF EXISTS audit_settlement_list_dscg`.execute(db);
      await sql`DROP INDEX IF EXISTS audit_settlement_list_period_person`.execute(db);
      for (const t of ["audit_physician_profile", "audit_case_event", "audit_finding", "audit_run"]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
      await sql`DROP FUNCTION IF EXISTS audit_case_event_append_only()`.execute(db);
    },
  },
  {
    name: "0201_audit_list_projection",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE audit_list_projection (
        setl_id text PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL,
        period char(7) NOT NULL,
        patient_key text NOT NULL,
        dscg_date date,
        group_status text NOT NULL,
        drg text NOT NULL,
        mdc text,
        adrg text,
        m jsonb NOT NULL
      )`.execute(db);
      // The message is read once per row (x), not once per extracted key.
      await sql`CREATE FUNCTION audit_projection_message(message jsonb) RETURNS jsonb AS $$
        ${sql.raw(AUDIT_PROJECTION_FUNCTION_SQL)}
        $$ LANGUAGE sql IMMUTABLE`.execute(db);
      await sql`CREATE FUNCTION audit_list_projection_sync() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            DELETE FROM audit_list_projection WHERE setl_id = OLD.setl_id;
            RETURN OLD;
          END IF;
          IF TG_OP = 'UPDATE' AND OLD.setl_id <> NEW.setl_id THEN
            DELETE FROM audit_list_projection WHERE setl_id = OLD.setl_id;
          END IF;
          INSERT INTO audit_list_projection (${sql.raw(PROJECTION_COLUMNS)})
          VALUES (NEW.setl_id, NEW.version, NEW.status, NEW.period, NEW.patient_key, NEW.dscg_date,
            NEW.group_status, NEW.drg, NEW.mdc, NEW.adrg, audit_projection_message(NEW.message))
          ON CONFLICT (setl_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
            period = EXCLUDED.period, patient_key = EXCLUDED.patient_key, dscg_date = EXCLUDED.dscg_date,
            group_status = EXCLUDED.group_status, drg = EXCLUDED.drg, mdc = EXCLUDED.mdc,
            adrg = EXCLUDED.adrg, m = EXCLUDED.m;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql`.execute(db);
      await sql`INSERT INTO audit_list_projection (${sql.raw(PROJECTION_COLUMNS)})
        SELECT setl_id, version, status, period, patient_key, dscg_date, group_status, drg, mdc, adrg,
          audit_projection_message(message)
        FROM settlement_list`.execute(db);
      await sql`CREATE TRIGGER audit_list_projection_sync AFTER INSERT OR UPDATE OR DELETE ON settlement_list
        FOR EACH ROW EXECUTE FUNCTION audit_list_projection_sync()`.execute(db);
      // Keyset pages of a period's lists by person (auditPeriod); the history by discharge date.
      await sql`CREATE INDEX audit_list_projection_period_person
        ON audit_list_projection (period, patient_key, setl_id)`.execute(db);
      await sql`CREATE INDEX audit_list_projection_dscg ON audit_list_projection (dscg_date)`.execute(db);
      await sql`CREATE INDEX audit_list_projection_patient ON audit_list_projection (patient_key)`.execute(
        db,
      );
    },
    async down(db: MigrationDb) {
      await sql`DROP TRIGGER IF EXISTS audit_list_projection_sync ON settlement_list`.execute(db);
      await sql`DROP FUNCTION IF EXISTS audit_list_projection_sync()`.execute(db);
      await sql`DROP TABLE IF EXISTS audit_list_projection`.execute(db);
      await sql`DROP FUNCTION IF EXISTS audit_projection_message(jsonb)`.execute(db);
    },
  },
  {
    // The projection kept per statement over the transition tables, not per row: an upload batch
    // costs one DELETE and one INSERT … SELECT instead of a plpgsql call and an INSERT per list (the
    // row trigger halved the intake's throughput). Names are of the schema the trigger fires in.
    name: "0202_audit_list_projection_per_statement",
    async up(db: MigrationDb) {
      await sql`DROP TRIGGER audit_list_projection_sync ON settlement_list`.execute(db);
      await sql`DROP FUNCTION audit_list_projection_sync()`.execute(db);
      await projectionUpsertFunction(false).execute(db);
      await sql`CREATE FUNCTION audit_list_projection_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE format('DELETE FROM %1$I.audit_list_projection p USING audit_old_lists o
            WHERE p.setl_id = o.setl_id', TG_TABLE_SCHEMA);
          RETURN NULL;
        END
      $$`.execute(db);
      await sql`CREATE TRIGGER audit_list_projection_insert AFTER INSERT ON settlement_list
        REFERENCING NEW TABLE AS audit_new_lists
        FOR EACH STATEMENT EXECUTE FUNCTION audit_list_projection_upsert()`.execute(db);
      await sql`CREATE TRIGGER audit_list_projection_update AFTER UPDATE ON settlement_list
        REFERENCING OLD TABLE AS audit_old_lists NEW TABLE AS audit_new_lists
        FOR EACH STATEMENT EXECUTE FUNCTION audit_list_projection_upsert()`.execute(db);
      await sql`CREATE TRIGGER audit_list_projection_delete AFTER DELETE ON settlement_list
        REFERENCING OLD TABLE AS audit_old_lists
        FOR EACH STATEMENT EXECUTE FUNCTION audit_list_projection_delete()`.execute(db);
    },
    // Down leaves the projection unmaintained until 0201 is migrated down too (it drops the table).
    async down(db: MigrationDb) {
      for (const t of ["insert", "update", "delete"]) {
        await sql`DROP TRIGGER IF EXISTS ${sql.id(`audit_list_projection_${t}`)} ON settlement_list`.execute(
          db,
        );
      }
      await sql`DROP FUNCTION IF EXISTS audit_list_projection_upsert()`.execute(db);
      await sql`DROP FUNCTION IF EXISTS audit_list_projection_delete()`.execute(db);
    },
  },
  {
    // The audit area's read contract for other areas (AuditPublishedViews): the console's indicators
    // read this view, not the findings table.
    name: "0210_published_views",
    async up(db: MigrationDb) {
      await sql`CREATE VIEW audit_finding_cell AS
        SELECT finding_id, hospital_code, period, setl_ids->>0 AS setl_id, updated_at FROM audit_finding`.execute(
        db,
      );
    },
    async down(db: MigrationDb) {
      await sql`DROP VIEW IF EXISTS audit_finding_cell`.execute(db);
    },
  },
  {
    // The scheme that grouped each list (分组方案, kept by the intake and by an applied regrouping), so
    // the audit checks a stay under the scheme its stored group came from, not the one its date
    // would choose today (they differ after `yibao regroup --scheme` moves lists off the calendar).
    name: "0211_audit_list_projection_scheme",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE audit_list_projection ADD COLUMN scheme_id text`.execute(db);
      await sql`UPDATE audit_list_projection p SET scheme_id = l.scheme_id
        FROM settlement_list l WHERE l.setl_id = p.setl_id`.execute(db);
      await projectionUpsertFunction(true).execute(db);
    },
    async down(db: MigrationDb) {
      await projectionUpsertFunction(false).execute(db);
      await sql`ALTER TABLE audit_list_projection DROP COLUMN IF EXISTS scheme_id`.execute(db);
    },
  },
  {
    // 医师画像 as the Shanghai model has it: only the physicians of the suspect cluster get an alert
    // level; the others are profiled without one.
    name: "0212_physician_profile_alert_suspects_only",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE audit_physician_profile ALTER COLUMN alert DROP NOT NULL`.execute(db);
    },
    async down(db: MigrationDb) {
      // Profiles are derived: the next audit run of a period writes them again.
      await sql`DELETE FROM audit_physician_profile WHERE alert IS NULL`.execute(db);
      await sql`ALTER TABLE audit_physician_profile ALTER COLUMN alert SET NOT NULL`.execute(db);
    },
  },
];
