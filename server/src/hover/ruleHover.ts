// The hover shown on a finding: what is wrong and why, bad -> good, the proverb, the links, and
// how to silence it. Plain markdown, so every LSP client renders it.
import type { Finding, RuleInfo } from '../engine/types';
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
