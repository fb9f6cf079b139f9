// GR216 signal-unbuffered: signal.Notify on a channel made without a buffer. The signal package
// sends without blocking: a signal that arrives while nobody is receiving is dropped.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { callArguments, enclosingFunction, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext, TextEdit } from '../engine/types';
import { isUnbufferedMake } from './channelSyntax';
import { bindingFor } from './declarations';
import { proverbs } from './proverbs';

/**
 * How `name` was last bound before `before` in the function body: `made` is that binding's value
 * when it is an unbuffered `make(chan ...)`; `bound` says whether the body binds it at all.
 */
function lastBinding(body: Node, name: string, before: number): { bound: boolean; made: Node | undefined } {
  let last: Node | undefined;
  let bound = false;
  let lastIsUnbuffered = false;
  walkDescendants(
    body,
    (n) => {
      if (n.startIndex >= before) return false;
      const binding = bindingFor(n, name);
      if (!binding) return true;
      bound = true;
      last = binding.value;
      lastIsUnbuffered = isUnbufferedMake(binding.value);
      return true;
    },
    BINDINGS,
  );
  return { bound, made: lastIsUnbuffered ? last : undefined };
}

const BINDINGS = new Set(['short_var_declaration', 'assignment_statement', 'var_spec']);

/** Node types that can bind a name in a function (conservatively: any of them naming it counts). */
const DECLARING = new Set([...BINDINGS, 'parameter_declaration', 'variadic_parameter_declaration', 'range_clause', 'receive_statement', 'const_spec', 'type_switch_statement']);

/** Whether the top-level declaration binds `name` anywhere (a parameter, a local, a range or select variable). */
function bindsAnywhere(declaration: Node, name: string): boolean {
  let found = false;
  walkDescendants(
    declaration,
    (n) => {
      if (found) return false;
      const names =
        n.type === 'var_spec' || n.type === 'const_spec' || n.type === 'parameter_declaration' || n.type === 'variadic_parameter_declaration'
          ? n.childrenForFieldName('name')
          : n.type === 'type_switch_statement'
            ? n.childForFieldName('alias')?.namedChildren ?? []
            : n.childForFieldName('left')?.namedChildren ?? [];
      if (names.some((l) => l?.type === 'identifier' && l.text === name)) found = true;
      return !found;
    },
    DECLARING,
  );
  return found;
}

/** `signal.Notify` itself (the call's function, or the value bound to a name). */
function isNotify(node: Node | null | undefined, imports: ImportTable): boolean {
  if (node?.type !== 'selector_expression' || node.childForFieldName('field')?.text !== 'Notify') return false;
  const operand = node.childForFieldName('operand');
  return operand?.type === 'identifier' && imports.pathOf(operand.text) === 'os/signal';
}

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
capacity of 0 counts as none), or is a package variable made without a buffer (\`var sigs = make(chan os.Signal)\`,
in any file of the package) that the function does not declare again. A call through a variable holding the
function (\`notify := signal.Notify\`, then \`notify(c, ...)\`) counts too.

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
- Channels made with a buffer, and channels that come from elsewhere (a parameter, a field, another package, a
  package variable whose value is not a \`make\`): their buffer is not visible.
- Generated files, as for every rule.

## Approximations
\`os/signal\` is recognised through the file's imports, aliases included. The binding is the last one written
before the call in the function, whatever the path to it. The fix changes a \`make\` in the same function; a package
variable's finding has none (its declaration may be in another file).

## Links
- [signal.Notify](https://pkg.go.dev/os/signal#Notify)
- peer: go vet sigchanyzer`,
  },
  appliesTo: (file) => file.imports.localNamesOf('os/signal').length > 0,
  anchors: {
    text: (file) => file.imports.localNamesOf('os/signal').map((name) => `${name}.`),
    // A call `signal.Notify(...)`, or the function taken as a value (`notify := signal.Notify`).
    accept: (text, at, anchor) => /^Notify(?!\w)/.test(text.slice(at + anchor.length, at + anchor.length + 7)),
    nodeTypes: ['call_expression', 'short_var_declaration', 'assignment_statement', 'var_spec'],
  },
  visit(node: Node, ctx) {
    if (node.type === 'call_expression') {
      if (isNotify(node.childForFieldName('function'), ctx.file.imports)) checkNotify(node, ctx);
      return;
    }
    // `notify := signal.Notify`: the calls of `notify` that this binding reaches.
    const left = node.type === 'var_spec' ? node.childrenForFieldName('name') : node.childForFieldName('left')?.namedChildren ?? [];
    const body = enclosingFunction(node)?.childForFieldName('body');
    if (!body) return;
    left.forEach((name) => {
      if (name?.type !== 'identifier' || !isNotify(bindingFor(node, name.text)?.value, ctx.file.imports)) return;
      walkDescendants(
        body,
        (call) => {
          if (call.startIndex < node.endIndex) return call.endIndex > node.endIndex;
          const fn = call.childForFieldName('function');
          if (fn?.type === 'identifier' && fn.text === name.text && !reboundBetween(body, name.text, node.endIndex, call.startIndex)) checkNotify(call, ctx);
          return true;
        },
        CALLS,
      );
    });
  },
};

const CALLS = new Set(['call_expression']);

/** Whether `name` is bound again in the body between two offsets. */
function reboundBetween(body: Node, name: string, from: number, to: number): boolean {
  let found = false;
  walkDescendants(
    body,
    (n) => {
      if (found || n.startIndex >= to) return false;
      if (n.endIndex <= from) return false;
      if (n.startIndex >= from && bindingFor(n, name)) found = true;
      return !found;
    },
    BINDINGS,
  );
  return found;
}

/** A call of signal.Notify (directly or through a variable holding it): is its channel unbuffered? */
function checkNotify(call: Node, ctx: RuleContext): void {
  const channel = callArguments(call)[0];
  // `signal.Notify(make(chan os.Signal), ...)`: nobody can receive from it, so no signal is lost
  // that anyone would have seen (go vet's sigchanyzer leaves it alone too).
  if (channel?.type !== 'identifier') return;
  const body = enclosingFunction(call)?.childForFieldName('body');
  if (!body) return;
  const { bound, made } = lastBinding(body, channel.text, call.startIndex);
  if (made) {
    ctx.report({
      node: channel,
      message: `${channel.text} is unbuffered (made on line {line}): signal.Notify drops a signal that arrives while nobody receives; make it with a buffer of 1`,
      related: [{ start: made.startIndex, end: made.endIndex, message: `${channel.text} is made without a buffer here` }],
      fix: { title: 'Give the channel a buffer of 1', edits: [bufferEdit(made)], safe: true },
    });
    return;
  }
  // A package variable made without a buffer (`var sigs = make(chan os.Signal)`), in this file or
  // another of the package, when nothing in the declaration binds the name itself. No fix: the
  // variable's declaration is outside the one this finding belongs to.
  if (bound || bindsAnywhere(topLevelDeclaration(call), channel.text) || ctx.pkg.get(`c:${channel.text}`) !== '0') return;
  ctx.report({
    node: channel,
    message: `${channel.text} is a package variable made without a buffer: signal.Notify drops a signal that arrives while nobody receives; make it with a buffer of 1`,
  });
}

/** `make(chan T)` -> `make(chan T, 1)`; `make(chan T, 0)` -> `make(chan T, 1)`. */
function bufferEdit(make: Node): TextEdit {
  const args = callArguments(make);
  if (args.length === 2) return { start: args[1]!.startIndex, end: args[1]!.endIndex, newText: '1' };
  return { start: args[0]!.endIndex, end: args[0]!.endIndex, newText: ', 1' };
}
