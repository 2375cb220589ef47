/**
 * Reading a period's stays from the store (读取审核病例): accepted lists by keyset pagination on
 * (period, patient_key, setl_id), only the parts of the stored 4101 message the audit reads, the
 * grouping as stored, converted with `auditStayFromList`. By default from `audit_list_projection`
 * (kept on write, see migration 0201): its compact message becomes the list directly
 * (`listFromProjection`), without the message parser. A list that cannot be converted is reported
 * with its 结算ID and the batch goes on.
 */

import { type AuditStay, auditStayFromList, StringPool } from "@yibao/audit";
import { type DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { addDays, periodProblem } from "@yibao/kernel/calendar";
import { parseSettlementMessage } from "@yibao/settlement";
import type { Store } from "@yibao/store";
import { type RawBuilder, sql } from "kysely";
import { AUDIT_SLIM_MESSAGE_SQL } from "./migrations.js";
import { isCompactProjection, listFromProjection } from "./projection.js";
import { type AuditDb, auditDb } from "./tables.js";

/** The database of a store typed with the audit tables, for SQL on them (`auditDb`). */
export function dbOf(store: Store): AuditDb {
  return auditDb(store);
}

/** Checks a `yyyy-MM` period; throws a Chinese error naming the field. */
export function checkPeriod(p: string, field = "period"): string {
  const problem = periodProblem(p, field);
  if (problem !== null) throw new RangeError(problem);
  return p;
}

/** Parses `yyyy-MM`, `yyyy-MM..yyyy-MM` or `yyyy` (a whole year). */
export function parsePeriods(s: string): { from: string; to: string } {
  const t = s.trim();
  if (/^\d{4}$/.test(t)) return { from: checkPeriod(`${t}-01`), to: `${t}-12` };
  const [a, b] = t.split("..");
  const from = checkPeriod((a ?? "").trim());
  const to = b === undefined ? from : checkPeriod(b.trim());
  if (to < from) throw new RangeError(`period：结束期号 ${to} 早于开始期号 ${from}`);
  return { from, to };
}

/**
 * The periods from `from` to `to` inclusive, the first and last day of a period: the kernel's.
 * (This module's former loop ended on `p >= to`, which returned `[from]` for a reversed range
 * instead of refusing it; the kernel refuses it, as the payment side always did.)
 */
export { periodEnd, periodStart, periodsBetween } from "@yibao/kernel/calendar";

/** `date` minus `days` (ISO dates). */
export function minusDays(date: string, days: number): string {
  return addDays(date, -days);
}

/**
 * Where a read takes the slim message from. `projection` (the default): `audit_list_projection`,
 * derived from each list on write (migration 0201), plain rows. `message`: the stored 4101 message of
 * `settlement_list`, slimmed in SQL per row (read once per row by a LATERAL): the reference the
 * projection is checked against, and the way to audit a store whose projection is in doubt.
 */
export type StaySource = "projection" | "message";

/** `settlement_list` with the message's input extracted once per row (`OFFSET 0` keeps it a subquery). */
const MESSAGE_FROM = sql.raw(
  "settlement_list s CROSS JOIN LATERAL (SELECT s.message->'input' AS input, s.message->'infno' AS infno OFFSET 0) x",
);

/** The columns of a stay row and the table they come from, for each source. */
function sourceSql(source: StaySource): { cols: RawBuilder<unknown>; from: RawBuilder<unknown> } {
  return source === "message"
    ? {
        cols: sql.raw(
          `setl_id, period, patient_key, group_status, drg, mdc, adrg, scheme_id, ${AUDIT_SLIM_MESSAGE_SQL} AS m`,
        ),
        from: MESSAGE_FROM,
      }
    : {
        cols: sql.raw("setl_id, period, patient_key, group_status, drg, mdc, adrg, scheme_id, m"),
        from: sql.raw("audit_list_projection"),
      };
}

interface StayRow {
  setl_id: string;
  period: string;
  patient_key: string;
  group_status: "OK" | "AMBIGUOUS" | "UNGROUPABLE" | "CHECK_FAILED";
  drg: string;
  mdc: string | null;
  adrg: string | null;
  scheme_id: string | null;
  m: unknown;
}

/** A list that could not be audited (无法审核). */
export interface ReadError {
  readonly setlId: string;
  readonly message: string;
}

/**
 * The scheme options of a stay: one scheme, or the region's calendar (a list is then read under the
 * scheme that grouped it, as stored, or the one in force on its date when the calendar lacks it).
 */
export function stayScheme(s: DrgScheme | SchemeCalendar): { scheme: DrgScheme; schemes?: SchemeCalendar } {
  if (!(s instanceof SchemeCalendar)) return { scheme: s };
  return s.switches ? { scheme: s.newest, schemes: s } : { scheme: s.newest };
}

/** Converts one row; returns the stay or the error. */
function toStay(
  row: StayRow,
  scheme: DrgScheme | SchemeCalendar,
  strings: StringPool,
): AuditStay | ReadError {
  try {
    if (isCompactProjection(row.m)) {
      return auditStayFromList(listFromProjection(row.m), {
        ...stayScheme(scheme),
        strings,
        schemeId: row.scheme_id,
        group: { status: row.group_status, drg: row.drg, mdc: row.mdc, adrg: row.adrg },
      });
    }
    const parsed = parseSettlementMessage(row.m);
    if (parsed.list === undefined) {
      return {
        setlId: row.setl_id,
        message: `清单 ${row.setl_id}：原始报文无法解析（${parsed.findings[0]?.message ?? ""}）`,
      };
    }
    return auditStayFromList(parsed.list, {
      ...stayScheme(scheme),
      strings,
      schemeId: row.scheme_id,
      group: { status: row.group_status, drg: row.drg, mdc: row.mdc, adrg: row.adrg },
    });
  } catch (e) {
    return { setlId: row.setl_id, message: e instanceof Error ? e.message : String(e) };
  }
}

/** What a read delivers per batch. */
export interface StayBatch {
  readonly stays: AuditStay[];
  /** setl_id → period of each stay of the batch. */
  readonly periods: Map<string, string>;
  readonly errors: ReadError[];
}

/**
 * Reads the accepted lists of `from`..`to` in keyset batches of `batchSize`, the next batch fetched
 * while the current one is converted (the database works while Node parses).
 */
export async function* readPeriodStays(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  from: string,
  to: string,
  batchSize = 5000,
  source: StaySource = "projection",
): AsyncGenerator<StayBatch> {
  const db = dbOf(store);
  const { cols, from: table } = sourceSql(source);
  const fetch = (after: { period: string; key: string; id: string } | null) =>
    sql<StayRow>`SELECT ${cols}
      FROM ${table}
      WHERE status = 'accepted' AND period >= ${from} AND period <= ${to}
        AND (${after === null} OR (period, patient_key, setl_id) > (${after?.period ?? ""}, ${after?.key ?? ""}, ${after?.id ?? ""}))
      ORDER BY period, patient_key, setl_id
      LIMIT ${batchSize}`
      .execute(db)
      .then((r) => r.rows);
  // One pool for the whole read: a year of stays repeats its codes, dates and names.
  const strings = new StringPool();
  let pending = fetch(null);
  for (;;) {
    const rows = await pending;
    const last = rows[rows.length - 1];
    pending =
      rows.length === batchSize && last !== undefined
        ? fetch({ period: last.period, key: last.patient_key, id: last.setl_id })
        : Promise.resolve([]);
    if (rows.length === 0) return;
    yield convert(rows, scheme, strings);
    if (rows.length < batchSize) return;
  }
}

function convert(
  rows: readonly StayRow[],
  scheme: DrgScheme | SchemeCalendar,
  strings: StringPool = new StringPool(),
): StayBatch {
  const stays: AuditStay[] = [];
  const errors: ReadError[] = [];
  const periods = new Map<string, string>();
  for (const row of rows) {
    const s = toStay(row, scheme, strings);
    if ("setlId" in s) errors.push(s);
    else {
      stays.push(s);
      periods.set(s.id, strings.get(row.period));
    }
  }
  return { stays, periods, errors };
}

/**
 * The history a readmission needs (再入院回溯): accepted lists of earlier periods discharged on or
 * after `since`.
 */
export async function readHistoryStays(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  before: string,
  since: string,
  source: StaySource = "projection",
): Promise<StayBatch> {
  const { cols, from } = sourceSql(source);
  const r = await sql<StayRow>`SELECT ${cols}
    FROM ${from}
    WHERE status = 'accepted' AND period < ${before} AND dscg_date >= ${since}
    ORDER BY setl_id`.execute(dbOf(store));
  return convert(r.rows, scheme);
}

/** A light stay for the hospital-level rules (选择患者): typed columns only, no message. */
export interface LightStayRow {
  setl_id: string;
  hospital_code: string;
  dscg_date: string;
  group_status: string;
  drg: string;
  age_years: number | null;
}

/** Typed columns of the accepted lists discharged in [fromDate, toDate]. */
export async function readLightStays(
  store: Store,
  fromDate: string,
  toDate: string,
): Promise<LightStayRow[]> {
  const r = await sql<LightStayRow>`SELECT setl_id, hospital_code, dscg_date, group_status, drg, age_years
    FROM settlement_list
    WHERE status = 'accepted' AND dscg_date >= ${fromDate} AND dscg_date <= ${toDate}`.execute(dbOf(store));
  return r.rows;
}

/** The accepted lists of one patient discharged on or after `since` (a precheck's history). */
export async function readPatientStays(
  store: Store,
  scheme: DrgScheme | SchemeCalendar,
  patient: string,
  since: string,
  exceptSetlId: string,
  source: StaySource = "projection",
): Promise<StayBatch> {
  const { cols, from } = sourceSql(source);
  const r = await sql<StayRow>`SELECT ${cols}
    FROM ${from}
    WHERE status = 'accepted' AND patient_key = ${patient} AND dscg_date >= ${since} AND setl_id <> ${exceptSetlId}
    ORDER BY setl_id`.execute(dbOf(store));
  return convert(r.rows, scheme);
}
