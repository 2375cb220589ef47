/**
 * The wire format of interface 4101/4101A (医保结算清单上传报文) with the interface's own field
 * names. Numbers may arrive as JSON numbers or as decimal strings; money is yuan with at most two
 * decimals. These types describe a well-formed message; `parseSettlementMessage` accepts `unknown`.
 */
import type {
  BLDINFO_FIELDS,
  DISEINFO_FIELDS,
  FieldKind,
  FieldSpec,
  ICUINFO_FIELDS,
  Infno,
  ITEMINFO_FIELDS,
  OPRNINFO_FIELDS,
  OPSPDISEINFO_FIELDS,
  PAYINFO_FIELDS,
  SETLINFO_FIELDS,
} from "./fields.js";

type WireValueOf<K extends FieldKind> = K extends "N" | "M" ? number | string : string;

/** One wire section: every field optional and nullable, as hospital systems send them. */
export type WireRecordOf<Fs extends readonly FieldSpec[]> = {
  [F in Fs[number] as F["wire"]]?: WireValueOf<F["kind"]> | null;
};

export type WireSetlinfo = WireRecordOf<typeof SETLINFO_FIELDS>;
export type WirePayinfo = WireRecordOf<typeof PAYINFO_FIELDS>;
export type WireOpspdiseinfo = WireRecordOf<typeof OPSPDISEINFO_FIELDS>;
export type WireDiseinfo = WireRecordOf<typeof DISEINFO_FIELDS>;
export type WireIteminfo = WireRecordOf<typeof ITEMINFO_FIELDS>;
export type WireOprninfo = WireRecordOf<typeof OPRNINFO_FIELDS>;
export type WireIcuinfo = WireRecordOf<typeof ICUINFO_FIELDS>;
export type WireBldinfo = WireRecordOf<typeof BLDINFO_FIELDS>;

/** The `input` node of a 4101/4101A message. */
export interface WireSettlementInput {
  setlinfo: WireSetlinfo;
  payinfo?: WirePayinfo[];
  opspdiseinfo?: WireOpspdiseinfo[];
  diseinfo?: WireDiseinfo[];
  iteminfo?: WireIteminfo[];
  oprninfo?: WireOprninfo[];
  icuinfo?: WireIcuinfo[];
  bldinfo?: WireBldinfo[];
}

/** 4101/4101A 报文: `{infno, msgid?, input}`. */
export interface WireSettlementMessage {
  infno: Infno;
  msgid?: string;
  input: WireSettlementInput;
}
