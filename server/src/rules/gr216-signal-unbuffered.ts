// GR216 signal-unbuffered: signal.Notify on a channel made without a buffer. The signal package
// sends without blocking: a signal that arrives while nobody is receiving is dropped.
import type { Node } from 'web-tree-sitter';
import { callArguments, calleeOf, enclosingFunction, walkDescendants } from '../engine/syntax';
import type { Rule, TextEdit } from '../engine/types';
import { proverbs } from './proverbs';

/** `make(chan T)` or `make(chan T, 0)`: a channel without a buffer. */
function isUnbufferedMake(node: Node | null | undefined): boolean {
  if (!node || node.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'make') return false;
  const args = callArguments(node);
  if (args.length === 0 || args[0]!.type !== 'channel_type') return false;
  return args.length === 1 || (args.length === 2 && args[1]!.text === '0');
}

/** The `make(chan ...)` that last bound `name` before `before` in the function body, when it is unbuffered. */
function unbufferedBinding(body: Node, name: string, before: number): Node | undefined {
  let last: Node | undefined;
  let lastIsUnbuffered = false;
  walkDescendants(
    body,
    (n) => {
      if (n.startIndex >= before) return false;
      const left = n.type === 'var_spec' ? n.childrenForFieldName('name') : n.childForFieldName('left')?.namedChildren ?? [];
      const right = n.type === 'var_spec' ? n.childForFieldName('value')?.namedChildren ?? [] : n.childForFieldName('right')?.namedChildren ?? [];
      const index = left.findIndex((l) => l?.type === 'identifier' && l.text === name);
      if (index < 0) return true;
      const value = right.filter((r) => r?.type !== 'comment')[index];
      last = value ?? undefined;
      lastIsUnbuffered = isUnbufferedMake(value);
      return true;
    },
    BINDINGS,
  );
  return lastIsUnbuffered ? last : undefined;
}

const BINDINGS = new Set(['short_var_declaration', 'assignment_statement', 'var_spec']);

export const signalUnbuffered: Rule = {
  meta: {
    code: 'GR216',
    name: 'signal-unbuffered',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'signal.Notify is given a channel without a buffer, so a signal can be lost.',
    proverb: proverbs.signalBuffer,
    fixable: true,
    goplsAnalyzer: 'sigchanyzer',
    example: {
      bad: 'sigs := make(chan os.Signal)\nsignal.Notify(sigs, os.Interrupt)\n<-sigs',
      good: 'sigs := make(chan os.Signal, 1)\nsignal.Notify(sigs, os.Interrupt)\n<-sigs',
    },
    docs: `## What it flags
A call \`signal.Notify(c, ...)\` whose channel \`c\` is made without a buffer in the same function
(\`c := make(chan os.Signal)\`, \`var c = make(...)\`, \`c = make(...)\`, the last binding before the call; an explicit
capacity of 0 counts as none).

## Why
The signal package never blocks to deliver a signal: if the channel cannot take it at that moment, the signal is
dropped. With an unbuffered channel that is every signal that arrives while the program is not already waiting in
a receive, for instance the Ctrl-C pressed while it starts up or while it handles the previous signal. A buffer of
one is enough for one kind of signal.

## Bad
\`\`\`go
sigs := make(chan os.Signal)
signal.Notify(sigs, os.Interrupt)
<-sigs
\`\`\`

## Good
\`\`\`go
sigs := make(chan os.Signal, 1)
signal.Notify(sigs, os.Interrupt)
<-sigs
\`\`\`

## Fix
Gives the \`make\` a buffer of one: \`make(chan os.Signal, 1)\`. Safe: a buffered channel only keeps a signal the
unbuffered one would have dropped.

## Left alone
- \`signal.Notify(make(chan os.Signal), ...)\`: nobody can receive from that channel, so no signal anyone would see is
  lost (go vet leaves it alone too).
- Channels made with a buffer, and channels that come from elsewhere (a parameter, a field, a package variable):
  their buffer is not visible in the function.
- Generated files, as for every rule.

## Approximations
\`os/signal\` is recognised through the file's imports, aliases included. The binding is the last one written
before the call in the function, whatever the path to it.

## Links
- [signal.Notify](https://pkg.go.dev/os/signal#Notify)
- peer: go vet sigchanyzer`,
  },
  appliesTo: (file) => file.imports.localNamesOf('os/signal').length > 0,
  anchors: {
    text: (file) => file.imports.localNamesOf('os/signal').map((name) => `${name}.`),
    accept: (text, at, anchor) => /^Notify\s*\(/.test(text.slice(at + anchor.length, at + anchor.length + 10)),
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    const callee = calleeOf(call);
    if (callee?.name !== 'Notify' || callee.operand?.type !== 'identifier' || ctx.file.imports.pathOf(callee.operand.text) !== 'os/signal') return;
    const channel = callArguments(call)[0];
    if (!channel) return;
    // `signal.Notify(make(chan os.Signal), ...)`: nobody can receive from it, so no signal is lost
    // that anyone would have seen (go vet's sigchanyzer leaves it alone too).
    let made: Node | undefined;
    if (channel.type === 'identifier') {
      const body = enclosingFunction(call)?.childForFieldName('body');
      made = body ? unbufferedBinding(body, channel.text, call.startIndex) : undefined;
    }
    if (!made) return;
    ctx.report({
      node: channel,
      message: `${channel.text} is unbuffered (made on line {line}): signal.Notify drops a signal that arrives while nobody receives; make it with a buffer of 1`,
      related: [{ start: made.startIndex, end: made.endIndex, message: `${channel.text} is made without a buffer here` }],
      fix: { title: 'Give the channel a buffer of 1', edits: [bufferEdit(made)], safe: true },
    });
  },
};

/** `make(chan T)` -> `make(chan T, 1)`; `make(chan T, 0)` -> `make(chan T, 1)`. */
function bufferEdit(make: Node): TextEdit {
  const args = callArguments(make);
  if (args.length === 2) return { start: args[1]!.startIndex, end: args[1]!.endIndex, newText: '1' };
  return { start: args[0]!.endIndex, end: args[0]!.endIndex, newText: ', 1' };
}
