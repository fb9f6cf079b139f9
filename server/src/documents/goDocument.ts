// An open Go document: its text and a tree-sitter tree kept in step with it incrementally.
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import { LineIndex, treeEditFor, type Position } from '../text/positions';

/** One content change as LSP sends it: a range replaced by text, or (no range) the whole text. */
export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

/** Above this size a document is kept but not parsed or checked (see the README). */
export const MAX_PARSE_CHARS = 8 * 1024 * 1024;

export class GoDocument {
  private textValue: string;
  private index: LineIndex;
  private treeValue: Tree | undefined;
  /** Set when the text is too large or not text; rules are skipped and the reason reported. */
  skipReason: string | undefined;
  /** True when the tree came from an incremental parse of text with syntax errors (see settle()). */
  unsettled = false;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
    private readonly parser: Parser,
  ) {
    this.textValue = text;
    this.index = new LineIndex(text);
    this.reparse(undefined);
  }

  get text(): string {
    return this.textValue;
  }

  get lineIndex(): LineIndex {
    return this.index;
  }

  /** The current tree, or undefined when the document is skipped (too large, binary). */
  get tree(): Tree | undefined {
    return this.treeValue;
  }

  /**
   * Applies LSP content changes in order. Each ranged change edits the tree (tree.edit) so the
   * next parse can reuse unchanged subtrees; the document is re-parsed once at the end.
   */
  applyChanges(changes: readonly ContentChange[], version: number): void {
    let fullReplace = false;
    for (const change of changes) {
      if (!change.range) {
        this.textValue = change.text;
        this.index = new LineIndex(change.text);
        fullReplace = true;
        continue;
      }
      const start = this.index.offsetAt(change.range.start);
      const end = Math.max(start, this.index.offsetAt(change.range.end));
      if (this.treeValue && !fullReplace) {
        this.treeValue.edit(new Edit(treeEditFor(this.index, start, end, change.text)));
      }
      this.textValue = this.textValue.slice(0, start) + change.text + this.textValue.slice(end);
      this.index = new LineIndex(this.textValue);
    }
    this.version = version;
    this.reparse(fullReplace ? undefined : this.treeValue);
  }

  /**
   * Replaces an incremental tree that has syntax errors with a fresh parse, so that error recovery
   * matches a from-scratch parse exactly. Returns whether the tree was replaced.
   */
  settle(): boolean {
    if (!this.unsettled || !this.treeValue) return false;
    this.parser.reset();
    const fresh = this.parser.parse(this.textValue);
    this.unsettled = false;
    if (!fresh) return false;
    this.treeValue.delete();
    this.treeValue = fresh;
    return true;
  }

  /** Frees the tree's wasm memory. The document must not be used afterwards. */
  dispose(): void {
    this.treeValue?.delete();
    this.treeValue = undefined;
  }

  private reparse(oldTree: Tree | undefined): void {
    this.skipReason = skipReasonFor(this.textValue);
    if (this.skipReason) {
      this.treeValue?.delete();
      this.treeValue = undefined;
      return;
    }
    let next: Tree | null = null;
    try {
      next = this.parser.parse(this.textValue, oldTree ?? null);
    } catch {
      next = null;
    }
    if (!next && oldTree) {
      // An incremental parse that fails must not leave a stale tree: start over from scratch.
      this.parser.reset();
      next = this.parser.parse(this.textValue);
    }
    // Error recovery is where tree-sitter's incremental result can differ from a fresh parse of
    // the same text (a stale ERROR node kept from a reused subtree; tree-sitter issue #4001).
    // Re-parsing from scratch on every keystroke while the code is broken would cost a full parse
    // each time, so the incremental tree is used now and settle() replaces it once edits pause.
    this.unsettled = oldTree !== undefined && next !== null && next.rootNode.hasError;
    if (this.treeValue && this.treeValue !== next) this.treeValue.delete();
    this.treeValue = next ?? undefined;
    if (!next) this.skipReason = 'the parser failed on this file: rubric checks skipped';
  }
}

/** Why a text must not be parsed, or undefined when it can be. */
export function skipReasonFor(text: string): string | undefined {
  if (text.length > MAX_PARSE_CHARS) {
    return `file too large (${Math.round(text.length / 1024 / 1024)} MB): rubric checks skipped`;
  }
  if (text.indexOf('\u0000') >= 0) return 'file contains NUL bytes (binary?): rubric checks skipped';
  return undefined;
}
