// GR105 error-compare: `err == ErrX` compares an error with a sentinel by identity, which misses
// the sentinel as soon as anything wraps it; errors.Is looks through the wrapping.
import type { Node } from 'web-tree-sitter';
import { errorOperand } from '../engine/errorValues';
import type { FileFacts } from '../engine/fileFacts';
import type { ImportTable } from '../engine/imports';
import { enclosingFunction } from '../engine/syntax';
import type { Report, Rule, RuleContext } from '../engine/types';
import { ERRNO_PACKAGES, errnoMayBeRaw, errorsQualifier, insideMethodNamed, producingCall, producingCallName, shadowingScope } from './errorSyntax';
import { links, proverbs } from './proverbs';

/** Methods of the errors.Is protocol: they compare one layer with == by design. */
const IS_METHODS = new Set(['Is']);


/**
 * End-of-stream markers: the io package documents that readers return them unwrapped and that
 * callers test for them with ==, and code everywhere (helpers that pass them on included) does.
 * Parsers and transformers use their own markers the same way: "this section is done", "give me
 * more input".
 */
const STREAM_MARKERS = new Set([
  'io.EOF',
  'io.ErrUnexpectedEOF',
  'golang.org/x/net/dns/dnsmessage.ErrSectionDone',
  'golang.org/x/text/transform.ErrShortSrc',
  'golang.org/x/text/transform.ErrShortDst',
  'code.google.com/p/go.text/transform.ErrShortSrc',
  'code.google.com/p/go.text/transform.ErrShortDst',
  'bufio.ErrBufferFull',
]);

/**
 * Sentinels the standard library documents as returned unwrapped by particular calls, as in
 * errorlint's allow list: comparing their result with == is the documented contract.
 */
const UNWRAPPED_BY_CONTRACT = new Map<string, ReadonlySet<string>>([
  ['io.ErrShortBuffer', new Set(['ReadAtLeast'])],
  ['io.ErrClosedPipe', new Set(['Write', 'Read'])],
  ['database/sql.ErrNoRows', new Set(['Scan'])],
  ['net/http.ErrServerClosed', new Set(['ListenAndServe', 'ListenAndServeTLS', 'Serve', 'ServeTLS'])],
  ['net/http.ErrHandlerTimeout', new Set(['Write'])],
  ['context.Canceled', new Set(['Err'])],
  ['context.DeadlineExceeded', new Set(['Err'])],
]);

/**
 * A sentinel error: another package's (`pkg.ErrX`, `io.EOF`, `context.Canceled`, `syscall.ENOENT`)
 * or the package's own (`ErrClosed`, `errBusy`).
 */
interface Sentinel {
  node: Node;
  /** Import path and name: "io.EOF", "database/sql.ErrNoRows"; the bare name for the package's own. */
  key: string;
  own?: true;
}

/** A package's own sentinel by its name: ErrX or errX (not err2, not a local variable). */
const OWN_SENTINEL = /^(Err|err)[A-Z]/;

/** `ErrClosed`, `errBusy`: a name the function does not assign (a package-level error variable). */
function ownSentinelOf(expr: Node): Sentinel | undefined {
  if (expr.type !== 'identifier' || !OWN_SENTINEL.test(expr.text) || producingCall(expr)) return undefined;
  return { node: expr, key: expr.text, own: true };
}

/**
 * Calls documented or conventionally known to return io.EOF (and its kin) unwrapped: the io
 * interfaces' methods and the readers, scanners and decoders built on them. An error from any
 * other call (a helper of the package) may arrive wrapped.
 */
const RETURNS_STREAM_MARKERS = /^(Read\w*|Peek|Next\w*|Scan|Token|Decode\w*|Recv\w*|Accept|Seek|Write\w*|Unmarshal\w*|Err)$/;

/** The markers of io's readers, checked against the call that produced the error. */
const READER_MARKERS = new Set(['io.EOF', 'io.ErrUnexpectedEOF']);

/** Severity of comparisons the package may well be right about (see the rule's Severity). */
const LESSER_SEVERITY = 'information';

/** Import paths of internal packages. */
const INTERNAL = /(^|\/)internal(\/|$)/;

/** Standard sentinels not named ErrXxx, by import path and name. */
const OTHER_SENTINELS = new Set(['context.Canceled', 'context.DeadlineExceeded']);

