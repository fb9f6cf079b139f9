// goRubric.deferToGopls through the real server over stdio: "on" leaves GR209 lost-cancel to gopls
// (no diagnostic), "off" and "auto" from a client that cannot tell run it, and a severity the user
// gave the rule wins over deferring.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
const URI = 'file:///tmp/go-rubric-defer-test/leak.go';
const TEXT = `package leak

import (
	"context"
	"time"
)

func fetch(ctx context.Context) error {
	ctx, _ = context.WithTimeout(ctx, time.Second)
	return ctx.Err()
}
`;

describe('goRubric.deferToGopls in the language server', { timeout: 60_000 }, () => {
  let client: LspClient;
  let settings: Record<string, unknown> = { deferToGopls: 'on' };
  let version = 1;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
    client = new LspClient(process.execPath, [serverJs, '--stdio']);
    client.onRequest('workspace/configuration', (params) => (params as { items: { section?: string }[] }).items.map((i) => (i.section === 'goRubric' ? structuredClone(settings) : null)));
    client.onRequest('client/registerCapability', () => null);
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    client.notify('initialized', {});
  });

  after(() => client?.kill());

  /** The codes published for the document's current version once `settings` are pulled again. */
  async function codesWith(next: Record<string, unknown>): Promise<string[]> {
    settings = next;
    const mark = client.mark();
    if (version === 1) client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'go', version, text: TEXT } });
    else client.notify('workspace/didChangeConfiguration', { settings: null });
    const published = await client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === URI, { after: mark });
    version++;
    return published.diagnostics.map((d) => String(d.code)).sort();
  }

  it('"on" leaves lost-cancel to gopls', async () => {
    assert.ok(!(await codesWith({ deferToGopls: 'on' })).includes('GR209'));
  });

  it('"off" runs it', async () => {
    assert.ok((await codesWith({ deferToGopls: 'off' })).includes('GR209'));
  });

  it('"auto" runs it: only the VS Code client can tell whether gopls runs', async () => {
    assert.ok((await codesWith({})).includes('GR209'));
  });

  it('a severity given to the rule wins over deferring', async () => {
    assert.ok((await codesWith({ deferToGopls: 'on', rules: { 'lost-cancel': 'error' } })).includes('GR209'));
    assert.ok(!(await codesWith({ deferToGopls: 'on', rules: {} })).includes('GR209'));
  });
});
