// GR115 error-type-naming: a type with an `Error() string` method whose name does not say it is an
// error (XxxError). Reported on the type's name, where peers (errname) report it too; whether the
// type has the method is read from the package summary (`e:T`), since the method is another
// declaration, possibly in another file, and the lookup makes the finding follow the method.
import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from '../engine/types';
import { hasErrorMethod } from './packageTypes';
import { links, proverbs } from './proverbs';

/**
 * Camel-case words that say "error": PathError, ValidationErrors, FileErrorList, Errno. Not the
 * abbreviation Err: ParseErr reads as a variable (ErrParse, parseErr), as errname holds too.
 */
const ERROR_WORDS = new Set(['error', 'errors', 'errno']);
/**
 * Last words of types that are protocol values first and errors second (a status code, an alert,
 * a packet that doubles as the error reporting it): their name says what they are, rightly.
 */
const VALUE_WORDS = new Set(['status', 'code', 'alert', 'packet', 'msg', 'message']);
/** Sentinel-style names: ErrXxx belongs to values, so a type named that way reads as a variable. */
const SENTINEL_STYLE = /^[Ee]rr[A-Z]/;

/** The camel-case words of a name, lower-cased: "FileErrorList" -> file, error, list; "fxerr" -> fxerr. */
function camelWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** Whether a type name already tells the reader it is an error, or names a value that also is one. */
function saysError(name: string): boolean {
  const words = camelWords(name);
  if (words.some((w) => ERROR_WORDS.has(w))) return true;
  // Compounds written as one word: Krberror, and all-lower-case fxerr.
  if (/(?:error|errno)$/i.test(name) || /^[a-z0-9]+err$/.test(name)) return true;
  return VALUE_WORDS.has(words[words.length - 1] ?? '');
}

/**
 * The declared type's name and, for an alias (`type A = B`), the name of the type it stands for:
 * an alias of an error type is one too.
 */
function declaredType(spec: Node): { name: Node; target: string } | undefined {
  const name = spec.childForFieldName('name');
  if (name?.type !== 'type_identifier') return undefined;
  if (spec.type === 'type_spec') return { name, target: name.text };
  let type = spec.childForFieldName('type');
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  return type?.type === 'type_identifier' ? { name, target: type.text } : undefined;
}

/**
 * The suggested name: NotFound -> NotFoundError, ErrNotFound -> NotFoundError, timeout ->
 * timeoutError, parseErr -> parseError, errNetClosing -> netClosingError (unexported stays unexported).
 */
function suggestedName(name: string): string {
  if (!SENTINEL_STYLE.test(name)) return `${name.replace(/Err$/, '')}Error`;
  const base = name.slice(3);
  return `${name[0] === 'e' ? base[0]!.toLowerCase() + base.slice(1) : base}Error`;
}

export const errorTypeNaming: Rule = {
  meta: {
    code: 'GR115',
    name: 'error-type-naming',
    phase: 'idioms',
    severity: 'information',
    summary: 'A type with an Error() string method is not named XxxError.',
    proverb: proverbs.errorNaming,
    fixable: false,
    example: {
      bad: 'type NotFound struct{ Key string }\n\nfunc (e *NotFound) Error() string { return e.Key + " not found" }',
      good: 'type NotFoundError struct{ Key string }\n\nfunc (e *NotFoundError) Error() string { return e.Key + " not found" }',
    },
    docs: `## What it flags
A type with an \`Error() string\` method (declared on \`T\` or \`*T\`, in any file of the package) whose name does not
say it is an error: \`type NotFound struct{...}\` with \`func (e *NotFound) Error() string\`. An alias of such a type
(\`type Missing = NotFound\`) too. A type named like a sentinel value (\`type ErrNotFound struct{...}\`, \`type errClosing struct{}\`) is
flagged as well: \`ErrXxx\` and \`errXxx\` are the convention for variables. The finding is on the type's name.

## Why
Error types are found and matched by name (\`var nf *NotFoundError; errors.As(err, &nf)\`). The \`XxxError\` suffix
(\`os.PathError\`, \`json.SyntaxError\`, \`exec.ExitError\`) tells readers and documentation browsers which types are
errors, and keeps \`ErrXxx\` free for sentinel values.

## Bad
\`\`\`go
type NotFound struct{ Key string }

func (e *NotFound) Error() string { return e.Key + " not found" }
\`\`\`

## Good
\`\`\`go
type NotFoundError struct{ Key string }

func (e *NotFoundError) Error() string { return e.Key + " not found" }
\`\`\`

## Fix
None offered: renaming a type needs every use changed, in this package and, for an exported one, in others.
gopls's rename does that.

## Approximations
Whether a type has the method is read from the package summary: the functions and methods declared in the file
and, in the editor and the CLI, in the package's other files, so the method may be declared anywhere in the
package. A type whose name already says "error" in another customary form is accepted: \`Error\`
itself (\`pq.Error\`), any name with \`Error\`, \`Errors\` or \`Errno\` as one of its words (\`ValidationErrors\`,
\`FileErrorList\`, \`errorString\`, \`Errno\`) or at its end (\`Krberror\`), and an all-lower-case name ending in
\`err\` (\`fxerr\`). The abbreviation \`Err\` as a word is not enough (\`ParseErr\`, \`timeoutErr\` are flagged, as
errname does): it reads as a variable's name. Types that are
protocol values first and errors second keep their names: a name ending in \`Status\`, \`Code\`, \`Alert\`,
\`Packet\`, \`Msg\` or \`Message\` (\`gssapi.Status\`, \`OSStatus\`, \`disconnectMsg\`).

## Left alone
- Methods called \`Error\` with another signature (\`Error(args ...any)\` on loggers and test helpers,
  \`Error() error\`).
- Names that say "error" or name a protocol value, as listed above.
- \`_test.go\` files: error types there are test doubles that no caller matches by name.
- Generated files, as for every rule.

## Links
- [Go Code Review Comments](${links.reviewComments})
- [Effective Go: Errors](${links.effectiveGo}#errors)
- peer: none in staticcheck (ST1012 covers error variables); revive's error-naming covers variables too`,
  },
  // Test files declare throwaway error types (poser, wrapped) that no caller ever matches by name.
  appliesTo: (file) => !file.isTestFile,
  // The package-level declaration itself, found from its first word: a query would be matched
  // against every type declaration of every file. (Methods cannot be declared on a function's
  // local types, and a local type may share the name of a package-level one that has them.)
  anchors: { text: () => ['type'], atStart: true, nodeTypes: ['type_declaration'] },
  visit(decl: Node, ctx) {
    for (const spec of decl.namedChildren) if (spec?.type === 'type_spec' || spec?.type === 'type_alias') checkSpec(spec, ctx);
  },
};

/** One type of a package-level type declaration. */
function checkSpec(spec: Node, ctx: RuleContext): void {
  const declared = declaredType(spec);
  if (!declared) return;
  const name = declared.name.text;
  const sentinelStyle = SENTINEL_STYLE.test(name);
  // The name first: only a name that does not say "error" costs a look at the package.
  if (!sentinelStyle && saysError(name)) return;
  if (!hasErrorMethod(ctx.pkg, declared.target)) return;
  ctx.report({
    node: declared.name,
    message: sentinelStyle
      ? `error type ${name} is named like a sentinel value; ${name.slice(0, 3)}Xxx names are for variables, so call the type ${suggestedName(name)}`
      : `type ${name} is an error (it has an Error() string method) but its name does not say so; call it ${suggestedName(name)}`,
  });
}
