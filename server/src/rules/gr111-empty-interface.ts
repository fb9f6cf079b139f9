// GR111 empty-interface: `interface{}` as a parameter, result or struct field type, where `any`
// (Go 1.18+) says the same in one word, or a narrower type would say more.
import type { Node } from 'web-tree-sitter';
import { goAtLeast } from '../engine/goVersion';
import { topLevelDeclaration } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { links, proverbs } from './proverbs';

/** Types that may wrap the interface{} on its way up to the declaration that uses it. */
const TYPE_WRAPPERS = new Set([
  'slice_type',
  'array_type',
  'map_type',
  'pointer_type',
  'channel_type',
  'parenthesized_type',
  'type_arguments',
  'generic_type',
  'implicit_length_array_type',
]);

/** Declarations whose `type` is part of a signature or a struct's fields. */
const TYPED_DECLARATIONS = new Set(['parameter_declaration', 'variadic_parameter_declaration', 'field_declaration']);

/** Nodes whose `result` field is a signature's result. */
const SIGNATURES = new Set(['function_declaration', 'method_declaration', 'func_literal', 'function_type', 'method_elem']);

/** The interface{} with the types that wrap it (\`[]interface{}\`, \`map[K]interface{}\`), and what holds them. */
interface TypeUse {
  type: Node;
  parent: Node | null;
}

function typeUseOf(iface: Node): TypeUse {
  let type = iface;
  let parent = type.parent;
  while (parent && TYPE_WRAPPERS.has(parent.type)) {
    type = parent;
    parent = type.parent;
  }
  return { type, parent };
}

/** Where an interface{} appears: 'parameter', 'result' or 'field', or undefined when elsewhere. */
function placeOf({ type: node, parent }: TypeUse): 'parameter' | 'result' | 'field' | undefined {
  if (!parent) return undefined;
  if (TYPED_DECLARATIONS.has(parent.type)) {
    if (parent.childForFieldName('type')?.id !== node.id) return undefined;
    if (parent.type === 'field_declaration') return 'field';
    // A parameter list is a result when it is the `result` field of its signature.
    const list = parent.parent;
    const signature = list?.parent;
    return signature && SIGNATURES.has(signature.type) && signature.childForFieldName('result')?.id === list!.id ? 'result' : 'parameter';
  }
  // A bare result type: func f() interface{}.
  if (SIGNATURES.has(parent.type) && parent.childForFieldName('result')?.id === node.id) return 'result';
  return undefined;
}

/**
 * Whether the interface{} is what a type assertion or a type switch case tests for (\`v.(interface{})\`,
 * \`case interface{}:\`): a check that rarely appears on purpose, and not a place where \`any\` reads better.
 */
function inTypeTest({ parent }: TypeUse): boolean {
  return parent?.type === 'type_assertion_expression' || parent?.type === 'type_case';
}

/** Whether a declaration uses `any` as a name (a parameter, a variable), hiding the builtin. */
function declaresAny(decl: Node): boolean {
  if (!/\bany\b/.test(decl.text)) return false;
  // As a type, `any` is a type_identifier; as an identifier it names something of the code's own.
  return decl.descendantsOfType('identifier').some((id) => id?.text === 'any');
}

