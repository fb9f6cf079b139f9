// `go-rubric report [paths...]`: the rubric report of the folders as markdown on stdout, for a
// pull-request comment or a file; a progress line on a terminal's stderr meanwhile.
import { resolve } from 'node:path';
import type { RuleConfig } from '../engine/config';
import { collectReportData } from '../report/collect';
import { renderReport } from '../report/render';
import { catalog } from '../rules';
import type { Output } from './check';
import { ProgressLine } from './progress';

declare const GO_RUBRIC_VERSION: string;

export async function runReport(config: RuleConfig, paths: readonly string[], cwd: string, jobs: number, cache: boolean, io: Output): Promise<number> {
  const roots = paths.map((p) => resolve(cwd, p));
  let progress: ProgressLine | undefined;
  try {
    const data = await collectReportData(roots, config, {
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
    const missing = data.problems.filter((p) => roots.includes(p.path));
    for (const problem of missing) io.err(`go-rubric: ${problem.path}: ${problem.message}`);
    if (missing.length > 0) return 2;
    io.out(renderReport(data, catalog, { links: { kind: 'relative', cwd }, version: GO_RUBRIC_VERSION, date: new Date().toISOString().slice(0, 10) }).trimEnd());
    return 0;
  } finally {
    progress?.stop();
  }
}
