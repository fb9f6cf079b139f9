// Where the tree-sitter wasm files are, and their compilation started as early as possible.
//
// Compiling the two wasm modules (web-tree-sitter's runtime and the Go grammar) runs on V8's
// background threads once started. The server's loader (server.ts) starts it before it compiles
// and runs the server's own bundle, which keeps the main thread busy for ~60 ms: by the time the
// server initializes the parser, the modules are compiled. The loader and the server are separate
// bundles, each with its own copy of this module, so the modules are handed over through a
// process-wide registry (Symbol.for) rather than a module variable.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const GRAMMAR_FILE = 'tree-sitter-go.wasm';
export const RUNTIME_FILE = 'web-tree-sitter.wasm';

/**
 * Finds the grammars/ folder that holds the wasm files. The bundles live at different depths
 * (server/out, test/out, and the same files inside an installed .vsix or npm package), so walk
 * up from this bundle's folder. GO_RUBRIC_GRAMMARS overrides it for unusual installs.
 */
export function findGrammarsDir(start: string = __dirname): string {
  const override = process.env.GO_RUBRIC_GRAMMARS;
  if (override) return override;
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'grammars');
    if (existsSync(join(candidate, GRAMMAR_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`go-rubric: cannot find grammars/${GRAMMAR_FILE} above ${start}; run "npm run build"`);
    dir = parent;
  }
}

/** The two modules, compiling, for the grammars folder they were read from. */
export interface CompilingGrammars {
  dir: string;
  runtime: Promise<WebAssembly.Module>;
  grammar: Promise<WebAssembly.Module>;
}

const REGISTRY = Symbol.for('go-rubric.compiling-grammars');
type Registry = { [REGISTRY]?: CompilingGrammars };

/**
 * Starts compiling both wasm modules in the background (once per process). Never throws: a
 * problem here (no grammars folder, unreadable file) is left for the parser's own load to report,
 * with its usual message, and a compile error surfaces when the modules are used.
 */
export function startCompilingGrammars(start?: string): void {
  const registry = globalThis as Registry;
  if (registry[REGISTRY]) return;
  try {
    const dir = findGrammarsDir(start);
    const compile = (file: string) => {
      const compiling = WebAssembly.compile(readFileSync(join(dir, file)));
      // Whoever uses the promise sees its failure; until then it must not be "unhandled".
      compiling.catch(() => undefined);
      return compiling;
    };
    registry[REGISTRY] = { dir, runtime: compile(RUNTIME_FILE), grammar: compile(GRAMMAR_FILE) };
  } catch {
    // See above: the parser's load reports it.
  }
}

/** The modules startCompilingGrammars started for `dir`, if it did. */
export function compilingGrammars(dir: string): CompilingGrammars | undefined {
  const started = (globalThis as Registry)[REGISTRY];
  return started?.dir === dir ? started : undefined;
}
