// The bad-input battery: files and messages an editor or a CI checkout can throw at Go Rubric,
// through the CLI and through the language server. Each case asserts its own message or
// behaviour, and that nothing else is affected: the other files are still checked, the server
// still answers. (Issue 9.)
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';
import { startStdioServer, type LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const CLI = join(repoRoot(), 'server', 'out', 'cli.js');
const SERVER = join(repoRoot(), 'server', 'out', 'server.js');
const ENV = { ...process.env, GO_RUBRIC_CACHE: 'off' };
const isRoot = process.getuid?.() === 0;

const WRAP = 'package p\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("wrap: %v", err)\n}\n';
const DEPTH = 10_000;
const NESTED_BLOCKS = `package p\n\nfunc deep() {\n${'{'.repeat(DEPTH)}\n${'}'.repeat(DEPTH)}\n}\n`;
const NESTED_PARENS = `package p\n\nvar deep = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)}\n`;
const LONG_LINE = `package p\n\nvar long = "${'x'.repeat(100_000)}"\n\nvar sum = ${Array.from({ length: 20_000 }, () => 'a').join(' + ')}\n`;
const ONLY_COMMENTS = '// Package p has no package clause, only comments.\n/* and a block comment */\n';
/** 50 MB of valid Go: a package clause and a long run of small functions. */
function fiftyMegabytes(): string {
  const fn = 'func f() { _ = 1 }\n';
  return `package p\n\n${fn.repeat(Math.ceil((50 * 1024 * 1024) / fn.length))}`;
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: ENV, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('bad input through the CLI', { timeout: 180_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-bad-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/bad\n\ngo 1.21\n');
    writeFileSync(join(dir, 'wrap.go'), WRAP);
    writeFileSync(join(dir, 'binary.go'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
    writeFileSync(join(dir, 'latin1.go'), Buffer.from('package p\n// caf\xe9\n', 'latin1'));
    writeFileSync(join(dir, 'nul.go'), 'package p\n\nvar s = "a\u0000b"\n');
    writeFileSync(join(dir, 'big.go'), fiftyMegabytes());
    writeFileSync(join(dir, 'blocks.go'), NESTED_BLOCKS);
    writeFileSync(join(dir, 'parens.go'), NESTED_PARENS);
    writeFileSync(join(dir, 'long.go'), LONG_LINE);
    writeFileSync(join(dir, 'empty.go'), '');
    writeFileSync(join(dir, 'comments.go'), ONLY_COMMENTS);
    symlinkSync('self.go', join(dir, 'self.go'));
    symlinkSync('.', join(dir, 'loop'));
    execFileSync('mkfifo', [join(dir, 'fifo.go')]);
    mkdirSync(join(dir, 'garbage'));
    writeFileSync(join(dir, 'garbage', 'go.mod'), Buffer.from('\u0000\u00ff module ((( go 1.x\nrequire (\n\t"unterminated\nreplace => =>\n)))\n', 'latin1'));
    writeFileSync(join(dir, 'garbage', 'x.go'), WRAP);
    if (!isRoot) {
      writeFileSync(join(dir, 'secret.go'), WRAP);
      chmodSync(join(dir, 'secret.go'), 0o000);
      mkdirSync(join(dir, 'locked'));
      chmodSync(join(dir, 'locked'), 0o000);
    }
  });
  after(() => {
    if (!isRoot && existsSync(join(dir, 'locked'))) chmodSync(join(dir, 'locked'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each bad file with its own message, checks the rest, and never hangs on a FIFO or loops on a symlink', () => {
    const r = cli(['check', '--format', 'json', '--fail-on', 'never', './...'], dir);
    assert.equal(r.signal, null, 'the CLI finished');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { findings: { path: string; code: string }[]; problems: { path: string; message: string }[] };
    const problems = new Map(out.problems.map((p) => [p.path, p.message]));
    assert.equal(problems.get('binary.go'), 'binary file (contains NUL bytes): skipped');
    assert.equal(problems.get('nul.go'), 'binary file (contains NUL bytes): skipped');
    assert.equal(problems.get('latin1.go'), 'not valid UTF-8 (Go source must be UTF-8): skipped');
    assert.equal(problems.get('big.go'), 'file too large (50 MB): rubric checks skipped');
    assert.equal(problems.get('self.go'), 'too many levels of symbolic links');
    if (!isRoot) {
      assert.equal(problems.get('secret.go'), 'permission denied');
      assert.equal(problems.get('locked'), 'permission denied');
    }
    // Nothing else is a problem: deep nesting, long lines, an empty file and a file of comments are checked.
    const expected = new Set(['binary.go', 'nul.go', 'latin1.go', 'big.go', 'self.go', ...(isRoot ? [] : ['secret.go', 'locked'])]);
    assert.deepEqual([...problems.keys()].filter((p) => !expected.has(p)), [], JSON.stringify(out.problems));
    // The good files are checked as usual, the one in the folder with the garbled go.mod too.
    const wraps = out.findings.filter((f) => f.code === 'GR101').map((f) => f.path).sort();
    assert.deepEqual(wraps, [join('garbage', 'x.go'), 'wrap.go']);
    assert.ok(!r.stderr.includes('internal error') && !r.stderr.includes('failed and was skipped'), r.stderr);
  });

  it('says so for a path that is no regular file rather than reading it (a FIFO would never end)', () => {
    const r = cli(['check', '--fail-on', 'never', 'fifo.go'], dir);
    assert.equal(r.signal, null, 'the CLI finished');
    assert.match(r.stderr, /^go-rubric: fifo\.go: not a regular file: skipped$/m);
  });
});

describe('bad input through the language server', { timeout: 120_000 }, () => {
  let client: LspClient;
  let dir: string;
  let n = 0;
  /** The server showed a message matching the pattern (a window/showMessage notification). */
  const warned = (pattern: RegExp) =>
    client.waitForNotification<{ message: string }>('window/showMessage', (p) => pattern.test(p.message), { timeoutMs: 10_000, what: `a message matching ${pattern}` });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-bad-lsp-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/bad\n\ngo 1.21\n');
    client = await startStdioServer(SERVER);
  });
  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a document and waits for its diagnostics; then checks the server still answers. */
  async function open(name: string, text: string, languageId = 'go'): Promise<PublishDiagnosticsParams> {
    mkdirSync(join(dir, String(++n)));
    const uri = pathToFileURL(join(dir, String(n), name)).href;
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    const published = await client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri, { after: mark, timeoutMs: 60_000 });
    const hover = await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(hover, null, 'the server still answers');
    return published;
  }

  it('a NUL byte: a warning naming it, no diagnostics', async () => {
    const p = await open('nul.go', 'package p\n\nvar s = "a\u0000b"\n');
    assert.deepEqual(p.diagnostics, []);
    await warned(/file contains NUL bytes \(binary\?\): rubric checks skipped/);
  });

  it('a 50 MB file: a warning that it is too large, no diagnostics', async () => {
    const p = await open('big.go', fiftyMegabytes());
    assert.deepEqual(p.diagnostics, []);
    await warned(/file too large \(50 MB\): rubric checks skipped/);
  });

  it('10,000 nested blocks or parentheses, 100,000-character lines: checked without overflowing the stack', async () => {
    for (const [name, text] of [['blocks.go', NESTED_BLOCKS], ['parens.go', NESTED_PARENS], ['long.go', LONG_LINE]] as const) {
      const p = await open(name, text);
      assert.ok(Array.isArray(p.diagnostics), name);
    }
  });

  it('an empty file, a file of comments, lone surrogates and a garbled go.mod: published, nothing thrown', async () => {
    assert.deepEqual((await open('empty.go', '')).diagnostics, []);
    assert.deepEqual((await open('comments.go', ONLY_COMMENTS)).diagnostics, []);
    const surrogates = await open('surrogates.go', 'package p\n\nimport "fmt"\n\nvar s = "\ud800 \udfff"\n\nfunc f(err error) error {\n\treturn fmt.Errorf("\ud83d: %v", err)\n}\n');
    assert.deepEqual(surrogates.diagnostics.map((d) => d.code), ['GR101']);
    const mod = await open('go.mod', '\u0000 module ((( go 1.x\nrequire (\n\t"unterminated\nreplace => =>\n)))\n', 'go.mod');
    assert.ok(Array.isArray(mod.diagnostics));
  });
});
