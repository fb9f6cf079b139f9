// GR209 lost-cancel: the cancel function of context.WithCancel/WithTimeout/WithDeadline (and
// their Cause variants) discarded with `_`, never called, or skipped by a return on some path.
// The paths come from the control-flow view (engine/controlFlow.ts).
import type { Node } from 'web-tree-sitter';
import { mentionsName, uncoveredExitsAfter, usesName } from '../engine/controlFlow';
import type { FileFacts } from '../engine/fileFacts';
import { calleeOf, enclosingFunction, walkDescendants } from '../engine/syntax';
import type { Rule, TextEdit } from '../engine/types';
import { deletionRange, insertLineAfter } from '../fixes/statementEdits';
import { contextNames, parameterList } from './contextSyntax';
import { assignmentSides, declaresName } from './declarations';
import { proverbs } from './proverbs';

/** The context functions that return a cancel function as their second result. */
const WITH_CANCEL = new Set(['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause']);

/** The start of a With* call after the package name, as the anchor's accept() reads it. */
const WITH_CANCEL_CALL = /^With(?:Cancel|Timeout|Deadline)(?:Cause)?\s*\(/;

interface CancelBinding {
  /** The statement: `ctx, cancel := context.WithTimeout(...)` (or `=`). */
  statement: Node;
  /** `context.WithTimeout`, as written. */
  call: string;
  /** The context's name (`ctx`), or undefined when it is not a plain name. */
  context: string | undefined;
  /** The node receiving the cancel function: an identifier (`cancel`, `_`) or something else. */
  cancel: Node;
}

/** The binding a short variable declaration or assignment makes of a With* call's results, if it is one. */
function cancelBinding(node: Node, file: FileFacts): CancelBinding | undefined {
  // `var ctx, cancel = context.WithCancel(parent)`: the spec's names and values; the statement is its declaration.
  const statement = node.type === 'var_spec' ? node.parent : node;
  const sides = assignmentSides(node);
  if (!statement || !sides) return undefined;
  const { targets: names, values } = sides;
  if (names.length !== 2 || values.length !== 1 || values[0]!.type !== 'call_expression') return undefined;
  const callee = calleeOf(values[0]!);
  if (!callee?.operand || callee.operand.type !== 'identifier' || !WITH_CANCEL.has(callee.name)) return undefined;
  if (file.imports.pathOf(callee.operand.text) !== 'context') return undefined;
  const ctx = names[0]!;
  return {
    statement,
    call: `${callee.operand.text}.${callee.name}`,
    context: ctx.type === 'identifier' && ctx.text !== '_' ? ctx.text : undefined,
    cancel: names[1]!,
  };
}

export const lostCancel: Rule = {
  meta: {
    code: 'GR209',
    name: 'lost-cancel',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'The cancel function of context.WithCancel, WithTimeout or WithDeadline is discarded, never called, or skipped by a return.',
    proverb: proverbs.callCancel,
    fixable: true,
    goplsAnalyzer: 'lostcancel',
    example: {
      bad: 'ctx, _ := context.WithTimeout(ctx, time.Second)\nreturn fetch(ctx, url)',
      good: 'ctx, cancel := context.WithTimeout(ctx, time.Second)\ndefer cancel()\nreturn fetch(ctx, url)',
    },
    docs: `## What it flags
The second result of \`context.WithCancel\`, \`WithTimeout\`, \`WithDeadline\` (and their \`Cause\` variants) when
- it is discarded: \`ctx, _ := context.WithTimeout(...)\`;
- it is a variable the function never uses after the call;
- some path from the call reaches a \`return\` (or the end of a function without results) without using it: an
  early \`return err\` placed before the \`defer cancel()\`. The finding names the first such return and points at it.

## Why
A derived context holds resources until it is cancelled: an entry in its parent's list of children and, for
\`WithTimeout\` and \`WithDeadline\`, a timer. Until \`cancel\` is called they live as long as the parent, which for a
server's base context is the life of the process: a slow, silent leak, one context per request. \`defer cancel()\`
right after the call releases them on every path; cancel functions may be called more than once.

## Bad
\`\`\`go
ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
if err := validate(req); err != nil {
	return err // leaks ctx and its timer
}
defer cancel()
\`\`\`

## Good
\`\`\`go
ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
defer cancel()
if err := validate(req); err != nil {
	return err
}
\`\`\`

## Fix
Inserts \`defer cancel()\` on the line after the call (naming the discarded result \`cancel\` first) and removes a
later \`defer cancel()\` of the same block that it makes redundant. The fix is offered only where the call is not
inside a loop (a defer there would keep every iteration's context until the function returns) and the context is
not returned by the function (cancelling it on return would hand the caller a dead context). It is a quick fix, not
applied by fix-all: if the context is stored somewhere and used after the function returns, cancelling it then is
wrong, and only a reader can tell.

## Approximations
The same check as go vet's lostcancel, from the syntax: any mention of the cancel variable counts as a use (a
call, a \`defer\`, handing it to a function or a struct, returning it, a closure that calls it), as it does for
vet. Paths follow the control-flow view shared by the concurrency rules: goto, labeled break and fallthrough end a
path, \`panic\`, \`os.Exit\`, \`log.Fatal\` and \`t.Fatal\` end it without leaking, and a loop's body is followed once.
\`context\` is recognised through the file's imports, aliases included.

## Left alone
- A cancel function that is a named result of the function (every \`return\` hands it to the caller), or that a
  function literal in the function mentions (a closure, a cleanup or a goroutine may call it at any time), as go
  vet's lostcancel assumes too.
- A cancel function stored in a field or an element (\`s.cancel\`, \`cancels[i]\`): its owner calls it later.
- Any use on every path, including handing the function to someone else: who calls it is theirs to decide.
- \`context.WithValue\` and \`WithoutCancel\`, which return no cancel function.
- Generated files, as for every rule.

## Links
- [context.WithCancel](https://pkg.go.dev/context#WithCancel)
- [Go Concurrency Patterns: Context](https://go.dev/blog/context)
- peer: go vet lostcancel (also shown by gopls; see the goRubric.deferToGopls setting)`,
  },
  appliesTo: (file) => contextNames(file).length > 0,
  // `context.` followed by one of the With* names; visit() reads the statement around it.
  anchors: {
    text: (file) => contextNames(file).map((name) => `${name}.`),
    accept: (text, at, anchor) => WITH_CANCEL_CALL.test(text.slice(at + anchor.length, at + anchor.length + 24)),
    nodeTypes: ['short_var_declaration', 'assignment_statement', 'var_spec'],
  },
  visit(statement: Node, ctx) {
    const binding = cancelBinding(statement, ctx.file);
    if (!binding) return;
    const { cancel, call } = binding;
    if (cancel.type !== 'identifier') return; // a field or an element: its owner cancels
    const discarded = cancel.text === '_';
    const name = discarded ? 'cancel' : cancel.text;
    const fn = enclosingFunction(binding.statement);
    const body = fn?.childForFieldName('body');
    if (!fn || !body) return;
    // Returning from main ends the program: nothing is left to leak.
    if (!discarded && ctx.file.packageName === 'main' && fn.type === 'function_declaration' && fn.childForFieldName('name')?.text === 'main') return;
    // `cancel = ...` to a variable of an enclosing function or of the package: its owner calls it.
    if (!discarded && binding.statement.type === 'assignment_statement' && !declaredIn(body, name)) return;
    if (discarded) {
      ctx.report({
        node: cancel,
        message: `the cancel function returned by ${call} is discarded: the context and its resources live until the parent is cancelled; keep it and defer ${name}()`,
        ...fixFor(binding, fn, ctx.file.text),
      });
      return;
    }
    // A named result is handed to the caller by every return; a closure that mentions it may call
    // it at any time (go vet's lostcancel assumes both, too).
    const results = fn.childForFieldName('result');
    if (results?.type === 'parameter_list' && parameterList(results).some((p) => p.name?.text === name)) return;
    if (closureMentions(body, name)) return;
    const exits = uncoveredExitsAfter(binding.statement, usesName(name));
    if (!exits || exits.length === 0) return;
    // Comments aside (a trailing `// cancel later` is not a use): only the message's wording depends on it.
    const usedLater = mentionsName(name)(withoutComments(ctx.file.text.slice(binding.statement.endIndex, body.endIndex)));
    const exit = exits[0]!;
    const where = exit.type === 'return_statement' ? 'the return on line {line}' : 'the end of the function (line {line})';
    ctx.report({
      node: cancel,
      message: usedLater
        ? `${name} is not called on every path: ${where} leaves without it, leaking the context from ${call}; defer ${name}() right after the call`
        : `${name}, from ${call}, is never called: the context leaks until its parent is cancelled; defer ${name}() right after the call`,
      related: [{ start: exit.type === 'return_statement' ? exit.startIndex : exit.endIndex - 1, end: exit.endIndex, message: `leaves without calling ${name}` }],
      ...fixFor(binding, fn, ctx.file.text),
    });
  },
};

/** Whether the function itself (not a literal in it) declares `name`: `name :=`, `var name`, a parameter or result. */
function declaredIn(body: Node, name: string): boolean {
  const fn = body.parent;
  if (fn) {
    const signature = [...parameterList(fn.childForFieldName('parameters')), ...(fn.childForFieldName('result')?.type === 'parameter_list' ? parameterList(fn.childForFieldName('result')) : [])];
    if (signature.some((p) => p.name?.text === name)) return true;
  }
  let found = false;
  walkDescendants(
    body,
    (n) => {
      if (found || n.type === 'func_literal') return false;
      found = declaresName(n, name);
      return !found;
    },
    DECLARATIONS,
  );
  return found;
}

const DECLARATIONS = new Set(['func_literal', 'short_var_declaration', 'var_spec']);

/** Whether a function literal in the body mentions `name`. */
function closureMentions(body: Node, name: string): boolean {
  const mentions = mentionsName(name);
  if (!mentions(withoutComments(body.text))) return false;
  let found = false;
  walkDescendants(
    body,
    (n) => {
      if (found) return false;
      if (mentions(withoutComments(n.text))) found = true;
      return false;
    },
    LITERALS,
  );
  return found;
}

const LITERALS = new Set(['func_literal']);

/** Go source text without its comments (a string holding `//` loses the rest of its line: good enough for name checks). */
function withoutComments(text: string): string {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
}

/** `defer cancel()` after the call, where that cannot change what the function hands out. */
function fixFor(binding: CancelBinding, fn: Node, text: string): { fix: { title: string; edits: TextEdit[]; safe: boolean } } | Record<string, never> {
  const { statement, cancel, context } = binding;
  const discarded = cancel.text === '_';
  const name = discarded ? 'cancel' : cancel.text;
  // In a loop, a defer would keep every iteration's context until the function returns.
  for (let n = statement.parent; n && n.id !== fn.id; n = n.parent) if (n.type === 'for_statement') return {};
  const body = fn.childForFieldName('body')!;
  // Cancelling on return would hand the caller a dead context.
  if (context && returnsName(body, context)) return {};
  // `_` becomes `cancel` only where that declares it (`:=`) and the name is free in the function.
  if (discarded && (statement.type !== 'short_var_declaration' || mentionsName(name)(withoutComments(body.text)))) return {};
  const insert = insertLineAfter(text, statement, `defer ${name}()`);
  if (!insert) return {};
  const edits: TextEdit[] = [insert];
  if (discarded) edits.push({ start: cancel.startIndex, end: cancel.endIndex, newText: name });
  // A later `defer cancel()` of the same block is now redundant.
  for (let s = statement.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type === 'defer_statement' && s.text.replace(/\s+/g, '') === `defer${name}()`) {
      const range = deletionRange(text, s);
      if (range) edits.push({ start: range.start, end: range.end, newText: '' });
      break;
    }
  }
  return { fix: { title: `Add defer ${name}()`, edits, safe: false } };
}

/**
 * Whether the function returns the context itself, or something built around it that outlives
 * the call: `return ctx`, `return &job{ctx: ctx}`, `return context.WithValue(ctx, k, v)`. A call
 * that merely uses it (`return fetch(ctx, url)`) does not count.
 */
function returnsName(body: Node, name: string): boolean {
  const mentions = usesName(name);
  let found = false;
  walkDescendants(
    body,
    (node) => {
      if (found || node.type === 'func_literal') return false;
      const results = node.namedChildren.find((c) => c?.type === 'expression_list')?.namedChildren ?? [];
      found = results.some((result) => {
        if (!result || !mentions(result)) return false;
        const value = result.type === 'unary_expression' ? result.childForFieldName('operand') : result;
        return !value || value.type === 'identifier' || value.type === 'composite_literal' || (value.type === 'call_expression' && /^\w+\.With/.test(value.childForFieldName('function')?.text ?? ''));
      });
      return false;
    },
    RETURNS,
  );
  return found;
}

const RETURNS = new Set(['return_statement', 'func_literal']);
