/** The English words people would read in a Chinese page (issue 15), shared by the browser tests. */

/**
 * Latin words people may read in a Chinese page: abbreviations (all capitals), codes (with digits,
 * hyphens, dots, …), the demo accounts' usernames, and a few product names.
 */
const ALLOWED = new Set(["Excel", "JSON", "admin", "bureau", "reviewer", "hospital", "hospital2"]);

/** The English words of a page's text: Latin words of 3+ letters that are neither codes nor abbreviations. */
export function englishWords(text: string): string[] {
  const tokens = text.split(/[^A-Za-z0-9\-_./@:]+/).filter(Boolean);
  return tokens.filter((t) => {
    if (/[0-9\-_./@:]/.test(t)) return false; // a code, an id, a number, a path
    if (t.length < 3) return false;
    if (t === t.toUpperCase()) return false; // DRG, CMI, QY, ICD…
    return !ALLOWED.has(t);
  });
}
