// GR208 close-by-receiver: close(ch) in a function that only receives from ch. Closing tells the
// receivers that no more values will come, so it is the sender's to do: a sender that is still
// running panics on its next send ("send on closed channel").
import type { Node } from 'web-tree-sitter';
import { callArguments, enclosingFunction, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { parameterNamed } from './contextSyntax';
import { channelUse } from './channelSyntax';
import { proverbs } from './proverbs';


/**
 * Whether the function only receives from the channel, in the same function literal as the close:
 * every mention of the name in its body is a receive (`<-ch`, `range ch`, a select case), the close
 * itself, or `len`/`cap`. Anything else (a send, handing it to a call, storing it, declaring the name
 * again) means someone else may send on it, or it is not the parameter. A close in one literal and
 * receives only in another (a handler that signals, a goroutine that waits) is a signal, not this.
 */
function onlyReceives(body: Node, name: string, close: Node): boolean {
  const closer = enclosingFunction(close);
  let receives = 0;
  let other = false;
  walkDescendants(
    body,
    (n) => {
      if (other) return false;
      if (n.text !== name) return true;
      const parent = n.parent;
      if (!parent) return true;
      if (channelUse(n) === 'receive') {
        if (enclosingFunction(n)?.id === closer?.id) receives++;
      } else if (parent.type === 'argument_list' && parent.parent?.id === close.id) return true;
      else if (parent.type === 'argument_list' && /^(?:len|cap)$/.test(parent.parent?.childForFieldName('function')?.text ?? '')) return true;
      else other = true;
      return !other;
    },
    IDENTIFIERS,
  );
  return !other && receives > 0;
}

/**
 * Whether the function waits for something else before the close: a receive from another channel
 * (`case <-done: close(vals)`) or a `Wait()`. The senders may have finished by then, and the
 * function then closes as the owner does; the syntax cannot tell, so the rule says nothing.
 */
function synchronisedBefore(fn: Node, name: string, close: Node): boolean {
  let found = false;
  walkDescendants(
    fn,
    (n) => {
      if (found || n.startIndex >= close.startIndex) return false;
      if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '<-' && n.childForFieldName('operand')?.text !== name) found = true;
      else if (n.type === 'call_expression' && /\.Wait$/.test(n.childForFieldName('function')?.text ?? '')) found = true;
      return !found;
    },
    WAITS,
  );
  return found;
}

const WAITS = new Set(['unary_expression', 'call_expression']);
const IDENTIFIERS = new Set(['identifier']);

