// GR115 error-type-naming: a type with an `Error() string` method whose name does not say it is an
// error (XxxError). Reported on the Error method, where the receiver names the type: findings are
// made per top-level declaration, and the method is the declaration that makes the type an error.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { links, proverbs } from './proverbs';

/** Camel-case words that say "error": PathError, ValidationErrors, FileErrorList, Errno. */
const ERROR_WORDS = new Set(['error', 'errors', 'err', 'errno']);
/**
 * Last words of types that are protocol values first and errors second (a status code, an alert,
 * a packet that doubles as the error reporting it): their name says what they are, rightly.
 */
const VALUE_WORDS = new Set(['status', 'code', 'alert', 'packet', 'msg', 'message']);
/** Sentinel-style names: ErrXxx belongs to values, so a type named that way reads as a variable. */
const SENTINEL_STYLE = /^Err[A-Z]/;

/** The camel-case words of a name, lower-cased: "FileErrorList" -> file, error, list; "fxerr" -> fxerr. */
function camelWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** Whether a type name already tells the reader it is an error, or names a value that also is one. */
function saysError(name: string): boolean {
  const words = camelWords(name);
  if (words.some((w) => ERROR_WORDS.has(w))) return true;
  // All-lower-case compounds: Krberror, fxerr.
  if (/(?:error|err|errno)$/i.test(name)) return true;
  return VALUE_WORDS.has(words[words.length - 1] ?? '');
}

/** The receiver's type name node: T in `(t T)`, `(t *T)`, `(t *T[K])`. */
function receiverTypeName(method: Node): Node | undefined {
  const receiver = method.childForFieldName('receiver');
  const declaration = receiver?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  let type = declaration?.childForFieldName('type') ?? undefined;
  if (type?.type === 'pointer_type') type = type.namedChildren[0] ?? undefined;
  if (type?.type === 'generic_type') type = type.childForFieldName('type') ?? undefined;
  return type?.type === 'type_identifier' ? type : undefined;
}

/** Whether a method has exactly the error interface's signature: no parameters, one string result. */
function isErrorSignature(method: Node): boolean {
  const parameters = method.childForFieldName('parameters');
  if (!parameters || parameters.namedChildren.some((c) => c?.type !== 'comment')) return false;
  let result = method.childForFieldName('result');
  if (result?.type === 'parameter_list') {
    const declarations = result.namedChildren.filter((c) => c?.type === 'parameter_declaration');
    if (declarations.length !== 1 || declarations[0]!.childrenForFieldName('name').filter((n) => n).length > 1) return false;
    result = declarations[0]!.childForFieldName('type');
  }
  return result?.type === 'type_identifier' && result.text === 'string';
}

/** The suggested name: NotFound -> NotFoundError, ErrNotFound -> NotFoundError, timeout -> timeoutError. */
function suggestedName(name: string): string {
  const base = SENTINEL_STYLE.test(name) ? name.slice(3) : name;
  return `${base}Error`;
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
The receiver type of an \`Error() string\` method, declared on \`T\` or \`*T\`, when the type's name does not say it
is an error: \`func (e *NotFound) Error() string\`, \`func (t timeout) Error() string\`. A type named like a
sentinel value (\`type ErrNotFound struct{...}\`) is flagged too: \`ErrXxx\` is the convention for variables.

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
The finding is on the \`Error\` method, the declaration that makes the type an error; the type declaration itself
may be in another file. A type whose name already says "error" in another customary form is accepted: \`Error\`
itself (\`pq.Error\`), any name with \`Error\`, \`Errors\`, \`Err\` or \`Errno\` as one of its words (\`ValidationErrors\`,
\`FileErrorList\`, \`errorString\`, \`Errno\`, \`parseErr\`) or at its end (\`Krberror\`, \`fxerr\`). Types that are
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
  mustContain: ['Error()'],
  // Test files declare throwaway error types (poser, wrapped) that no caller ever matches by name.
  appliesTo: (file) => !file.isTestFile,
  query: '((method_declaration name: (field_identifier) @_name) @match (#eq? @_name "Error"))',
  visit(method: Node, ctx) {
    if (!isErrorSignature(method)) return;
    const type = receiverTypeName(method);
    if (!type) return;
    const name = type.text;
    const sentinelStyle = SENTINEL_STYLE.test(name);
    if (!sentinelStyle && saysError(name)) return;
    ctx.report({
      node: type,
      message: sentinelStyle
        ? `error type ${name} is named like a sentinel value; ErrXxx names are for variables, so call the type ${suggestedName(name)}`
        : `type ${name} is an error (it has an Error() string method) but its name does not say so; call it ${suggestedName(name)}`,
    });
  },
};
