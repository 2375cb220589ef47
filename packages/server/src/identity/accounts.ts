/**
 * 账号与会话: Argon2id password hashes, server-side sessions with idle and absolute expiry, a CSRF
 * token per session, lock-out after repeated failed logins, and the demo accounts.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { sql } from "kysely";
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
  /**
   * Sign-in attempts per client address (`request.ip`: behind a reverse proxy set `trustProxy`, else
   * every client is the proxy) per `loginWindowMs`; 0 for no limit. Default 20.
   */
  readonly loginsPerAddress: number;
  /** Sign-in attempts per username per `loginWindowMs`, from any address; 0 for no limit. Default 10. */
  readonly loginsPerAccount: number;
  /** The window of the two sign-in limits (ms). Default 1 min. */
  readonly loginWindowMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3600_000,
  maxFailedLogins: 5,
  lockMs: 5 * 60_000,
  loginsPerAddress: 20,
  loginsPerAccount: 10,
  loginWindowMs: 60_000,
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
  /** The password is someone else's choice or generated: it must be changed at first sign-in. */
  readonly mustChangePassword?: boolean;
}

const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

/**
 * Common passwords and their stems (lower case). A password is refused when its letters, lower-cased,
 * without the digits and symbols at its ends, with or without common look-alikes (@→a, 0→o, 1→i,
 * 3→e, $→s) undone, are one of these: `Password2024!` and `P@ssw0rd#1` are both `password`,
 * `1qaz2wsx3edc` is `qazwsxedc`.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "password",
  "passwort",
  "passw",
  "pass",
  "admin",
  "administrator",
  "root",
  "welcome",
  "letmein",
  "iloveyou",
  "qwerty",
  "qwertyuiop",
  "qwertyui",
  "asdfgh",
  "asdfghjkl",
  "zxcvbnm",
  "qazwsx",
  "qazwsxedc",
  "monkey",
  "dragon",
  "football",
  "baseball",
  "master",
  "sunshine",
  "princess",
  "superman",
  "trustno",
  "changeme",
  "default",
  "secret",
  "abc",
  "abcd",
  "test",
  "guest",
  "user",
  "login",
  "woaini",
  "aini",
  "yibao",
  "yibaoadmin",
  "yiliao",
  "yiyuan",
  "hospital",
  "shebao",
  "china",
  "beijing",
  "shanghai",
]);

const LEET: Readonly<Record<string, string>> = { "@": "a", "0": "o", "1": "i", "3": "e", $: "s", "!": "i" };

/** The password's letters as a common password would have them: with and without look-alikes undone. */
function commonStems(password: string): string[] {
  const trimmed = password
    .toLowerCase()
    .replace(/^[^a-z]+/, "")
    .replace(/[^a-z]+$/, "");
  const undone = [...trimmed].map((c) => LEET[c] ?? c).join("");
  return [undone.replace(/[^a-z]/g, ""), trimmed.replace(/[^a-z]/g, "")];
}

/** The longest stretch of one repeated character or of an ascending or descending sequence. */
function longestRun(password: string): number {
  const codes = [...password.toLowerCase()].map((c) => c.codePointAt(0) ?? 0);
  let best = Math.min(codes.length, 1);
  let length = 1;
  let step: number | null = null;
  for (let i = 1; i < codes.length; i++) {
    const d = (codes[i] ?? 0) - (codes[i - 1] ?? 0);
    if (Math.abs(d) <= 1 && (step === null || d === step)) {
      length++;
      step = d;
    } else if (Math.abs(d) <= 1) {
      length = 2; // a new run starts with the previous character
      step = d;
    } else {
      length = 1;
      step = null;
    }
    best = Math.max(best, length);
  }
  return best;
}

/** The classes among lower-case letters, upper-case letters, digits and the rest (symbols). */
function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Checks a new password; returns a Chinese reason, or null when it is acceptable. At least 12
 * characters; three of the four classes (lower case, upper case, digits, symbols), or two from 16
 * characters on; not containing the username; not mostly one repeated character or a sequence
 * (`aaaaaaa…`, `1234567…`, `gfedcba…`); not a common password.
 */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (length > 200) return "密码过长（至多 200 位）";
  const classes = characterClasses(password);
  if (classes < (length >= 16 ? 2 : 3))
    return "密码须包含大写字母、小写字母、数字、符号中的至少三类（16 位及以上至少两类）";
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    return "密码不能包含用户名";
  if (longestRun(password) * 2 > length) return "密码不能主要由重复字符或连续字符（如 aaaa、1234、abcd）组成";
  if (commonStems(password).some((stem) => COMMON_PASSWORDS.has(stem)))
    return "密码过于常见，请换一个不易被猜到的密码";
  return null;
}

