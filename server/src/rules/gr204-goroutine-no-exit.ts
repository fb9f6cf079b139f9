// GR204 goroutine-no-exit: a goroutine that can never end. Either its body loops forever (`for {`
// with nothing that returns or breaks out: no ctx.Done() or done-channel case), or it blocks on an
// unbuffered channel of the function that started it, which nobody will service: never, or not
// once the function has returned through another select case (the classic timeout leak).
import type { Node } from 'web-tree-sitter';
import { leavesLoop } from '../engine/controlFlow';
import { communicationCaseOf, enclosingFunction, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { channelUse, type ChannelUse, isUnbufferedMake } from './channelSyntax';
import { parametersOf } from './contextSyntax';
import { bindingFor, declaresName } from './declarations';
import { proverbs } from './proverbs';

/** Endless `for {` loops of a goroutine body (not in nested function literals) that nothing leaves. */
function endlessLoops(body: Node): Node[] {
  const loops: Node[] = [];
  walkDescendants(
    body,
    (n) => {
      if (n.type === 'func_literal') return false;
      const loopBody = n.childForFieldName('body');
      // `for {`: no condition, no clause (a for statement's only named child is then its body).
      if (loopBody && n.namedChildren.filter((c) => c?.type !== 'comment').length === 1 && !leavesLoop(loopBody, true)) loops.push(n);
      return true;
    },
    LOOP_TYPES,
  );
  return loops;
}

const LOOP_TYPES = new Set(['func_literal', 'for_statement']);

/** Whether a goroutine started here runs for the life of the program anyway: in package main, an init function, or main. */
function programLifetime(statement: Node, ctx: RuleContext): boolean {
  if (ctx.file.packageName === 'main') return true;
  const top = topLevelDeclaration(statement);
  return top.type === 'function_declaration' && top.childForFieldName('name')?.text === 'init';
}

/**
 * The unbuffered channel `name` of the function `outer`, made there (`ch := make(chan T)`), and
 * every other mention of it outside the goroutine literal; undefined when it is made elsewhere, with
 * a buffer, or declared more than once.
 */
function localChannel(outer: Node, literal: Node, name: string): { made: Node; mentions: Node[] } | undefined {
  const body = outer.childForFieldName('body');
  if (!body) return undefined;
  let made: Node | undefined;
  let declarations = 0;
  const mentions: Node[] = [];
  walkDescendants(
    body,
    (n) => {
      if (n.id === literal.id) return false;
      if (n.type === 'identifier') {
        if (n.text === name) mentions.push(n);
        return true;
      }
      // A binding of the name: `ch := make(chan T)`, `var ch = make(chan T)`.
      const binding = bindingFor(n, name);
      if (!binding) return true;
      // `ch = make(...)` assigns a variable declared elsewhere (a package variable others service).
      declarations += n.type === 'assignment_statement' ? 2 : 1;
      if (isUnbufferedMake(binding.value)) made = binding.value;
      return true;
    },
    BINDING_AND_NAMES,
  );
  if (!made || declarations !== 1) return undefined;
  // Not the binding's own name.
  return { made, mentions: mentions.filter((m) => !(m.startIndex >= made!.parent!.parent!.startIndex && m.endIndex <= made!.startIndex)) };
}

const BINDING_AND_NAMES = new Set(['identifier', 'short_var_declaration', 'var_spec', 'assignment_statement', 'func_literal']);

/**
 * The select case a receive is the communication of (`case v := <-ch:`), when another case of that
 * select returns: the function can return without the receive.
 */
function receiveSkippableBy(receive: Node, outer: Node): Node | undefined {
  const n = communicationCaseOf(receive);
  if (!n || enclosingFunction(n)?.id !== outer.id) return undefined;
  for (const other of n.parent?.namedChildren ?? []) {
    if (!other || other.id === n.id || (other.type !== 'communication_case' && other.type !== 'default_case')) continue;
    const statements = other.namedChildren.find((c) => c?.type === 'statement_list')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
    const last = statements[statements.length - 1];
    // A return: the function goes on without the value. (A case that fails a test or ends the program
    // leaves no one to care about the goroutine.)
    if (last?.type === 'return_statement') return other;
  }
  return undefined;
}

export const goroutineNoExit: Rule = {
  meta: {
    code: 'GR204',
    name: 'goroutine-no-exit',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A goroutine that can never end: an endless loop with no way out, or a send or receive on a channel nobody will service.',
    proverb: proverbs.goroutineLifetime,
    fixable: false,
    example: {
      bad: 'func fetch(ctx context.Context) (Result, error) {\n\tch := make(chan Result)\n\tgo func() { ch <- slowFetch() }()\n\tselect {\n\tcase r := <-ch:\n\t\treturn r, nil\n\tcase <-ctx.Done():\n\t\treturn Result{}, ctx.Err() // the goroutine blocks on its send forever\n\t}\n}',
      good: 'func fetch(ctx context.Context) (Result, error) {\n\tch := make(chan Result, 1) // the send always completes\n\tgo func() { ch <- slowFetch() }()\n\tselect {\n\tcase r := <-ch:\n\t\treturn r, nil\n\tcase <-ctx.Done():\n\t\treturn Result{}, ctx.Err()\n\t}\n}',
    },
    docs: `## What it flags
A goroutine started with \`go func() { ... }()\` that can never end:
- its body has an endless \`for {\` loop with no way out: no \`return\`, no \`break\` that leaves the loop, no \`goto\`,
  no \`panic\` or \`runtime.Goexit\` (so no \`case <-ctx.Done(): return\` or done-channel case either); the finding is on
  the \`for\`;
- or it sends on (or receives from) an unbuffered channel the enclosing function made (\`ch := make(chan T)\`) that
  nothing else services: nobody receives from it (or sends on it) at all, or the only receive is a \`select\` case
  beside another case that returns, so the function can return first and leave the goroutine blocked for good; the
  finding is on the goroutine's send or receive.

## Why
A goroutine that never ends is a leak: its stack, everything it references, and whatever it holds open stay for
the life of the process, one more on every call. Every goroutine should have a way to be told to stop (a context,
a done channel) and every send should have someone to receive it. The timeout case is the classic: after
\`ctx.Done()\` wins the select, nobody will ever receive the result, and the unbuffered send blocks forever; a buffer of
one lets it complete and the goroutine end.

## Bad
\`\`\`go
func fetch(ctx context.Context) (Result, error) {
	ch := make(chan Result)
	go func() { ch <- slowFetch() }()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err() // the goroutine blocks on its send forever
	}
}
\`\`\`

## Good
\`\`\`go
func fetch(ctx context.Context) (Result, error) {
	ch := make(chan Result, 1) // the send always completes
	go func() { ch <- slowFetch() }()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}
\`\`\`

## Left alone
- Goroutines in package \`main\` and in \`init\` functions: they run for the life of the program by design.
- Test files: tests start goroutines that block on purpose (the runtime's own channel tests), and a test's timeout
  case (\`case <-time.After(d): t.Fatal(...)\`) fails the test anyway; goleak is the tool for leaks in tests.
- Endless loops that return, break out (a labeled break counts, wherever it points), \`goto\`, panic or exit.
- A send or receive that is a \`select\` case (\`case ch <- v:\` beside \`case <-ctx.Done():\`): it has a way out.
- Channels with a buffer, channels made elsewhere (a parameter, a field, a package variable), and channels the
  function hands to a call, stores, returns, closes, binds more than once or assigns (\`ch = make(...)\` sets a
  variable declared elsewhere): someone else may service them.
- A receive in a \`select\` whose other cases do not end in \`return\` (they go on with the function, or panic, or end
  the program, after which nobody cares about the goroutine).
- Goroutines that call a named function (\`go s.loop()\`): its body is not read.
- Generated files, as for every rule.

## Approximations
An endless loop that only ends when a call inside it panics or exits the program through a function of its own
(\`fatal(err)\`) is taken as endless. A channel's services are counted in the function that made it; a receive in
another goroutine literal of that function counts as service.

## Links
- [Go Concurrency Patterns: Pipelines and cancellation](https://go.dev/blog/pipelines)
- [Go Concurrency Patterns: Context](https://go.dev/blog/context)`,
  },
  anchors: {
    // `go func` as gofmt writes it: "go" alone is in too many words to search for cheaply.
    text: () => ['go func'],
    nodeTypes: ['go_statement'],
  },
  visit(statement: Node, ctx) {
    const call = statement.namedChildren.find((c) => c?.type === 'call_expression');
    const literal = call?.childForFieldName('function');
    const body = literal?.type === 'func_literal' ? literal.childForFieldName('body') : undefined;
    if (!literal || !body || ctx.file.isTestFile || programLifetime(statement, ctx)) return;
    for (const loop of endlessLoops(body)) {
      ctx.report({
        node: loop.child(0) ?? loop,
        message: 'this goroutine loops forever: nothing in the loop returns or breaks out, so it can never be stopped; select on ctx.Done() or a done channel and return',
      });
    }
    const outer = enclosingFunction(statement);
    if (!outer) return;
    // The goroutine's own sends and receives on channels of the function around it.
    const ops: Node[] = [];
    walkDescendants(
      body,
      (n) => {
        if (n.type === 'func_literal') return false;
        const channel = n.type === 'send_statement' ? n.childForFieldName('channel') : n.childForFieldName('operand');
        if (n.type === 'send_statement' || n.childForFieldName('operator')?.text === '<-') {
          // A select case (`case ch <- v:` beside `case <-ctx.Done():`) has a way out.
          if (channel?.type === 'identifier' && !communicationCaseOf(n) && !ops.some((o) => o.text === channel.text)) ops.push(channel);
        }
        return true;
      },
      CHANNEL_OPS,
    );
    for (const channel of ops) checkServiced(channel, literal, outer, ctx);
  },
};

const CHANNEL_OPS = new Set(['func_literal', 'send_statement', 'unary_expression']);

/** Whether a function literal declares `name` itself (`ch := ...`, `var ch ...`). */
function declaresInside(literal: Node, name: string): boolean {
  let found = false;
  walkDescendants(
    literal,
    (n) => {
      if (!found && declaresName(n, name)) found = true;
      return !found;
    },
    DECLARATIONS,
  );
  return found;
}

const DECLARATIONS = new Set(['short_var_declaration', 'var_spec']);

/** Reports the goroutine's operation on `channel` when the function that made the channel will not service it. */
function checkServiced(channel: Node, literal: Node, outer: Node, ctx: RuleContext): void {
  const name = channel.text;
  // Declared inside the goroutine, or a parameter of it: not the outer function's channel.
  if (parametersOf(literal).some((p) => p.name?.text === name) || declaresInside(literal, name)) return;
  const local = localChannel(outer, literal, name);
  if (!local) return;
  const sends = channelUse(channel) === 'send';
  const wanted: ChannelUse = sends ? 'receive' : 'send';
  // Handed to a call, closed, stored, returned: someone else may service it.
  if (local.mentions.some((m) => channelUse(m) === 'other')) return;
  const services = local.mentions.filter((m) => channelUse(m) === wanted);
  const operation = sends ? `sends on ${name}` : `receives from ${name}`;
  if (services.length === 0) {
    ctx.report({
      node: channel.parent ?? channel,
      message: `this goroutine ${operation}, an unbuffered channel made on line {line} that the function never ${sends ? 'receives from' : 'sends on'}: it blocks forever; ${sends ? 'receive the value, or give the channel a buffer' : 'send on it or close it, or stop the goroutine another way'}`,
      related: [{ start: local.made.startIndex, end: local.made.endIndex, message: `${name} is made without a buffer here` }],
    });
    return;
  }
  if (!sends || services.length !== 1 || enclosingFunction(services[0]!)?.id !== outer.id) return;
  const other = receiveSkippableBy(services[0]!, outer);
  if (!other) return;
  ctx.report({
    node: channel.parent ?? channel,
    message: `this goroutine sends on ${name}, an unbuffered channel whose only receive is a select case beside one that returns (line {line}): when that case wins, the send blocks forever; make the channel with a buffer of 1 so the send always completes`,
    related: [{ start: other.startIndex, end: other.endIndex, message: 'the function can return here without receiving' }],
  });
}
