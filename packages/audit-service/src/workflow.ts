/**
 * 审核案件流程 over the store: every transition goes through the audit package's state machine
 * (`applyAction`) and is written as one appended event (who, role, when, what, reason, evidence)
 * plus the finding's new state, in one transaction guarded by the state it started from, so two
 * concurrent actions on one finding cannot both succeed. Upheld findings become audit deductions
 * (审核扣款) for the year-end clearing through the payment service.
 */
import {
  type Actor,
  type AppealEvidence,
  type AuditCase,
  applyAction,
  type CaseAction,
  type CaseState,
  type Finding,
  type Role,
  type TrailEntry,
  WorkflowError,
} from "@yibao/audit";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { recordAuditDeductions } from "@yibao/payment-service/repo";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { type AuditLibraries, AuditServiceError, storedResponseDeadline } from "./context.js";
import type { FindingRow } from "./jobs.js";
import { dbOf } from "./read.js";

/** One stored trail entry (操作留痕). */
export interface CaseEvent {
  readonly seq: number;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly actor: string;
  readonly role: string;
  readonly at: string;
  readonly reason: string | null;
  readonly evidence: readonly AppealEvidence[] | null;
  readonly note: string;
  readonly deductionFen: number | null;
  readonly clearingId: string | null;
}

