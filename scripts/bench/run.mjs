// The benchmark suite of issue 4. `npm run bench` (full, ~10 minutes with the Go tools) or
// `npm run bench:ci` (short; exits 1 when a CI threshold of scripts/bench/budgets.json is broken).
//
//   node scripts/bench/run.mjs [--ci] [--no-libs] [--no-go-tools] [--skip keystroke,workspace,server]
//                              [--no-build] [--write-docs] [--docs-only]
//
// Measures, through the real stdio server and CLI (server/out, rebuilt first unless --no-build):
//   1. keystroke latency: didChange → publishDiagnostics of that version, typical and largest files;
//   2. whole-workspace check: the CLI over the standard library (and /usr/share/gocode/src), next
//      to `go vet std` and `go-staticcheck std` with cold and warm caches;
//   3. server start to first diagnostics; RSS after opening 500 files and after 1,000 / 100,000 edits.
// Writes bench/results/latest.json (full runs) and a timestamped copy bench/results/run-*.json;
// --write-docs regenerates docs/performance.md from the results, --docs-only from latest.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseFiles, LIBS, spread, STDLIB, stdlibSourceFiles, surveyRoots } from './corpus.mjs';
import { runKeystroke } from './keystroke.mjs';
import { evaluateBudgets, renderDocs, renderTables } from './report.mjs';
import { runEditMemory, runOpenMemory, runStartup } from './server.mjs';
import { GO, runGoTool, runRubric, STATICCHECK } from './workspace.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverJs = join(repo, 'server', 'out', 'server.js');
const cliJs = join(repo, 'server', 'out', 'cli.js');
const resultsDir = join(repo, 'bench', 'results');
const docsPath = join(repo, 'docs', 'performance.md');
const budgetsPath = join(repo, 'scripts', 'bench', 'budgets.json');

const PROFILES = {
  full: {
    keystrokeFiles: 20,
    keystrokeLargest: 20,
    editsPerFile: 50,
    places: 5,
    stdlibPaths: ['src'],
    rubricRuns: 3,
    goTools: true,
    libs: true,
    startupSpawns: 11,
    openFiles: 500,
    editCheckpoints: [1_000, 10_000, 50_000, 100_000],
    editBatch: 100,
  },
  ci: {
    keystrokeFiles: 5,
    keystrokeLargest: 3,
    // 1,000 typical edits, so that p99 is the 10th slowest rather than the 2nd: one garbage
    // collection on a busy CI machine must not decide the run.
    editsPerFile: 200,
    places: 5,
    stdlibPaths: ['src/net', 'src/fmt', 'src/sync'],
    rubricRuns: 1,
    goTools: false,
    libs: false,
    startupSpawns: 3,
    openFiles: 100,
    editCheckpoints: [1_000, 6_000],
    editBatch: 50,
  },
};

function parseArgs(argv) {
  const o = { ci: false, libs: true, goTools: true, skip: new Set(), build: true, writeDocs: false, docsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ci') o.ci = true;
    else if (a === '--no-libs') o.libs = false;
    else if (a === '--no-go-tools') o.goTools = false;
    else if (a === '--no-build') o.build = false;
    else if (a === '--write-docs') o.writeDocs = true;
    else if (a === '--docs-only') o.docsOnly = true;
    else if (a === '--skip') for (const s of (argv[++i] ?? '').split(',')) o.skip.add(s.trim());
    else if (a.startsWith('--skip=')) for (const s of a.slice(7).split(',')) o.skip.add(s.trim());
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/bench/run.mjs [--ci] [--no-libs] [--no-go-tools] [--skip keystroke,workspace,server] [--no-build] [--write-docs] [--docs-only]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const s of o.skip) if (!['keystroke', 'workspace', 'server', ''].includes(s)) throw new Error(`--skip: unknown section ${s}`);
  return o;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const list = cpus();
  const tool = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
    } catch {
      return null;
    }
  };
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    go: existsSync(GO) ? tool(GO, ['version']) : null,
    staticcheck: existsSync(STATICCHECK) ? tool(STATICCHECK, ['-version']) : null,
    date: new Date().toISOString(),
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
  };
}

