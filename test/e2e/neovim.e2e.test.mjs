// Layer 3 of the end-to-end tests: a headless Neovim (0.7 or later) with its built-in LSP client
// runs the bundled server (server/out/server.js, from `npm run build` or `npm run package`) over
// --stdio on a copy of examples/. test/e2e/neovim/check.lua drives it and writes what it saw as
// JSON; this file judges it. Neovim runs in its own process group, bounded by a timeout, and the
// group is checked empty afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTools, ROOT } from './tools.mjs';

const SERVER = join(ROOT, 'server', 'out', 'server.js');
// The bundled server loads these at run time; a missing one shows as a server that never checks.
const WASM_FILES = [join(ROOT, 'grammars', 'tree-sitter-go.wasm'), join(ROOT, 'grammars', 'web-tree-sitter.wasm')];
const SCRIPT = join(ROOT, 'test', 'e2e', 'neovim', 'check.lua');
const STEP_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 150_000;
const FIXED_LINE = '\t\treturn nil, fmt.Errorf("parse %s: %w", path, err)';

/** What one Neovim run left behind: the script's JSON, its exit, and the logs for failure messages. */
let run;
let sandbox;

/** The last lines of a log, each cut to 400 characters (a minified bundle's source line is huge). */
function tail(text, lines = 30) {
  const all = text.trimEnd().split('\n').filter((l) => l.trim());
  return all.slice(-lines).map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l)).join('\n');
}

function readIfExists(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The evidence appended to a failure: how Neovim ended and the tails of its logs (in full once). */
let contextShown = false;
function context() {
  if (!run) return '';
  if (contextShown) return '\n(Neovim\'s exit, lsp.log and stderr are shown with the first failure of this suite)';
  contextShown = true;
  const parts = [
    `nvim: exit ${run.code ?? '-'}${run.signal ? ` signal ${run.signal}` : ''}${run.timedOut ? ` (killed after ${RUN_TIMEOUT_MS} ms)` : ''}, ${run.ms} ms`,
  ];
  if (run.result?.exits?.length) parts.push(`server exits: ${JSON.stringify(run.result.exits)}`);
  if (run.result?.client_errors?.length) parts.push(`client errors: ${JSON.stringify(run.result.client_errors)}`);
  const missing = WASM_FILES.filter((f) => !existsSync(f));
  if (missing.length) parts.push(`bundle: missing ${missing.join(', ')} (the build copies them into grammars/)`);
  if (run.probe) parts.push(`--- the server started alone (node server/out/server.js --stdio, then initialize) ---\n${run.probe}`);
  parts.push(`--- lsp.log (tail; the server's stderr and log messages) ---\n${tail(run.lspLog) || '(empty)'}`);
  if (run.stderr.trim()) parts.push(`--- nvim stderr (tail) ---\n${tail(run.stderr)}`);
  return `\n${parts.join('\n')}`;
}

function failAt(step, expected, got) {
  assert.fail(`neovim step "${step}": expected ${expected}\n  got: ${got}${context()}`);
}

/** The data check.lua recorded for a step, or a failure naming the step that stopped the run. */
function step(name) {
  if (run?.setupError) assert.fail(`neovim setup: ${run.setupError}`);
  if (!run?.result) {
    failAt(name, `check.lua to write its JSON result`, run?.resultError ?? 'no result file');
  }
  const data = run.result.steps[name];
  if (!data) {
    const f = run.result.failure;
    failAt(name, 'the run to reach this step', f ? `stopped at step "${f.step}": ${f.message}` : 'step missing from the result');
  }
  return data;
}

function runNeovim(nvim, dirs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
      cwd: dirs.workspace,
      detached: true, // its own process group: the server it starts stays in it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CACHE_HOME: dirs.cache, // lsp.log lands in $XDG_CACHE_HOME/nvim/
        XDG_CONFIG_HOME: join(dirs.root, 'config'),
        XDG_DATA_HOME: join(dirs.root, 'data'),
        XDG_STATE_HOME: join(dirs.root, 'state'),
        GO_RUBRIC_SERVER: SERVER,
        GO_RUBRIC_NODE: process.execPath,
        GO_RUBRIC_WORKSPACE: dirs.workspace,
        GO_RUBRIC_NVIM_RESULT: dirs.result,
        GO_RUBRIC_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut, stdout, stderr: `${stderr}\n${error.message}`, ms: Date.now() - started, pid: child.pid });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, ms: Date.now() - started, pid: child.pid });
    });
  });
}

