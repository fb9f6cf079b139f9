// GR214 unbounded-goroutines: a goroutine started for every element of a range loop, with nothing
// that limits how many run at once. Fine for three hosts, a problem for a million rows: the input
// decides how many goroutines (and how much memory, how many connections) the program holds.
import type { Node } from 'web-tree-sitter';
import { callArguments, calleeOf, FUNCTION_TYPES, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { proverbs } from './proverbs';
import { isErrgroup } from './waitGroupSyntax';

/**
 * The loop a statement runs in and what it ranges over, when that loop walks the elements of a
 * collection: a range with a value variable (`for _, v := range xs`, never a channel or an integer)
 * over an expression that is not a literal. Ranges over channels (`for conn := range incoming`, a
 * server's accept loop), key-only ranges (from Go 1.22 `for i := range n` may count workers),
 * three-clause and endless loops are left alone.
 */
function inputLoop(statement: Node): { loop: Node; input: Node } | undefined {
  let loop: Node | null = statement.parent;
  while (loop && loop.type !== 'for_statement' && !FUNCTION_TYPES.has(loop.type)) loop = loop.parent;
  if (loop?.type !== 'for_statement') return undefined;
  const clause = loop.namedChildren.find((c) => c?.type === 'range_clause');
  const input = clause?.childForFieldName('right');
  if (!clause || !input || FIXED_INPUTS.has(input.type)) return undefined;
  const variables = clause.childForFieldName('left')?.namedChildren.filter((n) => n?.type === 'identifier') ?? [];
  return variables.length === 2 && variables[1]!.text !== '_' ? { loop, input } : undefined;
}

/** Range expressions whose length the source fixes: literals. */
const FIXED_INPUTS = new Set(['composite_literal', 'interpreted_string_literal', 'raw_string_literal', 'int_literal']);

/**
 * Whether the loop limits its goroutines: a channel operation (a semaphore's send or receive, or a
 * wait for the goroutine), an `Acquire(` or a `Wait(` in the loop body outside the goroutines it
 * starts, or a goroutine that acquires a semaphore as it starts (a send or `Acquire` first).
 */
function limited(loop: Node, goroutine: Node | undefined): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return true;
  let found = false;
  walkDescendants(body, (n) => {
    if (found) return false;
    if (n.type === 'func_literal') return false;
    if (n.type === 'send_statement' || (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '<-')) found = true;
    else if (n.type === 'call_expression') {
      const name = calleeOf(n)?.name;
      if (name === 'Acquire' || name === 'TryAcquire' || name === 'Wait' || name === 'SetLimit') found = true;
    }
    return !found;
  }, LIMIT_NODES);
  if (found || !goroutine) return found;
  // `go func() { sem <- struct{}{}; defer func() { <-sem }() ... }()`, or a goroutine that first waits
  // for a start signal (`if !<-w.start {`): something else decides how many work at once.
  const first = goroutine.childForFieldName('body')?.namedChildren.find((c) => c?.type === 'statement_list')?.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (!first) return false;
  const head = first.type === 'if_statement' ? first.childForFieldName('condition') ?? first : first;
  return first.type === 'send_statement' || /\bAcquire\s*\(|<-/.test(head.text);
}

const LIMIT_NODES = new Set(['func_literal', 'send_statement', 'unary_expression', 'call_expression']);

/** The input's text for the message, cut short. */
function shown(input: Node): string {
  const text = input.text.replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function report(ctx: RuleContext, node: Node, input: Node, what: string, advice: string): void {
  ctx.report({
    node,
    message: `${what} for every element of ${shown(input)}, with nothing limiting how many run at once: the input decides how many goroutines (and how much memory) the program holds; ${advice}`,
  });
}

export const unboundedGoroutines: Rule = {
  meta: {
    code: 'GR214',
    name: 'unbounded-goroutines',
    phase: 'concurrency',
    severity: 'information',
    summary: 'A goroutine is started for every element of a range loop, with no semaphore, worker pool or errgroup limit.',
    proverb: proverbs.boundedConcurrency,
    fixable: false,
    example: {
      bad: 'for _, url := range urls {\n\tgo fetch(url)\n}',
      good: 'sem := make(chan struct{}, 8)\nfor _, url := range urls {\n\tsem <- struct{}{}\n\tgo func(url string) {\n\t\tdefer func() { <-sem }()\n\t\tfetch(url)\n\t}(url)\n}',
    },
    docs: `## What it flags
A \`go\` statement, or an errgroup's \`g.Go(...)\`, inside a \`for ... range\` loop over the elements of a collection
(a variable, a field, a call's result: not a literal), when nothing in the loop limits how many goroutines run at once.
The loop must show it walks elements: a range with a value variable (\`for _, v := range xs\`, \`for k, v := range m\`),
which a channel or an integer cannot have. The finding is on \`go\` (or on \`Go\`).

## Why
One goroutine per element is the easiest fan-out to write and the easiest to regret: with ten elements it is fine,
with a million it holds a million stacks, opens a million connections, or exhausts file descriptors, all at once.
A limit makes the cost independent of the input: a buffered channel used as a semaphore, a fixed number of workers
reading from a channel, or \`errgroup.Group.SetLimit\`.

## Bad
\`\`\`go
for _, url := range urls {
	go fetch(url)
}
\`\`\`

## Good
\`\`\`go
sem := make(chan struct{}, 8)
for _, url := range urls {
	sem <- struct{}{}
	go func(url string) {
		defer func() { <-sem }()
		fetch(url)
	}(url)
}
\`\`\`

## Left alone
- A loop with a limiter outside the goroutines it starts: a channel send or receive (a semaphore, or waiting for the
  goroutine), an \`Acquire\` (golang.org/x/sync/semaphore), a \`Wait\` (a rate limiter, a WaitGroup waited for in each
  iteration), or \`SetLimit\`; and goroutines whose first statement acquires a semaphore or waits for a start signal
  (\`sem <- token\`, \`<-start\`, \`if !<-w.start {\`).
- An errgroup whose \`SetLimit\` is called anywhere in the declaration.
- Ranges over literals (\`for _, s := range []string{"a", "b"}\`), three-clause loops (\`for i := 0; i < workers; i++\`,
  the worker pool itself), endless loops and ranges over channels (an accept loop, \`for conn := range incoming\`,
  starts a goroutine per connection: the server's own design), and ranges with only a key (the syntax does not say
  whether \`for i := range xs\` walks a slice, a channel or, from Go 1.22, counts workers).
- Test files: a goroutine per test case is bounded by the table.
- Generated files, as for every rule.

## Approximations
Whether the input can be large is not known: a range over a short configuration list is flagged as a range over
request data is, which is why the rule is information, not a warning. A limiter inside a function the loop calls
is not seen.

## Links
- [Go Concurrency Patterns: Pipelines and cancellation, bounded parallelism](https://go.dev/blog/pipelines)
- [errgroup.Group.SetLimit](https://pkg.go.dev/golang.org/x/sync/errgroup#Group.SetLimit)
- [semaphore.Weighted](https://pkg.go.dev/golang.org/x/sync/semaphore)`,
  },
  appliesTo: (file) => !file.isTestFile,
  anchors: {
    // `go ` starting a statement (gofmt writes one space), or `.Go(` of an errgroup: "go" alone is in
    // too many words and comments to search for cheaply.
    text: () => ['go ', '.Go('],
    accept: (text, at, anchor) => anchor === '.Go(' || /^go [\w(]/.test(text.slice(at, at + 4)),
    nodeTypes: ['go_statement', 'call_expression'],
  },
  visit(node: Node, ctx) {
    if (node.type === 'go_statement') {
      const found = inputLoop(node);
      const call = node.namedChildren.find((c) => c?.type === 'call_expression');
      const literal = call?.childForFieldName('function');
      if (!found || limited(found.loop, literal?.type === 'func_literal' ? literal : undefined)) return;
      const keyword = node.child(0);
      report(ctx, keyword ?? node, found.input, 'a goroutine is started', 'bound them: a buffered channel as a semaphore, a fixed number of workers, or errgroup with SetLimit');
      return;
    }
    // g.Go(func() error {...}) on an errgroup the declaration binds, with no SetLimit.
    const callee = node.childForFieldName('function');
    const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : undefined;
    const field = callee?.type === 'selector_expression' ? callee.childForFieldName('field') : undefined;
    if (!operand || !field || field.text !== 'Go' || operand.type !== 'identifier' || node.parent?.type !== 'expression_statement') return;
    if (!isErrgroup(node, operand.text, ctx.file.imports)) return;
    const found = inputLoop(node.parent);
    if (!found) return;
    // SetLimit anywhere in the declaration, where isErrgroup found the group bound.
    const decl = topLevelDeclaration(node);
    if (new RegExp(`\\b${operand.text}\\s*\\.\\s*SetLimit\\s*\\(`).test(ctx.file.text.slice(decl.startIndex, decl.endIndex))) return;
    const literal = callArguments(node)[0];
    if (limited(found.loop, literal?.type === 'func_literal' ? literal : undefined)) return;
    report(ctx, field, found.input, `${operand.text}.Go starts a goroutine`, `call ${operand.text}.SetLimit(n) before the loop`);
  },
};
