// Proves that the fixes Go Rubric offers leave valid Go on real code. For every finding with a fix
// (safe or unsafe) in a corpus, the fix is applied alone to its file; and every file is fixed as
// `go-rubric check --fix` fixes it (all safe fixes, fixes/fixAll.ts). Each fixed text must
//   - parse with no more ERROR/MISSING nodes than the original (tree-sitter),
//   - be gofmt-clean (`gofmt -l` lists nothing), unless the original already was not,
//   - and, in a package `go vet` accepted as it was, keep vet passing: vet runs once per package
//     with every fix of the package applied (fixAll with unsafe fixes too) and once with the
//     --fix texts, through `-overlay` (the corpus is never copied or written); where that fails,
//     vet runs with each fix (each --fix file) alone to name the ones at fault. `--vet-each` vets
//     every fix alone in every package (slow: a vet per fix). Vet sees the files of this
//     platform's build only; fixes in other files (foo_windows.go) are checked by parse and gofmt.
// It prints a table per rule (fixes, valid, invalid, and which check failed), the same for the
// --fix path, and the first failures with file:line and the change; it exits 1 on any invalid fix.
//
//   node scripts/check-fixes.mjs [--libs | --root DIR] [--slice N] [--jobs N] [--show N]
//                                [--vet-each] [--json FILE] [package folders relative to the root...]
//
// The root is the standard library (/usr/share/go-1.19/src, GOROOT=/usr/lib/go-1.19) by default,
// or with --libs the GOPATH-style library corpus (/usr/share/gocode/src, GO111MODULE=off); see
// ../shared/CORPUS.md. Another --root is checked without vet. Package folders given are checked
// alone (not their subfolders); without any, every package folder under the root; --slice N takes
// every N-th of those (in path order). Folders skipped by the CLI (vendor/, testdata/, hidden and
// _-prefixed) are skipped here too. Workers: one per core (--jobs). --json writes every record
// (each fix and each --fix file with its verdicts, and each folder's time) to FILE. Needs a build
// (npm run build) for the grammars; the worker is bundled here, into server/out/checkFixesWorker-PID.js.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const GO_BIN = process.env.GO_RUBRIC_GO_BIN ?? '/usr/lib/go-1.19/bin';
const GOROOT = dirname(GO_BIN);
const STD = '/usr/share/go-1.19/src';
const LIBS = '/usr/share/gocode/src';
const CHECKS = ['parse', 'gofmt', 'vet'];

function usage(code) {
  console.log('usage: node scripts/check-fixes.mjs [--libs | --root DIR] [--slice N] [--jobs N] [--show N] [--vet-each] [--json FILE] [package folders...]');
  process.exit(code);
}

