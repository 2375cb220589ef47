/**
 * 账号与会话: Argon2id password hashes, server-side sessions with idle and absolute expiry, a CSRF
 * token per session, lock-out after repeated failed logins, and the demo accounts.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { IdentityDb, Role } from "./tables.js";

/** The signed-in user as routes see it. */
export interface SessionUser {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly hospitalCode: string | null;
}

export interface SessionPolicy {
  /** Idle timeout (ms), extended on use. Default 30 min. */
  readonly idleMs: number;
  /** Absolute lifetime (ms). Default 12 h. */
  readonly absoluteMs: number;
  /** Failed logins before a lock-out. Default 5. */
  readonly maxFailedLogins: number;
  /** Lock-out duration (ms). Default 5 min. */
  readonly lockMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3600_000,
  maxFailedLogins: 5,
  lockMs: 5 * 60_000,
};

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly hospitalCode?: string | null;
  readonly password: string;
}

const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

/** Checks a new password: at least 10 characters with letters and digits. Returns a Chinese reason or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return "密码至少 10 位";
  if (password.length > 200) return "密码过长";
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return "密码须同时包含字母和数字";
  return null;
}

export async function createUser(db: IdentityDb, u: NewUser): Promise<number> {
  if (!USERNAME.test(u.username)) throw new Error(`用户名不合法：${u.username}`);
  if ((u.role === "hospital") !== Boolean(u.hospitalCode))
    throw new Error("医院账号必须且只能由医院角色绑定医院编码");
  const problem = passwordProblem(u.password);
  if (problem) throw new Error(problem);
  const now = new Date();
  const row = await db
    .insertInto("console_user")
    .values({
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      hospital_code: u.role === "hospital" ? (u.hospitalCode ?? null) : null,
      password_hash: await hashPassword(u.password),
      disabled: false,
      failed_logins: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type LoginResult =
  | {
      readonly ok: true;
      readonly user: SessionUser;
      readonly token: string;
      readonly csrfToken: string;
      /** The password was generated: the session is open only to changing it. */
      readonly mustChangePassword: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: "invalid" | "locked" | "disabled";
      readonly userId: number | null;
    };

/** A dummy hash so that unknown usernames cost the same time as wrong passwords. */
let dummyHash: Promise<string> | undefined;

/** Verifies the password and opens a session. */
export async function login(
  db: IdentityDb,
  username: string,
  password: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = new Date(),
): Promise<LoginResult> {
  const u = await db
    .selectFrom("console_user")
    .selectAll()
    .where("username", "=", username)
    .executeTakeFirst();
  if (!u) {
    dummyHash ??= hashPassword("not-a-real-password-0");
    await verify(await dummyHash, password).catch(() => false);
    return { ok: false, reason: "invalid", userId: null };
  }
  if (u.disabled) return { ok: false, reason: "disabled", userId: u.id };
  if (u.locked_until && u.locked_until.getTime() > now.getTime())
    return { ok: false, reason: "locked", userId: u.id };
  const good = await verify(u.password_hash, password).catch(() => false);
  if (!good) {
    const failed = u.failed_logins + 1;
    const lock = failed >= policy.maxFailedLogins;
    await db
      .updateTable("console_user")
      .set({
        failed_logins: lock ? 0 : failed,
        locked_until: lock ? new Date(now.getTime() + policy.lockMs) : u.locked_until,
      })
      .where("id", "=", u.id)
      .execute();
    return { ok: false, reason: lock ? "locked" : "invalid", userId: u.id };
  }
  await db
    .updateTable("console_user")
    .set({ failed_logins: 0, locked_until: null })
    .where("id", "=", u.id)
    .execute();
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  await db
    .insertInto("console_session")
    .values({
      token_hash: tokenHash(token),
      user_id: u.id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: new Date(now.getTime() + policy.idleMs),
      absolute_expires_at: new Date(now.getTime() + policy.absoluteMs),
    })
    .execute();
  // Expired sessions of anyone are cleaned up at each login.
  await db.deleteFrom("console_session").where("expires_at", "<", now).execute();
  return {
    ok: true,
    token,
    csrfToken,
    mustChangePassword: u.must_change_password,
    user: {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      hospitalCode: u.hospital_code,
    },
  };
}

