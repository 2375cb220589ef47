/**
 * Reading a scheme directory from disk (the only I/O of the grouper package) and resolving which
 * directory to use: `--scheme DIR`, else `YIBAO_SCHEME_DIR`, else the bundled demo scheme.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildScheme, type DrgScheme, SCHEME_FILE_NAMES, type SchemeFiles } from "./scheme.js";
import { SchemeError } from "./scheme-source.js";

/** The bundled demonstration scheme (演示方案), shipped with the package. */
export const DEMO_SCHEME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "demo-scheme");

/** The scheme directory to use: the explicit option, else `YIBAO_SCHEME_DIR`, else the demo scheme. */
export function resolveSchemeDir(option?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  const fromEnv = env.YIBAO_SCHEME_DIR;
  if (fromEnv) return resolve(fromEnv);
  return DEMO_SCHEME_DIR;
}

/** Reads the texts of a scheme directory; a missing file is a {@link SchemeError}. */
export async function readSchemeFiles(dir: string): Promise<SchemeFiles> {
  const entries = await Promise.all(
    Object.entries(SCHEME_FILE_NAMES).map(async ([key, file]) => {
      try {
        return [key, await readFile(join(dir, file), "utf8")] as const;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new SchemeError(dir, [
          {
            file,
            path: join(dir, file),
            message: code === "ENOENT" ? "文件不存在" : `无法读取：${String(e)}`,
          },
        ]);
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as SchemeFiles;
}

/** Loads, validates and compiles the scheme in `dir`. Its id is the directory's name. */
export async function loadSchemeDir(dir: string): Promise<DrgScheme> {
  const abs = resolve(dir);
  return buildScheme(await readSchemeFiles(abs), basename(abs));
}
