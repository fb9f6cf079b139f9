// Gathers what the rubric report needs about a set of folders: every finding (Go files on the
// worker threads, as `go-rubric check` does; go.mod files here), the workspace layout and the
// workspace rules' findings. Shared by `go-rubric report` and the editor's report command.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FindingRecord } from '../cli/checkFile';
import { IN_FLIGHT_PER_WORKER } from '../cli/check';
import { checkGoModFile } from '../cli/checkGoModFile';
import { collectGoFiles, type WalkProblem } from '../cli/files';
import { runPool } from '../cli/pool';
import { checkThroughCache, ResultCache } from '../cli/resultCache';
import { GoModLocator } from '../analysis/goModLocator';
import { effectiveSeverity, type RuleConfig } from '../engine/config';
import { groupByConfig, type ConfigScope } from '../config/configScope';
import { workspaceRules } from '../rules';
import type { WorkspaceFinding, WorkspaceLayout } from '../setup/setupRule';
import { readWorkspaceLayout } from '../setup/workspaceLayout';

export interface ReportData {
  roots: string[];
  /** The configuration of the first root: the report's table says which rules are off by it. */
  config: RuleConfig;
  /** Go files checked, and how many of them are _test.go files. */
  files: number;
  testFiles: number;
  goMods: number;
  findings: FindingRecord[];
  /** Rule codes that apply to at least one checked file (their file precondition holds). */
  applicable: Set<string>;
  layouts: WorkspaceLayout[];
  workspaceFindings: Map<string, WorkspaceFinding[]>;
  problems: WalkProblem[];
  ms: number;
}

export interface CollectOptions {
  workers?: number;
  workerScript?: string;
  signal?: AbortSignal;
  /** Answer unchanged folders from the CLI's result cache (the editor does not use it). */
  cache?: boolean;
  /** Called as files are checked. */
  progress?(done: number, total: number, findings: number): void;
}

/**
 * Checks the roots (folders) and reads their layout, each file with the configuration `scope`
 * gives it (excluded files are left out). Finding paths are absolute.
 */
export async function collectReportData(roots: readonly string[], scope: ConfigScope, options: CollectOptions = {}): Promise<ReportData> {
  const started = performance.now();
  const problems: WalkProblem[] = [];
  const sizes = new Map<string, number>();
  const goMods: string[] = [];
  const paths = collectGoFiles(roots, problems, sizes, goMods).filter((path) => scope.configFor(path));
  const findings: FindingRecord[] = [];
  const applicable = new Set<string>();
  for (const goMod of goMods) {
    const config = scope.configFor(goMod);
    if (!config) continue;
    const report = checkGoModFile(goMod, goMod, config);
    findings.push(...report.findings);
    for (const message of report.problems) problems.push({ path: goMod, message });
  }
  const files = paths.map((path) => ({ path, display: path, size: sizes.get(path) ?? 0 }));
  let done = 0;
  const script = options.workerScript ?? join(__dirname, 'cliWorker.js');
  const goModLocator = new GoModLocator();
  for (const { config, indices } of groupByConfig(files, (file) => scope.configFor(file.path))) {
    if (options.signal?.aborted) break;
    const cache = options.cache ? ResultCache.open(config, script) : undefined;
    await checkThroughCache(
      indices.map((i) => files[i]!),
      cache,
      goModLocator,
      (subset, onReport) =>
        runPool({
          script,
          workers: Math.max(1, Math.min(options.workers ?? availableParallelism(), subset.length)),
          inFlight: IN_FLIGHT_PER_WORKER,
          setup: { config: [...config.severities], applicable: true },
          files: subset,
          signal: options.signal,
          onReport,
        }),
      (j, report) => {
        findings.push(...report.findings);
        for (const code of report.applicable ?? []) applicable.add(code);
        for (const message of report.problems) problems.push({ path: files[indices[j]!]!.path, message });
        options.progress?.(++done, files.length, findings.length);
      },
      (path) => !scope.configFor(path),
    );
  }
  const layouts = roots.map((root) => readWorkspaceLayout(root));
  const workspaceFindings = new Map<string, WorkspaceFinding[]>();
  for (const rule of workspaceRules) {
    // Each root's layout is judged by that root's configuration.
    const on = layouts.filter((layout) => effectiveSeverity(scope.folderConfig(layout.root), rule, undefined) !== 'off');
    if (on.length > 0) workspaceFindings.set(rule.meta.code, on.flatMap((layout) => rule.checkWorkspace(layout)));
  }
  const config = scope.folderConfig(roots[0] ?? process.cwd());
  return {
    roots: [...roots],
    config,
    files: paths.length,
    testFiles: paths.filter((p) => p.endsWith('_test.go')).length,
    goMods: goMods.length,
    findings,
    applicable,
    layouts,
    workspaceFindings,
    problems,
    ms: performance.now() - started,
  };
}