const log = (s) => console.error(s);
const rel = (p) => relative(STDLIB, p);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const budgets = JSON.parse(readFileSync(budgetsPath, 'utf8')).budgets;
  if (options.docsOnly) {
    const results = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'));
    results.budgets = evaluateBudgets(results, budgets, results.mode);
    writeFileSync(docsPath, renderDocs(results));
    console.log(`wrote ${relative(repo, docsPath)} from bench/results/latest.json`);
    return 0;
  }
  const mode = options.ci ? 'ci' : 'full';
  const profile = PROFILES[mode];
  const started = performance.now();
  if (!existsSync(STDLIB)) throw new Error(`the standard library corpus ${STDLIB} is missing`);
  if (options.build) {
    log('building (node scripts/build.mjs)…');
    execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
  }
  const results = { schema: 1, mode, machine: machine(), profile, keystroke: null, workspace: null, server: null, budgets: [], durationSeconds: null };
  log(`go-rubric bench (${mode}) on ${results.machine.cpuModel} × ${results.machine.cores}, node ${results.machine.node}, commit ${results.machine.gitCommit?.slice(0, 12)}${results.machine.gitDirty ? ' (dirty)' : ''}`);

  const sources = stdlibSourceFiles();
  const chosen = chooseFiles(sources, profile.keystrokeFiles, 2);
  const keystrokeLargest = chosen.largest.slice(0, profile.keystrokeLargest);

  if (!options.skip.has('keystroke')) {
    log(`\n[1/3] keystroke latency (${chosen.typical.length} typical + ${keystrokeLargest.length} largest files, ${profile.editsPerFile} edits each)`);
    results.keystroke = await runKeystroke({
      serverJs,
      typical: chosen.typical,
      largest: keystrokeLargest,
      warmup: chosen.spare[0],
      editsPerFile: profile.editsPerFile,
      places: profile.places,
      log,
    });
    for (const g of ['typical', 'largest']) for (const f of results.keystroke.files[g]) f.path = rel(f.path);
  }

  // Before the workspace section: its go vet and staticcheck runs keep both cores busy for about
  // eight minutes, and start-up measured right after them was bimodal (233-277 and 337-364 ms,
  // median 357) where the same build measured 246 ms on the idle machine minutes later.
  if (!options.skip.has('server')) {
    log(`\n[2/3] server start-up and memory`);
    const startupFile = chosen.typical[Math.floor(chosen.typical.length / 2)];
    const startup = await runStartup({ serverJs, file: startupFile, spawns: profile.startupSpawns });
    startup.file.path = rel(startup.file.path);
    log(`  first diagnostics: median ${startup.firstDiagnosticsMs} ms over ${profile.startupSpawns} spawns`);
    const openFiles = spread(sources, profile.openFiles);
    const openMemory = await runOpenMemory({ serverJs, files: openFiles, log });
    const editFile = chosen.spare[1] ?? chosen.typical[0];
    const editMemory = await runEditMemory({ serverJs, file: editFile, checkpoints: profile.editCheckpoints, batch: profile.editBatch, log });
    editMemory.file.path = rel(editMemory.file.path);
    const cps = editMemory.checkpoints;
    editMemory.ratio = Math.round((cps[cps.length - 1].rssMiB / cps[0].rssMiB) * 1000) / 1000;
    results.server = { startup, openMemory, editMemory };
  }

  if (!options.skip.has('workspace')) {
    log(`\n[3/3] whole-workspace check`);
    const stdlibRoots = profile.stdlibPaths.map((p) => join(STDLIB, '..', p));
    const survey = surveyRoots(stdlibRoots);
    const rubric = await runRubric({ cliJs, paths: profile.stdlibPaths, cwd: join(STDLIB, '..'), runs: profile.rubricRuns, survey, log });
    const stdlib = { root: join(STDLIB, '..'), paths: profile.stdlibPaths, survey, rubric, goVet: null, staticcheck: null, ratios: {} };
    if (profile.goTools && options.goTools) {
      stdlib.goVet = await runGoTool({ name: 'go vet std', command: GO, args: ['vet', 'std'], log });
      stdlib.staticcheck = await runGoTool({ name: 'go-staticcheck std', command: STATICCHECK, args: ['std'], log });
      const ratio = (tool, phase) => (tool?.[phase] ? Math.round((tool[phase].wallMs / rubric.wallMs) * 10) / 10 : null);
      stdlib.ratios = {
        goVetCold: ratio(stdlib.goVet, 'cold'),
        goVetWarm: ratio(stdlib.goVet, 'warm'),
        staticcheckCold: ratio(stdlib.staticcheck, 'cold'),
        staticcheckWarm: ratio(stdlib.staticcheck, 'warm'),
      };
    } else log('  go vet / staticcheck: not run in this mode');
    let libs = null;
    if (profile.libs && options.libs) {
      if (existsSync(LIBS)) {
        const libSurvey = surveyRoots([LIBS]);
        libs = { root: LIBS, survey: libSurvey, rubric: await runRubric({ cliJs, paths: ['.'], cwd: LIBS, runs: 1, survey: libSurvey, log }) };
      } else {
        log(`  ${LIBS}: not installed, skipped`);
        libs = { skipped: `${LIBS} is not installed` };
      }
    }
    results.workspace = { stdlib, libs };
  }

  results.budgets = evaluateBudgets(results, budgets, mode);
  results.durationSeconds = Math.round((performance.now() - started) / 100) / 10;

  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.machine.date.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(resultsDir, `run-${stamp}-${mode}.json`), json);
  // latest.json (committed, and the source of docs/performance.md) only from a complete full run.
  const complete = mode === 'full' && options.skip.size === 0 && options.libs && options.goTools;
  if (complete) writeFileSync(join(resultsDir, 'latest.json'), json);
  console.log(renderTables(results));
  log(`\nresults: bench/results/run-${stamp}-${mode}.json${complete ? ' and bench/results/latest.json' : ''}; ${results.durationSeconds} s`);
  if (options.writeDocs && !complete) {
    log(`not writing ${relative(repo, docsPath)}: it shows complete full runs only`);
  } else if (options.writeDocs) {
    writeFileSync(docsPath, renderDocs(results));
    log(`wrote ${relative(repo, docsPath)}`);
  }
  const failed = results.budgets.filter((b) => b.pass === false);
  if (mode === 'ci' && failed.length > 0) {
    console.error(`\nbench:ci: ${failed.length} regression threshold(s) broken: ${failed.map((b) => b.id).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
