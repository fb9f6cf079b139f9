// GR108 error-not-last: a function's results include an `error` that is not the last one.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { proverbs, links } from './proverbs';

/**
 * The result types of a signature, one entry per result: `(a, b int, err error)` gives the `int`
 * node twice and the `error` node once. A single unparenthesised result gives one entry.
 */
function resultTypes(result: Node): Node[] {
  if (result.type !== 'parameter_list') return [result];
  const types: Node[] = [];
  for (const declaration of result.namedChildren) {
    if (declaration?.type !== 'parameter_declaration') continue;
    const type = declaration.childForFieldName('type');
    if (!type) continue;
    const names = declaration.childrenForFieldName('name').filter((n) => n !== null).length;
    for (let i = 0; i < Math.max(1, names); i++) types.push(type);
  }
  return types;
}

const isError = (type: Node | undefined) => type?.type === 'type_identifier' && type.text === 'error';
const isBool = (type: Node | undefined) => type?.type === 'type_identifier' && type.text === 'bool';

/** The error result that should have been last, or undefined when the order is conventional. */
export function misplacedError(result: Node): Node | undefined {
  const types = resultTypes(result);
  if (types.length < 2) return undefined;
  const last = types[types.length - 1];
  if (isError(last)) return undefined;
  // (clientErr error, serverErrs []error): errors still come last, only in a collection.
  if (last && last.type !== 'type_identifier' && /\berror\b/.test(last.text)) return undefined;
  // (..., error, bool): a comma-ok result after the error; staticcheck accepts it too.
  if (isBool(last) && isError(types[types.length - 2])) return undefined;
  for (let i = types.length - 2; i >= 0; i--) if (isError(types[i])) return types[i];
  return undefined;
}

function signatureName(fn: Node): string {
  const name = fn.childForFieldName('name');
  return name ? name.text : 'the function literal';
}

/**
 * Whether the signature after the `func` at `at` mentions `error`: the text up to its body's `{`
 * outside parentheses (or to the end, for a function without a body).
 */
function signatureMentionsError(text: string, at: number): boolean {
  let depth = 0;
  let end = at + 4;
  for (; end < text.length; end++) {
    const ch = text[end];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '{' && depth === 0) break;
  }
  return text.slice(at, end).includes('error');
}

export const errorNotLast: Rule = {
  meta: {
    code: 'GR108',
    name: 'error-not-last',
    phase: 'idioms',
    severity: 'warning',
    summary: 'A function returns an error that is not its last result.',
    proverb: proverbs.errorLast,
    fixable: false,
    example: {
      bad: 'func Parse(s string) (error, *Config)',
      good: 'func Parse(s string) (*Config, error)',
    },
    docs: `## What it flags
A function declaration, method or function literal whose results include \`error\` in a position other than the
last, such as \`(error, int)\` or \`(err error, n int)\`.

## Why
Go code puts the error last, everywhere: \`v, err := f()\` is the shape every reader expects, and tools, linters
and code generators assume it. An error in another position is easy to ignore or to mix up with the value.

## Bad
\`\`\`go
func Parse(s string) (error, *Config)
\`\`\`

## Good
\`\`\`go
func Parse(s string) (*Config, error)
\`\`\`

## Fix
None offered: reordering results changes every call site, in this package and in others.

## Approximations
\`error\` is recognised by its name, so a type of the package's own called \`error\` (which would shadow the
built-in one) is not noticed. A named type that implements \`error\` (\`*MyError\`) is not counted as an error.

## Left alone
- A signature whose last result is \`error\`, even if an earlier one is an error too.
- \`(..., error, bool)\`: a comma-ok result after the error, as staticcheck's ST1008 allows.
- A last result that holds errors (\`(err error, others []error)\`): the errors still come last. ST1008 flags it.
- Interface methods and function types: the rule, like ST1008, looks at functions with bodies, where the order
  is chosen; an interface that has to match existing code is the same order by necessity.

## Links
- [Go Code Review Comments](${links.reviewComments})
- peer: staticcheck ST1008`,
  },
  // Each function's `func` keyword, when an `error` follows it in the signature: a query for
  // signatures walked every node of every declaration.
  anchors: { text: () => ['func'], accept: signatureMentionsError, nodeTypes: ['function_declaration', 'method_declaration', 'func_literal'] },
  visit(fn: Node, ctx) {
    const result = fn.childForFieldName('result');
    // A single unparenthesised result cannot be out of place: only result lists are looked at.
    if (result?.type !== 'parameter_list') return;
    const misplaced = misplacedError(result);
    if (!misplaced) return;
    ctx.report({
      node: misplaced,
      message: `${signatureName(fn)} returns an error before its other results; put the error last, where callers expect it`,
    });
  },
};
