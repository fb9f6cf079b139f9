// GR101 errorf-wrap-verb: fmt.Errorf formats an error with %v or %s instead of wrapping it with %w.
import type { Node } from 'web-tree-sitter';
import { errorOperand } from '../engine/errorValues';
import { parseFormat } from '../engine/formatString';
import { callArguments, isPackageCall, isStringLiteral } from '../engine/syntax';
import type { Rule, TextEdit } from '../engine/types';
import { links, proverbs } from './proverbs';

const GOT_WANT = /\b(got|want|wanted|expected|expect)\b/i;

export const errorfWrapVerb: Rule = {
  meta: {
    code: 'GR101',
    name: 'errorf-wrap-verb',
    phase: 'idioms',
    severity: 'information',
    summary: 'fmt.Errorf formats an error with %v or %s, so callers cannot unwrap it.',
    proverb: proverbs.wrapWithW,
    fixable: true,
    example: {
      bad: 'return fmt.Errorf("load config: %v", err)',
      good: 'return fmt.Errorf("load config: %w", err)',
    },
    docs: `## What it flags
A \`fmt.Errorf\` call whose format uses \`%v\` or \`%s\` for an operand that is an error: \`err\`,
\`readErr\`, a sentinel such as \`io.EOF\` or \`ErrNotFound\`, \`ctx.Err()\`, or \`err.Error()\` formatted with \`%s\`/\`%v\`.

## Why
\`%v\` copies the error's text into a new error and throws the original away: \`errors.Is(err, fs.ErrNotExist)\`
and \`errors.As\` stop working for every caller above. \`%w\` prints exactly the same text and keeps the chain.

## When %v is the right choice
Wrapping makes the inner error part of your API: callers may start to depend on it. When the cause is an
implementation detail you may change (a storage layer's \`sql.ErrNoRows\`, a vendor SDK's error types),
format it with \`%v\` on purpose and silence this rule on that line with a reason.

## Bad
\`\`\`go
if err := cfg.Load(path); err != nil {
	return fmt.Errorf("load %s: %v", path, err)
}
\`\`\`

## Good
\`\`\`go
if err := cfg.Load(path); err != nil {
	return fmt.Errorf("load %s: %w", path, err)
}
\`\`\`

## Fix
The verb becomes \`%w\`; for \`err.Error()\` the \`.Error()\` call is dropped as well, since \`%w\` needs the error itself.

## Approximations
Without type information an operand counts as an error by the names Go code gives errors (\`err\`, \`xxxErr\`,
\`ErrXxx\`, \`pkg.ErrXxx\`, \`io.EOF\`, \`x.Err()\`), unless the enclosing function declares that name with another type.
Only plain \`%v\`/\`%s\` are flagged: \`%+v\` and width or precision forms may be deliberate. A call that already
wraps with \`%w\`, or formats two or more errors, is left alone, because several \`%w\` in one call need Go 1.20.
The format must be a string literal. \`fmt\` is recognised through the file's imports, aliases included.
A selector counts as an error only when it names a package's sentinel (\`sql.ErrNoRows\`); a field such as \`res.ErrMsg\`
may be a string.

## Left alone
- \`_test.go\` files: tests build errors to report them, and nothing inspects the chain.
- Formats that report a mismatch (\`"got %v, want nil"\`): the error there is the value being described, not a cause.
- A freshly made \`errors.New(...)\` operand: there is nothing behind it for callers to match.
- \`panic(fmt.Errorf(...))\`: nothing unwraps a panic value.

## Note
If the operand can be nil at run time, \`%w\` prints \`%!w(<nil>)\` where \`%v\` printed \`<nil>\`: format a possibly nil
error only after checking it.

## Links
- [Working with Errors in Go 1.13](${links.errorsBlog})
- [fmt.Errorf](https://pkg.go.dev/fmt#Errorf)
- peer: go vet's printf analyzer checks %w use; errorlint's errorf check flags the same pattern`,
  },
  // The calls around each `Errorf` in the text; visit() checks that it is fmt's (or an alias's, or a
  // dot import's). Cheaper than a query whose name predicate would run for every call.
  anchors: { text: () => ['Errorf'], nodeTypes: ['call_expression'] },
  // Tests build errors to report, not to inspect: wrapping there buys nothing.
  appliesTo: (file) => file.imports.has('fmt') && !file.isTestFile,
  visit(call: Node, ctx) {
    if (!isPackageCall(call, ctx.file.imports, 'fmt', 'Errorf')) return;
    // panic(fmt.Errorf(...)): nothing unwraps a panic value.
    const outer = call.parent?.parent;
    if (outer?.type === 'call_expression' && outer.childForFieldName('function')?.text === 'panic') return;
    const args = callArguments(call);
    const format = args[0];
    if (!format || !isStringLiteral(format)) return;
    const sourceStart = format.startIndex + 1;
    const formatText = format.text.slice(1, -1);
    // "got %v, want nil": the error is the value being reported, not the cause of a new error.
    if (GOT_WANT.test(formatText)) return;
    const parsed = parseFormat(formatText);
    if (!parsed.ok || parsed.verbs.some((v) => v.verb === 'w')) return;
    const operands = args.slice(1);
    if (operands.some((o) => o.type === 'variadic_argument')) return;

    const candidates = parsed.verbs.flatMap((verb) => {
      const operand = operands[verb.argIndex];
      const error = operand ? errorOperand(operand, ctx.file.imports) : undefined;
      return error ? [{ verb, operand: operand!, error }] : [];
    });
    // Several error operands: only one %w is valid before Go 1.20, and which to wrap is a design choice.
    if (candidates.length !== 1) return;
    const { verb, operand, error } = candidates[0]!;
    if (verb.decorated || (verb.verb !== 'v' && verb.verb !== 's')) return;
    // A fresh errors.New(...) inside Errorf has nothing for callers to match: wrapping it adds nothing.
    if (error.kind === 'error' && error.fresh) return;

    const verbStart = sourceStart + verb.start;
    const verbEnd = sourceStart + verb.end;
    // Only the verb letter changes, so explicit argument indexes (%[1]v) survive.
    const edits: TextEdit[] = [{ start: verbEnd - verb.verb.length, end: verbEnd, newText: 'w' }];
    let what = operand.text;
    if (error.kind === 'errorText') {
      edits.push({ start: operand.startIndex, end: operand.endIndex, newText: error.error.text });
      what = `${error.error.text}.Error()`;
    }
    ctx.report({
      start: verbStart,
      end: verbEnd,
      message: `fmt.Errorf formats the error ${what} with %${verb.verb}; use %w to wrap it so callers can inspect it with errors.Is/As`,
      fix: {
        title: error.kind === 'errorText' ? `Wrap with %w (and drop .Error())` : 'Wrap with %w',
        edits,
        safe: true,
      },
    });
  },
};