/** The line of `text` containing `offset`: [start, end) without the line break. */
function lineAround(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

/** Whether a line is code followed by a // comment (a whole-line comment is not). */
function hasTrailingComment(line: string): boolean {
  const trimmed = line.trim();
  return !trimmed.startsWith('//') && /\S\s+\/\//.test(trimmed);
}

/**
 * Whether the interface{} is on the line of a one-line function declaration (`func (b *B) Logf(f
 * string, args ...interface{}) { b.log(f, args...) }`). gofmt pads the bodies of consecutive
 * one-line functions into a column, so a shorter signature may need its neighbours re-padded; and
 * those are other declarations, which a finding must not depend on (see engine.ts).
 */
function inOneLineFunction(iface: Node, decl: Node, text: string): boolean {
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return false;
  const body = decl.childForFieldName('body');
  if (!body) return false;
  const line = lineAround(text, iface.startIndex);
  return body.startIndex >= line.start && body.endIndex <= line.end;
}

/** A line of a `var (...)` block's spec with a value, `name [type] = value`: gofmt aligns its `=`. */
const SPEC_WITH_VALUE = /^\s*[\p{L}\w]+(?:\s*,\s*[\p{L}\w]+)*(?:\s+[^=\s][^=]*?)?\s*=[^=]/u;

/**
 * Whether shortening the type keeps the file gofmt-clean. gofmt aligns what follows a type in
 * columns across consecutive lines (struct tags; trailing comments of fields, interface methods and
 * one-line declarations; the `= value` of the specs of a var block): a shorter type then needs the
 * whole block re-padded. The fix is offered where nothing on the line is aligned: no struct tag,
 * and for a trailing comment or a var spec's value, no neighbouring line (inside the declaration,
 * at the same indentation) with one.
 */
function keepsAlignment(iface: Node, decl: Node, text: string): boolean {
  if (inOneLineFunction(iface, decl, text)) return false;
  const { parent } = typeUseOf(iface);
  if (parent?.type === 'field_declaration' && parent.childForFieldName('tag')) return false;
  const line = lineAround(text, iface.startIndex);
  const lineText = text.slice(line.start, line.end);
  const aligned: ((line: string) => boolean)[] = [];
  if (hasTrailingComment(text.slice(iface.endIndex, line.end).replace(/^/, 'x '))) aligned.push(hasTrailingComment);
  if (parent?.type === 'var_spec' && parent.parent?.type === 'var_spec_list' && parent.childForFieldName('value')) aligned.push((l) => SPEC_WITH_VALUE.test(l));
  if (aligned.length === 0) return true;
  const indent = /^\s*/.exec(lineText)![0];
  const nextBreak = text.indexOf('\n', line.end);
  for (const neighbour of [line.start - 1, nextBreak < 0 ? -1 : nextBreak + 1]) {
    // Lines outside the declaration are not looked at: findings depend on the declaration only.
    if (neighbour < decl.startIndex || neighbour >= decl.endIndex) continue;
    const other = lineAround(text, neighbour);
    const otherText = text.slice(other.start, other.end);
    if (otherText.startsWith(indent) && !/^\s/.test(otherText.slice(indent.length)) && aligned.some((test) => test(otherText))) return false;
  }
  return true;
}

export const emptyInterface: Rule = {
  meta: {
    code: 'GR111',
    name: 'empty-interface',
    phase: 'idioms',
    severity: 'hint',
    summary: 'interface{} in a signature or struct field says nothing about the value (write any, or a narrower type); elsewhere it is written any since Go 1.18.',
    proverb: proverbs.emptyInterface,
    fixable: true,
    example: {
      bad: 'func Log(fields map[string]interface{}) {}',
      good: 'func Log(fields map[string]any) {}',
    },
    docs: `## What it flags
The empty interface \`interface{}\` used as the type of a parameter, a result or a struct field, alone or inside
another type (\`[]interface{}\`, \`map[string]interface{}\`, \`chan interface{}\`), in function and method
declarations, function literals, function types and interface methods: the catalog's item, where the type says
nothing about the value. And, with a shorter message, every other \`interface{}\` that Go 1.18's \`any\` replaces
word for word: variable and type declarations, aliases, composite literals, \`make\` and conversions, type-parameter
constraints (as revive's use-any does).

## Why
A value of type \`interface{}\` can be anything, so the signature tells the reader nothing and the compiler checks
nothing: every use needs a type assertion or a type switch. Often a narrower type (a concrete type, an interface
with the methods the function calls, a type parameter) says what is really expected. Where anything really goes,
Go 1.18's \`any\` says so in one word; it is an alias, so nothing else changes.

## Bad
\`\`\`go
type Event struct {
	Payload interface{}
}

func Publish(topic string, data interface{}) error
\`\`\`

## Good
\`\`\`go
type Event struct {
	Payload any
}

func Publish(topic string, data any) error
\`\`\`

## Fix
Replaces \`interface{}\` with \`any\`, when the module's go.mod says \`go 1.18\` or later (or there is no go.mod to
say otherwise). \`any\` is an alias for \`interface{}\`, so the fix changes no behaviour and is safe to apply in bulk.
With an older \`go\` directive the rule is off: \`any\` does not exist there, and \`interface{}\` is the only way to
write "any value".

gofmt aligns struct tags and trailing comments in columns across consecutive lines, and a shorter type would leave
them out of line. So the fix is not offered for a field with a tag, nor for a line whose trailing comment is aligned
with a neighbouring line's (in a struct, an interface, or a block of one-line declarations), nor for the type of a
spec with a value in a \`var (...)\` block whose neighbouring spec has one too (gofmt aligns their \`=\`), nor on the line of a
one-line function (\`func (b *B) Logf(f string, args ...interface{}) { b.log(f, args...) }\`), whose body gofmt
aligns with those of the one-line functions around it: run \`gofmt -r 'interface{} -> any'\` on such files instead.

## Approximations
The fix is not offered when the declaration itself uses the name \`any\` for something else (a parameter or a local
variable called \`any\`). A package-level declaration named \`any\` in another file is not seen.

## Left alone
- \`interface{}\` in a type assertion (\`v.(interface{})\`) or a type switch case (\`case interface{}:\`): a test, not a
  type to name.
- An interface whose body holds only a comment (\`interface { // Close() error }\` over several lines): a method
  commented out, kept on purpose.
- Interfaces with methods.
- Modules whose go.mod says \`go 1.17\` or older.

## Links
- [Go Proverbs: interface{} says nothing](${links.goProverbs})
- [Go 1.18 release notes: any](https://go.dev/doc/go1.18#generics)
- peer: revive's use-any; gofmt -r 'interface{} -> any'`,
  },
  // Before Go 1.18 there is no any, and interface{} is the only way to say "any value": a module
  // whose go.mod says so gets no hint (measured on the library corpus: ~9,000 hints, none actionable).
  appliesTo: (file) => file.goVersion === undefined || goAtLeast(file.goVersion, '1.18'),
  // Each `interface` keyword's type, found by text rather than by a query that walked every node
  // of every declaration.
  anchors: { text: () => ['interface'], nodeTypes: ['interface_type'] },
  visit(iface: Node, ctx) {
    // An interface with methods, or whose body holds a comment (a method commented out, a note).
    if (iface.namedChildCount > 0) return;
    const use = typeUseOf(iface);
    if (inTypeTest(use)) return;
    const place = placeOf(use);
    const decl = topLevelDeclaration(iface);
    const fixable = !declaresAny(decl) && keepsAlignment(iface, decl, ctx.file.text);
    ctx.report({
      node: iface,
      message: place
        ? `interface{} as a ${place === 'field' ? 'struct field' : place} type says nothing about the value; write any, or a narrower type`
        : 'interface{} is written any since Go 1.18',
      ...(fixable ? { fix: { title: 'Replace interface{} with any', edits: [{ start: iface.startIndex, end: iface.endIndex, newText: 'any' }], safe: true } } : {}),
    });
  },
};
