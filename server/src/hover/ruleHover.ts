// The hover shown on a finding: what is wrong and why, bad -> good, the proverb, the links, and
// how to silence it. Plain markdown, so every LSP client renders it.
import type { Finding, RuleInfo } from '../engine/types';
import type { Hover } from 'vscode-languageserver';
import type { LineIndex } from '../text/positions';
import { toRange } from '../lsp/convert';
import { docSection, ruleDocUrl } from '../rules/docs';

export function findingHover(finding: Finding, rule: RuleInfo): string {
  const { meta } = rule;
  const why = docSection(rule, 'Why');
  // The finding's own message is already shown with the diagnostic (VS Code puts it right above
  // this hover), so the hover says what the rule is about and why, rather than repeating it.
  const parts = [
    `**${meta.code} ${meta.name}** · ${finding.severity} · Go Rubric`,
    '',
    meta.summary,
  ];
  if (why) parts.push('', why);
  parts.push(
    '',
    '```go',
    '// Bad',
    meta.example.bad,
    '',
    '// Good',
    meta.example.good,
    '```',
    '',
    `> *${meta.proverb.text}* — [${meta.proverb.source}](${meta.proverb.url})`,
    '',
    `[Rule documentation](${ruleDocUrl(rule)})`,
    '',
    `Silence it with \`//rubric:ignore ${meta.code} <reason>\` at the end of the line (or alone on the line above), ` +
      `\`//rubric:file-ignore ${meta.code} <reason>\` for the file, or \`"goRubric.rules": { "${meta.code}": "off" }\` in settings.`,
  );
  return parts.join('\n');
}

/** The hover at `offset`: every finding there, each with its rule's hover, over the first one's range. */
export function findingsHover(findings: readonly Finding[], offset: number, index: LineIndex, ruleOf: (code: string) => RuleInfo | undefined): Hover | null {
  const here = findings.filter((f) => f.start <= offset && offset <= f.end);
  const first = here[0];
  if (!first) return null;
  const sections = here.flatMap((f) => {
    const rule = ruleOf(f.code);
    return rule ? [findingHover(f, rule)] : [];
  });
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range: toRange(index, first.start, first.end) };
}
