/**
 * The `yibao` command line. Every command that needs a scheme resolves it the same way:
 * `--scheme DIR`, else the `YIBAO_SCHEME_DIR` environment variable, else the bundled demo scheme.
 */

import { describeError } from "./errors.js";
import { localizeCommands } from "./localize.js";
import { addAreaCommands, program } from "./program.js";

try {
  const cmd = program();
  // `yibao group` and `yibao --version` start without loading the store, server and payment/audit modules.
  const first = process.argv[2];
  if (first !== "group" && first !== "--version" && first !== "-V") await addAreaCommands(cmd);
  await localizeCommands(cmd).parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`错误：${describeError(e)}\n`);
  process.exitCode = 1;
}
