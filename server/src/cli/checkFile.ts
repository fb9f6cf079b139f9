// Checks one file for the CLI: read, parse, analyze, locate, free the tree. The same code runs in
// the CLI's worker threads and, with --jobs 1, in the main thread; what it returns is small and
// structured-cloneable, so a worker sends it back as is and never keeps a tree alive.
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import { analyzeText, analyzeTextWithApplicable, textAnalyzer, type TextAnalysis } from '../analysis/analyzer';
import { GoModLocator } from '../analysis/goModLocator';
import { DiskPackages } from '../analysis/packageIndex';
import type { PackageSource } from '../engine/packageView';
import type { RuleConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import type { Finding, Rule, Severity, SeveritySetting } from '../engine/types';
import { appliedPerRule, DEFAULT_MAX_ROUNDS, fixAll } from '../fixes/fixAll';
import { createGoParser } from '../parsing/goParser';
import { allRules, directiveRules } from '../rules';
import type { LineIndex } from '../text/positions';
import { skipReasonFor } from '../documents/goDocument';
import { describeFsError, readGoFile } from './files';
import { isPlainlyGenerated } from './generated';

/** One finding as the CLI prints it; also the JSON output's finding object (schema version 1). */
export interface FindingRecord {
  /** As displayed: relative to the current directory. */
  path: string;
  code: string;
  name: string;
  severity: Severity;
  message: string;
  /** 1-based line and byte column, as Go tools print them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based line and UTF-16 character, as LSP and editors count. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fix: { title: string; safe: boolean } | null;
}

/** Another place that explains a finding (LSP relatedInformation), counted as LSP counts. */
export interface RelatedRecord {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

/** What checking one file produced. */
export interface FileReport {
  /** In offset order, as the engine returns them. */
  findings: FindingRecord[];
  /**
   * Only from a checker created with `related: true` (the editor's workspace check): each
   * finding's related places, by finding index, or null for a finding without any. Kept out of
   * FindingRecord so that the CLI's JSON output (schema version 1) stays as it is.
   */
  related?: (RelatedRecord[] | null)[];
  /** Only from a checker created with `applicable: true`: the codes of the rules that apply to the file. */
  applicable?: string[];
  /**
   * Only from a checker created with `fix: true`, when fixes were applied and the file written:
   * how many fixes of each rule, by code. The findings are then those of the fixed text.
   */
  fixed?: Record<string, number>;
  /** Why the file could not be (fully) checked: one line each. */
  problems: string[];
  /** Lines the engine logged while checking this file (a rule's stack trace). */
  logs: string[];
  /**
   * The worker should be replaced by a fresh one before the next file: after an internal error
   * (the parser may be in a bad state), or when its wasm heap has grown large.
   */
  recycle?: boolean;
}

/** The rule settings as a plain list, so that they can be handed to a worker. */
export type ConfigEntries = [string, SeveritySetting][];

export interface Checker {
  parser: Parser;
  engine: Engine;
  /** Finds each file's go.mod for its `go` directive (created on first use when absent). */
  goMod?: GoModLocator;
  /** What the other files of each file's package declare (created on first use when absent: read from disk). */
  packages?: PackageSource;
  config: RuleConfig;
  names: Map<string, string>;
  /** Where the engine's log lines for the current file go. */
  logs: string[];
  /** Fill FileReport.related. */
  related?: boolean;
  /** Fill FileReport.applicable. */
  applicable?: boolean;
  /** Apply every safe fix and write the files they change (check --fix); fill FileReport.fixed. */
  fix?: boolean;
}

/**
 * Test hook, never set by users: with GO_RUBRIC_TEST_FAULTS=1 a file containing one of these
 * markers makes every rule throw, makes the analysis throw, or (in a worker) kills the worker.
 * The CLI tests use it to prove that failures stay confined to their file.
 */
export const FAULT_MARKERS = {
  rule: 'go-rubric-test-fault: rule',
  internal: 'go-rubric-test-fault: internal',
  crash: 'go-rubric-test-fault: crash',
} as const;

export function faultsEnabled(): boolean {
  return process.env.GO_RUBRIC_TEST_FAULTS === '1';
}

/**
 * The rules, each throwing on a file that holds FAULT_MARKERS.rule: every rule, or only the one
 * whose code follows the marker (`go-rubric-test-fault: rule GR101`).
 */
export function withRuleFaults(rules: readonly Rule[]): Rule[] {
  return rules.map((rule) => {
    const faulty: Rule = Object.create(rule);
    faulty.visit = (node, ctx) => {
      const at = ctx.file.text.indexOf(FAULT_MARKERS.rule);
      const only = at < 0 ? undefined : /^ (GR\d{3})\b/.exec(ctx.file.text.slice(at + FAULT_MARKERS.rule.length))?.[1];
      if (at >= 0 && (only === undefined || only === rule.meta.code)) throw new Error(`injected failure in ${rule.meta.code}`);
      rule.visit(node, ctx);
    };
    return faulty;
  });
}

/** A parser and an engine over every rule, with the given settings. */
export async function createChecker(config: RuleConfig, options: { related?: boolean; applicable?: boolean; fix?: boolean } = {}): Promise<Checker> {
  const rules = faultsEnabled() ? withRuleFaults(allRules) : allRules;
  const logs: string[] = [];
  const engine = new Engine(rules, (message) => logs.push(message), directiveRules);
  const parser = await createGoParser();
  const checker: Checker = { parser, engine, config, names: new Map(rules.map((r) => [r.meta.code, r.meta.name])), logs };
  if (options.related) checker.related = true;
  if (options.applicable) checker.applicable = true;
  if (options.fix) checker.fix = true;
  return checker;
}

/** Reads, parses and analyzes one file; never throws (an internal error becomes a problem). */
export function checkFile(checker: Checker, path: string, display: string): FileReport {
  checker.logs.length = 0;
  const report: FileReport = { findings: [], problems: [], logs: [] };
  // The CLI's own package index may have read the file already, for another file of its folder.
  checker.packages ??= new DiskPackages();
  const disk = checker.packages instanceof DiskPackages ? checker.packages : undefined;
  const kept = disk?.takeText(path);
  const read = kept !== undefined ? ({ ok: true, text: kept } as const) : readGoFile(path);
  if (!read.ok) {
    report.problems.push(read.message);
    return report;
  }
  // A generated file gets no findings (as the engine decides); it is not worth a parse. Oversized
  // files still go to analyzeText, which reports them.
  if (!skipReasonFor(read.text) && isPlainlyGenerated(read.text)) return report;
  try {
    if (faultsEnabled() && read.text.includes(FAULT_MARKERS.internal)) throw new Error('injected internal error');
    checker.goMod ??= new GoModLocator();
    const goVersion = checker.goMod.goVersionFor(path);
    const noGoMod = checker.goMod.goModFor(path) === undefined;
    let result: TextAnalysis;
    if (checker.fix) {
      result = fixFile(checker, path, read.text, goVersion, noGoMod, report);
      if (checker.applicable) report.applicable = result.applicable ?? [];
    } else if (checker.applicable) {
      const withApplicable = analyzeTextWithApplicable(checker.parser, checker.engine, checker.config, read.text, path, goVersion, checker.packages, noGoMod);
      report.applicable = withApplicable.applicable;
      result = withApplicable;
    } else {
      result = analyzeText(checker.parser, checker.engine, checker.config, read.text, path, goVersion, checker.packages, noGoMod);
    }
    if (result.skipped && result.skipped !== 'generated file') report.problems.push(result.skipped);
    for (const failure of result.failures) {
      report.problems.push(`rule ${failure.code} failed and was skipped: ${String(failure.error)}`);
    }
    for (const finding of result.findings) {
      report.findings.push(locate(display, finding, result.lineIndex, checker.names.get(finding.code) ?? finding.code));
    }
    if (checker.related) report.related = result.findings.map((f) => locateRelated(f, result.lineIndex));
  } catch (error) {
    report.findings = [];
    delete report.related;
    report.problems.push(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    report.recycle = true;
  }
  report.logs = checker.logs.splice(0);
  return report;
}

/**
 * check --fix: applies every safe fix of the file (fixes/fixAll.ts), writes the file when that
 * changed it, and returns the analysis of the text it holds after. Fixes that were rejected or
 * left over become problems.
 */
function fixFile(checker: Checker, path: string, text: string, goVersion: string | undefined, noGoMod: boolean, report: FileReport): TextAnalysis {
  const analyze = textAnalyzer(checker.parser, checker.engine, checker.config, path, goVersion, checker.packages, noGoMod, checker.applicable === true);
  const fixed = fixAll(analyze, text);
  for (const rejected of fixed.rejected) report.problems.push(`${rejected.code} fix "${rejected.title}" not applied: ${rejected.reason}`);
  if (!fixed.stable) report.problems.push(`fixes were still offered after ${DEFAULT_MAX_ROUNDS} rounds; they were left unapplied`);
  if (fixed.text === text) return fixed.analysis;
  try {
    // The decoder dropped a byte order mark; the file keeps it.
    writeFileSync(path, startsWithBom(path) ? `\uFEFF${fixed.text}` : fixed.text);
  } catch (error) {
    report.problems.push(`cannot write the fixed file: ${describeFsError(error)}`);
    return analyze(text, ({ file: _, ...analysis }) => analysis);
  }
  if (checker.packages instanceof DiskPackages) checker.packages.rewritten(path, fixed.text);
  report.fixed = Object.fromEntries(appliedPerRule(fixed.applied));
  return fixed.analysis;
}

function startsWithBom(path: string): boolean {
  const head = Buffer.alloc(3);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    closeSync(fd);
  }
}

function locateRelated(finding: Finding, index: LineIndex): RelatedRecord[] | null {
  if (!finding.related) return null;
  return finding.related.map((r) => ({ range: { start: index.positionAt(r.start), end: index.positionAt(r.end) }, message: r.message }));
}

export function locate(path: string, finding: Finding, index: LineIndex, name: string): FindingRecord {
  const start = index.positionAt(finding.start);
  const end = index.positionAt(finding.end);
  const byteColumn = (p: { line: number; character: number }) =>
    Buffer.byteLength(index.lineText(p.line).slice(0, p.character), 'utf8') + 1;
  return {
    path,
    code: finding.code,
    name,
    severity: finding.severity,
    message: finding.message,
    line: start.line + 1,
    column: byteColumn(start),
    endLine: end.line + 1,
    endColumn: byteColumn(end),
    range: { start, end },
    fix: finding.fix ? { title: finding.fix.title, safe: finding.fix.safe } : null,
  };
}
