// The server's young-generation cap (server/src/lsp/youngGeneration.ts): a workload that makes
// V8 grow the new space past 16 MiB without the cap (checked in a child process) stays at 16 MiB
// with it.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { YOUNG_GENERATION_CAP_BYTES, YoungGenerationCap } from '../server/src/lsp/youngGeneration';

/**
 * Allocates objects that live for a while (the last 200,000 of 4 million), which is what makes V8
 * grow the new space; returns the largest new space seen. Self-contained: the uncapped run is the
 * same function's source in a child process.
 */
async function workload(heapSpaces: () => { space_name: string; space_size: number }[]): Promise<number> {
  const newSpace = () => heapSpaces().find((s) => s.space_name === 'new_space')!.space_size;
  let largest = newSpace();
  const window: unknown[] = new Array(200_000);
  for (let round = 0; round < 400; round++) {
    for (let i = 0; i < 10_000; i++) window[(round * 10_000 + i) % window.length] = { round, i, label: 'x' + i };
    // Let the observer of collections run, as the server's event loop does between messages (the
    // cap is checked there: a burst of collections within one task can still double it once more).
    await new Promise((resolve) => setImmediate(resolve));
    largest = Math.max(largest, newSpace());
  }
  return largest;
}

describe('young generation cap', () => {
  it('keeps the new space at the cap where V8 alone grows it further', async () => {
    const child = `(${workload.toString()})(require('node:v8').getHeapSpaceStatistics).then((n) => process.stdout.write(String(n)))`;
    const uncapped = Number(execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' }));
    assert.ok(uncapped > YOUNG_GENERATION_CAP_BYTES, `the workload grows an uncapped new space past the cap (${uncapped} bytes)`);

    const cap = new YoungGenerationCap();
    cap.start();
    try {
      const largest = await workload(getHeapSpaceStatistics);
      assert.ok(largest <= YOUNG_GENERATION_CAP_BYTES, `new space ${largest} bytes, cap ${YOUNG_GENERATION_CAP_BYTES}`);
      // Lifted for bulk work: the space may grow again.
      await cap.whileBulk(async () => {
        const during = await workload(getHeapSpaceStatistics);
        assert.ok(during >= largest);
      });
    } finally {
      cap.stop();
    }
  });
});
