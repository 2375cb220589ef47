/**
 * The identity migrations: accounts, sessions, the operation log and the API keys of hospital systems. The first keeps the name it had
 * when the console owned these tables (`0300_console_accounts`), so databases created then need
 * nothing new; later ones are in the 04xx range. Pass them to `openStore({ migrations })` before every
 * other area's (the platform's list starts with them).
 */
import { type MigrationDb, type NamedMigration, type OwnedTables, ownedTables } from "@yibao/store";
import { sql } from "kysely";
import type { IdentityTables } from "./tables.js";

/** The tables the identity migrations own (the `console_` names are from when the console owned them). */
export const IDENTITY_TABLES: OwnedTables = ownedTables<IdentityTables>("identity", {
  console_user: true,
  console_session: true,
  console_oplog: true,
  api_key: true,
  api_key_nonce: true,
});

export const identityMigrations: readonly NamedMigration[] = [
  {
    name: "0300_console_accounts",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE console_user (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('bureau', 'hospital', 'reviewer', 'admin')),
        hospital_code text,
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK ((role = 'hospital') = (hospital_code IS NOT NULL))
      )`.execute(db);
      await sql`CREATE TABLE console_session (
        token_hash text PRIMARY KEY,
        user_id integer NOT NULL REFERENCES console_user (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX console_session_user ON console_session (user_id)`.execute(db);
      await sql`CREATE TABLE console_oplog (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id integer,
        username text NOT NULL,
        role text NOT NULL,
        hospital_code text,
        action text NOT NULL,
        target text NOT NULL,
        detail jsonb NOT NULL,
        status_code integer,
        ip text NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX console_oplog_at ON console_oplog (at DESC)`.execute(db);
    },
    async down(db: MigrationDb) {
      for (const t of ["console_oplog", "console_session", "console_user"]) {
        await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
      }
    },
  },
  {
    name: "0400_identity_password_change",
    async up(db: MigrationDb) {
      await sql`ALTER TABLE console_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`.execute(
        db,
      );
    },
    async down(db: MigrationDb) {
      await sql`ALTER TABLE console_user DROP COLUMN must_change_password`.execute(db);
    },
  },
  {
    // 机构接口密钥: the keys of hospital information systems and the nonces they have used. No secret
    // is stored: only a random salt (the secret is derived from it with the master key, see api-keys.ts)
    // and the secret's SHA-256 fingerprint. The hospital is checked on issue and on every use rather
    // than by a foreign key, so that the store may replace its hospital rows as it does today.
    name: "0402_identity_api_keys",
    async up(db: MigrationDb) {
      await sql`CREATE TABLE api_key (
        key_id text PRIMARY KEY,
        hospital_code text NOT NULL,
        name text NOT NULL,
        salt text NOT NULL,
        secret_sha256 text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        last_used_at timestamptz,
        CHECK (expires_at > created_at)
      )`.execute(db);
      await sql`CREATE INDEX api_key_hospital ON api_key (hospital_code)`.execute(db);
      await sql`CREATE TABLE api_key_nonce (
        key_id text NOT NULL REFERENCES api_key (key_id) ON DELETE CASCADE,
        nonce text NOT NULL,
        signed_at timestamptz NOT NULL,
        PRIMARY KEY (key_id, nonce)
      )`.execute(db);
      await sql`CREATE INDEX api_key_nonce_signed_at ON api_key_nonce (signed_at)`.execute(db);
    },
    async down(db: MigrationDb) {
      await sql`DROP TABLE IF EXISTS api_key_nonce`.execute(db);
      await sql`DROP TABLE IF EXISTS api_key`.execute(db);
    },
  },
];