export interface ActiveSession {
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly tokenHash: string;
  /** The account's password was generated and must be changed before anything else. */
  readonly mustChangePassword: boolean;
}

/** The session of a cookie token, extending its idle expiry; undefined when unknown or expired. */
export async function lookupSession(
  db: IdentityDb,
  token: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = new Date(),
): Promise<ActiveSession | undefined> {
  const h = tokenHash(token);
  const row = await db
    .selectFrom("console_session as s")
    .innerJoin("console_user as u", "u.id", "s.user_id")
    .select([
      "s.csrf_token",
      "s.expires_at",
      "s.absolute_expires_at",
      "u.id",
      "u.username",
      "u.display_name",
      "u.role",
      "u.hospital_code",
      "u.disabled",
      "u.must_change_password",
    ])
    .where("s.token_hash", "=", h)
    .executeTakeFirst();
  if (!row) return undefined;
  const t = now.getTime();
  if (row.disabled || row.expires_at.getTime() <= t || row.absolute_expires_at.getTime() <= t) {
    await db.deleteFrom("console_session").where("token_hash", "=", h).execute();
    return undefined;
  }
  // Extend the idle expiry at most once a minute.
  const next = Math.min(t + policy.idleMs, row.absolute_expires_at.getTime());
  if (next - row.expires_at.getTime() > 60_000) {
    await db
      .updateTable("console_session")
      .set({ expires_at: new Date(next) })
      .where("token_hash", "=", h)
      .execute();
  }
  return {
    tokenHash: h,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
    user: {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      hospitalCode: row.hospital_code,
    },
  };
}

export async function logout(db: IdentityDb, tokenHashValue: string): Promise<void> {
  await db.deleteFrom("console_session").where("token_hash", "=", tokenHashValue).execute();
}

/** A demo account with its password, printed at start. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly displayName: string;
  readonly hospitalCode: string | null;
}

function demoPassword(): string {
  // 12 letters/digits plus a guaranteed letter and digit.
  return `${randomBytes(9).toString("base64url").replace(/[-_]/g, "x")}a7`;
}

/**
 * Creates the demo accounts that do not exist yet: one per role, and a hospital account for each of
 * the first `hospitalCodes` (default: the first two hospitals in the store). Returns the accounts
 * created now with their fresh random passwords (existing accounts keep theirs and are not returned).
 */
export async function ensureDemoAccounts(
  db: IdentityDb,
  options: { hospitalCodes?: readonly string[]; passwords?: Readonly<Record<string, string>> } = {},
): Promise<DemoAccount[]> {
  let codes = options.hospitalCodes;
  if (!codes) {
    const rows = await db.selectFrom("hospital").select("code").orderBy("code").limit(2).execute();
    codes = rows.map((r) => r.code);
  }
  const wanted: Omit<DemoAccount, "password">[] = [
    { username: "admin", role: "admin", displayName: "系统管理员", hospitalCode: null },
    { username: "bureau", role: "bureau", displayName: "医保局经办人", hospitalCode: null },
    { username: "reviewer", role: "reviewer", displayName: "医保审核员", hospitalCode: null },
    ...codes.map((code, i) => ({
      username: i === 0 ? "hospital" : `hospital${i + 1}`,
      role: "hospital" as const,
      displayName: `医院医保办（${code}）`,
      hospitalCode: code,
    })),
  ];
  const existing = new Set(
    (await db.selectFrom("console_user").select("username").execute()).map((r) => r.username),
  );
  const created: DemoAccount[] = [];
  for (const w of wanted) {
    if (existing.has(w.username)) continue;
    const password = options.passwords?.[w.username] ?? demoPassword();
    await createUser(db, { ...w, password });
    created.push({ ...w, password });
  }
  return created;
}
