// GR102 unwrapped-return: `if err != nil { return ..., err }` passes an error from another
// package up without saying what failed.
import type { Node } from 'web-tree-sitter';
import { isErrorIdentifier } from '../engine/errorValues';
import type { FileFacts } from '../engine/fileFacts';
import {
  calleeOf,
  enclosingFunction,
  blockStatements,
  isImportedPackageName,
  linePrefix,
  previousStatement,
  type Callee,
} from '../engine/syntax';
import type { Rule } from '../engine/types';
import { links, proverbs } from './proverbs';

/**
 * Methods of io's interfaces (and the like): their callers compare the error itself (io.EOF,
 * io.ErrShortWrite), so an implementation must pass errors through unchanged.
 */
const PASS_THROUGH_METHODS = new Set([
  'Read', 'ReadAt', 'ReadByte', 'ReadRune', 'ReadString', 'ReadBytes', 'ReadLine', 'ReadSlice', 'ReadFrom',
  'Write', 'WriteAt', 'WriteByte', 'WriteRune', 'WriteString', 'WriteTo', 'Seek', 'Close', 'Flush',
  'UnreadByte', 'UnreadRune', 'Next', 'Err', 'Unwrap', 'Error',
  // Standard interfaces whose implementations usually delegate to one call and whose callers
  // (encoding/json, database/sql, flag) add the context themselves.
  'MarshalJSON', 'UnmarshalJSON', 'MarshalText', 'UnmarshalText', 'MarshalBinary', 'UnmarshalBinary',
  'MarshalYAML', 'UnmarshalYAML', 'GobEncode', 'GobDecode', 'Scan', 'Value', 'Set',
]);

/** Packages whose errors are raw errno values that callers compare with == (syscall.EAGAIN). */
const ERRNO_PACKAGES = new Set(['syscall', 'golang.org/x/sys/unix', 'golang.org/x/sys/windows']);

/**
 * The standard-library packages that fmt itself imports (`go list -deps fmt`, Go 1.19): code in
 * them cannot import fmt, so the fix cannot wrap with fmt.Errorf there.
 */
const FMT_DEPENDENCIES = [
  'internal/goarch', 'unsafe', 'internal/unsafeheader', 'internal/abi', 'internal/cpu', 'internal/bytealg',
  'internal/goexperiment', 'internal/goos', 'runtime/internal/atomic', 'runtime/internal/math',
  'runtime/internal/sys', 'runtime/internal/syscall', 'runtime', 'internal/reflectlite', 'errors', 'internal/itoa',
  'math/bits', 'math', 'unicode/utf8', 'strconv', 'internal/race', 'sync/atomic', 'sync', 'unicode', 'reflect',
  'sort', 'internal/fmtsort', 'io', 'internal/oserror', 'syscall', 'internal/syscall/unix', 'time', 'internal/poll',
  'internal/safefilepath', 'internal/syscall/execenv', 'internal/testlog', 'path', 'io/fs', 'os',
];
const FMT_DEPENDENCY_DIR = new RegExp(`(^|[/\\\\])src[/\\\\](${FMT_DEPENDENCIES.map((p) => p.replace(/\//g, '[/\\\\]')).join('|')})[/\\\\][^/\\\\]+\\.go$`);

/**
 * Calls that end a stream with a sentinel (io.EOF) that callers up the stack compare with ==:
 * returning their error unchanged is usually the point.
 */
const SENTINEL_CALLS = new Set([
  'Read', 'ReadAt', 'ReadByte', 'ReadRune', 'ReadString', 'ReadBytes', 'ReadLine', 'ReadSlice', 'ReadFull',
  'ReadAtLeast', 'UnreadByte', 'UnreadRune', 'Next', 'NextPart', 'Token', 'Err', 'Unwrap',
]);

/**
 * Pass-through I/O: serializers and writers return the error of each write or flush as is, and
 * wrapping every one of them adds noise, not context.
 */
const IO_PASS_THROUGH = new Set(['Write', 'WriteString', 'WriteByte', 'WriteRune', 'WriteTo', 'ReadFrom', 'Flush', 'Close', 'Sync', 'Encode']);

/** Calls whose error is either made right there or deliberately passed through unchanged. */
const NO_CONTEXT_NEEDED = new Set(['Errorf', 'New', 'Join', 'Wrap', 'Wrapf', 'WithStack', 'WithMessage']);

