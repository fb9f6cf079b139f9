// GR105 error-compare: `err == ErrX` compares an error with a sentinel by identity, which misses
// the sentinel as soon as anything wraps it; errors.Is looks through the wrapping.
import type { Node } from 'web-tree-sitter';
import { errorOperand } from '../engine/errorValues';
import type { FileFacts } from '../engine/fileFacts';
import type { ImportTable } from '../engine/imports';
import type { Report, Rule, RuleContext } from '../engine/types';
import { ERRNO_PACKAGES, errnoMayBeRaw, errorsQualifier, insideMethodNamed, producingCallName, shadowingScope } from './errorSyntax';
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

/** A sentinel error of another package: `pkg.ErrX`, `io.EOF`, `context.Canceled`, `syscall.ENOENT`. */
interface Sentinel {
  node: Node;
  /** Import path and name: "io.EOF", "database/sql.ErrNoRows". */
  key: string;
}

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
  if (operand?.kind !== 'error' || operand.fresh || sentinelOf(expr, imports)) return undefined;
  return expr;
}

/** Whether the error was produced by a call documented to return this sentinel unwrapped. */
function unwrappedByContract(error: Node, sentinel: Sentinel, imports: ImportTable): boolean {
  if (STREAM_MARKERS.has(sentinel.key)) return true;
  // ctx.Err(), scanner.Err() and the like return their sentinels as they are.
  if (error.type === 'call_expression') return true;
  const pkgPath = sentinel.key.slice(0, sentinel.key.lastIndexOf('.'));
  if (ERRNO_PACKAGES.has(pkgPath)) return errnoMayBeRaw(error, imports);
  const call = producingCallName(error);
  if (!call) return false;
  return UNWRAPPED_BY_CONTRACT.get(sentinel.key)?.has(call.name) ?? false;
}

/** `pkg.` for each package imported by name, except internal ones (whose sentinels are left alone). */
function importedPackageAnchors(file: FileFacts): string[] {
  return file.imports.specs.filter((spec) => spec.localName !== '_' && spec.localName !== '.' && !INTERNAL.test(spec.path)).map((spec) => `${spec.localName}.`);
}

const FOLLOWING_NAME = /[A-Za-z_]\w*/y;

/** Whether the `pkg.` anchor at `at` is followed by a name sentinelOf could take (ErrX, EOF, context.Canceled, syscall.EXXX). */
function anchorsSentinel(text: string, at: number, anchor: string, file: FileFacts): boolean {
  FOLLOWING_NAME.lastIndex = at + anchor.length;
  const name = FOLLOWING_NAME.exec(text)?.[0];
  if (name === undefined) return false;
  if (/^Err[A-Z0-9]/.test(name) || name === 'EOF') return true;
  const path = file.imports.pathOf(anchor.slice(0, -1));
  return path !== undefined && (OTHER_SENTINELS.has(`${path}.${name}`) || (ERRNO_PACKAGES.has(path) && /^E[A-Z0-9]+$/.test(name)));
}

/** The fix replacing a comparison with errors.Is, when the errors package can be named here. */
function isFix(ctx: RuleContext, at: Node, error: Node, sentinel: Node, negated: boolean): Report['fix'] {
  const errors = errorsQualifier(ctx.file, shadowingScope(at));
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
  const sentinel = leftSentinel ?? sentinelOf(right, imports);
  const error = sentinel && comparedError(sentinel.node === left ? right : left, imports);
  if (!sentinel || !error || unwrappedByContract(error, sentinel, imports)) return;
  if (insideMethodNamed(binary, IS_METHODS)) return;
  const fix = isFix(ctx, binary, error, sentinel.node, op === '!=');
  ctx.report({
    node: binary,
    message: `${error.text} ${op} ${sentinel.node.text} misses ${sentinel.node.text} once it is wrapped; use ${op === '!=' ? '!' : ''}errors.Is(${error.text}, ${sentinel.node.text})`,
    ...(fix ? { fix } : {}),
  });
}

/** The case values of an expression switch, in order. */
function caseValues(switchStmt: Node): Node[] {
  return switchStmt.namedChildren
    .filter((c): c is Node => c?.type === 'expression_case')
    .flatMap((c) => c.childForFieldName('value')?.namedChildren ?? [])
    .filter((v): v is Node => v !== null && v.type !== 'comment');
}

