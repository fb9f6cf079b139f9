// The server's V8 code cache (server/src/server.ts): written to <tmp>/go-rubric-v8-cache when
// missing, used (not rewritten) by the next start, and pruned to the newest few files so that
// updates do not pile up a megabyte per build.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { LspClient } from './helpers/lspClient';

const TIMEOUT_MS = 20_000;

/** Starts the server with its temp folder at `tmp`, initializes it and shuts it down cleanly. */
async function startAndStop(tmp: string): Promise<void> {
  const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
  const client = new LspClient(process.execPath, [serverJs, '--stdio'], { env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp } });
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} }, TIMEOUT_MS);
    client.notify('initialized', {});
    assert.equal(await client.request('shutdown', null, TIMEOUT_MS), null);
    client.notify('exit');
    assert.equal(await client.waitForExit(TIMEOUT_MS), 0, `exit code; stderr:\n${client.stderr}`);
  } finally {
    client.kill();
  }
}

function caches(dir: string): { name: string; mtime: number; size: number }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => {
      const s = statSync(join(dir, name));
      return { name, mtime: s.mtimeMs, size: s.size };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('the server code cache', { timeout: 60_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'go-rubric-cache-test-'));
  const dir = join(tmp, 'go-rubric-v8-cache');
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is written at exit, keeps only the newest files, and is used as is by the next start', async () => {
    mkdirSync(dir, { recursive: true });
    // Six caches of older builds, a day apart, oldest first.
    const day = 24 * 3600;
    const now = Date.now() / 1000;
    const old = Array.from({ length: 6 }, (_, i) => `server-${String(i).repeat(16)}.bin`);
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), 'stale');
      utimesSync(join(dir, name), now - (10 - i) * day, now - (10 - i) * day);
    });
    writeFileSync(join(dir, 'unrelated.txt'), 'not a cache');

    await startAndStop(tmp);
    const afterFirst = caches(dir);
    const fresh = afterFirst.filter((c) => !old.includes(c.name));
    assert.equal(fresh.length, 1, `one new cache file expected: ${JSON.stringify(afterFirst)}`);
    assert.ok(fresh[0]!.size > 10_000, `the new cache holds compiled code: ${fresh[0]!.size} bytes`);
    // The new one and the three newest old ones stay; the rest are pruned, other files left alone.
    assert.deepEqual(
      afterFirst.map((c) => c.name),
      [...old.slice(3), fresh[0]!.name].sort(),
    );
    assert.ok(readdirSync(dir).includes('unrelated.txt'));

    // The next start accepts the cache: it is not written again.
    await startAndStop(tmp);
    const afterSecond = caches(dir).find((c) => c.name === fresh[0]!.name);
    assert.ok(afterSecond, 'the cache is still there');
    assert.equal(afterSecond.mtime, fresh[0]!.mtime, 'a rejected or missing cache would have been rewritten');
  });
});
