/** Coding checks: diagnosis and procedure codes, their version mapping, principal diagnosis and procedure, sex- and age-specific diagnoses, declared counts. */

import type { Diagnosis } from "../../model.js";
import type { QcCheckKind } from "../../rules.js";
import { showValue } from "../../template.js";
import type { QcCheckKindModule } from "../kind.js";
import {
  ageText,
  bad,
  effectiveCode,
  inRanges,
  optNumParam,
  rangesParam,
  strArrayParam,
  strParam,
} from "../params.js";
import {
  diagnosisConversions,
  emit,
  PRINCIPAL_FLAG,
  PRINCIPAL_PROCEDURE_TYPE,
  procedureConversions,
  type Run,
  WESTERN_DIAG_TYPE,
} from "../run.js";

/**
 * 编码版本映射 checks, one kind per dictionary and outcome: a code of the list mapped to the insurance
 * version (reported with the code it became) or one that cannot be mapped. The diagnosis kinds look
 * only at the diagnosis types of `params.diagTypes` (default 西医诊断).
 */
function conversionKind(
  kind: QcCheckKind,
  side: "diagnosis" | "procedure",
  outcome: "mapped" | "unmapped",
): QcCheckKindModule {
  const diagnosis = side === "diagnosis";
  return {
    kind,
    params: diagnosis ? ["diagTypes"] : [],
    compile: (r) => {
      const types = diagnosis ? new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE])) : null;
      return (run) => {
        const conv = diagnosis ? diagnosisConversions(run) : procedureConversions(run);
        const map = diagnosis ? run.codes.diagnosisMap : run.codes.procedureMap;
        const rows: readonly { readonly position: number; readonly diagType?: string | null }[] = diagnosis
          ? run.list.diagnoses
          : run.list.procedures;
        rows.forEach((row, i) => {
          const c = conv[i];
          if (c?.outcome !== outcome || (types !== null && !types.has(row.diagType ?? ""))) return;
          const field = diagnosis
            ? `diseinfo[${row.position}].diag_code`
            : `oprninfo[${row.position}].oprn_oprt_code`;
          emit(
            run,
            r,
            field,
            c.outcome === "mapped"
              ? { value: c.from, mapped: c.code, name: map.dictionary.name(c.code) ?? "" }
              : { value: showValue(c.from) },
          );
        });
      };
    },
  };
}

export const diagnosisMappedKind = conversionKind("diagnosisMapped", "diagnosis", "mapped");
export const diagnosisUnmappedKind = conversionKind("diagnosisUnmapped", "diagnosis", "unmapped");
export const procedureMappedKind = conversionKind("procedureMapped", "procedure", "mapped");
export const procedureUnmappedKind = conversionKind("procedureUnmapped", "procedure", "unmapped");

export const principalDiagnosisCountKind: QcCheckKindModule = {
  kind: "principalDiagnosisCount",
  params: ["diagTypes"],
  compile: (r) => {
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    return (run) => {
      if (run.list.diagnoses.length === 0) return;
      let count = 0;
      let second: Diagnosis | undefined;
      for (const d of run.list.diagnoses) {
        if (d.maindiagFlag === PRINCIPAL_FLAG && types.has(d.diagType ?? "")) {
          count++;
          if (count === 2) second = d;
        }
      }
      if (count === 1) return;
      emit(run, r, second ? `diseinfo[${second.position}].maindiag_flag` : "diseinfo", { count });
    };
  },
};

export const asteriskPrincipalKind: QcCheckKindModule = {
  kind: "asteriskPrincipal",
  params: [],
  compile: (r) => (run) => {
    const code = run.facts.principal?.diagCode;
    if (code?.includes("*") && !code.includes("+")) {
      emit(run, r, `diseinfo[${run.facts.principal?.position}].diag_code`, { value: showValue(code) });
    }
  },
};

/**
 * Each diagnosis of the given types whose code (after the version mapping, if any) falls in one
 * of the ranges, with the range it falls in.
 */
function diagnosesInRanges(
  run: Run,
  types: ReadonlySet<string>,
  ranges: ReturnType<typeof rangesParam>,
  found: (d: Diagnosis, range: NonNullable<ReturnType<typeof inRanges>>) => void,
): void {
  const conv = diagnosisConversions(run);
  run.list.diagnoses.forEach((d, i) => {
    if (!types.has(d.diagType ?? "")) return;
    const code = effectiveCode(conv[i] ?? null, d.diagCode);
    const range = code === null ? undefined : inRanges(code, ranges);
    if (range) found(d, range);
  });
}

export const sexSpecificDiagnosisKind: QcCheckKindModule = {
  kind: "sexSpecificDiagnosis",
  params: ["sex", "kind", "ranges", "diagTypes"],
  compile: (r, env) => {
    const sex = strParam(r.rule, "sex");
    const kind = strParam(r.rule, "kind", "性别专用");
    const ranges = rangesParam(r.rule, "ranges");
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    const sexName = env.tables.get("gend")?.get(sex) ?? sex;
    return (run) => {
      if (run.list.info.gend !== sex) return;
      diagnosesInRanges(run, types, ranges, (d, range) =>
        emit(run, r, `diseinfo[${d.position}].diag_code`, {
          value: showValue(d.diagCode),
          name: d.diagName ?? "",
          kind,
          range: range.text,
          sexName,
        }),
      );
    };
  },
};

