// Shrinking a diverging fuzz case to a small reproduction: events are dropped or made part of the
// start text, then the changes of multi-change events; whole-document replacements become ranged
// changes, and ranged ones that replace text become insertions; the start text loses top-level declarations and lines, and inserted text lines and
// characters; these passes repeat until none shrinks the case further, and then the server's
// pauses and requests between events go, if the case diverges without them. Each candidate is
// kept while the case still diverges the same way. Removing something from the middle of an edit
// sequence moves the later edits (transform.ts), so every candidate is an edit sequence an editor
// could send.
import { diffSpan } from '../helpers/randomEdits';
import { applyOp, fromOps, toOps, type Divergence, type FuzzCase, type Op, type OpEvent } from './fuzzCase';
import { absorb } from './transform';

export interface ShrinkOptions {
  /** Replays a case: its first divergence, if any. */
  replay: (fuzzCase: FuzzCase) => Divergence | undefined;
  /** The [start, end) spans of a text's top-level declarations (each up to the next one). */
  declarations: (text: string) => [number, number][];
  /** Stop shrinking at this time (performance.now()). */
  deadline?: number;
}

export interface ShrinkResult {
  fuzzCase: FuzzCase;
  divergence: Divergence;
  /** Replays run, and candidates kept. */
  replays: number;
  kept: number;
  /** Whether the deadline cut shrinking short. */
  timedOut: boolean;
}

interface State {
  text: string;
  events: OpEvent[];
}

/** Whether two divergences are the same failure for the shrinker: the same kind (and, for an exception, the same error). */
export function sameFailure(a: Divergence, b: Divergence): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'exception') return true;
  const headline = (d: Divergence) => d.message.split('\n')[0]!.replace(/\d+/g, 'N');
  return headline(a) === headline(b);
}

