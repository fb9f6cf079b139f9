// End-to-end test of the language server over stdio: spawns `node server/out/server.js --stdio`
// (built by `npm test` before the tests run) and speaks LSP to it like an editor would: pulls
// settings through workspace/configuration, syncs the document incrementally, and checks the
// published diagnostics, quick fixes (applied to the text here), hovers and settings changes.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allRules } from '../server/src/rules';
import { repoRoot } from './helpers/goFiles';
import { LspClient, type Diagnostic, type PublishDiagnosticsParams } from './helpers/lspClient';
import {
  editsAsContentChanges,
  naiveApplyAll,
  naiveApplyEdits,
  naiveRange,
  type LspChange,
  type LspRange,
  type LspTextEdit,
} from './helpers/naiveText';

const MODULE_DIR = '/tmp/go-rubric-lsp-test';
const URI = `file://${MODULE_DIR}/store/a.go`;
const TIMEOUT_MS = 10_000;

// Line numbers (0-based) are asserted below; keep them in step when editing this text.
const SOURCE = `package store

import (
\t"fmt"
\t"os"
\t"sync"
)

// Cache keeps décodé blobs in memory. 😀
type Cache struct {
\tmu     sync.Mutex
\tclosed bool
\titems  map[string][]byte
}

func (c *Cache) Put(key string, value []byte) error {
\tc.mu.Lock()
\tif c.closed {
\t\treturn fmt.Errorf("put %s: cache closed", key)
\t}
\tc.items[key] = value
\tc.mu.Unlock()
\treturn nil
}

func Load(path string) ([]byte, error) {
\tdata, err := os.ReadFile(path)
\tif err != nil {
\t\treturn nil, err
\t}
\treturn data, nil
}

func Decode(name string, data []byte) error {
\tif err := check(data); err != nil {
\t\treturn fmt.Errorf("décodage 😀 %s: %v", name, err)
\t}
\treturn nil
}

func check(data []byte) error {
\tif len(data) == 0 {
\t\treturn os.ErrInvalid
\t}
\treturn nil
}
`;

interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  edit?: {
    changes?: Record<string, LspTextEdit[]>;
    documentChanges?: { textDocument: { uri: string; version: number | null }; edits: LspTextEdit[] }[];
  };
}

const WARNING = 2;
const INFORMATION = 3;
const ERROR = 1;

/** The range of the n-th (0-based) occurrence of `needle` after `from` in text. */
function rangeOf(text: string, needle: string, options: { after?: string; nth?: number } = {}): LspRange {
  let at = options.after === undefined ? 0 : text.indexOf(options.after);
  assert.ok(at >= 0, `text should contain ${JSON.stringify(options.after)}`);
  for (let n = options.nth ?? 0; ; n--) {
    at = text.indexOf(needle, at);
    assert.ok(at >= 0, `text should contain ${JSON.stringify(needle)}`);
    if (n === 0) break;
    at += needle.length;
  }
  return naiveRange(text, at, at + needle.length);
}

function byCode(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic> {
  const map = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    assert.ok(!map.has(String(d.code)), `one ${d.code} diagnostic expected, got several: ${JSON.stringify(diagnostics)}`);
    map.set(String(d.code), d);
  }
  return map;
}

function proverbOf(code: string): string {
  const rule = allRules.find((r) => r.meta.code === code);
  assert.ok(rule, `rule ${code} should be registered`);
  return rule.meta.proverb.text;
}

