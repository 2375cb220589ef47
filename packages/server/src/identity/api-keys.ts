/**
 * 机构接口密钥 (API keys of hospital information systems) and signed requests.
 *
 * A key belongs to one institution (a hospital code of the `hospital` table), has a name, an expiry
 * (required, at most 3 years) and can be revoked. Its secret is shown once, when it is issued.
 *
 * Where the secret lives. Verifying an HMAC needs the secret (or an equivalent) on the server, so a
 * hash of it alone would not do. The secret is therefore *derived*, never stored:
 *
 *     secret = base64url(HMAC-SHA256(masterKey, utf8(keyId) ‖ salt))
 *
 * where `salt` is 16 random bytes kept in the key's row, and the master key comes from env
 * `YIBAO_MASTER_KEY` (base64, at least 32 bytes) or else from the file `master.key` (mode 0600) in
 * the data directory (`YIBAO_DATA_DIR`, default `./data`), created on first use. The row keeps only
 * the salt and the SHA-256 of the secret (to tell a changed master key from a wrong signature), so a
 * dump of the database alone yields no usable secret. Losing or changing the master key invalidates
 * every issued key (they must be issued again).
 *
 * A signed request carries
 *
 *     X-Yibao-Key-Id          the key id (AK + 20 base32 characters)
 *     X-Yibao-Timestamp       Unix seconds; accepted within ±300 s of the server's clock
 *     X-Yibao-Nonce           16–64 characters of [A-Za-z0-9._~-], never used twice by a key
 *     X-Yibao-Content-SHA256  hex SHA-256 of the exact body bytes (of the empty string when none)
 *     X-Yibao-Signature       base64(HMAC-SHA256(secret, stringToSign)), the secret's UTF-8 text as key
 *
 *     stringToSign = METHOD + "\n" + path-with-query exactly as sent + "\n" + timestamp + "\n"
 *                    + nonce + "\n" + content-sha256
 *
 * The authenticator checks the key, the clock, the signature and the nonce when the request arrives
 * (onRequest); the body is hashed as it streams into the parser (preParsing) and compared before
 * validation and the handler (preValidation), so Fastify's own JSON parser, with its prototype-
 * poisoning protection, still parses it.
 */

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Transform } from "node:stream";
import { shanghaiDateTime } from "@yibao/kernel/calendar";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CodeWithStatus } from "../error-catalogue.js";
import { HttpError, sendError } from "../errors.js";
import type { Authenticator, Principal } from "./access.js";
import type { IdentityDb } from "./tables.js";

export const KEY_ID_HEADER = "x-yibao-key-id";
export const TIMESTAMP_HEADER = "x-yibao-timestamp";
export const NONCE_HEADER = "x-yibao-nonce";
export const CONTENT_SHA256_HEADER = "x-yibao-content-sha256";
export const SIGNATURE_HEADER = "x-yibao-signature";

