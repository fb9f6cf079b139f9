// GR106 error-type-assert: `err.(*T)` and `switch err.(type)` look at the outermost error only;
// errors.As finds the type anywhere in the wrapping chain.
import type { Node } from 'web-tree-sitter';
import { errorOperand } from '../engine/errorValues';
import { enclosingFunction, indentationAt } from '../engine/syntax';
import type { Fix, Rule, RuleContext } from '../engine/types';
import { ERRNO_PACKAGES, errnoMayBeRaw, errorsQualifier, insideMethodNamed, shadowingScope } from './errorSyntax';
import { hasErrorMethod } from './packageTypes';
import { links, proverbs } from './proverbs';

/** Methods of the errors.Is/errors.As protocol: they inspect one layer with assertions by design. */
const PROTOCOL_METHODS = new Set(['Is', 'As']);

/** Names of concrete error types: *PathError, syscall.Errno, ExitError, MultiErr. */
const CONCRETE_ERROR_NAME = /(Error|Errno|Err|Errors)$/;

/**
 * A value type named exactly Error is the conventional name of a package's error interface
 * (net.Error, awserr.Error), asserted to for its methods; error structs are asserted as pointers.
 */
const INTERFACE_NAME = 'Error';

/**
 * Whose concrete error type an asserted type is: another package's ('foreign'), which errors.As
 * should look for; the package's own ('own'): a type declared in the package with an Error method
 * (from the package summary: this file and, with the index, the package's others); or neither.
 * Without type information a foreign type is taken as concrete when it is a pointer or is named
 * like an error type; interfaces asserted for optional behaviour (`interface{ Timeout() bool }`,
 * `net.Error`, `temporary`) are left alone.
 */
function errorTypeOwner(type: Node, ctx: RuleContext): 'foreign' | 'own' | undefined {
  const named = type.type === 'pointer_type' ? type.namedChildren.find((c) => c?.type !== 'comment') : type;
  const base = named?.type === 'generic_type' ? named.childForFieldName('type') : named;
  if (base?.type === 'type_identifier') return hasErrorMethod(ctx.pkg, base.text) ? 'own' : undefined;
  if (base?.type !== 'qualified_type') return undefined;
  // An internal package belongs to the same module: its types are the module's own.
  const pkg = ctx.file.imports.pathOf(base.childForFieldName('package')?.text ?? '') ?? '';
  if (/(^|\/)internal(\/|$)/.test(pkg)) return undefined;
  if (type.type === 'pointer_type') return 'foreign';
  const name = base.childForFieldName('name')?.text ?? '';
  return name !== INTERFACE_NAME && CONCRETE_ERROR_NAME.test(name) ? 'foreign' : undefined;
}

/**
 * The package's own error types are reported at information: it makes them and may know that it
 * never wraps them on the way to this check (the standard library relies on that), but errors.As
 * keeps working when that changes.
 */
const OWN_TYPE_SEVERITY = 'information';

/** `syscall.Errno`, `unix.Errno`: the raw errno type of a syscall package. */
function isErrnoType(type: Node, ctx: RuleContext): boolean {
  const pkg = type.type === 'qualified_type' ? ctx.file.imports.pathOf(type.childForFieldName('package')?.text ?? '') : undefined;
  return pkg !== undefined && ERRNO_PACKAGES.has(pkg);
}

/**
 * Whether an assertion is the comma-ok form, `pe, ok := err.(*T)`: a check. A single-value
 * assertion, `err.(*T).Path`, states an invariant the author relies on (it panics otherwise).
 */
function isCommaOk(assertion: Node): boolean {
  const list = assertion.parent;
  const statement = list?.parent;
  if (list?.type !== 'expression_list' || !statement || list.namedChildCount !== 1) return false;
  const left = statement.type === 'var_spec' ? statement.childrenForFieldName('name') : statement.childForFieldName('left')?.namedChildren ?? [];
  return left.filter((n) => n !== null && n.type === 'identifier').length === 2;
}

