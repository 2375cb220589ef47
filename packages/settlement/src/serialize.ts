/** Writing a list back as a 4101/4101A message (报文生成) with the interface's field names. */
import { toWireDateTime } from "./dates.js";
import { type FieldSpec, SECTIONS, SETLINFO_FIELDS } from "./fields.js";
import type { SettlementList } from "./model.js";
import { formatFen } from "./money.js";
import type { WireSettlementInput, WireSettlementMessage } from "./wire.js";

function writeRecord(
  src: Readonly<Record<string, unknown>>,
  fields: readonly FieldSpec[],
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const f of fields) {
    const v = src[f.key];
    if (v === null || v === undefined) continue;
    switch (f.kind) {
      case "M":
        out[f.wire] = formatFen(v as number);
        break;
      case "T":
        out[f.wire] = toWireDateTime(v as string);
        break;
      default:
        out[f.wire] = v as string | number;
    }
  }
  return out;
}

/**
 * The wire message of a list: money as decimal yuan strings with two decimals, date-times as
 * `yyyy-MM-dd HH:mm:ss`, null fields left out, rows in the list's order (principal first).
 * `parseSettlementMessage(toWireMessage(list))` gives back an equal list when the rows were
 * already principal-first.
 */
export function toWireMessage(list: SettlementList): WireSettlementMessage {
  const input: Record<string, unknown> = {
    setlinfo: writeRecord(list.info as unknown as Record<string, unknown>, SETLINFO_FIELDS),
  };
  for (const s of SECTIONS) {
    const rows = (list as unknown as Record<string, readonly Record<string, unknown>[]>)[s.key] ?? [];
    input[s.wire] = rows.map((r) => writeRecord(r, s.fields));
  }
  const msg: WireSettlementMessage = { infno: list.infno, input: input as unknown as WireSettlementInput };
  if (list.msgid !== null) msg.msgid = list.msgid;
  return msg;
}
