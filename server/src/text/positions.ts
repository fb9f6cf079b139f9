// The one place that converts between the three coordinate systems Go Rubric meets:
//
//  - offsets: indices into the JavaScript string, i.e. UTF-16 code units. The rule engine works
//    only in offsets; web-tree-sitter's JS binding reports node indices in the same unit.
//  - LSP positions: { line, character } with character in UTF-16 code units. LSP ends a line at
//    "\r\n", "\n" or a lone "\r".
//  - tree-sitter points: { row, column }. web-tree-sitter parses UTF-16 input, so column is
//    UTF-16 code units too, but a row ends only at "\n" (a lone "\r" is ordinary text to it).
//
// Native tree-sitter bindings count bytes; nothing here must be copied from code written for them.

/** An LSP-style position: zero-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

/** A tree-sitter point: zero-based row (lines ended by "\n" only) and UTF-16 column. */
export interface Point {
  row: number;
  column: number;
}

/** A tree-sitter edit description, built from offsets into the old and new text. */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

const LF = 10;
const CR = 13;

/** Finds the last index i with starts[i] <= offset (starts is sorted and starts[0] === 0). */
function lastStartAtOrBefore(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Line tables for one immutable text. Built in one pass; the tree-sitter row table is built
 * lazily because it differs from the LSP one only for files with lone carriage returns.
 */
export class LineIndex {
  /**
   * Offsets at which each LSP line starts. A typed array: every keystroke copies the table, and
   * its backing store lives outside the JavaScript heap, so the copies do not fill the young
   * generation (the scavenges that follow cost milliseconds on a keystroke's path).
   */
  private readonly lineStarts: Int32Array;
  private rowStarts: Int32Array | undefined;
  private readonly hasLoneCR: boolean;

  constructor(
    readonly text: string,
    /** Precomputed tables (from withEdit); the text is scanned when they are absent. */
    tables?: { lineStarts: Int32Array; hasLoneCR: boolean },
  ) {
    if (tables) {
      this.lineStarts = tables.lineStarts;
      this.hasLoneCR = tables.hasLoneCR;
      return;
    }
    const starts = [0];
    this.hasLoneCR = scanLineStarts(text, 0, text.length, starts);
    this.lineStarts = Int32Array.from(starts);
  }

  /**
   * The index of the text with [start, end) replaced by `insert`, built from this one: only the
   * lines around the edit are scanned, the rest of the table is copied and shifted. A keystroke
   * in a large file then costs a copy of the line table rather than a scan of every character.
   */
  withEdit(start: number, end: number, insert: string): LineIndex {
    const text = this.text.slice(0, start) + insert + this.text.slice(end);
    // Files with lone carriage returns are rare; their two tables are simply rebuilt.
    if (this.hasLoneCR) return new LineIndex(text);
    const delta = insert.length - (end - start);
    // A line break just before the edit can change kind (a "\r" followed by a new "\n"), so the
    // scan starts at the line holding the character before the edit.
    const old = this.lineStarts;
    const firstLine = lastStartAtOrBefore(old, Math.max(0, start - 1));
    // A line start is decided by the break before it and the character at it. From `tail` on those
    // lie in the unchanged text after the edit, so the old table has those starts, shifted; only
    // the lines in between are scanned.
    const tail = start + insert.length + 2;
    const scanned: number[] = [];
    const loneCR = scanLineStarts(text, old[firstLine]!, Math.min(tail, text.length), scanned);
    let kept = 0;
    while (kept < scanned.length && scanned[kept]! < tail) kept++;
    let k = lastStartAtOrBefore(old, tail - delta);
    if (old[k]! < tail - delta) k++;
    const starts = new Int32Array(firstLine + 1 + kept + (old.length - k));
    starts.set(old.subarray(0, firstLine + 1));
    for (let i = 0; i < kept; i++) starts[firstLine + 1 + i] = scanned[i]!;
    for (let o = firstLine + 1 + kept; k < old.length; k++, o++) starts[o] = old[k]! + delta;
    return new LineIndex(text, { lineStarts: starts, hasLoneCR: loneCR });
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset where an LSP line starts (clamped to the document). */
  lineStart(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    return this.lineStarts[line]!;
  }

  /** Offset where an LSP line's content ends, before its line break. */
  lineContentEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    if (end > this.lineStarts[line]! && this.text.charCodeAt(end - 1) === LF) end--;
    if (end > this.lineStarts[line]! && this.text.charCodeAt(end - 1) === CR) end--;
    return end;
  }

  /** The text of an LSP line without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineContentEnd(line));
  }

  /** The LSP position of an offset. Offsets are clamped to [0, text.length]. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = lastStartAtOrBefore(this.lineStarts, clamped);
    // An offset between "\r" and "\n" belongs to the end of the line's content.
    const character = Math.min(clamped, this.lineContentEnd(line)) - this.lineStarts[line]!;
    return { line, character };
  }

  /**
   * The offset of an LSP position. As the LSP specification asks, a line past the end maps to
   * the end of the text and a character past the line's end maps to the end of the line.
   */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    const end = this.lineContentEnd(position.line);
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  /** The tree-sitter point of an offset. */
  pointAt(offset: number): Point {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.treeSitterRowStarts();
    const row = lastStartAtOrBefore(starts, clamped);
    return { row, column: clamped - starts[row]! };
  }

  /** The offset of a tree-sitter point (clamped to its row). */
  offsetOfPoint(point: Point): number {
    const starts = this.treeSitterRowStarts();
    if (point.row < 0) return 0;
    if (point.row >= starts.length) return this.text.length;
    const start = starts[point.row]!;
    const next = point.row + 1 < starts.length ? starts[point.row + 1]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, point.column), next);
  }

  private treeSitterRowStarts(): Int32Array {
    if (!this.hasLoneCR) return this.lineStarts;
    if (!this.rowStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === LF) starts.push(i + 1);
      this.rowStarts = Int32Array.from(starts);
    }
    return this.rowStarts;
  }
}

/**
 * Appends to `starts` the offset after each line break in text[from, to) ("\r\n", "\n" or a
 * lone "\r"); returns whether a lone "\r" was seen.
 */
function scanLineStarts(text: string, from: number, to: number, starts: number[]): boolean {
  let loneCR = false;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LF) {
      starts.push(i + 1);
    } else if (ch === CR) {
      if (text.charCodeAt(i + 1) === LF) {
        starts.push(i + 2);
        i++;
      } else {
        loneCR = true;
        starts.push(i + 1);
      }
    }
  }
  return loneCR;
}

/** The point reached after `text` when it starts at `start` (tree-sitter rows: "\n" only). */
export function pointAfter(start: Point, text: string): Point {
  const lastLF = text.lastIndexOf('\n');
  if (lastLF < 0) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = 0; i <= lastLF; i++) if (text.charCodeAt(i) === LF) rows++;
  return { row: start.row + rows, column: text.length - lastLF - 1 };
}

/**
 * Describes replacing oldText[startIndex, oldEndIndex) with newText as a tree-sitter edit.
 * Points come from the old text's index, so they match the tree being edited exactly.
 */
export function treeEditFor(oldIndex: LineIndex, startIndex: number, oldEndIndex: number, newText: string): TreeEdit {
  const startPosition = oldIndex.pointAt(startIndex);
  return {
    startIndex,
    oldEndIndex,
    newEndIndex: startIndex + newText.length,
    startPosition,
    oldEndPosition: oldIndex.pointAt(oldEndIndex),
    newEndPosition: pointAfter(startPosition, newText),
  };
}
