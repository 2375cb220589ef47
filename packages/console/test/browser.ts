/** What the browser tests share: Debian's Chromium, started headless, and how to find a table's data rows. */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** A table's rows of data (not the "暂无数据"/"加载中…" row an empty or still loading table shows). */
export const DATA_ROWS = "tbody tr:not(.empty-row)";

/** Fails at once, saying what to install, when the machine has no Chromium. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`端到端测试需要 Debian 的 Chromium：${CHROMIUM} 不存在，请先 apt-get install chromium`);
  }
}

/** Starts Debian's Chromium headless, without the background traffic a first run would make. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
