/**
 * The process-level safety net (进程兜底), a last resort only: every promise of the server is handled
 * where it is made, but should one escape, it is logged and the server keeps serving, rather than
 * ending the process (Node's default) because of one client's input.
 */

/** Where the net reports; a Pino logger fits. */
export interface SafetyNetLog {
  error(obj: object, msg: string): void;
}

let installed: SafetyNetLog | null = null;

/**
 * Logs unhandled promise rejections instead of exiting. Idempotent: the first logger given is used.
 * Uncaught exceptions keep Node's default (the process state may be broken then).
 */
export function installProcessSafetyNet(log: SafetyNetLog): void {
  if (installed) return;
  installed = log;
  process.on("unhandledRejection", (reason) => {
    installed?.error({ err: reason }, "未处理的异步错误（已记录，服务继续运行）");
  });
}
