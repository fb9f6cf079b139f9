// Structural comparison of tree-sitter trees, for checking incremental parses against fresh ones.
import { Edit, type Parser, type Point, type Tree, type TreeCursor } from 'web-tree-sitter';
import { naiveOffsetAt, naivePoint, type LspChange } from './naiveText';

function samePoint(a: Point, b: Point): boolean {
  return a.row === b.row && a.column === b.column;
}

function describe(cursor: TreeCursor): string {
  const s = cursor.startPosition;
  const e = cursor.endPosition;
  const missing = cursor.currentNode.isMissing ? 'MISSING ' : '';
  const error = cursor.currentNode.hasError ? ' (hasError)' : '';
  const field = cursor.currentFieldName ? `${cursor.currentFieldName}: ` : '';
  return `${field}${missing}${cursor.nodeType} [${cursor.startIndex}, ${cursor.endIndex}) ${s.row}:${s.column}-${e.row}:${e.column}${error}`;
}

/**
 * Walks both trees in lockstep (pre-order, anonymous nodes included) and returns a description of
 * the first difference in node type, field name, index range, start/end point, missing flag or shape
 * (and, with `hasError`, the hasError flag), or undefined when the trees are the same. Also returns
 * the number of nodes visited.
 */
export function diffTrees(actual: Tree, expected: Tree, options: { hasError?: boolean } = {}): { difference?: string; nodes: number } {
  const a = actual.walk();
  const b = expected.walk();
  const path: string[] = [];
  let nodes = 0;
  try {
    for (;;) {
      nodes++;
      const same =
        a.nodeType === b.nodeType &&
        a.startIndex === b.startIndex &&
        a.endIndex === b.endIndex &&
        samePoint(a.startPosition, b.startPosition) &&
        samePoint(a.endPosition, b.endPosition) &&
        a.nodeIsMissing === b.nodeIsMissing &&
        a.currentFieldName === b.currentFieldName &&
        (!options.hasError || a.currentNode.hasError === b.currentNode.hasError);
      if (!same) {
        return { difference: `at ${path.join(' > ') || '(root)'}:\n  actual:   ${describe(a)}\n  expected: ${describe(b)}`, nodes };
      }
      const parentType = b.nodeType;
      const aDown = a.gotoFirstChild();
      const bDown = b.gotoFirstChild();
      if (aDown !== bDown) {
        return { difference: `${describe(aDown ? b : a)} has children in only one tree (at ${path.join(' > ')})`, nodes };
      }
      if (aDown) {
        path.push(parentType);
        continue;
      }
      for (;;) {
        const aNext = a.gotoNextSibling();
        const bNext = b.gotoNextSibling();
        if (aNext !== bNext) return { difference: `different number of children under ${path.join(' > ')}`, nodes };
        if (aNext) break;
        if (!a.gotoParent() || !b.gotoParent()) return { nodes };
        path.pop();
      }
    }
  } finally {
    a.delete();
    b.delete();
  }
}

/** The first line where two multi-line strings differ, with a little context, for messages. */
export function firstDifference(actual: string, expected: string): string {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const from = Math.max(0, i - 60);
  return `first difference at index ${i}:\n  actual:   ${JSON.stringify(actual.slice(from, i + 60))}\n  expected: ${JSON.stringify(expected.slice(from, i + 60))}`;
}

/** The plain data of a tree-sitter Edit. */
export interface EditDescription {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

/** Records the edits given to a tree's edit() (on this instance only) while still applying them. */
export function recordEdits(tree: Tree | undefined): EditDescription[] {
  const edits: EditDescription[] = [];
  if (!tree) return edits;
  const edit = tree.edit.bind(tree);
  tree.edit = (e: Edit) => {
    const { startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition } = e;
    edits.push({
      startIndex,
      oldEndIndex,
      newEndIndex,
      startPosition: { ...startPosition },
      oldEndPosition: { ...oldEndPosition },
      newEndPosition: { ...newEndPosition },
    });
    edit(e);
  };
  return edits;
}

/**
 * A reference incremental parser for randomized tests: keeps its own tree in step with LSP
 * changes using edit descriptions computed by the naive text model (no code shared with
 * server/src/text/positions.ts), so that a document's tree can be checked against "the same
 * incremental parse, with edits described independently" where a fresh parse legitimately
 * differs (tree-sitter's error recovery depends on the old tree).
 */
export class ReferenceIncrementalParse {
  private current: Tree;

  constructor(
    private readonly parser: Parser,
    private text: string,
  ) {
    this.current = parseOrThrow(parser, text, null);
  }

  get tree(): Tree {
    return this.current;
  }

  /**
   * Applies one event's changes (in order) and reparses once, from scratch if any change had no
   * range. Returns the edits given to tree.edit, for comparison with the document's.
   */
  apply(changes: readonly LspChange[]): EditDescription[] {
    const edits: EditDescription[] = [];
    let full = false;
    for (const change of changes) {
      if (!change.range) {
        this.text = change.text;
        full = true;
        continue;
      }
      const start = naiveOffsetAt(this.text, change.range.start);
      const end = naiveOffsetAt(this.text, change.range.end);
      const next = this.text.slice(0, start) + change.text + this.text.slice(end);
      if (!full) {
        const edit: EditDescription = {
          startIndex: start,
          oldEndIndex: end,
          newEndIndex: start + change.text.length,
          startPosition: naivePoint(this.text, start),
          oldEndPosition: naivePoint(this.text, end),
          newEndPosition: naivePoint(next, start + change.text.length),
        };
        edits.push(edit);
        this.current.edit(new Edit(edit));
      }
      this.text = next;
    }
    const tree = parseOrThrow(this.parser, this.text, full ? null : this.current);
    this.current.delete();
    this.current = tree;
    return edits;
  }

  dispose(): void {
    this.current.delete();
  }
}

function parseOrThrow(parser: Parser, text: string, oldTree: Tree | null): Tree {
  const tree = parser.parse(text, oldTree);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
