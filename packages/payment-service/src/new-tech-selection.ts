/**
 * 新技术除外 at settlement (issue 14): which approved exclusions a settlement honours. The approved
 * applications of a year (special_case_application, kind `newTechExclusion`, status `approved`, the
 * stay's list still accepted) go through `selectNewTechExclusions` with each hospital's cases of that
 * year — its accepted lists of the year, so withdrawn or refused lists shrink the quota — and the cap
 * of the payment policy in force at the stay's discharge (`exclusions.newTechCap`, default 3‰). At most
 * floor(cases × cap) stays of a hospital leave DRG payment, the most expensive first; the rest are
 * settled normally and reported with the reason.
 */
import { type NewTechApplication, selectNewTechExclusions } from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { dbOf } from "./repo.js";
import type { StaySettler } from "./settle-stay.js";

/** An approved exclusion the cap leaves out (settled as DRG), with the Chinese reason. */
export interface RefusedExclusion {
  readonly setlId: string;
  readonly hospitalCode: string;
  readonly period: string;
  readonly reason: string;
}

export interface NewTechSelection {
  /** The stays settled as 新技术除外 (paid by actual cost). */
  readonly excluded: ReadonlySet<string>;
  readonly refused: readonly RefusedExclusion[];
}

interface ApprovedRow {
  setl_id: string;
  hospital_code: string;
  period: string;
  dscg_date: string | null;
  total_fee_fen: string | number;
}

/**
 * The approved exclusions of the years given that the cap lets through, and those it refuses. The cap
 * is the one of the policy in force at each stay's discharge (stays under different caps are selected
 * separately); a stay without a policy in force is left to the settlement to report.
 */
export async function selectExclusionsInForce(
  store: Store,
  settler: StaySettler,
  years: readonly string[],
): Promise<NewTechSelection> {
  const db = dbOf(store);
  const r =
    await sql<ApprovedRow>`SELECT a.setl_id, l.hospital_code, l.period, l.dscg_date::text AS dscg_date,
      l.total_fee_fen
    FROM special_case_application a JOIN settlement_list l ON l.setl_id = a.setl_id AND l.status = 'accepted'
    WHERE a.kind = 'newTechExclusion' AND a.status = 'approved'
      AND substr(l.period, 1, 4) = ANY(${[...years]}::text[])`.execute(db);
  if (r.rows.length === 0) return { excluded: new Set(), refused: [] };
  const hospitals = [...new Set(r.rows.map((x) => x.hospital_code))];
  const c = await sql<{ hospital_code: string; year: string; n: number }>`SELECT hospital_code,
      substr(period, 1, 4) AS year, count(*)::int AS n
    FROM settlement_list WHERE status = 'accepted' AND hospital_code = ANY(${hospitals}::text[])
      AND substr(period, 1, 4) = ANY(${[...years]}::text[])
    GROUP BY 1, 2`.execute(db);
  const cases = new Map<string, Map<string, number>>();
  for (const x of c.rows) {
    const m = cases.get(x.year) ?? new Map<string, number>();
    m.set(x.hospital_code, Number(x.n));
    cases.set(x.year, m);
  }
  // Grouped by year and cap: selectNewTechExclusions takes one cap and one year's case counts.
  const groups = new Map<string, { year: string; cap: number; apps: NewTechApplication[] }>();
  const byId = new Map(r.rows.map((x) => [x.setl_id, x]));
  for (const x of r.rows) {
    let cap: number;
    try {
      cap = settler.policyAt(x.dscg_date ?? `${x.period}-01`, x.setl_id).policy.newTechExclusionCap;
    } catch {
      continue;
    }
    const year = x.period.slice(0, 4);
    const key = `${year}|${cap}`;
    const g = groups.get(key) ?? { year, cap, apps: [] };
    g.apps.push({ stayId: x.setl_id, hospitalId: x.hospital_code, totalCost: Number(x.total_fee_fen) });
    groups.set(key, g);
  }
  const excluded = new Set<string>();
  const refused: RefusedExclusion[] = [];
  for (const g of groups.values()) {
    const s = selectNewTechExclusions(g.apps, cases.get(g.year) ?? new Map(), g.cap);
    for (const id of s.approved) excluded.add(id);
    for (const f of s.refused) {
      const x = byId.get(f.stayId) as ApprovedRow;
      const reason = `${g.year} 年${f.reason}，按病组付费正常结算`;
      refused.push({ setlId: f.stayId, hospitalCode: x.hospital_code, period: x.period, reason });
    }
  }
  return { excluded, refused };
}
