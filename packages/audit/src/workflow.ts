/**
 * 审核案件流程 (case workflow), a pure state machine with a full audit trail:
 * 疑点/违规 (open) → 医院申诉 (appealed, with evidence) → 复核决定 (upheld / overturned, with reason)
 * → 清算扣款 (deducted). A clear violation (明确违规) that the hospital does not appeal may be
 * deducted directly; a suspicious finding (可疑) must wait for the appeal window or an appeal.
 * Every transition records who, when and what; an invalid transition is an error.
 */
import { addWorkingDays } from "@yibao/kernel/calendar";
import type { Finding } from "./finding.js";
import type { CaseResponseRules } from "./rules.js";

/** 案件状态. */
export type CaseState = "open" | "appealed" | "upheld" | "overturned" | "deducted" | "closed";

export const CASE_STATE_NAMES: Readonly<Record<CaseState, string>> = {
  open: "待处理",
  appealed: "医院已申诉",
  upheld: "复核维持",
  overturned: "复核撤销",
  deducted: "已清算扣款",
  closed: "已结案",
};

/** One entry of the audit trail (操作留痕). */
export interface TrailEntry {
  readonly at: string;
  readonly by: string;
  readonly role: Role;
  readonly action: CaseAction["type"];
  readonly from: CaseState;
  readonly to: CaseState;
  /** What was done (Chinese). */
  readonly note: string;
}

/** 角色. */
export type Role = "bureau" | "hospital" | "reviewer" | "system";

/** 申诉材料. */
export interface AppealEvidence {
  readonly title: string;
  readonly content: string;
}

/** Actions on a case. */
export type CaseAction =
  | { readonly type: "appeal"; readonly statement: string; readonly evidence: readonly AppealEvidence[] }
  | {
      readonly type: "decide";
      readonly decision: "upheld" | "overturned";
      readonly reason: string;
      readonly deduction?: number;
    }
  | { readonly type: "accept" }
  | {
      /** 逾期未说明: the response deadline passed with no appeal or acceptance; decided by the rule base. */
      readonly type: "lapse";
      /** The last day the hospital had (ISO date). */
      readonly deadline: string;
      readonly outcome: "upheld" | "overturned";
    }
  | { readonly type: "deduct"; readonly clearingId: string }
  | { readonly type: "close"; readonly reason: string };

/** 审核案件. */
export interface AuditCase {
  readonly id: string;
  readonly finding: Finding;
  readonly state: CaseState;
  /** 拟扣款金额 (fen): the finding's fund loss, changed by the reviewer's decision. */
  readonly deduction: number;
  readonly appeal: { readonly statement: string; readonly evidence: readonly AppealEvidence[] } | null;
  readonly decision: { readonly decision: "upheld" | "overturned"; readonly reason: string } | null;
  readonly clearingId: string | null;
  readonly trail: readonly TrailEntry[];
}

/** An invalid transition (非法操作). */
export class WorkflowError extends Error {
  override name = "WorkflowError";
  /** `forbidden`: the actor's role may not take this step; `transition`: not from this state, or out of order. */
  constructor(
    message: string,
    readonly reason: "forbidden" | "transition" = "transition",
  ) {
    super(message);
  }
}

/** Who does what when. */
export interface Actor {
  readonly by: string;
  readonly role: Role;
  /** ISO timestamp supplied by the caller (the domain reads no clock). */
  readonly at: string;
}

/** Opens a case for a finding (立案). */
export function openCase(finding: Finding, actor: Actor): AuditCase {
  return {
    id: finding.id,
    finding,
    state: "open",
    deduction: finding.fundLoss,
    appeal: null,
    decision: null,
    clearingId: null,
    trail: [
      {
        at: actor.at,
        by: actor.by,
        role: actor.role,
        action: "accept",
        from: "open",
        to: "open",
        note: `立案：${finding.ruleName}（${finding.outcome}），拟扣款 ${(finding.fundLoss / 100).toFixed(2)} 元`,
      },
    ],
  };
}

const ALLOWED: Readonly<Record<CaseAction["type"], { from: readonly CaseState[]; roles: readonly Role[] }>> =
  {
    appeal: { from: ["open"], roles: ["hospital"] },
    decide: { from: ["appealed"], roles: ["reviewer"] },
    accept: { from: ["open"], roles: ["hospital"] },
    lapse: { from: ["open"], roles: ["system"] },
    deduct: { from: ["upheld"], roles: ["bureau", "system"] },
    close: { from: ["overturned", "deducted"], roles: ["bureau", "reviewer", "system"] },
  };

