/**
 * Schema errors in Chinese (校验错误的中文说明): one line per field, naming the field by its path and
 * the rule it breaks. The request schemas are checked by TypeBox, whose errors have the shape of ajv's
 * (keyword, instancePath, params) but their own params (`requiredProperties`, `additionalProperties` as
 * lists); ajv's own param names (`missingProperty`, `additionalProperty`, `allowedValues`) are read as
 * well, so an ajv-validated route is described the same way. The texts follow ajv-i18n's `zh` messages,
 * with type and format names in Chinese as well, so that no English reaches the user.
 */

/** One schema error as TypeBox and ajv report it. */
export interface SchemaError {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly schemaPath?: string;
  readonly params?: unknown;
  readonly message?: string;
}

/** One field-level problem: the field's path (e.g. `请求体.items.0.amount`) and what is wrong, in Chinese. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: "字符串",
  integer: "整数",
  number: "数字",
  boolean: "布尔值（true 或 false）",
  object: "对象",
  array: "数组",
  null: "空值（null）",
};

const FORMAT_ZH: Readonly<Record<string, string>> = {
  date: "日期（YYYY-MM-DD）",
  "date-time": "日期时间（ISO 8601）",
  time: "时间（HH:MM:SS）",
  email: "电子邮箱地址",
  uri: "网址",
  url: "网址",
  uuid: "通用唯一标识符",
  ipv4: "IPv4 地址",
  ipv6: "IPv6 地址",
  hostname: "主机名",
  regex: "正则表达式",
};

/** Where in the request the schema applies, in Chinese. */
export const PART_ZH: Readonly<Record<string, string>> = {
  body: "请求体",
  querystring: "查询参数",
  params: "路径参数",
  headers: "请求头",
};

function typeName(t: unknown): string {
  if (Array.isArray(t)) return t.map(typeName).join("或");
  return typeof t === "string" ? (TYPE_ZH[t] ?? t) : String(t);
}

function shown(v: unknown): string {
  return typeof v === "string" ? `“${v}”` : JSON.stringify(v);
}

/** The rule an error names, in Chinese (without the field). */
export function ruleZh(e: SchemaError): string {
  const p = (e.params ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return "缺少必填项";
    case "additionalProperties":
    case "unevaluatedProperties":
      return "不允许的参数";
    case "boolean":
      return /additionalProperties$/.test(e.schemaPath ?? "") ? "不允许的参数" : "不允许出现此项";
    case "type":
      return `类型应为${typeName(p.type)}`;
    case "format": {
      const f = String(p.format ?? "");
      return FORMAT_ZH[f] ? `格式应为${FORMAT_ZH[f]}` : "格式不正确";
    }
    case "pattern":
      return "格式不正确";
    case "maxLength":
      return `长度不能超过 ${p.limit} 个字符`;
    case "minLength":
      return Number(p.limit) === 1 ? "不能为空" : `长度不能少于 ${p.limit} 个字符`;
    case "maximum":
      return `不能大于 ${p.limit}`;
    case "exclusiveMaximum":
      return `应小于 ${p.limit}`;
    case "minimum":
      return `不能小于 ${p.limit}`;
    case "exclusiveMinimum":
      return `应大于 ${p.limit}`;
    case "multipleOf":
      return `应为 ${p.multipleOf} 的整数倍`;
    case "maxItems":
      return `最多 ${p.limit} 项`;
    case "minItems":
      return `至少 ${p.limit} 项`;
    case "uniqueItems":
      return "不能有重复项";
    case "contains":
    case "unevaluatedItems":
      return "数组中的项不符合要求";
    case "maxProperties":
      return `最多 ${p.limit} 个属性`;
    case "minProperties":
      return `至少 ${p.limit} 个属性`;
    case "const":
      return `取值应为 ${shown(p.allowedValue)}`;
    case "enum":
      return Array.isArray(p.allowedValues)
        ? `取值应为以下之一：${p.allowedValues.map(shown).join("、")}`
        : "取值不在允许范围内";
    case "anyOf":
    case "oneOf":
      return "取值不符合任何一种允许的形式";
    case "not":
      return "取值不允许";
    case "dependencies":
    case "dependentRequired":
      return `填写 ${String(p.property)} 时还须填写 ${
        Array.isArray(p.dependencies) ? p.dependencies.join("、") : String(p.missingProperty ?? "")
      }`;
    case "propertyNames":
      return "参数名不合法";
    case "if":
      return "不符合条件要求";
    default:
      return "不符合要求";
  }
}

function pathOf(instancePath: string | undefined): string[] {
  return (instancePath ?? "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/**
 * The field-level problems of a failed schema check, in Chinese, one per field and rule: a missing
 * property and a property not allowed are each named by their own path; the alternatives of a union
 * are summed up on the union's field (the allowed constants listed) rather than told one by one.
 */
export function localizeSchemaErrors(errors: readonly SchemaError[], part = "body"): FieldProblem[] {
  const where = PART_ZH[part] ?? part;
  const field = (segments: readonly string[]) => [where, ...segments].join(".");
  // The alternatives inside an anyOf/oneOf are described by the union's own error.
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const insideUnion = (e: SchemaError) =>
    unions.some(
      (u) =>
        u !== e &&
        e.schemaPath !== undefined &&
        u.schemaPath !== undefined &&
        e.schemaPath.startsWith(`${u.schemaPath}/${u.keyword}/`),
    );
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  const add = (f: string, message: string) => {
    const key = `${f}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ field: f, message });
  };
  for (const e of errors) {
    if (insideUnion(e)) continue;
    const at = pathOf(e.instancePath);
    const p = (e.params ?? {}) as Record<string, unknown>;
    if (e.keyword === "required") {
      const names = Array.isArray(p.requiredProperties)
        ? p.requiredProperties.map(String)
        : typeof p.missingProperty === "string"
          ? [p.missingProperty]
          : [];
      for (const n of names.length > 0 ? names : [""]) add(field(n ? [...at, n] : at), "缺少必填项");
      continue;
    }
    if (e.keyword === "additionalProperties") {
      const names = Array.isArray(p.additionalProperties)
        ? p.additionalProperties.map(String)
        : typeof p.additionalProperty === "string"
          ? [p.additionalProperty]
          : [];
      for (const n of names.length > 0 ? names : [""]) add(field(n ? [...at, n] : at), "不允许的参数");
      continue;
    }
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      const alternatives = errors.filter(
        (x) =>
          x !== e &&
          x.schemaPath?.startsWith(`${e.schemaPath}/${e.keyword}/`) &&
          x.instancePath === e.instancePath,
      );
      const constants = alternatives
        .filter((x) => x.keyword === "const")
        .map((x) => (x.params as { allowedValue?: unknown } | undefined)?.allowedValue);
      if (constants.length > 0 && constants.length === alternatives.length) {
        add(field(at), `取值应为以下之一：${constants.map(shown).join("、")}`);
        continue;
      }
      const types = alternatives.filter((x) => x.keyword === "type");
      if (types.length > 0 && types.length === alternatives.length) {
        add(
          field(at),
          `类型应为${types.map((x) => typeName((x.params as { type?: unknown }).type)).join("或")}`,
        );
        continue;
      }
    }
    add(field(at), ruleZh(e));
  }
  return out;
}
