import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The reference data beside the repository (`../shared`), or `YIBAO_SHARED_DIR`. */
export const SHARED_DIR = resolve(
  process.env.YIBAO_SHARED_DIR ?? resolve(import.meta.dirname, "../../../../shared"),
);
export const SCHEMES_DIR = resolve(SHARED_DIR, "schemes");
export const hasShared = existsSync(resolve(SCHEMES_DIR, "chs-drg-1.1", "scheme.json"));