export function shrink(original: FuzzCase, first: Divergence, options: ShrinkOptions): ShrinkResult {
  const { replay, deadline = Infinity } = options;
  let current: State = { text: original.text, events: toOps(original).slice(0, first.step + 1) };
  let divergence = first;
  let replays = 0;
  let kept = 0;
  let timedOut = false;
  const header = { ...original };

  const caseOf = (state: State): FuzzCase | undefined => {
    const events = fromOps(state.text, state.events);
    return events && { ...header, text: state.text, events };
  };

  /** Replays a candidate; keeps it when it diverges the same way. */
  const attempt = (candidate: State | undefined): boolean => {
    if (!candidate) return false;
    if (performance.now() > deadline) {
      timedOut = true;
      return false;
    }
    const fuzzCase = caseOf(candidate);
    if (!fuzzCase) return false;
    replays++;
    const found = replay(fuzzCase);
    if (!found || !sameFailure(found, first)) return false;
    // Whatever follows the divergence is not needed to reproduce it.
    current = { text: candidate.text, events: candidate.events.slice(0, found.step + 1) };
    divergence = found;
    kept++;
    return true;
  };

  const passes: (() => boolean)[] = [
    // Events, in chunks.
    () => reduceUnits(() => current.events.length, (from, to) => attempt(dropEvents(current, from, to))),
    // The first event made part of the start text (its edit is then not replayed incrementally).
    () => {
      let progress = false;
      while (current.events.length > 1 && attempt(foldFirstEvent(current))) progress = true;
      return progress;
    },
    // Single changes of multi-change events.
    () => eachOp((i, j) => current.events[i]!.ops.length > 1 && attempt(dropOp(current, i, j))),
    // Whole-document replacements as the ranged change they amount to.
    () => eachOp((i, j) => current.events[i]!.ops[j]!.full === true && attempt(fullToRanged(current, i, j))),
    // Changes that replace text keep it (they then only insert): the text they spanned may go.
    () => eachOp((i, j) => {
      const op = current.events[i]!.ops[j]!;
      return !op.full && op.end > op.start && attempt(keepReplaced(current, i, j));
    }),
    // Top-level declarations of the start text, then its lines.
    () => reduceUnits(() => options.declarations(current.text).length, (from, to) => attempt(removeStartText(current, spanOf(options.declarations(current.text), from, to)))),
    () => reduceUnits(() => lineSpans(current.text).length, (from, to) => attempt(removeStartText(current, spanOf(lineSpans(current.text), from, to)))),
    // Inserted text: lines, then (short texts) characters.
    ...[lineSpans, charSpans].map((units) => () => eachOp((i, j) => reduceInserted(i, j, units))),
  ];
  /**
   * The server's pauses and requests between events go once the rest is as small as it gets: a
   * pause after which broken text is compared may be what lets the text shrink.
   */
  const dropPauses = (): boolean => {
    let progress = false;
    for (let i = current.events.length - 1; i >= 0; i--) {
      if (current.events[i]?.then && attempt(withoutThen(current, i))) progress = true;
    }
    return progress;
  };

  /** Removes units of an op's inserted text. */
  function reduceInserted(event: number, op: number, units: (text: string) => [number, number][]): boolean {
    const unitsNow = () => units(current.events[event]?.ops[op]?.text ?? '');
    return reduceUnits(
      () => unitsNow().length,
      (from, to) => attempt(removeInserted(current, event, op, spanOf(unitsNow(), from, to))),
    );
  }

  /** Calls f for every op, last first (so that a kept candidate leaves the earlier indices valid). */
  function eachOp(f: (event: number, op: number) => boolean): boolean {
    let progress = false;
    for (let i = current.events.length - 1; i >= 0; i--) {
      for (let j = (current.events[i]?.ops.length ?? 0) - 1; j >= 0; j--) {
        if (i < current.events.length && j < current.events[i]!.ops.length && f(i, j)) progress = true;
      }
    }
    return progress;
  }

  do {
    for (let progress = true; progress && !timedOut; ) {
      progress = false;
      for (const pass of passes) if (pass()) progress = true;
    }
  } while (!timedOut && dropPauses());
  const fuzzCase = caseOf(current);
  if (!fuzzCase) throw new Error('the shrinker kept a case it cannot write (a bug of the shrinker)');
  return { fuzzCase, divergence, replays, kept, timedOut };
}

/**
 * Tries to remove chunks of units (halving the chunk size, last chunks first, as in delta
 * debugging); `attempt(from, to)` removes units [from, to) and says whether that was kept.
 */
export function reduceUnits(count: () => number, attempt: (from: number, to: number) => boolean): boolean {
  let progress = false;
  for (let size = Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, count())))); size >= 1; size = Math.floor(size / 2)) {
    for (let end = count(); end > 0; ) {
      const from = Math.max(0, end - size);
      if (attempt(from, end)) progress = true;
      // A kept removal leaves the units before `from` where they were.
      end = Math.min(from, count());
    }
  }
  return progress;
}

/** The text before each event, and after the last. */
function textsBefore(state: State): string[] {
  const texts = [state.text];
  for (const event of state.events) texts.push(event.ops.reduce(applyOp, texts.at(-1)!));
  return texts;
}

/** Events [from, to) removed: the later events are moved from the text after them to the text before them. */
function dropEvents(state: State, from: number, to: number): State | undefined {
  const texts = textsBefore(state);
  const back = diffSpan(texts[to]!, texts[from]!);
  const later = absorb(state.events.slice(to), back);
  return later && { text: state.text, events: [...state.events.slice(0, from), ...later] };
}

/** The first event applied to the start text. */
function foldFirstEvent(state: State): State {
  return { text: state.events[0]!.ops.reduce(applyOp, state.text), events: state.events.slice(1) };
}

