// Random LSP content changes of Go text, the way editors send them: insertions, deletions and
// replacements of any length, whole-line operations, several changes in one event, whole-document
// replacements, syntax-breaking fragments, CRLF, tabs, non-ASCII and astral-plane characters; and
// episodes of such events followed by an undo. Shared by test/incremental.test.ts and the fuzzer
// (test/fuzz/), which check what the server makes of them.
import { isEditBoundary, naiveApplyAll, naiveLines, naiveRange, toEditBoundary, type LspChange } from './naiveText';
import type { Rng } from './random';

// ---------------------------------------------------------------------------------------------
// Text fragments the random edits insert.

export const CODE = [
  'x',
  'err',
  ' ',
  '\n',
  '\n\n',
  'return nil',
  'x := 1\n',
  'if err != nil {\n\treturn err\n}\n',
  'fmt.Println("hi")',
  '// note\n',
  '0x1F',
  ', y',
  'func helper() int { return 42 }\n',
  '\tdefer mu.Unlock()\n',
];
/**
 * Non-ASCII text in identifiers (Go allows any Unicode letter, astral-plane ones included: 𝑥 is
 * U+1D465), strings, runes and comments; an emoji in an identifier is a syntax error.
 */
export const NON_ASCII = [
  'é',
  '世界',
  '😀',
  'café',
  '"世界😀"',
  '// 世界 é 😀\n',
  "'😀'",
  'naïve := "😀😀"\n',
  'Ω',
  '\u00a0',
  '𝑥',
  '𝑥世界 := "𝄞"\n',
  '/* 😀 𝄞 */',
  '`😀\n世界`',
];
export const WHITESPACE = ['\t', '\t\t', '\r\n', '\r\n\r\n', '\r', ' \t ', '\n\t'];
/** Fragments that break the syntax; an episode's undo restores the file. */
export const BREAKING = ['{', '}', 'func (', '"', '`', '/*', '*/', '(', ')', '[', "'", ':=', 'package ', '}\n}\n', 'go func() {'];
/** Words typed one character at a time. */
export const TYPED_WORDS = ['err', 'café', 'x世界', 'a😀b', '𝑥1'];

// ---------------------------------------------------------------------------------------------
// Random LSP changes, always expressed against the text they apply to.

/** One didChange event: its content changes, applied in order, and what kind of edit it is. */
export interface Event {
  kind: string;
  changes: LspChange[];
}

export function randomOffset(rng: Rng, text: string): number {
  return toEditBoundary(text, rng.int(text.length + 1));
}

/** A random [start, end) span of text whose ends are valid edit boundaries. */
export function randomSpan(rng: Rng, text: string, maxLength?: number): [number, number] {
  const start = randomOffset(rng, text);
  const limit =
    maxLength ??
    rng.pick([1, 3, 10, 10, 40, 120, 600]); // mostly small, sometimes across many lines
  const end = toEditBoundary(text, Math.min(text.length, start + rng.between(0, limit)));
  return [start, Math.max(start, end)];
}

export function randomFragment(rng: Rng, text: string): string {
  const r = rng.next();
  if (r < 0.35) return rng.pick(CODE);
  if (r < 0.6) return rng.pick(NON_ASCII);
  if (r < 0.75) return rng.pick(WHITESPACE);
  if (r < 0.85) return rng.pick(BREAKING);
  // Paste a copy of another part of the file.
  const [start, end] = randomSpan(rng, text, 200);
  return text.slice(start, end);
}

export function replaceSpan(text: string, start: number, end: number, newText: string): LspChange {
  return { range: naiveRange(text, start, end), text: newText };
}

/** One ranged change: an insertion, a deletion, a replacement or a line operation. */
export function randomRangedChange(rng: Rng, text: string): { kind: string; change: LspChange } {
  const r = rng.next();
  if (r < 0.35) {
    const at = randomOffset(rng, text);
    return { kind: 'insert', change: replaceSpan(text, at, at, randomFragment(rng, text)) };
  }
  if (r < 0.6) {
    const [start, end] = randomSpan(rng, text);
    return { kind: 'delete', change: replaceSpan(text, start, end, '') };
  }
  if (r < 0.85) {
    const [start, end] = randomSpan(rng, text);
    return { kind: 'replace', change: replaceSpan(text, start, end, randomFragment(rng, text)) };
  }
  // Line operations, the way editors send them: whole lines by line/character positions.
  const lines = naiveLines(text);
  const line = rng.int(lines.length);
  const next = Math.min(line + 1, lines.length - 1);
  const lineEnd = line + 1 < lines.length ? lines[line + 1]!.start : lines[line]!.end;
  if (rng.chance(0.5)) {
    // Delete the line including its line break ("\r\n" as a whole).
    return { kind: 'delete line', change: { range: { start: { line, character: 0 }, end: { line: next, character: 0 } }, text: '' } };
  }
  // Duplicate the line below itself.
  const copy = text.slice(lines[line]!.start, lineEnd);
  const withBreak = /[\r\n]$/.test(copy) ? copy : `${copy}\n`;
  return { kind: 'duplicate line', change: { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: withBreak } };
}

