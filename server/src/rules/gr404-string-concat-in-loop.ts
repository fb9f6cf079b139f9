// GR404 string-concat-in-loop: `s += x` on a string in a loop copies everything built so far on each
// iteration, so building an n-part string costs O(n²); a strings.Builder grows in place.
import type { Node } from 'web-tree-sitter';
import { calleeOf, enclosingLoop, isStringLiteral, linePrefix, nextStatement, topLevelDeclaration } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import type { Rule } from '../engine/types';
import { lastBindingBefore } from './declarations';
import { proverbs } from './proverbs';

/** Standard functions that return a string, by import path: a call of one is a string. */
const STRING_FUNCTIONS: ReadonlyMap<string, RegExp> = new Map([
  ['fmt', /^Sprint(?:f|ln)?$/],
  ['strconv', /^(?:Itoa|Quote\w*|Format\w+|Unquote)$/],
  ['strings', /^(?:Join|Repeat|Replace(?:All)?|To(?:Upper|Lower|Title)|Trim\w*|Title|Map)$/],
  ['path', /^(?:Join|Base|Dir|Ext|Clean)$/],
  ['path/filepath', /^(?:Join|Base|Dir|Ext|Clean|ToSlash|FromSlash)$/],
]);

/** Whether an expression is a string by its shape: a literal, a string conversion, a call known to return one, a sum holding one. */
function isStringExpression(expr: Node | undefined, imports: ImportTable): boolean {
  if (!expr) return false;
  if (isStringLiteral(expr)) return true;
  if (expr.type === 'parenthesized_expression') return isStringExpression(expr.namedChildren.find((c) => c?.type !== 'comment') ?? undefined, imports);
  if (expr.type === 'binary_expression' && expr.childForFieldName('operator')?.text === '+') {
    return isStringExpression(expr.childForFieldName('left') ?? undefined, imports) || isStringExpression(expr.childForFieldName('right') ?? undefined, imports);
  }
  if (expr.type !== 'call_expression') return false;
  const callee = calleeOf(expr);
  if (!callee) return false;
  // string(b), and the String/Error methods, which return strings by convention (fmt.Stringer, error).
  if (!callee.operand) return callee.name === 'string';
  if (callee.name === 'String' || callee.name === 'Error') return expr.childForFieldName('arguments')?.namedChildren.length === 0;
  const path = callee.operand.type === 'identifier' ? imports.pathOf(callee.operand.text) : undefined;
  return path !== undefined && (STRING_FUNCTIONS.get(path)?.test(callee.name) ?? false);
}

/** Whether the statement after this one leaves the loop at once (break, return, goto): the string grows once. */
function leavesRightAfter(statement: Node): boolean {
  const next = nextStatement(statement);
  return next?.type === 'break_statement' || next?.type === 'return_statement' || next?.type === 'goto_statement';
}

/** `s += x`, or `s = s + x`: the variable and what is appended, for a plain identifier. */
function concatenation(assign: Node): { name: string; addend: Node } | undefined {
  const left = assign.childForFieldName('left')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  const right = assign.childForFieldName('right')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  const target = left.length === 1 ? left[0] : undefined;
  const value = right.length === 1 ? right[0] : undefined;
  if (target?.type !== 'identifier' || !value) return undefined;
  const operator = assign.childForFieldName('operator')?.text;
  if (operator === '+=') return { name: target.text, addend: value };
  if (operator !== '=' || value.type !== 'binary_expression' || value.childForFieldName('operator')?.text !== '+') return undefined;
  // `s = s + a + b` parses as ((s + a) + b): s is the leftmost operand.
  let leftmost = value;
  while (leftmost.type === 'binary_expression' && leftmost.childForFieldName('operator')?.text === '+') leftmost = leftmost.childForFieldName('left') ?? leftmost;
  const addend = value.childForFieldName('right');
  return leftmost.type === 'identifier' && leftmost.text === target.text && addend ? { name: target.text, addend } : undefined;
}

/**
 * Whether the loop already grows `name` before this statement (`s += a` ... `s += b`): one finding per
 * variable and loop says it, and a code generator's loop of forty `text +=` lines would otherwise
 * make forty. Read on the text: the first one in the loop has none before it.
 */
function grownEarlierInLoop(text: string, loop: Node, assign: Node, name: string): boolean {
  const before = text.slice(loop.startIndex, assign.startIndex);
  const escaped = name.replace(/[$]/g, '\\$&');
  return new RegExp(`(?:^|[^\\w.])${escaped}\\s*(?:\\+=|=\\s*${escaped}\\s*\\+)`).test(before);
}

