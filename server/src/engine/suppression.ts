// Reads `//rubric:ignore CODE reason` and `//rubric:file-ignore CODE reason` directives.
// A line directive silences the named rules on its own line (trailing) or, alone on a line, on
// the next line. Codes and names may be comma-separated. The full directive language (nolint,
// unused/malformed directive diagnostics) belongs to the suppression rules.
//
// Directives are read per top-level declaration (so the engine can cache them with the
// declaration's findings) and turned into line sets against the current text when findings are
// filtered: which line a directive applies to depends on text outside its declaration.
import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../text/positions';
import { findRule } from './config';
import type { Finding, Rule, RuleInfo } from './types';

const DIRECTIVE = /^\/\/rubric:(ignore|file-ignore)\s+([A-Za-z0-9_,-]+)/;
const MARKER = '//rubric:';

/** One directive comment, at an offset relative to whatever the caller measures from. */
export interface Directive {
  kind: 'ignore' | 'file-ignore';
  /** Rule codes named by the directive (unknown names dropped). */
  codes: string[];
  /** Offset of the comment's `//`. */
  start: number;
}

export interface Suppressions {
  fileCodes: Set<string>;
  /** line -> codes silenced on that line */
  lineCodes: Map<number, Set<string>>;
}

/** The directives in a subtree (a declaration, or a top-level comment), offsets relative to `base`. */
export function readDirectives(node: Node, text: string, rules: readonly Rule[], base = 0): Directive[] {
  if (!text.includes(MARKER)) return [];
  const comments = node.type === 'comment' ? [node] : node.descendantsOfType('comment');
  const out: Directive[] = [];
  for (const comment of comments) {
    const directive = comment && directiveIn(comment.text, comment.startIndex - base, rules);
    if (directive) out.push(directive);
  }
  return out;
}

/** The directive a `//` comment's text states (at `start`), if it is one; go.mod comments are read with it too. */
export function directiveIn(comment: string, start: number, rules: readonly RuleInfo[]): Directive | undefined {
  const match = DIRECTIVE.exec(comment);
  if (!match) return undefined;
  const codes = match[2]!
    .split(',')
    .map((key) => findRule(rules, key)?.meta.code)
    .filter((c): c is string => c !== undefined);
  return { kind: match[1] as Directive['kind'], codes, start };
}

/** Line sets for directives at absolute offsets in the indexed text. */
export function buildSuppressions(directives: readonly Directive[], index: LineIndex): Suppressions {
  const result: Suppressions = { fileCodes: new Set(), lineCodes: new Map() };
  for (const directive of directives) {
    if (directive.kind === 'file-ignore') {
      for (const c of directive.codes) result.fileCodes.add(c);
      continue;
    }
    const { line, character } = index.positionAt(directive.start);
    const before = index.lineText(line).slice(0, character);
    const target = before.trim() === '' ? line + 1 : line;
    const set = result.lineCodes.get(target) ?? new Set<string>();
    for (const c of directive.codes) set.add(c);
    result.lineCodes.set(target, set);
  }
  return result;
}

export function isSuppressed(finding: Finding, suppressions: Suppressions, index: LineIndex): boolean {
  if (suppressions.fileCodes.has(finding.code)) return true;
  if (suppressions.lineCodes.size === 0) return false;
  const line = index.positionAt(finding.start).line;
  return suppressions.lineCodes.get(line)?.has(finding.code) ?? false;
}
