// Measures the rules' noise on real Go code: runs the CLI's JSON output over one or more corpus
// roots, counts the Go lines it checked, and prints findings per rule (total, per 10,000 lines,
// by severity, with a fix). Every finding is written to a JSONL file for sampling by hand.
//
//   node scripts/corpus-stats.mjs [--out findings.jsonl] [--jobs N] [root...]
//
// Default root: /usr/share/go-1.19/src (see ../shared/CORPUS.md; the library corpus is
// /usr/share/gocode/src). The CLI is server/out/cli.js (build first: node scripts/build.mjs), or $GO_RUBRIC_CLI.
// Folders the CLI skips (vendor/, testdata/, hidden and _-prefixed) are skipped here too, and
// generated files are counted apart since the CLI gives them no findings.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.GO_RUBRIC_CLI ? resolve(process.env.GO_RUBRIC_CLI) : join(repo, 'server', 'out', 'cli.js');
const DEFAULT_ROOT = '/usr/share/go-1.19/src';
/** A CLI run covers at most about this many files, so that its JSON stays a manageable size. */
const MAX_FILES_PER_RUN = 1500;
/** Small folders are packed into runs of about this many files: fewer start-ups, still parallel. */
const BATCH_FILES = 400;
const SEVERITIES = ['error', 'warning', 'information', 'hint'];
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

function parseArgs(argv) {
  const options = { out: '/tmp/go-rubric-corpus-findings.jsonl', jobs: Math.max(1, cpus().length), roots: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') options.out = argv[++i];
    else if (arg.startsWith('--out=')) options.out = arg.slice(6);
    else if (arg === '--jobs') options.jobs = Number(argv[++i]);
    else if (arg.startsWith('--jobs=')) options.jobs = Number(arg.slice(7));
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/corpus-stats.mjs [--out findings.jsonl] [--jobs N] [root...]');
      process.exit(0);
    } else options.roots.push(resolve(arg));
  }
  if (options.roots.length === 0) options.roots.push(DEFAULT_ROOT);
  if (!options.out || !(options.jobs >= 1)) throw new Error('bad --out or --jobs');
  return options;
}

/** The same folder filter as the CLI (server/src/cli/files.ts). */
function isSkippedDir(name) {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

function listDir(dir) {
  const dirs = [];
  const files = [];
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return { dirs, files };
  }
  for (const name of names) {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      if (!isSkippedDir(name)) dirs.push(path);
    } else if (stat.isFile() && name.endsWith('.go')) files.push(path);
  }
  return { dirs, files };
}

/** Counts the .go files and lines under dir (CLI's folder filter), and lists the files. */
function survey(dir, seen = new Set()) {
  const stat = statSync(dir);
  const key = `${stat.dev}:${stat.ino}`;
  const node = { dir, files: [], dirs: [], fileCount: 0 };
  if (seen.has(key)) return node;
  seen.add(key);
  const { dirs, files } = listDir(dir);
  node.files = files;
  node.fileCount = files.length;
  for (const sub of dirs) {
    const child = survey(sub, seen);
    node.dirs.push(child);
    node.fileCount += child.fileCount;
  }
  return node;
}

/** Splits a surveyed tree into CLI runs: whole folders when small enough, else their parts. */
function units(node, out = []) {
  if (node.fileCount === 0) return out;
  if (node.fileCount <= MAX_FILES_PER_RUN) {
    // dir/...: the folder and those below it (a plain folder is that folder alone, as for go vet).
    out.push({ args: [`${node.dir}/...`], fileCount: node.fileCount });
    return out;
  }
  for (let i = 0; i < node.files.length; i += 200) {
    const chunk = node.files.slice(i, i + 200);
    out.push({ args: chunk, fileCount: chunk.length });
  }
  for (const child of node.dirs) units(child, out);
  return out;
}

/** Packs consecutive small runs together (the CLI takes several paths), up to the same size limit. */
function batch(runs) {
  const out = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && last.fileCount + run.fileCount <= BATCH_FILES && last.args.length + run.args.length <= 400) {
      last.args.push(...run.args);
      last.fileCount += run.fileCount;
    } else out.push({ args: [...run.args], fileCount: run.fileCount });
  }
  return out;
}

function allFiles(node, out = []) {
  out.push(...node.files);
  for (const child of node.dirs) allFiles(child, out);
  return out;
}

function countLines(files) {
  const totals = { files: 0, lines: 0, generatedFiles: 0, generatedLines: 0, testFiles: 0, testLines: 0 };
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let lines = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
    if (text.length > 0 && text[text.length - 1] !== '\n') lines++;
    totals.files++;
    totals.lines += lines;
    if (GENERATED.test(text)) {
      totals.generatedFiles++;
      totals.generatedLines += lines;
    }
    if (file.endsWith('_test.go')) {
      totals.testFiles++;
      totals.testLines += lines;
    }
  }
  return totals;
}

