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
 */
import type { NamedMigration } from "@yibao/store";
import { type Kysely, sql } from "kysely";

type AnyDb = Kysely<any>;

/** The audit service's migrations; pass them to `openStore({ migrations })`. */
export const auditMigrations: readonly NamedMigration[] = [
  {
    name: "0200_audit_tables",
    async up(db: AnyDb) {
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
    async down(db: AnyDb) {
      await sql`DROP INDEX IF EXISTS audit_settlement_list_dscg`.execute(db);
      await sql`DROP INDEX IF EXISTS audit_settlement_list_period_person`.execute(db);
      for (const t of ["audit_physician_profile", "audit_case_event", "audit_finding", "audit_run"]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
      await sql`DROP FUNCTION IF EXISTS audit_case_event_append_only()`.execute(db);
    },
  },
];
