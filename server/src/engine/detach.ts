// Copies of strings that are kept for long (cached findings, summaries, cache keys) which share no
// memory with the document text they were cut from.
//
// V8 keeps a slice of 13 or more characters as a view of its parent string, and a concatenation as
// a pair of its parts; a node's text is such a slice of the whole document. A cached finding whose
// message quotes a node would keep that version of the document alive for as long as the finding
// is cached: every keystroke's text then survived the young-generation collections, and copying
// it (twice, before promotion) made those collections cost milliseconds on the keystroke's path.
import type { Finding } from './types';
import type { SummaryEntry } from './packageSummary';

/** Below this length V8 copies a slice rather than keeping a view (SlicedString::kMinLength). */
const MIN_VIEW_LENGTH = 13;

/** `s` as a flat string of its own. */
export function detached(s: string): string {
  // JSON.parse builds a new sequential string: one object, no view of anything (measured faster
  // than flattening a concatenation, whose slice would be a second object viewing the copy).
  return s.length < MIN_VIEW_LENGTH ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** A finding whose strings are detached (see above); positions and the rest are shared. */
export function detachedFinding(f: Finding): Finding {
  const out: Finding = { ...f, message: detached(f.message) };
  if (f.fix) {
    out.fix = {
      ...f.fix,
      title: detached(f.fix.title),
      edits: f.fix.edits.map((e) => ({ ...e, newText: detached(e.newText) })),
      ...(f.fix.imports ? { imports: f.fix.imports.map(detached) } : {}),
    };
  }
  if (f.related) out.related = f.related.map((r) => ({ ...r, message: detached(r.message) }));
  return out;
}

export function detachedSummary(summary: readonly SummaryEntry[]): readonly SummaryEntry[] {
  return summary.map(([key, value]) => [detached(key), detached(value)] as const);
}
