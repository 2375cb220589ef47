/**
 * Where the console's payment and audit figures come from (CMI, 结余/超支, 审核发现, 追回): the views
 * those areas publish (their read contracts), never their tables. Which areas feed the console is
 * decided by whoever composes the server (`ConsolePluginOptions.sources`), and checked at start-up
 * against the database: a declared source whose view is missing or lacks a column the console reads
 * is an error naming both, not figures that silently read 0.
 */
import { sql } from "kysely";
import type { ConsoleDb } from "./schema.js";

/** The areas whose published views the console reads. */
export interface ConsoleSources {
  /** 支付结算: settlements (CMI, payment, outliers), the latest run, what was recovered per finding. */
  readonly payment: boolean;
  /** 智能审核: its findings (needs `payment`: what was recovered lives there). */
  readonly audit: boolean;
}

export const NO_SOURCES: ConsoleSources = { payment: false, audit: false };

/**
 * The rows the console reads from each published view. The composing package checks at compile time
 * that each area's published types give at least these (cli `platform.ts`).
 */
export interface ConsoleSourceViews {
  payment_settled_stay: {
    setl_id: string;
    list_version: number;
    hospital_code: string;
    drg_payment_fen: number;
    total_cost_fen: number;
    outlier: string;
    rw_ppm: number | null;
    weights_id: string;
    weights_version: string;
    policy_id: string;
    policy_version: string;
    policy_method: string | null;
    policy_rate: string | null;
  };
  payment_latest_run: { run_id: number | null };
  payment_recovered_by_finding: { finding_id: string; amount_fen: string };
  audit_finding_cell: {
    finding_id: string;
    hospital_code: string;
    period: string;
    setl_id: string | null;
    updated_at: Date;
  };
}

/** The columns the console reads of each view, by the area that publishes it. */
export const SOURCE_COLUMNS: {
  readonly [K in keyof ConsoleSourceViews]: {
    readonly area: keyof ConsoleSources;
    readonly columns: readonly (keyof ConsoleSourceViews[K] & string)[];
  };
} = {
  payment_settled_stay: {
    area: "payment",
    columns: [
      "setl_id",
      "list_version",
      "hospital_code",
      "drg_payment_fen",
      "total_cost_fen",
      "outlier",
      "rw_ppm",
      "weights_id",
      "weights_version",
      "policy_id",
      "policy_version",
      "policy_method",
      "policy_rate",
    ],
  },
  payment_latest_run: { area: "payment", columns: ["run_id"] },
  payment_recovered_by_finding: { area: "payment", columns: ["finding_id", "amount_fen"] },
  audit_finding_cell: {
    area: "audit",
    columns: ["finding_id", "hospital_code", "period", "setl_id", "updated_at"],
  },
};

const AREA_NAMES: Readonly<Record<keyof ConsoleSources, string>> = { payment: "支付结算", audit: "智能审核" };

/**
 * Checks the declared sources against the database: every column the console reads of each view
 * of a declared area is there. Throws, in Chinese, naming the area, the view and the columns missing.
 */
export async function checkSources(db: ConsoleDb, sources: ConsoleSources): Promise<void> {
  if (sources.audit && !sources.payment) {
    throw new Error("指标来源配置错误：接入智能审核须同时接入支付结算（追回金额来自审核扣款）");
  }
  const wanted = Object.entries(SOURCE_COLUMNS).filter(([, v]) => sources[v.area]);
  if (wanted.length === 0) return;
  const r = await sql<{ view: string; column: string }>`SELECT table_name AS view, column_name AS column
    FROM information_schema.columns WHERE table_schema = current_schema()
      AND table_name = ANY(${wanted.map(([name]) => name)}::text[])`.execute(db);
  const have = new Set(r.rows.map((x) => `${x.view}.${x.column}`));
  const views = new Set(r.rows.map((x) => x.view));
  const problems: string[] = [];
  for (const [view, { area, columns }] of wanted) {
    const missing = columns.filter((c) => !have.has(`${view}.${c}`));
    if (!views.has(view)) problems.push(`${AREA_NAMES[area]}视图 ${view} 不存在`);
    else if (missing.length > 0)
      problems.push(`${AREA_NAMES[area]}视图 ${view} 缺少列 ${missing.join("、")}`);
  }
  if (problems.length > 0) {
    throw new Error(`指标来源与数据库不符（请先运行相应区域的迁移）：${problems.join("；")}`);
  }
}