/** Starts the server alone, sends initialize, and reports its answer, exit and stderr (bounded: 10 s). */
function probeServer(workspace) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: workspace, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      killGroup(child.pid);
      const answer = stdout.match(/\{"jsonrpc":"2\.0","id":1,.*\}/s)?.[0] ?? '(no answer to initialize)';
      resolve(`${how}\ninitialize answer: ${answer.slice(0, 800)}\nstderr: ${tail(stderr, 20) || '(empty)'}`);
    };
    const timer = setTimeout(() => finish('still running after 10 s'), 10_000);
    child.stdout.on('data', (b) => {
      stdout += b;
      if (/"id":1[,}]/.test(stdout)) setTimeout(() => finish('answered initialize'), 200);
    });
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', (error) => finish(`could not start: ${error.message}`));
    child.on('exit', (code, signal) => setTimeout(() => finish(`exited with code ${code}${signal ? ` signal ${signal}` : ''}`), 100));
    child.stdin.on('error', () => {});
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

function killGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** True while any process of the group is alive (the server outliving Neovim, say). */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Neovim: built-in LSP client with the bundled server over --stdio', () => {
  before(async () => {
    run = { stderr: '', lspLog: '', ms: 0 };
    if (!existsSync(SERVER)) {
      run.setupError = `the bundled server ${SERVER} is missing; run \`npm run build\` (or \`npm run package\`) first`;
      return;
    }
    let tools;
    try {
      tools = ensureTools();
    } catch (error) {
      run.setupError = `tools: ${error.message}`;
      return;
    }
    const root = mkdtempSync(join(tmpdir(), 'go-rubric-e2e-nvim-'));
    sandbox = { root, workspace: join(root, 'workspace'), cache: join(root, 'cache'), result: join(root, 'result.json') };
    mkdirSync(sandbox.cache, { recursive: true });
    cpSync(join(ROOT, 'examples'), sandbox.workspace, { recursive: true });
    sandbox.original = readFileSync(join(sandbox.workspace, 'inventory', 'store.go'), 'utf8');

    Object.assign(run, await runNeovim(tools.nvim, sandbox));
    // The server is a child of Neovim in the same group; check.lua stops it before quitting.
    run.leftBehind = false;
    for (let i = 0; i < 20 && groupAlive(run.pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(run.pid)) {
      run.leftBehind = true;
      killGroup(run.pid);
    }
    try {
      run.result = JSON.parse(readFileSync(sandbox.result, 'utf8'));
    } catch (error) {
      run.resultError = `${sandbox.result}: ${error.message}`;
    }
    // Neovim 0.7 writes lsp.log under XDG_CACHE_HOME, 0.8 and later under XDG_STATE_HOME.
    const logs = [run.result?.lsp_log, join(sandbox.cache, 'nvim', 'lsp.log'), join(sandbox.root, 'state', 'nvim', 'lsp.log')];
    run.lspLog = readIfExists(logs.find((f) => f && existsSync(f)) ?? '');
    run.disk = readIfExists(join(sandbox.workspace, 'inventory', 'store.go'));
    // Neovim 0.7 can lose a crashing server's last stderr (it closes the pipe on exit), so when the
    // server never got going, start it once more alone and keep what it says.
    if (!run.result || ['start', 'diagnostics'].includes(run.result.failure?.step)) {
      run.probe = await probeServer(sandbox.workspace);
    }
  });

  after(() => {
    if (run?.pid && groupAlive(run.pid)) killGroup(run.pid);
    if (sandbox) rmSync(sandbox.root, { recursive: true, force: true });
  });

  test('publishes GR101, GR102 and GR201 for store.go with their severities and lines', () => {
    step('start');
    const { diagnostics } = step('diagnostics');
    const got = diagnostics.map((d) => `${d.code} ${d.severity} line ${d.line}`).sort();
    const want = ['GR101 INFO line 31', 'GR102 INFO line 27', 'GR201 WARN line 38'];
    if (JSON.stringify(got) !== JSON.stringify(want)) failAt('diagnostics', JSON.stringify(want), JSON.stringify(got));
    for (const d of diagnostics) {
      if (d.source !== 'go-rubric') failAt('diagnostics', `source "go-rubric" on ${d.code}`, JSON.stringify(d.source));
    }
    const gr101 = diagnostics.find((d) => d.code === 'GR101');
    if (gr101.col !== 36 || gr101.end_col !== 38) failAt('diagnostics', 'GR101 on the %v (columns 36-38)', `columns ${gr101.col}-${gr101.end_col}`);
  });

  test('hover at the GR201 diagnostic shows the rule, its proverb and https links', () => {
    const hover = step('hover');
    const text = String(hover.text ?? '');
    const checks = [
      ['markdown content', hover.kind === 'markdown'],
      ['the rule heading "**GR201 lock-without-defer**"', text.includes('**GR201 lock-without-defer**')],
      ['the proverb "Deferring the Unlock guarantees the mutex is released ..."', text.includes('Deferring the Unlock guarantees the mutex is released')],
      ['an https link', /\]\(https:\/\/[^)\s]+\)/.test(text)],
    ];
    for (const [what, ok] of checks) if (!ok) failAt('hover', what, `${hover.kind}: ${text.slice(0, 600)}`);
  });

  test('code actions at GR101 include the quick fix "Wrap with %w"', () => {
    const { titles, kinds } = step('codeActions');
    const i = titles.indexOf('Wrap with %w');
    if (i < 0) failAt('codeActions', 'a "Wrap with %w" action', JSON.stringify(titles));
    if (kinds[i] !== 'quickfix') failAt('codeActions', 'kind "quickfix"', JSON.stringify(kinds[i]));
  });

  test('applying the fix (apply_workspace_edit, utf-16) turns %v into %w in the buffer', () => {
    const apply = step('apply');
    if (apply.error) failAt('apply', 'apply_workspace_edit to succeed', apply.error);
    if (apply.after !== FIXED_LINE) {
      failAt('apply', `line ${apply.line} to read ${JSON.stringify(FIXED_LINE)}`, `${JSON.stringify(apply.after)} (before: ${JSON.stringify(apply.before)}; edit: ${JSON.stringify(apply.edit)})`);
    }
  });

  test('the server re-publishes without GR101 and keeps GR102 and GR201', () => {
    const { diagnostics, publishes } = step('republish');
    const got = diagnostics.map((d) => `${d.code}@${d.line}`).sort();
    const want = ['GR102@27', 'GR201@38'];
    if (JSON.stringify(got) !== JSON.stringify(want)) failAt('republish', `${JSON.stringify(want)} after the fix`, `${JSON.stringify(got)} (${publishes} new publish(es))`);
  });

  test('the buffer is saved and the file on disk has exactly the fix', () => {
    const write = step('write');
    if (write.error) failAt('write', 'the buffer to be written', write.error);
    const lines = sandbox.original.split('\n');
    lines[30] = FIXED_LINE;
    const want = lines.join('\n');
    if (run.disk !== want) {
      const got = run.disk.split('\n');
      const diff = got.flatMap((line, i) => (line === lines[i] ? [] : [`line ${i + 1}: ${JSON.stringify(line)} (expected ${JSON.stringify(lines[i])})`]));
      failAt('disk', 'store.go on disk to differ from the original only in line 31', diff.join('; ') || `${got.length} lines vs ${lines.length}`);
    }
  });

  test('Neovim exits cleanly and leaves no process behind', () => {
    if (run?.setupError) assert.fail(`neovim setup: ${run.setupError}`);
    if (run.timedOut) failAt('exit', `Neovim to finish within ${RUN_TIMEOUT_MS} ms`, 'killed its process group on timeout');
    if (run.leftBehind) failAt('exit', 'no process left in Neovim\'s process group', 'processes still running after Neovim quit (killed them)');
    if (run.result?.failure) failAt(run.result.failure.step, 'check.lua to finish every step', run.result.failure.message);
    if (run.result && !run.result.server_stopped) failAt('exit', 'the server to exit after stop_client', 'it was still running');
    if (run.code !== 0) failAt('exit', 'exit code 0', String(run.code));
  });
});
