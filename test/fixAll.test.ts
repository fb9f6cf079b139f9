// fixAll (server/src/fixes/fixAll.ts): every safe fix of a file, applied round after round until
// none is left, with overlapping fixes deferred, shared imports added once and fixes that break
// the parse rejected. Real rules on test/fixtures/fixAll/*.go (with a .golden of the result), and
// rules made up here for the cases the catalog does not produce on demand.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { textAnalyzer } from '../server/src/analysis/analyzer';
import { defaultConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import type { Fix, Rule } from '../server/src/engine/types';
import { appliedPerRule, editsConflict, fixAll, syntaxErrorCount, type FixAllOptions } from '../server/src/fixes/fixAll';
import { allRules } from '../server/src/rules';
import { config, engine, sharedParser } from './helpers/engine';
import { testRule } from './helpers/testRule';

const FIXTURES = join(__dirname, '..', 'fixtures', 'fixAll');

/** A made-up rule that offers `fixOf(node)` (when defined) on every node of the given types. */
function fakeRule(code: string, nodeTypes: string[], fixOf: (node: Node) => Fix | undefined): Rule {
  return testRule(code, nodeTypes, (node, ctx) => {
    const fix = fixOf(node);
    if (fix) ctx.report({ node, message: `${code} here`, fix });
  });
}

/** Renames a parameter `value` by rewriting its whole declaration: overlaps GR111's fix of its type. */
const renameValue = fakeRule('GR990', ['parameter_declaration'], (node) => {
  if (node.childForFieldName('name')?.text !== 'value') return undefined;
  return { title: 'Rename value to v', edits: [{ start: node.startIndex, end: node.endIndex, newText: node.text.replace(/^value/, 'v') }], safe: true };
});

/** println(x) becomes fmt.Println(x), print(x) log.Print(x): fixes that need imports. */
const qualifyPrint = fakeRule('GR991', ['call_expression'], (node) => {
  const callee = node.childForFieldName('function');
  const target = callee?.text === 'println' ? ['fmt', 'Println'] : callee?.text === 'print' ? ['log', 'Print'] : undefined;
  if (!callee || !target) return undefined;
  return { title: `Call ${target.join('.')}`, edits: [{ start: callee.startIndex, end: callee.endIndex, newText: target.join('.') }], imports: [target[0]!], safe: true };
});

/** A fix whose result does not parse: panic(x) becomes panic((x). */
const breakPanic = fakeRule('GR992', ['call_expression'], (node) => {
  const callee = node.childForFieldName('function');
  if (callee?.text !== 'panic') return undefined;
  return { title: 'Break the parse', edits: [{ start: callee.endIndex, end: callee.endIndex, newText: '(' }], safe: true };
});

/** A fix that never converges: grow becomes grow_, which is flagged again. */
const grow = fakeRule('GR993', ['identifier'], (node) => {
  if (!node.text.startsWith('grow')) return undefined;
  return { title: 'Grow', edits: [{ start: node.endIndex, end: node.endIndex, newText: '_' }], safe: true };
});

/** An unsafe fix: fixAll leaves it alone. */
const unsafeRename = fakeRule('GR994', ['identifier'], (node) => {
  if (node.text !== 'keep') return undefined;
  return { title: 'Rename keep', edits: [{ start: node.startIndex, end: node.endIndex, newText: 'kept' }], safe: false };
});

async function runFixAll(text: string, options: FixAllOptions = {}, extra: Rule[] = [], path = '/w/p/p.go') {
  const rules = [...allRules, ...extra];
  const withExtra = extra.length > 0 ? new Engine(rules) : engine;
  return fixAll(textAnalyzer(await sharedParser(), withExtra, extra.length > 0 ? defaultConfig(rules) : config, path), text, options);
}

describe('fixAll', () => {
  const severalPath = join(FIXTURES, 'several.go');
  const several = readFileSync(severalPath, 'utf8');
  const severalFixed = readFileSync(`${severalPath}.golden`, 'utf8');

  it('applies the safe fixes of several rules in one file, in one round', async () => {
    const result = await runFixAll(several, {}, [], severalPath);
    assert.equal(result.text, severalFixed);
    assert.deepEqual(Object.fromEntries(appliedPerRule(result.applied)), { GR101: 2, GR111: 3, GR201: 2, GR216: 1 });
    assert.equal(result.rounds, 1);
    assert.equal(result.stable, true);
    assert.deepEqual(result.rejected, []);
    assert.deepEqual(result.analysis.findings, [], 'the findings of the fixed text');
  });

  it('keeps CRLF line breaks', async () => {
    const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
    const result = await runFixAll(crlf(several), {}, [], severalPath);
    assert.equal(result.text, crlf(severalFixed));
  });

  it('leaves a fixed text as it is', async () => {
    const result = await runFixAll(severalFixed, {}, [], severalPath);
    assert.equal(result.text, severalFixed);
    assert.deepEqual(result.applied, []);
    assert.equal(result.rounds, 0);
    assert.equal(result.stable, true);
  });

  it('applies only the fixes of the given codes', async () => {
    const result = await runFixAll(several, { codes: new Set(['GR216', 'GR101']) }, [], severalPath);
    assert.deepEqual(Object.fromEntries(appliedPerRule(result.applied)), { GR101: 2, GR216: 1 });
    assert.ok(result.text.includes('interface{}') && result.text.includes('make(chan os.Signal, 1)'));
    assert.deepEqual([...new Set(result.analysis.findings.map((f) => f.code))].sort(), ['GR111', 'GR201']);
  });

  it('defers a fix that overlaps an earlier one to the next round', async () => {
    const text = 'package p\n\nfunc put(key string, value interface{}) {\n}\n';
    const result = await runFixAll(text, {}, [renameValue]);
    assert.equal(result.text, 'package p\n\nfunc put(key string, v any) {\n}\n');
    assert.deepEqual(result.applied.map((a) => a.code), ['GR990', 'GR111']);
    assert.equal(result.rounds, 2);
    assert.equal(result.stable, true);
  });

  it('adds an import two fixes need once, and a different one in the next round', async () => {
    const text = 'package p\n\nfunc f() {\n\tprintln("a")\n\tprintln("b")\n\tprint("c")\n}\n';
    const result = await runFixAll(text, {}, [qualifyPrint]);
    assert.equal(result.text, 'package p\n\nimport (\n\t"fmt"\n\t"log"\n)\n\nfunc f() {\n\tfmt.Println("a")\n\tfmt.Println("b")\n\tlog.Print("c")\n}\n');
    assert.deepEqual(result.applied.map((a) => a.title), ['Call fmt.Println', 'Call fmt.Println', 'Call log.Print']);
    assert.equal(result.rounds, 2);
  });

  it('adds shared imports to an existing import block once', async () => {
    const text = 'package p\n\nimport (\n\t"os"\n)\n\nfunc f() {\n\tprintln(os.Args)\n\tprintln("b")\n}\n';
    const result = await runFixAll(text, {}, [qualifyPrint]);
    assert.equal(result.text, 'package p\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc f() {\n\tfmt.Println(os.Args)\n\tfmt.Println("b")\n}\n');
    assert.equal(result.rounds, 1);
  });

  it('rejects a fix whose result does not parse and applies the others', async () => {
    const text = 'package p\n\nfunc f(value interface{}) {\n\tpanic(value)\n}\n';
    const result = await runFixAll(text, {}, [breakPanic]);
    assert.equal(result.text, 'package p\n\nfunc f(value any) {\n\tpanic(value)\n}\n');
    assert.deepEqual(result.applied.map((a) => a.code), ['GR111']);
    assert.deepEqual(result.rejected, [{ code: 'GR992', title: 'Break the parse', reason: 'the fixed text has new syntax errors' }]);
    assert.equal(result.stable, true, 'only the rejected fix is left');
  });

  it('stops after maxRounds when fixes keep coming', async () => {
    const result = await runFixAll('package p\n\nvar grow = 1\n', { maxRounds: 3 }, [grow]);
    assert.equal(result.text, 'package p\n\nvar grow___ = 1\n');
    assert.equal(result.rounds, 3);
    assert.equal(result.stable, false);
  });

  it('leaves unsafe fixes alone', async () => {
    const result = await runFixAll('package p\n\nvar keep = 1\n', {}, [unsafeRename]);
    assert.equal(result.text, 'package p\n\nvar keep = 1\n');
    assert.deepEqual(result.applied, []);
    assert.equal(result.stable, true);
  });

  it('applies unsafe fixes too when asked', async () => {
    const result = await runFixAll('package p\n\nvar keep = 1\n', { unsafe: true }, [unsafeRename]);
    assert.equal(result.text, 'package p\n\nvar kept = 1\n');
  });

  it('counts ERROR and MISSING nodes', async () => {
    const parser = await sharedParser();
    const count = (text: string) => {
      const tree = parser.parse(text)!;
      try {
        return syntaxErrorCount(tree.rootNode);
      } finally {
        tree.delete();
      }
    };
    assert.equal(count('package p\n\nfunc f() {}\n'), 0);
    assert.ok(count('package p\n\nfunc f() { x := }\n') >= 1);
    assert.ok(count('package p\n\nfunc f() { g(( }\nfunc h() { ) }\n') >= 2);
  });

  it('tells conflicting edits from independent ones', () => {
    const edit = (start: number, end: number) => ({ start, end, newText: 'x' });
    assert.equal(editsConflict(edit(0, 5), edit(3, 8)), true, 'overlap');
    assert.equal(editsConflict(edit(0, 5), edit(5, 8)), false, 'adjacent replacements');
    assert.equal(editsConflict(edit(4, 4), edit(4, 4)), true, 'two insertions at one place');
    assert.equal(editsConflict(edit(5, 5), edit(0, 5)), true, 'an insertion where a replacement ends');
    assert.equal(editsConflict(edit(2, 2), edit(0, 5)), true, 'an insertion inside a replacement');
    assert.equal(editsConflict(edit(6, 6), edit(0, 5)), false);
  });
});
