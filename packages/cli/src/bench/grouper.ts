/** Grouping benchmarks: scheme load time, the engine alone on one core, and `yibao group` end to end. */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type DrgScheme, type GroupingRecord, groupRecord } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { parseSettlementMessage, toGroupingRecord } from "@yibao/settlement";
import { generateRegion } from "@yibao/synth";
import type { BenchResult } from "./report.js";

const run = promisify(execFile);

function vectorLines(schemeDir: string): string[] {
  return readFileSync(resolve(schemeDir, "vectors.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.stringify((JSON.parse(l) as { input: unknown }).input));
}

/**
 * The grouping records of a synthetic region's lists (合成地区, @yibao/synth), through the normal
 * parse of the settlement list: codes as often as a region's stays have them, a few hundred codes
 * making most of the cases, where the labelled vectors spread over the whole dictionary.
 */
function regionLines(scheme: DrgScheme, stays: number): string[] {
  const out: string[] = [];
  for (const stay of generateRegion({ seed: 1, stays, scheme }).stays()) {
    const parsed = parseSettlementMessage(stay.message);
    if (parsed.list) out.push(JSON.stringify(toGroupingRecord(parsed.list, scheme)));
  }
  return out;
}

/** Records with distinct ids, cycling through the given inputs (JSON objects whose first field is the id). */
function* records(lines: readonly string[], n: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    const base = lines[i % lines.length] as string;
    yield `{"id":"B${i}",${base.slice(base.indexOf(",") + 1)}`;
  }
}

/** One run of the engine alone over `n` records: records/s by wall and by CPU time, and OK count. */
function engineRun(scheme: DrgScheme, lines: readonly string[], n: number) {
  // Fed as a parser feeds it: batches of freshly parsed records (every string new, none of its
  // hashes cached), parsing untimed.
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
  return { wall: grouped / (ms / 1000), cpu: grouped / (cpuMs / 1000), ok };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * The machine's time for one random read from memory, over a table of `bytes` (a chain of
 * dependent reads, as a hash lookup of a cold code is): the context of the engine's numbers, which
 * on a shared machine follow its memory far more than its clock.
 */
function randomReadNs(bytes: number): number {
  const n = bytes >>> 2;
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[i] = i;
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    const j = (seed >>> 1) % i; // Sattolo: one cycle through every entry
    const t = next[i] as number;
    next[i] = next[j] as number;
    next[j] = t;
  }
  const reads = 5_000_000;
  let p = 0;
  const t0 = performance.now();
  for (let k = 0; k < reads; k++) p = next[p] as number;
  const ns = ((performance.now() - t0) * 1e6) / reads;
  if (p < 0) throw new Error("unreachable"); // uses the chain's end, so the reads are not optimised away
  return ns;
}

export async function benchGrouper(schemesDir: string, repo: string, n: number): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push({
    name: "本机随机读内存（参考）",
    value: randomReadNs(64 * 2 ** 20),
    unit: "纳秒/次",
    note: `1 MB 表内 ${randomReadNs(2 ** 20).toFixed(0)} 纳秒/次；分组引擎的速度主要取决于此`,
  });
  for (const id of ["chs-drg-1.1", "suzhou-2023"]) {
    const dir = resolve(schemesDir, id);
    const t = performance.now();
    await loadSchemeDir(dir);
    out.push({ name: `方案加载 ${id}`, value: performance.now() - t, unit: "ms" });
  }

  const national = resolve(schemesDir, "chs-drg-1.1");
  const scheme = await loadSchemeDir(national);
  const vectors = vectorLines(national);
  const workloads = [
    { name: "标注样例", lines: vectors, about: "3 万条样例轮流，编码几乎遍及整部字典：缓存最不利" },
    {
      name: "合成地区",
      lines: regionLines(scheme, 50_000),
      about: "5 万份合成结算清单轮流，编码频次同真实地区",
    },
  ];
  for (const r of records(vectors, 100_000)) groupRecord(scheme, JSON.parse(r) as GroupingRecord); // warm-up
  const RUNS = 3;
  for (const w of workloads) {
    const runs = Array.from({ length: RUNS }, () => engineRun(scheme, w.lines, n));
    const walls = runs.map((r) => r.wall);
    out.push({
      name: `分组引擎（单核，全国 CHS-DRG 1.1，${w.name}，${n.toLocaleString()} 条 × ${RUNS} 次取中位数）`,
      value: median(walls),
      unit: "条/秒",
      note: `${w.about}；各次 ${walls.map((x) => Math.round(x).toLocaleString()).join(" / ")}；按 CPU 时间 ${Math.round(median(runs.map((r) => r.cpu))).toLocaleString()} 条/秒；入组 ${runs[0]?.ok} 条；堆 ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`,
    });
  }

  const dir = mkdtempSync(join(tmpdir(), "yibao-bench-"));
  try {
    const input = join(dir, "records.jsonl");
    const w = createWriteStream(input);
    for (const l of records(vectors, n)) if (!w.write(`${l}\n`)) await once(w, "drain");
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
