// GR902 malformed-directive: a comment meant as a suppression directive that does not do what its
// author meant: `// rubric:ignore` (a space after the slashes: prose, not a directive), an unknown
// `rubric:` word, a rule that does not exist, no rule, or no reason.
import type { Node } from 'web-tree-sitter';
import { findRule } from '../engine/config';
import { NOLINT_LINTER_NAME, readNolintComment, readRubricComment } from '../engine/suppression';
import type { Rule, RuleContext, RuleInfo } from '../engine/types';
import { links, proverbs } from './proverbs';

/** `// rubric:ignore` and the like: a directive written as prose, which nothing reads. */
const SPACED_DIRECTIVE = /^\/\/[ \t]+rubric:(ignore|file-ignore)\b/;
/** A nolint item that looks like one of our codes. */
const CODE_LIKE = /^gr\d/i;

function check(comment: Node, ctx: RuleContext, known: readonly RuleInfo[]): void {
  const text = comment.text;
  const at = comment.startIndex;
  const spaced = SPACED_DIRECTIVE.exec(text);
  if (spaced) {
    ctx.report({
      node: comment,
      message: `a directive has no space after //: this comment is not read as one; write //rubric:${spaced[1]}`,
    });
    return;
  }
  const rubric = readRubricComment(text);
  if (rubric) {
    if (rubric.kind !== 'ignore' && rubric.kind !== 'file-ignore') {
      ctx.report({ node: comment, message: `rubric:${rubric.kind} is no directive: write //rubric:ignore (this line or the next) or //rubric:file-ignore` });
      return;
    }
    if (rubric.items.length === 0) {
      ctx.report({ node: comment, message: `//rubric:${rubric.kind} names no rule: list codes or names, comma-separated, then the reason` });
      return;
    }
    for (const item of rubric.items) {
      if (item.text === '') {
        ctx.report({ start: at + item.start, end: at + item.start + 1, message: 'an empty name in the rule list: remove the extra comma' });
      } else if (!findRule(known, item.text)) {
        ctx.report({ start: at + item.start, end: at + item.start + item.text.length, message: `${item.text} is not a Go Rubric rule (see "go-rubric rules"), so nothing is silenced for it` });
      }
    }
    if (rubric.reason === '') {
      ctx.report({ node: comment, message: `say why after the rule list: //rubric:${rubric.kind} ${rubric.items.map((i) => i.text).join(',')} <reason>` });
    }
    return;
  }
  const nolint = readNolintComment(text);
  if (!nolint || nolint.all) return;
  for (const item of nolint.items) {
    // Other linters' names are golangci-lint's business; a code of ours that does not exist is ours.
    if (!CODE_LIKE.test(item.text) || item.text === NOLINT_LINTER_NAME || findRule(known, item.text)) continue;
    ctx.report({ start: at + item.start, end: at + item.start + item.text.length, message: `${item.text} is not a Go Rubric rule, so //nolint silences nothing of ours for it; list codes comma-separated and put the reason after //` });
  }
}

/** GR902, resolving rule names against `known()` (the registry's catalog, which cannot be imported here without a cycle). */
export function malformedDirectiveRule(known: () => readonly RuleInfo[]): Rule {
  return {
    meta: {
      code: 'GR902',
      name: 'malformed-directive',
      phase: 'directives',
      severity: 'warning',
      summary: 'A suppression directive that is not read as its author meant: a space after //, an unknown rule, no rule, or no reason.',
      proverb: proverbs.directiveSyntax,
      fixable: false,
      example: {
        bad: 'return err // rubric:ignore GR102',
        good: 'return err //rubric:ignore GR102 the caller adds the file name',
      },
      docs: `## What it flags
Comments meant as suppression directives that do not work as meant:
- \`// rubric:ignore ...\` with a space after \`//\`: Go directives have none (like \`//go:generate\`), so this is prose
  and silences nothing;
- \`//rubric:\` followed by another word than \`ignore\` or \`file-ignore\`;
- a directive that names no rule, names one that does not exist (a typo: \`GR10\`, \`lock-without-defers\`), or has an
  empty item (\`GR101,,GR102\`); the other rules it names are still silenced;
- a directive with no reason after the rule list;
- \`//nolint:GR999\`: a list item that looks like a Go Rubric code (\`gr\` and a digit) but is none. Other items are
  other linters' names and left to golangci-lint.

## Why
A directive that is not read silences nothing, and its author believes the opposite; one without a reason leaves the
next reader to guess whether the finding was judged wrong or just in the way.

## Bad
\`\`\`go
defer f.Close() // rubric:ignore GR104
\`\`\`

## Good
\`\`\`go
defer f.Close() //rubric:ignore GR104 read-only file: Close cannot lose data
\`\`\`

## Fix
None: only the author knows which rule was meant and why.

## Left alone
- Reasons are not judged, only required. The ignore quick fixes write \`TODO reason\`, which counts as one: search for it.
- \`//nolint\` without a reason (golangci-lint's nolintlint checks those) and names of other linters.
- Comments that mention a directive in the middle of prose (\`// see rubric:ignore in the README\`).

## Links
- [Go Doc Comments: directives](https://go.dev/doc/comment#syntax)
- [Go Proverbs](${links.goProverbs})
- peer: golangci-lint's nolintlint`,
    },
    anchors: { text: () => ['rubric:', 'nolint'], nodeTypes: ['comment'] },
    visit(comment: Node, ctx) {
      check(comment, ctx, known());
    },
  };
}
