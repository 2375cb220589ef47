// Writes docs/errors.md from the error catalogue (build first: `npx tsc -b`).
// `packages/server/test/error-catalogue.test.ts` fails while the file differs from the catalogue.
import { writeFileSync } from "node:fs";
import { errorCatalogueMarkdown } from "../dist/error-catalogue.js";

const target = new URL("../../../docs/errors.md", import.meta.url);
writeFileSync(target, errorCatalogueMarkdown());
process.stdout.write(`已写入 ${target.pathname}\n`);
