// Breaks the extension on purpose in a scratch copy of the repository and checks that
// `npm run test:e2e` notices: each case PASSes when the suite fails (the baseline, unbroken, when it
// passes), and the report shows which layers caught it and the first failure message of each. A
// layer that does not exercise what a case breaks may pass it: the UI layer applies GR201's fix,
// not GR101's. The checkout itself is never touched. Exits 0 when every case PASSes.
//
//   node scripts/e2e-sabotage.mjs                 baseline + all three cases
//   node scripts/e2e-sabotage.mjs no-wasm crash   only these cases (names below)
//   node scripts/e2e-sabotage.mjs --no-baseline   skip the unbroken run
//   node scripts/e2e-sabotage.mjs --keep          keep the scratch copies and logs
//
// The copy shares node_modules (symlinked) and the e2e tool cache (GO_RUBRIC_E2E_CACHE) with the
// checkout, so nothing is installed again. Each run takes one to three minutes.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.GO_RUBRIC_E2E_CACHE ?? join(ROOT, '.e2e-cache');
const RUN_TIMEOUT_MS = 20 * 60_000;
const LAYERS = {
  'VS Code extension host': 'test/e2e/vscode.e2e.test.mjs',
  'VS Code UI': 'test/e2e/ui.e2e.test.mjs',
  Neovim: 'test/e2e/neovim.e2e.test.mjs',
};

