// The server's collection when idle (server/src/lsp/idleCollector.ts): one full collection once
// work stops for the idle period and the heap has grown enough; none while work goes on, and none
// when the heap has not grown.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PerformanceObserver } from 'node:perf_hooks';
import { IdleCollector } from '../server/src/lsp/idleCollector';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts full (mark-compact) collections while `work` runs. */
async function majorCollectionsDuring(work: () => Promise<void>): Promise<number> {
  let major = 0;
  const observer = new PerformanceObserver((list) => {
    // NODE_PERFORMANCE_GC_MAJOR
    for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === 4) major++;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await work();
    await sleep(20);
  } finally {
    observer.disconnect();
  }
  return major;
}

describe('idle collector', () => {
  it('collects once when work stops after the heap grew, not while work goes on, not without growth', async () => {
    const collector = new IdleCollector(100, 4 * 1024 * 1024);
    let kept: unknown[] = [];
    try {
      // Work every 30 ms (less than the idle period) while the heap grows: no collection yet.
      for (let i = 0; i < 5; i++) {
        kept.push(Array.from({ length: 50_000 }, (_, j) => ({ j, s: `v${j}` })));
        collector.activity();
        await sleep(30);
      }
      assert.equal(collector.collections, 0, 'no collection while work goes on');
      kept = [];
      const major = await majorCollectionsDuring(() => sleep(250));
      assert.equal(collector.collections, 1, 'one collection once idle');
      assert.ok(major >= 1, 'it was a full collection');
      // Idle again with no growth since: nothing to do.
      collector.activity();
      await sleep(250);
      assert.equal(collector.collections, 1, 'no collection without growth');
    } finally {
      collector.dispose();
    }
    assert.equal(kept.length, 0);
  });
});
