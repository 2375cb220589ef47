/** Progress bars for long jobs (cli-progress), shown only on a terminal. */
import cliProgress from "cli-progress";

export interface Progress {
  advanceBytes(n: number): void;
  advanceRows(n: number): void;
  setRecords(n: number): void;
  stop(): void;
}

const silent: Progress = { advanceBytes() {}, advanceRows() {}, setRecords() {}, stop() {} };

/**
 * A bar measured in input bytes when the size is known, otherwise a counter of rows read.
 * `enabled` is usually `process.stderr.isTTY`.
 */
export function startProgress(enabled: boolean, totalBytes: number | null, label = "分组"): Progress {
  if (!enabled) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format:
        totalBytes === null
          ? `${label} {records} 条 | 已读 {value} 行`
          : `${label} [{bar}] {percentage}% | {records} 条 | 剩余 {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalBytes ?? 0, 0, { records: 0 });
  let records = 0;
  return {
    advanceBytes: (n) => bar.increment(n, { records }),
    advanceRows: (n) => bar.increment(n, { records }),
    setRecords: (n) => {
      records = n;
      bar.update({ records });
    },
    stop: () => bar.stop(),
  };
}
