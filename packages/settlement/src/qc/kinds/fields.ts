/** Field checks: lengths, formats, required and conditionally required fields, code tables. */

import { type FieldSpec, SECTIONS, SETLINFO_FIELDS } from "../../fields.js";
import { showValue } from "../../template.js";
import type { QcCheckKindModule } from "../kind.js";
import {
  allFields,
  bad,
  eachValue,
  fieldRef,
  infoValue,
  param,
  pathOf,
  rowsOf,
  setlinfoRef,
  skipped,
  strArrayParam,
  strParam,
} from "../params.js";
import { emit, QcConfigError } from "../run.js";

function requiredCheck(level: "always" | "4101"): QcCheckKindModule["compile"] {
  return (r) => {
    const setl = SETLINFO_FIELDS.filter((f) => (f as FieldSpec).req === level).map((f) => ({
      key: f.key,
      label: f.label,
      path: `setlinfo.${f.wire}`,
    }));
    const sections = SECTIONS.filter((s) => (s as { req?: string }).req === level);
    const rowFields = SECTIONS.map((s) => ({
      wire: s.wire,
      key: s.key,
      fields: (s.fields as readonly FieldSpec[]).filter((f) => f.req === level),
    })).filter((s) => s.fields.length > 0);
    return (run) => {
      if (level === "4101" && run.list.infno !== "4101") return;
      const info = run.list.info as unknown as Record<string, unknown>;
      for (const f of setl) {
        if (info[f.key] === null && !skipped(run, f.path)) emit(run, r, f.path, { label: f.label });
      }
      for (const s of sections) {
        if (rowsOf(run.list, s.key).length === 0 && !skipped(run, s.wire))
          emit(run, r, s.wire, { label: s.label });
      }
      for (const s of rowFields) {
        for (const row of rowsOf(run.list, s.key)) {
          for (const f of s.fields) {
            if (row[f.key] !== null) continue;
            const path = `${s.wire}[${row.position}].${f.wire}`;
            if (!skipped(run, path)) emit(run, r, path, { label: f.label });
          }
        }
      }
    };
  };
}

export const lengthKind: QcCheckKindModule = {
  kind: "length",
  params: [],
  compile: (r) => {
    const sel = allFields((f) => f.kind === "C" && f.len !== undefined);
    return (run) =>
      eachValue(sel, run, (spec, v, section, position) => {
        const s = v as string;
        if (s.length > (spec.len as number)) {
          emit(run, r, pathOf(spec, section, position), {
            label: spec.label,
            length: s.length,
            max: spec.len as number,
            value: showValue(s),
          });
        }
      });
  },
};

export const patternKind: QcCheckKindModule = {
  kind: "pattern",
  params: ["checks"],
  compile: (r) => {
    const raw = param(r.rule, "checks");
    if (!Array.isArray(raw)) bad(r.rule, "checks", "数组 [{fields, regex, format}]");
    const checks = raw.map((c: unknown) => {
      const o = c as Record<string, unknown>;
      if (
        typeof o !== "object" ||
        o === null ||
        typeof o.regex !== "string" ||
        typeof o.format !== "string"
      ) {
        bad(r.rule, "checks", "数组 [{fields, regex, format}]");
      }
      if (!Array.isArray(o.fields)) bad(r.rule, "checks.fields", "字段路径数组");
      let regex: RegExp;
      try {
        regex = new RegExp(o.regex);
      } catch {
        bad(r.rule, "checks.regex", "合法的正则表达式");
      }
      return { regex, format: o.format, refs: o.fields.map((p: unknown) => fieldRef(r.rule, String(p))) };
    });
    return (run) => {
      for (const c of checks) {
        for (const ref of c.refs) {
          if (ref.section === "setlinfo") {
            const v = infoValue(run.list, ref);
            if (typeof v === "string" && !c.regex.test(v)) {
              emit(run, r, ref.path, { label: ref.spec.label, format: c.format, value: showValue(v) });
            }
          } else {
            for (const row of rowsOf(run.list, ref.sectionKey)) {
              const v = row[ref.spec.key];
              if (typeof v === "string" && !c.regex.test(v)) {
                emit(run, r, `${ref.section}[${row.position}].${ref.spec.wire}`, {
                  label: ref.spec.label,
                  format: c.format,
                  value: showValue(v),
                });
              }
            }
          }
        }
      }
    };
  },
};

export const requiredKind: QcCheckKindModule = {
  kind: "required",
  params: [],
  compile: requiredCheck("always"),
};

export const required4101Kind: QcCheckKindModule = {
  kind: "required4101",
  params: [],
  compile: requiredCheck("4101"),
};

export const ageRequiredKind: QcCheckKindModule = {
  kind: "ageRequired",
  params: [],
  compile: (r) => (run) => {
    const years = run.facts.computedAgeYears;
    if (years === null) return;
    const info = run.list.info;
    if (years >= 1 && info.age === null && !skipped(run, "setlinfo.age")) {
      emit(run, r, "setlinfo.age", { label: "年龄(岁)", condition: `已满 1 周岁（${years} 岁）` });
    } else if (years < 1 && info.nwbAge === null && !skipped(run, "setlinfo.nwb_age")) {
      emit(run, r, "setlinfo.nwb_age", {
        label: "年龄不足1周岁的年龄(天)",
        condition: `不足 1 周岁（${run.facts.computedAgeDays} 天）`,
      });
    }
  },
};

export const conditionalRequiredKind: QcCheckKindModule = {
  kind: "conditionalRequired",
  params: ["when", "in", "require"],
  compile: (r, env) => {
    const when = setlinfoRef(r.rule, strParam(r.rule, "when"));
    const values = new Set(strArrayParam(r.rule, "in"));
    const require = strArrayParam(r.rule, "require").map((p) => setlinfoRef(r.rule, p));
    const names = when.spec.dict !== undefined ? env.tables.get(when.spec.dict) : undefined;
    return (run) => {
      const v = infoValue(run.list, when);
      if (typeof v !== "string" || !values.has(v)) return;
      for (const ref of require) {
        if (infoValue(run.list, ref) === null && !skipped(run, ref.path)) {
          emit(run, r, ref.path, {
            label: ref.spec.label,
            whenLabel: when.spec.label,
            whenValue: v,
            whenName: names?.get(v) ?? v,
          });
        }
      }
    };
  },
};

export const codeTableKind: QcCheckKindModule = {
  kind: "codeTable",
  params: [],
  compile: (r, env) => {
    const sel = allFields((f) => f.dict !== undefined);
    const tables = new Map<string, ReadonlyMap<string, string>>();
    for (const f of [...sel.setl.map((x) => x.spec), ...sel.rows.flatMap((s) => s.fields)]) {
      const t = env.tables.get(f.dict as string);
      if (t === undefined) throw new QcConfigError(`代码表版本 ${env.set.version} 缺少代码表 ${f.dict}`);
      tables.set(f.dict as string, t);
    }
    return (run) =>
      eachValue(sel, run, (spec, v, section, position) => {
        const table = tables.get(spec.dict as string) as ReadonlyMap<string, string>;
        const s = v as string;
        const ok =
          spec.joinedBy === undefined ? table.has(s) : s.split(spec.joinedBy).every((x) => table.has(x));
        if (!ok) {
          emit(run, r, pathOf(spec, section, position), {
            label: spec.label,
            value: showValue(s),
            table: spec.dict as string,
            tableName: env.set.tables[spec.dict as string]?.name ?? (spec.dict as string),
          });
        }
      });
  },
};
