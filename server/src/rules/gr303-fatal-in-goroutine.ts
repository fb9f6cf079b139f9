// GR303 fatal-in-goroutine: t.Fatal, t.FailNow or t.Skip called from a goroutine the test started.
// FailNow (which Fatal and Skip call) stops the goroutine it runs in with runtime.Goexit: from any
// other goroutine it does not stop the test, which goes on (and may finish or hang) while the
// goroutine that failed has quietly ended.
import type { Node } from 'web-tree-sitter';
import { topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { isTestingType, parametersOf, testingParameterOwner } from './contextSyntax';
import { bindingFor } from './declarations';
import { proverbs } from './proverbs';
import { isGoroutineLiteral } from './waitGroupSyntax';

/** The testing methods that end the calling goroutine (FailNow, and the ones that call it). */
const ENDS_GOROUTINE = new Set(['Fatal', 'Fatalf', 'FailNow', 'Skip', 'Skipf', 'SkipNow']);

/** Text that may call one of them. */
const ENDING_TEXT = /\.\s*(?:Fatal|FailNow|Skip)/;

/**
 * The goroutine-ending calls in a goroutine literal's body (deferred calls, loop headers and other
 * function literals in it included; a goroutine it starts is checked from its own go statement) on a
 * testing T of a function around the goroutine.
 */
function reportInGoroutine(body: Node, goroutine: Node, ctx: RuleContext): void {
  walkDescendants(
    body,
    (n) => {
      if (n.type === 'func_literal') return !isGoroutineLiteral(n);
      const ending = endingCall(n);
      if (!ending) return true;
      const owner = testingParameterOwner(n, ending.receiver.text, ctx.file.imports);
      if (owner && owner.startIndex <= goroutine.startIndex && owner.endIndex >= goroutine.endIndex && owner.id !== goroutine.id) {
        ctx.report({ node: n, message: message(ending.receiver.text, ending.method) });
      }
      return true;
    },
    CALLS,
  );
}

/** A call `x.Method(...)` of one of ENDS_GOROUTINE, with x an identifier: x and the method. */
function endingCall(call: Node): { receiver: Node; method: string } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression') return undefined;
  const receiver = fn.childForFieldName('operand');
  const method = fn.childForFieldName('field')?.text;
  return receiver?.type === 'identifier' && method !== undefined && ENDS_GOROUTINE.has(method) ? { receiver, method } : undefined;
}

/**
 * `go helper(t, ...)`: the function the go statement starts, when the declaration binds it to a
 * function literal (`helper := func(t *testing.T, ...) {...}`), and which of its parameters get
 * the test's T.
 */
function startedLiteral(call: Node, decl: Node): Node | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier') return undefined;
  let literal: Node | undefined;
  let bindings = 0;
  walkDescendants(
    decl,
    (n) => {
      const binding = bindingFor(n, fn.text);
      if (binding) {
        bindings++;
        if (binding.value?.type === 'func_literal') literal = binding.value;
      }
      return true;
    },
    BINDINGS,
  );
  return bindings === 1 ? literal : undefined;
}

const BINDINGS = new Set(['short_var_declaration', 'assignment_statement']);

/** The first call in a function body that ends its goroutine on the testing parameter `name`, if any. */
function endsOnParameter(body: Node, name: string): Node | undefined {
  let found: Node | undefined;
  walkDescendants(
    body,
    (n) => {
      if (found || n.type === 'func_literal') return false;
      const ending = endingCall(n);
      if (ending?.receiver.text === name) found = n;
      return !found;
    },
    CALLS,
  );
  return found;
}

const CALLS = new Set(['call_expression', 'func_literal']);

/** The first goroutine-ending call in a literal's body on a testing T it does not declare but captures from around `at`. */
function endsOnCaptured(body: Node, own: string[], at: Node, ctx: RuleContext): { receiver: Node; method: string } | undefined {
  let found: { receiver: Node; method: string } | undefined;
  walkDescendants(
    body,
    (n) => {
      if (found || n.type === 'func_literal') return false;
      const ending = endingCall(n);
      if (ending && !own.includes(ending.receiver.text) && testingParameterOwner(at, ending.receiver.text, ctx.file.imports)) found = ending;
      return !found;
    },
    CALLS,
  );
  return found;
}

function message(receiver: string, method: string): string {
  return `${receiver}.${method} in a goroutine the test started ends only that goroutine, not the test (FailNow stops the goroutine that calls it): report with ${receiver}.Error and return, or send the failure back to the test's goroutine`;
}

