// Reads `//rubric:ignore CODE reason` and `//rubric:file-ignore CODE reason` directives.
// A line directive silences the named rules on its own line (trailing) or, alone on a line, on
// the next line. Codes and names may be comma-separated. The full directive language (nolint,
// unused/malformed directive diagnostics) belongs to the suppression rules.
import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../text/positions';
import { findRule } from './config';
import type { Finding, Rule } from './types';

const DIRECTIVE = /^\/\/rubric:(ignore|file-ignore)\s+([A-Za-z0-9_,-]+)/;

export interface Suppressions {
  fileCodes: Set<string>;
  /** line -> codes silenced on that line */
  lineCodes: Map<number, Set<string>>;
}

export function readSuppressions(root: Node, text: string, index: LineIndex, rules: readonly Rule[]): Suppressions {
  const result: Suppressions = { fileCodes: new Set(), lineCodes: new Map() };
  if (text.indexOf('//rubric:') < 0) return result;
  for (const comment of root.descendantsOfType('comment')) {
    if (!comment) continue;
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const codes = match[2]!
      .split(',')
      .map((key) => findRule(rules, key)?.meta.code)
      .filter((c): c is string => c !== undefined);
    if (match[1] === 'file-ignore') {
      for (const c of codes) result.fileCodes.add(c);
      continue;
    }
    const { line, character } = index.positionAt(comment.startIndex);
    const before = index.lineText(line).slice(0, character);
    const target = before.trim() === '' ? line + 1 : line;
    const set = result.lineCodes.get(target) ?? new Set<string>();
    for (const c of codes) set.add(c);
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
