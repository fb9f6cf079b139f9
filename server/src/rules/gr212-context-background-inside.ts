// GR212 context-background-inside: context.Background() or context.TODO() in a function that was
// handed a context: work started from a fresh root escapes the caller's cancellation and deadline.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { calleeOf, enclosingFunction, topLevelDeclaration } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { contextNames, isContextType, parametersOf, qualifiedRole } from './contextSyntax';
import { proverbs } from './proverbs';

/**
 * Whether the root context is not work escaping the caller's context: a comparison
 * (`ctx != context.Background()`), the nil-context default (`if ctx == nil { ctx = context.Background() }`,
 * whatever it assigns), or a context made for a value that outlives the call (`c.ctx, c.cancel =
 * context.WithCancel(context.Background())`: a connection's or a worker's own lifetime).
 */
function deliberateRoot(call: Node, fn: Node, param: string): boolean {
  if (call.parent?.type === 'binary_expression') return true;
  // In the arguments of the call a go statement starts: the goroutine is detached on purpose, and
  // must not stop when the function returns (`go s.Shutdown(context.Background())` from a handler).
  for (let n: Node | null = call.parent; n && n.id !== fn.id && !n.type.endsWith('_statement'); n = n.parent) {
    if (n.type === 'argument_list' && n.parent?.type === 'call_expression' && n.parent.parent?.type === 'go_statement') return true;
  }
  const nilCheck = new RegExp(`^(?:${param}\\s*==\\s*nil|nil\\s*==\\s*${param})$`);
  let statement = true;
  for (let n: Node | null = call.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'if_statement' && nilCheck.test(n.childForFieldName('condition')?.text.trim() ?? '')) return true;
    // The statement the call is in (only that one) may store it in a field or in the parameter.
    if (statement && (n.type === 'assignment_statement' || n.type === 'short_var_declaration')) {
      const left = n.childForFieldName('left')?.namedChildren ?? [];
      if (left.some((l) => l?.type === 'selector_expression')) return true;
    }
    if (n.type.endsWith('_statement') || n.type === 'short_var_declaration') statement = false;
  }
  return false;
}

/** Whether a parameter's type is `*http.Request`, whose Context() is the request's context. */
function isRequestType(type: Node | null, imports: ImportTable): boolean {
  return type?.type === 'pointer_type' && qualifiedRole(type.namedChildren[0] ?? null, imports) === 'http.Request';
}

/** Whether a parameter's type is `http.ResponseWriter`: with a `*http.Request`, the shape of a handler. */
function isResponseWriterType(type: Node | null, imports: ImportTable): boolean {
  return qualifiedRole(type, imports) === 'http.ResponseWriter';
}

/**
 * Whether the declaration names the package `alias` somewhere outside `call` (a call, a type): then
 * its import stays used once the call is replaced. Read from the declaration alone, as findings are
 * cached per declaration; a use elsewhere in the file does not count.
 */
function declarationUsesPackageBesides(call: Node, alias: string): boolean {
  const decl = topLevelDeclaration(call);
  for (const node of decl.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!node || (node.startIndex >= call.startIndex && node.endIndex <= call.endIndex)) continue;
    const operand = node.type === 'qualified_type' ? node.childForFieldName('package') : node.childForFieldName('operand');
    if (operand?.type === 'identifier' || operand?.type === 'package_identifier') {
      if (operand.text === alias) return true;
    }
  }
  return false;
}

/** The start of a Background or TODO call after the package name, as the anchor's accept() reads it. */
const ROOT_CALL = /^(?:Background|TODO)\s*\(\s*\)/;

