/** Types of the example signed-request client (`signed-client.mjs`), for callers written in TypeScript. */

/** One request to sign: `path` with its query string exactly as sent, `body` the exact bytes sent. */
export interface SignedRequest {
  method: string;
  path: string;
  body?: string | Uint8Array;
  keyId: string;
  secret: string;
  timestamp?: number | string;
  nonce?: string;
}

/** The five signature headers of one request. */
export function signRequest(request: SignedRequest): Record<string, string>;

/** An API key's client: the server's base URL, the key id and its secret. */
export interface SignedClient {
  baseUrl: string;
  keyId: string;
  secret: string;
}

/** Sends one signed request and returns its status and parsed answer. */
export function signedFetch(
  client: SignedClient,
  method: string,
  path: string,
  body?: string | Uint8Array,
): Promise<{ status: number; data: unknown }>;
