/**
 * 费用明细 (detail item): optional item-level data for the rules that need it (收费项目编码, 日期, 数量,
 * 单价). The national settlement list has only fee categories; hospital systems and the detail upload
 * (费用明细上传) can supply these. One definition for the audit that reads them and the generator
 * that writes them.
 */
export interface DetailItem {
  /** 医保目录项目编码. */
  readonly code: string;
  readonly name: string;
  /** 收费项目类别 (med_chrgitm). */
  readonly category: string;
  /** 费用发生日期 (ISO date). */
  readonly date: string;
  readonly quantity: number;
  /** 单价 (fen; the detail upload's 单价 may carry decimals of a fen). */
  readonly unitPrice: number;
  /** 金额 (fen) = quantity × unitPrice, rounded. */
  readonly amount: number;
  /** 收费项目等级 (chrgitm_lv): `01` 甲类, `02` 乙类, `03` 丙类（自费）; absent when unknown. */
  readonly chrgitmLv?: string;
  /** 全自费金额 (fulamt_ownpay_amt) of the line, fen; absent when unknown. */
  readonly ownPayAmount?: number;
}
