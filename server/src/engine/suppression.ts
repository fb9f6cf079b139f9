// Reads suppression directives and decides which findings they silence.
//
// - `//rubric:ignore CODES reason` silences those rules for findings that start on its own line
//   (a trailing comment) or, alone on a line, on the next line.
// - `//rubric:file-ignore CODES reason` silences them for the whole file.
// - golangci-lint's `//nolint` (bare, `//nolint:all`, or a list naming `gorubric` or rule codes and
//   names) with golangci-lint's scope: the lines of its comment group, widened to the whole syntax
//   node that starts on the next line at the group's column (a function, a statement, the file when
//   it stands above the package clause).
// CODES are codes or names, comma-separated. Malformed directives are GR902's business
// (rules/gr902-malformed-directive.ts), directives that silence nothing GR901's.
//
// Directives are read per top-level declaration (so the engine can cache them with the
// declaration's findings), with offsets relative to the declaration, and turned into line ranges
// against the current text when findings are filtered: which line a directive applies to depends
// on text outside its declaration.
import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../text/positions';
import { findRule } from './config';
import type { Finding, RuleInfo } from './types';

export type DirectiveKind = 'ignore' | 'file-ignore' | 'nolint';

/** One directive comment, at offsets relative to whatever the caller measures from. */
export interface Directive {
  kind: DirectiveKind;
  /** Rule codes named by the directive (unknown names dropped; empty when `all`). */
  codes: string[];
  /** A nolint directive that silences every rule (bare, `all`, or naming `gorubric`). */
  all: boolean;
  /** Offset of the comment's `//`. */
  start: number;
  /** Offset just after the comment. */
  end: number;
  /** nolint: where its comment group starts (the group's first line and column count). */
  groupStart: number;
  /**
   * nolint: the end of the syntax node the comment group stands above (golangci-lint's
   * expansion), when it was resolved inside the directive's declaration; top-level groups are
   * resolved by the engine against the file's layout (see expandTopLevelNolint).
   */
  covers: number | undefined;
}

/** The parts of a `//rubric:` comment, offsets relative to the comment's start. */
export interface RubricComment {
  /** The word after `rubric:` (`ignore`, `file-ignore`, or anything else written there). */
  kind: string;
  /** The comma-separated list as written; an empty item stays (GR902 reports it). */
  items: { text: string; start: number }[];
  /** Everything after the list, trimmed, without a leading `//` (`//rubric:ignore GR101 // why`). */
  reason: string;
}

