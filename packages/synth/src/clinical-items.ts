/**
 * 合成地区临床项目目录 (the generator's own clinical catalogue): charged items (医疗服务项目 and 药品,
 * EXAMPLE codes after the national patterns: 9-digit service codes, X + ATC drug codes, Z for 中成药)
 * and, per diagnosis category, the items a hospital charges when it diagnoses or treats that condition.
 * It is the generator's data, kept apart from any audit knowledge base: its tables overlap in the
 * kinds of items a clinician uses but are not the same (some items here are in no audit class), and
 * each entry has a rate at which an honest diagnosis gets no specific charge at all (stable chronic
 * conditions, conditions only recorded).
 */

/** One catalogue item. `price` in fen; `lv`: 01 甲类, 02 乙类, 03 丙类（自费）. */
export interface CatalogueItem {
  readonly code: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
  readonly lv: "01" | "02" | "03";
  /** Charged once per day (床位、护理、诊查): one line per day of stay. */
  readonly daily?: boolean;
  /** Most units on one day. */
  readonly maxPerDay?: number;
}

type Row = readonly [code: string, name: string, category: string, yuan: number, lv: "01" | "02" | "03"];

const ROWS: readonly Row[] = [
  // 01 床位 02 诊查 07 护理 (daily)
  ["110200001", "普通病房床位费", "01", 50, "01"],
  ["110100001", "住院诊查费", "02", 20, "01"],
  ["120100004", "Ⅱ级护理", "07", 26, "01"],
  // 03 检查
  ["310701001", "常规心电图检查", "03", 25, "01"],
  ["210102015", "胸部正侧位X线摄影", "03", 90, "01"],
  ["220201001", "B超常规检查（一个部位）", "03", 80, "01"],
  ["220301001", "彩色多普勒超声（肝胆胰脾）", "03", 180, "01"],
  ["220600001", "经胸超声心动图", "03", 260, "02"],
  ["310701007", "动态心电图", "03", 240, "02"],
  ["310701022", "动态血压监测", "03", 150, "02"],
  ["320200003", "冠状动脉造影术", "03", 2800, "02"],
  ["210300012", "冠状动脉CT血管成像", "03", 900, "02"],
  ["210300003", "胸部CT平扫", "03", 260, "01"],
  ["210300001", "头颅CT平扫", "03", 220, "01"],
  ["210400001", "头颅磁共振平扫", "03", 650, "02"],
  ["210300005", "上腹部CT增强扫描", "03", 780, "02"],
  ["210400005", "肝脏磁共振增强扫描", "03", 1200, "02"],
  ["210300006", "全腹部CT增强扫描", "03", 980, "02"],
  ["210300008", "颈部CT增强扫描", "03", 760, "02"],
  ["220301008", "甲状腺及颈部淋巴结彩超", "03", 160, "01"],
  ["310902001", "电子胃镜检查", "03", 380, "01"],
  ["310903001", "电子结肠镜检查", "03", 520, "01"],
  ["210102008", "髋关节X线摄影", "03", 80, "01"],
  ["210300010", "髋关节CT平扫", "03", 300, "01"],
  ["230500002", "骨密度测定", "03", 120, "02"],
  ["310601001", "肺通气功能检查", "03", 110, "01"],
  ["310100002", "常规脑电图", "03", 120, "01"],
  // 04 化验
  ["250101015", "血细胞分析（全血细胞计数）", "04", 25, "01"],
  ["250102001", "尿液分析", "04", 15, "01"],
  ["250301099", "生化全套（肝肾功能、血糖、电解质）", "04", 180, "01"],
  ["250203066", "凝血功能四项", "04", 90, "01"],
  ["250302002", "葡萄糖测定（床旁）", "04", 8, "01"],
  ["250302010", "糖化血红蛋白测定", "04", 60, "01"],
  ["250303001", "血脂四项", "04", 70, "01"],
  ["250304011", "血清钾测定（复查）", "04", 12, "01"],
  ["250306009", "肌钙蛋白I测定", "04", 90, "01"],
  ["250306004", "肌酸激酶同工酶测定", "04", 30, "01"],
  ["250306015", "N端B型钠尿肽原测定", "04", 180, "02"],
  ["250307010", "胱抑素C测定", "04", 50, "01"],
  ["250307014", "尿微量白蛋白测定", "04", 30, "01"],
  ["250102035", "动脉血气分析", "04", 120, "01"],
  ["250305012", "血清前白蛋白测定", "04", 25, "01"],
  ["250403001", "甲胎蛋白测定", "04", 60, "01"],
  ["250203005", "血清铁蛋白测定", "04", 55, "01"],
  ["250203011", "血清铁测定", "04", 15, "01"],
  ["250501006", "痰培养及药敏", "04", 140, "01"],
  ["250404025", "降钙素原测定", "04", 180, "02"],
  ["250403003", "癌胚抗原测定", "04", 60, "01"],
  ["250403016", "甲状腺球蛋白测定", "04", 90, "02"],
  ["250310001", "甲状腺功能五项", "04", 150, "01"],
  ["270300001", "手术标本病理检查", "04", 450, "01"],
  ["250302024", "血淀粉酶测定", "04", 25, "01"],
  ["250203035", "D-二聚体测定", "04", 80, "01"],
  // 05 治疗
  ["120400006", "静脉输液", "05", 15, "01"],
  ["120400021", "指尖血糖监测", "05", 6, "01"],
  ["310603001", "呼吸机辅助呼吸", "05", 420, "01"],
  ["310603003", "无创辅助通气", "05", 260, "01"],
  ["310603005", "氧气吸入", "05", 60, "01"],
  ["310603011", "雾化吸入", "05", 15, "01"],
  ["311400001", "血液透析", "05", 420, "01"],
  ["120400011", "静脉输血", "05", 60, "01"],
  ["330803011", "经皮冠状动脉支架植入术", "05", 4800, "01"],
  ["340200001", "偏瘫肢体综合训练", "05", 80, "02"],
  ["331501002", "下肢皮牵引", "05", 45, "01"],
  ["120400015", "抗肿瘤化学药物静脉注射", "05", 60, "01"],
  ["120400001", "肌肉注射", "05", 5, "01"],
  ["120300001", "糖尿病饮食指导", "05", 20, "03"],
  ["311201022", "新生儿暖箱", "05", 120, "01"],
  ["311201011", "新生儿蓝光治疗", "05", 90, "01"],
  // 06 手术/麻醉
  ["330100003", "全身麻醉", "06", 1400, "01"],
  ["330100005", "椎管内麻醉", "06", 900, "01"],
  // 08 卫生材料
  ["C14010101", "一次性使用输液器", "08", 4, "01"],
  ["C14020101", "一次性使用无菌注射器", "08", 1, "01"],
  ["C02030301", "医用缝合线", "08", 45, "02"],
  ["C03010101", "一次性吻合器", "08", 2600, "02"],
  ["C01020201", "药物洗脱冠状动脉支架", "08", 780, "02"],
  ["C08990001", "进口可吸收止血材料（自费）", "08", 1200, "03"],
  // 09 西药
  ["XB05CB01Y001", "0.9%氯化钠注射液", "09", 4, "01"],
  ["XB05BA03Y001", "5%葡萄糖注射液", "09", 4, "01"],
  ["XB05BB01Y001", "乳酸钠林格注射液", "09", 8, "01"],
  ["XJ01DB04Y001", "注射用头孢唑林钠", "09", 12, "01"],
  ["XA02BC01Y002", "奥美拉唑肠溶胶囊", "09", 2, "01"],
  ["XN02BE01Y001", "对乙酰氨基酚片", "09", 1, "01"],
  ["XA11GA01Y001", "维生素C注射液", "09", 2, "01"],
  ["XA10AB01Y001", "胰岛素注射液", "09", 45, "01"],
  ["XA10BA02Y001", "二甲双胍片", "09", 1, "01"],
  ["XA10BB12Y001", "格列美脲片", "09", 2, "02"],
  ["XC08CA01Y001", "氨氯地平片", "09", 1, "01"],
  ["XC09CA01Y001", "氯沙坦钾片", "09", 2, "02"],
  ["XC07AB02Y001", "美托洛尔缓释片", "09", 2, "02"],
  ["XC03CA01Y001", "呋塞米注射液", "09", 1, "01"],
  ["XC03DA01Y001", "螺内酯片", "09", 1, "01"],
  ["XC01DX19Y001", "注射用重组人脑利钠肽", "09", 480, "02"],
  ["XC01DA14Y001", "单硝酸异山梨酯缓释片", "09", 2, "01"],
  ["XB01AC06Y001", "阿司匹林肠溶片", "09", 1, "01"],
  ["XB01AC04Y001", "氯吡格雷片", "09", 4, "02"],
  ["XB01AC24Y001", "替格瑞洛片", "09", 6, "02"],
  ["XB01AB05Y001", "依诺肝素钠注射液", "09", 38, "02"],
  ["XC10AA05Y001", "阿托伐他汀钙片", "09", 2, "01"],
  ["XA12BA01Y001", "氯化钾缓释片", "09", 1, "01"],
  ["XB05XA01Y001", "10%氯化钾注射液", "09", 2, "01"],
  ["XJ01DD04Y001", "注射用头孢曲松钠", "09", 18, "01"],
  ["XJ01MA12Y001", "左氧氟沙星氯化钠注射液", "09", 22, "02"],
  ["XJ01FA10Y001", "阿奇霉素片", "09", 3, "02"],
  ["XJ01CR05Y001", "注射用哌拉西林钠他唑巴坦钠", "09", 45, "02"],
  ["XJ01XD01Y001", "甲硝唑氯化钠注射液", "09", 6, "01"],
  ["XR05CB06Y001", "盐酸氨溴索注射液", "09", 6, "02"],
  ["XR03BB01Y001", "吸入用异丙托溴铵溶液", "09", 12, "02"],
  ["XR03BA02Y001", "吸入用布地奈德混悬液", "09", 15, "02"],
  ["XR03DA11Y001", "多索茶碱注射液", "09", 10, "02"],
  ["XH02AB04Y001", "注射用甲泼尼龙琥珀酸钠", "09", 28, "02"],
  ["XR07AB02Y001", "尼可刹米注射液", "09", 2, "01"],
  ["XB03XA01Y001", "重组人促红素注射液", "09", 95, "02"],
  ["XV03AE02Y001", "碳酸司维拉姆片", "09", 9, "02"],
  ["XA11CC04Y001", "骨化三醇软胶囊", "09", 3, "02"],
  ["XB03AB05Y001", "蔗糖铁注射液", "09", 85, "02"],
  ["XB03AA07Y001", "硫酸亚铁缓释片", "09", 1, "01"],
  ["XA05BA03Y001", "多烯磷脂酰胆碱胶囊", "09", 2, "02"],
  ["XA03BA03Y001", "消旋山莨菪碱注射液", "09", 2, "01"],
  ["XL01XA03Y001", "注射用奥沙利铂", "09", 680, "02"],
  ["XL01BC06Y001", "卡培他滨片", "09", 35, "02"],
  ["XH03AA01Y001", "左甲状腺素钠片", "09", 1, "01"],
  ["XB02AA02Y001", "氨甲环酸注射液", "09", 6, "01"],
  ["XM01AE01Y001", "布洛芬缓释胶囊", "09", 1, "01"],
  ["XM05BA04Y001", "阿仑膦酸钠片", "09", 5, "02"],
  ["XA12AA04Y001", "碳酸钙D3片", "09", 1, "01"],
  ["XN03AX14Y001", "左乙拉西坦片", "09", 6, "02"],
  ["XB05BC01Y001", "甘露醇注射液", "09", 6, "01"],
  ["XJ05AB01Y001", "阿昔洛韦片", "09", 1, "01"],
  ["XH01CB02Y001", "注射用奥曲肽", "09", 120, "02"],
  ["XA16AX99Y003", "自费营养补充剂（口服液）", "09", 68, "03"],
  ["XL03AX99Y003", "胸腺法新注射液（自费）", "09", 520, "03"],
  // 10 中药饮片 11 中成药
  ["T001700001", "中药饮片（黄芪等）", "10", 30, "02"],
  ["ZA12BA01Y001", "复方丹参滴丸", "11", 2, "01"],
  ["ZA04AB01Y001", "速效救心丸", "11", 3, "02"],
  ["ZA10DA01Y001", "消炎利胆片", "11", 1, "01"],
  ["ZA12HA01Y001", "百令胶囊", "11", 3, "02"],
  ["ZA09AA01Y001", "连花清瘟胶囊", "11", 2, "01"],
  // 12 一般诊疗 13 挂号 14 其他
  ["111000001", "一般诊疗费", "12", 10, "01"],
  ["110200099", "取暖费", "14", 10, "03"],
  ["110900001", "病历工本费", "14", 5, "03"],
  ["310100099", "院内会诊费", "14", 30, "01"],
  // 丙类（自费）项目 of other categories
  ["220800099", "三维超声成像（自费）", "03", 300, "03"],
  ["250700099", "肿瘤易感基因检测（自费）", "04", 800, "03"],
  ["331000099", "术中导航（自费）", "06", 2000, "03"],
  ["T009900003", "贵细中药饮片（自费）", "10", 120, "03"],
  ["ZZ9900003Y003", "自费中成药胶囊", "11", 40, "03"],
];

