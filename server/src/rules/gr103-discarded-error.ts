// GR103 discarded-error: an error result assigned to the blank identifier.
import type { Node } from 'web-tree-sitter';
import { assignmentSides } from './declarations';
import { linePrefix } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { anchorsErrorFunction, drainsToDiscard, hasTrailingComment, hiddenByLocalName, knownElementCall, knownMethodCall, knownPackageCall, knownStdlibCall, METHOD_CALLS_APPROXIMATION, stdlibCallAnchors } from './knownCalls';
import { links, proverbs } from './proverbs';

const isBlank = (node: Node) => node.type === 'identifier' && node.text === '_';

/** After a blank target: the `=` or `:=` of its assignment, and what follows on the line. */
const ASSIGNED_VALUE = /[^\n=]*?:?=(?!=)[ \t]*([^\n]*)/y;

/** A blank target, then the `=` or `:=` of its assignment. */
const BLANK_THEN_ASSIGN = /(?<![\p{L}\p{N}_])_(?![\p{L}\p{N}_])[^\n]*?:?=(?!=)/u;

/**
 * Whether a call at `at` is on the right of an assignment to a blank on the same line. (A value on
 * a line of its own, `v, _ :=` then the call, is found from the blank: see blankTakesCall.)
 */
function blankAssignedBefore(text: string, at: number): boolean {
  return BLANK_THEN_ASSIGN.test(linePrefix(text, at));
}

/**
 * Whether the blank identifier at `at` may take a call's result: an assignment follows it on its
 * line whose value has a call (or starts on the next line), and is not a `range`. Most blanks in
 * Go are `for _, v := range` and parameters; this reads them off the text without the tree.
 */
function blankTakesCall(text: string, at: number): boolean {
  ASSIGNED_VALUE.lastIndex = at + 1;
  const value = ASSIGNED_VALUE.exec(text)?.[1]?.trimEnd();
  if (value === undefined) return false;
  return value === '' || (value.includes('(') && !/^range(?![\p{L}\p{N}_])/u.test(value));
}

