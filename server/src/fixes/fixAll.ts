// Applies every safe fix of a file in bulk: what `go-rubric check --fix` and the editor's
// source.fixAll action do. Fixes are computed against one text, so two of them may touch the same
// place: each round applies a set of fixes whose edits do not overlap, in file order, then
// analyzes the result again, and the fixes left out wait for the next round (their findings, and
// so their edits, are recomputed on the new text). A round whose result has more syntax errors than
// its input is taken apart to find the fix that broke the parse, which is rejected, never written.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import type { Finding, TextEdit } from '../engine/types';
import { applyEdits, fixEdits } from './applyFix';

/** What fixAll needs of an analysis: its findings and the analyzed file, tree included. */
export interface AnalyzedText {
  findings: readonly Finding[];
  /** The analyzed text's facts; undefined when it was not parsed (a generated or oversized file). */
  file: FileFacts | undefined;
}

/**
 * Parses and analyzes a text, and hands the analysis to `use`: the tree (and so `file`) lives only
 * during that call. analysis/analyzer.ts textAnalyzer makes one from a parser and an engine.
 */
export type AnalyzeText<R extends AnalyzedText = AnalyzedText> = <T>(text: string, use: (analysis: R) => T) => T;

export interface FixAllOptions {
  /** Apply only the fixes of these rule codes (all by default). */
  codes?: ReadonlySet<string>;
  /** Stop after this many rounds of applying fixes (default 10). */
  maxRounds?: number;
  /** Apply the unsafe fixes too (scripts/check-fixes.mjs vets every fix of a package at once). */
  unsafe?: boolean;
}

export interface AppliedFix {
  code: string;
  title: string;
}

export interface RejectedFix extends AppliedFix {
  reason: string;
}

export interface FixAllResult<R extends AnalyzedText = AnalyzedText> {
  text: string;
  /** The fixes applied, round after round, each in file order. */
  applied: AppliedFix[];
  /** Rounds in which fixes were applied. */
  rounds: number;
  /** No safe fix is left to apply (but the rejected ones): the rounds reached a fixed point. */
  stable: boolean;
  /** Fixes left unapplied because their result does not parse as the input did. */
  rejected: RejectedFix[];
  /** The analysis of the final text, without its file (whose tree is gone). */
  analysis: Omit<R, 'file'>;
}

export const DEFAULT_MAX_ROUNDS = 10;

/** A safe fix of the current text, as edits (its imports included). */
interface Candidate extends AppliedFix {
  edits: TextEdit[];
  /** What identifies the fix across rounds, where its offsets move: see identityOf. */
  identity: string;
}

interface Snapshot<R extends AnalyzedText> {
  text: string;
  /** ERROR and MISSING nodes in the text's tree. */
  syntaxErrors: number;
  candidates: Candidate[];
  analysis: Omit<R, 'file'>;
}

export function fixAll<R extends AnalyzedText>(analyze: AnalyzeText<R>, text: string, options: FixAllOptions = {}): FixAllResult<R> {
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const rejectedIdentities = new Set<string>();
  const inspect = (source: string): Snapshot<R> =>
    analyze(source, ({ file, ...analysis }) => ({
      text: source,
      syntaxErrors: file ? syntaxErrorCount(file.root) : 0,
      candidates: file ? candidatesOf(analysis.findings, file, options) : [],
      analysis,
    }));
  const errorsOf = (source: string) => inspect(source).syntaxErrors;

  const applied: AppliedFix[] = [];
  const rejected: RejectedFix[] = [];
  let current = inspect(text);
  let rounds = 0;
  let stable = false;
  while (true) {
    const waiting = current.candidates.filter((c) => !rejectedIdentities.has(c.identity));
    if (waiting.length === 0) {
      stable = true;
      break;
    }
    if (rounds >= maxRounds) break;
    let picked = pickNonOverlapping(waiting);
    let next = inspect(applyCandidates(current.text, picked));
    if (next.syntaxErrors > current.syntaxErrors) {
      // Find the fixes that break the parse: each is tried on top of those kept so far. One that
      // breaks it only together with others waits for a later round; one that breaks it alone is rejected.
      const kept: Candidate[] = [];
      for (const candidate of picked) {
        if (errorsOf(applyCandidates(current.text, [...kept, candidate])) <= current.syntaxErrors) {
          kept.push(candidate);
        } else if (kept.length === 0 || errorsOf(applyCandidates(current.text, [candidate])) > current.syntaxErrors) {
          rejectedIdentities.add(candidate.identity);
          rejected.push({ code: candidate.code, title: candidate.title, reason: 'the fixed text has new syntax errors' });
        }
      }
      picked = kept;
      next = kept.length > 0 ? inspect(applyCandidates(current.text, kept)) : current;
    }
    if (picked.length === 0) continue;
    rounds++;
    if (next.text === current.text) break;
    for (const c of picked) applied.push({ code: c.code, title: c.title });
    current = next;
  }
  return { text: current.text, applied, rounds, stable, rejected, analysis: current.analysis };
}

