/**
 * Text that cannot be stored as it is (无法如实保存的文本): PostgreSQL `text` and `jsonb` hold no U+0000,
 * and UTF-8 has no encoding for a UTF-16 surrogate that is not part of a pair (the driver would
 * silently turn it into U+FFFD). Such text is found here, named, and escaped visibly for storage.
 */

/** Any NUL or surrogate at all: the fast test, true for almost no real text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is the point of this pattern
const SUSPECT = /[\u0000\ud800-\udfff]/;
/** NUL, a high surrogate without its low one, or a low surrogate without its high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is the point of this pattern
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

const hex4 = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");

/** What is wrong with the text, in Chinese (the first problem), or null when it can be stored. */
export function unstorableTextProblem(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  const m = UNSTORABLE.exec(s);
  if (m === null) return null;
  return m[0] === "\u0000" ? "U+0000 空字符" : `不成对的代理项 U+${hex4(m[0])}`;
}

/** True when the text holds U+0000 or an unpaired surrogate. */
export function hasUnstorableText(s: string): boolean {
  return SUSPECT.test(s) && UNSTORABLE.test(s);
}

/**
 * The text with each U+0000 and unpaired surrogate written as the six visible characters `\uXXXX`
 * (e.g. `a\u0000b` becomes `a\\u0000b`), so that it can be stored and shown; other text unchanged.
 */
export function escapeUnstorableText(s: string): string {
  if (!SUSPECT.test(s)) return s;
  return s.replace(UNSTORABLE_ALL, (c) => `\\u${hex4(c).toLowerCase()}`);
}
