// A deliberately naive model of an LSP text document, written independently of
// server/src/text/positions.ts so that tests comparing the two actually check something.
// LSP lines end at "\r\n", "\n" or a lone "\r"; characters are UTF-16 code units.

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface LspChange {
  range?: LspRange;
  text: string;
}

interface NaiveLine {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line's content (before its line break). */
  end: number;
}

/** Splits text into LSP lines with a regular expression (no shared code with LineIndex). */
export function naiveLines(text: string): NaiveLine[] {
  const lines: NaiveLine[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

/** Offset of an LSP position that lies inside the text (throws otherwise: tests never clamp). */
export function naiveOffsetAt(text: string, position: LspPosition, lines = naiveLines(text)): number {
  const line = lines[position.line];
  if (!line) throw new Error(`line ${position.line} out of range (${lines.length} lines)`);
  const offset = line.start + position.character;
  if (position.character < 0 || offset > line.end) {
    throw new Error(`character ${position.character} out of range on line ${position.line} (length ${line.end - line.start})`);
  }
  return offset;
}

/** LSP position of an offset that is not inside a line break. */
export function naivePositionAt(text: string, offset: number, lines = naiveLines(text)): LspPosition {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.start <= offset) {
      if (offset > line.end) throw new Error(`offset ${offset} is inside a line break`);
      return { line: i, character: offset - line.start };
    }
  }
  throw new Error(`offset ${offset} out of range`);
}

/** Applies one LSP content change with a plain string splice. */
export function naiveApply(text: string, change: LspChange): string {
  if (!change.range) return change.text;
  const lines = naiveLines(text);
  const start = naiveOffsetAt(text, change.range.start, lines);
  const end = naiveOffsetAt(text, change.range.end, lines);
  if (end < start) throw new Error('range end before start');
  return text.slice(0, start) + change.text + text.slice(end);
}

/** Applies LSP changes in order, each relative to the text left by the previous one. */
export function naiveApplyAll(text: string, changes: readonly LspChange[]): string {
  return changes.reduce(naiveApply, text);
}

/**
 * Whether an edit may start or end at this offset: LSP clients never split a surrogate pair or
 * a "\r\n" line break.
 */
export function isEditBoundary(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return offset === 0 || offset === text.length;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  if (before === 13 && after === 10) return false;
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) return false;
  return true;
}

/** Moves an offset back to the nearest edit boundary. */
export function toEditBoundary(text: string, offset: number): number {
  let at = Math.max(0, Math.min(offset, text.length));
  while (!isEditBoundary(text, at)) at--;
  return at;
}

/** The LSP range covering text[start, end). */
export function naiveRange(text: string, start: number, end: number, lines = naiveLines(text)): LspRange {
  return { start: naivePositionAt(text, start, lines), end: naivePositionAt(text, end, lines) };
}

/** A tree-sitter point for an offset: rows end only at "\n"; columns are UTF-16 code units. */
export function naivePoint(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const rows = before.split('\n');
  return { row: rows.length - 1, column: rows[rows.length - 1]!.length };
}

/** An LSP TextEdit. */
export interface LspTextEdit {
  range: LspRange;
  newText: string;
}

/**
 * Applies LSP TextEdits that all refer to the original text (as in a WorkspaceEdit), with the
 * naive model: edits must not overlap; inserts at the same position keep their order.
 */
export function naiveApplyEdits(text: string, edits: readonly LspTextEdit[]): string {
  const lines = naiveLines(text);
  const spans = edits
    .map((e, i) => ({ start: naiveOffsetAt(text, e.range.start, lines), end: naiveOffsetAt(text, e.range.end, lines), newText: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) throw new Error(`overlapping edits at offset ${span.start}`);
    out += text.slice(cursor, span.start) + span.newText;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/**
 * The same edits as content changes for one didChange event: bottom to top, so that each range
 * is still valid in the text left by the changes before it.
 */
export function editsAsContentChanges(text: string, edits: readonly LspTextEdit[]): LspChange[] {
  const lines = naiveLines(text);
  return edits
    .map((e, i) => ({ e, i, start: naiveOffsetAt(text, e.range.start, lines) }))
    .sort((a, b) => b.start - a.start || b.i - a.i)
    .map(({ e }) => ({ range: e.range, text: e.newText }));
}