/** Accepted difference between the request's timestamp and the server's clock. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
export const DEFAULT_KEY_DAYS = 365;
export const MAX_KEY_DAYS = 3 * 365;
export const MASTER_KEY_FILE = "master.key";

const KEY_ID = /^AK[A-Z2-7]{20}$/;
const NONCE = /^[A-Za-z0-9._~-]{16,64}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const EMPTY_SHA256 = createHash("sha256").digest("hex");

/** The string a request's signature is computed over. */
export function stringToSign(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  contentSha256: string,
): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${contentSha256.toLowerCase()}`;
}

/** base64(HMAC-SHA256(secret, stringToSign)). */
export function signature(secret: string, toSign: string): string {
  return createHmac("sha256", secret).update(toSign, "utf8").digest("base64");
}

// --- the master key ------------------------------------------------------------------------------

function decodeMasterKey(text: string, where: string): Buffer {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) throw new Error(`${where} 不是 base64 编码`);
  const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length < 32)
    throw new Error(`${where} 须为至少 32 字节的随机数（base64 编码），现为 ${key.length} 字节`);
  return key;
}

export interface MasterKeyOptions {
  /** Directory of `master.key` (default env YIBAO_DATA_DIR, else ./data). */
  readonly dataDir?: string;
}

/**
 * The master key: env `YIBAO_MASTER_KEY` (base64, ≥ 32 bytes), else `master.key` in the data
 * directory, created with 32 random bytes and mode 0600 when it does not exist. A key file readable
 * by others than its owner is refused.
 */
export async function loadMasterKey(options: MasterKeyOptions = {}, env = process.env): Promise<Buffer> {
  const fromEnv = env.YIBAO_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv !== "") return decodeMasterKey(fromEnv, "环境变量 YIBAO_MASTER_KEY");
  const dir = resolve(options.dataDir ?? env.YIBAO_DATA_DIR ?? "./data");
  const file = join(dir, MASTER_KEY_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    await mkdir(dir, { recursive: true });
    try {
      // `wx`: of two processes starting at once, one creates the file and the other reads it.
      await writeFile(file, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
      await chmod(file, 0o600); // whatever the umask
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    text = await readFile(file, "utf8");
  }
  if (process.platform !== "win32" && ((await stat(file)).mode & 0o077) !== 0) {
    throw new Error(`主密钥文件 ${file} 的权限过宽：须只有属主可读写（chmod 600）`);
  }
  return decodeMasterKey(text, `主密钥文件 ${file}`);
}

/** The secret of a key: base64url(HMAC-SHA256(masterKey, utf8(keyId) ‖ salt)). */
export function deriveSecret(masterKey: Uint8Array, keyId: string, salt: string): string {
  return createHmac("sha256", masterKey)
    .update(Buffer.concat([Buffer.from(keyId, "utf8"), Buffer.from(salt, "base64url")]))
    .digest("base64url");
}

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** `AK` + 20 random base32 characters (100 bits). */
export function newKeyId(): string {
  const bytes = randomBytes(20);
  let id = "AK";
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

// --- keys ----------------------------------------------------------------------------------------

export type ApiKeyStatus = "active" | "revoked" | "expired";

/** A key as the console lists it (never its secret). */
export interface ApiKeyInfo {
  readonly keyId: string;
  readonly hospitalCode: string;
  readonly hospitalName: string | null;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly lastUsedAt: string | null;
  readonly status: ApiKeyStatus;
}

export interface IssuedApiKey {
  readonly keyId: string;
  /** Shown once; the server cannot show it again. */
  readonly secret: string;
  readonly hospitalCode: string;
  readonly name: string;
  readonly expiresAt: string;
}

export interface ApiKeyConfig {
  /** The master key (tests), or by default `loadMasterKey` from env and the data directory. */
  readonly masterKey?: Uint8Array;
  /** Directory of `master.key` (default env YIBAO_DATA_DIR, else ./data). */
  readonly dataDir?: string;
  /** Accepted clock difference in seconds (default 300). */
  readonly clockSkewSeconds?: number;
  /** The server's clock for the timestamp check (tests pin it; default the system clock). */
  readonly now?: () => Date;
}

export interface ApiKeys {
  readonly authenticator: Authenticator;
  issue(input: {
    hospitalCode: string;
    name: string;
    days?: number;
    createdBy: string;
  }): Promise<IssuedApiKey>;
  revoke(keyId: string, revokedBy: string): Promise<ApiKeyInfo>;
  list(filter?: { hospitalCode?: string }): Promise<ApiKeyInfo[]>;
  /** Hashes signed requests' bodies as they are parsed and refuses a body that does not match. */
  installBodyDigest(app: FastifyInstance): void;
}

/** A signed request is refused with a 401: its code, one of the catalogue's 401 codes. */
function refuse(code: CodeWithStatus<401>, message: string): HttpError {
  return new HttpError(code, message);
}

function header(request: FastifyRequest, name: string, label: string): string {
  const v = request.headers[name];
  if (Array.isArray(v)) throw refuse("SIGNATURE_HEADERS", `请求头 ${label} 重复`);
  if (typeof v !== "string" || v === "") throw refuse("SIGNATURE_HEADERS", `签名请求头不全：缺少 ${label}`);
  return v;
}

function statusOf(row: { revoked_at: Date | null; expires_at: Date }, now: Date): ApiKeyStatus {
  if (row.revoked_at) return "revoked";
  return row.expires_at.getTime() <= now.getTime() ? "expired" : "active";
}

const localTime = (d: Date) => shanghaiDateTime(d).replace("T", " ");

/** An API key's row as listed (密钥列表), with its hospital's name. */
interface KeyRow {
  key_id: string;
  hospital_code: string;
  hospital_name: string | null;
  name: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

function keyInfo(r: KeyRow, now: Date): ApiKeyInfo {
  return {
    keyId: r.key_id,
    hospitalCode: r.hospital_code,
    hospitalName: r.hospital_name,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokedBy: r.revoked_by,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    status: statusOf(r, now),
  };
}

const selectKeys = (db: IdentityDb) =>
  db
    .selectFrom("api_key as k")
    .leftJoin("hospital as h", "h.code", "k.hospital_code")
    .select([
      "k.key_id",
      "k.hospital_code",
      "h.name as hospital_name",
      "k.name",
      "k.created_by",
      "k.created_at",
      "k.expires_at",
      "k.revoked_at",
      "k.revoked_by",
      "k.last_used_at",
    ]);

/** The body digest of an authenticated signed request, filled as its body streams in. */
interface BodyDigest {
  declared: string;
  hash: ReturnType<typeof createHash> | null;
  ended: boolean;
}

/** What checking signed requests needs: the tables, the clock, the window and the master key. */
interface SigningContext {
  readonly db: IdentityDb;
  readonly skew: number;
  readonly now: () => Date;
  readonly masterKey: () => Promise<Buffer>;
  readonly digests: WeakMap<FastifyRequest, BodyDigest>;
  /** When the nonces outside the window were last deleted (ms since the epoch). */
  lastPrune: number;
}

/** The five signature headers of a request (签名请求头), each present once and well formed. */
interface SignedHeaders {
  readonly keyId: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly contentSha: string;
  readonly given: string;
}

function signedHeaders(request: FastifyRequest): SignedHeaders {
  const h = {
    keyId: header(request, KEY_ID_HEADER, "X-Yibao-Key-Id"),
    timestamp: header(request, TIMESTAMP_HEADER, "X-Yibao-Timestamp"),
    nonce: header(request, NONCE_HEADER, "X-Yibao-Nonce"),
    contentSha: header(request, CONTENT_SHA256_HEADER, "X-Yibao-Content-SHA256"),
    given: header(request, SIGNATURE_HEADER, "X-Yibao-Signature"),
  };
  if (!/^[0-9]{1,12}$/.test(h.timestamp))
    throw refuse("BAD_TIMESTAMP", "X-Yibao-Timestamp 须为 Unix 时间戳（秒）");
  if (!NONCE.test(h.nonce)) throw refuse("BAD_NONCE", "X-Yibao-Nonce 须为 16–64 位字母、数字或 . _ ~ -");
  if (!HEX_SHA256.test(h.contentSha))
    throw refuse("BAD_CONTENT_SHA256", "X-Yibao-Content-SHA256 须为 64 位十六进制 SHA-256 摘要");
  return h;
}

/** The key a request names, if it is known, in force, of an existing hospital and the clock agrees. */
async function keyInForce(ctx: SigningContext, h: SignedHeaders, now: Date) {
  const row = KEY_ID.test(h.keyId)
    ? await ctx.db
        .selectFrom("api_key as k")
        .leftJoin("hospital as h", "h.code", "k.hospital_code")
        .select([
          "k.key_id",
          "k.hospital_code",
          "k.name",
          "k.salt",
          "k.secret_sha256",
          "k.expires_at",
          "k.revoked_at",
          "h.code as hospital_found",
        ])
        .where("k.key_id", "=", h.keyId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw refuse("UNKNOWN_KEY", "未知密钥：X-Yibao-Key-Id 不是本平台签发的接口密钥");
  if (row.revoked_at) throw refuse("KEY_REVOKED", `密钥已吊销（${localTime(row.revoked_at)}）`);
  if (row.expires_at.getTime() <= now.getTime())
    throw refuse("KEY_EXPIRED", `密钥已过期（有效期至 ${localTime(row.expires_at)}）`);
  if (!row.hospital_found) throw refuse("KEY_HOSPITAL_GONE", `密钥所属医院（${row.hospital_code}）已不存在`);
  const drift = Math.floor(now.getTime() / 1000) - Number(h.timestamp);
  if (Math.abs(drift) > ctx.skew) {
    throw refuse(
      "TIMESTAMP_OUT_OF_RANGE",
      `时间戳超出允许范围：与服务器时间相差 ${Math.abs(drift)} 秒，允许 ±${ctx.skew} 秒，请校准时钟`,
    );
  }
  return row;
}

/** Checks the request's HMAC against the key's secret, derived again from the master key. */
async function checkSignature(
  ctx: SigningContext,
  request: FastifyRequest,
  h: SignedHeaders,
  key: { key_id: string; salt: string; secret_sha256: string },
): Promise<void> {
  const secret = deriveSecret(await ctx.masterKey(), key.key_id, key.salt);
  const fp = Buffer.from(fingerprint(secret), "hex");
  if (!timingSafeEqual(fp, Buffer.from(key.secret_sha256, "hex"))) {
    request.log.error({ keyId: h.keyId }, "接口密钥无法验证：主密钥与签发时不同");
    throw refuse("KEY_UNVERIFIABLE", "密钥无法验证：服务器主密钥已更换，请重新签发密钥");
  }
  const path = request.raw.url ?? request.url;
  const expected = createHmac("sha256", secret)
    .update(stringToSign(request.method, path, h.timestamp, h.nonce, h.contentSha), "utf8")
    .digest();
  const sent = /^[A-Za-z0-9+/]+={0,2}$/.test(h.given) ? Buffer.from(h.given, "base64") : Buffer.alloc(0);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw refuse(
      "BAD_SIGNATURE",
      `签名不正确：待签字符串为 方法、路径（含查询串，服务器收到的是 ${path.slice(0, 200)}）、时间戳、nonce、请求体摘要，以换行连接`,
    );
  }
}

/**
 * Records the nonce, refusing one the key has used inside the window. Nonces are kept while their
 * timestamp is inside the window: a replay after that is refused by the timestamp check.
 */
async function recordNonce(ctx: SigningContext, keyId: string, h: SignedHeaders, now: Date): Promise<void> {
  if (now.getTime() - ctx.lastPrune > 60_000) {
    ctx.lastPrune = now.getTime();
    await ctx.db
      .deleteFrom("api_key_nonce")
      .where("signed_at", "<", new Date(now.getTime() - (ctx.skew + 1) * 1000))
      .execute();
  }
  const fresh = await ctx.db
    .insertInto("api_key_nonce")
    .values({ key_id: keyId, nonce: h.nonce, signed_at: new Date(Number(h.timestamp) * 1000) })
    .onConflict((oc) => oc.columns(["key_id", "nonce"]).doNothing())
    .returning("nonce")
    .executeTakeFirst();
  if (!fresh) throw refuse("NONCE_REPLAYED", "重复的 nonce（疑似重放）：每个请求须使用新的 X-Yibao-Nonce");
}

/** The authenticator of signed requests (接口密钥签名): headers, key, clock, signature, nonce. */
function signedRequestAuthenticator(ctx: SigningContext): Authenticator {
  return {
    claims: (request) => request.headers[KEY_ID_HEADER] !== undefined,

    async authenticate(request): Promise<Principal> {
      const h = signedHeaders(request);
      const now = ctx.now();
      const key = await keyInForce(ctx, h, now);
      await checkSignature(ctx, request, h, key);
      await recordNonce(ctx, key.key_id, h, now);
      ctx.digests.set(request, { declared: h.contentSha.toLowerCase(), hash: null, ended: false });
      return {
        id: 0,
        username: `key:${key.key_id}`,
        displayName: key.name,
        role: "hospital",
        hospitalCode: key.hospital_code,
        via: "apiKey",
        keyId: key.key_id,
        mustChangePassword: false,
      };
    },

    async onResponse(request) {
      const keyId = request.principal?.keyId;
      if (!keyId) return;
      await ctx.db
        .updateTable("api_key")
        .set({ last_used_at: new Date() })
        .where("key_id", "=", keyId)
        .execute();
    },
  };
}

/** Hashes signed requests' bodies as they stream in and refuses a body that does not match. */
function installBodyDigest(app: FastifyInstance, digests: WeakMap<FastifyRequest, BodyDigest>): void {
  app.addHook("preParsing", async (request, _reply, payload) => {
    const state = digests.get(request);
    if (!state) return payload;
    const hash = createHash("sha256");
    state.hash = hash;
    let received = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        received += chunk.length;
        (tee as Transform & { receivedEncodedLength?: number }).receivedEncodedLength = received;
        callback(null, chunk);
      },
      flush(callback) {
        state.ended = true;
        callback();
      },
    });
    payload.on("error", (err) => tee.destroy(err));
    return payload.pipe(tee);
  });
  app.addHook("preValidation", async (request: FastifyRequest, reply: FastifyReply) => {
    const state = digests.get(request);
    if (!state) return;
    // A body the server did not read (none was sent, or the method takes none) counts as empty.
    const actual = state.ended && state.hash ? state.hash.digest("hex") : EMPTY_SHA256;
    if (actual !== state.declared) {
      return sendError(
        reply,
        "BODY_DIGEST_MISMATCH",
        "请求体摘要不符：X-Yibao-Content-SHA256 与收到的请求体的 SHA-256 不一致",
      );
    }
  });
}

/** The API keys over the identity tables: issuing, revoking, listing and the request authenticator. */
export function createApiKeys(db: IdentityDb, config: ApiKeyConfig = {}): ApiKeys {
  let master: Promise<Buffer> | undefined;
  const masterKey = (): Promise<Buffer> => {
    if (config.masterKey) return Promise.resolve(Buffer.from(config.masterKey));
    master ??= loadMasterKey(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}).catch((e) => {
      master = undefined; // a fixed file or variable is picked up by the next request
      throw e;
    });
    return master;
  };
  const ctx: SigningContext = {
    db,
    skew: config.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    now: () => config.now?.() ?? new Date(),
    masterKey,
    digests: new WeakMap(),
    lastPrune: 0,
  };

  return {
    authenticator: signedRequestAuthenticator(ctx),
    installBodyDigest: (app) => installBodyDigest(app, ctx.digests),

    async issue(input) {
      const days = input.days ?? DEFAULT_KEY_DAYS;
      if (!Number.isInteger(days) || days < 1 || days > MAX_KEY_DAYS)
        throw new HttpError("INVALID_EXPIRY", `有效期须为 1–${MAX_KEY_DAYS} 天`);
      const name = input.name.trim();
      if (name === "") throw new HttpError("INVALID_NAME", "请填写密钥名称/用途");
      const hospital = await db
        .selectFrom("hospital")
        .select("code")
        .where("code", "=", input.hospitalCode)
        .executeTakeFirst();
      if (!hospital) throw new HttpError("UNKNOWN_HOSPITAL", `医院不存在：${input.hospitalCode}`);
      const keyId = newKeyId();
      const salt = randomBytes(16).toString("base64url");
      const secret = deriveSecret(await masterKey(), keyId, salt);
      const now = new Date();
      const expiresAt = new Date(now.getTime() + days * 86_400_000);
      await db
        .insertInto("api_key")
        .values({
          key_id: keyId,
          hospital_code: input.hospitalCode,
          name,
          salt,
          secret_sha256: fingerprint(secret),
          created_by: input.createdBy,
          created_at: now,
          expires_at: expiresAt,
          revoked_at: null,
          revoked_by: null,
          last_used_at: null,
        })
        .execute();
      return { keyId, secret, hospitalCode: input.hospitalCode, name, expiresAt: expiresAt.toISOString() };
    },

    async revoke(keyId, revokedBy) {
      const now = new Date();
      const updated = await db
        .updateTable("api_key")
        .set({ revoked_at: now, revoked_by: revokedBy })
        .where("key_id", "=", keyId)
        .where("revoked_at", "is", null)
        .returning("key_id")
        .executeTakeFirst();
      const row = await selectKeys(db).where("k.key_id", "=", keyId).executeTakeFirst();
      if (!row) throw new HttpError("NOT_FOUND", `接口密钥不存在：${keyId}`);
      if (!updated) throw new HttpError("ALREADY_REVOKED", `密钥已吊销：${keyId}`);
      return keyInfo(row, now);
    },

    async list(filter = {}) {
      let q = selectKeys(db);
      if (filter.hospitalCode) q = q.where("k.hospital_code", "=", filter.hospitalCode);
      const now = new Date();
      const rows = await q.orderBy("k.created_at", "desc").orderBy("k.key_id").execute();
      return rows.map((r) => keyInfo(r, now));
    },
  };
}
