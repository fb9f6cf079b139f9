// GR211 context-not-first: a function or method whose context.Context parameter is not its first.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { contextNames, isContextType, isTestingType, parametersOf } from './contextSyntax';
import { proverbs } from './proverbs';

export const contextNotFirst: Rule = {
  meta: {
    code: 'GR211',
    name: 'context-not-first',
    phase: 'concurrency',
    severity: 'information',
    summary: 'A function takes a context.Context parameter that is not its first.',
    proverb: proverbs.contextParameter,
    fixable: false,
    example: {
      bad: 'func Fetch(url string, ctx context.Context) ([]byte, error)',
      good: 'func Fetch(ctx context.Context, url string) ([]byte, error)',
    },
    docs: `## What it flags
A function or method declaration with a parameter of type \`context.Context\` that is not the first parameter. The
finding is on that parameter.

## Why
By convention every function that takes a context takes it first, named \`ctx\`. Readers and tools look for it
there, call sites line up (\`f(ctx, ...)\` everywhere), and a context buried among other arguments is easy to pass
in the wrong place or to forget when a call is copied.

## Bad
\`\`\`go
func Fetch(url string, ctx context.Context) ([]byte, error)
\`\`\`

## Good
\`\`\`go
func Fetch(ctx context.Context, url string) ([]byte, error)
\`\`\`

## Fix
None: reordering parameters changes every call site, which may live in other packages.

## Left alone
- A context after test handles only (\`func helper(t *testing.T, ctx context.Context)\`): the testing handle comes
  first by its own convention.
- Function literals and function types (a callback's signature is often fixed by the API it plugs into).
- Contexts that come first, whatever their names and however many (\`func(parent, child context.Context, n int)\`); a
  context after another parameter is flagged even when one comes first (\`func(ctx context.Context, n int, other
  context.Context)\`).
- Generated files, as for every rule.

## Approximations
\`context\` is recognised through the file's imports, aliases included; a type alias of \`context.Context\` is not
followed. Implementing an interface declared elsewhere may force the order; turn the finding off with a directive
there.

## Links
- [Package context](https://pkg.go.dev/context)
- peer: revive context-as-argument, staticcheck ST1008 (for errors, the same convention at the other end)`,
  },
  appliesTo: (file) => contextNames(file).length > 0,
  // The declaration's first word: every function and method declaration is a candidate.
  anchors: { text: () => ['func'], atStart: true, nodeTypes: ['function_declaration', 'method_declaration'] },
  visit(fn: Node, ctx) {
    const imports = ctx.file.imports;
    const params = parametersOf(fn);
    // The first context that comes after a parameter which is neither a context nor a test handle
    // (`func(ctx context.Context, n int, other context.Context)` buries its second context too).
    const index = params.findIndex((p, i) => i > 0 && isContextType(p.type, imports) &&
      !params.slice(0, i).every((q) => isContextType(q.type, imports) || isTestingType(q.type, imports)));
    if (index <= 0) return;
    const param = params[index]!;
    const target = param.name ?? param.type;
    if (!target) return;
    const name = fn.childForFieldName('name')?.text ?? 'the function';
    ctx.report({
      node: target,
      message: `context.Context is parameter ${index + 1} of ${name}; by convention it comes first: ${name}(${param.name?.text ?? 'ctx'} ${param.type?.text ?? 'context.Context'}, ...)`,
    });
  },
};