/** Applies one action; returns the new case or throws `WorkflowError`. */
export function applyAction(c: AuditCase, action: CaseAction, actor: Actor): AuditCase {
  const rule = ALLOWED[action.type];
  if (!rule.from.includes(c.state)) {
    throw new WorkflowError(
      `案件 ${c.id}：状态「${CASE_STATE_NAMES[c.state]}」下不能执行「${actionName(action.type)}」`,
    );
  }
  if (!rule.roles.includes(actor.role)) {
    throw new WorkflowError(
      `案件 ${c.id}：角色 ${actor.role} 无权执行「${actionName(action.type)}」`,
      "forbidden",
    );
  }
  const prevAt = c.trail[c.trail.length - 1]?.at ?? "";
  if (actor.at < prevAt) throw new WorkflowError(`案件 ${c.id}：操作时间 ${actor.at} 早于上一操作 ${prevAt}`);
  let next: AuditCase;
  let note: string;
  switch (action.type) {
    case "appeal":
      if (action.statement.trim() === "") throw new WorkflowError(`案件 ${c.id}：申诉须填写申诉理由`);
      next = { ...c, state: "appealed", appeal: { statement: action.statement, evidence: action.evidence } };
      note = `医院申诉：${action.statement}（材料 ${action.evidence.length} 份）`;
      break;
    case "decide": {
      if (action.reason.trim() === "") throw new WorkflowError(`案件 ${c.id}：复核决定须填写理由`);
      const deduction = action.decision === "overturned" ? 0 : (action.deduction ?? c.deduction);
      if (!Number.isSafeInteger(deduction) || deduction < 0)
        throw new WorkflowError(`案件 ${c.id}：扣款金额须为非负整数分`);
      next = {
        ...c,
        state: action.decision,
        deduction,
        decision: { decision: action.decision, reason: action.reason },
      };
      note = `复核${action.decision === "upheld" ? "维持" : "撤销"}：${action.reason}；扣款 ${(deduction / 100).toFixed(2)} 元`;
      break;
    }
    case "accept":
      next = { ...c, state: "upheld", decision: { decision: "upheld", reason: "医院认可" } };
      note = "医院认可审核结果，不申诉";
      break;
    case "lapse": {
      const deduction = action.outcome === "overturned" ? 0 : c.deduction;
      const reason = `医院未在 ${action.deadline} 前申诉或认可`;
      next = { ...c, state: action.outcome, deduction, decision: { decision: action.outcome, reason } };
      note = `逾期未说明：${reason}，按规则${action.outcome === "upheld" ? "维持" : "撤销"}；扣款 ${(deduction / 100).toFixed(2)} 元`;
      break;
    }
    case "deduct":
      next = { ...c, state: "deducted", clearingId: action.clearingId };
      note = `年终清算 ${action.clearingId} 扣款 ${(c.deduction / 100).toFixed(2)} 元`;
      break;
    case "close":
      next = { ...c, state: "closed" };
      note = `结案：${action.reason}`;
      break;
  }
  const entry: TrailEntry = {
    at: actor.at,
    by: actor.by,
    role: actor.role,
    action: action.type,
    from: c.state,
    to: next.state,
    note,
  };
  return { ...next, trail: [...c.trail, entry] };
}

function actionName(t: CaseAction["type"]): string {
  return {
    appeal: "申诉",
    decide: "复核决定",
    accept: "认可",
    lapse: "逾期处理",
    deduct: "清算扣款",
    close: "结案",
  }[t];
}

/**
 * The last day a hospital has to answer a finding opened on `openedOn` (ISO date, local), under the
 * rule base's response rules; null when the rule base sets no deadline or the finding is 明确违规
 * (a clear violation is deducted, not explained).
 */
export function responseDeadline(
  finding: Pick<Finding, "outcome">,
  openedOn: string,
  rules: CaseResponseRules | undefined,
): string | null {
  if (rules === undefined || finding.outcome !== "可疑") return null;
  return addWorkingDays(openedOn, rules.workingDays, rules);
}

/** Total deduction of the cases deducted in one clearing (清算扣款合计, fen). */
export function clearingDeductions(cases: readonly AuditCase[], clearingId: string): number {
  let t = 0;
  for (const c of cases) if (c.state !== "open" && c.clearingId === clearingId) t += c.deduction;
  return t;
}
