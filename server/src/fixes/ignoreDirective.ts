// The edits behind "Ignore GRxxx on this line" and "Ignore GRxxx in this file": a well-formed
// directive with a `TODO reason` placeholder for the author to replace, or the code added to the
// list of a directive that is already there. The result stays gofmt-clean: a new line directive
// goes on its own line above the finding (a trailing comment could change how gofmt aligns the
// comments of the lines around it), and above a top-level declaration whose doc comment has text
// it is set off by a `//` line, where gofmt 1.19 would move it.
import { readRubricComment } from '../engine/suppression';
import { indentationAt, lineBreakAt } from '../engine/syntax';
import type { TextEdit } from '../engine/types';
import type { LineIndex } from '../text/positions';

export const REASON_PLACEHOLDER = 'TODO reason';

/** A `//rubric:KIND` directive on a line: where its list ends, and whether it names `code` already. */
function directiveOnLine(line: string, kind: 'ignore' | 'file-ignore', code: string): { listEnd: number; names: boolean; alone: boolean } | undefined {
  const at = line.indexOf(`//rubric:${kind} `);
  if (at < 0) return undefined;
  const parsed = readRubricComment(line.slice(at).trimEnd());
  if (!parsed || parsed.kind !== kind || parsed.items.length === 0) return undefined;
  const last = parsed.items[parsed.items.length - 1]!;
  return {
    listEnd: at + last.start + last.text.length,
    names: parsed.items.some((item) => item.text.toUpperCase() === code),
    alone: line.slice(0, at).trim() === '',
  };
}

/** A line that is a `//` comment holding text (not a directive, not the empty `//`). */
function isDocText(line: string): boolean {
  const t = line.trim();
  return t.startsWith('//') && t !== '//' && !/^\/\/(line |extern |export |[a-z0-9]+:[a-z0-9])/.test(t);
}

/**
 * The edit that silences `code` on the line of `offset`: the code added to a `//rubric:ignore`
 * already there (trailing on the line, or alone on the line above), else a new directive on its
 * own line above, indented as the line. Undefined when the line already silences the code.
 * `insideToken(offset)` says whether an offset is inside a multi-line token (a raw string, a block
 * comment), where no comment line can go: the directive then trails the line instead.
 */
export function ignoreOnLineEdit(index: LineIndex, offset: number, code: string, insideToken: (offset: number) => boolean): TextEdit | undefined {
  const { line } = index.positionAt(offset);
  const text = index.lineText(line);
  const own = directiveOnLine(text, 'ignore', code);
  if (own && !own.alone) return own.names ? undefined : { start: index.lineStart(line) + own.listEnd, end: index.lineStart(line) + own.listEnd, newText: `,${code}` };
  if (line > 0) {
    const above = directiveOnLine(index.lineText(line - 1), 'ignore', code);
    if (above?.alone) return above.names ? undefined : { start: index.lineStart(line - 1) + above.listEnd, end: index.lineStart(line - 1) + above.listEnd, newText: `,${code}` };
  }
  const directive = `//rubric:ignore ${code} ${REASON_PLACEHOLDER}`;
  const lineStart = index.lineStart(line);
  if (insideToken(lineStart)) {
    const end = index.lineContentEnd(line);
    if (insideToken(end)) return undefined;
    return { start: end, end, newText: ` ${directive}` };
  }
  const indent = indentationAt(index.text, lineStart);
  const eol = lineBreakAt(index.text, index.lineContentEnd(line));
  const separator = indent === '' && line > 0 && isDocText(index.lineText(line - 1)) ? `//${eol}` : '';
  return { start: lineStart, end: lineStart, newText: `${separator}${indent}${directive}${eol}` };
}

/**
 * The edit that silences `code` in the whole file: the code added to the first
 * `//rubric:file-ignore`, else a new one after the package clause (which ends at
 * `packageClauseEnd`), set off by blank lines so that it belongs to no doc comment.
 * Undefined when the file already silences the code.
 */
export function ignoreInFileEdit(index: LineIndex, packageClauseEnd: number, code: string): TextEdit | undefined {
  for (let line = 0; line < index.lineCount; line++) {
    const text = index.lineText(line);
    if (!text.includes('//rubric:file-ignore ')) continue;
    const found = directiveOnLine(text, 'file-ignore', code);
    if (!found) continue;
    if (found.names) return undefined;
    const at = index.lineStart(line) + found.listEnd;
    return { start: at, end: at, newText: `,${code}` };
  }
  const { line } = index.positionAt(packageClauseEnd);
  const end = index.lineContentEnd(line);
  const eol = lineBreakAt(index.text, index.lineContentEnd(line));
  const nextBlank = line + 1 >= index.lineCount || index.lineText(line + 1).trim() === '';
  return { start: end, end, newText: `${eol}${eol}//rubric:file-ignore ${code} ${REASON_PLACEHOLDER}${nextBlank ? '' : eol}` };
}
