// The fuzzer's shrinker (test/fuzz/shrink.ts), tested on planted bugs: a publisher that adds a
// bogus diagnostic under a known condition, reached in the middle of a long random edit sequence
// over a real file. The shrunk case must still diverge and be minimal for that condition.
// Also the rewriting of later edits when earlier ones are dropped (test/fuzz/transform.ts).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { finalText, fromOps, toOps, type FuzzCase, type FuzzEvent } from './fuzz/fuzzCase';
import { createTools, declarationSpans, disposeTools, runCase, type FuzzTools, type Publisher } from './fuzz/serverSession';
import { lineSpans, shrink } from './fuzz/shrink';
import { absorb, transform } from './fuzz/transform';
import { readFixture } from './helpers/goFiles';
import { naiveApplyAll } from './helpers/naiveText';
import { randomEvent, randomOffset, replaceSpan } from './helpers/randomEdits';
import { createRng, seedFromEnv } from './helpers/random';

const SEED = seedFromEnv();

/** A diagnostic no analysis makes. */
const BOGUS: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'planted' };

/**
 * Publishes the real diagnostics plus a bogus one when the text holds every one of `needles` and
 * the text the document was opened with did not hold the first: an edit must have brought it.
 */
function plantedBug(...needles: string[]): Publisher {
  const opened = new WeakMap<object, string>();
  return (doc, real) => {
    if (!opened.has(doc)) opened.set(doc, doc.text);
    const diagnostics = real();
    const bug = !opened.get(doc)!.includes(needles[0]!) && needles.every((n) => doc.text.includes(n));
    return bug ? [...diagnostics, BOGUS] : diagnostics;
  };
}

/**
 * 30 random events over config.go, with each of `planted` inserted by an event of its own at a
 * random place, at events 10, 20, ...; none of the random events inserts or removes them. The
 * planted events are followed by a pause (the server settles the tree), after which the
 * diagnostics are compared even when the text does not parse.
 */
function caseWith(planted: readonly string[]): FuzzCase {
  const rng = createRng(SEED);
  let text = readFixture('config.go');
  const start = text;
  const events: FuzzEvent[] = [];
  const thens = [undefined, undefined, 'settle', 'read', 'queued'] as const;
  const count = (t: string) => planted.map((p) => t.split(p).length).join();
  for (let i = 0; i < 30 + 10 * planted.length; i++) {
    const needle = i % 10 === 9 ? planted[(i - 9) / 10] : undefined;
    if (needle) {
      const at = randomOffset(rng, text);
      const changes = [replaceSpan(text, at, at, `x${needle}y`)];
      events.push({ changes, then: 'settle' });
      text = naiveApplyAll(text, changes);
      continue;
    }
    let changes;
    do changes = randomEvent(rng, text).changes;
    while (count(naiveApplyAll(text, changes)) !== count(text));
    const then = rng.pick(thens);
    events.push(then ? { changes, then } : { changes });
    text = naiveApplyAll(text, changes);
  }
  return { source: 'config.go', path: 'config.go', noGoMod: true, parseBudget: 'none', text: start, events };
}

