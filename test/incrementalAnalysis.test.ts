// Declaration-level incremental analysis must give exactly what a from-scratch analysis gives.
// Random LSP-style edits are applied to real Go files through GoDocument; after each one the
// document is analyzed with its DeclarationCache (reusing unchanged declarations) and, separately,
// with no cache, and the two results must be identical: codes, ranges, messages, severities,
// fixes and related places. Replay with GO_RUBRIC_SEED=<seed>.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { GoDocument } from '../server/src/documents/goDocument';
import { DeclarationCache, isCleanTopLevel } from '../server/src/engine/engine';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../server/src/engine/config';
import { allRules } from '../server/src/rules';
import type { ExternalPackage, PackageSource } from '../server/src/engine/packageView';
import { config, engine } from './helpers/engine';
import { createGoParser } from '../server/src/parsing/goParser';
import { goCorpusSkipReason, readGoCorpusFile } from './helpers/goFiles';
import { naiveRange, toEditBoundary } from './helpers/naiveText';
import { createRng, seedFromEnv, type Rng } from './helpers/random';

/** Replaces [start, end) of the document's text (offsets) by `text`, as the next version (or `version`). */
function editDocument(doc: GoDocument, start: number, end: number, text: string, version = doc.version + 1): void {
  doc.applyChanges([{ range: naiveRange(doc.text, start, end), text }], version);
}

const SEED = seedFromEnv();
const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');

/** Snippets that create, break and fix findings of the current rules when typed into a file. */
const SNIPPETS = [
  '\nfunc added(err error) error {\n\treturn fmt.Errorf("added: %v", err)\n}\n',
  '\nfunc locked() {\n\tmu.Lock()\n\tif x {\n\t\treturn\n\t}\n\tmu.Unlock()\n}\n',
  '\tmu.Unlock()\n',
  '\tdefer mu.Unlock()\n',
  '\nimport "fmt"\n',
  '\nimport stdfmt "fmt"\n',
  '//rubric:ignore GR101 reason\n',
  '{',
  '}',
  '"',
  '\n',
  'x',
  '\treturn err\n',
  '%v',
  '%w',
  // Interfaces and structs that embed the fixtures' types (GR110, GR113), and a method or an
  // embedded field typed into one of them: another declaration's findings change.
  '\ntype Added interface {\n\tmedium\n\tX()\n\tY()\n}\n',
  '\ntype Added struct {\n\tDocument\n}\n',
  '\tZ()\n',
  '\tbase\n',
];

function randomEdit(rng: Rng, text: string): { start: number; end: number; insert: string } {
  const at = toEditBoundary(text, rng.int(text.length + 1));
  if (rng.chance(0.35)) {
    const end = toEditBoundary(text, Math.min(text.length, at + rng.int(40)));
    return { start: at, end, insert: '' };
  }
  const insert = rng.chance(0.7) ? rng.pick(SNIPPETS) : text.slice(rng.int(text.length), rng.int(text.length));
  return { start: at, end: at, insert };
}

function sources(): { name: string; text: string }[] {
  const out = ['GR101/flagged.go', 'GR102/flagged.go', 'GR201/flagged.go', 'GR110/flagged.go', 'GR113/flagged.go'].map((name) => ({
    name,
    text: readFileSync(join(FIXTURES, name), 'utf8'),
  }));
  out.push({ name: 'GR201/flagged.go (CRLF)', text: out[2]!.text.replace(/\n/g, '\r\n') });
  if (!goCorpusSkipReason()) {
    for (const name of ['sync/rwmutex.go', 'net/http/transport.go', 'os/exec/exec.go', 'database/sql/sql.go']) {
      const text = readGoCorpusFile(name);
      if (text) out.push({ name, text });
    }
  }
  return out;
}

/**
 * A document analyzed with a cache after each edit (given the edits since the last analysis), in a
 * package whose other files declare `otherFiles` (summary keys); every analysis is checked against
 * a fresh one. Call otherFilesChanged() after changing the map.
 */