/**
 * The sentinel `expr` names, when it is another package's. A package's own sentinels (ErrX, errX)
 * are left alone: it compares what it makes itself and knows whether it wraps them.
 */
function sentinelOf(expr: Node, imports: ImportTable): Sentinel | undefined {
  if (expr.type !== 'selector_expression') return undefined;
  const operand = expr.childForFieldName('operand');
  const pkg = operand?.type === 'identifier' ? imports.pathOf(operand.text) : undefined;
  // An internal package belongs to the same module: its sentinels are the module's own.
  if (!pkg || INTERNAL.test(pkg)) return undefined;
  const field = expr.childForFieldName('field')?.text ?? '';
  const key = `${pkg}.${field}`;
  const named = OTHER_SENTINELS.has(key) || (ERRNO_PACKAGES.has(pkg) && /^E[A-Z0-9]+$/.test(field));
  return named || errorOperand(expr, imports)?.kind === 'error' ? { node: expr, key } : undefined;
}

/** The error compared with a sentinel: an error value that is not itself a sentinel nor made right there. */
function comparedError(expr: Node, imports: ImportTable): Node | undefined {
  const operand = errorOperand(expr, imports);
  if (operand?.kind !== 'error' || operand.fresh || sentinelOf(expr, imports) || holdsRecovered(expr)) return undefined;
  return expr;
}

/**
 * `err := recover()` (or `var err = recover()`): the last declaration of the name before it in its
 * function (not in a function literal inside it) gives it what recover returned, a panic value of
 * type any, which a panic with a sentinel makes equal to it; errors.Is does not take it.
 */
function holdsRecovered(id: Node): boolean {
  if (id.type !== 'identifier') return false;
  const fn = enclosingFunction(id);
  const body = fn?.childForFieldName('body');
  if (!fn || !body || !body.text.includes('recover()')) return false;
  let value: Node | null | undefined;
  let at = -1;
  for (const decl of body.descendantsOfType(['short_var_declaration', 'var_spec'])) {
    if (!decl || decl.startIndex > id.startIndex || decl.startIndex < at || enclosingFunction(decl)?.id !== fn.id) continue;
    const names = decl.type === 'var_spec' ? decl.childrenForFieldName('name') : (decl.childForFieldName('left')?.namedChildren ?? []);
    const index = names.findIndex((n) => n?.text === id.text);
    if (index < 0) continue;
    const values = decl.childForFieldName(decl.type === 'var_spec' ? 'value' : 'right')?.namedChildren.filter((v) => v?.type !== 'comment') ?? [];
    value = values.length === names.length ? values[index] : undefined;
    at = decl.startIndex;
  }
  return value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'recover';
}

/** Whether the error was produced by a call documented to return this sentinel unwrapped. */
function unwrappedByContract(error: Node, sentinel: Sentinel, imports: ImportTable): boolean {
  // ctx.Err(), scanner.Err() and the like return their sentinels as they are.
  if (error.type === 'call_expression') return true;
  if (sentinel.own) return false;
  const pkgPath = sentinel.key.slice(0, sentinel.key.lastIndexOf('.'));
  if (ERRNO_PACKAGES.has(pkgPath)) return errnoMayBeRaw(error, imports);
  const call = producingCallName(error);
  // io.EOF and its kin: fine from a reader's own methods, and from where the error is not traced to
  // a call here (a parameter, a field: often a reader's result passed on); reported, at the lesser
  // severity, from any other call, which may wrap it.
  if (READER_MARKERS.has(sentinel.key)) return !call || RETURNS_STREAM_MARKERS.test(call.name);
  // A parser's or transformer's own markers (dnsmessage.ErrSectionDone, transform.ErrShortSrc)
  // come from its many methods: left alone.
  if (STREAM_MARKERS.has(sentinel.key)) return true;
  if (!call) return false;
  return UNWRAPPED_BY_CONTRACT.get(sentinel.key)?.has(call.name) ?? false;
}

/** `pkg.` for each package imported by name, except internal ones (whose sentinels are left alone). */
function importedPackageAnchors(file: FileFacts): string[] {
  return file.imports.specs.filter((spec) => spec.localName !== '_' && spec.localName !== '.' && !INTERNAL.test(spec.path)).map((spec) => `${spec.localName}.`);
}

const FOLLOWING_NAME = /[A-Za-z_]\w*/y;

