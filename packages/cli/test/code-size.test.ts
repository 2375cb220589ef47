/**
 * Change magnets stay small (issue 11): no source file in `packages/*\/src` over 600 lines, and no
 * function over 120 lines unless a `// size: <reason>` comment stands on one of the three lines
 * above it. Measured with the TypeScript parser, so a function is what the compiler calls one
 * (declarations, methods, function expressions and arrow functions, nested ones counted alone).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const MAX_FILE_LINES = 600;
const MAX_FUNCTION_LINES = 120;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const FILES = readdirSync(join(ROOT, "packages")).flatMap((pkg) => {
  const src = join(ROOT, "packages", pkg, "src");
  try {
    return statSync(src).isDirectory() ? sourceFiles(src) : [];
  } catch {
    return [];
  }
});

/** The lines a function spans, from its first token to its closing brace. */
export interface LongFunction {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
  readonly reason: string | null;
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) {
    return node.name.getText();
  }
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `${parent.expression.getText().slice(0, 40)}(…)`;
  return "(anonymous)";
}

/** Every function of `text` longer than the limit, with the `// size:` reason above it if any. */
export function longFunctions(path: string, text: string, limit = MAX_FUNCTION_LINES): LongFunction[] {
  const kind = path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const lines = text.split("\n");
  const out: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.end).line;
      const span = end - start + 1;
      if (span > limit) {
        // The statement that holds the function starts where its comment would be.
        let anchor: ts.Node = node;
        while (anchor.parent && !ts.isSourceFile(anchor.parent) && !ts.isBlock(anchor.parent)) {
          anchor = anchor.parent;
        }
        const top = file.getLineAndCharacterOfPosition(anchor.getStart(file)).line;
        const above = lines.slice(Math.max(0, Math.min(top, start) - 3), start + 1).join("\n");
        const reason = /\/\/ size: (\S.*)/.exec(above)?.[1] ?? null;
        out.push({
          where: `${relative(ROOT, path)}:${start + 1}`,
          name: functionName(node),
          lines: span,
          reason,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

describe("change magnets stay small", () => {
  it(`no file in packages/*/src is over ${MAX_FILE_LINES} lines`, () => {
    const long = FILES.map((f) => ({ f: relative(ROOT, f), n: readFileSync(f, "utf8").split("\n").length }))
      .filter((x) => x.n > MAX_FILE_LINES)
      .map((x) => `${x.f}: ${x.n}`);
    expect(long).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines without a \`// size:\` reason`, () => {
    const unexplained = FILES.flatMap((f) => longFunctions(f, readFileSync(f, "utf8")))
      .filter((x) => x.reason === null)
      .map((x) => `${x.where} ${x.name}: ${x.lines} lines`);
    expect(unexplained).toEqual([]);
  });

  it("the measure itself: 121 lines is long, 120 is not, a reason on the line above counts", () => {
    const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const fn = (n: number, comment = "") => `${comment}export function f() {\n${body(n)}\n}\n`;
    expect(longFunctions("a.ts", fn(120))).toEqual([]);
    expect(longFunctions("a.ts", fn(121)).map((x) => x.lines)).toEqual([121]);
    expect(longFunctions("a.ts", fn(121, "// size: one table\n"))[0]?.reason).toBe("one table");
    const arrow = `export const g = async () => {\n${body(130)}\n};\n`;
    expect(longFunctions("a.ts", arrow).map((x) => x.name)).toEqual(["g"]);
  });
});