function runCli(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, 'check', '--no-cache', '--format', 'json', ...args], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => {
      if (stderr.length < 100_000) stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`cli exited ${code} on ${args[0]}${args.length > 1 ? ` (+${args.length - 1})` : ''}: ${stderr.slice(0, 500)}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(new Error(`bad JSON from cli on ${args[0]}: ${error.message}`));
      }
    });
  });
}

async function pool(items, jobs, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

function pad(value, width, left = false) {
  const s = String(value);
  return left ? s.padEnd(width) : s.padStart(width);
}

function printTable(title, lines, findings) {
  const byRule = new Map();
  for (const f of findings) {
    let row = byRule.get(f.code);
    if (!row) byRule.set(f.code, (row = { code: f.code, name: f.name, total: 0, fix: 0, test: 0, sev: {} }));
    row.total++;
    if (f.fix) row.fix++;
    if (f.path.endsWith('_test.go')) row.test++;
    row.sev[f.severity] = (row.sev[f.severity] ?? 0) + 1;
  }
  const checked = lines.lines - lines.generatedLines;
  console.log(`\n${title}`);
  console.log(
    `  ${lines.files} files, ${lines.lines} lines (${lines.generatedFiles} generated files / ${lines.generatedLines} lines get no findings; ` +
      `${lines.testFiles} _test.go files / ${lines.testLines} lines); rates use the ${checked} non-generated lines`,
  );
  const header = `  ${pad('rule', 26, true)}${pad('findings', 9)}${pad('/10k', 8)}${SEVERITIES.map((s) => pad(s.slice(0, 4), 7)).join('')}${pad('fix', 7)}${pad('in_test', 8)}`;
  console.log(header);
  console.log(`  ${'-'.repeat(header.length - 2)}`);
  const rows = [...byRule.values()].sort((a, b) => a.code.localeCompare(b.code));
  const per10k = (n) => (checked > 0 ? ((n * 10_000) / checked).toFixed(2) : '-');
  for (const row of rows) {
    console.log(
      `  ${pad(`${row.code} ${row.name}`, 26, true)}${pad(row.total, 9)}${pad(per10k(row.total), 8)}` +
        `${SEVERITIES.map((s) => pad(row.sev[s] ?? 0, 7)).join('')}${pad(row.fix, 7)}${pad(row.test, 8)}`,
    );
    for (const s of SEVERITIES) {
      if (row.sev[s] && row.sev[s] !== row.total) console.log(`  ${pad(`  ${s}`, 26, true)}${pad(row.sev[s], 9)}${pad(per10k(row.sev[s]), 8)}`);
    }
  }
  if (rows.length === 0) console.log('  (no findings)');
  console.log(`  ${pad('all rules', 26, true)}${pad(findings.length, 9)}${pad(per10k(findings.length), 8)}`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run node scripts/build.mjs first`);
  const missing = options.roots.filter((r) => !existsSync(r));
  if (missing.length > 0) {
    console.error(`corpus-stats: missing root(s): ${missing.join(', ')} (install with ../shared/scripts/install-go-corpus.sh [--libs])`);
    process.exit(2);
  }
  const started = Date.now();
  const out = createWriteStream(options.out);
  const perRoot = [];
  let problemCount = 0;
  const problemSamples = [];
  let cliMillis = 0;

  for (const root of options.roots) {
    const tree = survey(root);
    const lines = countLines(allFiles(tree));
    const runs = batch(units(tree));
    const findings = [];
    const rootStart = Date.now();
    let done = 0;
    await pool(runs, options.jobs, async (run) => {
      const json = await runCli(run.args);
      for (const f of json.findings) {
        const path = resolve('/', f.path);
        const record = { root, path, code: f.code, name: f.name, severity: f.severity, line: f.line, column: f.column, endLine: f.endLine, message: f.message, fix: f.fix };
        findings.push(record);
        out.write(`${JSON.stringify(record)}\n`);
      }
      for (const p of json.problems) {
        problemCount++;
        if (problemSamples.length < 10) problemSamples.push(`${resolve('/', p.path)}: ${p.message}`);
      }
      done += run.fileCount;
      if (process.stderr.isTTY) process.stderr.write(`\r${root}: ${done}/${tree.fileCount} files`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    cliMillis += Date.now() - rootStart;
    perRoot.push({ root, lines, findings, runs: runs.length, millis: Date.now() - rootStart });
  }
  await new Promise((r) => out.end(r));

  for (const r of perRoot) printTable(`${r.root}  (${r.runs} CLI runs, ${(r.millis / 1000).toFixed(1)} s)`, r.lines, r.findings);
  if (perRoot.length > 1) {
    const sum = { files: 0, lines: 0, generatedFiles: 0, generatedLines: 0, testFiles: 0, testLines: 0 };
    for (const r of perRoot) for (const k of Object.keys(sum)) sum[k] += r.lines[k];
    printTable('all roots', sum, perRoot.flatMap((r) => r.findings));
  }
  if (problemCount > 0) {
    console.log(`\n${problemCount} problem(s) reported by the CLI (unreadable, skipped or failing files), e.g.:`);
    for (const p of problemSamples) console.log(`  ${p}`);
  }
  console.log(`\nfindings written to ${options.out}`);
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s (CLI runs ${(cliMillis / 1000).toFixed(1)} s, ${options.jobs} parallel jobs)`);
}

main().catch((error) => {
  console.error(`corpus-stats: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
