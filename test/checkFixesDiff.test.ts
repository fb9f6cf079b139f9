// The diff scripts/check-fixes.mjs prints for a fix that fails (scripts/check-fixes/diff.ts).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { shortDiff } from '../scripts/check-fixes/diff';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe('check-fixes diff', () => {
  it('shows each changed place with two lines of context, as separate hunks', () => {
    const before = lines(30);
    const after = [...before];
    after.splice(2, 0, 'import added');
    after[20] = 'line 20 changed';
    assert.equal(
      shortDiff(before.join('\n'), after.join('\n')),
      ['@@ -1 +1 @@', ' line 1', ' line 2', '+import added', ' line 3', ' line 4', '@@ -18 +19 @@', ' line 18', ' line 19', '-line 20', '+line 20 changed', ' line 21', ' line 22'].join('\n'),
    );
  });

  it('joins changes close together into one hunk, ignores CR and cuts long output', () => {
    const before = lines(10);
    const after = before.map((l, i) => (i === 3 || i === 6 ? `${l}!` : l));
    assert.equal(
      shortDiff(before.join('\r\n'), after.join('\r\n')),
      ['@@ -2 +2 @@', ' line 2', ' line 3', '-line 4', '+line 4!', ' line 5', ' line 6', '-line 7', '+line 7!', ' line 8', ' line 9'].join('\n'),
    );
    const long = shortDiff(lines(100).join('\n'), lines(100).map((l) => `${l}.`).join('\n'), 5);
    assert.equal(long.split('\n').length, 6);
    assert.match(long, /^\.\.\. 196 more lines$/m);
  });

  it('finds the lines a deletion removed', () => {
    const before = lines(8);
    const after = before.filter((_, i) => i !== 4);
    assert.equal(shortDiff(before.join('\n'), after.join('\n')), ['@@ -3 +3 @@', ' line 3', ' line 4', '-line 5', ' line 6', ' line 7'].join('\n'));
  });
});
