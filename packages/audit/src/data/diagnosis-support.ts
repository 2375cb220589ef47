/**
 * 起步知识库·诊断诊疗依据 (starter diagnosis-support knowledge): for each diagnosis category (ICD-10
 * code prefix) the item classes (检验/检查/治疗/药品) whose charges show that the condition was
 * diagnosed or treated during the stay, and a fallback by ICD-10 chapter. A coded secondary diagnosis
 * with none of its classes among the stay's detail charges (费用明细) has no 诊疗依据: it is a false or
 * added diagnosis (虚假诊断/多编诊断) that used no resources of the stay (对本次住院资源消耗没有影响)
 * and only raises the group through the CC/MCC tables.
 *
 * Item classes name service items by 医疗服务项目 code (9 digits, after the national 医疗服务价格项目
 * 规范) and drugs by the ATC prefix of the 医保药品编码 (X + ATC for 西药). The codes are EXAMPLE
 * data of the starter set: a region replaces the catalogue with its own (its own version and dates).
 * Routine admission items (血常规、生化全套、心电图、胸片) are deliberately not support for anything:
 * they are charged to almost every inpatient.
 */
import type { DiagnosisSupportBase } from "../support.js";

export const STARTER_DIAGNOSIS_SUPPORT: DiagnosisSupportBase = {
  id: "starter-diagnosis-support",
  version: "2024.2",
  effectiveFrom: "2020-01-01",
  effectiveTo: null,
  classes: [
    // ---- 检验 ----
    { id: "glucose_lab", name: "血糖/糖化血红蛋白检测", codes: ["250302002", "250302010", "250302011"] },
    { id: "glucose_monitor", name: "血糖监测", codes: ["120400021"] },
    { id: "lipid_lab", name: "血脂检测", codes: ["250303001", "250303002", "250303005"] },
    { id: "potassium_recheck", name: "血钾复查/电解质监测", codes: ["250304011"] },
    { id: "cardiac_marker", name: "心肌损伤标志物", codes: ["250306009", "250306010", "250306004"] },
    { id: "natriuretic", name: "B型钠尿肽检测", codes: ["250306014", "250306015"] },
    { id: "renal_special", name: "肾损伤专项检验", codes: ["250307010", "250307012", "250307014"] },
    { id: "blood_gas", name: "血气分析", codes: ["250102035"] },
    { id: "liver_special", name: "肝病专项检验", codes: ["250305012", "250401005", "250403001"] },
    { id: "anaemia_lab", name: "贫血相关检验", codes: ["250203005", "250203011", "250203012"] },
    { id: "infection_lab", name: "病原学培养/炎症标志物", codes: ["250501001", "250404025"] },
    { id: "sputum_pathogen", name: "痰病原学检查", codes: ["250501006"] },
    { id: "tumour_marker", name: "肿瘤标志物", codes: ["250403003", "250403007", "250403016", "250403018"] },
    { id: "thyroid_lab", name: "甲状腺功能检测", codes: ["250310001", "250310004", "250310007"] },
    { id: "pathology", name: "病理检查", codes: ["270300001", "270300005", "270800001"] },
    { id: "pancreas_lab", name: "胰酶检测", codes: ["250302024", "250302025"] },
    { id: "coag_lab", name: "凝血/D-二聚体检测", codes: ["250203066", "250203035"] },
    // ---- 检查 ----
    { id: "echo", name: "超声心动图", codes: ["220600001", "220600003"] },
    { id: "holter", name: "动态心电图/动态血压", codes: ["310701007", "310701022"] },
    { id: "coronary_imaging", name: "冠状动脉造影/CTA", codes: ["320200003", "210300012"] },
    { id: "hepatobiliary_imaging", name: "肝胆影像", codes: ["220301001", "210300005", "210400005"] },
    { id: "chest_ct", name: "胸部CT", codes: ["210300003"] },
    { id: "head_imaging", name: "头颅CT/MRI", codes: ["210300001", "210400001"] },
    { id: "neck_imaging", name: "颈部影像", codes: ["210300008", "220301008"] },
    { id: "abdominal_ct", name: "腹部/盆腔增强CT", codes: ["210300006"] },
    { id: "endoscopy", name: "消化内镜", codes: ["310902001", "310903001"] },
    { id: "bone_imaging", name: "骨与关节影像", codes: ["210102008", "210300010", "230500002"] },
    { id: "lung_function", name: "肺功能检查", codes: ["310601001"] },
    { id: "eeg", name: "脑电图", codes: ["310100002"] },
    // ---- 治疗 ----
    { id: "oxygen_ventilation", name: "氧疗/机械通气", codes: ["310603001", "310603003", "310603005"] },
    { id: "nebulisation", name: "雾化吸入", codes: ["310603011"] },
    { id: "dialysis", name: "血液净化/透析", codes: ["311400001", "311400005", "311400016"] },
    { id: "transfusion", name: "输血", codes: ["260000002", "260000009", "120400011"] },
    { id: "pci", name: "经皮冠状动脉介入治疗", codes: ["330803011", "330803012"] },
    { id: "oncology_treatment", name: "放疗/化疗给药", codes: ["240300001", "120400015"] },
    { id: "fracture_care", name: "骨折固定/牵引", codes: ["330100020", "331501002", "331501003"] },
    { id: "incubator", name: "新生儿暖箱/监护", codes: ["120400012", "311201022"] },
    { id: "rehab", name: "康复治疗", codes: ["340200001", "340200012"] },
    { id: "pelvic_ultrasound", name: "盆腔/泌尿系超声", codes: ["220201001", "220800001"] },
    { id: "obstetric_care", name: "产科检查与接生", codes: ["311201001", "311201005", "311201010"] },
    { id: "phototherapy", name: "新生儿光疗", codes: ["311201010", "311201011"] },
    { id: "alpha_blocker", name: "前列腺增生用药", codes: [], prefixes: ["XG04CA", "XG04CB"] },
    // ---- 药品（医保药品编码 X+ATC 前缀） ----
    { id: "antidiabetic", name: "降糖药（胰岛素/口服降糖药）", codes: [], prefixes: ["XA10"] },
    { id: "antihypertensive", name: "降压药", codes: [], prefixes: ["XC02", "XC07", "XC08", "XC09"] },
    { id: "diuretic", name: "利尿剂", codes: [], prefixes: ["XC03"] },
    { id: "inotrope", name: "强心药/重组人脑利钠肽", codes: [], prefixes: ["XC01A", "XC01C", "XC01DX"] },
    { id: "antiarrhythmic", name: "抗心律失常药", codes: [], prefixes: ["XC01B"] },
    { id: "antianginal", name: "硝酸酯类扩冠药", codes: [], prefixes: ["XC01DA"] },
    { id: "antiplatelet", name: "抗血小板药", codes: [], prefixes: ["XB01AC"] },
    { id: "anticoagulant", name: "抗凝药", codes: [], prefixes: ["XB01AA", "XB01AB", "XB01AE", "XB01AF"] },
    { id: "thrombolytic", name: "溶栓药", codes: [], prefixes: ["XB01AD"] },
    { id: "statin", name: "调脂药", codes: [], prefixes: ["XC10"] },
    { id: "potassium", name: "补钾药", codes: [], prefixes: ["XA12BA", "XB05XA01"] },
    { id: "electrolyte_solution", name: "电解质添加剂（浓氯化钠等）", codes: [], prefixes: ["XB05XA"] },
    {
      id: "therapeutic_antibiotic",
      name: "治疗性抗菌药物",
      codes: [],
      prefixes: ["XJ01CR", "XJ01DC", "XJ01DD", "XJ01DE", "XJ01DH", "XJ01FA", "XJ01MA", "XJ01XA", "XJ01XD"],
    },
    { id: "bronchodilator", name: "支气管扩张剂/吸入制剂", codes: [], prefixes: ["XR03"] },
    { id: "systemic_steroid", name: "全身用糖皮质激素", codes: [], prefixes: ["XH02AB"] },
    { id: "respiratory_stimulant", name: "呼吸兴奋剂", codes: [], prefixes: ["XR07AB"] },
    { id: "epo", name: "促红素", codes: [], prefixes: ["XB03XA"] },
    { id: "iron", name: "铁剂/叶酸/维生素B12", codes: [], prefixes: ["XB03A", "XB03B"] },
    { id: "renal_drug", name: "肾病专科用药（磷结合剂/酮酸）", codes: [], prefixes: ["XV03AE", "XV06DD"] },
    { id: "hepatoprotective", name: "保肝药", codes: [], prefixes: ["XA05B", "XA05A"] },
    { id: "ppi", name: "抑酸药", codes: [], prefixes: ["XA02BC", "XA02BA"] },
    { id: "antispasmodic", name: "解痉药", codes: [], prefixes: ["XA03B"] },
    { id: "haemostatic", name: "止血药", codes: [], prefixes: ["XB02"] },
    { id: "antineoplastic", name: "抗肿瘤药", codes: [], prefixes: ["XL01", "XL02"] },
    { id: "thyroid_drug", name: "甲状腺激素/抗甲状腺药", codes: [], prefixes: ["XH03"] },
    { id: "somatostatin", name: "生长抑素类", codes: [], prefixes: ["XH01CB"] },
    { id: "antiepileptic", name: "抗癫痫药", codes: [], prefixes: ["XN03"] },
    { id: "mannitol", name: "脱水降颅压药", codes: [], prefixes: ["XB05BC"] },
    { id: "osteoporosis_drug", name: "抗骨质疏松药", codes: [], prefixes: ["XM05", "XA12AA", "XA11CC"] },
    { id: "nsaid", name: "非甾体抗炎镇痛药", codes: [], prefixes: ["XM01A"] },
    { id: "antiviral", name: "抗病毒药", codes: [], prefixes: ["XJ05"] },
  ],
  diagnoses: [
    // 内分泌、营养和代谢
    { prefix: "E10", name: "1型糖尿病", classes: ["antidiabetic", "glucose_lab", "glucose_monitor"] },
    { prefix: "E11", name: "2型糖尿病", classes: ["antidiabetic", "glucose_lab", "glucose_monitor"] },
    { prefix: "E14", name: "糖尿病", classes: ["antidiabetic", "glucose_lab", "glucose_monitor"] },
    { prefix: "E03", name: "甲状腺功能减退", classes: ["thyroid_drug", "thyroid_lab"] },
    { prefix: "E05", name: "甲状腺功能亢进", classes: ["thyroid_drug", "thyroid_lab"] },
    { prefix: "E78", name: "血脂异常", classes: ["statin", "lipid_lab"] },
    { prefix: "E86", name: "脱水/低血容量", classes: ["electrolyte_solution", "potassium_recheck"] },
    { prefix: "E87.6", name: "低钾血症", classes: ["potassium", "potassium_recheck"] },
    {
      prefix: "E87",
      name: "电解质紊乱",
      classes: ["potassium", "electrolyte_solution", "potassium_recheck"],
    },
    // 循环
    { prefix: "I10", name: "高血压", classes: ["antihypertensive", "diuretic", "holter"] },
    { prefix: "I11", name: "高血压性心脏病", classes: ["antihypertensive", "diuretic", "echo"] },
    { prefix: "I20", name: "心绞痛", classes: ["antiplatelet", "statin", "antianginal", "coronary_imaging"] },
    {
      prefix: "I21",
      name: "急性心肌梗死",
      classes: ["cardiac_marker", "antiplatelet", "anticoagulant", "thrombolytic", "pci", "coronary_imaging"],
    },
    {
      prefix: "I25",
      name: "慢性缺血性心脏病",
      classes: ["antiplatelet", "statin", "antianginal", "coronary_imaging", "pci"],
    },
    { prefix: "I26", name: "肺栓塞", classes: ["anticoagulant", "thrombolytic", "coag_lab", "chest_ct"] },
    { prefix: "I48", name: "心房颤动/扑动", classes: ["anticoagulant", "antiarrhythmic", "holter", "echo"] },
    { prefix: "I50", name: "心力衰竭", classes: ["natriuretic", "diuretic", "inotrope", "echo"] },
    { prefix: "I61", name: "脑出血", classes: ["head_imaging", "mannitol"] },
    { prefix: "I63", name: "脑梗死", classes: ["head_imaging", "antiplatelet", "thrombolytic", "rehab"] },
    // 呼吸
    {
      prefix: "J12",
      name: "病毒性肺炎",
      classes: ["antiviral", "infection_lab", "sputum_pathogen", "chest_ct"],
    },
    {
      prefix: "J13",
      name: "肺炎",
      classes: ["therapeutic_antibiotic", "infection_lab", "sputum_pathogen", "chest_ct"],
    },
    {
      prefix: "J14",
      name: "肺炎",
      classes: ["therapeutic_antibiotic", "infection_lab", "sputum_pathogen", "chest_ct"],
    },
    {
      prefix: "J15",
      name: "细菌性肺炎",
      classes: ["therapeutic_antibiotic", "infection_lab", "sputum_pathogen", "chest_ct"],
    },
    {
      prefix: "J18",
      name: "肺炎",
      classes: ["therapeutic_antibiotic", "infection_lab", "sputum_pathogen", "chest_ct"],
    },
    {
      prefix: "J20",
      name: "急性支气管炎",
      classes: ["therapeutic_antibiotic", "bronchodilator", "nebulisation", "infection_lab"],
    },
    {
      prefix: "J44",
      name: "慢性阻塞性肺病",
      classes: ["bronchodilator", "nebulisation", "systemic_steroid", "lung_function", "oxygen_ventilation"],
    },
    {
      prefix: "J45",
      name: "哮喘",
      classes: ["bronchodilator", "nebulisation", "systemic_steroid", "lung_function"],
    },
    {
      prefix: "J96",
      name: "呼吸衰竭",
      classes: ["blood_gas", "oxygen_ventilation", "respiratory_stimulant"],
    },
    // 消化、肝胆胰
    { prefix: "K21", name: "胃食管反流病", classes: ["ppi", "endoscopy"] },
    { prefix: "K25", name: "胃溃疡", classes: ["ppi", "endoscopy", "haemostatic"] },
    { prefix: "K26", name: "十二指肠溃疡", classes: ["ppi", "endoscopy", "haemostatic"] },
    {
      prefix: "K35",
      name: "急性阑尾炎",
      classes: ["therapeutic_antibiotic", "abdominal_ct", "infection_lab"],
    },
    {
      prefix: "K70",
      name: "酒精性肝病",
      classes: ["hepatoprotective", "liver_special", "hepatobiliary_imaging"],
    },
    {
      prefix: "K74",
      name: "肝纤维化和肝硬化",
      classes: ["hepatoprotective", "liver_special", "hepatobiliary_imaging"],
    },
    {
      prefix: "K76",
      name: "其他肝脏疾病",
      classes: ["hepatobiliary_imaging", "liver_special", "hepatoprotective"],
    },
    {
      prefix: "K80",
      name: "胆石症",
      classes: ["hepatobiliary_imaging", "therapeutic_antibiotic", "antispasmodic"],
    },
    {
      prefix: "K81",
      name: "胆囊炎",
      classes: ["hepatobiliary_imaging", "therapeutic_antibiotic", "antispasmodic"],
    },
    { prefix: "K85", name: "急性胰腺炎", classes: ["pancreas_lab", "somatostatin", "ppi", "abdominal_ct"] },
    { prefix: "K92", name: "消化道出血", classes: ["ppi", "haemostatic", "endoscopy", "transfusion"] },
    // 泌尿
    { prefix: "N17", name: "急性肾衰竭", classes: ["renal_special", "dialysis", "diuretic"] },
    { prefix: "N18", name: "慢性肾脏病", classes: ["dialysis", "epo", "renal_drug", "renal_special"] },
    { prefix: "N19", name: "肾衰竭/肾功能不全", classes: ["dialysis", "epo", "renal_drug", "renal_special"] },
    // 血液
    { prefix: "D50", name: "缺铁性贫血", classes: ["iron", "anaemia_lab", "transfusion"] },
    { prefix: "D62", name: "急性失血后贫血", classes: ["transfusion", "iron", "anaemia_lab"] },
    { prefix: "D64", name: "贫血", classes: ["iron", "epo", "anaemia_lab", "transfusion"] },
    {
      prefix: "D69",
      name: "紫癜和出血性疾病",
      classes: ["transfusion", "haemostatic", "systemic_steroid", "coag_lab"],
    },
    // 感染
    {
      prefix: "A41",
      name: "脓毒症",
      classes: ["therapeutic_antibiotic", "infection_lab", "sputum_pathogen"],
    },
    // 神经
    { prefix: "G40", name: "癫痫", classes: ["antiepileptic", "eeg"] },
    // 肌肉骨骼、损伤
    { prefix: "M51", name: "椎间盘疾患", classes: ["bone_imaging", "nsaid", "rehab"] },
    { prefix: "M81", name: "骨质疏松", classes: ["osteoporosis_drug", "bone_imaging"] },
    { prefix: "S72", name: "股骨骨折", classes: ["bone_imaging", "fracture_care"] },
    // 肿瘤
    {
      prefix: "C18",
      name: "结肠恶性肿瘤",
      classes: [
        "antineoplastic",
        "tumour_marker",
        "pathology",
        "abdominal_ct",
        "endoscopy",
        "oncology_treatment",
      ],
    },
    {
      prefix: "C73",
      name: "甲状腺恶性肿瘤",
      classes: ["thyroid_drug", "thyroid_lab", "tumour_marker", "pathology", "neck_imaging"],
    },
    {
      prefix: "C76",
      name: "其他和不明确部位的恶性肿瘤",
      classes: ["antineoplastic", "tumour_marker", "pathology", "neck_imaging", "oncology_treatment"],
    },
    { prefix: "D18", name: "血管瘤", classes: ["hepatobiliary_imaging", "abdominal_ct"] },
    // 泌尿生殖、妊娠、围生期
    { prefix: "N40", name: "前列腺增生", classes: ["pelvic_ultrasound", "alpha_blocker"] },
    { prefix: "D25", name: "子宫平滑肌瘤", classes: ["pelvic_ultrasound", "pathology"] },
    { prefix: "O", name: "妊娠、分娩和产褥期", classes: ["obstetric_care", "pelvic_ultrasound", "coag_lab"] },
    { prefix: "P59", name: "新生儿黄疸", classes: ["phototherapy", "incubator"] },
    { prefix: "P07", name: "早产/低出生体重", classes: ["incubator", "blood_gas", "oxygen_ventilation"] },
  ],
  chapterFallbacks: [
    {
      from: "A00",
      to: "B99",
      name: "某些传染病和寄生虫病",
      classes: ["therapeutic_antibiotic", "antiviral", "infection_lab"],
    },
    {
      from: "C00",
      to: "D48",
      name: "肿瘤",
      classes: [
        "antineoplastic",
        "tumour_marker",
        "pathology",
        "oncology_treatment",
        "abdominal_ct",
        "neck_imaging",
      ],
    },
    {
      from: "D50",
      to: "D89",
      name: "血液及造血器官疾病",
      classes: ["anaemia_lab", "transfusion", "iron", "coag_lab"],
    },
    {
      from: "E00",
      to: "E90",
      name: "内分泌、营养和代谢疾病",
      classes: ["thyroid_lab", "glucose_lab", "electrolyte_solution"],
    },
    {
      from: "G00",
      to: "G99",
      name: "神经系统疾病",
      classes: ["head_imaging", "eeg", "antiepileptic", "rehab"],
    },
    {
      from: "I00",
      to: "I99",
      name: "循环系统疾病",
      classes: [
        "inotrope",
        "antiarrhythmic",
        "antianginal",
        "antihypertensive",
        "diuretic",
        "antiplatelet",
        "anticoagulant",
        "echo",
        "holter",
      ],
    },
    {
      from: "J00",
      to: "J99",
      name: "呼吸系统疾病",
      classes: ["therapeutic_antibiotic", "bronchodilator", "nebulisation", "blood_gas", "chest_ct"],
    },
    {
      from: "K00",
      to: "K93",
      name: "消化系统疾病",
      classes: ["ppi", "endoscopy", "hepatobiliary_imaging", "hepatoprotective", "abdominal_ct"],
    },
    { from: "M00", to: "M99", name: "肌肉骨骼系统疾病", classes: ["bone_imaging", "nsaid", "rehab"] },
    {
      from: "N00",
      to: "N39",
      name: "泌尿系统疾病",
      classes: ["renal_special", "dialysis", "therapeutic_antibiotic"],
    },
    {
      from: "S00",
      to: "T98",
      name: "损伤和中毒",
      classes: ["bone_imaging", "fracture_care", "head_imaging"],
    },
  ],
  injectableNamePatterns: ["注射液", "注射用", "输液"],
  oralNamePatterns: ["片", "胶囊", "颗粒", "口服", "丸", "散", "滴丸", "糖浆"],
  sources: [
    "种子 002 l.548–607（虚假诊断/多编诊断：没有诊断依据、对本次住院资源消耗没有影响）",
    "种子 000 l.2059–2151（知识库）",
  ],
};
