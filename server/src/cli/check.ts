// `go-rubric check [paths...]`: checks Go files and prints findings for people or machines.
import { relative } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { analyzeText } from '../analysis/analyzer';
import type { RuleConfig } from '../engine/config';
import type { Engine } from '../engine/engine';
import type { Finding } from '../engine/types';
import type { LineIndex } from '../text/positions';
import { collectGoFiles, readGoFile, type WalkProblem } from './files';

export const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CheckOptions {
  paths: string[];
  format: 'text' | 'json';
  /** The lowest severity that makes the exit code 1. */
  failOn: FailOn;
  cwd: string;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

interface Located {
  path: string;
  finding: Finding;
  name: string;
  /** 1-based line and byte column, as Go tools print them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based line and UTF-16 character, as LSP and editors count. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function locate(path: string, finding: Finding, index: LineIndex, name: string): Located {
  const start = index.positionAt(finding.start);
  const end = index.positionAt(finding.end);
  const byteColumn = (p: { line: number; character: number }) =>
    Buffer.byteLength(index.lineText(p.line).slice(0, p.character), 'utf8') + 1;
  return {
    path,
    finding,
    name,
    line: start.line + 1,
    column: byteColumn(start),
    endLine: end.line + 1,
    endColumn: byteColumn(end),
    range: { start, end },
  };
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3, never: -1 };

/** Runs the check and returns the exit code: 1 with a finding at --fail-on or above, 2 on a missing path, else 0. */
export function runCheck(parser: Parser, engine: Engine, config: RuleConfig, options: CheckOptions, io: Output): number {
  const problems: WalkProblem[] = [];
  const files = collectGoFiles(options.paths, problems);
  const missingPath = problems.some((p) => options.paths.includes(p.path));
  const names = new Map(engine.rules.map((r) => [r.meta.code, r.meta.name]));
  const located: Located[] = [];
  const display = (path: string) => relative(options.cwd, path) || path;

  for (const path of files) {
    const read = readGoFile(path);
    if (!read.ok) {
      problems.push({ path, message: read.message });
      continue;
    }
    let result;
    try {
      result = analyzeText(parser, engine, config, read.text, path);
    } catch (error) {
      problems.push({ path, message: `internal error: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (result.skipped && result.skipped !== 'generated file') problems.push({ path, message: result.skipped });
    for (const failure of result.failures) {
      problems.push({ path, message: `rule ${failure.code} failed and was skipped: ${String(failure.error)}` });
    }
    for (const finding of result.findings) {
      located.push(locate(display(path), finding, result.lineIndex, names.get(finding.code) ?? finding.code));
    }
  }

  for (const problem of problems) io.err(`go-rubric: ${display(problem.path)}: ${problem.message}`);
  if (options.format === 'json') {
    io.out(JSON.stringify(toJson(located, problems.map((p) => ({ path: display(p.path), message: p.message })), files.length), null, 2));
  } else {
    for (const l of located) io.out(`${l.path}:${l.line}:${l.column}: ${l.finding.code} ${l.finding.message}`);
    io.err(summary(located, files.length));
  }
  const threshold = SEVERITY_RANK[options.failOn]!;
  if (located.some((l) => SEVERITY_RANK[l.finding.severity]! <= threshold)) return 1;
  return missingPath ? 2 : 0;
}

function summary(located: Located[], fileCount: number): string {
  const counts = new Map<string, number>();
  for (const l of located) counts.set(l.finding.severity, (counts.get(l.finding.severity) ?? 0) + 1);
  const parts = ['error', 'warning', 'information', 'hint'].filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  return located.length === 0 ? `go-rubric: no findings in ${files}` : `go-rubric: ${located.length} finding${located.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files}`;
}

/** The JSON output: schema version 1, documented in the README. */
function toJson(located: Located[], problems: WalkProblem[], fileCount: number) {
  return {
    version: 1,
    files: fileCount,
    findings: located.map((l) => ({
      path: l.path,
      code: l.finding.code,
      name: l.name,
      severity: l.finding.severity,
      message: l.finding.message,
      line: l.line,
      column: l.column,
      endLine: l.endLine,
      endColumn: l.endColumn,
      range: l.range,
      fix: l.finding.fix ? { title: l.finding.fix.title, safe: l.finding.fix.safe } : null,
    })),
    problems,
  };
}
