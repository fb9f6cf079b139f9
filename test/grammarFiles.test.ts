// The parser's wasm modules, compiled from process start (grammarFiles.ts) and used by goParser.ts.
// node --test runs each test file in its own process, so the registry starts empty here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilingGrammars, findGrammarsDir, startCompilingGrammars } from '../server/src/parsing/grammarFiles';
import { createGoParser } from '../server/src/parsing/goParser';

test('a start with no grammars folder above it registers nothing and does not throw', () => {
  assert.doesNotThrow(() => startCompilingGrammars('/'));
  assert.equal(compilingGrammars(findGrammarsDir()), undefined);
});

test('the parser is built from the modules compiled since start-up, and parses Go', async () => {
  startCompilingGrammars();
  const dir = findGrammarsDir();
  const compiling = compilingGrammars(dir);
  assert.ok(compiling, 'the compile was registered for the grammars folder');
  assert.equal(compilingGrammars(`${dir}-elsewhere`), undefined, 'another folder is not served these modules');
  const parser = await createGoParser();
  const tree = parser.parse('package p\n\nfunc f() error { return nil }\n');
  assert.ok(tree);
  assert.equal(tree.rootNode.hasError, false);
  assert.deepEqual(
    tree.rootNode.namedChildren.map((n) => n?.type),
    ['package_clause', 'function_declaration'],
  );
  tree.delete();
});
