import { parseTsv, TableError } from "./tsv.js";

/** Which coding system a code belongs to. */
export type CodeKind = "diagnosis" | "procedure";

/**
 * A code dictionary (编码字典): the ICD-10 医保版 2.0 diagnoses or the ICD-9-CM-3 医保版 2.0
 * procedures of a scheme, code → Chinese name.
 */
export class CodeDictionary {
  /** Set once: by the constructor, or by {@link parse} with the map it built (held by no one else). */
  private names: ReadonlyMap<string, string>;

  constructor(
    readonly kind: CodeKind,
    entries: Iterable<readonly [string, string]>,
  ) {
    this.names = new Map(entries);
  }

  /** Parses `diagnoses.tsv` / `procedures.tsv` (`code<TAB>name`). */
  static parse(kind: CodeKind, text: string, file: string): CodeDictionary {
    const rows = parseTsv(text, file, ["code", "name"]);
    const seen = new Map<string, string>();
    rows.forEach((r, i) => {
      const code = r[0] as string;
      if (seen.has(code)) throw new TableError(file, i + 2, `编码 ${code} 重复`);
      seen.set(code, r[1] as string);
    });
    const dictionary = new CodeDictionary(kind, []);
    dictionary.names = seen; // not copied: 42,000 entries for the national diagnoses
    return dictionary;
  }

  get size(): number {
    return this.names.size;
  }

  has(code: string): boolean {
    return this.names.has(code);
  }

  /** The code's name, or undefined for a code not in the dictionary. */
  name(code: string): string | undefined {
    return this.names.get(code);
  }

  codes(): IterableIterator<string> {
    return this.names.keys();
  }
}

/** The outcome of converting one code into the insurance version (医保版编码转换). */
export type CodeConversion =
  | { readonly outcome: "unchanged"; readonly code: string }
  | { readonly outcome: "mapped"; readonly from: string; readonly code: string }
  | { readonly outcome: "unmapped"; readonly from: string };

/**
 * A version map (编码版本映射表): codes of another version (e.g. 国临版) → insurance codes.
 * `diagnosis_map.tsv` / `procedure_map.tsv` with columns `from, to`.
 */
export class CodeVersionMap {
  constructor(
    readonly dictionary: CodeDictionary,
    private readonly map: ReadonlyMap<string, string>,
  ) {}

  static parse(dictionary: CodeDictionary, text: string, file: string): CodeVersionMap {
    const rows = parseTsv(text, file, ["from", "to"]);
    const map = new Map<string, string>();
    rows.forEach((r, i) => {
      const [from, to] = r as [string, string];
      const prior = map.get(from);
      if (prior !== undefined && prior !== to) {
        throw new TableError(file, i + 2, `源编码 ${from} 映射到多个目标 (${prior}, ${to})`);
      }
      if (!dictionary.has(to)) {
        throw new TableError(file, i + 2, `目标编码 ${to} 不在${kindLabel(dictionary.kind)}字典中`);
      }
      map.set(from, to);
    });
    return new CodeVersionMap(dictionary, map);
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * Converts one code. A code already in the insurance dictionary is a national code and stays as
   * it is (a coded diagnosis is never silently rewritten); a code found only in the map is mapped;
   * anything else is reported as unmapped (non-national code: 非医保版编码).
   */
  convert(code: string): CodeConversion {
    if (this.dictionary.has(code)) return { outcome: "unchanged", code };
    const to = this.map.get(code);
    if (to !== undefined) return { outcome: "mapped", from: code, code: to };
    return { outcome: "unmapped", from: code };
  }
}

export function kindLabel(kind: CodeKind): string {
  return kind === "diagnosis" ? "诊断" : "手术操作";
}
