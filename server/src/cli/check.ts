// `go-rubric check [paths...]`: checks Go files and prints findings for people or machines.
//
// Files are checked on worker threads (one per core by default) or, with --jobs 1, in this
// thread; either way each file's report comes back small (no text, no tree) and is printed in file
// order as soon as every file before it is done, so the output does not depend on scheduling.
import { join, relative } from 'node:path';
import type { RuleConfig } from '../engine/config';
import { describeConfigProblem, type RunConfig } from '../config/commandLineConfig';
import { groupByConfig } from '../config/configScope';
import { GoModLocator } from '../analysis/goModLocator';
import { checkFile, createChecker, faultsEnabled, type FileReport } from './checkFile';
import { checkThroughCache, ResultCache } from './resultCache';
import { checkGoModFile } from './checkGoModFile';
import { collectGoFiles, type WalkProblem } from './files';
import { createFormatter, type Format } from './formats';
import { EVERYTHING, parsePatterns } from './patterns';
import { runPool, type PoolFile } from './pool';
import { ProgressLine, type ProgressStream } from './progress';
import { createGoParser } from '../parsing/goParser';
import { catalog } from '../rules';

export const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CheckOptions {
  /** Go-style patterns (patterns.ts); none means ./... */
  paths: string[];
  format: Format;
  /** The lowest severity that makes the exit code 1. */
  failOn: FailOn;
  cwd: string;
  /** Worker threads; 1 checks in this thread. */
  jobs: number;
  /** The worker bundle; by default cliWorker.js next to this bundle (server/out, or an installed copy). */
  workerScript?: string;
  /** Answer unchanged folders from the result cache (resultCache.ts) and store the others. */
  cache?: boolean;
  /** Apply every safe fix, write the files they change, then report what is left (--fix). */
  fix?: boolean;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** A terminal to draw the progress line on (stderr when it is a TTY); none means no progress. */
  progress?: ProgressStream;
  /** stdout is a terminal too (so the progress line must be erased before writing to it). */
  outIsTerminal?: boolean;
  /** Colour the text format (formats/text.ts colorWanted). */
  color?: boolean;
}

/**
 * Files queued per worker. A worker answers once it has checked all the files waiting for it (see
 * worker.ts), then waits for the next ones: a few files per round trip keep that wait small.
 */
export const IN_FLIGHT_PER_WORKER = 12;

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3, never: -1 };

/**
 * Runs the check and returns the exit code: 1 with a finding at --fail-on or above, 2 on a bad
 * pattern, a missing path, a folder without Go files or an invalid configuration file (then
 * nothing is checked), else 0.
 */
