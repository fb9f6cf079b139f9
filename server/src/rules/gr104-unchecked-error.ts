// GR104 unchecked-error: a call statement drops the error a standard-library function, or a
// function of the package itself, returns.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { callArguments } from '../engine/syntax';
import {
  anchorsErrorFunction,
  drainsToDiscard,
  hasTrailingComment,
  hiddenByLocalName,
  knownElementCall,
  knownMethodCall,
  knownPackageCall,
  knownStdlibCall,
  METHOD_CALLS_APPROXIMATION,
  startsElementStatementCall,
  startsMethodStatementCall,
  startsStatementCall,
  stdlibCallAnchors,
  type KnownCall,
} from './knownCalls';
import { links, proverbs } from './proverbs';

/**
 * Calls whose errors are ignored by convention, after errcheck's default exclusions: printing to
 * standard output, and fmt's Fprint family, whose writer (a buffer, a builder, stderr, an HTTP
 * response) rarely has an error worth handling at that call.
 */
const CONVENTIONALLY_IGNORED = new Set([
  'fmt.Print',
  'fmt.Printf',
  'fmt.Println',
  'fmt.Fprint',
  'fmt.Fprintf',
  'fmt.Fprintln',
  // The same for io.WriteString, fmt.Fprint's plain-string sibling (241 of the standard library's
  // 741 first findings, writing to buffers, builders and HTTP responses).
  'io.WriteString',
  // Documented never to return an error (math/rand.Read), or only the writer's (which the
  // builder and buffer never return).
  'math/rand.Read',
  // Never fails since Go 1.24, and in practice never did on the platforms Go supports; errcheck
  // excludes it too.
  'crypto/rand.Read',
  // Best-effort cleanup, nearly always on a path that is already failing or finishing: removing a
  // temporary file, closing a raw descriptor. In the standard library's sample these were the
  // largest group of unchecked calls, and none was a bug.
  'os.Remove',
  'os.RemoveAll',
  'syscall.Close',
  'syscall.CloseHandle',
  'syscall.Closesocket',
]);

/**
 * A first argument that is a destination whose writes cannot fail or are not checked by
 * convention: the address of a variable (in practice a bytes.Buffer or strings.Builder), standard
 * output or error, or a hash (named so: h, hash, hasher, sha, md5, crc, digest), whose Write never
 * returns an error.
 */
const HASH_NAME = /^(h|hh|hash|hasher|digest|mac|sha\d*|md5|crc\d*)$|(Hash|Hasher|Digest)$/i;

function infallibleDestination(arg: Node | undefined): boolean {
  if (!arg) return false;
  if (arg.type === 'unary_expression' && arg.text.startsWith('&')) return true;
  if (arg.type === 'selector_expression' && /^os\.Std(out|err)$/.test(arg.text)) return true;
  const name = arg.type === 'identifier' ? arg.text : arg.type === 'selector_expression' ? arg.childForFieldName('field')?.text : undefined;
  return name !== undefined && HASH_NAME.test(name);
}

/**
 * Best-effort cleanup among a package's own functions, by name: `Close(fd)` inside syscall,
 * `Remove(name)` inside os (35 of the standard library's 114 first own-package findings), and
 * helpers named so (`closeAll(rcs...)`, `removeAll(dir)`, `consumeAll(r)` on an error path: 3 of
 * the 20 read in the sample after that).
 */
const OWN_CLEANUP = /^(close|remove|consume|drain|cleanup|discard)/i;

/** Methods that mirror fmt's printing, whose errors are ignored by the same convention. */
const PRINT_METHOD = /^(Print|Printf|Println|Fprint|Fprintf|Fprintln)$/;
/** Writes whose receiver is named as an in-memory buffer or a hash (see HASH_NAME): they do not fail. */
const WRITE_METHOD = /^Write(String|Byte|Rune)?$/;
const BUFFER_NAME = /^(b|buf|buffer|builder|sb|w?buf\w*)$|(Buf|Buffer|Builder)$/i;
/** Methods that fail only when misused (unreading twice), as bufio's and fmt's are. */
const UNREAD_METHOD = /^Unread(Rune|Byte)$/;

/** Why an unchecked call of the package's own method `x.m()`, `x` of type `type`, is fine by convention. */
function excusedMethod(call: Node, method: string, type: string): boolean {
  if (PRINT_METHOD.test(method) || UNREAD_METHOD.test(method)) return true;
  if (!WRITE_METHOD.test(method)) return false;
  const receiver = call.childForFieldName('function')?.childForFieldName('operand')?.text ?? '';
  return [receiver, type].some((name) => HASH_NAME.test(name) || BUFFER_NAME.test(name));
}

