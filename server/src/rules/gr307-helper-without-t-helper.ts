// GR307 helper-without-t-helper: a test helper (a function that is not itself a test and takes a
// *testing.T, B or TB) that reports failures without calling t.Helper() first. Failures are then
// reported at the helper's line, not at the test's line that called it.
import type { Node } from 'web-tree-sitter';
import { blockStatements } from '../engine/syntax';
import { insertLinesBefore } from '../fixes/statementEdits';
import type { Rule } from '../engine/types';
import { isTestingType, parametersOf } from './contextSyntax';
import { proverbs } from './proverbs';
import { callsOn } from './testingSyntax';

/** `.T`, `.B` or `.TB` in a signature (the qualifier is checked against the file's names for "testing"). */
const TESTING_TYPE = /\.\s*(?:T|B|TB)\b/;

/** Test, Benchmark, Fuzz and Example functions are run by the framework, not called. */
const FRAMEWORK_FUNCTION = /^(?:Test|Benchmark|Fuzz|Example)(?![a-z])/;

/**
 * A test's body moved into a function (`testAtof(t, opt)`, `benchmarkRead(b, n)`, `runCase`,
 * `doTestEncode`): its failures are best reported at its own lines, which say which check failed.
 */
const TEST_BODY = /^(?:test|bench|benchmark|run|do)(?:[A-Z_0-9]|$)/;

export const helperWithoutTHelper: Rule = {
  meta: {
    code: 'GR307',
    name: 'helper-without-t-helper',
    phase: 'testing',
    severity: 'hint',
    summary: 'A test helper that reports failures without calling t.Helper(), so they point at the helper, not the test.',
    proverb: proverbs.testHelper,
    fixable: true,
    example: {
      bad: 'func assertEqual(t *testing.T, got, want int) {\n\tif got != want {\n\t\tt.Fatalf("got %d, want %d", got, want) // reported here\n\t}\n}',
      good: 'func assertEqual(t *testing.T, got, want int) {\n\tt.Helper()\n\tif got != want {\n\t\tt.Fatalf("got %d, want %d", got, want) // reported at the caller\n\t}\n}',
    },
    docs: `## What it flags
A function declared in a \`_test.go\` file that is not a Test, Benchmark, Fuzz or Example function, takes a \`*testing.T\`
(or \`*testing.B\`, \`testing.TB\`) parameter, and calls \`Error\`, \`Errorf\`, \`Fatal\`, \`Fatalf\`, \`Fail\` or \`FailNow\` on it
without ever calling its \`Helper()\`. The finding is on the function's name.

## Why
\`t.Helper()\` marks the function as a helper: a failure it reports is then attributed to the line of the test that
called it. Without it, every failure in a shared \`assertEqual\` points at the same line inside the helper, and the
reader has to work out which call failed.

## Bad
\`\`\`go
func assertEqual(t *testing.T, got, want int) {
	if got != want {
		t.Fatalf("got %d, want %d", got, want) // reported here
	}
}
\`\`\`

## Good
\`\`\`go
func assertEqual(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("got %d, want %d", got, want) // reported at the caller
	}
}
\`\`\`

## Fix
Inserts \`t.Helper()\` as the function's first statement. Safe: it changes only the line failures are reported at.

## Left alone
- Test, Benchmark, Fuzz and Example functions, methods, and function literals (a \`t.Run\` body is a test of its own).
- A test's body moved into a function, named so (\`testAtof(t, opt)\`, \`benchmarkRead(b, n)\`, \`runCase\`,
  \`doTestEncode\`: names starting with test, bench, benchmark, run or do): its own lines say best which check failed.
- Helpers that only log (\`t.Log\`): nothing fails there.
- Calls on the T from inside a function literal in the helper (they run as part of whatever calls the literal).
- Files that are not \`_test.go\` files, and generated files.

## Approximations
The T is recognised by the parameter's declared type, through the file's imports; a call to \`Helper\` anywhere in
the function counts.

## Links
- [testing.T.Helper](https://pkg.go.dev/testing#T.Helper)
- peer: golangci-lint thelper`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: {
    text: () => ['func'],
    atStart: true,
    // A plain function whose signature names testing's T, B or TB: read from the text before the tree.
    accept: (text, _at, _anchor, file) => {
      if (!/^func\s+[A-Za-z_]/.test(text)) return false;
      const signature = text.slice(0, text.indexOf('{') + 1 || 400);
      return TESTING_TYPE.test(signature) && file.imports.localNamesOf('testing').some((q) => signature.includes(`${q}.`));
    },
    nodeTypes: ['function_declaration'],
  },
  visit(fn: Node, ctx) {
    const name = fn.childForFieldName('name');
    const body = fn.childForFieldName('body');
    if (!name || !body || FRAMEWORK_FUNCTION.test(name.text) || TEST_BODY.test(name.text.replace(/^_+/, ''))) return;
    const param = parametersOf(fn).find((p) => p.name && isTestingType(p.type, ctx.file.imports) && !/\bF$/.test(p.type?.text ?? '') && !/\bM$/.test(p.type?.text ?? ''));
    if (!param?.name) return;
    const t = param.name.text;
    const text = ctx.file.text.slice(body.startIndex, body.endIndex);
    if (new RegExp(`\\b${t}\\s*\\.\\s*Helper\\s*\\(`).test(text) || !new RegExp(`\\b${t}\\s*\\.\\s*(?:Error|Fatal|Fail)`).test(text)) return;
    // A failing call on the T in the function itself (not in a literal it makes).
    if (!callsOn(body, t)) return;
    const first = blockStatements(body)[0];
    const insert = first && insertLinesBefore(ctx.file.text, first, [`${t}.Helper()`]);
    ctx.report({
      node: name,
      message: `${name.text} reports failures on ${t} without calling ${t}.Helper(): they will point at this helper's lines, not at the test that called it; call ${t}.Helper() first`,
      ...(insert ? { fix: { title: `Call ${t}.Helper() first`, edits: [insert], safe: true } } : {}),
    });
  },
};
