// The rubric report in the editor (the goRubric.server.report command): each workspace folder on
// disk is checked as `go-rubric report` checks it (worker threads, one per core), with that
// folder's settings, and the report comes back as markdown for the client to show. Nothing is
// published: the report reads the files as they are on disk.
import { availableParallelism } from 'node:os';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { ConfigScope } from '../config/configScope';
import { collectReportData } from '../report/collect';
import { renderReport } from '../report/render';
import { catalog } from '../rules';
import type { WorkspaceFolderPath } from './workspaceCheck';

export const REPORT_COMMAND = 'goRubric.server.report';

export interface ReportResult {
  markdown: string;
  cancelled: boolean;
}

export async function workspaceReport(
  folders: readonly WorkspaceFolderPath[],
  folderConfig: (folder: WorkspaceFolderPath) => Promise<{ enabled: boolean; scope: ConfigScope }>,
  progress: WorkDoneProgressReporter,
  tokens: readonly CancellationToken[],
  version: string,
): Promise<ReportResult> {
  const abort = new AbortController();
  const subscriptions = tokens.map((t) => t.onCancellationRequested(() => abort.abort()));
  try {
    if (folders.length === 0) return { markdown: '# Go Rubric report\n\nOpen a folder to get its rubric report: this workspace has no folder on disk.\n', cancelled: false };
    const parts: string[] = [];
    for (const [i, folder] of folders.entries()) {
      if (abort.signal.aborted) break;
      const { enabled, scope } = await folderConfig(folder);
      if (!enabled) {
        parts.push(`# Go Rubric report: \`${folder.path}\`\n\nGo Rubric is turned off for this folder (goRubric.enable).\n`);
        continue;
      }
      let lastReport = 0;
      const data = await collectReportData([folder.path], scope, {
        workers: availableParallelism(),
        signal: abort.signal,
        progress: (done, total, findings) => {
          const now = performance.now();
          if (now - lastReport < 100 && done < total) return;
          lastReport = now;
          const share = 100 / folders.length;
          progress.report(Math.round(i * share + (share * done) / total), `${done} / ${total} files, ${findings} findings`);
        },
      });
      parts.push(renderReport(data, catalog, { links: { kind: 'uri' }, version, date: new Date().toISOString().slice(0, 10) }));
    }
    return { markdown: parts.join('\n---\n\n'), cancelled: abort.signal.aborted };
  } finally {
    for (const s of subscriptions) s.dispose();
  }
}
