// isWordCharAt: the identifier test the anchored rules run around every occurrence of an anchor.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isWordCharAt } from '../server/src/text/words';

describe('isWordCharAt', () => {
  it('reads letters, digits and underscores, ASCII or not', () => {
    const text = 'aZ9_ (.)\tçé数٣';
    const word = [...text].map((_, i) => isWordCharAt(text, i));
    assert.deepEqual(word, [true, true, true, true, false, false, false, false, false, true, true, true, true]);
  });

  it('is false out of range', () => {
    assert.equal(isWordCharAt('ab', -1), false);
    assert.equal(isWordCharAt('ab', 2), false);
    assert.equal(isWordCharAt('', 0), false);
  });

  it('reads a lone surrogate half as no word character, as the engine always has', () => {
    const text = 'x\u{1D465}y';
    assert.equal(isWordCharAt(text, 1), false);
    assert.equal(isWordCharAt(text, 2), false);
    assert.equal(isWordCharAt(text, 3), true);
  });
});
