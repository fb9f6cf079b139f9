// When a batch run (check, report) raises V8's interrupt budget: only when its checker threads take
// every core, and never over a budget given on node's command line.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BATCH_INTERRUPT_BUDGET, batchTieringFlag } from '../server/src/cli/batchTiering';

describe('batch tiering', () => {
  it('raises the budget when the checker threads take every core', () => {
    assert.equal(batchTieringFlag(2, 2, []), `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
    assert.equal(batchTieringFlag(8, 2, ['--enable-source-maps']), `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
    assert.equal(batchTieringFlag(1, 1, []), `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
  });

  it('leaves it alone when a core is spare: V8 optimises there for free', () => {
    assert.equal(batchTieringFlag(1, 2, []), undefined);
    assert.equal(batchTieringFlag(3, 4, []), undefined);
  });

  it("keeps a budget given on node's command line", () => {
    assert.equal(batchTieringFlag(2, 2, ['--interrupt-budget=132000']), undefined);
    assert.equal(batchTieringFlag(2, 2, ['--interrupt_budget=9000']), undefined);
  });
});