/** The smallest single change turning `from` into `to`, widened so it splits no "\r\n" or surrogate pair. */
export function diffChange(from: string, to: string): LspChange {
  const { start, end, text } = diffSpan(from, to);
  return replaceSpan(from, start, end, text);
}

/** diffChange as offsets: `from` with [start, end) replaced by `text` is `to`. */
export function diffSpan(from: string, to: string): { start: number; end: number; text: string } {
  let prefix = 0;
  while (prefix < from.length && prefix < to.length && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < from.length - prefix &&
    suffix < to.length - prefix &&
    from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)
  ) {
    suffix++;
  }
  let start = prefix;
  while (!isEditBoundary(from, start) || !isEditBoundary(to, start)) start--;
  let fromEnd = from.length - suffix;
  let toEnd = to.length - suffix;
  while (!isEditBoundary(from, fromEnd) || !isEditBoundary(to, toEnd)) {
    fromEnd++;
    toEnd++;
  }
  return { start, end: fromEnd, text: to.slice(start, toEnd) };
}

/** A random forward event (one applyChanges call). */
export function randomEvent(rng: Rng, text: string): Event {
  const r = rng.next();
  if (r < 0.7) {
    const { kind, change } = randomRangedChange(rng, text);
    return { kind, changes: [change] };
  }
  if (r < 0.8) {
    // Several changes in one event, each relative to the text left by the previous one.
    const changes: LspChange[] = [];
    let current = text;
    const count = rng.between(2, 5);
    for (let i = 0; i < count; i++) {
      const { change } = randomRangedChange(rng, current);
      changes.push(change);
      current = naiveApplyAll(current, [change]);
    }
    return { kind: `multi(${count})`, changes };
  }
  if (r < 0.88) {
    // A syntax-breaking fragment; the episode's undo restores the file.
    const at = randomOffset(rng, text);
    return { kind: 'break', changes: [replaceSpan(text, at, at, rng.pick(BREAKING))] };
  }
  if (r < 0.94) {
    // A whole-document replacement (no range), as clients send for a full sync or a reformat.
    const { change } = randomRangedChange(rng, text);
    return { kind: 'full', changes: [{ text: naiveApplyAll(text, [change]) }] };
  }
  // A full replacement followed by ranged changes against it, in one event.
  const { change } = randomRangedChange(rng, text);
  const replaced = naiveApplyAll(text, [change]);
  const { change: then } = randomRangedChange(rng, replaced);
  return { kind: 'full+ranged', changes: [{ text: replaced }, then] };
}

/** What an episode needs of the document it edits. */
export interface EpisodeTarget {
  /** The text after the events applied so far. */
  readonly text: string;
  /** Applies one event. */
  apply(kind: string, changes: LspChange[]): void;
  /** Whether the current text parses without syntax errors (an episode keeps its edits only then). */
  clean(): boolean;
}

/**
 * One episode: 1-5 random events (sometimes a word typed a character at a time), then, mostly, an
 * undo back to the episode's starting text: one step at a time, as one multi-change event, or as
 * a full replacement. A quarter of the episodes that leave the file clean keep their edits, so
 * the document drifts over time.
 */
export function randomEpisode(rng: Rng, target: EpisodeTarget): void {
  const snapshots = [target.text];
  const count = rng.between(1, 5);
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.08)) {
      // Type a word one character at a time (an astral-plane character is one keystroke).
      let at = randomOffset(rng, target.text);
      for (const ch of rng.pick(TYPED_WORDS)) {
        target.apply('type', [replaceSpan(target.text, at, at, ch)]);
        at += ch.length;
      }
    } else {
      const event = randomEvent(rng, target.text);
      target.apply(event.kind, event.changes);
    }
    snapshots.push(target.text);
  }
  if (rng.chance(0.25) && target.clean()) return;
  const mode = rng.next();
  if (mode < 0.6) {
    for (let i = snapshots.length - 2; i >= 0; i--) target.apply('undo', [diffChange(target.text, snapshots[i]!)]);
  } else if (mode < 0.85) {
    const changes: LspChange[] = [];
    for (let i = snapshots.length - 2; i >= 0; i--) changes.push(diffChange(snapshots[i + 1]!, snapshots[i]!));
    target.apply('undo all (multi)', changes);
  } else {
    target.apply('undo all (full)', [{ text: snapshots[0]! }]);
  }
  if (target.text !== snapshots[0]) throw new Error('undo did not restore the episode\'s starting text (a bug of the edit generator)');
}

/** A short description of an event's changes, for messages: "line:char-line:char text" each. */
export function describeChanges(changes: readonly LspChange[]): string {
  const short = (s: string): string => (s.length > 120 ? `${JSON.stringify(s.slice(0, 120))}… (${s.length} chars)` : JSON.stringify(s));
  return changes
    .map((c) => {
      if (!c.range) return `full ${short(c.text)}`;
      const { start, end } = c.range;
      return `${start.line}:${start.character}-${end.line}:${end.character} ${short(c.text)}`;
    })
    .join(' ; ');
}