export async function runCheck(run: RunConfig, options: CheckOptions, io: Output): Promise<number> {
  const targets = parsePatterns(options.paths);
  if (typeof targets === 'string') {
    io.err(`go-rubric: ${targets}`);
    return 2;
  }
  const walkProblems: WalkProblem[] = [];
  const sizes = new Map<string, number>();
  const goMods: string[] = [];
  const found = collectGoFiles(targets, walkProblems, sizes, goMods);
  const missingPath = walkProblems.some((p) => targets.some((t) => t.path === p.path));
  const display = (path: string) => relative(options.cwd, path) || path;
  // Each file's configuration, read before anything is checked: an invalid file stops the run.
  const configs = new Map([...found, ...goMods].map((path) => [path, run.scope.configFor(path)]));
  for (const problem of run.problems) io.err(describeConfigProblem(problem, display));
  if (run.problems.some((p) => p.severity === 'error')) return 2;
  const paths = found.filter((path) => configs.get(path));
  const files = paths.map((path) => ({ path, display: display(path), size: sizes.get(path) ?? 0 }));

  const progress = io.progress && options.format === 'text' ? new ProgressLine(io.progress, files.length) : undefined;
  const out = (line: string) => {
    if (io.outIsTerminal) progress?.clear();
    io.out(line);
  };
  const err = (line: string) => {
    progress?.clear();
    io.err(line);
  };

  const formatter = createFormatter(options.format, { out, err, cwd: options.cwd, color: io.color === true });
  const problems: WalkProblem[] = [];
  /** --fix: fixes applied per rule code, and the files they changed. */
  const fixedPerRule = new Map<string, number>();
  let fixedFiles = 0;
  const threshold = SEVERITY_RANK[options.failOn]!;
  let failed = false;

  const report = (problem: WalkProblem) => {
    problems.push({ path: display(problem.path), message: problem.message });
    err(`go-rubric: ${display(problem.path)}: ${problem.message}`);
  };
  for (const problem of walkProblems) report(problem);

  const printReport = (path: string, file: FileReport) => {
    for (const log of file.logs) err(`go-rubric: ${log}`);
    for (const message of file.problems) report({ path, message });
    if (file.fixed) {
      fixedFiles++;
      for (const [code, count] of Object.entries(file.fixed)) fixedPerRule.set(code, (fixedPerRule.get(code) ?? 0) + count);
    }
    for (const f of file.findings) {
      if (SEVERITY_RANK[f.severity]! <= threshold) failed = true;
      formatter.finding(f);
    }
  };
  // go.mod files first (a handful, checked here): what the module says comes before its code.
  for (const goMod of goMods.sort()) {
    const config = configs.get(goMod);
    if (config) printReport(goMod, checkGoModFile(goMod, display(goMod), config));
  }

  // Reports arrive in completion order; they are printed in file order.
  const waiting = new Map<number, FileReport>();
  let nextToPrint = 0;
  let done = 0;
  let foundSoFar = 0;
  const print = (index: number, file: FileReport) => printReport(files[index]!.path, file);
  const onReport = (index: number, file: FileReport) => {
    done++;
    foundSoFar += file.findings.length;
    waiting.set(index, file);
    for (let ready = waiting.get(nextToPrint); ready; ready = waiting.get(nextToPrint)) {
      waiting.delete(nextToPrint);
      print(nextToPrint++, ready);
    }
    progress?.update(done, foundSoFar);
  };

  const script = options.workerScript ?? join(__dirname, 'cliWorker.js');
  const goModLocator = new GoModLocator();
  const excluded = (path: string) => !run.scope.configFor(path);
  const fix = options.fix === true;
  try {
    progress?.update(0, 0);
    // Usually one group; folders with configuration files of their own are checked with theirs.
    for (const { config, indices } of groupByConfig(files, (file) => configs.get(file.path))) {
      const cache = options.cache && !faultsEnabled() ? ResultCache.open(config, script) : undefined;
      const group = indices.map((i) => files[i]!);
      await checkThroughCache(group, cache, goModLocator, async (subset, report) => {
        const workers = Math.min(options.jobs, subset.length);
        if (workers <= 1) return checkInThisThread(config, subset, report, fix);
        progress?.startTimer();
        await runPool({ script, workers, inFlight: IN_FLIGHT_PER_WORKER, setup: { config: [...config.severities], applicable: true, fix }, files: subset, onReport: report });
      }, (j, report) => onReport(indices[j]!, report), excluded, fix);
    }
  } finally {
    progress?.stop();
  }

  if (fix) io.err(fixSummary(fixedPerRule, fixedFiles));
  formatter.end({ files: files.length, problems });
  if (found.length === 0 && goMods.length === 0 && walkProblems.length === 0) {
    io.err(`go-rubric: warning: ${options.paths.length > 0 ? options.paths.join(' ') : EVERYTHING} matched no Go files`);
  }
  if (failed) return 1;
  return missingPath ? 2 : 0;
}

async function checkInThisThread(
  config: RuleConfig,
  files: readonly PoolFile[],
  onReport: (index: number, report: FileReport) => void,
  fix: boolean,
): Promise<void> {
  if (files.length === 0) return;
  const checker = await createChecker(config, { applicable: true, fix });
  try {
    for (let i = 0; i < files.length; i++) {
      const report = checkFile(checker, files[i]!.path, files[i]!.display);
      if (report.recycle) {
        // After an internal error the parser may be in a bad state: start from a fresh one.
        checker.parser.delete();
        checker.parser = await createGoParser();
      }
      delete report.recycle;
      onReport(i, report);
    }
  } finally {
    checker.parser.delete();
  }
}

/** --fix: how many fixes were applied and to how many files, then a line per rule (in code order). */
function fixSummary(perRule: ReadonlyMap<string, number>, fileCount: number): string {
  const total = [...perRule.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 'go-rubric: no fixes applied';
  const rules = [...perRule].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rules.map(([code]) => ruleLabel(code).length));
  const lines = rules.map(([code, count]) => `  ${ruleLabel(code).padEnd(width)}  ${count}`);
  return [`go-rubric: applied ${total} fix${total === 1 ? '' : 'es'} to ${fileCount} file${fileCount === 1 ? '' : 's'}:`, ...lines].join('\n');
}

function ruleLabel(code: string): string {
  const name = catalog.find((r) => r.meta.code === code)?.meta.name;
  return name ? `${code} ${name}` : code;
}
