// GR213 time-after-in-loop: time.After in a select inside a loop makes a timer per iteration, and
// time.Tick outside main makes a ticker nobody can stop. Before Go 1.23 neither is collected until
// it fires (a Tick ticker never is); from 1.23 unreferenced timers are collected, and the rule is off.
import type { Node } from 'web-tree-sitter';
import { isTerminatingStatement, leavesLoop } from '../engine/controlFlow';
import { goAtLeast } from '../engine/goVersion';
import { calleeOf, communicationCaseOf, enclosingFunction, enclosingLoop } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { proverbs } from './proverbs';

/**
 * Whether another case of the select can start the next iteration without the timer having fired:
 * one that does not leave the loop (return, a labeled break, goto, or a call that ends the program),
 * or a default. When every other case leaves (`case <-stop: return`), each timer fires before the
 * next is made: a sleep in a polling loop, which costs an allocation, not a build-up of timers.
 */
function otherCaseLoops(own: Node): boolean {
  const select = own.parent;
  for (const c of select?.namedChildren ?? []) {
    if (!c || c.id === own.id || (c.type !== 'communication_case' && c.type !== 'default_case')) continue;
    const list = c.namedChildren.find((x) => x?.type === 'statement_list');
    const statements = list?.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment') ?? [];
    const last = statements[statements.length - 1];
    const leaves =
      last !== undefined &&
      (last.type === 'return_statement' ||
        last.type === 'goto_statement' ||
        (last.type === 'break_statement' && last.namedChildren.length > 0) ||
        isTerminatingStatement(last));
    if (!leaves) return true;
  }
  return false;
}

/**
 * Whether the Tick drives a loop nothing leaves (`for range time.Tick(d) { ... }` with no return or
 * break in it): the function runs for the life of the program, and so would any ticker it made.
 */
function drivesEndlessLoop(call: Node): boolean {
  const clause = call.parent;
  const loop = clause?.parent;
  if (clause?.type !== 'range_clause' || loop?.type !== 'for_statement' || clause.childForFieldName('right')?.id !== call.id) return false;
  const body = loop.childForFieldName('body');
  if (!body) return false;
  return !leavesLoop(body);
}


export const timeAfterInLoop: Rule = {
  meta: {
    code: 'GR213',
    name: 'time-after-in-loop',
    phase: 'concurrency',
    severity: 'information',
    summary: "time.After in a loop's select (a timer per iteration), or time.Tick outside main (a ticker that cannot be stopped); before Go 1.23.",
    proverb: proverbs.timersInLoops,
    fixable: false,
    example: {
      bad: 'for {\n\tselect {\n\tcase msg := <-in:\n\t\thandle(msg)\n\tcase <-time.After(time.Minute):\n\t\treturn errIdle\n\t}\n}',
      good: 'idle := time.NewTimer(time.Minute)\ndefer idle.Stop()\nfor {\n\tselect {\n\tcase msg := <-in:\n\t\thandle(msg)\n\t\tidle.Reset(time.Minute)\n\tcase <-idle.C:\n\t\treturn errIdle\n\t}\n}',
    },
    docs: `## What it flags
- \`case <-time.After(d):\` in a \`select\` that runs inside a \`for\` loop of the same function, when another case of
  the select (or its default) goes on with the loop: every iteration makes a new timer, and the ones that lost the
  race are still pending.
- \`time.Tick(d)\` anywhere but in a package \`main\`'s \`main\` function: the ticker it makes can never be stopped.

Only where the module's go.mod says \`go\` 1.22 or older, or there is no go.mod to say.

## Why
Before Go 1.23 a timer is not garbage collected until it fires. In a loop that usually takes the other case,
\`time.After(time.Minute)\` leaves a live timer (and its channel) behind on every iteration: a busy loop builds up
thousands, all waiting for their minute. \`time.Tick\` has no Stop: its ticker lives, and ticks, for the rest of the
program. A single \`time.NewTimer\` reset each iteration, or a \`time.NewTicker\` with a deferred Stop, says when
each ends. From Go 1.23 unreferenced timers and tickers are collected even if never stopped, and an unstopped
\`time.Tick\` no longer leaks; the rule is then off.

## Bad
\`\`\`go
for {
	select {
	case msg := <-in:
		handle(msg)
	case <-time.After(time.Minute):
		return errIdle
	}
}
\`\`\`

## Good
\`\`\`go
idle := time.NewTimer(time.Minute)
defer idle.Stop()
for {
	select {
	case msg := <-in:
		handle(msg)
		idle.Reset(time.Minute)
	case <-idle.C:
		return errIdle
	}
}
\`\`\`

## Fix
None: a reusable timer needs a Reset in the right branches (and, before Go 1.23, draining its channel), which is
the author's to place.

## Left alone
- \`time.After\` outside a loop, or in a function literal inside the loop (it runs when the literal is called).
- A select whose other cases all leave the loop (\`case <-stop: return\`): the timer is the loop's sleep, and each
  one fires before the next is made.
- \`time.Tick\` in \`main\`, which runs for the life of the program anyway, and \`for range time.Tick(d)\` loops that
  nothing leaves (no return or break): such a function runs for the life of the program too (staticcheck's SA1015
  leaves endless functions alone for the same reason).
- \`_test.go\` files: a test's timers end with it.
- Modules whose go.mod says \`go 1.23\` or later.
- Generated files, as for every rule.

## Approximations
\`time\` is recognised through the file's imports, aliases included. The loop must be in the same function as the
select; a select in a helper called from a loop is not seen.

## Links
- [time.After](https://pkg.go.dev/time#After)
- [time.Tick](https://pkg.go.dev/time#Tick)
- peer: staticcheck SA1015 (time.Tick), golangci-lint's durationcheck and gocritic cover nearby ground`,
  },
  appliesTo: (file) => !file.isTestFile && file.imports.localNamesOf('time').length > 0 && (file.goVersion === undefined || !goAtLeast(file.goVersion, '1.23')),
  anchors: {
    text: (file) => file.imports.localNamesOf('time').map((name) => `${name}.`),
    accept: (text, at, anchor) => /^(?:After|Tick)\s*\(/.test(text.slice(at + anchor.length, at + anchor.length + 8)),
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    const callee = calleeOf(call);
    if (!callee?.operand || callee.operand.type !== 'identifier' || ctx.file.imports.pathOf(callee.operand.text) !== 'time') return;
    const written = `${callee.operand.text}.${callee.name}`;
    if (callee.name === 'After') {
      const own = communicationCaseOf(call);
      if (!own || !enclosingLoop(call) || !otherCaseLoops(own)) return;
      ctx.report({
        node: call,
        message: `${written} in a select inside a loop makes a new timer on every iteration, each kept until it fires: make one with ${callee.operand.text}.NewTimer, Reset it, and Stop it when done`,
      });
    } else if (callee.name === 'Tick') {
      const fn = enclosingFunction(call);
      if (ctx.file.packageName === 'main' && fn?.type === 'function_declaration' && fn.childForFieldName('name')?.text === 'main') return;
      if (drivesEndlessLoop(call)) return;
      ctx.report({
        node: call,
        message: `${written} makes a ticker that can never be stopped: use ${callee.operand.text}.NewTicker and defer its Stop`,
      });
    }
  },
};
