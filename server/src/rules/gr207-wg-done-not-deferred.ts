// GR207 wg-done-not-deferred: a goroutine calls wg.Done() as a plain statement. Any return or panic
// before it skips it, and the Wait then blocks forever.
import type { Node } from 'web-tree-sitter';
import { blockStatements, compactText, enclosingFunction, enclosingLoop, nextStatement, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, TextEdit } from '../engine/types';
import { insertLinesBefore, statementLine } from '../fixes/statementEdits';
import { parameterNamed, parametersOf } from './contextSyntax';
import { proverbs } from './proverbs';
import { callsOn, isGoroutineLiteral, isWaitGroupPointer, methodStatement } from './waitGroupSyntax';

export const wgDoneNotDeferred: Rule = {
  meta: {
    code: 'GR207',
    name: 'wg-done-not-deferred',
    phase: 'concurrency',
    severity: 'information',
    summary: "A goroutine calls wg.Done() as a plain statement instead of deferring it at the top.",
    proverb: proverbs.syncPrimitives,
    fixable: true,
    example: {
      bad: 'go func() {\n\tif err := work(); err != nil {\n\t\treturn // Done never runs: Wait blocks forever\n\t}\n\twg.Done()\n}()',
      good: 'go func() {\n\tdefer wg.Done()\n\tif err := work(); err != nil {\n\t\treturn\n\t}\n}()',
    },
    docs: `## What it flags
A statement \`wg.Done()\` that is not deferred, in
- a goroutine's function literal (\`go func() { ... }()\`) when the declaration also calls \`wg.Add\` or
  \`wg.Wait\` on the same receiver (so it is a WaitGroup, not some other \`Done\`), or the function it is started
  in has a \`*sync.WaitGroup\` parameter of that name, or
- a function with a \`*sync.WaitGroup\` parameter of that name, the usual shape of a worker started with \`go\`.

## Why
Every Add must be matched by exactly one Done, or Wait blocks forever. A plain \`wg.Done()\` at the end of the
goroutine is skipped by any \`return\` added above it later, and by a panic that is recovered; \`defer wg.Done()\` as
the first statement runs on every way out. The defer costs next to nothing.

## Bad
\`\`\`go
go func() {
	if err := work(); err != nil {
		return // Done never runs: Wait blocks forever
	}
	wg.Done()
}()
\`\`\`

## Good
\`\`\`go
go func() {
	defer wg.Done()
	if err := work(); err != nil {
		return
	}
}()
\`\`\`

## Fix
Replaces the statement with \`defer wg.Done()\` as the first statement of the function. Offered when the function
calls Done once and registers no other defer (a later defer would then run after Done instead of before); safe
(applied by fix-all) when the Done was the function's last statement, since it then runs at the same moment,
a quick fix otherwise (an early return now calls Done, which is the point).

## Left alone
- \`defer wg.Done()\`, and \`defer func() { ...; wg.Done() }()\`.
- A \`wg.Done()\` inside a loop of the function, unless a \`return\` follows it: one Done per item (after an Add per
  item) cannot become a single deferred call. (\`case <-stop: wg.Done(); return\` in a worker's loop is its way out,
  and is flagged.)
- \`Done()\` on receivers that are not shown to be a WaitGroup (\`ctx.Done()\`, a custom \`Done\` method).
- Functions that are neither a goroutine literal nor take the WaitGroup as a parameter: a helper that calls
  Done for its caller.
- Generated files, as for every rule.

## Approximations
A receiver counts as a WaitGroup when the same top-level declaration calls Add or Wait on it (by its text), or when
it is a \`*sync.WaitGroup\` parameter.

## Links
- [sync.WaitGroup](https://pkg.go.dev/sync#WaitGroup)
- peer: none in go vet or staticcheck; revive's defer rules cover related ground`,
  },
  anchors: {
    text: () => ['Done'],
    accept: (text, at) => text[at - 1] === '.' && /^\s*\(\s*\)/.test(text.slice(at + 4, at + 10)),
    nodeTypes: ['expression_statement'],
  },
  visit(statement: Node, ctx) {
    const key = methodStatement(statement, 'Done');
    if (!key || statement.parent?.type === 'defer_statement') return;
    const fn = enclosingFunction(statement);
    if (!fn) return;
    // A Done per iteration (a worker releasing one unit per item) cannot become one deferred call;
    // one followed by a return (`case <-stop: wg.Done(); return`) is the goroutine's way out, and can.
    if (nextStatement(statement)?.type !== 'return_statement' && enclosingLoop(statement)) return;
    const isGoroutine = isGoroutineLiteral(fn);
    if (isGoroutine) {
      const decl = compactText(topLevelDeclaration(fn));
      // The receiver is shown to be a WaitGroup by an Add or a Wait in the declaration, or by the
      // `*sync.WaitGroup` parameter of the function the goroutine is started in.
      const owner = parameterNamed(statement, key);
      if (!callsOn(decl, key, 'Add') && !callsOn(decl, key, 'Wait') && !(owner && isWaitGroupPointer(owner.param.type, ctx.file.imports))) return;
    } else if (!parametersOf(fn).some((p) => p.name?.text === key && isWaitGroupPointer(p.type, ctx.file.imports))) {
      return;
    }
    ctx.report({
      node: statement,
      message: `${key}.Done() is not deferred: a return or a recovered panic before it skips it and ${key}.Wait() blocks forever; defer ${key}.Done() at the top of the ${isGoroutine ? 'goroutine' : 'function'}`,
      ...deferAtTop(statement, fn, key, ctx.file.text),
    });
  },
};

/** `defer key.Done()` as the body's first statement, replacing the plain one. */
function deferAtTop(statement: Node, fn: Node, key: string, text: string): { fix: { title: string; edits: TextEdit[]; safe: boolean } } | Record<string, never> {
  const body = fn.childForFieldName('body');
  if (!body) return {};
  const statements = blockStatements(body);
  const first = statements[0];
  // Done first: deferring it would move it to the end, a different program.
  if (!first || first.id === statement.id) return {};
  let dones = 0;
  let defers = 0;
  walkDescendants(
    body,
    (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type === 'defer_statement') defers++;
      else if (methodStatement(n, 'Done') === key) dones++;
      return true;
    },
    SEEN,
  );
  if (dones !== 1 || defers !== 0) return {};
  // The Done's line moves whole, a trailing comment with it, to the top: the first statement must
  // start its own line below the `{`.
  const removal = statementLine(text, statement);
  const insert = removal && insertLinesBefore(text, first, [`defer ${removal.content}`]);
  if (!removal || !insert) return {};
  const edits: TextEdit[] = [insert, { start: removal.start, end: removal.end, newText: '' }];
  const last = statements[statements.length - 1];
  return { fix: { title: `Defer ${key}.Done() at the top`, edits, safe: last?.id === statement.id } };
}

const SEEN = new Set(['func_literal', 'defer_statement', 'expression_statement']);