/** Why an unchecked call is fine, or undefined when it is not. */
function excused(call: Node, known: KnownCall, file: Parameters<typeof drainsToDiscard>[1]): boolean {
  const qualified = `${known.pkgPath}.${known.name}`;
  if (CONVENTIONALLY_IGNORED.has(qualified)) return true;
  if (known.receiverType !== undefined && excusedMethod(call, known.name, known.receiverType)) return true;
  if (known.pkgPath === '' && OWN_CLEANUP.test(known.name)) return true;
  if (drainsToDiscard(call, file)) return true;
  const args = callArguments(call);
  if (infallibleDestination(args[0])) return true;
  // fmt.Scanln() with nothing to scan into waits for Enter.
  if (qualified === 'fmt.Scanln' && args.length === 0) return true;
  // Setenv and Unsetenv fail only for a malformed name, which a literal one is not.
  if ((qualified === 'os.Setenv' || qualified === 'os.Unsetenv') && args[0]?.type === 'interpreted_string_literal') return true;
  return false;
}

export const uncheckedError: Rule = {
  meta: {
    code: 'GR104',
    name: 'unchecked-error',
    phase: 'idioms',
    // The catalog's level is warning. Measured on real code the syntactic version is right about
    // 7 times in 10 (docs/precision/GR104.md), short of the 90% a warning needs, so it ships as
    // information until the package index and method results make it sharper.
    severity: 'information',
    summary: 'A call statement drops the error its function returns.',
    proverb: proverbs.handleErrorsGracefully,
    fixable: false,
    example: {
      bad: 'os.Remove(tmp)',
      good: 'if err := os.Remove(tmp); err != nil {\n\treturn fmt.Errorf("remove %s: %w", tmp, err)\n}',
    },
    docs: `## What it flags
A call used as a statement, its results thrown away, when the function returns an \`error\`: \`os.Remove(tmp)\`,
\`json.Unmarshal(data, &cfg)\`, \`os.Setenv("TZ", "UTC")\`, \`w.Flush()\`... as far as Go Rubric can know the function
(see Approximations).

## Why
An error that is never looked at is a failure nobody hears about: the file was not removed, the config was not
parsed, and the program carries on as if it had been. Handle it, return it with context, or, when ignoring it is
right, say so with \`_ = f()\` and a comment, which GR103 then weighs.

## Bad
\`\`\`go
func reset(path string) {
	os.Remove(path)
	os.WriteFile(path, nil, 0o644)
}
\`\`\`

## Good
\`\`\`go
func reset(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reset %s: %w", path, err)
	}
	return os.WriteFile(path, nil, 0o644)
}
\`\`\`

## Fix
None: what to do with an error is a decision only the author can make.

## Approximations
Without a type checker Go Rubric knows the results of the standard library's exported functions (a table generated
from Go's published API files) and resolves package names through the file's imports, aliases included: \`os.Remove\`
is flagged only when \`os\` is the standard \`os\` and no local variable of that name hides it. Calls of the package's
own functions (\`save(cfg)\`) are looked up in the package summary: the functions declared in the file and, in the
editor and the CLI, in the package's other files (a \`_test.go\` file's functions count only for tests); a local
variable or parameter of the same name hides the function, and two files that declare it differently (build
constraints) leave it unknown. A result of one of the package's own error types (\`func lint() *SyntaxError\`, where
\`SyntaxError\` has an \`Error() string\` method in the package) counts as an error, as errcheck counts any type that
implements \`error\`; whether the method has a pointer receiver is not checked. ${METHOD_CALLS_APPROXIMATION}

## Left alone
- \`defer f()\` and \`go f()\` are hints, not information: their error has nowhere to go without a wrapper, and a
  deferred cleanup is a deliberate pattern (its error is often irrelevant after a read); errcheck reports them, and
  the names of best-effort cleanups (\`os.Remove\`, the package's own \`close\`/\`cleanup\` functions) stay unflagged.
- Following errcheck's defaults: \`fmt.Print\`, \`fmt.Printf\`, \`fmt.Println\`, and the \`fmt.Fprint\` family (whose
  writers, buffers, builders, standard error or an HTTP response, seldom have an error to act on at that call);
  \`math/rand.Read\`, documented never to fail, and \`crypto/rand.Read\`, which never fails since Go 1.24 (nor, in
  practice, before).
- Calls whose results are used: assigned, returned, passed on or compared.
- \`io.WriteString\`, for the same reason as \`fmt.Fprint\`.
- Best-effort cleanup: \`os.Remove\`, \`os.RemoveAll\`, \`syscall.Close\`, \`syscall.CloseHandle\`, \`syscall.Closesocket\`, and a
  package's own functions named for cleanup (\`Close(fd)\` inside syscall, \`closeAll(files...)\`, \`removeAll(dir)\`:
  names starting with close, remove, consume, drain, cleanup or discard).
- Draining a reader into \`io.Discard\`.
- The package's own methods that mirror fmt's printing (\`Print\`, \`Printf\`, \`Println\`, \`Fprint*\`), that fail
  only when misused (\`UnreadRune\`, \`UnreadByte\`), and writes (\`Write\`, \`WriteString\`, \`WriteByte\`,
  \`WriteRune\`) to a receiver named, or of a type named, as a buffer, a builder or a hash (\`buf\`, \`digest\`),
  whose writes do not fail.
- Calls whose first argument is a destination whose writes cannot fail or are unchecked by convention: \`&buf\` (the
  address of a variable: in practice a \`bytes.Buffer\` or \`strings.Builder\`), \`os.Stdout\`, \`os.Stderr\`, or a hash
  (by its name: \`h\`, \`hash\`, \`hasher\`, \`digest\`, \`sha256\`, \`crc\`..., since hash.Hash's Write never fails).
- A call with a comment on its line: the comment records the decision. A to-do (\`// TODO\`, \`FIXME\`, \`XXX\`)
  records none, nor does a test tool's marker (\`// want ...\`, a word in capitals such as errcheck's \`// UNCHECKED\`):
  those calls are flagged.
- \`fmt.Scanln()\` with no arguments: waiting for Enter.
- \`os.Setenv\` and \`os.Unsetenv\` with a literal name: they fail only for a malformed name.
- In \`_test.go\` files the findings are hints (faint dots in the editor; the CLI lists them as hints and never
  fails on them by default): a failure there usually shows up as a failing test, and cleanup calls are routinely
  unchecked (443 of the standard library's 741 first findings were in test files), but errcheck checks tests too,
  and a dropped error can hide why a test passes.

## Severity
The rubric lists this rule as a warning. Without types about 7 in 10 of its findings on standard-library calls are worth
acting on, and 4 in 10 on the package's own functions, whose authors know which helpers cannot fail with the arguments
they pass (the rest are calls that cannot fail in context, or deliberate best-effort calls), so it is information by default;
raise it with \`"goRubric.rules": { "GR104": "warning" }\`.

## Links
- [Go Proverbs: Don't just check errors, handle them gracefully](${links.goProverbs})
- [Effective Go: Errors](${links.effectiveGo}#errors)
- peer: errcheck (golangci-lint's errcheck), which uses types and also checks methods`,
  },
  // The calls around each `pkg.` of an imported standard package; visit() keeps call statements.
  // And the statements that call a plain name (`name(` where a statement starts): the package's
  // own functions, looked up in its summary. (A query for that shape walked every node of every
  // declaration, ~1 ms per 600-line function on each keystroke in it.)
  anchors: {
    text: (file) => [...stdlibCallAnchors(file), '('],
    accept: (text, at, anchor, file, pkg) =>
      anchor === '(' ? startsStatementCall(text, at) || startsMethodStatementCall(text, at, pkg) || startsElementStatementCall(text, at) : anchorsErrorFunction(text, at, anchor, file),
    nodeTypes: ['call_expression'],
  },
  // Tests too, as errcheck checks them, but as hints (see the docs' Left alone).
  visit(call: Node, ctx) {
    // A call statement; or a deferred call or a goroutine's, whose error nothing can check: hints.
    const kind = call.parent?.type;
    if (kind !== 'expression_statement' && kind !== 'defer_statement' && kind !== 'go_statement') return;
    const known = knownStdlibCall(call, ctx.file) ?? knownPackageCall(call, ctx.pkg) ?? knownMethodCall(call, ctx.pkg) ?? knownElementCall(call);
    if (!known || !known.results.includes('e')) return;
    if (excused(call, known, ctx.file)) return;
    // A comment on the line ("// best effort") records the decision.
    const statement = call.parent;
    if (statement && hasTrailingComment(statement)) return;
    if (hiddenByLocalName(call, known)) return;
    const fn = call.childForFieldName('function') ?? call;
    ctx.report({
      start: fn.startIndex,
      end: fn.endIndex,
      message: `the error returned by ${known.display} is dropped; handle it, or assign it to _ with a comment saying why it does not matter`,
      // In tests, and for deferred and go calls: a hint (faint dots), see the docs.
      ...(ctx.file.isTestFile || kind !== 'expression_statement' ? { severity: 'hint' as const } : {}),
    });
  },
};
