/** The worked examples of fund loss under DRG (`examples/seed-002`, 基金损失测算示例) from files. */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type ExampleFile, runSeed002Examples, type Seed002Result } from "@yibao/payment";

/** Reads every `*.json` of a directory (sorted) and settles each example both ways. */
export async function runSeed002Dir(dir: string): Promise<Seed002Result[]> {
  const abs = resolve(dir);
  const names = (await readdir(abs)).filter((n) => n.endsWith(".json")).sort();
  const files: ExampleFile[] = [];
  const bad: Seed002Result[] = [];
  for (const name of names) {
    try {
      files.push({ name, content: JSON.parse(await readFile(join(abs, name), "utf8")) });
    } catch (e) {
      bad.push({ ok: false, name, error: `无法读取或解析：${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return [...runSeed002Examples(files), ...bad];
}

/** True when there is at least one example and every one matches its expected fund loss. */
export function allMatch(results: readonly Seed002Result[]): boolean {
  return results.length > 0 && results.every((r) => r.ok && r.matches);
}
