// GR405 append-no-prealloc: a slice declared empty just before a range loop that appends one element
// per iteration regrows (and copies) itself log(n) times; its final length is known up front.
import type { Node } from 'web-tree-sitter';
import { leavesLoop } from '../engine/controlFlow';
import { goAtLeast } from '../engine/goVersion';
import { callArguments, isStringLiteral, linePrefix, previousStatement, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { Fix, Rule } from '../engine/types';
import { lastBindingBefore } from './declarations';
import { proverbs } from './proverbs';

/**
 * Whether something in the loop body can end an iteration before the append: what leaves the loop
 * (a return, goto, panic or exit, a break of this loop: controlFlow.leavesLoop), or a continue of
 * this loop (labeled, or not inside a loop nested in the body). Function literals are other functions.
 */
function mayLeaveIteration(body: Node): boolean {
  if (!/\b(?:continue|break|return|goto|panic|Exit|Fatal|Goexit)/.test(body.text)) return false;
  if (leavesLoop(body, true)) return true;
  let skips = false;
  walkDescendants(
    body,
    (n) => {
      if (skips || n.type === 'func_literal') return false;
      skips = n.namedChildren.length > 0 || !insideInnerLoop(n, body);
      return !skips;
    },
    CONTINUES,
  );
  return skips;
}

const CONTINUES: ReadonlySet<string> = new Set(['continue_statement', 'func_literal']);

/** Whether a continue statement belongs to a loop nested in `body`. */
function insideInnerLoop(statement: Node, body: Node): boolean {
  for (let n = statement.parent; n && n.id !== body.id; n = n.parent) if (n.type === 'for_statement') return true;
  return false;
}

/** An expression cheap and safe to evaluate twice: a literal, an identifier or a chain of field selections (`s.cfg.items`). */
function isPlainOperand(expr: Node): boolean {
  if (expr.type === 'int_literal' || isStringLiteral(expr)) return true;
  let n: Node | null = expr;
  while (n?.type === 'selector_expression') n = n.childForFieldName('operand');
  return n?.type === 'identifier';
}

/** `out = append(out, x)`: the slice's name and the call, for one element appended to itself. */
function appendOne(assign: Node): { name: string; call: Node } | undefined {
  if (assign.childForFieldName('operator')?.text !== '=') return undefined;
  const left = assign.childForFieldName('left')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  const right = assign.childForFieldName('right')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  const target = left.length === 1 ? left[0] : undefined;
  const call = right.length === 1 ? right[0] : undefined;
  if (target?.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'append') return undefined;
  const args = callArguments(call);
  // `append(out, xs...)` adds a whole slice per iteration: len(xs) is not the final length.
  if (args.length !== 2 || args[0]!.text !== target.text || call.childForFieldName('arguments')?.text.includes('...')) return undefined;
  return { name: target.text, call };
}

/** The element type of an empty slice declaration of `name`: `var out []T`, `out := []T{}`, `out := make([]T, 0)`. */
function emptySlice(statement: Node, name: string): { element: string; isNil: boolean } | undefined {
  let value: Node | undefined;
  if (statement.type === 'var_declaration') {
    const specs = statement.namedChildren.filter((c) => c?.type === 'var_spec');
    const spec = specs.length === 1 ? specs[0]! : undefined;
    const names = spec?.childrenForFieldName('name') ?? [];
    if (!spec || names.length !== 1 || names[0]?.text !== name) return undefined;
    const type = spec.childForFieldName('type');
    const values = spec.childForFieldName('value')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    if (type && values.length === 0) return type.type === 'slice_type' ? { element: type.childForFieldName('element')?.text ?? '', isNil: true } : undefined;
    if (type || values.length !== 1) return undefined;
    value = values[0]!;
  } else if (statement.type === 'short_var_declaration') {
    const left = statement.childForFieldName('left')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    const right = statement.childForFieldName('right')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    if (left.length !== 1 || left[0]?.text !== name || right.length !== 1) return undefined;
    value = right[0]!;
  } else {
    return undefined;
  }
  // `[]T(nil)`: as nil as `var out []T`.
  if (value.type === 'type_conversion_expression' && value.childForFieldName('operand')?.type === 'nil') {
    const type = value.childForFieldName('type');
    return type?.type === 'slice_type' ? { element: type.childForFieldName('element')?.text ?? '', isNil: true } : undefined;
  }
  const element = emptySliceValue(value);
  return element === undefined ? undefined : { element, isNil: false };
}

/** The element type of `[]T{}` or `make([]T, 0)`, or undefined for any other value. */
function emptySliceValue(value: Node): string | undefined {
  if (value.type === 'composite_literal') {
    const type = value.childForFieldName('type');
    const body = value.childForFieldName('body');
    return type?.type === 'slice_type' && body?.namedChildren.every((c) => c?.type === 'comment') ? type.childForFieldName('element')?.text : undefined;
  }
  if (value.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'make') return undefined;
  const args = callArguments(value);
  const type = args[0];
  return args.length === 2 && type?.type === 'slice_type' && args[1]!.text === '0' ? type.childForFieldName('element')?.text : undefined;
}

/**
 * What a range expression is, from its shape or its declaration in the function: a slice, array or
 * map (capacity len(xs)); a string (len counts bytes, at least as many as the runes the loop visits);
 * an integer (Go 1.22's `range n`: capacity n); something else (a channel, a function: no capacity
 * to give); or unknown.
 */
type RangeKind = 'collection' | 'string' | 'int' | 'other' | 'unknown';

function rangeKind(expr: Node, loop: Node): RangeKind {
  if (expr.type !== 'identifier') return kindOf(expr) ?? 'unknown';
  const binding = lastBindingBefore(topLevelDeclaration(loop), expr.text, loop);
  const shown = binding?.type ?? binding?.value;
  return (shown && kindOf(shown)) ?? 'unknown';
}

const COLLECTION_TYPES: ReadonlySet<string> = new Set(['slice_type', 'array_type', 'map_type', 'implicit_length_array_type']);

/** The kind a type or a value shows, or undefined when it does not tell. */
function kindOf(shown: Node): RangeKind | undefined {
  if (COLLECTION_TYPES.has(shown.type)) return 'collection';
  if (isStringLiteral(shown)) return 'string';
  switch (shown.type) {
    case 'int_literal':
      return 'int';
    case 'composite_literal':
      return COLLECTION_TYPES.has(shown.childForFieldName('type')?.type ?? '') ? 'collection' : undefined;
    case 'call_expression': {
      if (shown.childForFieldName('function')?.text !== 'make') return undefined;
      const made = callArguments(shown)[0]?.type;
      return made === 'slice_type' || made === 'map_type' ? 'collection' : 'other';
    }
    case 'channel_type':
    case 'function_type':
      return 'other';
    case 'type_identifier':
      if (shown.text === 'string') return 'string';
      return /^(?:u?int\d*|uintptr|byte|rune)$/.test(shown.text) ? 'int' : undefined;
    default:
      return undefined;
  }
}

export const appendNoPrealloc: Rule = {
  meta: {
    code: 'GR405',
    name: 'append-no-prealloc',
    phase: 'production',
    severity: 'hint',
    summary: 'A slice declared empty just before a range loop that appends one element per iteration: its length is known, so make it with that capacity.',
    proverb: proverbs.preallocate,
    fixable: true,
    example: {
      bad: 'var names []string\nfor _, u := range users {\n\tnames = append(names, u.Name)\n}',
      good: 'names := make([]string, 0, len(users))\nfor _, u := range users {\n\tnames = append(names, u.Name)\n}',
    },
    docs: `## What it flags
An empty slice declared by the statement just before a \`for ... range xs\` loop (\`var out []T\`,
\`out := []T{}\`, \`out := make([]T, 0)\`, or \`var out = ...\` of the last two), when the loop's body appends
exactly one element to it on every iteration: \`out = append(out, x)\` is a statement of the body itself (not under
an \`if\`), and nothing in the body can skip it (no \`continue\` or \`break\` of this loop, no \`return\`, \`goto\` or
\`panic\`; a \`break\` out of a \`switch\` or \`select\` in the body is fine). The range expression must be a literal,
an identifier or a field selection (\`s.items\`), which is cheap to evaluate twice. The capacity is \`len(xs)\`, or
\`n\` for Go 1.22's \`for i := range n\` over an integer; over a string, \`len\` counts bytes, an upper bound of the
runes the loop visits.

## Why
\`append\` grows a full slice by allocating a larger array and copying every element into it: a slice built one
element at a time from empty is reallocated and copied about log₂(n) times, and leaves garbage behind. When the
loop appends once per element of \`xs\`, the final length is \`len(xs)\`: allocating it up front costs one
allocation and no copies.

## Bad
\`\`\`go
var names []string
for _, u := range users {
	names = append(names, u.Name)
}
\`\`\`

## Good
\`\`\`go
names := make([]string, 0, len(users))
for _, u := range users {
	names = append(names, u.Name)
}
\`\`\`

## Fix
Replaces the declaration with \`out := make([]T, 0, len(xs))\`. The fix is safe when the declaration was
already a non-nil empty slice (\`[]T{}\`, \`make([]T, 0)\`) and \`xs\` is a literal or declared in the function as a
slice, array, map, string or integer. It is offered but not applied in bulk otherwise: from \`var out []T\` (or
\`[]T(nil)\`), \`out\` is no longer nil when \`xs\` is empty (\`out == nil\` checks and JSON's \`null\` change), and
when the type of \`xs\` is not visible it could be a channel (\`len\` is then its buffered count: harmless) or, from
Go 1.22, an integer or, from 1.23, a function, for which \`len\` does not compile (with a go.mod older than 1.22,
such a fix is safe).

## Left alone
- Ranges over a variable declared as a channel or a function; over a call or an index expression.
- Bodies that append conditionally or more than once (nested loops included), append several elements (\`append(out, a, b)\`,
  \`append(out, xs...)\`), assign the slice otherwise, or can leave an iteration early.
- A declaration that is not the statement just before the loop, or that already has elements or a capacity.
- Counting loops (\`for i := 0; i < n; i++\`), as prealloc leaves them by default.
- Generated files, as for every rule.

## Approximations
The type of the range expression is read from its declaration in the same function; fields and package variables
are of unknown type (the fix is then not safe to apply in bulk).

## Links
- [Go blog: Arrays, slices: the mechanics of append](https://go.dev/blog/slices)
- peer: golangci-lint prealloc (its default: simple loops, range loops, not for loops)`,
  },
  anchors: {
    text: () => ['append'],
    // `out = append(out, ...)`: the line says it before the tree is read.
    accept: (text, at) => /^\s*(\w+)\s*=\s*$/.test(linePrefix(text, at)) && text.startsWith('(', at + 6),
    nodeTypes: ['assignment_statement'],
  },
  visit(assign: Node, ctx) {
    const appended = appendOne(assign);
    if (!appended) return;
    // The append must be a statement of the loop body itself: block > statement_list > assignment.
    let body = assign.parent;
    if (body?.type === 'statement_list') body = body.parent;
    const loop = body?.parent;
    if (body?.type !== 'block' || loop?.type !== 'for_statement' || loop.childForFieldName('body')?.id !== body.id) return;
    const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
    const xs = range?.childForFieldName('right');
    if (!xs || !isPlainOperand(xs) || xs.text === appended.name) return;
    const bodyText = body.text;
    if (mayLeaveIteration(body)) return;
    // The append is the only assignment of the slice in the body.
    if ((bodyText.match(new RegExp(`(?:^|[^\\w.])${appended.name}\\s*(?:=[^=]|\\+=|\\[)`, 'g')) ?? []).length !== 1) return;
    const declaration = previousStatement(loop);
    const slice = declaration && emptySlice(declaration, appended.name);
    if (!declaration || !slice?.element) return;
    const kind = rangeKind(xs, loop);
    if (kind === 'other') return;
    const capacity = kind === 'int' ? xs.text : `len(${xs.text})`;
    const replacement = `${appended.name} := make([]${slice.element}, 0, ${capacity})`;
    const lenAlwaysFits = ctx.file.goVersion !== undefined && !goAtLeast(ctx.file.goVersion, '1.22');
    const fix: Fix = {
      title: `Preallocate ${appended.name} with capacity ${capacity}`,
      edits: [{ start: declaration.startIndex, end: declaration.endIndex, newText: replacement }],
      safe: !slice.isNil && (kind !== 'unknown' || lenAlwaysFits),
    };
    ctx.report({
      node: declaration,
      message: `${appended.name} gets one element per ${kind === 'int' ? 'iteration' : 'element'} of ${xs.text}, but starts empty and is regrown as it fills: make it with make([]${slice.element}, 0, ${capacity})`,
      fix,
    });
  },
};
