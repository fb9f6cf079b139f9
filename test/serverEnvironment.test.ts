// The VS Code client starts the server without NODE_EXTRA_CA_CERTS (see client/src/serverEnvironment.ts).
// These tests check the mechanism end to end: vscode-languageclient merges the overrides over the
// extension host's environment, and the forked process must then not see the variable at all.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_OPTIONS, serverEnvironmentOverrides, VARIABLES_THE_SERVER_DOES_NOT_NEED } from '../client/src/serverEnvironment';

/** The merge vscode-languageclient (lib/node/main.js, getEnvironment) does for a forked server. */
function mergedLikeTheClient(host: NodeJS.ProcessEnv, overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...host, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1', ...overrides };
}

test('the overrides name every variable the server does without, and nothing else', () => {
  assert.deepEqual(Object.keys(serverEnvironmentOverrides()).sort(), [...VARIABLES_THE_SERVER_DOES_NOT_NEED].sort());
  for (const value of Object.values(serverEnvironmentOverrides())) assert.equal(value, undefined);
});

test('a server forked with the overrides does not see NODE_EXTRA_CA_CERTS, and keeps the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'go-rubric-env-'));
  const child = join(dir, 'child.js');
  writeFileSync(child, 'process.send({ ca: process.env.NODE_EXTRA_CA_CERTS ?? null, keep: process.env.GO_RUBRIC_KEEP ?? null });');
  // A path that does not exist: were it passed on, Node would only warn, and the test would see it.
  const host = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem'), GO_RUBRIC_KEEP: 'yes' };
  const seen = await new Promise<{ ca: string | null; keep: string | null }>((resolve, reject) => {
    const p = fork(child, [], { env: mergedLikeTheClient(host, serverEnvironmentOverrides()), stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    p.once('message', (m) => resolve(m as { ca: string | null; keep: string | null }));
    p.once('error', reject);
  });
  assert.deepEqual(seen, { ca: null, keep: 'yes' });
});

test('the benchmarks start the server as the VS Code client does', async () => {
  // @ts-expect-error: a plain .mjs module without type declarations
  const lsp = (await import('../scripts/bench/lsp.mjs')) as { NODE_OPTIONS_THE_CLIENT_PASSES: string[]; VARIABLES_THE_CLIENT_DROPS: string[] };
  assert.deepEqual(lsp.NODE_OPTIONS_THE_CLIENT_PASSES, [...SERVER_NODE_OPTIONS]);
  assert.deepEqual([...lsp.VARIABLES_THE_CLIENT_DROPS].sort(), [...VARIABLES_THE_SERVER_DOES_NOT_NEED].sort());
});

test('Node accepts the options the server is started with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'go-rubric-opts-'));
  const child = join(dir, 'child.js');
  writeFileSync(child, "process.send({ argv: process.execArgv });");
  const seen = await new Promise<{ argv: string[] }>((resolve, reject) => {
    const p = fork(child, [], { execArgv: [...SERVER_NODE_OPTIONS], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    p.once('message', (m) => resolve(m as { argv: string[] }));
    p.once('error', reject);
  });
  assert.deepEqual(seen.argv, [...SERVER_NODE_OPTIONS]);
});