export const closeByReceiver: Rule = {
  meta: {
    code: 'GR208',
    name: 'close-by-receiver',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'close(ch) in a function that only receives from ch: closing is the sender\'s job.',
    proverb: proverbs.closeBySender,
    fixable: false,
    example: {
      bad: 'func consume(jobs chan Job) {\n\tfor job := range jobs {\n\t\tif job.Last {\n\t\t\tclose(jobs) // the producer panics on its next send\n\t\t\treturn\n\t\t}\n\t\trun(job)\n\t}\n}',
      good: 'func consume(jobs <-chan Job, stop chan<- struct{}) {\n\tfor job := range jobs {\n\t\tif job.Last {\n\t\t\tclose(stop) // tell the producer; it closes jobs\n\t\t\treturn\n\t\t}\n\t\trun(job)\n\t}\n}',
    },
    docs: `## What it flags
\`close(ch)\` where everything the closing function does with \`ch\` is receive from it (\`<-ch\`, \`range ch\`, a
\`select\` case), apart from \`len\`/\`cap\` and the close itself, and either
- \`ch\` is a parameter of the function (or of a function around it) declared \`chan T\`, or
- the closing function is a function literal (a goroutine, a callback) and the code around it sends on \`ch\` and does
  not receive from it (\`ch <- v\` in the same declaration, outside the literal): the receiving side closes what the
  other sends on.

The finding is on the call.

## Why
Closing a channel says "no more values will be sent". Only a sender can know that: when a receiver closes, any
sender still running panics on its next send, and two receivers that both close panic on the second close. The
receiving side asks the sender to stop through another channel (a \`done\` or \`stop\` channel the sender selects on,
or a context), and the sender closes the channel it sends on when it is finished.

## Bad
\`\`\`go
func consume(jobs chan Job) {
	for job := range jobs {
		if job.Last {
			close(jobs) // the producer panics on its next send
			return
		}
		run(job)
	}
}
\`\`\`

## Good
\`\`\`go
func consume(jobs <-chan Job, stop chan<- struct{}) {
	for job := range jobs {
		if job.Last {
			close(stop) // tell the producer; it closes jobs
			return
		}
		run(job)
	}
}
\`\`\`

Declaring the parameter receive-only (\`<-chan Job\`) also lets the compiler reject the close.

## Left alone
- A function that also sends on the channel, passes it to another function (which may be the sender), stores it,
  or declares the name again: it may be the channel's owner.
- A close after the function waited for something else: a receive from another channel (\`case <-done: close(vals)\`)
  or a \`Wait()\`. The senders may be finished by then (the owner's pattern); the syntax cannot tell.
- A channel the code around the literal both sends on and receives from: a handshake (send "stop", then wait for
  the close that says "stopped", or a token passed back and forth), where either side may close.
- A close in one function literal while the receives are in another (an HTTP handler closes \`done\`, a goroutine
  waits on it): that close is the signal, sent by the side that knows.
- Channels the function makes itself (the owner may close a channel it made once its senders are done), fields and
  package variables (who sends on them is not visible in the function), and \`chan<- T\` parameters (send-only:
  the function is a sender).
- Generated files, as for every rule.

## Approximations
A mention of the name counts as the parameter wherever it is; a function that declares the same name again
(a local \`ch\`) is left alone rather than told apart.

## Links
- [The Go Programming Language Specification: Close](https://go.dev/ref/spec#Close)
- [Go Concurrency Patterns: Pipelines and cancellation](https://go.dev/blog/pipelines)`,
  },
  anchors: {
    text: () => ['close('],
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    if (call.childForFieldName('function')?.text !== 'close') return;
    const args = callArguments(call);
    const channel = args[0];
    if (args.length !== 1 || channel?.type !== 'identifier') return;
    const name = channel.text;
    const declared = parameterNamed(call, name);
    if (!declared) {
      checkClosingLiteral(call, name, ctx);
      return;
    }
    // `chan T` only: `chan<- T` is a sender's, and `<-chan T` cannot be closed (the compiler says so).
    const type = declared.param.type;
    if (type?.type !== 'channel_type' || !/^chan(?!\s*<-)/.test(type.text)) return;
    const body = declared.fn.childForFieldName('body');
    if (!body || !onlyReceives(body, name, call) || synchronisedBefore(body, name, call)) return;
    ctx.report({
      node: call,
      message: `close(${name}) in a function that only receives from ${name}: closing is the sender's job, and a sender still running panics on its next send; ask the sender to stop (a done channel or a context) and let it close ${name}, or declare the parameter <-chan so the compiler rejects the close`,
    });
  },
};

/**
 * A function literal (a goroutine, a callback) that only receives from a channel of the function
 * around it and closes it, while the code around it only sends on it: the receiving side closes
 * what another side sends on.
 */
function checkClosingLiteral(call: Node, name: string, ctx: RuleContext): void {
  const literal = enclosingFunction(call);
  const body = literal?.type === 'func_literal' ? literal.childForFieldName('body') : undefined;
  if (!literal || !body || !onlyReceives(body, name, call) || synchronisedBefore(body, name, call)) return;
  // The code around must send and not receive: a channel both sides send and receive on is a
  // handshake (send "stop", wait for the close as "stopped"), where either side may close.
  let send: Node | undefined;
  let receives = false;
  walkDescendants(
    topLevelDeclaration(call),
    (n) => {
      if (receives || n.id === literal.id) return false;
      if (n.type === 'send_statement' && n.childForFieldName('channel')?.text === name) send ??= n;
      else if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '<-' && n.childForFieldName('operand')?.text === name) receives = true;
      else if (n.type === 'range_clause' && n.childForFieldName('right')?.text === name) receives = true;
      return !receives;
    },
    SENDS,
  );
  if (!send || receives) return;
  ctx.report({
    node: call,
    message: `close(${name}) where this function literal only receives from ${name}, while the code around it sends on it (line {line}): a send after the close panics; let the sender close ${name}, and stop the receiver another way (a done channel or a context)`,
    related: [{ start: send.startIndex, end: send.endIndex, message: `${name} is sent on here` }],
  });
}

const SENDS = new Set(['func_literal', 'send_statement', 'unary_expression', 'range_clause']);
