// GR206 wg-add-in-goroutine: wg.Add inside the goroutine it counts. The goroutine may not have
// started (and added) by the time Wait runs, so Wait can return before the work is done.
import type { Node } from 'web-tree-sitter';
import { blockStatements, callArguments, calleeOf, compactText, enclosingFunction, statementCall, walkDescendants } from '../engine/syntax';
import type { Rule, TextEdit } from '../engine/types';
import { insertLinesBefore, statementLine } from '../fixes/statementEdits';
import { parametersOf } from './contextSyntax';
import { proverbs } from './proverbs';
import { callsOn, isGoroutineLiteral, methodStatement } from './waitGroupSyntax';

export const wgAddInGoroutine: Rule = {
  meta: {
    code: 'GR206',
    name: 'wg-add-in-goroutine',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A goroutine calls wg.Add for itself, racing with the Wait that should count it.',
    proverb: proverbs.syncPrimitives,
    fixable: true,
    example: {
      bad: 'for _, u := range urls {\n\tgo func(u string) {\n\t\twg.Add(1)\n\t\tdefer wg.Done()\n\t\tfetch(u)\n\t}(u)\n}\nwg.Wait()',
      good: 'for _, u := range urls {\n\twg.Add(1)\n\tgo func(u string) {\n\t\tdefer wg.Done()\n\t\tfetch(u)\n\t}(u)\n}\nwg.Wait()',
    },
    docs: `## What it flags
A call \`wg.Add(n)\` inside a goroutine's function literal (\`go func() { ... }()\`) that also calls \`wg.Done()\` on
the same receiver, directly or deferred: the goroutine adds itself to the group it is counted in. The finding is on
the Add.

## Why
\`wg.Wait()\` returns as soon as the counter is zero. If the goroutine has not been scheduled yet when Wait runs,
its Add has not happened either, and Wait returns before the work is done: a race that shows up rarely, under load.
The Add must happen before the \`go\` statement, in the goroutine that will Wait.

## Bad
\`\`\`go
for _, u := range urls {
	go func(u string) {
		wg.Add(1)
		defer wg.Done()
		fetch(u)
	}(u)
}
wg.Wait()
\`\`\`

## Good
\`\`\`go
for _, u := range urls {
	wg.Add(1)
	go func(u string) {
		defer wg.Done()
		fetch(u)
	}(u)
}
wg.Wait()
\`\`\`

## Fix
Moves the Add to the line before the \`go\` statement. Offered when the Add is the goroutine's first statement and
its argument uses none of the literal's parameters; a quick fix, not applied by fix-all, since it changes when the
counter moves (which is the point).

## Left alone
- A goroutine that also Waits on the same group: it manages a group of its own (it adds, starts more goroutines,
  and waits for them), which is correct.
- An Add in a goroutine that never calls Done on that receiver: whatever it counts is not the goroutine itself.
- Adds in nested function literals, which run when those are called.
- Generated files, as for every rule.

## Approximations
Receivers are matched by their text (\`wg\`, \`s.wg\`); any type with Add and Done methods counts, which in practice
is \`sync.WaitGroup\` (and \`errgroup\`-like types built on it).

## Links
- [sync.WaitGroup](https://pkg.go.dev/sync#WaitGroup)
- peer: staticcheck SA2000`,
  },
  anchors: {
    text: () => ['Add'],
    accept: (text, at) => text[at - 1] === '.' && /^\s*\(/.test(text.slice(at + 3, at + 8)),
    nodeTypes: ['expression_statement'],
  },
  visit(statement: Node, ctx) {
    const key = methodStatement(statement, 'Add');
    if (!key) return;
    const fn = enclosingFunction(statement);
    if (!fn || !isGoroutineLiteral(fn)) return;
    if (!callsOwn(fn, key, 'Done') || callsOn(compactText(fn), key, 'Wait')) return;
    // `wg.Add(1); go func() {...}()` in a goroutine counts the goroutine started next, not this one.
    for (let s = statement.nextNamedSibling; s; s = s.nextNamedSibling) if (s.type === 'go_statement') return;
    const go = fn.parent!.parent!;
    ctx.report({
      node: statement,
      message: `${key}.Add is called inside the goroutine it counts: ${key}.Wait() can run before it and return too early; call ${key}.Add before the go statement`,
      ...moveBeforeGo(statement, fn, go, ctx.file.text),
    });
  },
};

/** Whether the literal itself (not a function literal nested in it) calls `key.<method>()`, deferred or not. */
function callsOwn(fn: Node, key: string, method: string): boolean {
  let found = false;
  walkDescendants(
    fn.childForFieldName('body') ?? fn,
    (n) => {
      if (found || n.type === 'func_literal') return false;
      const callee = calleeOf(n);
      if (callee?.name === method && callee.operand && compactText(callee.operand) === key) found = true;
      return !found;
    },
    CALLS,
  );
  return found;
}

const CALLS = new Set(['call_expression', 'func_literal']);

/** Moves the Add (the literal's first statement, using none of its parameters) to just before the go statement. */
function moveBeforeGo(statement: Node, fn: Node, go: Node, text: string): { fix: { title: string; edits: TextEdit[]; safe: boolean } } | Record<string, never> {
  const body = fn.childForFieldName('body');
  if (!body || blockStatements(body)[0]?.id !== statement.id) return {};
  const args = callArguments(statementCall(statement)!).map((a) => a.text).join(' ');
  for (const p of parametersOf(fn)) if (p.name && new RegExp(`\\b${p.name.text}\\b`).test(args)) return {};
  // The Add's line moves whole, with a trailing comment if it has one.
  const removal = statementLine(text, statement);
  // The go statement must start its line, so that the Add can go on the line above.
  const insert = removal && insertLinesBefore(text, go, [removal.content]);
  if (!removal || !insert) return {};
  return { fix: { title: 'Move the Add before the go statement', edits: [insert, { start: removal.start, end: removal.end, newText: '' }], safe: false } };
}
