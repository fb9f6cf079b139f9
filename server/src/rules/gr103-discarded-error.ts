// GR103 discarded-error: an error result assigned to the blank identifier.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { anchorsErrorFunction, drainsToDiscard, hasTrailingComment, hiddenByLocalName, knownPackageCall, knownStdlibCall, stdlibCallAnchors } from './knownCalls';
import { links, proverbs } from './proverbs';

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
An assignment that puts the \`error\` result of a call into \`_\`: \`n, _ := strconv.Atoi(s)\`, \`_ = os.Remove(tmp)\`,
\`data, _ := json.Marshal(v)\`, as far as Go Rubric can know the function (see Approximations).

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
unknown. Method calls are not checked yet: the receiver's type is not known to a syntactic check.

## Left alone
- Blanks in the other positions: \`_, err := f()\` discards a value, not the error.
- \`_test.go\` files: tests feed constant inputs and discard what cannot fail.
- A discard with a comment on its line: the comment records the decision (\`n, _ := strconv.Atoi(s) // validated above\`).
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
  // Tests feed functions constant inputs (hex.DecodeString of a literal) and discard what cannot
  // fail: 204 of the standard library's 281 first findings were in _test.go files.
  appliesTo: (file) => !file.isTestFile,
  // The assignments around each `pkg.` of an imported standard package; visit() checks the shape.
  // And the assignments around each blank identifier, for calls of the package's own functions:
  // far fewer than the assignments of a call (a query for those matched 282 in asm7.go's asmout
  // alone, and handing them to JavaScript doubled the cost of checking it).
  anchors: {
    text: (file) => [...stdlibCallAnchors(file), '_'],
    accept: (text, at, anchor, file) => anchor === '_' || anchorsErrorFunction(text, at, anchor, file),
    nodeTypes: ['short_var_declaration', 'assignment_statement'],
  },
  visit(assignment: Node, ctx) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right || right.namedChildCount !== 1) return;
    const call = right.namedChild(0);
    if (!call || call.type !== 'call_expression') return;
    // A blank first: only then is the package asked (the lookup is recorded with the findings).
    const targets = left.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    if (!targets.some((t) => t.type === 'identifier' && t.text === '_')) return;
    const known = knownStdlibCall(call, ctx.file) ?? knownPackageCall(call, ctx.pkg);
    if (!known) return;
    if (targets.length !== known.results.length) return;
    const discarded = targets.filter((target, i) => target.type === 'identifier' && target.text === '_' && known.results[i] === 'e');
    if (discarded.length === 0 || drainsToDiscard(call, ctx.file)) return;
    // A comment on the line ("// must succeed: validated above") records the decision.
    if (hasTrailingComment(assignment) || hiddenByLocalName(call, known)) return;
    discarded.forEach((target) => {
      ctx.report({
        node: target,
        message: `the error returned by ${known.display} is discarded with _; handle it, or say in a comment why it cannot matter`,
      });
    });
  },
};