describe(`fuzz case shrinking on planted bugs (seed ${SEED})`, () => {
  let tools: FuzzTools;
  before(async () => {
    tools = await createTools();
  });
  after(() => disposeTools(tools));

  const shrunk = (fuzzCase: FuzzCase, publisher: Publisher) => {
    const first = runCase(tools, fuzzCase, publisher);
    assert.ok(first, 'the planted bug should show in the unshrunk case');
    assert.equal(first.kind, 'diagnostics');
    const result = shrink(fuzzCase, first, {
      replay: (c) => runCase(tools, c, publisher),
      declarations: (text) => declarationSpans(tools.freshParser, text),
    });
    // The result still diverges, on its last event, and without the bug it does not.
    const again = runCase(tools, result.fuzzCase, publisher);
    assert.equal(again?.kind, 'diagnostics');
    assert.equal(again.step, result.fuzzCase.events.length - 1);
    assert.equal(runCase(tools, result.fuzzCase), undefined, 'the shrunk case diverges only through the planted bug');
    return result;
  };

  it('shrinks to the one event that inserts the character, into a start text of at most one line', () => {
    const original = caseWith(['Ω']);
    const result = shrunk(original, plantedBug('Ω'));
    const { text, events } = result.fuzzCase;
    const shown = JSON.stringify(result.fuzzCase);
    assert.equal(events.length, 1, `one event should remain: ${shown}`);
    assert.deepEqual(
      events[0]!.changes.map((c) => c.text),
      ['Ω'],
      `the inserted text should shrink to the character itself: ${shown}`,
    );
    assert.ok(lineSpans(text).length <= 1, `the start text should shrink to at most one line: ${shown}`);
    assert.ok(original.text.length > 1000 && original.events.length >= 9);
  });

  it('keeps both events when the condition needs two, in order, and nothing else', () => {
    const result = shrunk(caseWith(['Ω', '😀']), plantedBug('Ω', '😀'));
    const { text, events } = result.fuzzCase;
    assert.deepEqual(
      events.map((e) => e.changes.map((c) => c.text)),
      [['Ω'], ['😀']],
    );
    assert.ok(lineSpans(text).length <= 2, `the start text should shrink to at most two lines: ${JSON.stringify(result.fuzzCase)}`);
    assert.ok(finalText(result.fuzzCase).includes('Ω') && finalText(result.fuzzCase).includes('😀'));
  });

  it('finds nothing to shrink in a case without divergence (the planted bug is what the replays see)', () => {
    assert.equal(runCase(tools, caseWith(['Ω'])), undefined);
  });
});

describe('moving later edits when earlier ones are dropped', () => {
  it('transforms single-range replacements past each other, and gives up on partial overlaps', () => {
    // "abcdef": x deletes "cd"; c inserts before it, after it, inside it, or around it.
    const x = { start: 2, end: 4, text: '' };
    assert.deepEqual(transform(x, { start: 1, end: 1, text: 'X' }), { c: { start: 1, end: 1, text: 'X' }, x: { start: 3, end: 5, text: '' } });
    assert.deepEqual(transform(x, { start: 5, end: 6, text: 'YY' }), { c: { start: 3, end: 4, text: 'YY' }, x });
    assert.deepEqual(transform(x, { start: 3, end: 3, text: 'Z' }), { c: null, x: { start: 2, end: 5, text: '' } });
    assert.deepEqual(transform(x, { start: 1, end: 5, text: '' }), { c: { start: 1, end: 3, text: '' }, x: null });
    assert.equal(transform(x, { start: 3, end: 5, text: '' }), undefined);
    assert.deepEqual(transform(x, { full: true, text: 'new' }), { c: { full: true, text: 'new' }, x: null });
  });

  it('keeps the meaning of later LSP changes when start text and events are removed', () => {
    const fuzzCase: FuzzCase = {
      source: 't',
      path: 't.go',
      noGoMod: true,
      parseBudget: 'none',
      text: 'one\r\ntwo\r\nthree\r\n',
      events: [
        { changes: [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: '😀' }] },
        { changes: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }, text: 'THREE' }] },
        { changes: [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } }, text: '!' }] },
      ],
    };
    assert.equal(finalText(fuzzCase), 'one\r\ntwo😀!\r\nTHREE\r\n');
    const ops = toOps(fuzzCase);
    // The first line removed from the start text: the changes move up a line.
    const withoutFirstLine = absorb(ops, { start: 0, end: 5, text: '' })!;
    const events = fromOps('two\r\nthree\r\n', withoutFirstLine)!;
    assert.equal(finalText({ ...fuzzCase, text: 'two\r\nthree\r\n', events }), 'two😀!\r\nTHREE\r\n');
    assert.deepEqual(events[0]!.changes[0]!.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } });
    // The emoji's event dropped: the "!" still lands after "two".
    const withoutEmoji = absorb(ops.slice(1), { start: 8, end: 10, text: '' })!;
    assert.equal(finalText({ ...fuzzCase, events: fromOps(fuzzCase.text, withoutEmoji)! }), 'one\r\ntwo!\r\nTHREE\r\n');
    // A change that would split "\r\n" or a surrogate pair is not one an editor sends.
    assert.equal(fromOps('a\r\nb', [{ ops: [{ start: 2, end: 2, text: 'x' }] }]), undefined);
    assert.equal(fromOps('😀', [{ ops: [{ start: 1, end: 1, text: 'x' }] }]), undefined);
  });
});
