// Parses a text and runs the engine on it: what the CLI does per file, and what tests use.
import type { Parser } from 'web-tree-sitter';
import type { RuleConfig } from '../engine/config';
import type { AnalysisResult, Engine } from '../engine/engine';
import type { PackageSource } from '../engine/packageView';
import { computeFileFacts } from '../engine/fileFacts';
import type { Finding, TextEdit } from '../engine/types';
import { skipReasonFor } from '../documents/goDocument';
import { applyEdits, fixEdits } from '../fixes/applyFix';
import type { AnalyzedText, AnalyzeText } from '../fixes/fixAll';
import { LineIndex } from '../text/positions';

export interface TextAnalysis extends AnalysisResult {
  lineIndex: LineIndex;
}

/** Parses `text` and analyzes it; the tree is freed before returning. */
export function analyzeText(
  parser: Parser,
  engine: Engine,
  config: RuleConfig,
  text: string,
  path?: string,
  goVersion?: string,
  packages?: PackageSource,
  noGoMod?: boolean,
): TextAnalysis {
  return withAnalysis(parser, engine, config, text, path, goVersion, (result) => result, packages, noGoMod);
}

/** analyzeText, plus the rules whose file precondition holds for the file (Engine.applicableRules). */
export function analyzeTextWithApplicable(
  parser: Parser,
  engine: Engine,
  config: RuleConfig,
  text: string,
  path: string,
  goVersion: string | undefined,
  packages: PackageSource | undefined,
  noGoMod: boolean,
): TextAnalysis & { applicable: string[] } {
  const result = withAnalysis(parser, engine, config, text, path, goVersion, (r) => r, packages, noGoMod, true);
  return { ...result, applicable: result.applicable ?? [] };
}

/**
 * The analysis of one file's texts for fixAll (fixes/fixAll.ts): each text is parsed and analyzed
 * as analyzeText does, with the file facts of its tree, which lives only during `use`. With
 * `applicable`, each analysis also tells which rules apply to the file (analyzeTextWithApplicable).
 */
export function textAnalyzer(
  parser: Parser,
  engine: Engine,
  config: RuleConfig,
  path: string | undefined,
  goVersion?: string,
  packages?: PackageSource,
  noGoMod?: boolean,
  applicable = false,
): AnalyzeText<TextAnalysis & AnalyzedText> {
  return (text, use) =>
    withAnalysis(parser, engine, config, text, path, goVersion, (result, tree) => {
      const file = tree ? computeFileFacts(text, tree, path, goVersion, noGoMod) : undefined;
      return use({ ...result, file });
    }, packages, noGoMod, applicable);
}

/**
 * Analyzes `text` and applies the fixes of the findings `select` picks, in one pass. Edits that
 * are identical (two fixes adding the same import) are applied once.
 */
export function applyFixes(
  parser: Parser,
  engine: Engine,
  config: RuleConfig,
  text: string,
  path: string | undefined,
  select: (finding: Finding) => boolean,
  goVersion?: string,
  packages?: PackageSource,
): { text: string; applied: number } {
  return withAnalysis(parser, engine, config, text, path, goVersion, (result, tree) => {
    if (!tree) return { text, applied: 0 };
    const file = computeFileFacts(text, tree, path, goVersion);
    const edits = new Map<string, TextEdit>();
    let applied = 0;
    for (const finding of result.findings) {
      if (!finding.fix || !select(finding)) continue;
      applied++;
      for (const edit of fixEdits(finding.fix, file)) edits.set(`${edit.start}:${edit.end}:${edit.newText}`, edit);
    }
    return { text: applyEdits(text, [...edits.values()]), applied };
  }, packages);
}

function withAnalysis<T>(
  parser: Parser,
  engine: Engine,
  config: RuleConfig,
  text: string,
  path: string | undefined,
  goVersion: string | undefined,
  use: (result: TextAnalysis, tree: import('web-tree-sitter').Tree | undefined) => T,
  packages?: PackageSource,
  noGoMod?: boolean,
  applicable = false,
): T {
  const lineIndex = new LineIndex(text);
  const skipped = skipReasonFor(text);
  if (skipped) return use({ findings: [], failures: [], skipped, lineIndex }, undefined);
  const tree = parser.parse(text);
  if (!tree) return use({ findings: [], failures: [], skipped: 'the parser failed on this file', lineIndex }, undefined);
  try {
    // Every field present, in DocumentAnalysis's order: one input shape for the engine (see there).
    const result = engine.analyze({ text, tree, path, goVersion, noGoMod, lineIndex, changes: undefined, requireContained: false, packages, applicable }, config);
    return use({ ...result, lineIndex }, tree);
  } finally {
    tree.delete();
  }
}
