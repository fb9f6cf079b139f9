// go.mod files in the language server over stdio: an open go.mod gets GR002-GR004 on its lines,
// kept in step with incremental changes, with GR003's quick fix, hovers, and the settings; the
// Go files beside it are part of its module (no GR001), and a Go file with no go.mod above gets GR001.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { startStdioServer, type LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
const GO_MOD = 'module example.com/shop\n\ngo 1.16\n\nrequire example.com/billing v1.0.0\n\nreplace example.com/billing => ../billing\n';

describe('go.mod in the language server', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let settings: Record<string, unknown> = {};
  let goModUri: string;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'go-rubric-gomod-'));
    mkdirSync(join(dir, 'shop'));
    writeFileSync(join(dir, 'shop', 'go.mod'), GO_MOD);
    goModUri = pathToFileURL(join(dir, 'shop', 'go.mod')).href;
    client = await startStdioServer(serverJs, { settings: () => settings });
  });

  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const published = (uri: string, mark: number) =>
    client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri, { after: mark });

  it('publishes GR002, GR003 and GR004 on the go.mod lines they concern', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: goModUri, languageId: 'go.mod', version: 1, text: GO_MOD } });
    const p = await published(goModUri, mark);
    assert.equal(p.version, 1);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['GR003', 2, 3, 7],
        ['GR002', 4, 0, 34],
        ['GR004', 6, 0, 41],
      ],
    );
  });

  it('offers the GR003 fix and explains the finding on hover', async () => {
    const actions = await client.request<{ title: string; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: goModUri },
      range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions.map((a) => a.title), [
      'Raise the go directive to 1.19',
      'Ignore GR003 (old-go-version) on this line',
      'Ignore GR003 (old-go-version) in this file',
    ]);
    assert.equal(actions[0]!.edit.changes[goModUri]![0]!.newText, '1.19');
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: goModUri }, position: { line: 6, character: 3 } });
    assert.match(hover.contents.value, /GR004 local-replace/);
  });

  it('checks the go.mod again after an incremental change', async () => {
    const mark = client.mark();
    client.notify('textDocument/didChange', {
      textDocument: { uri: goModUri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 3 }, end: { line: 2, character: 7 } }, text: '1.22' }],
    });
    const p = await published(goModUri, mark);
    assert.equal(p.version, 2);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['GR002', 'GR004']);
  });

  it('follows the settings: a rule turned off disappears', async () => {
    settings = { rules: { 'local-replace': 'off' } };
    const mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const p = await published(goModUri, mark);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['GR002']);
    settings = {};
  });

  it('reports GR001 on a Go file with no go.mod above it, and not on one inside the module', async () => {
    const outside = pathToFileURL(join(dir, 'loose', 'main.go')).href;
    const inside = pathToFileURL(join(dir, 'shop', 'main.go')).href;
    const text = 'package main\n\nfunc main() {}\n';
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: outside, languageId: 'go', version: 1, text } });
    const loose = await published(outside, mark);
    assert.deepEqual(loose.diagnostics.map((d) => [d.code, d.range.start.line]), [['GR001', 0]]);
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: inside, languageId: 'go', version: 1, text } });
    assert.deepEqual((await published(inside, mark)).diagnostics, []);
  });

  it('clears the go.mod diagnostics on close', async () => {
    const mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: goModUri } });
    assert.deepEqual((await published(goModUri, mark)).diagnostics, []);
  });
});
