/** Messages and findings as the database can hold them (no U+0000, no lone surrogate, bounded nesting). */

import { escapeUnstorableText, hasUnstorableText } from "@yibao/settlement/text";
import type { QcFinding, SettlementListData, SettlementListUpload } from "./settlement-lists.js";

/**
 * The key under which a message that `jsonb` cannot hold is kept as JSON text: one with U+0000 or an
 * unpaired surrogate in any string or field name (PostgreSQL refuses both), or nested deeper than
 * `MAX_STORED_DEPTH`. Such a message is stored as `{ escapedJson: "<the JSON text of the message,
 * U+0000 written as \u0000, a lone surrogate as \udXXX>", note: "…" }`; `JSON.parse(escapedJson)`
 * gives the message back exactly as received.
 */
export const ESCAPED_MESSAGE_KEY = "escapedJson";

/** Deepest JSON nesting stored as `jsonb` (PostgreSQL's parser recurses; deeper is kept as text). */
export const MAX_STORED_DEPTH = 256;

export const ESCAPED_NOTE =
  "原始报文含数据库无法直接保存的内容（U+0000 空字符、不成对的代理项或嵌套过深），原文以 JSON 文本形式保存在 escapedJson 中";

/** `\u0000` or `\udXXX` written by JSON.stringify (an odd number of backslashes before the `u`). */
export const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/** Deepest nesting of a JSON text (brackets outside strings). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** The JSON text to store for a message in a `jsonb` column: the message itself, or its escaped form. */
export function storableMessageJson(message: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch {
    text = undefined; // nested too deep for JSON.stringify itself
  }
  if (text === undefined) {
    return JSON.stringify({
      [ESCAPED_MESSAGE_KEY]: null,
      note: "原始报文无法序列化（嵌套过深），原文未保存",
    });
  }
  if ((text.includes("\\u") && UNSTORABLE_ESCAPE.test(text)) || jsonDepth(text) > MAX_STORED_DEPTH) {
    return JSON.stringify({ [ESCAPED_MESSAGE_KEY]: text, note: ESCAPED_NOTE });
  }
  return text;
}

export function storableFinding(f: QcFinding): QcFinding {
  if (!hasUnstorableText(f.ruleId) && !hasUnstorableText(f.field) && !hasUnstorableText(f.message)) return f;
  return {
    ruleId: escapeUnstorableText(f.ruleId),
    severity: f.severity,
    field: escapeUnstorableText(f.field),
    message: escapeUnstorableText(f.message),
  };
}

/**
 * The upload with every text column and finding that holds U+0000 or an unpaired surrogate escaped
 * (`\u0000`): PostgreSQL cannot store them, and the driver would silently change a lone surrogate.
 * The intake refuses such lists (QC-FMT-008) and never sends such a setl_id; this is the last guard.
 */
export function storableUpload(u: SettlementListUpload): SettlementListUpload {
  let list: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(u.list)) {
    if (k !== "message" && typeof v === "string" && hasUnstorableText(v)) {
      list ??= { ...u.list };
      list[k] = escapeUnstorableText(v);
    }
  }
  const findings = u.findings.map(storableFinding);
  const findingsChanged = findings.some((f, i) => f !== u.findings[i]);
  if (list === null && !findingsChanged) return u;
  return { ...u, list: (list ?? u.list) as SettlementListData, findings };
}