interface EventRow {
  seq: number;
  action: string;
  from_state: string;
  to_state: string;
  actor: string;
  role: string;
  at: Date | string;
  reason: string | null;
  evidence: AppealEvidence[] | null;
  note: string;
  deduction_fen: number | null;
  clearing_id: string | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function eventOf(r: EventRow): CaseEvent {
  return {
    seq: r.seq,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    actor: r.actor,
    role: r.role,
    at: iso(r.at),
    reason: r.reason,
    evidence: r.evidence,
    note: r.note,
    deductionFen: r.deduction_fen === null ? null : Number(r.deduction_fen),
    clearingId: r.clearing_id,
  };
}

/** A finding with its trail. */
export interface StoredCase {
  readonly finding: FindingRow;
  readonly events: readonly CaseEvent[];
}

/** Reads a finding and its trail; undefined when absent. */
export async function getCase(store: Store, findingId: string): Promise<StoredCase | undefined> {
  const db = dbOf(store);
  const f = await sql<FindingRow>`SELECT * FROM audit_finding WHERE finding_id = ${findingId}`.execute(db);
  const row = f.rows[0];
  if (row === undefined) return undefined;
  const e =
    await sql<EventRow>`SELECT seq, action, from_state, to_state, actor, role, at, reason, evidence, note,
      deduction_fen, clearing_id
    FROM audit_case_event WHERE finding_id = ${findingId} ORDER BY seq`.execute(db);
  return { finding: normalizeRow(row), events: e.rows.map(eventOf) };
}

export function normalizeRow(row: FindingRow): FindingRow {
  return {
    ...row,
    run_id: Number(row.run_id),
    fund_loss_fen: Number(row.fund_loss_fen),
    deduction_fen: Number(row.deduction_fen),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** The audit package's finding of a stored row. */
function findingOf(r: FindingRow): Finding {
  return {
    id: r.finding_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    category: r.category as Finding["category"],
    violation: r.violation as Finding["violation"],
    outcome: r.outcome as Finding["outcome"],
    stayIds: r.setl_ids,
    hospitalId: r.hospital_code,
    physicianCode: r.physician_code,
    personId: r.person_id,
    message: r.message,
    evidence: r.evidence as Finding["evidence"],
    pricing: r.settlements as Finding["pricing"],
    fundLoss: r.fund_loss_fen,
  };
}

/** The case as the state machine sees it, rebuilt from the row and its trail. */
function caseOf(c: StoredCase): AuditCase {
  const appeal = [...c.events].reverse().find((e) => e.action === "appeal");
  const decision = [...c.events].reverse().find((e) => e.action === "decide" || e.action === "accept");
  const deduct = [...c.events].reverse().find((e) => e.action === "deduct");
  const opened: TrailEntry = {
    at: c.finding.created_at,
    by: "system",
    role: "system",
    action: "accept",
    from: "open",
    to: "open",
    note: `立案：${c.finding.rule_name}（${c.finding.outcome}）`,
  };
  return {
    id: c.finding.finding_id,
    finding: findingOf(c.finding),
    state: c.finding.status as CaseState,
    deduction: c.finding.deduction_fen,
    appeal: appeal ? { statement: appeal.reason ?? "", evidence: appeal.evidence ?? [] } : null,
    decision: decision
      ? { decision: decision.to === "overturned" ? "overturned" : "upheld", reason: decision.reason ?? "" }
      : null,
    clearingId: deduct?.clearingId ?? null,
    trail: [
      opened,
      ...c.events.map((e) => ({
        at: e.at,
        by: e.actor,
        role: e.role as Role,
        action: e.action as CaseAction["type"],
        from: e.from as CaseState,
        to: e.to as CaseState,
        note: e.note,
      })),
    ],
  };
}

/** Who acts (操作人): user name, workflow role and, for hospital accounts, the hospital. */
export interface CaseActor {
  readonly user: string;
  readonly role: Role;
  /** Set for hospital users: they act only on their hospital's findings. */
  readonly hospitalCode?: string | null;
}

/** The finding is not there (or not the hospital user's). */
export class CaseNotFoundError extends AuditServiceError {
  constructor(id: string) {
    super(`审核发现 ${id} 不存在`, "FINDING_NOT_FOUND");
  }
}

function reasonOf(a: CaseAction): string | null {
  switch (a.type) {
    case "appeal":
      return a.statement;
    case "decide":
    case "close":
      return a.reason;
    default:
      return null;
  }
}

/**
 * Applies one action to a stored finding: checks the transition with the state machine, appends the
 * event and updates the finding's state and deduction. Throws `WorkflowError` (invalid transition,
 * wrong role, missing reason) or `CaseNotFoundError`.
 */
export async function actOnFinding(
  store: Store,
  findingId: string,
  action: CaseAction,
  actor: CaseActor,
  now: Date = new Date(),
): Promise<StoredCase> {
  const db = dbOf(store);
  return db.transaction().execute(async (trx) => {
    const f =
      await sql<FindingRow>`SELECT * FROM audit_finding WHERE finding_id = ${findingId} FOR UPDATE`.execute(
        trx,
      );
    const row = f.rows[0];
    if (row === undefined) throw new CaseNotFoundError(findingId);
    if (actor.role === "hospital" && actor.hospitalCode && row.hospital_code !== actor.hospitalCode) {
      throw new CaseNotFoundError(findingId);
    }
    const ev =
      await sql<EventRow>`SELECT seq, action, from_state, to_state, actor, role, at, reason, evidence, note,
        deduction_fen, clearing_id
      FROM audit_case_event WHERE finding_id = ${findingId} ORDER BY seq`.execute(trx);
    const before: StoredCase = { finding: normalizeRow(row), events: ev.rows.map(eventOf) };
    const c = caseOf(before);
    const lastAt = c.trail[c.trail.length - 1]?.at ?? "";
    const at = now.toISOString() < lastAt ? lastAt : now.toISOString();
    const a: Actor = { by: actor.user, role: actor.role, at };
    const next = applyAction(c, action, a);
    const entry = next.trail[next.trail.length - 1] as TrailEntry;
    const seq = before.events.length + 1;
    await sql`INSERT INTO audit_case_event
        (finding_id, seq, action, from_state, to_state, actor, role, at, reason, evidence, note, deduction_fen, clearing_id)
      VALUES (${findingId}, ${seq}, ${action.type}, ${entry.from}, ${entry.to}, ${actor.user}, ${actor.role}, ${at},
        ${reasonOf(action)}, ${action.type === "appeal" ? JSON.stringify(action.evidence) : null}::jsonb, ${entry.note},
        ${next.deduction}, ${action.type === "deduct" ? action.clearingId : null})`.execute(trx);
    const upd =
      await sql`UPDATE audit_finding SET status = ${next.state}, deduction_fen = ${next.deduction}, updated_at = ${at}
      WHERE finding_id = ${findingId} AND status = ${c.state}`.execute(trx);
    if (Number(upd.numAffectedRows ?? 0n) !== 1)
      throw new WorkflowError(`案件 ${findingId}：状态已被他人修改，请刷新后重试`);
    const after = await sql<FindingRow>`SELECT * FROM audit_finding WHERE finding_id = ${findingId}`.execute(
      trx,
    );
    const events =
      await sql<EventRow>`SELECT seq, action, from_state, to_state, actor, role, at, reason, evidence, note,
        deduction_fen, clearing_id
      FROM audit_case_event WHERE finding_id = ${findingId} ORDER BY seq`.execute(trx);
    return { finding: normalizeRow(after.rows[0] as FindingRow), events: events.rows.map(eventOf) };
  });
}

/** The clearing a deduction goes to: the year of the finding's period (年终清算). */
export function clearingYear(period: string): number {
  return Number(period.slice(0, 4));
}

/**
 * 扣款: an upheld finding becomes an audit deduction of its hospital and year in the payment
 * service's input table (idempotent by finding id), then the case moves to 已清算扣款.
 */
export async function deductFinding(
  store: Store,
  findingId: string,
  actor: CaseActor,
  now: Date = new Date(),
): Promise<StoredCase> {
  const c = await getCase(store, findingId);
  if (c === undefined) throw new CaseNotFoundError(findingId);
  if (c.finding.status !== "upheld") {
    throw new WorkflowError(`案件 ${findingId}：只有复核维持的案件才能扣款（当前状态：${c.finding.status}）`);
  }
  const year = clearingYear(c.finding.period);
  await recordAuditDeductions(store, [
    {
      hospitalCode: c.finding.hospital_code,
      year,
      amountFen: c.finding.deduction_fen,
      reason: `${c.finding.rule_name}：${c.finding.message}`.slice(0, 500),
      findingId,
    },
  ]);
  return actOnFinding(store, findingId, { type: "deduct", clearingId: `${year}年终清算` }, actor, now);
}

/**
 * decideAndDeduct: every upheld finding (of one hospital and/or year when given) becomes a deduction
 * for the year-end clearing. Returns the findings deducted and the total (fen).
 */
export async function decideAndDeduct(options: {
  readonly store: Store;
  readonly year?: number;
  readonly hospital?: string;
  readonly actor?: CaseActor;
  readonly now?: Date;
}): Promise<{ deducted: number; totalFen: number; findingIds: string[] }> {
  const db = dbOf(options.store);
  const y = options.year ?? null;
  const h = options.hospital ?? null;
  const rows = await sql<{
    finding_id: string;
    deduction_fen: number;
  }>`SELECT finding_id, deduction_fen FROM audit_finding
    WHERE status = 'upheld'
      AND (${y}::int IS NULL OR substr(period, 1, 4) = ${y === null ? "" : String(y)})
      AND (${h}::text IS NULL OR hospital_code = ${h})
    ORDER BY finding_id`.execute(db);
  const actor = options.actor ?? { user: "system", role: "system" as const };
  let total = 0;
  const ids: string[] = [];
  for (const r of rows.rows) {
    await deductFinding(options.store, r.finding_id, actor, options.now);
    total += Number(r.deduction_fen);
    ids.push(r.finding_id);
  }
  return { deducted: ids.length, totalFen: total, findingIds: ids };
}

/** What a run of 逾期处理 did. */
export interface LapseResult {
  /** Open 可疑 findings looked at. */
  readonly open: number;
  /** Decided for want of an answer, by outcome, with the deadline each had. */
  readonly lapsed: readonly { findingId: string; deadline: string; outcome: "upheld" | "overturned" }[];
  /** Answered or changed by someone else while the run went on (left as they are). */
  readonly skipped: number;
}

/**
 * 逾期处理: every open 可疑 finding whose response deadline has passed on `now` (Shanghai date) is
 * decided as the rule base in force on the day it was opened says (`response.unanswered`), by the
 * system, with the deadline in the trail; one transaction each, guarded by the state, so a finding the
 * hospital answers meanwhile is left alone. Findings under a rule base without a deadline wait.
 */
export async function lapseOverdueFindings(options: {
  readonly store: Store;
  readonly now?: Date;
  readonly libraries?: AuditLibraries;
}): Promise<LapseResult> {
  const now = options.now ?? new Date();
  const today = shanghaiDate(now);
  const rows = await sql<{
    finding_id: string;
    status: string;
    outcome: string;
    created_at: Date | string;
  }>`SELECT finding_id, status, outcome, created_at FROM audit_finding
    WHERE status = 'open' AND outcome = '可疑' ORDER BY finding_id`.execute(dbOf(options.store));
  const lapsed: { findingId: string; deadline: string; outcome: "upheld" | "overturned" }[] = [];
  let skipped = 0;
  for (const r of rows.rows) {
    const due = storedResponseDeadline(r, options.libraries);
    if (due === null || today <= due.deadline) continue;
    const { deadline, unanswered } = due;
    try {
      await actOnFinding(
        options.store,
        r.finding_id,
        { type: "lapse", deadline, outcome: unanswered },
        { user: "system", role: "system" },
        now,
      );
      lapsed.push({ findingId: r.finding_id, deadline, outcome: unanswered });
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      skipped++;
    }
  }
  return { open: rows.rows.length, lapsed, skipped };
}