/** Names like the package's own sentinels in a text: ErrX, errX (a word; not err2). */
const OWN_SENTINEL_WORD = /\b(?:Err|err)[A-Z]\w*/g;

/**
 * The anchors: `pkg.` of the imported packages, and the names in the file that look like the
 * package's own sentinels (found by a plain text scan, far cheaper than matching every comparison
 * of two names with a query).
 */
function sentinelAnchors(file: FileFacts): string[] {
  const own = new Set(file.text.match(OWN_SENTINEL_WORD) ?? []);
  return [...importedPackageAnchors(file), ...own];
}

/** Whether the `pkg.` anchor at `at` is followed by a name sentinelOf could take (ErrX, EOF, context.Canceled, syscall.EXXX). */
function anchorsSentinel(text: string, at: number, anchor: string, file: FileFacts): boolean {
  if (!anchor.endsWith('.')) return true;
  FOLLOWING_NAME.lastIndex = at + anchor.length;
  const name = FOLLOWING_NAME.exec(text)?.[0];
  if (name === undefined) return false;
  if (/^Err[A-Z0-9]/.test(name) || name === 'EOF') return true;
  const path = file.imports.pathOf(anchor.slice(0, -1));
  return path !== undefined && (OTHER_SENTINELS.has(`${path}.${name}`) || (ERRNO_PACKAGES.has(path) && /^E[A-Z0-9]+$/.test(name)));
}

/** The fix replacing a comparison with errors.Is, when the errors package can be named here. */
function isFix(ctx: RuleContext, at: Node, error: Node, sentinel: Node, negated: boolean): Report['fix'] {
  const errors = errorsQualifier(ctx.file, shadowingScope(at), ctx.pkg);
  if (!errors) return undefined;
  const call = `${negated ? '!' : ''}${errors.name}.Is(${error.text}, ${sentinel.text})`;
  return {
    title: `Use ${call}`,
    edits: [{ start: at.startIndex, end: at.endIndex, newText: call }],
    imports: errors.addImport ? ['errors'] : [],
    // errors.Is also matches the sentinel inside wrapping: more matches than == could give.
    safe: false,
  };
}

function checkComparison(binary: Node, ctx: RuleContext): void {
  const op = binary.childForFieldName('operator')?.text;
  const left = binary.childForFieldName('left');
  const right = binary.childForFieldName('right');
  if ((op !== '==' && op !== '!=') || !left || !right) return;
  const { imports } = ctx.file;
  const leftSentinel = sentinelOf(right, imports) ? undefined : sentinelOf(left, imports);
  const sentinel = leftSentinel ?? sentinelOf(right, imports) ?? ownSentinelOf(right) ?? ownSentinelOf(left);
  const error = sentinel && comparedError(sentinel.node === left ? right : left, imports);
  if (!sentinel || !error || unwrappedByContract(error, sentinel, imports)) return;
  if (insideMethodNamed(binary, IS_METHODS)) return;
  const fix = isFix(ctx, binary, error, sentinel.node, op === '!=');
  ctx.report({
    node: binary,
    message: `${error.text} ${op} ${sentinel.node.text} misses ${sentinel.node.text} once it is wrapped; use ${op === '!=' ? '!' : ''}errors.Is(${error.text}, ${sentinel.node.text})`,
    ...(fix ? { fix } : {}),
    ...(lesser(sentinel) ? { severity: LESSER_SEVERITY } : {}),
  });
}

/** The case values of an expression switch, in order. */
function caseValues(switchStmt: Node): Node[] {
  return switchStmt.namedChildren
    .filter((c): c is Node => c?.type === 'expression_case')
    .flatMap((c) => c.childForFieldName('value')?.namedChildren ?? [])
    .filter((v): v is Node => v !== null && v.type !== 'comment');
}

/** `switch e := err; e {`: the error the switch's own initializer gives its value. */
function initializedError(switchStmt: Node, value: Node, imports: ImportTable): Node | undefined {
  const init = switchStmt.childForFieldName('initializer');
  if (value.type !== 'identifier' || init?.type !== 'short_var_declaration') return undefined;
  const names = init.childForFieldName('left')?.namedChildren ?? [];
  const values = init.childForFieldName('right')?.namedChildren ?? [];
  const at = names.findIndex((n) => n?.text === value.text);
  const assigned = at >= 0 && names.length === values.length ? values[at] : undefined;
  return assigned ? comparedError(assigned, imports) : undefined;
}

