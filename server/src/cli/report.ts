// `go-rubric report [paths...]`: the rubric report of the folders as markdown on stdout, for a
// pull-request comment or a file; a progress line on a terminal's stderr meanwhile.
import { relative, resolve } from 'node:path';
import { describeConfigProblem, type RunConfig } from '../config/commandLineConfig';
import { collectReportData } from '../report/collect';
import { renderReport } from '../report/render';
import { catalog } from '../rules';
import type { Output } from './check';
import { ProgressLine } from './progress';

declare const GO_RUBRIC_VERSION: string;

export async function runReport(run: RunConfig, paths: readonly string[], cwd: string, jobs: number, cache: boolean, io: Output): Promise<number> {
  const roots = paths.map((p) => resolve(cwd, p));
  // Configuration problems are printed as they are found: the roots' files first, then those of
  // folders inside them. An invalid file stops the run (exit 2), as for check.
  let printed = 0;
  const configInvalid = () => {
    for (const problem of run.problems.slice(printed)) io.err(describeConfigProblem(problem, (path) => relative(cwd, path) || path));
    printed = run.problems.length;
    return run.problems.some((p) => p.severity === 'error');
  };
  for (const root of roots) run.scope.folderConfig(root);
  if (configInvalid()) return 2;
  let progress: ProgressLine | undefined;
  try {
    const data = await collectReportData(roots, run.scope, {
      workers: jobs,
      cache,
      progress: io.progress
        ? (done, total, findings) => {
            progress ??= new ProgressLine(io.progress!, total);
            progress.update(done, findings);
          }
        : undefined,
    });
    progress?.stop();
    if (configInvalid()) return 2;
    const missing = data.problems.filter((p) => roots.includes(p.path));
    for (const problem of missing) io.err(`go-rubric: ${problem.path}: ${problem.message}`);
    if (missing.length > 0) return 2;
    io.out(renderReport(data, catalog, { links: { kind: 'relative', cwd }, version: GO_RUBRIC_VERSION, date: new Date().toISOString().slice(0, 10) }).trimEnd());
    return 0;
  } finally {
    progress?.stop();
  }
}
