// The `github` format: GitHub Actions workflow commands, which the runner turns into annotations
// on the pull request's diff. One `::error`, `::warning` or `::notice` line per finding (information
// and hint are notices), titled with the rule; files that could not be checked become warnings
// titled go-rubric. Paths are relative to the repository root (sourceRoot.ts), where GitHub looks
// for them; columns count UTF-16 code units, as GitHub's pages do, and are left out when a
// finding spans lines (annotations take columns only on one line). The summary goes to stderr,
// as for text.
//
// GitHub shows at most 10 annotations of each level per step (and 50 per job) on the pull request;
// the log keeps every line. For many findings, upload SARIF instead (README).
import type { Severity } from '../../engine/types';
import type { FindingRecord } from '../checkFile';
import type { FormatContext, Formatter } from './formatter';
import { pathUnderRoot, sourceRoot } from './sourceRoot';
import { FindingTally } from './text';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A command's message, escaped as the runner unescapes it (actions/toolkit's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (file=..., title=...), escaped as the runner unescapes it (escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function githubFormatter(context: FormatContext): Formatter {
  const root = sourceRoot(context.cwd);
  const file = (path: string) => pathUnderRoot(path, context.cwd, root) ?? path;
  const tally = new FindingTally();
  return {
    finding(f: FindingRecord) {
      tally.add(f);
      const oneLine = f.range.start.line === f.range.end.line;
      context.out(
        workflowCommand(
          COMMAND[f.severity],
          {
            file: file(f.path),
            line: f.line,
            col: oneLine ? f.range.start.character + 1 : undefined,
            endLine: f.endLine,
            endColumn: oneLine ? f.range.end.character + 1 : undefined,
            title: `${f.code} ${f.name}`,
          },
          f.message,
        ),
      );
    },
    end(run) {
      for (const problem of run.problems) context.out(workflowCommand('warning', { file: file(problem.path), title: 'go-rubric' }, problem.message));
      context.err(tally.summary(run.files));
    },
  };
}