/** The package's own sentinels and io.EOF's kin are reported at the lesser severity. */
function lesser(sentinel: Sentinel): boolean {
  return sentinel.own === true || READER_MARKERS.has(sentinel.key);
}

/** `switch err { case ErrA: }`: one finding per switch, on its first case that compares with a sentinel. */
function checkSwitch(switchStmt: Node, ctx: RuleContext): void {
  const value = switchStmt.childForFieldName('value');
  const { imports } = ctx.file;
  // The cases first: most switches compare no sentinel, and deciding whether the value is an
  // error can mean looking through the enclosing function's declarations.
  const values = caseValues(switchStmt);
  const foreign = values.flatMap((expr) => sentinelOf(expr, imports) ?? []);
  const own = values.flatMap((expr) => ownSentinelOf(expr) ?? []);
  if (foreign.length === 0 && own.length === 0) return;
  const error = value && (comparedError(value, imports) ?? initializedError(switchStmt, value, imports));
  if (!error || insideMethodNamed(switchStmt, IS_METHODS)) return;
  const reportable = [...foreign, ...own].filter((sentinel) => !unwrappedByContract(error, sentinel, imports)).sort((a, b) => a.node.startIndex - b.node.startIndex);
  // Another package's sentinel makes it a warning, reported on its case; else the first case.
  const first = reportable.find((sentinel) => !lesser(sentinel)) ?? reportable[0];
  if (!first) return;
  ctx.report({
    node: first.node,
    message: `switch ${value.text} { case ${first.node.text}: } compares by identity and misses ${first.node.text} once it is wrapped; use switch { case errors.Is(${value.text}, ${first.node.text}): }`,
    ...(lesser(first) ? { severity: LESSER_SEVERITY } : {}),
  });
}

