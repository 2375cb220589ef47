/**
 * Generated 4101 settlement-list envelopes (示例结算清单) for tests and the load test: well-formed,
 * consistent (fees add up, payments equal the total, dates in order, counts match, valid ID numbers)
 * and coded with the bundled demo scheme's codes, so that they pass QC and group.
 */

/** A stay template: principal diagnosis, optional principal procedure, department, sex restriction. */
interface CaseTemplate {
  readonly dx: readonly [string, string];
  readonly secondary?: readonly [string, string];
  readonly oprn?: readonly [string, string];
  readonly caty: string;
  readonly sex?: "1" | "2";
  readonly los: number;
  readonly feeYuan: number;
}

const CASES: readonly CaseTemplate[] = [
  {
    dx: ["K35.800x001", "急性阑尾炎"],
    oprn: ["47.0100", "腹腔镜下阑尾切除术"],
    caty: "A04",
    los: 6,
    feeYuan: 12_800,
  },
  { dx: ["J18.900", "肺炎"], secondary: ["E11.900", "2型糖尿病"], caty: "A03.01", los: 9, feeYuan: 9_650 },
  {
    dx: ["K80.000x002", "胆囊结石伴急性胆囊炎"],
    oprn: ["51.2300", "腹腔镜下胆囊切除术"],
    caty: "A04",
    los: 7,
    feeYuan: 18_900,
  },
  {
    dx: ["I50.900", "心力衰竭"],
    secondary: ["I10.x09", "原发性高血压"],
    caty: "A03.04",
    los: 10,
    feeYuan: 14_300,
  },
  { dx: ["J44.100", "慢性阻塞性肺病伴有急性加重"], caty: "A03.01", los: 11, feeYuan: 11_200 },
  { dx: ["I63.900", "脑梗死"], secondary: ["E78.500", "高脂血症"], caty: "A03.03", los: 13, feeYuan: 16_750 },
  {
    dx: ["M51.202", "腰椎间盘突出"],
    oprn: ["80.5107", "腰椎间盘切除术"],
    caty: "A04",
    los: 9,
    feeYuan: 32_400,
  },
  {
    dx: ["S72.000", "股骨颈骨折"],
    // An injury is coded with its external cause (QC-DX-008).
    secondary: ["W01.x00", "在同一平面上滑倒、绊倒和摔倒"],
    oprn: ["81.5100", "全髋关节置换"],
    caty: "A04",
    los: 14,
    feeYuan: 58_600,
  },
  {
    dx: ["C73.x00", "甲状腺恶性肿瘤"],
    oprn: ["06.4x00", "甲状腺全部切除术"],
    caty: "A04",
    los: 7,
    feeYuan: 23_300,
  },
  { dx: ["K81.002", "急性化脓性胆囊炎"], caty: "A03.02", los: 6, feeYuan: 7_900 },
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** An 18-digit citizen ID number with a valid check character. */
export function citizenId(region: string, birth: string, seq: number, sex: "1" | "2"): string {
  let s3 = seq % 1000;
  if ((s3 % 2 === 1) !== (sex === "1")) s3 = (s3 + 1) % 1000;
  const first17 = `${region}${birth.replaceAll("-", "")}${String(s3).padStart(3, "0")}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return first17 + ID_CHECK[sum % 11];
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

export interface SampleOptions {
  /** The upload day (yyyy-MM-dd); the settlement ends 1–5 days before it. Default: today (UTC). */
  readonly today?: string;
  readonly hospitalCode?: string;
  readonly hospitalName?: string;
  /** Prefix of setl_id (default `S`). */
  readonly prefix?: string;
}

// size: one 4101 message literal, its setlinfo field by field in the order of the wire spec
/** The `n`-th generated 4101 envelope `{infno, msgid, input}`; the same n gives the same list. */
export function sampleSettlementMessage(n: number, options: SampleOptions = {}): Record<string, unknown> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const c = CASES[n % CASES.length] as CaseTemplate;
  const sex: "1" | "2" = c.sex ?? (n % 2 === 0 ? "1" : "2");
  const age = 25 + (n % 50);
  const setlEnd = addDays(today, -(1 + (n % 5)));
  const adm = addDays(setlEnd, -c.los);
  // Born `age` full years and 30–229 days before admission.
  const birth = addDays(adm, -(Math.floor(age * 365.25) + 30 + (n % 200)));
  const setlId = `${options.prefix ?? "S"}${String(n).padStart(10, "0")}`;
  const hospitalCode = options.hospitalCode ?? "H21010200001";
  // Fees: split the total over four categories; each item splits into 甲类/乙类/全自费/其他.
  const totalFen = c.feeYuan * 100 + (n % 97) * 13;
  const parts = [0.15, 0.25, 0.4, 0.2].map((p) => Math.floor(totalFen * p));
  parts[3] = totalFen - (parts[0] ?? 0) - (parts[1] ?? 0) - (parts[2] ?? 0);
  const items = ["01", "04", "09", "08"].map((code, i) => {
    const amt = parts[i] ?? 0;
    const a = Math.floor(amt * 0.6);
    const b = Math.floor(amt * 0.3);
    const own = Math.floor(amt * 0.05);
    return {
      med_chrgitm: code,
      amt: yuan(amt),
      claa_sumfee: yuan(a),
      clab_amt: yuan(b),
      fulamt_ownpay_amt: yuan(own),
      oth_amt: yuan(amt - a - b - own),
    };
  });
  const fundFen = Math.floor(totalFen * 0.7);
  const acctFen = Math.floor(totalFen * 0.05);
  const cashFen = totalFen - fundFen - acctFen;
  const diseinfo = [
    { diag_type: "1", diag_code: c.dx[0], diag_name: c.dx[1], adm_cond_type: "1", maindiag_flag: "1" },
    ...(c.secondary
      ? [
          {
            diag_type: "1",
            diag_code: c.secondary[0],
            diag_name: c.secondary[1],
            adm_cond_type: "1",
            maindiag_flag: "0",
          },
        ]
      : []),
  ];
  const oprninfo = c.oprn
    ? [
        {
          oprn_oprt_type: "1",
          oprn_oprt_name: c.oprn[1],
          oprn_oprt_code: c.oprn[0],
          oprn_oprt_date: addDays(adm, 1),
          anst_way: "1",
          oper_dr_name: "王医生",
          oper_dr_code: "D210102000123",
          anst_dr_name: "李医生",
          anst_dr_code: "D210102000456",
        },
      ]
    : [];
  return {
    infno: "4101",
    msgid: `${hospitalCode}${String(n).padStart(12, "0")}`,
    input: {
      setlinfo: {
        mdtrt_id: `MD${setlId}`,
        setl_id: setlId,
        fixmedins_name: options.hospitalName ?? "沈阳市示例人民医院",
        fixmedins_code: hospitalCode,
        hi_setl_lv: "3",
        hi_no: `HI${String(n).padStart(12, "0")}`,
        medcasno: `BA${String(n).padStart(8, "0")}`,
        dcla_time: `${today} 09:30:00`,
        psn_name: "张三",
        gend: sex,
        brdy: birth,
        age,
        ntly: "CHN",
        naty: "01",
        patn_cert_type: "01",
        certno: citizenId("210102", birth, n, sex),
        prfs: "17",
        curr_addr: "辽宁省沈阳市和平区示例街1号",
        coner_name: "张四",
        patn_rlts: "1",
        coner_addr: "辽宁省沈阳市和平区示例街1号",
        coner_tel: "13800000000",
        hi_type: "310",
        insuplc: "210102",
        ipt_med_type: "1",
        adm_way: "2",
        trt_type: "1",
        adm_time: `${adm} 08:15:00`,
        adm_caty: c.caty,
        dscg_time: `${setlEnd} 10:00:00`,
        dscg_caty: c.caty,
        act_ipt_days: c.los,
        diag_code_cnt: diseinfo.length,
        oprn_oprt_code_cnt: oprninfo.length,
        dscg_way: "1",
        bill_code: "21010201",
        bill_no: `B${String(n).padStart(10, "0")}`,
        biz_sn: `SN${String(n).padStart(12, "0")}`,
        chfpdr_name: "赵主任",
        chfpdr_code: "D210102000789",
        setl_begn_date: adm,
        setl_end_date: setlEnd,
        // 个人自付 + 个人自费 = 个人账户支出 + 个人现金支付.
        psn_selfpay: yuan(Math.floor((acctFen + cashFen) * 0.8)),
        psn_ownpay: yuan(acctFen + cashFen - Math.floor((acctFen + cashFen) * 0.8)),
        acct_pay: yuan(acctFen),
        psn_cashpay: yuan(cashFen),
        hi_paymtd: "4",
        medins_fill_dept: "病案室",
        medins_fill_psn: "刘编码员",
      },
      payinfo: [{ fund_pay_type: "310100", fund_payamt: yuan(fundFen) }],
      diseinfo,
      iteminfo: items,
      oprninfo,
    },
  };
}
