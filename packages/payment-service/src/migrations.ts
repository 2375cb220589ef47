/**
 * Payment tables (支付服务数据表), migrations 0100–0199.
 *
 * Design:
 * - Versioned data (`payment_policy`, `drg_weight_table`, `benefit_policy`, `dip_catalogue`): one row per
 *   (id, version), the JSON exactly as validated by the payment package's parsers, plus the columns
 *   used to select a version (region, effective_from, effective_to). A policy version may name the
 *   weight table it uses (`weights_id`/`weights_version`); without one, the weight table in force on
 *   the policy's effective date is used.
 * - `payment_hospital_edition` (0115): 医院等级, 起付线类别 and 支付方式 per hospital as dated editions
 *   (append-only; a stay is paid with the edition in force on its discharge date), and
 *   `payment_hospital`, the projection of the edition in force today. Without a row the level comes
 *   from the list's 医保结算等级 (hi_setl_lv) and the patient share from the list.
 * - `stay_settlement`: the current settlement of every setl_id (one row). A settlement that changes
 *   (new list version, other policy version, other amounts) moves the old row to
 *   `stay_settlement_history` in the same statement; an unchanged re-run writes nothing, so re-running a
 *   settlement is idempotent.
 * - `payment_run`: every job (calibrate, settle, clear, special case) with who/when/parameters/totals;
 *   `stay_settlement_error`: the records a run could not settle, with field and rule.
 * - `special_case_approval`: 特病单议 decisions, approvals (amount in fen, converted to points on the point
 *   method) and rejections (`decision`).
 * - `special_case_application`: 特病单议申请 by hospitals (criterion, reason, the figures that made the
 *   stay eligible) and their status; an approval or rejection also writes `special_case_approval`.
 *   `kind` `newTechExclusion` (新技术除外, migration 0114): the approved row itself is the exclusion the
 *   settlement carries (within the 3‰ cap), no `special_case_approval` is written for it.
 * - `audit_deduction`: 审核扣款 written by the audit service, deducted at year-end clearing.
 * - `year_clearing` + `clearing_statement`: the current clearing of a year and its per-hospital rows
 *   (replaced by a new clearing of the same year; the run keeps the parameters and totals).
 */
import { type MigrationDb, type NamedMigration, type OwnedTables, ownedTables } from "@yibao/store";
import { sql } from "kysely";
import { laterPaymentMigrations } from "./later-migrations.js";
import type { PaymentTables } from "./tables.js";

/** The tables the payment migrations own (`audit_deduction` is payment's: the audit writes it through `recordAuditDeductions`). */
export const PAYMENT_TABLES: OwnedTables = ownedTables<PaymentTables>("payment", {
  payment_policy: true,
  drg_weight_table: true,
  benefit_policy: true,
  dip_catalogue: true,
  payment_hospital: true,
  payment_run: true,
  stay_settlement: true,
  stay_settlement_history: true,
  stay_settlement_error: true,
  special_case_approval: true,
  audit_deduction: true,
  year_clearing: true,
  clearing_statement: true,
  payment_list_cost: true,
  payment_settled_stay: true,
  payment_latest_run: true,
  payment_recovered_by_finding: true,
  dip_payment_policy: true,
  dip_year_clearing: true,
  dip_clearing_statement: true,
  dip_stay_points: true,
  dip_prepayment: true,
  hospital_assessment: true,
  special_case_application: true,
  payment_hospital_edition: true,
});

const VERSIONED = sql.raw(`
  id text NOT NULL,
  version text NOT NULL,
  name text NOT NULL DEFAULT '',
  region text NOT NULL DEFAULT '',
  effective_from date NOT NULL,
  effective_to date,
  data jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)`);

const SETTLEMENT_COLUMNS = sql.raw(`
  setl_id text NOT NULL,
  list_version integer NOT NULL,
  run_id bigint NOT NULL,
  hospital_code text NOT NULL,
  period char(7) NOT NULL,
  patient_key text NOT NULL,
  adm_date date,
  dscg_date date,
  drg text NOT NULL,
  category text NOT NULL,
  outlier text NOT NULL,
  policy_id text NOT NULL,
  policy_version text NOT NULL,
  weights_id text NOT NULL,
  weights_version text NOT NULL,
  method text NOT NULL,
  coefficient_ppm integer NOT NULL,
  rw_ppm integer,
  standard_fen bigint,
  special_review_fen bigint NOT NULL,
  special_review_points bigint NOT NULL,
  points bigint NOT NULL,
  drg_payment_fen bigint NOT NULL,
  total_cost_fen bigint NOT NULL,
  patient_share_fen bigint NOT NULL,
  fund_payment_fen bigint NOT NULL,
  balance_fen bigint NOT NULL,
  benefit_fund_fen bigint,
  share_source text NOT NULL CHECK (share_source IN ('policy', 'list')),
  settled_at timestamptz NOT NULL`);

