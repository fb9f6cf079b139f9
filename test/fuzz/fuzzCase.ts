// A fuzz case: a start text and the didChange events an editor sent for it, with what the server
// did between events. The same data is a regression case in test/fixtures/fuzz/*.json, replayed
// by test/fuzzRegressions.test.ts; ranges are LSP ranges (UTF-16, "\r\n"/"\n"/"\r" lines) of the
// text each change applies to, as on the wire.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEditBoundary, naiveApply, naiveOffsetAt, naiveRange, type LspChange } from '../helpers/naiveText';

/**
 * What the server does after an event's change:
 * - undefined: checks the document and publishes its diagnostics;
 * - 'settle': that, then edits pause and the settle timer replaces a cut-off or error-recovered
 *   tree by a fresh parse and publishes again (RubricServer.scheduleSettle);
 * - 'read': that, then a request (code action, hover) reads the tree, finishing a cut-off parse;
 * - 'queued': nothing yet: the next change arrived before the check ran (the server checks a
 *   burst of changes once).
 */
export type AfterEvent = 'settle' | 'read' | 'queued';

export interface FuzzEvent {
  changes: LspChange[];
  then?: AfterEvent;
}

/**
 * How long an incremental parse may run before it is cut off: 'server' is GoDocument's own
 * budget (1-2 ms, timing-dependent, as in the server); 'zero' cuts every incremental parse off
 * (provisional analyses); 'none' lets every parse complete (contained analyses of broken trees).
 */
export type ParseBudget = 'server' | 'zero' | 'none';

export const PARSE_BUDGETS: readonly ParseBudget[] = ['server', 'zero', 'none'];

export function budgetMs(budget: ParseBudget): number | undefined {
  return budget === 'zero' ? 0 : budget === 'none' ? Infinity : undefined;
}

export interface FuzzCase {
  /** Where the start text came from (a corpus file, maybe converted to CRLF). */
  source: string;
  /** The document's path as the server knows it: decides _test.go and cmd/ handling. */
  path: string;
  /** The `go` directive of the file's go.mod, and whether it has none (as the server finds them). */
  goVersion?: string;
  noGoMod: boolean;
  parseBudget: ParseBudget;
  text: string;
  events: FuzzEvent[];
}

export type DivergenceKind = 'text' | 'tree' | 'diagnostics' | 'exception';

/** When, after an event, a check failed. */
export type Stage = 'open' | 'change' | 'read' | 'settle';

export interface Divergence {
  kind: DivergenceKind;
  /** The index of the event after which the check failed (-1: on open). */
  step: number;
  stage: Stage;
  message: string;
}

/** A saved regression case: the shrunk case and what diverged when it was found. */
export interface RegressionCase {
  /** How it was found (the seed and how to run it again). */
  found: string;
  divergence: Divergence;
  /** What the fix was (filled in by hand when the bug is fixed). */
  fix?: string;
  case: FuzzCase;
}

export const REGRESSION_DIR = join('test', 'fixtures', 'fuzz');

export function readRegressionCases(dir: string): { name: string; regression: RegressionCase }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => ({ name, regression: JSON.parse(readFileSync(join(dir, name), 'utf8')) as RegressionCase }));
}

export function writeRegressionCase(dir: string, name: string, regression: RegressionCase): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(regression, null, 2)}\n`);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Cases as offsets, for the shrinker: each op applies to the text the previous ops left.

/** A ranged change as offsets into the text it applies to, or a whole-document replacement. */
export type Op = { start: number; end: number; text: string; full?: undefined } | { full: true; text: string };

export interface OpEvent {
  ops: Op[];
  then?: AfterEvent;
}

export function applyOp(text: string, op: Op): string {
  return op.full ? op.text : text.slice(0, op.start) + op.text + text.slice(op.end);
}

/** The case's events as offsets. */
export function toOps(c: FuzzCase): OpEvent[] {
  let text = c.text;
  return c.events.map((event) => ({
    ...(event.then ? { then: event.then } : {}),
    ops: event.changes.map((change): Op => {
      const op: Op = change.range
        ? { start: naiveOffsetAt(text, change.range.start), end: naiveOffsetAt(text, change.range.end), text: change.text }
        : { full: true, text: change.text };
      text = naiveApply(text, change);
      return op;
    }),
  }));
}

/**
 * Events as offsets back to LSP changes, or undefined when an op is not one an editor could send
 * (out of the text, or splitting a "\r\n" or a surrogate pair).
 */
export function fromOps(startText: string, events: readonly OpEvent[]): FuzzEvent[] | undefined {
  let text = startText;
  const out: FuzzEvent[] = [];
  for (const event of events) {
    const changes: LspChange[] = [];
    for (const op of event.ops) {
      if (op.full) {
        changes.push({ text: op.text });
      } else {
        if (op.start < 0 || op.end < op.start || op.end > text.length) return undefined;
        if (!isEditBoundary(text, op.start) || !isEditBoundary(text, op.end)) return undefined;
        changes.push({ range: naiveRange(text, op.start, op.end), text: op.text });
      }
      text = applyOp(text, op);
    }
    if (changes.length > 0) out.push({ changes, ...(event.then ? { then: event.then } : {}) });
  }
  return out;
}

/** The text after every event. */
export function finalText(c: FuzzCase): string {
  return c.events.reduce((text, e) => e.changes.reduce(naiveApply, text), c.text);
}
