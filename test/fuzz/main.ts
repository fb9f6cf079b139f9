// npm run fuzz -- [--minutes N] [--seed S] [--runs N] [--events N] [--shrink-minutes N] [--keep-going] [--no-save]
// npm run fuzz -- --case test/fixtures/fuzz/<name>.json
//
// The incremental-correctness fuzzer (README, "Fuzzing"). Runs seeds S, S+1, S+2, ... for N
// minutes (default 2) or N runs: each seed edits one Go file of the corpus with random didChange
// events through the server's document store and engine, and checks after every event that the
// tree equals a fresh parse and the published diagnostics a from-scratch analysis
// (serverSession.ts). A divergence is shrunk to a small case, saved as
// test/fixtures/fuzz/<name>.json (replayed by `npm test` from then on), and the run fails.
// Replay one seed with --seed S --runs 1; --case replays a saved case, and shrinks it again (rewriting
// the file) if it diverges.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomInt } from 'node:crypto';
import { repoRoot } from '../helpers/goFiles';
import { Corpus } from './corpus';
import { REGRESSION_DIR, writeRegressionCase, type Divergence, type FuzzCase, type RegressionCase } from './fuzzCase';
import { runSeed, type SeedRun } from './generate';
import { createTools, declarationSpans, describeEvents, disposeTools, runCase, SessionStats, type FuzzTools } from './serverSession';
import { sameFailure, shrink } from './shrink';

