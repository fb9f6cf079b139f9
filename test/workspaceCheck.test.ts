// The editor's workspace check through the real stdio server: workspace/executeCommand over a
// temporary workspace folder, with some files open in the "editor" and others only on disk. It
// checks what is published for files that are not open (codes, ranges, severities from the
// settings, related places, the same diagnostics the live path gives), that skipped folders and
// open documents are left alone, that a closed document falls back to its file on disk, that a new
// run clears what no longer applies, the work-done progress (created by the server, or the
// client's own token), and cancellation.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { LspClient, ResponseError, type Diagnostic, type PublishDiagnosticsParams } from './helpers/lspClient';
import { naiveRange, type LspRange } from './helpers/naiveText';

const TIMEOUT_MS = 20_000;
const COMMAND = 'goRubric.server.checkWorkspace';
const WARNING = 2;

interface Summary {
  files: number;
  findings: number;
  problems: number;
  ms: number;
  cancelled: boolean;
}

interface ProgressParams {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number; cancellable?: boolean };
}

// Line numbers (0-based) are asserted below; keep them in step when editing these texts.
const WRAP = 'package p\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("é😀: %v", err)\n}\n';
const LOCK = 'package p\n\nimport "sync"\n\nvar mu sync.Mutex\n\nfunc f(x int) int {\n\tmu.Lock()\n\tif x > 0 {\n\t\treturn x\n\t}\n\tmu.Unlock()\n\treturn 0\n}\n';
const CLEAN = 'package p\n\nfunc clean() int {\n\treturn 1\n}\n';

function rangeOf(text: string, needle: string): LspRange {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `text should contain ${JSON.stringify(needle)}`);
  return naiveRange(text, at, at + needle.length);
}

function write(path: string, text: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Starts the server on a workspace folder, answering its requests as VS Code would. */
async function startServer(folder: string, capabilities: { workDoneProgress: boolean }, settings: unknown): Promise<LspClient> {
  const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
  assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
  const client = new LspClient(process.execPath, [serverJs, '--stdio']);
  const folders = [{ uri: pathToFileURL(folder).href, name: 'ws' }];
  client.onRequest('workspace/configuration', (params) =>
    (params as { items: { section?: string }[] }).items.map((item) => (item.section === 'goRubric' ? structuredClone(settings) : null)),
  );
  client.onRequest('workspace/workspaceFolders', () => folders);
  client.onRequest('client/registerCapability', () => null);
  if (capabilities.workDoneProgress) client.onRequest('window/workDoneProgress/create', () => null);
  const result = await client.request<{ capabilities: { executeCommandProvider?: { commands: string[] } } }>(
    'initialize',
    {
      processId: process.pid,
      rootUri: folders[0]!.uri,
      workspaceFolders: folders,
      capabilities: {
        window: { workDoneProgress: capabilities.workDoneProgress },
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, executeCommand: {} },
        textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, relatedInformation: true } },
      },
    },
    TIMEOUT_MS,
  );
  assert.deepEqual(result.capabilities.executeCommandProvider?.commands, [COMMAND, 'goRubric.server.report']);
  client.notify('initialized', {});
  return client;
}

