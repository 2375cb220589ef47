/**
 * `yibao region init DIR`: a new city's region pack to start from — the built-in editions written out
 * as the pack's files (QC rules and targets, the audit rule and knowledge bases, the demo's benefit
 * policy as an example to edit), an empty `hospitals.tsv` with its header, and a README in Chinese
 * that says what to edit next. Every edition is renamed to the city's id and dated from the day given,
 * so the pack's editions decide from that day and the built-in ones before it.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { STARTER_KNOWLEDGE_BASE, STARTER_RULE_BASE } from "@yibao/audit";
import { DEMO_BENEFIT_POLICY } from "@yibao/payment-service";
import { POOLING_REGION_PATTERN, REGION_ID_PATTERN, REGION_INFO_FILE } from "@yibao/server";
import { DEFAULT_QC_RULES, DEFAULT_QC_TARGETS_DATA } from "@yibao/settlement";
import { QC_RULES_FILE, QC_TARGETS_FILE } from "./region.js";
import { HOSPITAL_COLUMNS, HOSPITALS_FILE, PAYMENT_REGION_FILES } from "./region-payment.js";

export interface RegionInitOptions {
  /** The city's id, used in every edition's id (e.g. `suzhou`). */
  readonly id: string;
  /** The city's name (统筹区名称). */
  readonly name: string;
  /** The first day the pack's editions are in force (`yyyy-MM-dd`). */
  readonly from: string;
  /** 统筹区编码 (6 digits), written into `region.json` when given. */
  readonly poolingRegion?: string | undefined;
}

/** Writes a new region pack into `dir`, which must be absent or empty; returns the files written. */
export function initRegionPack(dir: string, o: RegionInitOptions): string[] {
  const root = resolve(dir);
  if (!REGION_ID_PATTERN.test(o.id)) throw new Error(`--id：须为小写字母、数字或连字符（收到「${o.id}」）`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.from)) throw new Error(`--from：须为 yyyy-MM-dd（收到「${o.from}」）`);
  if (o.poolingRegion !== undefined && !POOLING_REGION_PATTERN.test(o.poolingRegion))
    throw new Error(`--pooling-region：须为 6 位统筹区编码（收到「${o.poolingRegion}」）`);
  if (existsSync(root) && readdirSync(root).length > 0)
    throw new Error(`目录 ${root} 不为空：请给出一个新目录`);
  mkdirSync(root, { recursive: true });
  const version = o.from.slice(0, 4);
  const files: Record<string, unknown> = {
    [REGION_INFO_FILE]: {
      id: o.id,
      name: o.name,
      ...(o.poolingRegion !== undefined ? { poolingRegion: o.poolingRegion } : {}),
    },
    [QC_RULES_FILE]: { ...DEFAULT_QC_RULES, id: `${o.id}-qc`, version, effectiveDate: o.from },
    [QC_TARGETS_FILE]: {
      ...DEFAULT_QC_TARGETS_DATA,
      id: `${o.id}-qc-targets`,
      version,
      effectiveDate: o.from,
    },
    "audit-rules.json": {
      ...STARTER_RULE_BASE,
      id: `${o.id}-rules`,
      region: o.name,
      version,
      effectiveFrom: o.from,
      effectiveTo: null,
    },
    "knowledge.json": {
      ...STARTER_KNOWLEDGE_BASE,
      id: `${o.id}-knowledge`,
      version,
      effectiveFrom: o.from,
      effectiveTo: null,
    },
    [PAYMENT_REGION_FILES.benefit]: {
      ...DEMO_BENEFIT_POLICY,
      id: `${o.id}-benefit`,
      version,
      name: `${o.name}待遇政策（由演示政策复制，请按本地政策修改）`,
      region: o.name,
      effectiveFrom: o.from,
      effectiveTo: null,
    },
  };
  const written: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(join(root, name), `${JSON.stringify(data, null, 2)}\n`);
    written.push(name);
  }
  writeFileSync(join(root, HOSPITALS_FILE), `${HOSPITAL_COLUMNS.join("\t")}\n`);
  written.push(HOSPITALS_FILE);
  writeFileSync(
    join(root, "README.md"),
    [
      `# ${o.name}地区配置包`,
      "",
      `由 \`yibao region init\` 生成：各文件为平台内置版本的副本，已改为本地区编号，自 ${o.from} 起生效。`,
      "",
      `1. 在 \`${HOSPITALS_FILE}\` 中逐行填写定点医疗机构：编码、名称、等级（一级/二级/三级）、起付线类别（须为 \`${PAYMENT_REGION_FILES.benefit}\` 中的类别）。`,
      `2. 按本地政策修改 \`${PAYMENT_REGION_FILES.benefit}\`（起付线、支付比例、年度限额等）。`,
      `3. 按需修改 \`${QC_RULES_FILE}\`、\`${QC_TARGETS_FILE}\`（质控规则与目标）和 \`audit-rules.json\`、\`knowledge.json\`（审核规则库与知识库）。`,
      `4. 病组权重与费率可由历史清单测算（\`yibao payment calibrate\`），或写入 \`${PAYMENT_REGION_FILES.weights}\` 与 \`${PAYMENT_REGION_FILES.policy}\`。`,
      "5. 运行 `yibao region check <本目录>` 校验，通过后以 `yibao serve --region <本目录>` 启动。",
      "",
      "已发布的版本不可修改：政策变化时新增一个版本（新的 version 与生效日期），旧版本继续适用于其生效期内的病例。",
      "",
    ].join("\n"),
  );
  written.push("README.md");
  return written;
}
