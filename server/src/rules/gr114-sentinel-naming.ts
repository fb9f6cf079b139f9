// GR114 sentinel-naming: a package-level error variable made by errors.New or fmt.Errorf whose
// name does not start with Err (exported) or err (unexported).
import type { Node } from 'web-tree-sitter';
import { isPackageCall, newTypeName } from '../engine/syntax';
import type { FileFacts } from '../engine/fileFacts';
import type { Rule, RuleContext } from '../engine/types';
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
    const type = built.childForFieldName('type');
    // `T{}` is an error only when Error() has a value receiver; `&T{}` either way.
    return type?.type === 'type_identifier' && (address ? hasErrorMethod(ctx.pkg, type.text) : valueHasErrorMethod(ctx.pkg, type.text));
  }
  const allocated = newTypeName(value);
  if (allocated !== undefined) return hasErrorMethod(ctx.pkg, allocated);
  return value.type === 'call_expression' && knownPackageCall(value, ctx.pkg)?.results === 'e';
}

/** The prefix a sentinel of this name should have, or undefined when it already has it. */
function missingPrefix(name: string, file: FileFacts): string | undefined {
  // net/http bundles its HTTP/2 code with every name prefixed http2: http2errClientConnClosed.
  if (file.packageName === 'http' && /^http2[eE]rr/.test(name)) return undefined;
  const prefix = /^\p{Lu}/u.test(name) ? 'Err' : 'err';
  // The prefix is a word of its own: ErrorNoBars and errorEOF spell it out, Errand is another word.
  return name.startsWith(prefix) && !/^\p{Ll}/u.test(name.slice(prefix.length)) ? undefined : prefix;
}

/** Whether a var_spec belongs to a package-level var declaration (not one inside a function). */
function isPackageLevel(spec: Node): boolean {
  let decl = spec.parent;
  if (decl?.type === 'var_spec_list') decl = decl.parent;
  // The root is not always a source_file: a badly broken file parses into an ERROR root.
  return decl?.type === 'var_declaration' && decl.parent !== null && decl.parent.parent === null;
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
of one of the package's error types (\`&NotFoundError{}\`, \`NotFoundError{}\`, \`new(NotFoundError)\`: a type with an
\`Error() string\` method in the package), or a call of one of the package's functions that returns just an error
(\`var EINVAL = NewError("bad argument")\`), as errname reads them.

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
As staticcheck's ST1012: only \`var\` declarations at package level whose names and values pair up one to one, with
the value a direct call of the standard \`errors.New\` or \`fmt.Errorf\` (recognised through the file's imports,
aliases and dot imports included); beyond ST1012, and like errname, values of the package's own error types and
calls of its functions returning an error, read from the package summary (without types, another package's
functions and error types are not known). net/http's bundled \`http2err...\` names are accepted, as ST1012
does. Unlike ST1012, which checks only the prefix's letters, a name whose prefix runs on into a lower-case word
(\`ErrorNoBars\`, \`errorEOF\`, \`Error\`) is flagged, as errname does.

## Left alone
- Variables inside functions, package-level variables without a value (\`var lastErr error\`, state set later, not
  a sentinel), and those set any other way (\`var x = f()\` with \`f\` another package's function or unknown,
  \`var errNotExist = os.ErrNotExist\`).
- \`var a, b = f()\`: a call with several results.
- The blank identifier \`_\`.

## Links
- [Go Code Review Comments](${links.reviewComments})
- peer: staticcheck ST1012`,
  },
  // The declaration itself, found from its first word: a query would be matched against every
  // top-level var declaration of every file, and most are not errors.
  anchors: { text: () => ['var'], atStart: true, nodeTypes: ['var_declaration'] },
  visit(decl: Node, ctx) {
    for (const child of decl.namedChildren) {
      if (child?.type === 'var_spec') checkSpec(child, ctx);
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
  // A variable without a value (`var lastErr error`) holds state set later, not a sentinel.
  if (names.length !== values.length) return;
  names.forEach((name, i) => {
    if (name.text === '_') return;
    // The name first: only a name without the prefix costs a look at the value and the package.
    const prefix = missingPrefix(name.text, ctx.file);
    if (!prefix || !isErrorValue(values[i]!, ctx)) return;
    ctx.report({
      node: name,
      message: `sentinel error ${name.text} should be named ${prefix}Xxx, so readers recognise it as an error value to match with errors.Is`,
    });
  });
}
