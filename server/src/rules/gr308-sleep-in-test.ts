// GR308 sleep-in-test: a test that starts a goroutine and then sleeps, as if the sleep waited for
// it. A sleep waits for a guess: too short on a loaded CI machine (the test flakes), too long
// everywhere else (the suite crawls). A channel, a sync.WaitGroup or a polled condition waits for
// the event itself.
import type { Node } from 'web-tree-sitter';
import { callArguments, calleeOf, enclosingFunction, isPackageCall, statementCall, statementContainer, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import type { Rule } from '../engine/types';
import { isTestingType, parametersOf } from './contextSyntax';
import { declaredFunctionName } from './declarations';
import { proverbs } from './proverbs';
import { isGoroutineLiteral } from './waitGroupSyntax';

/** Statements that repeat: a sleep in one paces a loop or polls a condition. */
const LOOPS = new Set(['for_statement']);

const GO_OR_LITERAL = new Set(['go_statement', 'func_literal']);

/** The first go statement of `fn` itself (not of a literal in it) that starts before `before`. */
function goroutineStartedBefore(body: Node, before: number): Node | undefined {
  let found: Node | undefined;
  walkDescendants(
    body,
    (n) => {
      if (found || n.startIndex >= before) return false;
      if (n.type === 'func_literal') return false;
      found = n;
      return false;
    },
    GO_OR_LITERAL,
  );
  return found;
}

/**
 * Whether the sleep's function is test code that waits: a declared function, or a literal taking a
 * *testing.T (a t.Run subtest). Other literals are handlers and fakes, whose sleeps simulate latency.
 */
function isTestBody(fn: Node, imports: Parameters<typeof isTestingType>[1]): boolean {
  return fn.type !== 'func_literal' || parametersOf(fn).some((p) => isTestingType(p.type, imports));
}

/** Calls that tell running goroutines to stop: after them, the sleep was how long to let them run. */
const STOPS = /^(?:close|cancel|stop|Stop|Cancel|Close)$/;

/**
 * Whether the statement after the sleep shows a sleep that is not waiting for a result: it stops
 * the goroutines (`close(done)`, `cancel()`, `ticker.Stop()`: they were let run for a while), or it
 * checks that something has *not* happened yet (`select { case <-done: t.Fatal(...); default: }`).
 */
function sleepsOnPurpose(statement: Node): boolean {
  const around = statementContainer(statement);
  const next = around?.statements[around.index + 1];
  if (!next) return false;
  if (next.type === 'select_statement') return next.namedChildren.some((c) => c?.type === 'default_case');
  const call = statementCall(next);
  const name = call ? calleeOf(call)?.name : undefined;
  return name !== undefined && STOPS.test(name);
}

/** A failure report: `t.Errorf(`, `t.Fatal(`, `b.Fail()`. */
const FAILURE = /\b\w+\s*\.\s*(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(/;

/** An assertion library's call: `assert.Equal(`, `require.NoError(`, `Expect(`. */
const ASSERTION = /^(?:assert|require|is|qt|c)\s*\.\s*[A-Z]\w*\s*\(|^(?:\w+\s*\.\s*)?Expect\s*\(/;

/** A condition that only checks an error against nil: the error of a call made after the sleep, not a result the goroutine left. */
const ERROR_CONDITION = /^\w*[eE]rr\w*\s*[!=]=\s*nil$/;

/**
 * A condition that fails when something *has* happened (`finished != 0`, `len(got) > 0`): the test
 * checks that the goroutines are still blocked, which only a delay can show.
 */
const NOTHING_YET = /(?:!=|>)\s*0$/;

/**
 * Names of time-based tests and durations (`TestCacheExpiry`, `TestTimeout`, `ttl / 2`): the test is
 * about time passing, and the sleep is how it lets time pass.
 */
const TIME_BASED = /timeout|ttl|expir|deadline|decay|duration|interval|period|delay|tick|latency|backoff|retry|rate/i;

/** A deadline set before the sleep: the sleep waits for it to pass. */
const DEADLINE_SET = /\bWith(?:Timeout|Deadline)\s*\(|\bSet(?:Read|Write)?Deadline\s*\(/;

/** How many statements after the sleep may hold the check that the sleep was for. */
const CHECK_WINDOW = 3;

/** Whether a statement checks a result: an if that reports a failure on a condition other than `err != nil`, or an assertion. */
function isResultCheck(statement: Node, text: string): boolean {
  if (statement.type === 'expression_statement') return ASSERTION.test(text.slice(statement.startIndex, statement.endIndex));
  if (statement.type !== 'if_statement') return false;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  const written = condition?.text.replace(/\s+/g, ' ').trim() ?? '';
  if (!condition || !consequence || ERROR_CONDITION.test(written) || NOTHING_YET.test(written)) return false;
  return FAILURE.test(text.slice(consequence.startIndex, consequence.endIndex));
}

/**
 * Whether the statements right after the sleep check a result the goroutines left. A sleep followed
 * by anything else lets goroutines run, settle or exit, which may be deliberate.
 */
function checksAfter(statement: Node, text: string): boolean {
  const around = statementContainer(statement);
  return around !== undefined && around.statements.slice(around.index + 1, around.index + 1 + CHECK_WINDOW).some((next) => isResultCheck(next, text));
}

const SYNCTEST = new Set(['testing/synctest', 'internal/synctest']);

/**
 * Whether the sleep runs in a testing/synctest bubble (`synctest.Test(t, func(t *testing.T) {...})`,
 * `synctest.Run(func() {...})`): there time is a fake clock, and a sleep is the idiom that moves it.
 */
function inSynctestBubble(call: Node, imports: ImportTable): boolean {
  if (![...SYNCTEST].some((path) => imports.has(path))) return false;
  for (let n: Node | null = call.parent; n; n = n.parent) {
    if (n.type !== 'func_literal' || n.parent?.type !== 'argument_list') continue;
    const operand = n.parent.parent ? calleeOf(n.parent.parent)?.operand : undefined;
    if (operand?.type === 'identifier' && SYNCTEST.has(imports.pathOf(operand.text) ?? '')) return true;
  }
  return false;
}

export const sleepInTest: Rule = {
  meta: {
    code: 'GR308',
    name: 'sleep-in-test',
    phase: 'testing',
    severity: 'information',
    summary: 'A test that starts a goroutine and then calls time.Sleep, as if sleeping waited for it.',
    proverb: proverbs.sleepIsNotSync,
    fixable: false,
    example: {
      bad: 'go worker(jobs, results)\njobs <- 1\ntime.Sleep(100 * time.Millisecond) // hope the worker is done\nif len(results) != 1 {\n\tt.Fatal("no result")\n}',
      good: 'go worker(jobs, results)\njobs <- 1\nselect {\ncase r := <-results:\n\tcheck(t, r)\ncase <-time.After(5 * time.Second):\n\tt.Fatal("no result")\n}',
    },
    docs: `## What it flags
In a \`_test.go\` file, a \`time.Sleep(...)\` statement in a test function (a declared function, or a literal taking
a \`*testing.T\` such as a \`t.Run\` subtest) that has started a goroutine with a \`go\` statement earlier in its own
body, and whose next few statements (up to three) check a result: an \`if\` that reports a failure (\`t.Error\`,
\`t.Fatal\`...) on a condition other than \`err != nil\`, or an assertion call (\`assert.Equal\`, \`require.NoError\`,
\`Expect(...)\`). The finding is on the sleep.

## Why
A sleep after \`go\` is a guess at how long the goroutine needs. On a loaded CI machine the guess is too short and
the test fails now and then, for no reason anyone can reproduce; everywhere else it is too long, and every run of
the suite pays for it. Wait for the event itself: receive the goroutine's result from a channel (with a
\`time.After\` case as the deadline), call \`wg.Wait()\`, or poll the condition in a loop with a deadline.

## Bad
\`\`\`go
go worker(jobs, results)
jobs <- 1
time.Sleep(100 * time.Millisecond) // hope the worker is done
if len(results) != 1 {
	t.Fatal("no result")
}
\`\`\`

## Good
\`\`\`go
go worker(jobs, results)
jobs <- 1
select {
case r := <-results:
	check(t, r)
case <-time.After(5 * time.Second):
	t.Fatal("no result")
}
\`\`\`

## Left alone
- Sleeps inside the goroutine itself, or in any other function literal (a handler, a fake that simulates latency).
- Sleeps inside a loop: polling a condition until a deadline, or pacing a producer.
- Sleeps in a function that starts no goroutine before them.
- Time-based tests, where letting time pass is the point: the test's name or the sleep's duration mentions a
  timeout, TTL, expiry, deadline, decay, duration, interval, period, delay, tick, latency, backoff, retry or rate
  (\`TestCacheExpiry\`, \`time.Sleep(ttl / 2)\`); a context or connection deadline set before the sleep
  (\`context.WithTimeout\`, \`SetDeadline\`); a duration that is a parameter of the function.
- Sleeps followed by a stop (\`close(done)\`, \`cancel()\`, \`x.Stop()\`): the goroutines were let run for a while.
- Sleeps followed by a check that nothing has happened *yet* (\`select\` with a \`default\` case, a condition such as
  \`finished != 0\` or \`len(got) > 0\`): only a delay can show that a goroutine is still blocked.
- Sleeps followed by nothing that checks a result (a sleep before the next step of a scenario, or before the
  test ends).
- Sleeps in a \`testing/synctest\` bubble (\`synctest.Test\`, \`synctest.Run\`), where time is a fake clock.
- Files that are not \`_test.go\` files, and generated files as for every rule.

## Approximations
Any goroutine started before the sleep counts, whatever it does; a goroutine started by a function the test calls
(\`srv.Start()\`) is not seen, nor a check more than three statements after the sleep. The exclusions above trade
recall for precision: on the standard library's tests, whose sleeps are nearly all deliberate and commented, the
rule reports nothing. From Go 1.25, \`testing/synctest\` makes such tests exact and instant: \`synctest.Wait()\`
returns once every goroutine of the bubble is blocked.

## Links
- [Go Wiki: TestComments](https://go.dev/wiki/TestComments)
- [testing/synctest](https://pkg.go.dev/testing/synctest)
- peer: none in go vet, staticcheck, gosec or golangci-lint's linters; the race detector's wish list has it
  (golang/go#6689, "as if synchronized via sleep")`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('time').length > 0,
  anchors: {
    text: (file) => file.imports.localNamesOf('time').map((name) => `${name}.`),
    accept: (text, at, anchor) => /^Sleep\s*\(/.test(text.slice(at + anchor.length, at + anchor.length + 7)),
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    if (call.parent?.type !== 'expression_statement' || !isPackageCall(call, ctx.file.imports, 'time', 'Sleep')) return;
    const fn = enclosingFunction(call);
    const body = fn?.childForFieldName('body');
    if (!fn || !body || isGoroutineLiteral(fn) || !isTestBody(fn, ctx.file.imports)) return;
    // `time.Sleep(delay)` with delay a parameter: the duration is the test's input.
    const arg = callArguments(call)[0];
    if (arg?.type === 'identifier' && parametersOf(fn).some((p) => p.name?.text === arg.text)) return;
    // A go statement before the sleep, by its text first: most tests that sleep start none.
    const before = ctx.file.text.slice(body.startIndex, call.startIndex);
    if (!/\bgo\s+[\w(]/.test(before) || DEADLINE_SET.test(before)) return;
    if (TIME_BASED.test(arg?.text ?? '') || TIME_BASED.test(declaredFunctionName(topLevelDeclaration(call)) ?? '')) return;
    for (let n: Node | null = call.parent; n && n.id !== fn.id; n = n.parent) if (LOOPS.has(n.type)) return;
    if (!goroutineStartedBefore(body, call.startIndex) || sleepsOnPurpose(call.parent) || !checksAfter(call.parent, ctx.file.text)) return;
    if (inSynctestBubble(call, ctx.file.imports)) return;
    ctx.report({
      node: call,
      message: `${call.childForFieldName('function')?.text ?? 'time.Sleep'} after starting a goroutine waits for a guess, not for the goroutine: too short on a loaded machine (the test flakes), too long everywhere else; wait on a channel or a sync.WaitGroup, or poll the condition with a deadline`,
    });
  },
};