describe('workspace check (workspace/executeCommand)', { timeout: 120_000 }, () => {
  let dir: string;
  let client: LspClient;
  const uri = (relativePath: string) => pathToFileURL(join(dir, relativePath)).href;
  const publishedAfter = (mark: number) =>
    client.notifications.filter((n) => n.seq >= mark && n.method === 'textDocument/publishDiagnostics').map((n) => n.params as PublishDiagnosticsParams);
  const progressAfter = (mark: number, token: string | number) =>
    client.notifications
      .filter((n) => n.seq >= mark && n.method === '$/progress' && (n.params as ProgressParams).token === token)
      .map((n) => (n.params as ProgressParams).value);
  /** The diagnostics published last for a document (live or by the workspace check), waiting for them if need be. */
  const diagnosticsOf = (relativePath: string, after: number, what: string) =>
    client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri(relativePath), {
      after,
      timeoutMs: TIMEOUT_MS,
      what,
    });

  // The open document differs from its file: the editor's text is clean, the file on disk is not.
  const openText = CLEAN;
  let workspaceLock: Diagnostic[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-workspace-'));
    // A module, as a real project is (a folder with no go.mod above gets GR001 on every file).
    writeFileSync(join(dir, 'go.mod'), 'module example.com/t\n\ngo 1.21\n');
    write(join(dir, 'open.go'), WRAP);
    write(join(dir, 'wrap.go'), WRAP);
    write(join(dir, 'clean.go'), CLEAN);
    write(join(dir, 'bad.go'), Buffer.from([0x70, 0x61, 0x00, 0x01]));
    write(join(dir, 'pkg', 'lock.go'), LOCK);
    for (const skipped of ['testdata', 'vendor', '.hidden', '_old', 'node_modules']) write(join(dir, skipped, 'x.go'), WRAP);
    write(join(dir, 'pkg', 'testdata', 'deep.go'), LOCK);
    // GR101 as a warning: the workspace check must use the server's resolved settings.
    client = await startServer(dir, { workDoneProgress: true }, { enable: true, rules: { GR101: 'warning' }, debounce: 0 });
  });

  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics for the files that are not open, with progress created by the server', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('open.go'), languageId: 'go', version: 1, text: openText } });
    const live = await diagnosticsOf('open.go', 0, 'live diagnostics for open.go');
    assert.deepEqual(live.diagnostics, []);

    const mark = client.mark();
    const summary = await client.request<Summary>('workspace/executeCommand', { command: COMMAND, arguments: [] }, TIMEOUT_MS);
    // open.go (on disk), wrap.go, clean.go, bad.go and pkg/lock.go; bad.go is binary: a problem.
    assert.deepEqual({ ...summary, ms: 0 }, { files: 5, findings: 3, problems: 1, ms: 0, cancelled: false });
    assert.ok(summary.ms >= 0);

    const published = publishedAfter(mark);
    assert.deepEqual(published.map((p) => p.uri).sort(), [uri('pkg/lock.go'), uri('wrap.go')].sort(), 'only the files with findings that are not open');

    const wrap = published.find((p) => p.uri === uri('wrap.go'))!;
    assert.equal(wrap.diagnostics.length, 1);
    const gr101 = wrap.diagnostics[0]!;
    assert.equal(gr101.code, 'GR101');
    assert.equal(gr101.source, 'go-rubric');
    assert.equal(gr101.severity, WARNING, 'goRubric.rules makes GR101 a warning');
    assert.deepEqual(gr101.range, rangeOf(WRAP, '%v'), 'UTF-16 range, after the emoji');
    assert.match(gr101.codeDescription?.href ?? '', /^https:\/\//);

    const lock = published.find((p) => p.uri === uri('pkg/lock.go'))!;
    assert.deepEqual(lock.diagnostics.map((d) => d.code), ['GR201']);
    const gr201 = lock.diagnostics[0]!;
    assert.equal(gr201.severity, WARNING);
    assert.deepEqual(gr201.range, rangeOf(LOCK, 'mu.Lock()'));
    assert.equal(gr201.relatedInformation?.length, 1, 'the early return, as related information');
    assert.equal(gr201.relatedInformation[0]!.location.uri, uri('pkg/lock.go'));
    assert.equal(gr201.relatedInformation[0]!.location.range.start.line, 9);
    workspaceLock = lock.diagnostics;

    // Progress: created by the server, begun, reported as "n / total files", ended.
    const create = client.serverRequests.find((r) => r.method === 'window/workDoneProgress/create');
    assert.ok(create, 'the server should create a work-done progress');
    const token = (create.params as { token: string | number }).token;
    await client.waitForNotification<ProgressParams>('$/progress', (p) => p.token === token && p.value.kind === 'end', { after: mark, timeoutMs: TIMEOUT_MS });
    const progress = progressAfter(mark, token);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress[0]?.cancellable, true);
    assert.equal(progress.at(-1)?.kind, 'end');
    const reports = progress.filter((v) => v.kind === 'report');
    assert.ok(reports.length >= 1, JSON.stringify(progress));
    for (const r of reports) assert.match(r.message ?? '', /^\d+ \/ 5 files$/);
    assert.deepEqual(reports.at(-1), { kind: 'report', percentage: 100, message: '5 / 5 files' });

    const logged = client.notifications.filter((n) => n.seq >= mark && n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(logged.some((m) => /workspace check: 3 findings in 5 files, 1 problem/.test(m)), logged.join('\n'));
    assert.ok(logged.some((m) => m.includes('bad.go') && m.includes('binary file')), 'the problem should be logged with its file');
  });

  it('gives a file the same diagnostics as the live path does when it is opened', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('pkg/lock.go'), languageId: 'go', version: 1, text: LOCK } });
    const live = await diagnosticsOf('pkg/lock.go', mark, 'live diagnostics for pkg/lock.go');
    assert.equal(live.version, 1);
    assert.deepEqual(live.diagnostics, workspaceLock);
  });

  it('falls back to the file on disk when a document is closed', async () => {
    let mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri('pkg/lock.go') } });
    const lock = await diagnosticsOf('pkg/lock.go', mark, 'diagnostics for pkg/lock.go after close');
    assert.deepEqual(lock.diagnostics, workspaceLock);

    // open.go was clean in the editor; on disk it has a GR101, which shows once it is closed.
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri('open.go') } });
    const closed = await diagnosticsOf('open.go', mark, 'diagnostics for open.go after close');
    assert.deepEqual(closed.diagnostics.map((d) => d.code), ['GR101']);
    assert.deepEqual(closed.diagnostics[0]!.range, rangeOf(WRAP, '%v'));

    // Files the workspace check does not walk are cleared on close, as without a workspace check.
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('testdata/x.go'), languageId: 'go', version: 1, text: WRAP } });
    await diagnosticsOf('testdata/x.go', mark, 'live diagnostics for testdata/x.go');
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri('testdata/x.go') } });
    assert.deepEqual((await diagnosticsOf('testdata/x.go', mark, 'diagnostics after closing testdata/x.go')).diagnostics, []);
  });

  it('replaces the previous results when run again, and reports on the client\'s own progress token', async () => {
    write(join(dir, 'pkg', 'lock.go'), CLEAN);
    unlinkSync(join(dir, 'wrap.go'));
    const opened = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('open.go'), languageId: 'go', version: 1, text: openText } });
    await diagnosticsOf('open.go', opened, 'live diagnostics for open.go');
    const creates = client.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create').length;

    const mark = client.mark();
    const summary = await client.request<Summary>('workspace/executeCommand', { command: COMMAND, arguments: [], workDoneToken: 'client-token' }, TIMEOUT_MS);
    assert.deepEqual({ ...summary, ms: 0 }, { files: 4, findings: 1, problems: 1, ms: 0, cancelled: false });

    const published = publishedAfter(mark);
    assert.deepEqual(
      published.map((p) => [p.uri, p.diagnostics.length]).sort(),
      [
        [uri('pkg/lock.go'), 0],
        [uri('wrap.go'), 0],
      ].sort(),
      'what no longer applies is cleared; the open document is left alone',
    );

    assert.equal(client.serverRequests.filter((r) => r.method === 'window/workDoneProgress/create').length, creates, 'no progress created: the client sent a token');
    const progress = progressAfter(mark, 'client-token');
    assert.deepEqual(progress.map((v) => v.kind).filter((k, i, all) => all.indexOf(k) === i), ['begin', 'report', 'end']);
    assert.deepEqual(progress.filter((v) => v.kind === 'report').at(-1), { kind: 'report', percentage: 100, message: '4 / 4 files' });
  });

  it('accepts the VS Code command id, rejects unknown commands, and shuts down cleanly', async () => {
    const summary = await client.request<Summary>('workspace/executeCommand', { command: 'goRubric.checkWorkspace', arguments: [] }, TIMEOUT_MS);
    assert.equal(summary.files, 4);
    await assert.rejects(
      client.request('workspace/executeCommand', { command: 'goRubric.nope', arguments: [] }, TIMEOUT_MS),
      (error: unknown) => error instanceof ResponseError && /unknown command/.test(error.message),
    );

    assert.equal(await client.request('shutdown', null, TIMEOUT_MS), null);
    client.notify('exit');
    assert.equal(await client.waitForExit(TIMEOUT_MS), 0, `exit code; stderr:\n${client.stderr}`);
    const errors = client.notifications.filter((n) => n.method === 'window/logMessage' && (n.params as { type: number }).type === 1);
    assert.deepEqual(errors, [], 'the server should log no errors');
    assert.deepEqual(client.unhandledRequests, []);
  });
});