/** Replaces text in a file of the copy; throws if the text is not there, so a case never passes vacuously. */
function patch(dir, file, from, to) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`sabotage could not be applied: ${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

const CASES = {
  'no-wasm': {
    what: 'a bundle without the Go grammar (grammars/tree-sitter-go.wasm not copied, not packaged)',
    apply(dir) {
      patch(dir, 'scripts/build.mjs', "copyFileSync(join(treeSitterGoDir, 'tree-sitter-go.wasm')", "void (join(treeSitterGoDir, 'tree-sitter-go.wasm')");
      const wasm = join(dir, 'grammars', 'tree-sitter-go.wasm');
      if (existsSync(wasm)) unlinkSync(wasm);
    },
  },
  crash: {
    what: 'a server that crashes on start (throw at the top of server/src/server.ts)',
    apply(dir) {
      const path = join(dir, 'server', 'src', 'server.ts');
      writeFileSync(path, `throw new Error('boom: sabotaged server');\n${readFileSync(path, 'utf8')}`);
    },
  },
  'wrong-range': {
    what: "a quick fix that edits the wrong range (GR101's edit starts one character early)",
    apply(dir) {
      patch(dir, 'server/src/rules/gr101-errorf-wrap-verb.ts', 'start: verbEnd - verb.verb.length,', 'start: verbEnd - verb.verb.length - 1,');
    },
  },
  'wrong-range-all': {
    what: 'every quick fix edits the wrong range (the LSP conversion starts each edit one character early)',
    apply(dir) {
      patch(dir, 'server/src/lsp/convert.ts', 'range: toRange(index, edit.start, edit.end)', 'range: toRange(index, Math.max(0, edit.start - 1), edit.end)');
    },
  },
};

const SKIP = new Set(['node_modules', '.e2e-cache', '.git', 'go-rubric.vsix']);
const SKIP_PATHS = new Set(['test/out', 'test/e2e/out']);

function makeCopy(name) {
  const dir = mkdtempSync(join(tmpdir(), `go-rubric-sabotage-${name}-`));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      return !(SKIP.has(rel.split('/')[0]) || SKIP_PATHS.has(rel));
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function killGroup(pgid, signal = 'SIGKILL') {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Runs `npm run test:e2e` in the copy, in its own process group, bounded; returns exit and output. */
function runSuite(dir, tmp) {
  return new Promise((resolve) => {
    const started = Date.now();
    // TMPDIR: the layers' sandboxes (kept when a layer fails) land in a folder removed afterwards.
    const env = { ...process.env, GO_RUBRIC_E2E_CACHE: CACHE, TMPDIR: tmp };
    delete env.GO_RUBRIC_SCREENSHOTS;
    const child = spawn('npm', ['run', 'test:e2e'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Anything still in the group outlived the suite: stop it and say so.
      const leftBehind = killGroup(child.pid, 0) && killGroup(child.pid);
      resolve({ code, timedOut, leftBehind, output, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

/**
 * Which layers had failing tests, from the spec reporter's "failing tests" list: each entry starts
 * with "test at <file>:<line>:<col>" followed by the test name and its error.
 */
function failuresByLayer(output) {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  const at = clean.indexOf('failing tests:');
  const section = at >= 0 ? clean.slice(at) : '';
  const entries = section.split(/\n(?=test at )/).slice(1);
  const result = {};
  for (const [layer, file] of Object.entries(LAYERS)) {
    const mine = entries.filter((e) => e.split('\n')[0].includes(file));
    result[layer] = {
      failed: mine.length,
      first: mine[0] ? mine[0].split('\n').slice(1).map((l) => l.trim()).filter(Boolean).slice(0, 4).join(' | ').slice(0, 400) : '',
    };
  }
  const summary = {};
  for (const key of ['tests', 'pass', 'fail']) {
    const m = clean.match(new RegExp(`ℹ ${key} (\\d+)`, 'g'));
    summary[key] = m ? Number(m[m.length - 1].split(' ').pop()) : undefined;
  }
  return { layers: result, summary };
}

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const names = args.filter((a) => !a.startsWith('--'));
for (const n of names) if (!CASES[n]) throw new Error(`unknown case ${n}; cases: ${Object.keys(CASES).join(', ')}`);
const selected = names.length ? names : Object.keys(CASES);
const plan = [...(args.includes('--no-baseline') ? [] : ['baseline']), ...selected];

const rows = [];
for (const name of plan) {
  const c = CASES[name] ?? { what: 'no sabotage: the suite must pass in the copy', apply() {} };
  const dir = makeCopy(name);
  const tmp = mkdtempSync('/tmp/grs-'); // short: sockets live under it
  process.stderr.write(`[sabotage] ${name}: ${c.what}\n[sabotage]   copy ${dir}; running npm run test:e2e ...\n`);
  let run;
  try {
    c.apply(dir);
    run = await runSuite(dir, tmp);
  } catch (error) {
    run = { code: null, error: error.message, output: '', seconds: 0 };
  }
  const { layers, summary } = failuresByLayer(run.output);
  const failed = run.code !== 0;
  const caughtBy = Object.entries(layers).filter(([, l]) => l.failed > 0).map(([n]) => n);
  const missedBy = Object.keys(LAYERS).filter((n) => !caughtBy.includes(n));
  let verdict;
  if (run.error) verdict = 'ERROR';
  else if (name === 'baseline') verdict = !failed ? 'PASS' : 'FAIL';
  else if (!failed) verdict = 'FAIL';
  else verdict = 'PASS';
  rows.push({ name, verdict, run, layers, summary, caughtBy, missedBy });

  const logFile = join(dir, 'sabotage.log');
  writeFileSync(logFile, run.output);
  const lines = [`[sabotage] ${name}: ${verdict} — suite exit ${run.code}${run.timedOut ? ' (timed out)' : ''}, ${run.seconds} s, tests ${summary.tests ?? '?'} pass ${summary.pass ?? '?'} fail ${summary.fail ?? '?'}`];
  if (run.error) lines.push(`[sabotage]   ${run.error}`);
  if (run.leftBehind) lines.push('[sabotage]   processes were left running after the suite (killed)');
  for (const [layer, l] of Object.entries(layers)) {
    lines.push(`[sabotage]   ${layer}: ${l.failed ? `${l.failed} failing — ${l.first}` : name === 'baseline' ? 'passed' : 'passed despite the sabotage'}`);
  }
  if (failed && caughtBy.length === 0) {
    lines.push(`[sabotage]   no layer's tests failed; the suite stopped earlier. Tail of the output:\n${run.output.trimEnd().split('\n').slice(-15).join('\n')}`);
  }
  if (keep) lines.push(`[sabotage]   kept ${dir} (log: ${logFile}) and ${tmp} (the layers' sandboxes)`);
  else {
    rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

console.log('\n| case | verdict | suite | caught by | missed by |\n|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.verdict} | exit ${r.run.code}, ${r.run.seconds} s | ${r.caughtBy.join(', ') || '-'} | ${r.name === 'baseline' ? '-' : r.missedBy.join(', ') || '-'} |`);
}
process.exit(rows.every((r) => r.verdict === 'PASS') ? 0 : 1);
