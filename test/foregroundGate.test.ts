// The index reader steps aside while the server checks a keystroke (server/src/lsp/foregroundGate.ts):
// the wait itself on one thread, and the real reader thread held off by the server's flag.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ForegroundSignal, ForegroundWait, MAX_WAIT_MS } from '../server/src/lsp/foregroundGate';
import { WorkspacePackages } from '../server/src/lsp/packageIndexer';
import { repoRoot } from './helpers/goFiles';

/** How long `wait` took, in ms. */
function timed(wait: () => void): number {
  const start = performance.now();
  wait();
  return performance.now() - start;
}

describe('foreground gate', () => {
  it('lets a background thread go on at once while nothing happens', () => {
    const signal = new ForegroundSignal();
    const wait = new ForegroundWait(signal.buffer, 40, 200);
    assert.ok(timed(() => wait.untilQuiet()) < 20);
    assert.ok(timed(() => wait.untilQuiet()) < 20);
  });

  it('holds it while the flag is raised, for at most the longest wait', () => {
    const signal = new ForegroundSignal();
    const wait = new ForegroundWait(signal.buffer, 40, 80);
    signal.busy();
    const ms = timed(() => wait.untilQuiet());
    assert.ok(ms >= 75 && ms < 1000, `waited ${ms.toFixed(1)} ms`);
  });

  it('holds it for the quiet period after a keystroke ends, then not again', () => {
    const signal = new ForegroundSignal();
    const wait = new ForegroundWait(signal.buffer, 40, 1000);
    signal.busy();
    signal.idle();
    const ms = timed(() => wait.untilQuiet());
    assert.ok(ms >= 35 && ms < 900, `waited ${ms.toFixed(1)} ms`);
    assert.ok(timed(() => wait.untilQuiet()) < 20);
    // Lowering a flag that is not raised ends nothing.
    signal.idle();
    assert.ok(timed(() => wait.untilQuiet()) < 20);
  });

  it("keeps the index's reader thread waiting while the server is busy", async () => {
    const workerScript = join(repoRoot(), 'server', 'out', 'indexWorker.js');
    assert.ok(existsSync(workerScript), `${workerScript} is missing: run "npm run build" (npm test does)`);
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-gate-'));
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    // Four files: while the flag stays up, the reader waits MAX_WAIT_MS before each.
    for (let i = 0; i < 4; i++) writeFileSync(join(pkg, `f${i}.go`), `package p\n\nfunc F${i}() error { return nil }\n`);
    const signal = new ForegroundSignal();
    const changed: string[] = [];
    const logs: string[] = [];
    const packages = new WorkspacePackages((m) => logs.push(m), (d) => changed.push(d), workerScript, signal.buffer);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      signal.busy();
      assert.equal(packages.forFile(join(pkg, 'f0.go'), 'p'), undefined, 'not read yet');
      await sleep(MAX_WAIT_MS * 1.6);
      assert.equal(changed.length, 0, 'the folder was read while the server was busy');
      signal.idle();
      const start = performance.now();
      while (!changed.includes(pkg)) {
        assert.ok(performance.now() - start < 10_000, `the folder was never read; log: ${logs.join(' | ')}`);
        await sleep(5);
      }
      assert.equal(packages.forFile(join(pkg, 'f0.go'), 'p')?.get('f:F1'), 'e');
      assert.deepEqual(logs, []);
    } finally {
      packages.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
