// GR114 sentinel-naming: a package-level error variable made by errors.New or fmt.Errorf whose
// name does not start with Err (exported) or err (unexported).
import type { Node } from 'web-tree-sitter';
import { isPackageCall } from '../engine/syntax';
import type { FileFacts } from '../engine/fileFacts';
import type { Rule } from '../engine/types';
import { links, proverbs } from './proverbs';

/** Whether an expression makes a new error value with errors.New or fmt.Errorf. */
function isErrorConstructor(value: Node, file: FileFacts): boolean {
  return value.type === 'call_expression' && (isPackageCall(value, file.imports, 'errors', 'New') || isPackageCall(value, file.imports, 'fmt', 'Errorf'));
}

/** The prefix a sentinel of this name should have, or undefined when it already has it. */
function missingPrefix(name: string, file: FileFacts): string | undefined {
  // net/http bundles its HTTP/2 code with every name prefixed http2: http2errClientConnClosed.
  if (file.packageName === 'http' && name.startsWith('http2err')) return undefined;
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
A package-level variable initialised with \`errors.New(...)\` or \`fmt.Errorf(...)\` whose name does not start with
\`Err\` (exported) or \`err\` (unexported) as a word of its own: \`var NotFound = errors.New("not found")\`,
\`var invalidInput = fmt.Errorf("invalid input")\`, and \`var ErrorNoBars = errors.New("no bars")\` (spelled out, the prefix
no longer reads as the convention; \`ErrNoBars\` does).

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
The same check as staticcheck's ST1012: only \`var\` declarations at package level whose names and values pair up
one to one, with the value a direct call of the standard \`errors.New\` or \`fmt.Errorf\` (recognised through the
file's imports, aliases and dot imports included). net/http's bundled \`http2err...\` names are accepted, as ST1012
does. Unlike ST1012, which checks only the prefix's letters, a name whose prefix runs on into a lower-case word
(\`ErrorNoBars\`, \`errorEOF\`, \`Error\`) is flagged, as errname does.

## Left alone
- Variables inside functions, and package-level variables set any other way (\`var x error\`, \`var x = f()\`).
- \`var a, b = f()\`: a call with several results.
- The blank identifier \`_\`.

## Links
- [Go Code Review Comments](${links.reviewComments})
- peer: staticcheck ST1012`,
  },
  mustContain: ['New', 'Errorf'],
  // Queries run on one top-level declaration: a var_declaration here is at package level, since
  // declarations inside functions sit in blocks and never are the top-level node themselves.
  query: `
    (var_declaration (var_spec) @match)
    (var_declaration (var_spec_list (var_spec) @match))`,
  appliesTo: (file) => file.imports.has('errors') || file.imports.has('fmt'),
  visit(spec: Node, ctx) {
    if (!isPackageLevel(spec)) return;
    const names = spec.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const valueList = spec.childForFieldName('value');
    const values = valueList?.namedChildren.filter((v): v is Node => v !== null && v.type !== 'comment') ?? [];
    if (names.length !== values.length) return;
    names.forEach((name, i) => {
      if (name.text === '_' || !isErrorConstructor(values[i]!, ctx.file)) return;
      const prefix = missingPrefix(name.text, ctx.file);
      if (!prefix) return;
      ctx.report({
        node: name,
        message: `sentinel error ${name.text} should be named ${prefix}Xxx, so readers recognise it as an error value to match with errors.Is`,
      });
    });
  },
};