export const errorCompare: Rule = {
  meta: {
    code: 'GR105',
    name: 'error-compare',
    phase: 'idioms',
    severity: 'warning',
    summary: 'An error is compared with a sentinel using == or != (or a switch), which fails once the error is wrapped.',
    proverb: proverbs.inspectWithIs,
    fixable: true,
    example: {
      bad: 'if err == sql.ErrNoRows {\n\treturn nil, nil\n}',
      good: 'if errors.Is(err, sql.ErrNoRows) {\n\treturn nil, nil\n}',
    },
    docs: `## What it flags
An error compared by identity with another package's sentinel error: \`err == sql.ErrNoRows\`, \`err != fs.ErrNotExist\`,
\`os.ErrNotExist == err\`, \`err == context.Canceled\`, \`err == syscall.ENOENT\` after \`os.Open\`, and \`switch err\`
statements with such a case (one finding per switch). A sentinel is an imported package's \`ErrXxx\`, \`context.Canceled\`
and \`context.DeadlineExceeded\`, or an errno constant of \`syscall\`/\`x/sys\`. At information (see Severity): the
package's own sentinels (\`err == ErrClosed\`, \`err != errBusy\`, a name \`ErrX\`/\`errX\` the function does not assign),
and \`io.EOF\`/\`io.ErrUnexpectedEOF\` compared with an error from a call that is not one of a reader's methods
(\`err := parseHeader(r); if err == io.EOF\`).

## Why
Since Go 1.13 errors are wrapped as they travel up (\`fmt.Errorf("load: %w", err)\`). \`==\` sees only the outermost
error, so \`err == ErrNotFound\` silently turns false the day a function in between starts adding context, and the
branch it guards stops running. \`errors.Is\` walks the whole chain (and honours \`Is\` methods), so the check keeps
working whatever the layers in between do.

## Bad
\`\`\`go
user, err := store.Find(id)
if err == ErrNotFound {
	return nil, nil
}
\`\`\`

## Good
\`\`\`go
user, err := store.Find(id)
if errors.Is(err, ErrNotFound) {
	return nil, nil
}
\`\`\`

## Fix
Replaces the comparison with \`errors.Is(err, ErrX)\` (\`!errors.Is(err, ErrX)\` for \`!=\`), adding the \`errors\`
import when it is missing and using its alias when the file imports it under another name. It is not applied by
fix-all: \`errors.Is\` also matches wrapped sentinels, which is the point but is a change of behaviour. No fix is
offered when the name \`errors\` means something else in the file (\`github.com/pkg/errors\` imported as \`errors\`,
a local variable) or in its package (a package-level \`errors\` in any of its files, tests included, with which the
import would collide), when \`errors\` is dot-imported, or in the packages the standard \`errors\` package depends on.
Switch cases get no fix: rewrite \`switch err { case A: }\` as \`switch { case errors.Is(err, A): }\` by hand.

## Approximations
Without type information an operand counts as an error by the names Go code gives errors (\`err\`, \`readErr\`,
\`x.Err()\`) and a sentinel by its name. The call that produced the error is found as the last assignment to it before
the comparison, in text order. Fields (\`pe.Err == syscall.ENOENT\`) are not followed.

## Left alone
- Comparisons with \`nil\`, and comparisons of two error variables (\`err == lastErr\`), which ask about identity.
- A name that holds what \`recover()\` returned (\`err := recover()\`, then \`err == ErrAbortHandler\`): a panic value,
  of type \`any\`, which equals the sentinel a panic was given; \`errors.Is\` does not take it.
- The sentinels of the module's \`internal/\` packages (\`poll.ErrFileClosing\` in os).
- \`io.EOF\` and \`io.ErrUnexpectedEOF\` from a reader's own methods (\`Read\`, \`ReadByte\`, \`ReadString\`, \`Next\`,
  \`Scan\`, \`Decode\`, \`Recv\`...), which the io package documents to return \`EOF\` itself, and from where the error is
  not traced to a call in the function (a parameter, a field: often a reader's result passed on). Likewise the
  flow-control markers of parsers, transformers and buffers: \`dnsmessage.ErrSectionDone\`, \`transform.ErrShortSrc\`,
  \`transform.ErrShortDst\` and \`bufio.ErrBufferFull\`.
- Errors documented to be returned unwrapped, compared after the call that returns them: \`sql.ErrNoRows\` from \`Scan\`,
  \`http.ErrServerClosed\` from \`ListenAndServe\`/\`Serve\`, \`context.Canceled\`/\`DeadlineExceeded\` from \`ctx.Err()\`,
  An error that is itself a call (\`ctx.Err() == context.Canceled\`) too.
- Errno sentinels (\`syscall.EINTR\`, \`unix.EAGAIN\`) unless the error comes from a call into another, non-syscall
  package: syscall-level code handles the raw errno its own calls return, but \`os.Open\` wraps it in \`*PathError\`.
- Comparisons inside an \`Is\` method: implementations of the \`errors.Is\` protocol compare one layer with \`==\` by design.
- \`_test.go\` files: tests check the exact value a function returns, which is often the contract under test.

## Severity
A warning for another package's sentinels, whose wrapping the code does not control. Information for the package's
own sentinels and for \`io.EOF\` after a helper: the package makes them and may know that nothing wraps them on the
way (the standard library relies on that: these were most of its comparisons, and few needed to change), but
\`errors.Is\` keeps working when that changes, and peers (errorlint) flag them too. A switch with a case for another
package's sentinel is a warning, reported on that case.

## Links
- [Working with Errors in Go 1.13](${links.errorsBlog})
- [errors.Is](https://pkg.go.dev/errors#Is)
- peer: errorlint's comparison check (go-errorlint \`-comparison\`), which with type information flags any \`==\`/\`!=\`
  or switch between two errors other than \`nil\`, outside \`Is\` methods, except for an allow list of standard-library
  calls documented to return their sentinel unwrapped (followed here). It also flags test files, which this rule
  leaves alone (see docs/precision/GR105.md).`,
  },
  // Tests check what a function returns, where the exact value is often the contract under test.
  appliesTo: (file) => !file.isTestFile,
  // A sentinel is another package's name (io.EOF, fs.ErrNotExist): the comparisons and switches
  // around each `pkg.` followed by a sentinel-like name, read from the text. `err != nil`, by far
  // the most common comparison, never reaches visit().
  // And the package's own sentinel names (ErrX, errX) that occur in the file.
  anchors: { text: sentinelAnchors, accept: anchorsSentinel, nodeTypes: ['binary_expression', 'expression_switch_statement'] },
  visit(node: Node, ctx) {
    if (node.type === 'binary_expression') checkComparison(node, ctx);
    else checkSwitch(node, ctx);
  },
};
