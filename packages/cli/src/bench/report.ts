/** One measured number of a benchmark. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

export function formatResults(results: readonly BenchResult[]): string {
  const fmt = (r: BenchResult) =>
    r.unit === "ms" ? `${r.value.toFixed(0)} 毫秒` : `${Math.round(r.value).toLocaleString()} ${r.unit}`;
  return results.map((r) => `${r.name}: ${fmt(r)}${r.note ? `（${r.note}）` : ""}`).join("\n");
}