export async function createUser(db: IdentityDb, u: NewUser): Promise<number> {
  if (!USERNAME.test(u.username)) throw new Error(`用户名不合法：${u.username}`);
  if ((u.role === "hospital") !== Boolean(u.hospitalCode))
    throw new Error("医院账号必须且只能由医院角色绑定医院编码");
  const problem = passwordProblem(u.password, u.username);
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
      must_change_password: u.mustChangePassword ?? false,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Why a sign-in failed: for the operation log only, never for the caller (one answer for all). */
export type LoginFailure = "unknown" | "invalid" | "locked" | "disabled";

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
      readonly reason: LoginFailure;
      readonly userId: number | null;
    };

/** A dummy hash so that unknown, disabled and locked accounts cost the same time as wrong passwords. */
let dummyHash: Promise<string> | undefined;

async function spendVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-0");
  await verify(await dummyHash, password).catch(() => false);
}

/**
 * Verifies the password and opens a session.
 *
 * The attempt is counted before the password is verified, in one `UPDATE … RETURNING` that takes
 * the row lock: it adds one to `failed_logins` (starting again from one when an earlier lock has
 * run out) and sets `locked_until` when the count reaches `maxFailedLogins`; an account that is
 * locked or disabled is not updated and its password is not verified. So however many attempts
 * run at once, at most `maxFailedLogins` passwords are verified per lock window. A success resets
 * the count.
 */
export async function login(
  db: IdentityDb,
  username: string,
  password: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = new Date(),
): Promise<LoginResult> {
  const u = await db
    .selectFrom("console_user")
    .select(["id", "disabled"])
    .where("username", "=", username)
    .executeTakeFirst();
  if (!u) {
    await spendVerifyTime(password);
    return { ok: false, reason: "unknown", userId: null };
  }
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  const max = Math.max(1, policy.maxFailedLogins);
  const expired = sql<boolean>`(locked_until IS NOT NULL AND locked_until <= ${now})`;
  const reserved = await db
    .updateTable("console_user")
    .set({
      failed_logins: sql<number>`CASE WHEN ${expired} THEN 1 ELSE failed_logins + 1 END`,
      locked_until: sql<Date | null>`CASE
        WHEN (CASE WHEN ${expired} THEN 1 ELSE failed_logins + 1 END) >= ${max} THEN ${lockUntil}::timestamptz
        WHEN ${expired} THEN NULL
        ELSE locked_until END`,
    })
    .where("id", "=", u.id)
    .where("disabled", "=", false)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", now)]))
    .returningAll()
    .executeTakeFirst();
  if (!reserved) {
    await spendVerifyTime(password);
    const row = await db
      .selectFrom("console_user")
      .select("disabled")
      .where("id", "=", u.id)
      .executeTakeFirst();
    return { ok: false, reason: row?.disabled !== false ? "disabled" : "locked", userId: u.id };
  }
  const good = await verify(reserved.password_hash, password).catch(() => false);
  if (!good) return { ok: false, reason: "invalid", userId: u.id };
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
    mustChangePassword: reserved.must_change_password,
    user: {
      id: reserved.id,
      username: reserved.username,
      displayName: reserved.display_name,
      role: reserved.role,
      hospitalCode: reserved.hospital_code,
    },
  };
}

/**
 * Sets a user's password (checked against the policy; throws its reason) and ends every session of
 * the user except `keepSession` (the token hash of the session that changed it, for a change of
 * one's own password), so that whoever held another session must sign in with the new password.
 * Returns the number of sessions ended.
 */
