/**
 * `npm run bench`: the project's benchmarks. Reference schemes are read from `YIBAO_SHARED_DIR`
 * (default: `../shared` beside the repository). `BENCH_RECORDS` sets the size (default 1,000,000).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchGrouper, hasSchemes } from "./grouper.js";
import { type BenchResult, formatResults } from "./report.js";

const repo = resolve(fileURLToPath(import.meta.url), "../../../../..");
const shared = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(repo, "../shared"));
const schemes = resolve(shared, "schemes");
const n = Number(process.env.BENCH_RECORDS ?? 1_000_000);

if (!hasSchemes(schemes)) {
  process.stderr.write(`找不到参考方案目录 ${schemes}；请设置 YIBAO_SHARED_DIR\n`);
  process.exit(1);
}
const results: BenchResult[] = [];
results.push(...(await benchGrouper(schemes, repo, n)));
process.stdout.write(`${formatResults(results)}\n`);
