// Rewriting an edit sequence when something is taken out of it, for the shrinker. The events
// after the point where an op `x` is slipped in (text removed from the start text, an event
// dropped by slipping in its inverse) are moved past `x`: each later op is rewritten to apply to
// the text `x` left, and `x` to apply after that op (operational transformation of single-range
// replacements). An op that partly overlaps `x` cannot be rewritten faithfully; the candidate is
// then given up. An op wholly inside the region `x` replaces disappears (what it edited is gone);
// an op that replaces all of `x`'s region swallows `x`.
import type { Op, OpEvent } from './fuzzCase';

type Ranged = Extract<Op, { full?: undefined }>;

/**
 * `c` and `x` both apply to the same text. Returns `c` rewritten to apply after `x` (null: it has
 * become a no-op) and `x` rewritten to apply after `c` (null: `c` swallowed it), or undefined when
 * they partly overlap.
 */
export function transform(x: Ranged, c: Op): { c: Op | null; x: Ranged | null } | undefined {
  // A whole-document replacement sets the text whatever x did to it.
  if (c.full) return { c, x: null };
  const dc = c.text.length - (c.end - c.start);
  const dx = x.text.length - (x.end - x.start);
  if (c.end <= x.start) return { c, x: { start: x.start + dc, end: x.end + dc, text: x.text } };
  if (c.start >= x.end) return { c: { start: c.start + dx, end: c.end + dx, text: c.text }, x };
  if (x.start <= c.start && c.end <= x.end) return { c: null, x: { start: x.start, end: x.end + dc, text: x.text } };
  if (c.start <= x.start && x.end <= c.end) return { c: { start: c.start, end: c.end + dx, text: c.text }, x: null };
  return undefined;
}

/**
 * The events rewritten to apply to the text `x` leaves, `x` being applied to the text before
 * events[from].ops[fromOp] (the ops before it are kept as they are). Events left without ops are
 * dropped. Undefined when an op partly overlaps `x`.
 */
export function absorb(events: readonly OpEvent[], x: Ranged, from = 0, fromOp = 0): OpEvent[] | undefined {
  const out: OpEvent[] = events.slice(0, from).map((e) => ({ ...e, ops: [...e.ops] }));
  let pending: Ranged | null = x;
  for (let i = from; i < events.length; i++) {
    const event = events[i]!;
    const ops: Op[] = i === from ? event.ops.slice(0, fromOp) : [];
    for (let j = i === from ? fromOp : 0; j < event.ops.length; j++) {
      const op = event.ops[j]!;
      if (!pending) {
        ops.push(op);
        continue;
      }
      const moved = transform(pending, op);
      if (!moved) return undefined;
      if (moved.c) ops.push(moved.c);
      pending = moved.x;
    }
    if (ops.length > 0) out.push({ ...event, ops });
  }
  return out;
}