/** The catalogue by code. */
export const CATALOGUE: ReadonlyMap<string, CatalogueItem> = new Map(
  ROWS.map(([code, name, category, yuan, lv]) => [
    code,
    {
      code,
      name,
      category,
      price: Math.round(yuan * 100),
      lv,
      daily: category === "01" || category === "02" || category === "07",
      maxPerDay: code === "120400006" ? 3 : code === "250101015" ? 2 : undefined,
    },
  ]),
);

/** What a hospital charges for one diagnosis category (the generator's own clinical table). */
export interface TreatmentEntry {
  /** ICD-10 prefix. */
  readonly prefix: string;
  /** Items to draw from (2 to 3 of them). */
  readonly items: readonly string[];
  /**
   * Share of honest cases with this diagnosis (as a secondary) with no specific treatment charge
   * (stable chronic conditions, conditions only recorded).
   */
  readonly unsupported: number;
  /**
   * 诊断依据: the tests a condition is diagnosed by (chest imaging or sputum culture for a pneumonia,
   * NT-proBNP or echocardiography for heart failure, a potassium recheck for hypokalaemia). A condition
   * of this kind is not coded without its test: at least one of these is charged, treated or not.
   */
  readonly workup?: readonly string[];
}

export const TREATMENTS: readonly TreatmentEntry[] = [
  {
    prefix: "E11",
    items: [
      "250302010",
      "250302002",
      "120400021",
      "XA10AB01Y001",
      "XA10BA02Y001",
      "XA10BB12Y001",
      "120300001",
    ],
    unsupported: 0.08,
  },
  { prefix: "E10", items: ["250302010", "120400021", "XA10AB01Y001"], unsupported: 0.03 },
  { prefix: "E78", items: ["250303001", "XC10AA05Y001"], unsupported: 0.12 },
  { prefix: "E03", items: ["250310001", "XH03AA01Y001"], unsupported: 0.1 },
  {
    prefix: "E87.6",
    items: ["XA12BA01Y001", "XB05XA01Y001", "250304011"],
    unsupported: 0.005,
    workup: ["250304011"],
  },
  {
    prefix: "E87",
    items: ["XB05XA01Y001", "250304011", "XA12BA01Y001"],
    unsupported: 0.01,
    workup: ["250304011"],
  },
  { prefix: "I10", items: ["XC08CA01Y001", "XC09CA01Y001", "XC07AB02Y001", "310701022"], unsupported: 0.08 },
  {
    prefix: "I21",
    items: [
      "250306009",
      "250306004",
      "XB01AC06Y001",
      "XB01AC24Y001",
      "XB01AB05Y001",
      "320200003",
      "XC10AA05Y001",
    ],
    unsupported: 0.003,
    workup: ["250306009", "250306004"],
  },
  {
    prefix: "I25",
    items: [
      "XB01AC06Y001",
      "XC10AA05Y001",
      "XC01DA14Y001",
      "XC07AB02Y001",
      "ZA12BA01Y001",
      "ZA04AB01Y001",
      "210300012",
    ],
    unsupported: 0.02,
  },
  {
    prefix: "I50",
    items: ["250306015", "XC03CA01Y001", "XC03DA01Y001", "220600001", "XC01DX19Y001"],
    unsupported: 0.005,
    workup: ["250306015", "220600001"],
  },
  {
    prefix: "I63",
    items: ["210300001", "210400001", "XB01AC06Y001", "340200001", "XC10AA05Y001"],
    unsupported: 0.01,
  },
  {
    prefix: "J15",
    items: ["XJ01DD04Y001", "XJ01MA12Y001", "250501006", "250404025", "210300003", "XR05CB06Y001"],
    unsupported: 0.005,
    workup: ["210300003", "250501006"],
  },
  {
    prefix: "J18",
    items: [
      "XJ01DD04Y001",
      "XJ01CR05Y001",
      "XJ01FA10Y001",
      "250501006",
      "210300003",
      "XR05CB06Y001",
      "ZA09AA01Y001",
    ],
    unsupported: 0.005,
    workup: ["210300003", "250501006"],
  },
  { prefix: "J20", items: ["XJ01FA10Y001", "XR05CB06Y001", "310603011", "XR03BB01Y001"], unsupported: 0.02 },
  {
    prefix: "J44",
    items: ["XR03BB01Y001", "XR03BA02Y001", "310603011", "XH02AB04Y001", "XR03DA11Y001", "310601001"],
    unsupported: 0.005,
  },
  {
    prefix: "J96",
    items: ["250102035", "310603005", "310603003", "310603001", "XR07AB02Y001"],
    unsupported: 0.003,
    workup: ["250102035"],
  },
  { prefix: "K25", items: ["310902001", "XA02BC01Y002", "XB02AA02Y001"], unsupported: 0.02 },
  { prefix: "K35", items: ["XJ01DD04Y001", "XJ01XD01Y001", "210300006", "250404025"], unsupported: 0.01 },
  {
    prefix: "K76",
    items: ["220301001", "210300005", "210400005", "250403001"],
    unsupported: 0.02,
    workup: ["220301001", "210300005", "210400005"],
  },
  {
    prefix: "K80",
    items: ["220301001", "XJ01DD04Y001", "XA03BA03Y001", "ZA10DA01Y001", "XJ01XD01Y001"],
    unsupported: 0.015,
    workup: ["220301001"],
  },
  {
    prefix: "K81",
    items: ["220301001", "XJ01DD04Y001", "XJ01XD01Y001", "XA03BA03Y001", "ZA10DA01Y001"],
    unsupported: 0.005,
    workup: ["220301001"],
  },
  { prefix: "K21", items: ["XA02BC01Y002", "310902001"], unsupported: 0.1 },
  {
    prefix: "N18",
    items: ["311400001", "XB03XA01Y001", "XV03AE02Y001", "XA11CC04Y001", "250307010"],
    unsupported: 0.005,
    workup: ["250307010"],
  },
  {
    prefix: "N19",
    items: ["250307010", "250307014", "XB03XA01Y001", "ZA12HA01Y001", "XV03AE02Y001"],
    unsupported: 0.008,
    workup: ["250307010", "250307014"],
  },
  { prefix: "N40", items: ["220201001"], unsupported: 0.05 },
  {
    prefix: "D64",
    items: ["250203005", "250203011", "XB03AA07Y001", "XB03AB05Y001", "120400011"],
    unsupported: 0.1,
  },
  { prefix: "D18", items: ["220301001", "210300005"], unsupported: 0.1 },
  { prefix: "D25", items: ["220201001"], unsupported: 0.05 },
  {
    prefix: "C18",
    items: ["250403003", "270300001", "310903001", "210300006", "XL01XA03Y001", "XL01BC06Y001", "120400015"],
    unsupported: 0.01,
  },
  {
    prefix: "C73",
    items: ["250403016", "250310001", "220301008", "270300001", "XH03AA01Y001"],
    unsupported: 0.01,
  },
  { prefix: "C76", items: ["210300008", "270300001", "250403003", "XL01XA03Y001"], unsupported: 0.01 },
  { prefix: "M51", items: ["210300010", "XM01AE01Y001", "340200001"], unsupported: 0.03 },
  { prefix: "M81", items: ["230500002", "XM05BA04Y001", "XA12AA04Y001"], unsupported: 0.1 },
  { prefix: "S72", items: ["210102008", "210300010", "331501002"], unsupported: 0.003 },
  { prefix: "P07", items: ["311201022", "250102035", "310603005"], unsupported: 0.003 },
  { prefix: "P59", items: ["311201011", "311201022"], unsupported: 0.02 },
  { prefix: "A41", items: ["XJ01CR05Y001", "250404025", "250501006"], unsupported: 0.005 },
  { prefix: "O", items: ["220201001", "250203066"], unsupported: 0.05 },
  { prefix: "Z38", items: ["250101015"], unsupported: 0.5 },
];