export const discardedError: Rule = {
  meta: {
    code: 'GR103',
    name: 'discarded-error',
    phase: 'idioms',
    // The catalog's level is warning. Measured on real code the syntactic version is right about
    // 7 times in 10 (docs/precision/GR103.md), short of the 90% a warning needs, so it ships as
    // information until the package index and method results make it sharper.
    severity: 'information',
    summary: 'An error result is assigned to the blank identifier _.',
    proverb: proverbs.handleErrorsGracefully,
    fixable: false,
    example: {
      bad: 'n, _ := strconv.Atoi(s)',
      good: 'n, err := strconv.Atoi(s)\nif err != nil {\n\treturn fmt.Errorf("parse count %q: %w", s, err)\n}',
    },
    docs: `## What it flags
An assignment or declaration that puts the \`error\` result of a call into \`_\`: \`n, _ := strconv.Atoi(s)\`,
\`_ = os.Remove(tmp)\`, \`data, _ := json.Marshal(v)\`, \`var debug, _ = strconv.ParseBool(s)\`, \`_, n := os.Chdir(d), 1\`,
as far as Go Rubric can know the function (see Approximations).

## Why
\`_\` makes a failure invisible: \`strconv.Atoi("x")\` returns 0 and an error, and with the error dropped the 0 travels on
as if it were the number the user typed. When ignoring the error really is right, a comment saying why (or a
\`//rubric:ignore GR103 reason\`) tells the next reader it was a decision.

## Bad
\`\`\`go
port, _ := strconv.Atoi(os.Getenv("PORT"))
\`\`\`

## Good
\`\`\`go
port, err := strconv.Atoi(os.Getenv("PORT"))
if err != nil {
	return fmt.Errorf("PORT must be a number: %w", err)
}
\`\`\`

## Fix
None: what to do with the error is the author's decision.

## Approximations
Go Rubric knows the results of the standard library's exported functions (a table generated from Go's published
API files) and resolves package names through the file's imports, aliases included; a local variable hiding the
package name is recognised. Calls of the package's own functions (\`n, _ := parse(s)\`) are looked up in the package
summary: the functions declared in the file and, in the editor and the CLI, in the package's other files; a local
of the same name hides the function, and two files that declare it differently (build constraints) leave it
unknown. A result of one of the package's own error types (a type with an \`Error() string\` method in the package)
counts as an error, as errcheck counts any type that implements \`error\`. ${METHOD_CALLS_APPROXIMATION}

## Left alone
- Blanks in the other positions: \`_, err := f()\` discards a value, not the error.
- In \`_test.go\` files the findings are hints (faint dots in the editor; the CLI lists them as hints and never
  fails on them by default): tests feed constant inputs and discard what cannot fail (204 of the standard library's
  281 first findings were in test files), but errcheck checks tests too.
- A discard with a comment on its line: the comment records the decision (\`n, _ := strconv.Atoi(s) // validated above\`).
  A to-do (\`// TODO\`, \`FIXME\`, \`XXX\`) records none, nor does a test tool's marker (\`// want ...\`, a word in capitals
  such as errcheck's \`// BLANK\`): those discards are flagged.
- Draining a reader into \`io.Discard\` (\`_, _ = io.Copy(io.Discard, r.Body)\`).
- Functions documented never to fail in practice are not special-cased; silence those with a directive and a reason.

## Severity
The rubric lists this rule as a warning. Without types about 7 in 10 of its findings on standard-library calls are worth
acting on, and 5 in 10 on the package's own functions, whose authors know the arguments with which they cannot fail
(the rest are calls that cannot fail in context, or deliberate best-effort calls), so it is information by default;
raise it with \`"goRubric.rules": { "GR103": "warning" }\`.

## Links
- [Go Proverbs: Don't just check errors, handle them gracefully](${links.goProverbs})
- [Effective Go: The blank identifier](${links.effectiveGo}#blank)
- peer: errcheck with -blank; gosec G104`,
  },
  // Tests too, as errcheck -blank checks them, but as hints (see the docs' Left alone).
  // The assignments around each `pkg.` of an imported standard package; visit() checks the shape.
  // And the assignments around each blank identifier, for calls of the package's own functions:
  // far fewer than the assignments of a call (a query for those matched 282 in asm7.go's asmout
  // alone, and handing them to JavaScript doubled the cost of checking it).
  anchors: {
    text: (file) => [...stdlibCallAnchors(file), '_'],
    accept: (text, at, anchor, file) =>
      anchor === '_' ? blankTakesCall(text, at) : blankAssignedBefore(text, at) && anchorsErrorFunction(text, at, anchor, file),
    nodeTypes: ['short_var_declaration', 'assignment_statement', 'var_spec'],
  },
  visit(assignment: Node, ctx) {
    const sides = assignmentSides(assignment);
    if (!sides) return;
    const { targets, values } = sides;
    // A blank first: only then is the package asked (the lookup is recorded with the findings).
    if (!targets.some(isBlank)) return;
    // `v, _ := f()`: the call's results, one per target. `_, w := f(), 5`: a value per target.
    const pairs: { target: Node; call: Node; index: number }[] =
      values.length === 1 ? targets.map((target, index) => ({ target, call: values[0]!, index })) : values.length === targets.length ? targets.map((target, i) => ({ target, call: values[i]!, index: 0 })) : [];
    const byCall = new Map<number, { call: Node; blanks: { target: Node; index: number }[] }>();
    for (const { target, call, index } of pairs) {
      if (!isBlank(target) || call.type !== 'call_expression') continue;
      const entry = byCall.get(call.id) ?? { call, blanks: [] };
      entry.blanks.push({ target, index });
      byCall.set(call.id, entry);
    }
    for (const { call, blanks } of byCall.values()) {
      const known = knownStdlibCall(call, ctx.file) ?? knownPackageCall(call, ctx.pkg) ?? knownMethodCall(call, ctx.pkg) ?? knownElementCall(call);
      if (!known) continue;
      // As many results as the targets that take them (a single value per target: one result).
      if (known.results.length !== (values.length === 1 ? targets.length : 1)) continue;
      const discarded = blanks.filter(({ index }) => known.results[index] === 'e');
      if (discarded.length === 0 || drainsToDiscard(call, ctx.file)) continue;
      // A comment on the line ("// must succeed: validated above") records the decision.
      if (hasTrailingComment(assignment) || hiddenByLocalName(call, known)) continue;
      for (const { target } of discarded) {
        ctx.report({
          node: target,
          message: `the error returned by ${known.display} is discarded with _; handle it, or say in a comment why it cannot matter`,
          // In tests: a hint (faint dots), see the docs.
          ...(ctx.file.isTestFile ? { severity: 'hint' as const } : {}),
        });
      }
    }
  },
};
