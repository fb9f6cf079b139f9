// Edits that add or remove whole statements the way gofmt would leave them: a new statement on its
// own line after another, indented like it; a statement deleted with its line, and with a blank
// line that would otherwise be left doubled or before a closing brace. Shared by the rules whose
// fixes insert `defer x.Unlock()`, `defer cancel()` and the like.
import type { Node } from 'web-tree-sitter';
import { indentationAt, lineBreakAt, wholeLineRange } from '../engine/syntax';
import type { TextEdit } from '../engine/types';

/** Offset of the end of the line containing `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/**
 * Inserts `statement` on a new line after the line `after` ends on, indented like `after`; undefined
 * when that line holds more code after it (a trailing comment is fine: the new line goes below it).
 */
export function insertLineAfter(text: string, after: Node, statement: string): TextEdit | undefined {
  const line = wholeLineRange(text, after.startIndex, after.endIndex);
  const rest = text.slice(after.endIndex, lineEnd(text, after.endIndex));
  if (!line && !/^\s*\/\/.*$/.test(rest)) return undefined;
  const insertAt = lineEnd(text, after.endIndex);
  return { start: insertAt, end: insertAt, newText: `${lineBreakAt(text, insertAt)}${indentationAt(text, after.startIndex)}${statement}` };
}

/**
 * Inserts `lines` (without indentation) on lines of their own just before `statement`, indented like
 * it, each ended by the line break that ends the line above; undefined when the statement does not
 * start its line (another statement or the `{` before it on the same line).
 */
export function insertLinesBefore(text: string, statement: Node, lines: readonly string[]): TextEdit | undefined {
  const indent = indentationAt(text, statement.startIndex);
  const lineStart = statement.startIndex - indent.length;
  if (lineStart === 0 || text.slice(lineStart, statement.startIndex) !== indent) return undefined;
  if (text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') return undefined;
  const nl = text[lineStart - 1] === '\n' && text[lineStart - 2] === '\r' ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, newText: lines.map((line) => `${indent}${line}${nl}`).join('') };
}

/**
 * A statement alone on its line but for a trailing line comment, as a fix that moves it elsewhere
 * needs it: the range of the whole line (line break included) and the text to move (the statement
 * and its comment). Undefined when the line holds other code.
 */
export function statementLine(text: string, statement: Node): { start: number; end: number; content: string } | undefined {
  const end = lineEnd(text, statement.endIndex);
  if (!/^\s*(\/\/.*)?$/.test(text.slice(statement.endIndex, end))) return undefined;
  const range = wholeLineRange(text, statement.startIndex, end);
  return range && { ...range, content: text.slice(statement.startIndex, end).trimEnd() };
}

/**
 * The range that deletes a statement standing alone on its line, together with a blank line before
 * it when the deletion would otherwise leave two blank lines in a row, or one before a closing brace.
 */
export function deletionRange(text: string, statement: Node): { start: number; end: number } | undefined {
  const range = wholeLineRange(text, statement.startIndex, statement.endIndex);
  if (!range) return undefined;
  const prevBlank = blankLineBefore(text, range.start);
  const nextLineText = text.slice(range.end, lineEnd(text, range.end));
  const nextBlankOrClose = nextLineText.trim() === '' || nextLineText.trim().startsWith('}');
  if (prevBlank !== undefined && nextBlankOrClose) return { start: prevBlank, end: range.end };
  return range;
}

/** The start of the blank line just before the line starting at `lineStart`, if it is blank. */
function blankLineBefore(text: string, lineStart: number): number | undefined {
  if (lineStart === 0) return undefined;
  let i = lineStart - 1; // the previous line's break
  if (text[i] === '\n' && text[i - 1] === '\r') i--;
  let start = i;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return text.slice(start, i).trim() === '' ? start : undefined;
}