describe('language server over stdio (LSP)', { timeout: 60_000 }, () => {
  const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
  let client: LspClient;
  let settings: { enable: boolean; rules: Record<string, string> } = { enable: true, rules: {} };
  const configurationRequests: { items: { scopeUri?: string; section?: string }[] }[] = [];
  /** The text the server should hold, maintained here with the naive model. */
  let text = SOURCE;
  let version = 1;

  async function change(changes: LspChange[]): Promise<PublishDiagnosticsParams> {
    version++;
    text = naiveApplyAll(text, changes);
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: changes });
    return diagnosticsFor(version);
  }

  function diagnosticsFor(v: number, after?: number): Promise<PublishDiagnosticsParams> {
    return client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === URI && p.version === v, {
      after,
      timeoutMs: TIMEOUT_MS,
      what: `diagnostics for version ${v}`,
    });
  }

  async function quickFixFor(diagnostic: Diagnostic): Promise<{ action: CodeAction; edits: LspTextEdit[] }> {
    const actions = await client.request<CodeAction[] | null>(
      'textDocument/codeAction',
      { textDocument: { uri: URI }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } },
      TIMEOUT_MS,
    );
    // The rule's own fix; every finding also offers the ignore actions (and "Fix all" with two or more), tested below.
    const fixes = (actions ?? []).filter((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === diagnostic.code) && !/^(Ignore|Fix all) /.test(a.title));
    assert.equal(fixes.length, 1, `one quick fix expected for ${diagnostic.code}, got ${JSON.stringify(actions)}`);
    const action = fixes[0]!;
    assert.ok(action.edit, `${diagnostic.code}'s quick fix should carry a WorkspaceEdit`);
    // The client announced documentChanges support, so the edit should be versioned.
    const documentChanges = action.edit.documentChanges;
    let edits: LspTextEdit[];
    if (documentChanges) {
      assert.equal(documentChanges.length, 1);
      assert.equal(documentChanges[0]!.textDocument.uri, URI);
      assert.equal(documentChanges[0]!.textDocument.version, version, 'the edit should be for the current version');
      edits = documentChanges[0]!.edits;
    } else {
      const changes = action.edit.changes ?? {};
      assert.deepEqual(Object.keys(changes), [URI]);
      edits = changes[URI]!;
    }
    assert.ok(edits.length > 0);
    return { action, edits };
  }

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
    // The document's folder belongs to a module, as a real project's would (else GR001 reports it).
    mkdirSync(MODULE_DIR, { recursive: true });
    writeFileSync(join(MODULE_DIR, 'go.mod'), 'module example.com/lsptest\n\ngo 1.21\n');
    client = new LspClient(process.execPath, [serverJs, '--stdio']);
    client.onRequest('workspace/configuration', (params) => {
      const p = params as { items: { scopeUri?: string; section?: string }[] };
      configurationRequests.push(p);
      return p.items.map((item) => (item.section === 'goRubric' ? structuredClone(settings) : null));
    });
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('client/unregisterCapability', () => null);
    client.onRequest('window/workDoneProgress/create', () => null);
    client.onRequest('window/showMessageRequest', () => null);
  });

  after(async () => {
    client?.kill();
    rmSync(MODULE_DIR, { recursive: true, force: true });
  });

  it('initializes and advertises incremental sync, quick fixes and hovers', async () => {
    const result = await client.request<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'go-rubric-test-client' },
        rootUri: 'file:///tmp/go-rubric-lsp-test',
        workspaceFolders: [{ uri: 'file:///tmp/go-rubric-lsp-test', name: 'go-rubric-lsp-test' }],
        capabilities: {
          workspace: {
            configuration: true,
            didChangeConfiguration: { dynamicRegistration: true },
            workspaceEdit: { documentChanges: true },
            workspaceFolders: true,
          },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: false },
            publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, relatedInformation: true },
            codeAction: {
              codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } },
              isPreferredSupport: true,
            },
            hover: { contentFormat: ['markdown', 'plaintext'] },
          },
          general: { positionEncodings: ['utf-16'] },
        },
      },
      TIMEOUT_MS,
    );
    const caps = result.capabilities;
    const sync = caps.textDocumentSync as number | { change?: number; openClose?: boolean };
    const syncKind = typeof sync === 'number' ? sync : sync.change;
    assert.equal(syncKind, 2, 'textDocumentSync should be Incremental (2)');
    if (typeof sync !== 'number') assert.equal(sync.openClose, true);
    assert.ok(caps.hoverProvider, 'hoverProvider');
    assert.ok(caps.codeActionProvider, 'codeActionProvider');
    if (caps.positionEncoding !== undefined) assert.equal(caps.positionEncoding, 'utf-16');
    client.notify('initialized', {});
  });

  it('publishes versioned diagnostics for GR201, GR102 and GR101 on open, pulling settings first', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'go', version, text } });
    const published = await diagnosticsFor(1);
    const diags = byCode(published.diagnostics);
    assert.deepEqual([...diags.keys()].sort(), ['GR101', 'GR102', 'GR201'], JSON.stringify(published.diagnostics, null, 1));

    for (const d of published.diagnostics) {
      assert.equal(d.source, 'go-rubric');
      assert.match(d.codeDescription?.href ?? '', /^https:\/\//, `${d.code} should link to its documentation`);
      assert.ok(d.message.length > 10);
    }
    const gr201 = diags.get('GR201')!;
    assert.equal(gr201.severity, WARNING, 'the early return skips the Unlock: warning');
    assert.deepEqual(gr201.range, rangeOf(text, 'c.mu.Lock()'));
    assert.match(gr201.message, /line 19/, 'the message should name the line of the early return (1-based)');
    const gr102 = diags.get('GR102')!;
    assert.equal(gr102.severity, INFORMATION);
    assert.deepEqual(gr102.range, rangeOf(text, 'return nil, err'));
    const gr101 = diags.get('GR101')!;
    assert.equal(gr101.severity, INFORMATION);
    // After "décodage 😀 " on the line: the emoji counts as two UTF-16 code units.
    assert.deepEqual(gr101.range, rangeOf(text, '%v'));
    assert.equal(gr101.range.start.character, '\t\treturn fmt.Errorf("décodage 😀 %s: '.length);

    // Settings were pulled for this document's scope before checking it.
    assert.ok(
      configurationRequests.some((r) => r.items.some((i) => i.section === 'goRubric' && i.scopeUri === URI)),
      `expected a workspace/configuration request for ${URI}, got ${JSON.stringify(configurationRequests)}`,
    );
    assert.ok(
      client.serverRequests.some((r) => r.method === 'client/registerCapability'),
      'the server should register for workspace/didChangeConfiguration',
    );
  });

  it('offers quick fixes whose WorkspaceEdits produce the expected code', async () => {
    const diags = byCode((await diagnosticsFor(1)).diagnostics);

    const gr101 = await quickFixFor(diags.get('GR101')!);
    assert.equal(
      naiveApplyEdits(text, gr101.edits),
      text.replace('"décodage 😀 %s: %v", name, err', '"décodage 😀 %s: %w", name, err'),
    );

    const gr201 = await quickFixFor(diags.get('GR201')!);
    assert.equal(
      naiveApplyEdits(text, gr201.edits),
      text.replace('\tc.mu.Lock()\n', '\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n').replace('\tc.mu.Unlock()\n', ''),
    );
    assert.match(gr201.action.title, /defer c\.mu\.Unlock\(\)/);

    const gr102 = await quickFixFor(diags.get('GR102')!);
    assert.equal(
      naiveApplyEdits(text, gr102.edits),
      text.replace('\t\treturn nil, err\n', '\t\treturn nil, fmt.Errorf("read file: %w", err)\n'),
    );
  });

  it('updates diagnostics after an incremental change that fixes GR101 (the quick fix, sent as didChange)', async () => {
    const diags = byCode((await diagnosticsFor(1)).diagnostics);
    const { edits } = await quickFixFor(diags.get('GR101')!);
    const published = await change(editsAsContentChanges(text, edits));
    assert.ok(text.includes('%s: %w", name, err'));
    const now = byCode(published.diagnostics);
    assert.deepEqual([...now.keys()].sort(), ['GR102', 'GR201']);
    assert.equal(now.get('GR201')!.severity, WARNING);
    assert.deepEqual(now.get('GR102')!.range, rangeOf(text, 'return nil, err'));
  });

  it('lowers GR201 to information when a change removes the early return', async () => {
    const start = text.indexOf('\tif c.closed {');
    const end = text.indexOf('\tc.items[key] = value');
    const published = await change([{ range: naiveRange(text, start, end), text: '' }]);
    const now = byCode(published.diagnostics);
    assert.deepEqual([...now.keys()].sort(), ['GR102', 'GR201']);
    assert.equal(now.get('GR201')!.severity, INFORMATION, 'no path skips the Unlock any more');
    assert.deepEqual(now.get('GR201')!.range, rangeOf(text, 'c.mu.Lock()'));
    assert.deepEqual(now.get('GR102')!.range, rangeOf(text, 'return nil, err'), 'GR102 should move up with its code');
  });

  it('reports a new problem added by a multi-change event, and moves the others', async () => {
    const added = [
      'func Close(f *os.File) error {',
      '\tif err := f.Close(); err != nil {',
      '\t\treturn fmt.Errorf("close %s: %s", f.Name(), err)',
      '\t}',
      '\treturn nil',
      '}',
      '',
      '',
    ].join('\n');
    const insertAt = text.indexOf('// Cache keeps');
    const first: LspChange = { range: naiveRange(text, insertAt, insertAt), text: added };
    // The second change is relative to the text after the first, as LSP specifies.
    const afterFirst = naiveApplyAll(text, [first]);
    const returnAt = afterFirst.indexOf('return nil, err');
    const second: LspChange = { range: naiveRange(afterFirst, returnAt, returnAt), text: '/* 😀 */ ' };
    const published = await change([first, second]);

    const now = byCode(published.diagnostics);
    assert.deepEqual([...now.keys()].sort(), ['GR101', 'GR102', 'GR201']);
    const gr101 = now.get('GR101')!;
    assert.equal(gr101.severity, INFORMATION);
    assert.deepEqual(gr101.range, rangeOf(text, '%s', { after: 'fmt.Errorf("close', nth: 1 }));
    assert.deepEqual(now.get('GR201')!.range, rangeOf(text, 'c.mu.Lock()'));
    const gr102 = now.get('GR102')!;
    assert.deepEqual(gr102.range, rangeOf(text, 'return nil, err'));
    assert.equal(gr102.range.start.character, '\t\t/* 😀 */ '.length, 'UTF-16 column after an emoji');
  });

  it('ends a burst of keystrokes with diagnostics for the last version, and none older after it', async () => {
    // Type a comment above Load one character (one code point) at a time, as an editor sends it.
    const lineStart = text.indexOf('func Load');
    let at = lineStart;
    const mark = client.mark();
    for (const ch of '// 世界😀 typed\n') {
      version++;
      const change: LspChange = { range: naiveRange(text, at, at), text: ch };
      text = naiveApplyAll(text, [change]);
      at += ch.length;
      client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [change] });
    }
    const published = await diagnosticsFor(version, mark);
    const now = byCode(published.diagnostics);
    assert.deepEqual([...now.keys()].sort(), ['GR101', 'GR102', 'GR201']);
    assert.deepEqual(now.get('GR102')!.range, rangeOf(text, 'return nil, err'));
    // Give a late, stale publish a chance to show up; the last one for the document must be current.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const last = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).uri === URI).at(-1);
    assert.equal((last?.params as PublishDiagnosticsParams).version, version, 'no diagnostics for an older version after the current one');
  });

  it('answers hovers on diagnostics with the rule, its proverb and https links', async () => {
    const diags = (await diagnosticsFor(version)).diagnostics;
    assert.equal(diags.length, 3);
    for (const d of diags) {
      for (const position of [d.range.start, d.range.end]) {
        const hover = await client.request<{ contents: { kind: string; value: string }; range?: LspRange } | null>(
          'textDocument/hover',
          { textDocument: { uri: URI }, position },
          TIMEOUT_MS,
        );
        assert.ok(hover, `a hover expected at ${JSON.stringify(position)} for ${d.code}`);
        assert.equal(hover.contents.kind, 'markdown');
        assert.ok(hover.contents.value.includes(String(d.code)), `hover should name ${d.code}`);
        assert.ok(hover.contents.value.includes(proverbOf(String(d.code))), `hover for ${d.code} should quote its proverb`);
        assert.match(hover.contents.value, /\]\(https:\/\/[^)\s]+\)/, 'hover should contain an https link');
        if (hover.range) assert.deepEqual(hover.range, d.range);
      }
    }
    const nothing = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 2 } }, TIMEOUT_MS);
    assert.equal(nothing, null, 'no hover away from diagnostics');
  });

  it('pulls settings again on workspace/didChangeConfiguration: GR101 off, then GR201 as error', async () => {
    const pulled = configurationRequests.length;
    settings = { enable: true, rules: { GR101: 'off' } };
    let mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    let published = await diagnosticsFor(version, mark);
    assert.ok(configurationRequests.length > pulled, 'the server should pull the new settings with workspace/configuration');
    assert.deepEqual([...byCode(published.diagnostics).keys()].sort(), ['GR102', 'GR201']);

    settings = { enable: true, rules: { GR101: 'off', 'lock-without-defer': 'error' } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    published = await diagnosticsFor(version, mark);
    const now = byCode(published.diagnostics);
    assert.deepEqual([...now.keys()].sort(), ['GR102', 'GR201']);
    assert.equal(now.get('GR201')!.severity, ERROR);

    settings = { enable: false, rules: {} };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    published = await diagnosticsFor(version, mark);
    assert.deepEqual(published.diagnostics, [], 'goRubric.enable: false clears the diagnostics');
  });

  it('clears diagnostics on close, then shuts down and exits cleanly', async () => {
    settings = { enable: true, rules: {} };
    const mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    const cleared = await client.waitForNotification<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === URI && p.diagnostics.length === 0,
      { after: mark, timeoutMs: TIMEOUT_MS, what: 'empty diagnostics after didClose' },
    );
    assert.deepEqual(cleared.diagnostics, []);

    const result = await client.request('shutdown', null, TIMEOUT_MS);
    assert.equal(result, null);
    client.notify('exit');
    assert.equal(await client.waitForExit(TIMEOUT_MS), 0, `exit code; stderr:\n${client.stderr}`);

    const errors = client.notifications.filter(
      (n) => (n.method === 'window/logMessage' || n.method === 'window/showMessage') && (n.params as { type: number }).type === 1,
    );
    assert.deepEqual(errors, [], 'the server should log no errors');
    assert.deepEqual(client.unhandledRequests, [], 'the server sent requests this client does not know');
  });
});
