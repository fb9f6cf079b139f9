// An open Go document: its text and a tree-sitter tree kept in step with it incrementally.
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import type { TextChange } from '../engine/engine';
import { LineIndex, treeEditFor, type Position } from '../text/positions';

/** One content change as LSP sends it: a range replaced by text, or (no range) the whole text. */
export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

/** Above this size a document is kept but not parsed or checked (see the README). */
export const MAX_PARSE_CHARS = 8 * 1024 * 1024;

/**
 * How long an incremental parse after a keystroke may run before it is cut off. Most take well
 * under a millisecond; the ones that run longer are tree-sitter's error recovery re-shaping the
 * rest of a file after a syntax-breaking edit, and those are finished once edits pause (settle)
 * while the server answers from a provisional analysis (Engine.analyzeProvisional), which parses
 * the edited declarations alone. The budget is what that fallback costs anyway: the edited
 * top-level declaration parsed alone, at about PARSE_CHARS_PER_MS, within these bounds. Measured
 * in-process on the bench's edits, against a flat 2 ms: a flat 1 ms cut the p99 of the 20 typical
 * files by 0.3 ms but raised the p98 of the 20 largest from 7.4 to 10-15 ms (a cut-off parse there
 * is followed by parsing a 30,000-character function or table alone, ~8 ms); this scale kept the
 * largest as they were and cut the typical files' p99 by 0.4-1 ms.
 */
export const PARSE_BUDGET_MS = { min: 1, max: 2 } as const;
/** How fast a declaration parses alone, measured on the standard library's largest (a 30,000-character function: ~8 ms). */
const PARSE_CHARS_PER_MS = 4000;

/** The parse budget after edits whose largest enclosing top-level declaration has `editedChars` characters. */
export function parseBudgetFor(editedChars: number): number {
  return Math.min(PARSE_BUDGET_MS.max, Math.max(PARSE_BUDGET_MS.min, editedChars / PARSE_CHARS_PER_MS));
}

/** How many recent changes (and structural changes, see reparse) a document remembers for analysis. */
const CHANGE_LOG_LIMIT = 128;