interface Options {
  minutes: number;
  seed: number;
  runs: number;
  events: number;
  shrinkMinutes: number;
  keepGoing: boolean;
  save: boolean;
  /** Replay (and shrink, if it diverges) this saved case instead of fuzzing. */
  caseFile?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { minutes: 2, seed: randomInt(2 ** 31), runs: Infinity, events: 40, shrinkMinutes: 5, keepGoing: false, save: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${arg} needs a number, got ${raw}`);
      return n;
    };
    if (arg === '--minutes') options.minutes = value();
    else if (arg === '--seed') options.seed = value() >>> 0;
    else if (arg === '--runs') options.runs = value();
    else if (arg === '--events') options.events = Math.max(1, Math.round(value()));
    else if (arg === '--shrink-minutes') options.shrinkMinutes = value();
    else if (arg === '--keep-going') options.keepGoing = true;
    else if (arg === '--no-save') options.save = false;
    else if (arg === '--case' && argv[i + 1]) options.caseFile = argv[++i];
    else throw new Error(`unknown option ${arg} (see test/fuzz/main.ts)`);
  }
  return options;
}

const replayHint = (seed: number | 'S', events: number): string => `npm run fuzz -- --seed ${seed} --runs 1${events === 40 ? '' : ` --events ${events}`}`;

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const tools = await createTools();
  if (options.caseFile) {
    try {
      return replayFile(tools, options.caseFile, options);
    } finally {
      disposeTools(tools);
    }
  }
  const corpus = Corpus.load();
  const started = performance.now();
  const stopAt = started + options.minutes * 60_000;
  const total = new SessionStats();
  const files = new Set<string>();
  let divergences = 0;
  let runs = 0;
  let nextReport = started + 30_000;
  console.log(
    `fuzzing from seed ${options.seed} for ${options.minutes} min${Number.isFinite(options.runs) ? ` or ${options.runs} runs` : ''}, ` +
      `${options.events} events a run, over ${corpus.standardLibrary.length} standard library and ${corpus.repository.length} repository files; ` +
      `replay the run of seed S with: ${replayHint('S', options.events)}`,
  );
  try {
    for (let seed = options.seed; runs < options.runs && (runs === 0 || performance.now() < stopAt); seed = (seed + 1) >>> 0) {
      const runStarted = performance.now();
      const run = runSeed(tools, corpus, seed, options.events);
      runs++;
      total.add(run.stats);
      files.add(run.fuzzCase.source);
      const ms = Math.round(performance.now() - runStarted);
      const what = `seed ${seed}: ${run.fuzzCase.source}, parse budget ${run.fuzzCase.parseBudget}, ${run.stats.steps} events, ${ms} ms`;
      if (!run.divergence) {
        console.log(`${what}: ok`);
      } else {
        divergences++;
        console.log(`${what}: DIVERGED (replay: ${replayHint(seed, options.events)})\n${run.divergence.message}`);
        report(tools, run, options);
        if (!options.keepGoing) break;
      }
      if (performance.now() > nextReport && performance.now() < stopAt) {
        nextReport += 30_000;
        console.log(summary(total, files.size, runs, performance.now() - started));
      }
    }
  } finally {
    disposeTools(tools);
  }
  console.log(summary(total, files.size, runs, performance.now() - started));
  for (const message of tools.logged.values()) console.log(`the server's engine logged: ${message}`);
  console.log(divergences === 0 ? 'no divergence' : `${divergences} divergence${divergences === 1 ? '' : 's'}`);
  return divergences === 0 ? 0 : 1;
}

function summary(stats: SessionStats, files: number, runs: number, ms: number): string {
  const seconds = ms / 1000;
  return (
    `${runs} runs, ${stats.steps} events (${(stats.steps / seconds).toFixed(1)}/s) on ${files} files in ${seconds.toFixed(0)} s: ` +
    `${stats.nodesCompared} tree nodes and ${stats.analysesCompared} analyses (${stats.findings} diagnostics) compared with fresh ones; ` +
    `${stats.provisional} provisional and ${stats.contained} contained analyses, ${stats.analysesBroken} (unsettled trees, broken text cut off) left to settling; ` +
    `${stats.cutOff} parses cut off, ${stats.settled} settled, ${stats.recoveryDifferences} unsettled trees that differed from a fresh parse`
  );
}

/** Shrinks a diverging run, prints the result and saves it as a regression case. */
function report(tools: FuzzTools, run: SeedRun, options: Options): void {
  const found = `npm run fuzz, seed ${run.seed} (${replayHint(run.seed, options.events)}), ${new Date().toISOString().slice(0, 10)}`;
  const saved = shrinkAndSave(tools, run.fuzzCase, run.divergence!, options, found);
  if (!saved) return;
  const dir = join(repoRoot(), REGRESSION_DIR);
  mkdirSync(dir, { recursive: true });
  const path = writeRegressionCase(dir, `${saved.divergence.kind}-${basename(run.fuzzCase.path, '.go')}-${run.seed}`, saved);
  console.log(`saved ${path}: npm test replays it (test/fuzzRegressions.test.ts)`);
}

/**
 * --case FILE: replays a saved case; when it diverges (a case written by hand, or checks made
 * stricter since), shrinks it and writes the result back to the file.
 */
function replayFile(tools: FuzzTools, file: string, options: Options): number {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as RegressionCase;
  const divergence = runCase(tools, saved.case);
  if (!divergence) {
    console.log(`${file}: no divergence (parse budget ${saved.case.parseBudget})`);
    return 0;
  }
  console.log(`${file}: ${divergence.message}`);
  const shrunk = shrinkAndSave(tools, saved.case, divergence, options, saved.found);
  if (shrunk && options.save) {
    writeFileSync(file, `${JSON.stringify({ ...saved, ...shrunk }, null, 2)}\n`);
    console.log(`rewrote ${file}`);
  }
  return 1;
}

/** Shrinks a diverging case (with a fixed parse budget that reproduces it, if the server's own was used) and prints it. */
function shrinkAndSave(tools: FuzzTools, original: FuzzCase, divergence: Divergence, options: Options, found: string): RegressionCase | undefined {
  const replay = (c: FuzzCase): Divergence | undefined => runCase(tools, c);
  // The server's own parse budget depends on timing: shrink with a fixed one that reproduces, if one does.
  const budgets = original.parseBudget === 'server' ? (['zero', 'none', 'server'] as const) : [original.parseBudget];
  let reproduced: { fuzzCase: FuzzCase; first: Divergence } | undefined;
  for (const parseBudget of budgets) {
    const fuzzCase = { ...original, parseBudget };
    const first = replay(fuzzCase);
    if (first && sameFailure(first, divergence)) {
      reproduced = { fuzzCase, first };
      break;
    }
  }
  if (!reproduced) {
    console.log('the divergence did not reproduce on replay (timing-dependent?): not shrunk, not saved');
    return undefined;
  }
  const { fuzzCase, first } = reproduced;
  const shrinkStarted = performance.now();
  const result = shrink(fuzzCase, first, {
    replay,
    declarations: (text) => declarationSpans(tools.freshParser, text),
    deadline: shrinkStarted + options.shrinkMinutes * 60_000,
  });
  const small = result.fuzzCase;
  console.log(
    `shrunk in ${Math.round(performance.now() - shrinkStarted)} ms (${result.replays} replays${result.timedOut ? ', cut short by --shrink-minutes' : ''}): ` +
      `${small.text.length} characters (from ${original.text.length}), ${small.events.length} events (from ${original.events.length}), parse budget ${small.parseBudget}\n` +
      `${result.divergence.message}\nstart text: ${JSON.stringify(small.text)}\nevents:\n${describeEvents(small.events)}`,
  );
  return options.save ? { found, divergence: result.divergence, case: small } : undefined;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