/** How many fixes of each rule were applied, by code, in code order. */
export function appliedPerRule(applied: readonly AppliedFix[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const code of applied.map((a) => a.code).sort()) counts.set(code, (counts.get(code) ?? 0) + 1);
  return counts;
}

/** ERROR and MISSING nodes in a tree; only the subtrees that contain one are walked. */
export function syntaxErrorCount(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.isError || node.isMissing) count++;
    for (const child of node.children) if (child && (child.hasError || child.isMissing)) pending.push(child);
  }
  return count;
}

function candidatesOf(findings: readonly Finding[], file: FileFacts, { codes, unsafe }: FixAllOptions): Candidate[] {
  const candidates: Candidate[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix || !(fix.safe || unsafe) || (codes && !codes.has(finding.code))) continue;
    const edits = fixEdits(fix, file);
    candidates.push({ code: finding.code, title: fix.title, edits, identity: identityOf(finding.code, fix.title, edits, file.text) });
  }
  return candidates;
}

/**
 * A fix's identity that survives the offsets moving: its rule, its title, and each edit as the
 * lines it touches and what it writes. A rejected fix is not tried again in later rounds.
 */
function identityOf(code: string, title: string, edits: readonly TextEdit[], text: string): string {
  const lineStart = (at: number) => (at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1);
  const lineEnd = (at: number) => (text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
  const parts = edits.map((e) => `${text.slice(lineStart(e.start), e.start)}[${text.slice(e.start, e.end)}=>${e.newText}]${text.slice(e.end, lineEnd(e.end))}`);
  return [code, title, ...parts].join('\0');
}

/**
 * The candidates, in file order (the findings'), whose edits overlap no edit of a candidate taken before them. An
 * edit identical to one already taken (two fixes adding the same import) is shared, not doubled.
 */
function pickNonOverlapping(candidates: readonly Candidate[]): Candidate[] {
  const taken: TextEdit[] = [];
  const picked: Candidate[] = [];
  for (const candidate of candidates) {
    const fresh = candidate.edits.filter((e) => !taken.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => taken.some((t) => editsConflict(t, e)))) continue;
    taken.push(...fresh);
    picked.push(candidate);
  }
  return picked;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/**
 * Whether two edits cannot both be applied with a clear result: they overlap, or one inserts
 * where the other starts, ends or inserts (which text comes first would depend on their order).
 */
export function editsConflict(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  const aInserts = a.start === a.end;
  const bInserts = b.start === b.end;
  if (aInserts && (a.start === b.start || a.start === b.end)) return true;
  return bInserts && (b.start === a.start || b.start === a.end);
}

/** The text with the candidates' edits applied, each distinct edit once. */
function applyCandidates(text: string, candidates: readonly Candidate[]): string {
  const edits: TextEdit[] = [];
  for (const e of candidates.flatMap((c) => c.edits)) if (!edits.some((t) => sameEdit(t, e))) edits.push(e);
  return applyEdits(text, edits);
}
