/**
 * The domain objects (领域对象) of a settlement list. Field names are camelCase versions of the
 * interface's names (see `fields.ts`); values are typed:
 * - text and codes: `string`;
 * - numbers: `number`;
 * - money: integer fen (分);
 * - dates: ISO `yyyy-MM-dd`; date-times: ISO `yyyy-MM-ddTHH:mm:ss`.
 * A field that was absent or blank is `null`.
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

type ValueOf<K extends FieldKind> = K extends "N" | "M" ? number : string;

/** The domain record of one section: one typed, nullable property per field spec. */
export type RecordOf<Fs extends readonly FieldSpec[]> = {
  readonly [F in Fs[number] as F["key"]]: ValueOf<F["kind"]> | null;
};

/** A row of a list section, with its 0-based position in the uploaded message (for field paths). */
export type RowOf<Fs extends readonly FieldSpec[]> = RecordOf<Fs> & { readonly position: number };

/** 结算清单信息 (setlinfo): the list's header, all money in fen. */
export type SettlementInfo = RecordOf<typeof SETLINFO_FIELDS>;
/** 基金支付信息: one fund payment (fund_payamt in fen). */
export type FundPayment = RowOf<typeof PAYINFO_FIELDS>;
/** 门诊慢特病诊断信息. */
export type OutpatientSpecialDisease = RowOf<typeof OPSPDISEINFO_FIELDS>;
/** 住院诊断信息: one diagnosis (western: diag_type 1; TCM: 2 or 3). */
export type Diagnosis = RowOf<typeof DISEINFO_FIELDS>;
/** 收费项目信息: the fees of one charge category (医疗收费项目类别), all in fen. */
export type FeeItem = RowOf<typeof ITEMINFO_FIELDS>;
/** 手术操作信息. */
export type Procedure = RowOf<typeof OPRNINFO_FIELDS>;
/** 重症监护信息. */
export type IcuStay = RowOf<typeof ICUINFO_FIELDS>;
/** 输血信息. */
export type Transfusion = RowOf<typeof BLDINFO_FIELDS>;

/**
 * 医保结算清单: one inpatient settlement list as received with interface 4101/4101A.
 * `diagnoses` has the principal western diagnosis (主要诊断) first and `procedures` the principal
 * procedure (主要手术操作) first; every other row keeps its upload order.
 */
export interface SettlementList {
  readonly infno: Infno;
  /** 报文ID, when the sender gave one. */
  readonly msgid: string | null;
  readonly info: SettlementInfo;
  readonly fundPayments: readonly FundPayment[];
  readonly outpatientSpecialDiseases: readonly OutpatientSpecialDisease[];
  readonly diagnoses: readonly Diagnosis[];
  readonly feeItems: readonly FeeItem[];
  readonly procedures: readonly Procedure[];
  readonly icuStays: readonly IcuStay[];
  readonly transfusions: readonly Transfusion[];
}