export const ageSpecificDiagnosisKind: QcCheckKindModule = {
  kind: "ageSpecificDiagnosis",
  params: ["kind", "ranges", "minAgeDays", "maxAgeDays", "diagTypes"],
  compile: (r) => {
    const kind = strParam(r.rule, "kind", "年龄专用");
    const ranges = rangesParam(r.rule, "ranges");
    const min = optNumParam(r.rule, "minAgeDays");
    const max = optNumParam(r.rule, "maxAgeDays");
    if (min === undefined && max === undefined) bad(r.rule, "minAgeDays/maxAgeDays", "至少给出一个的天数");
    const types = new Set(strArrayParam(r.rule, "diagTypes", [WESTERN_DIAG_TYPE]));
    const limit = `${min ?? 0}–${max === undefined ? "" : `${max} 天`}`;
    return (run) => {
      const days = run.facts.ageDays;
      if (days === null) return;
      const age = run.list.info.age;
      const years = run.facts.computedAgeYears ?? (age === null ? null : Math.floor(age));
      if ((min === undefined || days >= min) && (max === undefined || days <= max)) return;
      diagnosesInRanges(run, types, ranges, (d, range) =>
        emit(run, r, `diseinfo[${d.position}].diag_code`, {
          value: showValue(d.diagCode),
          name: d.diagName ?? "",
          kind,
          range: range.text,
          age: ageText(days, years),
          limit,
        }),
      );
    };
  },
};

/**
 * 主要诊断与主要手术操作不匹配 (seed 001's 主要诊断与主要手术匹配性): the scheme in force sends the list to
 * an ambiguous group (歧义组 QY), because its principal procedure belongs to no surgical group of
 * the principal diagnosis's MDC. Judged by the grouper itself, so it holds for any scheme; reported
 * on the principal procedure.
 */
export const principalProcedureMismatchKind: QcCheckKindModule = {
  kind: "principalProcedureMismatch",
  params: ["principalType"],
  compile: (r) => {
    const principalType = strParam(r.rule, "principalType", PRINCIPAL_PROCEDURE_TYPE);
    return (run) => {
      const procedure =
        run.list.procedures.find((p) => p.oprnOprtType === principalType) ?? run.list.procedures[0];
      if (procedure === undefined) return;
      const g = run.grouping();
      if (g?.status !== "AMBIGUOUS") return;
      const principal = run.list.diagnoses[0];
      emit(run, r, `oprninfo[${procedure.position}].oprn_oprt_code`, {
        value: showValue(procedure.oprnOprtCode),
        procedureName: procedure.oprnOprtName ?? "",
        diagnosis: showValue(principal?.diagCode ?? null),
        diagnosisName: principal?.diagName ?? "",
        drg: g.drg,
        drgName: g.drgName,
      });
    };
  },
};

export const principalProcedureKind: QcCheckKindModule = {
  kind: "principalProcedure",
  params: ["principalType"],
  compile: (r) => {
    const principalType = strParam(r.rule, "principalType", PRINCIPAL_PROCEDURE_TYPE);
    return (run) => {
      const procs = run.list.procedures;
      if (procs.length === 0) return;
      const principals = procs.filter((p) => p.oprnOprtType === principalType);
      if (principals.length === 0) {
        emit(run, r, "oprninfo", { principalType, detail: "没有主要手术操作" });
      } else if (principals.length > 1) {
        const second = principals[1] as (typeof principals)[number];
        emit(run, r, `oprninfo[${second.position}].oprn_oprt_type`, {
          principalType,
          detail: `共有 ${principals.length} 条主要手术操作`,
        });
      } else {
        const p = principals[0] as (typeof principals)[number];
        if (p.position !== 0) {
          emit(run, r, `oprninfo[${p.position}].oprn_oprt_type`, {
            principalType,
            detail: `主要手术操作排在第 ${p.position + 1} 条`,
          });
        }
      }
    };
  },
};

export const diagnosisCountKind: QcCheckKindModule = {
  kind: "diagnosisCount",
  params: [],
  compile: (r) => (run) => {
    const n = run.list.info.diagCodeCnt;
    if (n !== null && n !== run.list.diagnoses.length) {
      emit(run, r, "setlinfo.diag_code_cnt", { value: n, count: run.list.diagnoses.length });
    }
  },
};

export const procedureCountKind: QcCheckKindModule = {
  kind: "procedureCount",
  params: [],
  compile: (r) => (run) => {
    const n = run.list.info.oprnOprtCodeCnt;
    if (n !== null && n !== run.list.procedures.length) {
      emit(run, r, "setlinfo.oprn_oprt_code_cnt", { value: n, count: run.list.procedures.length });
    }
  },
};