export class GoDocument {
  private textValue: string;
  private index: LineIndex;
  private treeValue: Tree | undefined;
  /** Set when the text is too large or not text; rules are skipped and the reason reported. */
  skipReason: string | undefined;
  /** What the parser threw on this document's last parse from scratch, if it threw (see parseFromScratch). */
  parserFailure: unknown;
  /**
   * True when the tree came from an incremental parse of text with syntax errors, or from one
   * since a tree with syntax errors (see settle()): subtrees that error recovery shaped can
   * outlive the errors (the keystroke that repairs the code reuses them), and may read the
   * grammar's ambiguities (`panic(err)`: a call or a conversion) otherwise than a fresh parse does.
   */
  unsettled = false;
  /** Whether the tree, or the cut-off base, descends incrementally from a tree of text with syntax errors. */
  private recovered = false;
  /**
   * When the last incremental parse was cut off (PARSE_BUDGET_MS): the previous tree, edited to
   * the current text, from which the next parse starts. treeValue is undefined meanwhile.
   */
  private cutOffBase: Tree | undefined;
  /** Recent changes as offsets, oldest first; changeLogStart counts the ones dropped before them. */
  private changeLog: TextChange[] = [];
  /** Whether the text may hold a NUL byte: it did at the last parse, or a change since inserted one. */
  private mayHaveNul = true;
  private changeLogStart = 0;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
    private readonly parser: Parser,
    /** Cut-off for incremental parses (see PARSE_BUDGET_MS); Infinity parses every change to the end at once. */
    private readonly parseBudgetMs: number | undefined = undefined,
  ) {
    this.textValue = text;
    this.index = new LineIndex(text);
    this.reparse(undefined, Infinity);
  }

  get text(): string {
    return this.textValue;
  }

  get lineIndex(): LineIndex {
    return this.index;
  }

  /**
   * The tree of the current text, or undefined when the document is skipped (too large, binary).
   * A parse that was cut off is finished first, so this can cost a parse.
   */
  get tree(): Tree | undefined {
    if (this.cutOffBase) this.reparse(this.cutOffBase, Infinity);
    return this.treeValue;
  }

  /** Whether the last parse was cut off and the current text has no tree yet. */
  get parsePending(): boolean {
    return this.cutOffBase !== undefined;
  }

  /** A count of the changes applied so far: a mark for changesSince. */
  get changeCount(): number {
    return this.changeLogStart + this.changeLog.length;
  }

  /** The changes applied since a changeCount mark, or undefined when they are no longer known (or the text was replaced). */
  changesSince(mark: number): TextChange[] | undefined {
    if (mark < this.changeLogStart || mark > this.changeCount) return undefined;
    return this.changeLog.slice(mark - this.changeLogStart);
  }

  /** Parses a piece of Go on its own (a declaration, for provisional analysis). The caller deletes the tree. */
  parseAlone(text: string): Tree | null {
    this.parser.reset();
    return this.parser.parse(text);
  }

  /**
   * Applies LSP content changes in order. Each ranged change edits the tree (tree.edit) so the
   * next parse can reuse unchanged subtrees; the document is re-parsed once at the end.
   */
  applyChanges(changes: readonly ContentChange[], version: number): void {
    let fullReplace = false;
    const base = this.cutOffBase ?? this.treeValue;
    // The largest top-level declaration an edit lands in: what a cut-off parse falls back to parsing alone.
    let editedChars = 0;
    for (const change of changes) {
      if (change.text.includes('\u0000')) this.mayHaveNul = true;
      if (!change.range) {
        this.mayHaveNul = true;
        this.textValue = change.text;
        this.index = new LineIndex(change.text);
        fullReplace = true;
        this.changeLogStart = this.changeCount + 1;
        this.changeLog = [];
        continue;
      }
      const start = this.index.offsetAt(change.range.start);
      const end = Math.max(start, this.index.offsetAt(change.range.end));
      if (base && !fullReplace) {
        const declaration = base.rootNode.firstChildForIndex(start);
        if (declaration) editedChars = Math.max(editedChars, declaration.endIndex - declaration.startIndex);
        base.edit(new Edit(treeEditFor(this.index, start, end, change.text)));
      }
      this.index = this.index.withEdit(start, end, change.text);
      this.textValue = this.index.text;
      this.logChange({ start, oldEnd: end, newEnd: start + change.text.length });
    }
    this.version = version;
    if (fullReplace) {
      this.cutOffBase?.delete();
      this.cutOffBase = undefined;
      this.reparse(undefined, Infinity);
    } else {
      this.reparse(base, this.parseBudgetMs ?? parseBudgetFor(editedChars));
    }
  }

  /**
   * Replaces an incremental tree that has syntax errors with a fresh parse, so that error recovery
   * matches a from-scratch parse exactly. Returns whether the tree was replaced.
   */
  settle(): boolean {
    if (!this.needsSettling) return false;
    const replaced = this.installFresh(this.parseFromScratch());
    // The fresh tree is not the incremental one the structural changes were logged against.
    if (replaced) this.logStructureUnknown();
    return replaced;
  }

  /** Whether settle() has work to do: a cut-off parse, or an incremental tree with syntax errors. */
  get needsSettling(): boolean {
    return (this.unsettled && this.treeValue !== undefined) || this.cutOffBase !== undefined;
  }

  /** Frees the tree's wasm memory. The document must not be used afterwards. */
  dispose(): void {
    this.treeValue?.delete();
    this.treeValue = undefined;
    this.cutOffBase?.delete();
    this.cutOffBase = undefined;
  }

  /** Replaces the document's tree (or cut-off base) by a from-scratch parse of its current text. */
  private installFresh(fresh: Tree | null): boolean {
    this.unsettled = false;
    this.recovered = false;
    if (!fresh) return false;
    this.treeValue?.delete();
    this.cutOffBase?.delete();
    this.cutOffBase = undefined;
    this.treeValue = fresh;
    return true;
  }

  /** Logs that the whole tree may have changed structure (a parse from scratch replaced it). */
  private logStructureUnknown(): void {
    this.logChange({ start: 0, oldEnd: this.textValue.length, newEnd: this.textValue.length, structural: true });
  }

  private logChange(change: TextChange): void {
    this.changeLog.push(change);
    if (this.changeLog.length > CHANGE_LOG_LIMIT) {
      this.changeLog.shift();
      this.changeLogStart++;
    }
  }

  /**
   * Parses the current text, reusing `oldTree` (already edited to it) when given. With a finite
   * budget the parse may be cut off; the edited old tree is then kept as the base of the next one.
   */
  private reparse(oldTree: Tree | undefined, budgetMs: number): void {
    // A text without NUL bytes keeps none after edits that insert none: no need to scan it all again.
    this.skipReason = skipReasonFor(this.textValue, this.mayHaveNul);
    if (!this.skipReason) this.mayHaveNul = false;
    if (this.skipReason) {
      this.recovered = false;
      this.treeValue?.delete();
      this.treeValue = undefined;
      this.cutOffBase?.delete();
      this.cutOffBase = undefined;
      return;
    }
    // A parse cut off earlier (of any document: the parser is shared) is never resumed: besides
    // being for another text, tree-sitter's resumption is not exact (web-tree-sitter 0.27.1: one
    // cut point in 632 on net/http/server.go with an unclosed brace resumed into another tree).
    this.parser.reset();
    this.parserFailure = undefined;
    let next: Tree | null = null;
    let cutOff = false;
    const input = chunkedInput(this.textValue);
    try {
      injectParserFault(this.textValue, this.parser);
      if (oldTree && Number.isFinite(budgetMs)) {
        const deadline = performance.now() + budgetMs;
        next = this.parser.parse(input.read, oldTree, { progressCallback: () => (cutOff = performance.now() > deadline) });
      } else {
        next = this.parser.parse(input.read, oldTree ?? null);
      }
    } catch (error) {
      next = null;
      if (!oldTree) this.parserFailure = error;
    } finally {
      input.parsed();
    }
    if (!next && cutOff && oldTree) {
      this.parser.reset();
      if (this.treeValue && this.treeValue !== oldTree) this.treeValue.delete();
      this.treeValue = undefined;
      this.cutOffBase = oldTree;
      // No tree yet: the tree it will finish into descends from one with syntax errors, or not.
      this.recovered ||= oldTree.rootNode.hasError;
      this.unsettled = this.recovered;
      return;
    }
    let incremental = oldTree !== undefined;
    if (!next && oldTree) {
      // An incremental parse that fails must not leave a stale tree: start over from scratch.
      next = this.parseFromScratch();
      incremental = false;
      this.logStructureUnknown();
    } else if (next && oldTree) {
      // Where the new tree's structure differs from the old one's (beyond the edited text itself):
      // with the edits, what an analysis must read again (Engine.analyze reads no other node).
      for (const range of next.getChangedRanges(oldTree)) {
        this.logChange({ start: range.startIndex, oldEnd: range.endIndex, newEnd: range.endIndex, structural: true });
      }
    }
    // Error recovery is where tree-sitter's incremental result can differ from a fresh parse of
    // the same text (a stale ERROR node kept from a reused subtree; tree-sitter issue #4001), and
    // the difference can outlive the errors (a subtree read otherwise under error recovery, reused
    // once the code is repaired). Re-parsing from scratch on every keystroke while the code is
    // broken, or on the one that repairs it, would cost a full parse each time, so the incremental
    // tree is used now and settle() replaces it once edits pause.
    this.recovered = incremental && next !== null && (this.recovered || oldTree!.rootNode.hasError || next.rootNode.hasError);
    this.unsettled = this.recovered;
    if (this.treeValue && this.treeValue !== next) this.treeValue.delete();
    if (this.cutOffBase && this.cutOffBase !== next) this.cutOffBase.delete();
    this.cutOffBase = undefined;
    this.treeValue = next ?? undefined;
    if (!next) this.skipReason = 'the parser failed on this file: rubric checks skipped';
  }

  /**
   * A parse of the whole text with no old tree. A parser that throws (a trap inside wasm) is
   * recorded in parserFailure and gives no tree: the document store then rebuilds the parser and
   * opens the document again on it (DocumentStore.recover).
   */
  private parseFromScratch(): Tree | null {
    this.parser.reset();
    try {
      injectParserFault(this.textValue, this.parser);
      return this.parser.parse(this.textValue);
    } catch (error) {
      this.parserFailure = error;
      return null;
    }
  }
}

