/** Chinese for the errors a command ends with, system errors (a missing file, …) naming their path. */

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "文件或目录不存在",
  EACCES: "没有权限访问",
  EPERM: "没有权限访问",
  EISDIR: "应为文件，却是目录",
  ENOTDIR: "路径中有一段不是目录",
  EEXIST: "文件已存在",
  ENOSPC: "磁盘空间不足，无法写入",
  EMFILE: "打开的文件过多",
};

/** The message to show for an error a command threw. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const { code, path } = e as NodeJS.ErrnoException;
  const known = code === undefined ? undefined : SYSTEM_ERRORS[code];
  if (known !== undefined) return path === undefined ? `${known}（${code}）` : `${known}：${path}`;
  return e.message;
}