/** What follows `+=` when the sum is a number: a digit, len( or cap(. */
const NUMERIC_ADDEND = /^\s*(?:[0-9.]|len\s*\(|cap\s*\()/;

export const stringConcatInLoop: Rule = {
  meta: {
    code: 'GR404',
    name: 'string-concat-in-loop',
    phase: 'production',
    severity: 'information',
    summary: 'A string grown with += in a loop, which copies everything built so far on every iteration.',
    proverb: proverbs.buildStrings,
    fixable: false,
    example: {
      bad: 'var out string\nfor _, name := range names {\n\tout += name + "\\n"\n}\nreturn out',
      good: 'var b strings.Builder\nfor _, name := range names {\n\tb.WriteString(name)\n\tb.WriteByte(\'\\n\')\n}\nreturn b.String()',
    },
    docs: `## What it flags
\`s += x\` or \`s = s + x\` inside a \`for\` loop, where \`s\` is a string declared before the loop. Without types, the
string is recognised by its declaration (\`var s string\`, \`s := ""\`, \`s := fmt.Sprintf(...)\`, a \`string\`
parameter) or by what is appended (a string literal, \`fmt.Sprint*\`, \`strconv.Itoa\`, \`strings.Join\`, a
\`string(...)\` conversion, a \`.String()\` or \`.Error()\` call).

## Why
Go strings are immutable: each \`s += x\` allocates a new string and copies all of \`s\` into it. Over n iterations
that is n allocations and O(n²) bytes copied, which shows up as soon as the loop runs over real data (a slice of
lines, rows, a file). A \`strings.Builder\` (or a \`bytes.Buffer\`) appends in place and grows its buffer
geometrically; when the parts are already in a slice, \`strings.Join\` does it in one allocation.

## Bad
\`\`\`go
var out string
for _, name := range names {
	out += name + "\\n"
}
return out
\`\`\`

## Good
\`\`\`go
var b strings.Builder
for _, name := range names {
	b.WriteString(name)
	b.WriteByte('\\n')
}
return b.String()
\`\`\`

## Fix
None: the builder changes every use of the variable (and its declaration), which is the author's to rewrite.

## Left alone
- A variable declared inside the loop (\`s := "x"\` in the body, a range variable): it is built afresh each
  iteration.
- A concatenation followed at once by \`break\`, \`return\` or \`goto\`: it happens once.
- Numbers (\`n += 1\`) and variables whose type the syntax does not show (a call's result, a package variable),
  unless what is appended is evidently a string.
- Fields and indexed elements (\`p.name += x\`, \`parts[i] += x\`).
- Every concatenation of the same variable after the first in one loop (one finding says it).
- \`_test.go\` files: a test builds its strings over a handful of cases, where the cost does not matter.
- Generated files, as for every rule.

## Approximations
A named string type (\`type Path string\`) is recognised only by what is appended. The loop must be in the same
function as the concatenation; a function literal called in a loop is not seen as looping. Loops with a small
constant bound are reported too, as perfsprint does: the cost is small there, the finding is information.

## Links
- [strings.Builder](https://pkg.go.dev/strings#Builder)
- peer: golangci-lint perfsprint (concat-loop)`,
  },
  // A test's strings are built once per run, over a handful of cases: the cost does not matter there.
  appliesTo: (file) => !file.isTestFile,
  anchors: {
    text: () => ['+=', ' + '],
    // `s +=` (a lone identifier before the operator) or `s = s + ...`: read on the line before the tree.
    accept: (text, at, anchor) => {
      // A number or a len/cap added is a counter (`n += 1`, `size += len(b)`), never a string: most
      // `+=` are those, and they would otherwise each cost a look at the function's bindings.
      if (NUMERIC_ADDEND.test(text.slice(at + anchor.length, at + anchor.length + 8))) return false;
      const prefix = linePrefix(text, at);
      return anchor === '+=' ? /^\s*\w+\s*$/.test(prefix) : /^\s*(\w+)\s*=\s*\1$/.test(prefix);
    },
    nodeTypes: ['assignment_statement'],
  },
  visit(assign: Node, ctx) {
    const concat = concatenation(assign);
    if (!concat) return;
    const loop = enclosingLoop(assign);
    if (!loop || leavesRightAfter(assign) || grownEarlierInLoop(ctx.file.text, loop, assign, concat.name)) return;
    const binding = lastBindingBefore(topLevelDeclaration(assign), concat.name, assign);
    // Declared in the loop (its header or body): a fresh string on each iteration.
    if (!binding || binding.node.startIndex >= loop.startIndex) return;
    const declaredString = binding.type ? binding.type.text === 'string' : isStringExpression(binding.value, ctx.file.imports);
    if (!declaredString && !isStringExpression(concat.addend, ctx.file.imports)) return;
    ctx.report({
      node: assign,
      message: `${concat.name} grows by concatenation in a loop, copying the whole string on every iteration: build it with a strings.Builder (or collect the parts and strings.Join them)`,
    });
  },
};