/** Test hook, never set by users (see checkFile's FAULT_MARKERS): the marker makes parsers throw as a wasm trap would. */
export const PARSER_FAULT_MARKER = 'go-rubric-test-fault: parser';
/** Parsers made by DocumentStore.recover: the injected fault spares them unless the marker says "always". */
export const rebuiltParsers = new WeakSet<Parser>();

function injectParserFault(text: string, parser: Parser): void {
  if (process.env.GO_RUBRIC_TEST_FAULTS !== '1' || !text.includes(PARSER_FAULT_MARKER)) return;
  if (rebuiltParsers.has(parser) && !text.includes(`${PARSER_FAULT_MARKER} always`)) return;
  throw Object.assign(new Error('memory access out of bounds (injected)'), { name: 'RuntimeError' });
}

/**
 * How much text the parser is handed at a time. web-tree-sitter copies every chunk it asks for
 * into wasm memory one code unit at a time; handed the whole rest of the text each time (what it
 * does for a string), an incremental parse that reads a few hundred characters around an edit
 * copies up to 10 KB per read.
 */
const PARSE_CHUNK = 1024;

/**
 * The text as a parse callback: short chunks while parsing, the whole rest once parsed, because
 * the tree keeps the callback to read node texts (a short chunk would make each node.text a loop).
 */
function chunkedInput(text: string): { read: (index: number) => string; parsed: () => void } {
  let parsing = true;
  return {
    read: (index) => {
      if (!parsing) return text.slice(index);
      // A chunk never ends between the halves of a surrogate pair (an emoji, a rare CJK character):
      // the lexer would read the lone high half as a character of its own, and the tree would then
      // differ from a fresh parse's wherever a chunk boundary happened to fall.
      const end = index + PARSE_CHUNK;
      const last = text.charCodeAt(end - 1);
      return text.slice(index, last >= 0xd800 && last <= 0xdbff ? end + 1 : end);
    },
    parsed: () => {
      parsing = false;
    },
  };
}

/** Why a text must not be parsed, or undefined when it can be. */
export function skipReasonFor(text: string, mayHaveNul = true): string | undefined {
  if (text.length > MAX_PARSE_CHARS) {
    return `file too large (${Math.round(text.length / 1024 / 1024)} MB): rubric checks skipped`;
  }
  if (mayHaveNul && text.indexOf('\u0000') >= 0) return 'file contains NUL bytes (binary?): rubric checks skipped';
  return undefined;
}