export const unwrappedReturn: Rule = {
  meta: {
    code: 'GR102',
    name: 'unwrapped-return',
    phase: 'idioms',
    severity: 'information',
    summary: 'An error from another package is returned as is, without context about what failed.',
    proverb: proverbs.handleErrorsGracefully,
    fixable: true,
    example: {
      bad: 'f, err := os.Open(path)\nif err != nil {\n\treturn nil, err\n}',
      good: 'f, err := os.Open(path)\nif err != nil {\n\treturn nil, fmt.Errorf("open %s: %w", path, err)\n}',
    },
    docs: `## What it flags
\`if err != nil { return ..., err }\` right after a call into another package (\`os.Open\`, \`json.Unmarshal\`)
or a method on another value (\`rows.Scan\`, \`s.db.Query\`), in a function whose last result is \`error\`.

## Why
An error that travels up unchanged arrives at the top as \`open /etc/app.yaml: no such file or directory\` with no
hint of which of your operations failed, or worse, as a bare \`EOF\`. Each layer that adds what it was doing turns
the final message into a readable trail, and \`%w\` keeps the original inspectable with \`errors.Is\`/\`errors.As\`.

## Bad
\`\`\`go
data, err := os.ReadFile(path)
if err != nil {
	return nil, err
}
\`\`\`

## Good
\`\`\`go
data, err := os.ReadFile(path)
if err != nil {
	return nil, fmt.Errorf("read config: %w", err)
}
\`\`\`

## Fix
Wraps the returned error as \`fmt.Errorf("<what failed>: %w", err)\`, with the context derived from the failing call
(\`os.ReadFile\` gives \`"read file"\`), and adds the \`fmt\` import when it is missing. Edit the context to say what
your code was doing. The fix is not applied by fix-all: wrapping changes what \`err == ErrX\` comparisons in callers see.

## Left alone
- Errors from this package's own code: plain calls (\`parse(x)\`), unexported methods (\`c.flush()\`) and methods on
  the function's own receiver. They usually carry their context already, and wrapping at every layer repeats it.
- Thin wrappers that only rename the call they make (\`Open\` calling \`os.Open\`, \`QueryContext\` calling \`db.Query\`).
- Inside methods implementing io-style interfaces (\`Read\`, \`Write\`, \`Close\`, ...): their callers compare errors with
  \`==\` (\`io.EOF\`, \`io.ErrShortWrite\`), so errors must pass through unchanged. Likewise delegating implementations of
  \`MarshalJSON\`/\`UnmarshalJSON\`, \`MarshalText\`, \`Scan\`, \`Value\`, \`Set\` and friends, whose callers add the context.
- Errors of calls that end a stream with a sentinel (\`Read\`, \`ReadByte\`, \`io.ReadFull\`, \`Next\`, \`Token\`): callers up the
  stack often compare them with \`io.EOF\`. Raw errno errors from \`syscall\` and \`x/sys/unix\`, compared with \`==\` too.
- Pass-through I/O (\`Write\`, \`WriteString\`, \`Flush\`, \`Close\`, \`Sync\`, \`Encode\`, ...): serializers return each write's
  error as is, and wrapping every one adds noise rather than context (and \`bytes.Buffer\` writes never fail).
- Errors just created (\`errors.New\`, \`fmt.Errorf\`, \`ctx.Err()\`), and \`_test.go\` files.
- In the standard-library packages that \`fmt\` itself imports (\`os\`, \`io\`, \`time\`, ...) the finding is shown without a fix,
  since importing \`fmt\` there would be an import cycle; likewise where a file of the package (its tests included)
  declares a package-level \`fmt\`, which the import would collide with.

## Approximations
The error is traced only to the statement right before the \`if\` (or the \`if\`'s own initializer); an error assigned
further up is left alone. "Another package" means a qualifier that is one of the file's imports, or an exported method
on a value that is not the receiver: without type information an exported method of this package's own types looks
the same, and is flagged. Errors from the \`os\` package already name the operation and path (\`open /x: ...\`): the
context to add is what *your* code was doing, and \`os.IsNotExist\` does not see through wrapping (use
\`errors.Is(err, fs.ErrNotExist)\`).

## Links
- [Go Code Review Comments: Error strings and handling](${links.reviewComments}#handle-errors)
- [Working with Errors in Go 1.13](${links.errorsBlog})
- peer: golangci-lint's wrapcheck`,
  },
  // The `if` around each `!= nil` (or `nil !=`), found by text: a query for the condition's shape
  // walked every node of every declaration, ~1 ms per 600-line function on each keystroke in it.
  anchors: { text: () => ['!='], accept: comparesWithNil, nodeTypes: ['if_statement'] },
  // Tests return errors to the test itself, where a trail of context adds nothing.
  appliesTo: (file) => !file.isTestFile,
  visit(ifStmt: Node, ctx) {
    const errName = checkedErrorName(ifStmt);
    if (!errName) return;
    const body = ifStmt.childForFieldName('consequence');
    if (!body) return;
    const statements = blockStatements(body);
    const ret = statements[statements.length - 1];
    if (!ret || ret.type !== 'return_statement') return;
    const results = ret.namedChildren.find((c) => c?.type === 'expression_list');
    const values = results?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
    const returned = values[values.length - 1];
    if (!returned || returned.type !== 'identifier' || returned.text !== errName.text) return;
    // The questions that read a few siblings come first; the ones that climb the tree (to the
    // enclosing function, and through every enclosing function for the error's declared type) last.
    const call = sourceCall(ifStmt, errName.text);
    if (!call) return;
    const callee = calleeOf(call);
    if (!callee?.operand) return;

    const fn = enclosingFunction(ifStmt);
    if (!fn || !lastResultIsError(fn)) return;
    const fnName = fn.childForFieldName('name')?.text;
    if (fn.type === 'method_declaration' && fnName && PASS_THROUGH_METHODS.has(fnName)) return;
    if (!needsContext(callee, fn, ctx.file)) return;
    // A thin wrapper (Open calling os.Open, Listen calling net.Listen) adds nothing by renaming the call.
    if (fnName && sameOperation(fnName, callee.name)) return;
    if (!isErrorIdentifier(returned)) return;

    const fmtName = ctx.file.imports.localNameOf('fmt') ?? 'fmt';
    // Another import already answers to "fmt": the wrap could not name the standard fmt.
    if (fmtName === 'fmt' && ctx.file.imports.pathOf('fmt') !== undefined && ctx.file.imports.pathOf('fmt') !== 'fmt') return;
    const context = describeCall(callee);
    // Inside the packages fmt depends on, importing fmt would be an import cycle: report, but offer no fix.
    // And a package-level `fmt` of any of the package's files (tests included) would collide with the import.
    const canFix = ctx.file.imports.has('fmt') || !((ctx.file.path && FMT_DEPENDENCY_DIR.test(ctx.file.path)) || ctx.pkg.get('d:fmt') !== undefined);
    const operand = callee.operand.text;
    const what = operand.length <= 40 && !/[\s(]/.test(operand) ? `${operand}.${callee.name}` : `(...).${callee.name}`;
    ctx.report({
      node: ret,
      message: `the error from ${what} is returned without context; wrap it: ${fmtName}.Errorf("${context}: %w", ${errName.text})`,
      ...(canFix
        ? {
            fix: {
              title: `Wrap the error: ${fmtName}.Errorf("${context}: %w", ${errName.text})`,
              edits: [{ start: returned.startIndex, end: returned.endIndex, newText: `${fmtName}.Errorf("${context}: %w", ${errName.text})` }],
              imports: ctx.file.imports.localNameOf('fmt') ? [] : ['fmt'],
              safe: false,
            },
          }
        : {}),
    });
  },
};

/** `if err` or `; err` (after an initializer), up to the `!=`: the condition starts with the name. */
const CONDITION_NAME_BEFORE = /(?:(?<![\p{L}\p{N}_])if|;)[ \t]+[\p{L}_][\p{L}\p{N}_]*[ \t]*$/u;
/** ` nil {` after the `!=`: the condition ends there. */
const NIL_THEN_BODY = /[ \t]*nil[ \t]*\{/y;
const CONDITION_NIL_BEFORE = /(?:(?<![\p{L}\p{N}_])if|;)[ \t]+nil[ \t]*$/u;
const NAME_THEN_BODY = /[ \t]*[\p{L}_][\p{L}\p{N}_]*[ \t]*\{/uy;

/**
 * Whether the `!=` at `at` is the whole condition of an `if`, `name != nil` or `nil != name`,
 * read from its line before any tree access (checkedErrorName confirms it on the tree).
 */
function comparesWithNil(text: string, at: number): boolean {
  const before = linePrefix(text, at);
  NIL_THEN_BODY.lastIndex = at + 2;
  if (NIL_THEN_BODY.test(text) && CONDITION_NAME_BEFORE.test(before)) return true;
  NAME_THEN_BODY.lastIndex = at + 2;
  return NAME_THEN_BODY.test(text) && CONDITION_NIL_BEFORE.test(before);
}

/** For `if err != nil` (or `nil != err`), the identifier checked. */
function checkedErrorName(ifStmt: Node): Node | undefined {
  const cond = ifStmt.childForFieldName('condition');
  if (!cond || cond.type !== 'binary_expression' || cond.childForFieldName('operator')?.text !== '!=') return undefined;
  const left = cond.childForFieldName('left');
  const right = cond.childForFieldName('right');
  if (left?.type === 'identifier' && right?.type === 'nil') return left;
  if (right?.type === 'identifier' && left?.type === 'nil') return right;
  return undefined;
}

function lastResultIsError(fn: Node): boolean {
  const result = fn.childForFieldName('result');
  if (!result) return false;
  if (result.type === 'type_identifier') return result.text === 'error';
  if (result.type !== 'parameter_list') return false;
  const params = result.namedChildren.filter((c): c is Node => c?.type === 'parameter_declaration');
  return params[params.length - 1]?.childForFieldName('type')?.text === 'error';
}

/** The call whose error `name` holds: from the if's initializer, or the statement just before the if. */
function sourceCall(ifStmt: Node, name: string): Node | undefined {
  const init = ifStmt.childForFieldName('initializer');
  if (init) return assignedCall(init, name);
  const previous = previousStatement(ifStmt);
  return previous ? assignedCall(previous, name) : undefined;
}

/** For `a, err := f()` or `err = f()`, the call f() when `name` is among the assigned names. */
function assignedCall(statement: Node, name: string): Node | undefined {
  if (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement') return undefined;
  const left = statement.childForFieldName('left');
  const right = statement.childForFieldName('right');
  if (!left || !right) return undefined;
  if (!left.namedChildren.some((c) => c?.type === 'identifier' && c.text === name)) return undefined;
  const values = right.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (values.length !== 1 || values[0]!.type !== 'call_expression') return undefined;
  return values[0];
}

function needsContext(callee: Callee, fn: Node, file: FileFacts): boolean {
  if (!callee.operand) return false; // same-package function
  if (NO_CONTEXT_NEEDED.has(callee.name) || SENTINEL_CALLS.has(callee.name) || IO_PASS_THROUGH.has(callee.name)) return false;
  if (isImportedPackageName(callee.operand, file.imports)) return !ERRNO_PACKAGES.has(file.imports.pathOf(callee.operand.text)!);
  // An unexported method can only be this package's own code, which adds its own context.
  if (!/^\p{Lu}/u.test(callee.name)) return false;
  // A method on the function's own receiver belongs to this package and adds its own context.
  const receiver = fn.type === 'method_declaration' ? receiverName(fn) : undefined;
  if (callee.operand.type === 'identifier' && callee.operand.text === receiver) return false;
  return true;
}

function receiverName(method: Node): string | undefined {
  const list = method.childForFieldName('receiver');
  const param = list?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  return param?.childForFieldName('name')?.text;
}

/** Whether a function merely renames the call it wraps: Open/os.Open, QueryContext/db.Query. */
function sameOperation(fnName: string, callee: string): boolean {
  const norm = (n: string) => n.replace(/Context$/, '').toLowerCase();
  return norm(fnName) === norm(callee);
}

/** "ReadFile" -> "read file"; "QueryContext" -> "query"; "Unmarshal" -> "unmarshal". */
export function describeCall(callee: Callee): string {
  const name = callee.name.replace(/Context$/, '') || callee.name;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((w) => (/^[A-Z0-9]+$/.test(w) && w.length > 1 ? w : w.toLowerCase()));
  return words.join(' ');
}
