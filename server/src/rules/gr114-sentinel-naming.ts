// GR114 sentinel-naming: a package-level error variable made by errors.New or fmt.Errorf whose
// name does not start with Err (exported) or err (unexported).
import type { Node } from 'web-tree-sitter';
import { stdlibMethodResults } from '../engine/stdlib';
import { callArguments, isPackageCall, isStringLiteral, newTypeName } from '../engine/syntax';
import type { FileFacts } from '../engine/fileFacts';
import type { Rule, RuleContext } from '../engine/types';
import { namedTypeName } from './declarations';
import { knownPackageCall } from './knownCalls';
import { hasErrorMethod, valueHasErrorMethod } from './packageTypes';
import { links, proverbs } from './proverbs';

/** Whether an expression makes a new error value with errors.New or fmt.Errorf. */
function isErrorConstructor(value: Node, file: FileFacts): boolean {
  return value.type === 'call_expression' && (isPackageCall(value, file.imports, 'errors', 'New') || isPackageCall(value, file.imports, 'fmt', 'Errorf'));
}

/**
 * A value that is a new error: errors.New or fmt.Errorf, a value of one of the package's error
 * types (\`&NotFoundError{}\`, \`NotFoundError{}\`, \`new(NotFoundError)\`), or a call of one of the
 * package's functions that returns just an error (\`newCodeError(404)\`).
 */
function isErrorValue(value: Node, ctx: RuleContext): boolean {
  if (isErrorConstructor(value, ctx.file)) return true;
  const address = value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&';
  const built = address ? (value.childForFieldName('operand') ?? value) : value;
  if (built.type === 'composite_literal') {
    const literalType = built.childForFieldName('type');
    // `&net.AddrError{}`: a standard error type (the table does not tell receivers apart, so only
    // the pointer, which has every method).
    if (address && isStdlibErrorType(literalType, ctx.file)) return true;
    const type = namedTypeName(literalType);
    // `T{}` is an error only when Error() has a value receiver; `&T{}` either way.
    return type !== undefined && (address ? hasErrorMethod(ctx.pkg, type) : valueHasErrorMethod(ctx.pkg, type));
  }
  const allocated = newTypeName(value);
  if (allocated !== undefined) return hasErrorMethod(ctx.pkg, allocated);
  if (value.type !== 'call_expression') return false;
  const callee = value.childForFieldName('function');
  if (callee?.text === 'new') {
    const args = callArguments(value);
    if (args.length === 1 && isStdlibErrorType(args[0]!, ctx.file)) return true;
  }
  // `func() error { ... }()`: a literal called on the spot for its error.
  if (callee?.type === 'func_literal') return callee.childForFieldName('result')?.text === 'error';
  // `constError("closed")`: a message converted to one of the package's error types. (A number
  // converted to one, `Errno(2)`, is a code from a table, not a sentinel made here.)
  if (callee?.type === 'identifier' && valueHasErrorMethod(ctx.pkg, callee.text)) {
    const args = callArguments(value);
    return args.length === 1 && isStringLiteral(args[0]!);
  }
  return knownPackageCall(value, ctx.pkg)?.results === 'e';
}

/**
 * Whether a type written \`pkg.T\` is a standard-library type with an \`Error\` method of one
 * non-error result (\`net.AddrError\`, \`os.PathError\`; not \`testing.T\`, whose Error reports).
 */
function isStdlibErrorType(type: Node | null, file: FileFacts): boolean {
  if (type?.type !== 'qualified_type') return false;
  const qualifier = type.childForFieldName('package')?.text;
  const name = type.childForFieldName('name')?.text;
  const path = qualifier === undefined ? undefined : file.imports.pathOf(qualifier);
  return path !== undefined && name !== undefined && stdlibMethodResults(path, name, 'Error') === '.';
}

/**
 * Whether a declared type makes its variables errors: \`error\` itself, one of the package's error
 * types (\`T\` with a value receiver, \`*T\` with either).
 */