/**
 * What a hospital charges for a diagnosis of a chapter when the category has no entry of its own in
 * `TREATMENTS` (the national scheme's thousands of codes): the generator's own rough clinical picture
 * of each ICD-10 chapter (an infection gets an antibiotic or a culture, a renal condition a renal test
 * or a diuretic, an injury an X-ray or a dressing), with a share of honest cases recorded but not
 * treated. Chapters without an entry (mental, eye, ear, factors Z) stay without specific charges.
 * The shares are assumptions of the generator, not published figures.
 */
export const CHAPTER_TREATMENTS: readonly (TreatmentEntry & { readonly to: string })[] = [
  {
    prefix: "A00",
    to: "B99",
    items: ["XJ01DD04Y001", "XJ01MA12Y001", "250404025", "XJ05AB01Y001", "250501006"],
    unsupported: 0.05,
  },
  {
    prefix: "C00",
    to: "D48",
    items: ["250403003", "250403001", "210300006", "270300001", "XL01BC06Y001"],
    unsupported: 0.15,
  },
  {
    prefix: "D50",
    to: "D89",
    items: ["250203005", "250203011", "XB03AA07Y001", "120400011", "XB03AB05Y001"],
    unsupported: 0.08,
  },
  {
    prefix: "E00",
    to: "E90",
    items: ["250302002", "250304011", "XA12BA01Y001", "XB05XA01Y001", "250310001"],
    unsupported: 0.1,
  },
  {
    prefix: "G00",
    to: "G99",
    items: ["210300001", "210400001", "310100002", "XN03AX14Y001", "340200001"],
    unsupported: 0.06,
  },
  {
    prefix: "I00",
    to: "I99",
    items: ["310701007", "220600001", "XC01DA14Y001", "XB01AC06Y001", "250306009", "XC03CA01Y001"],
    unsupported: 0.06,
  },
  {
    prefix: "J00",
    to: "J99",
    items: ["210300003", "XJ01DD04Y001", "310603005", "250102035", "XR05CB06Y001", "310603011"],
    unsupported: 0.04,
  },
  {
    prefix: "K00",
    to: "K93",
    items: ["XA02BC01Y002", "220301001", "310902001", "XA05BA03Y001", "250302024"],
    unsupported: 0.06,
  },
  { prefix: "L00", to: "L99", items: ["XJ01DB04Y001", "XJ01FA10Y001"], unsupported: 0.1 },
  {
    prefix: "M00",
    to: "M99",
    items: ["210102008", "230500002", "XM01AE01Y001", "340200001"],
    unsupported: 0.1,
  },
  {
    prefix: "N00",
    to: "N99",
    items: ["250307010", "250307014", "XC03CA01Y001", "311400001"],
    unsupported: 0.05,
  },
  { prefix: "O00", to: "O99", items: ["220201001", "250203066"], unsupported: 0.05 },
  { prefix: "P00", to: "P96", items: ["311201022", "311201011", "250102035"], unsupported: 0.03 },
  { prefix: "Q00", to: "Q99", items: ["220600001", "220201001"], unsupported: 0.2 },
  { prefix: "R00", to: "R99", items: ["250102035", "310603005", "250203035", "210300003"], unsupported: 0.1 },
  {
    prefix: "S00",
    to: "T98",
    items: ["210102008", "210300001", "C02030301", "331501002"],
    unsupported: 0.05,
  },
];