export const fatalInGoroutine: Rule = {
  meta: {
    code: 'GR303',
    name: 'fatal-in-goroutine',
    phase: 'testing',
    severity: 'warning',
    summary: 't.Fatal, t.FailNow or t.Skip called from a goroutine the test started, where it cannot stop the test.',
    proverb: proverbs.failNowGoroutine,
    fixable: false,
    goplsAnalyzer: 'testinggoroutine',
    example: {
      bad: 'for _, url := range urls {\n\tgo func(url string) {\n\t\tif err := fetch(url); err != nil {\n\t\t\tt.Fatal(err) // ends this goroutine, not the test\n\t\t}\n\t}(url)\n}',
      good: 'errs := make(chan error, len(urls))\nfor _, url := range urls {\n\tgo func(url string) { errs <- fetch(url) }(url)\n}\nfor range urls {\n\tif err := <-errs; err != nil {\n\t\tt.Fatal(err)\n\t}\n}',
    },
    docs: `## What it flags
In a file that imports \`testing\` (\`_test.go\` files, and test-helper packages that take a \`*testing.T\`), a call of \`Fatal\`, \`Fatalf\`, \`FailNow\`, \`Skip\`, \`Skipf\` or \`SkipNow\` on a \`*testing.T\` (or \`B\`,
\`F\`, \`testing.TB\`) parameter, made from a goroutine the test started:
- inside a \`go func() {...}()\` literal (at any depth, deferred calls and loop headers included) below the function
  whose parameter it is;
- started directly, \`go t.Fatal(...)\`;
- inside a function literal the test binds to a name and starts with \`go\`, given the test's T
  (\`check := func(t *testing.T) { t.Fatal(...) }; go check(t)\`) or using it from around it
  (\`appendFunc := func() { ... t.Fatalf(...) }; go appendFunc()\`): the finding is then on the \`go\` call.

## Why
\`FailNow\` marks the test failed and stops the goroutine that calls it, with \`runtime.Goexit\`; \`Fatal\` and \`Skip\`
call it. The testing package documents that it must be called from the goroutine running the test: from any other,
it stops only that goroutine. The test carries on as if nothing happened, may pass its remaining checks, or waits
forever for the goroutine that is gone.

## Bad
\`\`\`go
for _, url := range urls {
	go func(url string) {
		if err := fetch(url); err != nil {
			t.Fatal(err) // ends this goroutine, not the test
		}
	}(url)
}
\`\`\`

## Good
\`\`\`go
errs := make(chan error, len(urls))
for _, url := range urls {
	go func(url string) { errs <- fetch(url) }(url)
}
for range urls {
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}
\`\`\`

## Left alone
- \`t.Error\`, \`t.Errorf\`, \`t.Log\`: safe from any goroutine.
- A goroutine given its own \`*testing.T\` (a parameter of the literal itself, as \`t.Run\` subtests get): the call is
  on the T of the function it runs in.
- Methods of the same names on other types (\`log.Fatal\`, a custom type's \`Fatalf\`).
- Generated files, as for every rule.

## Approximations
The \`*testing.T\` is recognised by the parameter's declared type, through the file's imports. A function declared
elsewhere and started with \`go helper(t)\` is not read (go vet's testinggoroutine follows it within the package).
Unlike the other testing rules, this one also reads files that are not \`_test.go\` files: a helper package's
goroutine that calls \`t.Fatal\` is the same bug.

## Links
- [testing.T.FailNow](https://pkg.go.dev/testing#T.FailNow)
- peer: go vet testinggoroutine (also shown by gopls; see the goRubric.deferToGopls setting)`,
  },
  // Every file that imports testing: _test.go files, and the test-helper packages that take a *testing.T.
  appliesTo: (file) => file.imports.localNamesOf('testing').length > 0,
  anchors: {
    // Only from the goroutines: a go statement is far rarer than a Fatal (most tests have hundreds).
    text: () => ['go '],
    accept: (text, at) => /^go [\w(]/.test(text.slice(at, at + 4)),
    nodeTypes: ['go_statement'],
  },
  visit(node: Node, ctx) {
    const call = node.namedChildren.find((c) => c?.type === 'call_expression');
    if (!call) return;
    // `go t.Fatal(...)`.
    const direct = endingCall(call);
    if (direct) {
      if (testingParameterOwner(call, direct.receiver.text, ctx.file.imports)) ctx.report({ node: call, message: message(direct.receiver.text, direct.method) });
      return;
    }
    const fn = call.childForFieldName('function');
    if (fn?.type === 'func_literal') {
      const body = fn.childForFieldName('body');
      // Most goroutines never mention Fatal, FailNow or Skip: their text says so before any walk.
      if (body && ENDING_TEXT.test(ctx.file.text.slice(body.startIndex, body.endIndex))) reportInGoroutine(body, fn, ctx);
      return;
    }
    // `go check(t)` with `check := func(t *testing.T) {...}` in the declaration.
    const literal = startedLiteral(call, topLevelDeclaration(node));
    const body = literal?.childForFieldName('body');
    if (!literal || !body) return;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    const params = parametersOf(literal);
    for (const [i, param] of params.entries()) {
      const arg = args[i];
      if (!param.name || arg?.type !== 'identifier' || !isTestingType(param.type, ctx.file.imports) || !testingParameterOwner(node, arg.text, ctx.file.imports)) continue;
      const ending = endsOnParameter(body, param.name.text);
      const found = ending && endingCall(ending);
      if (found) {
        ctx.report({ node: call, message: message(arg.text, found.method) });
        return;
      }
    }
    // Or the literal uses the test's own T, captured (`appendFunc := func() { ... t.Fatal(...) }; go appendFunc()`).
    const captured = endsOnCaptured(body, params.flatMap((p) => (p.name ? [p.name.text] : [])), node, ctx);
    if (captured) ctx.report({ node: call, message: message(captured.receiver.text, captured.method) });
  },
};
