/** Grouping benchmarks: scheme load time, the engine alone on one core, and `yibao group` end to end. */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type GroupingRecord, groupRecord } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import type { BenchResult } from "./report.js";

const run = promisify(execFile);

function vectorLines(schemeDir: string): string[] {
  return readFileSync(resolve(schemeDir, "vectors.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.stringify((JSON.parse(l) as { input: unknown }).input));
}

/** Records with distinct ids, cycling through the scheme's labelled inputs. */
function* records(lines: readonly string[], n: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    const base = lines[i % lines.length] as string;
    yield `{"id":"B${i}",${base.slice(base.indexOf(",") + 1)}`;
  }
}

export async function benchGrouper(schemesDir: string, repo: string, n: number): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const id of ["chs-drg-1.1", "suzhou-2023"]) {
    const dir = resolve(schemesDir, id);
    const t = performance.now();
    await loadSchemeDir(dir);
    out.push({ name: `方案加载 ${id}`, value: performance.now() - t, unit: "ms" });
  }

  const national = resolve(schemesDir, "chs-drg-1.1");
  const scheme = await loadSchemeDir(national);
  const lines = vectorLines(national);
  // The engine alone, fed as a parser feeds it: batches of freshly parsed records (every string new,
  // none of its hashes cached), parsing untimed.
  const BATCH = 10_000;
  const source = records(lines, n);
  const nextBatch = (): GroupingRecord[] => {
    const b: GroupingRecord[] = [];
    for (let i = 0; i < BATCH; i++) {
      const r = source.next();
      if (r.done) break;
      b.push(JSON.parse(r.value) as GroupingRecord);
    }
    return b;
  };
  for (const r of records(lines, 100_000)) groupRecord(scheme, JSON.parse(r) as GroupingRecord); // warm-up
  let grouped = 0;
  let ok = 0;
  let ms = 0;
  // CPU time as well: on a shared machine wall time also counts the time other processes had the core.
  let cpuMs = 0;
  for (let b = nextBatch(); b.length > 0; b = nextBatch()) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const r of b) if (groupRecord(scheme, r).status === "OK") ok++;
    const c = process.cpuUsage(c0);
    ms += performance.now() - t0;
    cpuMs += (c.user + c.system) / 1000;
    grouped += b.length;
  }
  out.push({
    name: `分组引擎（单核，全国 CHS-DRG 1.1，${grouped.toLocaleString()} 条）`,
    value: grouped / (ms / 1000),
    unit: "条/秒",
    note: `按 CPU 时间 ${Math.round(grouped / (cpuMs / 1000)).toLocaleString()} 条/秒；入组 ${ok} 条；堆 ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`,
  });

  const dir = mkdtempSync(join(tmpdir(), "yibao-bench-"));
  try {
    const input = join(dir, "records.jsonl");
    const w = createWriteStream(input);
    for (const l of records(lines, n)) if (!w.write(`${l}\n`)) await once(w, "drain");
    w.end();
    await once(w, "finish");
    const output = join(dir, "groups.jsonl");
    const t1 = performance.now();
    const { stderr } = await run(process.execPath, [
      resolve(repo, "bin/yibao.js"),
      "group",
      "--scheme",
      national,
      "--input",
      input,
      "--output",
      output,
      "--no-progress",
    ]);
    const secs1 = (performance.now() - t1) / 1000;
    const peak = /峰值内存 (\d+) MB/.exec(stderr)?.[1];
    out.push({
      name: `yibao group 端到端（JSONL→JSONL，${n.toLocaleString()} 条，全部核心）`,
      value: n / secs1,
      unit: "条/秒",
      note: `含进程启动与方案加载共 ${secs1.toFixed(1)} 秒；峰值内存 ${peak ?? "?"} MB`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export const hasSchemes = (schemesDir: string) =>
  existsSync(resolve(schemesDir, "chs-drg-1.1", "scheme.json"));
