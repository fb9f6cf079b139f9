// Loads web-tree-sitter and the pinned tree-sitter-go grammar once per process.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const GRAMMAR_FILE = 'tree-sitter-go.wasm';
const RUNTIME_FILE = 'web-tree-sitter.wasm';

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

let language: Promise<Language> | undefined;

/** The Go language, loaded once; concurrent callers share the same promise. */
export function loadGoLanguage(): Promise<Language> {
  if (!language) {
    language = (async () => {
      const grammars = findGrammarsDir();
      await Parser.init({ locateFile: (name: string) => join(grammars, name === RUNTIME_FILE ? RUNTIME_FILE : name) });
      // Bytes rather than a path: with a path web-tree-sitter reads the file through import(),
      // which the server's code-cached bundle cannot serve (see server.ts), and asynchronously.
      return Language.load(readFileSync(join(grammars, GRAMMAR_FILE)));
    })();
    // A failed load must not poison later attempts (the server may retry on restart).
    language.catch(() => (language = undefined));
  }
  return language;
}

/** A new parser for Go. Parsers are cheap; each document store and CLI worker owns one. */
export async function createGoParser(): Promise<Parser> {
  const go = await loadGoLanguage();
  const parser = new Parser();
  parser.setLanguage(go);
  return parser;
}
