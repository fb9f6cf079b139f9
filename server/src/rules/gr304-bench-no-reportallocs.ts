// GR304 bench-no-reportallocs: a benchmark that times its work without b.ReportAllocs(). Allocations
// are most of what a Go benchmark is run to find; without the call they are shown only when the
// whole run passes -benchmem, and a regression in allocs/op goes unseen in an ordinary run.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { blockStatements, calleeOf, walkDescendants } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { insertLinesBefore } from '../fixes/statementEdits';
import { proverbs } from './proverbs';
import { benchmarkParameter, codeText, methodCallPattern } from './testingSyntax';

/** Builtins that never allocate, and conversions to numeric types. */
const NON_ALLOCATING = /^(?:len|cap|copy|delete|min|max|real|imag|complex|panic|clear|bool|byte|rune|u?int(?:8|16|32|64)?|uintptr|float(?:32|64)|complex(?:64|128))$/;

/** Packages whose functions compute on numbers in place: a benchmark of them has no allocations to show. */
const NUMERIC_PACKAGES = new Set(['math', 'math/bits', 'math/cmplx', 'sync/atomic', 'unsafe']);

/**
 * Whether the timed work may allocate: a call other than a non-allocating builtin, a numeric
 * conversion or a numeric package function, a composite literal, a closure or a goroutine.
 */
function mayAllocate(region: Node, imports: ImportTable): boolean {
  let allocates = false;
  walkDescendants(
    region,
    (n) => {
      if (allocates) return false;
      if (n.type !== 'call_expression') allocates = true;
      else {
        const callee = calleeOf(n);
        const path = callee?.operand?.type === 'identifier' ? imports.pathOf(callee.operand.text) : undefined;
        allocates = !callee || (callee.operand ? path === undefined || !NUMERIC_PACKAGES.has(path) : !NON_ALLOCATING.test(callee.name));
      }
      return !allocates;
    },
    ALLOCATING,
  );
  return allocates;
}

const ALLOCATING = new Set(['call_expression', 'composite_literal', 'func_literal', 'go_statement']);

/** What the benchmark times: the bodies of its loops over b.N (or b.Loop), or the whole body when it has none. */
function timedRegions(body: Node, b: string): Node[] {
  const header = new RegExp(`\\b${b}\\s*\\.\\s*(?:N\\b|Loop\\s*\\()`);
  const loops: Node[] = [];
  walkDescendants(
    body,
    (n) => {
      const loopBody = n.childForFieldName('body');
      if (loopBody && header.test(n.text.slice(0, loopBody.startIndex - n.startIndex))) loops.push(loopBody);
    },
    LOOPS,
  );
  return loops.length > 0 ? loops : [body];
}

const LOOPS = new Set(['for_statement']);

export const benchNoReportAllocs: Rule = {
  meta: {
    code: 'GR304',
    name: 'bench-no-reportallocs',
    phase: 'testing',
    severity: 'hint',
    summary: 'A benchmark that does not call b.ReportAllocs(), so its allocations are shown only with -benchmem.',
    proverb: proverbs.benchmarkAllocs,
    fixable: true,
    example: {
      bad: 'func BenchmarkEncode(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tencode(v)\n\t}\n}',
      good: 'func BenchmarkEncode(b *testing.B) {\n\tb.ReportAllocs()\n\tfor i := 0; i < b.N; i++ {\n\t\tencode(v)\n\t}\n}',
    },
    docs: `## What it flags
A function \`BenchmarkXxx(b *testing.B)\` in a \`_test.go\` file that times its work itself (its body uses \`b.N\`,
\`b.Loop()\` or \`b.RunParallel\`) and never calls \`ReportAllocs()\`. The finding is on the function's name.

## Why
\`go test -bench\` prints allocations per operation only for the benchmarks that call \`b.ReportAllocs()\`, or for all
of them when the run passes \`-benchmem\`. Allocations are often what a benchmark is there to watch: calling
\`ReportAllocs\` makes every run show them, so a change that adds an allocation per operation is seen by whoever runs
the benchmark, however they run it.

## Bad
\`\`\`go
func BenchmarkEncode(b *testing.B) {
	for i := 0; i < b.N; i++ {
		encode(v)
	}
}
\`\`\`

## Good
\`\`\`go
func BenchmarkEncode(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		encode(v)
	}
}
\`\`\`

## Fix
Inserts \`b.ReportAllocs()\` as the benchmark's first statement. Safe: it changes only what the benchmark prints.

## Left alone
- Benchmarks that run sub-benchmarks with \`b.Run\`: \`ReportAllocs\` affects only the benchmark that calls it (the
  sub-benchmarks do not inherit it), so it belongs in the sub-benchmark bodies, which the parent may share between
  cases that do and do not allocate.
- Benchmarks that hand \`b\` to a function (\`benchmarkEncode(b, input)\`): the function runs the loop and is where the
  call belongs.
- Benchmarks that report their own figures with \`b.ReportMetric\`: they choose what they show.
- Benchmarks with no \`b.N\` loop at all (GR306 reports those), a \`ReportAllocs\` call anywhere in the body (on any
  receiver), files that are not \`_test.go\` files, and generated files.

## Approximations
The uses of \`b\` are read from the body's text, comments left out: a \`b.N\` anywhere counts as the timed loop.

## Links
- [testing.B.ReportAllocs](https://pkg.go.dev/testing#B.ReportAllocs)
- peer: none in go vet, staticcheck or golangci-lint; some projects require it by review`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+Benchmark/.test(text), nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    const b = benchmarkParameter(fn, ctx.file.imports);
    const body = fn.childForFieldName('body');
    const name = fn.childForFieldName('name');
    if (!b || !body || !name) return;
    const text = codeText(ctx.file.text, body);
    if (/\bReportAllocs\s*\(/.test(text) || methodCallPattern(b, ['Run', 'ReportMetric']).test(text)) return;
    // `b` handed to a function: the function runs the loop.
    if (new RegExp(`[(,]\\s*${b}\\s*[,)]`).test(text)) return;
    if (!new RegExp(`\\b${b}\\s*\\.\\s*N\\b`).test(text) && !methodCallPattern(b, ['Loop', 'RunParallel']).test(text)) return;
    // A loop of arithmetic (`x = math.Sqrt(2)`, `atomic.AddInt64(&n, 1)`) has no allocations to show.
    if (!methodCallPattern(b, ['RunParallel']).test(text) && !timedRegions(body, b).some((region) => mayAllocate(region, ctx.file.imports))) return;
    const first = blockStatements(body)[0];
    const insert = first && insertLinesBefore(ctx.file.text, first, [`${b}.ReportAllocs()`]);
    ctx.report({
      node: name,
      message: `${name.text} does not call ${b}.ReportAllocs(): its allocations per operation are shown only when the run passes -benchmem; call ${b}.ReportAllocs() first`,
      ...(insert ? { fix: { title: `Call ${b}.ReportAllocs() first`, edits: [insert], safe: true } } : {}),
    });
  },
};
