// Throughput of the settlement-list QC (parse + check) on one core, in µs per list.
// Usage: npx tsc -b packages/settlement && node packages/settlement/bench/check-bench.mjs
// Reads the real CHS-DRG 1.1 dictionaries from ../shared (or YIBAO_SHARED_DIR).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CodeDictionary, CodeVersionMap } from "@yibao/codes";
import { checkSettlementList, checkSettlementMessage, parseSettlementMessage } from "../dist/index.js";

const here = import.meta.dirname;
const shared = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(here, "../../../../shared"));
const dir = resolve(shared, "schemes", "chs-drg-1.1");
const read = (f) => readFileSync(resolve(dir, f), "utf8");
const dx = CodeDictionary.parse("diagnosis", read("diagnoses.tsv"), "diagnoses.tsv");
const px = CodeDictionary.parse("procedure", read("procedures.tsv"), "procedures.tsv");
const codes = {
  diagnosisMap: CodeVersionMap.parse(dx, read("diagnosis_map.tsv"), "diagnosis_map.tsv"),
  procedureMap: CodeVersionMap.parse(px, read("procedure_map.tsv"), "procedure_map.tsv"),
};
const text = readFileSync(resolve(here, "../test/fixtures/4101-appendicitis.json"), "utf8");
const ctx = { mode: "bureau", today: "2024-03-12T10:30:15", codes };

// A valid message and one with several findings.
const valid = JSON.parse(text);
const broken = JSON.parse(text);
broken.input.setlinfo.age = 40;
broken.input.diseinfo[1].diag_code = "E11.000x011";
broken.input.iteminfo[0].claa_sumfee = 200;

function time(label, n, fn) {
  for (let i = 0; i < 20_000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(2)} µs/list  (${Math.round(1e6 / us)} lists/s)`);
}

const n = Number(process.env.N ?? 200_000);
const parsedList = parseSettlementMessage(valid).list;
time("parse only (valid)", n, () => parseSettlementMessage(valid));
time("check only (valid, parsed list)", n, () => checkSettlementList(parsedList, ctx));
time("parse + check (valid)", n, () => checkSettlementMessage(valid, ctx));
time("parse + check (4 findings)", n, () => checkSettlementMessage(broken, ctx));
time("JSON.parse + parse + check (valid)", n, () => checkSettlementMessage(JSON.parse(text), ctx));