/** Whether `operand` is an error value that an assertion on it should have used errors.As for. */
function isAssertedError(operand: Node | null, ctx: RuleContext): operand is Node {
  const value = operand && errorOperand(operand, ctx.file.imports);
  return value?.kind === 'error' && !value.fresh;
}

/** The identifiers named `name` in a function, outside `except`. */
function usedOutside(fn: Node, except: Node, name: string): boolean {
  return fn.descendantsOfType('identifier').some((id) => id !== null && id.text === name && (id.startIndex < except.startIndex || id.endIndex > except.endIndex));
}

/** The parts of `if pe, ok := err.(*T); ok {` around an assertion, when it has exactly that shape. */
function ifAssertShape(assertion: Node): { ifStmt: Node; decl: Node; target: Node; cond: Node } | undefined {
  const decl = assertion.parent?.parent;
  const ifStmt = decl?.parent;
  if (decl?.type !== 'short_var_declaration' || ifStmt?.type !== 'if_statement') return undefined;
  if (ifStmt.childForFieldName('initializer')?.id !== decl.id || decl.childForFieldName('right')?.namedChildCount !== 1) return undefined;
  const names = decl.childForFieldName('left')?.namedChildren ?? [];
  const cond = ifStmt.childForFieldName('condition');
  const [target, ok] = names;
  if (names.length !== 2 || !target || !ok || target.text === '_' || cond?.type !== 'identifier' || cond.text !== ok.text) return undefined;
  // `ok` must be used for nothing but the condition: errors.As leaves no ok behind.
  const okUses = ifStmt.descendantsOfType('identifier').filter((id) => id?.text === ok.text).length;
  return okUses === 2 ? { ifStmt, decl, target, cond } : undefined;
}

/**
 * For `if pe, ok := err.(*T); ok { ... }` standing alone in a block: `var pe *T` before the if
 * and `if errors.As(err, &pe) {`. Only when `pe` is named nowhere else in the function (the var
 * now lives in the enclosing block), the if starts its own line (not an `else if`, not labelled)
 * and no comment sits in the rewritten part.
 */
