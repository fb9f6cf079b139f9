// The server's code cache must be stamped with V8's default flags (server/src/runtimeFlags.ts): a
// cache created while the young-generation cap or --expose-gc is set is rejected by every fresh
// process. Each case creates a cache here and asks a fresh `node` whether it accepts it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { IdleCollector } from '../server/src/lsp/idleCollector';
import { YoungGenerationCap } from '../server/src/lsp/youngGeneration';
import { withDefaultFlags } from '../server/src/runtimeFlags';

const SOURCE = `(function () { function f(n) { return n < 2 ? n : f(n - 1) + f(n - 2); } return f(10); })`;

/** Whether a fresh node process rejects `data` as the code cache of SOURCE. */
function rejectedByFreshProcess(data: Buffer): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'go-rubric-flags-'));
  const cache = join(dir, 'cache.bin');
  writeFileSync(cache, data);
  const probe = `const { Script } = require('node:vm'); const s = new Script(${JSON.stringify(SOURCE)}, { filename: 'probe.js', cachedData: require('node:fs').readFileSync(${JSON.stringify(cache)}) }); process.stdout.write(String(s.cachedDataRejected));`;
  return execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }) === 'true';
}

function cacheNow(): Buffer {
  return new Script(SOURCE, { filename: 'probe.js' }).createCachedData();
}

describe('code cache and run-time flags', () => {
  it('a cache made while the young generation is capped is rejected, unless made inside withDefaultFlags', () => {
    // A cap of one byte: the new space is always over it, so start() caps at once.
    const cap = new YoungGenerationCap(1);
    cap.start();
    try {
      assert.equal(rejectedByFreshProcess(cacheNow()), true, 'the capped flag is part of the stamp (else this test proves nothing)');
      assert.equal(rejectedByFreshProcess(withDefaultFlags(cacheNow)), false);
      // Restored afterwards: still capped.
      assert.equal(rejectedByFreshProcess(cacheNow()), true);
    } finally {
      cap.stop();
    }
    assert.equal(rejectedByFreshProcess(cacheNow()), false, 'stop() leaves the default');
  });

  it('the idle collector gets gc() without leaving --expose-gc on, and its gc() still collects', async () => {
    setFlagsFromString('--no-expose-gc');
    // Any growth (even none) is enough here: the test is about the flag, not the threshold.
    const idle = new IdleCollector(1, -Infinity);
    idle.activity();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(idle.collections, 1, 'a full collection ran');
    idle.activity();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(idle.collections, 2, 'and again, with the gc() it kept');
    assert.equal(rejectedByFreshProcess(cacheNow()), false);
  });
});