function isErrorType(type: Node | null, ctx: RuleContext): boolean {
  if (!type) return false;
  if (type.type === 'pointer_type') {
    const pointee = namedTypeName(type.namedChildren[0] ?? null);
    return pointee !== undefined && hasErrorMethod(ctx.pkg, pointee);
  }
  const name = namedTypeName(type);
  return name === 'error' || (name !== undefined && valueHasErrorMethod(ctx.pkg, name));
}

/** The prefix a sentinel of this name should have, or undefined when it already has it. */
function missingPrefix(name: string, file: FileFacts): string | undefined {
  // net/http bundles its HTTP/2 code with every name prefixed http2: http2errClientConnClosed.
  if (file.packageName === 'http' && /^http2[eE]rr/.test(name)) return undefined;
  const prefix = /^\p{Lu}/u.test(name) ? 'Err' : 'err';
  // The prefix is a word of its own: ErrorNoBars and errorEOF spell it out, Errand is another word.
  return name.startsWith(prefix) && !/^\p{Ll}/u.test(name.slice(prefix.length)) ? undefined : prefix;
}

/** Whether a var_spec or const_spec belongs to a package-level declaration (not one inside a function). */
function isPackageLevel(spec: Node): boolean {
  let decl = spec.parent;
  if (decl?.type === 'var_spec_list') decl = decl.parent;
  // The root is not always a source_file: a badly broken file parses into an ERROR root.
  return (decl?.type === 'var_declaration' || decl?.type === 'const_declaration') && decl.parent !== null && decl.parent.parent === null;
}

export const sentinelNaming: Rule = {
  meta: {
    code: 'GR114',
    name: 'sentinel-naming',
    phase: 'idioms',
    severity: 'information',
    summary: 'A package-level error variable is not named ErrXxx (exported) or errXxx (unexported).',
    proverb: proverbs.errorNaming,
    fixable: false,
    example: {
      bad: 'var NotFound = errors.New("not found")',
      good: 'var ErrNotFound = errors.New("not found")',
    },
    docs: `## What it flags
A package-level variable initialised with a new error whose name does not start with
\`Err\` (exported) or \`err\` (unexported) as a word of its own: \`var NotFound = errors.New("not found")\`,
\`var invalidInput = fmt.Errorf("invalid input")\`, and \`var ErrorNoBars = errors.New("no bars")\` (spelled out, the prefix
no longer reads as the convention; \`ErrNoBars\` does). A new error is \`errors.New(...)\` or \`fmt.Errorf(...)\`, a value
of one of the package's error types (\`&NotFoundError{}\`, \`NotFoundError{}\`, \`new(NotFoundError)\`, generic ones
\`&CodeError[string]{}\` too: a type with an \`Error() string\` method in the package), a message converted to one
(\`var Overflow = constError("overflow")\`), a pointer to a standard error type (\`&net.AddrError{}\`,
\`new(os.PathError)\`), a call of one of the package's functions that returns just an error
(\`var EINVAL = NewError("bad argument")\`) or of a function literal that does (\`var Failed = func() error {...}()\`),
and any value of a variable declared \`error\` or as one of the package's error types (\`var Closed error = io.ErrClosedPipe\`),
as errname reads them. A constant of an error type whose value is a message is one too
(\`const TooLong constError = "too long"\`).

## Why
Sentinel errors are values callers compare against with \`errors.Is\`. The \`ErrXxx\` prefix makes them easy to
find in documentation and completion lists, and tells the reader at the call site that \`errors.Is(err, ErrClosed)\`
is matching a sentinel, not a string or a flag.

## Bad
\`\`\`go
var NotFound = errors.New("not found")
\`\`\`

## Good
\`\`\`go
var ErrNotFound = errors.New("not found")
\`\`\`

## Fix
None offered: renaming a variable needs every use changed, in this package and, for an exported one, in others.
gopls's rename does that.

## Approximations
As staticcheck's ST1012: only declarations at package level whose names and values pair up one to one, with
the value a direct call of the standard \`errors.New\` or \`fmt.Errorf\` (recognised through the file's imports,
aliases and dot imports included); beyond ST1012, and like errname, the values listed above, with the package's
error types and functions read from the package summary and the standard ones from the signature table (whose
\`Error\` methods are not told apart by receiver, so only pointers to them count). Without types, another
module's functions and error types are not known, nor what type a plain name refers to (\`var Alias = ErrClosed\`). net/http's bundled \`http2err...\` names are accepted, as ST1012
does. Unlike ST1012, which checks only the prefix's letters, a name whose prefix runs on into a lower-case word
(\`ErrorNoBars\`, \`errorEOF\`, \`Error\`) is flagged, as errname does.

## Left alone
- Variables inside functions, package-level variables without a value (\`var lastErr error\`: errname flags them,
  but on the corpora they are mostly state a \`sync.Once\` or a failed set-up fills in, 19 of them in the standard
  library, hardly any a sentinel), and those set any other way (\`var x = f()\` with \`f\` another package's function
  or unknown, \`var errNotExist = os.ErrNotExist\` without a declared type), or to \`nil\`.
- Numbers of an error type (\`const EPERM Errno = 1\`, \`var pending = Errno(3)\`): codes from a table, as
  \`syscall.Errno\` and TLS alerts are, not sentinels.
- \`var a, b = f()\`: a call with several results.
- The blank identifier \`_\`.

## Links
- [Go Code Review Comments](${links.reviewComments})
- peer: staticcheck ST1012`,
  },
  // The declaration itself, found from its first word: a query would be matched against every
  // top-level var declaration of every file, and most are not errors.
  // A constant is a sentinel only when it is a message: a const declaration without a string
  // literal (an iota enumeration, a table of codes) is not looked at in the tree.
  anchors: {
    text: () => ['var', 'const'],
    atStart: true,
    accept: (text, _at, anchor) => anchor === 'var' || text.includes('"') || text.includes('`'),
    nodeTypes: ['var_declaration', 'const_declaration'],
  },
  visit(decl: Node, ctx) {
    for (const child of decl.namedChildren) {
      if (child?.type === 'var_spec' || child?.type === 'const_spec') checkSpec(child, ctx);
      else if (child?.type === 'var_spec_list') for (const spec of child.namedChildren) if (spec?.type === 'var_spec') checkSpec(spec, ctx);
    }
  },
};

