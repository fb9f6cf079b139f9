// The change a fix made, shown the way `diff -u` shows it: what scripts/check-fixes.mjs prints for
// each failure.

/** The changed lines of `after` against `before`, in unified-diff hunks with two lines of context. */
export function shortDiff(before: string, after: string, maxLines = 40): string {
  const a = before.replace(/\r/g, '').split('\n');
  const b = after.replace(/\r/g, '').split('\n');
  // Fixes change a few places: the common head and tail are set aside before the diff proper.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: DiffOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', text: a[i]!, a: i, b: i });
  for (const op of lineDiff(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) ops.push({ ...op, a: op.a + head, b: op.b + head });
  for (let i = tail; i > 0; i--) ops.push({ kind: ' ', text: a[a.length - i]!, a: a.length - i, b: b.length - i });

  const context = 2;
  const lines: string[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === ' ') i++;
    if (i >= ops.length) break;
    // A hunk: the changes no further apart than twice the context, with the context around them.
    let last = i;
    for (let j = i + 1; j < ops.length && j - last <= 2 * context; j++) if (ops[j]!.kind !== ' ') last = j;
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length - 1, last + context);
    lines.push(`@@ -${ops[from]!.a + 1} +${ops[from]!.b + 1} @@`);
    for (let k = from; k <= to; k++) lines.push(`${ops[k]!.kind}${ops[k]!.text}`);
    i = to + 1;
  }
  return (lines.length > maxLines ? [...lines.slice(0, maxLines), `... ${lines.length - maxLines} more lines`] : lines).join('\n');
}

interface DiffOp {
  kind: ' ' | '-' | '+';
  text: string;
  /** Index in the old lines (of the next old line, for an insertion) and in the new ones. */
  a: number;
  b: number;
}

/** A shortest edit script between two line lists (Myers), with the unchanged lines; a plain replacement past 500 changes. */
function lineDiff(a: readonly string[], b: readonly string[]): DiffOp[] {
  const max = a.length + b.length;
  const limit = Math.min(max, 500);
  const offset = limit + 1;
  const v = new Array<number>(2 * limit + 3).fill(0);
  const trace: number[][] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push([...v]);
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    return [...a.map((text, i) => ({ kind: '-' as const, text, a: i, b: 0 })), ...b.map((text, j) => ({ kind: '+' as const, text, a: a.length, b: j }))];
  }
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = found; d > 0; d--) {
    const previous = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && previous[offset + k - 1]! < previous[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = previous[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) ops.push({ kind: ' ', text: a[--x]!, a: x, b: --y });
    if (down) ops.push({ kind: '+', text: b[--y]!, a: x, b: y });
    else ops.push({ kind: '-', text: a[--x]!, a: x, b: y });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', text: a[--x]!, a: x, b: --y });
  return ops.reverse();
}
