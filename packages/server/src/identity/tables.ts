/**
 * The identity tables (身份与访问): accounts, sessions, the operation log, and the API keys of
 * hospital information systems. Owned by the server core; other areas read the signed-in principal
 * from the request, never these tables.
 */

import type { Role } from "@yibao/kernel/enums";
import type { AsTables, Store, StoreDatabase } from "@yibao/store";
import type { ColumnType, Generated, Kysely } from "kysely";

/** 角色: 医保局 bureau, 医院 hospital, 审核员 reviewer, 管理员 admin (the kernel's enumeration). */
export { ROLE_NAMES, ROLES, type Role } from "@yibao/kernel/enums";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** 用户 (an account of a person). */
export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  /** 所属医院 (hospital role only). */
  hospital_code: string | null;
  /** Argon2id PHC string. */
  password_hash: string;
  disabled: boolean;
  /** Failed sign-ins since the last success or lock-out, counted atomically. */
  failed_logins: number;
  locked_until: Date | null;
  /** The password was generated (demo, first admin, reset): it must be changed at first sign-in. */
  must_change_password: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 会话: the cookie holds a random token; only its SHA-256 is stored. */
export interface SessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  /** Sliding idle expiry. */
  expires_at: Timestamp;
  /** Absolute expiry, never extended. */
  absolute_expires_at: Timestamp;
}

/** 操作日志: who did what, when, with what outcome. */
export interface OplogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  username: string;
  role: string;
  hospital_code: string | null;
  action: string;
  target: string;
  detail: ColumnType<unknown, string, string>;
  status_code: number | null;
  ip: string;
}

/** 机构接口密钥: a hospital system's key. The secret itself is never stored (see api-keys.ts). */
export interface ApiKeyTable {
  /** `AK` + 20 base32 characters. */
  key_id: string;
  hospital_code: string;
  /** 名称/用途. */
  name: string;
  /** Random salt (base64url) from which the secret is derived with the master key. */
  salt: string;
  /** Hex SHA-256 of the secret: tells a changed master key from a wrong signature. */
  secret_sha256: string;
  /** Username of the issuer. */
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  last_used_at: Timestamp | null;
}

/** A nonce a key has signed with, kept while its timestamp is inside the accepted window. */
export interface ApiKeyNonceTable {
  key_id: string;
  nonce: string;
  /** The request's signed timestamp. */
  signed_at: Timestamp;
}

/** The identity area's tables (created by `identityMigrations`). */
export interface IdentityTables {
  console_user: UserTable;
  console_session: SessionTable;
  console_oplog: OplogTable;
  api_key: ApiKeyTable;
  api_key_nonce: ApiKeyNonceTable;
}

export type IdentityDatabase = StoreDatabase & IdentityTables;
export type IdentityDb = Kysely<IdentityDatabase>;

/** The store's Kysely instance typed with the identity tables too (no cast). */
export function identityDb(store: Store): IdentityDb {
  return store.db.withTables<AsTables<IdentityTables>>();
}
