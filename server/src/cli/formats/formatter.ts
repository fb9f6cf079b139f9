// What every output format of `go-rubric check` is given, and what it must do. check.ts feeds a
// formatter each finding in output order (sorted files, each file's findings in source order,
// whatever the number of worker threads) and ends it once with what the run found.
import type { WalkProblem } from '../files';
import type { FindingRecord } from '../checkFile';

export interface FormatContext {
  /** One line (or block) on stdout; the progress line, if any, is erased first. */
  out(text: string): void;
  /** One line on stderr. */
  err(text: string): void;
  /** The working folder: paths in findings are relative to it. */
  cwd: string;
  /** Colour the text output (stdout is a terminal and NO_COLOR is not set). */
  color: boolean;
}

export interface RunEnd {
  /** Files found and not excluded (checked or skipped). */
  files: number;
  /** Files and folders that could not be checked, and why (already printed on stderr). */
  problems: readonly WalkProblem[];
}

export interface Formatter {
  finding(finding: FindingRecord): void;
  end(run: RunEnd): void;
}