function asFix(assertion: Node, ctx: RuleContext): Fix | undefined {
  const shape = ifAssertShape(assertion);
  if (!shape) return undefined;
  const { ifStmt, decl, target, cond } = shape;
  const fn = enclosingFunction(ifStmt);
  if (!fn || usedOutside(fn, ifStmt, target.text) || ifStmt.parent?.type === 'if_statement') return undefined;
  const text = ctx.file.text;
  const indent = indentationAt(text, ifStmt.startIndex);
  const lineStart = text.lastIndexOf('\n', ifStmt.startIndex - 1) + 1;
  if (lineStart === 0 || text.slice(lineStart, ifStmt.startIndex) !== indent) return undefined;
  if (/\/[/*]/.test(text.slice(decl.startIndex, cond.endIndex))) return undefined;
  const errors = errorsQualifier(ctx.file, shadowingScope(assertion), ctx.pkg);
  if (!errors) return undefined;
  const type = assertion.childForFieldName('type')!.text;
  const error = assertion.childForFieldName('operand')!.text;
  // The break that ends the line before the if, so CRLF files stay CRLF.
  const nl = text[lineStart - 2] === '\r' ? '\r\n' : '\n';
  return {
    title: `Use errors.As: var ${target.text} ${type}; if ${errors.name}.As(${error}, &${target.text})`,
    edits: [
      { start: ifStmt.startIndex, end: ifStmt.startIndex, newText: `var ${target.text} ${type}${nl}${indent}` },
      { start: decl.startIndex, end: cond.endIndex, newText: `${errors.name}.As(${error}, &${target.text})` },
    ],
    imports: errors.addImport ? ['errors'] : [],
    // errors.As also matches the type inside wrapping: more matches than the assertion gave.
    safe: false,
  };
}

function checkAssertion(assertion: Node, ctx: RuleContext): void {
  const operand = assertion.childForFieldName('operand');
  const type = assertion.childForFieldName('type');
  const owner = type ? errorTypeOwner(type, ctx) : undefined;
  if (!isAssertedError(operand, ctx) || !type || !owner || !isCommaOk(assertion)) return;
  if (isErrnoType(type, ctx) && errnoMayBeRaw(operand, ctx.file.imports)) return;
  if (insideMethodNamed(assertion, PROTOCOL_METHODS)) return;
  const fix = asFix(assertion, ctx);
  ctx.report({
    node: assertion,
    message: `${assertion.text} sees only the outermost error and misses a wrapped ${type.text}; use errors.As(${operand.text}, &target) with var target ${type.text}`,
    ...(fix ? { fix } : {}),
    ...(owner === 'own' ? { severity: OWN_TYPE_SEVERITY } : {}),
  });
}

function checkTypeSwitch(switchStmt: Node, ctx: RuleContext): void {
  const value = switchStmt.childForFieldName('value');
  if (!isAssertedError(value, ctx) || insideMethodNamed(switchStmt, PROTOCOL_METHODS)) return;
  const types = switchStmt.namedChildren
    .filter((c): c is Node => c?.type === 'type_case')
    .flatMap((c) => c.childrenForFieldName('type'))
    .filter((t): t is Node => t !== null)
    .map((t) => ({ node: t, owner: errorTypeOwner(t, ctx) }));
  // Another package's type makes it a warning; only the package's own, information.
  const case_ = types.find((t) => t.owner === 'foreign') ?? types.find((t) => t.owner === 'own');
  if (!case_) return;
  const concrete = case_.node;
  // Report `err.(type)`: from the operand to the closing parenthesis after `type`.
  const close = switchStmt.children.find((c) => c !== null && c.type === ')' && c.startIndex > value.endIndex);
  ctx.report({
    start: value.startIndex,
    end: close ? close.endIndex : value.endIndex,
    message: `switch ${value.text}.(type) sees only the outermost error and misses a wrapped ${concrete.text}; use errors.As for each type instead`,
    ...(case_.owner === 'own' ? { severity: OWN_TYPE_SEVERITY } : {}),
  });
}

export const errorTypeAssert: Rule = {
  meta: {
    code: 'GR106',
    name: 'error-type-assert',
    phase: 'idioms',
    severity: 'warning',
    summary: 'A type assertion or type switch on an error, which fails once the error is wrapped; use errors.As.',
    proverb: proverbs.inspectWithIs,
    fixable: true,
    example: {
      bad: 'if pe, ok := err.(*fs.PathError); ok {\n\tlog.Print(pe.Path)\n}',
      good: 'var pe *fs.PathError\nif errors.As(err, &pe) {\n\tlog.Print(pe.Path)\n}',
    },
    docs: `## What it flags
A comma-ok type assertion on an error value to a concrete error type, \`pe, ok := err.(*fs.PathError)\` or
\`n, ok := err.(syscall.Errno)\` after \`os.Open\`, and a type switch on an error, \`switch err.(type)\` or
\`switch e := err.(type)\`, with a case for such a type: another package's (a warning), or the package's own, a type
with an \`Error\` method declared in the package (information: see Severity).

## Why
Errors are wrapped as they travel up (\`fmt.Errorf("open config: %w", err)\`). A type assertion sees only the
outermost error, so \`err.(*os.PathError)\` quietly fails once any layer adds context, and the code that handles the
path error stops running. \`errors.As\` walks the whole chain (and honours \`As\` methods) and fills in the target
when it finds the type.

## Bad
\`\`\`go
if pe, ok := err.(*fs.PathError); ok {
	log.Printf("bad path %s", pe.Path)
}
\`\`\`

## Good
\`\`\`go
var pe *fs.PathError
if errors.As(err, &pe) {
	log.Printf("bad path %s", pe.Path)
}
\`\`\`

## Fix
For the common shape \`if pe, ok := err.(*T); ok {\`, declares \`var pe *T\` on the line before and rewrites the
condition to \`errors.As(err, &pe)\`, adding the \`errors\` import (or using its alias). It is offered only when \`ok\`
is used for nothing but the condition, \`pe\` is named nowhere else in the function (the variable now lives in the
enclosing block), the \`if\` is not an \`else if\`, and no comment sits in the rewritten part. It is not applied by
fix-all: \`errors.As\` also finds wrapped errors, which is the point but is a change of behaviour. No fix where the name
\`errors\` means something else in the file, or in its package (a package-level \`errors\` in any of its files). Other shapes and type switches get no fix: rewrite them by hand,
a type switch as \`switch { case errors.As(err, &pe): ... }\` with one variable per type.

## Approximations
Without type information an operand counts as an error by the names Go code gives errors (\`err\`, \`readErr\`,
\`ctx.Err()\`), and an asserted type is taken as a concrete error type when it is a pointer (\`*pkg.T\`) or is named like
one (\`pkg.XxxError\`, \`pkg.Errno\`, \`...Err\`, \`...Errors\`). A type of the package is an error type when the package
summary knows an \`Error\` method on it (declared in the file, or in the editor and the CLI in the package's other
files).

## Left alone
- Assertions to interfaces for optional behaviour: \`err.(interface{ Timeout() bool })\`, \`err.(net.Error)\`,
  \`err.(awserr.Error)\`, \`err.(causer)\`. They ask what the outermost error can do, and many such interfaces are satisfied
  by the wrappers too (\`*url.Error\` has \`Timeout\`). A value type named exactly \`Error\`, or not named like an error
  type at all, is taken to be such an interface.
- The error types of the module's \`internal/\` packages.
- Single-value assertions, \`err.(*T).Field\`: they state an invariant the code relies on (and panic otherwise).
- \`syscall.Errno\` and the like unless the error comes from a call into another, non-syscall package (\`os.Open\`
  wraps the errno in \`*PathError\`): syscall-level code handles the raw errno its own calls return.
- Assertions and type switches inside \`Is\` and \`As\` methods: implementations of the errors.Is/errors.As protocol
  inspect one layer by design.
- Assertions on values that are not errors, type switches with no case for another package's concrete error type,
  and \`_test.go\` files, where the exact type returned is often the contract under test.

## Severity
A warning for another package's error types, whose wrapping the code does not control. Information for the package's
own (\`err.(*PathError)\` inside package os): the package makes them and may know that nothing wraps them on the way
to this check (the standard library relies on that in places), but errors.As keeps working when that changes, and
peers (errorlint) flag them too. A type switch with both kinds of case is a warning.

## Links
- [Working with Errors in Go 1.13](${links.errorsBlog})
- [errors.As](https://pkg.go.dev/errors#As)
- peer: errorlint's type-assertion check (go-errorlint \`-asserts\`), which with type information flags every
  assertion and type switch on an \`error\` whose asserted type implements \`error\` (so \`net.Error\` and the package's
  own types too, but not \`interface{ Timeout() bool }\`), outside \`Is\` methods, and offers a fix for more shapes.`,
  },
  // Tests check what a function returns, where the exact type is often the contract under test.
  appliesTo: (file) => !file.isTestFile,
  // Every assertion and type switch has a `.(`: found by text rather than by a query that walked
  // every node of every declaration.
  anchors: { text: () => ['.('], nodeTypes: ['type_assertion_expression', 'type_switch_statement'] },
  visit(node: Node, ctx) {
    if (node.type === 'type_assertion_expression') checkAssertion(node, ctx);
    else checkTypeSwitch(node, ctx);
  },
};
