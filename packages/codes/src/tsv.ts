/**
 * Minimal, strict TSV reading for the scheme's reference tables (TSV 代码表).
 * Every problem names the file, the line and what was expected.
 */

/** An error in a reference table: names the file, the 1-based line and the rule broken. */
export class TableError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "TableError";
  }
}

const CR = 0x0d;

/**
 * Whether `trim` could change the cell: its first or last character is a control character, a space
 * or beyond ASCII (where the other white space of `String.prototype.trim` lies). Most cells are
 * plain codes and names and are kept as they are, without a copy.
 */
function mayNeedTrim(cell: string): boolean {
  if (cell === "") return false;
  const a = cell.charCodeAt(0);
  const b = cell.charCodeAt(cell.length - 1);
  return a <= 0x20 || a >= 0x7f || b <= 0x20 || b >= 0x7f;
}

/**
 * Parses a tab-separated table whose first line must be exactly `header`.
 * Blank lines are skipped; every other line must have exactly `header.length` columns.
 * A trailing carriage return (files saved on Windows) is tolerated.
 */
export function parseTsv(text: string, file: string, header: readonly string[]): string[][] {
  const lines = text.split("\n");
  const first = (lines[0] ?? "").replace(/\r$/, "").replace(/^\uFEFF/, "");
  if (first !== header.join("\t")) {
    throw new TableError(file, 1, `表头应为 "${header.join("\\t")}"，实际为 "${first}"`);
  }
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    let raw = lines[i] as string;
    if (raw.charCodeAt(raw.length - 1) === CR) raw = raw.slice(0, -1);
    if (raw === "") continue;
    // Cells are trimmed: stray spaces around codes are a common defect of published tables.
    const cols = raw.split("\t");
    for (let c = 0; c < cols.length; c++) {
      const cell = cols[c] as string;
      if (mayNeedTrim(cell)) cols[c] = cell.trim();
    }
    if (cols.length !== header.length) {
      throw new TableError(file, i + 1, `应有 ${header.length} 列，实际 ${cols.length} 列`);
    }
    for (let c = 0; c < cols.length; c++) {
      if (cols[c] === "" && c === 0) {
        throw new TableError(file, i + 1, `第 1 列 (${header[0]}) 不能为空`);
      }
    }
    rows.push(cols);
  }
  return rows;
}