/** Items most inpatients get whatever the diagnosis (入院常规), by category, with their chance. */
export const ROUTINE: readonly (readonly [code: string, chance: number])[] = [
  ["110200001", 1],
  ["110100001", 1],
  ["120100004", 1],
  ["310701001", 0.75],
  ["210102015", 0.45],
  ["220201001", 0.3],
  ["250101015", 1],
  ["250102001", 0.8],
  ["250301099", 0.95],
  ["250203066", 0.6],
  ["120400006", 1],
  ["120400001", 0.3],
  ["C14010101", 1],
  ["C14020101", 1],
  ["C02030301", 0.2],
  ["XB05CB01Y001", 1],
  ["XB05BA03Y001", 0.6],
  ["XA02BC01Y002", 0.25],
  ["XN02BE01Y001", 0.2],
  ["XA11GA01Y001", 0.3],
  ["T001700001", 1],
  ["ZA09AA01Y001", 0.2],
  ["ZA12BA01Y001", 0.15],
  ["111000001", 1],
  ["110200099", 0.3],
  ["110900001", 1],
];

/** Items of an operation (手术费 lines are named after the procedure; these come with it). */
export const SURGICAL_EXTRAS: readonly string[] = [
  "330100003",
  "XJ01DB04Y001",
  "XB05BB01Y001",
  "C03010101",
  "C02030301",
  "270300001",
];

/** Genuinely self-pay items (丙类) by category, for the list's 全自费 amounts. */
export const SELF_PAY: Readonly<Record<string, readonly string[]>> = {
  "03": ["220800099"],
  "04": ["250700099"],
  "05": ["120300001"],
  "06": ["331000099"],
  "10": ["T009900003"],
  "11": ["ZZ9900003Y003"],
  "08": ["C08990001"],
  "09": ["XA16AX99Y003", "XL03AX99Y003"],
  "14": ["110200099", "110900001"],
};

/** A fallback item per category when nothing else fits. */
export const CATEGORY_DEFAULT: Readonly<Record<string, string>> = {
  "01": "110200001",
  "02": "110100001",
  "03": "310701001",
  "04": "250301099",
  "05": "120400006",
  "06": "330100005",
  "07": "120100004",
  "08": "C14010101",
  "09": "XB05CB01Y001",
  "10": "T001700001",
  "11": "ZA12BA01Y001",
  "12": "111000001",
  "13": "111000001",
  "14": "310100099",
};

/** Oral drug names (口服制剂): a low-indication stay gets only these. */
export function isOralName(name: string): boolean {
  return !name.includes("注射") && /片|胶囊|丸|颗粒|口服/.test(name);
}
