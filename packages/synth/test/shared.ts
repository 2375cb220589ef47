import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { DrgScheme } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";

/** The repository root and the reference data beside it (`../shared` or `YIBAO_SHARED_DIR`). */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
export const SHARED_DIR = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(REPO_ROOT, "../shared"));
export const NATIONAL_DIR = resolve(SHARED_DIR, "schemes", "chs-drg-1.1");
export const SUZHOU_DIR = resolve(SHARED_DIR, "schemes", "suzhou-2023");
export const hasShared = existsSync(resolve(NATIONAL_DIR, "scheme.json"));

let demo: Promise<DrgScheme> | null = null;
let national: Promise<DrgScheme> | null = null;

export function demoScheme(): Promise<DrgScheme> {
  demo ??= loadSchemeDir(DEMO_SCHEME_DIR);
  return demo;
}

export function nationalScheme(): Promise<DrgScheme> {
  national ??= loadSchemeDir(NATIONAL_DIR);
  return national;
}
