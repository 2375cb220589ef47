/** Message templates (提示信息模板): `{name}` placeholders, compiled once per rule. */

export type TemplateVars = Readonly<Record<string, string | number>>;

/** A compiled template: literal parts at even indexes, variable names at odd indexes. */
export type CompiledTemplate = readonly string[];

export function compileTemplate(template: string): CompiledTemplate {
  const parts: string[] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf("{");
    const close = open < 0 ? -1 : rest.indexOf("}", open);
    if (open < 0 || close < 0) {
      parts.push(rest);
      return parts;
    }
    parts.push(rest.slice(0, open), rest.slice(open + 1, close));
    rest = rest.slice(close + 1);
  }
}

/** Fills a compiled template; an unknown placeholder is left as `{name}`. */
export function renderTemplate(t: CompiledTemplate, vars: TemplateVars): string {
  let s = t[0] as string;
  for (let i = 1; i < t.length; i += 2) {
    const name = t[i] as string;
    const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
    s += (v === undefined ? `{${name}}` : String(v)) + (t[i + 1] as string);
  }
  return s;
}

const MAX_SHOWN = 60;

/** A value as shown in a message: text as is (long text shortened), anything else as JSON. */
export function showValue(v: unknown): string {
  let s: string;
  if (typeof v === "string") s = v;
  else if (v === undefined) s = "（缺失）";
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

/** The Chinese name of a JSON value's type. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "数组";
  switch (typeof v) {
    case "string":
      return "字符串";
    case "number":
      return "数值";
    case "boolean":
      return "布尔值";
    case "object":
      return "对象";
    default:
      return typeof v;
  }
}
