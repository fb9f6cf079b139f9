// The command line's configuration: each file's nearest configuration file (searched from the
// file's folder up to the repository root), or the one given with --config, or none with
// --no-config; then the flags, which override the file: --rule KEY=LEVEL for rules and --exclude
// GLOB (relative to the current directory) for files; last, --rules and --exclude-rules
// (ruleSelection.ts) turn off the rules a run leaves out.
import { resolve } from 'node:path';
import { resolveConfig } from '../engine/config';
import type { RuleInfo } from '../engine/types';
import { ConfigLocator, type ConfigFileProblem } from './configFile';
import { LayeredScope, type ConfigScope } from './configScope';
import { pathExcluder } from './glob';
import { rulesInLists, selectRules } from './ruleSelection';

export interface ConfigFlags {
  cwd: string;
  /** --config FILE: this file for every path, no search. */
  configFile?: string;
  /** --no-config: no configuration file at all. */
  noConfig: boolean;
  /** --rule KEY=LEVEL, in the order given. */
  rules: readonly string[];
  /** --exclude GLOB, relative to cwd. */
  exclude: readonly string[];
  /** --rules LIST (repeatable): run only these rules. */
  only?: readonly string[];
  /** --exclude-rules LIST (repeatable): do not run these. */
  skip?: readonly string[];
}

/** A scope for a run, and what was wrong with the configuration files it has read so far. */
export interface RunConfig {
  scope: ConfigScope;
  /** Grows as files are found; an error means the run must stop (exit 2). */
  readonly problems: readonly ConfigFileProblem[];
}

/** The run's configuration, or what is wrong with the flags (a usage error). */
export function commandLineConfig(rules: readonly RuleInfo[], flags: ConfigFlags): RunConfig | { error: string } {
  if (flags.configFile !== undefined && flags.noConfig) return { error: '--config and --no-config exclude each other' };
  const ruleFlags: Record<string, string> = {};
  for (const flag of flags.rules) {
    const eq = flag.lastIndexOf('=');
    if (eq <= 0) return { error: `--rule takes KEY=LEVEL, for example GR101=off or concurrency=error (got "${flag}")` };
    ruleFlags[flag.slice(0, eq).trim()] = flag.slice(eq + 1).trim();
  }
  const ruleProblems = resolveConfig(rules, ruleFlags).problems;
  if (ruleProblems.length > 0) return { error: `--rule: ${ruleProblems.map((p) => p.message).join('; ')}` };
  const only = flags.only && flags.only.length > 0 ? rulesInLists(rules, flags.only, '--rules') : undefined;
  if (only && 'error' in only) return only;
  const skip = rulesInLists(rules, flags.skip ?? [], '--exclude-rules');
  if ('error' in skip) return skip;
  const excluded = pathExcluder(flags.cwd, flags.exclude);
  if (excluded.problems.length > 0) return { error: `--exclude: ${excluded.problems.join('; ')}` };

  const problems: ConfigFileProblem[] = [];
  const locator = new ConfigLocator(rules, (located) => problems.push(...located.problems));
  const explicit = flags.configFile === undefined ? undefined : resolve(flags.cwd, flags.configFile);
  const find = flags.noConfig
    ? () => undefined
    : explicit !== undefined
      ? () => locator.load(explicit).file
      : (dir: string) => locator.lookup(dir).file;
  // An explicit file is read now, so that a missing one stops the run even with nothing to check.
  if (explicit !== undefined) locator.load(explicit);
  const scope = new LayeredScope(rules, find, { rules: ruleFlags, excluder: excluded.excluder });
  if (!only && skip.size === 0) return { scope, problems };
  return { scope: selectRules(scope, (code) => (!only || only.has(code)) && !skip.has(code)), problems };
}

/** One line for stderr per configuration problem. */
export function describeConfigProblem(problem: ConfigFileProblem, display: (path: string) => string): string {
  return `go-rubric: ${display(problem.path)}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}
