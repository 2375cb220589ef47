/**
 * The payment migrations from 0112 on (migrations.ts holds 0100–0111 and the design notes; see there).
 */
import type { MigrationDb, NamedMigration } from "@yibao/store";
import { sql } from "kysely";

export const laterPaymentMigrations: readonly NamedMigration[] = [
  {
    // 特病单议申请 (issue 14): a hospital applies for its own settled stay under a criterion of the
    // policy; a reviewer approves (the stay re-settled through special_case_approval) or rejects it, or
    // the hospital withdraws it while pending. One live (not withdrawn) application per stay.
    name: "0112_special_case_application",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE special_case_application (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        setl_id text NOT NULL,
        hospital_code text NOT NULL,
        period text NOT NULL,
        criterion text NOT NULL CHECK (criterion IN ('highCost', 'icu', 'longStay', 'newTech')),
        new_tech_code text,
        reason text NOT NULL,
        figures jsonb NOT NULL,
        policy_id text NOT NULL,
        policy_version text NOT NULL,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
        decided_by text,
        decided_at timestamptz,
        decision_reason text,
        amount_fen bigint CHECK (amount_fen IS NULL OR amount_fen >= 0)
      )`.execute(db);
      await sql`CREATE UNIQUE INDEX special_case_application_live ON special_case_application (setl_id)
        WHERE status <> 'withdrawn'`.execute(db);
      await sql`CREATE INDEX special_case_application_hospital ON special_case_application
        (hospital_code, period, status)`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE IF EXISTS special_case_application`.execute(db);
    },
  },
  {
    // Clearing with the seed's sharing rules (issue 14): each hospital's assessment factor of a year
    // (年终考核系数), and per statement the surplus its 基层病种 made (not kept), the factor applied and
    // its 结余共享 reward.
    name: "0113_clearing_sharing",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE hospital_assessment (
        year integer NOT NULL,
        hospital_code text NOT NULL,
        factor_ppm bigint NOT NULL CHECK (factor_ppm >= 0),
        note text NOT NULL DEFAULT '',
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (year, hospital_code)
      )`.execute(db);
      await sql`ALTER TABLE clearing_statement
        ADD COLUMN primary_care_surplus_fen bigint NOT NULL DEFAULT 0,
        ADD COLUMN assessment_ppm bigint NOT NULL DEFAULT 1000000,
        ADD COLUMN regional_reward_fen bigint NOT NULL DEFAULT 0`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`ALTER TABLE clearing_statement DROP COLUMN IF EXISTS primary_care_surplus_fen,
        DROP COLUMN IF EXISTS assessment_ppm, DROP COLUMN IF EXISTS regional_reward_fen`.execute(db);
      await sql`DROP TABLE IF EXISTS hospital_assessment`.execute(db);
    },
  },
  {
    // 新技术除外申请 (issue 14): a second kind of application beside 特病单议, sharing the table, its
    // one-live-application-per-stay index, withdrawal and review. An approved one takes the stay out of
    // DRG payment (paid by actual cost) in every settlement of its period, within the policy's cap.
    name: "0114_new_tech_exclusion_application",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE special_case_application ADD COLUMN kind text NOT NULL DEFAULT 'specialReview'
        CHECK (kind IN ('specialReview', 'newTechExclusion'))`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DELETE FROM special_case_application WHERE kind = 'newTechExclusion'`.execute(db);
      await sql`ALTER TABLE special_case_application DROP COLUMN IF EXISTS kind`.execute(db);
    },
  },
  {
    // 医院主数据版本 (issue 12 item 4): a hospital's level, benefit class and payment method become dated
    // editions, append-only, with who, why and from where (region pack, API or Excel). The edition in
    // force on a date is the one with the latest effective_from on or before it (of two with the same
    // date, the later saved). Every existing row is back-filled as an edition in force since always
    // (0001-01-01), so nothing already settled changes; payment_hospital stays as the projection of
    // the edition in force today.
    name: "0115_payment_hospital_edition",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE payment_hospital_edition (
        edition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        hospital_code text NOT NULL,
        effective_from date NOT NULL,
        level text NOT NULL,
        benefit_class text,
        payment_method text NOT NULL CHECK (payment_method IN ('drg', 'dip')),
        actor text NOT NULL,
        reason text NOT NULL,
        source text NOT NULL CHECK (source IN ('pack', 'api', 'excel')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
      await sql`CREATE INDEX payment_hospital_edition_in_force
        ON payment_hospital_edition (hospital_code, effective_from, edition_id)`.execute(db);
      await sql`INSERT INTO payment_hospital_edition (hospital_code, effective_from, level, benefit_class,
          payment_method, actor, reason, source, created_at)
        SELECT hospital_code, DATE '0001-01-01', level, benefit_class, payment_method, 'migration',
          '迁移 0115：升级前的医院主数据，自始有效', 'pack', updated_at
        FROM payment_hospital ORDER BY hospital_code`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE IF EXISTS payment_hospital_edition`.execute(db);
    },
  },
];
