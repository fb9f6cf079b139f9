// Loads web-tree-sitter and the pinned tree-sitter-go grammar once per process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { compilingGrammars, findGrammarsDir, GRAMMAR_FILE, RUNTIME_FILE } from './grammarFiles';

let language: Promise<Language> | undefined;

/** The Go language, loaded once; concurrent callers share the same promise. */
export function loadGoLanguage(): Promise<Language> {
  if (!language) {
    language = (async () => {
      const grammars = findGrammarsDir();
      const compiling = compilingGrammars(grammars);
      if (compiling) {
        // Compiled in the background since the process started (see grammarFiles.ts).
        const runtime = await compiling.runtime;
        await Parser.init({
          instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
            void WebAssembly.instantiate(runtime, imports).then((instance) => receive(instance, runtime));
            return {};
          },
        });
        return Language.loadSync(await compiling.grammar);
      }
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
