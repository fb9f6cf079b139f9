// GR210 context-in-struct: a named struct field of type context.Context. A context is the scope of
// one call; kept in a struct it outlives that call, and the methods reading it cannot be given
// another one.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { declaredBy } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { contextNames, isCancelFuncType, isContextType } from './contextSyntax';
import { proverbs } from './proverbs';

/** A field holding a cancel function: `context.CancelFunc`, or a `func()` named like one (`cancel func()`). */
/**
 * Words that name a value living for one operation: a struct whose name has one of them as a word
 * (`clientHandshakeState`, `ResultReader`, `watchRequest`, `serverConn`) is taken for one.
 */
const PER_OPERATION_WORDS = new Set([
  'request', 'req', 'response', 'resp', 'state', 'info', 'call', 'stream', 'txn', 'tx', 'transaction', 'rows', 'result',
  'results', 'reader', 'writer', 'closer', 'options', 'opts', 'config', 'params', 'entry', 'cmd', 'command', 'op',
  'operation', 'handshake', 'conn',
]);

/** Whether a type's name has one of PER_OPERATION_WORDS as a word (camelCase or snake_case, any case). */
function isPerOperation(typeName: string): boolean {
  const words = typeName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_]+/);
  return words.some((w) => PER_OPERATION_WORDS.has(w.toLowerCase()));
}

function holdsCancel(field: Node, imports: ImportTable): boolean {
  const type = field.childForFieldName('type');
  if (isCancelFuncType(type, imports)) return true;
  return type?.text.replace(/\s+/g, '') === 'func()' && field.childrenForFieldName('name').some((n) => n !== null && /cancel|stop/i.test(n.text));
}