/** `switch err { case ErrA: }`: one finding per switch, on its first case that compares with a sentinel. */
function checkSwitch(switchStmt: Node, ctx: RuleContext): void {
  const value = switchStmt.childForFieldName('value');
  const { imports } = ctx.file;
  // The cases first: most switches compare no sentinel, and deciding whether the value is an
  // error can mean looking through the enclosing function's declarations.
  const sentinels = caseValues(switchStmt).flatMap((expr) => sentinelOf(expr, imports) ?? []);
  if (sentinels.length === 0) return;
  const error = value && comparedError(value, imports);
  if (!error || insideMethodNamed(switchStmt, IS_METHODS)) return;
  for (const sentinel of sentinels) {
    const expr = sentinel.node;
    if (unwrappedByContract(error, sentinel, imports)) continue;
    ctx.report({
      node: expr,
      message: `switch ${error.text} { case ${sentinel.node.text}: } compares by identity and misses ${sentinel.node.text} once it is wrapped; use switch { case errors.Is(${error.text}, ${sentinel.node.text}): }`,
    });
    return;
  }
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
and \`context.DeadlineExceeded\`, or an errno constant of \`syscall\`/\`x/sys\`.

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
a local variable), when \`errors\` is dot-imported, or in the packages the standard \`errors\` package depends on.
Switch cases get no fix: rewrite \`switch err { case A: }\` as \`switch { case errors.Is(err, A): }\` by hand.

## Approximations
Without type information an operand counts as an error by the names Go code gives errors (\`err\`, \`readErr\`,
\`x.Err()\`) and a sentinel by its name. The call that produced the error is found as the last assignment to it before
the comparison, in text order. Fields (\`pe.Err == syscall.ENOENT\`) are not followed.

## Left alone
- Comparisons with \`nil\`, and comparisons of two error variables (\`err == lastErr\`), which ask about identity.
- The package's own sentinels (\`err == ErrClosed\`, \`err == errBusy\`) and those of its module's \`internal/\` packages
  (\`poll.ErrFileClosing\` in os): the module makes them and knows whether it wraps them. On the standard library these were most of the findings and none needed to change.
- \`io.EOF\` and \`io.ErrUnexpectedEOF\`: the io package documents that readers return \`EOF\` itself and that callers test
  for it with \`==\`; helpers that pass the marker on (\`noEOF\`, \`wrapErr\`) keep it unwrapped by the same convention.
  Likewise the flow-control markers of parsers, transformers and buffers: \`dnsmessage.ErrSectionDone\`,
  \`transform.ErrShortSrc\`, \`transform.ErrShortDst\` and \`bufio.ErrBufferFull\`.
- Errors documented to be returned unwrapped, compared after the call that returns them: \`sql.ErrNoRows\` from \`Scan\`,
  \`http.ErrServerClosed\` from \`ListenAndServe\`/\`Serve\`, \`context.Canceled\`/\`DeadlineExceeded\` from \`ctx.Err()\`,
  An error that is itself a call (\`ctx.Err() == context.Canceled\`) too.
- Errno sentinels (\`syscall.EINTR\`, \`unix.EAGAIN\`) unless the error comes from a call into another, non-syscall
  package: syscall-level code handles the raw errno its own calls return, but \`os.Open\` wraps it in \`*PathError\`.
- Comparisons inside an \`Is\` method: implementations of the \`errors.Is\` protocol compare one layer with \`==\` by design.
- \`_test.go\` files: tests check the exact value a function returns, which is often the contract under test.

## Links
- [Working with Errors in Go 1.13](${links.errorsBlog})
- [errors.Is](https://pkg.go.dev/errors#Is)
- peer: errorlint's comparison check (go-errorlint \`-comparison\`), which with type information flags any \`==\`/\`!=\`
  or switch between two errors other than \`nil\`, outside \`Is\` methods, except for an allow list of standard-library
  calls documented to return their sentinel unwrapped (followed here). It also flags a package's own sentinels,
  \`io.EOF\` outside its allow list, and test files, which this rule leaves alone (see docs/precision/GR105.md).`,
  },
  // Tests check what a function returns, where the exact value is often the contract under test.
  appliesTo: (file) => !file.isTestFile,
  // A sentinel is another package's name (io.EOF, fs.ErrNotExist): the comparisons and switches
  // around each `pkg.` followed by a sentinel-like name, read from the text. `err != nil`, by far
  // the most common comparison, never reaches visit().
  anchors: { text: importedPackageAnchors, accept: anchorsSentinel, nodeTypes: ['binary_expression', 'expression_switch_statement'] },
  visit(node: Node, ctx) {
    if (node.type === 'binary_expression') checkComparison(node, ctx);
    else checkSwitch(node, ctx);
  },
};
