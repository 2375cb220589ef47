import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CodeDictionary, CodeVersionMap } from "@yibao/codes";
import { type CodeMaps, type QcContext, withIdCheckChar } from "../src/index.js";

/** The repository root (/work/main) and the reference data beside it. */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
export const SHARED_DIR = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(REPO_ROOT, "../shared"));
export const SCHEME_DIR = resolve(SHARED_DIR, "schemes", "chs-drg-1.1");

function read(file: string): string {
  return readFileSync(resolve(SCHEME_DIR, file), "utf8");
}

let codes: CodeMaps | undefined;

/** The real CHS-DRG 1.1 dictionaries (ICD-10 医保版 2.0, ICD-9-CM-3 医保版 2.0) with their version maps. */
export function realCodes(): CodeMaps {
  if (codes === undefined) {
    const dx = CodeDictionary.parse("diagnosis", read("diagnoses.tsv"), "diagnoses.tsv");
    const px = CodeDictionary.parse("procedure", read("procedures.tsv"), "procedures.tsv");
    codes = {
      diagnosisMap: CodeVersionMap.parse(dx, read("diagnosis_map.tsv"), "diagnosis_map.tsv"),
      procedureMap: CodeVersionMap.parse(px, read("procedure_map.tsv"), "procedure_map.tsv"),
    };
  }
  return codes;
}

/** The dictionaries with extra diagnosis codes (e.g. a region that lists asterisk codes on their own). */
export function codesWithExtraDiagnoses(extra: Record<string, string>): CodeMaps {
  const base = realCodes();
  const entries: [string, string][] = [];
  for (const code of base.diagnosisMap.dictionary.codes()) {
    entries.push([code, base.diagnosisMap.dictionary.name(code) as string]);
  }
  const dx = new CodeDictionary("diagnosis", [...entries, ...Object.entries(extra)]);
  return { diagnosisMap: new CodeVersionMap(dx, new Map()), procedureMap: base.procedureMap };
}

const FIXTURE = readFileSync(resolve(import.meta.dirname, "fixtures", "4101-appendicitis.json"), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: a test edits the message freely, field by field, to build invalid and unusual inputs
export type Msg = any;

/** A fresh copy of the valid, complete 4101 message (settled 2024-03-09). */
export function validMessage(): Msg {
  return JSON.parse(FIXTURE);
}

/** The valid message turned into a newborn's stay: born 2024-02-20, admitted at 13 days, 3250 g. */
export function newbornMessage(): Msg {
  const m = validMessage();
  const s = m.input.setlinfo;
  s.brdy = "2024-02-20";
  delete s.age;
  s.nwb_age = 13;
  s.nwb_bir_wt = "3250.00";
  s.nwb_adm_wt = 3300;
  s.nwb_adm_type = "3";
  s.patn_cert_type = "99";
  s.certno = "O210123456";
  s.prfs = "90";
  s.patn_rlts = "5";
  return m;
}

/** A female patient with an ID number that matches. */
export function femaleMessage(): Msg {
  const m = validMessage();
  m.input.setlinfo.gend = "2";
  m.input.setlinfo.certno = withIdCheckChar("21010219790512002");
  return m;
}

/** Upload three days after settlement, bureau intake. */
export function context(overrides: Partial<QcContext> = {}): QcContext {
  return { mode: "bureau", today: "2024-03-12T10:30:15", codes: realCodes(), ...overrides };
}
