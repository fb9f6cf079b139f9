// Protocol robustness (issue 9): what a client may send out of turn. Changes to documents never
// opened, out-of-order versions, requests for closed documents, cancelled requests, a flood of
// changes and a settings change while a workspace check runs, and shutdown in the middle of it:
// the server answers correctly or with a proper LSP error, never publishes diagnostics for an
// older version after a newer one, and never dies.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { startStdioServer, type LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const SERVER = join(repoRoot(), 'server', 'out', 'server.js');
const WRAP = 'package p\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("wrap: %v", err)\n}\n';
const CLEAN = WRAP.replace('%v', '%w');

describe('protocol robustness', { timeout: 120_000 }, () => {
  let client: LspClient;
  let dir: string;
  let uri: string;
  let settings: Record<string, unknown> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-protocol-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/p\n\ngo 1.21\n');
    // A workspace with enough files that its check is still running while the tests send changes.
    for (let i = 0; i < 300; i++) {
      mkdirSync(join(dir, `pkg${i % 30}`), { recursive: true });
      writeFileSync(join(dir, `pkg${i % 30}`, `f${i}.go`), WRAP.replace('package p', `package pkg${i % 30}`).replace('func wrap', `func wrap${i}`));
    }
    uri = pathToFileURL(join(dir, 'open.go')).href;
    client = await startStdioServer(SERVER, {
      settings: () => settings,
      initialize: {
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'p' }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
      },
    });
  });
  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const publishedFor = (version: number, mark: number) =>
    client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version, { after: mark });
  const stillAnswers = async () => assert.equal(await client.request('textDocument/hover', { textDocument: { uri: `${uri}.none` }, position: { line: 0, character: 0 } }), null);

  it('ignores changes to a document it was never sent, and answers requests for it with nothing', async () => {
    const never = pathToFileURL(join(dir, 'never.go')).href;
    client.notify('textDocument/didChange', { textDocument: { uri: never, version: 2 }, contentChanges: [{ text: WRAP }] });
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: never }, position: { line: 5, character: 30 } }), null);
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri: never }, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } }, context: { diagnostics: [] } }), []);
    await stillAnswers();
  });

  it('drops a change older than the version it holds, and publishes nothing for it', async () => {
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: WRAP } });
    assert.deepEqual((await publishedFor(1, mark)).diagnostics.map((d) => d.code), ['GR101']);
    mark = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ text: CLEAN }] });
    assert.deepEqual((await publishedFor(5, mark)).diagnostics, []);
    // Version 3 arrives late: it must change nothing, and nothing is published for it.
    const late = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: WRAP }] });
    mark = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri, version: 6 }, contentChanges: [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, text: '\n' }] });
    assert.deepEqual((await publishedFor(6, mark)).diagnostics, [], 'version 6 is version 5 plus a line break: still clean');
    await assert.rejects(
      client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 3, { after: late, timeoutMs: 300 }),
      'no diagnostics for the stale version',
    );
  });

  it('answers requests for a closed document with nothing', async () => {
    client.notify('textDocument/didClose', { textDocument: { uri } });
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 30 } }), null);
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } }), []);
  });

  it('a cancelled request gets its answer or a RequestCancelled error, and the server goes on', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 10, text: WRAP } });
    await publishedFor(10, mark);
    const pending = client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 40 } }, context: { diagnostics: [] } });
    client.notify('$/cancelRequest', { id: -1 }); // an id never sent: ignored
    const answer = await pending.catch((error: { code?: number }) => error);
    assert.ok(Array.isArray(answer) || (answer as { code?: number }).code === -32800, JSON.stringify(answer));
    await stillAnswers();
  });

  it('a flood of changes and a settings change while a workspace check runs: the last version is published last', async () => {
    const check = client.request<{ files: number }>('workspace/executeCommand', { command: 'goRubric.server.checkWorkspace', arguments: [] }, 60_000);
    let version = 10;
    let text = WRAP;
    const versions: number[] = [];
    const mark = client.mark();
    for (let i = 0; i < 200; i++) {
      version++;
      const insert = i % 2 === 0 ? '\n' : '';
      text = insert ? text.replace('package p\n', 'package p\n\n') : text.replace('package p\n\n\n', 'package p\n\n');
      const range = insert ? { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } } : { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } };
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
      if (i === 100) {
        settings = { rules: { GR101: 'warning' } };
        client.notify('workspace/didChangeConfiguration', { settings: null });
      }
    }
    const last = await publishedFor(version, mark);
    assert.deepEqual(last.diagnostics.map((d) => [d.code, d.severity]), [['GR101', 2]], 'the last version, with the new settings');
    const summary = await check;
    assert.ok(summary.files >= 300, JSON.stringify(summary));
    // Never an older version after a newer one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const n of client.notificationsSince(mark, 'textDocument/publishDiagnostics') as PublishDiagnosticsParams[]) {
      if (n.uri === uri && n.version !== undefined) versions.push(n.version);
    }
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! >= versions[i - 1]!, `published ${versions[i]} after ${versions[i - 1]}`);
    assert.equal(versions[versions.length - 1], version);
  });

  it('shuts down cleanly while a workspace check is running', async () => {
    void client.request('workspace/executeCommand', { command: 'goRubric.server.checkWorkspace', arguments: [] }, 60_000).catch(() => undefined);
    assert.equal(await client.request('shutdown', null), null);
    client.notify('exit');
    assert.equal(await client.waitForExit(10_000), 0);
  });
});