export const contextBackgroundInside: Rule = {
  meta: {
    code: 'GR212',
    name: 'context-background-inside',
    phase: 'concurrency',
    severity: 'information',
    summary: 'context.Background() or context.TODO() is called in a function that has a context parameter.',
    proverb: proverbs.contextParameter,
    fixable: true,
    example: {
      bad: 'func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {\n\treturn s.db.QueryContext(context.Background(), query, key)\n}',
      good: 'func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {\n\treturn s.db.QueryContext(ctx, query, key)\n}',
    },
    docs: `## What it flags
A call of \`context.Background()\` or \`context.TODO()\` in the body of a function or method (or function literal)
that has a parameter of type \`context.Context\`, or, without one, that has the shape of an HTTP handler (an
\`http.ResponseWriter\` and a \`*http.Request\` parameter: the request's \`Context()\` is the caller's context). The
finding is on the call and names the parameter. Replacing the parameter (\`ctx = context.Background()\`) is flagged
too: everything after it has lost the caller's context.

## Why
The context a function receives carries its caller's deadline and cancellation. Work started from a fresh root
context ignores both: a request the client abandoned goes on querying the database, and a shutdown waits for it.
Deriving from the parameter (\`context.WithTimeout(ctx, ...)\`) keeps the work inside the caller's limits.

## Bad
\`\`\`go
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	return s.db.QueryContext(context.Background(), query, key)
}
\`\`\`

## Good
\`\`\`go
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	return s.db.QueryContext(ctx, query, key)
}
\`\`\`

## Fix
Replaces the call with the context parameter (in a handler, with \`r.Context()\`, when the function uses the
\`context\` package elsewhere too, so that its import stays used); none where the call replaces the parameter
itself. A quick fix only, never applied in bulk: it changes behaviour on
purpose (the work now stops when the caller's context does), which is wrong for the rare work that must outlive the
call.

## Left alone
- The nil-context default: \`if ctx == nil { ctx = context.Background() }\`, and anything assigned inside such a
  check.
- Comparisons: \`if ctx != context.Background()\` skips work for a context that can never be cancelled.
- A context made for a value that outlives the call, stored in its fields: \`c.ctx, c.cancel =
  context.WithCancel(context.Background())\` in a constructor that takes a dial context (a connection lives on after
  the dial).
- A parameter named \`_\`: the function declared it does not use its context.
- The arguments of the call a \`go\` statement starts (\`go srv.Shutdown(context.Background())\`): the goroutine is
  detached on purpose, and must not stop when the function returns.
- A \`*http.Request\` without an \`http.ResponseWriter\` (a client's request, a RoundTrip): the code is often the
  one giving the request its context (\`req = req.WithContext(ctx)\`).
- Function literals inside such a function that have no context parameter of their own: a goroutine or callback
  started there often must outlive the call on purpose (detached background work), and says so by not taking ctx.
- Generated files, as for every rule.

## Approximations
Work that deliberately outlives the call (cleanup after the caller's context is cancelled, detached background
work) is flagged when it is written in the function's own body; since Go 1.21 \`context.WithoutCancel(ctx)\` says
that intent and keeps the values; before, a directive with the reason is the way to silence it.
\`context\` is recognised through the file's imports, aliases included.

## Links
- [Package context](https://pkg.go.dev/context)
- [Go Concurrency Patterns: Context](https://go.dev/blog/context)
- peer: golangci-lint contextcheck (which follows calls with type information)`,
  },
  appliesTo: (file) => contextNames(file).length > 0,
  anchors: {
    text: (file) => contextNames(file).map((name) => `${name}.`),
    accept: (text, at, anchor) => ROOT_CALL.test(text.slice(at + anchor.length, at + anchor.length + 16)),
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    const callee = calleeOf(call);
    if (!callee?.operand || callee.operand.type !== 'identifier' || (callee.name !== 'Background' && callee.name !== 'TODO')) return;
    if (ctx.file.imports.pathOf(callee.operand.text) !== 'context') return;
    const fn = enclosingFunction(call);
    if (!fn) return;
    const params = parametersOf(fn);
    const param = params.find((p) => isContextType(p.type, ctx.file.imports));
    // Without a context parameter, an HTTP handler's request carries one: `r.Context()` (a handler's
    // shape only: a client's `*http.Request` is often the one being given its context).
    const handler = !param && params.some((p) => isResponseWriterType(p.type, ctx.file.imports));
    const request = handler ? params.find((p) => isRequestType(p.type, ctx.file.imports)) : undefined;
    const name = (param ?? request)?.name?.text;
    if (!name || name === '_') return;
    if (deliberateRoot(call, fn, name)) return;
    const root = `${callee.operand.text}.${callee.name}()`;
    const source = request ? `${name}.Context()` : name;
    // `ctx = context.Background()` replaces the parameter: using it instead would assign it to itself.
    const assignment = call.parent?.parent?.type === 'assignment_statement' ? call.parent.parent : undefined;
    const replacesParam = assignment?.childForFieldName('left')?.text.trim() === name;
    // A handler has no context parameter keeping the context import used: the call may be its last use.
    const importKept = !request || declarationUsesPackageBesides(call, callee.operand.text);
    ctx.report({
      node: call,
      message: request
        ? `${root} in a function that receives the request ${name}: work started here ignores the request's cancellation; derive from ${source} instead`
        : `${root} in a function that receives ${name}: work started here ignores the caller's cancellation and deadline; derive from ${name} instead`,
      ...(replacesParam || !importKept ? {} : { fix: { title: `Use ${source}`, edits: [{ start: call.startIndex, end: call.endIndex, newText: source }], safe: false } }),
    });
  },
};