export async function setPassword(
  db: IdentityDb,
  userId: number,
  password: string,
  options: { readonly mustChange: boolean; readonly keepSession?: string },
): Promise<number> {
  const u = await db
    .selectFrom("console_user")
    .select("username")
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!u) throw new Error(`账号不存在：${userId}`);
  const problem = passwordProblem(password, u.username);
  if (problem) throw new Error(problem);
  await db
    .updateTable("console_user")
    .set({
      password_hash: await hashPassword(password),
      must_change_password: options.mustChange,
      failed_logins: 0,
      locked_until: null,
      updated_at: new Date(),
    })
    .where("id", "=", userId)
    .execute();
  let end = db.deleteFrom("console_session").where("user_id", "=", userId);
  if (options.keepSession) end = end.where("token_hash", "<>", options.keepSession);
  const r = await end.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Gives an account a new generated password that must be changed at the next sign-in, ends all its
 * sessions and lifts a lock-out (for an operator who lost the password, or an administrator's reset).
 * Returns the new password, to be shown once; undefined when there is no such account.
 */
export async function resetPassword(
  db: IdentityDb,
  user: { readonly username: string } | { readonly id: number },
): Promise<{ readonly id: number; readonly username: string; readonly password: string } | undefined> {
  const row = await db
    .selectFrom("console_user")
    .select(["id", "username"])
    .where((eb) => ("id" in user ? eb("id", "=", user.id) : eb("username", "=", user.username)))
    .executeTakeFirst();
  if (!row) return undefined;
  const password = generatePassword();
  await setPassword(db, row.id, password, { mustChange: true });
  return { id: row.id, username: row.username, password };
}

/** An account as the administrators' page lists it (no password hash). */
export interface AccountSummary {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly hospitalCode: string | null;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly createdAt: Date;
}

/** Every account, by id (the administrators' account page). */
export async function listUsers(db: IdentityDb): Promise<AccountSummary[]> {
  return db
    .selectFrom("console_user")
    .select([
      "id",
      "username",
      "display_name as displayName",
      "role",
      "hospital_code as hospitalCode",
      "disabled",
      "must_change_password as mustChangePassword",
      "created_at as createdAt",
    ])
    .orderBy("id")
    .execute();
}

/** Whether an account of that username exists. */
export async function usernameTaken(db: IdentityDb, username: string): Promise<boolean> {
  const row = await db
    .selectFrom("console_user")
    .select("id")
    .where("username", "=", username)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Disables or re-enables an account; disabling ends every session of it. False when there is no
 * such account.
 */
export async function setUserDisabled(db: IdentityDb, id: number, disabled: boolean): Promise<boolean> {
  const r = await db
    .updateTable("console_user")
    .set({ disabled, updated_at: new Date() })
    .where("id", "=", id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (disabled) await db.deleteFrom("console_session").where("user_id", "=", id).execute();
  return true;
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

/** A demo account with its password, printed once when it is created. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  readonly displayName: string;
  readonly hospitalCode: string | null;
}

const GENERATED_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/**
 * A random password of 16 characters from letters and digits that cannot be mistaken for one another
 * (no 0/O, 1/l/I), with upper case, lower case and digits, that passes {@link passwordProblem}.
 */
export function generatePassword(): string {
  for (;;) {
    const bytes = randomBytes(16);
    const password = [...bytes].map((b) => GENERATED_ALPHABET[b % GENERATED_ALPHABET.length]).join("");
    if (characterClasses(password) === 3 && passwordProblem(password) === null) return password;
  }
}

/**
 * Creates the demo accounts that do not exist yet: one per role, and a hospital account for each of
 * the first `hospitalCodes` (default: the first two hospitals in the store). Returns the accounts
 * created now with their passwords, to be shown once: only their hashes are stored (existing accounts
 * keep theirs and are not returned). Generated passwords must be changed at first sign-in.
 */
export async function ensureDemoAccounts(
  db: IdentityDb,
  options: {
    hospitalCodes?: readonly string[];
    /** Passwords chosen by the caller (tests), by username; the others are generated. */
    passwords?: Readonly<Record<string, string>>;
    /**
     * Whether the accounts must change their password at first sign-in. Default: those with a
     * generated password must, those with a password from `passwords` need not.
     */
    mustChangePassword?: boolean;
  } = {},
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
    const given = options.passwords?.[w.username];
    const password = given ?? generatePassword();
    await createUser(db, {
      ...w,
      password,
      mustChangePassword: options.mustChangePassword ?? given === undefined,
    });
    created.push({ ...w, password });
  }
  return created;
}
