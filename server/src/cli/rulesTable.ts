// The rule list, generated from the registry: `go-rubric rules` and the README's table.
import type { RuleInfo } from '../engine/types';

export function rulesTable(rules: readonly RuleInfo[], format: 'text' | 'markdown'): string {
  if (format === 'markdown') {
    const rows = rules.map(
      (r) => `| ${r.meta.code} | \`${r.meta.name}\` | ${r.meta.phase} | ${r.meta.severity} | ${r.meta.fixable ? 'yes' : '—'} | ${r.meta.summary.replace(/\|/g, '\\|')} |`,
    );
    return ['| code | name | phase | default severity | fix | what it flags |', '|---|---|---|---|---|---|', ...rows].join('\n');
  }
  const width = Math.max(...rules.map((r) => r.meta.name.length));
  return rules
    .map((r) => `${r.meta.code}  ${r.meta.name.padEnd(width)}  ${r.meta.phase.padEnd(11)}  ${r.meta.severity.padEnd(11)}  ${r.meta.fixable ? 'fix' : '   '}  ${r.meta.summary}`)
    .join('\n');
}