/** One change of an event removed (the changes after it moved accordingly). */
function dropOp(state: State, event: number, op: number): State | undefined {
  const before = textsBefore(state)[event]!;
  const ops = state.events[event]!.ops;
  const textBefore = ops.slice(0, op).reduce(applyOp, before);
  const back = diffSpan(applyOp(textBefore, ops[op]!), textBefore);
  const events = state.events.map((e, i) => (i === event ? { ...e, ops: ops.filter((_, k) => k !== op) } : e));
  const moved = absorb(events, back, event, op);
  return moved && { text: state.text, events: moved };
}

/** A whole-document replacement as the one ranged change that makes the same text. */
function fullToRanged(state: State, event: number, op: number): State {
  const before = textsBefore(state)[event]!;
  const ops = state.events[event]!.ops;
  const textBefore = ops.slice(0, op).reduce(applyOp, before);
  const ranged: Op = diffSpan(textBefore, ops[op]!.text);
  return { text: state.text, events: state.events.map((e, i) => (i === event ? { ...e, ops: ops.map((o, k) => (k === op ? ranged : o)) } : e)) };
}

function withoutThen(state: State, event: number): State {
  return { text: state.text, events: state.events.map((e, i) => (i === event ? { ops: e.ops } : e)) };
}

/** A ranged change made an insertion: the text it replaced stays, after what it inserts. */
function keepReplaced(state: State, event: number, op: number): State | undefined {
  const before = textsBefore(state)[event]!;
  const ops = state.events[event]!.ops;
  const o = ops[op]!;
  if (o.full) return undefined;
  const replaced = ops.slice(0, op).reduce(applyOp, before).slice(o.start, o.end);
  const insertion: Op = { start: o.start, end: o.start, text: o.text };
  const events = state.events.map((e, i) => (i === event ? { ...e, ops: ops.map((x, k) => (k === op ? insertion : x)) } : e));
  const at = o.start + o.text.length;
  const moved = absorb(events, { start: at, end: at, text: replaced }, event, op + 1);
  return moved && { text: state.text, events: moved };
}

/** [start, end) of the start text removed, the events moved to the shorter text. */
function removeStartText(state: State, [start, end]: [number, number]): State | undefined {
  if (start >= end) return undefined;
  const events = absorb(state.events, { start, end, text: '' });
  return events && { text: state.text.slice(0, start) + state.text.slice(end), events };
}

/** Inserted texts longer than this are shrunk by lines only. */
const CHARACTERS_UP_TO = 256;

/** The characters of a text (a surrogate pair is one), as spans; none for a long text. */
export function charSpans(text: string): [number, number][] {
  if (text.length > CHARACTERS_UP_TO) return [];
  const chars: [number, number][] = [];
  for (let i = 0; i < text.length; ) {
    const size = text.codePointAt(i)! > 0xffff ? 2 : 1;
    chars.push([i, i + size]);
    i += size;
  }
  return chars;
}

/** [start, end) of an op's inserted text removed; the changes after it moved accordingly. */
function removeInserted(state: State, event: number, op: number, [start, end]: [number, number]): State | undefined {
  const o = state.events[event]!.ops[op]!;
  if (start >= end) return undefined;
  const shorter: Op = o.full ? { full: true, text: o.text.slice(0, start) + o.text.slice(end) } : { ...o, text: o.text.slice(0, start) + o.text.slice(end) };
  const at = o.full ? 0 : o.start;
  const events = state.events.map((e, i) => (i === event ? { ...e, ops: e.ops.map((x, k) => (k === op ? shorter : x)) } : e));
  const moved = absorb(events, { start: at + start, end: at + end, text: '' }, event, op + 1);
  return moved && { text: state.text, events: moved };
}

/** Lines with their line breaks ("\r\n", "\n" or "\r"), as spans. */
export function lineSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    spans.push([start, m.index + m[0].length]);
    start = m.index + m[0].length;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

/** The span covering units [from, to). */
function spanOf(units: readonly [number, number][], from: number, to: number): [number, number] {
  if (from >= to || to > units.length) return [0, 0];
  return [units[from]![0], units[to - 1]![1]];
}