describe('workspace check cancellation', { timeout: 120_000 }, () => {
  const FILES = 3000;
  let dir: string;
  let client: LspClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-workspace-cancel-'));
    // A module, as a real project is (a folder with no go.mod above gets GR001 on every file).
    writeFileSync(join(dir, 'go.mod'), 'module example.com/t\n\ngo 1.21\n');
    for (let i = 0; i < FILES; i++) write(join(dir, `p${Math.floor(i / 100)}`, `f${i}.go`), WRAP);
    client = await startServer(dir, { workDoneProgress: true }, { enable: true, rules: {}, debounce: 0 });
  });

  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops handing out files when the progress is cancelled, keeps what was published, and can run again', async () => {
    let token: string | number | undefined;
    client.onRequest('window/workDoneProgress/create', (params) => {
      token = (params as { token: string | number }).token;
      return null;
    });
    const mark = client.mark();
    const request = client.request<Summary>('workspace/executeCommand', { command: COMMAND, arguments: [] }, TIMEOUT_MS);
    // Cancel once the first file's diagnostics are in: the run is under way then.
    await client.waitForNotification('textDocument/publishDiagnostics', () => true, { after: mark, timeoutMs: TIMEOUT_MS });
    assert.ok(token !== undefined, 'the server should have created its progress before publishing');
    client.notify('window/workDoneProgress/cancel', { token });
    const summary = await request;
    assert.equal(summary.cancelled, true, JSON.stringify(summary));
    assert.ok(summary.files > 0 && summary.files < FILES, `cancelled after ${summary.files} of ${FILES} files`);
    assert.equal(summary.findings, summary.files);
    await client.waitForNotification<ProgressParams>('$/progress', (p) => p.token === token && p.value.kind === 'end', { after: mark, timeoutMs: TIMEOUT_MS });

    // The workers are gone: nothing is published after the answer.
    const publishedByThen = client.notifications.filter((n) => n.seq >= mark && n.method === 'textDocument/publishDiagnostics').length;
    assert.equal(publishedByThen, summary.files, 'one publish per file checked before the cancel');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(client.notifications.filter((n) => n.seq >= mark && n.method === 'textDocument/publishDiagnostics').length, publishedByThen);

    // A new run checks everything.
    client.onRequest('window/workDoneProgress/create', () => null);
    const again = await client.request<Summary>('workspace/executeCommand', { command: COMMAND, arguments: [] }, 60_000);
    assert.deepEqual({ ...again, ms: 0 }, { files: FILES, findings: FILES, problems: 0, ms: 0, cancelled: false });
  });
});
