// GR306 bench-no-loop: a Benchmark function that never uses b.N (or b.Loop, from Go 1.24). The
// testing package calls a benchmark with growing b.N until it runs long enough; one that ignores
// b.N does the same work every time, so the reported ns/op is the whole body divided by b.N.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { proverbs } from './proverbs';
import { benchmarkParameter, codeText } from './testingSyntax';

export const benchNoLoop: Rule = {
  meta: {
    code: 'GR306',
    name: 'bench-no-loop',
    phase: 'testing',
    severity: 'warning',
    summary: 'A Benchmark that never uses b.N or b.Loop(), so its timing means nothing.',
    proverb: proverbs.benchmarkLoop,
    fixable: false,
    example: {
      bad: 'func BenchmarkParse(b *testing.B) {\n\tparse(input) // once, whatever b.N is\n}',
      good: 'func BenchmarkParse(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tparse(input)\n\t}\n}',
    },
    docs: `## What it flags
A function \`BenchmarkXxx(b *testing.B)\` in a \`_test.go\` file whose body never mentions \`b.N\` or calls \`b.Loop()\`,
and does not hand the benchmark on: no \`b.Run\` or \`b.RunParallel\`, and \`b\` not passed to another function (a
helper that has the loop). The finding is on the function's name.

## Why
The testing package runs a benchmark several times with a growing \`b.N\`, until it has run long enough to time,
and reports the time divided by \`b.N\`. A body that does its work once, whatever \`b.N\` is, reports a time per
operation that shrinks as \`b.N\` grows: meaningless, and the benchmark may run far longer than intended while the
framework looks for a stable figure. The loop is \`for i := 0; i < b.N; i++\` (or, from Go 1.24, \`for b.Loop()\`).

## Bad
\`\`\`go
func BenchmarkParse(b *testing.B) {
	parse(input) // once, whatever b.N is
}
\`\`\`

## Good
\`\`\`go
func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		parse(input)
	}
}
\`\`\`

## Left alone
- Benchmarks that run sub-benchmarks (\`b.Run\`) or parallel bodies (\`b.RunParallel\`), or pass \`b\` to a function,
  which then has the loop.
- Functions named Benchmark that are not benchmarks (another signature), and files that are not \`_test.go\` files.
- Generated files, as for every rule.

## Approximations
The loop is found by its text: any mention of \`b.N\` or \`b.Loop(\` in the body outside comments counts, even one
that does not drive a loop.

## Links
- [testing: Benchmarks](https://pkg.go.dev/testing#hdr-Benchmarks)
- [testing.B.Loop](https://pkg.go.dev/testing#B.Loop)`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+Benchmark/.test(text), nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    const b = benchmarkParameter(fn, ctx.file.imports);
    const body = fn.childForFieldName('body');
    if (!b || !body) return;
    // Comments do not count (`// b.N is not needed here`); strings seldom mention b.N.
    const text = codeText(ctx.file.text, body);
    const name = b.replace(/[^\w]/g, '');
    // b.N, b.Loop(), b.Run(...), b.RunParallel(...), or b handed to a call (`run(b, ...)`, `f(x, b)`).
    const uses = new RegExp(`\\b${name}\\s*\\.\\s*(?:N\\b|Loop\\s*\\(|Run\\s*\\(|RunParallel\\s*\\()|[(,]\\s*${name}\\s*[,)]`);
    if (uses.test(text)) return;
    ctx.report({
      node: fn.childForFieldName('name') ?? fn,
      message: `${fn.childForFieldName('name')?.text ?? 'this benchmark'} never uses ${name}.N or ${name}.Loop(): the testing package calls it with a growing ${name}.N and divides the time by it, so its ns/op means nothing; loop over the work (for i := 0; i < ${name}.N; i++)`,
    });
  },
};