export const contextInStruct: Rule = {
  meta: {
    code: 'GR210',
    name: 'context-in-struct',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A struct type declares a field of type context.Context.',
    proverb: proverbs.contextParameter,
    fixable: false,
    example: {
      bad: 'type Client struct {\n\tctx  context.Context\n\thttp *http.Client\n}\n\nfunc (c *Client) Get(url string) (*http.Response, error)',
      good: 'type Client struct {\n\thttp *http.Client\n}\n\nfunc (c *Client) Get(ctx context.Context, url string) (*http.Response, error)',
    },
    docs: `## What it flags
A named field of type \`context.Context\` in a struct type declaration (\`type Client struct { ctx context.Context }\`),
at package level or inside a function. The finding is on the field's name.

## Why
A context carries the deadline, the cancellation and the values of one call. Stored in a struct, it is shared by
every method call on the value, long after the call that created it has returned: a caller cannot give one method
a shorter deadline, cancellation of one request reaches the next, and a reader cannot see which context a method
uses. The context package asks for contexts to be passed explicitly, as the first parameter of each function that
needs one.

## Bad
\`\`\`go
type Client struct {
	ctx  context.Context
	http *http.Client
}

func (c *Client) Get(url string) (*http.Response, error)
\`\`\`

## Good
\`\`\`go
type Client struct {
	http *http.Client
}

func (c *Client) Get(ctx context.Context, url string) (*http.Response, error)
\`\`\`

## Fix
None: the methods that read the field must take a parameter instead, and their callers must pass one.

## Left alone
- A struct that also holds the context's cancel function (\`ctx context.Context; cancel context.CancelFunc\`, or a
  \`func()\` field named for cancelling or stopping): it
  owns a context of its own, made for its lifetime (a background worker, a connection, a watcher) and cancelled by
  its Close or Stop, which is the accepted way for a long-lived value to tell its goroutines to stop.
- A struct that embeds \`context.Context\` (\`type valueCtx struct { context.Context; ... }\`): the struct is itself a
  context that wraps another, the pattern the context package uses, and its other context fields are part of the
  wrapping (the standard library's \`onlyValuesCtx\` keeps the values of one context and the lifetime of another).
- A type declared with the methods of a context (\`Done\` and \`Deadline\`, in any file of the package): an
  implementation of one, such as a context detached from its parent's cancellation, made of the contexts it holds.
- A struct named as a value that lives for one operation, which carries that operation's context the way
  \`http.Request\` does (the exception "Contexts and structs" makes): one of the words request, req, response, resp,
  state, info, call, stream, txn, tx, transaction, rows, result(s), reader, writer, closer, options, opts, config,
  params, entry, cmd, command, op, operation, handshake or conn in its name (\`clientHandshakeState\`,
  \`ResultReader\`, \`watchRequest\`, \`serverConn\`).
- A type with a \`Context()\` method (in any file of the package): it hands its context out by design, as
  \`http.Request\` and grpc's streams do. A type with a \`Read\` or \`Write\` method: an io adapter (a response body
  wrapper, a large object over a transaction) whose methods cannot take a context, so the context of the operation
  it serves travels with it.
- A field named as a test hook (\`testContext\`), set only by tests.
- Pointers to contexts and other types that merely mention one (\`func() context.Context\`).
- \`_test.go\` files: test tables list a context per case (\`{name: "cancelled", ctx: cancelled}\`) on purpose.
- A struct that is a call's arguments gathered in one value, passed to a single function and dropped (a
  goroutine's or a callback's parameters), is still flagged: a function parameter says the same more plainly. Turn
  the rule off for such a package if that is its style.
- Generated files, as for every rule.

## Approximations
\`context\` is recognised through the file's imports, aliases included; a type alias of \`context.Context\` declared
in the package is not followed. Whether a value lives for one operation or for long is read from its name, which is
a guess: a long-lived \`requestQueue\` is left alone, and a per-call value with another name is flagged.

## Links
- [Package context](https://pkg.go.dev/context)
- [Contexts and structs (The Go Blog)](https://go.dev/blog/context-and-structs)
- peer: golangci-lint containedctx`,
  },
  appliesTo: (file) => !file.isTestFile && contextNames(file).length > 0,
  anchors: { text: () => ['struct'], nodeTypes: ['struct_type'] },
  visit(struct: Node, ctx) {
    // A named type's struct, or an anonymous struct type: the fields are read either way.
    const fields = struct.namedChildren.find((c) => c?.type === 'field_declaration_list')?.namedChildren ?? [];
    // A struct that also keeps the context's cancel function owns that context: the lifetime of a
    // background worker or a connection, not a caller's request.
    if (fields.some((f) => f?.type === 'field_declaration' && holdsCancel(f, ctx.file.imports))) return;
    // A struct that embeds a context is itself a context wrapping others: its context fields are
    // what it is made of (net's onlyValuesCtx keeps the values of one and the lifetime of another).
    if (fields.some((f) => f?.type === 'field_declaration' && !f.childForFieldName('name') && isContextType(f.childForFieldName('type'), ctx.file.imports))) return;
    // A type with the methods of a context is an implementation of one (a detached or value-only
    // context): the contexts it holds are what it is made of.
    const name = declaredBy(struct)?.childForFieldName('name')?.text;
    if (name && ctx.pkg.get(`m:${name}.Done`) !== undefined && ctx.pkg.get(`m:${name}.Deadline`) !== undefined) return;
    // A value that lives for one operation (a request, a transaction, a stream, a handshake's state,
    // the options of one call) carries that operation's context, as http.Request does.
    if (name && isPerOperation(name)) return;
    // A type that hands its context out through a Context() method carries it by design (as
    // http.Request and grpc's streams do); one with a Read or Write method is an io adapter, whose
    // methods cannot take a context, so the context of the operation it serves has to travel with it.
    if (name && (ctx.pkg.get(`m:${name}.Context`) !== undefined || ctx.pkg.get(`m:${name}.Read`) !== undefined || ctx.pkg.get(`m:${name}.Write`) !== undefined)) return;
    for (const field of fields) {
      if (field?.type !== 'field_declaration') continue;
      const name = field.childForFieldName('name');
      if (!name || !isContextType(field.childForFieldName('type'), ctx.file.imports)) continue;
      // A test hook (`testContext`), set by tests only.
      if (/^test[A-Z]/.test(name.text)) continue;
      ctx.report({
        node: name,
        message: `struct field ${name.text} holds a context.Context, which then outlives the call it belongs to: pass the context as the first parameter of the methods that need it`,
      });
    }
  },
};
