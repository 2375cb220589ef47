/** Money checks: fee items that do not add up, and money identities over named terms (amounts in fen). */

import { type FieldSpec, SETLINFO_FIELDS } from "../../fields.js";
import { formatFen } from "../../money.js";
import type { QcCheckKindModule } from "../kind.js";
import { bad, numParam, strArrayParam, strParam } from "../params.js";
import { emit, type Run } from "../run.js";

export const itemSumKind: QcCheckKindModule = {
  kind: "itemSum",
  params: [],
  compile: (r, env) => {
    const names = env.tables.get("med_chrgitm");
    return (run) => {
      for (const it of run.list.feeItems) {
        const { amt, claaSumfee, clabAmt, fulamtOwnpayAmt, othAmt } = it;
        if (
          amt === null ||
          claaSumfee === null ||
          clabAmt === null ||
          fulamtOwnpayAmt === null ||
          othAmt === null
        ) {
          continue;
        }
        const sum = claaSumfee + clabAmt + fulamtOwnpayAmt + othAmt;
        if (sum !== amt) {
          emit(run, r, `iteminfo[${it.position}].amt`, {
            category: it.medChrgitm === null ? "" : (names?.get(it.medChrgitm) ?? it.medChrgitm),
            amt: formatFen(amt),
            a: formatFen(claaSumfee),
            b: formatFen(clabAmt),
            c: formatFen(fulamtOwnpayAmt),
            d: formatFen(othAmt),
            sum: formatFen(sum),
          });
        }
      }
    };
  },
};

/**
 * A money identity over named terms, `sum(left) = sum(right)` within `toleranceFen`:
 * - `fee_total`: the sum of `iteminfo[].amt` (医疗费用总额);
 * - `fund_total`: the sum of `payinfo[].fund_payamt` except the fund types in
 *   `excludeFundPayTypes` (e.g. 310200, the personal account, already counted as `acct_pay`);
 * - any money field of setlinfo by wire name (`psn_selfpay`, `psn_ownpay`, `acct_pay`, `psn_cashpay`).
 * The rule is skipped when a term is missing (the list or the money rows are absent).
 */
export const moneyIdentityKind: QcCheckKindModule = {
  kind: "moneyIdentity",
  params: ["left", "right", "excludeFundPayTypes", "toleranceFen", "field"],
  compile: (r) => {
    const moneyFields = new Map<string, FieldSpec>(
      (SETLINFO_FIELDS as readonly FieldSpec[]).filter((f) => f.kind === "M").map((f) => [f.wire, f]),
    );
    const termLabel = (t: string): string => {
      if (t === "fee_total") return "医疗费用总额（收费项目金额合计）";
      if (t === "fund_total") return "基金支付合计";
      const f = moneyFields.get(t);
      if (f === undefined)
        bad(r.rule, "left/right", `金额项（fee_total、fund_total 或 ${[...moneyFields.keys()].join("、")}）`);
      return f.label;
    };
    const terms = (key: string) =>
      strArrayParam(r.rule, key).map((t) => ({ t, label: termLabel(t), key: moneyFields.get(t)?.key }));
    const left = terms("left");
    const right = terms("right");
    const exclude = new Set(strArrayParam(r.rule, "excludeFundPayTypes", []));
    const tolerance = numParam(r.rule, "toleranceFen", 0);
    const field = strParam(r.rule, "field", "setlinfo");
    const value = (run: Run, term: { t: string; key: string | undefined }): number | null => {
      if (term.t === "fee_total") {
        if (run.list.feeItems.length === 0) return null;
        let s = 0;
        for (const it of run.list.feeItems) {
          if (it.amt === null) return null;
          s += it.amt;
        }
        return s;
      }
      if (term.t === "fund_total") {
        if (run.list.fundPayments.length === 0) return null;
        let s = 0;
        for (const p of run.list.fundPayments) {
          if (p.fundPayType !== null && exclude.has(p.fundPayType)) continue;
          if (p.fundPayamt === null) return null;
          s += p.fundPayamt;
        }
        return s;
      }
      return (run.list.info as unknown as Record<string, number | null>)[term.key as string] ?? null;
    };
    const side = (run: Run, ts: typeof left): { sum: number; text: string } | null => {
      let sum = 0;
      const parts: string[] = [];
      for (const t of ts) {
        const v = value(run, t);
        if (v === null) return null;
        sum += v;
        parts.push(`${t.label} ${formatFen(v)} 元`);
      }
      return {
        sum,
        text: parts.length > 1 ? `${parts.join(" + ")} = ${formatFen(sum)} 元` : (parts[0] ?? "0"),
      };
    };
    return (run) => {
      const l = side(run, left);
      const rt = l === null ? null : side(run, right);
      if (l === null || rt === null) return;
      const diff = Math.abs(l.sum - rt.sum);
      if (diff > tolerance) emit(run, r, field, { left: l.text, right: rt.text, diff: formatFen(diff) });
    };
  },
};
