// Where each rule's documentation lives: docs/rules/<CODE>.md in the repository, generated from
// the registry by scripts/rule-docs.mjs, so the link in every diagnostic opens the rule's page.
import type { RuleInfo } from '../engine/types';

export const REPOSITORY_URL = 'https://github.com/go-rubric/go-rubric';

export function ruleDocUrl(rule: RuleInfo): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${rule.meta.code}.md`;
}

/** The full markdown page for a rule: title, metadata, then its docs. */
export function ruleDocPage(rule: RuleInfo): string {
  const { meta } = rule;
  return [
    `# ${meta.code} ${meta.name}`,
    '',
    `${meta.summary}`,
    '',
    `| phase | default severity | fix |`,
    `|---|---|---|`,
    `| ${meta.phase} | ${meta.severity} | ${meta.fixable ? 'yes' : 'no'} |`,
    '',
    `> ${meta.proverb.text}`,
    `> — [${meta.proverb.source}](${meta.proverb.url})`,
    '',
    meta.docs,
    '',
    '## Silencing',
    `\`//rubric:ignore ${meta.code} <reason>\` at the end of the line (or alone on the line above), or`,
    `\`//rubric:file-ignore ${meta.code} <reason>\` for the whole file; \`"goRubric.rules": { "${meta.code}": "off" }\``,
    'in the settings turns the rule off.',
    '',
  ].join('\n');
}

/** The text of one `## Heading` section of a rule's docs. */
export function docSection(rule: RuleInfo, heading: string): string | undefined {
  const match = new RegExp(`^## ${heading}\\s*$([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(rule.meta.docs);
  return match?.[1]?.trim();
}