const RUBRIC_PREFIX = '//rubric:';
const RUBRIC_COMMENT = /^\/\/rubric:(\S*)(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$/;

/** Splits a `//rubric:...` comment into its parts; undefined for any other comment. */
export function readRubricComment(comment: string): RubricComment | undefined {
  if (!comment.startsWith(RUBRIC_PREFIX)) return undefined;
  const match = RUBRIC_COMMENT.exec(comment.trimEnd());
  if (!match) return { kind: '', items: [], reason: '' };
  // A `//` after the directive word starts the reason, as in golangci-lint's `//nolint:x // why`.
  if (match[2]?.startsWith('//')) return { kind: match[1]!, items: [], reason: readReason(`${match[2]} ${match[3] ?? ''}`) };
  const list = match[2];
  const items: RubricComment['items'] = [];
  if (list !== undefined) {
    let at = comment.indexOf(list, RUBRIC_PREFIX.length + match[1]!.length);
    for (const text of list.split(',')) {
      items.push({ text, start: at });
      at += text.length + 1;
    }
  }
  return { kind: match[1]!, items, reason: readReason(match[3] ?? '') };
}

/** The reason after a directive's list, without the `//` that may open it. */
function readReason(rest: string): string {
  const trimmed = rest.trim();
  return (trimmed.startsWith('//') ? trimmed.slice(2) : trimmed).trim();
}

/** The items of a golangci-lint nolint comment, as golangci-lint reads it; undefined for any other comment. */
export interface NolintComment {
  /** Bare `//nolint`, `//nolint:all`, or `all` in the list: every linter. */
  all: boolean;
  /** The listed linters, lower-cased, with their offsets in the comment. */
  items: { text: string; start: number }[];
}

const NOLINT = /^nolint( |:|$)/;

export function readNolintComment(comment: string): NolintComment | undefined {
  // golangci-lint trims every leading '/' and ' ', so `// nolint` counts too.
  let at = 0;
  while (at < comment.length && (comment[at] === '/' || comment[at] === ' ')) at++;
  const body = comment.slice(at);
  if (!NOLINT.test(body)) return undefined;
  if (body.startsWith('nolint:all') || !body.startsWith('nolint:')) return { all: true, items: [] };
  const listEnd = body.indexOf('//');
  const list = listEnd < 0 ? body.slice(7) : body.slice(7, listEnd);
  const items: NolintComment['items'] = [];
  let offset = at + 7;
  for (const raw of list.split(',')) {
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim().toLowerCase();
    if (text === 'all') return { all: true, items: [] };
    items.push({ text, start: offset + lead });
    offset += raw.length + 1;
  }
  return { all: false, items };
}

/** The name golangci-lint users write to name Go Rubric as a whole in `//nolint:gorubric`. */
export const NOLINT_LINTER_NAME = 'gorubric';

/** The directive a `//` comment's text states (at `start`), if it is one; go.mod comments are read with it too. */
export function directiveIn(comment: string, start: number, rules: readonly RuleInfo[]): Directive | undefined {
  const rubric = readRubricComment(comment);
  if (rubric) {
    if (rubric.kind !== 'ignore' && rubric.kind !== 'file-ignore') return undefined;
    const codes = rubric.items.flatMap((item) => findRule(rules, item.text)?.meta.code ?? []);
    return { kind: rubric.kind, codes, all: false, start, end: start + comment.length, groupStart: start, covers: undefined };
  }
  const nolint = readNolintComment(comment);
  if (!nolint) return undefined;
  const all = nolint.all || nolint.items.some((item) => item.text === NOLINT_LINTER_NAME);
  const codes = all ? [] : nolint.items.flatMap((item) => findRule(rules, item.text)?.meta.code ?? []);
  if (!all && codes.length === 0) return undefined; // another linter's
  return { kind: 'nolint', codes, all, start, end: start + comment.length, groupStart: start, covers: undefined };
}

/** Whether a text may hold a directive at all: most declarations hold none, and are not searched for comments. */
export function mayHoldDirective(text: string): boolean {
  return text.includes(RUBRIC_PREFIX) || text.includes('nolint');
}

/**
 * The directives in a subtree (a declaration, or a top-level comment), offsets relative to
 * `base`; `text` is the subtree's text. A nolint comment group inside the subtree is widened here
 * to the node it stands above.
 */
export function readDirectives(node: Node, text: string, rules: readonly RuleInfo[], base = 0): Directive[] {
  if (!mayHoldDirective(text)) return [];
  const comments = node.type === 'comment' ? [node] : node.descendantsOfType('comment').filter((c): c is Node => c !== null);
  const out: Directive[] = [];
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i]!;
    // tree-sitter-go's line comment runs to the \n: a CRLF file's keeps its \r, which is no part of the directive.
    const directive = directiveIn(comment.text.replace(/\r$/, ''), comment.startIndex - base, rules);
    if (!directive) continue;
    if (directive.kind === 'nolint' && node.type !== 'comment') {
      const group = commentGroup(comments, i, text, node.startIndex);
      directive.groupStart = group.first.startIndex - base;
      directive.covers = nodeBelow(node, group.first, group.last, text)?.endIndex;
      if (directive.covers !== undefined) directive.covers -= base;
    }
    out.push(directive);
  }
  return out;
}

/** Whether code precedes an offset on its line (a comment there is a trailing one). */
function afterCode(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return false;
    if (c !== 32 && c !== 9 && c !== 13) return true;
  }
  return false;
}

/**
 * Whether two consecutive comments are in one comment group, as go/parser groups them: nothing but
 * blanks and at most one line break between them, and, across a line break, the first not a
 * trailing comment (a comment after code on its line ends its group at that line).
 */
function grouped(text: string, from: number, to: number, firstStart: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (++breaks > 1) return false;
    } else if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return breaks === 0 || !afterCode(text, firstStart);
}

/** The comment group (go/ast's) that holds comments[i]; offsets of `text` start at `base`. */
function commentGroup(comments: readonly Node[], i: number, text: string, base: number): { first: Node; last: Node } {
  const joins = (a: Node, b: Node) => grouped(text, a.endIndex - base, b.startIndex - base, a.startIndex - base);
  let a = i;
  while (a > 0 && joins(comments[a - 1]!, comments[a]!)) a--;
  let b = i;
  while (b + 1 < comments.length && joins(comments[b]!, comments[b + 1]!)) b++;
  return { first: comments[a]!, last: comments[b]! };
}

/**
 * The outermost node of `root` that starts on the line after a comment group, at the group's
 * column: what golangci-lint widens a nolint group to. Block contents are not a node in go/ast:
 * tree-sitter's statement_list, which starts with its first statement, is not climbed into.
 */
function nodeBelow(root: Node, first: Node, last: Node, text: string): Node | undefined {
  const base = root.startIndex;
  let at = text.indexOf('\n', last.endIndex - base);
  if (at < 0) return undefined;
  at++;
  while (at < text.length && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9 || text.charCodeAt(at) === 13)) at++;
  if (at >= text.length || text.charCodeAt(at) === 10) return undefined;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (at - lineStart !== first.startPosition.column || first.startPosition.row === root.startPosition.row) return undefined;
  let node = root.descendantForIndex(base + at);
  if (!node || node.startIndex !== base + at) return undefined;
  for (let parent = node.parent; parent && parent.startIndex === node.startIndex && parent.type !== 'statement_list' && node.id !== root.id; parent = parent.parent) {
    node = parent;
  }
  return node;
}