/** The payment service's migrations; pass them to `openStore({ migrations })`. */
export const paymentMigrations: readonly NamedMigration[] = [
  {
    name: "0100_payment_tables",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE payment_policy (${VERSIONED}, method text NOT NULL,
        weights_id text, weights_version text)`.execute(db);
      await sql`CREATE TABLE drg_weight_table (${VERSIONED}, scheme text, calibration jsonb)`.execute(db);
      await sql`CREATE TABLE benefit_policy (${VERSIONED})`.execute(db);
      await sql`CREATE TABLE dip_catalogue (${VERSIONED})`.execute(db);
      await sql`CREATE TABLE payment_hospital (
        hospital_code text PRIMARY KEY,
        level text NOT NULL,
        benefit_class text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
      await sql`CREATE TABLE payment_run (
        run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('calibrate', 'settle', 'clear', 'special_case')),
        actor text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        params jsonb NOT NULL,
        totals jsonb,
        error text
      )`.execute(db);
      await sql`CREATE TABLE stay_settlement (${SETTLEMENT_COLUMNS}, PRIMARY KEY (setl_id))`.execute(db);
      await sql`CREATE INDEX stay_settlement_hospital_period ON stay_settlement (hospital_code, period)`.execute(
        db,
      );
      await sql`CREATE INDEX stay_settlement_period ON stay_settlement (period)`.execute(db);
      await sql`CREATE INDEX stay_settlement_patient ON stay_settlement (patient_key)`.execute(db);
      await sql`CREATE TABLE stay_settlement_history (${SETTLEMENT_COLUMNS},
        replaced_at timestamptz NOT NULL,
        replaced_by_run bigint NOT NULL)`.execute(db);
      await sql`CREATE INDEX stay_settlement_history_setl ON stay_settlement_history (setl_id)`.execute(db);
      await sql`CREATE TABLE stay_settlement_error (
        run_id bigint NOT NULL,
        setl_id text NOT NULL,
        field text NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (run_id, setl_id)
      )`.execute(db);
      await sql`CREATE TABLE special_case_approval (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        setl_id text NOT NULL,
        hospital_code text NOT NULL,
        amount_fen bigint CHECK (amount_fen IS NULL OR amount_fen >= 0),
        reason text NOT NULL,
        approved_by text NOT NULL,
        approved_at timestamptz NOT NULL DEFAULT now(),
        revoked boolean NOT NULL DEFAULT false
      )`.execute(db);
      await sql`CREATE INDEX special_case_approval_setl ON special_case_approval (setl_id)`.execute(db);
      await sql`CREATE TABLE audit_deduction (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        hospital_code text NOT NULL,
        year integer NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        reason text NOT NULL,
        finding_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
      await sql`CREATE INDEX audit_deduction_year ON audit_deduction (year, hospital_code)`.execute(db);
      await sql`CREATE TABLE year_clearing (
        year integer PRIMARY KEY,
        run_id bigint NOT NULL,
        policy_id text NOT NULL,
        policy_version text NOT NULL,
        budget_fen bigint NOT NULL,
        total_points numeric NOT NULL,
        point_value_num numeric NOT NULL,
        point_value_den numeric NOT NULL,
        point_value_yuan text NOT NULL,
        totals jsonb NOT NULL,
        rejected_deductions jsonb NOT NULL,
        cleared_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE clearing_statement (
        year integer NOT NULL,
        hospital_code text NOT NULL,
        run_id bigint NOT NULL,
        cases integer NOT NULL,
        points numeric NOT NULL,
        special_review_points numeric NOT NULL,
        payment_fen bigint NOT NULL,
        total_cost_fen bigint NOT NULL,
        balance_fen bigint NOT NULL,
        surplus_retained_fen bigint NOT NULL,
        surplus_returned_fen bigint NOT NULL,
        overspend_fen bigint NOT NULL,
        overspend_covered_fen bigint NOT NULL,
        overspend_borne_fen bigint NOT NULL,
        deductions_fen bigint NOT NULL,
        deduction_reasons jsonb NOT NULL,
        settled_fen bigint NOT NULL,
        patient_share_fen bigint NOT NULL,
        fund_due_fen bigint NOT NULL,
        prepaid_fen bigint NOT NULL,
        balance_due_fen bigint NOT NULL,
        PRIMARY KEY (year, hospital_code)
      )`.execute(db);
      // Keyset pagination of a period's accepted lists by person (settlePeriod).
      await sql`CREATE INDEX payment_settlement_list_period_person
        ON settlement_list (period, patient_key, setl_id)`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP INDEX IF EXISTS payment_settlement_list_period_person`.execute(db);
      for (const t of [
        "clearing_statement",
        "year_clearing",
        "audit_deduction",
        "special_case_approval",
        "stay_settlement_error",
        "stay_settlement_history",
        "stay_settlement",
        "payment_run",
        "payment_hospital",
        "dip_catalogue",
        "benefit_policy",
        "drg_weight_table",
        "payment_policy",
      ]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
    },
  },
  {
    // The cost split of every stored list, derived when the list is stored (statement-level triggers
    // over the transition tables, so a batch costs one INSERT … SELECT) and backfilled here: period
    // settlement then reads plain columns instead of parsing every list's JSON (the JSON parse was
    // ~90 % of the time of settling a period). settlePeriod still fills in any list missing here.
    name: "0101_payment_list_cost",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE payment_list_cost (
        setl_id text PRIMARY KEY,
        version integer NOT NULL,
        hi_type text,
        hi_setl_lv text,
        class_a_fen bigint,
        class_b_fen bigint,
        self_pay_fen bigint,
        other_fen bigint,
        bed_fee_fen bigint
      )`.execute(db);
      // 险种, 医保结算等级 and 甲类/乙类/全自费/其他/床位费 (item 01) sums in fen, exact (numeric).
      await sql`CREATE FUNCTION payment_list_cost_of(message jsonb, OUT hi_type text, OUT hi_setl_lv text,
          OUT class_a_fen bigint, OUT class_b_fen bigint, OUT self_pay_fen bigint, OUT other_fen bigint,
          OUT bed_fee_fen bigint)
        LANGUAGE sql IMMUTABLE AS $$
          SELECT m.inp->'setlinfo'->>'hi_type', m.inp->'setlinfo'->>'hi_setl_lv', c.*
          FROM (SELECT message->'input' AS inp OFFSET 0) m
          CROSS JOIN LATERAL (
            SELECT (sum(x.claa_sumfee) * 100)::bigint, (sum(x.clab_amt) * 100)::bigint,
              (sum(x.fulamt_ownpay_amt) * 100)::bigint, (sum(x.oth_amt) * 100)::bigint,
              (sum(x.amt) FILTER (WHERE x.med_chrgitm = '01') * 100)::bigint
            FROM jsonb_to_recordset(
              CASE WHEN jsonb_typeof(m.inp->'iteminfo') = 'array' THEN m.inp->'iteminfo' ELSE '[]'::jsonb END)
              AS x(med_chrgitm text, amt numeric, claa_sumfee numeric, clab_amt numeric, fulamt_ownpay_amt numeric,
                oth_amt numeric)
          ) c
        $$`.execute(db);
      // The table of the schema the trigger fires in, whatever the session's search path.
      await sql`CREATE FUNCTION payment_list_cost_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE format('INSERT INTO %1$I.payment_list_cost
              SELECT n.setl_id, n.version, c.* FROM payment_new_lists n
              CROSS JOIN LATERAL %1$I.payment_list_cost_of(n.message) c
            ON CONFLICT (setl_id) DO UPDATE SET version = excluded.version, hi_type = excluded.hi_type,
              hi_setl_lv = excluded.hi_setl_lv, class_a_fen = excluded.class_a_fen,
              class_b_fen = excluded.class_b_fen, self_pay_fen = excluded.self_pay_fen,
              other_fen = excluded.other_fen, bed_fee_fen = excluded.bed_fee_fen', TG_TABLE_SCHEMA);
          RETURN NULL;
        END
      $$`.execute(db);
      await sql`CREATE TRIGGER payment_list_cost_insert AFTER INSERT ON settlement_list
        REFERENCING NEW TABLE AS payment_new_lists
        FOR EACH STATEMENT EXECUTE FUNCTION payment_list_cost_sync()`.execute(db);
      await sql`CREATE TRIGGER payment_list_cost_update AFTER UPDATE ON settlement_list
        REFERENCING NEW TABLE AS payment_new_lists
        FOR EACH STATEMENT EXECUTE FUNCTION payment_list_cost_sync()`.execute(db);
      await sql`INSERT INTO payment_list_cost
        SELECT l.setl_id, l.version, c.* FROM settlement_list l CROSS JOIN LATERAL payment_list_cost_of(l.message) c`.execute(
        db,
      );
      // Keyset pages of accepted lists only (refused ones are never settled), read in index order.
      await sql`CREATE INDEX payment_settlement_list_accepted_keyset
        ON settlement_list (period, patient_key, setl_id) WHERE status = 'accepted'`.execute(db);
      await sql`DROP INDEX payment_settlement_list_period_person`.execute(db);
      // No query looks settlements up by person (the year-to-date state is read by period); the
      // index was a quarter of the cost of writing a settlement.
      await sql`DROP INDEX stay_settlement_patient`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`CREATE INDEX IF NOT EXISTS stay_settlement_patient ON stay_settlement (patient_key)`.execute(
        db,
      );
      await sql`CREATE INDEX IF NOT EXISTS payment_settlement_list_period_person
        ON settlement_list (period, patient_key, setl_id)`.execute(db);
      await sql`DROP INDEX IF EXISTS payment_settlement_list_accepted_keyset`.execute(db);
      await sql`DROP TRIGGER IF EXISTS payment_list_cost_update ON settlement_list`.execute(db);
      await sql`DROP TRIGGER IF EXISTS payment_list_cost_insert ON settlement_list`.execute(db);
      await sql`DROP FUNCTION IF EXISTS payment_list_cost_sync()`.execute(db);
      await sql`DROP FUNCTION IF EXISTS payment_list_cost_of(jsonb)`.execute(db);
      await sql`DROP TABLE IF EXISTS payment_list_cost`.execute(db);
    },
  },
  {
    // The special-case review lists the high-cost outliers (特病单议候选): a few percent of the stays,
    // newest period first. A partial index keeps that page fast at a million settlements and costs
    // the writes of the other stays nothing.
    name: "0102_stay_settlement_high_outliers",
    async up(db: MigrationDb) {
      await sql`CREATE INDEX stay_settlement_high_outlier ON stay_settlement (period DESC, setl_id)
        WHERE outlier = 'high'`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP INDEX IF EXISTS stay_settlement_high_outlier`.execute(db);
    },
  },
  {
    // 入院/出院时间 (issue 14): the under-24-hours family (住院不足24小时) needs the times, which are only in
    // the list's JSON (setlinfo.adm_time/dscg_time, "yyyy-MM-dd HH:mm:ss"). They go into the cost split
    // as "HH:MM:SS" (the dates are the list's adm_date/dscg_date, derived from the same fields), kept by
    // the same statement-level triggers, and are backfilled here. A value not in that form is null.
    name: "0103_payment_list_times",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE payment_list_cost ADD COLUMN adm_time text, ADD COLUMN dscg_time text`.execute(
        db,
      );
      await sql`CREATE FUNCTION payment_list_times_of(message jsonb, OUT adm_time text, OUT dscg_time text)
        LANGUAGE sql IMMUTABLE AS $$
          SELECT CASE WHEN s->>'adm_time' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$'
              THEN substr(s->>'adm_time', 12, 8) END,
            CASE WHEN s->>'dscg_time' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$'
              THEN substr(s->>'dscg_time', 12, 8) END
          FROM (SELECT CASE WHEN jsonb_typeof(message->'input'->'setlinfo') = 'object'
            THEN message->'input'->'setlinfo' END AS s OFFSET 0) m
        $$`.execute(db);
      await sql`CREATE OR REPLACE FUNCTION payment_list_cost_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE format('INSERT INTO %1$I.payment_list_cost (setl_id, version, hi_type, hi_setl_lv, class_a_fen,
                class_b_fen, self_pay_fen, other_fen, bed_fee_fen, adm_time, dscg_time)
              SELECT n.setl_id, n.version, c.*, t.* FROM payment_new_lists n
              CROSS JOIN LATERAL %1$I.payment_list_cost_of(n.message) c
              CROSS JOIN LATERAL %1$I.payment_list_times_of(n.message) t
            ON CONFLICT (setl_id) DO UPDATE SET version = excluded.version, hi_type = excluded.hi_type,
              hi_setl_lv = excluded.hi_setl_lv, class_a_fen = excluded.class_a_fen,
              class_b_fen = excluded.class_b_fen, self_pay_fen = excluded.self_pay_fen,
              other_fen = excluded.other_fen, bed_fee_fen = excluded.bed_fee_fen,
              adm_time = excluded.adm_time, dscg_time = excluded.dscg_time', TG_TABLE_SCHEMA);
          RETURN NULL;
        END
      $$`.execute(db);
      await sql`UPDATE payment_list_cost c SET adm_time = t.adm_time, dscg_time = t.dscg_time
        FROM settlement_list l CROSS JOIN LATERAL payment_list_times_of(l.message) t
        WHERE l.setl_id = c.setl_id AND l.version = c.version`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`CREATE OR REPLACE FUNCTION payment_list_cost_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE format('INSERT INTO %1$I.payment_list_cost (setl_id, version, hi_type, hi_setl_lv, class_a_fen,
                class_b_fen, self_pay_fen, other_fen, bed_fee_fen)
              SELECT n.setl_id, n.version, c.* FROM payment_new_lists n
              CROSS JOIN LATERAL %1$I.payment_list_cost_of(n.message) c
            ON CONFLICT (setl_id) DO UPDATE SET version = excluded.version, hi_type = excluded.hi_type,
              hi_setl_lv = excluded.hi_setl_lv, class_a_fen = excluded.class_a_fen,
              class_b_fen = excluded.class_b_fen, self_pay_fen = excluded.self_pay_fen,
              other_fen = excluded.other_fen, bed_fee_fen = excluded.bed_fee_fen', TG_TABLE_SCHEMA);
          RETURN NULL;
        END
      $$`.execute(db);
      await sql`DROP FUNCTION IF EXISTS payment_list_times_of(jsonb)`.execute(db);
      await sql`ALTER TABLE payment_list_cost DROP COLUMN IF EXISTS adm_time, DROP COLUMN IF EXISTS dscg_time`.execute(
        db,
      );
    },
  },
  {
    // 特殊病例 (issue 14): the family that decided a stay's settlement (SPECIAL_CASE_FAMILIES), or null.
    // A family paid by items is also the category; a family paid `drg` is visible only here.
    name: "0104_stay_settlement_special_case",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE stay_settlement ADD COLUMN special_case text`.execute(db);
      await sql`ALTER TABLE stay_settlement_history ADD COLUMN special_case text`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`ALTER TABLE stay_settlement_history DROP COLUMN IF EXISTS special_case`.execute(db);
      await sql`ALTER TABLE stay_settlement DROP COLUMN IF EXISTS special_case`.execute(db);
    },
  },
  {
    // 特病单议 decisions (issue 15): a case is approved (核准, re-settled) or rejected (驳回, settled as
    // it was); either way it leaves the pending candidates. Rows before this migration were approvals.
    name: "0105_special_case_decision",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE special_case_approval ADD COLUMN decision text NOT NULL DEFAULT 'approved'
        CHECK (decision IN ('approved', 'rejected'))`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`ALTER TABLE special_case_approval DROP COLUMN IF EXISTS decision`.execute(db);
    },
  },
  {
    // The payment area's read contract for other areas (PaymentPublishedViews): the console's
    // indicators read these views, not the tables behind them.
    name: "0110_published_views",
    async up(db: MigrationDb) {
      await sql`CREATE VIEW payment_settled_stay AS
        SELECT ss.setl_id, ss.list_version, ss.hospital_code, ss.drg_payment_fen, ss.total_cost_fen, ss.outlier,
          ss.rw_ppm, ss.weights_id, ss.weights_version, ss.policy_id, ss.policy_version,
          p.method AS policy_method, p.data->>'rate' AS policy_rate
        FROM stay_settlement ss LEFT JOIN payment_policy p ON p.id = ss.policy_id AND p.version = ss.policy_version`.execute(
        db,
      );
      await sql`CREATE VIEW payment_latest_run AS SELECT max(run_id) AS run_id FROM payment_run`.execute(db);
      await sql`CREATE VIEW payment_recovered_by_finding AS
        SELECT finding_id, sum(amount_fen)::bigint AS amount_fen FROM audit_deduction
        WHERE finding_id IS NOT NULL GROUP BY finding_id`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP VIEW IF EXISTS payment_recovered_by_finding`.execute(db);
      await sql`DROP VIEW IF EXISTS payment_latest_run`.execute(db);
      await sql`DROP VIEW IF EXISTS payment_settled_stay`.execute(db);
    },
  },
  {
    // DIP payment (issue 14): the DIP payment policy as dated editions, each hospital's payment method
    // (DRG or DIP), the year's DIP clearing with one row per hospital and one per stay (every figure
    // traces to its stays), and the monthly prepayments the clearing nets off.
    name: "0111_dip_payment",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE dip_payment_policy (${VERSIONED})`.execute(db);
      await sql`ALTER TABLE payment_hospital ADD COLUMN payment_method text NOT NULL DEFAULT 'drg'
        CHECK (payment_method IN ('drg', 'dip'))`.execute(db);
      await sql`ALTER TABLE payment_run DROP CONSTRAINT IF EXISTS payment_run_kind_check`.execute(db);
      await sql`ALTER TABLE payment_run ADD CONSTRAINT payment_run_kind_check
        CHECK (kind IN ('calibrate', 'settle', 'clear', 'special_case', 'dip_prepay', 'dip_clear'))`.execute(
        db,
      );
      await sql`CREATE TABLE dip_year_clearing (
        year integer PRIMARY KEY,
        run_id bigint NOT NULL,
        policy_id text NOT NULL,
        policy_version text NOT NULL,
        budget_fen bigint NOT NULL,
        pool_fen bigint NOT NULL,
        total_points text NOT NULL,
        point_value_num numeric NOT NULL,
        point_value_den numeric NOT NULL,
        point_value_yuan text NOT NULL,
        lists integer NOT NULL,
        unpriced jsonb NOT NULL,
        refused jsonb NOT NULL,
        cleared_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE dip_clearing_statement (
        year integer NOT NULL,
        hospital_code text NOT NULL,
        run_id bigint NOT NULL,
        level text NOT NULL,
        coefficient_ppm bigint NOT NULL,
        cases integer NOT NULL,
        unpriced integer NOT NULL,
        points text NOT NULL,
        total_cost_fen bigint NOT NULL,
        payment_fen bigint NOT NULL,
        patient_paid_fen bigint NOT NULL,
        fund_due_fen bigint NOT NULL,
        prepaid_fen bigint NOT NULL,
        balance_due_fen bigint NOT NULL,
        PRIMARY KEY (year, hospital_code)
      )`.execute(db);
      await sql`CREATE TABLE dip_stay_points (
        year integer NOT NULL,
        setl_id text NOT NULL,
        hospital_code text NOT NULL,
        run_id bigint NOT NULL,
        dip_group text NOT NULL,
        case_type text NOT NULL CHECK (case_type IN ('normal', 'veryHigh', 'veryLow')),
        cost_fen bigint NOT NULL,
        standard_fen bigint NOT NULL,
        points text NOT NULL,
        payment_fen bigint NOT NULL,
        patient_paid_fen bigint NOT NULL,
        fund_fen bigint NOT NULL,
        PRIMARY KEY (year, setl_id)
      )`.execute(db);
      await sql`CREATE INDEX dip_stay_points_hospital ON dip_stay_points (year, hospital_code, setl_id)`.execute(
        db,
      );
      await sql`CREATE TABLE dip_prepayment (
        period text NOT NULL,
        hospital_code text NOT NULL,
        run_id bigint NOT NULL,
        policy_id text NOT NULL,
        policy_version text NOT NULL,
        cases integer NOT NULL,
        points text NOT NULL,
        point_value_yuan text NOT NULL,
        estimated_payment_fen bigint NOT NULL,
        patient_paid_fen bigint NOT NULL,
        estimated_fund_fen bigint NOT NULL,
        prepayment_fen bigint NOT NULL,
        prepaid_at timestamptz NOT NULL,
        PRIMARY KEY (period, hospital_code)
      )`.execute(db);
    },
    async down(db: MigrationDb) {
      for (const t of ["dip_prepayment", "dip_stay_points", "dip_clearing_statement", "dip_year_clearing"])
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      await sql`DELETE FROM payment_run WHERE kind IN ('dip_prepay', 'dip_clear')`.execute(db);
      await sql`ALTER TABLE payment_run DROP CONSTRAINT IF EXISTS payment_run_kind_check`.execute(db);
      await sql`ALTER TABLE payment_run ADD CONSTRAINT payment_run_kind_check
        CHECK (kind IN ('calibrate', 'settle', 'clear', 'special_case'))`.execute(db);
      await sql`ALTER TABLE payment_hospital DROP COLUMN IF EXISTS payment_method`.execute(db);
      await sql`DROP TABLE IF EXISTS dip_payment_policy`.execute(db);
    },
  },
  ...laterPaymentMigrations,
];