function parseArgs(argv) {
  const options = { root: STD, slice: 1, jobs: availableParallelism(), show: 10, vetEach: false, json: undefined, folders: [] };
  const value = (i, name) => {
    if (argv[i] === undefined) throw new Error(`${name} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--libs') options.root = LIBS;
    else if (arg === '--root') options.root = resolve(value(++i, arg));
    else if (arg === '--slice') options.slice = Number(value(++i, arg));
    else if (arg === '--jobs' || arg === '-j') options.jobs = Number(value(++i, arg));
    else if (arg === '--show') options.show = Number(value(++i, arg));
    else if (arg === '--vet-each') options.vetEach = true;
    else if (arg === '--json') options.json = resolve(value(++i, arg));
    else if (arg === '-h' || arg === '--help') usage(0);
    else if (arg.startsWith('-')) throw new Error(`unknown flag ${arg}`);
    else options.folders.push(arg);
  }
  for (const name of ['slice', 'jobs', 'show']) {
    if (!Number.isInteger(options[name]) || options[name] < (name === 'show' ? 0 : 1)) throw new Error(`--${name} takes a whole number`);
  }
  return options;
}

/** The same folder filter as the CLI (server/src/cli/files.ts). */
function isSkippedDir(name) {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

/** The .go files directly in a folder, sorted. */
function goFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.go'))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Every folder under `root` holding .go files, in path order. */
function packageFolders(root) {
  const out = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(dir);
    for (const e of entries) if (e.isDirectory() && !isSkippedDir(e.name)) walk(join(dir, e.name));
  };
  walk(root);
  return out;
}

/** How go vet reaches a folder's package: std packages through GOROOT, libraries through GOPATH. */
function vetTarget(root, folder) {
  const importPath = relative(root, folder).split('\\').join('/');
  const base = { ...process.env, GOROOT, GOFLAGS: '' };
  if (root === STD) return { importPath, goDir: join(GOROOT, 'src', importPath), env: { ...base, GO111MODULE: '' } };
  if (root === LIBS) return { importPath, goDir: folder, env: { ...base, GO111MODULE: 'off', GOPATH: dirname(LIBS) } };
  return undefined;
}

async function bundleWorker() {
  const require = createRequire(join(repo, 'package.json'));
  // One bundle per run (two runs at once must not rewrite each other's), next to the server's so
  // that it finds grammars/ as they do; deleted at the end.
  const outfile = join(repo, 'server', 'out', `checkFixesWorker-${process.pid}.js`);
  if (!existsSync(join(repo, 'grammars', 'tree-sitter-go.wasm'))) throw new Error('grammars/ not found: run npm run build first');
  await build({
    entryPoints: [join(repo, 'scripts', 'check-fixes', 'worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    alias: { 'web-tree-sitter': join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.cjs') },
  });
  return outfile;
}

/** Checks the folders on `jobs` workers, a folder at a time each; results in folder order. */
async function runWorkers(script, jobs, folders, setup, onResult) {
  const results = new Array(folders.length);
  let next = 0;
  const one = () =>
    new Promise((resolveWorker, reject) => {
      const worker = new Worker(script, { workerData: setup });
      let current = -1;
      const feed = () => {
        if (next >= folders.length) {
          void worker.terminate().then(() => resolveWorker());
          return;
        }
        current = next++;
        worker.postMessage({ id: current, ...folders[current] });
      };
      worker.on('message', (message) => {
        if (message.ready) return feed();
        results[message.id] = message;
        onResult(message);
        feed();
      });
      worker.on('error', (error) => reject(new Error(`worker failed on ${folders[current]?.folder ?? 'start-up'}: ${error.stack ?? error}`)));
    });
  await Promise.all(Array.from({ length: Math.min(jobs, folders.length) }, one));
  return results;
}

function failedChecks(record) {
  return CHECKS.filter((c) => record[c] === 'failed');
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function report(results, options, root, seconds) {
  const fixes = results.flatMap((r) => r.fixes);
  const fixed = results.flatMap((r) => r.fixAll);
  const vetBefore = { passed: 0, failed: 0 };
  for (const r of results) if (r.vetBefore in vetBefore) vetBefore[r.vetBefore]++;

  const perRule = new Map();
  const row = (code) => {
    if (!perRule.has(code)) perRule.set(code, { fixes: 0, safe: 0, invalid: 0, parse: 0, gofmt: 0, vet: 0, vetted: 0, fixAll: 0, fixAllInvalid: 0, rejected: 0 });
    return perRule.get(code);
  };
  for (const f of fixes) {
    const r = row(f.code);
    r.fixes++;
    if (f.safe) r.safe++;
    const failed = failedChecks(f);
    if (failed.length > 0) r.invalid++;
    for (const c of failed) r[c]++;
    if (f.vet !== 'n/a') r.vetted++;
  }
  for (const f of fixed) {
    const invalid = failedChecks(f).length > 0;
    for (const [code, count] of Object.entries(f.applied)) {
      row(code).fixAll += count;
      if (invalid) row(code).fixAllInvalid += count;
    }
    for (const rejected of f.rejected) row(rejected.code).rejected++;
  }
  const codes = [...perRule.keys()].sort();
  const lines = [];
  lines.push(`check-fixes: ${root}: ${results.length} package folders, ${fixes.length} fixes offered, ${fixed.length} file(s) changed by --fix (${seconds.toFixed(0)} s)`);
  if (vetTarget(root, root) === undefined) lines.push('go vet: not run (the root is neither the standard library nor the GOPATH library corpus)');
  else lines.push(`go vet before the fixes: ${vetBefore.passed} packages passed (their fixes vetted), ${vetBefore.failed} failed (fixes checked by parse and gofmt only)`);
  lines.push('');
  lines.push('Each fix alone (vet: with the package\'s other fixes, alone where that failed):');
  lines.push(table(['rule', 'fixes', 'safe', 'valid', 'invalid', 'parse', 'gofmt', 'vet', 'vetted'], codes.filter((c) => perRule.get(c).fixes > 0).map((c) => {
    const r = perRule.get(c);
    return [c, r.fixes, r.safe, r.fixes - r.invalid, r.invalid, r.parse, r.gofmt, r.vet, r.vetted];
  })));
  lines.push('');
  lines.push('All safe fixes together (check --fix):');
  lines.push(table(['rule', 'applied', 'in valid files', 'in invalid files', 'rejected'], codes.filter((c) => perRule.get(c).fixAll + perRule.get(c).rejected > 0).map((c) => {
    const r = perRule.get(c);
    return [c, r.fixAll, r.fixAll - r.fixAllInvalid, r.fixAllInvalid, r.rejected];
  })));
  const invalidFixes = fixes.filter((f) => failedChecks(f).length > 0);
  const invalidFiles = fixed.filter((f) => failedChecks(f).length > 0 || f.rejected.length > 0 || !f.stable);
  lines.push('');
  const together = results.flatMap((r) => r.vetTogether.map((message) => `${relative(root, r.folder)}: ${message}`));
  lines.push(`fixes: ${fixes.length - invalidFixes.length} valid, ${invalidFixes.length} invalid; --fix files: ${fixed.length - invalidFiles.length} valid, ${invalidFiles.length} invalid; packages failing vet only with their fixes together: ${together.length}`);
  for (const message of together) lines.push(message.split('\n').map((l, i) => (i === 0 ? l : `    ${l}`)).join('\n'));
  const shown = [
    ...invalidFixes.map((f) => ({ where: `${relative(root, f.file)}:${f.line}`, what: `${f.code} "${f.title}" (${f.safe ? 'safe' : 'unsafe'})`, record: f })),
    ...invalidFiles.map((f) => ({ where: relative(root, f.file), what: `check --fix (${Object.entries(f.applied).map(([c, n]) => `${c} ${n}`).join(', ')})`, record: f })),
  ].slice(0, options.show);
  for (const s of shown) {
    const r = s.record;
    const reasons = [...failedChecks(r), ...(r.rejected ?? []).map((x) => `rejected ${x.code}: ${x.reason}`), ...(r.stable === false ? ['not stable after 10 rounds'] : [])];
    lines.push('');
    lines.push(`${s.where}: ${s.what}: ${reasons.join(', ')}`);
    if (r.problem) lines.push(r.problem.split('\n').map((l) => `    ${l}`).join('\n'));
    if (r.diff) lines.push(r.diff.split('\n').map((l) => `    ${l}`).join('\n'));
  }
  return { text: lines.join('\n'), invalid: invalidFixes.length + invalidFiles.length + together.length };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const root = options.root;
  if (!existsSync(root)) throw new Error(`${root} not found (see ../shared/CORPUS.md)`);
  if (!existsSync(join(GO_BIN, 'gofmt'))) throw new Error(`gofmt not found in ${GO_BIN}`);
  let folders = options.folders.length > 0 ? options.folders.map((f) => resolve(root, f)) : packageFolders(root);
  for (const f of folders) if (!statSync(f, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${f}: no such folder`);
  folders = folders.filter((_, i) => i % options.slice === 0);
  const jobs = folders.map((folder) => ({ folder, files: goFiles(folder), vet: vetTarget(root, folder) }));

  const script = await bundleWorker();
  const tmp = mkdtempSync(join(tmpdir(), 'go-rubric-check-fixes-'));
  const started = Date.now();
  let done = 0;
  let offered = 0;
  const step = Math.max(1, Math.round(jobs.length / 10));
  try {
    const results = await runWorkers(script, options.jobs, jobs, { goBin: GO_BIN, tmp, vetEach: options.vetEach }, (result) => {
      done++;
      offered += result.fixes.length;
      if (done % step === 0 || done === jobs.length) process.stderr.write(`check-fixes: ${done}/${jobs.length} folders, ${offered} fixes, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    });
    if (options.json) writeFileSync(options.json, JSON.stringify(results));
    const { text, invalid } = report(results, options, root, (Date.now() - started) / 1000);
    console.log(text);
    process.exitCode = invalid > 0 ? 1 : 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
}

main().catch((error) => {
  console.error(`check-fixes: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