/** A top-level node as the engine's layout has it: what a top-level nolint group can stand above. */
export interface TopLevelSpan {
  type: string;
  start: number;
  end: number;
}

/**
 * Widens nolint directives read from top-level comments (their own layout entries) to the
 * top-level node their comment group stands above, as golangci-lint does: the group's lines, then
 * the next node when it starts on the following line at the group's column; above the package
 * clause, the whole file. `directives` are absolute; those from entry `k` carry `entryOf` = k.
 */
export function expandTopLevelNolint(directives: Directive[], entryOf: readonly number[], layout: readonly TopLevelSpan[], index: LineIndex, textLength: number): void {
  const isComment = (k: number) => layout[k]?.type === 'comment';
  const line = (offset: number) => index.positionAt(offset).line;
  const trailing = (k: number) => {
    const { line: row, character } = index.positionAt(layout[k]!.start);
    return index.lineText(row).slice(0, character).trim() !== '';
  };
  /** Comment entries j and j + 1 are one group (see grouped()). */
  const joins = (j: number) => {
    const gap = line(layout[j + 1]!.start) - line(layout[j]!.end);
    return gap === 0 || (gap === 1 && !trailing(j));
  };
  for (let i = 0; i < directives.length; i++) {
    const d = directives[i]!;
    const k = entryOf[i]!;
    if (d.kind !== 'nolint' || !isComment(k) || layout[k]!.start !== d.start) continue;
    let a = k;
    while (a > 0 && isComment(a - 1) && joins(a - 1)) a--;
    let b = k;
    while (isComment(b + 1) && joins(b)) b++;
    d.groupStart = layout[a]!.start;
    const next = layout[b + 1];
    if (!next || line(next.start) !== line(layout[b]!.end) + 1) continue;
    if (index.positionAt(next.start).character !== index.positionAt(layout[a]!.start).character) continue;
    d.covers = next.type === 'package_clause' ? textLength : next.end;
  }
}

/** Where each directive applies, against the current text. */
export interface Suppressions {
  readonly directives: readonly Directive[];
  /** Directives that apply to the whole file (file-ignore), by index. */
  readonly file: number[];
  /** line -> the `//rubric:ignore` directives that apply to it, by index */
  readonly lines: Map<number, number[]>;
  /** nolint directives: the lines they cover (inclusive), by index. */
  readonly ranges: { from: number; to: number; directive: number }[];
}

/** Line sets for directives at absolute offsets in the indexed text. */
export function buildSuppressions(directives: readonly Directive[], index: LineIndex): Suppressions {
  const result: Suppressions = { directives, file: [], lines: new Map(), ranges: [] };
  directives.forEach((directive, i) => {
    if (directive.kind === 'file-ignore') {
      result.file.push(i);
    } else if (directive.kind === 'nolint') {
      const from = index.positionAt(directive.groupStart).line;
      const to = index.positionAt(Math.max(directive.end, directive.covers ?? 0)).line;
      result.ranges.push({ from, to, directive: i });
    } else {
      const { line, character } = index.positionAt(directive.start);
      const before = index.lineText(line).slice(0, character);
      const target = before.trim() === '' ? line + 1 : line;
      const list = result.lines.get(target);
      if (list) list.push(i);
      else result.lines.set(target, [i]);
    }
  });
  return result;
}

function names(directive: Directive, code: string): boolean {
  return directive.all || directive.codes.includes(code);
}

/** The directives that silence a finding, by index (empty: it stands). */
export function suppressorsOf(finding: Finding, suppressions: Suppressions, index: LineIndex): number[] {
  const { directives } = suppressions;
  const out: number[] = [];
  for (const i of suppressions.file) if (names(directives[i]!, finding.code)) out.push(i);
  if (suppressions.lines.size === 0 && suppressions.ranges.length === 0) return out;
  const line = index.positionAt(finding.start).line;
  for (const i of suppressions.lines.get(line) ?? []) if (names(directives[i]!, finding.code)) out.push(i);
  for (const r of suppressions.ranges) if (line >= r.from && line <= r.to && names(directives[r.directive]!, finding.code)) out.push(r.directive);
  return out;
}

export function isSuppressed(finding: Finding, suppressions: Suppressions, index: LineIndex): boolean {
  if (suppressions.directives.length === 0) return false;
  return suppressorsOf(finding, suppressions, index).length > 0;
}

/** A directive moved by `delta` (its declaration moved, or offsets change base). */
export function shiftDirective(d: Directive, delta: number): Directive {
  return { ...d, start: d.start + delta, end: d.end + delta, groupStart: d.groupStart + delta, covers: d.covers === undefined ? undefined : d.covers + delta };
}
