/**
 * Benchmark (生成速度): streams N lists and prints lists per second and memory.
 * `node packages/synth/dist/bench.js [--stays 1000000] [--scheme DIR] [--inject 0.05] [--seed 1]`
 * The scheme defaults to `YIBAO_SCHEME_DIR`, else the bundled demo scheme.
 */
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { generateRegion } from "./generate.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const stays = Number(arg("stays", "1000000"));
const rate = Number(arg("inject", "0.05"));
const seed = arg("seed", "1");
const dir = resolveSchemeDir(arg("scheme", "") || null);

const t0 = performance.now();
const scheme = await loadSchemeDir(dir);
const t1 = performance.now();
const region = generateRegion({ seed, stays, scheme, inject: { rate } });
const t2 = performance.now();
let n = 0;
let ok = 0;
let labelled = 0;
let totalFen = 0;
let peakHeap = 0;
for (const s of region.stays()) {
  n++;
  if (s.truth.group.status === "OK") ok++;
  if (s.label) labelled++;
  totalFen += s.truth.totalFen;
  if ((n & 0xffff) === 0) {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    process.stderr.write(`\r${n.toLocaleString()} / ${stays.toLocaleString()}`);
  }
}
const t3 = performance.now();
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
process.stderr.write("\n");
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `方案 ${scheme.id}：加载 ${((t1 - t0) / 1000).toFixed(2)} s，构建地区 ${((t2 - t1) / 1000).toFixed(2)} s`,
);
console.log(
  `生成 ${n.toLocaleString()} 份结算清单，用时 ${((t3 - t2) / 1000).toFixed(2)} s，${Math.round(n / ((t3 - t2) / 1000)).toLocaleString()} 份/秒`,
);
console.log(
  `入组率 ${((ok / n) * 100).toFixed(2)}%，注入违规清单 ${labelled.toLocaleString()} 份，总费用 ${(totalFen / 100).toFixed(2)} 元`,
);
console.log(`峰值堆内存 ${mb(peakHeap)}，RSS ${mb(process.memoryUsage().rss)}`);