function cachedAnalysis(doc: GoDocument, path: string, otherFiles: ReadonlyMap<string, string>) {
  const cache = new DeclarationCache();
  let version = 0;
  const packages: PackageSource = { forFile: (): ExternalPackage => ({ key: String(version), get: (key) => otherFiles.get(key) }) };
  let mark = doc.changeCount;
  const analyze = () => {
    const input = { text: doc.text, tree: doc.tree!, lineIndex: doc.lineIndex, path, packages };
    const changes = doc.changesSince(mark);
    const result = engine.analyze(changes ? { ...input, changes } : input, config, cache);
    mark = doc.changeCount;
    assert.deepEqual(result.findings, engine.analyze(input, config).findings, 'cached analysis differs from a fresh one');
    return result.findings;
  };
  return { cache, analyze, otherFilesChanged: () => void version++ };
}

describe(`declaration-level incremental analysis equals a from-scratch analysis (seed ${SEED})`, () => {
  let parser: Parser;
  before(async () => {
    parser = await createGoParser();
  });
  after(() => parser?.delete());

  for (const { name, text } of sources()) {
    it(name, () => {
      const rng = createRng(SEED ^ name.length);
      const doc = new GoDocument(`file:///${name}`, 1, text, parser);
      const cache = new DeclarationCache();
      let reusedTotal = 0;
      let checkedTotal = 0;
      let lastNodes = doc.tree?.rootNode.childCount ?? 0;
      let mark = doc.changeCount;
      const analyzeBoth = (what: string) => {
        doc.settle();
        const tree = doc.tree;
        if (!tree) return;
        const input = { text: doc.text, tree, lineIndex: doc.lineIndex, path: `/work/${name}` };
        // The edits since the last analysis let the engine match declarations by position.
        const changes = doc.changesSince(mark);
        const incremental = engine.analyze(changes ? { ...input, changes } : input, config, cache);
        mark = doc.changeCount;
        // Declarations with syntax errors, and statements at top level (not Go, though tree-sitter
        // parses them), are never reused, so reuse is measured on the clean declarations.
        const broken = tree.rootNode.children.filter((c) => c && !isCleanTopLevel(c)).length;
        // A paste that leaves the file in pieces (seed 1626826016: one step turned 8 top-level nodes
        // into 766, hundreds of them fragments that look clean) must check all of them, which says
        // nothing about reuse while typing: such steps are left out of the count (not of the
        // comparison above, which every step passes).
        const nodes = tree.rootNode.childCount;
        const exploded = nodes > 2 * lastNodes + 10;
        lastNodes = nodes;
        if (!exploded) {
          reusedTotal += cache.lastStats.reused;
          checkedTotal += cache.lastStats.checked - broken;
        }
        const fresh = engine.analyze(input, config);
        assert.deepEqual(incremental.findings, fresh.findings, `${name}, ${what} (seed ${SEED}): cached analysis differs`);
      };
      try {
        // The first analysis checks everything; reuse is counted from the first edit on.
        engine.analyze({ text: doc.text, tree: doc.tree!, lineIndex: doc.lineIndex, path: `/work/${name}` }, config, cache);
        const steps = name.startsWith('GR') ? 60 : 25;
        for (let step = 0; step < steps; step++) {
          const edit = randomEdit(rng, doc.text);
          const removed = doc.text.slice(edit.start, edit.end);
          const replace = (start: number, end: number, insert: string) => editDocument(doc, start, end, insert);
          replace(edit.start, edit.end, edit.insert);
          const what = `step ${step}, ${JSON.stringify(edit.insert)} at ${edit.start}`;
          analyzeBoth(what);
          // Half the edits are taken back, as typing does: the file often returns to a state
          // whose declarations were seen before.
          if (rng.chance(0.5)) {
            replace(edit.start, edit.start + edit.insert.length, removed);
            analyzeBoth(`${what}, undone`);
          }
        }
        assert.ok(reusedTotal >= checkedTotal, `the cache should reuse most clean declarations (reused ${reusedTotal}, checked ${checkedTotal})`);
      } finally {
        doc.dispose();
      }
    });
  }

  it('re-checks an interface when an interface it embeds changes, in the file or in the package', () => {
    const text = 'package p\n\ntype small interface {\n\tA()\n\tB()\n\tC()\n}\n\nfunc f() {}\n\ntype Big interface {\n\tsmall\n\tBase\n\tD()\n\tE()\n}\n';
    const doc = new GoDocument('file:///embed.go', 1, text, parser);
    // The package's other files: Base, declared elsewhere, with methods that change.
    const other = new Map<string, string>();
    const { cache, analyze, otherFilesChanged } = cachedAnalysis(doc, '/w/embed.go', other);
    const run = () => analyze().filter((f) => f.code === 'GR110').map((f) => f.message);
    const insert = (at: number, s: string) => editDocument(doc, at, at, s);
    const remove = (at: number, n: number) => editDocument(doc, at, at + n, '');
    try {
      assert.deepEqual(run(), []);
      // A keystroke in a function body: the package summary is the same, nothing else is checked.
      insert(doc.text.indexOf('{}') + 1, '\n');
      assert.deepEqual(run(), []);
      assert.equal(cache.lastStats.checked, 1);
      // A method added to small, in the same file: Big has six methods now and is checked again.
      insert(doc.text.indexOf('\tC()') + 5, '\tS()\n');
      assert.match(run()[0] ?? '', /interface Big has 6 methods/);
      assert.equal(cache.lastStats.checked, 2, 'small and Big, not f');
      remove(doc.text.indexOf('\tS()'), 5);
      assert.deepEqual(run(), []);
      // Base is declared in another file of the package: when it gains a method, the index
      // changes (no edit in this file) and Big alone is checked again.
      other.set('t:Base', 'iM|');
      otherFilesChanged();
      assert.match(run()[0] ?? '', /interface Big has 6 methods/);
      assert.deepEqual(cache.lastStats, { checked: 1, reused: 3, provisional: false, contained: false });
      other.delete('t:Base');
      otherFilesChanged();
      assert.deepEqual(run(), []);
    } finally {
      doc.dispose();
    }
  });

  it('re-checks a call of a package function when that function starts or stops returning an error, in the file or in the package', () => {
    const text = 'package p\n\nfunc save() {}\n\nfunc run() {\n\tsave()\n\tload()\n}\n\nfunc other() {}\n';
    const doc = new GoDocument('file:///calls.go', 1, text, parser);
    // load is declared in another file of the package.
    const otherFiles = new Map<string, string>();
    const { cache, analyze, otherFilesChanged } = cachedAnalysis(doc, '/w/calls.go', otherFiles);
    const run = () => analyze().filter((f) => f.code === 'GR104').map((f) => doc.text.slice(f.start, f.end));
    const replace = (from: string, to: string) => {
      const at = doc.text.indexOf(from);
      editDocument(doc, at, at + from.length, to);
    };
    try {
      assert.deepEqual(run(), []);
      // save now returns an error: run, which calls it, is checked again; other is not.
      replace('func save() {}', 'func save() error { return nil }');
      assert.deepEqual(run(), ['save']);
      assert.equal(cache.lastStats.checked, 2, 'save and run, not other');
      // load, in another file, returns an error too: the index changes, run alone is checked again.
      otherFiles.set('f:load', 'e');
      otherFilesChanged();
      assert.deepEqual(run(), ['save', 'load']);
      assert.deepEqual(cache.lastStats, { checked: 1, reused: 3, provisional: false, contained: false });
      otherFiles.set('f:load', '');
      otherFilesChanged();
      assert.deepEqual(run(), ['save']);
      replace('func save() error { return nil }', 'func save() {}');
      assert.deepEqual(run(), []);
    } finally {
      doc.dispose();
    }
  });

  it('re-checks everything when the imports or the settings change', async () => {
    const text = 'package p\n\nimport "fmt"\n\nfunc a(err error) error { return fmt.Errorf("a: %v", err) }\n\nfunc b(err error) error { return fmt.Errorf("b: %v", err) }\n';
    const doc = new GoDocument('file:///imports.go', 1, text, parser);
    const cache = new DeclarationCache();
    try {
      const run = () => engine.analyze({ text: doc.text, tree: doc.tree!, lineIndex: doc.lineIndex }, config, cache);
      assert.equal(run().findings.length, 2);
      assert.deepEqual(cache.lastStats, { checked: 4, reused: 0, provisional: false, contained: false });
      run();
      assert.deepEqual(cache.lastStats, { checked: 0, reused: 4, provisional: false, contained: false });
      // Another rule configuration: nothing cached under the old one may be reused.
      const { config: quieter } = resolveConfig(allRules, { GR101: 'off' });
      assert.equal(engine.analyze({ text: doc.text, tree: doc.tree!, lineIndex: doc.lineIndex }, quieter, cache).findings.length, 0);
      assert.deepEqual(cache.lastStats, { checked: 4, reused: 0, provisional: false, contained: false });
      run();
      assert.deepEqual(cache.lastStats, { checked: 4, reused: 0, provisional: false, contained: false });
      // fmt now names another package: every declaration must be checked again, and GR101 goes away.
      const at = doc.text.indexOf('"fmt"');
      editDocument(doc, at, at + 5, '"example.com/fmt"', 2);
      assert.equal(run().findings.length, 0);
      assert.equal(cache.lastStats.reused, 0);
    } finally {
      doc.dispose();
    }
  });

  it('re-checks one edited declaration, everything after an import typed between declarations and taken back, and appended functions', () => {
    // No fmt import: GR101 does not apply until one is typed, wherever it is typed.
    const text = 'package p\n\nfunc a(err error) error { return fmt.Errorf("a: %v", err) }\n\nfunc b(err error) error { return fmt.Errorf("b: %v", err) }\n';
    const doc = new GoDocument('file:///late-import.go', 1, text, parser);
    const cache = new DeclarationCache();
    let mark = doc.changeCount;
    const replace = (start: number, end: number, insert: string) => editDocument(doc, start, end, insert);
    const run = () => {
      const input = { text: doc.text, tree: doc.tree!, lineIndex: doc.lineIndex, path: '/w/late-import.go' };
      const result = engine.analyze({ ...input, changes: doc.changesSince(mark)! }, config, cache);
      mark = doc.changeCount;
      assert.deepEqual(result.findings, engine.analyze(input, config).findings);
      return result;
    };
    try {
      assert.equal(run().findings.length, 0);
      // An edit inside b: only b is read and checked again.
      const inB = doc.text.indexOf('"b: %v"');
      replace(inB + 1, inB + 2, 'B');
      run();
      assert.deepEqual(cache.lastStats, { checked: 1, reused: 2, provisional: false, contained: false });
      const between = doc.text.indexOf('\nfunc b');
      replace(between, between, '\nimport "fmt"\n');
      assert.equal(run().findings.length, 2);
      // Taken back, the import's facts must go with it.
      replace(between, between + '\nimport "fmt"\n'.length, '');
      assert.equal(run().findings.length, 0);
      // A function appended at the very end, after the last top-level node (what an editor's
      // insert at the end of the last line does; the end-to-end test's example file), and one
      // inserted before the first function.
      replace(0, doc.text.length, readFileSync(join(__dirname, '..', '..', 'examples', 'inventory', 'store.go'), 'utf8'));
      const baseline = run().findings.length;
      const end = doc.text.length;
      replace(end, end, '\n\nfunc wrapX(err error) error {\n\treturn fmt.Errorf("x: %v", err)\n}');
      assert.equal(run().findings.length, baseline + 1);
      const first = doc.text.indexOf('\nfunc ') + 1;
      replace(first, first, 'func b(err error) error { return fmt.Errorf("b: %v", err) }\n\n');
      assert.equal(run().findings.length, baseline + 2);
    } finally {
      doc.dispose();
    }
  });
});
