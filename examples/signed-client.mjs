#!/usr/bin/env node
/**
 * A hospital information system calling Yibao with its institution's API key (机构接口密钥): signed
 * requests, no dependencies (node:crypto and fetch, Node ≥ 20).
 *
 *   YIBAO_URL=http://127.0.0.1:3000 YIBAO_KEY_ID=AK… YIBAO_SECRET=… node examples/signed-client.mjs lists.json
 *
 * `lists.json` holds one 4101 envelope `{"infno","msgid","input"}` or an array of them. The script
 * uploads the file's bytes as they are (POST /api/v1/settlement-lists), reads the first list back
 * (GET /api/v1/settlement-lists/:setlId) and prechecks it (POST /api/v1/audit/precheck), printing one
 * JSON line per request; it exits with 1 when a request is refused.
 *
 * The signature (see README, 机构接口签名):
 *   stringToSign = METHOD \n path-with-query \n timestamp \n nonce \n hex(SHA-256(body))
 *   X-Yibao-Signature = base64(HMAC-SHA256(secret, stringToSign))
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

/**
 * The five signature headers of one request.
 * @param {{ method: string, path: string, body?: string | Uint8Array, keyId: string, secret: string,
 *           timestamp?: number | string, nonce?: string }} request `path` with its query string, exactly
 *           as it is sent; `body` the exact bytes sent (none: the empty string).
 * @returns {Record<string, string>}
 */
export function signRequest({ method, path, body = "", keyId, secret, timestamp, nonce }) {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const n = nonce ?? randomBytes(16).toString("hex");
  const contentSha256 = createHash("sha256").update(bytes).digest("hex");
  const toSign = [method.toUpperCase(), path, ts, n, contentSha256].join("\n");
  return {
    "X-Yibao-Key-Id": keyId,
    "X-Yibao-Timestamp": ts,
    "X-Yibao-Nonce": n,
    "X-Yibao-Content-SHA256": contentSha256,
    "X-Yibao-Signature": createHmac("sha256", secret).update(toSign, "utf8").digest("base64"),
  };
}

/**
 * Sends one signed request and returns its status and parsed answer.
 * @param {{ baseUrl: string, keyId: string, secret: string }} client
 * @param {string} method
 * @param {string} path path and query, e.g. `/api/v1/settlement-lists?period=2025-01`
 * @param {string | Uint8Array} [body] JSON text or bytes
 */
export async function signedFetch(client, method, path, body) {
  const url = new URL(path, client.baseUrl);
  // Sign the path as fetch will send it (URL normalises and percent-encodes).
  const sent = url.pathname + url.search;
  const headers = signRequest({
    method,
    path: sent,
    body: body ?? "",
    keyId: client.keyId,
    secret: client.secret,
  });
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {}
  return { status: res.status, data };
}

async function main(file) {
  const { YIBAO_URL, YIBAO_KEY_ID, YIBAO_SECRET } = process.env;
  if (!YIBAO_URL || !YIBAO_KEY_ID || !YIBAO_SECRET || !file) {
    console.error("用法：YIBAO_URL=… YIBAO_KEY_ID=… YIBAO_SECRET=… node signed-client.mjs 清单.json");
    return 2;
  }
  const client = { baseUrl: YIBAO_URL, keyId: YIBAO_KEY_ID, secret: YIBAO_SECRET };
  const bytes = await readFile(file);
  const parsed = JSON.parse(bytes.toString("utf8"));
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const setlId = first?.input?.setlinfo?.setl_id;
  let failed = false;
  const report = (step, r) => {
    failed ||= r.status >= 400;
    console.log(JSON.stringify({ step, status: r.status, data: r.data }));
  };
  report("upload", await signedFetch(client, "POST", "/api/v1/settlement-lists", bytes));
  if (typeof setlId === "string") {
    report(
      "read",
      await signedFetch(client, "GET", `/api/v1/settlement-lists/${encodeURIComponent(setlId)}`),
    );
  }
  report(
    "precheck",
    await signedFetch(client, "POST", "/api/v1/audit/precheck", JSON.stringify({ message: first })),
  );
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2]).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
