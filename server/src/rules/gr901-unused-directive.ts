// GR901 unused-directive: a `//rubric:ignore` or `//rubric:file-ignore` directive that silenced
// nothing. The engine applies the directives and tells this rule which named rules ran on the
// file and silenced no finding (Engine.unusedDirectives); the rule words the finding and its fix.
import type { DirectiveRule, TextEdit, UnusedDirective } from '../engine/types';
import { readRubricComment } from '../engine/suppression';
import { links, proverbs } from './proverbs';

/** The edit that takes the unused codes out of the directive, or the whole directive when nothing else is left. */
function removal(use: UnusedDirective): TextEdit {
  const { directive, unused, line, lineStart, lineEnd, resolve } = use;
  const column = directive.start - lineStart;
  const parsed = readRubricComment(line.slice(column, column + directive.end - directive.start));
  const kept = parsed?.items.filter((item) => !unused.includes(resolve(item.text) ?? ''));
  if (parsed && kept && kept.length > 0 && kept.length < parsed.items.length) {
    const first = parsed.items[0]!;
    const last = parsed.items[parsed.items.length - 1]!;
    return { start: directive.start + first.start, end: directive.start + last.start + last.text.length, newText: kept.map((item) => item.text).join(',') };
  }
  // The whole comment: alone on its line, the line goes (and a blank line after it, when one is
  // left before it too, as gofmt would); after code, the comment and the blanks before it.
  if (line.slice(0, column).trim() === '') return { start: lineStart, end: use.blankBefore && use.blankAfter ? use.nextLineEnd : lineEnd, newText: '' };
  let from = column;
  while (from > 0 && (line[from - 1] === ' ' || line[from - 1] === '\t')) from--;
  return { start: lineStart + from, end: directive.end, newText: '' };
}

export const unusedDirective: DirectiveRule = {
  meta: {
    code: 'GR901',
    name: 'unused-directive',
    phase: 'directives',
    severity: 'information',
    summary: 'A rubric ignore directive names a rule that reported nothing where the directive applies.',
    proverb: proverbs.clearIsBetter,
    fixable: true,
    example: {
      bad: 'return err //rubric:ignore GR102 the caller wraps it',
      good: 'return err',
    },
    docs: `## What it flags
A \`//rubric:ignore\` directive that silenced no finding of a rule it names on its line (or the next line, for a
directive alone on its line), and a \`//rubric:file-ignore\` directive that silenced no finding of a rule it names
in the whole file. A directive that names several rules is flagged for the ones that silenced nothing.

## Why
A directive says "this rule is wrong here, and here is why". Once the code changed and the rule no longer reports
anything there, the directive says something false about the code next to it, and it would silence a real finding
that appears there later without anyone deciding so.

## Bad
\`\`\`go
func load(path string) ([]byte, error) {
	return os.ReadFile(path) //rubric:ignore GR102 the caller adds the path
}
\`\`\`

## Good
\`\`\`go
func load(path string) ([]byte, error) {
	return os.ReadFile(path)
}
\`\`\`

## Fix
Delete the directive (the whole line when it stands alone on it), or, when some of the rules it names did silence
something, take the others out of its list. The fix is safe: it changes no code and no other finding.

## Left alone
- golangci-lint's \`//nolint\`: other linters read it too, and golangci-lint's nolintlint reports the unused ones.
- Rules that did not run on the file: turned off in the settings, left to gopls (\`goRubric.deferToGopls\`), or whose
  precondition does not hold (a testing rule outside \`_test.go\` files, a version-gated rule). The directive may be
  needed where they do run (the CLI, another Go version).
- Directives inside a declaration with syntax errors (while code is being typed), and file-wide directives while the
  file has any: the findings they silence may be missing only for the moment.
- Names that are no rule: GR902 reports them.

## Links
- [Go Proverbs: Clear is better than clever](${links.goProverbs})
- peer: golangci-lint's nolintlint (\`allow-unused: false\`), for \`//nolint\``,
  },
  unusedDirective(use) {
    const { directive, unused } = use;
    const list = unused.join(', ');
    const scope = directive.kind === 'file-ignore' ? 'in this file' : 'where it applies';
    const all = unused.length === new Set(directive.codes).size;
    return {
      start: directive.start,
      end: directive.end,
      message: all
        ? `this directive silences nothing: ${list} reported nothing ${scope}; delete it`
        : `${list} reported nothing ${scope}; take ${unused.length === 1 ? 'it' : 'them'} out of the directive`,
      fix: { title: all ? 'Delete the unused directive' : `Remove ${list} from the directive`, edits: [removal(use)], safe: true },
    };
  },
};
