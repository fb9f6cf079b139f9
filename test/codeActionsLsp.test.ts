// The code actions every finding offers, over stdio: the rule's fix, "Fix all GRxxx problems in
// this file" (its edit resolved with codeAction/resolve), "Ignore GRxxx on this line" and "in this
// file", and the source.fixAll.goRubric action that editor.codeActionsOnSave runs.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { startStdioServer, type Diagnostic, type LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';
import { editsAsContentChanges, naiveApplyEdits, type LspTextEdit } from './helpers/naiveText';

const serverJs = join(repoRoot(), 'server', 'out', 'server.js');

const SOURCE = `package shop

import "fmt"

func load(name string, err error) error {
\treturn fmt.Errorf("load %s: %v", name, err)
}

func save(name string, err error) error {
\treturn fmt.Errorf("save %s: %v", name, err)
}
`;

interface Action {
  title: string;
  kind?: string;
  data?: unknown;
  edit?: { documentChanges?: { textDocument: { uri: string; version: number }; edits: LspTextEdit[] }[] };
}

describe('code actions over stdio', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let uri: string;
  let text = SOURCE;
  let version = 1;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'go-rubric-actions-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/shop\n\ngo 1.21\n');
    uri = pathToFileURL(join(dir, 'shop.go')).href;
    client = await startStdioServer(serverJs, {
      initialize: {
        capabilities: {
          workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
          textDocument: {
            codeAction: {
              codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
              resolveSupport: { properties: ['edit'] },
              dataSupport: true,
            },
          },
        },
      },
    });
  });

  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const published = (v: number, mark: number) =>
    client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === v, { after: mark });

  const editsOf = (action: Action): LspTextEdit[] => {
    const changes = action.edit?.documentChanges;
    assert.equal(changes?.length, 1, `${action.title}: one versioned document edit`);
    assert.equal(changes![0]!.textDocument.version, version);
    return changes![0]!.edits;
  };

  async function apply(edits: LspTextEdit[]): Promise<Diagnostic[]> {
    const mark = client.mark();
    const changes = editsAsContentChanges(text, edits);
    text = naiveApplyEdits(text, edits);
    version++;
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return (await published(version, mark)).diagnostics;
  }

  let diagnostics: Diagnostic[] = [];

  it('offers the fix, Fix all, and the two Ignore actions on a finding', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
    diagnostics = (await published(version, mark)).diagnostics;
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['GR101', 5], ['GR101', 9]]);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics: [diagnostics[0]], only: ['quickfix'] },
    });
    assert.deepEqual(actions.map((a) => a.title), [
      'Wrap with %w',
      'Fix all GR101 (errorf-wrap-verb) problems in this file',
      'Ignore GR101 (errorf-wrap-verb) on this line',
      'Ignore GR101 (errorf-wrap-verb) in this file',
    ]);
    // Fix all is computed when chosen: the client resolves its edit.
    const fixAll = actions[1]!;
    assert.equal(fixAll.edit, undefined);
    const resolved = await client.request<Action>('codeAction/resolve', fixAll);
    assert.equal(naiveApplyEdits(text, editsOf(resolved)), SOURCE.replaceAll(': %v"', ': %w"'));
    const ignore = editsOf(actions[2]!);
    assert.deepEqual(ignore, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '\t//rubric:ignore GR101 TODO reason\n' }]);
  });

  it('an applied Ignore silences the finding, and nothing reports the new directive', async () => {
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics: [diagnostics[0]], only: ['quickfix'] },
    });
    const after = await apply(editsOf(actions.find((a) => a.title.startsWith('Ignore') && a.title.endsWith('on this line'))!));
    assert.deepEqual(after.map((d) => [d.code, d.range.start.line]), [['GR101', 10]]);
  });

  it('source.fixAll applies every safe fix that is not silenced', async () => {
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all Go Rubric problems', 'source.fixAll.goRubric']]);
    const after = await apply(editsOf(actions[0]!));
    assert.deepEqual(after, []);
    assert.match(text, /\t\/\/rubric:ignore GR101 TODO reason\n\treturn fmt\.Errorf\("load %s: %v"/);
    assert.match(text, /"save %s: %w"/);
  });

  it('answers only what is asked: no source action among quick fixes, no quick fix for source.fixAll', async () => {
    const quick = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.ok(quick.every((a) => a.kind === 'quickfix'));
    const source = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.goRubric'] },
    });
    assert.deepEqual(source, [], 'nothing left to fix');
  });
});