/** One `name, ... = value, ...` of a package-level var declaration. */
function checkSpec(spec: Node, ctx: RuleContext): void {
  if (!isPackageLevel(spec)) return;
  const names = spec.childrenForFieldName('name').filter((n): n is Node => n !== null);
  const valueList = spec.childForFieldName('value');
  const values = valueList?.namedChildren.filter((v): v is Node => v !== null && v.type !== 'comment') ?? [];
  // A variable without a value (`var lastErr error`) holds state set later, not a sentinel; nor
  // does a const without one (iota's repetition).
  if (names.length !== values.length) return;
  let declaredError: boolean | undefined;
  names.forEach((name, i) => {
    if (name.text === '_') return;
    // The name first: only a name without the prefix costs a look at the value and the package.
    const prefix = missingPrefix(name.text, ctx.file);
    if (!prefix) return;
    const value = values[i]!;
    // A variable declared as an error (`var Closed error = ...`) is one whatever it is made of, but
    // nil; a constant of an error type is a sentinel when it is a message (`const TooMany
    // constError = "too many"`), and a code from a table when it is a number (`EPERM Errno = 1`).
    declaredError ??= isErrorType(spec.childForFieldName('type'), ctx);
    const declared = declaredError && (spec.type === 'const_spec' ? isStringLiteral(value) : value.type !== 'nil');
    if (!declared && !isErrorValue(value, ctx)) return;
    ctx.report({
      node: name,
      message: `sentinel error ${name.text} should be named ${prefix}Xxx, so readers recognise it as an error value to match with errors.Is`,
    });
  });
}
